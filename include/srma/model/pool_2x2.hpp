// File: srma/model/pool_2x2.hpp
//
// Pooling 2x2 tables by each tool's rules: the common-effect estimate by Mantel-Haenszel or
// Peto (options.method), the random-effects estimate from the studies' own estimates, and the
// result in the same `pool_result` every report, figure and plan reads. RevMan 5 computes its
// dichotomous analyses this way (Deeks & Higgins 2010, "Statistical algorithms in Review
// Manager 5"): MH (or Peto) for the common-effect model, DerSimonian-Laird random effects with
// tau^2 from the heterogeneity statistic about the MH (or Peto) estimate.
//
// Example:
//
//   auto studies = srma::read_studies("trials.csv", {.measure = srma::effect_measure::odds_ratio});
//   auto opts = srma::preset_options(srma::preset::revman5);  // MH, DL, RevMan's zero cells
//   auto r = srma::pool_2x2(*studies, opts);
//   if (r) fmt::print("MH OR {:.2f}\n", std::exp(r->common.estimate));
#pragma once

#include "srma/data/study_table.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// True when `studies` came from 2x2 counts (events_t, n_t, events_c, n_c) with a measure
/// Mantel-Haenszel can pool (OR, RR, RD).
[[nodiscard]] bool has_2x2_counts(const study_table& studies);

/// The studies without the tables that carry no information for Peto's odds ratio (V = 0: no
/// events, or only events, in both arms), each moved to `excluded` with its reason, so that a
/// figure or subgroup analysis shows the same studies as the Peto fit. Other input is returned
/// unchanged.
[[nodiscard]] study_table informative_for_peto(const study_table& studies);

/// Pools the studies of a 2x2 table by options.method:
///
/// - inverse_variance: exactly `pool(studies, options)`.
/// - mantel_haenszel: the common-effect estimate, its weights and Q, I^2, H^2 from
///   pool_mantel_haenszel() with the rules of options.counts (metafor's rma.mh or RevMan 5);
///   for the odds ratio also the Cochran-Mantel-Haenszel and Tarone tests. The studies' own
///   estimates (yi, vi as read, with the zero-cell rule of the read) give the random-effects
///   model; under DerSimonian-Laird its tau^2 is (Q - df) / (sum w - sum w^2 / sum w) with Q the
///   MH-based statistic, as RevMan 5 (meta: Q.Cochrane = TRUE); other estimators are unchanged.
/// - peto (odds ratio only): the common-effect estimate, weights and Q of pool_peto(); the
///   studies are shown with their Peto log OR (O - E)/V and variance 1/V, which also give the
///   random-effects model (DL tau^2 from the Peto Q). A table without information (V = 0: no
///   events, or events in everybody) is not estimable and is left out with a note.
///
/// The counts are the study attributes events_t, n_t, events_c, n_c (study_table keeps every
/// input column). Errors: srma.input.E206 (MH or Peto asked for input without 2x2 counts, or
/// Peto for a measure other than OR), and those of pool(), pool_mantel_haenszel() and
/// pool_peto().
[[nodiscard]] expected<pool_result> pool_2x2(const study_table& studies,
                                             const pool_options& options);

}  // namespace srma
