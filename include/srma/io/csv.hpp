// File: srma/io/csv.hpp
//
// Reads delimited text files as spreadsheets and statistics programs write them: comma, semicolon
// or tab separated (detected from the header row), UTF-8 with or without a byte-order mark, LF or
// CRLF line ends, and RFC 4180 quoting (fields in double quotes may contain separators, doubled
// quotes and line breaks). Every field keeps the line and column it came from, so later errors can
// point at it.
//
// Example:
//
//   auto table = srma::read_csv("examples/bcg.csv");
//   if (!table) { std::cerr << table.error().what() << '\n'; return 1; }
//   for (std::size_t r = 0; r < table->rows.size(); ++r)
//     fmt::print("line {}: {}\n", table->rows[r].line, table->rows[r].fields[0]);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma {

/// One data row of a CSV file: its fields and the physical line on which it starts.
struct csv_row {
  std::vector<std::string> fields;
  int line = 0;
};

/// A parsed CSV file: header names, data rows and the separator that was detected.
struct csv_table {
  std::string source;               ///< File name as given (used in error messages).
  char separator = ',';             ///< ',', ';' or '\t'.
  std::vector<std::string> header;  ///< Column names, surrounding white space removed.
  int header_line = 1;              ///< Physical line of the header row.
  std::vector<csv_row> rows;

  /// Index of the column whose name equals `name` ignoring ASCII case; -1 when absent.
  [[nodiscard]] int find_column(std::string_view name) const;
  /// Error location of field `column` (0-based) of data row `row` (0-based).
  [[nodiscard]] error_location where(std::size_t row, std::size_t column) const;
};

/// Parses CSV text. `source` names the input in error messages.
///
/// Errors: srma.csv.E101 (unterminated quote), E102 (row with a different number of fields than
/// the header), E103 (invalid UTF-8), E104 (no header row), E105 (empty or duplicate column name),
/// E107 (stray character after a closing quote).
[[nodiscard]] expected<csv_table> parse_csv(std::string_view text, std::string source);

/// Reads and parses a CSV file. Errors: those of `parse_csv`, and srma.csv.E106 when the file
/// cannot be opened or read.
[[nodiscard]] expected<csv_table> read_csv(const std::string& path);

/// One field as CSV text: quoted (with inner quotes doubled) when it holds the separator, a
/// quote, a line break or leading/trailing space; as is otherwise.
[[nodiscard]] std::string format_csv_field(std::string_view field, char separator = ',');

/// The table as CSV text (header row, then the data rows, each ended by "\n"), with the table's
/// separator. Reading the text back with parse_csv gives the same header and fields.
[[nodiscard]] std::string format_csv(const csv_table& table);

/// Writes `format_csv(table)` to `path` through a temporary file in the same folder renamed
/// over it, so the file is either the old or the new table, never a partial one. Errors:
/// srma.output.E801 when the folder or file cannot be written.
[[nodiscard]] expected<void> write_csv(const csv_table& table, const std::string& path);

}  // namespace srma
