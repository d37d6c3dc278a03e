// Meta-regression on real files (issue 12 item 5, moderator half): a study without a value for a
// moderator is dropped from the regression with a note naming its row (metafor drops rows with NA
// in a moderator), or refused on request; and the QR-based algebra (issue 12 item 2) gives the
// same fit for a moderator and the same moderator shifted by a constant.
//
// Data: dat.bcg log risk ratios (escalc(measure = "RR"), metafor 3.8-1, 8 decimals) with the
// allocation, absolute latitude and year of each trial.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "srma/model/metareg.hpp"
#include "srma/sensitivity/permtest.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

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
  t.attribute_names = {"alloc", "ablat", "year"};
  t.attribute_columns = {7, 8, 6};
  t.attributes = {{"random", "random", "random", "random", "alternate", "alternate", "random",
                   "random", "systematic", "systematic", "systematic", "systematic", "systematic"},
                  {"44", "55", "42", "52", "13", "44", "19", "13", "27", "42", "18", "33", "33"},
                  {"1948", "1949", "1960", "1977", "1973", "1953", "1973", "1980", "1968", "1961",
                   "1974", "1969", "1976"}};
  return t;
}

// The fit of the table without the dropped studies, built by hand: the oracle.
metareg_result fit_of_subset(const study_table& t, const std::vector<std::size_t>& keep,
                             std::vector<std::string> mods) {
  const auto sub = t.subset(keep);
  auto d = build_design(sub, mods);
  EXPECT_TRUE(d) << d.error().what();
  auto f = metareg(sub.yi, sub.vi, *d, preset_options(preset::metafor));
  EXPECT_TRUE(f) << f.error().what();
  return *f;
}

TEST(metareg_missing_test, a_study_without_a_moderator_value_is_dropped_and_named) {
  auto t = bcg();
  t.attributes[1].set(5, "");    // Stein (line 7): no latitude
  t.attributes[2].set(9, "NA");  // Rosenthal61 (line 11): no year
  const std::vector<std::string> mods = {"ablat", "year"};
  auto d = build_design(t, mods);
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->rows, 11u);
  EXPECT_EQ(d->dropped, (std::vector<std::size_t>{5, 9}));
  ASSERT_EQ(d->used.size(), 11u);
  EXPECT_EQ(d->used[5], 6u);
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_EQ(d->notes[0],
            "2 of 13 studies left out of the meta-regression for a missing moderator value (as "
            "metafor drops rows with NA): 'Stein' (bcg.csv:7: no ablat); 'Rosenthal61' "
            "(bcg.csv:11: no year)");
  // metareg() takes the whole table's yi and vi and uses the studies kept; the result says how
  // many were dropped and carries the note.
  auto f = metareg(t.yi, t.vi, *d, preset_options(preset::metafor));
  ASSERT_TRUE(f) << f.error().what();
  EXPECT_EQ(f->k, 11u);
  EXPECT_EQ(f->dropped, 2u);
  ASSERT_FALSE(f->notes.empty());
  EXPECT_EQ(f->notes[0], d->notes[0]);
  const auto oracle = fit_of_subset(t, d->used, mods);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_DOUBLE_EQ(f->coefficients[j].estimate, oracle.coefficients[j].estimate);
    EXPECT_DOUBLE_EQ(f->coefficients[j].se, oracle.coefficients[j].se);
  }
  EXPECT_DOUBLE_EQ(f->tau2, oracle.tau2);
  EXPECT_DOUBLE_EQ(f->QE, oracle.QE);
  // yi and vi of another length are an error, not a silent misalignment.
  const std::vector<double> short_y(t.yi.begin(), t.yi.begin() + 12);
  const std::vector<double> short_v(t.vi.begin(), t.vi.begin() + 12);
  EXPECT_EQ(metareg(short_y, short_v, *d, preset_options(preset::metafor)).error().id,
            "srma.input.E213");
}

TEST(metareg_missing_test, missing_error_refuses_with_the_position) {
  auto t = bcg();
  t.attributes[1].set(5, "");
  const std::vector<std::string> mods = {"ablat"};
  EXPECT_EQ(build_design(t, mods, {}, missing_moderator::error).error().what(),
            "[srma.input.E215] bcg.csv:7:8: study 'Stein' has no value for moderator 'ablat': "
            "meta-regression needs every moderator of every study");
  EXPECT_EQ(parse_missing_moderator("ERROR"), missing_moderator::error);
  EXPECT_EQ(parse_missing_moderator("drop"), missing_moderator::drop);
  EXPECT_FALSE(parse_missing_moderator("omit").has_value());
  EXPECT_EQ(to_string(missing_moderator::drop), "drop");
}

// Levels and the number check look at the studies kept: a level seen only in a dropped study
// gets no column, and a word in a dropped study's cell does not make a column categorical.
TEST(metareg_missing_test, levels_come_from_the_studies_kept) {
  auto t = bcg();
  t.attributes[0].set(8, "other");  // Coetzee: the only 'other'
  t.attributes[1].set(8, "");       // ... and no latitude, so it is dropped
  const std::vector<std::string> mods = {"ablat", "alloc"};
  auto d = build_design(t, mods);
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->names,
            (std::vector<std::string>{"intercept", "ablat", "alloc[random]", "alloc[systematic]"}));
}

// permutation_test() also takes the whole table's yi and vi with such a design: 11 studies with
// 11 distinct latitude orders would be 11! permutations, so a random test here.
TEST(metareg_missing_test, permutation_test_uses_the_studies_kept) {
  auto t = bcg();
  t.attributes[1].set(5, "");
  const std::vector<std::string> mods = {"ablat"};
  auto d = build_design(t, mods);
  ASSERT_TRUE(d);
  permtest_options p;
  p.iterations = 50;
  auto r = permutation_test(t.yi, t.vi, &*d, preset_options(preset::metafor), p);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->used, 50u);
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_EQ(r->notes[0].rfind("1 of 13 studies left out", 0), 0u);
  // The same test on the kept studies alone gives the same p-values (same seed, same data).
  const auto sub = t.subset(d->used);
  auto d2 = build_design(sub, mods);
  ASSERT_TRUE(d2);
  auto r2 = permutation_test(sub.yi, sub.vi, &*d2, preset_options(preset::metafor), p);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r->p, r2->p);
}

// A moderator and the same moderator minus a constant are the same model: every statistic but
// the intercept is unchanged (to 1e-10 relative here, with the year at 1948-1980 against
// 0-32); the intercept moves by centre * slope.
TEST(metareg_missing_test, shifting_a_moderator_leaves_the_fit_unchanged) {
  auto t = bcg();
  t.attribute_names.push_back("year_c");
  t.attribute_columns.push_back(9);
  std::vector<std::string> centred;
  for (std::string_view y : t.attributes[2])
    centred.push_back(std::to_string(std::stoi(std::string(y)) - 1948));
  t.attributes.push_back(centred);
  for (tau2_method m : {tau2_method::dl, tau2_method::reml}) {
    pool_options o = preset_options(preset::metafor);
    o.tau2 = m;
    const std::vector<std::string> raw_mods = {"year"}, centred_mods = {"year_c"};
    auto raw = metareg(t.yi, t.vi, *build_design(t, raw_mods), o);
    auto cen = metareg(t.yi, t.vi, *build_design(t, centred_mods), o);
    ASSERT_TRUE(raw && cen);
    EXPECT_REL(raw->tau2, cen->tau2, 1e-10);
    EXPECT_REL(raw->tau2_se, cen->tau2_se, 1e-10);
    EXPECT_REL(raw->QM.statistic, cen->QM.statistic, 1e-10);
    EXPECT_REL(raw->QE, cen->QE, 1e-10);
    EXPECT_REL(raw->coefficients[1].se, cen->coefficients[1].se, 1e-10);
    EXPECT_REL(raw->coefficients[0].estimate,
               cen->coefficients[0].estimate - 1948 * cen->coefficients[1].estimate, 1e-10);
  }
}

}  // namespace
}  // namespace srma
