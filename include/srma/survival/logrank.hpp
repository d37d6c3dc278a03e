// File: srma/survival/logrank.hpp
//
// The two-sample log-rank test as R's survival::survdiff computes it (rho = 0): observed and
// expected events per arm, O - E and its hypergeometric variance V for the treatment arm, the
// chi-square on 1 df and its p-value, and Peto's one-step ln HR = (O - E) / V.
//
// Example:
//
//   auto lr = srma::logrank_two_arm(data, t, c);
//   if (lr) fmt::print("chi2 {:.3f}, p {:.4f}\n", lr->chisq, lr->p);
#pragma once

#include <cstddef>

#include "srma/survival/ipd.hpp"
#include "srma/util/expected.hpp"

namespace srma {

struct logrank_result {
  double observed_treatment = 0, expected_treatment = 0;
  double observed_control = 0, expected_control = 0;
  double o_minus_e = 0;   ///< Of the treatment arm.
  double v = 0;           ///< Sum of d n1 n0 (n - d) / (n^2 (n - 1)) over event times.
  double chisq = 0;       ///< (O - E)^2 / V.
  double p = 1;           ///< Upper tail of chi-square on 1 df.
  double peto_loghr = 0;  ///< (O - E) / V.
};

/// Log-rank test of `treatment` against `control` (other arms ignored). Errors:
/// srma.survival.E902 (arm indices), srma.survival.E903 (V = 0: no events, or none while both
/// arms have patients at risk, or every patient at risk dies at once; R's survdiff stops there),
/// srma.survival.E901 (patient data with a bad time, event or arm index).
[[nodiscard]] expected<logrank_result> logrank_two_arm(const survival_data& data,
                                                       std::size_t treatment, std::size_t control);

}  // namespace srma
