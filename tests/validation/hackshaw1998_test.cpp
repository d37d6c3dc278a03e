// Validation: passive smoking and lung cancer (Hackshaw et al. 1997, BMJ 315:980), log OR from
// reported OR and 95% CI against metafor 3.8-1.
//
// Reference values: tests/validation/data/hackshaw1998.json, written by tools/make_reference_pool.R
// from dat.hackshaw1998 (R 4.2.2, metafor 3.8-1, metadat 1.2-0; each case records its exact R calls
// under "r_call"). Input: tests/validation/data/hackshaw1998.csv. Cases: 8 tau^2 estimators x 2
// tests, and subgroups by study design.
#include <gtest/gtest.h>

#include "validation/reference.hpp"

namespace srma {
namespace {

// rma(yi, vi, method = M, test = T, control = list(threshold = 1e-12, tol = 1e-12,
// maxiter = 10000)) for M in DL, REML, ML, PM, HS, SJ, HE, EB and T in "z", "knha"; weights(),
// predict() and confint() of each fit; the common effect from rma(yi, vi, method = "EE").
TEST(hackshaw1998_test, matches_metafor_all_estimators) {
  test::check_pool_cases("hackshaw1998.json", 16);
}

// Subgroups by 'design' with REML and DL, separate and shared tau^2 (shared: the tau^2 of
// rma(yi, vi, mods = ~ factor(design) - 1)); tests for subgroup differences from
// rma(est, sei = se, method = "EE") over the subgroups' estimates.
TEST(hackshaw1998_test, subgroups_by_design_match_metafor) {
  test::check_subgroup_cases("hackshaw1998.json", 4);
}

}  // namespace
}  // namespace srma
