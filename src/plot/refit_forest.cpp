#include "srma/plot/refit_forest.hpp"

#include <fmt/format.h>

#include <limits>

#include "figure_format.hpp"
#include "srma/report/format.hpp"

namespace srma::plot {
namespace {

std::string model_name(const pool_result& full, model_kind m) {
  if (m == model_kind::common) return "common-effect model";
  return fmt::format("random-effects model ({})", tau2_method_code(full.random.method));
}

forest_plot refit_plot(const pool_result& full, model_kind model,
                       const std::vector<refit_summary>& rows, const std::string& prefix,
                       const std::string& label_title) {
  forest_plot p;
  p.options.measure = full.measure;
  if (full.measure == effect_measure::generic && !full.measure_label.empty())
    p.options.axis_title = full.measure_label;
  p.options.display = display_context_from_vi(full.measure, full.vi);
  p.options.level = full.level;
  p.options.label_title = label_title;
  // tau^2 is a column only under the random-effects model (the common-effect model fixes it at
  // 0: a column of dashes says nothing); its decimals follow the figures' one rule over the whole
  // column (figure_format.hpp), and an I^2 that is undefined (one study) is an em dash.
  const bool random = model != model_kind::common;
  p.options.column_titles = {"I\u00b2"};
  if (random) p.options.column_titles.emplace_back("\u03c4\u00b2");
  std::vector<double> tau2s{full.heterogeneity.tau2};
  for (const auto& r : rows) tau2s.push_back(r.tau2);
  const int tau2_dec = detail::tau2_decimals(tau2s);
  auto cells = [&](double i2, double tau2) {
    std::vector<std::string> c{detail::figure_percent(i2, 0)};
    if (random) c.push_back(detail::figure_tau2(tau2, tau2_dec));
    return c;
  };
  for (const auto& r : rows) {
    forest_row row;
    row.kind = forest_row_kind::study;
    row.label = prefix + r.label;
    row.estimate = r.estimate.estimate;
    row.lower = r.estimate.ci_lower;
    row.upper = r.estimate.ci_upper;
    // One study: I^2 is 0 by metafor's convention, but nothing was measured: a dash.
    row.cells = cells(r.k < 2 ? std::numeric_limits<double>::quiet_NaN() : r.I2, r.tau2);
    p.rows.push_back(std::move(row));
  }
  const model_estimate& e =
      model == model_kind::common ? full.common : static_cast<const model_estimate&>(full.random);
  forest_row total;
  total.kind = forest_row_kind::summary;
  total.label = fmt::format("All studies, {}", model_name(full, model));
  total.estimate = e.estimate;
  total.lower = e.ci_lower;
  total.upper = e.ci_upper;
  total.cells = cells(full.heterogeneity.I2, full.heterogeneity.tau2);
  p.rows.push_back(std::move(total));
  return p;
}

}  // namespace

forest_plot leave1out_forest(const leave1out_result& r) {
  return refit_plot(r.full, r.model, r.rows, "Omitting ", "Study omitted");
}

forest_plot cumulative_forest(const cumulative_result& r) {
  return refit_plot(r.full, r.model, r.rows, "+ ", "Study added");
}

}  // namespace srma::plot
