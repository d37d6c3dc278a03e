// File: srma/io/csv_stream.hpp
//
// Reads a CSV file row by row in bounded memory: a block of the file at a time, whatever its
// size, with the tokenizer, the header checks and the field-count check of `parse_csv`. For
// files too large to hold, and for work that can start before the whole file is read (srma
// batch). Errors come as the rows are reached (parse_csv finds an unterminated quote at the end
// of a file before a short row at its start; the stream finds the short row first).
//
// Example:
//
//   auto in = srma::csv_stream::open("many.csv");
//   if (!in) { std::cerr << in.error().what() << '\n'; return 1; }
//   for (;;) {
//     auto more = in->next();
//     if (!more) { std::cerr << more.error().what() << '\n'; return 1; }
//     if (!*more) break;
//     fmt::print("line {}: {}\n", in->line(), in->fields()[0]);
//   }
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma {

/// A CSV file opened for reading row by row.
class csv_stream {
 public:
  /// Opens `path` and reads its header row. Errors: srma.csv.E106 (cannot be opened or read),
  /// E103 (invalid UTF-8), E104 (no header row), E105 (empty or duplicate column name), E101,
  /// E107.
  [[nodiscard]] static expected<csv_stream> open(const std::string& path);

  csv_stream(csv_stream&&) noexcept;
  csv_stream& operator=(csv_stream&&) noexcept;
  ~csv_stream();

  /// Reads the next data row: true when there is one (see fields(), line(), offset()), false
  /// at the end of the file. Errors: srma.csv.E101, E102, E103, E106, E107, located.
  [[nodiscard]] expected<bool> next();

  /// The fields of the current row, trimmed, as many as the header has columns; valid until the
  /// next call of next().
  [[nodiscard]] std::span<const std::string_view> fields() const;
  /// The physical line on which the current row starts.
  [[nodiscard]] int line() const;
  /// Byte offset in the file at which the reading of the current row started.
  [[nodiscard]] std::uint64_t offset() const;

  [[nodiscard]] const std::string& source() const;
  [[nodiscard]] const std::vector<std::string>& header() const;
  [[nodiscard]] int header_line() const;
  [[nodiscard]] char separator() const;
  /// Index of the column whose name equals `name` ignoring ASCII case; -1 when absent.
  [[nodiscard]] int find_column(std::string_view name) const;
  /// Bytes of the file read so far, and its size (0 when not a regular file).
  [[nodiscard]] std::uint64_t bytes_read() const;
  [[nodiscard]] std::uint64_t file_size() const;

 private:
  struct impl;
  explicit csv_stream(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace srma
