// Fisher scoring with step halving and the fallback order of srma/model/tau2.hpp (issue 12 item 1).
//
// Data: the first 8 trials of metadat's dat.nielweise2007 as log odds ratios (escalc(measure =
// "OR"), metafor 3.8-1, printed with sprintf("%.17g")), where plain Fisher scoring for REML
// oscillates around the root (0.0509, 0.0529, 0.0507, 0.0532, ...) and never converges.
#include <gtest/gtest.h>

#include <vector>

#include "srma/model/pool.hpp"
#include "srma/model/tau2.hpp"
#include "srma/util/error_ids.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

const std::vector<double> y8 = {-1.9632265990667737, -1.3940765015619454,  -1.6062068918526542,
                                -2.715742546725366,  -0.14864834168736696, -1.055730561184844,
                                -1.0928485839513593, -1.372688709064112};
const std::vector<double> v8 = {2.3030316011555585, 1.3878391472868217,  0.62134182412917149,
                                2.1487181763043832, 0.38013849829145119, 1.2677166857579227,
                                1.3448608065909242, 1.5407256571640133};

// rma(yi, vi, method = "REML", control = list(stepadj = 0.5, threshold = 1e-13,
// maxiter = 10000)), metafor 3.8-1: tau2 = 0.051894557089387554, se.tau2 = 0.53215351219770035.
// With metafor's default stepadj = 1 the same call fails ("Fisher scoring algorithm did not
// converge").
TEST(tau2_robust_test, step_halving_converges_where_plain_fisher_scoring_oscillates) {
  auto e = estimate_tau2(y8, v8, tau2_method::reml);
  ASSERT_TRUE(e) << e.error().what();
  EXPECT_REL(e->tau2, 0.051894557089387554, 1e-9);
  EXPECT_REL(e->se, 0.53215351219770035, 1e-9);
  EXPECT_EQ(e->method, tau2_method::reml);
  EXPECT_FALSE(e->fell_back);
  EXPECT_GE(e->step_halvings, 1);
  EXPECT_LT(e->iterations, 50);
  EXPECT_TRUE(e->notes.empty());
}

// The root does not depend on the path: starting with metafor's stepadj = 0.5 (or 0.25) gives
// the same tau^2 to the iteration's tolerance.
TEST(tau2_robust_test, the_step_multiplier_changes_the_path_not_the_root) {
  auto plain = estimate_tau2(y8, v8, tau2_method::reml);
  ASSERT_TRUE(plain);
  for (double adj : {0.5, 0.25}) {
    auto e = estimate_tau2(y8, v8, tau2_method::reml, {.step_adj = adj});
    ASSERT_TRUE(e) << e.error().what();
    EXPECT_REL(e->tau2, plain->tau2, 1e-10) << "step_adj " << adj;
  }
}

// Two Fisher steps (0.1129 up, then down by more than half of it: one halving) are not enough;
// DL (the default fallback) takes over, says so, and the estimate names it. DL gives tau^2 = 0
// here (rma(yi, vi, method = "DL"), metafor 3.8-1: tau2 = 0, se.tau2 = 0.5716362788601711).
TEST(tau2_robust_test, the_fallback_names_the_estimator_and_why) {
  auto e = estimate_tau2(y8, v8, tau2_method::reml, {.max_iter = 2});
  ASSERT_TRUE(e) << e.error().what();
  EXPECT_EQ(e->method, tau2_method::dl);
  EXPECT_TRUE(e->fell_back);
  EXPECT_EQ(e->tau2, 0.0);
  EXPECT_REL(e->se, 0.5716362788601711, 1e-9);
  ASSERT_EQ(e->notes.size(), 1u);
  EXPECT_EQ(e->notes[0],
            "Fisher scoring for REML did not converge in 2 iterations (step multiplier 0.5 after "
            "1 halving); tau^2 is estimated by DL instead (the fallback)");
}

// Without a fallback the failure is the error E303, as metafor's single method.
TEST(tau2_robust_test, without_a_fallback_the_failure_is_an_error) {
  auto e = estimate_tau2(y8, v8, tau2_method::reml, {.max_iter = 1, .fallback = {}});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what(),
            "[srma.model.E303] Fisher scoring for REML did not converge in 1 iteration (step "
            "multiplier 1 after 0 halvings)");
}

// The fallback order is tried in turn; the requested estimator is skipped in it. ML converges
// in one step here (to 0: rma(yi, vi, method = "ML") gives tau2 = 0, metafor 3.8-1).
TEST(tau2_robust_test, the_fallback_order_is_tried_in_turn) {
  tau2_control c{.max_iter = 2, .fallback = {tau2_method::reml, tau2_method::ml}};
  auto e = estimate_tau2(y8, v8, tau2_method::reml, c);
  ASSERT_TRUE(e) << e.error().what();
  EXPECT_EQ(e->method, tau2_method::ml);
  EXPECT_EQ(e->tau2, 0.0);
  EXPECT_REL(e->se, 0.40772022612887182, 1e-9);  // se.tau2 of that ML fit
}

TEST(tau2_robust_test, control_validation_names_the_step_multiplier) {
  EXPECT_EQ(tau2_control{.step_adj = 0}.validate(),
            "the step multiplier is 0, but must be in (0, 1]");
  EXPECT_EQ(tau2_control{.step_adj = 1.5}.validate(),
            "the step multiplier is 1.5, but must be in (0, 1]");
  auto e = estimate_tau2(y8, v8, tau2_method::reml, {.step_adj = 2});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().id, errc::model_bad_options);
}

// pool() reports the estimator that gave tau^2 and the fallback's note.
TEST(tau2_robust_test, pool_reports_the_estimator_used) {
  pool_options o = preset_options(preset::metafor);
  o.control.max_iter = 2;
  // The Q-profile CI has its own root search, which needs more than 2 iterations: none here.
  auto r = pool_effects(y8, v8, o, effect_measure::generic, std::nullopt, /*with_tau2_ci=*/false);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->random.method, tau2_method::dl);
  ASSERT_FALSE(r->notes.empty());
  EXPECT_EQ(r->notes[0],
            "Fisher scoring for REML did not converge in 2 iterations (step multiplier 0.5 after "
            "1 halving); tau^2 is estimated by DL instead (the fallback)");
}

}  // namespace
}  // namespace srma
