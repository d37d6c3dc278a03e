// File: tests/fuzz/csv_fuzz.cpp
//
// Fuzz target: the CSV tokenizer through its readers, parse_csv (a string per field),
// parse_csv_compact (one buffer) and read_csv_compact (which writes the fields over the file's
// own text, read here from an in-memory file). Besides crashes it checks what
// srma/io/compact_csv.hpp promises: the readers give the same table, or the same error.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = srma_fuzz::text(data, size);
  auto csv = srma::parse_csv(in, "fuzz.csv");
  auto compact = srma::parse_csv_compact(in, "fuzz.csv");
  srma_fuzz::fuzz_check(csv.has_value() == compact.has_value(),
                        "parse_csv and parse_csv_compact disagree on success");
  // The same bytes as a file, read in place.
  static const int fd = memfd_create("fuzz_csv", 0);
  if (fd >= 0 && ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == static_cast<ssize_t>(size)) {
    auto in_place = srma::read_csv_compact("/proc/self/fd/" + std::to_string(fd));
    srma_fuzz::fuzz_check(in_place.has_value() == compact.has_value(),
                          "read_csv_compact and parse_csv_compact disagree on success");
    if (in_place) {
      srma_fuzz::fuzz_check(
          in_place->header == compact->header && in_place->text == compact->text &&
              in_place->ends == compact->ends && in_place->lines == compact->lines,
          "read_csv_compact (in place) and parse_csv_compact differ");
    } else {
      srma_fuzz::fuzz_check(in_place.error().id == compact.error().id,
                            "read_csv_compact and parse_csv_compact give different error ids");
    }
  }
  if (!csv) {
    srma_fuzz::fuzz_check(csv.error().id == compact.error().id,
                          "parse_csv and parse_csv_compact give different error ids");
    srma_fuzz::fuzz_check(csv.error().id.starts_with("srma.csv.E"), "a CSV error without its id");
    return 0;
  }
  srma_fuzz::fuzz_check(csv->header == compact->header, "different headers");
  srma_fuzz::fuzz_check(csv->separator == compact->separator, "different separators");
  srma_fuzz::fuzz_check(csv->rows.size() == compact->rows(), "different row counts");
  for (std::size_t r = 0; r < csv->rows.size(); ++r) {
    const auto& row = csv->rows[r];
    srma_fuzz::fuzz_check(row.fields.size() == csv->header.size(), "a row of another width");
    srma_fuzz::fuzz_check(row.line == compact->lines[r], "different row lines");
    for (std::size_t c = 0; c < row.fields.size(); ++c) {
      srma_fuzz::fuzz_check(row.fields[c] == compact->field(r, c), "different field text");
    }
  }
  // What srma writes, it reads back as the same table (format_csv quotes where needed). Not
  // checked when a header cell holds another of the separators srma detects: format_csv quotes
  // only its own separator, so a header cell "a\tb" of a ';' file reads back as two columns (a
  // file that is ambiguous itself: see docs/reliability.md).
  auto other_separator = [&](const std::string& f) {
    for (const char c : {',', ';', '\t'}) {
      if (c != csv->separator && f.find(c) != std::string::npos) return true;
    }
    return false;
  };
  // Nor when the first header cell starts with U+FEFF (after blank lines): written first, it
  // reads back as a byte-order mark.
  // Nor for one column read with ';' or a tab, which only a line of separators before the
  // header (a blank record) chose: written out, the header line has no separator to detect.
  bool ambiguous = !csv->header.empty() && csv->header[0].starts_with("\xEF\xBB\xBF");
  ambiguous = ambiguous || (csv->header.size() < 2 && csv->separator != ',');
  // Nor for a header cell holding a CR: CRLF inside quotes reads as LF, so CR CR LF reads as
  // CR LF, written out and read again as LF.
  for (const auto& h : csv->header) ambiguous = ambiguous || h.find('\r') != std::string::npos;
  for (const auto& h : csv->header) ambiguous = ambiguous || other_separator(h);
  auto again = srma::parse_csv(srma::format_csv(*csv), "again.csv");
  if (!csv->header.empty() && !ambiguous) {
    srma_fuzz::fuzz_check(again.has_value(), "format_csv output does not read back");
    srma_fuzz::fuzz_check(again->header == csv->header, "format_csv round trip: header");
    srma_fuzz::fuzz_check(again->rows.size() == csv->rows.size(), "format_csv round trip: rows");
  }
  return 0;
}
