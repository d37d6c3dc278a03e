#include "srma/data/effect_size.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <vector>

#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

// How the display scale follows from the analysis scale.
enum class transform { identity, exp, expit, sin2, miller, tanh };

struct measure_info {
  effect_measure m;
  std::string_view code;
  std::string_view name;
  std::string_view display;  // column header of display values
  std::string_view scale;    // analysis scale when it is not the display scale
  transform t;
  double null;
};

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<measure_info, 20> k_measures = {{
    {effect_measure::generic, "GEN", "effect", "Estimate", "", transform::identity, 0},
    {effect_measure::hazard_ratio, "HR", "hazard ratio", "HR", "log", transform::exp, 1},
    {effect_measure::odds_ratio, "OR", "odds ratio", "OR", "log", transform::exp, 1},
    {effect_measure::risk_ratio, "RR", "risk ratio", "RR", "log", transform::exp, 1},
    {effect_measure::risk_difference, "RD", "risk difference", "RD", "", transform::identity, 0},
    {effect_measure::mean_difference, "MD", "mean difference", "MD", "", transform::identity, 0},
    {effect_measure::std_mean_difference, "SMD", "standardised mean difference", "SMD", "",
     transform::identity, 0},
    {effect_measure::proportion, "PR", "proportion", "Proportion", "", transform::identity, k_nan},
    {effect_measure::proportion_log, "PLN", "proportion", "Proportion", "log", transform::exp,
     k_nan},
    {effect_measure::proportion_logit, "PLO", "proportion", "Proportion", "logit", transform::expit,
     k_nan},
    {effect_measure::proportion_arcsine, "PAS", "proportion", "Proportion", "arcsine",
     transform::sin2, k_nan},
    {effect_measure::proportion_ft, "PFT", "proportion", "Proportion", "double arcsine",
     transform::miller, k_nan},
    {effect_measure::correlation, "COR", "correlation", "Correlation", "", transform::identity, 0},
    {effect_measure::fisher_z, "ZCOR", "correlation", "Correlation", "Fisher's z", transform::tanh,
     0},
    {effect_measure::incidence_rate, "IR", "incidence rate", "Rate", "", transform::identity,
     k_nan},
    {effect_measure::incidence_rate_log, "IRLN", "incidence rate", "Rate", "log", transform::exp,
     k_nan},
    {effect_measure::rate_ratio, "IRR", "incidence rate ratio", "IRR", "log", transform::exp, 1},
    {effect_measure::rate_difference, "IRD", "incidence rate difference", "IRD", "",
     transform::identity, 0},
    {effect_measure::ratio_of_means, "ROM", "ratio of means", "ROM", "log", transform::exp, 1},
    {effect_measure::std_mean_difference_h, "SMDH", "standardised mean difference", "SMDH", "",
     transform::identity, 0},
}};

const measure_info& info(effect_measure m) {
  for (const auto& i : k_measures)
    if (i.m == m) return i;
  return k_measures[0];
}

unexpected wrong_measure(effect_measure m, std::string_view input, std::string_view allowed) {
  return fail(errc::input_measure_mismatch,
              fmt::format("measure {} cannot be computed from {} (use {})", measure_code(m), input,
                          allowed));
}

// Miller (1978), as metafor's transf.ipft: the proportion whose double arcsine with n is t.
double miller_inverse(double y, double n) {
  if (!std::isfinite(n)) {
    // The large-n limit of Miller's formula: 1/2 (1 - cos 2y) = sin^2 y.
    if (y <= 0) return 0;
    if (y >= std::asin(1.0)) return 1;
    const double s = std::sin(y);
    return s * s;
  }
  if (y > freeman_tukey(1, n)) return 1;
  if (y < freeman_tukey(0, n)) return 0;
  const double s = std::sin(2 * y), c = std::cos(2 * y);
  const double inner = s + (s - 1 / s) / n;
  const double sign = c > 0 ? 1.0 : (c < 0 ? -1.0 : 0.0);
  return 0.5 * (1 - sign * std::sqrt(1 - inner * inner));
}

double harmonic_mean(std::span<const double> n) {
  double s = 0;
  std::size_t k = 0;
  for (double x : n) {
    if (!std::isfinite(x) || !(x > 0)) continue;
    s += 1 / x;
    ++k;
  }
  return k ? static_cast<double>(k) / s : k_nan;
}

}  // namespace

std::string_view measure_code(effect_measure m) { return info(m).code; }
std::string_view measure_name(effect_measure m) { return info(m).name; }
std::string_view display_label(effect_measure m) { return info(m).display; }
std::string_view analysis_scale_name(effect_measure m) { return info(m).scale; }

bool is_ratio(effect_measure m) {
  return m == effect_measure::hazard_ratio || m == effect_measure::odds_ratio ||
         m == effect_measure::risk_ratio || m == effect_measure::rate_ratio ||
         m == effect_measure::ratio_of_means;
}

bool has_display_transform(effect_measure m) { return info(m).t != transform::identity; }

bool display_log_axis(effect_measure m) { return is_ratio(m); }

std::optional<effect_measure> parse_measure(std::string_view code) {
  for (const auto& i : k_measures)
    if (detail::iequals(i.code, code)) return i.m;
  if (detail::iequals(code, "generic")) return effect_measure::generic;
  return std::nullopt;
}

std::string measure_codes_text() {
  std::string out;
  for (const auto& i : k_measures) {
    if (i.m == effect_measure::generic) continue;
    out += std::string(i.code) + ", ";
  }
  return out + "GEN";
}

double null_value(effect_measure m) { return info(m).null; }

double freeman_tukey(double p, double n) {
  const double x = p * n;
  return 0.5 * (std::asin(std::sqrt(x / (n + 1))) + std::asin(std::sqrt((x + 1) / (n + 1))));
}

double to_display(effect_measure m, double y, const display_context& context) {
  if (std::isnan(y)) return y;
  switch (info(m).t) {
    case transform::identity:
      return y;
    case transform::exp:
      return std::exp(y);
    case transform::expit:
      return y >= 0 ? 1 / (1 + std::exp(-y)) : std::exp(y) / (1 + std::exp(y));
    case transform::sin2: {
      // metafor's transf.iarcsin: 0 below 0, 1 above asin(1).
      if (y < 0) return 0;
      if (y > std::asin(1.0)) return 1;
      const double s = std::sin(y);
      return s * s;
    }
    case transform::miller:
      return miller_inverse(y, context.n);
    case transform::tanh:
      return std::tanh(y);
  }
  return y;
}

double from_display(effect_measure m, double x, const display_context& context) {
  if (std::isnan(x)) return x;
  switch (info(m).t) {
    case transform::identity:
      return x;
    case transform::exp:
      return x < 0 ? k_nan : std::log(x);
    case transform::expit:
      return x < 0 || x > 1 ? k_nan : std::log(x / (1 - x));
    case transform::sin2:
      return x < 0 || x > 1 ? k_nan : std::asin(std::sqrt(x));
    case transform::miller:
      if (x < 0 || x > 1) return k_nan;
      return std::isfinite(context.n) ? freeman_tukey(x, context.n) : std::asin(std::sqrt(x));
    case transform::tanh:
      return x < -1 || x > 1 ? k_nan : std::atanh(x);
  }
  return x;
}

display_context display_context_from_vi(effect_measure m, std::span<const double> vi) {
  display_context c;
  if (m != effect_measure::proportion_ft) return c;
  std::vector<double> n;
  n.reserve(vi.size());
  for (double v : vi) n.push_back((1 / v - 2) / 4);
  c.n = harmonic_mean(n);
  return c;
}

display_context display_context_from_n(effect_measure m, std::span<const double> n) {
  display_context c;
  if (m == effect_measure::proportion_ft) c.n = harmonic_mean(n);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Zero cells.

std::string_view to_string(zero_cell_to t) {
  switch (t) {
    case zero_cell_to::only0:
      return "only0";
    case zero_cell_to::all:
      return "all";
    case zero_cell_to::if0all:
      return "if0all";
    case zero_cell_to::none:
      return "none";
  }
  return "only0";
}

std::optional<zero_cell_to> parse_zero_cell_to(std::string_view text) {
  for (auto t : {zero_cell_to::only0, zero_cell_to::all, zero_cell_to::if0all, zero_cell_to::none})
    if (text == to_string(t)) return t;
  return std::nullopt;
}

std::string_view to_string(double_zero_policy p) {
  switch (p) {
    case double_zero_policy::keep:
      return "keep";
    case double_zero_policy::drop:
      return "drop";
    case double_zero_policy::ratios:
      return "ratios";
  }
  return "ratios";
}

std::optional<double_zero_policy> parse_double_zero_policy(std::string_view text) {
  if (text == "keep" || text == "false") return double_zero_policy::keep;
  if (text == "drop" || text == "true") return double_zero_policy::drop;
  if (text == "ratios") return double_zero_policy::ratios;
  return std::nullopt;
}

std::string zero_cell_rule::validate() const {
  if (!(std::isfinite(add) && add >= 0))
    return fmt::format("the zero-cell correction is {}, but must be finite and >= 0", add);
  return {};
}

zero_cell_rule srma_zero_cells() { return {}; }

zero_cell_rule escalc_zero_cells() {
  return {.add = 0.5, .to = zero_cell_to::only0, .double_zero = double_zero_policy::keep};
}

zero_cell_rule revman5_zero_cells() {
  return {.add = 0.5, .to = zero_cell_to::only0, .double_zero = double_zero_policy::ratios};
}

bool drops_double_zero(const zero_cell_rule& rule, effect_measure m) {
  switch (rule.double_zero) {
    case double_zero_policy::keep:
      return false;
    case double_zero_policy::drop:
      return true;
    case double_zero_policy::ratios:
      return m == effect_measure::odds_ratio || m == effect_measure::risk_ratio ||
             m == effect_measure::rate_ratio;
  }
  return false;
}

bool is_double_zero_2x2(double events_t, double n_t, double events_c, double n_c) {
  return (events_t == 0 && events_c == 0) || (events_t == n_t && events_c == n_c);
}

bool corrects(const zero_cell_rule& rule, bool has_zero, bool any_zero) {
  switch (rule.to) {
    case zero_cell_to::only0:
      return has_zero;
    case zero_cell_to::all:
      return true;
    case zero_cell_to::if0all:
      return any_zero || has_zero;
    case zero_cell_to::none:
      return false;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Effects.

double z_for_level(double level_percent) {
  return detail::qnorm_upper((1.0 - level_percent / 100.0) / 2.0);
}

effect effect_from_ratio_ci(double ratio, double lower, double upper, double level_percent) {
  const double se = (std::log(upper) - std::log(lower)) / (2.0 * z_for_level(level_percent));
  return {std::log(ratio), se * se, false};
}

effect effect_from_oe_v(double o_minus_e, double v) { return {o_minus_e / v, 1.0 / v, false}; }

expected<effect> effect_from_2x2(double events_t, double n_t, double events_c, double n_c,
                                 effect_measure m, const zero_cell_rule& rule, bool any_zero) {
  if (!(n_t > 0) || !(n_c > 0)) return fail(errc::input_bad_2x2, "group sizes must be > 0");
  if (events_t < 0 || events_c < 0) return fail(errc::input_bad_2x2, "event counts must be >= 0");
  if (events_t > n_t || events_c > n_c)
    return fail(errc::input_bad_2x2, "event counts cannot exceed the group size");
  if (m != effect_measure::odds_ratio && m != effect_measure::risk_ratio &&
      m != effect_measure::risk_difference)
    return wrong_measure(m, "a 2x2 table", "OR, RR or RD");
  double a = events_t, b = n_t - events_t, c = events_c, d = n_c - events_c;
  const bool zero = a == 0 || b == 0 || c == 0 || d == 0;
  effect e;
  if (corrects(rule, zero, any_zero) && rule.add > 0) {
    // escalc(add, to): `add` is added to all four cells of a corrected table.
    a += rule.add;
    b += rule.add;
    c += rule.add;
    d += rule.add;
    e.zero_cell_corrected = true;
  }
  const double n1 = a + b, n2 = c + d;
  if (m == effect_measure::odds_ratio) {
    e.yi = std::log(a / b) - std::log(c / d);
    e.vi = 1 / a + 1 / b + 1 / c + 1 / d;
  } else if (m == effect_measure::risk_ratio) {
    e.yi = std::log(a / n1) - std::log(c / n2);
    e.vi = 1 / a - 1 / n1 + 1 / c - 1 / n2;
  } else {
    const double p1 = a / n1, p2 = c / n2;
    e.yi = p1 - p2;
    e.vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
  }
  return e;
}

expected<effect> effect_from_means(double m1, double sd1, double n1, double m2, double sd2,
                                   double n2, effect_measure m) {
  if (m != effect_measure::mean_difference && m != effect_measure::std_mean_difference &&
      m != effect_measure::std_mean_difference_h && m != effect_measure::ratio_of_means)
    return wrong_measure(m, "means", "MD, SMD, SMDH or ROM");
  if (!(sd1 > 0) || !(sd2 > 0))
    return fail(errc::input_bad_means, "standard deviations must be > 0");
  if (!(n1 >= 2) || !(n2 >= 2)) return fail(errc::input_bad_means, "group sizes must be >= 2");
  effect e;
  if (m == effect_measure::mean_difference) {
    e.yi = m1 - m2;
    e.vi = sd1 * sd1 / n1 + sd2 * sd2 / n2;
    return e;
  }
  if (m == effect_measure::ratio_of_means) {
    if (!(m1 > 0) || !(m2 > 0))
      return fail(errc::input_bad_means, "means must be > 0 for a ratio of means");
    e.yi = std::log(m1 / m2);
    e.vi = sd1 * sd1 / (n1 * m1 * m1) + sd2 * sd2 / (n2 * m2 * m2);
    return e;
  }
  const double df = n1 + n2 - 2;
  // Exact small-sample correction (Hedges 1981), on the log scale to avoid Gamma overflow.
  const double cm =
      std::exp(std::lgamma(df / 2) - std::log(std::sqrt(df / 2)) - std::lgamma((df - 1) / 2));
  const double v1 = sd1 * sd1, v2 = sd2 * sd2;
  if (m == effect_measure::std_mean_difference_h) {
    // Bonett (2009): the SDs are averaged, not pooled; metafor's vtype "LS".
    const double s2 = (v1 + v2) / 2;
    e.yi = cm * (m1 - m2) / std::sqrt(s2);
    const double v =
        e.yi * e.yi * (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1)) / (2 * (v1 + v2) * (v1 + v2)) +
        (v1 / (n1 - 1) + v2 / (n2 - 1)) / s2;
    e.vi = cm * cm * v;
    return e;
  }
  const double sp = std::sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df);
  e.yi = cm * (m1 - m2) / sp;
  e.vi = 1 / n1 + 1 / n2 + e.yi * e.yi / (2 * (n1 + n2));
  return e;
}

expected<effect> effect_from_proportion(double events, double n, effect_measure m,
                                        const zero_cell_rule& rule, bool any_zero) {
  if (m != effect_measure::proportion && m != effect_measure::proportion_log &&
      m != effect_measure::proportion_logit && m != effect_measure::proportion_arcsine &&
      m != effect_measure::proportion_ft)
    return wrong_measure(m, "a single proportion", "PR, PLN, PLO, PAS or PFT");
  if (!(n > 0)) return fail(errc::input_bad_2x2, "the sample size must be > 0");
  if (!(events >= 0)) return fail(errc::input_bad_2x2, "the number of events must be >= 0");
  if (events > n) return fail(errc::input_bad_2x2, "events cannot exceed the sample size");
  double x = events, rest = n - events;
  effect e;
  const bool stabilised =
      m == effect_measure::proportion_arcsine || m == effect_measure::proportion_ft;
  if (!stabilised && corrects(rule, x == 0 || rest == 0, any_zero) && rule.add > 0) {
    x += rule.add;
    rest += rule.add;
    e.zero_cell_corrected = true;
  }
  const double ni = x + rest, p = x / ni;
  switch (m) {
    case effect_measure::proportion:
      e.yi = p;
      e.vi = p * (1 - p) / ni;
      break;
    case effect_measure::proportion_log:
      e.yi = std::log(p);
      e.vi = 1 / x - 1 / ni;
      break;
    case effect_measure::proportion_logit:
      e.yi = std::log(x / rest);
      e.vi = 1 / x + 1 / rest;
      break;
    case effect_measure::proportion_arcsine:
      e.yi = std::asin(std::sqrt(p));
      e.vi = 1 / (4 * ni);
      break;
    default:  // proportion_ft
      e.yi = 0.5 * (std::asin(std::sqrt(x / (ni + 1))) + std::asin(std::sqrt((x + 1) / (ni + 1))));
      e.vi = 1 / (4 * ni + 2);
      break;
  }
  return e;
}

expected<effect> effect_from_correlation(double r, double n, effect_measure m) {
  if (m != effect_measure::correlation && m != effect_measure::fisher_z)
    return wrong_measure(m, "a correlation", "COR or ZCOR");
  if (!(r >= -1 && r <= 1))
    return fail(errc::input_out_of_range, "a correlation must lie between -1 and 1");
  effect e;
  if (m == effect_measure::correlation) {
    if (!(n > 1)) return fail(errc::input_out_of_range, "the sample size must be > 1");
    e.yi = r;
    e.vi = (1 - r * r) * (1 - r * r) / (n - 1);
    return e;
  }
  if (!(r > -1 && r < 1))
    return fail(errc::input_out_of_range,
                "a correlation of -1 or 1 has no Fisher's z (it is infinite)");
  if (!(n > 3)) return fail(errc::input_out_of_range, "the sample size must be > 3 for Fisher's z");
  e.yi = std::atanh(r);
  e.vi = 1 / (n - 3);
  return e;
}

expected<effect> effect_from_rate(double events, double time, effect_measure m,
                                  const zero_cell_rule& rule, bool any_zero) {
  if (m != effect_measure::incidence_rate && m != effect_measure::incidence_rate_log)
    return wrong_measure(m, "one incidence rate", "IR or IRLN");
  if (!(events >= 0)) return fail(errc::input_bad_2x2, "the number of events must be >= 0");
  if (!(time > 0)) return fail(errc::input_out_of_range, "the person-time must be > 0");
  double x = events;
  effect e;
  if (corrects(rule, x == 0, any_zero) && rule.add > 0) {
    x += rule.add;
    e.zero_cell_corrected = true;
  }
  const double ir = x / time;
  if (m == effect_measure::incidence_rate) {
    e.yi = ir;
    e.vi = ir / time;
  } else {
    e.yi = std::log(ir);
    e.vi = 1 / x;
  }
  return e;
}

expected<effect> effect_from_rates(double events_t, double time_t, double events_c, double time_c,
                                   effect_measure m, const zero_cell_rule& rule, bool any_zero) {
  if (m != effect_measure::rate_ratio && m != effect_measure::rate_difference)
    return wrong_measure(m, "two incidence rates", "IRR or IRD");
  if (!(events_t >= 0) || !(events_c >= 0))
    return fail(errc::input_bad_2x2, "the numbers of events must be >= 0");
  if (!(time_t > 0) || !(time_c > 0))
    return fail(errc::input_out_of_range, "the person-times must be > 0");
  double x1 = events_t, x2 = events_c;
  effect e;
  if (corrects(rule, x1 == 0 || x2 == 0, any_zero) && rule.add > 0) {
    x1 += rule.add;
    x2 += rule.add;
    e.zero_cell_corrected = true;
  }
  const double ir1 = x1 / time_t, ir2 = x2 / time_c;
  if (m == effect_measure::rate_ratio) {
    e.yi = std::log(ir1) - std::log(ir2);
    e.vi = 1 / x1 + 1 / x2;
  } else {
    e.yi = ir1 - ir2;
    e.vi = ir1 / time_t + ir2 / time_c;
  }
  return e;
}

}  // namespace srma
