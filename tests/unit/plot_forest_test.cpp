// The forest plot: adapters from pooled and subgroup results, layout (nothing overlaps, the
// canvas grows), axis, sizes and errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "plot/axis.hpp"
#include "plot/backends.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/output.hpp"

namespace srma::plot {
namespace {

// dat.bcg from metadat as a 2x2 table with year and allocation (13 trials).
constexpr const char* k_bcg_csv =
    "study,year,events_t,n_t,events_c,n_c,alloc\n"
    "Aronson 1948,1948,4,123,11,139,random\n"
    "Ferguson & Simes 1949,1949,6,306,29,303,random\n"
    "Rosenthal et al 1960,1960,3,231,11,220,random\n"
    "Hart & Sutherland 1977,1977,62,13598,248,12867,random\n"
    "Frimodt-Moller et al 1973,1973,33,5069,47,5808,alternate\n"
    "Stein & Aronson 1953,1953,180,1541,372,1451,alternate\n"
    "Vandiviere et al 1973,1973,8,2545,10,629,random\n"
    "TPT Madras 1980,1980,505,88391,499,88391,random\n"
    "Coetzee & Berjak 1968,1968,29,7499,45,7277,random\n"
    "Rosenthal et al 1961,1961,17,1716,65,1665,systematic\n"
    "Comstock et al 1974,1974,186,50634,141,27338,systematic\n"
    "Comstock & Webster 1969,1969,5,2498,3,2341,systematic\n"
    "Comstock et al 1976,1976,27,16913,29,17854,systematic\n";

study_table bcg() {
  auto csv = parse_csv(k_bcg_csv, "bcg.csv");
  EXPECT_TRUE(csv);
  auto t = make_study_table(*csv, {.measure = effect_measure::risk_ratio});
  EXPECT_TRUE(t) << t.error().what();
  return *t;
}

pool_options options(model_choice m = model_choice::both) {
  pool_options o;
  o.model = m;
  return o;
}

std::vector<std::string> labels_of(const std::vector<forest_row>& rows, forest_row_kind kind) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    if (r.kind == kind) out.push_back(r.label);
  }
  return out;
}

std::vector<std::string> texts(const drawing& d) {
  std::vector<std::string> out;
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::text) out.push_back(b.what);
  }
  return out;
}

std::size_t count_marks(const drawing& d, std::string_view what) {
  return static_cast<std::size_t>(std::count_if(
      d.boxes().begin(), d.boxes().end(), [&](const layout_box& b) { return b.what == what; }));
}

bool has_text(const drawing& d, const std::string& s) {
  const auto t = texts(d);
  return std::find(t.begin(), t.end(), s) != t.end();
}

void expect_no_overlaps(const drawing& d) {
  const auto o = find_overlaps(d);
  for (const auto& [a, b] : o) {
    ADD_FAILURE() << "'" << d.boxes()[a].what << "' overlaps '" << d.boxes()[b].what << "'";
  }
  // Everything lies on the canvas.
  for (const auto& b : d.boxes()) {
    EXPECT_GE(b.box.x, -1e-9) << b.what;
    EXPECT_GE(b.box.y, -1e-9) << b.what;
    EXPECT_LE(b.box.right(), d.width() + 1e-9) << b.what;
    EXPECT_LE(b.box.bottom(), d.height() + 1e-9) << b.what;
  }
}

TEST(plot_forest_test, rows_of_a_pooled_analysis) {
  const auto t = bcg();
  auto r = pool(t, options());
  ASSERT_TRUE(r) << r.error().what();
  auto fp = forest_from(*r, t, {.columns = {"year"}, .prediction_interval = true});
  ASSERT_TRUE(fp) << fp.error().what();
  const auto& rows = fp->rows;
  ASSERT_EQ(rows.size(), 13u + 2 + 1 + 1 + 2);
  EXPECT_EQ(rows[0].label, "Aronson 1948");
  EXPECT_EQ(rows[0].cells, std::vector<std::string>{"1948"});
  EXPECT_NEAR(rows[0].estimate, -0.88931133, 1e-7);
  const double z = z_for_level(95);
  EXPECT_NEAR(rows[0].lower, -0.88931133 - z * std::sqrt(0.325585592), 1e-5);
  ASSERT_EQ(rows[0].weights.size(), 2u);
  EXPECT_DOUBLE_EQ(rows[0].weights[0], r->weight_random[0]);  // leading model first
  EXPECT_DOUBLE_EQ(rows[0].weights[1], r->weight_common[0]);
  EXPECT_DOUBLE_EQ(rows[0].size_weight, r->weight_random[0]);
  EXPECT_EQ(labels_of(rows, forest_row_kind::summary),
            (std::vector<std::string>{"Random-effects model", "Common-effect model"}));
  EXPECT_DOUBLE_EQ(rows[13].estimate, r->random.estimate);
  EXPECT_DOUBLE_EQ(rows[13].weights[0], 100);
  EXPECT_TRUE(std::isnan(rows[13].weights[1]));
  EXPECT_DOUBLE_EQ(rows[14].estimate, r->common.estimate);
  EXPECT_EQ(rows[15].kind, forest_row_kind::prediction);
  EXPECT_DOUBLE_EQ(rows[15].lower, r->random.pi_lower);
  EXPECT_EQ(labels_of(rows, forest_row_kind::text),
            (std::vector<std::string>{
                "Heterogeneity: I\u00b2 = 92%, \u03c4\u00b2 = 0.313, \u03c7\u00b2 = 152.23 "
                "(df = 12), p < 0.001",
                "Test for overall effect (random effects): z = \u22123.97, p < 0.001",
                "Test for overall effect (common effect): z = \u221210.62, p < 0.001"}));
  EXPECT_EQ(fp->options.measure, effect_measure::risk_ratio);
  EXPECT_EQ(fp->options.column_titles, std::vector<std::string>{"Year"});
  EXPECT_EQ(fp->options.weight_titles,
            (std::vector<std::string>{"Weight\n(random)", "Weight\n(common)"}));
}

TEST(plot_forest_test, one_model_one_weight_column) {
  const auto t = bcg();
  auto r = pool(t, options(model_choice::common));
  ASSERT_TRUE(r);
  auto fp = forest_from(*r, t);
  ASSERT_TRUE(fp);
  EXPECT_EQ(fp->options.weight_titles, std::vector<std::string>{"Weight"});
  EXPECT_EQ(labels_of(fp->rows, forest_row_kind::summary),
            std::vector<std::string>{"Common-effect model"});
  // No tau^2 in the heterogeneity line of a common-effect analysis; no PI row unless asked.
  EXPECT_EQ(labels_of(fp->rows, forest_row_kind::text)[0],
            "Heterogeneity: I\u00b2 = 92%, \u03c7\u00b2 = 152.23 (df = 12), p < 0.001");
  EXPECT_TRUE(labels_of(fp->rows, forest_row_kind::prediction).empty());
  EXPECT_DOUBLE_EQ(fp->rows[7].size_weight, r->weight_common[7]);
}

TEST(plot_forest_test, sorting) {
  const auto t = bcg();
  auto r = pool(t, options());
  ASSERT_TRUE(r);
  auto by_effect = forest_from(*r, t, {.sort = forest_sort::effect});
  ASSERT_TRUE(by_effect);
  EXPECT_EQ(by_effect->rows.front().label, "Vandiviere et al 1973");
  EXPECT_EQ(by_effect->rows[12].label, "Comstock & Webster 1969");
  auto by_weight = forest_from(*r, t, {.sort = forest_sort::weight});
  ASSERT_TRUE(by_weight);
  EXPECT_EQ(by_weight->rows.front().label, "TPT Madras 1980");
  for (std::size_t i = 1; i < 13; ++i) {
    EXPECT_GE(by_weight->rows[i - 1].size_weight, by_weight->rows[i].size_weight);
  }
  auto by_year = forest_from(*r, t, {.sort = forest_sort::column, .sort_column = "YEAR"});
  ASSERT_TRUE(by_year) << by_year.error().what();
  EXPECT_EQ(by_year->rows[0].label, "Aronson 1948");
  EXPECT_EQ(by_year->rows[1].label, "Ferguson & Simes 1949");
  EXPECT_EQ(by_year->rows[2].label, "Stein & Aronson 1953");
  EXPECT_EQ(by_year->rows[12].label, "TPT Madras 1980");
}

TEST(plot_forest_test, unknown_columns_are_errors) {
  const auto t = bcg();
  auto r = pool(t, options());
  ASSERT_TRUE(r);
  auto bad = forest_from(*r, t, {.columns = {"year", "n_resected"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().what(),
            "[srma.plot.E503] column 'n_resected' is not a column of the input; available: year, "
            "alloc, events_t, n_t, events_c, n_c");
  auto bad_sort = forest_from(*r, t, {.sort = forest_sort::column, .sort_column = "country"});
  ASSERT_FALSE(bad_sort);
  EXPECT_EQ(bad_sort.error().what(),
            "[srma.plot.E503] sort column 'country' is not a column of the input; available: "
            "year, alloc, events_t, n_t, events_c, n_c");
  const auto other = t.subset(std::vector<std::size_t>{0, 1, 2});
  auto mismatch = forest_from(*r, other);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().id, "srma.plot.E507");
}

TEST(plot_forest_test, rows_of_a_subgroup_analysis) {
  const auto t = bcg();
  auto s = pool_subgroups(t, "alloc", options(model_choice::random));
  ASSERT_TRUE(s) << s.error().what();
  auto fp = forest_from(*s, t, {.sort = forest_sort::effect});
  ASSERT_TRUE(fp) << fp.error().what();
  const auto& rows = fp->rows;
  EXPECT_EQ(labels_of(rows, forest_row_kind::heading),
            (std::vector<std::string>{"Alloc: random", "Alloc: alternate", "Alloc: systematic"}));
  EXPECT_EQ(labels_of(rows, forest_row_kind::summary),
            (std::vector<std::string>{"Subtotal", "Subtotal", "Subtotal", "Overall"}));
  EXPECT_EQ(labels_of(rows, forest_row_kind::spacer).size(), 3u);
  EXPECT_EQ(rows[0].label, "Alloc: random");
  EXPECT_EQ(rows[1].label, "Vandiviere et al 1973");  // sorted within the subgroup
  // Study weights are the overall model's; a subgroup's weights add up to its subtotal.
  double sum = 0;
  std::size_t i = 1;
  for (; rows[i].kind == forest_row_kind::study; ++i) sum += rows[i].weights[0];
  EXPECT_EQ(rows[i].kind, forest_row_kind::summary);
  EXPECT_NEAR(rows[i].weights[0], sum, 1e-9);
  EXPECT_NEAR(rows[i].weights[0], s->groups[0].weight_share_random, 1e-12);
  EXPECT_DOUBLE_EQ(rows[i].estimate, s->groups[0].result.random.estimate);
  const auto text = labels_of(rows, forest_row_kind::text);
  ASSERT_EQ(text.size(), 3u + 3);
  EXPECT_EQ(text[0].rfind("Heterogeneity: I\u00b2 = 95%, \u03c4\u00b2 = 0.393, ", 0), 0u);
  EXPECT_EQ(text.back(), "Test for subgroup differences: \u03c7\u00b2 = 1.86 (df = 2), p = 0.39");
  auto fig = draw_forest(rows, fp->options);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);

  // Sorting by a column within subgroups uses each study's own value.
  auto by_year = forest_from(*s, t, {.sort = forest_sort::column, .sort_column = "year"});
  ASSERT_TRUE(by_year);
  std::vector<std::string> first_block;
  for (std::size_t j = 1; by_year->rows[j].kind == forest_row_kind::study; ++j) {
    first_block.push_back(by_year->rows[j].cells.empty() ? by_year->rows[j].label
                                                         : by_year->rows[j].cells[0]);
  }
  EXPECT_EQ(first_block, (std::vector<std::string>{"Aronson 1948", "Ferguson & Simes 1949",
                                                   "Rosenthal et al 1960", "Coetzee & Berjak 1968",
                                                   "Vandiviere et al 1973",
                                                   "Hart & Sutherland 1977", "TPT Madras 1980"}));
}

TEST(plot_forest_test, bcg_layout_has_no_overlaps_and_readable_ticks) {
  const auto t = bcg();
  auto r = pool(t, options());
  ASSERT_TRUE(r);
  auto fp = forest_from(*r, t, {.columns = {"year", "alloc"}, .prediction_interval = true});
  ASSERT_TRUE(fp);
  fp->options.favours_left = "Favours vaccine";
  fp->options.favours_right = "Favours control";
  fp->options.title = "BCG vaccine";
  auto fig = draw_forest(fp->rows, fp->options);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);
  for (const char* s :
       {"Study", "Year", "Alloc", "RR [95% CI]", "Weight", "(random)", "Aronson 1948", "0.41",
        "[0.13, 1.26]", "5.1%", "Favours vaccine", "Favours control", "Risk ratio (log scale)",
        "BCG vaccine", "Prediction interval", "[0.14, 1.76]", "100.0%"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  // Ticks from the 1-2-5 ladder, never exponentiated round logs (metafor's 0.37, 2.72).
  for (const char* s : {"0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  EXPECT_EQ(count_marks(*fig, "square"), 13u);
  EXPECT_EQ(count_marks(*fig, "diamond"), 2u);
  EXPECT_EQ(count_marks(*fig, "arrow"), 0u);
  // Square area proportional to the weight (above the minimum size).
  std::vector<double> sides;
  for (const auto& b : fig->boxes()) {
    if (b.what == "square") sides.push_back(b.box.width);
  }
  const double w_max = *std::max_element(r->weight_random.begin(), r->weight_random.end());
  const double s_max = *std::max_element(sides.begin(), sides.end());
  for (std::size_t i = 0; i < 13; ++i) {
    EXPECT_NEAR(sides[i] * sides[i] / (s_max * s_max), r->weight_random[i] / w_max, 1e-9);
  }
}

TEST(plot_forest_test, text_rows_never_cross_the_reference_line) {
  std::vector<forest_row> rows = {
      {.label = "A", .estimate = 0.1, .lower = 0.05, .upper = 0.2, .size_weight = 1},
      {.kind = forest_row_kind::text,
       .label = "A very long remark that would run across the reference line of this small plot"},
  };
  forest_options o;
  o.measure = effect_measure::hazard_ratio;
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);
  EXPECT_EQ(count_marks(*fig, "reference line"), 1u);
}

std::vector<forest_row> many_studies(std::size_t k, std::size_t label_chars) {
  std::vector<forest_row> rows;
  for (std::size_t i = 0; i < k; ++i) {
    std::string label = "Study " + std::to_string(i + 1) + " ";
    while (label.size() < label_chars) label += "Wxyz abcdefghij "[label.size() % 16];
    label.resize(label_chars);
    const double y = std::sin(static_cast<double>(i)) * 0.8;
    const double se = 0.05 + 0.5 * std::fabs(std::cos(static_cast<double>(i) * 1.7));
    rows.push_back({.label = label,
                    .cells = {std::to_string(1990 + i % 30)},
                    .estimate = y,
                    .lower = y - 1.96 * se,
                    .upper = y + 1.96 * se,
                    .size_weight = 1 / (se * se),
                    .weights = {100.0 / static_cast<double>(k)}});
  }
  rows.push_back({.kind = forest_row_kind::summary,
                  .label = "Random-effects model",
                  .estimate = 0.01,
                  .lower = -0.1,
                  .upper = 0.12,
                  .weights = {100}});
  rows.push_back({.kind = forest_row_kind::prediction,
                  .label = "Prediction interval",
                  .lower = -1.2,
                  .upper = 1.2});
  rows.push_back({.kind = forest_row_kind::text,
                  .label = "Heterogeneity: I\u00b2 = 64%, \u03c4\u00b2 = 0.3132, \u03c7\u00b2 = "
                           "412.23 (df = 149), p < 0.001"});
  return rows;
}

TEST(plot_forest_test, many_studies_with_long_labels_do_not_overlap) {
  forest_options o;
  o.measure = effect_measure::hazard_ratio;
  o.column_titles = {"Year"};
  o.weight_titles = {"Weight"};
  o.favours_left = "Favours resection";
  o.favours_right = "Favours no resection";
  double last_height = 0;
  for (std::size_t k : {2u, 10u, 150u}) {
    SCOPED_TRACE(k);
    const auto rows = many_studies(k, 60);
    auto fig = draw_forest(rows, o);
    ASSERT_TRUE(fig) << fig.error().what();
    expect_no_overlaps(*fig);
    EXPECT_GT(fig->height(), last_height);  // the canvas grows with the rows
    last_height = fig->height();
    // Every label is there (labels longer than 30 em wrap onto a second line).
    std::size_t labels = 0;
    for (const auto& b : fig->boxes()) {
      if (b.kind == box_kind::text && b.what.rfind("Study ", 0) == 0) ++labels;
    }
    EXPECT_EQ(labels, k);
    EXPECT_EQ(count_marks(*fig, "square"), k);
  }
  // 150 rows of 60 characters: rows never shrink below a readable pitch.
  const auto rows = many_studies(150, 60);
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig);
  EXPECT_GT(fig->height(), 150 * 9 * 1.5);
}

TEST(plot_forest_test, intervals_beyond_the_axis_end_in_arrows) {
  std::vector<forest_row> rows = {
      {.label = "wide", .estimate = 0, .lower = -3, .upper = 3, .size_weight = 1},
      {.label = "off the axis", .estimate = 5, .lower = 4, .upper = 6, .size_weight = 1},
      {.label = "inside", .estimate = 0.2, .lower = -0.2, .upper = 0.6, .size_weight = 1},
  };
  forest_options o;
  o.measure = effect_measure::odds_ratio;
  o.axis_min = 0.25;
  o.axis_max = 4;
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_EQ(count_marks(*fig, "arrow"), 3u);
  EXPECT_EQ(count_marks(*fig, "square"), 2u);  // the study off the axis has none
  expect_no_overlaps(*fig);
  EXPECT_TRUE(has_text(*fig, "0.25"));
  EXPECT_TRUE(has_text(*fig, "4"));
}

TEST(plot_forest_test, long_axis_texts_without_a_reference_line_stay_clear) {
  std::vector<forest_row> rows = {{.label = "A", .estimate = 0.5, .lower = 0.2, .upper = 0.8}};
  forest_options o;
  o.reference = std::numeric_limits<double>::quiet_NaN();
  o.favours_left = "Favours the experimental intervention arm";
  o.favours_right = "Favours the usual care control arm";
  o.axis_title = "Standardised mean difference in the primary outcome at twelve months";
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);
  EXPECT_EQ(count_marks(*fig, "reference line"), 0u);
  EXPECT_TRUE(has_text(*fig, "Favours the usual care control arm"));
}

TEST(plot_forest_test, explicit_width_and_height) {
  const auto rows = many_studies(5, 20);
  forest_options o;
  o.measure = effect_measure::hazard_ratio;
  o.column_titles = {"Year"};
  o.weight_titles = {"Weight"};
  auto natural = draw_forest(rows, o);
  ASSERT_TRUE(natural);
  o.width = natural->width() + 150;
  o.height = natural->height() + 100;
  auto big = draw_forest(rows, o);
  ASSERT_TRUE(big) << big.error().what();
  EXPECT_DOUBLE_EQ(big->width(), o.width);
  EXPECT_DOUBLE_EQ(big->height(), o.height);
  expect_no_overlaps(*big);
  o.width = 100;
  auto narrow = draw_forest(rows, o);
  ASSERT_FALSE(narrow);
  EXPECT_EQ(narrow.error().id, "srma.plot.E505");
  EXPECT_EQ(narrow.error().message.rfind("a width of 100 pt (1.39 in) is too small for this "
                                         "forest plot; it needs at least ",
                                         0),
            0u);
  o.width = 0;
  o.height = 50;
  auto flat = draw_forest(rows, o);
  ASSERT_FALSE(flat);
  EXPECT_EQ(flat.error().id, "srma.plot.E505");
}

TEST(plot_forest_test, invalid_options_and_rows) {
  const std::vector<forest_row> ok = {{.label = "A", .estimate = 0, .lower = -1, .upper = 1}};
  forest_options o;
  o.measure = effect_measure::risk_ratio;
  o.axis_min = 0;
  auto e1 = draw_forest(ok, o);
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().what(),
            "[srma.plot.E504] axis minimum is 0, but must be > 0 on the log axis of a ratio");
  o.axis_min = 2;
  o.axis_max = 1;
  auto e2 = draw_forest(ok, o);
  ASSERT_FALSE(e2);
  EXPECT_EQ(e2.error().what(),
            "[srma.plot.E504] axis limits 2 to 1: the minimum must be below the maximum");

  forest_options plain;
  std::vector<forest_row> cells = {
      {.label = "A", .cells = {"x"}, .estimate = 0, .lower = -1, .upper = 1}};
  auto e3 = draw_forest(cells, plain);
  ASSERT_FALSE(e3);
  EXPECT_EQ(e3.error().what(),
            "[srma.plot.E507] forest row 1 ('A') has 1 cells, but there are 0 column titles");
  std::vector<forest_row> reversed = {{.label = "B", .estimate = 0, .lower = 1, .upper = -1}};
  auto e4 = draw_forest(reversed, plain);
  ASSERT_FALSE(e4);
  EXPECT_EQ(e4.error().what(),
            "[srma.plot.E507] forest row 1 ('B'): lower bound 1 is above upper bound -1");
  std::vector<forest_row> nothing = {{.kind = forest_row_kind::heading, .label = "Only a heading"}};
  auto e5 = draw_forest(nothing, plain);
  ASSERT_FALSE(e5);
  EXPECT_EQ(e5.error().what(), "[srma.plot.E507] no row has a finite estimate or interval to draw");
}

TEST(plot_forest_test, rows_without_estimates_and_generic_measure) {
  // A leave-one-out style plot built by hand: a row with no estimate draws nothing but its label.
  std::vector<forest_row> rows = {
      {.kind = forest_row_kind::heading, .label = "Omitting"},
      {.label = "Study A", .estimate = -0.5, .lower = -0.9, .upper = -0.1},
      {.label = "Study B (not estimable)"},
      {.label = "Study C", .estimate = 0.3, .lower = -0.2, .upper = 0.8},
  };
  forest_options o;
  o.estimate_title = "MD [95% CI]";
  o.axis_title = "";
  auto fig = draw_forest(rows, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_no_overlaps(*fig);
  EXPECT_EQ(count_marks(*fig, "square"), 2u);
  EXPECT_TRUE(has_text(*fig, "\u22120.50"));  // typeset minus
  EXPECT_TRUE(has_text(*fig, "Study B (not estimable)"));
  EXPECT_TRUE(has_text(*fig, "0"));          // the axis has 0 (the reference) as a tick
  EXPECT_FALSE(has_text(*fig, "Estimate"));  // no axis title
}

TEST(plot_forest_test, decimals_follow_the_narrowest_interval_for_differences) {
  const auto t = bcg();
  auto csv = parse_csv(k_bcg_csv, "bcg.csv");
  ASSERT_TRUE(csv);
  auto rd = make_study_table(*csv, {.measure = effect_measure::risk_difference});
  ASSERT_TRUE(rd) << rd.error().what();
  auto r = pool(*rd, options(model_choice::random));
  ASSERT_TRUE(r);
  auto fp = forest_from(*r, *rd);
  ASSERT_TRUE(fp);
  auto fig = draw_forest(fp->rows, fp->options);
  ASSERT_TRUE(fig) << fig.error().what();
  // TPT Madras: RD 0.0001 [-0.0006, 0.0008] needs four decimals to show an interval at all.
  EXPECT_TRUE(has_text(*fig, "RD [95% CI]"));
  EXPECT_TRUE(has_text(*fig, "Risk difference"));
  auto starts = [](const drawing& d, const std::string& prefix) {
    const auto all = texts(d);
    return std::any_of(all.begin(), all.end(),
                       [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(starts(*fig, "[\u22120.1014, "));
  EXPECT_TRUE(starts(*fig, "[\u22120.0006, "));
  fp->options.decimals = 2;
  auto two = draw_forest(fp->rows, fp->options);
  ASSERT_TRUE(two);
  EXPECT_TRUE(starts(*two, "[\u22120.10, "));
  // Ratios keep two decimals.
  auto rr = pool(t, options());
  auto fr = forest_from(*rr, t);
  auto figr = draw_forest(fr->rows, fr->options);
  ASSERT_TRUE(figr);
  EXPECT_TRUE(starts(*figr, "[0.13, "));
}

TEST(plot_forest_test, renders_to_pdf_and_png) {
  const auto t = bcg();
  auto r = pool(t, options());
  ASSERT_TRUE(r);
  auto fp = forest_from(*r, t);
  ASSERT_TRUE(fp);
  auto fig = draw_forest(fp->rows, fp->options);
  ASSERT_TRUE(fig);
  auto pdf = render(*fig, image_format::pdf);
  ASSERT_TRUE(pdf) << pdf.error().what();
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  auto png = render(*fig, image_format::png, {.dpi = 300});
  ASSERT_TRUE(png) << png.error().what();
  const auto s = detail::inspect_png(*png);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.width, static_cast<int>(std::ceil(fig->width() * 300 / 72 - 1e-9)));
  EXPECT_EQ(s.height, static_cast<int>(std::ceil(fig->height() * 300 / 72 - 1e-9)));
  EXPECT_GT(s.ink, 0.02);
  EXPECT_LT(s.ink, 0.3);
}

TEST(plot_forest_test, output_is_deterministic) {
  const auto t = bcg();
  auto r = pool(t, options());
  ASSERT_TRUE(r);
  auto fp = forest_from(*r, t);
  ASSERT_TRUE(fp);
  auto a = draw_forest(fp->rows, fp->options);
  auto b = draw_forest(fp->rows, fp->options);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(render_svg(*a), render_svg(*b));
}

TEST(plot_axis_test, ratio_ticks_are_round_numbers) {
  auto width = [](const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
  auto labels = [&](double lo, double hi, double len) {
    return detail::make_axis(true, std::log(lo), std::log(hi), len, width, 6, 9).labels;
  };
  EXPECT_EQ(labels(0.07, 6.53, 200),
            (std::vector<std::string>{"0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"}));
  // A narrow range gets evenly spaced display values, 0.9 included (issue 13 item 1).
  EXPECT_EQ(labels(0.6, 1.07, 200),
            (std::vector<std::string>{"0.6", "0.7", "0.8", "0.9", "1", "1.1"}));
  // A narrow panel takes a coarser ladder rather than overlapping labels.
  EXPECT_EQ(labels(0.07, 6.53, 80), (std::vector<std::string>{"0.01", "0.1", "1", "10"}));
  const auto wide = labels(1e-4, 1e4, 200);
  EXPECT_LE(wide.size(), 9u);
  EXPECT_EQ(wide.front(), "0.0001");
  EXPECT_EQ(wide.back(), "10000");
  // Fixed limits are kept and labelled.
  const auto a =
      detail::make_axis(true, std::log(0.25), std::log(4), 200, width, 6, 9, {true, true});
  EXPECT_DOUBLE_EQ(a.lo, std::log(0.25));
  EXPECT_EQ(a.labels.front(), "0.25");
  EXPECT_EQ(a.labels.back(), "4");
  const auto b =
      detail::make_axis(true, std::log(0.3), std::log(1.8), 200, width, 6, 9, {true, false});
  EXPECT_EQ(b.labels.front(), "0.3");
  EXPECT_EQ(b.labels.back(), "2");
}

// Issue 13 item 1: hazard ratios between 0.84 and 1.01 got only 0.8, 1 and 1.25.
TEST(plot_axis_test, narrow_ratio_ranges_get_the_steps_survival_reviews_need) {
  auto width = [](const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
  const auto a = detail::make_axis(true, std::log(0.84), std::log(1.01), 300, width, 6, 9);
  EXPECT_EQ(a.labels, (std::vector<std::string>{"0.8", "0.85", "0.9", "0.95", "1", "1.05"}));
  // The line of no effect is always a tick.
  const auto b = detail::make_axis(true, std::log(1.02), std::log(1.31), 300, width, 6, 9);
  EXPECT_NE(std::find(b.labels.begin(), b.labels.end(), "1.1"), b.labels.end());
}

// Issue 15 item 4: one study with V = 1e-8 (ln HR = 1e8) made the ratio ladders list every
// decade of the range (9.4 GB, past 60 s), and a cast of the decade to int overflowed.
TEST(plot_axis_test, extreme_and_broken_ranges_end_at_once_with_few_ticks) {
  auto width = [](const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{
           {-1e8, 1e8}, {0, 1e300}, {-1e308, 1e308}, {1e10, 1e10 + 1e-3}, {0, 1e5}}) {
    for (bool log : {true, false}) {
      const auto a = detail::make_axis(log, lo, hi, 300, width, 6, 9);
      EXPECT_GE(a.ticks.size(), 2u) << lo << " " << hi;
      EXPECT_LE(a.ticks.size(), 9u) << lo << " " << hi;
      EXPECT_EQ(a.ticks.size(), a.labels.size());
      for (const auto& l : a.labels) EXPECT_LT(l.size(), 40u) << l;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(detail::make_axis(true, nan, 1, 300, width, 6, 9).ticks.size(), 2u);
  EXPECT_EQ(detail::make_axis(false, 0, inf, 300, width, 6, 9).ticks.size(), 2u);
  // Powers of ten beyond 10^5 and below 10^-4 (issue 13 item 7: "0.000001 ... 1000000").
  const auto c = detail::make_axis(true, std::log(1e-7), std::log(1e7), 300, width, 6, 9);
  EXPECT_EQ(c.labels.back().substr(0, 2), "10");
  EXPECT_EQ(c.labels.front().substr(2, 3), "\u207b");
  EXPECT_EQ(detail::format_tick(1e6), "10\u2076");
  EXPECT_EQ(detail::format_tick(2.5e7), "2.5\u00d710\u2077");
  EXPECT_EQ(detail::format_tick(99999), "99999");
  // Beyond 10^(10^15) the decade is printed in scientific form (the CI sanitizer pass caught the
  // cast of the decade of e^(-1e308) to long long overflowing).
  const auto huge = detail::make_axis(true, -1e308, 1e308, 300, width, 6, 9);
  EXPECT_EQ(huge.labels.front().substr(0, 5), "10^(-") << huge.labels.front();
  EXPECT_EQ(detail::format_tick(0.0001), "0.0001");
  EXPECT_EQ(detail::format_tick(-1e8), "\u221210\u2078");
}

TEST(plot_axis_test, linear_ticks_and_number_text) {
  auto width = [](const std::string& s) { return 5.0 * static_cast<double>(s.size()); };
  const auto a = detail::make_axis(false, -10.23, 4.4, 200, width, 6, 9);
  EXPECT_EQ(a.labels, (std::vector<std::string>{"\u221215", "\u221210", "\u22125", "0", "5"}));
  EXPECT_DOUBLE_EQ(a.lo, -15);
  EXPECT_DOUBLE_EQ(a.hi, 5);
  EXPECT_DOUBLE_EQ(a.position(-5), 100);
  EXPECT_EQ(detail::format_tick(0.025), "0.025");
  EXPECT_EQ(detail::format_tick(1e-13), "0");
  EXPECT_EQ(detail::format_tick(250), "250");
  EXPECT_EQ(detail::typeset_minus("-0.71 [-1.07, -0.36] Frimodt-Moller"),
            "\u22120.71 [\u22121.07, \u22120.36] Frimodt-Moller");
}

// ---------------------------------------------------------------------------------------------
// Layouts (issue 13 item 4) and CIs as entered (item 8).

namespace layouts {

// Fleiss 1993 aspirin trials, typed from RevMan 5's Fleiss1993.rm5 (the same table as
// tests/validation/data/revman5_fleiss1993_or.csv).
constexpr const char* k_fleiss_csv =
    "study,year,events_t,n_t,events_c,n_c\n"
    "MRC-1,1974,49,615,67,624\n"
    "CDP,1976,44,758,64,771\n"
    "MRC-2,1979,102,832,126,850\n"
    "GASP,1979,32,317,38,309\n"
    "PARIS,1980,85,810,52,406\n"
    "AMIS,1980,246,2267,219,2257\n"
    "ISIS-2,1988,1570,8587,1720,8600\n";

struct revman_plot {
  forest_plot plot;
  drawing figure;
};

revman_plot fleiss_revman(const study_table& not_estimable = {}) {
  auto csv = parse_csv(k_fleiss_csv, "fleiss.csv");
  EXPECT_TRUE(csv);
  auto t = make_study_table(
      *csv, {.measure = effect_measure::odds_ratio, .zero_cells = revman5_zero_cells()});
  EXPECT_TRUE(t) << t.error().what();
  pool_options o = preset_options(preset::revman5);
  o.model = model_choice::common;
  auto r = pool_2x2(*t, o);
  EXPECT_TRUE(r) << r.error().what();
  forest_content c;
  c.layout = forest_layout::revman5;
  c.not_estimable = not_estimable;
  auto p = forest_from(*r, *t, c);
  EXPECT_TRUE(p) << p.error().what();
  auto d = draw_forest(p->rows, p->options);
  EXPECT_TRUE(d) << d.error().what();
  return {*p, *d};
}

TEST(plot_forest_test, revman5_layout_shows_revmans_numbers_for_fleiss1993) {
  const auto [p, d] = fleiss_revman();
  // RevMan 5, Fleiss1993.rm5, comparison 1.1 (M-H, Fixed, OR): OR 0.90 [0.84, 0.96],
  // Chi2 = 9.95, df = 6 (P = 0.13); I2 = 40%, Z = 3.29 (P = 0.001), weights 3.2%, 3.1%, 5.7%,
  // 1.8%, 3.2%, 10.2%, 72.9%.
  EXPECT_TRUE(has_text(d, "0.90")) << ::testing::PrintToString(texts(d));
  EXPECT_TRUE(has_text(d, "[0.84, 0.96]"));
  EXPECT_TRUE(has_text(d, "Heterogeneity: Chi\u00b2 = 9.95, df = 6 (P = 0.13); I\u00b2 = 40%"));
  EXPECT_TRUE(has_text(d, "Test for overall effect: Z = 3.29 (P = 0.001)"));
  for (const char* w : {"3.2%", "3.1%", "5.7%", "1.8%", "10.2%", "72.9%", "100.0%"})
    EXPECT_TRUE(has_text(d, w)) << w;
  EXPECT_TRUE(has_text(d, "Total (95% CI)"));
  EXPECT_TRUE(has_text(d, "Total events"));
  EXPECT_TRUE(has_text(d, "Study or Subgroup"));
  EXPECT_TRUE(has_text(d, "M-H, Fixed, 95% CI"));
  EXPECT_TRUE(has_text(d, "Experimental"));
  EXPECT_TRUE(has_text(d, "Control"));
  EXPECT_TRUE(has_text(d, "Favours [experimental]"));
  // Totals: sums of the table's columns (independent: 615 + 758 + ... + 8587 = 14186 and
  // 13817 participants; 2128 and 2286 events).
  const auto& total = p.rows[7];
  ASSERT_EQ(total.kind, forest_row_kind::summary);
  EXPECT_EQ(total.cells, (std::vector<std::string>{"", "14186", "", "13817"}));
  EXPECT_EQ(p.rows[8].cells, (std::vector<std::string>{"2128", "", "2286", ""}));
  // RevMan's order: weight and estimate left of the forest.
  double weight_x = 0, forest_x = 1e9;
  for (const auto& b : d.boxes()) {
    if (b.what == "72.9%") weight_x = b.box.x;
    if (b.what == "square") forest_x = std::min(forest_x, b.box.x);
  }
  EXPECT_LT(weight_x, forest_x);
  expect_no_overlaps(d);
}

TEST(plot_forest_test, revman5_layout_shows_not_estimable_rows) {
  // A double-zero trial added to the Fleiss table: RevMan lists it with its counts and "Not
  // estimable", no square, no weight, and counts it in the totals.
  auto csv = parse_csv("study,events_t,n_t,events_c,n_c\nZero 2000,0,50,0,48\n", "z.csv");
  ASSERT_TRUE(csv);
  auto z = make_study_table(
      *csv, {.measure = effect_measure::odds_ratio, .zero_cells = escalc_zero_cells()});
  ASSERT_TRUE(z) << z.error().what();
  z->line = {99};
  const auto [p, d] = fleiss_revman(*z);
  EXPECT_TRUE(has_text(d, "Not estimable"));
  const auto& row = p.rows[7];
  EXPECT_EQ(row.label, "Zero 2000");
  EXPECT_EQ(row.cells, (std::vector<std::string>{"0", "50", "0", "48"}));
  EXPECT_TRUE(row.weights.empty());
  EXPECT_EQ(count_marks(d, "square"), 7U);
  // 14186 + 50 and 13817 + 48 participants.
  EXPECT_EQ(p.rows[8].cells, (std::vector<std::string>{"", "14236", "", "13865"}));
}

// The Fleiss 1993 trials in two subgroups by decade, with a double-zero trial in the 1980s:
// RevMan 5's subgroup layout.
TEST(plot_forest_test, revman5_subgroups_have_subtotals_events_footers_and_not_estimable_rows) {
  std::string text = "study,year,events_t,n_t,events_c,n_c,decade\n";
  const std::string rows[] = {
      "MRC-1,1974,49,615,67,624,1970s",       "CDP,1976,44,758,64,771,1970s",
      "MRC-2,1979,102,832,126,850,1970s",     "GASP,1979,32,317,38,309,1970s",
      "PARIS,1980,85,810,52,406,1980s",       "AMIS,1980,246,2267,219,2257,1980s",
      "ISIS-2,1988,1570,8587,1720,8600,1980s"};
  for (const auto& r : rows) text += r + "\n";
  auto csv = parse_csv(text, "fleiss.csv");
  ASSERT_TRUE(csv);
  auto t = make_study_table(
      *csv, {.measure = effect_measure::odds_ratio, .zero_cells = revman5_zero_cells()});
  ASSERT_TRUE(t) << t.error().what();
  auto zcsv = parse_csv(
      "study,year,events_t,n_t,events_c,n_c,decade\nZero 1985,1985,0,50,0,48,1980s\n", "z.csv");
  ASSERT_TRUE(zcsv);
  auto z = make_study_table(
      *zcsv, {.measure = effect_measure::odds_ratio, .zero_cells = escalc_zero_cells()});
  ASSERT_TRUE(z) << z.error().what();
  z->line = {7};  // between AMIS (line 7) and ISIS-2 (line 8)
  pool_options o = preset_options(preset::revman5);
  o.model = model_choice::common;
  auto s = pool_subgroups(*t, "decade", o);
  ASSERT_TRUE(s) << s.error().what();
  forest_content c;
  c.layout = forest_layout::revman5;
  c.not_estimable = *z;
  auto p = forest_from(*s, *t, c);
  ASSERT_TRUE(p) << p.error().what();
  std::vector<std::string> labels;
  for (const auto& r : p->rows) labels.push_back(r.label);
  // Per subgroup: heading, studies, "Subtotal (95% CI)", "Total events", heterogeneity, test;
  // then "Total (95% CI)", "Total events", heterogeneity, test, test for subgroup differences.
  const auto& g1 = s->groups[0].result;
  const auto& g2 = s->groups[1].result;
  auto het = [](const pool_result& r) {
    const auto& h = r.heterogeneity;
    return fmt::format(
        "Heterogeneity: Chi\u00b2 = {:.2f}, df = {:g} (P = {:.2f}); I\u00b2 = {:.0f}%", h.Q, h.df,
        h.p, r.reported_i2());
  };
  const std::vector<std::string> expected = {"Decade: 1970s",
                                             "MRC-1",
                                             "CDP",
                                             "MRC-2",
                                             "GASP",
                                             "Subtotal (95% CI)",
                                             "Total events",
                                             het(g1),
                                             "",  // the test line: checked below
                                             "",
                                             "Decade: 1980s",
                                             "PARIS",
                                             "AMIS",
                                             "Zero 1985",
                                             "ISIS-2",
                                             "Subtotal (95% CI)",
                                             "Total events",
                                             het(g2)};
  ASSERT_GE(labels.size(), expected.size() + 6);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (i == 8) continue;  // the test line's P is formatted by RevMan's rule (checked below)
    EXPECT_EQ(labels[i], expected[i]) << i;
  }
  EXPECT_EQ(labels[8].rfind("Test for overall effect: Z = ", 0), 0U) << labels[8];
  EXPECT_EQ(p->rows[13].note, "Not estimable");
  EXPECT_TRUE(p->rows[13].weights.empty());
  // Participants and events per subgroup (independent sums of the table's columns):
  // 1970s: 615 + 758 + 832 + 317 = 2522 and 624 + 771 + 850 + 309 = 2554; events 227, 295.
  // 1980s with the double-zero trial: 810 + 2267 + 8587 + 50 = 11714 and 406 + 2257 + 8600 + 48
  // = 11311; events 1901, 1991.
  EXPECT_EQ(p->rows[5].cells, (std::vector<std::string>{"", "2522", "", "2554"}));
  EXPECT_EQ(p->rows[6].cells, (std::vector<std::string>{"227", "", "295", ""}));
  EXPECT_EQ(p->rows[15].cells, (std::vector<std::string>{"", "11714", "", "11311"}));
  EXPECT_EQ(p->rows[16].cells, (std::vector<std::string>{"1901", "", "1991", ""}));
  // The subtotal's weight is the subgroup's share; the total's 100%.
  EXPECT_NEAR(p->rows[5].weights[0], s->groups[0].weight_share_common, 1e-12);
  const auto n = labels.size();
  EXPECT_EQ(labels[n - 5], "Total (95% CI)");
  EXPECT_EQ(p->rows[n - 5].cells, (std::vector<std::string>{"", "14236", "", "13865"}));
  EXPECT_EQ(p->rows[n - 4].cells, (std::vector<std::string>{"2128", "", "2286", ""}));
  // Fleiss 1993 as RevMan 5 reports it overall (M-H, Fixed): Chi2 = 9.95, df = 6 (P = 0.13);
  // I2 = 40%; Z = 3.29 (P = 0.001).
  EXPECT_EQ(labels[n - 3], "Heterogeneity: Chi\u00b2 = 9.95, df = 6 (P = 0.13); I\u00b2 = 40%");
  EXPECT_EQ(labels[n - 2], "Test for overall effect: Z = 3.29 (P = 0.001)");
  // Test for subgroup differences, RevMan's wording, I2 = (Q - df)/Q to one decimal.
  const auto& bt = s->between_common;
  const double i2 = std::max(0.0, (bt.Q - bt.df) / bt.Q) * 100;
  EXPECT_EQ(
      labels[n - 1],
      fmt::format("Test for subgroup differences: Chi\u00b2 = {:.2f}, df = {:g} (P = {:.2f}), "
                  "I\u00b2 = {}%",
                  bt.Q, bt.df, bt.p, i2 > 0 ? fmt::format("{:.1f}", i2) : std::string("0")));
  auto d = draw_forest(p->rows, p->options);
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(count_marks(*d, "square"), 7U);
  expect_no_overlaps(*d);
}

// The Lancet writes every number with its mid-line decimal point, footer lines included.
TEST(plot_forest_test, lancet_footer_lines_use_the_mid_point) {
  auto t = bcg();
  auto r = pool(t, options(model_choice::random));
  ASSERT_TRUE(r);
  forest_content c;
  c.layout = forest_layout::lancet;
  auto p = forest_from(*r, t, c);
  ASSERT_TRUE(p);
  auto d = draw_forest(p->rows, p->options);
  ASSERT_TRUE(d);
  int footers = 0;
  for (const auto& s : texts(*d)) {
    if (s.rfind("Heterogeneity", 0) != 0 && s.rfind("Test for", 0) != 0) continue;
    ++footers;
    EXPECT_NE(s.find("\u00b7"), std::string::npos) << s;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      const bool digit_dot_digit = s[i] == '.' &&
                                   std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                                   std::isdigit(static_cast<unsigned char>(s[i + 1]));
      EXPECT_FALSE(digit_dot_digit) << s;
    }
  }
  EXPECT_GE(footers, 2);
}

TEST(plot_forest_test, jama_and_lancet_write_intervals_their_way) {
  auto t = bcg();
  auto r = pool(t, options(model_choice::random));
  ASSERT_TRUE(r);
  for (auto l : {forest_layout::jama, forest_layout::lancet}) {
    forest_content c;
    c.layout = l;
    auto p = forest_from(*r, t, c);
    ASSERT_TRUE(p);
    auto fig = draw_forest(p->rows, p->options);
    ASSERT_TRUE(fig) << fig.error().what();
    const drawing& d = *fig;
    // Aronson 1948: RR 0.41 [0.13, 1.26] (metafor 3.8-1, escalc("RR", ...) of dat.bcg).
    if (l == forest_layout::jama) {
      EXPECT_TRUE(has_text(d, "(0.13-1.26)")) << ::testing::PrintToString(texts(d));
      EXPECT_TRUE(has_text(d, "RR (95% CI)"));
      EXPECT_FALSE(has_text(d, "Weight"));
    } else {
      EXPECT_TRUE(has_text(d, "(0\u00b713\u20131\u00b726)")) << ::testing::PrintToString(texts(d));
      EXPECT_TRUE(has_text(d, "0\u00b741"));
    }
    expect_no_overlaps(d);
  }
  EXPECT_EQ(parse_forest_layout("RevMan5"), forest_layout::revman5);
  EXPECT_EQ(parse_forest_layout("bmj"), std::nullopt);
}

TEST(plot_forest_test, study_ci_as_entered_not_recomputed) {
  // Issue 13 item 8 names an HR of 0.52 (0.36-0.76); recomputed from its SE that interval is
  // 0.52 exp(-+1.96 SE) = [0.3579, 0.7555] (independent computation: SE = (ln 0.76 - ln 0.36) /
  // (2 x 1.959964)), which also prints [0.36, 0.76]. An HR of 0.52 (0.37-0.76), as rounded
  // papers report, recomputes to [0.3628, 0.7453] = [0.36, 0.75]: the figure must show the
  // 0.37 and 0.76 that were entered.
  auto csv = parse_csv("study,hr,lower,upper\nA,0.52,0.36,0.76\nB,0.52,0.37,0.76\n", "hr.csv");
  ASSERT_TRUE(csv);
  auto t = make_study_table(*csv, {});
  ASSERT_TRUE(t) << t.error().what();
  auto r = pool(*t, options(model_choice::common));
  ASSERT_TRUE(r);
  auto p = forest_from(*r, *t, {});
  ASSERT_TRUE(p);
  auto d = draw_forest(p->rows, p->options);
  ASSERT_TRUE(d);
  EXPECT_TRUE(has_text(*d, "[0.36, 0.76]")) << ::testing::PrintToString(texts(*d));
  EXPECT_TRUE(has_text(*d, "[0.37, 0.76]"));
  EXPECT_FALSE(has_text(*d, "[0.36, 0.75]"));
  EXPECT_TRUE(has_text(*d, "Study CIs as reported"));
  // Turned off: recomputed from the SE.
  forest_content off;
  off.ci_as_entered = false;
  auto q = forest_from(*r, *t, off);
  ASSERT_TRUE(q);
  auto e = draw_forest(q->rows, q->options);
  ASSERT_TRUE(e);
  EXPECT_TRUE(has_text(*e, "[0.36, 0.75]")) << ::testing::PrintToString(texts(*e));
  EXPECT_FALSE(has_text(*e, "[0.37, 0.76]"));
  EXPECT_FALSE(has_text(*e, "Study CIs as reported"));
}

}  // namespace layouts

}  // namespace
}  // namespace srma::plot
