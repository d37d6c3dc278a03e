// put_study_hr (srma/data/study_row.hpp) and the CSV writer (srma/io/csv.hpp, srma/io/file.hpp):
// a computed hazard ratio becomes a study row without losing anything already in the table.
#include "srma/data/study_row.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "srma/data/study_table.hpp"
#include "srma/io/file.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

csv_table parse(const std::string& text) {
  auto t = parse_csv(text, "studies.csv");
  EXPECT_TRUE(t) << t.error().what();
  return *t;
}

TEST(study_row_test, appends_a_row_and_adds_the_columns) {
  auto t = parse("study,loghr,se,year\nA,-0.2,0.1,2001\n");
  auto r = put_study_hr(t, "B", {.loghr = -0.4318542973977147, .se = 0.5077934782185048});
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(*r, study_row_action::appended);
  EXPECT_EQ(format_csv(t),
            "study,loghr,se,year,hr_source\n"
            "A,-0.2,0.1,2001,\n"
            "B,-0.4318542973977147,0.5077934782185048,,km_reconstruction\n");
  // Read back: the same ln HR and SE, exactly.
  auto back = parse(format_csv(t));
  const int y = back.find_column("loghr");
  EXPECT_EQ(std::stod(back.rows[1].fields[static_cast<std::size_t>(y)]), -0.4318542973977147);
}

TEST(study_row_test, fills_an_empty_row_and_refuses_to_overwrite) {
  auto t = parse("study,loghr,se,subgroup\nA,-0.2,0.1,x\nB,,,y\n");
  auto r = put_study_hr(t, "B", {.loghr = 0.5, .se = 0.25});
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(*r, study_row_action::filled);
  EXPECT_EQ(t.rows[1].fields,
            (std::vector<std::string>{"B", "0.5", "0.25", "y", "km_reconstruction"}));
  // A row with values is not overwritten unless asked; the table is unchanged.
  const std::string before = format_csv(t);
  auto again = put_study_hr(t, "A", {.loghr = 0.1, .se = 0.2});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().id, errc::input_ambiguous_columns);
  EXPECT_EQ(again.error().where.line, 2);
  EXPECT_NE(again.error().message.find("loghr, se"), std::string::npos);
  EXPECT_EQ(format_csv(t), before);
  auto replaced = put_study_hr(t, "A", {.loghr = 0.1, .se = 0.2, .source = "ipd"}, true);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(*replaced, study_row_action::replaced);
  EXPECT_EQ(t.rows[0].fields, (std::vector<std::string>{"A", "0.1", "0.2", "x", "ipd"}));
}

TEST(study_row_test, a_ci_table_gets_the_95_percent_wald_interval) {
  auto t = parse("study,hr,lower,upper,level\nA,0.7,0.5,0.98,90\n");
  const double y = -0.7, se = 0.13;
  ASSERT_TRUE(put_study_hr(t, "KN", {.loghr = y, .se = se}));
  ASSERT_EQ(t.header,
            (std::vector<std::string>{"study", "hr", "lower", "upper", "level", "hr_source"}));
  const auto& f = t.rows[1].fields;
  // ln HR and SE come back from the interval: (ln U - ln L) / (2 z), z = Phi^-1(0.975).
  const double z = 1.959963984540054;
  EXPECT_NEAR(std::log(std::stod(f[1])), y, 1e-15);
  EXPECT_NEAR((std::log(std::stod(f[3])) - std::log(std::stod(f[2]))) / (2 * z), se, 1e-15);
  EXPECT_EQ(f[4], "95");
  EXPECT_EQ(f[5], "km_reconstruction");
}

TEST(study_row_test, starts_a_new_table) {
  csv_table t;
  ASSERT_TRUE(put_study_hr(t, " Gangi 2020 ", {.loghr = -1, .se = 0.5}));
  EXPECT_EQ(format_csv(t), "study,loghr,se,hr_source\nGangi 2020,-1,0.5,km_reconstruction\n");
}

TEST(study_row_test, rejects_bad_values_and_labels) {
  auto t = parse("study,loghr,se\nA,1,1\nA,2,1\n");
  EXPECT_EQ(put_study_hr(t, "A", {.loghr = 0, .se = 1}).error().id, errc::input_duplicate_label);
  EXPECT_EQ(put_study_hr(t, "", {.loghr = 0, .se = 1}).error().id, errc::input_empty_label);
  EXPECT_EQ(put_study_hr(t, "B", {.loghr = NAN, .se = 1}).error().id, errc::input_out_of_range);
  EXPECT_EQ(put_study_hr(t, "B", {.loghr = 0, .se = 0}).error().id, errc::input_out_of_range);
  EXPECT_EQ(put_study_hr(t, "B", {.loghr = 0, .se = INFINITY}).error().id,
            errc::input_out_of_range);
  auto no_label = parse("name,loghr,se\nA,1,1\n");
  EXPECT_EQ(put_study_hr(no_label, "B", {.loghr = 0, .se = 1}).error().id,
            errc::input_no_column_set);
  EXPECT_EQ(t.rows.size(), 2u);  // nothing was added by the failed calls
}

TEST(csv_writer_test, quotes_only_what_needs_it_and_round_trips) {
  EXPECT_EQ(format_csv_field("plain"), "plain");
  EXPECT_EQ(format_csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(format_csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(format_csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(format_csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(format_csv_field("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(format_csv_field("a;b", ','), "a;b");
  const std::string text = "study,note\n\"Smith, 2001\",\"said \"\"no\"\"\"\nJones,\"x\ny\"\n";
  auto t = parse(text);
  auto again = parse(format_csv(t));
  EXPECT_EQ(again.header, t.header);
  ASSERT_EQ(again.rows.size(), t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) EXPECT_EQ(again.rows[i].fields, t.rows[i].fields);
  auto semi = parse("a;b\n1;2\n");
  EXPECT_EQ(format_csv(semi), "a;b\n1;2\n");
}

TEST(csv_writer_test, atomic_write_replaces_or_leaves_the_file_alone) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "srma_csv_writer_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "out.csv").string();
  ASSERT_TRUE(write_file_atomic(path, "one\n"));
  ASSERT_TRUE(write_file_atomic(path, "two\n"));
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), "two\n");
  EXPECT_FALSE(fs::exists(path + ".srma-tmp"));
  auto bad = write_file_atomic((dir / "missing" / "out.csv").string(), "x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().id, errc::output_unwritable);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace srma
