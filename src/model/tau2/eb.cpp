// Empirical Bayes (Morris 1983; Berkey et al. 1995). metafor iterates
//   tau^2 <- tau^2 + (Q(tau^2) k/(k-p) - k) / sum w*,
// whose fixed point is Q(tau^2) = k - p: the Paule-Mandel equation. We solve that equation
// directly (to machine precision) and report metafor's EB standard error, which is PM's.
#include "tau2/estimators.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_eb(const linear_model& m, const tau2_control& c) {
  return estimate_pm(m, c);
}

}  // namespace srma::detail
