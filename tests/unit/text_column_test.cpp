// srma::text_column (srma/util/text_column.hpp): the attribute columns of a study table as one
// buffer per column.
#include "srma/util/text_column.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace srma {
namespace {

TEST(text_column_test, entries_read_back_in_order_including_empty_ones) {
  text_column c;
  EXPECT_TRUE(c.empty());
  c.push_back("1990");
  c.push_back("");
  c.push_back("a label longer than fifteen characters");
  c.push_back("NR");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0], "1990");
  EXPECT_EQ(c[1], "");
  EXPECT_EQ(c[2], "a label longer than fifteen characters");
  EXPECT_EQ(c[3], "NR");
  std::vector<std::string> seen;
  for (std::string_view s : c) seen.emplace_back(s);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"1990", "", "a label longer than fifteen characters", "NR"}));
  EXPECT_EQ(c.to_strings(), seen);
}

TEST(text_column_test, set_replaces_one_entry_and_keeps_the_others) {
  text_column c{"a", "bb", "ccc", "dddd"};
  c.set(1, "");  // shorter
  EXPECT_EQ(c.to_strings(), (std::vector<std::string>{"a", "", "ccc", "dddd"}));
  c.set(0, "longer text");  // longer, first entry
  EXPECT_EQ(c.to_strings(), (std::vector<std::string>{"longer text", "", "ccc", "dddd"}));
  c.set(3, "z");  // last entry
  EXPECT_EQ(c.to_strings(), (std::vector<std::string>{"longer text", "", "ccc", "z"}));
}

TEST(text_column_test, equality_compares_entries_not_only_the_joined_text) {
  // "ab" + "c" and "a" + "bc" join to the same text; they are different columns.
  const text_column x{"ab", "c"};
  const text_column y{"a", "bc"};
  EXPECT_FALSE(x == y);
  EXPECT_TRUE(x == (text_column{"ab", "c"}));
  EXPECT_TRUE(x == text_column(std::vector<std::string>{"ab", "c"}));
}

TEST(text_column_test, iterators_work_with_standard_algorithms) {
  const text_column c{"3", "1", "2"};
  EXPECT_EQ(c.end() - c.begin(), 3);
  EXPECT_EQ(*std::max_element(c.begin(), c.end()), "3");
  EXPECT_EQ(std::count(c.begin(), c.end(), std::string_view("1")), 1);
  auto it = c.begin();
  it += 2;
  EXPECT_EQ(*it, "2");
  EXPECT_EQ(it[-1], "1");
}

TEST(text_column_test, a_reserved_column_holds_many_entries_in_about_their_own_size) {
  text_column c;
  const std::size_t n = 100000;
  c.reserve(n, n * 6);
  for (std::size_t i = 0; i < n; ++i) c.push_back(std::to_string(100000 + i));
  ASSERT_EQ(c.size(), n);
  EXPECT_EQ(c[0], "100000");
  EXPECT_EQ(c[n - 1], std::to_string(100000 + n - 1));
  // 6 bytes of text and one offset per entry, not a 32-byte std::string each.
  EXPECT_LE(c.bytes(), n * (6 + sizeof(std::size_t)) + 64);
}

}  // namespace
}  // namespace srma
