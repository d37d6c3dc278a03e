// Validation: edge cases of every tau^2 estimator against metafor 3.8-1 (STYLE.md, habit 10).
//
// Reference values: tests/validation/data/edge.json, written by tools/make_reference_pool.R
// (R 4.2.2, metafor 3.8-1). Each case holds its yi and vi inline and its exact R calls under
// "r_call"; every estimator (DL, REML, ML, PM, HS, SJ, HE, EB) is run with test = "z" and "knha",
// so each test below covers 16 cases.
#include <gtest/gtest.h>

#include "validation/reference.hpp"

namespace srma {
namespace {

// k = 2: the first two BCG trials (log RR). The Q-profile upper bound of tau^2 exceeds
// confint()'s default tau2.max = 100 and was recomputed with tau2.max = 1000.
TEST(edge_cases_test, two_studies_match_metafor) { test::check_edge_cases("k2_", 16); }

// All vi equal (BCG log RR with vi = 0.1): DL, REML, PM, HE and EB coincide, as do ML and HS.
TEST(edge_cases_test, equal_variances_match_metafor) { test::check_edge_cases("equal_vi_", 16); }

// Q < k - 1: tau^2 = 0 for every estimator but SJ (3.2e-7), and the Q-profile CI is the null set,
// reported as [0, 0], even for SJ.
TEST(edge_cases_test, tau2_on_boundary_matches_metafor) {
  test::check_edge_cases("tau2_boundary_", 16);
}

// BCG log RR with yi * 1e3 and vi * 1e6 (metafor's threshold and tol rescaled by 1e6).
TEST(edge_cases_test, huge_variances_match_metafor) {
  test::check_edge_cases("huge_variances_", 16);
}

// BCG log RR with yi * 1e-3 and vi * 1e-6 (metafor's threshold and tol rescaled by 1e-6).
TEST(edge_cases_test, tiny_variances_match_metafor) {
  test::check_edge_cases("tiny_variances_", 16);
}

}  // namespace
}  // namespace srma
