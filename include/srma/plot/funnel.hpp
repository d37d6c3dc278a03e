// File: srma/plot/funnel.hpp
//
// The funnel plot: each study's effect (x; log axis labelled in ratio units for ratio measures)
// against its standard error (y, inverted: 0 at the top). Optional layers: the pseudo confidence
// region around the pooled estimate, a contour-enhanced background (Peters et al. 2008) with the
// regions of statistical significance around the null shaded and explained in a legend, a
// regression line such as Egger's (given as input, on the funnel's axes), and studies filled in
// by trim-and-fill, drawn as open circles (also given as input), with its adjusted estimate as a
// dotted line. Studies at the same place are drawn once with their number ("×3") beside them.
//
// Example:
//
//   auto r = srma::pool(studies, options);
//   srma::plot::funnel_options o = srma::plot::funnel_defaults(*r);
//   o.contours = {90, 95, 99};
//   auto fig = srma::plot::draw_funnel(srma::plot::funnel_points(*r), o);
//   if (fig) (void)srma::plot::save(*fig, "funnel.png", {.dpi = 300});
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One study on the funnel (analysis scale: log for ratios).
struct funnel_point {
  double estimate = 0;
  double se = 0;
  bool imputed = false;  ///< Filled in by trim-and-fill: drawn as an open circle.
  std::string label;     ///< Not drawn; names the study in error messages.
};

/// A straight line on the funnel's axes: effect = intercept + slope x SE. For Egger's test
/// (z_i = b0 + b1 / se_i, i.e. y_i = b1 + b0 se_i) the intercept is b1 and the slope b0.
struct funnel_line {
  double intercept = 0;
  double slope = 0;
  std::string label = "Egger regression";
};

/// What the funnel shows and how it is labelled.
struct funnel_options {
  /// Ratio measures get a log axis; measures shown back-transformed (PLO, PAS, PFT, ZCOR, PLN,
  /// IRLN) keep their analysis scale, the funnel's own, with ticks at round display values
  /// (metafor's funnel(..., atransf=)); `display` is PFT's n (funnel_defaults sets it).
  effect_measure measure = effect_measure::generic;
  display_context display;
  std::optional<double> centre;  ///< Pooled estimate (analysis scale): vertical line, pseudo CI.
  std::string centre_label = "Pooled estimate";
  double level = 95;                ///< Level of the pseudo confidence region.
  bool pseudo_ci = true;            ///< Draw the pseudo confidence region around `centre`.
  std::vector<double> contours;     ///< Contour levels in percent (e.g. 90, 95, 99); none: off.
  double null_effect = 0;           ///< Centre of the contours (analysis scale).
  std::optional<funnel_line> line;  ///< E.g. Egger's regression line.
  /// A second estimate drawn as a dotted vertical line, e.g. trim-and-fill's adjusted estimate
  /// (analysis scale).
  std::optional<double> adjusted;
  std::string adjusted_label = "Adjusted estimate (trim-and-fill)";
  std::string title;                      ///< Bold title ("" none).
  std::optional<std::string> axis_title;  ///< Default "Risk ratio (log scale)".
  std::string se_title = "Standard error";
  std::optional<double> axis_min;  ///< Display scale; default from the data and the contours.
  std::optional<double> axis_max;
  std::optional<double> se_max;  ///< Bottom of the SE axis; default a round number >= max SE.
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< Plot panel in points; 0: 300.
  double panel_height = 0;  ///< 0: 240.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// The studies of `result` as funnel points (estimate yi, SE sqrt(vi)).
[[nodiscard]] std::vector<funnel_point> funnel_points(const pool_result& result);

/// Options for `result`: measure, the leading model's estimate as centre, and its CI level.
[[nodiscard]] funnel_options funnel_defaults(const pool_result& result);

/// Lays out and draws a funnel plot.
///
/// Errors: srma.plot.E504 (invalid options: a contour level outside (0, 100), axis limits in the
/// wrong order or not positive on a log axis), srma.plot.E505 (an explicit size smaller than the
/// content), srma.plot.E507 (no study, or a non-finite estimate or an SE that is not > 0).
[[nodiscard]] expected<drawing> draw_funnel(std::span<const funnel_point> points,
                                            const funnel_options& options);

}  // namespace srma::plot
