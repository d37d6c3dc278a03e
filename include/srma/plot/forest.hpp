// File: srma/plot/forest.hpp
//
// The forest plot renderer. A forest plot is a list of rows (`forest_row`): studies with their
// square and confidence interval, summary diamonds, prediction intervals, subgroup headings and
// lines of text. `draw_forest` lays the rows out (labels | extra columns | forest | estimate
// [CI] | weights), measuring every text so that nothing overlaps and the canvas grows with the
// content, then draws them. Rows for a pooled analysis or a subgroup analysis come from
// forest_rows.hpp; leave-one-out and cumulative plots build their own rows and reuse the renderer.
//
// Example:
//
//   std::vector<srma::plot::forest_row> rows = {
//       {.kind = srma::plot::forest_row_kind::study, .label = "Aronson 1948",
//        .estimate = -0.889, .lower = -2.008, .upper = 0.230, .size_weight = 5.06,
//        .weights = {5.06}},
//       {.kind = srma::plot::forest_row_kind::summary, .label = "Random-effects model",
//        .estimate = -0.715, .lower = -1.067, .upper = -0.362, .weights = {100}},
//   };
//   srma::plot::forest_options o;
//   o.measure = srma::effect_measure::risk_ratio;
//   o.weight_titles = {"Weight"};
//   auto fig = srma::plot::draw_forest(rows, o);
//   if (fig) (void)srma::plot::save(*fig, "forest.svg");
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// The look of a forest plot: which columns stand where, how an interval is written, what the
/// summary rows and the footer say (docs/plots.md, "Layouts"; sources there).
enum class forest_layout {
  srma,     ///< label | columns | forest | estimate [CI] | weights.
  revman5,  ///< RevMan 5: label | per-arm columns | weight | estimate [CI] | forest, its footer.
  jama,     ///< JAMA (meta's layout = "JAMA"): label | columns | estimate (CI) | forest.
  lancet,   ///< The Lancet: as srma, "0·52 (0·36–0·76)" with the Lancet's mid-point decimals.
};

/// "srma", "revman5", "jama" or "lancet".
[[nodiscard]] std::string_view to_string(forest_layout l);
/// Parses "srma", "revman5", "jama", "lancet" (also "RevMan5", "JAMA", "Lancet").
[[nodiscard]] std::optional<forest_layout> parse_forest_layout(std::string_view text);

/// A title over several extra columns (RevMan's "Experimental" over Events and Total).
struct forest_column_group {
  std::string title;
  std::size_t first = 0;  ///< Index of the first column (forest_options::column_titles).
  std::size_t count = 0;  ///< Number of columns it spans.
};

/// What a row of a forest plot shows.
enum class forest_row_kind {
  study,       ///< Square (area proportional to `size_weight`) and CI line; label and cells.
  summary,     ///< Diamond from lower to upper with its centre at estimate; bold label.
  prediction,  ///< Prediction interval: a line with end ticks from lower to upper.
  heading,     ///< Bold label only (e.g. a subgroup's name).
  text,        ///< A line of smaller text starting at the label column (heterogeneity, tests).
  spacer,      ///< An empty half row.
};

/// One row of a forest plot. Estimates are on the analysis scale (log for ratio measures,
/// logit for PLO, ...).
struct forest_row {
  static constexpr double na = std::numeric_limits<double>::quiet_NaN();

  forest_row_kind kind = forest_row_kind::study;
  /// Study label, model name, heading, or the text of a text row.
  std::string label;
  /// Extra columns, in the order of forest_options::column_titles.
  std::vector<std::string> cells;
  /// Centre; NaN draws no mark and an empty annotation.
  double estimate = na;
  double lower = na;
  double upper = na;
  /// Study rows: relative weight that sets the square's area (NaN: a mid-sized square).
  double size_weight = na;
  /// Percent per weight column (forest_options::weight_titles); NaN leaves the cell blank.
  std::vector<double> weights;
  /// Shown in the estimate column instead of the estimate and its interval (e.g. "Not
  /// estimable" for a study without an estimate of its own); "" for none.
  std::string note;
  /// Study rows: the interval as written in the source (e.g. "0.36" and "0.76" of an HR
  /// entered with its CI), shown instead of lower and upper formatted; "" for none.
  std::string lower_text;
  std::string upper_text;
};

/// Where the reference line and the axis limits lie, and how the figure is labelled.
struct forest_options {
  forest_layout layout = forest_layout::srma;        ///< Column order and interval style.
  effect_measure measure = effect_measure::generic;  ///< Ratio measures get a log axis.
  /// Measures shown back-transformed on a linear axis (PLN, PLO, PAS, PFT, ZCOR, IRLN) are
  /// drawn on the display scale, as metafor's forest(..., transf=): PFT's transformation uses
  /// this context's n (forest_rows sets it to the harmonic mean of the studies' n).
  display_context display;
  double level = 95;                       ///< Only used in the default titles.
  std::string title;                       ///< Bold title above the plot ("" none).
  std::string label_title = "Study";       ///< Header of the label column.
  std::vector<std::string> column_titles;  ///< Headers of the extra columns ('\n' breaks lines).
  std::vector<forest_column_group> column_groups;  ///< Titles over groups of extra columns.
  std::vector<std::string> weight_titles;  ///< Headers of the weight columns (e.g. {"Weight"}).
  /// Header over the forest panel ('\n' breaks lines), e.g. RevMan's "Odds Ratio\nM-H, Fixed,
  /// 95% CI"; "" none.
  std::string forest_title;
  /// A line of small text under the axis (e.g. "Study CIs as reported"); "" none.
  std::string caption;
  std::optional<std::string> estimate_title;  ///< Default "RR [95% CI]"; "" hides the annotations.
  std::optional<std::string> axis_title;      ///< Default "Risk ratio (log scale)"; "" none.
  std::string favours_left;                   ///< Under the axis, left of the reference line.
  std::string favours_right;                  ///< Under the axis, right of the reference line.
  std::optional<double> axis_min;   ///< Display scale (e.g. 0.1 for a ratio); default from data.
  std::optional<double> axis_max;   ///< Display scale; default from data.
  std::optional<double> reference;  ///< Display scale; default: no effect (1 or 0). NaN: none.
  /// Decimals of estimates and CIs. Default: 2 for ratios; for other measures 2 to 4, enough
  /// for the narrowest study CI to span at least 5 units of the last digit (risk differences
  /// of rare events need 3 or 4).
  std::optional<int> decimals;
  double font_size = 9;  ///< Points; text rows and axis labels are one point smaller.
  std::string font_family = "DejaVu Sans";
  double forest_width = 0;  ///< Width of the forest panel in points; 0: 22 em, at least 200 pt.
  double width = 0;         ///< Total width in points; 0: follows the content.
  double height = 0;        ///< Total height in points; 0: follows the content.
  /// draw_forest_pages: at most this many rows per page (0: one page). Every page has the
  /// header, the axis and the columns of the whole plot; a title gets "(2 of 3)".
  std::size_t max_rows = 0;

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;

  /// Sets both favours labels from "left|right" (the command line's --favours, a plan's pair);
  /// "" leaves them as they are. Errors: srma.plot.E504 unless there is exactly one '|'.
  [[nodiscard]] expected<void> set_favours(std::string_view left_bar_right);
};

/// The smallest font size (points) draw_forest falls back to when a given width or height
/// cannot be met at options.font_size.
inline constexpr double forest_min_font_size = 6;

/// Lays out and draws a forest plot.
///
/// A given `width` is met by shrinking the forest panel (down to 10 em), then by wrapping study
/// labels and text rows (down to 8 em), then with smaller type, half a point at a time down to
/// forest_min_font_size; a given `height` by smaller type. Labels longer than 30 em and a title
/// wider than the content always wrap.
///
/// Text rows never cross the reference line: when one would, the label area grows. Squares have
/// an area proportional to `size_weight` (the largest 0.7 of the row height, none smaller than
/// 0.35 em); a CI that leaves the axis ends in an arrow, and an estimate off the axis gets no
/// square.
///
/// Errors: srma.plot.E504 (invalid options, e.g. axis_min >= axis_max or a non-positive limit
/// on a log axis), srma.plot.E505 (an explicit width or height smaller than the content needs),
/// srma.plot.E507 (a row inconsistent with the options: more cells than column titles, more
/// weights than weight titles, lower > upper, or no finite value to scale the axis).
[[nodiscard]] expected<drawing> draw_forest(std::span<const forest_row> rows,
                                            const forest_options& options);

/// The forest plot split over pages of at most options.max_rows rows (one page when it is 0),
/// each with the header, the axis, the favours labels and the column widths of the whole plot,
/// so that the pages line up; a given height applies to each page. save_pages (output.hpp)
/// writes them as one multi-page PDF or numbered SVG/PNG files.
///
/// **Example**:
///
///     o.max_rows = 40;
///     auto pages = srma::plot::draw_forest_pages(rows, o);       // 65 rows: 2 pages
///     if (pages) (void)srma::plot::save_pages(*pages, "forest.pdf");
///
/// Errors: as draw_forest.
[[nodiscard]] expected<std::vector<drawing>> draw_forest_pages(std::span<const forest_row> rows,
                                                               const forest_options& options);

}  // namespace srma::plot
