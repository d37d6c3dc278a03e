#include "srma/data/effect_size.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

struct measure_info {
  effect_measure m;
  std::string_view code;
  std::string_view name;
};

constexpr std::array<measure_info, 7> k_measures = {{
    {effect_measure::generic, "GEN", "effect"},
    {effect_measure::hazard_ratio, "HR", "hazard ratio"},
    {effect_measure::odds_ratio, "OR", "odds ratio"},
    {effect_measure::risk_ratio, "RR", "risk ratio"},
    {effect_measure::risk_difference, "RD", "risk difference"},
    {effect_measure::mean_difference, "MD", "mean difference"},
    {effect_measure::std_mean_difference, "SMD", "standardised mean difference"},
}};

}  // namespace

std::string_view measure_code(effect_measure m) {
  for (const auto& i : k_measures)
    if (i.m == m) return i.code;
  return "GEN";
}

std::string_view measure_name(effect_measure m) {
  for (const auto& i : k_measures)
    if (i.m == m) return i.name;
  return "effect";
}

bool is_ratio(effect_measure m) {
  return m == effect_measure::hazard_ratio || m == effect_measure::odds_ratio ||
         m == effect_measure::risk_ratio;
}

std::optional<effect_measure> parse_measure(std::string_view code) {
  for (const auto& i : k_measures)
    if (detail::iequals(i.code, code)) return i.m;
  if (detail::iequals(code, "generic")) return effect_measure::generic;
  return std::nullopt;
}

double null_value(effect_measure m) { return is_ratio(m) ? 1.0 : 0.0; }

double to_display(effect_measure m, double y) { return is_ratio(m) ? std::exp(y) : y; }

double z_for_level(double level_percent) {
  return detail::qnorm_upper((1.0 - level_percent / 100.0) / 2.0);
}

effect effect_from_ratio_ci(double ratio, double lower, double upper, double level_percent) {
  const double se = (std::log(upper) - std::log(lower)) / (2.0 * z_for_level(level_percent));
  return {std::log(ratio), se * se, false};
}

effect effect_from_oe_v(double o_minus_e, double v) { return {o_minus_e / v, 1.0 / v, false}; }

expected<effect> effect_from_2x2(double events_t, double n_t, double events_c, double n_c,
                                 effect_measure m) {
  if (!(n_t > 0) || !(n_c > 0)) return fail(errc::input_bad_2x2, "group sizes must be > 0");
  if (events_t < 0 || events_c < 0) return fail(errc::input_bad_2x2, "event counts must be >= 0");
  if (events_t > n_t || events_c > n_c)
    return fail(errc::input_bad_2x2, "event counts cannot exceed the group size");
  double a = events_t, b = n_t - events_t, c = events_c, d = n_c - events_c;
  const bool zero = a == 0 || b == 0 || c == 0 || d == 0;
  if (zero) {
    // escalc(add = 1/2, to = "only0"): 0.5 is added to all four cells of a table with a zero.
    a += 0.5;
    b += 0.5;
    c += 0.5;
    d += 0.5;
  }
  const double n1 = a + b, n2 = c + d;
  effect e;
  e.zero_cell_corrected = zero;
  switch (m) {
    case effect_measure::odds_ratio:
      e.yi = std::log(a / b) - std::log(c / d);
      e.vi = 1 / a + 1 / b + 1 / c + 1 / d;
      break;
    case effect_measure::risk_ratio:
      e.yi = std::log(a / n1) - std::log(c / n2);
      e.vi = 1 / a - 1 / n1 + 1 / c - 1 / n2;
      break;
    case effect_measure::risk_difference: {
      const double p1 = a / n1, p2 = c / n2;
      e.yi = p1 - p2;
      e.vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
      break;
    }
    default:
      return fail(errc::input_measure_mismatch,
                  fmt::format("measure {} cannot be computed from a 2x2 table (use OR, RR or RD)",
                              measure_code(m)));
  }
  return e;
}

expected<effect> effect_from_means(double m1, double sd1, double n1, double m2, double sd2,
                                   double n2, effect_measure m) {
  if (!(sd1 > 0) || !(sd2 > 0))
    return fail(errc::input_bad_means, "standard deviations must be > 0");
  if (!(n1 >= 2) || !(n2 >= 2)) return fail(errc::input_bad_means, "group sizes must be >= 2");
  effect e;
  if (m == effect_measure::mean_difference) {
    e.yi = m1 - m2;
    e.vi = sd1 * sd1 / n1 + sd2 * sd2 / n2;
    return e;
  }
  if (m != effect_measure::std_mean_difference) {
    return fail(
        errc::input_measure_mismatch,
        fmt::format("measure {} cannot be computed from means (use MD or SMD)", measure_code(m)));
  }
  const double df = n1 + n2 - 2;
  const double sp = std::sqrt(((n1 - 1) * sd1 * sd1 + (n2 - 1) * sd2 * sd2) / df);
  // Exact small-sample correction (Hedges 1981), on the log scale to avoid Gamma overflow.
  const double cm =
      std::exp(std::lgamma(df / 2) - std::log(std::sqrt(df / 2)) - std::lgamma((df - 1) / 2));
  e.yi = cm * (m1 - m2) / sp;
  e.vi = 1 / n1 + 1 / n2 + e.yi * e.yi / (2 * (n1 + n2));
  return e;
}

}  // namespace srma
