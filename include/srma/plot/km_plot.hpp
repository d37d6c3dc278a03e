// File: srma/plot/km_plot.hpp
//
// The Kaplan-Meier figure: one step curve per arm (colours of the Okabe-Ito colour-blind-safe
// palette, each with its own dash pattern so that the arms stay apart in grey), censoring ticks,
// optional pointwise confidence bands (light, step-shaped), the points digitised from a published
// figure overlaid as small open circles, the hazard ratio with its CI and the log-rank p-value in
// the panel, a legend, and the numbers at risk in a table aligned under the time axis.
//
// The legend and the statistics go inside the panel, in the first place where they touch no
// curve, band, tick or point (the corners, then along the right and the left edge); when there is
// none they go above the panel. At-risk numbers are those of the curve: at a break t, the n_risk
// of the first curve time >= t, or, after the last time, the patients still under follow-up (as
// R's summary(survfit, times = t, extend = TRUE)).
//
// Example:
//
//   auto a = srma::analyse_two_arms(ipd, "Pembrolizumab", "Placebo");
//   if (!a) return fail(a.error());
//   srma::plot::km_plot_content c = srma::plot::km_plot_from(*a);
//   srma::plot::km_plot_options o;
//   o.time_title = "Months since randomisation";
//   o.time_step = 6;
//   auto fig = srma::plot::draw_km_plot(c, o);
//   if (fig) (void)srma::plot::save(*fig, "km.png", {.dpi = 300});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "srma/plot/drawing.hpp"
#include "srma/survival/cox.hpp"
#include "srma/survival/kaplan_meier.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/survival/logrank.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One arm: its name, its Kaplan-Meier curve and, optionally, the points read off a published
/// figure (drawn as open circles over the curve).
struct km_arm_curve {
  std::string name;  ///< Legend and at-risk label ("" becomes "Arm 1", "Arm 2", ...).
  km_curve curve;
  std::vector<double> digitised_time;      ///< Same length as digitised_survival.
  std::vector<double> digitised_survival;  ///< Fractions in [0, 1].
};

/// What the figure shows: the arms in legend order, and the two-arm statistics when known.
struct km_plot_content {
  std::vector<km_arm_curve> arms;
  std::optional<cox_result> cox;          ///< HR with its CI ("HR 0.50 (95% CI 0.38–0.64)").
  std::optional<logrank_result> logrank;  ///< "log-rank p < 0.001".
  std::string treatment;  ///< With `control`, says which HR it is: "HR, A vs B: ...".
  std::string control;
};

/// The content of a two-arm analysis: both Kaplan-Meier curves (treatment first, as in
/// `analysis.arms`), the Cox model, the log-rank test and the arm names. Digitised points, when
/// the curves came from a published figure, are added to `arms[i]` by the caller.
[[nodiscard]] km_plot_content km_plot_from(const km_analysis& analysis);

/// Layers, axes, titles and sizes of the Kaplan-Meier figure.
struct km_plot_options {
  bool ci_bands = false;            ///< Pointwise confidence bands (every arm needs lower/upper).
  bool risk_table = true;           ///< Numbers at risk under the time axis.
  bool censor_ticks = true;         ///< A short vertical tick at every censoring time.
  bool digitised_points = true;     ///< Draw the digitised points given with the arms.
  bool legend = true;               ///< Arms (and censoring, points, band) explained.
  bool statistics = true;           ///< The HR and log-rank p of the content, when given.
  std::optional<double> time_max;   ///< Right end of the time axis; default: a round number at
                                    ///< or after the last time.
  std::optional<double> time_step;  ///< Distance between time breaks; default: round breaks
                                    ///< that fit the panel.
  std::string time_title = "Time";
  std::string survival_title = "Survival probability";
  bool percent = false;  ///< Survival axis labelled 0%-100% instead of 0-1.
  std::string title;     ///< Bold title ("" none).
  std::string risk_table_title = "Number at risk";
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< Plot panel in points; 0: 340.
  double panel_height = 0;  ///< 0: 220.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Lays out and draws a Kaplan-Meier figure.
///
/// **Example**:
///
///     srma::plot::km_plot_content c;
///     c.arms.push_back({"Treatment", *srma::kaplan_meier(time, event)});
///     auto fig = srma::plot::draw_km_plot(c, {});
///
/// Errors: srma.plot.E504 (invalid options, or a time step giving more than 50 breaks),
/// srma.plot.E505 (an explicit size smaller than the content), srma.plot.E507 (no arm, an arm
/// with an empty or inconsistent curve, a survival outside [0, 1], times not increasing,
/// digitised points of different lengths or outside [0, 1], confidence bands asked for an arm
/// without limits, statistics that are not finite).
[[nodiscard]] expected<drawing> draw_km_plot(const km_plot_content& content,
                                             const km_plot_options& options);

}  // namespace srma::plot
