// Validation: chemotherapy in head and neck cancer (Pignon et al. 2000, Lancet 355:949), Peto log
// HR from O-E and V against metafor 3.8-1.
//
// Reference values: tests/validation/data/pignon2000.json, written by tools/make_reference_pool.R
// from dat.pignon2000 (R 4.2.2, metafor 3.8-1, metadat 1.2-0; each case records its exact R calls
// under "r_call"). Input: tests/validation/data/pignon2000.csv. Cases: 8 tau^2 estimators x 2
// tests, and subgroups by timing of chemotherapy.
#include <gtest/gtest.h>

#include "validation/reference.hpp"

namespace srma {
namespace {

// rma(yi, vi, method = M, test = T, control = list(threshold = 1e-12, tol = 1e-12,
// maxiter = 10000)) for M in DL, REML, ML, PM, HS, SJ, HE, EB and T in "z", "knha"; weights(),
// predict() and confint() of each fit; the common effect from rma(yi, vi, method = "EE").
TEST(pignon2000_test, matches_metafor_all_estimators) {
  test::check_pool_cases("pignon2000.json", 16);
}

// Subgroups by 'timing' with REML and DL, separate and shared tau^2 (shared: the tau^2 of
// rma(yi, vi, mods = ~ factor(timing) - 1)); tests for subgroup differences from
// rma(est, sei = se, method = "EE") over the subgroups' estimates.
TEST(pignon2000_test, subgroups_by_timing_match_metafor) {
  test::check_subgroup_cases("pignon2000.json", 4);
}

}  // namespace
}  // namespace srma
