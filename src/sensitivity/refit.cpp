#include "refit.hpp"

#include <fmt/format.h>

#include <cmath>

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

}  // namespace srma::detail
