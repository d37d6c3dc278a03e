#include "srma/model/metareg.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "srma/bias/small_study_bias.hpp"
#include "srma/bias/trim_and_fill.hpp"
#include "srma/model/subgroup.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

// dat.bcg log risk ratios (escalc "RR") with allocation and absolute latitude.
study_table bcg() {
  auto t = *make_study_table(
      {-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732, -0.78611559, -1.62089822,
       0.01195233, -0.46941765, -1.37134480, -0.33935883, 0.44591340, -0.01731395},
      {0.325585592, 0.194581121, 0.415368852, 0.020010032, 0.051210172, 0.006905618, 0.223017248,
       0.003961579, 0.056434210, 0.073024794, 0.012412214, 0.532505845, 0.071404660},
      {"Aronson", "Ferguson", "Rosenthal60", "Hart", "Frimodt", "Stein", "Vandiviere", "TPT",
       "Coetzee", "Rosenthal61", "Comstock74", "Comstock69", "Comstock76"},
      effect_measure::risk_ratio);
  t.source = "bcg.csv";
  t.line = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
  t.attribute_names = {"alloc", "ablat", "constant"};
  t.attribute_columns = {7, 8, 9};
  t.attributes = {{"random", "random", "random", "random", "alternate", "alternate", "random",
                   "random", "systematic", "systematic", "systematic", "systematic", "systematic"},
                  {"44", "55", "42", "52", "13", "44", "19", "13", "27", "42", "18", "33", "33"},
                  std::vector<std::string>(13, "1")};
  return t;
}

TEST(metareg_test, design_expands_categorical_moderators_against_the_first_level) {
  auto t = bcg();
  std::vector<std::string> mods = {"ablat", "alloc"};
  auto d = build_design(t, mods);
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->names,
            (std::vector<std::string>{"intercept", "ablat", "alloc[random]", "alloc[systematic]"}));
  EXPECT_EQ(d->at(0, 2), 1.0);  // Aronson: random
  EXPECT_EQ(d->at(4, 2), 0.0);  // Frimodt-Moller: alternate (reference)
  EXPECT_EQ(d->at(8, 3), 1.0);  // Coetzee: systematic
  std::vector<std::string> f = {"ablat"};
  std::vector<std::string> only = {"ablat"};
  auto as_factor = build_design(t, only, f);
  ASSERT_TRUE(as_factor);
  EXPECT_EQ(as_factor->cols(), 9u);  // intercept + 8 of the 9 distinct latitudes
}

// With one categorical moderator and a shared tau^2, the omnibus QM of the meta-regression is the
// test for subgroup differences of the subgroup analysis with --common-tau2 (Borenstein et al.
// 2009, ch. 19; metafor: rma(yi, vi, mods = ~ factor(alloc)) QM).
TEST(metareg_test, factor_omnibus_test_equals_the_subgroup_difference_test) {
  auto t = bcg();
  auto o = preset_options(preset::metafor);
  o.model = model_choice::random;
  o.common_tau2 = true;
  std::vector<std::string> mods = {"alloc"};
  auto fit = metareg(t.yi, t.vi, *build_design(t, mods), o);
  ASSERT_TRUE(fit) << fit.error().what();
  auto sub = pool_subgroups(t, "alloc", o);
  ASSERT_TRUE(sub) << sub.error().what();
  EXPECT_REL(fit->QM.statistic, sub->between_random.Q, 1e-9);
  EXPECT_EQ(fit->QM.df1, sub->between_random.df);
  EXPECT_REL(fit->tau2, sub->tau2_common, 1e-9);
}

TEST(metareg_test, bad_moderators_are_errors_with_their_position) {
  auto t = bcg();
  std::vector<std::string> unknown = {"latitude"};
  EXPECT_EQ(build_design(t, unknown).error().what(),
            "[srma.input.E215] bcg.csv: no moderator column 'latitude'; the columns available "
            "are: alloc, ablat, constant");
  t.attributes[1].set(5, "");
  std::vector<std::string> ablat = {"ablat"};
  // Refused only when asked (by default the study is dropped: metareg_missing_test.cpp).
  EXPECT_EQ(build_design(t, ablat, {}, missing_moderator::error).error().what(),
            "[srma.input.E215] bcg.csv:7:8: study 'Stein' has no value for moderator 'ablat': "
            "meta-regression needs every moderator of every study");
  // A word among numbers is a typing error until the user says the column is categorical.
  t = bcg();
  t.attributes[1].set(3, "5 2");
  EXPECT_EQ(build_design(t, ablat).error().what(),
            "[srma.input.E215] bcg.csv:5:8: moderator 'ablat' of study 'Hart' is '5 2', not a "
            "number, while 12 of the 13 studies have numbers; correct the value, or declare the "
            "column a factor to treat it as categorical");
  EXPECT_EQ(build_design(t, ablat).error().subject, "ablat");
  auto declared = build_design(t, ablat, ablat);
  ASSERT_TRUE(declared) << declared.error().what();
  EXPECT_EQ(declared->cols(), 9u);  // intercept + 8 of the 9 distinct values
  std::vector<std::string> constant = {"constant"};
  EXPECT_EQ(build_design(bcg(), constant).error().what(),
            "[srma.model.E304] the moderators (constant) are collinear or constant: the design "
            "has rank 1 < 2 columns");
}

TEST(metareg_test, too_few_studies_for_the_coefficients) {
  auto t = bcg().subset(std::vector<std::size_t>{0, 1, 2});
  std::vector<std::string> mods = {"ablat", "alloc"};
  // Three studies, all 'random': alloc cannot explain anything (never silently dropped).
  EXPECT_EQ(build_design(t, mods).error().what(),
            "[srma.model.E304] moderator 'alloc' has the same value ('random') in every study, so "
            "it cannot explain differences between them");
  auto small = bcg().subset(std::vector<std::size_t>{0, 4});
  std::vector<std::string> m2 = {"ablat"};
  auto d2 = build_design(small, m2);
  ASSERT_TRUE(d2);
  auto fit = metareg(small.yi, small.vi, *d2, preset_options(preset::metafor));
  EXPECT_EQ(fit.error().what(),
            "[srma.model.E301] meta-regression with 2 coefficients needs more than 2 studies "
            "(k = 2)");
}

// metareg_output::coefficients is the same fit without the heterogeneity statistics and R^2:
// every coefficient, the covariance, tau^2 and QM equal the full fit's bit for bit (the same
// arithmetic), and what it leaves out is NaN rather than a stale or zero value.
TEST(metareg_test, coefficients_only_output_equals_the_full_fit_where_it_reports) {
  auto t = bcg();
  std::vector<std::string> mods = {"ablat", "alloc"};
  auto d = build_design(t, mods);
  ASSERT_TRUE(d) << d.error().what();
  for (auto model : {model_choice::random, model_choice::common}) {
    for (auto ci : {ci_method::z, ci_method::hksj}) {
      auto o = preset_options(preset::metafor);
      o.model = model;
      o.ci = ci;
      auto full = metareg(t.yi, t.vi, *d, o);
      auto part = metareg(t.yi, t.vi, *d, o, metareg_output::coefficients);
      ASSERT_TRUE(full && part);
      ASSERT_EQ(part->coefficients.size(), full->coefficients.size());
      for (std::size_t j = 0; j < full->coefficients.size(); ++j) {
        const auto& a = full->coefficients[j];
        const auto& b = part->coefficients[j];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.estimate, b.estimate);
        EXPECT_EQ(a.se, b.se);
        EXPECT_EQ(a.p, b.p);
        EXPECT_EQ(a.ci_lower, b.ci_lower);
        EXPECT_EQ(a.ci_upper, b.ci_upper);
      }
      EXPECT_EQ(part->vcov, full->vcov);
      EXPECT_EQ(part->tau2, full->tau2);
      EXPECT_EQ(part->QM.statistic, full->QM.statistic);
      EXPECT_EQ(part->QM.p, full->QM.p);
      EXPECT_EQ(part->QE_df, full->QE_df);
      EXPECT_FALSE(std::isnan(full->QE) || std::isnan(full->I2) || std::isnan(full->R2));
      EXPECT_TRUE(std::isnan(part->QE) && std::isnan(part->QE_p) && std::isnan(part->I2) &&
                  std::isnan(part->H2) && std::isnan(part->I2_tau2) && std::isnan(part->H2_tau2) &&
                  std::isnan(part->R2));
    }
  }
}

TEST(bias_test, too_few_studies_and_warnings) {
  auto t = bcg();
  auto small = t.subset(std::vector<std::size_t>{0, 1});
  EXPECT_EQ(small_study_bias(small, preset_options(preset::metafor)).error().what(),
            "[srma.model.E301] tests for small-study effects need at least 3 studies (k = 2)");
  auto nine = t.subset(std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8});
  auto r = small_study_bias(nine, preset_options(preset::metafor));
  ASSERT_TRUE(r) << r.error().what();
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0],
            "only 9 studies: tests for funnel-plot asymmetry have low power with fewer than 10 "
            "(Cochrane Handbook, section 13.3.5.4); interpret them with caution");
  EXPECT_TRUE(small_study_bias(t, preset_options(preset::metafor))->warnings.empty());
}

// small_study_bias passes trim-and-fill the side its own mixed Egger regression gives (metafor's
// rule); the result must be trim_and_fill's with the side left to it, on data missing studies on
// either side, under REML and the common-effect model, with Wald and HKSJ.
TEST(bias_test, trim_and_fill_in_the_bias_summary_equals_it_run_alone) {
  const auto t = bcg();
  const std::vector<double> mirrored = [&] {
    std::vector<double> m;
    for (double y : t.yi) m.push_back(-y);
    return m;
  }();
  for (const std::vector<double>* yi : {&t.yi, &mirrored}) {
    for (bool common : {false, true}) {
      for (bool hksj : {false, true}) {
        auto o = preset_options(preset::metafor);
        if (hksj) o.ci = ci_method::hksj;
        if (common) o.model = model_choice::common;
        auto table = make_study_table(*yi, t.vi);
        ASSERT_TRUE(table);
        auto all = small_study_bias(*table, o);
        ASSERT_TRUE(all) << all.error().what();
        auto alone = trim_and_fill(*yi, t.vi, o, trimfill_estimator::l0, std::nullopt);
        ASSERT_TRUE(alone) << alone.error().what();
        EXPECT_EQ(all->trimfill.side, alone->side);
        EXPECT_EQ(all->trimfill.k0, alone->k0);
        EXPECT_EQ(all->trimfill.estimate.estimate, alone->estimate.estimate);
        EXPECT_EQ(all->trimfill.filled_yi, alone->filled_yi);
      }
    }
  }
}

// Begg's test uses R's exact distribution of Kendall's statistic without ties: for n = 4 and
// T = 0 concordant pairs, P(T <= 0) = 1/24, so the two-sided p is 1/12 (cor.test exact).
TEST(bias_test, kendall_exact_p_value_small_case) {
  // Standardised effects strictly decreasing while variances increase: tau = -1.
  std::vector<double> y = {0.3, 0.1, -0.1, -0.4}, v = {0.01, 0.02, 0.04, 0.08};
  auto r = begg_test(y, v);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->tau, -1.0);
  EXPECT_TRUE(r->exact);
  EXPECT_NEAR(r->p, 1.0 / 12.0, 1e-15);
}

}  // namespace
}  // namespace srma
