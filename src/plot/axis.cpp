// Tick ladders for ratio and linear axes.
#include "axis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace srma::detail {
namespace {

// Values per decade of the ratio ladders, finest first. 1-2-5 is symmetric on a log axis
// (0.2 and 5, 0.5 and 2), and so is 1-2.5-4 with 10 (0.25 and 4, 0.1 and 10).
const std::vector<std::vector<double>> ratio_ladders = {
    {1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8},
    {1, 1.5, 2, 3, 5, 7},
    {1, 2, 5},
    {1, 2.5, 4},
    {1, 3},
    {1},
};

const double ln10 = std::log(10.0);

// Beyond this many decades a ratio axis shows powers of ten only: exp() of its ends overflows.
constexpr double max_decades = 600;

// A ladder is one way of placing ticks: a list of candidate positions (analysis scale) built
// lazily, or none when it would put more than `max_ticks` ticks into the range (so that a range
// of millions of decades or of 1e16 steps never builds a long list: issue 15 item 4).
struct ladder {
  enum class kind { display_step, ratio, decades, linear } type = kind::linear;
  double step = 0;        // display_step and linear: the step; decades: every n decades.
  std::size_t which = 0;  // ratio: index into ratio_ladders.
};

// Nice steps 1, 2, 2.5, 5 x 10^e covering e from `e0` for `n` decades.
std::vector<double> nice_steps(double e0, int n, bool with_2_5) {
  std::vector<double> out;
  for (int k = 0; k < n; ++k) {
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
      if (m == 2.5 && !with_2_5) continue;
      out.push_back(m * std::pow(10.0, e0 + k));
    }
  }
  return out;
}

// The ladders of an axis over [lo, hi], finest first.
std::vector<ladder> ladders_for(bool log, double lo, double hi, int max_ticks) {
  std::vector<ladder> out;
  const auto room = static_cast<double>(max_ticks) + 2;
  if (!log) {
    // 1, 2, 5 x 10^n from well below to above the range.
    const double e = std::floor(std::log10(hi - lo)) - 3;
    for (double s : nice_steps(e, 8, false)) {
      if ((hi - lo) / s <= room) out.push_back({ladder::kind::linear, s, 0});
    }
    return out;
  }
  const double decades = (hi - lo) / ln10;
  // A narrow ratio range (within a factor of 2.2, e.g. 0.84 to 1.01) gets evenly spaced display
  // values 0.85, 0.9, 0.95, 1, 1.05 (issue 13 item 1): the decade ladders leave only 0.8 and 1.
  // Every such step divides 1, so the line of no effect is a tick.
  if (hi - lo <= std::log(2.2) && std::abs(lo) < 50 && std::abs(hi) < 50) {
    const double span = std::exp(hi) - std::exp(lo);
    for (double s : nice_steps(std::floor(std::log10(span)) - 2, 4, false)) {
      if (span / s <= room) out.push_back({ladder::kind::display_step, s, 0});
    }
  }
  if (decades <= max_decades) {
    for (std::size_t i = 0; i < ratio_ladders.size(); ++i) {
      if (decades * static_cast<double>(ratio_ladders[i].size()) <= room + 2) {
        out.push_back({ladder::kind::ratio, 0, i});
      }
    }
  }
  // Every 2, 3, 5, 10, 20, 50, ... decades: as many as it takes to stay within max_ticks.
  for (double every : {2.0, 3.0, 5.0}) {
    for (double scale = 1; scale < 1e300; scale *= 10) {
      if (decades / (every * scale) <= room) {
        out.push_back({ladder::kind::decades, every * scale, 0});
        break;
      }
    }
  }
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(out.size() - 3), out.end(),
                   [](const ladder& a, const ladder& b) { return a.step < b.step; });
  return out;
}

// The candidate ticks of a ladder from just below lo to just above hi (analysis scale).
std::vector<double> candidates(const ladder& l, double lo, double hi) {
  std::vector<double> out;
  switch (l.type) {
    case ladder::kind::linear: {
      const double i0 = std::floor(lo / l.step) - 1;
      const double i1 = std::ceil(hi / l.step) + 1;
      for (double i = i0; i <= i1; ++i) out.push_back(i * l.step);
      break;
    }
    case ladder::kind::display_step: {
      const double i0 = std::max(1.0, std::floor(std::exp(lo) / l.step) - 1);
      const double i1 = std::ceil(std::exp(hi) / l.step) + 1;
      for (double i = i0; i <= i1; ++i) out.push_back(std::log(i * l.step));
      break;
    }
    case ladder::kind::ratio: {
      const double d0 = std::floor(lo / ln10) - 1;
      const double d1 = std::ceil(hi / ln10) + 1;
      for (double d = d0; d <= d1; ++d) {
        for (double m : ratio_ladders[l.which]) out.push_back(std::log(m) + d * ln10);
      }
      break;
    }
    case ladder::kind::decades: {
      const double d0 = (std::floor(lo / ln10 / l.step) - 1) * l.step;
      const double d1 = (std::ceil(hi / ln10 / l.step) + 1) * l.step;
      for (double d = d0; d <= d1; d += l.step) out.push_back(d * ln10);
      break;
    }
  }
  return out;
}

// A number with at most six decimals, trailing zeros removed, minus typeset.
std::string plain_tick(double v) {
  if (std::abs(v) < 1e-12) return "0";
  std::string s = fmt::format("{:.6f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return typeset_minus(s);
}

// A ratio-axis label from its log: powers of ten for values beyond 10^5 or below 10^-4, so that
// neither "1000000" nor a 300-digit number is printed and exp() never overflows.
std::string log_tick_label(double t) {
  const double d = t / ln10;
  if (d >= 5 - 1e-9 || d <= -4 - 1e-9) {
    // Decades past 10^(10^15) (a log-axis end from a broken variance) cannot be cast to an
    // integer nor printed in full; "10^(1e+300)" keeps the label short and the cast defined.
    if (std::abs(d) >= 1e15) return fmt::format("10^({:.3g})", d);
    const double r = std::round(d);
    if (std::abs(d - r) <= 1e-9 * std::max(1.0, std::abs(d))) {
      return power_of_ten(static_cast<long long>(r));
    }
    const double e = std::floor(d);
    return fmt::format("{}\u00d7{}", plain_tick(std::exp((d - e) * ln10)),
                       power_of_ten(static_cast<long long>(e)));
  }
  return plain_tick(std::exp(t));
}

}  // namespace

std::string power_of_ten(long long e) {
  static const char* const digits[] = {"\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
                                       "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
  std::string s = "10";
  if (e < 0) s += "\u207b";
  for (char c : std::to_string(e < 0 ? -e : e)) s += digits[c - '0'];
  return s;
}

std::string format_tick(double v) {
  if (std::abs(v) < 1e-12) return "0";
  if (!std::isfinite(v)) return v > 0 ? "\u221e" : (v < 0 ? "\u2212\u221e" : "NaN");
  if (v > 0) return log_tick_label(std::log(v));
  if (v < -1e5 || v > -1e-4) return "\u2212" + log_tick_label(std::log(-v));
  return plain_tick(v);
}

std::string typeset_minus(std::string s) {
  std::string out;
  out.reserve(s.size() + 4);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool number_follows =
        i + 1 < s.size() && ((s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 1] == '.');
    const bool starts_number = i == 0 || s[i - 1] == ' ' || s[i - 1] == '[' || s[i - 1] == '(';
    if (s[i] == '-' && number_follows && starts_number) {
      out += "\u2212";
    } else {
      out += s[i];
    }
  }
  return out;
}

axis_scale make_axis(bool log, double lo, double hi, double length, const label_width_fn& width,
                     double min_gap, int max_ticks, axis_limits limits) {
  if (!limits.fixed_lo && !limits.fixed_hi && std::isfinite(lo) && std::isfinite(hi) &&
      hi - lo <= 1e-10 * std::max({1.0, std::abs(lo), std::abs(hi)})) {
    // Identical values up to rounding (1e-17 and -1e-17): one value, not a range of noise
    // whose ticks would all read "0" (issue 13 item 6).
    lo = hi = std::abs(lo) < 1e-10 ? 0.0 : lo;
  }
  if (hi <= lo) {
    // A single value: open a small window around it.
    const double pad = log ? std::log(2.0) : (std::abs(lo) > 0 ? std::abs(lo) * 0.5 : 1.0);
    if (!limits.fixed_lo) lo -= pad;
    if (!limits.fixed_hi) hi += pad;
  }
  if (!limits.fixed_lo && lo < limits.floor && hi > limits.floor) lo = limits.floor;
  auto label_of = [&](double t) { return log ? log_tick_label(t) : format_tick(t); };
  // Only the limits, labelled: when nothing else fits, and for ends no ladder can place.
  auto limits_only = [&] {
    axis_scale a;
    a.log = log;
    a.lo = lo;
    a.hi = hi;
    a.x0 = 0;
    a.x1 = length;
    a.ticks = {lo, hi};
    for (double t : a.ticks) a.labels.push_back(label_of(t));
    return a;
  };
  if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo) ||
      std::max(std::abs(lo), std::abs(hi)) / (hi - lo) > 1e12) {
    return limits_only();
  }
  for (const ladder& l : ladders_for(log, lo, hi, max_ticks)) {
    const auto cand = candidates(l, lo, hi);
    axis_scale a;
    a.log = log;
    a.lo = lo;
    a.hi = hi;
    const double eps = 1e-9 * std::max(1.0, hi - lo);
    if (!limits.fixed_lo) {
      auto below =
          std::find_if(cand.rbegin(), cand.rend(), [&](double c) { return c <= lo + eps; });
      if (below == cand.rend()) continue;
      a.lo = std::max(*below, limits.floor);
    }
    if (!limits.fixed_hi) {
      auto above = std::find_if(cand.begin(), cand.end(), [&](double c) { return c >= hi - eps; });
      if (above == cand.end()) continue;
      a.hi = *above;
    }
    a.x0 = 0;
    a.x1 = length;
    for (double c : cand) {
      if (c >= a.lo - eps && c <= a.hi + eps) a.ticks.push_back(c);
    }
    // A fixed end is a tick of its own; ladder ticks whose labels would crowd it give way.
    auto crowds = [&](double t, double end) {
      const double space = std::abs(a.position(t) - a.position(end));
      return space < (width(label_of(t)) + width(label_of(end))) / 2 + min_gap;
    };
    if (limits.fixed_lo) {
      std::erase_if(a.ticks, [&](double t) { return crowds(t, a.lo); });
      a.ticks.insert(a.ticks.begin(), a.lo);
    }
    if (limits.fixed_hi) {
      std::erase_if(a.ticks, [&](double t) { return crowds(t, a.hi); });
      a.ticks.push_back(a.hi);
    }
    if (static_cast<int>(a.ticks.size()) > max_ticks || a.ticks.size() < 2) continue;
    for (double t : a.ticks) a.labels.push_back(label_of(t));
    // Labels centred on their ticks must leave min_gap between neighbours.
    bool fits = true;
    for (std::size_t i = 1; i < a.ticks.size(); ++i) {
      const double space = a.position(a.ticks[i]) - a.position(a.ticks[i - 1]);
      if (space < (width(a.labels[i]) + width(a.labels[i - 1])) / 2 + min_gap) fits = false;
    }
    if (fits) return a;
  }
  // Nothing fits: only the limits, labelled.
  return limits_only();
}

}  // namespace srma::detail
