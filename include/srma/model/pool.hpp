// File: srma/model/pool.hpp
//
// Inverse-variance pooling: the common-effect model and the random-effects model with any tau^2
// estimator, Wald or HKSJ inference, prediction interval, Q, I^2 (both definitions), H^2 and the
// Q-profile CI for tau^2. O(k) time and memory: no k x k matrix is ever formed.
//
// Example:
//
//   auto studies = srma::read_studies("examples/bcg.csv", {.measure =
//   srma::effect_measure::risk_ratio}); auto result = srma::pool(*studies,
//   srma::preset_options(srma::preset::metafor)); if (result) fmt::print("RR {:.2f}\n",
//   std::exp(result->random.estimate));
#pragma once

#include <optional>
#include <span>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// Pools the studies of `studies` with `options`.
///
/// With one study, tau^2 = 0 and both models give the study's own estimate; the heterogeneity
/// statistics and the tau^2 CI are NaN, and HKSJ (undefined for k = 1) falls back to the Wald
/// interval, with a note in `notes`.
///
/// Errors: srma.model.E300 (invalid options), E301 (no studies), E303 (an iterative estimator did
/// not converge).
[[nodiscard]] expected<pool_result> pool(const study_table& studies, const pool_options& options);
/// The same, taking the labels, estimates, variances and hazard-ratio sources from `studies`
/// instead of copying them (for a table that is not needed afterwards: at 10^6 studies the
/// copies are 48 MB). On success `studies.study`, `yi`, `vi` and `hr_source` are left empty; on
/// an error, unchanged.
[[nodiscard]] expected<pool_result> pool(study_table&& studies, const pool_options& options);

/// Pools raw effects (labels "Study 1", ...). Same errors, plus those of make_study_table.
[[nodiscard]] expected<pool_result> pool(std::span<const double> yi, std::span<const double> vi,
                                         const pool_options& options,
                                         effect_measure measure = effect_measure::generic);

/// Pools (yi, vi) without labels: the path every refitting analysis takes. With `fixed_tau2`
/// the random-effects model uses that tau^2 (e.g. one shared across subgroups) and no tau^2 SE
/// or CI is computed; `with_tau2_ci = false` skips the Q-profile CI (refits in sensitivity
/// analyses). Errors: those of `pool`, and srma.input.E213 when yi and vi differ in length.
[[nodiscard]] expected<pool_result> pool_effects(std::span<const double> yi,
                                                 std::span<const double> vi,
                                                 const pool_options& options,
                                                 effect_measure measure = effect_measure::generic,
                                                 std::optional<double> fixed_tau2 = std::nullopt,
                                                 bool with_tau2_ci = true);

}  // namespace srma
