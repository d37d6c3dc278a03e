// File: srma/plot/qqnorm.hpp
//
// The normal QQ plot of a pooled analysis, as metafor's qqnorm.rma.uni(): each study's
// internally standardized residual (metafor's rstandard()),
//
//   z_i = (y_i - mu) / sqrt(v_i + tau^2 - 1/W),   W = sum_j 1/(v_j + tau^2),
//
// sorted and plotted against the normal quantiles qnorm(ppoints(k)), with the line y = x and a
// pseudo-confidence envelope simulated as metafor does (Wang & Bushman 1998): `reps` vectors of
// k standard normal draws e are turned into residuals (I - H) e with the model's hat matrix
// H = 1 w'/W, each sorted; per order statistic the level/2 and 1 - level/2 quantiles (R's type
// 7) are the bounds, smoothed by Friedman's super smoother (R's supsmu(), bass = 0). srma draws
// from its own seeded generator (a 64-bit Mersenne Twister, Box-Muller), so its envelope differs
// from R's only by the random draws; given R's draws it is R's to 1e-9 (the validation test).
// tau^2 is the random-effects estimate under the random-effects model and 0 under the
// common-effect model.
//
// Example:
//
//   auto r = srma::pool(studies, opts);
//   auto data = srma::plot::qqnorm_data_from(*r, srma::model_kind::random, {.seed = 7});
//   auto fig = srma::plot::draw_qqnorm(*data, {});
//   if (fig) (void)srma::plot::save(*fig, "qqnorm.svg");
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "srma/model/pool_result.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One study on the QQ plot.
struct qqnorm_point {
  std::string label;
  double theoretical = 0;  ///< Normal quantile of its rank, qnorm(ppoints(k))[rank].
  double residual = 0;     ///< Internally standardized residual z_i.
};

/// How the envelope is simulated (metafor's qqnorm.rma.uni arguments).
struct qqnorm_envelope_options {
  bool envelope = true;     ///< Simulate and draw the envelope.
  int reps = 1000;          ///< Replicates (metafor's `reps`).
  bool smooth = true;       ///< Smooth the bounds with the super smoother (metafor's default).
  bool bonferroni = false;  ///< Bounds at level/(2k) instead of level/2.
  std::uint64_t seed = 1;   ///< Seed of the generator: the same seed gives the same envelope.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// The points, the envelope and the model of a QQ plot.
struct qqnorm_data {
  std::vector<qqnorm_point> points;  ///< Sorted by residual (ascending).
  /// The envelope at the theoretical quantiles of the points (empty when not simulated).
  std::vector<double> envelope_lower, envelope_upper;
  double level = 95;  ///< Envelope level in percent.
  double tau2 = 0;    ///< tau^2 added to every v_i.
  model_kind model = model_kind::random;
};

/// The residuals of `r` under model `m` and, when asked, the envelope at r.level.
/// Errors: srma.plot.E507 (fewer than two studies, a variance that is not positive and finite,
/// or a residual variance v_i + tau^2 - 1/W that is not positive); E504 (invalid `envelope`).
[[nodiscard]] expected<qqnorm_data> qqnorm_data_from(const pool_result& r, model_kind m,
                                                     const qqnorm_envelope_options& envelope = {});

/// Titles and sizes of the QQ plot.
struct qqnorm_options {
  std::string title;  ///< Bold title ("" none).
  std::string x_title = "Theoretical quantiles";
  std::string y_title = "Standardized residuals";
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_width = 0;   ///< 0: 260 pt.
  double panel_height = 0;  ///< 0: 240 pt.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Draws the QQ plot: the points, the line y = x (solid) and the envelope (dotted), and a note
/// naming the model and the envelope.
/// Errors: srma.plot.E504 (invalid options), E505 (a size too small), E507 (no point, a value
/// that is not finite, or an envelope of another length than the points).
[[nodiscard]] expected<drawing> draw_qqnorm(const qqnorm_data& data, const qqnorm_options& options);

}  // namespace srma::plot
