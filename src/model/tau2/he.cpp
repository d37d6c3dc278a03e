// Hedges (1983) / Hedges & Olkin (1985) "variance component" estimator, unweighted:
//   tau^2 = max(0, (y'P1y - tr(P1 V)) / (k - p)),  P1 = I - X(X'X)^-1 X'
// (intercept only: sample variance of y minus the mean of v).
// SE(tau^2) = sqrt(2 tr(P1VP1V) + 4 tau^2 tr(P1V) + 2 tau^4 (k-p)) / (k - p)  (metafor).
//
// unweighted() divides V by c = max v (so v near 1e300 does not overflow v^2):
// tr(P1V) = c tr(P1V~), tr(P1VP1V) = c^2 tr(P1V~P1V~), and
//   SE = sqrt(2 c^2 tr(P1V~P1V~) + 4 tau^2 c tr(P1V~) + 2 tau^4 (k-p)) / (k - p).
#include <cmath>

#include "tau2/estimators.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_he(const linear_model& m) {
  const auto st = m.unweighted(/*with_v=*/true);
  const double c = st.scale;
  const double df = static_cast<double>(m.k() - m.p());
  tau2_estimate e;
  e.tau2 = std::max(0.0, (st.rss - c * st.tr_pv) / df);
  e.se = sqrt_quadratic_form(c, e.tau2, 2 * st.tr_pvpv, 4 * st.tr_pv, 2 * df) / df;
  return e;
}

}  // namespace srma::detail
