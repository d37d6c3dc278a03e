#include "text_table.hpp"

#include <algorithm>

namespace srma::detail {

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string text_table::render(const std::string& indent) const {
  std::vector<std::size_t> width(aligns_.size(), 0);
  for (const auto& row : rows_)
    for (std::size_t j = 0; j < row.size() && j < width.size(); ++j)
      width[j] = std::max(width[j], display_width(row[j]));
  std::size_t total = 0;
  for (std::size_t j = 0; j < width.size(); ++j) total += width[j] + (j ? 2 : 0);
  std::string out;
  for (const auto& row : rows_) {
    std::string line = indent;
    if (row.empty()) {
      for (std::size_t i = 0; i < total; ++i) line += "\u2500";
      out += line + "\n";
      continue;
    }
    for (std::size_t j = 0; j < row.size() && j < width.size(); ++j) {
      const std::size_t pad = width[j] - display_width(row[j]);
      if (j) line += "  ";
      if (aligns_[j] == align::right) line.append(pad, ' ');
      line += row[j];
      if (aligns_[j] == align::left && j + 1 < row.size()) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace srma::detail
