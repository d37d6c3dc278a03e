// Fisher scoring for ML and REML (Harville 1977; Raudenbush 2009; metafor's rma.uni):
//   ML:   step = (y'PPy - tr W) / tr W^2
//   REML: step = (y'PPy - tr P) / tr PP
// with P at w* = 1/(v + tau^2); the step is halved while it would make tau^2 negative.
#include "fisher_scoring.hpp"

#include <fmt/format.h>

#include <cmath>

#include "srma/util/error_ids.hpp"

namespace srma::detail {

expected<tau2_estimate> fisher_scoring(const linear_model& m, bool reml, const tau2_control& c) {
  auto start = estimate_he(m);
  double tau2 = std::max(0.0, start->tau2);
  const double scale = m.typical_v();
  tau2_estimate e;
  bool converged = false;
  for (int it = 1; it <= c.max_iter; ++it) {
    const auto st = m.at(tau2);
    double step = reml ? (st.ypp_y - st.tr_p) / st.tr_pp : (st.ypp_y - st.sum_a) / st.sum_a2;
    if (!std::isfinite(step)) step = 0;
    while (tau2 + step < 0) step /= 2;  // metafor: keep tau^2 >= tau2.min = 0
    tau2 += step;
    e.iterations = it;
    if (std::fabs(step) <= c.rel_tol * (tau2 + scale)) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    return fail(errc::model_no_convergence,
                fmt::format("Fisher scoring for {} did not converge in {} iterations",
                            reml ? "REML" : "ML", c.max_iter));
  }
  // The likelihood can have its maximum on the boundary while scoring stops at a stationary
  // point inside; metafor compares with tau^2 = 0 and takes 0 when that is higher.
  if (tau2 > 0) {
    const double ll0 = m.log_likelihood(0.0, reml);
    const double ll = m.log_likelihood(tau2, reml);
    if (ll0 - ll > 1e-10 * (1 + std::fabs(ll))) {
      e.notes.push_back(fmt::format(
          "{} stopped at a local maximum (tau^2 = {:.6g}); the likelihood is higher at 0, so "
          "tau^2 = 0",
          reml ? "REML" : "ML", tau2));
      e.at_zero_by_ll_check = true;
      tau2 = 0;
    }
  }
  e.tau2 = tau2;
  const auto st = m.at(tau2);
  // SE from the Fisher information: ML sqrt(2 / sum w*^2), REML sqrt(2 / tr PP).
  e.se = reml ? std::sqrt(2 / st.tr_pp) : std::sqrt(2 / st.sum_a2);
  return e;
}

}  // namespace srma::detail
