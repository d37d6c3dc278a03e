// Figures to journal standard (issue 13 items 2, 3, 5, 6, 7, 9): the line of no effect inside
// the panel with room for the favours labels, degenerate data, one rule for numbers in figures,
// journal sizes, the bubble plot's labels and note, subgroup headings. Every test here fails on
// the main branch before these changes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "plot/axis.hpp"
#include "plot/backends.hpp"
#include "plot/figure_format.hpp"
#include "plot_checks.hpp"
#include "srma/model/metareg.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/plot/bubble.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/funnel.hpp"
#include "srma/plot/influence_plot.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/refit_forest.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"

namespace srma::plot {
namespace {

using test::count_marks;
using test::expect_clean_layout;
using test::has_text;
using test::texts;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// dat.bcg (metadat): log risk ratios and variances, as escalc(measure = "RR") gives them.
const std::vector<double> k_yi = {-0.88931133, -1.58538866, -1.34807315, -1.44155119, -0.21754732,
                                  -0.78611559, -1.62089822, 0.01195233,  -0.46941765, -1.37134480,
                                  -0.33935883, 0.44591340,  -0.01731395};
const std::vector<double> k_vi = {0.325585592, 0.194581121, 0.415368852, 0.020010032, 0.051210172,
                                  0.006905618, 0.223017248, 0.003961579, 0.056434210, 0.073024794,
                                  0.012412214, 0.532505845, 0.071404660};
const std::vector<double> k_ablat = {44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33};

study_table table(std::vector<double> yi, std::vector<double> vi,
                  effect_measure m = effect_measure::risk_ratio) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < yi.size(); ++i) labels.push_back("Trial " + std::to_string(i + 1));
  auto t = make_study_table(std::move(yi), std::move(vi), labels, m);
  EXPECT_TRUE(t) << t.error().what();
  return *t;
}

// The box of the first text equal to `s`.
rect box_of(const drawing& d, std::string_view s) {
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::text && b.what == s) return b.box;
  }
  ADD_FAILURE() << "no text '" << s << "'";
  return {};
}

rect mark_of(const drawing& d, std::string_view s) {
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::mark && b.what == s) return b.box;
  }
  ADD_FAILURE() << "no mark '" << s << "'";
  return {};
}

// ---- Item 2: the line of no effect inside the panel, favours labels over the axis ----------

// Where the axis line runs: the "axis" mark spans it.
void expect_reference_inside_with_favours(const drawing& d, std::string_view left,
                                          std::string_view right) {
  const rect axis = mark_of(d, "axis");
  const rect ref = mark_of(d, "reference line");
  const double ref_x = ref.x + ref.width / 2;
  // Off the panel's edges by at least 6% of the axis.
  EXPECT_GT(ref_x - axis.x, 0.055 * axis.width);
  EXPECT_GT(axis.right() - ref_x, 0.055 * axis.width);
  // Each favours label lies over the axis, on its side of the line.
  const rect l = box_of(d, left);
  const rect r = box_of(d, right);
  EXPECT_GE(l.x, axis.x - 1e-6);
  EXPECT_LE(l.right(), ref_x);
  EXPECT_GE(r.x, ref_x);
  EXPECT_LE(r.right(), axis.right() + 1e-6);
}

TEST(plot_journal_test, single_study_forest_keeps_the_line_of_no_effect_off_the_edge) {
  // One HR of 0.52 (0.36 to 0.76), every bound below 1: on main the axis ended at 1.
  std::vector<forest_row> rows = {
      {.label = "Smith 2001",
       .estimate = std::log(0.52),
       .lower = std::log(0.36),
       .upper = std::log(0.76),
       .size_weight = 1,
       .weights = {100}},
  };
  forest_options o;
  o.measure = effect_measure::hazard_ratio;
  o.weight_titles = {"Weight"};
  ASSERT_TRUE(o.set_favours("Favours treatment|Favours control"));
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  expect_reference_inside_with_favours(*fig, "Favours treatment", "Favours control");
}

TEST(plot_journal_test, leave1out_and_cumulative_keep_the_line_and_favours_inside) {
  const auto t = table(k_yi, k_vi);
  pool_options po;
  auto l1o = leave1out(t, po);
  ASSERT_TRUE(l1o) << l1o.error().what();
  auto cum = cumulative(t, "", po);
  ASSERT_TRUE(cum) << cum.error().what();
  for (auto fp : {leave1out_forest(*l1o), cumulative_forest(*cum)}) {
    ASSERT_TRUE(fp.options.set_favours("Favours vaccine|Favours control"));
    auto fig = draw_forest(fp.rows, fp.options);
    ASSERT_TRUE(fig) << fig.error().what();
    expect_clean_layout(*fig);
    expect_reference_inside_with_favours(*fig, "Favours vaccine", "Favours control");
  }
}

TEST(plot_journal_test, fixed_axis_limits_stay_as_given) {
  const auto t = table(k_yi, k_vi);
  auto l1o = leave1out(t, {});
  ASSERT_TRUE(l1o);
  auto fp = leave1out_forest(*l1o);
  fp.options.axis_min = 0.3;
  fp.options.axis_max = 1.5;
  auto fig = draw_forest(fp.rows, fp.options);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_TRUE(has_text(*fig, "0.3"));
  EXPECT_TRUE(has_text(*fig, "1.5"));
}

// ---- Item 6: degenerate data ------------------------------------------------------------------

TEST(plot_journal_test, identical_estimates_give_distinct_ticks_and_no_negative_tau2_axis) {
  // Five studies with the same estimate: tau^2, Q and every residual are 0 (up to rounding).
  const auto t = table({0.3, 0.3, 0.3, 0.3, 0.3}, {0.04, 0.01, 0.09, 0.02, 0.05});
  pool_options po;
  po.model = model_choice::random;
  auto inf = influence(t, po);
  ASSERT_TRUE(inf) << inf.error().what();
  auto fig = draw_influence(*inf, {});
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  // No tick label below 0 on the tau^2 and Q panels; no panel shows one label twice.
  const auto svg = render_svg(*fig);
  for (const char* panel : {"tau2_del", "QE_del"}) {
    const auto at = svg.find(fmt::format("id=\"panel-{}\"", panel));
    ASSERT_NE(at, std::string::npos) << panel;
    const auto end = svg.find("</g>", at);
    const auto part = svg.substr(at, end - at);
    EXPECT_EQ(part.find("\u22121"), std::string::npos) << panel;
    EXPECT_EQ(part.find("\u22120.5"), std::string::npos) << panel;
  }
  // A range of rounding noise is one value: the ticks differ.
  auto width = [](const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
  const auto a = detail::make_axis(false, -1e-17, 2e-17, 100, width, 6, 6);
  for (std::size_t i = 1; i < a.labels.size(); ++i) EXPECT_NE(a.labels[i], a.labels[i - 1]);
  const auto f = detail::make_axis(false, 0, 0, 100, width, 6, 6, {.floor = 0});
  EXPECT_DOUBLE_EQ(f.lo, 0);
  EXPECT_GT(f.hi, 0);
}

TEST(plot_journal_test, all_estimates_equal_on_forest) {
  std::vector<forest_row> rows;
  for (int i = 0; i < 4; ++i) {
    rows.push_back({.label = "S" + std::to_string(i + 1),
                    .estimate = 0.5,
                    .lower = 0.5,
                    .upper = 0.5,
                    .size_weight = 1});
  }
  forest_options o;
  o.measure = effect_measure::mean_difference;
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_EQ(count_marks(*fig, "square"), 4u);
}

// ---- Item 7: numbers --------------------------------------------------------------------------

TEST(plot_journal_test, one_number_rule) {
  using detail::figure_number;
  // Large values as powers of ten: 7.22 x 10^7, not "72217541.4866".
  EXPECT_EQ(figure_number(72217541.4866, 4), "7.22\u00d710\u2077");
  // Thin spaces from 10 000 on; no decimals from 1000 on ("29727.27" -> "29 727").
  EXPECT_EQ(figure_number(29727.27, 2), "29\u2009727");
  EXPECT_EQ(figure_number(1234.7, 2), "1235");
  EXPECT_EQ(figure_number(0.4321, 2), "0.43");
  EXPECT_EQ(figure_number(-0.004, 2), "\u22120.0040");  // would print as -0.00
  EXPECT_EQ(figure_number(0.00041, 2), "0.00041");
  EXPECT_EQ(figure_number(4.1e-5, 2), "4.1\u00d710\u207b\u2075");
  EXPECT_EQ(figure_number(-0.0, 2), "0.00");
  EXPECT_EQ(figure_number(nan, 2), "\u2014");
  // tau^2: one rule for a column; zero is "0".
  const std::vector<double> col = {0.0331, 0.0012, 0};
  EXPECT_EQ(detail::tau2_decimals(col), 4);
  EXPECT_EQ(detail::figure_tau2(0.0331, 4), "0.0331");
  EXPECT_EQ(detail::figure_tau2(1e-12, 4), "0");
  const std::vector<double> one = {0.3132};
  EXPECT_EQ(detail::figure_tau2(0.3132, detail::tau2_decimals(one)), "0.313");
  // Weights below 0.05% are "<0.1%", not "0.0%".
  EXPECT_EQ(detail::figure_percent(0.03), "<0.1%");
  EXPECT_EQ(detail::figure_percent(0.05), "0.1%");
  EXPECT_EQ(detail::figure_percent(62.25), "62.2%");
  EXPECT_EQ(detail::figure_percent(nan, 0), "\u2014");
}

TEST(plot_journal_test, forest_annotations_have_no_gaps_and_large_ratios_are_readable) {
  // One very wide and one narrow interval: on main, "[0.60,   0.94]" and "[0.00, 29727.27]".
  std::vector<forest_row> rows = {
      {.label = "Wide",
       .estimate = 0,
       .lower = std::log(0.0004),
       .upper = std::log(29727.27),
       .size_weight = 1,
       .weights = {0.03}},
      {.label = "Narrow",
       .estimate = std::log(0.75),
       .lower = std::log(0.6),
       .upper = std::log(0.94),
       .size_weight = 99,
       .weights = {99.97}},
  };
  forest_options o;
  o.measure = effect_measure::odds_ratio;
  o.weight_titles = {"Weight"};
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_TRUE(has_text(*fig, "[0.60, 0.94]"));
  EXPECT_TRUE(has_text(*fig, "[0.00040, 29\u2009727]"));
  EXPECT_TRUE(has_text(*fig, "<0.1%"));
  // The interval starts at the same x in both rows (left-aligned after the estimates).
  EXPECT_NEAR(box_of(*fig, "[0.60, 0.94]").x, box_of(*fig, "[0.00040, 29\u2009727]").x, 1e-9);
}

TEST(plot_journal_test, cumulative_first_row_shows_a_dash_for_i2_and_tau2_one_rule) {
  const auto t = table(k_yi, k_vi);
  auto cum = cumulative(t, "", {});
  ASSERT_TRUE(cum) << cum.error().what();
  const auto fp = cumulative_forest(*cum);
  ASSERT_EQ(fp.options.column_titles.size(), 2u);
  // k = 1: I^2 is undefined; tau^2 is 0 (metafor: "0").
  EXPECT_EQ(fp.rows.front().cells[0], "\u2014");
  EXPECT_EQ(fp.rows.front().cells[1], "0");
  // The same decimals for every tau^2 of the column (3: the smallest non-zero is 0.2...).
  for (const auto& r : fp.rows) {
    const auto& c = r.cells[1];
    if (c == "0") continue;
    EXPECT_EQ(c.size() - c.find('.') - 1, 3u) << c;
  }
  // The common-effect model has no tau^2 column (on main: a column of dashes).
  pool_options common;
  common.model = model_choice::common;
  auto l1o = leave1out(t, common);
  ASSERT_TRUE(l1o);
  EXPECT_EQ(leave1out_forest(*l1o).options.column_titles, std::vector<std::string>{"I\u00b2"});
}

// ---- Item 3: sizes ----------------------------------------------------------------------------

TEST(plot_journal_test, bcg_forest_fits_single_and_double_columns) {
  const auto t = table(k_yi, k_vi);
  pool_options po;
  po.model = model_choice::random;  // one weight column, as a single-column figure has room for
  auto r = pool(t, po);
  ASSERT_TRUE(r);
  auto fp = forest_from(*r, t, {.prediction_interval = true});
  ASSERT_TRUE(fp);
  ASSERT_TRUE(fp->options.set_favours("Favours vaccine|Favours control"));
  fp->options.title =
      "Bacillus Calmette-Guerin vaccine against tuberculosis: 13 trials, "
      "risk ratios with 95% confidence intervals";
  for (const char* size : {"double", "single"}) {
    SCOPED_TRACE(size);
    auto w = journal_width(size);
    ASSERT_TRUE(w);
    auto o = fp->options;
    o.width = *w;
    auto fig = draw_forest(fp->rows, o);
    ASSERT_TRUE(fig) << fig.error().what();  // main: E505 at 180 mm
    EXPECT_NEAR(fig->width(), *w, 1e-9);
    expect_clean_layout(*fig);
  }
  EXPECT_NEAR(*journal_width("double"), 180 * 72 / 25.4, 1e-9);
  EXPECT_EQ(journal_width("triple").error().id, "srma.plot.E504");
  // Far too narrow even at 6 pt: a clear error.
  auto o = fp->options;
  o.width = 100;
  auto fig = draw_forest(fp->rows, o);
  ASSERT_FALSE(fig);
  EXPECT_EQ(fig.error().id, "srma.plot.E505");
}

TEST(plot_journal_test, long_labels_and_titles_wrap) {
  std::vector<forest_row> rows = {
      {.label = "A study with a very long name that goes on and on: the Multicentre Randomised "
                "Trial of Everything 2001",
       .estimate = -0.2,
       .lower = -0.5,
       .upper = 0.1,
       .size_weight = 1},
      {.label = "Short", .estimate = 0.1, .lower = -0.1, .upper = 0.3, .size_weight = 2},
  };
  forest_options o;
  o.measure = effect_measure::mean_difference;
  o.title = std::string(30, 'x') + " " + std::string(30, 'y') + " " + std::string(30, 'z') + " " +
            std::string(30, 'w');
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  // On main: a 12.7 in canvas for the label. Wrapped at 30 em (270 pt at 9 pt).
  EXPECT_LT(fig->width(), 9 * 72);
  // The title is split over lines, each narrower than the canvas; no line holds it whole.
  std::size_t title_lines = 0;
  for (const auto& s : texts(*fig)) {
    if (s.find(std::string(30, 'x')) != std::string::npos ||
        s.find(std::string(30, 'w')) != std::string::npos) {
      ++title_lines;
    }
    EXPECT_NE(s, o.title);
  }
  EXPECT_EQ(title_lines, 2u);
}

// ---- Item 5: bubble ---------------------------------------------------------------------------

TEST(plot_journal_test, bubble_labels_keep_off_the_line_and_the_note_is_capped) {
  // 200 studies along a line: most cannot be labelled.
  std::vector<double> yi, vi, x;
  for (int i = 0; i < 200; ++i) {
    x.push_back(10 + 0.25 * i);
    yi.push_back(-0.02 * (10 + 0.25 * i) + 0.3 * std::sin(i * 1.3));
    vi.push_back(0.02 + 0.01 * (i % 7));
  }
  bubble_data data;
  data.measure = effect_measure::risk_ratio;
  data.moderator = "ablat";
  for (std::size_t i = 0; i < yi.size(); ++i) {
    data.points.push_back({"Trial number " + std::to_string(i + 1), x[i], yi[i], vi[i]});
  }
  data.line = {.intercept = 0,
               .slope = -0.02,
               .var_intercept = 0.01,
               .cov = -0.0002,
               .var_slope = 0.00001,
               .tau2 = 0.02};
  bubble_options o;
  o.labels = true;
  o.x_title = "Absolute latitude (degrees)";
  auto fig = draw_bubble(data, o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_TRUE(has_text(*fig, "Absolute latitude (degrees)"));
  // At most 3 note lines, the last counting the rest.
  std::size_t note_lines = 0;
  for (const auto& s : texts(*fig)) {
    if (s.rfind("Not labelled", 0) == 0 || s.find(" more") != std::string::npos) ++note_lines;
  }
  EXPECT_GE(note_lines, 1u);
  const auto all = test::all_text(*fig);
  EXPECT_NE(all.find(" more"), std::string::npos);
  EXPECT_LT(fig->height(), 500);
  // No placed label crosses the regression line (a hard obstacle now).
  const auto svg = render_svg(*fig);
  EXPECT_FALSE(svg.empty());
}

TEST(plot_journal_test, bubble_axis_limits) {
  bubble_data data;
  data.measure = effect_measure::risk_ratio;
  data.moderator = "ablat";
  for (std::size_t i = 0; i < k_yi.size(); ++i) {
    data.points.push_back({"T" + std::to_string(i + 1), k_ablat[i], k_yi[i], k_vi[i]});
  }
  data.line = {.intercept = 0.26,
               .slope = -0.029,
               .var_intercept = 0.06,
               .cov = -0.0015,
               .var_slope = 0.00004,
               .tau2 = 0.07};
  bubble_options o;
  o.x_min = 0;
  o.x_max = 60;
  o.y_min = 0.1;
  o.y_max = 4;
  auto fig = draw_bubble(data, o);
  ASSERT_TRUE(fig) << fig.error().what();
  for (const char* s : {"0", "60", "0.1", "4"}) EXPECT_TRUE(has_text(*fig, s)) << s;
  o.y_min = 5;
  EXPECT_EQ(draw_bubble(data, o).error().id, "srma.plot.E504");
}

// ---- Item 9: subgroups ------------------------------------------------------------------------

TEST(plot_journal_test, one_study_subgroup_has_no_diamonds_and_headings_name_the_variable) {
  auto t = table({-0.9, -1.6, -1.3, -0.2}, {0.33, 0.19, 0.42, 0.05});
  t.attribute_names = {"alloc"};
  t.attributes = {{"random", "random", "random", "alternate"}};
  pool_options po;
  po.model = model_choice::random;
  auto s = pool_subgroups(t, "alloc", po);
  ASSERT_TRUE(s) << s.error().what();
  auto fp = forest_from(*s, t, {});
  ASSERT_TRUE(fp) << fp.error().what();
  std::vector<std::string> headings, summaries;
  for (const auto& r : fp->rows) {
    if (r.kind == forest_row_kind::heading) headings.push_back(r.label);
    if (r.kind == forest_row_kind::summary) summaries.push_back(r.label);
  }
  EXPECT_EQ(headings, (std::vector<std::string>{"Alloc: random", "Alloc: alternate"}));
  // One subtotal (random, 3 studies), none for the one-study subgroup, and the overall one.
  EXPECT_EQ(summaries, (std::vector<std::string>{"Subtotal", "Overall"}));
}

TEST(plot_journal_test, forest_pages_share_columns_and_axis) {
  // 65 studies over pages of at most 30 rows: 3 pages of the same width, each with the axis.
  std::vector<forest_row> rows;
  for (int i = 0; i < 65; ++i) {
    const double y = std::sin(i * 0.7) * 0.5;
    rows.push_back({.label = "Study " + std::to_string(i + 1),
                    .estimate = y,
                    .lower = y - 0.3,
                    .upper = y + 0.3,
                    .size_weight = 1,
                    .weights = {100.0 / 65}});
  }
  rows.push_back({.kind = forest_row_kind::summary,
                  .label = "Random-effects model",
                  .estimate = 0,
                  .lower = -0.1,
                  .upper = 0.1,
                  .weights = {100}});
  forest_options o;
  o.measure = effect_measure::hazard_ratio;
  o.weight_titles = {"Weight"};
  o.title = "Many trials";
  o.max_rows = 30;
  auto pages = draw_forest_pages(rows, o);
  ASSERT_TRUE(pages) << pages.error().what();
  ASSERT_EQ(pages->size(), 3u);
  for (std::size_t p = 0; p < pages->size(); ++p) {
    const auto& d = (*pages)[p];
    expect_clean_layout(d);
    EXPECT_DOUBLE_EQ(d.width(), pages->front().width());
    EXPECT_EQ(count_marks(d, "axis"), 1u);
    EXPECT_TRUE(has_text(d, fmt::format("Many trials ({} of 3)", p + 1)));
  }
  EXPECT_EQ(count_marks((*pages)[0], "square"), 30u);
  EXPECT_EQ(count_marks((*pages)[2], "square"), 5u);
  EXPECT_EQ(count_marks((*pages)[2], "diamond"), 1u);
  // draw_forest ignores max_rows: one page.
  auto one = draw_forest(rows, o);
  ASSERT_TRUE(one);
  EXPECT_EQ(count_marks(*one, "square"), 65u);
  EXPECT_EQ(page_path("out/forest.svg", 2), "out/forest-2.svg");
  EXPECT_EQ(page_path("a.b/forest", 1), "a.b/forest-1");
  // A multi-page PDF is one file with three pages.
  auto pdf = detail::render_pdf_pages(*pages);
  ASSERT_TRUE(pdf) << pdf.error().what();
  std::size_t n_pages = 0;
  const std::string page = "/Type /Page";
  for (std::size_t at = pdf->find(page); at != std::string::npos; at = pdf->find(page, at + 1)) {
    if (at + page.size() < pdf->size() && (*pdf)[at + page.size()] != 's') ++n_pages;
  }
  EXPECT_EQ(n_pages, 3u);
}

TEST(plot_journal_test, png_edges_are_opaque) {
  // A canvas of 100.3 x 50.7 pt at 150 dpi ends inside a pixel: on main the last row and column
  // were half transparent.
  drawing d(100.3, 50.7);
  d.line({10, 10}, {90, 40}, {});
  auto png = render(d, image_format::png, {.dpi = 150});
  ASSERT_TRUE(png) << png.error().what();
  const auto s = detail::inspect_png(*png);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.min_alpha, 255);
}

TEST(plot_journal_test, funnel_counts_identical_points_and_draws_the_adjusted_estimate) {
  std::vector<funnel_point> pts = {{0.5, 0.2, false, "A"},
                                   {0.5, 0.2, false, "B"},
                                   {0.5, 0.2, false, "C"},
                                   {0.1, 0.1, false, "D"},
                                   {0.9, 0.3, true, "Filled 1"}};
  funnel_options o;
  o.centre = 0.4;
  o.adjusted = 0.3;
  auto fig = draw_funnel(pts, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_NE(render_svg(*fig).find(">\u00d73<"), std::string::npos);
  EXPECT_EQ(count_marks(*fig, "study"), 2u);
  EXPECT_TRUE(has_text(*fig, "Adjusted estimate (trim-and-fill)"));
}

}  // namespace
}  // namespace srma::plot
