// The Baujat plot: points from an influence analysis, labels that overlap nothing (also when
// crowded), numbers with a key, sizes and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "plot_checks.hpp"
#include "srma/plot/baujat.hpp"
#include "srma/sensitivity/influence.hpp"

namespace srma::plot {
namespace {

using test::count_marks;
using test::expect_clean_layout;
using test::has_text;

// dat.bcg, escalc(measure = "RR"), as in pool_test.cpp.
const std::vector<double> k_yi = {-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732,
                                  -0.78611559, -1.62089822, 0.01195233,  -0.46941765, -1.37134480,
                                  -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> k_vi = {0.325585592, 0.194581121, 0.415368852, 0.020010032, 0.051210172,
                                  0.006905618, 0.223017248, 0.003961579, 0.056434210, 0.073024794,
                                  0.012412214, 0.532505845, 0.071404660};
const std::vector<std::string> k_study = {
    "Aronson 1948",           "Ferguson & Simes 1949",     "Rosenthal et al 1960",
    "Hart & Sutherland 1977", "Frimodt-Moller et al 1973", "Stein & Aronson 1953",
    "Vandiviere et al 1973",  "TPT Madras 1980",           "Coetzee & Berjak 1968",
    "Rosenthal et al 1961",   "Comstock et al 1974",       "Comstock & Webster 1969",
    "Comstock et al 1976"};

influence_result bcg_influence() {
  auto studies = make_study_table(k_yi, k_vi, k_study, effect_measure::risk_ratio);
  EXPECT_TRUE(studies) << studies.error().what();
  pool_options o;
  o.model = model_choice::random;
  auto r = influence(*studies, o);
  EXPECT_TRUE(r) << r.error().what();
  return *r;
}

TEST(plot_baujat_test, bcg_points_and_labels) {
  const auto inf = bcg_influence();
  const auto pts = baujat_points(inf);
  ASSERT_EQ(pts.size(), 13u);
  EXPECT_EQ(pts[3].label, "Hart & Sutherland 1977");
  EXPECT_DOUBLE_EQ(pts[3].x, inf.studies[3].baujat_x);
  EXPECT_DOUBLE_EQ(pts[3].y, inf.studies[3].baujat_y);
  auto fig = draw_baujat(pts, {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_EQ(count_marks(*fig, "study"), 13u);
  for (const auto& s : k_study) EXPECT_TRUE(has_text(*fig, s)) << s;
  EXPECT_TRUE(has_text(*fig, "Contribution to Overall Heterogeneity"));
  EXPECT_TRUE(has_text(*fig, "Influence on Overall Result"));
  EXPECT_EQ(fig->title(), "Baujat plot");
  test::expect_deterministic([&] { return draw_baujat(pts, {}); });
}

TEST(plot_baujat_test, numbers_with_a_key_and_no_labels) {
  const auto pts = baujat_points(bcg_influence());
  baujat_options o;
  o.labels = point_labels::numbers;
  o.title = "Baujat plot, BCG trials";
  auto fig = draw_baujat(pts, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  // Each number twice: next to its point and in the key, which names the study.
  const auto t = test::texts(*fig);
  EXPECT_EQ(std::count(t.begin(), t.end(), "13"), 2);
  EXPECT_TRUE(has_text(*fig, "Comstock et al 1976"));
  EXPECT_TRUE(has_text(*fig, "Baujat plot, BCG trials"));
  o.labels = point_labels::none;
  auto bare = draw_baujat(pts, o);
  ASSERT_TRUE(bare);
  EXPECT_FALSE(has_text(*bare, "Aronson 1948"));
  EXPECT_FALSE(has_text(*bare, "13"));
  EXPECT_LT(bare->width(), fig->width());
}

TEST(plot_baujat_test, crowded_labels_never_overlap) {
  // 40 studies with long labels, most of them in one corner.
  std::vector<baujat_point> pts;
  for (int i = 0; i < 40; ++i) {
    const double t = i;
    pts.push_back({"A rather long study label number " + std::to_string(i + 1),
                   i < 30 ? 0.01 * t : 1 + 0.1 * t, i < 30 ? 0.002 * t : 0.5 - 0.01 * t});
  }
  auto fig = draw_baujat(pts, {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_EQ(count_marks(*fig, "study"), 40u);
  // Every point labelled, by name or (when names cannot fit) by number, or named in the note
  // under the plot when its cluster leaves no room.
  const auto t = test::texts(*fig);
  std::string note;
  for (const auto& line : t) {
    if (!note.empty() || line.rfind("Not labelled (no room): ", 0) == 0) note += line + " ";
  }
  std::size_t labelled = 0;
  for (int i = 0; i < 40; ++i) {
    const auto& name = pts[static_cast<std::size_t>(i)].label;
    const bool named = has_text(*fig, name);
    const bool numbered = has_text(*fig, std::to_string(i + 1));
    labelled += named || numbered ? 1 : 0;
    if (!named && !numbered) {
      EXPECT_TRUE(note.find(name) != std::string::npos ||
                  note.find(" " + std::to_string(i + 1) + ",") != std::string::npos ||
                  note.find(" " + std::to_string(i + 1) + " ") != std::string::npos)
          << i;
    }
  }
  EXPECT_GE(labelled, 20u);
  // More room than the default panel was needed.
  auto few = draw_baujat(std::span(pts).first(3), {});
  ASSERT_TRUE(few);
  EXPECT_GT(fig->width() * fig->height(), few->width() * few->height());
}

TEST(plot_baujat_test, sizes) {
  const auto pts = baujat_points(bcg_influence());
  baujat_options o;
  o.width = 600;
  o.height = 450;
  auto fig = draw_baujat(pts, o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_DOUBLE_EQ(fig->width(), 600);
  EXPECT_DOUBLE_EQ(fig->height(), 450);
  expect_clean_layout(*fig);
  o.width = 120;
  auto small = draw_baujat(pts, o);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().id, "srma.plot.E505");
}

TEST(plot_baujat_test, errors) {
  auto e1 = draw_baujat({}, {});
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().what(), "[srma.plot.E507] no study to draw in the Baujat plot");
  std::vector<baujat_point> bad = {{"A", 0.1, 0.2}, {"B", -1, 0.1}};
  EXPECT_EQ(draw_baujat(bad, {}).error().what(),
            "[srma.plot.E507] Baujat point 2 ('B'): x = -1 and y = 0.1; both must be finite and "
            ">= 0");
  bad[1] = {"B", 0.3, std::nan("")};
  EXPECT_EQ(draw_baujat(bad, {}).error().what(),
            "[srma.plot.E507] Baujat point 2 ('B'): x = 0.3 and y = nan; both must be finite and "
            ">= 0");
  baujat_options o;
  o.font_size = 50;
  EXPECT_EQ(draw_baujat(baujat_points(bcg_influence()), o).error().what(),
            "[srma.plot.E504] font size is 50, but must be between 4 and 40");
  o = {};
  o.panel_width = -1;
  EXPECT_EQ(draw_baujat(baujat_points(bcg_influence()), o).error().what(),
            "[srma.plot.E504] sizes must not be negative");
}

}  // namespace
}  // namespace srma::plot
