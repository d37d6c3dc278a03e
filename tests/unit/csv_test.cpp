#include "srma/io/csv.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "srma/io/file.hpp"

namespace srma {
namespace {

TEST(csv_test, reads_comma_separated_with_header) {
  auto t = parse_csv("study,yi,vi\nA,0.1,0.2\nB,0.3,0.4\n", "x.csv");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->separator, ',');
  ASSERT_EQ(t->header.size(), 3u);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1].fields[0], "B");
  EXPECT_EQ(t->rows[1].line, 3);
}

TEST(csv_test, detects_semicolon_and_tab) {
  auto s = parse_csv("study;yi;vi\nA;0,1;0,2\n", "x.csv");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->separator, ';');
  EXPECT_EQ(s->rows[0].fields[1], "0,1");
  auto t = parse_csv("study\tyi\tvi\nA\t0.1\t0.2\n", "x.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->separator, '\t');
  EXPECT_EQ(t->rows[0].fields[2], "0.2");
}

TEST(csv_test, strips_bom_and_handles_crlf) {
  auto t = parse_csv("\xEF\xBB\xBFstudy,yi\r\nA,1\r\nB,2\r\n", "x.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->header[0], "study");
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1].fields[1], "2");
  EXPECT_EQ(t->rows[1].line, 3);
}

TEST(csv_test, quoted_fields_with_separators_quotes_and_newlines) {
  auto t =
      parse_csv("study,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"Two\nlines\",x\nC,y\n", "x.csv");
  ASSERT_TRUE(t) << t.error().what();
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].fields[0], "Smith, J");
  EXPECT_EQ(t->rows[0].fields[1], "said \"hi\"");
  EXPECT_EQ(t->rows[1].fields[0], "Two\nlines");
  EXPECT_EQ(t->rows[1].line, 3);
  EXPECT_EQ(t->rows[2].line, 5);  // the quoted newline advanced the line count
}

TEST(csv_test, blank_lines_are_skipped_and_lines_counted) {
  auto t = parse_csv("a,b\n\n1,2\n,\n3,4", "x.csv");
  ASSERT_TRUE(t);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].line, 3);
  EXPECT_EQ(t->rows[1].line, 5);
}

TEST(csv_test, unterminated_quote_is_an_error_with_position) {
  auto t = parse_csv("a,b\n1,\"oops\n", "f.csv");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().what(),
            "[srma.csv.E101] f.csv:2:2: quoted field is never closed: a '\"' is missing");
}

TEST(csv_test, wrong_field_count_is_an_error) {
  auto t = parse_csv("a,b\n1,2,3\n", "f.csv");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().what(),
            "[srma.csv.E102] f.csv:2: row has 3 fields, but the header has 2 columns");
}

TEST(csv_test, trailing_separator_is_tolerated) {
  auto t = parse_csv("a,b\n1,2,\n", "f.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->rows[0].fields.size(), 2u);
}

TEST(csv_test, invalid_utf8_is_an_error) {
  auto t = parse_csv("a,b\nM\xFCller,2\n", "f.csv");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().id, "srma.csv.E103");
  EXPECT_EQ(t.error().where.line, 2);
}

TEST(csv_test, empty_and_duplicate_headers_are_errors) {
  EXPECT_EQ(parse_csv("", "f.csv").error().id, "srma.csv.E104");
  auto d = parse_csv("a,A\n1,2\n", "f.csv");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().what(),
            "[srma.csv.E105] f.csv:1:2: column name 'A' appears twice (columns 1 and 2)");
}

TEST(csv_test, stray_text_after_closing_quote_is_an_error) {
  auto t = parse_csv("a,b\n\"x\"y,2\n", "f.csv");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().id, "srma.csv.E107");
}

TEST(csv_test, missing_file_is_an_error) {
  auto t = read_csv("/nonexistent/file.csv");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().what(),
            "[srma.csv.E106] /nonexistent/file.csv: cannot open the file for reading: No such "
            "file or directory");
}

// Issue 15, items 4 and 6: a folder as input was "the file is empty", a missing file did not
// say why, and /dev/zero was read without end.
TEST(csv_test, folders_missing_files_and_endless_devices_say_what_they_are) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "srma_csv_test_folder";
  fs::create_directories(dir);
  auto folder = read_csv(dir.string());
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().what(),
            "[srma.csv.E106] " + dir.string() + ": this is a folder, not a file: name a CSV file");
  auto missing = read_csv((dir / "none.csv").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().what(), "[srma.csv.E106] " + (dir / "none.csv").string() +
                                        ": cannot open the file for reading: No such file or "
                                        "directory");
  if (getuid() != 0) {  // root reads anything
    const fs::path locked = dir / "locked.csv";
    std::ofstream(locked) << "study,yi,vi\n";
    fs::permissions(locked, fs::perms::none);
    auto denied = read_csv(locked.string());
    ASSERT_FALSE(denied);
    EXPECT_NE(denied.error().message.find("Permission denied"), std::string::npos);
    fs::permissions(locked, fs::perms::owner_all);
  }
  // The limit, tried with 1 MiB instead of read_csv's 1 GiB (limits::max_input_bytes).
  auto zero = read_file_text("/dev/zero", std::size_t{1} << 20);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().what(),
            "[srma.csv.E106] /dev/zero: the file is larger than 1 MiB, more than a study table can "
            "be; is it the right file?");
  std::ofstream(dir / "small.csv") << "study,yi,vi\n";
  EXPECT_FALSE(read_file_text((dir / "small.csv").string(), 11));  // 12 bytes
  EXPECT_EQ(*read_file_text((dir / "small.csv").string(), 12), "study,yi,vi\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace srma
