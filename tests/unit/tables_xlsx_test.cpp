// Table 1 as an Excel workbook (srma/project/tables.hpp, write_table_xlsx).
//
// The workbook is read back independently of srma and libxlsxwriter: tests/unit/xlsx_dump.py
// opens it with Python's zipfile and ElementTree (xl/workbook.xml, xl/worksheets/sheet1.xml,
// xl/sharedStrings.xml, xl/styles.xml, docProps/core.xml) and prints every cell as JSON. Every
// expected value below is the table's own text (the input of the test); numbers are expected
// as the double that the decimal text denotes; widths are the text's length in characters
// counted by hand; 315532800 s after the Unix epoch is 1980-01-01T00:00:00Z
// (`date -u -d @315532800`).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/project/tables.hpp"
#include "srma/util/error_ids.hpp"
#include "test_util.hpp"

namespace {

namespace fs = std::filesystem;
namespace pj = srma::project;
using nlohmann::json;

struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() /
           ("srma_xlsx_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
};

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The workbook as xlsx_dump.py reads it; a null value when python3 or the script fails.
json dump(const fs::path& xlsx) {
  const std::string cmd =
      "python3 '" SRMA_SOURCE_DIR "/tests/unit/xlsx_dump.py' '" + xlsx.string() + "' 2>&1";
  std::FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return nullptr;
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  if (pclose(pipe) != 0) {
    ADD_FAILURE() << "xlsx_dump.py failed:\n" << out;
    return nullptr;
  }
  return json::parse(out);
}

std::map<std::string, json> cells_by_ref(const json& d) {
  std::map<std::string, json> m;
  for (const auto& c : d.at("cells")) m[c.at("ref").get<std::string>()] = c;
  return m;
}

// "A".."Z" (the tests use at most 26 columns) and a 1-based row.
std::string ref(std::size_t col, std::size_t row) {
  return std::string(1, static_cast<char>('A' + col)) + std::to_string(row);
}

// A Table 1 as pj::table1 makes it: the study label first, the form's labels, NOS and quality.
// Diacritics, CJK text, an en dash, characters XML reserves and text that looks like a formula.
srma::csv_table sample_table() {
  srma::csv_table t;
  t.header = {"Study",       "Year",  "Country", "Design", "Patients (n)", "Median age (years)",
              "HR (95% CI)", "Notes", "NOS",     "Quality"};
  t.rows.push_back({{"Müller 2019", "2019", "Deutschland/Österreich", "Retrospective cohort", "128",
                     "63.5", "0.71 (0.52–0.97)", "", "8", "high"},
                    2});
  t.rows.push_back({{"Sørensen & Łukasz 2021", "2021", "Danmark", "Prospective cohort", "1042",
                     "58.25", "0.50", "<5% lost; \"ITT\"", "7", "high"},
                    3});
  t.rows.push_back({{"李 2020", "2020", "中国", "Retrospective cohort", "87", "61.0",
                     "1.10 (0.80–1.52)", "=SUM(E4:E5)", "", ""},
                    4});
  return t;
}

TEST(tables_xlsx_test, every_cell_as_a_reader_sees_it) {
  temp_dir dir;
  const auto t = sample_table();
  const auto file = dir.path / "table1.xlsx";
  auto ok = pj::write_table_xlsx(t, file.string(), "Characteristics of included studies");
  ASSERT_TRUE(ok) << ok.error().what();
  const json d = dump(file);
  ASSERT_FALSE(d.is_null());
  EXPECT_EQ(d.at("sheets"), json::array({"Table 1"}));
  EXPECT_EQ(d.at("title"), "Characteristics of included studies");
  EXPECT_EQ(d.at("created"), "1980-01-01T00:00:00Z");
  auto cells = cells_by_ref(d);

  // Row 1: the title in bold; row 2 empty; row 3 the header, bold.
  ASSERT_TRUE(cells.count("A1"));
  EXPECT_EQ(cells["A1"]["type"], "s");
  EXPECT_EQ(cells["A1"]["value"], "Characteristics of included studies");
  EXPECT_TRUE(cells["A1"]["bold"].get<bool>());
  for (std::size_t j = 0; j < 10; ++j) EXPECT_FALSE(cells.count(ref(j, 2))) << ref(j, 2);
  for (std::size_t j = 0; j < t.header.size(); ++j) {
    const auto r = ref(j, 3);
    ASSERT_TRUE(cells.count(r)) << r;
    EXPECT_EQ(cells[r]["type"], "s") << r;
    EXPECT_EQ(cells[r]["value"], t.header[j]) << r;
    EXPECT_TRUE(cells[r]["bold"].get<bool>()) << r;
  }

  // Data: numbers where the text is a plain decimal number, with a format that shows the same
  // digits; text (UTF-8 as given) elsewhere; empty fields are no cell at all.
  const std::map<std::string, std::string> number_format = {
      {"2019", "0"},   {"2021", "0"},    {"2020", "0"},   {"128", "0"},
      {"1042", "0"},   {"87", "0"},      {"63.5", "0.0"}, {"58.25", "0.00"},
      {"61.0", "0.0"}, {"0.50", "0.00"}, {"8", "0"},      {"7", "0"}};
  std::size_t numbers = 0;
  std::size_t texts = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    for (std::size_t j = 0; j < t.header.size(); ++j) {
      const auto r = ref(j, 4 + i);
      const std::string& field = t.rows[i].fields[j];
      if (field.empty()) {
        EXPECT_FALSE(cells.count(r)) << r;
        continue;
      }
      ASSERT_TRUE(cells.count(r)) << r;
      const auto& c = cells[r];
      EXPECT_FALSE(c["bold"].get<bool>()) << r;
      if (auto it = number_format.find(field); it != number_format.end() && j > 0) {
        ++numbers;
        EXPECT_EQ(c["type"], "n") << r;
        EXPECT_EQ(c["numfmt"], it->second) << r;
        EXPECT_REL(std::stod(c["value"].get<std::string>()), std::stod(field), 1e-15);
      } else {
        ++texts;
        EXPECT_EQ(c["type"], "s") << r;
        EXPECT_EQ(c["value"], field) << r;
      }
    }
  }
  // 3 years, 3 counts, 3 ages, 1 HR, 2 NOS totals; 3 labels, 3 countries, 3 designs, 2 HR
  // texts, 2 notes, 2 quality classes.
  EXPECT_EQ(numbers, 12u);
  EXPECT_EQ(texts, 15u);
  EXPECT_EQ(cells.size(), 1 + t.header.size() + numbers + texts);

  // Frozen below the header row: rows 1-3 stay in view.
  ASSERT_TRUE(d.at("freeze").is_object());
  EXPECT_EQ(d["freeze"]["ySplit"], "3");
  EXPECT_EQ(d["freeze"]["topLeftCell"], "A4");
  EXPECT_EQ(d["freeze"]["state"], "frozen");

  // Widths fitted to the longest entry of each column (the title is left out): at least its
  // length in characters, at most three more. Longest entries, counted by hand:
  // "Sørensen & Łukasz 2021" 22, "Year" 4 (x1.1 for bold), "Deutschland/Österreich" 22,
  // "Retrospective cohort" 20, "Patients (n)" 12 (x1.1), "Median age (years)" 18 (x1.1),
  // "1.10 (0.80–1.52)" 16, "<5% lost; \"ITT\"" 15, "NOS" 3 (x1.1; at least 6), "Quality" 7 (x1.1).
  const double longest[] = {22, 4.4, 22, 20, 13.2, 19.8, 16, 15, 3.3, 7.7};
  ASSERT_EQ(d.at("cols").size(), 10u);
  for (std::size_t j = 0; j < 10; ++j) {
    const auto& c = d["cols"][j];
    EXPECT_EQ(c["min"], j + 1);
    const double w = c["width"].get<double>();
    EXPECT_GE(w, std::max(longest[j], 6.0)) << "column " << j + 1;
    EXPECT_LE(w, std::max(longest[j], 6.0) + 3) << "column " << j + 1;
  }
  // The CJK label "李 2020" is 6 characters but 7 columns wide on screen; the country "中国" 4.
}

TEST(tables_xlsx_test, which_fields_are_numbers) {
  temp_dir dir;
  srma::csv_table t;
  t.header = {"Study", "Value"};
  // Numbers: Excel shows them with the same digits through the number format.
  const std::vector<std::pair<std::string, std::string>> numbers = {
      {"0", "0"},
      {"-0.25", "0.00"},
      {"0.5", "0.0"},
      {"123456789012345", "0"},  // 15 digits: a double holds it exactly
      {"99999.9999999999", "0.0000000000"}};
  // Text: leading zeros (an id), exponent, decimal comma, no digit before or after the point,
  // "-0" (Excel would show 0), a plus sign, 16 digits, spaces, thousands separator, percent.
  const std::vector<std::string> texts = {
      "007", "1e5", "1,5",   ".5",  "5.", "-0",  "+3", "1234567890123456",
      " 12", "12 ", "1,234", "45%", "-",  "0x1F"};
  for (const auto& [v, f] : numbers) t.rows.push_back({{"s", v}, 0});
  for (const auto& v : texts) t.rows.push_back({{"s", v}, 0});
  t.rows.push_back({{"2019", "2019"}, 0});  // a label that is all digits stays text
  const auto file = dir.path / "n.xlsx";
  ASSERT_TRUE(pj::write_table_xlsx(t, file.string()));
  const json d = dump(file);
  ASSERT_FALSE(d.is_null());
  auto cells = cells_by_ref(d);
  // No title: the header is row 1, data from row 2.
  EXPECT_EQ(cells["A1"]["value"], "Study");
  EXPECT_EQ(d["freeze"]["ySplit"], "1");
  EXPECT_EQ(d["freeze"]["topLeftCell"], "A2");
  std::size_t row = 2;
  for (const auto& [v, f] : numbers) {
    const auto r = "B" + std::to_string(row++);
    EXPECT_EQ(cells[r]["type"], "n") << v;
    EXPECT_EQ(cells[r]["numfmt"], f) << v;
    EXPECT_REL(std::stod(cells[r]["value"].get<std::string>()), std::stod(v), 1e-15);
  }
  for (const auto& v : texts) {
    const auto r = "B" + std::to_string(row++);
    EXPECT_EQ(cells[r]["type"], "s") << v;
    EXPECT_EQ(cells[r]["value"], v);
  }
  const auto r = std::to_string(row);
  EXPECT_EQ(cells["A" + r]["type"], "s");
  EXPECT_EQ(cells["A" + r]["value"], "2019");
  EXPECT_EQ(cells["B" + r]["type"], "n");
  EXPECT_EQ(d.at("title"), nullptr);
}

TEST(tables_xlsx_test, long_text_wraps_in_a_capped_column) {
  temp_dir dir;
  srma::csv_table t;
  t.header = {"Study", "Intervention"};
  const std::string long_text(200, 'x');
  t.rows.push_back({{"A 2001", long_text}, 0});
  t.rows.push_back({{"B 2002", "line one\nline two"}, 0});
  const auto file = dir.path / "w.xlsx";
  ASSERT_TRUE(pj::write_table_xlsx(t, file.string()));
  const json d = dump(file);
  ASSERT_FALSE(d.is_null());
  auto cells = cells_by_ref(d);
  EXPECT_EQ(cells["B2"]["value"], long_text);
  EXPECT_TRUE(cells["B2"]["wrap"].get<bool>());
  EXPECT_EQ(cells["B3"]["value"], "line one\nline two");
  // Capped at 60 characters (libxlsxwriter adds under one character of padding).
  EXPECT_GE(d["cols"][1]["width"].get<double>(), 60.0);
  EXPECT_LE(d["cols"][1]["width"].get<double>(), 61.0);
}

TEST(tables_xlsx_test, same_table_same_bytes) {
  temp_dir dir;
  const auto t = sample_table();
  const auto a = dir.path / "a.xlsx";
  const auto b = dir.path / "b.xlsx";
  ASSERT_TRUE(pj::write_table_xlsx(t, a.string(), "Table 1"));
  // A second later: a clock in the file (its properties, the zip entries' times) would show.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(pj::write_table_xlsx(t, b.string(), "Table 1"));
  const std::string first = read_bytes(a);
  EXPECT_GT(first.size(), 1000u);
  EXPECT_TRUE(first == read_bytes(b)) << "a second run gave different bytes";
  // Written again over itself: the same bytes, and no temporary file left.
  ASSERT_TRUE(pj::write_table_xlsx(t, a.string(), "Table 1"));
  EXPECT_TRUE(first == read_bytes(a)) << "rewriting gave different bytes";
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 2);
}

TEST(tables_xlsx_test, unwritable_path_is_an_error_and_leaves_no_file) {
  temp_dir dir;
  const auto t = sample_table();
  const auto missing = dir.path / "no such folder" / "table1.xlsx";
  auto r = pj::write_table_xlsx(t, missing.string(), "Table 1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, srma::errc::output_unwritable);
  EXPECT_EQ(r.error().message,
            "cannot write '" + missing.string() +
                "' (the folder must exist and be writable): No such file or directory");
  EXPECT_EQ(r.error().where.file, missing.string());
  // A "folder" that is a file.
  std::ofstream(dir.path / "plain") << "x";
  const auto under_file = dir.path / "plain" / "table1.xlsx";
  r = pj::write_table_xlsx(t, under_file.string(), "Table 1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, srma::errc::output_unwritable);
  EXPECT_EQ(r.error().message, "cannot write '" + under_file.string() +
                                   "' (the folder must exist and be writable): Not a directory");
  // The target is a folder: the workbook is made and then cannot replace it.
  fs::create_directory(dir.path / "t.xlsx");
  r = pj::write_table_xlsx(t, (dir.path / "t.xlsx").string(), "Table 1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, srma::errc::output_unwritable);
  EXPECT_EQ(r.error().message,
            "cannot write '" + (dir.path / "t.xlsx").string() + "': Is a directory");
  // Nothing left behind: only "plain" and the folder "t.xlsx" (empty) are there.
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir.path)) left.push_back(e.path().filename());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"plain", "t.xlsx"}));
  EXPECT_TRUE(fs::is_empty(dir.path / "t.xlsx"));
}

TEST(tables_xlsx_test, what_a_cell_cannot_hold_is_an_error_and_writes_nothing) {
  temp_dir dir;
  const auto file = dir.path / "table1.xlsx";
  const auto t = sample_table();
  ASSERT_TRUE(pj::write_table_xlsx(t, file.string()));
  const std::string before = read_bytes(file);

  auto bad = t;
  bad.rows[1].fields[2] = "Dan\xC3";  // cut in the middle of a two-byte character
  auto r = pj::write_table_xlsx(bad, file.string());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, srma::errc::project_xlsx_cell);
  EXPECT_EQ(r.error().what(), "[srma.project.E674] " + file.string() +
                                  ": row 2, column 'Country' is not valid UTF-8");

  // 32,767 characters fit a cell (two bytes each here: characters are counted, not bytes);
  // one more does not.
  std::string longest;
  for (int i = 0; i < 32767; ++i) longest += "é";
  bad = t;
  bad.rows[0].fields[7] = longest;
  const auto ok_file = dir.path / "longest.xlsx";
  ASSERT_TRUE(pj::write_table_xlsx(bad, ok_file.string()));
  const json d = dump(ok_file);
  ASSERT_FALSE(d.is_null());
  EXPECT_EQ(cells_by_ref(d)["H2"]["value"], longest);
  bad.rows[0].fields[7] += "é";
  r = pj::write_table_xlsx(bad, file.string());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what(), "[srma.project.E674] " + file.string() +
                                  ": row 1, column 'Notes' has 32768 characters; an Excel cell "
                                  "holds at most 32767");
  r = pj::write_table_xlsx(t, file.string(), "Table\xFF 1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the title is not valid UTF-8");
  // Overlong form of '/' and a UTF-16 surrogate are not UTF-8 either.
  bad = t;
  bad.header[3] = "De\xC0\xAFsign";
  r = pj::write_table_xlsx(bad, file.string());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the heading of column 4 is not valid UTF-8");
  bad.header[3] = "De\xED\xA0\x80sign";
  EXPECT_FALSE(pj::write_table_xlsx(bad, file.string()));

  // The earlier workbook is untouched and no temporary file is left.
  EXPECT_TRUE(read_bytes(file) == before) << "the earlier workbook was changed";
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 2);
}

}  // namespace
