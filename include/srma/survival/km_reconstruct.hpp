// File: srma/survival/km_reconstruct.hpp
//
// Reconstruction of individual patient data from a digitised Kaplan-Meier curve (Guyot, Ades,
// Ouwens & Welton, BMC Med Res Methodol 2012;12:9): the points read off the figure, the numbers
// at risk printed under it (optional) and the total number of events (optional) are turned into
// event and censoring times whose Kaplan-Meier curve follows the points and whose numbers at
// risk match the table. The algorithm, step by step, and the pitfalls it guards against are in
// docs/methods.md ("Patient data from Kaplan-Meier curves").
//
// Points are cleaned first (clean_curve): a survival scale in percent is detected and divided by
// 100, points are sorted by time, values are clamped to [0, 1], exact duplicates are dropped, the
// curve is made non-increasing (running minimum), and the start (0, 1) is added when missing;
// every change is counted in the cleaning log. The number of adjustments of the censoring in each
// at-risk interval is bounded, so reconstruction always ends.
//
// Example:
//
//   srma::digitised_arm arm;
//   arm.name = "Pembrolizumab";
//   arm.curve = *srma::read_digitised_curve("pembro_clicks.csv");
//   arm.at_risk = *srma::read_at_risk("pembro_nar.csv");
//   auto r = srma::reconstruct_arm(arm);
//   if (r) fmt::print("{} events, max |KM - points| {:.4f}\n", r->events, r->max_abs_error);
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// Points read off one arm's curve, as given (before cleaning).
struct digitised_curve {
  std::string source;  ///< File name ("" in memory).
  std::vector<double> time;
  std::vector<double> survival;  ///< A fraction or a percentage (detected by clean_curve).
  std::vector<int> line;         ///< Source line of each point (0 in memory).
};

/// The numbers at risk printed under the figure for one arm.
struct at_risk_table {
  std::string source;
  std::vector<double> time;  ///< Increasing; the first is normally 0.
  std::vector<double> n;     ///< Whole numbers, non-increasing.
  std::vector<int> line;
};

/// Reads `time,survival` (names case-insensitive; `surv`, `s` also accepted for survival).
/// Errors: srma.survival.E904 (missing column, a value that is not a finite number, negative
/// time, a survival below 0 or above 100, fewer than two points), located at file:line:column.
[[nodiscard]] expected<digitised_curve> make_digitised_curve(const csv_table& csv);
[[nodiscard]] expected<digitised_curve> read_digitised_curve(const std::string& path);

/// Reads `time,nar` (names case-insensitive; `n`, `n_risk`, `at_risk` also accepted for nar).
/// Errors: srma.survival.E905 (missing column, a count that is not a whole number >= 0, times not
/// increasing, counts increasing, no rows), located.
[[nodiscard]] expected<at_risk_table> make_at_risk_table(const csv_table& csv);
[[nodiscard]] expected<at_risk_table> read_at_risk(const std::string& path);

/// The y axis of the digitised points.
enum class survival_scale { fraction, percent };
[[nodiscard]] std::string_view to_string(survival_scale s);  ///< "fraction", "percent"

/// What clean_curve changed.
struct cleaning_log {
  survival_scale scale = survival_scale::fraction;  ///< Percent when any value exceeds 1.5.
  std::size_t points_in = 0;
  std::size_t points_out = 0;
  bool reordered = false;              ///< Points were not in time order.
  std::size_t clamped = 0;             ///< Values moved into [0, 1] (or times below 0 to 0).
  std::size_t duplicates_dropped = 0;  ///< Repeated (time, survival) pairs.
  std::size_t made_monotone = 0;       ///< Values lowered to the running minimum.
  bool start_added = false;            ///< (0, 1) was added.
  /// One sentence per change, for the user ("3 points raised above the curve were lowered ...").
  [[nodiscard]] std::vector<std::string> messages() const;
};

/// Cleaned points: time increasing (non-decreasing: a vertical drop has two points at one time),
/// survival non-increasing in [0, 1], starting at (0, 1).
struct clean_points {
  std::vector<double> time;
  std::vector<double> survival;
  cleaning_log log;
};
[[nodiscard]] expected<clean_points> clean_curve(const digitised_curve& curve);

/// One arm to reconstruct.
struct digitised_arm {
  std::string name;
  digitised_curve curve;
  std::optional<at_risk_table> at_risk;  ///< Numbers at risk; without it `n` is required.
  std::optional<double> total_events;    ///< Total events in the arm, when reported.
  std::optional<double> n;               ///< Patients at time 0 when there is no at-risk table
                                         ///< (ignored when the table is given).
};

/// Over which span the censoring of an at-risk interval is spread evenly.
enum class censoring_span {
  /// The at-risk interval itself, [T_i, T_i+1) (as IPDfromKM does); in the last interval from
  /// its at-risk time to the last point. Patients may then be censored before the interval's
  /// first point. The default: closer to the true data in srma's simulations (docs/methods.md).
  at_risk_interval,
  /// From the interval's first point to the next interval's first point, as Guyot et al.'s
  /// published code does; in the last interval over the span of its points.
  points,
};
[[nodiscard]] std::string_view to_string(censoring_span s);  ///< "at-risk-interval", "points"
[[nodiscard]] std::optional<censoring_span> parse_censoring_span(std::string_view text);

struct reconstruct_options {
  int max_adjustments = 1000;  ///< Bound on censoring adjustments per at-risk interval.
  censoring_span span = censoring_span::at_risk_interval;
  [[nodiscard]] std::string validate() const;
};

/// One at-risk time: the number printed and the number the reconstruction has at risk.
struct at_risk_check {
  double time = 0;
  double reported = 0;
  double reconstructed = 0;
};

/// The reconstructed patients of one arm with diagnostics.
struct arm_reconstruction {
  std::string name;
  std::vector<double> time;  ///< Per patient.
  std::vector<int> event;    ///< 1 = event, 0 = censored.
  cleaning_log cleaning;
  double events = 0;                      ///< Reconstructed events.
  std::optional<double> events_reported;  ///< The total given, if any.
  double max_abs_error = 0;               ///< max over points |KM of the IPD - cleaned point|.
  std::vector<at_risk_check> at_risk;     ///< Per at-risk time used.
  std::vector<std::string> warnings;      ///< Dropped or merged intervals, a capped loop, ...
};

/// Guyot's algorithm for one arm, with the censoring of each at-risk interval spread as
/// `options.span` says. Where srma departs from the published code (docs/methods.md says why and
/// what each change measured): an at-risk interval without points gets a point on the flat curve,
/// patients at risk after the last point extend the curve flat to that at-risk time, and the
/// last interval's censoring is fitted to the points when the extrapolated rate cannot follow
/// their drops (the last two said in `warnings`). Errors: srma.survival.E904 (points unusable after
/// cleaning), srma.survival.E905 (an at-risk table that does not fit the points: a first time above
/// the first point, more patients later than earlier), srma.survival.E907 (options, or neither an
/// at-risk table nor n given, or total events above n).
[[nodiscard]] expected<arm_reconstruction> reconstruct_arm(const digitised_arm& arm,
                                                           const reconstruct_options& options = {});

/// The largest vertical distance between a step function and points: for each point (t, s),
/// min(|S(t-) - s|, |S(t) - s|), so that a point on either corner of a vertical drop lies on the
/// curve. The curve is given by its step times (increasing) and its value just after each
/// (S = 1 before the first); pairs beyond the shorter of two spans are ignored; 0 without points.
/// The CLI and the plot print it per arm between a reconstruction and its digitised points.
///
/// **Example**:
///
///     // KM 1 -> 0.8 at t = 2: (2, 1) and (2, 0.8) lie on it, (3, 0.75) is 0.05 off.
///     std::vector<double> km_t{2}, km_s{0.8}, t{2, 2, 3}, s{1, 0.8, 0.75};
///     double d = srma::max_vertical_distance(km_t, km_s, t, s);  // 0.05
[[nodiscard]] double max_vertical_distance(std::span<const double> km_time,
                                           std::span<const double> km_surv,
                                           std::span<const double> t, std::span<const double> s);

/// The arms' patients as one data set (arm names from the reconstructions, in order).
[[nodiscard]] survival_data to_survival_data(std::span<const arm_reconstruction> arms);

}  // namespace srma
