// File: srma/plot/drapery.hpp
//
// The drapery plot (Rücker & Schwarzer 2020; meta's drapery()): p-value functions of each study
// and of the pooled estimate. For a curve with estimate y, standard error s (and t degrees of
// freedom d for a pooled estimate under Knapp-Hartung), the two-sided p-value of H0: theta = x,
//
//   p(x) = 2 P(Z > |y - x| / s)      (2 P(T_d > |y - x| / s) with d degrees of freedom),
//
// is drawn against x on the effect axis (log scale for ratio measures). Each curve peaks at
// p = 1 at its estimate and crosses p = alpha exactly at the bounds of its 100(1 - alpha)% CI,
// so the dashed line at alpha = 1 - level/100 reads every interval of a forest plot at once
// (Birnbaum 1961; Infanger & Schmidt-Trucksäss 2019). Studies are grey, darker the more precise;
// the pooled curve is black and thicker; under the random-effects model the prediction region
// is shaded: the area under the normal p-value curve centred on the estimate whose alpha
// crossings are the prediction interval's bounds (as meta draws it).
//
// Example:
//
//   auto r = srma::pool(studies, opts);
//   auto data = srma::plot::drapery_data_from(*r, srma::model_kind::random);
//   auto fig = srma::plot::draw_drapery(*data, {.scale = srma::plot::drapery_scale::log});
//   if (fig) (void)srma::plot::save(*fig, "drapery.svg");
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/model/pool_result.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One p-value function.
struct drapery_curve {
  std::string label;
  double estimate = 0;                                   ///< Where p = 1 (analysis scale).
  double se = 1;                                         ///< Scale of the test statistic.
  double df = std::numeric_limits<double>::quiet_NaN();  ///< t degrees of freedom; NaN: normal.
  double lower = 0;  ///< The CI bounds: where p = alpha (analysis scale).
  double upper = 0;
  double weight = 0;  ///< Percent weight in the model drawn (studies only).
};

/// The two-sided p-value of H0: theta = x for curve `c`: 2 P(Z > |estimate - x|/se), or the t
/// distribution's with c.df degrees of freedom.
[[nodiscard]] double drapery_p_value(const drapery_curve& c, double x);

/// The curves of a drapery plot.
struct drapery_data {
  std::vector<drapery_curve> studies;
  drapery_curve pooled;
  /// Under the random-effects model with a prediction interval: the normal curve centred on the
  /// estimate with lower/upper at the PI's bounds (se = half its width / z_{1-alpha/2}).
  std::optional<drapery_curve> prediction;
  effect_measure measure = effect_measure::generic;
  display_context display;
  double level = 95;  ///< Confidence level in percent: the line is at alpha = 1 - level/100.
  model_kind model = model_kind::random;
};

/// The studies and the pooled estimate of `r` under model `m`; study CIs are y_i -+ z s_i at
/// r.level, the pooled CI is the model's (with its t quantile under Knapp-Hartung).
/// Errors: srma.plot.E507 (no study, or a variance that is not positive and finite).
[[nodiscard]] expected<drapery_data> drapery_data_from(const pool_result& r, model_kind m);

/// The y axis of a drapery plot.
enum class drapery_scale {
  p_value,  ///< p from 0 to 1, linear (Birnbaum's confidence curves upside down).
  log,      ///< p on a log axis from 1 down to `p_min`: -log10 p, which separates small p-values.
};
/// "p" or "log".
[[nodiscard]] std::string_view to_string(drapery_scale s);
/// Parses "p" or "log" (exact, lower case).
[[nodiscard]] std::optional<drapery_scale> parse_drapery_scale(std::string_view text);

/// Titles, scale and sizes of the drapery plot.
struct drapery_options {
  std::string title;    ///< Bold title ("" none).
  std::string x_title;  ///< "" : the measure's axis title ("Risk ratio (log scale)").
  drapery_scale scale = drapery_scale::p_value;
  double p_min = 0.001;         ///< Bottom of the log axis (10^-k for k = 1 ... 10).
  bool prediction = true;       ///< Shade the prediction region when the data has one.
  std::optional<double> x_min;  ///< Axis limits on the display scale (e.g. 0.1 for an RR).
  std::optional<double> x_max;
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< 0: 320 pt.
  double panel_height = 0;  ///< 0: 220 pt.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Draws the drapery plot: the study curves (grey, the most precise darkest and on top), the
/// pooled curve (black, thick), the prediction region (shaded), the line of no effect, the
/// dashed line at alpha labelled "p = 0.05" and "95% CI", a right-hand axis of confidence levels
/// and a note saying what is what.
/// Errors: srma.plot.E504 (invalid options, or limits not on the measure's display scale), E505
/// (a size too small), E507 (no study, or a curve that is not finite).
[[nodiscard]] expected<drawing> draw_drapery(const drapery_data& data,
                                             const drapery_options& options);

}  // namespace srma::plot
