// The tau^2 estimators on a general linear_model (private). One source file per estimator in
// src/tau2/, each with its formula and citation; the public entry points are in srma/tau2.hpp.
#pragma once

#include "srma/model/linear_model.hpp"
#include "srma/model/qprofile.hpp"
#include "srma/model/tau2.hpp"
#include "srma/util/expected.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_dl(const linear_model& m);
expected<tau2_estimate> estimate_he(const linear_model& m);
expected<tau2_estimate> estimate_hs(const linear_model& m);
expected<tau2_estimate> estimate_sj(const linear_model& m);
expected<tau2_estimate> estimate_ml(const linear_model& m, const tau2_control& c);
expected<tau2_estimate> estimate_reml(const linear_model& m, const tau2_control& c);
expected<tau2_estimate> estimate_pm(const linear_model& m, const tau2_control& c);
expected<tau2_estimate> estimate_eb(const linear_model& m, const tau2_control& c);

/// The tau^2 >= lo at which y'Py (the generalised Q) equals `target`, given Q(lo) > target.
/// Q(tau^2) is decreasing and convex, so Newton steps from the left approach the root
/// monotonically (d Q / d tau^2 = -y'PPy). Errors: srma.model.E303 when it does not converge.
expected<double> solve_generalised_q(const linear_model& m, double target, double lo,
                                     const tau2_control& c);

/// metafor's SE of the PM/EB estimate: sqrt(2 k^2 / (k - p)) / sum w*.
double se_pm(const linear_model& m, double tau2);

}  // namespace srma::detail
