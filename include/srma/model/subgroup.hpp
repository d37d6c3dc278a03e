// File: srma/model/subgroup.hpp
//
// Subgroup analysis: the model within each level of a study attribute (e.g. tumour location),
// each subgroup's share of the total weight, and the test for subgroup differences.
//
// Within each subgroup tau^2 is estimated separately (the default, as meta's subgroup analyses
// and separate metafor fits), or shared across subgroups with `pool_options::common_tau2`
// (estimated from the meta-regression on the subgroup factor, metafor's
// rma(yi, vi, mods = ~ factor(group))). The test for subgroup differences is the Q statistic of
// the subgroup estimates around their inverse-variance weighted mean, chi-square with G - 1 df
// (Borenstein et al. 2009, ch. 19): for the common-effect model it equals Q_total - sum Q_within.
//
// Example:
//
//   auto by = srma::pool_subgroups(studies, "location", opts);
//   if (by) fmt::print("Q_between = {:.2f}, p = {:.3f}\n", by->between_random.Q,
//   by->between_random.p);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "srma/model/pool.hpp"

namespace srma {

/// One subgroup: its level, the studies in it and the pooled result within it.
struct subgroup {
  std::string level;
  std::vector<std::size_t> rows;  ///< Indices into the input study table.
  pool_result result;
  double weight_share_common = 0;  ///< Percent of the total common-effect weight (overall model).
  double weight_share_random = 0;  ///< Percent of the total random-effects weight (overall model).
};

/// A test for differences between subgroups.
struct subgroup_test {
  double Q = 0;
  double df = 0;
  double p = 0;
};

struct subgroup_analysis {
  std::string column;
  pool_result overall;           ///< All studies together.
  std::vector<subgroup> groups;  ///< In order of first appearance in the input.
  subgroup_test between_common;  ///< Based on the subgroups' common-effect estimates.
  subgroup_test between_random;  ///< Based on the subgroups' random-effects estimates.
  model_kind primary = model_kind::random;
  std::string model_reason;
  bool common_tau2 = false;
  double tau2_common = 0;  ///< The shared tau^2 (NaN unless common_tau2).
  std::vector<std::string> notes;

  [[nodiscard]] const subgroup_test& between() const {
    return primary == model_kind::common ? between_common : between_random;
  }
};

/// Pools within each level of attribute `column` of `studies`.
///
/// Errors: srma.input.E214 (no such column, or a study with an empty value in it: every study
/// must belong to a subgroup), srma.model.E301 (fewer than two subgroups), and those of pool().
[[nodiscard]] expected<subgroup_analysis> pool_subgroups(const study_table& studies,
                                                         std::string_view column,
                                                         const pool_options& options);

}  // namespace srma
