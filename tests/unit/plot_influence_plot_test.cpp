// The influence panel plot: one panel per diagnostic, influential studies in red with their names
// in the legend, the key of study numbers, growth with k, sizes and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "plot_checks.hpp"
#include "srma/plot/influence_plot.hpp"

namespace srma::plot {
namespace {

using test::all_text;
using test::count_marks;
using test::expect_clean_layout;
using test::has_text;

const std::vector<double> k_yi = {-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732,
                                  -0.78611559, -1.62089822, 0.01195233,  -0.46941765, -1.37134480,
                                  -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> k_vi = {0.325585592, 0.194581121, 0.415368852, 0.020010032, 0.051210172,
                                  0.006905618, 0.223017248, 0.003961579, 0.056434210, 0.073024794,
                                  0.012412214, 0.532505845, 0.071404660};

influence_result run(std::vector<double> yi, std::vector<double> vi, model_choice model) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < yi.size(); ++i) labels.push_back("Trial " + std::to_string(i + 1));
  auto studies = make_study_table(std::move(yi), std::move(vi), labels, effect_measure::risk_ratio);
  EXPECT_TRUE(studies) << studies.error().what();
  pool_options o;
  o.model = model;
  auto r = influence(*studies, o);
  EXPECT_TRUE(r) << r.error().what();
  return *r;
}

const char* const k_titles[] = {"Studentised residual",
                                "DFFITS",
                                "Cook\u2019s distance",
                                "Covariance ratio",
                                "\u03c4\u00b2 without the study",
                                "Q without the study",
                                "Hat value",
                                "Weight (%)"};

TEST(plot_influence_plot_test, eight_panels_for_random_effects) {
  const auto r = run(k_yi, k_vi, model_choice::random);
  auto fig = draw_influence(r, {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  for (const char* t : k_titles) EXPECT_TRUE(has_text(*fig, t)) << t;
  EXPECT_EQ(count_marks(*fig, "study") + count_marks(*fig, "influential study"), 8u * 13u);
  EXPECT_TRUE(has_text(*fig, "No study is influential by metafor\u2019s criteria"));
  // The key names every study, with no-break spaces inside an entry.
  EXPECT_NE(all_text(*fig).find("13\u00a0Trial\u00a013"), std::string::npos);
  const std::string svg = render_svg(*fig);
  for (const char* g : {"panel-rstudent", "panel-dffits", "panel-cook_d", "panel-cov_r",
                        "panel-tau2_del", "panel-QE_del", "panel-hat", "panel-weight"}) {
    EXPECT_NE(svg.find(std::string("<g id=\"") + g + "\">"), std::string::npos) << g;
  }
  test::expect_deterministic([&] { return draw_influence(r, {}); });
}

TEST(plot_influence_plot_test, common_effect_model_has_no_tau2_panel) {
  const auto r = run(k_yi, k_vi, model_choice::common);
  auto fig = draw_influence(r, {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_FALSE(has_text(*fig, "\u03c4\u00b2 without the study"));
  EXPECT_EQ(count_marks(*fig, "study") + count_marks(*fig, "influential study"), 7u * 13u);
}

TEST(plot_influence_plot_test, influential_studies_in_red_and_named) {
  // Ten similar studies and one far away with a small variance: it dominates every diagnostic.
  std::vector<double> yi = {0.1, 0.12, 0.08, 0.11, 0.09, 0.1, 0.13, 0.07, 0.1, 0.11, 1.5};
  std::vector<double> vi(yi.size(), 0.04);
  vi.back() = 0.001;
  const auto r = run(yi, vi, model_choice::random);
  ASSERT_TRUE(r.studies.back().influential);
  auto fig = draw_influence(r, {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  std::size_t flagged = 0;
  for (const auto& s : r.studies) flagged += s.influential ? 1 : 0;
  EXPECT_EQ(count_marks(*fig, "influential study"), 8 * flagged);
  EXPECT_NE(all_text(*fig).find("Influential by metafor\u2019s criteria:"), std::string::npos);
  EXPECT_NE(all_text(*fig).find("11\u00a0Trial\u00a011"), std::string::npos);
  EXPECT_NE(render_svg(*fig).find("fill=\"#d62728\""), std::string::npos);  // red points
}

TEST(plot_influence_plot_test, grows_with_the_number_of_studies) {
  std::vector<double> yi, vi;
  for (int i = 0; i < 60; ++i) {
    yi.push_back(0.2 * std::sin(i * 1.3));
    vi.push_back(0.02 + 0.01 * (i % 7));
  }
  const auto big = run(yi, vi, model_choice::random);
  const auto small = run(k_yi, k_vi, model_choice::random);
  auto fb = draw_influence(big, {});
  auto fs = draw_influence(small, {});
  ASSERT_TRUE(fb && fs);
  expect_clean_layout(*fb);
  EXPECT_GT(fb->width(), fs->width());
  EXPECT_GT(fb->height(), fs->height());  // a longer key
  influence_plot_options o;
  o.columns = 1;
  o.key = false;
  auto one = draw_influence(small, o);
  ASSERT_TRUE(one);
  expect_clean_layout(*one);
  EXPECT_GT(one->height(), fs->height());
  EXPECT_LT(one->width(), fs->width());
  EXPECT_EQ(all_text(*one).find("Studies:"), std::string::npos);
}

TEST(plot_influence_plot_test, sizes_and_errors) {
  const auto r = run(k_yi, k_vi, model_choice::random);
  influence_plot_options o;
  o.width = 700;
  o.height = 900;
  auto fig = draw_influence(r, o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_DOUBLE_EQ(fig->width(), 700);
  EXPECT_DOUBLE_EQ(fig->height(), 900);
  expect_clean_layout(*fig);
  o.width = 150;
  EXPECT_EQ(draw_influence(r, o).error().id, "srma.plot.E505");
  o = {};
  o.columns = 0;
  EXPECT_EQ(draw_influence(r, o).error().what(),
            "[srma.plot.E504] columns is 0, but must be between 1 and 8");
  influence_result empty;
  EXPECT_EQ(draw_influence(empty, {}).error().what(),
            "[srma.plot.E507] no study to draw in the influence plot");
}

}  // namespace
}  // namespace srma::plot
