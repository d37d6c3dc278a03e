// The NOS traffic-light figure: one circle per study and item in the state its answer earns
// (counted against answers typed by hand), domain headers, totals, classes and AHRQ standard,
// legend, thresholds and item key; a clean layout for long labels, many studies, a large font,
// a title and explicit sizes; option and data errors in full; and a golden SVG
// (tests/unit/golden/README.md says how to regenerate it).
#include "srma/plot/nos_plot.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plot_checks.hpp"
#include "srma/plot/output.hpp"

namespace srma::plot {
namespace {

using review::nos_item_table;
using test::all_text;
using test::count_marks;
using test::expect_clean_layout;
using test::has_text;

review::nos_item_study study(std::string label, const std::array<std::string_view, 8>& raw,
                             const review::nos_options& options = {}) {
  auto a = review::parse_nos_answers(raw);
  EXPECT_TRUE(a) << a.error().what();
  return review::make_nos_item_study(std::move(label), a ? *a : review::nos_answers{}, options);
}

// Five studies typed by hand, one of each kind of row:
//   Alpha 2009   a a a a ab a a a   every star: 4+2+3 = 9, high, Good
//   Beta 2012    b a b a a  b a c   C one star, O3 none: 4+1+2 = 7, high, Good
//   Gamma 2015   c b c b -  c b d   no star anywhere: 0, low, Poor
//   Delta 2018   a a a a none a a a 4+0+3 = 7, high, but Poor (C = 0; review.md §5)
//   Epsilon 2021 a _ a a b  _ a a   S2 and O1 unanswered: no total, no class
// Cells: full 8+6+0+7+5 = 26 (Alpha's C counts: both stars), partial 1+1 = 2 (Beta's and
// Epsilon's C), none 0+1+8+1+0 = 10, missing 2 (Epsilon's S2 and O1): 40 in all.
nos_item_table five_studies() {
  nos_item_table t;
  t.source = "nos.csv";
  t.studies.push_back(study("Alpha 2009", {"a", "a", "a", "a", "ab", "a", "a", "a"}));
  t.studies.push_back(study("Beta 2012", {"b", "a", "b", "a", "a", "b", "a", "c"}));
  t.studies.push_back(study("Gamma 2015", {"c", "b", "c", "b", "-", "c", "b", "d"}));
  t.studies.push_back(study("Delta 2018", {"a", "a", "a", "a", "none", "a", "a", "a"}));
  t.studies.push_back(study("Epsilon 2021", {"a", "", "a", "a", "b", "", "a", "a"}));
  return t;
}

TEST(nos_plot_test, one_circle_per_cell_in_the_state_of_its_answer) {
  auto fig = draw_nos_traffic_light(five_studies(), {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_EQ(count_marks(*fig, "cell full"), 26u);
  EXPECT_EQ(count_marks(*fig, "cell partial"), 2u);
  EXPECT_EQ(count_marks(*fig, "cell none"), 10u);
  EXPECT_EQ(count_marks(*fig, "cell missing"), 2u);
  // One legend circle per state (full appears twice: one star, and C's two stars).
  EXPECT_EQ(count_marks(*fig, "legend full"), 2u);
  EXPECT_EQ(count_marks(*fig, "legend partial"), 1u);
  EXPECT_EQ(count_marks(*fig, "legend none"), 1u);
  EXPECT_EQ(count_marks(*fig, "legend missing"), 1u);
  EXPECT_EQ(count_marks(*fig, "domain rule"), 3u);
}

TEST(nos_plot_test, headers_totals_classes_and_key) {
  auto fig = draw_nos_traffic_light(five_studies(), {});
  ASSERT_TRUE(fig) << fig.error().what();
  for (const char* s : {"Selection",
                        "Comparability",
                        "Outcome",
                        "Study",
                        "S1",
                        "S2",
                        "S3",
                        "S4",
                        "C",
                        "O1",
                        "O2",
                        "O3",
                        "Total",
                        "Quality",
                        "AHRQ",
                        "Alpha 2009",
                        "Epsilon 2021",
                        "9/9",
                        "7/9",
                        "0/9",
                        "\u2013",
                        "high",
                        "low",
                        "Good",
                        "Poor",
                        "Star awarded",
                        "C: both stars",
                        "C: one of two stars",
                        "No star",
                        "Not answered"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  const std::string all = all_text(*fig);
  // The totals and classes row by row (drawing order: label, totals, class, AHRQ).
  EXPECT_NE(all.find("Alpha 2009 9/9 high Good"), std::string::npos) << all;
  EXPECT_NE(all.find("Beta 2012 7/9 high Good"), std::string::npos);
  EXPECT_NE(all.find("Gamma 2015 0/9 low Poor"), std::string::npos);
  EXPECT_NE(all.find("Delta 2018 7/9 high Poor"), std::string::npos);
  EXPECT_NE(all.find("Epsilon 2021 \u2013 \u2013 \u2013"), std::string::npos);
  // Default thresholds of nos_options (the seed review's: total >= 6 is high).
  EXPECT_NE(all.find("Quality by total: high \u2265 6, low < 6; AHRQ standard from the domain "
                     "subtotals (Good, Fair, Poor)"),
            std::string::npos);
  EXPECT_TRUE(has_text(*fig, "S1: Representativeness of the exposed cohort"));
  EXPECT_TRUE(has_text(*fig, "O3: Adequacy of follow-up of cohorts"));
}

TEST(nos_plot_test, three_classes_and_optional_parts) {
  auto t = five_studies();
  t.options = review::nos_options::three_classes();
  for (auto& s : t.studies) s = review::make_nos_item_study(s.study, s.answers, t.options);
  // S 1+1+0+0, C 1, O 1+0+0: 4 stars, moderate under three classes.
  t.studies.push_back(study("Zeta 2022", {"a", "a", "c", "b", "a", "a", "b", "c"}, t.options));
  nos_plot_options o;
  o.ahrq = false;
  auto fig = draw_nos_traffic_light(t, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_TRUE(has_text(*fig, "Quality by total: high \u2265 7, moderate 4\u20136, low < 4"));
  EXPECT_NE(all_text(*fig).find("Zeta 2022 4/9 moderate"), std::string::npos);
  EXPECT_FALSE(has_text(*fig, "AHRQ"));
  o.total = o.quality = o.legend = o.item_key = false;
  auto bare = draw_nos_traffic_light(t, o);
  ASSERT_TRUE(bare) << bare.error().what();
  expect_clean_layout(*bare);
  EXPECT_FALSE(has_text(*bare, "Total"));
  EXPECT_FALSE(has_text(*bare, "Quality"));
  EXPECT_FALSE(has_text(*bare, "No star"));
  EXPECT_FALSE(has_text(*bare, "S1: Representativeness of the exposed cohort"));
  EXPECT_EQ(count_marks(*bare, "cell full") + count_marks(*bare, "cell partial") +
                count_marks(*bare, "cell none") + count_marks(*bare, "cell missing"),
            48u);
  EXPECT_LT(bare->width(), fig->width());
  EXPECT_LT(bare->height(), fig->height());
}

TEST(nos_plot_test, clean_layout_in_hard_cases) {
  // Long labels, many studies, a large font, small and large circles, a long title.
  auto t = five_studies();
  t.studies[0].study = "A study with a rather long label, Department of Surgery 2009";
  for (int i = 0; i < 30; ++i) {
    t.studies.push_back(study("Extra " + std::to_string(i + 1),
                              {"a", "b", "c", "a", i % 3 == 0 ? "ab" : "b", "a", "b", "d"}));
  }
  for (double font : {6.0, 9.0, 14.0}) {
    for (double cell : {0.0, 0.8, 3.0}) {
      nos_plot_options o;
      o.font_size = font;
      o.cell_size = cell * font;
      o.title = "Newcastle\u2013Ottawa Scale: cohort studies of the review";
      auto fig = draw_nos_traffic_light(t, o);
      ASSERT_TRUE(fig) << fig.error().what();
      SCOPED_TRACE(testing::Message() << "font " << font << " cell " << cell);
      expect_clean_layout(*fig);
      EXPECT_TRUE(has_text(*fig, o.title));
    }
  }
}

TEST(nos_plot_test, explicit_size_and_too_small) {
  auto natural = draw_nos_traffic_light(five_studies(), {});
  ASSERT_TRUE(natural);
  nos_plot_options o;
  o.width = natural->width() + 200;
  o.height = natural->height() + 100;
  auto big = draw_nos_traffic_light(five_studies(), o);
  ASSERT_TRUE(big) << big.error().what();
  EXPECT_EQ(big->width(), o.width);
  EXPECT_EQ(big->height(), o.height);
  expect_clean_layout(*big);
  o.width = 100;
  o.height = 0;
  auto narrow = draw_nos_traffic_light(five_studies(), o);
  ASSERT_FALSE(narrow);
  EXPECT_EQ(narrow.error().id, errc::plot_too_small);
  EXPECT_NE(narrow.error().what().find("a width of 100 pt (1.39 in) is too small for this NOS "
                                       "traffic-light plot"),
            std::string::npos)
      << narrow.error().what();
  o.width = 0;
  o.height = 50;
  auto low = draw_nos_traffic_light(five_studies(), o);
  ASSERT_FALSE(low);
  EXPECT_EQ(low.error().id, errc::plot_too_small);
}

std::string error_of(const nos_item_table& t, const nos_plot_options& o = {}) {
  auto fig = draw_nos_traffic_light(t, o);
  return fig ? std::string("no error") : fig.error().what();
}

TEST(nos_plot_test, errors_in_full) {
  EXPECT_EQ(error_of(nos_item_table{}),
            "[srma.plot.E507] no study to draw in the NOS traffic-light plot");
  auto t = five_studies();
  t.studies[1].answers.answer[4] = "a+b";
  EXPECT_EQ(error_of(t),
            "[srma.plot.E507] study 'Beta 2012': the answer to NOS item C is 'a+b', but must be "
            "normalised (one lower-case letter of the item; C: a, b, ab or none; empty when not "
            "answered)");
  t = five_studies();
  t.studies[0].answers.answer[0] = "A";
  EXPECT_EQ(error_of(t),
            "[srma.plot.E507] study 'Alpha 2009': the answer to NOS item S1 is 'A', but must be "
            "normalised (one lower-case letter of the item; C: a, b, ab or none; empty when not "
            "answered)");
  nos_plot_options o;
  o.font_size = 2;
  EXPECT_EQ(error_of(five_studies(), o),
            "[srma.plot.E504] font size is 2, but must be between 4 and 40");
  o = {};
  o.cell_size = 3;
  EXPECT_EQ(error_of(five_studies(), o),
            "[srma.plot.E504] cell size is 3 pt, but must be between 7.2 and 54 pt (0.8–6 em)");
  o = {};
  o.width = -1;
  EXPECT_EQ(error_of(five_studies(), o), "[srma.plot.E504] sizes must not be negative");
}

TEST(nos_plot_test, deterministic_and_renders_every_format) {
  test::expect_deterministic([] { return draw_nos_traffic_light(five_studies(), {}); });
  auto fig = draw_nos_traffic_light(five_studies(), {});
  ASSERT_TRUE(fig);
  for (auto f : {image_format::svg, image_format::pdf, image_format::png}) {
    auto bytes = render(*fig, f);
    ASSERT_TRUE(bytes) << bytes.error().what();
    EXPECT_GT(bytes->size(), 500u) << to_string(f);
  }
}

// The golden figure: the five hand-typed studies with the default options. Regenerate with
// UPDATE_GOLDENS=1 (tests/unit/golden/README.md) and review the diff.
TEST(nos_plot_test, golden_svg) {
  auto fig = draw_nos_traffic_light(five_studies(), {});
  ASSERT_TRUE(fig) << fig.error().what();
  const std::string svg = render_svg(*fig);
  const std::string path =
      std::string(SRMA_SOURCE_DIR) + "/tests/unit/golden/nos_traffic_light.svg";
  if (const char* update = std::getenv("UPDATE_GOLDENS"); update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << svg;
    GTEST_SKIP() << "golden written: " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden " << path << "; run with UPDATE_GOLDENS=1";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(svg, golden.str());
}

}  // namespace
}  // namespace srma::plot
