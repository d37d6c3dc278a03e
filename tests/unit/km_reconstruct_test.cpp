// Guyot reconstruction (srma/survival/km_reconstruct.hpp): reading points and at-risk tables with
// located errors, the cleaning log (each change counted), small curves reconstructed by hand,
// one test per pitfall of the algorithm (docs/methods.md, "Patient data from Kaplan-Meier
// curves"), and a sweep of odd inputs that must end with whole, non-negative counts.
//
// Every expected count below is traced by hand in the comment above it with Guyot's equations:
// d_k = round(n_k (1 - S_k / KM_last)), KM_k = KM_last (1 - d_k / n_k), n_{k+1} = n_k - d_k - c_k.
#include "srma/survival/km_reconstruct.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/survival/ipd.hpp"

namespace srma {
namespace {

digitised_curve curve_of(std::vector<double> t, std::vector<double> s) {
  digitised_curve c;
  c.time = std::move(t);
  c.survival = std::move(s);
  return c;
}

at_risk_table nar_of(std::vector<double> t, std::vector<double> n) {
  at_risk_table a;
  a.time = std::move(t);
  a.n = std::move(n);
  return a;
}

// Patients of a reconstruction with time == t (events or censored).
int count_at(const arm_reconstruction& r, double t, int event) {
  int n = 0;
  for (std::size_t i = 0; i < r.time.size(); ++i) n += r.time[i] == t && r.event[i] == event;
  return n;
}

bool has_warning(const arm_reconstruction& r, const std::string& part) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

std::string all_warnings(const arm_reconstruction& r) {
  std::string out;
  for (const auto& w : r.warnings) out += w + "\n";
  return out;
}

expected<digitised_curve> points_from(const std::string& text) {
  auto csv = parse_csv(text, "pts.csv");
  if (!csv) return unexpected(csv.error());
  return make_digitised_curve(*csv);
}

expected<at_risk_table> nar_from(const std::string& text) {
  auto csv = parse_csv(text, "nar.csv");
  if (!csv) return unexpected(csv.error());
  return make_at_risk_table(*csv);
}

// ---- Reading --------------------------------------------------------------------------------

TEST(km_reconstruct_test, reads_points_with_any_spelling_of_the_columns) {
  auto c = points_from("Time,S\n0,1\n1.5,0.9\n");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->source, "pts.csv");
  EXPECT_EQ(c->time, (std::vector<double>{0, 1.5}));
  EXPECT_EQ(c->survival, (std::vector<double>{1, 0.9}));
  EXPECT_EQ(c->line, (std::vector<int>{2, 3}));
  auto semicolon = points_from("time;surv\n0;100\n1,5;90\n");  // decimal comma, percent
  ASSERT_TRUE(semicolon) << semicolon.error().what();
  EXPECT_EQ(semicolon->time, (std::vector<double>{0, 1.5}));
  EXPECT_EQ(semicolon->survival, (std::vector<double>{100, 90}));
}

TEST(km_reconstruct_test, point_errors_are_located) {
  EXPECT_EQ(points_from("time,y\n0,1\n1,0.9\n").error().what(),
            "[srma.survival.E904] pts.csv:1: no column 'survival': digitised points need the "
            "columns time, survival");
  EXPECT_EQ(points_from("t,survival\n0,1\n").error().what(),
            "[srma.survival.E904] pts.csv:1: no column 'time': digitised points need the columns "
            "time, survival");
  EXPECT_EQ(points_from("time,survival\n0,1\n1,abc\n").error().what(),
            "[srma.survival.E904] pts.csv:3:2: survival is 'abc', but must be a number from 0 to "
            "1 (or from 0 to 100 as a percentage)");
  EXPECT_EQ(points_from("time,survival\n0,1\n1,100.5\n").error().what(),
            "[srma.survival.E904] pts.csv:3:2: survival is '100.5', but must be a number from 0 "
            "to 1 (or from 0 to 100 as a percentage)");
  EXPECT_EQ(points_from("time,survival\n-0.5,1\n1,0.9\n").error().what(),
            "[srma.survival.E904] pts.csv:2:1: time is '-0.5', but must be a finite number >= 0");
  EXPECT_EQ(points_from("time,survival\n0,1\n").error().what(),
            "[srma.survival.E904] pts.csv:1: 1 point, but a curve needs at least two");
}

TEST(km_reconstruct_test, reads_at_risk_tables) {
  auto a = nar_from("\"time\",\"NAR\"\n0,206\n3,183\n");
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_EQ(a->time, (std::vector<double>{0, 3}));
  EXPECT_EQ(a->n, (std::vector<double>{206, 183}));
  EXPECT_EQ(a->line, (std::vector<int>{2, 3}));
  for (const char* name : {"n", "n_risk", "at_risk"}) {
    auto b = nar_from(std::string("time,") + name + "\n0,10\n");
    EXPECT_TRUE(b) << name;
  }
}

TEST(km_reconstruct_test, at_risk_errors_are_located) {
  EXPECT_EQ(nar_from("time,count\n0,10\n").error().what(),
            "[srma.survival.E905] nar.csv:1: no column 'nar': numbers at risk need the columns "
            "time, nar");
  EXPECT_EQ(nar_from("time,nar\n").error().what(),
            "[srma.survival.E905] nar.csv:1: no numbers at risk: the table has a header but no "
            "rows");
  EXPECT_EQ(nar_from("time,nar\n0,10\n3,8.5\n").error().what(),
            "[srma.survival.E905] nar.csv:3:2: the number at risk is '8.5', but must be a whole "
            "number >= 0");
  EXPECT_EQ(nar_from("time,nar\n0,10\n3,-1\n").error().what(),
            "[srma.survival.E905] nar.csv:3:2: the number at risk is '-1', but must be a whole "
            "number >= 0");
  EXPECT_EQ(nar_from("time,nar\n0,10\n3,8\n3,7\n").error().what(),
            "[srma.survival.E905] nar.csv:4:1: time is 3, but must be greater than the time "
            "before it (3 on line 3)");
  EXPECT_EQ(nar_from("time,nar\n0,10\n3,8\n6,9\n").error().what(),
            "[srma.survival.E905] nar.csv:4:2: the number at risk is 9, but must not exceed the "
            "one before it (8 at time 3, line 3)");
  EXPECT_EQ(nar_from("time,nar\n0,10\nx,8\n").error().what(),
            "[srma.survival.E905] nar.csv:3:1: time is 'x', but must be a finite number >= 0");
}

TEST(km_reconstruct_test, missing_file_is_a_csv_error) {
  auto c = read_digitised_curve("/nonexistent/points.csv");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().family(), "csv");
  auto a = read_at_risk("/nonexistent/nar.csv");
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().family(), "csv");
}

// ---- Cleaning -------------------------------------------------------------------------------

TEST(km_reconstruct_test, a_clean_curve_is_left_alone) {
  auto c = clean_curve(curve_of({0, 1, 1, 2}, {1, 1, 0.8, 0.8}));
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->time, (std::vector<double>{0, 1, 1, 2}));
  EXPECT_EQ(c->survival, (std::vector<double>{1, 1, 0.8, 0.8}));
  EXPECT_EQ(c->log.points_in, 4U);
  EXPECT_EQ(c->log.points_out, 4U);
  EXPECT_EQ(c->log.scale, survival_scale::fraction);
  EXPECT_TRUE(c->log.messages().empty());
}

TEST(km_reconstruct_test, cleaning_counts_each_change) {
  // In percent (97 > 1.5); out of order (3 before 2); 100.4 and -0.2 outside [0, 100] after
  // reading in memory; (2, 90) twice; (4, 85) above (3, 80); no point at time 0.
  auto c = clean_curve(curve_of({0.5, 1, 3, 2, 2, 4, 5, 6}, {100.4, 97, 80, 90, 90, 85, 70, -0.2}));
  ASSERT_TRUE(c) << c.error().what();
  const auto& log = c->log;
  EXPECT_EQ(log.scale, survival_scale::percent);
  EXPECT_TRUE(log.reordered);
  EXPECT_EQ(log.clamped, 2U);
  EXPECT_EQ(log.duplicates_dropped, 1U);
  EXPECT_EQ(log.made_monotone, 1U);
  EXPECT_TRUE(log.start_added);
  EXPECT_EQ(log.points_in, 8U);
  EXPECT_EQ(log.points_out, 8U);  // 8 - 1 duplicate + the start
  EXPECT_EQ(c->time, (std::vector<double>{0, 0.5, 1, 2, 3, 4, 5, 6}));
  const std::vector<double> expected_s = {1, 1, 0.97, 0.9, 0.8, 0.8, 0.7, 0};
  ASSERT_EQ(c->survival.size(), expected_s.size());
  for (std::size_t i = 0; i < expected_s.size(); ++i)
    EXPECT_NEAR(c->survival[i], expected_s[i], 1e-15) << i;
  EXPECT_EQ(log.messages(),
            (std::vector<std::string>{
                "survival read as percentages (a value above 1.5) and divided by 100",
                "points sorted by time",
                "2 values moved into range (survival into [0, 1], times below 0 to 0)",
                "1 repeated point dropped",
                "1 point above an earlier point lowered to it, so that the curve does not rise",
                "the start (0, 1) added"}));
}

TEST(km_reconstruct_test, cleaning_puts_the_top_of_a_drop_first_and_clamps_negative_times) {
  // Both corners of a drop at t = 2 given bottom first; a time of -0.01 from digitising noise.
  auto c = clean_curve(curve_of({-0.01, 2, 2, 3}, {1, 0.6, 0.9, 0.6}));
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->time, (std::vector<double>{0, 2, 2, 3}));
  EXPECT_EQ(c->survival, (std::vector<double>{1, 0.9, 0.6, 0.6}));
  EXPECT_TRUE(c->log.reordered);
  EXPECT_EQ(c->log.clamped, 1U);
  EXPECT_EQ(c->log.made_monotone, 0U);
  EXPECT_FALSE(c->log.start_added);
}

TEST(km_reconstruct_test, cleaning_errors) {
  digitised_curve c = curve_of({0, 1}, {1});
  c.source = "pts.csv";
  EXPECT_EQ(clean_curve(c).error().what(),
            "[srma.survival.E904] pts.csv: the curve has 2 times and 1 survival values; they "
            "must have the same length");
  c = curve_of({0, 1, NAN}, {1, 0.9, 0.8});
  c.source = "pts.csv";
  c.line = {2, 3, 4};
  EXPECT_EQ(clean_curve(c).error().what(),
            "[srma.survival.E904] pts.csv:4: point 3 is (nan, 0.8), but time and survival must "
            "be finite numbers");
  EXPECT_EQ(clean_curve(curve_of({0, 0}, {1, 0.5})).error().what(),
            "[srma.survival.E904] every point lies at time 0, but a curve needs points after its "
            "start");
  EXPECT_EQ(clean_curve(curve_of({}, {})).error().id, errc::survival_bad_points);
}

// ---- Small curves by hand -------------------------------------------------------------------

TEST(km_reconstruct_test, no_censoring_gives_the_exact_events) {
  // 10 patients, deaths 1 at t = 1, 2 at t = 2, 1 at t = 3, the other 6 followed to t = 4:
  // S = 0.9, 0.7, 0.6. Both corners of each drop and the end of the curve are given, with the
  // numbers at risk 10, 9, 6 at 0, 2, 4.
  //   [0, 2): first guess round(10 * 0.9 / 1 - 9) = 0 censored; d = round(10 (1 - 0.9)) = 1 at
  //           t = 1; 9 at risk at t = 2 as printed.
  //   [2, 4): round(9 * 0.6 / 0.9 - 6) = 0; d = round(9 (1 - 0.7 / 0.9)) = 2 at t = 2, KM 0.7;
  //           d = round(7 (1 - 0.6 / 0.7)) = 1 at t = 3; 6 at risk at t = 4.
  //   [4, 4]: one point, no events; the 6 left are censored at t = 4.
  digitised_arm arm;
  arm.name = "A";
  arm.curve = curve_of({0, 1, 1, 2, 2, 3, 3, 4}, {1, 1, 0.9, 0.9, 0.7, 0.7, 0.6, 0.6});
  arm.at_risk = nar_of({0, 2, 4}, {10, 9, 6});
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->name, "A");
  EXPECT_EQ(r->time.size(), 10U);
  EXPECT_EQ(count_at(*r, 1, 1), 1);
  EXPECT_EQ(count_at(*r, 2, 1), 2);
  EXPECT_EQ(count_at(*r, 3, 1), 1);
  EXPECT_EQ(count_at(*r, 4, 0), 6);
  EXPECT_EQ(r->events, 4);
  EXPECT_FALSE(r->events_reported);
  ASSERT_EQ(r->at_risk.size(), 3U);
  for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << c.time;
  EXPECT_NEAR(r->max_abs_error, 0, 1e-12);
  EXPECT_TRUE(r->warnings.empty()) << all_warnings(*r);
}

TEST(km_reconstruct_test, censoring_is_spread_evenly_within_an_interval) {
  // 10 patients; the curve drops to 0.9 at t = 1 and to 0.9 * 6/7 at t = 3, ends at t = 4; at
  // risk 10, 7, 6 at 0, 2, 4.
  //   [0, 2) holds the points at 0, 1, 1 (the next one, at t = 3, is lower_2): first guess
  //   round(10 * 0.9 - 7) = 2 censored, spread over the at-risk interval at 0 + j * 2 / 3 = 2/3
  //   and 4/3. Right-closed bins (t_k, t_k+1]: 2/3 goes to (0, 1] (before the drop at 1), 4/3
  //   to (1, 3]. Then d = round(9 * 0.1) = 1 at t = 1 (KM 8/9), and 10 - 1 - 2 = 7 at risk at
  //   t = 2, as printed.
  //   [2, 4): round(7 * (0.9 * 6/7) / 0.9 - 6) = 0; d = round(7 (1 - 0.7714 / 0.8889)) = 1 at
  //   t = 3 (KM 8/9 * 6/7); 6 at risk at t = 4.
  // Censored at the midpoints of their gaps, the second one of (1, min(3, T = 2)) so that it
  // has left before the at-risk time 2: at 0.5 and 1.5.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 3, 3, 4}, {1, 1, 0.9, 0.9, 0.9 * 6 / 7, 0.9 * 6 / 7});
  arm.at_risk = nar_of({0, 2, 4}, {10, 7, 6});
  for (auto span : {censoring_span::at_risk_interval, censoring_span::points}) {
    // Guyot's spacing, over (0, 3) up to the next interval's first point: 1 and 2, which fall
    // into the same bins here.
    reconstruct_options options;
    options.span = span;
    auto r = reconstruct_arm(arm, options);
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(count_at(*r, 0.5, 0), 1) << to_string(span);
    EXPECT_EQ(count_at(*r, 1, 1), 1) << to_string(span);
    EXPECT_EQ(count_at(*r, 1.5, 0), 1) << to_string(span);
    EXPECT_EQ(count_at(*r, 3, 1), 1) << to_string(span);
    EXPECT_EQ(count_at(*r, 4, 0), 6) << to_string(span);
    for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << c.time;
    // The even-spacing assumption moves the curve: |0.9 - 8/9| at t = 1.
    EXPECT_NEAR(r->max_abs_error, 0.9 - 8.0 / 9, 1e-12);
  }
}

TEST(km_reconstruct_test, censoring_can_fall_before_the_first_point_of_an_interval) {
  // 20 patients, at risk 20 at 0 and 10 at 4; the only points after 0 are the corners of a drop
  // at t = 3 (to 0.9) and the end at t = 5.
  //   At-risk interval spacing: the first guess round(20 * 0.9 - 10) = 8 censorings fall at
  //   4j/9 over [0, 4): 6 up to 8/3 before the drop (bin (0, 3]), 2 after. d = round(14 * 0.1)
  //   = 1 at t = 3, and 20 - 1 - 8 = 11 at t = 4; the loop adds one: 9 at 4j/10, 7 before the
  //   drop (2.8 < 3), d = round(13 * 0.1) = 1, 20 - 1 - 9 = 10. The last interval [4, 5] takes
  //   the earlier rate 9 / 4 over (4, 5): round(2.25) = 2 censored before its only point, at
  //   4.5; 8 are left at t = 5.
  //   Guyot's spacing (points) spreads the 8 over (0, 5) up to the next point: 5 before the
  //   drop, d = round(15 (1 - 0.9)) = round(1.4999999999999996) = 1 (1 - 0.9 is just below 0.1
  //   in binary, in R as here), 15 - 1 - 3 = 11 at t = 4; the loop adds one: 9 at 5j/10, 6
  //   before the drop, d = round(1.4) = 1, 14 - 1 - 3 = 10. The last interval spans the single
  //   point t = 5, so no censoring there: 10 left at t = 5.
  digitised_arm arm;
  arm.curve = curve_of({0, 3, 3, 5}, {1, 1, 0.9, 0.9});
  arm.at_risk = nar_of({0, 4}, {20, 10});
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(count_at(*r, 3, 1), 1);
  EXPECT_EQ(count_at(*r, 4.5, 0), 2);
  EXPECT_EQ(count_at(*r, 5, 0), 8);
  for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << c.time;
  reconstruct_options guyot;
  guyot.span = censoring_span::points;
  r = reconstruct_arm(arm, guyot);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(count_at(*r, 3, 1), 1);
  EXPECT_EQ(count_at(*r, 4.5, 0), 0);
  EXPECT_EQ(count_at(*r, 5, 0), 10);
  for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << c.time;
}

TEST(km_reconstruct_test, rounds_half_to_even_as_r_does) {
  // No at-risk table, n = 2, a drop to 0.75: d = round(2 * 0.25) = round(0.5) = 0 in R (IEC
  // 60559, half to even), where std::round would give 1.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 2}, {1, 1, 0.75, 0.75});
  arm.n = 2;
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->events, 0);
  // n = 6: round(6 * 0.25) = round(1.5) = 2.
  arm.n = 6;
  r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->events, 2);
  // n = 10: round(10 * 0.25) = round(2.5) = 2.
  arm.n = 10;
  r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->events, 2);
}

// ---- Pitfalls (docs/methods.md) -------------------------------------------------------------

TEST(km_reconstruct_test, pitfall_non_monotone_points_give_no_negative_events) {
  // (1.5, 0.95) lies above (1, 0.9): Guyot's d = round(n (1 - 0.95 / 0.9)) would be negative.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 1.5, 2, 2, 3}, {1, 1, 0.9, 0.95, 0.9, 0.8, 0.8});
  arm.at_risk = nar_of({0}, {20});
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->cleaning.made_monotone, 1U);
  // d = round(20 * 0.1) = 2 at t = 1 and round(18 (1 - 0.8 / 0.9)) = 2 at t = 2.
  EXPECT_EQ(count_at(*r, 1, 1), 2);
  EXPECT_EQ(count_at(*r, 1.5, 1), 0);
  EXPECT_EQ(count_at(*r, 2, 1), 2);
  EXPECT_EQ(r->time.size(), 20U);
}

TEST(km_reconstruct_test, pitfall_interval_without_points_gets_a_point_on_the_flat_curve) {
  // No point in [2, 2.5): the curve is flat there at 0.9 (the drop to 0.8 is shown at 3), so the
  // point (2, 0.9) is added and the count at 2 is used, not merged away.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 3, 3, 4}, {1, 1, 0.9, 0.9, 0.8, 0.8});
  arm.at_risk = nar_of({0, 2, 2.5, 4}, {20, 17, 16, 12});
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_TRUE(r->warnings.empty()) << all_warnings(*r);
  ASSERT_EQ(r->at_risk.size(), 4U);
  EXPECT_EQ(r->at_risk[1].time, 2);
  for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << c.time;
  // [0, 2): first guess round(20 * 0.9 / 1 - 17) = 1 censored at 1, counted into (0, 1], so 19
  // at risk at the drop: d = round(19 * 0.1) = 2 and 19 - 2 = 17 at 2. [2, 2.5): round(17 * 0.9
  // / 0.9 - 16) = 1 censored at 2.25, no drop. [2.5, 4): round(16 * 0.8 / 0.9 - 12) = 2
  // censored at 3 and 3.5; the first leaves before the drop at 3, so d = round(15 (1 - 0.8 /
  // 0.8947)) = round(1.588) = 2 (KM^ = 1 - 2 / 19 = 0.8947), and 15 - 2 - 1 = 12 at 4.
  EXPECT_EQ(count_at(*r, 1, 1), 2);
  EXPECT_EQ(count_at(*r, 3, 1), 2);
  EXPECT_EQ(count_at(*r, 2.25, 0), 1);
  EXPECT_EQ(count_at(*r, 4, 0), 12);
  EXPECT_EQ(r->time.size(), 20U);
}

TEST(km_reconstruct_test, pitfall_at_risk_times_after_the_last_point_extend_a_flat_curve) {
  // 10 patients at risk at 4 although the points end at 3.5: they were followed to 4 at least,
  // with no drop after 3.5, so the curve is extended flat to 4 and that count is used. The count
  // 0 at 6 says nothing more and is left out.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 3.5}, {1, 1, 0.9, 0.9});
  arm.at_risk = nar_of({0, 2, 4, 6}, {20, 15, 10, 0});
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_TRUE(has_warning(*r,
                          "10 patients are at risk at 4, after the last point (time 3.5): the "
                          "curve was extended flat to 4"))
      << all_warnings(*r);
  EXPECT_TRUE(has_warning(*r,
                          "the number at risk at 6 lies after the last point (time 4) and was "
                          "not used"))
      << all_warnings(*r);
  ASSERT_EQ(r->at_risk.size(), 3U);
  EXPECT_EQ(r->at_risk[2].time, 4);
  for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << c.time;
  // [0, 2): round(20 * 0.9 - 15) = 3 censored at 0.5, 1, 1.5; 18 at risk at the drop at 1:
  // d = round(1.8) = 2, 18 - 2 - 1 = 15 at 2. [2, 4): round(15 - 10) = 5 censored at
  // 2 + 2j / 6, four of them before the point at 3.5; nobody dies. The 10 left are censored at 4
  // (before, they were censored at 3.5 and the count at 4 was lost).
  EXPECT_EQ(count_at(*r, 1, 1), 2);
  EXPECT_EQ(count_at(*r, 4, 0), 10);
  EXPECT_EQ(r->time.size(), 20U);
  // Counts of 0 after the last point are all that is left: not used, as before.
  arm.at_risk = nar_of({0, 2, 4, 6}, {20, 15, 0, 0});
  r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_TRUE(has_warning(*r,
                          "the numbers at risk at 4 and 6 lie after the last point (time 3.5) "
                          "and were not used"))
      << all_warnings(*r);
  ASSERT_EQ(r->at_risk.size(), 2U);
  // After 2: Guyot's rate, 3 censored in [0, 2) = 1.5 per unit, gives round(1.5 * 1.5) = 2
  // censored in (2, 3.5); the other 13 are censored at the last point.
  EXPECT_EQ(count_at(*r, 3.5, 0), 13);
}

TEST(km_reconstruct_test, last_interval_censoring_is_fitted_when_the_rate_misses_a_drop) {
  // 8 of 20 censored in [0, 2) give Guyot's rate 4 per unit, i.e. min(round(4 * (6 - 2)), 10) =
  // 10 censored in (2, 6): all of them before the drop at 5.9 (at 2 + 4j / 11), so nobody is left
  // for it and the rebuilt curve stays at 0.875 where the points fall to 0.8.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 5.9, 5.9, 6}, {1, 1, 0.9, 0.9, 0.8, 0.8});
  arm.at_risk = nar_of({0, 2}, {20, 10});
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  // [0, 2): round(20 * 0.9 - 10) = 8 censored at 2j / 9: 4 before the drop at 1, so d =
  // round(16 * 0.1) = 2 (KM^ 0.875) and 16 - 2 - 4 = 10 at 2. After 2, c censored all leave
  // before 5.9 (for c <= 10), so 10 - c are at risk there and d = round((10 - c)(1 - 0.8 /
  // 0.875)) = round(0.0857 (10 - c)): 1 for c <= 4 (KM^ 0.875 (9 - c) / (10 - c)), 0 above. The
  // sum of squared distances to the points (5.9, 0.9), (5.9, 0.8), (6, 0.8) is smallest for
  // c = 0 (KM^ 0.7875 at 5.9 and 6).
  EXPECT_TRUE(has_warning(*r,
                          "after 2 the censoring rate of the earlier intervals (10 censored) does "
                          "not fit the drops of the curve; 0 censored were assumed"))
      << all_warnings(*r);
  EXPECT_EQ(count_at(*r, 1, 1), 2);
  EXPECT_EQ(count_at(*r, 5.9, 1), 1);
  EXPECT_EQ(count_at(*r, 6, 0), 9);
  EXPECT_EQ(r->events, 3);
  EXPECT_NEAR(r->max_abs_error, 0.025, 1e-12);  // (1, 0.9) against KM^ 0.875 (16 at risk)
  // With the total of events given, that total decides the censoring instead (Guyot's rule).
  arm.total_events = 2;
  r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_FALSE(has_warning(*r, "does not fit the drops")) << all_warnings(*r);
  EXPECT_EQ(r->events, 2);
}

TEST(km_reconstruct_test, pitfall_at_risk_time_on_the_last_point_leaves_one_point_last) {
  // The last at-risk time equals the last point: the last interval holds one point, so there is
  // no gap to censor in (half-open ranges: nothing is counted down or overwritten).
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 2, 2, 3}, {1, 1, 0.8, 0.8, 0.6, 0.6});
  arm.at_risk = nar_of({0, 3}, {50, 20});
  arm.total_events = 18;
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->time.size(), 50U);
  ASSERT_EQ(r->at_risk.size(), 2U);
  EXPECT_EQ(r->at_risk[1].reconstructed, 20);
  EXPECT_EQ(count_at(*r, 3, 0), 20);
  EXPECT_TRUE(std::all_of(r->time.begin(), r->time.end(), [](double t) { return t >= 0; }));
}

TEST(km_reconstruct_test, pitfall_bounded_adjustments_warn_and_still_match_the_table) {
  // 100 patients, half die at t = 1, 30 at risk at t = 2. First guess round(100 * 0.5 - 30) =
  // 20 censored at j * 2 / 21: 10 in (0, 1] before the drop, 10 in (1, 2]; d = round(90 * 0.5)
  // = 45 and 90 - 45 - 10 = 35 at risk at t = 2, not 30, so Guyot's loop adjusts.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 2, 3}, {1, 1, 0.5, 0.5, 0.5});
  arm.at_risk = nar_of({0, 2}, {100, 30});
  // With one pass allowed it stops, warns, and censors the 5 too many just before t = 2 (at
  // the midpoint of (1, 2), with the 10 already there).
  reconstruct_options once;
  once.max_adjustments = 1;
  auto r = reconstruct_arm(arm, once);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_TRUE(has_warning(*r,
                          "the censoring in the at-risk interval [0, 2) was adjusted 1 times "
                          "(max_adjustments) without matching the number at risk at its end; the "
                          "closest fit was kept"))
      << all_warnings(*r);
  EXPECT_EQ(r->at_risk[1].reconstructed, 30);
  EXPECT_EQ(count_at(*r, 0.5, 0), 10);
  EXPECT_EQ(count_at(*r, 1, 1), 45);
  EXPECT_EQ(count_at(*r, 1.5, 0), 15);
  // Without the bound: 25 censored (j / 13: 13 up to t = 1 inclusive, 12 after), 87 at risk at
  // the drop, d = round(43.5) = 44 (half to even), 87 - 44 - 12 = 31 at t = 2; then 26 (13 and
  // 13), d = 44, 87 - 44 - 13 = 30: matched. The last interval [2, 3] takes the earlier
  // censoring rate per unit time, 26 over the at-risk times 0..2: round(26 * (3 - 2) / 2) = 13
  // censored at the midpoint 2.5; 17 are left at t = 3.
  r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_FALSE(has_warning(*r, "max_adjustments")) << all_warnings(*r);
  EXPECT_EQ(r->at_risk[1].reconstructed, 30);
  EXPECT_EQ(count_at(*r, 0.5, 0), 13);
  EXPECT_EQ(count_at(*r, 1, 1), 44);
  EXPECT_EQ(count_at(*r, 1.5, 0), 13);
  EXPECT_EQ(count_at(*r, 2.5, 0), 13);
  EXPECT_EQ(count_at(*r, 3, 0), 17);
  EXPECT_EQ(r->time.size(), 100U);
  // Guyot's spacing (censoring_span::points) spreads the first interval's censoring up to the
  // next point (j * 2 / 21 etc.: the same counts here) but takes the rate over the points'
  // span, t = 0..1 (t[upper_{L-1}] - t[lower_1]): min(round(26 * 1 / 1), 30) = 26 at 2.5.
  reconstruct_options guyot;
  guyot.span = censoring_span::points;
  r = reconstruct_arm(arm, guyot);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(count_at(*r, 1, 1), 44);
  EXPECT_EQ(count_at(*r, 2.5, 0), 26);
  EXPECT_EQ(count_at(*r, 3, 0), 4);
}

TEST(km_reconstruct_test, pitfall_mismatched_at_risk_vectors) {
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 2}, {1, 0.9, 0.8});
  arm.at_risk = nar_of({0, 3, 6, 9, 12, 15, 18, 21}, {100, 90, 80, 70, 60, 50});
  arm.at_risk->source = "radiation_nar.csv";
  EXPECT_EQ(reconstruct_arm(arm).error().what(),
            "[srma.survival.E905] radiation_nar.csv: the at-risk table has 8 times and 6 counts; "
            "they must have the same length");
}

TEST(km_reconstruct_test, pitfall_flat_tail_with_late_censoring_invents_no_events) {
  // 40 patients; the curve drops to 0.75 by t = 2 and stays flat to t = 10, while most of the
  // 30 left are censored (30 -> 20 -> 8 at risk at 2, 5, 8), and the total reported (12) is
  // more than the curve shows. Censoring absorbs the losses and no event is invented where the
  // curve is flat to reach the total: 5 deaths at t = 1 (round(37 * 0.125), 3 censored before)
  // and 4 at t = 2 (round(30 (1 - 0.75 / (32/37)))).
  digitised_arm arm;
  arm.curve =
      curve_of({0, 1, 1, 2, 2, 4, 6, 8, 10}, {1, 1, 0.875, 0.875, 0.75, 0.75, 0.75, 0.75, 0.75});
  arm.at_risk = nar_of({0, 2, 5, 8}, {40, 30, 20, 8});
  arm.total_events = 12;
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(count_at(*r, 1, 1), 5);
  EXPECT_EQ(count_at(*r, 2, 1), 4);
  EXPECT_EQ(r->events, 9);
  EXPECT_TRUE(has_warning(*r, "9 events rebuilt, but 12 reported")) << all_warnings(*r);
  // The largest distance: KM 32/37 against the point 0.875 at t = 1.
  EXPECT_NEAR(r->max_abs_error, 0.875 - 32.0 / 37, 1e-12);
  for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << c.time;
}

TEST(km_reconstruct_test, pitfall_no_at_risk_table_uses_n_and_events) {
  digitised_arm arm;
  arm.name = "B";
  arm.curve = curve_of({0, 1, 1, 2, 2, 3, 3, 6}, {1, 1, 0.9, 0.9, 0.8, 0.8, 0.7, 0.7});
  EXPECT_EQ(reconstruct_arm(arm).error().what(),
            "[srma.survival.E907] B: neither an at-risk table nor the number of patients n is "
            "given, but one of them is needed");
  arm.n = 100.5;
  EXPECT_EQ(reconstruct_arm(arm).error().what(),
            "[srma.survival.E907] B: n is 100.5, but must be a whole number >= 1");
  arm.n = 100;
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  // No censoring: 10, 10, 10 events (round(100 * 0.1), round(90 (1 - 0.8 / 0.9)), ...).
  EXPECT_EQ(r->events, 30);
  EXPECT_TRUE(has_warning(*r,
                          "B: no numbers at risk after the start and no total of events: no "
                          "censoring was assumed before the last point"))
      << all_warnings(*r);
  ASSERT_EQ(r->at_risk.size(), 1U);
  EXPECT_EQ(r->at_risk[0].reconstructed, 100);
  // With the total of events, censoring is spread over the follow-up until the events match.
  arm.total_events = 25;
  r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->events, 25);
  EXPECT_EQ(r->events_reported, 25);
  EXPECT_TRUE(has_warning(*r,
                          "B: no numbers at risk after the start: censoring was spread "
                          "evenly over the follow-up so that the events total the 25 "
                          "reported"))
      << all_warnings(*r);
  arm.total_events = 101;
  EXPECT_EQ(reconstruct_arm(arm).error().what(),
            "[srma.survival.E907] B: the total of events is 101, but must be a whole number from "
            "0 to the 100 patients at the start");
}

TEST(km_reconstruct_test, total_events_reached_before_the_last_interval) {
  // 10 events by t = 2 (at risk 40 -> 30), reported total 8: Guyot places no events after the
  // last at-risk time and says so.
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 1, 2, 2, 3, 3, 4}, {1, 1, 0.875, 0.875, 0.75, 0.75, 0.7, 0.7});
  arm.at_risk = nar_of({0, 2.5}, {40, 30});
  arm.total_events = 8;
  auto r = reconstruct_arm(arm);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(count_at(*r, 3, 1), 0);
  EXPECT_EQ(count_at(*r, 4, 0), 30);
  EXPECT_TRUE(has_warning(*r,
                          "the 10 events before 2.5 already reach the reported total of 8: "
                          "no events were placed after 2.5"))
      << all_warnings(*r);
  EXPECT_TRUE(has_warning(*r, "10 events rebuilt, but 8 reported")) << all_warnings(*r);
}

TEST(km_reconstruct_test, arms_on_different_grids_are_independent) {
  std::vector<arm_reconstruction> arms;
  digitised_arm a;
  a.name = "Research";
  a.curve = curve_of({0, 0.7, 0.7, 2.2, 2.2, 5.1}, {1, 1, 0.9, 0.9, 0.85, 0.85});
  a.at_risk = nar_of({0, 2, 4}, {40, 33, 25});
  digitised_arm b;
  b.name = "Control";
  b.curve = curve_of({0, 1.3, 1.3, 2.9, 2.9, 3.6, 3.6}, {1, 1, 0.8, 0.8, 0.6, 0.6, 0.5});
  b.at_risk = nar_of({0, 3}, {20, 9});
  for (const auto* arm : {&a, &b}) {
    auto r = reconstruct_arm(*arm);
    ASSERT_TRUE(r) << r.error().what();
    for (const auto& c : r->at_risk) EXPECT_EQ(c.reconstructed, c.reported) << arm->name;
    arms.push_back(*r);
  }
  arms[1].name.clear();
  const survival_data d = to_survival_data(arms);
  EXPECT_EQ(d.arm_names, (std::vector<std::string>{"Research", "arm 2"}));
  EXPECT_EQ(d.size(), 60U);
  EXPECT_EQ(std::count(d.arm.begin(), d.arm.end(), 0U), 40);
  EXPECT_EQ(d.time.size(), d.event.size());
  EXPECT_EQ(d.line.size(), d.size());
}

TEST(km_reconstruct_test, at_risk_table_must_fit_the_curve) {
  digitised_arm arm;
  arm.curve = curve_of({0, 1, 2}, {1, 0.9, 0.8});
  arm.at_risk = nar_of({1, 2}, {10, 9});
  arm.at_risk->source = "nar.csv";
  arm.at_risk->line = {2, 3};
  EXPECT_EQ(reconstruct_arm(arm).error().what(),
            "[srma.survival.E905] nar.csv:2: the first at-risk time is 1, but must be 0 (the "
            "start of the curve): the number of patients at the start is needed");
  arm.at_risk = nar_of({0, 2}, {10, 11});
  EXPECT_EQ(reconstruct_arm(arm).error().what(),
            "[srma.survival.E905] 11 at risk at 2, but only 10 at 0: the number at risk cannot "
            "grow");
  arm.at_risk = nar_of({0, 2}, {0, 0});
  EXPECT_EQ(reconstruct_arm(arm).error().id, errc::survival_bad_at_risk);
  arm.at_risk = nar_of({0, 2}, {10, 9});
  reconstruct_options bad;
  bad.max_adjustments = 0;
  EXPECT_EQ(bad.validate(), "max_adjustments is 0, but must be >= 1");
  EXPECT_EQ(reconstruct_arm(arm, bad).error().what(),
            "[srma.survival.E907] reconstruction options: max_adjustments is 0, but must be >= 1");
  EXPECT_EQ(reconstruct_arm(digitised_arm{}).error().id, errc::survival_bad_points);
}

TEST(km_reconstruct_test, names_of_the_choices) {
  EXPECT_EQ(to_string(survival_scale::fraction), "fraction");
  EXPECT_EQ(to_string(survival_scale::percent), "percent");
  EXPECT_EQ(to_string(censoring_span::at_risk_interval), "at-risk-interval");
  EXPECT_EQ(to_string(censoring_span::points), "points");
  EXPECT_EQ(parse_censoring_span("Points"), censoring_span::points);
  EXPECT_EQ(parse_censoring_span("at-risk-interval"), censoring_span::at_risk_interval);
  EXPECT_FALSE(parse_censoring_span("guyot"));
}

// ---- Distance between a curve and points ----------------------------------------------------

TEST(km_reconstruct_test, max_vertical_distance_counts_both_corners_of_a_drop) {
  // KM 1 -> 0.8 at t = 2 -> 0.5 at t = 4.
  const std::vector<double> km_t{2, 4}, km_s{0.8, 0.5};
  // Top and bottom corners at 2 and 4 lie on the curve; (3, 0.75) is 0.05 below it.
  std::vector<double> t{0, 2, 2, 3, 4, 4}, s{1, 1, 0.8, 0.75, 0.8, 0.5};
  EXPECT_NEAR(max_vertical_distance(km_t, km_s, t, s), 0.05, 1e-15);
  // A point before the first step compares with 1; after the last with the last value.
  t = {1, 6};
  s = {0.97, 0.45};
  EXPECT_NEAR(max_vertical_distance(km_t, km_s, t, s), 0.05, 1e-15);
  EXPECT_EQ(max_vertical_distance(km_t, km_s, {}, {}), 0);
  // No steps: the curve is 1 everywhere.
  EXPECT_NEAR(max_vertical_distance({}, {}, t, s), 0.55, 1e-15);
}

// ---- Odd inputs: the algorithm ends with whole, non-negative counts -------------------------

TEST(km_reconstruct_test, odd_inputs_end_with_consistent_counts) {
  // A deterministic sweep of random curves and tables (a 64-bit LCG, Knuth MMIX constants):
  // jagged, rising, repeated and percent-scaled points, tables that fit and tables that do not,
  // with or without a total of events and a small adjustment bound.
  std::uint64_t state = 12345;
  const auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  for (int rep = 0; rep < 300; ++rep) {
    digitised_arm arm;
    const int np = 2 + static_cast<int>(uniform() * 40);
    double t = 0, s = 1;
    const bool percent = uniform() < 0.2;
    for (int i = 0; i < np; ++i) {
      t += uniform() < 0.2 ? 0 : uniform() * 2;
      s = std::clamp(s - (uniform() - 0.2) * 0.1, 0.0, 1.0);
      arm.curve.time.push_back(t);
      arm.curve.survival.push_back(percent ? 100 * s : s);
    }
    const double n0 = 1 + std::floor(uniform() * 300);
    if (uniform() < 0.8) {
      at_risk_table nar;
      double tn = 0, n = n0;
      while (tn <= t + 3) {
        nar.time.push_back(tn);
        nar.n.push_back(n);
        tn += 0.5 + uniform() * 3;
        n = std::floor(n * uniform());
      }
      arm.at_risk = nar;
    } else {
      arm.n = n0;
    }
    if (uniform() < 0.5) arm.total_events = std::floor(n0 * uniform());
    reconstruct_options options;
    options.max_adjustments = uniform() < 0.3 ? 2 : 1000;
    auto r = reconstruct_arm(arm, options);
    if (!r) {
      // Only a curve that ends at time 0 is refused here.
      EXPECT_EQ(r.error().id, errc::survival_bad_points) << rep << ": " << r.error().what();
      continue;
    }
    ASSERT_EQ(r->time.size(), static_cast<std::size_t>(n0)) << rep;
    ASSERT_EQ(r->event.size(), r->time.size()) << rep;
    const auto events = std::count(r->event.begin(), r->event.end(), 1);
    EXPECT_EQ(static_cast<double>(events), r->events) << rep;
    for (std::size_t i = 0; i < r->time.size(); ++i) {
      ASSERT_TRUE(std::isfinite(r->time[i]) && r->time[i] >= 0) << rep;
      ASSERT_TRUE(r->event[i] == 0 || r->event[i] == 1) << rep;
    }
    for (const auto& c : r->at_risk) EXPECT_LE(c.reconstructed, c.reported) << rep;
    EXPECT_TRUE(std::isfinite(r->max_abs_error)) << rep;
  }
}

}  // namespace
}  // namespace srma
