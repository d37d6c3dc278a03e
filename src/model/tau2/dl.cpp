// DerSimonian & Laird (1986), general (meta-regression) form as in metafor:
//   tau^2 = max(0, (Q_E - (k - p)) / tr P),  P at w = 1/v,
// SE(tau^2) = sqrt(2(k-p) + 4 tau^2 tr P + 2 tau^4 tr PP) / tr P  (metafor's rma.uni).
#include <cmath>

#include "tau2/estimators.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_dl(const linear_model& m) {
  const auto st = m.at(0.0);
  const double df = static_cast<double>(m.k() - m.p());
  tau2_estimate e;
  e.tau2 = std::max(0.0, (st.rss - df) / st.tr_p);
  const double t = e.tau2;
  e.se = std::sqrt(2 * df + 4 * t * st.tr_p + 2 * t * t * st.tr_pp) / st.tr_p;
  return e;
}

}  // namespace srma::detail
