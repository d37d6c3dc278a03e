// CSV reader. Written by hand: Debian 12 packages no maintained C++ CSV library, and what we need
// (separator detection, positions of every field for error messages, strict UTF-8) is small.
#include <fmt/format.h>

#include <algorithm>

#include "srma/io/csv.hpp"
#include "srma/io/file.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      n = 1;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      n = 3;
    } else {
      return i;
    }
    for (std::size_t j = 1; j <= n; ++j) {
      if (i + j >= s.size()) return i;
      if ((static_cast<unsigned char>(s[i + j]) & 0xC0) != 0x80) return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

// Picks the separator from the header line: the most frequent of ',', ';', '\t' outside quotes.
char detect_separator(std::string_view text) {
  int counts[3] = {0, 0, 0};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    if (c == ',') ++counts[0];
    if (c == ';') ++counts[1];
    if (c == '\t') ++counts[2];
  }
  if (counts[1] > counts[0] && counts[1] >= counts[2]) return ';';
  if (counts[2] > counts[0] && counts[2] > counts[1]) return '\t';
  return ',';
}

struct raw_record {
  std::vector<std::string> fields;
  int line = 0;
};

}  // namespace

int csv_table::find_column(std::string_view name) const {
  for (std::size_t j = 0; j < header.size(); ++j) {
    if (detail::iequals(header[j], name)) return static_cast<int>(j);
  }
  return -1;
}

error_location csv_table::where(std::size_t row, std::size_t column) const {
  return {source, rows.at(row).line, static_cast<int>(column) + 1};
}

expected<csv_table> parse_csv(std::string_view text, std::string source) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    return fail(errc::csv_invalid_utf8,
                fmt::format("invalid UTF-8 byte 0x{:02X}; save the file as UTF-8",
                            static_cast<unsigned char>(text[bad])),
                {source, line, 0});
  }

  csv_table table;
  table.source = std::move(source);
  table.separator = detect_separator(text);
  const char sep = table.separator;

  std::vector<raw_record> records;
  raw_record rec;
  std::string field;
  int line = 1;
  rec.line = 1;
  bool in_quotes = false;
  bool after_quote = false;  // just closed a quoted field
  int quote_line = 0;
  std::size_t i = 0;
  auto end_field = [&] {
    rec.fields.push_back(std::move(field));
    field.clear();
    after_quote = false;
  };
  auto end_record = [&] {
    end_field();
    // A line holding nothing at all (or only separators) is not a record.
    bool blank = true;
    for (const auto& f : rec.fields) {
      if (!detail::trim(f).empty()) {
        blank = false;
        break;
      }
    }
    if (!blank) records.push_back(std::move(rec));
    rec = raw_record{};
  };
  while (i < text.size()) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        in_quotes = false;
        after_quote = true;
        ++i;
        continue;
      }
      if (c == '\n') ++line;
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;  // CRLF inside a quoted field becomes LF
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (c == '"' && detail::trim(field).empty() && !after_quote) {
      field.clear();
      in_quotes = true;
      quote_line = line;
      ++i;
      continue;
    }
    if (c == sep) {
      end_field();
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      end_record();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      rec.line = line;
      continue;
    }
    if (after_quote && c != ' ' && c != '\t') {
      return fail(errc::csv_text_after_quote,
                  fmt::format("unexpected character '{}' after a closing quote; a quote inside a "
                              "quoted field must be doubled (\"\")",
                              c),
                  {table.source, line, static_cast<int>(rec.fields.size()) + 1});
    }
    if (!after_quote) field += c;
    ++i;
  }
  if (in_quotes) {
    return fail(errc::csv_unterminated_quote, "quoted field is never closed: a '\"' is missing",
                {table.source, quote_line, static_cast<int>(rec.fields.size()) + 1});
  }
  if (!field.empty() || !rec.fields.empty() || after_quote) end_record();

  if (records.empty()) {
    return fail(errc::csv_empty, "the file is empty: expected a header row naming the columns",
                {table.source, 0, 0});
  }
  table.header_line = records.front().line;
  for (std::size_t j = 0; j < records.front().fields.size(); ++j) {
    std::string name{detail::trim(records.front().fields[j])};
    if (name.empty()) {
      return fail(errc::csv_bad_column_name, "column name is empty: every column needs a name",
                  {table.source, table.header_line, static_cast<int>(j) + 1});
    }
    for (std::size_t prev = 0; prev < table.header.size(); ++prev) {
      if (detail::iequals(table.header[prev], name)) {
        return fail(errc::csv_bad_column_name,
                    fmt::format("column name '{}' appears twice (columns {} and {})", name,
                                prev + 1, j + 1),
                    {table.source, table.header_line, static_cast<int>(j) + 1});
      }
    }
    table.header.push_back(std::move(name));
  }
  const std::size_t ncol = table.header.size();
  for (std::size_t r = 1; r < records.size(); ++r) {
    auto& fields = records[r].fields;
    // Trailing empty fields beyond the header (a trailing separator) are harmless.
    while (fields.size() > ncol && detail::trim(fields.back()).empty()) fields.pop_back();
    if (fields.size() != ncol) {
      return fail(
          errc::csv_field_count,
          fmt::format("row has {} fields, but the header has {} columns", fields.size(), ncol),
          {table.source, records[r].line, 0});
    }
    for (auto& f : fields) f = std::string(detail::trim(f));
    table.rows.push_back(csv_row{std::move(fields), records[r].line});
  }
  return table;
}

expected<csv_table> read_csv(const std::string& path) {
  auto text = read_file_text(path);
  if (!text) return unexpected(text.error());
  return parse_csv(*text, path);
}

}  // namespace srma
