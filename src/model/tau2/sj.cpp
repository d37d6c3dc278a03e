// Sidik & Jonkman (2005): with the crude start tau0^2 = var(y) (k-1)/k (divisor k),
//   tau^2 = tau0^2 * Q(tau0^2) / (k - p),  Q(.) the generalised Q at weights 1/(v + tau0^2).
// Never negative. SE(tau^2) = tau0^2/(k-p) sqrt(2 tr(PVPV) + 4 tau^2 tr(PVP) + 2 tau^4 tr(PP)),
// P at 1/(v + tau0^2) (metafor's rma.uni).
//
// From the scaled functionals at tau0^2 (s = min v + tau0^2, Q~ = s Q, tr P~V~P~V~ = tr PVPV,
// tr P~V~P~ = s tr PVP, tr P~P~ = s^2 tr PP; linear_model.hpp), with tau0^2 / s <= 1:
//   tau^2 = (tau0^2 / s) Q~ / (k - p),
//   SE = (tau0^2 / s) / (k-p) sqrt(2 s^2 tr P~V~P~V~ + 4 tau^2 s tr P~V~P~ + 2 tau^4 tr P~P~).
#include <cmath>

#include "tau2/estimators.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_sj(const linear_model& m) {
  const auto y = m.y();
  const double k = static_cast<double>(m.k());
  double mean = 0;
  for (double x : y) mean += x;
  mean /= k;
  double ss = 0;
  for (double x : y) ss += (x - mean) * (x - mean);
  const double tau0 = ss / k;
  const auto st = m.scaled_at(tau0, /*with_v=*/true);
  const double s = st.scale;
  const double ratio = tau0 / s;
  const double df = static_cast<double>(m.k() - m.p());
  tau2_estimate e;
  e.tau2 = std::max(0.0, ratio * st.rss / df);
  e.se = ratio / df * sqrt_quadratic_form(s, e.tau2, 2 * st.tr_pvpv, 4 * st.tr_pvp, 2 * st.tr_pp);
  return e;
}

}  // namespace srma::detail
