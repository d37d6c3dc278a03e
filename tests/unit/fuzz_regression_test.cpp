// Regression tests of the findings of the fuzz targets (tests/fuzz/, docs/reliability.md): each
// case is the fuzzer's input, reduced, with what the reader must do. The fuzzer's own inputs are
// also replayed by ctest (fuzz.replay.<target>, from tests/fuzz/corpus/<target>/regress-*).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"

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

}  // namespace
}  // namespace srma
