// File: srma/report/format.hpp
//
// Number formatting for people: journal-style p-values, effects on the display scale, intervals,
// percentages. One place, so text reports, figures, HTML and the command line say the same thing.
//
// Example:
//
//   srma::format_effect_ci(srma::effect_measure::hazard_ratio, std::log(0.9), std::log(0.85),
//                          std::log(0.94), 95);  // "0.90 (95% CI 0.85–0.94)"
#pragma once

#include <string>

#include "srma/data/effect_size.hpp"

namespace srma {

/// "< 0.001", "0.004", "0.03", "0.62", "> 0.99"; "NA" for NaN (JAMA/BMJ style).
std::string format_p(double p);
/// "p < 0.001" or "p = 0.03".
std::string format_p_clause(double p);
/// Fixed decimals; "NA" for NaN; "-0.00" is printed as "0.00".
std::string format_fixed(double x, int decimals);
/// An analysis-scale value on the display scale with `decimals`: to_display (exp for ratios,
/// the inverse logit for PLO, ...; `context` carries the n of PFT's back-transformation).
std::string format_effect(effect_measure m, double y, int decimals = 2,
                          const display_context& context = {});
/// "[lo, hi]" on the display scale.
std::string format_interval(effect_measure m, double lo, double hi, int decimals = 2,
                            const display_context& context = {});
/// "0.48 (95% CI 0.43–0.55)" style with an en dash, on the display scale.
std::string format_effect_ci(effect_measure m, double est, double lo, double hi, double level,
                             int decimals = 2, const display_context& context = {});
/// "0.48 (95% CI 0.43–0.55; p < 0.001)": format_effect_ci with extra text inside the brackets.
std::string format_effect_ci_with(effect_measure m, double est, double lo, double hi, double level,
                                  const std::string& extra, int decimals = 2,
                                  const display_context& context = {});
/// Decimals for values of measure m on the display scale: 3 for proportions (PR, PLN, PLO,
/// PAS, PFT), three significant digits of |display_value| (at least 2, at most 8) for
/// incidence rates and their difference (IR, IRLN, IRD), else 2.
int display_decimals(effect_measure m, double display_value);
/// Cochrane Handbook (section 10.10.2) words for rough I² bands: "low" (< 30%), "moderate"
/// (< 50%), "substantial" (< 75%), "considerable"; "not estimable" for NaN.
std::string_view heterogeneity_words(double i2);
/// Percent with one decimal: "62.2%".
std::string format_percent(double x, int decimals = 1);
/// A level such as 95 as "95".
std::string format_level(double level);

}  // namespace srma
