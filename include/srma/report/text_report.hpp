// File: srma/report/text_report.hpp
//
// Plain-text reports of every result the statistics return: what `srma pool`, `srma bias`,
// `srma leave1out`, ... print. The statistics themselves return numbers and notes only; all
// wording lives here (as ceres keeps FullReport() apart from the solver, and metafor keeps
// print.rma() apart from rma()). `brief_report` is one paragraph for a methods or results section;
// `full_report` is the whole table.
//
// Example:
//
//   auto fit = srma::pool(studies, srma::preset_options(srma::preset::metafor));
//   if (fit) fmt::print("{}", srma::full_report(*fit));
#pragma once

#include <string>

#include "srma/bias/small_study_bias.hpp"
#include "srma/model/metareg.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/review/nos.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/survival/km_reconstruct.hpp"

namespace srma {

/// One paragraph: the pooled effect with its CI and p-value under the leading model, the
/// heterogeneity in the Cochrane Handbook's words, the prediction interval.
[[nodiscard]] std::string brief_report(const pool_result& r);
/// Studies the table of full_report lists; beyond it the first and last ten are listed with a
/// row that says how many are not (the JSON lists every study).
inline constexpr std::size_t max_listed_studies = 5000;

/// The study table with weights, both models, heterogeneity, notes and the brief report.
[[nodiscard]] std::string full_report(const pool_result& r);
/// Each subgroup's studies and models, the overall model and the test for subgroup differences.
[[nodiscard]] std::string full_report(const subgroup_analysis& r);
/// Coefficients, the test of moderators, residual heterogeneity and R².
[[nodiscard]] std::string full_report(const metareg_result& r);
/// Permutation p-values of each coefficient and of the omnibus test.
[[nodiscard]] std::string full_report(const permtest_result& r);
/// One row per omitted study.
[[nodiscard]] std::string full_report(const leave1out_result& r);
/// One row per added study.
[[nodiscard]] std::string full_report(const cumulative_result& r);
/// metafor's influence diagnostics per study, with the influential ones named.
[[nodiscard]] std::string full_report(const influence_result& r);
/// Egger, Peters, Begg, trim-and-fill and fail-safe N.
[[nodiscard]] std::string full_report(const bias_result& r);
/// "Newcastle–Ottawa Scale (cohort studies), 11 studies: 8 high (≥ 6 stars), 3 low (< 6)".
[[nodiscard]] std::string brief_report(const review::nos_table& r);
/// The brief report and one line per study.
[[nodiscard]] std::string full_report(const review::nos_table& r);

/// Cox model (HR, CI, Wald, likelihood-ratio and score tests), log-rank test, and per arm n,
/// events, the median with its CI and the RMST when computed (srma km hr).
[[nodiscard]] std::string full_report(const km_analysis& a);
/// One arm's reconstruction: patients, events (and those reported), the largest distance between
/// the rebuilt curve and the points, what cleaning changed, the numbers at risk, warnings.
[[nodiscard]] std::string full_report(const arm_reconstruction& r);

}  // namespace srma
