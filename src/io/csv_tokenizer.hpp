// The one CSV tokenizer behind parse_csv, read_csv_compact and csv_stream: splits text into
// records of trimmed fields without allocating per field. A field is a view into the text, or
// into the tokenizer's scratch buffer when it had to be unescaped (doubled quotes, CRLF inside
// quotes). Views are valid until the next call of next().
//
// Rules (RFC 4180 as spreadsheets write it; the same as the reader always had):
//  - a field whose first non-blank character is '"' is quoted: it ends at the next single '"';
//    "" inside is one quote, CRLF inside is LF, line breaks inside advance the line count;
//  - after the closing quote only spaces and tabs may follow before the separator or the line
//    end (E107 otherwise);
//  - '"' anywhere else is an ordinary character;
//  - LF, CRLF and a lone CR end a record; a record whose fields are all blank is skipped;
//  - every field is trimmed of spaces and tabs at both ends;
//  - a field holds at most limits::max_field_bytes bytes as written (E106 otherwise).
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "srma/util/error_ids.hpp"
#include "srma/util/expected.hpp"
#include "srma/util/limits.hpp"
#include "srma/util/text.hpp"

namespace srma::detail {

// Byte offset of the first invalid UTF-8 sequence of `s`, or npos. ASCII runs are checked
// eight bytes at a time.
inline std::size_t find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n_bytes = s.size();
  while (i < n_bytes) {
    if (i + 8 <= n_bytes) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
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
      if (i + j >= n_bytes) return i;
      if ((static_cast<unsigned char>(s[i + j]) & 0xC0) != 0x80) return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

// Picks the separator from the header line: the most frequent of ',', ';', '\t' outside quotes.
// Lines of blanks before the header are skipped, as the reader skips them (a tab- or
// ';'-separated file that starts with an empty line was read as one column).
inline char detect_separator(std::string_view text) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      start = i + 1;
    } else if (text[i] != ' ' && text[i] != '\t') {
      break;
    }
  }
  int counts[3] = {0, 0, 0};
  bool quoted = false;
  for (char c : text.substr(start)) {
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

// Column names of a header, for the duplicate check: names are compared ignoring ASCII case, with
// one hash look-up per column (comparing each name with every earlier one took 63 s for 10^5
// columns; issue 15 item 4).
class header_names {
 public:
  // Records `name` as column `column` (0-based) and returns npos, or returns the column of an
  // earlier name equal to it ignoring case.
  std::size_t add(std::string_view name, std::size_t column) {
    const auto [seen, fresh] = first_.try_emplace(to_lower(name), column);
    return fresh ? std::string_view::npos : seen->second;
  }

 private:
  std::unordered_map<std::string, std::size_t> first_;
};

class csv_tokenizer {
 public:
  enum class status {
    record,     // `fields()` holds the next non-blank record; `line()` is where it starts
    need_more,  // the text ends inside a record and is not the whole input: call again with more
    end,        // no more records
    failed,     // `failure()` says why (E101, E107)
  };

  csv_tokenizer(char separator, std::string source) : sep_(separator), source_(std::move(source)) {}

  // Reads the next record of `text` from `pos` (the physical line there is `line`). On
  // `record` and `end`, pos and line move past what was read; on `need_more` they stay, so the
  // caller can append text and call again. `eof`: `text` runs to the end of the input.
  status next(std::string_view text, std::size_t& pos, int& line, bool eof) {
    for (;;) {
      std::size_t i = pos;
      int ln = line;
      if (i >= text.size()) return eof ? status::end : status::need_more;
      const status s = record(text, i, ln, eof);
      if (s != status::record) return s;
      pos = i;
      line = ln;
      bool blank = true;
      for (auto f : fields_) {
        if (!f.empty()) {
          blank = false;
          break;
        }
      }
      if (!blank) return status::record;
    }
  }

  [[nodiscard]] const std::vector<std::string_view>& fields() const { return fields_; }
  [[nodiscard]] int line() const { return record_line_; }
  [[nodiscard]] const srma::error& failure() const { return error_; }
  [[nodiscard]] char separator() const { return sep_; }

 private:
  struct ref {
    std::size_t begin = 0, size = 0;
    bool scratch = false;
  };

  // One record from text[i]; i and ln move past it (past its line end).
  status record(std::string_view text, std::size_t& i, int& ln, bool eof) {
    refs_.clear();
    scratch_.clear();
    record_line_ = ln;
    const char* d = text.data();
    const std::size_t n = text.size();
    for (;;) {
      // Start of a field: a quote after blanks only opens a quoted field.
      std::size_t j = i;
      while (j < n && (d[j] == ' ' || d[j] == '\t') && d[j] != sep_) ++j;
      if (j < n && d[j] == '"') {
        const int quote_line = ln;
        std::size_t k = j + 1;
        const std::size_t begin = k;
        bool copied = false;
        std::size_t scratch_begin = scratch_.size();
        for (;;) {
          const void* q = k < n ? std::memchr(d + k, '"', n - k) : nullptr;
          const std::size_t stop =
              q ? static_cast<std::size_t>(static_cast<const char*>(q) - d) : n;
          // Line breaks inside the quotes: count them; CRLF becomes LF.
          for (std::size_t m = k; m < stop; ++m) {
            if (d[m] == '\n') {
              ++ln;
            } else if (d[m] == '\r' && m + 1 < n && d[m + 1] == '\n') {
              if (!copied) {
                scratch_.append(d + begin, m - begin);
                copied = true;
              } else {
                scratch_.append(d + k, m - k);
              }
              k = m + 1;  // drop the CR
            }
          }
          if (stop - begin > limits::max_field_bytes) {
            return too_long(quote_line, refs_.size() + 1);
          }
          if (stop >= n) {
            if (!eof) return status::need_more;
            error_ = make_error(errc::csv_unterminated_quote,
                                "quoted field is never closed: a '\"' is missing",
                                {source_, quote_line, static_cast<int>(refs_.size()) + 1});
            return status::failed;
          }
          if (stop + 1 < n && d[stop + 1] == '"') {  // doubled quote
            if (!copied) {
              scratch_.append(d + begin, stop + 1 - begin);
              copied = true;
            } else {
              scratch_.append(d + k, stop + 1 - k);
            }
            k = stop + 2;
            continue;
          }
          if (stop + 1 >= n && !eof) return status::need_more;  // "" may span the boundary
          if (copied) {
            scratch_.append(d + k, stop - k);
            refs_.push_back({scratch_begin, scratch_.size() - scratch_begin, true});
          } else {
            refs_.push_back({begin, stop - begin, false});
          }
          k = stop + 1;
          break;
        }
        // After the closing quote: blanks, then the separator or the line end.
        while (k < n && (d[k] == ' ' || d[k] == '\t') && d[k] != sep_) ++k;
        if (k < n && d[k] != sep_ && d[k] != '\n' && d[k] != '\r') {
          error_ = make_error(errc::csv_text_after_quote,
                              fmt::format("unexpected character '{}' after a closing quote; a "
                                          "quote inside a quoted field must be doubled (\"\")",
                                          d[k]),
                              {source_, ln, static_cast<int>(refs_.size())});
          return status::failed;
        }
        i = k;
      } else {
        std::size_t k = i;
        while (k < n && d[k] != sep_ && d[k] != '\n' && d[k] != '\r') ++k;
        if (k - i > limits::max_field_bytes) return too_long(ln, refs_.size() + 1);
        refs_.push_back({i, k - i, false});
        i = k;
      }
      if (i >= n) {
        if (!eof) return status::need_more;
        finish(text);
        return status::record;
      }
      if (d[i] == sep_) {
        ++i;
        continue;
      }
      // Line end: CRLF, LF or a lone CR.
      if (d[i] == '\r') {
        if (i + 1 >= n && !eof) return status::need_more;
        if (i + 1 < n && d[i + 1] == '\n') ++i;
      }
      ++i;
      ++ln;
      finish(text);
      return status::record;
    }
  }

  void finish(std::string_view text) {
    fields_.clear();
    for (const auto& r : refs_) {
      std::string_view f = r.scratch ? std::string_view(scratch_).substr(r.begin, r.size)
                                     : text.substr(r.begin, r.size);
      fields_.push_back(trim(f));
    }
  }

  // A field longer than limits::max_field_bytes (E106), found as soon as that many bytes of it
  // are read, so a block reader never holds more of it.
  status too_long(int ln, std::size_t column) {
    error_ = make_error(errc::csv_unreadable,
                        fmt::format("field is longer than {} MiB, more than any study table "
                                    "needs; is it the right file, or is a quote not closed?",
                                    limits::max_field_bytes >> 20),
                        {source_, ln, static_cast<int>(column)});
    return status::failed;
  }

  static srma::error make_error(std::string_view id, std::string message, error_location where) {
    return srma::error{std::string(id), std::move(message), std::move(where), {}};
  }

  char sep_;
  std::string source_;
  std::vector<ref> refs_;
  std::string scratch_;
  std::vector<std::string_view> fields_;
  int record_line_ = 0;
  srma::error error_;
};

}  // namespace srma::detail
