// Tests of the string helpers in srma/util/text.hpp and srma/util/limits.hpp that messages and
// file names depend on (issue 15: a NUL byte was echoed raw; ids went into file names unchecked).
#include "srma/util/text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "srma/util/limits.hpp"

namespace {

using srma::detail::printable;

TEST(text_test, printable_shows_control_bytes_and_cuts_long_text) {
  EXPECT_EQ(printable("plain"), "plain");
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(printable("line\nnext\x1b[31m\x7f"), "line\\x0Anext\\x1B[31m\\x7F");
  EXPECT_EQ(printable(std::string(100, 'x'), 10), std::string(10, 'x') + "...");
  // UTF-8 passes through and is never cut inside a character: "é" is two bytes.
  EXPECT_EQ(printable("Müller"), "Müller");
  EXPECT_EQ(printable("aé", 2), "a...");
  EXPECT_EQ(printable("aé", 3), "aé");
}

TEST(text_test, safe_ids_cannot_leave_a_folder) {
  using srma::limits::is_safe_id;
  for (const char* ok : {"overall", "subset-2", "Main_analysis.v2", "a", "9"})
    EXPECT_TRUE(is_safe_id(ok)) << ok;
  for (const char* bad : {"", ".", "..", "../x", "x/../y", "/etc", ".hidden", "-flag", "a b",
                          "a\\b", "caf\xc3\xa9", "x:y"})
    EXPECT_FALSE(is_safe_id(bad)) << bad;
  EXPECT_FALSE(is_safe_id(std::string("x\0y", 3)));
  EXPECT_TRUE(is_safe_id(std::string(srma::limits::max_id_length, 'a')));
  EXPECT_FALSE(is_safe_id(std::string(srma::limits::max_id_length + 1, 'a')));
}

}  // namespace
