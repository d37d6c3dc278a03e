// File: srma/io/compact_csv.hpp
//
// A CSV file held compactly: the text of every field back to back in one buffer, an offset per
// field and a line number per row, so that a file of 10^7 rows costs about its own size in
// memory instead of a string per field. Read by the same tokenizer as `parse_csv` (same
// separator detection, quoting, trimming, blank-line and trailing-separator rules, same errors
// with the same positions), so a study file gives the same studies either way.
//
// Example:
//
//   auto csv = srma::read_csv_compact("big.csv");
//   if (!csv) { std::cerr << csv.error().what() << '\n'; return 1; }
//   fmt::print("{} rows; first field of the last: {}\n", csv->rows(),
//              csv->field(csv->rows() - 1, 0));
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma {

/// The header, rows and positions of a CSV file, the field text stored in one buffer.
struct compact_csv {
  std::string source;               ///< File name as given (used in error messages).
  char separator = ',';             ///< ',', ';' or '\t'.
  std::vector<std::string> header;  ///< Column names, surrounding white space removed.
  int header_line = 1;              ///< Physical line of the header row.
  std::string text;                 ///< Every field (trimmed, unquoted), row by row.
  std::vector<std::uint32_t> ends;  ///< End of each field in `text`, row-major.
  std::vector<int> lines;           ///< Physical line on which each data row starts.

  /// Number of data rows.
  [[nodiscard]] std::size_t rows() const { return lines.size(); }
  /// Field `column` (0-based) of data row `row` (0-based).
  [[nodiscard]] std::string_view field(std::size_t row, std::size_t column) const {
    const std::size_t i = row * header.size() + column;
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
  /// Index of the column whose name equals `name` ignoring ASCII case; -1 when absent.
  [[nodiscard]] int find_column(std::string_view name) const;
  /// Error location of field `column` (0-based) of data row `row` (0-based).
  [[nodiscard]] error_location where(std::size_t row, std::size_t column) const;
};

/// Parses CSV text as `parse_csv` does, with the same errors (srma.csv.E101 to E105, E107), and
/// srma.csv.E106 for a text over 4 GiB.
[[nodiscard]] expected<compact_csv> parse_csv_compact(std::string_view text, std::string source);

/// Reads and parses a CSV file. Errors: those of `parse_csv_compact`, and srma.csv.E106 when
/// the file cannot be opened or read.
[[nodiscard]] expected<compact_csv> read_csv_compact(const std::string& path);

}  // namespace srma
