// File: srma/plot/baujat.hpp
//
// The Baujat plot (Baujat et al. 2002; metafor's baujat()): for each study, its contribution to
// the overall heterogeneity (x: the squared Pearson residual (y_i - mu)^2 / (v_i + tau^2)) against
// its influence on the overall result (y: (mu_(-i) - mu)^2 / Var mu_(-i)). Studies in the top
// right corner both drive heterogeneity and move the pooled estimate. Every point is labelled
// with its study: labels sit next to their points, never on another label or point, and move
// further out with a thin leader line where the neighbourhood is crowded. When labels do not fit
// the panel grows a little; study names that still do not fit give way to numbers with a key
// (as metafor labels points), and points left without a label in a dense cluster are named in a
// note under the plot, so every study can be found and no label is ambiguous.
//
// Example:
//
//   auto inf = srma::influence(studies, opts);
//   srma::plot::baujat_options o;
//   o.title = "Baujat plot";
//   auto fig = srma::plot::draw_baujat(srma::plot::baujat_points(*inf), o);
//   if (fig) (void)srma::plot::save(*fig, "baujat.svg");
#pragma once

#include <span>
#include <string>
#include <vector>

#include "srma/plot/drawing.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One study on the Baujat plot.
struct baujat_point {
  std::string label;  ///< Study label (or number) drawn next to the point.
  double x = 0;       ///< Contribution to heterogeneity, >= 0.
  double y = 0;       ///< Influence on the overall result, >= 0.
};

/// How points are labelled.
enum class point_labels {
  names,    ///< The study labels.
  numbers,  ///< 1, 2, ... in input order (metafor's default), with a key beside or under the plot.
  none,     ///< No labels.
};

/// Titles, labels and sizes of the Baujat plot.
struct baujat_options {
  std::string title;  ///< Bold title ("" none).
  std::string x_title = "Contribution to Overall Heterogeneity";
  std::string y_title = "Influence on Overall Result";
  point_labels labels = point_labels::names;
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< Plot panel in points; 0: 300 (more when labels need room).
  double panel_height = 0;  ///< 0: 240 (more when labels need room).
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// The studies of an influence analysis as Baujat points (label, baujat_x, baujat_y).
[[nodiscard]] std::vector<baujat_point> baujat_points(const influence_result& r);

/// Lays out and draws a Baujat plot.
///
/// Errors: srma.plot.E504 (invalid options), srma.plot.E505 (an explicit size smaller than the
/// content), srma.plot.E507 (no point, or a coordinate that is negative or not finite).
[[nodiscard]] expected<drawing> draw_baujat(std::span<const baujat_point> points,
                                            const baujat_options& options);

}  // namespace srma::plot
