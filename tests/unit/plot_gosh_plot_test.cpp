// The GOSH plot: one point per subset (or binned cells beyond the threshold), highlighting the
// subsets of one study, marginal histograms, the caption, sizes and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "plot_checks.hpp"
#include "srma/plot/gosh_plot.hpp"

namespace srma::plot {
namespace {

using test::expect_clean_layout;
using test::has_text;

// The first six BCG trials (log risk ratios): 63 subsets.
gosh_result six_bcg() {
  const std::vector<double> yi = {-0.88931133, -1.58538866, -1.34807315,
                                  -1.44155119, -0.21754732, -0.78611559};
  const std::vector<double> vi = {0.325585592, 0.194581121, 0.415368852,
                                  0.020010032, 0.051210172, 0.006905618};
  pool_options o;
  o.model = model_choice::random;
  auto g = gosh(yi, vi, o);
  EXPECT_TRUE(g) << g.error().what();
  return *g;
}

// Circles and rectangles drawn inside the group `id`.
std::pair<std::size_t, std::size_t> shapes_in(const drawing& d, std::string_view id) {
  std::size_t circles = 0, rects = 0;
  bool in = false;
  for (const auto& op : d.ops()) {
    if (const auto* g = std::get_if<drawing::group_op>(&op)) in = g->id == id;
    if (std::holds_alternative<drawing::end_group_op>(op)) in = false;
    if (in && std::holds_alternative<drawing::circle_op>(op)) ++circles;
    if (in && std::holds_alternative<drawing::rect_op>(op)) ++rects;
  }
  return {circles, rects};
}

TEST(plot_gosh_plot_test, one_point_per_subset) {
  const auto g = six_bcg();
  ASSERT_EQ(g.subsets(), 63u);
  gosh_plot_options o;
  o.measure = effect_measure::risk_ratio;
  auto fig = draw_gosh(g, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_EQ(shapes_in(*fig, "subsets"), std::make_pair(std::size_t{63}, std::size_t{0}));
  EXPECT_GT(shapes_in(*fig, "histograms").second, 0u);
  for (const char* s : {"Risk ratio (log scale)", "I\u00b2 (%)", "0", "100"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  EXPECT_FALSE(has_text(*fig, "Subsets per cell"));
  EXPECT_EQ(gosh_caption(g, o),
            "GOSH plot: I\u00b2 against the pooled risk ratio of all 63 subsets of the 6 studies "
            "(random-effects model, REML), with histograms of both in the margins.");
  test::expect_deterministic([&] { return draw_gosh(g, o); });
}

TEST(plot_gosh_plot_test, highlighting_one_study) {
  const auto g = six_bcg();
  gosh_plot_options o;
  o.measure = effect_measure::risk_ratio;
  o.highlight = 3;
  o.highlight_label = "Hart & Sutherland 1977";
  auto fig = draw_gosh(g, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_TRUE(has_text(*fig, "With Hart & Sutherland 1977"));
  EXPECT_TRUE(has_text(*fig, "Without Hart & Sutherland 1977"));
  // 32 of the 63 subsets contain a given study: red points, the other 31 blue.
  const std::string svg = render_svg(*fig);
  std::size_t red = 0, blue = 0;
  for (std::size_t at = svg.find("<circle"); at != std::string::npos;
       at = svg.find("<circle", at + 1)) {
    const std::string el = svg.substr(at, svg.find("/>", at) - at);
    red += el.find("fill=\"#d62728\"") != std::string::npos ? 1 : 0;
    blue += el.find("fill=\"#1f5cb4\"") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(red, 32u + 1u);  // and the legend key
  EXPECT_EQ(blue, 31u + 1u);
  EXPECT_EQ(gosh_caption(g, o),
            "GOSH plot: I\u00b2 against the pooled risk ratio of all 63 subsets of the 6 studies "
            "(random-effects model, REML), with histograms of both in the margins. Subsets that "
            "include Hart & Sutherland 1977 are red, the others blue.");
}

TEST(plot_gosh_plot_test, many_subsets_are_binned) {
  const auto g = six_bcg();
  gosh_plot_options o;
  o.bin_above = 50;
  o.histograms = false;
  o.highlight = 0;
  auto fig = draw_gosh(g, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  const auto [circles, cells] = shapes_in(*fig, "subsets");
  EXPECT_EQ(circles, 0u);
  EXPECT_GT(cells, 0u);
  EXPECT_LE(cells, 63u);
  EXPECT_EQ(shapes_in(*fig, "histograms"), std::make_pair(std::size_t{0}, std::size_t{0}));
  EXPECT_TRUE(has_text(*fig, "Subsets per cell"));
  EXPECT_TRUE(has_text(*fig, "1"));
  EXPECT_TRUE(has_text(*fig, "With study 1"));
  EXPECT_TRUE(has_text(*fig, "Estimate"));
  EXPECT_EQ(gosh_caption(g, o),
            "GOSH plot: I\u00b2 against the pooled estimate of all 63 subsets of the 6 studies "
            "(random-effects model, REML). Subsets that "
            "include study 1 are red, the others blue. With more than 50 subsets the points are "
            "binned: each cell of about 3 \u00d7 3 pt is shaded by the number of subsets in it "
            "(log scale), coloured from blue to red by the share that include the study.");
}

TEST(plot_gosh_plot_test, binned_svg_stays_small_for_many_subsets) {
  // Thirteen studies, 8191 subsets, drawn one by one and binned: the binned SVG is far smaller,
  // and its size is bounded by the number of cells, not of subsets.
  std::vector<double> yi, vi;
  for (int i = 0; i < 13; ++i) {
    yi.push_back(0.3 * std::sin(i * 2.1));
    vi.push_back(0.02 + 0.01 * (i % 4));
  }
  pool_options po;
  po.model = model_choice::random;
  auto g = gosh(yi, vi, po);
  ASSERT_TRUE(g);
  gosh_plot_options o;
  auto points = draw_gosh(*g, o);
  o.bin_above = 100;
  auto binned = draw_gosh(*g, o);
  ASSERT_TRUE(points && binned);
  expect_clean_layout(*binned);
  const auto [circles, cells] = shapes_in(*binned, "subsets");
  EXPECT_EQ(circles, 0u);
  EXPECT_LE(cells, 100u * 80u);
  EXPECT_LT(render_svg(*binned).size() * 2, render_svg(*points).size());
}

TEST(plot_gosh_plot_test, sizes_and_errors) {
  const auto g = six_bcg();
  gosh_plot_options o;
  o.width = 600;
  o.height = 420;
  auto fig = draw_gosh(g, o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_DOUBLE_EQ(fig->width(), 600);
  EXPECT_DOUBLE_EQ(fig->height(), 420);
  expect_clean_layout(*fig);
  o.height = 100;
  EXPECT_EQ(draw_gosh(g, o).error().id, "srma.plot.E505");
  o = {};
  o.highlight = 6;
  EXPECT_EQ(draw_gosh(g, o).error().what(),
            "[srma.plot.E504] the highlighted study is number 7, but there are 6 studies");
  o = {};
  o.bin_above = 0;
  EXPECT_EQ(draw_gosh(g, o).error().what(),
            "[srma.plot.E504] bin_above is 0, but must be at least 1");
  auto nan = g;
  for (auto& e : nan.estimate) e = std::nan("");
  EXPECT_EQ(draw_gosh(nan, {}).error().what(),
            "[srma.plot.E507] no subset with a finite estimate and I\u00b2 to draw");
  auto broken = g;
  broken.I2.pop_back();
  EXPECT_EQ(draw_gosh(broken, {}).error().what(),
            "[srma.plot.E507] the GOSH result is inconsistent: 63 subsets, 63 estimates, 62 "
            "I\u00b2 values, 63 mask words");
}

// A streamed summary with every fit in its sample draws exactly the figure of the full result.
TEST(plot_gosh_plot_test, summary_with_every_fit_draws_the_same_points) {
  const std::vector<double> yi = {-0.88931133, -1.58538866, -1.34807315,
                                  -1.44155119, -0.21754732, -0.78611559};
  const std::vector<double> vi = {0.325585592, 0.194581121, 0.415368852,
                                  0.020010032, 0.051210172, 0.006905618};
  pool_options po;
  po.model = model_choice::random;
  gosh_stream_options so;
  so.highlight = 3;
  auto s = gosh_stream(yi, vi, po, so);
  ASSERT_TRUE(s);
  gosh_plot_options o;
  o.measure = effect_measure::risk_ratio;
  o.highlight = 3;
  auto a = draw_gosh(*s, o);
  auto b = draw_gosh(six_bcg(), o);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(render_svg(*a), render_svg(*b));
  EXPECT_EQ(gosh_caption(*s, o), gosh_caption(six_bcg(), o));
  o.highlight = 2;
  EXPECT_EQ(draw_gosh(*s, o).error().what(),
            "[srma.plot.E504] the highlighted study differs from the one the GOSH subsets were "
            "streamed with");
}

// Many subsets: cells from the streamed histogram, coloured by cluster with diagnostics.
TEST(plot_gosh_plot_test, summary_binned_from_histogram_and_coloured_by_cluster) {
  std::vector<double> yi, vi;
  for (int i = 0; i < 14; ++i) {
    yi.push_back(0.3 * std::sin(i * 2.1));
    vi.push_back(0.02 + 0.01 * (i % 4));
  }
  yi.back() = 2.5;  // an outlying study: two clouds of subsets
  pool_options po;
  po.model = model_choice::random;
  po.tau2 = tau2_method::dl;
  auto s = gosh_stream(yi, vi, po);
  ASSERT_TRUE(s);
  auto d = diagnose_gosh(s->sample, s->k);
  ASSERT_TRUE(d);
  gosh_plot_options o;
  o.bin_above = 1000;
  auto fig = draw_gosh(*s, o, &*d);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  const auto [circles, cells] = shapes_in(*fig, "subsets");
  EXPECT_EQ(circles, 0u);
  EXPECT_GT(cells, 10u);
  // Cells are groups of whole histogram bins: never more than the histogram has.
  EXPECT_LE(cells, s->histogram.nx * s->histogram.ny);
  for (const char* t : {"k-means", "Cluster 1", "Cluster 3", "Subsets per cell"}) {
    EXPECT_TRUE(has_text(*fig, t)) << t;
  }
  EXPECT_EQ(gosh_caption(*s, o, &*d),
            "GOSH plot: I\u00b2 against the pooled estimate of all 16,383 subsets of the 14 "
            "studies (random-effects model, DL), with histograms of both in the margins. Subsets "
            "are coloured by their k-means cluster. The subsets are binned: each cell is shaded "
            "by the number of subsets in it (log scale), coloured by the cluster of its centre.");
  test::expect_deterministic([&] { return draw_gosh(*s, o, &*d); });
}

}  // namespace
}  // namespace srma::plot
