// File: srma/bias/small_study_bias.hpp
//
// Small-study effects and publication bias for a study table, every test at once (each test is
// also a function of its own in srma/bias/), as metafor computes them:
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

#include "srma/bias/fail_safe_n.hpp"
#include "srma/bias/rank_test.hpp"
#include "srma/bias/regression_test.hpp"
#include "srma/bias/trim_and_fill.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/pool.hpp"

namespace srma {

struct bias_options {
  trimfill_estimator estimator = trimfill_estimator::l0;
  std::optional<funnel_side> side;  ///< Default: chosen as metafor does.
  std::string sample_size_column;   ///< For Peters' test; "" = n_t + n_c when the input had them.
  double alpha = 0.05;              ///< Fail-safe N.

  /// "" when the options are usable, else what is wrong (as pool_options::validate).
  [[nodiscard]] std::string validate() const;
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
};

/// All of the above for a study table, around the model the full analysis leads with.
/// Errors: srma.model.E301 (k < 3), srma.input.E215 (bad sample-size column), and those above.
[[nodiscard]] expected<bias_result> small_study_bias(const study_table& studies,
                                                     const pool_options& options,
                                                     const bias_options& bias = {});

}  // namespace srma
