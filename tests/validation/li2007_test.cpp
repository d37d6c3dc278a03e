// Validation: intravenous magnesium after myocardial infarction (Li et al. 2007, Cochrane
// CD002755), log OR with zero cells against metafor 3.8-1.
//
// Reference values: tests/validation/data/li2007.json, written by tools/make_reference_pool.R from
// dat.li2007 (R 4.2.2, metafor 3.8-1, metadat 1.2-0; each case records its exact R calls under
// "r_call"). Input: tests/validation/data/li2007.csv. Cases: 8 tau^2 estimators x 2 tests; two
// trials with a zero cell get 1/2 added to every cell.
#include <gtest/gtest.h>

#include "validation/reference.hpp"

namespace srma {
namespace {

// rma(yi, vi, method = M, test = T, control = list(threshold = 1e-12, tol = 1e-12,
// maxiter = 10000)) for M in DL, REML, ML, PM, HS, SJ, HE, EB and T in "z", "knha"; weights(),
// predict() and confint() of each fit; the common effect from rma(yi, vi, method = "EE").
TEST(li2007_test, matches_metafor_all_estimators) { test::check_pool_cases("li2007.json", 16); }

}  // namespace
}  // namespace srma
