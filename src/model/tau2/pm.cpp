// Paule & Mandel (1982): tau^2 solves the generalised Q equation Q(tau^2) = k - p; tau^2 = 0 when
// Q(0) < k - p (DerSimonian & Kacker 2007). SE as metafor: sqrt(2 k^2 / (k - p)) / sum w*,
// computed as sqrt(2 k^2 / (k - p)) s / sum w~* (sum w~* = s sum w*, s = min v + tau^2), and
// Q(0) > k - p tested as Q~(0) > (k - p) s (linear_model.hpp), so no weight overflows.
#include <cmath>

#include "tau2/estimators.hpp"

namespace srma::detail {

double se_pm(const linear_model& m, double tau2) {
  const double k = static_cast<double>(m.k());
  const double df = static_cast<double>(m.k() - m.p());
  const auto st = m.scaled_at(tau2);
  return std::sqrt(2 * k * k / df) * (st.scale / st.sum_a);
}

expected<tau2_estimate> estimate_pm(const linear_model& m, const tau2_control& c) {
  const double target = static_cast<double>(m.k() - m.p());
  tau2_estimate e;
  const auto q0 = m.scaled_rss(0.0);
  if (q0.rss > target * q0.scale) {
    auto root = solve_generalised_q(m, target, 0.0, c);
    if (!root) return unexpected(root.error());
    e.tau2 = *root;
  }
  e.se = se_pm(m, e.tau2);
  return e;
}

}  // namespace srma::detail
