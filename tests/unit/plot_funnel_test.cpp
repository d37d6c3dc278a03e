// The funnel plot: points from a pooled result, contours and legend, filled studies, regression
// line, layout and errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "srma/model/pool.hpp"
#include "srma/plot/funnel.hpp"
#include "srma/plot/output.hpp"

namespace srma::plot {
namespace {

// dat.bcg, escalc(measure = "RR"), as in pool_test.cpp.
const std::vector<double> k_yi = {-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732,
                                  -0.78611559, -1.62089822, 0.01195233,  -0.46941765, -1.37134480,
                                  -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> k_vi = {0.325585592, 0.194581121, 0.415368852, 0.020010032, 0.051210172,
                                  0.006905618, 0.223017248, 0.003961579, 0.056434210, 0.073024794,
                                  0.012412214, 0.532505845, 0.071404660};

pool_result bcg() {
  pool_options o;
  o.model = model_choice::random;
  auto r = pool(k_yi, k_vi, o, effect_measure::risk_ratio);
  EXPECT_TRUE(r) << r.error().what();
  return *r;
}

std::vector<std::string> texts(const drawing& d) {
  std::vector<std::string> out;
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::text) out.push_back(b.what);
  }
  return out;
}

bool has_text(const drawing& d, const std::string& s) {
  const auto t = texts(d);
  return std::find(t.begin(), t.end(), s) != t.end();
}

std::size_t count_marks(const drawing& d, std::string_view what) {
  return static_cast<std::size_t>(std::count_if(
      d.boxes().begin(), d.boxes().end(), [&](const layout_box& b) { return b.what == what; }));
}

void expect_no_overlaps(const drawing& d) {
  for (const auto& [a, b] : find_overlaps(d)) {
    // Studies lie inside the panel by design; only texts must keep clear of everything.
    if (d.boxes()[a].what == "panel" || d.boxes()[b].what == "panel") {
      const auto& other = d.boxes()[a].what == "panel" ? d.boxes()[b] : d.boxes()[a];
      if (other.kind == box_kind::mark) continue;
    }
    ADD_FAILURE() << "'" << d.boxes()[a].what << "' overlaps '" << d.boxes()[b].what << "'";
  }
  for (const auto& b : d.boxes()) {
    EXPECT_GE(b.box.x, -1e-9) << b.what;
    EXPECT_GE(b.box.y, -1e-9) << b.what;
    EXPECT_LE(b.box.right(), d.width() + 1e-9) << b.what;
    EXPECT_LE(b.box.bottom(), d.height() + 1e-9) << b.what;
  }
}

TEST(plot_funnel_test, points_and_defaults_from_a_pooled_result) {
  const auto r = bcg();
  const auto pts = funnel_points(r);
  ASSERT_EQ(pts.size(), 13u);
  EXPECT_DOUBLE_EQ(pts[0].estimate, k_yi[0]);
  EXPECT_DOUBLE_EQ(pts[0].se, std::sqrt(k_vi[0]));
  EXPECT_FALSE(pts[0].imputed);
  EXPECT_EQ(pts[0].label, "Study 1");
  const auto o = funnel_defaults(r);
  EXPECT_EQ(o.measure, effect_measure::risk_ratio);
  ASSERT_TRUE(o.centre.has_value());
  EXPECT_DOUBLE_EQ(*o.centre, r.random.estimate);
  EXPECT_EQ(o.centre_label, "Random-effects estimate");
}

TEST(plot_funnel_test, plain_funnel) {
  const auto r = bcg();
  auto fig = draw_funnel(funnel_points(r), funnel_defaults(r));
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);
  EXPECT_EQ(count_marks(*fig, "study"), 13u);
  for (const char* s : {"Studies", "Random-effects estimate", "Pseudo 95% CI", "Standard error",
                        "Risk ratio (log scale)", "0", "1"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  EXPECT_FALSE(has_text(*fig, "Two-sided p-value"));
}

TEST(plot_funnel_test, contour_enhanced_with_filled_studies_and_egger_line) {
  const auto r = bcg();
  auto pts = funnel_points(r);
  pts.push_back({0.9, 0.6, true, "filled 1"});
  pts.push_back({0.7, 0.45, true, "filled 2"});
  auto o = funnel_defaults(r);
  o.contours = {99, 90, 95};
  o.line = funnel_line{.intercept = -0.2, .slope = -1.5};
  o.title = "Contour-enhanced funnel plot";
  auto fig = draw_funnel(pts, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);
  EXPECT_EQ(count_marks(*fig, "study"), 13u);
  EXPECT_EQ(count_marks(*fig, "filled study"), 2u);
  for (const char* s : {"Filled studies", "Egger regression", "Two-sided p-value", "p > 0.10",
                        "0.05 < p \u2264 0.10", "0.01 < p \u2264 0.05", "p \u2264 0.01",
                        "Contour-enhanced funnel plot"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  // Region fills: white inside the 90% contour, three greys outside, in order.
  const std::string svg = render_svg(*fig);
  EXPECT_NE(svg.find("<g id=\"regions\">"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray=\"6 2 1.5 2\""), std::string::npos);  // the line
  EXPECT_EQ(svg, render_svg(*draw_funnel(pts, o)));
}

TEST(plot_funnel_test, generic_measure_on_a_linear_axis) {
  std::vector<funnel_point> pts = {{-0.4, 0.1}, {0.2, 0.3}, {0.1, 0.2}, {0.5, 0.45}};
  funnel_options o;
  o.centre = 0.05;
  o.axis_title = "Standardised mean difference";
  auto fig = draw_funnel(pts, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);
  EXPECT_TRUE(has_text(*fig, "Standardised mean difference"));
  EXPECT_TRUE(has_text(*fig, "0.5"));
}

TEST(plot_funnel_test, sizes) {
  const auto r = bcg();
  auto o = funnel_defaults(r);
  o.width = 600;
  o.height = 400;
  auto fig = draw_funnel(funnel_points(r), o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_DOUBLE_EQ(fig->width(), 600);
  EXPECT_DOUBLE_EQ(fig->height(), 400);
  expect_no_overlaps(*fig);
  o.width = 150;
  auto small = draw_funnel(funnel_points(r), o);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().id, "srma.plot.E505");
}

TEST(plot_funnel_test, errors) {
  const auto r = bcg();
  auto o = funnel_defaults(r);
  o.contours = {95, 100};
  auto e1 = draw_funnel(funnel_points(r), o);
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().what(),
            "[srma.plot.E504] contour level 100 must be between 0 and 100 (e.g. 90,95,99)");
  o.contours = {95, 95};
  EXPECT_EQ(draw_funnel(funnel_points(r), o).error().what(),
            "[srma.plot.E504] contour level 95 is repeated");
  o.contours = {};
  std::vector<funnel_point> bad = {{0.1, 0.0, false, "zero"}};
  auto e2 = draw_funnel(bad, o);
  ASSERT_FALSE(e2);
  EXPECT_EQ(e2.error().what(),
            "[srma.plot.E507] funnel point 1 ('zero'): estimate 0.1 and SE 0; the estimate must be "
            "finite and the SE > 0");
  auto e3 = draw_funnel({}, o);
  ASSERT_FALSE(e3);
  EXPECT_EQ(e3.error().what(), "[srma.plot.E507] no study to draw in the funnel plot");
  auto png = render(*draw_funnel(funnel_points(r), funnel_defaults(r)), image_format::png);
  ASSERT_TRUE(png);
}

}  // namespace
}  // namespace srma::plot
