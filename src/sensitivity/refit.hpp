// Shared pieces of the sensitivity analyses that refit the model on subsets (private).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loo_fast.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/pool.hpp"
#include "srma/sensitivity/refit_summary.hpp"

namespace srma::detail {

/// The model an analysis refits: the full analysis' primary model, fixed for all refits.
model_kind refit_model(const pool_result& full);

/// The studies of (yi, vi) without study `skip`, into y and v (reused buffers).
void all_but(std::span<const double> yi, std::span<const double> vi, std::size_t skip,
             std::vector<double>& y, std::vector<double>& v);

/// Fits `model` on (yi, vi) with `options` (no tau^2 CI) and summarises it.
expected<refit_summary> refit(std::span<const double> yi, std::span<const double> vi,
                              const pool_options& options, model_kind model);

/// The summary of a fit without one study from loo_fitter, as refit() summarises pool_effects()
/// (`k`: the studies in the fit; `method`: the analysis' tau^2 estimator).
refit_summary summary_of(const loo_fit& f, std::size_t k, tau2_method method, model_kind model);

/// True when an analysis with `options` on `studies` pools 2x2 tables by Mantel-Haenszel or Peto
/// (pool_2x2), so that its refits must too (metafor's leave1out.rma.mh, cumul.rma.peto, ...).
bool pools_tables(const study_table& studies, const pool_options& options);

/// The full fit of an analysis: pool_2x2 when pools_tables(), pool() otherwise.
expected<pool_result> full_fit(const study_table& studies, const pool_options& options);

/// Refits `model` on the studies at `rows` of `studies` by pool_2x2 (Mantel-Haenszel or Peto
/// for the common-effect model, DerSimonian-Laird about that estimate for random effects) and
/// summarises it as refit() does.
expected<refit_summary> refit_tables(const study_table& studies, std::span<const std::size_t> rows,
                                     const pool_options& options, model_kind model);

/// The row of a refit of k studies that failed: fitted = false, every number NaN.
refit_summary failed_refit(std::size_t k);

/// The note of row `row` (described as e.g. "without 'Smith 1990' (row 3)"): why it failed
/// (`error` set), or why its tau^2 estimator fell back (`fell_back`); nullopt when neither.
std::optional<std::string> refit_note(const std::string& row, const std::optional<error>& error,
                                      bool fell_back, const std::vector<std::string>& notes);

}  // namespace srma::detail
