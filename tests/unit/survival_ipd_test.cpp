// Patient data (srma/survival/ipd.hpp): reading arm,time,event tables, the located errors for
// unusable fields (srma.survival.E901, whole message checked), arm lookup, and the CSV round trip.
#include <gtest/gtest.h>

#include <string>

#include "srma/io/csv.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

expected<survival_data> from_text(const std::string& text) {
  auto csv = parse_csv(text, "ipd.csv");
  if (!csv) return unexpected(csv.error());
  return make_survival_data(*csv);
}

std::string error_of(const std::string& text) {
  auto d = from_text(text);
  if (d) return "(no error)";
  EXPECT_EQ(d.error().id, errc::survival_bad_ipd);
  return d.error().what();
}

TEST(survival_ipd_test, reads_columns_in_any_order_and_case_with_extra_columns) {
  auto d = from_text("Time,site,EVENT,Arm\n5,x,1,Pembro\n3.5,y,0,Placebo\n7,z,1,Pembro\n");
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->source, "ipd.csv");
  ASSERT_EQ(d->arm_names.size(), 2u);
  EXPECT_EQ(d->arm_names[0], "Pembro");  // order of first appearance
  EXPECT_EQ(d->arm_names[1], "Placebo");
  EXPECT_EQ(d->arm, (std::vector<std::size_t>{0, 1, 0}));
  EXPECT_EQ(d->time, (std::vector<double>{5, 3.5, 7}));
  EXPECT_EQ(d->event, (std::vector<int>{1, 0, 1}));
  EXPECT_EQ(d->line, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(d->size(), 3u);
}

TEST(survival_ipd_test, group_and_status_are_accepted_aliases) {
  auto d = from_text("group,time,status\nA,1,1\nB,2,0\n");
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->arm_names.size(), 2u);
  EXPECT_EQ(d->event[1], 0);
}

TEST(survival_ipd_test, arm_index_prefers_exact_then_ignores_case) {
  survival_data d;
  d.add("Arm", 1, 1);
  d.add("ARM", 2, 0);
  d.add("control", 3, 1);
  ASSERT_EQ(d.arm_names.size(), 3u);  // add() matches names exactly
  EXPECT_EQ(d.arm_index("ARM"), 1u);
  EXPECT_EQ(d.arm_index("Arm"), 0u);
  EXPECT_EQ(d.arm_index("CONTROL"), 2u);
  EXPECT_FALSE(d.arm_index("treatment").has_value());
  EXPECT_EQ(d.line, (std::vector<int>{0, 0, 0}));
}

TEST(survival_ipd_test, missing_columns_are_named) {
  EXPECT_EQ(error_of("arm,days,status\nA,1,1\n"),
            "[srma.survival.E901] ipd.csv:1: no column 'time': patient data need the columns arm, "
            "time, event");
  EXPECT_EQ(error_of("x,y\n1,2\n"),
            "[srma.survival.E901] ipd.csv:1: no column 'arm (or group)': patient data need the "
            "columns arm, time, event");
}

TEST(survival_ipd_test, header_without_rows_is_an_error) {
  EXPECT_EQ(error_of("arm,time,event\n"),
            "[srma.survival.E901] ipd.csv:1: no patients: the table has a header but no rows");
}

TEST(survival_ipd_test, bad_fields_are_located) {
  EXPECT_EQ(error_of("arm,time,event\nA,1,1\nA,-2,0\n"),
            "[srma.survival.E901] ipd.csv:3:2: time is '-2', but must be a finite number >= 0");
  EXPECT_EQ(error_of("arm,time,event\nA,NaN,1\n"),
            "[srma.survival.E901] ipd.csv:2:2: time is 'NaN', but must be a finite number >= 0");
  EXPECT_EQ(error_of("arm,time,event\nA,inf,1\n"),
            "[srma.survival.E901] ipd.csv:2:2: time is 'inf', but must be a finite number >= 0");
  EXPECT_EQ(error_of("arm,time,event\nA,,1\n"),
            "[srma.survival.E901] ipd.csv:2:2: time is '', but must be a finite number >= 0");
  EXPECT_EQ(error_of("arm,time,event\nA,1,2\n"),
            "[srma.survival.E901] ipd.csv:2:3: event is '2', but must be 1 (event) or 0 "
            "(censored)");
  EXPECT_EQ(error_of("arm,time,event\nA,1,yes\n"),
            "[srma.survival.E901] ipd.csv:2:3: event is 'yes', but must be 1 (event) or 0 "
            "(censored)");
  EXPECT_EQ(error_of("arm,time,event\n  ,1,1\n"),
            "[srma.survival.E901] ipd.csv:2:1: the arm label is empty, but must name an arm");
}

TEST(survival_ipd_test, time_zero_and_decimal_events_are_accepted) {
  auto d = from_text("arm,time,event\nA,0,1.0\nB,0.0,0\n");
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->time[0], 0);
  EXPECT_EQ(d->event[0], 1);
}

TEST(survival_ipd_test, to_csv_round_trips_exactly) {
  survival_data d;
  d.add("Pembro", 0.1, 1);
  d.add("Placebo, 2:1", 1.0 / 3.0, 0);
  d.add("say \"hi\"", 12345678.901234567, 1);
  const std::string text = to_csv(d);
  EXPECT_EQ(text.substr(0, 25), "arm,time,event\nPembro,0.1");
  auto back = from_text(text);
  ASSERT_TRUE(back) << back.error().what();
  EXPECT_EQ(back->arm_names, d.arm_names);
  EXPECT_EQ(back->arm, d.arm);
  EXPECT_EQ(back->time, d.time);  // shortest round-trip form: exact
  EXPECT_EQ(back->event, d.event);
}

TEST(survival_ipd_test, arm_of_keeps_order) {
  survival_data d;
  d.add("A", 3, 1);
  d.add("B", 1, 0);
  d.add("A", 2, 0);
  const auto a = arm_of(d, 0);
  EXPECT_EQ(a.time, (std::vector<double>{3, 2}));
  EXPECT_EQ(a.event, (std::vector<int>{1, 0}));
  EXPECT_TRUE(arm_of(d, 7).time.empty());
}

TEST(survival_ipd_test, unreadable_file_passes_the_csv_error_on) {
  auto d = read_ipd("/nonexistent/ipd.csv");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().id, errc::csv_unreadable);
}

}  // namespace
}  // namespace srma
