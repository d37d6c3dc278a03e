// File: srma/plot/refit_forest.hpp
//
// Forest plots of sensitivity analyses, drawn with the forest renderer (forest.hpp): the
// leave-one-out plot (one row per omitted study: the pooled estimate without it; the seed
// review's Figure 4, metafor's forest(leave1out(...))) and the cumulative plot (one row per added
// study: the pooled estimate so far; metafor's forest(cumul(...))). The pooled estimate of all
// studies closes both as a diamond.
//
// Example:
//
//   auto l1o = srma::leave1out(studies, opts);
//   auto plot = srma::plot::leave1out_forest(*l1o);
//   auto fig = srma::plot::draw_forest(plot.rows, plot.options);
#pragma once

#include "srma/plot/forest_rows.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/leave1out.hpp"

namespace srma::plot {

/// Rows and options of the leave-one-out forest plot.
[[nodiscard]] forest_plot leave1out_forest(const leave1out_result& r);
/// Rows and options of the cumulative forest plot.
[[nodiscard]] forest_plot cumulative_forest(const cumulative_result& r);

}  // namespace srma::plot
