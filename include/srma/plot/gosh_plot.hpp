// File: srma/plot/gosh_plot.hpp
//
// The GOSH plot (Olkin, Dahabreh & Trikalinos 2012; metafor's plot(gosh(res))): I^2 (y) against
// the pooled estimate (x; a log axis in ratio units for ratio measures) of the model fitted to
// every subset of the studies (srma::gosh), with histograms of both in the margins. Clusters of
// subsets point to studies that drive heterogeneity; highlighting the subsets that contain one
// study (metafor's plot(gosh, out = i): red with the study, blue without) shows whether it is
// behind a cluster.
//
// Up to `bin_above` subsets (20,000 by default) are drawn as small translucent points (opacity
// n^-0.2, as metafor). Beyond that the panel is divided into cells about 3 pt square and each cell
// holding subsets is shaded by how many it holds (on a log scale; with highlighting, coloured
// from blue to red by the share of subsets that contain the study), so a figure of 10^6 subsets
// stays a few hundred kilobytes of SVG. gosh_caption() says which was done.
//
// A streamed analysis (srma::gosh_stream, any number of subsets) is drawn from its 2-D histogram:
// groups of its bins about 3 pt wide become the shaded cells, so nothing is re-binned; when it
// holds every fit (no more than the sample size) and no more than `bin_above`, its points are
// drawn one by one as above. With cluster diagnostics (srma::diagnose_gosh) the points, or the
// cells by the cluster their centre belongs to, are coloured by cluster.
//
// Example:
//
//   auto g = srma::gosh(studies.yi, studies.vi, opts);
//   srma::plot::gosh_plot_options o;
//   o.measure = studies.measure;
//   o.highlight = 5;  // the sixth study
//   o.highlight_label = studies.study[5];
//   auto fig = srma::plot::draw_gosh(*g, o);
//   if (fig) (void)srma::plot::save(*fig, "gosh.png");
//   fmt::print("{}\n", srma::plot::gosh_caption(*g, o));
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "srma/data/effect_size.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/sensitivity/gosh.hpp"
#include "srma/sensitivity/gosh_diagnostics.hpp"
#include "srma/sensitivity/gosh_stream.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// What the GOSH plot shows and how.
struct gosh_plot_options {
  effect_measure measure = effect_measure::generic;  ///< Ratio measures get a log axis.
  /// Measures shown back-transformed (PLO, PAS, PFT, ...) keep the analysis scale with ticks
  /// at round display values; PFT's n (e.g. study_table::display()).
  display_context display;
  std::string title;  ///< Bold title ("" none).
  /// Study (0-based, input order) whose subsets are highlighted; none: all points alike.
  std::optional<std::size_t> highlight;
  std::string highlight_label;  ///< Its name in the legend; default "study <i + 1>".
  /// With diagnostics: the clustering whose clusters colour the subsets (instead of the
  /// highlighting).
  gosh_cluster_method clusters = gosh_cluster_method::kmeans;
  std::size_t bin_above = 20000;       ///< More subsets than this are binned, not drawn one by one.
  bool histograms = true;              ///< Marginal histograms of the estimates and of I^2.
  std::optional<std::string> x_title;  ///< Default e.g. "Risk ratio (log scale)".
  std::string y_title = "I\u00b2 (%)";
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< Scatter panel in points; 0: 300.
  double panel_height = 0;  ///< 0: 240.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Lays out and draws the GOSH plot of `g`. Subsets whose fit failed (NaN) are left out.
///
/// Errors: srma.plot.E504 (invalid options, e.g. a highlighted study beyond the k studies),
/// srma.plot.E505 (an explicit size smaller than the content), srma.plot.E507 (no subset with a
/// finite estimate and I^2).
[[nodiscard]] expected<drawing> draw_gosh(const gosh_result& g, const gosh_plot_options& options);

/// A caption for the figure draw_gosh() makes of `g` with `options`: what is plotted, how many
/// subsets (all or a random sample), the model, the highlighting, and whether the subsets were
/// binned.
[[nodiscard]] std::string gosh_caption(const gosh_result& g, const gosh_plot_options& options);

/// Draws a streamed analysis from its histogram (or its points, see above); `diagnostics`
/// (optional) colours the subsets by options.clusters. The highlighted study must be the one
/// the summary was streamed with (gosh_stream_options::highlight).
///
/// Errors: as above; srma.plot.E504 also when options.highlight is not the summary's.
[[nodiscard]] expected<drawing> draw_gosh(const gosh_summary& s, const gosh_plot_options& options,
                                          const gosh_diagnostics* diagnostics = nullptr);
/// The caption of that figure.
[[nodiscard]] std::string gosh_caption(const gosh_summary& s, const gosh_plot_options& options,
                                       const gosh_diagnostics* diagnostics = nullptr);

}  // namespace srma::plot
