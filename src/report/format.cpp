#include "srma/report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace srma {

std::string format_fixed(double x, int decimals) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  std::string s = fmt::format("{:.{}f}", x, decimals);
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string format_p(double p) {
  if (std::isnan(p)) return "NA";
  if (p < 0.001) return "< 0.001";
  if (p > 0.99) return "> 0.99";
  if (p < 0.01) return fmt::format("{:.3f}", p);
  return fmt::format("{:.2f}", p);
}

std::string format_p_clause(double p) {
  const std::string s = format_p(p);
  if (s.front() == '<' || s.front() == '>') return "p " + s;
  return "p = " + s;
}

std::string format_effect(effect_measure m, double y, int decimals,
                          const display_context& context) {
  return format_fixed(to_display(m, y, context), decimals);
}

std::string format_interval(effect_measure m, double lo, double hi, int decimals,
                            const display_context& context) {
  return fmt::format("[{}, {}]", format_effect(m, lo, decimals, context),
                     format_effect(m, hi, decimals, context));
}

std::string format_level(double level) { return fmt::format("{:g}", level); }

int display_decimals(effect_measure m, double display_value) {
  switch (m) {
    case effect_measure::proportion:
    case effect_measure::proportion_log:
    case effect_measure::proportion_logit:
    case effect_measure::proportion_arcsine:
    case effect_measure::proportion_ft:
      return 3;
    case effect_measure::incidence_rate:
    case effect_measure::incidence_rate_log:
    case effect_measure::rate_difference: {
      const double a = std::fabs(display_value);
      if (!std::isfinite(a) || a == 0) return 2;
      return std::clamp(static_cast<int>(std::ceil(-std::log10(a))) + 2, 2, 8);
    }
    default:
      return 2;
  }
}

namespace {
// "0.43–0.55", but "−36.32 to 6.11": a dash between signed numbers reads as a minus.
std::string range_text(effect_measure m, double lo, double hi, int decimals,
                       const display_context& context) {
  const std::string a = format_effect(m, lo, decimals, context),
                    b = format_effect(m, hi, decimals, context);
  if (a.front() == '-' || b.front() == '-') return a + " to " + b;
  return a + "\u2013" + b;
}
}  // namespace

std::string format_effect_ci(effect_measure m, double est, double lo, double hi, double level,
                             int decimals, const display_context& context) {
  return fmt::format("{} ({}% CI {})", format_effect(m, est, decimals, context),
                     format_level(level), range_text(m, lo, hi, decimals, context));
}

std::string format_effect_ci_with(effect_measure m, double est, double lo, double hi, double level,
                                  const std::string& extra, int decimals,
                                  const display_context& context) {
  return fmt::format("{} ({}% CI {}; {})", format_effect(m, est, decimals, context),
                     format_level(level), range_text(m, lo, hi, decimals, context), extra);
}

std::string_view heterogeneity_words(double i2) {
  if (std::isnan(i2)) return "not estimable";
  if (i2 < 30) return "low";
  if (i2 < 50) return "moderate";
  if (i2 < 75) return "substantial";
  return "considerable";
}

std::string format_percent(double x, int decimals) {
  if (std::isnan(x)) return "NA";
  return format_fixed(x, decimals) + "%";
}

}  // namespace srma
