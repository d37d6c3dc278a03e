// Helpers shared by the record readers: lines, tag patterns, years, white space.
#include <algorithm>

#include "import_detail.hpp"

namespace srma::detail {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

bool match_ris_tag(std::string_view line, std::string_view& tag, std::string_view& value) {
  // ^[A-Z][A-Z0-9]  -( |$)
  if (line.size() < 5) return false;
  if (!is_upper(line[0]) || !(is_upper(line[1]) || is_digit(line[1]))) return false;
  if (line[2] != ' ' || line[3] != ' ' || line[4] != '-') return false;
  if (line.size() > 5 && line[5] != ' ') return false;
  tag = line.substr(0, 2);
  value = trim_space(line.substr(5));
  return true;
}

bool match_medline_tag(std::string_view line, std::string_view& tag, std::string_view& value) {
  // ^[A-Z]{2,4} {0,2}-( |$)
  std::size_t n = 0;
  while (n < line.size() && n < 4 && is_upper(line[n])) ++n;
  if (n < 2) return false;
  std::size_t s = n;
  while (s < line.size() && line[s] == ' ' && s - n < 2) ++s;
  if (s >= line.size() || line[s] != '-') return false;
  if (s + 1 < line.size() && line[s + 1] != ' ') return false;
  tag = line.substr(0, n);
  value = trim_space(line.substr(s + 1));
  return true;
}

bool is_ovid_record_number(std::string_view line) {
  line = trim_space(line);
  if (line.size() < 2 || line.back() != '.') return false;
  line.remove_suffix(1);
  return all_digits(line);
}

bool is_ovid_link(std::string_view line) {
  return line.starts_with("Link to the Ovid Full Text or citation:") ||
         line.starts_with("Link to the External Link Resolver:");
}

std::string extract_year(std::string_view date) {
  std::string_view eight;
  std::size_t i = 0;
  while (i < date.size()) {
    if (!is_digit(date[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < date.size() && is_digit(date[j])) ++j;
    if (j - i == 4) return std::string(date.substr(i, 4));
    if (j - i == 8 && eight.empty()) eight = date.substr(i, 4);
    i = j;
  }
  if (!eight.empty()) return std::string(eight);
  return std::string(trim_space(date));
}

void append_with_space(std::string& out, std::string_view piece) {
  piece = trim_space(piece);
  if (piece.empty()) return;
  if (!out.empty()) out += ' ';
  out += piece;
}

std::string collapse_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (char c : s) {
    if (is_space(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  // Back off over continuation bytes (10xxxxxx) to the start of a character.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

void finish_record(bib_record& r) {
  if (!r.year.empty()) r.year = extract_year(r.year);
  if (!r.id.empty()) return;
  if (!r.pmid.empty()) {
    r.id = r.pmid;
  } else if (!r.doi.empty()) {
    r.id = r.doi;
  } else {
    r.id = r.accession;
  }
}

std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  return starts;
}

int line_of_offset(const std::vector<std::size_t>& starts, std::size_t offset) {
  const auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  return static_cast<int>(it - starts.begin());
}

}  // namespace srma::detail
