// The bubble plot: data from a meta-regression, bubble areas proportional to the weights, bands,
// labels that overlap nothing, designs it cannot draw, sizes and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "plot_checks.hpp"
#include "srma/plot/bubble.hpp"

namespace srma::plot {
namespace {

using test::count_marks;
using test::expect_clean_layout;
using test::has_text;

// dat.bcg log risk ratios (escalc "RR") with allocation and absolute latitude (metareg_test.cpp).
study_table bcg() {
  auto t = *make_study_table(
      {-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732, -0.78611559, -1.62089822,
       0.01195233, -0.46941765, -1.37134480, -0.33935883, 0.44591340, -0.01731395},
      {0.325585592, 0.194581121, 0.415368852, 0.020010032, 0.051210172, 0.006905618, 0.223017248,
       0.003961579, 0.056434210, 0.073024794, 0.012412214, 0.532505845, 0.071404660},
      {"Aronson 1948", "Ferguson & Simes 1949", "Rosenthal et al 1960", "Hart & Sutherland 1977",
       "Frimodt-Moller et al 1973", "Stein & Aronson 1953", "Vandiviere et al 1973",
       "TPT Madras 1980", "Coetzee & Berjak 1968", "Rosenthal et al 1961", "Comstock et al 1974",
       "Comstock & Webster 1969", "Comstock et al 1976"},
      effect_measure::risk_ratio);
  t.attribute_names = {"alloc", "ablat", "year"};
  t.attribute_columns = {7, 8, 9};
  t.attributes = {{"random", "random", "random", "random", "alternate", "alternate", "random",
                   "random", "systematic", "systematic", "systematic", "systematic", "systematic"},
                  {"44", "55", "42", "52", "13", "44", "19", "13", "27", "42", "18", "33", "33"},
                  {"1948", "1949", "1960", "1977", "1973", "1953", "1973", "1980", "1968", "1961",
                   "1974", "1969", "1976"}};
  return t;
}

struct fitted {
  study_table studies;
  design_matrix design;
  metareg_result fit;
};

fitted ablat_fit() {
  fitted f{bcg(), {}, {}};
  const std::vector<std::string> mods = {"ablat"};
  auto d = build_design(f.studies, mods);
  EXPECT_TRUE(d) << d.error().what();
  f.design = *d;
  auto o = preset_options(preset::metafor);
  o.model = model_choice::random;
  auto r = metareg(f.studies.yi, f.studies.vi, f.design, o);
  EXPECT_TRUE(r) << r.error().what();
  f.fit = *r;
  return f;
}

TEST(plot_bubble_test, data_from_a_meta_regression) {
  const auto f = ablat_fit();
  auto data = bubble_from(f.fit, f.design, f.studies);
  ASSERT_TRUE(data) << data.error().what();
  EXPECT_EQ(data->moderator, "ablat");
  EXPECT_EQ(data->measure, effect_measure::risk_ratio);
  ASSERT_EQ(data->points.size(), 13u);
  EXPECT_EQ(data->points[7].label, "TPT Madras 1980");
  EXPECT_DOUBLE_EQ(data->points[7].moderator, 13);
  EXPECT_DOUBLE_EQ(data->points[7].estimate, f.studies.yi[7]);
  // rma(yi, vi, mods = ~ ablat, data = dat.bcg), metafor 3.8-1: intercept 0.2515, slope -0.0291,
  // tau^2 0.0764.
  EXPECT_NEAR(data->line.intercept, 0.2515, 1e-4);
  EXPECT_NEAR(data->line.slope, -0.0291, 1e-4);
  EXPECT_NEAR(data->line.tau2, 0.0764, 1e-4);
  EXPECT_DOUBLE_EQ(data->line.var_slope, f.fit.vcov[3]);
  EXPECT_TRUE(std::isnan(data->line.df));
}

TEST(plot_bubble_test, bubbles_have_areas_proportional_to_weights) {
  const auto f = ablat_fit();
  auto data = bubble_from(f.fit, f.design, f.studies);
  ASSERT_TRUE(data);
  auto fig = draw_bubble(*data, {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_EQ(count_marks(*fig, "study"), 13u);
  // The bubbles are the outlined circles of the "studies" group, largest first.
  std::vector<double> radii;
  bool in_studies = false;
  for (const auto& op : fig->ops()) {
    if (const auto* g = std::get_if<drawing::group_op>(&op)) in_studies = g->id == "studies";
    if (std::holds_alternative<drawing::end_group_op>(op)) in_studies = false;
    if (const auto* c = std::get_if<drawing::circle_op>(&op); c && in_studies) {
      radii.push_back(c->radius);
    }
  }
  ASSERT_EQ(radii.size(), 13u);
  std::vector<double> w;
  for (const auto& p : data->points) w.push_back(1 / (p.variance + data->line.tau2));
  std::sort(w.rbegin(), w.rend());
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (radii[i] > 1.5 + 1e-9) {  // above the smallest drawn size
      EXPECT_NEAR(radii[i] * radii[i] / (radii[0] * radii[0]), w[i] / w[0], 1e-9) << i;
    }
  }
  for (const char* s : {"Studies (area \u221d weight)", "Meta-regression", "95% CI", "ablat",
                        "Risk ratio (log scale)"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  EXPECT_FALSE(has_text(*fig, "95% PI"));
  test::expect_deterministic([&] { return draw_bubble(*data, {}); });
}

TEST(plot_bubble_test, labels_and_prediction_band) {
  const auto f = ablat_fit();
  auto data = bubble_from(f.fit, f.design, f.studies);
  ASSERT_TRUE(data);
  bubble_options o;
  o.labels = true;
  o.prediction_band = true;
  o.title = "BCG vaccine: risk ratio by absolute latitude";
  o.x_title = "Absolute latitude (degrees)";
  auto fig = draw_bubble(*data, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  for (const auto& p : data->points) EXPECT_TRUE(has_text(*fig, p.label)) << p.label;
  for (const char* s :
       {"95% PI", "Absolute latitude (degrees)", "BCG vaccine: risk ratio by absolute latitude"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  // Many studies with labels: still nothing overlaps, and the figure is larger.
  bubble_data many = *data;
  many.points.clear();
  for (int i = 0; i < 60; ++i) {
    const double x = 10 + 0.75 * i;
    many.points.push_back({"Study number " + std::to_string(i + 1), x,
                           0.25 - 0.03 * x + 0.3 * std::sin(i * 1.7), 0.02 + 0.01 * (i % 5)});
  }
  auto crowded = draw_bubble(many, o);
  ASSERT_TRUE(crowded) << crowded.error().what();
  expect_clean_layout(*crowded);
  EXPECT_GT(crowded->width(), fig->width());
}

TEST(plot_bubble_test, designs_it_cannot_draw) {
  auto t = bcg();
  const std::vector<std::string> two = {"ablat", "year"};
  EXPECT_EQ(check_bubble_design(*build_design(t, two)).error().what(),
            "[srma.plot.E508] a bubble plot needs a meta-regression with an intercept and exactly "
            "one continuous moderator, but the model has 2 moderators: ablat, year");
  const std::vector<std::string> cat = {"alloc"};
  EXPECT_EQ(check_bubble_design(*build_design(t, cat)).error().what(),
            "[srma.plot.E508] a bubble plot needs a meta-regression with an intercept and exactly "
            "one continuous moderator, but 'alloc' is categorical (alloc[random], "
            "alloc[systematic])");
  design_matrix none;
  none.rows = 13;
  none.names = {"intercept"};
  none.values.assign(13, 1.0);
  EXPECT_EQ(check_bubble_design(none).error().what(),
            "[srma.plot.E508] a bubble plot needs a meta-regression with an intercept and exactly "
            "one continuous moderator, but the model has no moderator");
  const auto f = ablat_fit();
  auto d = f.design;
  d.has_intercept = false;
  EXPECT_EQ(bubble_from(f.fit, d, f.studies).error().what(),
            "[srma.plot.E508] a bubble plot needs a meta-regression with an intercept and exactly "
            "one continuous moderator, but the model has no intercept");
  auto fewer = f.studies.subset(std::vector<std::size_t>{0, 1, 2});
  EXPECT_EQ(bubble_from(f.fit, f.design, fewer).error().what(),
            "[srma.plot.E507] the meta-regression (13 studies, 2 coefficients), its design (13 "
            "rows) and the studies (3) do not match");
}

TEST(plot_bubble_test, sizes_and_errors) {
  const auto f = ablat_fit();
  auto data = *bubble_from(f.fit, f.design, f.studies);
  bubble_options o;
  o.width = 640;
  o.height = 400;
  auto fig = draw_bubble(data, o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_DOUBLE_EQ(fig->width(), 640);
  EXPECT_DOUBLE_EQ(fig->height(), 400);
  expect_clean_layout(*fig);
  o.width = 100;
  EXPECT_EQ(draw_bubble(data, o).error().id, "srma.plot.E505");
  auto bad = data;
  bad.points[2].variance = 0;
  EXPECT_EQ(draw_bubble(bad, {}).error().what(),
            "[srma.plot.E507] bubble 3 ('Rosenthal et al 1960'): moderator 42, estimate "
            "-1.34807, variance 0; all must be finite and the variance > 0");
  bad = data;
  bad.points.clear();
  EXPECT_EQ(draw_bubble(bad, {}).error().what(),
            "[srma.plot.E507] no study to draw in the bubble plot");
  bad = data;
  bad.line.tau2 = -1;
  EXPECT_EQ(draw_bubble(bad, {}).error().id, "srma.plot.E507");
  bubble_options big_font;
  big_font.font_size = 41;
  EXPECT_EQ(draw_bubble(data, big_font).error().what(),
            "[srma.plot.E504] font size is 41, but must be between 4 and 40");
}

}  // namespace
}  // namespace srma::plot
