// Log hazard ratios from published summaries (Parmar, Torri & Stewart 1998, equation numbers as in
// the paper; Tierney et al. 2007, Trials 8:16). Every route ends in the same pair: ln HR with its
// SE, and the log-rank form O - E = V ln HR, V = 1 / SE^2, so that inverse-variance and Peto
// ("O - E and variance") pooling both have what they need.
#include "srma/data/hr_from_summary.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

constexpr std::array<std::pair<hr_method, std::string_view>, 10> k_methods = {{
    {hr_method::ci, "ci"},
    {hr_method::loghr_se, "loghr_se"},
    {hr_method::oe_v, "oe_v"},
    {hr_method::observed_expected, "observed_expected"},
    {hr_method::logrank_chisq, "logrank_chisq"},
    {hr_method::p_value, "p_value"},
    {hr_method::p_events, "p_events"},
    {hr_method::p_arm_events, "p_arm_events"},
    {hr_method::km_reconstruction, "km_reconstruction"},
    {hr_method::ipd, "ipd"},
}};

bool positive(double x) { return std::isfinite(x) && x > 0; }

unexpected bad(std::string message) { return fail(errc::input_out_of_range, std::move(message)); }

// The summary of ln HR = y with variance 1/v (v = V, the log-rank information).
hr_summary from_loghr_and_v(double y, double v, hr_method method) {
  hr_summary s;
  s.loghr = y;
  s.v = v;
  s.se = 1 / std::sqrt(v);
  s.o_minus_e = v * y;
  s.method = method;
  return s;
}

// z = Phi^-1(1 - p/2) of a two-sided p-value.
expected<double> z_of_p(double p) {
  if (!(p > 0 && p < 1)) {
    return bad(
        fmt::format("the p-value is {}, but must lie strictly between 0 and 1 (p = 0 or "
                    "1 carries no information on the size of the effect)",
                    p));
  }
  return detail::qnorm_upper(p / 2);
}

// O - E = +-z sqrt(V) with the sign of the direction; ln HR = (O - E) / V.
hr_summary from_z_and_v(double z, double v, hr_direction d, hr_method method) {
  const double sign = d == hr_direction::favours_research ? -1.0 : 1.0;
  return from_loghr_and_v(sign * z / std::sqrt(v), v, method);
}

}  // namespace

std::string_view to_string(hr_method m) {
  for (const auto& [e, name] : k_methods)
    if (e == m) return name;
  return "ci";
}

std::optional<hr_method> parse_hr_method(std::string_view text) {
  for (const auto& [e, name] : k_methods)
    if (detail::iequals(name, text)) return e;
  return std::nullopt;
}

std::string_view to_string(hr_direction d) {
  return d == hr_direction::favours_research ? "favours_research" : "favours_control";
}

std::optional<hr_direction> parse_hr_direction(std::string_view text) {
  std::string t = detail::to_lower(detail::trim(text));
  for (char& c : t)
    if (c == ' ' || c == '-') c = '_';
  if (t.rfind("favors_", 0) == 0) t = "favours_" + t.substr(7);
  if (t == "favours_research" || t == "favours_treatment" || t == "research" || t == "treatment")
    return hr_direction::favours_research;
  if (t == "favours_control" || t == "control") return hr_direction::favours_control;
  return std::nullopt;
}

expected<hr_summary> hr_from_ci(double hr, double lower, double upper, double level) {
  if (!(level > 0 && level < 100)) {
    return fail(errc::input_bad_ci_level,
                fmt::format("the CI level is {}, but must lie between 0 and 100 (e.g. 95)", level));
  }
  if (!positive(hr) || !positive(lower) || !positive(upper)) {
    return bad(fmt::format("HR {} ({}, {}): a hazard ratio and its limits must be finite and > 0",
                           hr, lower, upper));
  }
  if (!(lower < upper)) {
    return bad(
        fmt::format("HR {} ({}, {}): the lower limit must be below the upper", hr, lower, upper));
  }
  if (hr < lower || hr > upper) {
    return bad(fmt::format("HR {} lies outside its CI ({}, {})", hr, lower, upper));
  }
  // Parmar eq. 7: the CI is symmetric on the log scale, ln U - ln L = 2 z SE.
  const double z = detail::qnorm_upper((1 - level / 100) / 2);
  const double lo = std::log(lower), hi = std::log(upper), y = std::log(hr);
  const double se = (hi - lo) / (2 * z);
  hr_summary s = from_loghr_and_v(y, 1 / (se * se), hr_method::ci);
  // Rounded limits make the two halves differ; more than 10% suggests a CI not built on ln HR.
  const double left = y - lo, right = hi - y;
  if (std::fabs(left - right) > 0.1 * std::max(left, right)) {
    s.notes.push_back(fmt::format(
        "the CI is asymmetric on the log scale (ln HR - ln L = {:.4f}, ln U - ln HR = {:.4f}); "
        "the SE is taken from the whole width",
        left, right));
  }
  return s;
}

expected<hr_summary> hr_from_loghr_se(double loghr, double se) {
  if (!std::isfinite(loghr)) return bad(fmt::format("ln HR is {}, but must be finite", loghr));
  if (!positive(se)) return bad(fmt::format("the SE is {}, but must be finite and > 0", se));
  return from_loghr_and_v(loghr, 1 / (se * se), hr_method::loghr_se);
}

expected<hr_summary> hr_from_p(double hr, double p) {
  if (!positive(hr)) return bad(fmt::format("the HR is {}, but must be finite and > 0", hr));
  if (hr == 1) {
    return bad("the HR is 1: with a p-value it gives no standard error (0 / 0); use its CI");
  }
  auto z = z_of_p(p);
  if (!z) return unexpected(z.error());
  // Parmar eq. 7 solved for the SE: z = |ln HR| / SE.
  const double y = std::log(hr);
  const double se = std::fabs(y) / *z;
  return from_loghr_and_v(y, 1 / (se * se), hr_method::p_value);
}

expected<hr_summary> hr_from_oe_v(double o_minus_e, double v) {
  if (!std::isfinite(o_minus_e))
    return bad(fmt::format("O - E is {}, but must be finite", o_minus_e));
  if (!positive(v)) return bad(fmt::format("V is {}, but must be finite and > 0", v));
  // Parmar eq. 4 and 6: ln HR = (O - E) / V, var = 1 / V.
  return from_loghr_and_v(o_minus_e / v, v, hr_method::oe_v);
}

expected<hr_summary> hr_from_observed_expected(double observed_research, double expected_research,
                                               double observed_control, double expected_control) {
  for (double x : {observed_research, expected_research, observed_control, expected_control}) {
    if (!positive(x)) {
      return bad(fmt::format("observed and expected events ({}, {}; {}, {}) must be finite and > 0",
                             observed_research, expected_research, observed_control,
                             expected_control));
    }
  }
  // Parmar eq. 3 and 5.
  const double y =
      std::log((observed_research / expected_research) / (observed_control / expected_control));
  const double var = 1 / expected_research + 1 / expected_control;
  return from_loghr_and_v(y, 1 / var, hr_method::observed_expected);
}

expected<hr_summary> hr_from_logrank_chisq(double chisq, double v, hr_direction direction) {
  if (!(std::isfinite(chisq) && chisq >= 0)) {
    return bad(fmt::format("the log-rank chi-square is {}, but must be finite and >= 0", chisq));
  }
  if (!positive(v)) return bad(fmt::format("V is {}, but must be finite and > 0", v));
  // chi^2 = (O - E)^2 / V, so |O - E| = sqrt(chi^2 V) and z = sqrt(chi^2).
  return from_z_and_v(std::sqrt(chisq), v, direction, hr_method::logrank_chisq);
}

expected<hr_summary> hr_from_logrank_chisq_oe(double chisq, double o_minus_e) {
  if (!positive(chisq)) {
    return bad(fmt::format(
        "the log-rank chi-square is {}, but must be finite and > 0 to give V from O - E", chisq));
  }
  if (!std::isfinite(o_minus_e) || o_minus_e == 0) {
    return bad(fmt::format("O - E is {}, but must be finite and non-zero beside a chi-square of {}",
                           o_minus_e, chisq));
  }
  // chi^2 = (O - E)^2 / V (Tierney 2007), so V = (O - E)^2 / chi^2; ln HR = (O - E) / V.
  const double v = o_minus_e * o_minus_e / chisq;
  return from_loghr_and_v(o_minus_e / v, v, hr_method::logrank_chisq);
}

expected<hr_summary> hr_from_p_events(double p, double events_total, double n_research,
                                      double n_control, hr_direction direction) {
  auto z = z_of_p(p);
  if (!z) return unexpected(z.error());
  if (!positive(events_total) || !positive(n_research) || !positive(n_control)) {
    return bad(fmt::format("events {} and arm sizes {} and {} must be finite and > 0", events_total,
                           n_research, n_control));
  }
  if (events_total > n_research + n_control) {
    return bad(fmt::format("{} events among {} randomised patients", events_total,
                           n_research + n_control));
  }
  // Tierney 2007: V = O n_r n_c / (n_r + n_c)^2 (O / 4 for 1:1), exact when HR = 1.
  const double n = n_research + n_control;
  const double v = events_total * n_research * n_control / (n * n);
  return from_z_and_v(*z, v, direction, hr_method::p_events);
}

expected<hr_summary> hr_from_p_arm_events(double p, double events_research, double events_control,
                                          hr_direction direction) {
  auto z = z_of_p(p);
  if (!z) return unexpected(z.error());
  if (!positive(events_research) || !positive(events_control)) {
    return bad(fmt::format("events per arm ({}, {}) must be finite and > 0", events_research,
                           events_control));
  }
  // var ln HR = 1/O_r + 1/O_c, so V = O_r O_c / (O_r + O_c).
  const double v = events_research * events_control / (events_research + events_control);
  return from_z_and_v(*z, v, direction, hr_method::p_arm_events);
}

}  // namespace srma
