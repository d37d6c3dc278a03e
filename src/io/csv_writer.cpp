// CSV writer: the counterpart of csv_reader.cpp (RFC 4180 quoting), and an atomic file write so
// that updating a study file (srma km hr --append-to) never leaves half a file behind.

#include "srma/io/csv.hpp"
#include "srma/io/file.hpp"

namespace srma {

std::string format_csv_field(std::string_view field, char separator) {
  const bool quote =
      field.find_first_of(std::string{separator, '"', '\n', '\r'}) != std::string_view::npos ||
      (!field.empty() && (field.front() == ' ' || field.back() == ' ' || field.front() == '\t' ||
                          field.back() == '\t'));
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string format_csv(const csv_table& table) {
  std::string out;
  auto add_row = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += table.separator;
      out += format_csv_field(fields[i], table.separator);
    }
    out += '\n';
  };
  add_row(table.header);
  for (const auto& row : table.rows) add_row(row.fields);
  return out;
}

expected<void> write_csv(const csv_table& table, const std::string& path) {
  return write_file_atomic(path, format_csv(table));
}

}  // namespace srma
