// Validation: the BCG vaccine trials (Colditz et al. 1994, JAMA 271:698) against metafor 3.8-1.
//
// Reference values: tests/validation/data/bcg.json, written by tools/make_reference_pool.R from
// dat.bcg (R 4.2.2, metafor 3.8-1, metadat 1.2-0; each case records its exact R calls under
// "r_call"). Input: tests/validation/data/bcg.csv. Cases: log RR and log OR from the 2x2 tables, 8
// tau^2 estimators x 2 tests, and subgroups by allocation.
#include <gtest/gtest.h>

#include "validation/reference.hpp"

namespace srma {
namespace {

// rma(yi, vi, method = M, test = T, control = list(threshold = 1e-12, tol = 1e-12,
// maxiter = 10000)) for M in DL, REML, ML, PM, HS, SJ, HE, EB and T in "z", "knha"; weights(),
// predict() and confint() of each fit; the common effect from rma(yi, vi, method = "EE").
TEST(bcg_test, matches_metafor_all_estimators) { test::check_pool_cases("bcg.json", 32); }

// Subgroups by 'alloc' with REML and DL, separate and shared tau^2 (shared: the tau^2 of
// rma(yi, vi, mods = ~ factor(alloc) - 1)); tests for subgroup differences from
// rma(est, sei = se, method = "EE") over the subgroups' estimates.
TEST(bcg_test, subgroups_by_alloc_match_metafor) { test::check_subgroup_cases("bcg.json", 8); }

}  // namespace
}  // namespace srma
