#include "srma/model/pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "srma/model/subgroup.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

// dat.bcg, escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg), full precision.
const std::vector<double> k_yi = {-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732,
                                  -0.78611559, -1.62089822, 0.01195233,  -0.46941765, -1.37134480,
                                  -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> k_vi = {0.325585592, 0.194581121, 0.415368852, 0.020010032, 0.051210172,
                                  0.006905618, 0.223017248, 0.003961579, 0.056434210, 0.073024794,
                                  0.012412214, 0.532505845, 0.071404660};

pool_options metafor(tau2_method m, bool hksj = false) {
  auto o = preset_options(preset::metafor);
  o.tau2 = m;
  if (hksj) o.ci = ci_method::hksj;
  return o;
}

// Reference: metafor 3.8-1 on dat.bcg (escalc(measure = "RR")), rma(yi, vi, method = M,
// control = list(threshold = 1e-12, tol = 1e-12)), printed digits; the same fits at full
// precision are the cases bcg_RR_<M>_z of tests/validation/data/bcg.json
// (tools/make_reference_pool.R).
TEST(pool_test, bcg_tau2_estimators_match_metafor_printed_values) {
  struct row {
    tau2_method m;
    double tau2, mu, se, i2, se_tau2;
  };
  const row rows[] = {
      {tau2_method::dl, 0.308760, -0.714117, 0.178742, 92.1173, 0.22987},
      {tau2_method::he, 0.328564, -0.715879, 0.183280, 92.5571, 0.20709},
      {tau2_method::hs, 0.228363, -0.704535, 0.158652, 89.6300, 0.12790},
      {tau2_method::sj, 0.345516, -0.717249, 0.187059, 92.8963, 0.14968},
      {tau2_method::ml, 0.280028, -0.711199, 0.171897, 91.3783, 0.14425},
      {tau2_method::reml, 0.313243, -0.714532, 0.179782, 92.2214, 0.16643},
      {tau2_method::pm, 0.318068, -0.714968, 0.180892, 92.3303, 0.17366},
      {tau2_method::eb, 0.318068, -0.714968, 0.180892, 92.3303, 0.17366},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(tau2_method_code(r.m)));
    auto res = pool(k_yi, k_vi, metafor(r.m));
    ASSERT_TRUE(res) << res.error().what();
    EXPECT_NEAR(res->heterogeneity.tau2, r.tau2, 2e-6);
    EXPECT_NEAR(res->random.estimate, r.mu, 2e-6);
    EXPECT_NEAR(res->random.se, r.se, 2e-6);
    EXPECT_NEAR(res->heterogeneity.I2_tau2, r.i2, 2e-4);
    EXPECT_NEAR(res->heterogeneity.tau2_se, r.se_tau2, 2e-5);
  }
}

// Reference: pooling.md §2 and §4-6 (BCG): EE CI [-0.5097, -0.3509], z = -10.6247, Q = 152.2330;
// REML: Q-profile tau^2 [0.1197, 1.1115], I^2 [81.92, 97.68]; HKSJ t = -3.9522, p = 0.0019,
// CI [-1.1084, -0.3206]; PI z [-1.8667, 0.4376], t(k-1) [-1.9953, 0.5663], t(k-2) [-2.0084,
// 0.5793].
TEST(pool_test, bcg_common_effect_heterogeneity_and_intervals) {
  auto r = pool(k_yi, k_vi, metafor(tau2_method::reml));
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->common.estimate, -0.430285, 2e-6);
  EXPECT_NEAR(r->common.ci_lower, -0.5097, 1e-4);
  EXPECT_NEAR(r->common.ci_upper, -0.3509, 1e-4);
  EXPECT_NEAR(r->common.statistic, -10.6247, 1e-4);
  EXPECT_NEAR(r->heterogeneity.Q, 152.2330, 1e-4);
  EXPECT_EQ(r->heterogeneity.df, 12);
  EXPECT_NEAR(r->heterogeneity.I2, 92.1173, 1e-4);
  EXPECT_NEAR(r->heterogeneity.tau2_ci_lower, 0.1197, 1e-4);
  EXPECT_NEAR(r->heterogeneity.tau2_ci_upper, 1.1115, 1e-4);
  EXPECT_NEAR(r->heterogeneity.I2_ci_lower, 81.92, 1e-2);
  EXPECT_NEAR(r->heterogeneity.I2_ci_upper, 97.68, 1e-2);
  EXPECT_NEAR(r->random.pi_lower, -1.8667, 1e-4);
  EXPECT_NEAR(r->random.pi_upper, 0.4376, 1e-4);
  EXPECT_TRUE(std::isnan(r->random.df));

  auto kh = pool(k_yi, k_vi, metafor(tau2_method::reml, true));
  ASSERT_TRUE(kh);
  EXPECT_NEAR(kh->random.se, 0.1808, 1e-4);
  EXPECT_NEAR(kh->random.statistic, -3.9522, 1e-4);
  EXPECT_NEAR(kh->random.p, 0.0019, 1e-4);
  EXPECT_NEAR(kh->random.ci_lower, -1.1084, 1e-4);
  EXPECT_NEAR(kh->random.ci_upper, -0.3206, 1e-4);
  EXPECT_EQ(kh->random.df, 12);
  EXPECT_NEAR(kh->random.pi_lower, -1.9960, 1e-4);  // metafor: t(k-1) with the KH SE

  auto o = metafor(tau2_method::reml);
  o.pi = pi_method::t_k1;
  auto t1 = pool(k_yi, k_vi, o);
  EXPECT_NEAR(t1->random.pi_lower, -1.9953, 1e-4);
  EXPECT_NEAR(t1->random.pi_upper, 0.5663, 1e-4);
  o.pi = pi_method::t_k2;
  auto t2 = pool(k_yi, k_vi, o);
  EXPECT_NEAR(t2->random.pi_lower, -2.0084, 1e-4);
  EXPECT_NEAR(t2->random.pi_upper, 0.5793, 1e-4);
  o.pi = pi_method::none;
  EXPECT_TRUE(std::isnan(pool(k_yi, k_vi, o)->random.pi_lower));
}

TEST(pool_test, weights_are_percentages_summing_to_100) {
  auto r = pool(k_yi, k_vi, metafor(tau2_method::dl));
  ASSERT_TRUE(r);
  EXPECT_NEAR(std::accumulate(r->weight_common.begin(), r->weight_common.end(), 0.0), 100, 1e-10);
  EXPECT_NEAR(std::accumulate(r->weight_random.begin(), r->weight_random.end(), 0.0), 100, 1e-10);
}

// pool(study_table&&) gives what pool(const study_table&) gives, with the labels moved out of
// the table.
TEST(pool_test, pooling_a_table_it_may_consume_gives_the_same_result) {
  auto t = make_study_table(k_yi, k_vi);
  ASSERT_TRUE(t);
  t->study[0] = "Aronson 1948";
  auto copied = pool(*t, metafor(tau2_method::reml));
  ASSERT_TRUE(copied);
  auto moved = pool(std::move(*t), metafor(tau2_method::reml));
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->study, copied->study);
  EXPECT_EQ(moved->study[0], "Aronson 1948");
  EXPECT_EQ(moved->random.estimate, copied->random.estimate);
  EXPECT_EQ(moved->heterogeneity.tau2, copied->heterogeneity.tau2);
  EXPECT_EQ(moved->weight_random, copied->weight_random);
  EXPECT_EQ(moved->yi, copied->yi);
  EXPECT_EQ(moved->vi, copied->vi);
  // NOLINTBEGIN(bugprone-use-after-move): the documented state after a success
  EXPECT_TRUE(t->study.empty());
  EXPECT_TRUE(t->yi.empty());
  EXPECT_TRUE(t->vi.empty());
  EXPECT_EQ(t->line.size(), 13u);  // what the result does not take stays
  // NOLINTEND(bugprone-use-after-move)
}

// On an error the table is as it was: the estimates and variances that were moved into the
// fit come back. REML with one small step allowed and no fallback does not converge
// (srma.model.E303).
TEST(pool_test, a_table_it_may_consume_is_unchanged_when_pooling_fails) {
  auto t = make_study_table(k_yi, k_vi);
  ASSERT_TRUE(t);
  auto o = metafor(tau2_method::reml);
  o.control.max_iter = 1;
  o.control.step_adj = 0.01;
  o.control.fallback = {};
  auto moved = pool(std::move(*t), o);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().id, "srma.model.E303");
  // NOLINTBEGIN(bugprone-use-after-move): documented state after an error
  EXPECT_EQ(t->yi, k_yi);
  EXPECT_EQ(t->vi, k_vi);
  EXPECT_EQ(t->study.size(), 13u);
  // NOLINTEND(bugprone-use-after-move)
}

TEST(pool_test, q_based_and_tau2_based_i2_coincide_only_under_dl) {
  auto dl = pool(k_yi, k_vi, metafor(tau2_method::dl));
  EXPECT_REL(dl->heterogeneity.I2, dl->heterogeneity.I2_tau2, 1e-12);
  auto reml = pool(k_yi, k_vi, metafor(tau2_method::reml));
  EXPECT_GT(std::fabs(reml->heterogeneity.I2 - reml->heterogeneity.I2_tau2), 1e-3);
}

// Shuffling the studies must not change any pooled number (sums are order independent up to
// rounding): the same tolerance as the validation tests.
TEST(pool_test, study_order_does_not_matter_for_any_estimator) {
  std::vector<std::size_t> idx(k_yi.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::mt19937 rng(7);
  for (auto m : all_tau2_methods()) {
    for (bool hksj : {false, true}) {
      auto base = pool(k_yi, k_vi, metafor(m, hksj));
      ASSERT_TRUE(base);
      for (int rep = 0; rep < 5; ++rep) {
        std::shuffle(idx.begin(), idx.end(), rng);
        std::vector<double> y, v;
        for (auto i : idx) {
          y.push_back(k_yi[i]);
          v.push_back(k_vi[i]);
        }
        auto r = pool(y, v, metafor(m, hksj));
        ASSERT_TRUE(r);
        EXPECT_REL(r->random.estimate, base->random.estimate, 1e-10);
        EXPECT_REL(r->random.se, base->random.se, 1e-10);
        EXPECT_REL(r->heterogeneity.tau2, base->heterogeneity.tau2, 1e-9);
        EXPECT_REL(r->heterogeneity.tau2_ci_upper, base->heterogeneity.tau2_ci_upper, 1e-9);
        EXPECT_REL(r->random.pi_lower, base->random.pi_lower, 1e-10);
      }
    }
  }
}

TEST(pool_test, one_study_gives_its_own_estimate_and_metafors_k1_heterogeneity) {
  for (auto m : all_tau2_methods()) {
    std::vector<double> y = {0.3}, v = {0.04};
    auto r = pool(y, v, metafor(m));
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_DOUBLE_EQ(r->common.estimate, 0.3);
    EXPECT_DOUBLE_EQ(r->random.estimate, 0.3);
    EXPECT_DOUBLE_EQ(r->random.se, 0.2);
    EXPECT_EQ(r->heterogeneity.tau2, 0);
    // metafor 3.8-1, rma(yi = 0.3, vi = 0.04) for every method: QE = 0, QEp = 1, I2 = 0,
    // H2 = 1 (its k = 1 convention); srma's Q-based I^2 and H^2 follow it.
    EXPECT_EQ(r->heterogeneity.Q, 0);
    EXPECT_EQ(r->heterogeneity.p, 1);
    EXPECT_EQ(r->heterogeneity.I2, 0);
    EXPECT_EQ(r->heterogeneity.H2, 1);
    EXPECT_EQ(r->heterogeneity.I2_tau2, 0);
    EXPECT_EQ(r->heterogeneity.H2_tau2, 1);
    EXPECT_TRUE(std::isnan(r->heterogeneity.tau2_ci_upper));
    EXPECT_FALSE(r->notes.empty());
  }
}

TEST(pool_test, identical_estimates_give_zero_tau2_everywhere) {
  std::vector<double> y(6, -0.2), v = {0.1, 0.2, 0.05, 0.3, 0.1, 0.4};
  for (auto m : all_tau2_methods()) {
    for (bool hksj : {false, true}) {
      SCOPED_TRACE(std::string(tau2_method_code(m)) + (hksj ? " hksj" : ""));
      auto r = pool(y, v, metafor(m, hksj));
      ASSERT_TRUE(r) << r.error().what();
      EXPECT_EQ(r->heterogeneity.tau2, 0);
      EXPECT_NEAR(r->random.estimate, -0.2, 1e-15);
      EXPECT_EQ(r->heterogeneity.Q, 0);
      EXPECT_TRUE(r->heterogeneity.tau2_ci_null_set);
      EXPECT_TRUE(std::isfinite(r->random.ci_lower));
    }
  }
}

TEST(pool_test, invalid_options_and_inputs_are_errors) {
  auto o = metafor(tau2_method::reml);
  o.level = 100;
  EXPECT_EQ(pool(k_yi, k_vi, o).error().what(),
            "[srma.model.E300] the confidence level is 100, but must lie strictly between 0 and "
            "100");
  std::vector<double> bad = {0.1, -1};
  std::vector<double> y2 = {0.1, 0.2};
  EXPECT_EQ(pool(y2, bad, metafor(tau2_method::reml)).error().id, "srma.input.E205");
  std::vector<double> empty;
  EXPECT_EQ(pool(empty, empty, metafor(tau2_method::reml)).error().id, "srma.model.E301");
}

TEST(pool_test, auto_rule_picks_the_model_from_i2) {
  auto o = metafor(tau2_method::reml);
  o.model = model_choice::auto_i2;
  o.i2 = i2_definition::q_based;
  auto high = pool(k_yi, k_vi, o);  // I^2 = 92%
  ASSERT_TRUE(high);
  EXPECT_EQ(high->primary, model_kind::random);
  EXPECT_EQ(high->model_reason,
            "auto rule: I\u00b2 (Q-based) = 92.1% is at least 20%, so the random-effects model");
  std::vector<double> y = {0.1, 0.12, 0.09, 0.11, 0.1}, v = {0.04, 0.05, 0.03, 0.06, 0.05};
  auto low = pool(y, v, o);
  ASSERT_TRUE(low);
  EXPECT_EQ(low->primary, model_kind::common);
  EXPECT_EQ(&low->primary_estimate(), &low->common);
}

TEST(pool_test, subgroups_split_weights_and_test_differences) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < k_yi.size(); ++i) labels.push_back("S" + std::to_string(i));
  auto t = make_study_table(k_yi, k_vi, labels, effect_measure::risk_ratio);
  ASSERT_TRUE(t);
  // dat.bcg alloc: random, random, random, random, alternate, alternate, random, random,
  // systematic, systematic, systematic, systematic, systematic
  t->attribute_names = {"alloc"};
  t->attribute_columns = {8};
  t->attributes = {{"random", "random", "random", "random", "alternate", "alternate", "random",
                    "random", "systematic", "systematic", "systematic", "systematic",
                    "systematic"}};
  auto o = metafor(tau2_method::reml);
  o.model = model_choice::common;
  auto s = pool_subgroups(*t, "ALLOC", o);
  ASSERT_TRUE(s) << s.error().what();
  ASSERT_EQ(s->groups.size(), 3u);
  EXPECT_EQ(s->groups[0].level, "random");
  EXPECT_EQ(s->groups[1].level, "alternate");
  double share = 0, q_within = 0;
  for (const auto& g : s->groups) {
    share += g.weight_share_common;
    q_within += g.result.heterogeneity.Q;
  }
  EXPECT_NEAR(share, 100, 1e-10);
  // Common effect: Q_between = Q_total - sum Q_within (Borenstein et al. 2009, eq. 19.x).
  EXPECT_REL(s->between_common.Q, s->overall.heterogeneity.Q - q_within, 1e-10);
  EXPECT_EQ(s->between_common.df, 2);

  auto missing = *t;
  missing.attributes[0].set(3, "");
  missing.source = "bcg.csv";
  missing.line = std::vector<int>(13, 0);
  missing.line[3] = 5;
  EXPECT_EQ(pool_subgroups(missing, "alloc", o).error().what(),
            "[srma.input.E214] bcg.csv:5:8: study 'S3' has no value in column 'alloc': every "
            "study must belong to a subgroup");
  EXPECT_EQ(pool_subgroups(*t, "nope", o).error().id, "srma.input.E214");
}

}  // namespace
}  // namespace srma
