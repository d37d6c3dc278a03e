// Hunter & Schmidt (2004), in metafor's general form:
//   tau^2 = max(0, (Q_E - k) / sum w),  w = 1/v,
// SE(tau^2) = sqrt(2(k-p) + 4 tau^2 tr P + 2 tau^4 tr PP) / sum w  (metafor's rma.uni).
#include <cmath>

#include "tau2/estimators.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_hs(const linear_model& m) {
  const auto st = m.at(0.0);
  const double k = static_cast<double>(m.k());
  const double df = static_cast<double>(m.k() - m.p());
  tau2_estimate e;
  e.tau2 = std::max(0.0, (st.rss - k) / st.sum_a);
  const double t = e.tau2;
  e.se = std::sqrt(2 * df + 4 * t * st.tr_p + 2 * t * t * st.tr_pp) / st.sum_a;
  return e;
}

}  // namespace srma::detail
