// CSV reader. Written by hand: Debian 12 packages no maintained C++ CSV library, and what we need
// (separator detection, positions of every field for error messages, strict UTF-8) is small. The
// tokenizer (csv_tokenizer.hpp) is shared with read_csv_compact and csv_stream.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>

#include "csv_tokenizer.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"
#include "srma/io/file.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

// What every reader shares: the byte-order mark, the UTF-8 check, the separator, the header
// checks and the field count of every row, with the errors in the order they always had (E103
// before anything, then E101/E107 anywhere in the file, then E104, E105, and the first E102).
// `on_header(names)` and `on_row(fields, line)` receive the records.
template <class OnHeader, class OnRow>
expected<char> parse_records(std::string_view text, const std::string& source, int* header_line,
                             OnHeader&& on_header, OnRow&& on_row) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (auto bad = detail::find_invalid_utf8(text); bad != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    return fail(errc::csv_invalid_utf8,
                fmt::format("invalid UTF-8 byte 0x{:02X}; save the file as UTF-8",
                            static_cast<unsigned char>(text[bad])),
                {source, line, 0});
  }
  const char sep = detail::detect_separator(text);
  detail::csv_tokenizer tok(sep, source);
  std::size_t pos = 0;
  int line = 1;
  bool have_header = false;
  std::size_t ncol = 0;
  std::optional<error> header_error;
  std::optional<error> count_error;
  std::vector<std::string> header;
  detail::header_names names;
  for (;;) {
    const auto s = tok.next(text, pos, line, true);
    if (s == detail::csv_tokenizer::status::failed) return unexpected(tok.failure());
    if (s != detail::csv_tokenizer::status::record) break;
    const auto& fields = tok.fields();
    if (!have_header) {
      have_header = true;
      *header_line = tok.line();
      for (std::size_t j = 0; j < fields.size() && !header_error; ++j) {
        std::string name(fields[j]);
        if (name.empty()) {
          header_error = error{errc::csv_bad_column_name,
                               "column name is empty: every column needs a name",
                               {source, tok.line(), static_cast<int>(j) + 1}};
          break;
        }
        if (const std::size_t prev = names.add(name, j); prev != std::string_view::npos) {
          header_error = error{errc::csv_bad_column_name,
                               fmt::format("column name '{}' appears twice (columns {} and {})",
                                           name, prev + 1, j + 1),
                               {source, tok.line(), static_cast<int>(j) + 1}};
          break;
        }
        header.push_back(std::move(name));
      }
      ncol = header.size();
      if (!header_error) on_header(header);
      continue;
    }
    if (header_error || count_error) continue;  // only an earlier-ranked error can still come
    // Trailing empty fields beyond the header (a trailing separator) are harmless.
    std::size_t n = fields.size();
    while (n > ncol && fields[n - 1].empty()) --n;
    if (n != ncol) {
      count_error = error{errc::csv_field_count,
                          fmt::format("row has {} fields, but the header has {} columns", n, ncol),
                          {source, tok.line(), 0}};
      continue;
    }
    on_row(std::span<const std::string_view>(fields.data(), n), tok.line());
  }
  if (!have_header) {
    return fail(errc::csv_empty, "the file is empty: expected a header row naming the columns",
                {source, 0, 0});
  }
  if (header_error) return unexpected(*header_error);
  if (count_error) return unexpected(*count_error);
  return sep;
}

int find_name(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t j = 0; j < header.size(); ++j) {
    if (detail::iequals(header[j], name)) return static_cast<int>(j);
  }
  return -1;
}

}  // namespace

int csv_table::find_column(std::string_view name) const { return find_name(header, name); }

error_location csv_table::where(std::size_t row, std::size_t column) const {
  return {source, rows.at(row).line, static_cast<int>(column) + 1};
}

expected<csv_table> parse_csv(std::string_view text, std::string source) {
  csv_table table;
  table.source = std::move(source);
  auto sep = parse_records(
      text, table.source, &table.header_line,
      [&](const std::vector<std::string>& names) { table.header = names; },
      [&](std::span<const std::string_view> fields, int line) {
        csv_row row;
        row.line = line;
        row.fields.reserve(fields.size());
        for (auto f : fields) row.fields.emplace_back(f);
        table.rows.push_back(std::move(row));
      });
  if (!sep) return unexpected(sep.error());
  table.separator = *sep;
  return table;
}

expected<csv_table> read_csv(const std::string& path) {
  auto text = read_file_text(path);
  if (!text) return unexpected(text.error());
  return parse_csv(*text, path);
}

int compact_csv::find_column(std::string_view name) const { return find_name(header, name); }

error_location compact_csv::where(std::size_t row, std::size_t column) const {
  return {source, lines.at(row), static_cast<int>(column) + 1};
}

namespace {

// parse_csv_compact into `table`, the fields written back to back either appended to
// table.text (`in_place` false) or over the text itself, which then is table.text (`in_place`
// true): a field is never written past where it was read (separators, quotes, blanks and line
// ends are dropped, never added), and the tokenizer has read a record before its fields are
// written, so no byte is overwritten before it is read. In place, a file costs no second buffer
// of its size, nor the copy into it (a fifth of `srma pool`'s time on 10^6 studies).
expected<void> compact(std::string_view text, compact_csv& table, bool in_place) {
  if (text.size() > std::numeric_limits<std::uint32_t>::max()) {
    return fail(errc::csv_unreadable,
                "the text is larger than 4 GiB, more than a study table can be",
                {table.source, 0, 0});
  }
  char* out = in_place ? table.text.data() : nullptr;
  std::size_t written = 0;
  if (!in_place) table.text.reserve(text.size());  // fields are never longer than the text
  const std::size_t newlines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  table.lines.reserve(newlines + 1);
  auto sep = parse_records(
      text, table.source, &table.header_line,
      [&](const std::vector<std::string>& names) {
        table.header = names;
        table.ends.reserve((newlines + 1) * names.size());
      },
      [&](std::span<const std::string_view> fields, int line) {
        table.lines.push_back(line);
        for (auto f : fields) {
          if (in_place) {
            std::memmove(out + written, f.data(), f.size());
            written += f.size();
          } else {
            table.text.append(f);
            written = table.text.size();
          }
          table.ends.push_back(static_cast<std::uint32_t>(written));
        }
      });
  if (!sep) return unexpected(sep.error());
  table.separator = *sep;
  if (in_place) {
    table.text.resize(written);  // the capacity stays: its pages are in memory already
  } else {
    table.text.shrink_to_fit();
  }
  return {};
}

}  // namespace

expected<compact_csv> parse_csv_compact(std::string_view text, std::string source) {
  compact_csv table;
  table.source = std::move(source);
  if (auto ok = compact(text, table, false); !ok) return unexpected(ok.error());
  return table;
}

expected<compact_csv> read_csv_compact(const std::string& path) {
  auto text = read_file_text(path);
  if (!text) return unexpected(text.error());
  compact_csv table;
  table.source = path;
  table.text = std::move(*text);
  // The view stays valid: table.text is neither moved nor reallocated until compact returns.
  const std::string_view view(table.text);
  if (auto ok = compact(view, table, true); !ok) return unexpected(ok.error());
  return table;
}

}  // namespace srma
