// File: srma/data/effect_size.hpp
//
// Effect sizes on the analysis scale, as metafor's escalc() computes them: a study's estimate yi
// and its sampling variance vi. Ratio measures (HR, OR, RR) are analysed as natural logarithms and
// shown back-transformed.
//
// Example:
//
//   // BCG trial of Aronson 1948: 4/123 vaccinated vs 11/139 control cases of tuberculosis.
//   auto e = srma::effect_from_2x2(4, 123, 11, 139, srma::effect_measure::risk_ratio);
//   // e->yi == log((4/123)/(11/139)) = -0.8893, e->vi = 1/4 - 1/123 + 1/11 - 1/139 = 0.3256
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "srma/util/expected.hpp"

namespace srma {

/// The effect measure of a meta-analysis.
enum class effect_measure {
  generic,              ///< "GEN": any effect already on its analysis scale (yi with SE/var).
  hazard_ratio,         ///< "HR": analysed as log HR.
  odds_ratio,           ///< "OR": analysed as log OR.
  risk_ratio,           ///< "RR": analysed as log RR.
  risk_difference,      ///< "RD".
  mean_difference,      ///< "MD": raw mean difference.
  std_mean_difference,  ///< "SMD": Hedges' g (bias-corrected), metafor's "SMD".
};

/// Short code: "GEN", "HR", "OR", "RR", "RD", "MD", "SMD".
[[nodiscard]] std::string_view measure_code(effect_measure m);
/// English name, e.g. "hazard ratio".
[[nodiscard]] std::string_view measure_name(effect_measure m);
/// True for HR, OR and RR: analysed on the log scale and shown exponentiated.
[[nodiscard]] bool is_ratio(effect_measure m);
/// Parses a code ("hr", "OR", "smd", ...), case-insensitively.
[[nodiscard]] std::optional<effect_measure> parse_measure(std::string_view code);
/// Same as measure_code (the uniform name every enum has).
[[nodiscard]] inline std::string_view to_string(effect_measure m) { return measure_code(m); }
/// The value of "no effect" on the display scale: 1 for ratios, 0 otherwise.
[[nodiscard]] double null_value(effect_measure m);
/// Maps an analysis-scale value to the display scale (exp for ratio measures).
[[nodiscard]] double to_display(effect_measure m, double y);

/// A study's effect on the analysis scale.
struct effect {
  double yi = 0;                     ///< Estimate (log scale for ratios).
  double vi = 0;                     ///< Sampling variance of yi.
  bool zero_cell_corrected = false;  ///< 2x2 only: 0.5 was added to every cell.
};

/// Normal quantile for a two-sided interval: z such that P(|Z| < z) = level/100.
[[nodiscard]] double z_for_level(double level_percent);

/// Log ratio and its variance from a reported ratio and confidence interval:
/// yi = ln(ratio), SE = (ln upper - ln lower) / (2 z), z for `level_percent` (Altman & Bland
/// 2011; Tierney et al. 2007, eq. for "HR and CI"). Requires 0 < lower < upper and ratio > 0.
[[nodiscard]] effect effect_from_ratio_ci(double ratio, double lower, double upper,
                                          double level_percent = 95);

/// Peto log hazard ratio from the log-rank observed minus expected events O-E and its variance V:
/// yi = (O-E)/V, vi = 1/V (Yusuf et al. 1985; Tierney et al. 2007). Requires V > 0.
[[nodiscard]] effect effect_from_oe_v(double o_minus_e, double v);

/// Log OR, log RR or RD from a 2x2 table (events and totals per arm), as escalc() with its
/// defaults (add = 1/2, to = "only0"): when any cell of the table is zero, 0.5 is added to all
/// four cells. Variances: OR 1/a+1/b+1/c+1/d; RR 1/a-1/n1+1/c-1/n2; RD p1(1-p1)/n1+p2(1-p2)/n2.
/// Returns an error message when the counts are not a valid table, or std::nullopt-like failure
/// for a double-zero study under OR/RR (callers decide how to report it; see study_table.hpp).
[[nodiscard]] expected<effect> effect_from_2x2(double events_t, double n_t, double events_c,
                                               double n_c, effect_measure m);

/// Mean difference (MD) or Hedges' g (SMD) from two groups' means, SDs and sizes, as escalc():
/// MD = m1 - m2, v = sd1^2/n1 + sd2^2/n2; SMD = c(m) (m1 - m2)/s_pooled with the exact correction
/// c(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)), m = n1 + n2 - 2 (Hedges 1981), and
/// v = 1/n1 + 1/n2 + g^2 / (2 (n1 + n2)) (metafor's vtype "LS").
[[nodiscard]] expected<effect> effect_from_means(double m1, double sd1, double n1, double m2,
                                                 double sd2, double n2, effect_measure m);

}  // namespace srma
