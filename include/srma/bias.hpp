// File: srma/bias.hpp
//
// Small-study effects and publication bias, as metafor computes them:
//   - Egger's regression test: classical (weighted least squares of y on its SE, t with k - 2
//     df; metafor regtest(model = "lm")) and mixed-effects (the meta-regression on the SE with
//     the model's estimator and test; regtest()), with the limit estimate (the intercept: the
//     effect as SE -> 0);
//   - Peters' test: the same regression on 1/n (regtest(predictor = "ninv")), when sizes exist;
//   - Begg and Mazumdar's rank correlation (ranktest()): Kendall's tau between standardised
//     effects and variances, with R's exact p-value when there are no ties;
//   - trim-and-fill (Duval & Tweedie 2000) with the L0 or R0 estimator, side chosen as metafor;
//   - fail-safe N: Rosenthal (Stouffer), Orwin (target half the mean), Rosenberg.
// The Cochrane Handbook advises against these tests with fewer than 10 studies: the result then
// carries a warning (not an error).
//
// Example:
//
//   auto b = srma::small_study_bias(studies, opts, {});
//   if (b) fmt::print("Egger p = {:.3f}\n", b->egger.p);
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "srma/pool.hpp"

namespace srma {

/// A regression test for funnel-plot asymmetry.
struct regression_test {
  std::string predictor;  ///< "sei" (Egger) or "ninv" (Peters).
  bool mixed = false;     ///< Mixed-effects (model's estimator) rather than weighted LS.
  double bias = 0;        ///< Coefficient of the predictor.
  double se = 0;
  double statistic = 0;  ///< z or t.
  double df = 0;         ///< t degrees of freedom; NaN for z.
  double p = 0;
  double limit_estimate = 0;  ///< Intercept: the effect where the predictor is 0.
  double limit_ci_lower = 0, limit_ci_upper = 0;
};

/// Kendall's rank correlation test of Begg & Mazumdar (1994).
struct rank_test {
  double tau = 0;
  double p = 0;
  bool exact = true;  ///< Exact permutation distribution (no ties), else normal approximation.
};

enum class trimfill_estimator { l0, r0 };

struct trimfill_result {
  trimfill_estimator estimator = trimfill_estimator::l0;
  std::size_t k0 = 0;  ///< Number of filled studies.
  double se_k0 = 0;
  std::string side;         ///< "left" or "right": where studies are missing.
  model_estimate estimate;  ///< The model refitted with the filled studies (Wald z).
  double tau2 = 0;
  std::vector<double> filled_yi, filled_vi;
  int iterations = 0;
};

struct failsafe_result {
  double alpha = 0.05;
  double rosenthal = 0;  ///< Studies averaging z = 0 needed to make the Stouffer z non-significant.
  double orwin = 0;      ///< Studies with effect 0 needed to halve the (unweighted) mean effect.
  double rosenberg = 0;  ///< Weighted (fixed-effect) version of Rosenthal's approach.
};

struct bias_options {
  trimfill_estimator estimator = trimfill_estimator::l0;
  std::optional<std::string> side;  ///< "left" or "right"; default chosen as metafor does.
  std::string sample_size_column;   ///< For Peters' test; "" = n_t + n_c when the input had them.
  double alpha = 0.05;              ///< Fail-safe N.
};

struct bias_result {
  std::size_t k = 0;
  model_kind model = model_kind::random;
  pool_result full;
  regression_test egger;        ///< Classical (weighted least squares).
  regression_test egger_mixed;  ///< Mixed-effects, with the model's estimator and test.
  std::optional<regression_test> peters;
  rank_test begg;
  trimfill_result trimfill;
  failsafe_result failsafe;
  std::vector<std::string> warnings;

  [[nodiscard]] std::string full_report() const;
};

/// Egger's test on raw effects. `mixed` false: weighted least squares (the model's options are
/// ignored); true: meta-regression on sqrt(vi) with `options` (common effect when
/// options.model == common). Errors: srma.model.E301 (k < 3), E304 (all SEs equal).
[[nodiscard]] expected<regression_test> egger_test(std::span<const double> yi,
                                                   std::span<const double> vi,
                                                   const pool_options& options, bool mixed);

/// Peters' test: as Egger's with predictor 1/n. Errors as egger_test; srma.input.E205 for n <= 0.
[[nodiscard]] expected<regression_test> peters_test(std::span<const double> yi,
                                                    std::span<const double> vi,
                                                    std::span<const double> n,
                                                    const pool_options& options, bool mixed);

/// Begg & Mazumdar's rank correlation test. Errors: srma.model.E301 (k < 3).
[[nodiscard]] expected<rank_test> begg_test(std::span<const double> yi, std::span<const double> vi);

/// Trim-and-fill around the model of `options` (common effect when options.model == common).
/// Errors: srma.model.E301 (k < 3), E303 (no convergence in 100 iterations).
[[nodiscard]] expected<trimfill_result> trim_and_fill(std::span<const double> yi,
                                                      std::span<const double> vi,
                                                      const pool_options& options,
                                                      trimfill_estimator estimator,
                                                      std::optional<std::string> side = {});

/// Fail-safe numbers (metafor's fsn() with its defaults).
[[nodiscard]] failsafe_result failsafe_n(std::span<const double> yi, std::span<const double> vi,
                                         double alpha = 0.05);

/// All of the above for a study table, around the model the full analysis leads with.
/// Errors: srma.model.E301 (k < 3), srma.input.E215 (bad sample-size column), and those above.
[[nodiscard]] expected<bias_result> small_study_bias(const study_table& studies,
                                                     const pool_options& options,
                                                     const bias_options& bias = {});

}  // namespace srma
