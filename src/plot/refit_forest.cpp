#include "srma/plot/refit_forest.hpp"

#include <fmt/format.h>

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
  p.options.display = display_context_from_vi(full.measure, full.vi);
  p.options.level = full.level;
  p.options.label_title = label_title;
  p.options.column_titles = {"I\u00b2", "\u03c4\u00b2"};
  for (const auto& r : rows) {
    forest_row row;
    row.kind = forest_row_kind::study;
    row.label = prefix + r.label;
    row.estimate = r.estimate.estimate;
    row.lower = r.estimate.ci_lower;
    row.upper = r.estimate.ci_upper;
    row.cells = {format_percent(r.I2, 0),
                 model == model_kind::common ? std::string("\u2013") : format_fixed(r.tau2, 3)};
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
  total.cells = {format_percent(full.heterogeneity.I2, 0),
                 model == model_kind::common ? std::string("\u2013")
                                             : format_fixed(full.heterogeneity.tau2, 3)};
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
