// File: srma/pool.hpp
//
// Inverse-variance pooling: the common-effect model and the random-effects model with any tau^2
// estimator, Wald or HKSJ inference, prediction interval, Q, I^2 (both definitions), H^2 and the
// Q-profile CI for tau^2. O(k) time and memory: no k x k matrix is ever formed.
//
// Example:
//
//   auto studies = srma::read_studies("examples/bcg.csv", {.measure = srma::effect_measure::risk_ratio});
//   auto result = srma::pool(*studies, srma::preset_options(srma::preset::metafor));
//   if (result) fmt::print("RR {:.2f}\n", std::exp(result->random.estimate));
#pragma once

#include <span>

#include "srma/expected.hpp"
#include "srma/pool_options.hpp"
#include "srma/pool_result.hpp"
#include "srma/study_table.hpp"

namespace srma {

/// Pools the studies of `studies` with `options`.
///
/// Errors: srma.model.E300 (invalid options), E301 (too few studies for the model asked: HKSJ or
/// a tau^2 CI with k = 1 is not an error but NaN; an explicit random-effects model with HKSJ and
/// k = 1 is), E303 (an iterative estimator did not converge).
[[nodiscard]] expected<pool_result> pool(const study_table& studies, const pool_options& options);

/// Pools raw effects (labels "Study 1", ...). Same errors, plus those of make_study_table.
[[nodiscard]] expected<pool_result> pool(std::span<const double> yi, std::span<const double> vi,
                                         const pool_options& options,
                                         effect_measure measure = effect_measure::generic);

}  // namespace srma
