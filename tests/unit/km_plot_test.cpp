// The Kaplan-Meier figure: step curves, censoring ticks, bands and digitised points; at-risk
// numbers under their breaks; legend and statistics; edge cases (three arms, one patient, a curve
// that drops to 0, times in the thousands, long arm names); option and data errors; and a golden
// SVG of a small fixed data set (tests/unit/golden/README.md says how to regenerate it).
#include "srma/plot/km_plot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "plot_checks.hpp"
#include "srma/plot/output.hpp"
#include "srma/survival/km_analysis.hpp"

namespace srma::plot {
namespace {

using test::all_text;
using test::count_marks;
using test::expect_clean_layout;
using test::has_text;

constexpr double k_na = std::numeric_limits<double>::quiet_NaN();

// The small data set of the golden figure, typed by hand:
//   Treatment (n = 8): 2+ is censored: times 2, 3+, 5, 5, 8+, 9, 12+, 12+
//   Control   (n = 6): times 1, 2, 4, 6+, 7, 10
// Curves, limits and at-risk numbers from R 4.2.2, survival 3.5-3:
//   d <- data.frame(arm = rep(c("Treatment", "Control"), c(8, 6)),
//                   time = c(2, 3, 5, 5, 8, 9, 12, 12, 1, 2, 4, 6, 7, 10),
//                   event = c(1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1))
//   f <- survfit(Surv(time, event) ~ 1, data = d[d$arm == a, ], conf.type = "log-log")
//   f$time, f$n.risk, f$n.event, f$n.censor, f$surv, f$lower, f$upper
km_curve treatment_curve() {
  km_curve c;
  c.time = {2, 3, 5, 8, 9, 12};
  c.n_risk = {8, 7, 6, 4, 3, 2};
  c.n_event = {1, 0, 2, 0, 1, 0};
  c.n_censor = {0, 1, 0, 1, 0, 2};
  c.surv = {0.875, 0.875, 0.5833333333, 0.5833333333, 0.3888888889, 0.3888888889};
  c.lower = {0.38700001403, 0.38700001403, 0.18018889101,
             0.18018889101, 0.06300281147, 0.06300281147};
  c.upper = {0.9813929659, 0.9813929659, 0.8440686917, 0.8440686917, 0.7242227555, 0.7242227555};
  c.n = 8;
  c.events = 4;
  c.options.conf_type = km_conf_type::log_log;
  return c;
}

km_curve control_curve() {
  km_curve c;
  c.time = {1, 2, 4, 6, 7, 10};
  c.n_risk = {6, 5, 4, 3, 2, 1};
  c.n_event = {1, 1, 1, 0, 1, 1};
  c.n_censor = {0, 0, 0, 1, 0, 0};
  c.surv = {0.8333333333, 0.6666666667, 0.5, 0.5, 0.25, 0};
  // R gives NA for the limits where S = 0.
  c.lower = {0.27312284993, 0.19461663681, 0.11094826035, 0.11094826035, 0.01230951648, k_na};
  c.upper = {0.9747124267, 0.9044341643, 0.8037092369, 0.8037092369, 0.6459485374, k_na};
  c.n = 6;
  c.events = 5;
  c.options.conf_type = km_conf_type::log_log;
  return c;
}

km_plot_content small_content() {
  km_plot_content c;
  // Digitised points: illustrative readings near the treatment curve's corners (fractions).
  c.arms.push_back({"Treatment", treatment_curve(), {0, 2, 5, 9}, {1, 0.87, 0.59, 0.39}});
  c.arms.push_back({"Control", control_curve(), {}, {}});
  // coxph(Surv(time, event) ~ trt, data = d)  (trt = 1 for Treatment; Efron ties), survival
  // 3.5-3: exp(coef) 0.4400283641, 95% CI 0.1172185023 to 1.651829339.
  cox_result cox;
  cox.hr = 0.4400283641;
  cox.loghr = std::log(cox.hr);
  cox.ci_lower = 0.1172185023;
  cox.ci_upper = 1.651829339;
  c.cox = cox;
  // survdiff(Surv(time, event) ~ trt, data = d): chisq 1.705594896, p 0.1915579092.
  logrank_result lr;
  lr.chisq = 1.705594896;
  lr.p = 0.1915579092;
  c.logrank = lr;
  c.treatment = "Treatment";
  c.control = "Control";
  return c;
}

km_plot_options small_options() {
  km_plot_options o;
  o.ci_bands = true;
  o.time_step = 3;
  o.time_title = "Months";
  return o;
}

const layout_box* find_text(const drawing& d, std::string_view s) {
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::text && b.what == s) return &b;
  }
  return nullptr;
}

// The texts on the baseline of `label`, right of it, left to right.
std::vector<layout_box> row_of(const drawing& d, const layout_box& label) {
  std::vector<layout_box> out;
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::text && std::abs(b.box.y - label.box.y) < 1e-6 &&
        b.box.x > label.box.right()) {
      out.push_back(b);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const layout_box& a, const layout_box& b) { return a.box.x < b.box.x; });
  return out;
}

// The bottom axis line, and the tick labels in the line of text under it.
double bottom_axis_y(const drawing& d) {
  for (const auto& b : d.boxes()) {
    if (b.what == "axis" && b.box.width > b.box.height) return b.box.y + b.box.height / 2;
  }
  ADD_FAILURE() << "no bottom axis";
  return 0;
}

std::vector<layout_box> time_tick_labels(const drawing& d, double font_size) {
  const double axis = bottom_axis_y(d);
  std::vector<layout_box> out;
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::text && b.box.y > axis && b.box.y < axis + font_size * 1.2) {
      out.push_back(b);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const layout_box& a, const layout_box& b) { return a.box.x < b.box.x; });
  return out;
}

double centre_x(const layout_box& b) { return b.box.x + b.box.width / 2; }

std::vector<std::string> texts_of(const std::vector<layout_box>& boxes) {
  std::vector<std::string> out;
  for (const auto& b : boxes) out.push_back(b.what);
  return out;
}

TEST(km_plot_test, at_risk_numbers_sit_under_their_breaks) {
  auto fig = draw_km_plot(small_content(), small_options());
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  const auto ticks = time_tick_labels(*fig, 9);
  EXPECT_EQ(texts_of(ticks), (std::vector<std::string>{"0", "3", "6", "9", "12"}));
  ASSERT_NE(find_text(*fig, "Number at risk"), nullptr);
  // summary(f, times = c(0, 3, 6, 9, 12), extend = TRUE)$n.risk, survival 3.5-3 (data above):
  // Treatment 8 7 4 3 2, Control 6 4 3 1 0.
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"Treatment", {"8", "7", "4", "3", "2"}}, {"Control", {"6", "4", "3", "1", "0"}}};
  double previous_row = 0;
  for (const auto& [arm, numbers] : expected) {
    // The at-risk label is the last text of the arm's name (the legend's comes first).
    const layout_box* label = nullptr;
    for (const auto& b : fig->boxes()) {
      if (b.kind == box_kind::text && b.what == arm) label = &b;
    }
    ASSERT_NE(label, nullptr) << arm;
    const auto row = row_of(*fig, *label);
    EXPECT_EQ(texts_of(row), numbers) << arm;
    ASSERT_EQ(row.size(), ticks.size());
    for (std::size_t k = 0; k < row.size(); ++k) {
      EXPECT_NEAR(centre_x(row[k]), centre_x(ticks[k]), 1e-9) << arm << " at " << ticks[k].what;
    }
    // Right-aligned label left of the first number; rows below one another, under the ticks.
    EXPECT_LT(label->box.right(), row.front().box.x);
    EXPECT_GT(label->box.y, previous_row);
    EXPECT_GT(label->box.y, ticks.front().box.bottom());
    previous_row = label->box.y;
  }
  // Treatment's label is drawn in the first colour of the palette (Okabe-Ito blue).
  bool blue_label = false;
  for (const auto& op : fig->ops()) {
    if (const auto* t = std::get_if<drawing::text_op>(&op); t && t->text == "Treatment") {
      blue_label = blue_label || t->style.colour == color{0, 114, 178};
    }
  }
  EXPECT_TRUE(blue_label);
}

TEST(km_plot_test, at_risk_after_the_last_time_counts_those_still_followed) {
  // A curve cut at time 4 with 3 patients still followed (n_risk 5, 1 event, 1 censored at 4).
  km_plot_content c;
  km_curve k;
  k.time = {1, 4};
  k.n_risk = {6, 5};
  k.n_event = {1, 1};
  k.n_censor = {0, 1};
  k.surv = {5.0 / 6, 4.0 / 6};
  k.n = 6;
  c.arms.push_back({"Arm", k, {}, {}});
  km_plot_options o;
  o.time_step = 2;
  o.time_max = 6;
  o.legend = false;
  auto fig = draw_km_plot(c, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  const auto* label = find_text(*fig, "Arm");
  ASSERT_NE(label, nullptr);
  // Breaks 0, 2, 4, 6: 6 at risk at 0 (time 1 is the first >= 0), 5 at 2 and 4 (time 4),
  // 5 - 1 - 1 = 3 after the last time.
  EXPECT_EQ(texts_of(row_of(*fig, *label)), (std::vector<std::string>{"6", "5", "5", "3"}));
}

TEST(km_plot_test, legend_entries) {
  auto fig = draw_km_plot(small_content(), small_options());
  ASSERT_TRUE(fig) << fig.error().what();
  for (const char* s :
       {"Treatment", "Control", "Censored", "Digitised points", "95% pointwise CI"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  EXPECT_EQ(count_marks(*fig, "legend key"), 5u);

  auto o = small_options();
  o.ci_bands = false;
  o.digitised_points = false;
  o.censor_ticks = false;
  auto plain = draw_km_plot(small_content(), o);
  ASSERT_TRUE(plain) << plain.error().what();
  EXPECT_EQ(count_marks(*plain, "legend key"), 2u);
  EXPECT_FALSE(has_text(*plain, "Censored"));
  EXPECT_FALSE(has_text(*plain, "Digitised points"));
  EXPECT_FALSE(has_text(*plain, "95% pointwise CI"));

  o.legend = false;
  auto none = draw_km_plot(small_content(), o);
  ASSERT_TRUE(none) << none.error().what();
  EXPECT_EQ(count_marks(*none, "legend key"), 0u);
  // The arm names remain as the labels of the at-risk table.
  EXPECT_TRUE(has_text(*none, "Treatment"));
}

TEST(km_plot_test, statistics_in_the_panel) {
  auto fig = draw_km_plot(small_content(), small_options());
  ASSERT_TRUE(fig) << fig.error().what();
  // HR and CI as format_effect_ci writes them; p = 0.1915579092 as format_p_clause does.
  const std::string text = all_text(*fig);
  EXPECT_NE(text.find("HR, Treatment vs Control: 0.44 (95% CI 0.12\u20131.65)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("log-rank p = 0.19"), std::string::npos) << text;

  auto c = small_content();
  c.treatment.clear();
  c.cox.reset();
  auto only_p = draw_km_plot(c, small_options());
  ASSERT_TRUE(only_p);
  EXPECT_TRUE(has_text(*only_p, "Log-rank p = 0.19"));
  EXPECT_EQ(all_text(*only_p).find("HR"), std::string::npos);

  auto o = small_options();
  o.statistics = false;
  auto off = draw_km_plot(small_content(), o);
  ASSERT_TRUE(off);
  EXPECT_EQ(all_text(*off).find("log-rank"), std::string::npos);
}

TEST(km_plot_test, step_curves_ticks_bands_and_points) {
  auto fig = draw_km_plot(small_content(), small_options());
  ASSERT_TRUE(fig) << fig.error().what();
  // Censorings: treatment at 3, 8, 12; control at 6.
  EXPECT_EQ(count_marks(*fig, "censoring tick"), 4u);
  EXPECT_EQ(count_marks(*fig, "digitised point"), 4u);
  // Treatment: (0, 1) -> 2 -> drop -> 5 -> drop -> 9 -> drop -> 12: 1 + 2 * 3 + 1 points, each
  // step horizontal then vertical; control drops 5 times and ends at its drop to 0 at 10.
  std::vector<std::vector<point>> paths;
  for (const auto& op : fig->ops()) {
    if (const auto* p = std::get_if<drawing::polyline_op>(&op)) paths.push_back(p->points);
  }
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0].size(), 8u);
  EXPECT_EQ(paths[1].size(), 11u);
  for (const auto& path : paths) {
    for (std::size_t i = 1; i < path.size(); ++i) {
      const bool horizontal = std::abs(path[i].y - path[i - 1].y) < 1e-9;
      const bool vertical = std::abs(path[i].x - path[i - 1].x) < 1e-9;
      EXPECT_TRUE(horizontal != vertical) << "segment " << i;
      EXPECT_GE(path[i].y, path[i - 1].y - 1e-9) << "survival never rises";
    }
  }
  // The control curve ends on the S = 0 line, above the bottom axis (the scale is widened).
  EXPECT_LT(paths[1].back().y, bottom_axis_y(*fig));
  // Bands: one polygon for treatment, one for control (its last limits are NaN), translucent.
  std::size_t bands = 0;
  for (const auto& op : fig->ops()) {
    if (const auto* p = std::get_if<drawing::polygon_op>(&op)) {
      ASSERT_TRUE(p->style.fill.has_value());
      EXPECT_LT(p->style.fill->alpha, 1);
      ++bands;
    }
  }
  EXPECT_EQ(bands, 2u);
  // The two arms differ in dash pattern as well as colour (grey printing).
  std::vector<std::vector<double>> dashes;
  for (const auto& op : fig->ops()) {
    if (const auto* p = std::get_if<drawing::polyline_op>(&op)) dashes.push_back(p->stroke.dash);
  }
  EXPECT_NE(dashes[0], dashes[1]);
}

TEST(km_plot_test, survival_axis_labels) {
  auto fig = draw_km_plot(small_content(), small_options());
  ASSERT_TRUE(fig);
  for (const char* s : {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0", "Survival probability"}) {
    EXPECT_TRUE(has_text(*fig, s)) << s;
  }
  auto o = small_options();
  o.percent = true;
  o.survival_title = "Overall survival";
  auto pct = draw_km_plot(small_content(), o);
  ASSERT_TRUE(pct);
  expect_clean_layout(*pct);
  for (const char* s : {"0%", "20%", "100%", "Overall survival"}) {
    EXPECT_TRUE(has_text(*pct, s)) << s;
  }
  EXPECT_FALSE(has_text(*pct, "1.0"));
}

TEST(km_plot_test, automatic_time_breaks_are_round_and_cover_the_data) {
  auto o = small_options();
  o.time_step.reset();
  auto fig = draw_km_plot(small_content(), o);
  ASSERT_TRUE(fig) << fig.error().what();
  const auto ticks = texts_of(time_tick_labels(*fig, 9));
  ASSERT_GE(ticks.size(), 3u);
  EXPECT_EQ(ticks.front(), "0");
  EXPECT_GE(std::stod(ticks.back()), 12);  // the last time of the data
  // time_max cuts the axis and the curves; breaks stay round and do not pass it.
  o.time_max = 7;
  auto cut = draw_km_plot(small_content(), o);
  ASSERT_TRUE(cut) << cut.error().what();
  expect_clean_layout(*cut);
  for (const auto& t : texts_of(time_tick_labels(*cut, 9))) EXPECT_LE(std::stod(t), 7) << t;
  // Censorings at 3 and 6 only.
  EXPECT_EQ(count_marks(*cut, "censoring tick"), 2u);
}

// Edge cases, each drawn without an overlapping text and deterministically.
km_curve curve_of(std::vector<double> time, std::vector<int> event) {
  auto k = kaplan_meier(time, event);
  EXPECT_TRUE(k) << k.error().what();
  return *k;
}

TEST(km_plot_test, three_arms_long_names_and_times_in_the_thousands) {
  km_plot_content c;
  c.arms.push_back(
      {"Pembrolizumab 200 mg every 3 weeks plus platinum-based chemotherapy",
       curve_of({120, 340, 560, 800, 1500, 2100, 2600, 3300}, {1, 0, 1, 1, 0, 1, 0, 0}),
       {},
       {}});
  c.arms.push_back({"Placebo plus chemotherapy",
                    curve_of({90, 200, 310, 450, 700, 1200, 1900}, {1, 1, 1, 0, 1, 1, 1}),
                    {},
                    {}});
  c.arms.push_back(
      {"Observation", curve_of({60, 150, 400, 950, 1800, 2900}, {1, 1, 0, 1, 1, 0}), {}, {}});
  km_plot_options o;
  o.time_title = "Days since randomisation";
  o.ci_bands = true;
  auto fig = draw_km_plot(c, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_TRUE(has_text(*fig, "3000"));
  // The long name wraps in the at-risk table, so the panel is not pushed far right.
  EXPECT_TRUE(has_text(*fig, "Observation"));
  EXPECT_LT(fig->width(), 520);
  test::expect_deterministic([&] { return draw_km_plot(c, o); });
}

TEST(km_plot_test, one_patient_and_a_curve_that_drops_to_zero) {
  km_plot_content c;
  c.arms.push_back({"One patient", curve_of({5}, {1}), {}, {}});
  c.arms.push_back({"All fail",
                    curve_of({1, 2, 3, 4, 6, 7}, {1, 0, 1, 1, 1, 1}),
                    {0, 1, 3, 4, 6},
                    {1, 0.83, 0.62, 0.42, 0.2}});
  c.arms.push_back({"One censored", curve_of({3}, {0}), {}, {}});
  km_plot_options o;
  o.ci_bands = true;
  o.title = "Edge cases";
  auto fig = draw_km_plot(c, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  const auto* label = find_text(*fig, "One patient");
  ASSERT_NE(label, nullptr);
  const auto* one = [&] {
    const layout_box* last = nullptr;
    for (const auto& b : fig->boxes()) {
      if (b.kind == box_kind::text && b.what == "One patient") last = &b;
    }
    return last;
  }();
  const auto row = texts_of(row_of(*fig, *one));
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(row.front(), "1");
  EXPECT_EQ(row.back(), "0");
  test::expect_deterministic([&] { return draw_km_plot(c, o); });
}

TEST(km_plot_test, legend_and_statistics_go_above_a_crowded_panel) {
  // Curves that cross the whole panel leave no free corner for a wide legend.
  km_plot_content c = small_content();
  c.arms[0].name = "An arm whose name is far too long to fit beside the curves";
  auto o = small_options();
  o.panel_width = 160;
  o.panel_height = 120;
  auto fig = draw_km_plot(c, o);
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  // The legend keys lie above the panel (above the top of the left axis line).
  double axis_top = 0;
  for (const auto& b : fig->boxes()) {
    if (b.what == "axis" && b.box.height > b.box.width) axis_top = b.box.y;
  }
  for (const auto& b : fig->boxes()) {
    if (b.what == "legend key") {
      EXPECT_LT(b.box.bottom(), axis_top);
    }
  }
}

TEST(km_plot_test, sizes) {
  auto o = small_options();
  o.width = 600;
  o.height = 450;
  auto fig = draw_km_plot(small_content(), o);
  ASSERT_TRUE(fig) << fig.error().what();
  EXPECT_DOUBLE_EQ(fig->width(), 600);
  EXPECT_DOUBLE_EQ(fig->height(), 450);
  expect_clean_layout(*fig);

  o.width = 120;
  auto small = draw_km_plot(small_content(), o);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().id, errc::plot_too_small);

  // Breaks every 0.5 at 9 pt cannot be labelled in a 100 pt panel.
  o = small_options();
  o.time_step = 0.5;
  o.panel_width = 100;
  auto narrow = draw_km_plot(small_content(), o);
  ASSERT_FALSE(narrow);
  EXPECT_EQ(narrow.error().id, errc::plot_too_small);
  EXPECT_NE(narrow.error().message.find("time breaks every 0.5 need a panel at least"),
            std::string::npos)
      << narrow.error().message;
  // Without a fixed width the panel grows instead.
  o.panel_width = 0;
  auto grown = draw_km_plot(small_content(), o);
  ASSERT_TRUE(grown) << grown.error().what();
  expect_clean_layout(*grown);
}

TEST(km_plot_test, invalid_options_are_rejected) {
  const auto c = small_content();
  auto expect_option_error = [&](const km_plot_options& o, const std::string& message) {
    auto fig = draw_km_plot(c, o);
    ASSERT_FALSE(fig);
    EXPECT_EQ(fig.error().id, errc::plot_bad_options);
    EXPECT_EQ(fig.error().what(), "[srma.plot.E504] " + message);
  };
  km_plot_options o;
  o.font_size = 2;
  expect_option_error(o, "font size is 2, but must be between 4 and 40");
  o = {};
  o.time_max = -1;
  expect_option_error(o, "time axis maximum is -1, but must be a finite number > 0");
  o = {};
  o.time_step = 0;
  expect_option_error(o, "time step is 0, but must be a finite number > 0");
  o = {};
  o.time_step = 10;
  o.time_max = 5;
  expect_option_error(o, "time step 10 is larger than the time axis maximum 5");
  o = {};
  o.height = -1;
  expect_option_error(o, "sizes must not be negative");
  o = {};
  o.time_step = 0.1;
  expect_option_error(o,
                      "a time step of 0.1 gives 121 breaks from 0 to 12, but at most 50 fit "
                      "under a figure; choose a larger step");
  EXPECT_EQ(km_plot_options{}.validate(), "");
}

TEST(km_plot_test, empty_or_inconsistent_content_is_rejected) {
  auto expect_data_error = [](const km_plot_content& c, const km_plot_options& o,
                              const std::string& message) {
    auto fig = draw_km_plot(c, o);
    ASSERT_FALSE(fig);
    EXPECT_EQ(fig.error().id, errc::plot_bad_data);
    EXPECT_EQ(fig.error().message, message);
  };
  const km_plot_options o;
  expect_data_error({}, o, "no arm to draw in the Kaplan-Meier plot");

  auto c = small_content();
  c.arms[1].curve = {};
  c.arms[1].name.clear();
  expect_data_error(c, o, "arm 'Arm 2' has an empty Kaplan-Meier curve (no times)");

  c = small_content();
  c.arms[0].curve.surv.pop_back();
  expect_data_error(c, o,
                    "arm 'Treatment': the curve's columns have different lengths (time 6, "
                    "n_risk 6, n_event 6, n_censor 6, surv 5); they must be equal");

  c = small_content();
  c.arms[0].curve.time[2] = 2;
  expect_data_error(c, o,
                    "arm 'Treatment': time 3 is 2, but times must be finite, >= 0 and "
                    "increasing");

  c = small_content();
  c.arms[1].curve.surv[0] = 83.3;
  expect_data_error(c, o, "arm 'Control': survival 1 (time 1) is 83.3, but must be in [0, 1]");

  c = small_content();
  c.arms[1].curve.n_risk[0] = -6;
  expect_data_error(c, o,
                    "arm 'Control': n_risk 1 (time 1) is -6, but must be a finite count >= 0");

  c = small_content();
  c.arms[1].curve.lower.clear();
  auto bands = o;
  bands.ci_bands = true;
  expect_data_error(c, bands,
                    "confidence bands were asked for, but arm 'Control' has 0 lower and 6 upper "
                    "limits for 6 times");

  c = small_content();
  c.arms[0].digitised_survival.pop_back();
  expect_data_error(c, o, "arm 'Treatment' has 4 digitised times but 3 digitised survival values");

  c = small_content();
  c.arms[0].digitised_survival[1] = 87;
  expect_data_error(c, o,
                    "arm 'Treatment': digitised point 2 is (2, 87), but needs a finite time >= 0 "
                    "and a survival in [0, 1] (a fraction, not a percentage)");

  c = small_content();
  c.cox->ci_upper = std::numeric_limits<double>::infinity();
  expect_data_error(c, o,
                    "the Cox model's HR 0.440028 with CI 0.117219 to inf at level 0.95: the HR and "
                    "its limits must be finite and > 0, the level in (0, 1)");

  c = small_content();
  c.logrank->p = k_na;
  expect_data_error(c, o, "the log-rank p-value is nan, but must be in [0, 1]");
}

TEST(km_plot_test, content_from_a_two_arm_analysis) {
  // The small data set above as patient data; analyse_two_arms runs Kaplan-Meier, Cox, log-rank.
  survival_data d;
  const std::vector<double> t = {2, 3, 5, 5, 8, 9, 12, 12, 1, 2, 4, 6, 7, 10};
  const std::vector<int> e = {1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1};
  for (std::size_t i = 0; i < t.size(); ++i) d.add(i < 8 ? "Treatment" : "Control", t[i], e[i]);
  auto a = analyse_two_arms(d, "Treatment", "Control");
  ASSERT_TRUE(a) << a.error().what();
  const auto c = km_plot_from(*a);
  ASSERT_EQ(c.arms.size(), 2u);
  EXPECT_EQ(c.arms[0].name, "Treatment");
  EXPECT_EQ(c.arms[1].name, "Control");
  EXPECT_EQ(c.treatment, "Treatment");
  EXPECT_EQ(c.control, "Control");
  ASSERT_TRUE(c.cox && c.logrank);
  // coxph HR 0.4400283641 (survival 3.5-3, see small_content); to 1e-6 as the survival tests.
  EXPECT_NEAR(c.cox->hr, 0.4400283641, 1e-6);
  auto fig = draw_km_plot(c, small_options());
  ASSERT_TRUE(fig) << fig.error().what();
  expect_clean_layout(*fig);
  EXPECT_NE(all_text(*fig).find("HR, Treatment vs Control: 0.44 (95% CI 0.12\u20131.65)"),
            std::string::npos);
}

// The golden figure: the small data set with bands, digitised points, HR and log-rank p, breaks
// every 3. Regenerate with UPDATE_GOLDENS=1 (tests/unit/golden/README.md) and review the diff.
TEST(km_plot_test, golden_svg) {
  auto fig = draw_km_plot(small_content(), small_options());
  ASSERT_TRUE(fig) << fig.error().what();
  const std::string svg = render_svg(*fig);
  const std::string path = std::string(SRMA_SOURCE_DIR) + "/tests/unit/golden/km_plot_small.svg";
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
