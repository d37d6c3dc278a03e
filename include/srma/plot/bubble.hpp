// File: srma/plot/bubble.hpp
//
// The bubble plot of a meta-regression with one continuous moderator (metafor's regplot()): each
// study's effect (y; a log axis labelled in ratio units for ratio measures) against its moderator
// value (x), drawn as a bubble whose area is proportional to its weight in the model,
// 1 / (v_i + tau^2); the fitted line b0 + b1 x with its confidence band, optionally the
// prediction band (b0 + b1 x ± crit sqrt(SE^2 + tau^2)) and study labels placed so that they
// overlap no bubble and no other label and, where there is room, keep off the regression line
// (studies left without room are named under the plot). A legend outside the panel explains the
// layers.
//
// Example:
//
//   auto design = srma::build_design(studies, std::vector<std::string>{"ablat"});
//   auto fit = srma::metareg(studies.yi, studies.vi, *design, opts);
//   auto data = srma::plot::bubble_from(*fit, *design, studies);
//   srma::plot::bubble_options o;
//   o.labels = true;
//   auto fig = srma::plot::draw_bubble(*data, o);
//   if (fig) (void)srma::plot::save(*fig, "bubble.png", {.dpi = 300});
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/metareg.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One study: label, moderator value, effect (analysis scale: log for ratios) and its variance.
struct bubble_point {
  std::string label;
  double moderator = 0;
  double estimate = 0;
  double variance = 0;  ///< Sampling variance v_i, > 0.
};

/// The fitted line b0 + b1 x and what its bands need.
struct bubble_line {
  double intercept = 0;
  double slope = 0;
  double var_intercept = 0;  ///< Var(b0).
  double cov = 0;            ///< Cov(b0, b1).
  double var_slope = 0;      ///< Var(b1).
  double tau2 = 0;           ///< Residual tau^2 (0 for a common-effect meta-regression).
  double level = 95;         ///< Level of the bands, percent.
  /// t degrees of freedom of the bands (Knapp-Hartung inference); NaN for normal quantiles.
  double df = std::numeric_limits<double>::quiet_NaN();
};

/// Everything the bubble plot shows.
struct bubble_data {
  effect_measure measure = effect_measure::generic;
  std::string moderator;    ///< Name of the moderator (the default x axis title).
  display_context display;  ///< Back-transformation of the effect axis (PFT: harmonic mean n).
  std::vector<bubble_point> points;
  bubble_line line;
};

/// Checks that `design` has an intercept and exactly one continuous moderator (a column whose
/// name has no "[level]" part).
///
/// Errors: srma.plot.E508, naming the moderators found.
[[nodiscard]] expected<void> check_bubble_design(const design_matrix& design);

/// The bubble plot data of meta-regression `fit` of `studies` on `design`.
///
/// Errors: srma.plot.E508 (not one continuous moderator, see check_bubble_design),
/// srma.plot.E507 (the design, the fit and the studies have different numbers of studies or
/// coefficients).
[[nodiscard]] expected<bubble_data> bubble_from(const metareg_result& fit,
                                                const design_matrix& design,
                                                const study_table& studies);

/// Layers, titles and sizes of the bubble plot.
struct bubble_options {
  std::string title;                   ///< Bold title ("" none).
  std::optional<std::string> x_title;  ///< Default: the moderator's name.
  std::optional<std::string> y_title;  ///< Default e.g. "Risk ratio (log scale)".
  bool labels = false;                 ///< Label the bubbles with the study labels.
  bool confidence_band = true;         ///< The confidence band of the line.
  bool prediction_band = false;        ///< The prediction band (random-effects fits).
  bool legend = true;                  ///< Legend to the right of the panel.
  std::optional<double> x_min;         ///< Moderator axis limits; default from the data.
  std::optional<double> x_max;
  std::optional<double> y_min;  ///< Effect axis limits on the display scale (0.1 for a ratio).
  std::optional<double> y_max;
  /// Studies without room for a label are named under the plot, at most this many lines of
  /// them; the rest are counted ("… and 140 more").
  int max_note_lines = 3;
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< Plot panel in points; 0: 320.
  double panel_height = 0;  ///< 0: 240.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Lays out and draws a bubble plot.
///
/// Errors: srma.plot.E504 (invalid options), srma.plot.E505 (an explicit size smaller than the
/// content), srma.plot.E507 (no study, a value that is not finite, a variance that is not > 0,
/// or a negative tau^2 or coefficient variance).
[[nodiscard]] expected<drawing> draw_bubble(const bubble_data& data, const bubble_options& options);

}  // namespace srma::plot
