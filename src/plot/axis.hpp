// Axes for the figures (private): readable tick values on a log axis for ratios (1, 2, 5 and
// their reciprocals and similar ladders, never exp of round logs) and on a linear axis, and the
// mapping from values to positions.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace srma::detail {

/// A numeric axis. Values are on the analysis scale (log for ratio measures).
struct axis_scale {
  bool log = false;  ///< Ratio axis: analysis values are logs, ticks are shown exponentiated.
  double lo = 0;     ///< Axis limits, analysis scale.
  double hi = 1;
  double x0 = 0;  ///< Positions of lo and hi (points).
  double x1 = 1;
  std::vector<double> ticks;        ///< Analysis scale, increasing.
  std::vector<std::string> labels;  ///< Display scale, e.g. "0.5", "1", "2".

  [[nodiscard]] double position(double v) const { return x0 + (v - lo) / (hi - lo) * (x1 - x0); }
  [[nodiscard]] bool contains(double v) const { return v >= lo - 1e-12 && v <= hi + 1e-12; }
};

/// Text width of a tick label, in points (from the text measurer).
using label_width_fn = std::function<double(const std::string&)>;

/// Which ends of an axis the user fixed.
struct axis_limits {
  bool fixed_lo = false;
  bool fixed_hi = false;
  /// A free lower end never goes below this (analysis scale): 0 for a quantity that cannot be
  /// negative (tau^2, Q, a weight), so that padding never draws an axis running to -1.
  double floor = -std::numeric_limits<double>::infinity();
};

/// Ticks and limits for data spanning [lo, hi] (analysis scale), drawn over `length` points:
/// the finest ladder whose labels, `min_gap` points apart, fit and that has at most `max_ticks`
/// ticks. A free end moves out to the next tick of the ladder; a fixed end stays where it is and
/// is labelled itself (ladder ticks too close to it are dropped). A range narrower than 10^-10
/// of its magnitude (identical values up to rounding) is drawn as a single value.
axis_scale make_axis(bool log, double lo, double hi, double length, const label_width_fn& width,
                     double min_gap, int max_ticks, axis_limits limits = {});

/// A tick value for people: "0.25", "1", "10", "0.001" (no exponent, no trailing zeros).
std::string format_tick(double display_value);

/// Unicode superscripts for a power of ten: "10⁶", "10⁻¹²".
std::string power_of_ten(long long exponent);

/// Replaces the hyphen of negative numbers with a minus sign (U+2212) for typesetting.
std::string typeset_minus(std::string s);

}  // namespace srma::detail
