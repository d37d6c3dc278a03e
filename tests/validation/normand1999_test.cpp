// Validation: length of hospital stay after stroke (Normand 1999, Stat Med 18:321), MD and Hedges'
// g from means against metafor 3.8-1.
//
// Reference values: tests/validation/data/normand1999.json, written by tools/make_reference_pool.R
// from dat.normand1999 (R 4.2.2, metafor 3.8-1, metadat 1.2-0; each case records its exact R calls
// under "r_call"). Input: tests/validation/data/normand1999.csv. Cases: MD and SMD, 8 tau^2
// estimators x 2 tests.
#include <gtest/gtest.h>

#include "validation/reference.hpp"

namespace srma {
namespace {

// rma(yi, vi, method = M, test = T, control = list(threshold = 1e-12, tol = 1e-12,
// maxiter = 10000)) for M in DL, REML, ML, PM, HS, SJ, HE, EB and T in "z", "knha"; weights(),
// predict() and confint() of each fit; the common effect from rma(yi, vi, method = "EE").
TEST(normand1999_test, matches_metafor_all_estimators) {
  test::check_pool_cases("normand1999.json", 32);
}

}  // namespace
}  // namespace srma
