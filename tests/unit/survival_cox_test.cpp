// Cox model, log-rank test and Kaplan-Meier medians on the small tied data set of
// /work/shared/methods/survival.md section 3 (21 patients, ties at 2, 3, 6, 7, 8). Expected
// values: R 4.2.2, survival 3.5-3, printed with sprintf("%.17g"):
//
//   d <- data.frame(time = c(2,3,3,5,6,7,8,8,10,12, 1,2,3,3,4,5,6,6,7,9,11),
//                   status = c(1,1,1,1,0,1,1,1,0,1, 1,1,1,1,1,0,1,1,1,0,1),
//                   arm = c(rep(1, 10), rep(0, 11)))
//   f <- coxph(Surv(time, status) ~ arm, data = d, ties = "efron",   # and "breslow"
//              control = coxph.control(eps = 1e-12, toler.chol = 1e-13, iter.max = 100))
//   survdiff(Surv(time, status) ~ I(1 - arm), data = d)
//   quantile(survfit(Surv(time, status) ~ arm, data = d), 0.5)
#include <gtest/gtest.h>

#include <cmath>

#include "srma/survival/cox.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/survival/kaplan_meier.hpp"
#include "srma/survival/logrank.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

using test::tol::estimate;

survival_data section3_data() {
  survival_data d;
  const double t1[] = {2, 3, 3, 5, 6, 7, 8, 8, 10, 12};
  const int e1[] = {1, 1, 1, 1, 0, 1, 1, 1, 0, 1};
  const double t0[] = {1, 2, 3, 3, 4, 5, 6, 6, 7, 9, 11};
  const int e0[] = {1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1};
  for (int i = 0; i < 10; ++i) d.add("research", t1[i], e1[i]);
  for (int i = 0; i < 11; ++i) d.add("control", t0[i], e0[i]);
  return d;
}

TEST(survival_cox_test, efron_matches_coxph) {
  const auto d = section3_data();
  auto fit = cox_two_arm(d, 0, 1);
  ASSERT_TRUE(fit) << fit.error().what();
  // coef(f), sqrt(vcov(f)), f$loglik (ties = "efron")
  EXPECT_REL(fit->loghr, -0.4318542973977148, estimate);
  EXPECT_REL(fit->se, 0.50779347821850485, estimate);
  EXPECT_REL(fit->loglik0, -38.213101021564682, estimate);
  EXPECT_REL(fit->loglik, -37.847714856417085, estimate);
  // 2 * diff(f$loglik)
  EXPECT_REL(fit->lr_chisq, 2 * (-37.847714856417085 + 38.213101021564682), estimate);
  // f$score (summary(f)$sctest)
  EXPECT_REL(fit->score_chisq, 0.73407866612377648, estimate);
  // exp(confint(f))
  EXPECT_REL(fit->ci_lower, 0.24000123104711818, estimate);
  EXPECT_REL(fit->ci_upper, 1.7566395397438566, estimate);
  EXPECT_REL(fit->hr, std::exp(-0.4318542973977148), estimate);
  EXPECT_EQ(fit->n, 21u);
  EXPECT_EQ(fit->events, 17u);
}

TEST(survival_cox_test, breslow_matches_coxph) {
  const auto d = section3_data();
  cox_options o;
  o.ties = cox_ties::breslow;
  auto fit = cox_two_arm(d, 0, 1, o);
  ASSERT_TRUE(fit) << fit.error().what();
  // ties = "breslow"
  EXPECT_REL(fit->loghr, -0.43105737126625282, estimate);
  EXPECT_REL(fit->se, 0.50821820834828635, estimate);
  EXPECT_REL(fit->loglik0, -39.032820451465327, estimate);
  EXPECT_REL(fit->loglik, -38.669366043329752, estimate);
  EXPECT_REL(fit->score_chisq, 0.73006212517794766, estimate);
  EXPECT_REL(fit->ci_lower, 0.23999270404460693, estimate);
  EXPECT_REL(fit->ci_upper, 1.7595041095006683, estimate);
}

TEST(survival_cox_test, logrank_matches_survdiff) {
  const auto d = section3_data();
  auto lr = logrank_two_arm(d, 0, 1);
  ASSERT_TRUE(lr) << lr.error().what();
  // sd$obs, sd$exp, sd$var[1, 1], sd$chisq
  EXPECT_EQ(lr->observed_treatment, 8);
  EXPECT_EQ(lr->observed_control, 9);
  EXPECT_REL(lr->expected_treatment, 9.6888944388944385, estimate);
  EXPECT_REL(lr->expected_control, 7.3111055611055615, estimate);
  EXPECT_REL(lr->o_minus_e, 8 - 9.6888944388944385, estimate);
  EXPECT_REL(lr->v, 3.498789700502964, estimate);
  EXPECT_REL(lr->chisq, 0.81524317546679714, estimate);
  EXPECT_REL(lr->peto_loghr, (8 - 9.6888944388944385) / 3.498789700502964, estimate);
}

TEST(survival_cox_test, medians_match_quantile_survfit) {
  const auto d = section3_data();
  auto km1 = kaplan_meier(arm_of(d, 0).time, arm_of(d, 0).event);
  auto km0 = kaplan_meier(arm_of(d, 1).time, arm_of(d, 1).event);
  ASSERT_TRUE(km1 && km0);
  // quantile(...)$quantile, $lower, $upper: arm 1: 7 (3, NA); arm 0: 6 (3, NA)
  EXPECT_EQ(km1->median.estimate, 7);
  EXPECT_EQ(km1->median.lower, 3);
  EXPECT_TRUE(std::isnan(km1->median.upper));
  EXPECT_EQ(km0->median.estimate, 6);
  EXPECT_EQ(km0->median.lower, 3);
  EXPECT_TRUE(std::isnan(km0->median.upper));
  EXPECT_EQ(km1->events, 8);
  EXPECT_EQ(km0->events, 9);
}

}  // namespace
}  // namespace srma
