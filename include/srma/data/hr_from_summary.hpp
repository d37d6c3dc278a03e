// File: srma/data/hr_from_summary.hpp
//
// A study's log hazard ratio from what its paper reports (Parmar, Torri & Stewart 1998; Tierney
// et al. 2007): an HR with its CI, an HR with a p-value, log-rank O - E and V, observed and
// expected events per arm, a log-rank chi-square, or a p-value with event counts. Each route gives
// ln HR, its SE, and the log-rank form O - E and V (V = 1 / var ln HR, O - E = V ln HR), and names
// the method, so reports can cite it and sensitivity analyses can drop the weaker routes. The
// study table (srma/data/study_table.hpp) calls these for the hazard-ratio column sets of a CSV.
// HR = hazard of the research (treatment) arm / hazard of the control arm; O - E is the research
// arm's. Formulas and their sources are in docs/methods.md ("Hazard ratios from summaries").
//
// Example:
//
//   auto s = srma::hr_from_ci(0.49, 0.38, 0.64);  // KEYNOTE-189: HR 0.49 (95% CI 0.38-0.64)
//   if (s) fmt::print("ln HR {:.4f}, SE {:.4f} ({})\n", s->loghr, s->se,
//   srma::to_string(s->method));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma {

/// The route by which a study's ln HR was obtained, most reliable first (Tierney 2007).
enum class hr_method {
  ci,                 ///< HR with a confidence interval (Parmar eq. 7)
  loghr_se,           ///< ln HR with its SE, as reported (e.g. from a Cox model)
  oe_v,               ///< log-rank O - E and its variance V (Parmar eq. 4, 6)
  observed_expected,  ///< observed and expected events per arm (Parmar eq. 3, 5)
  logrank_chisq,      ///< log-rank chi-square with O - E or V and the direction
  p_value,            ///< HR with a two-sided p-value (Parmar eq. 7, solved for the SE)
  p_events,           ///< p-value, total events and the allocation ratio (Tierney 2007)
  p_arm_events,       ///< p-value and events per arm (var ln HR = 1/O_r + 1/O_c)
  km_reconstruction,  ///< patient data reconstructed from Kaplan-Meier curves (Guyot 2012)
  ipd,                ///< a Cox model fitted by srma to individual patient data
};

/// "ci", "loghr_se", "oe_v", "observed_expected", "logrank_chisq", "p_value", "p_events",
/// "p_arm_events", "km_reconstruction", "ipd" (the `hr_source` of a study row).
[[nodiscard]] std::string_view to_string(hr_method m);
[[nodiscard]] std::optional<hr_method> parse_hr_method(std::string_view text);

/// Which arm a result favours, when only a p-value or chi-square gives the size of the effect.
enum class hr_direction {
  favours_research,  ///< HR < 1: fewer events than expected in the research arm
  favours_control,   ///< HR > 1
};

/// "favours_research" or "favours_control".
[[nodiscard]] std::string_view to_string(hr_direction d);
/// Case-insensitive; spaces and hyphens count as underscores, "favors" as "favours":
/// favours_research, favours_treatment, research, treatment -> favours_research;
/// favours_control, control -> favours_control.
[[nodiscard]] std::optional<hr_direction> parse_hr_direction(std::string_view text);

/// ln HR with its SE and the log-rank form of the same information.
struct hr_summary {
  double loghr = 0;      ///< ln HR (research / control)
  double se = 0;         ///< SE of ln HR
  double o_minus_e = 0;  ///< O - E of the research arm (= V ln HR)
  double v = 0;          ///< V = 1 / SE^2
  hr_method method = hr_method::ci;
  std::vector<std::string> notes;  ///< e.g. an asymmetric CI, a p-value given as a bound
};

/// From an HR and its CI at `level` percent: ln HR = ln(hr), SE = (ln U - ln L) / (2 z), z the
/// normal quantile at (1 + level/100)/2. Notes when the two halves of the CI differ by more than
/// 10% on the log scale (rounding or a CI not built on ln HR). Errors: srma.input.E205 (a
/// non-positive or non-finite value, L >= U, or an HR outside [L, U]), srma.input.E212 (level).
[[nodiscard]] expected<hr_summary> hr_from_ci(double hr, double lower, double upper,
                                              double level = 95);

/// From a reported ln HR and its SE: V = 1 / SE^2, O - E = V ln HR.
/// Errors: srma.input.E205 (ln HR not finite, SE not positive and finite).
[[nodiscard]] expected<hr_summary> hr_from_loghr_se(double loghr, double se);

/// From an HR and its two-sided p-value (log-rank or Wald): z = Phi^-1(1 - p/2), SE = |ln HR| / z.
/// Errors: srma.input.E205 (HR not positive and finite, HR = 1, p not in (0, 1)).
[[nodiscard]] expected<hr_summary> hr_from_p(double hr, double p);

/// From log-rank O - E and V: ln HR = (O - E) / V, SE = 1 / sqrt(V) (Peto's one-step estimate).
/// Errors: srma.input.E205 (V not positive and finite, O - E not finite).
[[nodiscard]] expected<hr_summary> hr_from_oe_v(double o_minus_e, double v);

/// From observed and expected events per arm: ln HR = ln[(O_r / E_r) / (O_c / E_c)],
/// var = 1/E_r + 1/E_c. Errors: srma.input.E205 (a count not positive and finite).
[[nodiscard]] expected<hr_summary> hr_from_observed_expected(double observed_research,
                                                             double expected_research,
                                                             double observed_control,
                                                             double expected_control);

/// From the log-rank chi-square with V: |O - E| = sqrt(chi^2 V), the sign from `direction`.
/// Errors: srma.input.E205 (chi-square negative, V not positive).
[[nodiscard]] expected<hr_summary> hr_from_logrank_chisq(double chisq, double v,
                                                         hr_direction direction);

/// From the log-rank chi-square with O - E: V = (O - E)^2 / chi^2, the direction is the sign of
/// O - E. Errors: srma.input.E205 (chi-square not positive and finite, O - E zero or not finite).
[[nodiscard]] expected<hr_summary> hr_from_logrank_chisq_oe(double chisq, double o_minus_e);

/// From a two-sided p-value, the total number of events and the numbers randomised per arm:
/// V = O_tot n_r n_c / (n_r + n_c)^2, O - E = +-z sqrt(V) (Tierney 2007; assumes HR near 1).
/// Errors: srma.input.E205 (p not in (0, 1), events not positive, an arm not positive, events
/// above the total randomised).
[[nodiscard]] expected<hr_summary> hr_from_p_events(double p, double events_total,
                                                    double n_research, double n_control,
                                                    hr_direction direction);

/// From a two-sided p-value and the events per arm: V = O_r O_c / (O_r + O_c), O - E = +-z
/// sqrt(V). Errors: srma.input.E205 (p not in (0, 1), an event count not positive).
[[nodiscard]] expected<hr_summary> hr_from_p_arm_events(double p, double events_research,
                                                        double events_control,
                                                        hr_direction direction);

}  // namespace srma
