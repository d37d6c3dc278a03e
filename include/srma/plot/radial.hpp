// File: srma/plot/radial.hpp
//
// The radial (Galbraith) plot of a pooled analysis, as metafor's radial(): each study at
// x_i = 1/sqrt(v_i + tau^2) (its precision) and z_i = y_i/sqrt(v_i + tau^2) (its standardised
// estimate), the line through the origin with slope equal to the pooled estimate, and the band
// z = estimate x +- 2 within which about 95% of the studies fall when the model fits (Galbraith
// 1988, 1994). tau^2 is the random-effects estimate under the random-effects model and 0 under
// the common-effect model.
//
// Example:
//
//   auto r = srma::pool(studies, opts);
//   auto data = srma::plot::radial_data_from(*r, srma::model_kind::random);
//   auto fig = srma::plot::draw_radial(*data, {});
//   if (fig) (void)srma::plot::save(*fig, "radial.svg");
#pragma once

#include <string>
#include <vector>

#include "srma/model/pool_result.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One study on the radial plot.
struct radial_point {
  std::string label;
  double x = 0;  ///< 1/sqrt(v_i + tau^2).
  double z = 0;  ///< y_i/sqrt(v_i + tau^2).
};

/// The points and the line of a radial plot.
struct radial_data {
  std::vector<radial_point> points;
  double estimate = 0;  ///< Pooled estimate (analysis scale): the slope of the line.
  double tau2 = 0;      ///< tau^2 added to every v_i.
  effect_measure measure = effect_measure::generic;
  model_kind model = model_kind::random;
};

/// The studies of `r` under model `m` (tau^2 = 0 for the common-effect model).
/// Errors: srma.plot.E507 (no study, or a variance that is not positive and finite).
[[nodiscard]] expected<radial_data> radial_data_from(const pool_result& r, model_kind m);

/// Titles and sizes of the radial plot.
struct radial_options {
  std::string title;  ///< Bold title ("" none).
  std::string x_title = "x\u1d62 = 1/\u221a(v\u1d62 + \u03c4\u00b2)";
  std::string y_title = "z\u1d62 = y\u1d62/\u221a(v\u1d62 + \u03c4\u00b2)";
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< 0: 300 pt.
  double panel_height = 0;  ///< 0: 240 pt.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Draws the radial plot: points, the line through the origin with slope `estimate` (solid)
/// and the +-2 band (dotted), the line z = 0 (grey), and a note with the estimate.
/// Errors: srma.plot.E504 (invalid options), E505 (a size too small), E507 (no point, or a
/// coordinate that is not finite).
[[nodiscard]] expected<drawing> draw_radial(const radial_data& data, const radial_options& options);

}  // namespace srma::plot
