// Numbers in figures: the one rule of figure_format.hpp.
#include "figure_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "axis.hpp"

namespace srma::detail {
namespace {

// "7.22×10⁷" for |x| >= 10^5 or a tiny non-zero |x|: `digits` significant digits.
std::string power_form(double x, int digits) {
  const double ax = std::abs(x);
  auto e = static_cast<long long>(std::floor(std::log10(ax)));
  double m = ax / std::pow(10.0, static_cast<double>(e));
  const double scale = std::pow(10.0, digits - 1);
  m = std::round(m * scale) / scale;
  if (m >= 10) {
    m /= 10;
    ++e;
  }
  return fmt::format("{}{:.{}f}\u00d7{}", x < 0 ? "\u2212" : "", m, digits - 1, power_of_ten(e));
}

// Thin spaces between groups of three digits of the integer part of a formatted number.
std::string group_thousands(const std::string& s) {
  const std::size_t start = s[0] == '-' ? 1 : 0;
  std::size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  if (end - start < 5) return s;  // 1000 to 9999 stay as they are
  std::string out = s.substr(0, start);
  for (std::size_t i = start; i < end; ++i) {
    if (i > start && (end - i) % 3 == 0) out += "\u2009";
    out += s[i];
  }
  out += s.substr(end);
  return out;
}

}  // namespace

std::string figure_number(double x, int decimals) {
  if (!std::isfinite(x)) return figure_undefined;
  decimals = std::clamp(decimals, 0, 12);
  const double ax = std::abs(x);
  if (ax >= 1e5) return power_form(x, 3);
  if (x != 0 && ax < 0.5 * std::pow(10.0, -decimals)) {
    // Would print as zero: two significant digits instead (a ratio limit of 0.00041).
    if (ax < 1e-4) return power_form(x, 2);
    decimals = static_cast<int>(std::ceil(-std::log10(ax))) + 1;
  } else if (ax >= 1000) {
    decimals = 0;
  }
  std::string s = fmt::format("{:.{}f}", x, decimals);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return typeset_minus(group_thousands(s));
}

std::string figure_effect(effect_measure m, double y, int decimals,
                          const display_context& context) {
  return figure_number(to_display(m, y, context), decimals);
}

int tau2_decimals(std::span<const double> values) {
  int d = 3;
  for (double v : values) {
    const double a = std::abs(v);
    if (std::isfinite(a) && a >= 1e-10) {
      d = std::max(d, 1 - static_cast<int>(std::floor(std::log10(a))));
    }
  }
  return std::min(d, 6);
}

std::string figure_tau2(double x, int decimals) {
  if (std::isfinite(x) && std::abs(x) < 1e-10) return "0";
  return figure_number(x, decimals);
}

std::string figure_percent(double x, int decimals) {
  if (!std::isfinite(x)) return figure_undefined;
  const double least = std::pow(10.0, -decimals);
  if (x > 0 && x < least / 2) return fmt::format("<{}%", figure_number(least, decimals));
  return figure_number(x, decimals) + "%";
}

}  // namespace srma::detail
