// Validation of leave-one-out, cumulative, influence, small-study tests, meta-regression and
// exact permutation tests against metafor 3.8-1 (tests/validation/data/*_sensitivity.json,
// written by tools/make_reference_sensitivity.R; every case records its exact R calls).
//
// Data: dat.bcg (Colditz et al. 1994; 13 trials, subgroups by allocation, latitude),
// dat.hackshaw1998 (Hackshaw et al. 1997; 37 studies), dat.pignon2000 (Pignon et al. 2000; 65
// trials, timing subgroups), dat.li2007 (Li et al. 2007; 2x2 counts for Peters' test), and 10- and
// 7-trial subsets of dat.bcg for exact permutation tests.
#include <gtest/gtest.h>

#include "validation/sensitivity_reference.hpp"

namespace srma {
namespace {

// leave1out(rma(yi, vi, method = M, test = T)) for REML z, REML knha, DL z and EE.
TEST(bcg_sensitivity_test, leave1out_matches_metafor) {
  test::check_sensitivity_cases("bcg_sensitivity.json", "leave1out", 4);
}
// cumul(fit, order = year): ties (two trials of 1973) keep the file order.
TEST(bcg_sensitivity_test, cumulative_matches_metafor) {
  test::check_sensitivity_cases("bcg_sensitivity.json", "cumulative", 4);
}
// influence(fit) and baujat(fit).
TEST(bcg_sensitivity_test, influence_matches_metafor) {
  test::check_sensitivity_cases("bcg_sensitivity.json", "influence", 4);
}
// regtest(fit, model = "lm"), regtest(fit), ranktest(fit), trimfill(fit) (L0, R0), fsn().
TEST(bcg_sensitivity_test, bias_matches_metafor) {
  test::check_sensitivity_cases("bcg_sensitivity.json", "bias", 3);
}
// rma(yi, vi, mods = ~ ablat / factor(alloc) / ablat + factor(alloc) / year, ...).
TEST(bcg_sensitivity_test, metareg_matches_metafor) {
  test::check_sensitivity_cases("bcg_sensitivity.json", "metareg", 6);
}

TEST(hackshaw1998_sensitivity_test, leave1out_cumulative_influence_match_metafor) {
  test::check_sensitivity_cases("hackshaw1998_sensitivity.json", "leave1out", 2);
  test::check_sensitivity_cases("hackshaw1998_sensitivity.json", "cumulative", 2);
  test::check_sensitivity_cases("hackshaw1998_sensitivity.json", "influence", 2);
}
TEST(hackshaw1998_sensitivity_test, bias_matches_metafor) {
  test::check_sensitivity_cases("hackshaw1998_sensitivity.json", "bias", 4);
}
TEST(hackshaw1998_sensitivity_test, metareg_year_design_matches_metafor) {
  test::check_sensitivity_cases("hackshaw1998_sensitivity.json", "metareg", 2);
}

TEST(pignon2000_sensitivity_test, leave1out_influence_bias_metareg_match_metafor) {
  test::check_sensitivity_cases("pignon2000_sensitivity.json", "leave1out", 1);
  test::check_sensitivity_cases("pignon2000_sensitivity.json", "influence", 1);
  test::check_sensitivity_cases("pignon2000_sensitivity.json", "bias", 1);
  test::check_sensitivity_cases("pignon2000_sensitivity.json", "metareg", 2);
}

// regtest(fit, model = "lm", predictor = "ninv", ni = n_t + n_c) among the bias tests.
TEST(li2007_sensitivity_test, bias_with_peters_matches_metafor) {
  test::check_sensitivity_cases("li2007_sensitivity.json", "bias", 1);
}

// permutest(fit, exact = TRUE): 2^10 sign flips; 7! orders of ablat; 105 distinct orders of alloc.
TEST(permtest_test, exact_permutation_tests_match_metafor) {
  test::check_sensitivity_cases("bcg10_sensitivity.json", "permtest", 1);
  test::check_sensitivity_cases("bcg7_sensitivity.json", "permtest", 2);
}

}  // namespace
}  // namespace srma
