// Hunter & Schmidt (2004), in metafor's general form:
//   tau^2 = max(0, (Q_E - k) / sum w),  w = 1/v,
// SE(tau^2) = sqrt(2(k-p) + 4 tau^2 tr P + 2 tau^4 tr PP) / sum w  (metafor's rma.uni).
//
// From the scaled functionals (Q~ = s Q, sum w~ = s sum w, tr P~ = s tr P, tr P~P~ = s^2 tr PP,
// s = min v; linear_model.hpp):
//   tau^2 = (Q~ - k s) / sum w~,
//   SE = sqrt(2(k-p) s^2 + 4 tau^2 s tr P~ + 2 tau^4 tr P~P~) / sum w~.
#include <cmath>

#include "tau2/estimators.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_hs(const linear_model& m) {
  const auto st = m.scaled_at(0.0);
  const double s = st.scale;
  const double k = static_cast<double>(m.k());
  const double df = static_cast<double>(m.k() - m.p());
  tau2_estimate e;
  e.tau2 = std::max(0.0, (st.rss - k * s) / st.sum_a);
  e.se = sqrt_quadratic_form(s, e.tau2, 2 * df, 4 * st.tr_p, 2 * st.tr_pp) / st.sum_a;
  return e;
}

}  // namespace srma::detail
