// DerSimonian & Laird (1986), general (meta-regression) form as in metafor:
//   tau^2 = max(0, (Q_E - (k - p)) / tr P),  P at w = 1/v,
// SE(tau^2) = sqrt(2(k-p) + 4 tau^2 tr P + 2 tau^4 tr PP) / tr P  (metafor's rma.uni).
//
// Computed from the scaled functionals (linear_model.hpp: Q~ = s Q, tr P~ = s tr P,
// tr P~P~ = s^2 tr PP, s = min v), so that weights 1/v near 1e200 do not overflow:
//   tau^2 = (Q~ - (k - p) s) / tr P~,
//   SE = sqrt(2(k-p) s^2 + 4 tau^2 s tr P~ + 2 tau^4 tr P~P~) / tr P~
// (numerator and denominator of both formulas multiplied by s, resp. s^2).
#include <cmath>

#include "tau2/estimators.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_dl(const linear_model& m) {
  const auto st = m.scaled_at(0.0);
  const double s = st.scale;
  const double df = static_cast<double>(m.k() - m.p());
  tau2_estimate e;
  e.tau2 = std::max(0.0, (st.rss - df * s) / st.tr_p);
  e.se = sqrt_quadratic_form(s, e.tau2, 2 * df, 4 * st.tr_p, 2 * st.tr_pp) / st.tr_p;
  return e;
}

}  // namespace srma::detail
