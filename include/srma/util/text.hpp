// File: srma/util/text.hpp
//
// Small string helpers shared by the readers and report writers: trimming, case-insensitive
// comparison, missing-value tokens, XML escaping, number parsing.
// Installed because layers above util use it, but not API: it lives in namespace srma::detail
// (STYLE.md, habit 1) and may change without notice.
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace srma::detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// True for the spellings of a missing value that spreadsheets and R write: "", "NA", "NaN", ".".
inline bool is_missing_token(std::string_view s) {
  s = trim(s);
  return s.empty() || s == "NA" || s == "N/A" || s == "na" || s == "NaN" || s == ".";
}

/// Appends `text` to `out` with the characters XML and HTML reserve (& < > ") escaped.
inline void escape_xml_into(std::string& out, std::string_view text) {
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
}

/// `text` with the characters XML and HTML reserve escaped.
inline std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  escape_xml_into(out, text);
  return out;
}

/// `text` as it may be quoted in a message: control bytes (NUL, escape, newline) as `\xNN`, and
/// at most `max_bytes` bytes of it followed by "..." when longer, so a message never carries raw
/// control characters or a whole file.
inline std::string printable(std::string_view text, std::size_t max_bytes = 80) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t n = std::min(text.size(), max_bytes);
  // Cut before a UTF-8 continuation byte, not inside a character.
  while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += k_hex[c >> 4];
      out += k_hex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < text.size()) out += "...";
  return out;
}

/// Parses a whole field as a finite double. With `decimal_comma`, "0,48" reads as 0.48 (files
/// written by European spreadsheets use ';' as separator and ',' as decimal mark).
std::optional<double> parse_double(std::string_view s, bool decimal_comma = false);

}  // namespace srma::detail
