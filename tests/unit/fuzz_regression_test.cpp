// Regression tests of the findings of the fuzz targets (tests/fuzz/, docs/reliability.md): each
// case is the fuzzer's input, reduced, with what the reader must do. The fuzzer's own inputs are
// also replayed by ctest (fuzz.replay.<target>, from tests/fuzz/corpus/<target>/regress-*).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"
#include "srma/run/where.hpp"

namespace srma {
namespace {

// fuzz_csv, 2026-12-01: "\nba\t1\t2\n" was read as one column named "ba\t1\t2" (the separator
// was judged on the empty first line, so ',' won), and format_csv wrote it back as a file of
// three columns. A tab- or ';'-separated file starting with a blank line lost its columns.
TEST(fuzz_regression_test, separator_is_judged_on_the_header_after_blank_lines) {
  auto tab = parse_csv("\nba\t1\t2\n", "t.csv");
  ASSERT_TRUE(tab.has_value()) << tab.error().what();
  EXPECT_EQ(tab->separator, '\t');
  EXPECT_EQ(tab->header, (std::vector<std::string>{"ba", "1", "2"}));

  auto semi = parse_csv("\r\n  \n\ta;b\n1,5;2\n", "s.csv");
  ASSERT_TRUE(semi.has_value()) << semi.error().what();
  EXPECT_EQ(semi->separator, ';');
  EXPECT_EQ(semi->header, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(semi->rows.size(), 1U);
  EXPECT_EQ(semi->rows[0].fields, (std::vector<std::string>{"1,5", "2"}));
  EXPECT_EQ(semi->header_line, 3);

  auto compact = parse_csv_compact("\nba\t1\t2\n", "t.csv");
  ASSERT_TRUE(compact.has_value()) << compact.error().what();
  EXPECT_EQ(compact->separator, '\t');
  EXPECT_EQ(compact->header.size(), 3U);

  // What srma writes, it reads back the same.
  auto again = parse_csv(format_csv(*tab), "again.csv");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->header, tab->header);
}

// fuzz_where, 2026-12-01: 1,621 '(' then "0" overflowed the stack of the recursive-descent
// parser (ASan: stack-overflow in parse_primary). Nesting of parentheses and 'not' is now
// bounded (100 levels), and so are and/or terms (1000),
// whose left-deep tree the evaluator walks recursively.
TEST(fuzz_regression_test, deeply_nested_where_filters_are_errors_not_stack_overflows) {
  auto nested = [](std::size_t n, const std::string& open, const std::string& close) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += open;
    s += "year > 1";
    for (std::size_t i = 0; i < n; ++i) s += close;
    return s;
  };
  EXPECT_TRUE(parse_where(nested(100, "(", ")")).has_value());
  EXPECT_TRUE(parse_where(nested(100, "not ", "")).has_value());
  EXPECT_TRUE(parse_where(nested(50, "not (", ")")).has_value());
  const std::string deep = nested(101, "(", ")");
  auto e = parse_where(deep);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().what(),
            "[srma.plan.E707] where \"" + deep +
                "\": at character 101, the filter nests parentheses and 'not' more than 100 deep "
                "or joins more than 1000 terms with 'and'/'or'; use 'in (...)' for long lists");
  EXPECT_EQ(parse_where(std::string(100000, '(') + "0").error().id, "srma.plan.E707");
  EXPECT_EQ(parse_where(nested(100000, "not ", "")).error().id, "srma.plan.E707");

  std::string terms = "year > 0";
  for (int i = 1; i < 1000; ++i) terms += " or year > " + std::to_string(i);
  EXPECT_TRUE(parse_where(terms).has_value());  // 1000 terms: 999 'or'
  terms += " and year > 1000 or year > 1001";
  EXPECT_EQ(parse_where(terms).error().id, "srma.plan.E707");
}

}  // namespace
}  // namespace srma
