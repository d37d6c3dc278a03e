// File: srma/model/qprofile.hpp
//
// The Q-profile confidence interval for tau^2 (Viechtbauer 2007), for the intercept-only model and
// for meta-regression.
//
// Example:
//
//   std::vector<double> yi = {-0.89, -1.59, -1.35, -1.44}, vi = {0.33, 0.19, 0.42, 0.02};
//   auto ci = srma::qprofile_tau2_ci(yi, vi, 95);
//   if (ci) fmt::print("tau^2 95% CI [{:.4f}, {:.4f}]\n", ci->lower, ci->upper);
#pragma once

#include <span>

#include "srma/model/linear_model.hpp"
#include "srma/model/tau2.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// Confidence interval for tau^2 by the Q-profile method (Viechtbauer 2007): the tau^2 values
/// where the generalised Q statistic Q(tau^2) = sum w*_i (y_i - mu(tau^2))^2 equals the
/// chi-square(k-p) quantiles at 1 - alpha/2 (lower bound) and alpha/2 (upper bound); a bound is 0
/// when Q(0) falls below its quantile. Bounds are exact roots, not capped at a search limit.
struct tau2_interval {
  double lower = 0;
  double upper = 0;
  bool null_set = false;  ///< Q(0) below even the lower quantile: metafor's [0, 0] "null set".
};

/// Q-profile CI for the intercept-only model at `level_percent` (e.g. 95).
/// Errors: srma.input.E213 (yi and vi differ in length), srma.model.E301 (k < 2), E303.
[[nodiscard]] expected<tau2_interval> qprofile_tau2_ci(std::span<const double> yi,
                                                       std::span<const double> vi,
                                                       double level_percent = 95,
                                                       const tau2_control& control = {});

/// Q-profile CI for any linear model, with k - p degrees of freedom.
/// Errors: srma.model.E301 (k <= p), srma.model.E303 (a root search did not converge).
[[nodiscard]] expected<tau2_interval> qprofile_tau2_ci(const linear_model& model,
                                                       double level_percent = 95,
                                                       const tau2_control& control = {});

}  // namespace srma
