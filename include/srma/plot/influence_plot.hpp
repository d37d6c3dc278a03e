// File: srma/plot/influence_plot.hpp
//
// The influence panel plot (metafor's plot(influence(res))): small multiples, one per diagnostic
// of srma::influence (studentised residual, DFFITS, Cook's distance, covariance ratio, tau^2 and
// Q without the study, hat value, weight), studies on the x axis in input order (numbered, with
// a key under the panels), the values joined by a line, and the studies that metafor's rules
// flag as influential drawn as filled red points. Reference lines where metafor draws them:
// dashed at the no-influence value (0, 1, the full model's tau^2 and Q, p/k, 100/k) and dotted at
// the cut-offs (±1.96, ±3 sqrt(p/(k-p)), the median of chi^2_p, 3p/k). Unlike metafor, every
// panel's axis includes its cut-offs, so the distance to them can be read off.
//
// Example:
//
//   auto inf = srma::influence(studies, opts);
//   auto fig = srma::plot::draw_influence(*inf, {});
//   if (fig) (void)srma::plot::save(*fig, "influence.pdf");
#pragma once

#include <string>

#include "srma/plot/drawing.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// Layout and titles of the influence panel plot.
struct influence_plot_options {
  std::string title;  ///< Bold title ("" none).
  int columns = 2;    ///< Panels per row (1 to 8).
  bool key = true;    ///< The key of study numbers and labels under the panels.
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< One panel in points; 0: 200, or 6 pt per study if more.
  double panel_height = 0;  ///< 0: 100.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Lays out and draws the influence panels of `r`: eight panels for a random-effects model,
/// seven for a common-effect model (no tau^2 panel). A value that is not finite is left out
/// (its line is broken there), as metafor does with missing values.
///
/// Errors: srma.plot.E504 (invalid options), srma.plot.E505 (an explicit size smaller than the
/// content), srma.plot.E507 (no study).
[[nodiscard]] expected<drawing> draw_influence(const influence_result& r,
                                               const influence_plot_options& options);

}  // namespace srma::plot
