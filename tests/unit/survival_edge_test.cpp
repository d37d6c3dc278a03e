// Hostile and boundary inputs for Kaplan-Meier, Cox and log-rank (srma/survival/
// kaplan_meier.hpp, cox.hpp, logrank.hpp): each gives R's answer or a documented error, never a
// loop or a silent infinity. Expected values: R 4.2.2, survival 3.5-3, printed with
// sprintf("%.17g"); each test names its R call (Cox fits with control = coxph.control(eps =
// 1e-12, toler.chol = 1e-13); survdiff with the treatment arm as the first factor level).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "srma/survival/cox.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/survival/kaplan_meier.hpp"
#include "srma/survival/logrank.hpp"
#include "srma/util/error_ids.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

using test::tol::estimate;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Treatment arm "T" (index 0) and control "C" (index 1).
survival_data two_arms(const std::vector<double>& t1, const std::vector<int>& e1,
                       const std::vector<double>& t0, const std::vector<int>& e0) {
  survival_data d;
  d.arm_names = {"T", "C"};
  for (std::size_t i = 0; i < t1.size(); ++i) d.add("T", t1[i], e1[i]);
  for (std::size_t i = 0; i < t0.size(); ++i) d.add("C", t0[i], e0[i]);
  return d;
}

template <typename T>
std::string error_text(const expected<T>& r) {
  return r ? std::string("(no error)") : r.error().what();
}

// ---- inputs that cannot be used -------------------------------------------------------------

TEST(survival_edge_test, empty_data) {
  auto km = kaplan_meier({}, {});
  EXPECT_EQ(error_text(km), "[srma.survival.E901] kaplan_meier: no patients");
  survival_data none;
  EXPECT_EQ(error_text(cox_two_arm(none, 0, 1)),
            "[srma.survival.E902] cox_two_arm: arm index 0 is out of range; the data have 0 arms");
  survival_data empty_arms;
  empty_arms.arm_names = {"T", "C"};
  EXPECT_EQ(error_text(cox_two_arm(empty_arms, 0, 1)),
            "[srma.survival.E903] cox_two_arm: no events in 'T' or 'C', so the hazard ratio is "
            "undefined");
  EXPECT_EQ(logrank_two_arm(empty_arms, 0, 1).error().id, errc::survival_no_events);
}

TEST(survival_edge_test, lengths_differ) {
  const std::vector<double> t = {1, 2, 3};
  const std::vector<int> e = {1, 0};
  EXPECT_EQ(error_text(kaplan_meier(t, e)),
            "[srma.survival.E901] kaplan_meier: time has 3 values and event 2; they must have the "
            "same length");
  auto d = two_arms({1, 2}, {1, 1}, {3}, {1});
  d.event.pop_back();
  EXPECT_EQ(error_text(cox_two_arm(d, 0, 1)),
            "[srma.survival.E901] cox_two_arm: the patient data hold 3 arms, 3 times and 2 events; "
            "they must have one of each per patient");
  EXPECT_EQ(logrank_two_arm(d, 0, 1).error().id, errc::survival_bad_ipd);
}

TEST(survival_edge_test, negative_or_nan_time_and_bad_event) {
  const std::vector<double> neg = {1, -1};
  const std::vector<double> not_a_number = {nan, 1};
  const std::vector<double> infinite = {1, inf};
  const std::vector<int> ok = {1, 0};
  const std::vector<int> two = {1, 2};
  EXPECT_EQ(error_text(kaplan_meier(neg, ok)),
            "[srma.survival.E901] kaplan_meier: time[1] is -1, but must be a finite number >= 0");
  EXPECT_EQ(error_text(kaplan_meier(not_a_number, ok)),
            "[srma.survival.E901] kaplan_meier: time[0] is nan, but must be a finite number >= 0");
  EXPECT_EQ(kaplan_meier(infinite, ok).error().id, errc::survival_bad_ipd);
  EXPECT_EQ(error_text(kaplan_meier(ok.size() == 2 ? std::vector<double>{1, 2} : neg, two)),
            "[srma.survival.E901] kaplan_meier: event[1] is 2, but must be 1 (event) or 0 "
            "(censored)");

  auto d = two_arms({1, 2}, {1, 1}, {3, 4}, {1, 0});
  d.source = "ipd.csv";
  d.line = {2, 3, 4, 5};
  d.time[2] = -3;
  EXPECT_EQ(error_text(cox_two_arm(d, 0, 1)),
            "[srma.survival.E901] ipd.csv:4: cox_two_arm: time of patient 2 is -3, but must be a "
            "finite number >= 0");
  d.time[2] = 3;
  d.event[3] = 2;
  EXPECT_EQ(error_text(logrank_two_arm(d, 0, 1)),
            "[srma.survival.E901] ipd.csv:5: logrank_two_arm: event of patient 3 is 2, but must be "
            "1 (event) or 0 (censored)");
  d.event[3] = 0;
  d.arm[0] = 9;
  EXPECT_EQ(cox_two_arm(d, 0, 1).error().id, errc::survival_bad_ipd);
}

TEST(survival_edge_test, unknown_arm_and_same_arm_twice) {
  const auto d = two_arms({1, 2}, {1, 1}, {3, 4}, {1, 0});
  EXPECT_EQ(error_text(cox_two_arm(d, 0, 2)),
            "[srma.survival.E902] cox_two_arm: arm index 2 is out of range; the data have 2 arms");
  EXPECT_EQ(logrank_two_arm(d, 5, 0).error().id, errc::survival_unknown_arm);
  auto same = cox_two_arm(d, 1, 1);
  EXPECT_EQ(error_text(same),
            "[srma.survival.E902] cox_two_arm: treatment and control are the same arm ('C'); two "
            "different arms are needed");
  EXPECT_EQ(same.error().subject, "C");
  EXPECT_EQ(logrank_two_arm(d, 0, 0).error().id, errc::survival_unknown_arm);
  EXPECT_FALSE(d.arm_index("nope").has_value());
}

TEST(survival_edge_test, bad_options) {
  const auto d = two_arms({1, 2}, {1, 1}, {3, 4}, {1, 0});
  auto with = [&](auto change) {
    cox_options o;
    change(o);
    return error_text(cox_two_arm(d, 0, 1, o));
  };
  EXPECT_EQ(with([](cox_options& o) { o.level = 95; }),
            "[srma.survival.E907] cox_two_arm: the CI level is 95, but must lie strictly between "
            "0 and 1 (e.g. 0.95)");
  EXPECT_EQ(with([](cox_options& o) { o.level = nan; }).substr(0, 20), "[srma.survival.E907]");
  EXPECT_EQ(with([](cox_options& o) { o.max_iter = 0; }),
            "[srma.survival.E907] cox_two_arm: max_iter is 0, but must be >= 1");
  EXPECT_EQ(
      with([](cox_options& o) { o.tolerance = 0; }),
      "[srma.survival.E907] cox_two_arm: the tolerance is 0, but must be a finite number > 0");
  EXPECT_EQ(with([](cox_options& o) { o.ties = static_cast<cox_ties>(7); }),
            "[srma.survival.E907] cox_two_arm: ties is 7, but must be efron or breslow");

  const std::vector<double> t = {1, 2};
  const std::vector<int> e = {1, 0};
  km_options k;
  k.level = 1;
  EXPECT_EQ(error_text(kaplan_meier(t, e, k)),
            "[srma.survival.E907] kaplan_meier: the CI level is 1, but must lie strictly between "
            "0 and 1 (e.g. 0.95)");
  k = {};
  k.conf_type = static_cast<km_conf_type>(9);
  EXPECT_EQ(kaplan_meier(t, e, k).error().id, errc::survival_bad_options);

  auto km = kaplan_meier(t, e);
  ASSERT_TRUE(km);
  for (double tau : {0.0, -1.0, nan, inf}) {
    EXPECT_EQ(restricted_mean(*km, tau).error().id, errc::survival_bad_options) << tau;
  }
  EXPECT_EQ(error_text(restricted_mean(*km, -1)),
            "[srma.survival.E907] restricted_mean: tau is -1, but must be a finite number > 0");
}

TEST(survival_edge_test, option_names_round_trip) {
  for (auto t : {cox_ties::efron, cox_ties::breslow}) EXPECT_EQ(parse_cox_ties(to_string(t)), t);
  for (auto c : {km_conf_type::log, km_conf_type::log_log, km_conf_type::plain}) {
    EXPECT_EQ(parse_km_conf_type(to_string(c)), c);
  }
  EXPECT_EQ(parse_cox_ties("Breslow"), cox_ties::breslow);
  EXPECT_EQ(parse_km_conf_type("log_log"), km_conf_type::log_log);
  EXPECT_FALSE(parse_cox_ties("exact").has_value());
  EXPECT_FALSE(parse_km_conf_type("logit").has_value());
  EXPECT_EQ(to_string(km_conf_type::log_log), "log-log");
}

// ---- monotone likelihoods: E903 instead of iterating towards infinity -------------------------

TEST(survival_edge_test, one_arm_without_events) {
  // T: 1/1 2/1 3/0 4/1; C: 2/0 3/0 5/0 (no events)
  const auto d = two_arms({1, 2, 3, 4}, {1, 1, 0, 1}, {2, 3, 5}, {0, 0, 0});
  EXPECT_EQ(error_text(cox_two_arm(d, 0, 1)),
            "[srma.survival.E903] cox_two_arm: no events in 'C' (3 in 'T'), so the hazard ratio "
            "is infinite");
  EXPECT_EQ(error_text(cox_two_arm(d, 1, 0)),
            "[srma.survival.E903] cox_two_arm: no events in 'C' (3 in 'T'), so the hazard ratio "
            "is 0");
  // The log-rank test is still defined: survdiff(Surv(time, event) ~ factor(x, levels = 1:0))
  // gives obs 3 0, exp 1.5714285714285714 1.4285714285714286, var 0.74489795918367352, chisq
  // 2.7397260273972601.
  auto lr = logrank_two_arm(d, 0, 1);
  ASSERT_TRUE(lr) << lr.error().what();
  EXPECT_REL(lr->expected_treatment, 1.5714285714285714, estimate);
  EXPECT_REL(lr->expected_control, 1.4285714285714286, estimate);
  EXPECT_REL(lr->v, 0.74489795918367352, estimate);
  EXPECT_REL(lr->chisq, 2.7397260273972601, estimate);
}

TEST(survival_edge_test, events_in_both_arms_but_never_facing_each_other) {
  // Every control death happens after the last treated patient has left: beta-hat = +inf
  // although both arms have events (coxph warns "coefficient may be infinite").
  const auto d = two_arms({1, 2}, {1, 1}, {3, 4}, {1, 1});
  EXPECT_EQ(error_text(cox_two_arm(d, 0, 1)),
            "[srma.survival.E903] cox_two_arm: every event in 'C' happens when no patient of 'T' "
            "is at risk any more, so the hazard ratio is infinite");
}

TEST(survival_edge_test, all_censored) {
  const std::vector<double> t = {1, 2, 3};
  const std::vector<int> e = {0, 0, 0};
  auto km = kaplan_meier(t, e);
  ASSERT_TRUE(km) << km.error().what();
  // survfit(Surv(c(1,2,3), c(0,0,0)) ~ 1): surv 1 1 1, std.err 0 0 0, lower = upper = 1 (log),
  // NA (log-log), 1 (plain); quantile(fit, 0.5): NA (NA, NA); rmean = 2: 2, se 0.
  EXPECT_EQ(km->surv, (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(km->std_err, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(km->lower, (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(km->upper, (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(km->events, 0);
  EXPECT_TRUE(std::isnan(km->median.estimate));
  EXPECT_TRUE(std::isnan(km->median.lower));
  EXPECT_TRUE(std::isnan(km->median.upper));
  auto m = restricted_mean(*km, 2);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->rmst, 2);
  EXPECT_EQ(m->se, 0);
  km_options ll;
  ll.conf_type = km_conf_type::log_log;
  auto kl = kaplan_meier(t, e, ll);
  ASSERT_TRUE(kl);
  EXPECT_TRUE(std::isnan(kl->lower[0]) && std::isnan(kl->upper[2]));
  km_options pl;
  pl.conf_type = km_conf_type::plain;
  auto kp = kaplan_meier(t, e, pl);
  ASSERT_TRUE(kp);
  EXPECT_EQ(kp->lower, (std::vector<double>{1, 1, 1}));

  const auto d = two_arms({1, 2}, {0, 0}, {3, 4}, {0, 0});
  EXPECT_EQ(cox_two_arm(d, 0, 1).error().id, errc::survival_no_events);
  EXPECT_EQ(error_text(logrank_two_arm(d, 0, 1)),
            "[srma.survival.E903] logrank_two_arm: the variance of O - E is 0 (0 events in 'T', 0 "
            "in 'C', none with patients of both arms at risk), so the test is undefined");
}

// ---- ties and tiny risk sets --------------------------------------------------------------------

TEST(survival_edge_test, all_events_at_one_time) {
  // T: 5 deaths at 5, 2 censored at 10; C: 3 deaths at 5, 4 censored at 10.
  const auto d = two_arms({5, 5, 5, 5, 5, 10, 10}, {1, 1, 1, 1, 1, 0, 0}, {5, 5, 5, 10, 10, 10, 10},
                          {1, 1, 1, 0, 0, 0, 0});
  auto efron = cox_two_arm(d, 0, 1);
  ASSERT_TRUE(efron) << efron.error().what();
  // coxph(..., ties = "efron"): coef, se, loglik, score
  EXPECT_REL(efron->loghr, 0.71769171624221184, estimate);
  EXPECT_REL(efron->se, 0.73268011850964243, estimate);
  EXPECT_REL(efron->loglik0, -18.61196997072858, estimate);
  EXPECT_REL(efron->loglik, -18.113132357148636, estimate);
  EXPECT_REL(efron->score_chisq, 1.000553318483075, estimate);
  cox_options b;
  b.ties = cox_ties::breslow;
  auto breslow = cox_two_arm(d, 0, 1, b);
  ASSERT_TRUE(breslow) << breslow.error().what();
  // coxph(..., ties = "breslow")
  EXPECT_REL(breslow->loghr, 0.51082562376599072, estimate);
  EXPECT_REL(breslow->se, 0.73029674334022154, estimate);
  EXPECT_REL(breslow->loglik0, -21.112458636922067, estimate);
  EXPECT_REL(breslow->loglik, -20.859787097706359, estimate);
  EXPECT_REL(breslow->score_chisq, 0.5, estimate);
  // survdiff: obs 5 3, exp 4 4, var 0.92307692307692313, chisq 1.0833333333333333
  auto lr = logrank_two_arm(d, 0, 1);
  ASSERT_TRUE(lr);
  EXPECT_REL(lr->expected_treatment, 4, estimate);
  EXPECT_REL(lr->v, 0.92307692307692313, estimate);
  EXPECT_REL(lr->chisq, 1.0833333333333333, estimate);
}

TEST(survival_edge_test, everyone_dies_at_one_time) {
  // 5 + 5 patients, all dead at time 5: coxph gives coef 0, se 0.63245553203367588 (both ties
  // methods), loglik -15.104412573075518 (Efron), -23.025850929940461 (Breslow); survdiff stops
  // ("system is exactly singular": V = 0), srma reports E903.
  const auto d = two_arms({5, 5, 5, 5, 5}, {1, 1, 1, 1, 1}, {5, 5, 5, 5, 5}, {1, 1, 1, 1, 1});
  auto efron = cox_two_arm(d, 0, 1);
  ASSERT_TRUE(efron) << efron.error().what();
  EXPECT_NEAR(efron->loghr, 0, 1e-12);
  EXPECT_REL(efron->se, 0.63245553203367588, estimate);
  EXPECT_REL(efron->loglik, -15.104412573075518, estimate);
  cox_options b;
  b.ties = cox_ties::breslow;
  auto breslow = cox_two_arm(d, 0, 1, b);
  ASSERT_TRUE(breslow);
  EXPECT_NEAR(breslow->loghr, 0, 1e-12);
  EXPECT_REL(breslow->se, 0.63245553203367588, estimate);
  EXPECT_REL(breslow->loglik, -23.025850929940461, estimate);
  EXPECT_EQ(logrank_two_arm(d, 0, 1).error().id, errc::survival_no_events);
}

TEST(survival_edge_test, one_patient_at_risk_in_the_logrank_variance) {
  // T: 1/1 3/1 4/0 6/1; C: 2/1 3/0 5/1. At t = 6 one patient is at risk: its V term is 0.
  // survdiff: obs 3 2, exp 3.1714285714285717 1.8285714285714285, var 0.98489795918367351,
  // chisq 0.029838375466224632; coxph (Efron = Breslow here): coef -0.17321186924587414,
  // se 1.0039685335198127.
  const auto d = two_arms({1, 3, 4, 6}, {1, 1, 0, 1}, {2, 3, 5}, {1, 0, 1});
  auto lr = logrank_two_arm(d, 0, 1);
  ASSERT_TRUE(lr) << lr.error().what();
  EXPECT_REL(lr->expected_treatment, 3.1714285714285717, estimate);
  EXPECT_REL(lr->expected_control, 1.8285714285714285, estimate);
  EXPECT_REL(lr->v, 0.98489795918367351, estimate);
  EXPECT_REL(lr->chisq, 0.029838375466224632, estimate);
  auto fit = cox_two_arm(d, 0, 1);
  ASSERT_TRUE(fit);
  EXPECT_REL(fit->loghr, -0.17321186924587414, estimate);
  EXPECT_REL(fit->se, 1.0039685335198127, estimate);
}

TEST(survival_edge_test, single_patient) {
  const std::vector<double> t = {7};
  const std::vector<int> dead = {1};
  const std::vector<int> alive = {0};
  // survfit(Surv(7, 1) ~ 1): surv 0, std.err Inf, CI NA; quantile: 7 (NA, NA).
  auto km = kaplan_meier(t, dead);
  ASSERT_TRUE(km) << km.error().what();
  EXPECT_EQ(km->surv[0], 0);
  EXPECT_EQ(km->std_err[0], inf);
  EXPECT_TRUE(std::isnan(km->lower[0]) && std::isnan(km->upper[0]));
  EXPECT_EQ(km->median.estimate, 7);
  EXPECT_TRUE(std::isnan(km->median.lower) && std::isnan(km->median.upper));
  EXPECT_EQ(km->survival_at(6.9), 1);
  EXPECT_EQ(km->survival_at(7), 0);
  km_options pl;
  pl.conf_type = km_conf_type::plain;
  auto kp = kaplan_meier(t, dead, pl);  // R: NaN NaN
  ASSERT_TRUE(kp);
  EXPECT_TRUE(std::isnan(kp->lower[0]) && std::isnan(kp->upper[0]));
  // survfit(Surv(7, 0) ~ 1): surv 1, std.err 0, CI 1 1; median NA.
  auto km0 = kaplan_meier(t, alive);
  ASSERT_TRUE(km0);
  EXPECT_EQ(km0->surv[0], 1);
  EXPECT_EQ(km0->lower[0], 1);
  EXPECT_TRUE(std::isnan(km0->median.estimate));

  survival_data d;
  d.arm_names = {"T", "C"};
  d.add("T", 7, 1);
  EXPECT_EQ(cox_two_arm(d, 0, 1).error().id, errc::survival_no_events);
  EXPECT_EQ(logrank_two_arm(d, 0, 1).error().id, errc::survival_no_events);
}

TEST(survival_edge_test, huge_and_tiny_times_change_nothing_but_the_time_axis) {
  // Cox and log-rank depend on the order of the times only; KM probabilities likewise.
  const std::vector<double> t1 = {2, 3, 3, 5, 6, 7, 8, 8, 10, 12};
  const std::vector<int> e1 = {1, 1, 1, 1, 0, 1, 1, 1, 0, 1};
  const std::vector<double> t0 = {1, 2, 3, 3, 4, 5, 6, 6, 7, 9, 11};
  const std::vector<int> e0 = {1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1};
  const auto base = two_arms(t1, e1, t0, e0);
  auto ref = cox_two_arm(base, 0, 1);
  auto ref_lr = logrank_two_arm(base, 0, 1);
  const auto base_arm = arm_of(base, 0);
  auto ref_km = kaplan_meier(base_arm.time, base_arm.event);
  ASSERT_TRUE(ref && ref_lr && ref_km);
  for (double scale : {1e300 / 12, 1e-6}) {
    auto d = base;
    for (auto& t : d.time) t *= scale;
    auto fit = cox_two_arm(d, 0, 1);
    ASSERT_TRUE(fit) << fit.error().what();
    EXPECT_EQ(fit->loghr, ref->loghr) << scale;
    EXPECT_EQ(fit->se, ref->se) << scale;
    auto lr = logrank_two_arm(d, 0, 1);
    ASSERT_TRUE(lr);
    EXPECT_EQ(lr->chisq, ref_lr->chisq) << scale;
    const auto s = arm_of(d, 0);
    auto km = kaplan_meier(s.time, s.event);
    ASSERT_TRUE(km);
    EXPECT_REL(km->median.estimate, 7 * scale, 1e-15);
    EXPECT_EQ(km->surv, ref_km->surv);
    EXPECT_EQ(km->std_err, ref_km->std_err);  // the last is Inf: S reaches 0 at the last death
  }
}

TEST(survival_edge_test, near_ties_are_merged_as_r_does) {
  // survival:::aeqSurv (timefix = TRUE in coxph, survdiff, survfit): times within sqrt(eps) of
  // each other, absolutely or relative to the mean time, are one time. The section 3 data with
  // 3 + 1e-9, 8 (1 + 1e-9) and 2 + 1e-8 give R's results for the exact ties:
  // coxph: -0.4318542973977148 (0.50779347821850485); survdiff: var 3.498789700502964, chisq
  // 0.81524317546679714; survfit (arm 1) times 2 3 5 6 7 8 10 12, events 1 2 1 0 1 2 0 1.
  const std::vector<double> t1 = {2, 3, 3 + 1e-9, 5, 6, 7, 8, 8 * (1 + 1e-9), 10, 12};
  const std::vector<int> e1 = {1, 1, 1, 1, 0, 1, 1, 1, 0, 1};
  const std::vector<double> t0 = {1, 2 + 1e-8, 3, 3, 4, 5, 6, 6, 7, 9, 11};
  const std::vector<int> e0 = {1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1};
  const auto d = two_arms(t1, e1, t0, e0);
  auto fit = cox_two_arm(d, 0, 1);
  ASSERT_TRUE(fit) << fit.error().what();
  EXPECT_REL(fit->loghr, -0.4318542973977148, estimate);
  EXPECT_REL(fit->se, 0.50779347821850485, estimate);
  auto lr = logrank_two_arm(d, 0, 1);
  ASSERT_TRUE(lr);
  EXPECT_REL(lr->v, 3.498789700502964, estimate);
  EXPECT_REL(lr->chisq, 0.81524317546679714, estimate);
  auto km = kaplan_meier(t1, e1);
  ASSERT_TRUE(km);
  EXPECT_EQ(km->time, (std::vector<double>{2, 3, 5, 6, 7, 8, 10, 12}));
  EXPECT_EQ(km->n_event, (std::vector<double>{1, 2, 1, 0, 1, 2, 0, 1}));

  // Times of order 1e-300 all lie within 1.5e-8 of each other: R (and srma) see one time.
  // coxph(Surv(t * 1e-300, e) ~ x): -0.043345495717183165 (0.48593741596268475); survfit of
  // arm 1: one time 2e-300 with 8 events, S = 0.2.
  auto tiny = d;
  const std::vector<double> base_t = {2, 3, 3, 5, 6, 7, 8, 8, 10, 12, 1,
                                      2, 3, 3, 4, 5, 6, 6, 7, 9,  11};
  for (std::size_t i = 0; i < tiny.time.size(); ++i) tiny.time[i] = base_t[i] * 1e-300;
  auto tf = cox_two_arm(tiny, 0, 1);
  ASSERT_TRUE(tf) << tf.error().what();
  EXPECT_REL(tf->loghr, -0.043345495717183165, estimate);
  EXPECT_REL(tf->se, 0.48593741596268475, estimate);
  const auto ta = arm_of(tiny, 0);
  auto tk = kaplan_meier(ta.time, ta.event);
  ASSERT_TRUE(tk);
  ASSERT_EQ(tk->time.size(), 1u);
  EXPECT_EQ(tk->time[0], 2e-300);
  EXPECT_EQ(tk->n_event[0], 8);
  EXPECT_REL(tk->surv[0], 0.2, estimate);
}

// ---- medians and restricted means at R's boundaries -----------------------------------------

TEST(survival_edge_test, median_on_a_flat_segment_at_exactly_one_half) {
  // S = 0.75, 0.5, 0.5, 0 at 1, 2, 3, 4: quantile(survfit(Surv(c(1,2,3,4), c(1,1,0,1)) ~ 1),
  // 0.5) averages the start of the flat segment (2) and the time S drops below it (4): 3, CI
  // (1, NA); summary(fit)$table agrees here.
  const std::vector<double> t = {1, 2, 3, 4};
  auto km = kaplan_meier(t, std::vector<int>{1, 1, 0, 1});
  ASSERT_TRUE(km) << km.error().what();
  EXPECT_EQ(km->median.estimate, 3);
  EXPECT_EQ(km->median.lower, 1);
  EXPECT_TRUE(std::isnan(km->median.upper));
  // lower: 0.42593226849798205 0.18765892870658832 0.18765892870658832 NA
  EXPECT_REL(km->lower[0], 0.42593226849798205, estimate);
  EXPECT_REL(km->lower[2], 0.18765892870658832, estimate);
  EXPECT_TRUE(std::isnan(km->lower[3]));

  // S ends on the flat segment at 0.5 (no later drop): quantile() averages its start (2) with
  // the last time (4): 3, while summary(fit)$table prints 2. srma follows quantile().
  auto flat_end = kaplan_meier(t, std::vector<int>{1, 1, 0, 0});
  ASSERT_TRUE(flat_end);
  EXPECT_EQ(flat_end->median.estimate, 3);
  EXPECT_EQ(flat_end->median.lower, 1);
  EXPECT_TRUE(std::isnan(flat_end->median.upper));
}

TEST(survival_edge_test, median_not_reached) {
  // S = 0.8 after the first death and never lower: quantile gives NA.
  auto km = kaplan_meier(std::vector<double>{1, 2, 3, 4, 5}, std::vector<int>{1, 0, 0, 0, 0});
  ASSERT_TRUE(km);
  EXPECT_TRUE(std::isnan(km->median.estimate));
  EXPECT_EQ(km->survival_at(100), 0.8);
}

TEST(survival_edge_test, restricted_mean_beyond_the_last_time_and_before_the_first_event) {
  // fit <- survfit(Surv(c(1,2,3,4), c(1,1,0,0)) ~ 1); summary(fit, rmean = tau)$table:
  // tau 4: 2.75 (0.649519052838329); tau 10 (past the last time: S carried on flat at 0.5):
  // 5.75 (2.1323402636539974); tau 2.5: 2 (0.30618621784789724).
  auto km = kaplan_meier(std::vector<double>{1, 2, 3, 4}, std::vector<int>{1, 1, 0, 0});
  ASSERT_TRUE(km);
  const double expected[][3] = {
      {4, 2.75, 0.649519052838329}, {10, 5.75, 2.1323402636539974}, {2.5, 2, 0.30618621784789724}};
  for (const auto& row : expected) {
    auto m = restricted_mean(*km, row[0]);
    ASSERT_TRUE(m) << m.error().what();
    EXPECT_EQ(m->tau, row[0]);
    EXPECT_REL(m->rmst, row[1], estimate) << row[0];
    EXPECT_REL(m->se, row[2], estimate) << row[0];
  }
  // fit <- survfit(Surv(c(1,3,4,6), c(0,1,1,0)) ~ 1): tau 1 and 2 (after the censoring at 1,
  // before the first death at 3): rmean = tau, se 0; tau 3.5: 3.3333333333333335
  // (0.13608276348795434).
  auto km2 = kaplan_meier(std::vector<double>{1, 3, 4, 6}, std::vector<int>{0, 1, 1, 0});
  ASSERT_TRUE(km2);
  for (double tau : {1.0, 2.0}) {
    auto m = restricted_mean(*km2, tau);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->rmst, tau);
    EXPECT_EQ(m->se, 0);
  }
  auto m35 = restricted_mean(*km2, 3.5);
  ASSERT_TRUE(m35);
  EXPECT_REL(m35->rmst, 3.3333333333333335, estimate);
  EXPECT_REL(m35->se, 0.13608276348795434, estimate);
  // tau before every listed time: R's summary.survfit stops ("Truncation point for the mean
  // time in state is < smallest survival"); the area under S = 1 is tau itself, with SE 0.
  auto early = restricted_mean(*km2, 0.5);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->rmst, 0.5);
  EXPECT_EQ(early->se, 0);
}

// ---- cost -------------------------------------------------------------------------------------

TEST(survival_edge_test, two_arms_of_1000_patients_are_fast) {
  // Exponential times, HR 0.7, uniform censoring, times rounded to 0.01 (ties). The bound is
  // loose (sanitizer builds, a shared machine); a Release build takes well under 10 ms.
  std::mt19937_64 rng(20261130);
  std::exponential_distribution<double> ev(1.0);
  std::uniform_real_distribution<double> cens(0.0, 3.0);
  survival_data d;
  for (int i = 0; i < 2000; ++i) {
    const bool treated = i % 2 == 0;
    const double t = ev(rng) / (treated ? 0.7 : 1.0);
    const double c = cens(rng);
    d.add(treated ? "T" : "C", std::round(std::min(t, c) * 100) / 100, t <= c ? 1 : 0);
  }
  const auto start = std::chrono::steady_clock::now();
  auto fit = cox_two_arm(d, 0, 1);
  auto lr = logrank_two_arm(d, 0, 1);
  const auto a = arm_of(d, 0);
  const auto b = arm_of(d, 1);
  auto km_a = kaplan_meier(a.time, a.event);
  auto km_b = kaplan_meier(b.time, b.event);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(fit && lr && km_a && km_b);
  EXPECT_NEAR(fit->hr, 0.7, 0.15);
  EXPECT_LT(ms, 250.0);
  RecordProperty("milliseconds", std::to_string(ms));
}

}  // namespace
}  // namespace srma
