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

// Decade ladders for very wide ranges: every 1, 2, 3, ... decades.
std::vector<double> ratio_candidates(std::size_t ladder, double lo, double hi) {
  std::vector<double> out;
  const int d0 = static_cast<int>(std::floor(lo / std::log(10.0))) - 1;
  const int d1 = static_cast<int>(std::ceil(hi / std::log(10.0))) + 1;
  if (ladder < ratio_ladders.size()) {
    for (int d = d0; d <= d1; ++d) {
      for (double m : ratio_ladders[ladder]) out.push_back(std::log(m) + d * std::log(10.0));
    }
  } else {
    const int every = static_cast<int>(ladder - ratio_ladders.size()) + 2;
    for (int d = d0 - every; d <= d1 + every; ++d) {
      if (d % every == 0) out.push_back(d * std::log(10.0));
    }
  }
  return out;
}

std::vector<double> linear_candidates(double step, double lo, double hi) {
  std::vector<double> out;
  const auto i0 = static_cast<long long>(std::floor(lo / step)) - 1;
  const auto i1 = static_cast<long long>(std::ceil(hi / step)) + 1;
  for (long long i = i0; i <= i1; ++i) out.push_back(static_cast<double>(i) * step);
  return out;
}

}  // namespace

std::string format_tick(double v) {
  if (std::abs(v) < 1e-12) return "0";
  std::string s = fmt::format("{:.6f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return typeset_minus(s);
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
  if (hi <= lo) {
    // A single value: open a small window around it.
    const double pad = log ? std::log(2.0) : (std::abs(lo) > 0 ? std::abs(lo) * 0.5 : 1.0);
    if (!limits.fixed_lo) lo -= pad;
    if (!limits.fixed_hi) hi += pad;
  }
  auto label_of = [&](double t) { return format_tick(log ? std::exp(t) : t); };
  std::size_t n_ladders = log ? ratio_ladders.size() + 6 : 0;
  std::vector<double> steps;
  if (!log) {
    // 1, 2, 5 x 10^n from well below to above the range.
    const double e = std::floor(std::log10(hi - lo)) - 3;
    for (int k = 0; k < 8; ++k) {
      for (double m : {1.0, 2.0, 5.0}) steps.push_back(m * std::pow(10.0, e + k));
    }
    n_ladders = steps.size();
  }
  for (std::size_t ladder = 0; ladder < n_ladders; ++ladder) {
    const auto cand =
        log ? ratio_candidates(ladder, lo, hi) : linear_candidates(steps[ladder], lo, hi);
    axis_scale a;
    a.log = log;
    a.lo = lo;
    a.hi = hi;
    const double eps = 1e-9 * std::max(1.0, hi - lo);
    if (!limits.fixed_lo) {
      auto below =
          std::find_if(cand.rbegin(), cand.rend(), [&](double c) { return c <= lo + eps; });
      if (below == cand.rend()) continue;
      a.lo = *below;
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
  axis_scale a;
  a.log = log;
  a.lo = lo;
  a.hi = hi;
  a.x0 = 0;
  a.x1 = length;
  a.ticks = {lo, hi};
  for (double t : a.ticks) a.labels.push_back(label_of(t));
  return a;
}

}  // namespace srma::detail
