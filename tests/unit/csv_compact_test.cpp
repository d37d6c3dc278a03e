// The three CSV readers (parse_csv, parse_csv_compact, csv_stream) share one tokenizer: on every
// text here they must give the same header, fields, lines and errors (the oracle is parse_csv,
// whose behaviour tests/unit/csv_test.cpp pins down), and make_study_table must give the same
// studies from a csv_table and from a compact_csv.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"
#include "srma/io/csv_stream.hpp"

namespace srma {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> texts = {
      "study,yi,vi\nA,0.1,0.2\nB,0.3,0.4\n",
      "study;yi;vi\nA;0,1;0,2\n",
      "study\tyi\tvi\nA\t0.1\t0.2\n",
      "\xEF\xBB\xBFstudy,yi\r\nA,1\r\nB,2\r\n",
      "study,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"Two\nlines\",x\nC,y\n",
      "study,note\n\"a\r\nb\",\"c\"\"\r\nd\"\r\n",
      "a,b\n\n1,2\n,\n3,4",
      "a,b\n1,\"oops\n",
      "a,b\n1,2,3\n",
      "a,b\n1,2,\n",
      "a,b\n1,2,,,\n3,4\n",
      "a,b\n\"x\" y,2\n",
      "a,b\n\"x\"\"\",2\n\"\"\"\",3\n",
      "a,b\n  \"x\"  ,  2  \n",
      "a,b\nx\"y,2\n",
      "",
      "\n\n",
      ",b\n1,2\n",
      "a,A\n1,2\n",
      "a,b\n1,\xff\n",
      "a,b\r1,2\r3,4",
      "a,b\n1,2\r\n3,4\n\r\n5,6",
      "a,b\n\"multi\nline\nfield\",2\n3,\"x\"\n",
      "study,yi,vi\nA,1e-3,2E-2\nB,-0.5,+0.25\n",
      "a,b\n\"x\",\"unterminated\n",
      "a,b\n1,2\n3\n\"oops\n",
      "h1,h2\n\xC3\xA9,\xE2\x82\xAC\n",
      "a,b\n1,2\n\xF0\x9F\x98\x80,3\n",
  };
  return texts;
}

std::string temp_file(const std::string& text, int i) {
  const fs::path p = fs::temp_directory_path() / ("srma_csv_compact_" + std::to_string(getpid()) +
                                                  "_" + std::to_string(i) + ".csv");
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

// What parse_csv gives, as plain data: header, rows (line, fields) or the error text.
struct flat {
  std::vector<std::string> header;
  std::vector<std::pair<int, std::vector<std::string>>> rows;
  std::string error;
  char separator = 0;
  int header_line = 0;
  bool operator==(const flat&) const = default;
};

flat from_table(const expected<csv_table>& t) {
  flat f;
  if (!t) {
    f.error = t.error().what();
    return f;
  }
  f.header = t->header;
  f.separator = t->separator;
  f.header_line = t->header_line;
  for (const auto& r : t->rows) f.rows.emplace_back(r.line, r.fields);
  return f;
}

flat from_compact(const expected<compact_csv>& t) {
  flat f;
  if (!t) {
    f.error = t.error().what();
    return f;
  }
  f.header = t->header;
  f.separator = t->separator;
  f.header_line = t->header_line;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    std::vector<std::string> fields;
    for (std::size_t c = 0; c < t->header.size(); ++c) fields.emplace_back(t->field(r, c));
    f.rows.emplace_back(t->lines[r], fields);
  }
  return f;
}

TEST(csv_compact_test, compact_reader_equals_parse_csv_on_every_text) {
  for (const auto& text : corpus()) {
    SCOPED_TRACE(text);
    EXPECT_EQ(from_compact(parse_csv_compact(text, "t.csv")), from_table(parse_csv(text, "t.csv")));
  }
}

// read_csv_compact writes the fields over the file's own text (in place); it must give what
// parse_csv gives on every text of the corpus, errors included, and on longer texts whose
// quoted fields with doubled quotes and CRLF go through the tokenizer's scratch buffer.
TEST(csv_compact_test, reading_a_file_in_place_equals_parse_csv) {
  std::vector<std::string> texts = corpus();
  std::string long_text = "study,note,yi\r\n";
  for (int r = 0; r < 2000; ++r) {
    long_text +=
        "S" + std::to_string(r) + ",\"a \"\"q\"\"\r\nb\"  ,  " + std::to_string(r % 7) + "\r\n";
    if (r % 100 == 0) long_text += " , , \n";  // a blank record, skipped
  }
  texts.push_back(long_text);
  int i = 500;
  for (const auto& text : texts) {
    SCOPED_TRACE(text.substr(0, 80));
    const std::string path = temp_file(text, i++);
    auto in_place = read_csv_compact(path);
    auto expected_table = from_table(parse_csv(text, path));
    EXPECT_EQ(from_compact(in_place), expected_table);
    fs::remove(path);
  }
}

TEST(csv_compact_test, stream_equals_parse_csv_when_the_file_has_one_error_or_none) {
  int i = 0;
  for (const auto& text : corpus()) {
    SCOPED_TRACE(text);
    const std::string path = temp_file(text, i++);
    const flat want = from_table(read_csv(path));
    flat got;
    auto in = csv_stream::open(path);
    if (!in) {
      got.error = in.error().what();
    } else {
      got.header = in->header();
      got.separator = in->separator();
      got.header_line = in->header_line();
      for (;;) {
        auto more = in->next();
        if (!more) {
          got = flat{};
          got.error = more.error().what();
          break;
        }
        if (!*more) break;
        std::vector<std::string> fields(in->fields().begin(), in->fields().end());
        got.rows.emplace_back(in->line(), fields);
      }
    }
    // The stream reports a short row before a later unterminated quote (documented); only the
    // text with both errors differs, and there the stream names the earlier one.
    if (text == "a,b\n1,2\n3\n\"oops\n") {
      EXPECT_EQ(got.error,
                "[srma.csv.E102] " + path + ":3: row has 1 fields, but the header has 2 columns");
      EXPECT_EQ(want.error, "[srma.csv.E101] " + path +
                                ":4:1: quoted field is never closed: a '\"' is missing");
    } else {
      EXPECT_EQ(got, want);
    }
    fs::remove(path);
  }
}

// Rows longer than a block of the stream (1 MiB) and a file of many blocks.
TEST(csv_compact_test, stream_reads_records_across_blocks) {
  std::string text = "id,note,x\n";
  std::string big(3'000'000, 'z');
  text += "a,\"" + big + "\",1\n";
  for (int i = 0; i < 200'000; ++i) text += "b" + std::to_string(i) + ",\"q\"\"\r\nr\",2\n";
  const std::string path = temp_file(text, 999);
  auto in = csv_stream::open(path);
  ASSERT_TRUE(in) << in.error().what();
  auto more = in->next();
  ASSERT_TRUE(more && *more);
  EXPECT_EQ(in->fields()[1].size(), big.size());
  EXPECT_EQ(in->line(), 2);
  int n = 0;
  int last_line = 0;
  for (;;) {
    more = in->next();
    ASSERT_TRUE(more) << more.error().what();
    if (!*more) break;
    ++n;
    ASSERT_EQ(in->fields()[1], "q\"\nr");
    last_line = in->line();
  }
  EXPECT_EQ(n, 200'000);
  EXPECT_EQ(last_line, 3 + 2 * (200'000 - 1));  // each record spans two lines
  EXPECT_EQ(in->bytes_read(), text.size());
  fs::remove(path);
}

// A study table from a compact_csv equals the one from a csv_table, notices and errors included.
TEST(csv_compact_test, study_tables_agree) {
  const std::vector<std::string> texts = {
      "study,yi,vi,year\nA,0.1,0.02,1990\nB,0.3,0.04,1991\nA,0.2,0.01,1992\n",
      "yi,vi\n0.1,0.02\n0.3,-0.04\n",
      "study,yi,vi\nA,0.1,0.02\nB,x,0.04\nC,1,-1\n",
      "study,events_t,n_t,events_c,n_c\nA,0,10,0,12\nB,3,10,1,12\nC,0,10,2,12\n",
      "study,hr,lower,upper,loghr,se\nA,0.5,0.25,1,,\nB,,,,-0.2,0.1\n",
      "study,m1,sd1,n1,m2,sd2,n2\nA,1,2,20,1.5,2,21\nB,2,1,10,1,1,11\n",
      "study,yi,sei\nA,1e300,1e200\nB,0.1,0.2\n",
      "study,yi,vi\nA,,\nB,0.1,0.2\n",
  };
  for (const auto& text : texts) {
    SCOPED_TRACE(text);
    for (auto missing : {missing_policy::error, missing_policy::exclude}) {
      read_options o;
      o.missing = missing;
      auto a = make_study_table(*parse_csv(text, "s.csv"), o);
      auto b = make_study_table(*parse_csv_compact(text, "s.csv"), o);
      ASSERT_EQ(a.has_value(), b.has_value());
      if (!a) {
        EXPECT_EQ(a.error().what(), b.error().what());
        continue;
      }
      EXPECT_EQ(a->study, b->study);
      EXPECT_EQ(a->label_as_given, b->label_as_given);
      EXPECT_EQ(a->yi, b->yi);
      EXPECT_EQ(a->vi, b->vi);
      EXPECT_EQ(a->line, b->line);
      EXPECT_EQ(a->attributes, b->attributes);
      EXPECT_EQ(a->attribute_names, b->attribute_names);
      EXPECT_EQ(a->notices, b->notices);
      EXPECT_EQ(a->sample_size, b->sample_size);
      EXPECT_EQ(a->zero_cell_corrected, b->zero_cell_corrected);
      ASSERT_EQ(a->excluded.size(), b->excluded.size());
    }
  }
}

}  // namespace
}  // namespace srma
