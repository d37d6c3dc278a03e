// File: srma/data/effect_size.hpp
//
// Effect sizes on the analysis scale, as metafor's escalc() computes them: a study's estimate yi
// and its sampling variance vi, for two-group counts (OR, RR, RD), means (MD, SMD, SMDH, ROM),
// single proportions (PR, PLN, PLO, PAS, PFT), correlations (COR, ZCOR) and incidence rates (IR,
// IRLN, IRR, IRD). Values are pooled on the analysis scale and shown on the display scale:
// `to_display` back-transforms them (exp for log measures, the inverse logit for PLO, sin^2 for
// PAS, Miller's inverse for PFT, tanh for ZCOR), and `display_log_axis` says whether a figure
// draws them on a logarithmic axis (ratios only).
//
// Example:
//
//   // BCG trial of Aronson 1948: 4/123 vaccinated vs 11/139 control cases of tuberculosis.
//   auto e = srma::effect_from_2x2(4, 123, 11, 139, srma::effect_measure::risk_ratio);
//   // e->yi == log((4/123)/(11/139)) = -0.8893, e->vi = 1/4 - 1/123 + 1/11 - 1/139 = 0.3256
//
//   // 12 events among 80 patients, pooled as a logit and shown as a proportion.
//   auto p = srma::effect_from_proportion(12, 80, srma::effect_measure::proportion_logit);
//   // p->yi == log(12/68) = -1.7346; to_display(PLO, p->yi) == 0.15
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "srma/util/expected.hpp"

namespace srma {

/// The effect measure of a meta-analysis (metafor's escalc() codes).
enum class effect_measure {
  generic,                ///< "GEN": any effect already on its analysis scale (yi with SE/var).
  hazard_ratio,           ///< "HR": analysed as log HR.
  odds_ratio,             ///< "OR": analysed as log OR.
  risk_ratio,             ///< "RR": analysed as log RR.
  risk_difference,        ///< "RD".
  mean_difference,        ///< "MD": raw mean difference.
  std_mean_difference,    ///< "SMD": Hedges' g (bias-corrected), metafor's "SMD".
  proportion,             ///< "PR": raw proportion.
  proportion_log,         ///< "PLN": log proportion, shown as a proportion.
  proportion_logit,       ///< "PLO": logit proportion, shown as a proportion.
  proportion_arcsine,     ///< "PAS": arcsine square-root proportion, shown as a proportion.
  proportion_ft,          ///< "PFT": Freeman-Tukey double arcsine, shown as a proportion.
  correlation,            ///< "COR": raw correlation.
  fisher_z,               ///< "ZCOR": Fisher's z of a correlation, shown as a correlation.
  incidence_rate,         ///< "IR": raw incidence rate (events per unit of time).
  incidence_rate_log,     ///< "IRLN": log incidence rate, shown as a rate.
  rate_ratio,             ///< "IRR": analysed as log incidence rate ratio.
  rate_difference,        ///< "IRD": incidence rate difference.
  ratio_of_means,         ///< "ROM": analysed as log ratio of means.
  std_mean_difference_h,  ///< "SMDH": SMD with heteroscedastic SDs (Bonett 2009), metafor's.
};

/// Short code: "GEN", "HR", "OR", "RR", "RD", "MD", "SMD", "PR", "PLN", "PLO", "PAS", "PFT",
/// "COR", "ZCOR", "IR", "IRLN", "IRR", "IRD", "ROM", "SMDH".
[[nodiscard]] std::string_view measure_code(effect_measure m);
/// English name of what is shown, e.g. "hazard ratio"; "proportion" for every proportion
/// measure (the scale is in analysis_scale_name), "correlation" for COR and ZCOR.
[[nodiscard]] std::string_view measure_name(effect_measure m);
/// Short column header for values on the display scale: the code for measures shown as they
/// are analysed or exponentiated ("HR", "MD", "IRR"), "Proportion", "Correlation" or "Rate" for
/// those shown back-transformed (PLO -> "Proportion"); "Estimate" for GEN.
[[nodiscard]] std::string_view display_label(effect_measure m);
/// The scale values are analysed on, when it is not the display scale: "log" (HR, OR, RR, IRR,
/// ROM, PLN, IRLN), "logit" (PLO), "arcsine" (PAS), "double arcsine" (PFT), "Fisher's z"
/// (ZCOR); "" otherwise.
[[nodiscard]] std::string_view analysis_scale_name(effect_measure m);
/// True for ratios (HR, OR, RR, IRR, ROM): analysed on the log scale, shown exponentiated on a
/// logarithmic axis, with no effect at 1.
[[nodiscard]] bool is_ratio(effect_measure m);
/// True when the display scale differs from the analysis scale (ratios, PLN, PLO, PAS, PFT,
/// ZCOR, IRLN).
[[nodiscard]] bool has_display_transform(effect_measure m);
/// True when figures draw display values on a logarithmic axis: ratios only (a proportion
/// analysed as a logit is drawn on a linear 0..1 axis, as metafor's forest(..., transf=)).
[[nodiscard]] bool display_log_axis(effect_measure m);
/// Parses a code ("hr", "OR", "smd", "plo", ...), case-insensitively; also "generic".
[[nodiscard]] std::optional<effect_measure> parse_measure(std::string_view code);
/// The codes parse_measure accepts, for messages: "HR, OR, RR, RD, MD, SMD, ...".
[[nodiscard]] std::string measure_codes_text();
/// Same as measure_code (the uniform name every enum has).
[[nodiscard]] inline std::string_view to_string(effect_measure m) { return measure_code(m); }
/// The value of "no effect" on the display scale: 1 for ratios, 0 for differences,
/// correlations and GEN; NaN for proportions and rates (no reference line).
[[nodiscard]] double null_value(effect_measure m);

/// What a back-transformation needs beyond the value.
struct display_context {
  /// PFT only: the sample size of Miller's (1978) inverse; metafor's transf.ipft.hm uses the
  /// harmonic mean of the studies' n. NaN: the large-n limit sin^2(y).
  double n = std::numeric_limits<double>::quiet_NaN();
};

/// Maps an analysis-scale value to the display scale: exp for HR, OR, RR, IRR, ROM, PLN and
/// IRLN; the inverse logit for PLO; sin^2 (clamped to 0..1 as metafor's transf.iarcsin) for
/// PAS; Miller's inverse of the double arcsine for PFT (transf.ipft.hm with n = context.n,
/// 0 or 1 beyond the transform's range); tanh for ZCOR; the value itself otherwise.
/// NaN stays NaN.
[[nodiscard]] double to_display(effect_measure m, double y, const display_context& context = {});
/// The inverse of to_display: a display-scale value on the analysis scale (log, logit,
/// asin sqrt, freeman_tukey with context.n, atanh). Values outside the display range (a
/// proportion outside 0..1, a ratio <= 0) give NaN; 0 and 1 of PLN/PLO give -inf/+inf.
[[nodiscard]] double from_display(effect_measure m, double x, const display_context& context = {});
/// The display context of a set of studies: for PFT, n = the harmonic mean of the sample sizes
/// recovered from the variances, n_i = (1/v_i - 2)/4 (escalc's v = 1/(4n + 2)); else empty.
[[nodiscard]] display_context display_context_from_vi(effect_measure m, std::span<const double> vi);
/// The display context of a set of studies from their sample sizes (PFT: harmonic mean).
[[nodiscard]] display_context display_context_from_n(effect_measure m, std::span<const double> n);
/// Freeman-Tukey double arcsine of a proportion p with n: metafor's transf.pft,
/// 1/2 (asin sqrt(np/(n+1)) + asin sqrt((np+1)/(n+1))).
[[nodiscard]] double freeman_tukey(double p, double n);

/// A study's effect on the analysis scale.
struct effect {
  double yi = 0;                     ///< Estimate (log scale for ratios).
  double vi = 0;                     ///< Sampling variance of yi.
  bool zero_cell_corrected = false;  ///< Counts only: `add` was added to the cells.
};

// ---------------------------------------------------------------------------------------------
// Zero cells (counts of events).

/// To which studies the zero-cell correction is added (escalc's `to`).
enum class zero_cell_to {
  only0,   ///< Studies with a zero cell ("only0", escalc's default).
  all,     ///< Every study ("all").
  if0all,  ///< Every study, when any study has a zero cell ("if0all").
  none,    ///< No study ("none").
};
/// "only0", "all", "if0all", "none".
[[nodiscard]] std::string_view to_string(zero_cell_to t);
/// Parses "only0", "all", "if0all", "none" (exact, lower case).
[[nodiscard]] std::optional<zero_cell_to> parse_zero_cell_to(std::string_view text);

/// What happens to a double-zero study: a 2x2 table with no events in either group (or only
/// events in both, escalc's drop00 test), or two incidence rates with no events in either group.
enum class double_zero_policy {
  keep,    ///< Analysed with the correction (escalc's drop00 = FALSE, its default).
  drop,    ///< Left out and listed, for every measure (drop00 = TRUE).
  ratios,  ///< Left out and listed for OR, RR and IRR, kept for RD and IRD: srma's default and
           ///< RevMan 5's "not estimable" (the table carries no information on a ratio scale).
};
/// "keep", "drop", "ratios".
[[nodiscard]] std::string_view to_string(double_zero_policy p);
/// Parses "keep", "drop", "ratios"; also "false" (keep) and "true" (drop), as escalc's drop00.
[[nodiscard]] std::optional<double_zero_policy> parse_double_zero_policy(std::string_view text);

/// The zero-cell rule of count measures (OR, RR, RD, PR, PLN, PLO, IR, IRLN, IRR, IRD), as
/// escalc's add, to and drop00. PAS and PFT are never corrected (escalc's default add = 0 for
/// them: the transforms are defined at 0 and n).
struct zero_cell_rule {
  double add = 0.5;                       ///< Added to every cell of a corrected study.
  zero_cell_to to = zero_cell_to::only0;  ///< Which studies are corrected.
  double_zero_policy double_zero = double_zero_policy::ratios;

  /// "" when usable, else what is wrong (add finite and >= 0).
  [[nodiscard]] std::string validate() const;
  [[nodiscard]] bool operator==(const zero_cell_rule&) const = default;
};

/// srma's default: 1/2 added to studies with a zero cell; double-zero studies left out (and
/// listed) for OR, RR and IRR, kept for RD and IRD.
[[nodiscard]] zero_cell_rule srma_zero_cells();
/// metafor's escalc() defaults: add = 1/2, to = "only0", drop00 = FALSE.
[[nodiscard]] zero_cell_rule escalc_zero_cells();
/// RevMan 5: 1/2 added to every cell of a table with a zero; a table with no events in either
/// group (or only events) is "not estimable" for OR and RR (left out and listed).
[[nodiscard]] zero_cell_rule revman5_zero_cells();

/// True when rule.double_zero leaves a double-zero study out under measure m.
[[nodiscard]] bool drops_double_zero(const zero_cell_rule& rule, effect_measure m);
/// escalc's drop00 test of a 2x2 table: no events in either group, or only events in both.
[[nodiscard]] bool is_double_zero_2x2(double events_t, double n_t, double events_c, double n_c);

/// Whether `rule` corrects a study (its own zero cells in `has_zero`; `any_zero`: some study
/// of the analysis has one, for zero_cell_to::if0all).
[[nodiscard]] bool corrects(const zero_cell_rule& rule, bool has_zero, bool any_zero);

// ---------------------------------------------------------------------------------------------
// Effects from reported numbers.

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

/// Log OR, log RR or RD from a 2x2 table (events and totals per arm), as escalc(): when `rule`
/// corrects the study (by default when any cell is zero), rule.add is added to all four cells.
/// Variances: OR 1/a+1/b+1/c+1/d; RR 1/a-1/n1+1/c-1/n2; RD p1(1-p1)/n1+p2(1-p2)/n2. A
/// double-zero table is computed like any other (the caller leaves it out under
/// drops_double_zero). `any_zero`: some table of the analysis has a zero (rule.to = if0all).
/// Errors: srma.input.E210 (invalid counts), E206 (another measure).
[[nodiscard]] expected<effect> effect_from_2x2(double events_t, double n_t, double events_c,
                                               double n_c, effect_measure m,
                                               const zero_cell_rule& rule = {},
                                               bool any_zero = false);

/// Mean difference (MD), Hedges' g (SMD), SMDH or the log ratio of means (ROM) from two groups'
/// means, SDs and sizes, as escalc() (vtype "LS"):
/// MD = m1 - m2, v = sd1^2/n1 + sd2^2/n2;
/// SMD = c(m) (m1 - m2)/s_pooled with c(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)),
/// m = n1 + n2 - 2 (Hedges 1981), v = 1/n1 + 1/n2 + g^2 / (2 (n1 + n2));
/// SMDH = c(m) (m1 - m2)/s, s^2 = (sd1^2 + sd2^2)/2 (Bonett 2009), v = c(m)^2 [g^2 (sd1^4/(n1-1)
/// + sd2^4/(n2-1)) / (2 (sd1^2 + sd2^2)^2) + (sd1^2/(n1-1) + sd2^2/(n2-1)) / s^2];
/// ROM = ln(m1/m2), v = sd1^2/(n1 m1^2) + sd2^2/(n2 m2^2) (Hedges, Gurevitch & Curtis 1999).
/// Errors: srma.input.E211 (SD <= 0, n < 2, a mean <= 0 for ROM), E206 (another measure).
[[nodiscard]] expected<effect> effect_from_means(double m1, double sd1, double n1, double m2,
                                                 double sd2, double n2, effect_measure m);

/// A single proportion from `events` of `n`, as escalc() (vtype "LS"), p = x/n after the
/// zero-cell correction (a study with x = 0 or x = n; never for PAS, PFT):
/// PR p, v = p(1-p)/n; PLN ln p, v = 1/x - 1/n; PLO ln(p/(1-p)), v = 1/x + 1/(n-x);
/// PAS asin(sqrt p), v = 1/(4n); PFT freeman_tukey(p, n), v = 1/(4n + 2) (Freeman & Tukey 1950).
/// Errors: srma.input.E210 (events < 0, above n, or n <= 0), E206 (another measure).
[[nodiscard]] expected<effect> effect_from_proportion(double events, double n, effect_measure m,
                                                      const zero_cell_rule& rule = {},
                                                      bool any_zero = false);

/// A correlation r from n subjects, as escalc(): COR r, v = (1 - r^2)^2/(n - 1) (vtype "LS");
/// ZCOR atanh(r) = 1/2 ln((1+r)/(1-r)), v = 1/(n - 3) (Fisher 1921).
/// Errors: srma.input.E205 (|r| > 1; |r| = 1 for ZCOR; n <= 1, or n <= 3 for ZCOR), E206.
[[nodiscard]] expected<effect> effect_from_correlation(double r, double n, effect_measure m);

/// An incidence rate from `events` in person-time `time`, as escalc(): IR x/t, v = x/t^2;
/// IRLN ln(x/t), v = 1/x, after the zero-cell correction (x = 0).
/// Errors: srma.input.E210 (events < 0), E205 (time <= 0), E206 (another measure).
[[nodiscard]] expected<effect> effect_from_rate(double events, double time, effect_measure m,
                                                const zero_cell_rule& rule = {},
                                                bool any_zero = false);

/// Two incidence rates (events and person-time per group), as escalc(): IRR ln((x1/t1)/(x2/t2)),
/// v = 1/x1 + 1/x2; IRD x1/t1 - x2/t2, v = x1/t1^2 + x2/t2^2; after the zero-cell correction
/// (a study with x1 = 0 or x2 = 0). A double-zero study is computed like any other.
/// Errors: srma.input.E210 (events < 0), E205 (time <= 0), E206 (another measure).
[[nodiscard]] expected<effect> effect_from_rates(double events_t, double time_t, double events_c,
                                                 double time_c, effect_measure m,
                                                 const zero_cell_rule& rule = {},
                                                 bool any_zero = false);

}  // namespace srma
