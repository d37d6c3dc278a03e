// File: srma/bias/regression_test.hpp
//
// Regression tests for funnel-plot asymmetry, as metafor's regtest() computes them:
//   - Egger's test (Egger et al. 1997): yi regressed on its standard error sqrt(vi). Classical
//     form (`mixed = false`; regtest(model = "lm")): weighted least squares with weights 1/vi and
//     a t(k - 2) test of the slope; mixed-effects form (`mixed = true`; regtest()): the
//     meta-regression yi = b0 + b1 sqrt(vi) + u_i + e_i with the model's tau^2 estimator and test.
//   - Peters' test (Peters et al. 2006): the same regression on 1/n.
// The intercept b0 is the "limit estimate": the effect expected of a study with SE (or 1/n) -> 0.
//
// Example:
//
//   auto e = srma::egger_test(yi, vi, srma::pool_options{}, /*mixed=*/false);
//   if (e) fmt::print("Egger bias {:.3f}, p = {:.4f}\n", e->bias, e->p);
#pragma once

#include <span>
#include <string_view>

#include "srma/model/pool_options.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// The predictor of a regression test.
enum class bias_predictor {
  sei,   ///< the standard error sqrt(vi) (Egger)
  ninv,  ///< the inverse sample size 1/n (Peters)
};

/// "sei" or "ninv" (metafor's names, used in JSON).
[[nodiscard]] std::string_view to_string(bias_predictor p);

/// A regression test for funnel-plot asymmetry.
struct regression_test {
  bias_predictor predictor = bias_predictor::sei;
  bool mixed = false;  ///< Mixed-effects (model's estimator) rather than weighted LS.
  double bias = 0;     ///< Coefficient of the predictor.
  double se = 0;
  double statistic = 0;  ///< z or t.
  double df = 0;         ///< t degrees of freedom; NaN for z.
  double p = 0;
  double limit_estimate = 0;  ///< Intercept: the effect where the predictor is 0.
  double limit_ci_lower = 0, limit_ci_upper = 0;
};

/// Egger's test on raw effects. `mixed` false: weighted least squares (the model's options are
/// ignored); true: meta-regression on sqrt(vi) with `options` (common effect when
/// options.model == common). Errors: srma.input.E213/E205 (see srma/util/check.hpp),
/// srma.model.E301 (k < 3), E304 (all SEs equal).
[[nodiscard]] expected<regression_test> egger_test(std::span<const double> yi,
                                                   std::span<const double> vi,
                                                   const pool_options& options, bool mixed);

/// Peters' test: as Egger's with predictor 1/n. Errors as egger_test; srma.input.E205 for n <= 0,
/// srma.input.E213 when n differs in length from yi.
[[nodiscard]] expected<regression_test> peters_test(std::span<const double> yi,
                                                    std::span<const double> vi,
                                                    std::span<const double> n,
                                                    const pool_options& options, bool mixed);

}  // namespace srma
