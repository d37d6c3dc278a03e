// write_table_xlsx: Table 1 as an Excel workbook through libxlsxwriter. Every field is checked
// before the workbook is made (UTF-8, Excel's 32,767 characters per cell, the sheet's size), so
// the only failures left are those of the file system; the workbook goes to a temporary file
// beside the target that is renamed over it.
#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>

#include "srma/project/tables.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::project {
namespace {

constexpr std::size_t max_cell_chars = 32767;  // Excel's limit on the characters of one cell
constexpr std::size_t max_rows = 1048576;      // rows of an Excel sheet
constexpr std::size_t max_columns = 16384;     // columns of an Excel sheet
constexpr double max_width = 60;               // widest column, in characters; longer text wraps
constexpr double min_width = 6;
// 1980-01-01 00:00:00 UTC: a fixed creation time makes the same table give the same bytes.
constexpr std::time_t fixed_created = 315532800;

// Code points of UTF-8 text and the width it takes on screen (longest line; East Asian wide
// and full-width characters count twice), or nothing when the text is not valid UTF-8.
struct text_measure {
  std::size_t chars = 0;
  std::size_t width = 0;
};

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x20000 && c <= 0x3FFFD);
}

std::optional<text_measure> measure(std::string_view s) {
  text_measure m;
  std::size_t line = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int extra = 0;
    char32_t c = 0;
    if (b < 0x80) {
      c = b;
    } else if (b >= 0xC2 && b <= 0xDF) {
      extra = 1;
      c = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
      extra = 2;
      c = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
      extra = 3;
      c = b & 0x07u;
    } else {
      return std::nullopt;
    }
    if (s.size() - i <= static_cast<std::size_t>(extra)) return std::nullopt;  // cut short
    for (int k = 1; k <= extra; ++k) {
      const auto t = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((t & 0xC0u) != 0x80u) return std::nullopt;
      c = (c << 6) | (t & 0x3Fu);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if ((extra == 2 && c < 0x800) || (extra == 3 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF)) {
      return std::nullopt;
    }
    i += 1 + static_cast<std::size_t>(extra);
    ++m.chars;
    if (c == '\n') {
      line = 0;
    } else {
      line += is_wide(c) ? 2 : 1;
      m.width = std::max(m.width, line);
    }
  }
  return m;
}

// A field that is a plain decimal number: optional minus, digits without a leading zero (but
// "0.5"), optional point and digits; at most 15 digits, so that a double holds it exactly as
// shown. "-0" stays text (Excel would show 0).
struct plain_number {
  double value = 0;
  int decimals = 0;
};

std::optional<plain_number> as_plain_number(std::string_view s) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = s.starts_with('-') ? 1 : 0;
  const std::size_t int_start = i;
  while (i < s.size() && digit(s[i])) ++i;
  const std::size_t int_digits = i - int_start;
  if (int_digits == 0 || (int_digits > 1 && s[int_start] == '0')) return std::nullopt;
  std::size_t decimals = 0;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && digit(s[i])) ++i;
    decimals = i - start;
    if (decimals == 0) return std::nullopt;
  }
  if (i != s.size() || int_digits + decimals > 15) return std::nullopt;
  plain_number n;
  n.decimals = static_cast<int>(decimals);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), n.value);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  if (n.value == 0 && s.starts_with('-')) return std::nullopt;
  return n;
}

// The workbook, freed without writing anything unless it is closed.
struct workbook_handle {
  lxw_workbook* wb = nullptr;
  workbook_handle() = default;
  workbook_handle(const workbook_handle&) = delete;
  workbook_handle& operator=(const workbook_handle&) = delete;
  ~workbook_handle() {
    if (wb != nullptr) lxw_workbook_free(wb);
  }
  lxw_error close() {
    lxw_workbook* w = wb;
    wb = nullptr;
    return workbook_close(w);
  }
};

}  // namespace

expected<void> write_table_xlsx(const csv_table& table, const std::string& path,
                                std::string_view title) {
  // ---- Check everything first: nothing is written when the table does not fit a sheet.
  const std::size_t header_row = title.empty() ? 0 : 2;
  std::size_t columns = table.header.size();
  for (const auto& r : table.rows) columns = std::max(columns, r.fields.size());
  if (columns > max_columns || header_row + 1 + table.rows.size() > max_rows) {
    return fail(errc::project_xlsx_cell,
                fmt::format("the table has {} rows and {} columns; an Excel sheet holds at most "
                            "{} rows and {} columns",
                            table.rows.size() + 1, columns, max_rows, max_columns),
                {path});
  }
  auto check = [&](std::string_view text, const std::string& where) -> expected<text_measure> {
    auto m = measure(text);
    if (!m) return fail(errc::project_xlsx_cell, where + " is not valid UTF-8", {path});
    if (m->chars > max_cell_chars) {
      return fail(errc::project_xlsx_cell,
                  fmt::format("{} has {} characters; an Excel cell holds at most {}", where,
                              m->chars, max_cell_chars),
                  {path});
    }
    return *m;
  };
  auto column_name = [&](std::size_t j) {
    return j < table.header.size() ? fmt::format("column '{}'", table.header[j])
                                   : fmt::format("column {}", j + 1);
  };
  if (auto m = check(title, "the title"); !m) return unexpected(m.error());
  // Widths in characters; the bold header counts a little wider.
  std::vector<double> width(columns, 0.0);
  for (std::size_t j = 0; j < table.header.size(); ++j) {
    auto m = check(table.header[j], fmt::format("the heading of column {}", j + 1));
    if (!m) return unexpected(m.error());
    width[j] = std::max(width[j], static_cast<double>(m->width) * 1.1);
  }
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const auto& f = table.rows[i].fields;
    for (std::size_t j = 0; j < f.size(); ++j) {
      auto m = check(f[j], fmt::format("row {}, {}", i + 1, column_name(j)));
      if (!m) return unexpected(m.error());
      width[j] = std::max(width[j], static_cast<double>(m->width));
    }
  }

  // ---- Write to a temporary file beside the target, then rename it over the target.
  const std::string tmp = path + ".srma-tmp";
  auto cannot_write = [&](const std::string& why) {
    std::remove(tmp.c_str());
    return fail(errc::output_unwritable, fmt::format("cannot write '{}': {}", path, why), {path});
  };
  // libxlsxwriter opens the file only when the workbook is closed and then prints its own
  // message; opening it here first gives the error before any work and in srma's words.
  if (std::FILE* probe = std::fopen(tmp.c_str(), "wb"); probe != nullptr) {
    std::fclose(probe);
  } else {
    return fail(errc::output_unwritable,
                fmt::format("cannot write '{}' (the folder must exist and be writable): {}", path,
                            std::strerror(errno)),
                {path});
  }
  workbook_handle book;
  book.wb = workbook_new(tmp.c_str());
  if (book.wb == nullptr) return cannot_write("libxlsxwriter could not create the workbook");
  lxw_worksheet* sheet = workbook_add_worksheet(book.wb, "Table 1");
  if (sheet == nullptr) return cannot_write("libxlsxwriter could not add the sheet");
  std::string title_text(title);
  lxw_doc_properties properties{};
  properties.title = title.empty() ? nullptr : title_text.data();
  properties.created = fixed_created;
  if (auto e = workbook_set_properties(book.wb, &properties); e != LXW_NO_ERROR)
    return cannot_write(lxw_strerror(e));

  lxw_format* title_format = workbook_add_format(book.wb);
  format_set_bold(title_format);
  format_set_font_size(title_format, 12);
  lxw_format* header_format = workbook_add_format(book.wb);
  format_set_bold(header_format);
  format_set_text_wrap(header_format);
  format_set_align(header_format, LXW_ALIGN_VERTICAL_TOP);
  format_set_bottom(header_format, LXW_BORDER_THIN);
  lxw_format* text_format = workbook_add_format(book.wb);
  format_set_text_wrap(text_format);
  format_set_align(text_format, LXW_ALIGN_VERTICAL_TOP);
  std::map<int, lxw_format*> number_formats;  // by decimals: "0", "0.0", "0.00", ...
  auto number_format = [&](int decimals) {
    auto [it, fresh] = number_formats.emplace(decimals, nullptr);
    if (fresh) {
      it->second = workbook_add_format(book.wb);
      const std::string code =
          decimals == 0 ? "0" : "0." + std::string(static_cast<std::size_t>(decimals), '0');
      format_set_num_format(it->second, code.c_str());
      format_set_align(it->second, LXW_ALIGN_VERTICAL_TOP);
    }
    return it->second;
  };

  lxw_error e = LXW_NO_ERROR;
  auto keep = [&](lxw_error r) {
    if (e == LXW_NO_ERROR) e = r;
  };
  if (!title.empty()) keep(worksheet_write_string(sheet, 0, 0, title_text.c_str(), title_format));
  for (std::size_t j = 0; j < table.header.size(); ++j) {
    keep(worksheet_write_string(sheet, static_cast<lxw_row_t>(header_row),
                                static_cast<lxw_col_t>(j), table.header[j].c_str(), header_format));
  }
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const auto row = static_cast<lxw_row_t>(header_row + 1 + i);
    const auto& f = table.rows[i].fields;
    for (std::size_t j = 0; j < f.size(); ++j) {
      if (f[j].empty()) continue;
      const auto col = static_cast<lxw_col_t>(j);
      // The first column holds the study labels: text even when a label is all digits.
      const auto n = j == 0 ? std::nullopt : as_plain_number(f[j]);
      if (n) {
        keep(worksheet_write_number(sheet, row, col, n->value, number_format(n->decimals)));
      } else {
        keep(worksheet_write_string(sheet, row, col, f[j].c_str(), text_format));
      }
    }
  }
  for (std::size_t j = 0; j < columns; ++j) {
    // One character of padding; very long text wraps at max_width.
    const double w = std::clamp(width[j] + 1, min_width, max_width);
    keep(worksheet_set_column(sheet, static_cast<lxw_col_t>(j), static_cast<lxw_col_t>(j), w,
                              nullptr));
  }
  worksheet_freeze_panes(sheet, static_cast<lxw_row_t>(header_row + 1), 0);
  if (e != LXW_NO_ERROR) return cannot_write(lxw_strerror(e));
  if (auto r = book.close(); r != LXW_NO_ERROR) return cannot_write(lxw_strerror(r));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return cannot_write(std::strerror(errno));
  return {};
}

}  // namespace srma::project
