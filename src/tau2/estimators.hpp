// The tau^2 estimators on a general linear_model (private). One source file per estimator in
// src/tau2/, each with its formula and citation; the public entry points are in srma/tau2.hpp.
#pragma once

#include "srma/expected.hpp"
#include "srma/tau2.hpp"
#include "stats/linear_model.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_dl(const linear_model& m);
expected<tau2_estimate> estimate_he(const linear_model& m);
expected<tau2_estimate> estimate_hs(const linear_model& m);
expected<tau2_estimate> estimate_sj(const linear_model& m);
expected<tau2_estimate> estimate_ml(const linear_model& m, const tau2_control& c);
expected<tau2_estimate> estimate_reml(const linear_model& m, const tau2_control& c);
expected<tau2_estimate> estimate_pm(const linear_model& m, const tau2_control& c);
expected<tau2_estimate> estimate_eb(const linear_model& m, const tau2_control& c);

/// Dispatches on `method`. Requires k > p. Errors: srma.model.E301 (k <= p).
expected<tau2_estimate> estimate_tau2(const linear_model& m, tau2_method method,
                                      const tau2_control& c);

/// The tau^2 >= lo at which y'Py (the generalised Q) equals `target`, given Q(lo) > target.
/// Q(tau^2) is decreasing and convex, so Newton steps from the left approach the root
/// monotonically (d Q / d tau^2 = -y'PPy). Errors: srma.model.E303 when it does not converge.
expected<double> solve_generalised_q(const linear_model& m, double target, double lo,
                                     const tau2_control& c);

/// Q-profile CI (Viechtbauer 2007) on a general model with k - p degrees of freedom.
expected<tau2_interval> qprofile_ci(const linear_model& m, double level_percent,
                                    const tau2_control& c);

/// metafor's SE of the PM/EB estimate: sqrt(2 k^2 / (k - p)) / sum w*.
double se_pm(const linear_model& m, double tau2);

}  // namespace srma::detail
