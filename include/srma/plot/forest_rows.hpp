// File: srma/plot/forest_rows.hpp
//
// Adapters from analysis results to forest plot rows: a pooled analysis (studies, the summary
// diamond of each model shown, the prediction interval, the heterogeneity line and the test for
// the overall effect) and a subgroup analysis (a block per subgroup with its diamond and
// heterogeneity line, then the overall diamond and the test for subgroup differences). The
// options that make sense for both (titles, weight columns) are filled in too.
//
// Example:
//
//   auto result = srma::pool(studies, options);
//   srma::plot::forest_content c;
//   c.columns = {"year"};
//   c.sort = srma::plot::forest_sort::effect;
//   auto plot = srma::plot::forest_from(*result, studies, c);
//   if (plot) auto fig = srma::plot::draw_forest(plot->rows, plot->options);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/plot/forest.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// Order of the study rows (within each subgroup).
enum class forest_sort {
  none,    ///< Input order.
  effect,  ///< Increasing estimate.
  weight,  ///< Decreasing weight of the leading model.
  column,  ///< Increasing value of forest_content::sort_column (numeric when every value is).
};

/// What the adapters put into the rows.
struct forest_content {
  std::vector<std::string> columns;  ///< Study attributes shown as extra columns (e.g. "year").
  forest_sort sort = forest_sort::none;
  std::string sort_column;           ///< For forest_sort::column (e.g. "year").
  bool prediction_interval = false;  ///< Add the prediction interval row (random-effects model).
  bool heterogeneity = true;         ///< Heterogeneity lines.
  bool overall_test = true;          ///< Test for the overall effect (and subgroup differences).
  /// The layout the rows are made for (forest_options::layout is set to it): RevMan 5 gets its
  /// per-arm columns, "Total (95% CI)", "Total events" and its footer; JAMA drops the weights.
  forest_layout layout = forest_layout::srma;
  /// Studies the analysis could not use (double-zero 2x2 tables listed in the analysed table's
  /// `excluded`), with their input columns: each is shown as a row with its cells and "Not
  /// estimable", no marker and no weight, at its place in input order (after the other studies
  /// when they are sorted).
  study_table not_estimable;
  /// A study entered as a ratio with its CI (hr|or|rr, lower, upper at the plot's level) shows
  /// the bounds as entered, not the ones recomputed from its SE; the plot's caption says so.
  bool ci_as_entered = true;

  /// Sets the order from one word: "none", "effect", "weight", or else the name of a column
  /// (forest_from checks that it exists: srma.plot.E503).
  void sort_by(std::string_view key);
};

/// "none", "effect", "weight" or "column".
[[nodiscard]] std::string_view to_string(forest_sort s);

/// Rows plus the options that describe them (measure, level, column and weight titles).
struct forest_plot {
  std::vector<forest_row> rows;
  forest_options options;
};

/// Rows of a pooled analysis of `studies` (the table `result` was computed from).
///
/// Shows the models `result.options.model` asks for: both diamonds for `both` (the leading model
/// first), one for `common`, `random` and `auto`. Study squares follow the leading model's
/// weights; one weight column per model shown.
///
/// Errors: srma.plot.E503 (a column or the sort column is not an attribute of `studies`),
/// srma.plot.E507 (`studies` does not match `result`).
[[nodiscard]] expected<forest_plot> forest_from(const pool_result& result,
                                                const study_table& studies,
                                                const forest_content& content = {});

/// Rows of a subgroup analysis of `studies`: a heading, the studies, the subtotal diamond(s) and
/// a heterogeneity line per subgroup, then the overall diamond(s), the overall heterogeneity, the
/// test for the overall effect and the test for subgroup differences. Study weights are those of
/// the overall model, so each subgroup's weights add up to its subtotal's share.
///
/// Errors: as the other overload.
[[nodiscard]] expected<forest_plot> forest_from(const subgroup_analysis& analysis,
                                                const study_table& studies,
                                                const forest_content& content = {});

}  // namespace srma::plot
