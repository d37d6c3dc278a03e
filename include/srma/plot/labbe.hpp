// File: srma/plot/labbe.hpp
//
// The L'Abbé plot (L'Abbé, Detsky & O'Rourke 1987; metafor's labbe()): for 2x2 data, each
// study's event rate in the treatment group (y) against the control group (x), as a circle whose
// area is proportional to the study's weight; the line of no effect y = x (dashed) and the line of
// the pooled effect (solid): y = expit(logit x + ln OR) for odds ratios, y = x RR for risk ratios
// (cut at 1), y = x + RD for risk differences.
//
// Example:
//
//   auto r = srma::pool(studies, opts);                       // 2x2 counts, OR, RR or RD
//   auto data = srma::plot::labbe_data_from(*r, studies, srma::model_kind::random);
//   auto fig = srma::plot::draw_labbe(*data, {});
//   if (fig) (void)srma::plot::save(*fig, "labbe.svg");
#pragma once

#include <string>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// One study on the L'Abbé plot.
struct labbe_point {
  std::string label;
  double control_rate = 0;    ///< events_c / n_c.
  double treatment_rate = 0;  ///< events_t / n_t.
  double weight = 0;          ///< Percent weight in the model drawn (sets the circle's area).
};

/// The points and the pooled effect of a L'Abbé plot.
struct labbe_data {
  std::vector<labbe_point> points;
  effect_measure measure = effect_measure::odds_ratio;  ///< OR, RR or RD.
  double estimate = 0;  ///< Pooled estimate on the analysis scale (ln OR, ln RR, RD).
  model_kind model = model_kind::random;
};

/// The studies of `r` (pooled from `studies`, 2x2 counts) under model `m`.
/// Errors: srma.plot.E507 when `studies` has no 2x2 counts (events_t, n_t, events_c, n_c), the
/// measure is not OR, RR or RD, or `studies` does not match `r`.
[[nodiscard]] expected<labbe_data> labbe_data_from(const pool_result& r, const study_table& studies,
                                                   model_kind m);

/// Titles and sizes of the L'Abbé plot.
struct labbe_options {
  std::string title;  ///< Bold title ("" none).
  std::string x_title = "Event rate, control group";
  std::string y_title = "Event rate, treatment group";
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double panel_size = 0;  ///< Side of the square panel in points; 0: 260.
  double width = 0;       ///< Total width in points; 0: follows the content.
  double height = 0;      ///< Total height in points; 0: follows the content.

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Draws the L'Abbé plot on a square panel from 0 to 1 on both axes (or to a round number
/// above the largest rate when every rate is below 0.5).
/// Errors: srma.plot.E504 (invalid options), E505 (a size too small), E507 (no point, or a rate
/// outside [0, 1]).
[[nodiscard]] expected<drawing> draw_labbe(const labbe_data& data, const labbe_options& options);

}  // namespace srma::plot
