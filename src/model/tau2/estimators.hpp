// The tau^2 estimators on a general linear_model (private). One source file per estimator in
// src/tau2/, each with its formula and citation; the public entry points are in srma/tau2.hpp.
#pragma once

#include <cmath>

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

/// sqrt(c0 x^2 + c1 x y + c2 y^2) for x, y >= 0 and c0, c1, c2 >= 0, computed as
/// t sqrt(c0 (x/t)^2 + c1 (x/t)(y/t) + c2 (y/t)^2) with t = max(x, y), so that neither square
/// overflows nor underflows (the SEs of tau^2 have this form with x a variance scale and y =
/// tau^2).
inline double sqrt_quadratic_form(double x, double y, double c0, double c1, double c2) {
  const double t = x > y ? x : y;
  if (!(t > 0)) return 0;
  const double a = x / t, b = y / t;
  return t * std::sqrt(c0 * a * a + c1 * a * b + c2 * b * b);
}

/// metafor's SE of the PM/EB estimate: sqrt(2 k^2 / (k - p)) / sum w*.
double se_pm(const linear_model& m, double tau2);

}  // namespace srma::detail
