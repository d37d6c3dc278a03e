#include "refit.hpp"

#include <fmt/format.h>

#include <cmath>

#include "pool_internal.hpp"
#include "report/format.hpp"
#include "report/text_table.hpp"

namespace srma::detail {

model_kind refit_model(const pool_result& full) { return full.primary; }

void all_but(std::span<const double> yi, std::span<const double> vi, std::size_t skip,
             std::vector<double>& y, std::vector<double>& v) {
  y.clear();
  v.clear();
  for (std::size_t j = 0; j < yi.size(); ++j) {
    if (j == skip) continue;
    y.push_back(yi[j]);
    v.push_back(vi[j]);
  }
}

expected<refit_summary> refit(std::span<const double> yi, std::span<const double> vi,
                              const pool_options& options, model_kind model) {
  auto r = pool_effects(yi, vi, options, effect_measure::generic, std::nullopt,
                        /*with_tau2_ci=*/false);
  if (!r) return unexpected(r.error());
  refit_summary s;
  s.k = r->k;
  const auto& h = r->heterogeneity;
  s.Q = h.Q;
  s.Q_p = h.p;
  s.I2 = h.I2;
  s.H2 = h.H2;
  if (model == model_kind::common) {
    s.estimate = r->common;
    s.tau2 = 0;
    // The common-effect model has no tau^2: its tau^2-based I^2 is 0 and H^2 is 1.
    s.I2_tau2 = r->k >= 2 ? 0.0 : h.I2_tau2;
    s.H2_tau2 = r->k >= 2 ? 1.0 : h.H2_tau2;
  } else {
    s.estimate = r->random;
    s.tau2 = h.tau2;
    s.I2_tau2 = h.I2_tau2;
    s.H2_tau2 = h.H2_tau2;
  }
  return s;
}

std::string refit_table(const std::vector<refit_summary>& rows, const pool_result& full,
                        model_kind model, const std::string& first_column) {
  const auto m = full.measure;
  const std::string eff = m == effect_measure::generic ? "Estimate" : std::string(measure_code(m));
  text_table t({text_table::align::left, text_table::align::right, text_table::align::left,
                text_table::align::right, text_table::align::right, text_table::align::right,
                text_table::align::right});
  t.add_row(
      {first_column, eff, format_level(full.level) + "% CI", "p", "I\u00b2", "\u03c4\u00b2", "Q"});
  t.add_rule();
  for (const auto& r : rows) {
    const auto& e = r.estimate;
    t.add_row({r.label, format_effect(m, e.estimate), format_interval(m, e.ci_lower, e.ci_upper),
               format_p(e.p), format_percent(r.I2), format_fixed(r.tau2, 4), format_fixed(r.Q, 2)});
  }
  t.add_rule();
  const auto& e =
      model == model_kind::common ? full.common : static_cast<const model_estimate&>(full.random);
  t.add_row({"All studies", format_effect(m, e.estimate),
             format_interval(m, e.ci_lower, e.ci_upper), format_p(e.p),
             format_percent(full.heterogeneity.I2),
             format_fixed(model == model_kind::common ? 0.0 : full.heterogeneity.tau2, 4),
             format_fixed(full.heterogeneity.Q, 2)});
  return t.render();
}

}  // namespace srma::detail
