#include "srma/run/where.hpp"

#include <gtest/gtest.h>

namespace srma {
namespace {

study_table table() {
  auto t = *make_study_table({0.1, 0.2, 0.3, 0.4}, {0.1, 0.1, 0.1, 0.1}, {"A", "B", "C", "D"});
  t.source = "s.csv";
  t.line = {2, 3, 4, 5};
  t.attribute_names = {"protocol", "year", "location"};
  t.attribute_columns = {5, 6, 7};
  t.attributes = {{"PTR", "PTR+LR", "PTR+LR", "PTR"},
                  {"2009", "2015", "2019", "2024"},
                  {"Pancreatic", "Gastrointestinal", "Pancreatic", "Gastroenteropancreatic"}};
  return t;
}

std::vector<std::size_t> rows(const std::string& expr) {
  auto f = parse_where(expr);
  EXPECT_TRUE(f) << f.error().what();
  if (!f) return {};
  auto r = f->select(table());
  EXPECT_TRUE(r) << r.error().what();
  return r ? *r : std::vector<std::size_t>{};
}

TEST(where_test, text_and_numeric_comparisons) {
  EXPECT_EQ(rows("protocol == 'PTR+LR'"), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(rows("protocol = \"PTR\""), (std::vector<std::size_t>{0, 3}));
  EXPECT_EQ(rows("year >= 2015"), (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_EQ(rows("year < 2010"), (std::vector<std::size_t>{0}));
  // Numeric when both sides are numbers: "2009" < "2015" as numbers, and 10 > 9 (not as text).
  EXPECT_EQ(rows("year > 999"), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(rows("location != 'Pancreatic'"), (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(rows("study == 'C'"), (std::vector<std::size_t>{2}));
}

TEST(where_test, boolean_operators_parentheses_and_in) {
  EXPECT_EQ(rows("protocol == 'PTR' and year > 2010"), (std::vector<std::size_t>{3}));
  EXPECT_EQ(rows("protocol == 'PTR' && year > 2010 || study == 'B'"),
            (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(rows("not (location == 'Pancreatic' or year == 2024)"), (std::vector<std::size_t>{1}));
  EXPECT_EQ(rows("!(protocol == 'PTR')"), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(rows("location in ('Pancreatic', 'Gastrointestinal')"),
            (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(rows("`location` IN ('Gastroenteropancreatic') OR year <= 2009"),
            (std::vector<std::size_t>{0, 3}));
}

TEST(where_test, syntax_errors_say_where_and_what) {
  EXPECT_EQ(parse_where("protocol == ").error().what(),
            "[srma.plan.E707] where \"protocol == \": at character 13, expected a column name, "
            "a quoted text or a number but found the end");
  EXPECT_EQ(parse_where("protocol 'PTR'").error().what(),
            "[srma.plan.E707] where \"protocol 'PTR'\": at character 10, expected a comparison "
            "(==, !=, <, <=, >, >= or in) but found 'PTR'");
  EXPECT_EQ(parse_where("protocol == 'PTR").error().what(),
            "[srma.plan.E707] where \"protocol == 'PTR\": the quote at character 13 is never "
            "closed");
  EXPECT_EQ(parse_where("(year > 1").error().id, "srma.plan.E707");
  EXPECT_EQ(parse_where("year > 1 year").error().id, "srma.plan.E707");
  EXPECT_EQ(parse_where("year & 1").error().id, "srma.plan.E707");
}

TEST(where_test, unknown_columns_and_missing_values_are_errors) {
  auto f = parse_where("design == 'cohort'");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->select(table()).error().what(),
            "[srma.plan.E708] where \"design == 'cohort'\": no column 'design' in s.csv; the "
            "columns are: protocol, year, location");
  auto t = table();
  t.attributes[0].set(2, "");
  auto g = parse_where("protocol == 'PTR'");
  EXPECT_EQ(g->select(t).error().what(),
            "[srma.plan.E708] s.csv:4:5: where \"protocol == 'PTR'\": study 'C' has no value in "
            "column 'protocol', so it is unclear whether it belongs to the subset; fill it in");
  EXPECT_EQ(g->columns(), (std::vector<std::string>{"protocol"}));
  // Issue 15, item 3: "NR" > 40 was compared as text, and the study joined the numeric subset.
  auto u = table();
  u.attributes[1].set(1, "NR");
  auto h = parse_where("year > 2010");
  EXPECT_EQ(h->select(u).error().what(),
            "[srma.plan.E708] s.csv:3:6: where \"year > 2010\": study 'B' has 'NR' where a number "
            "is compared (NR > 2010), so it is unclear whether it belongs to the subset; give a "
            "number, or leave the cell empty (NA)");
  // Equality with a text stays a plain comparison.
  auto e = parse_where("year == 'NR'");
  EXPECT_EQ(*e->select(u), (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace srma
