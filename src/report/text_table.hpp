// A plain-text table with aligned columns for terminal reports (private). Widths count UTF-8
// code points, so labels such as "Müller 2019" line up.
#pragma once

#include <string>
#include <vector>

namespace srma::detail {

class text_table {
 public:
  enum class align { left, right };
  explicit text_table(std::vector<align> aligns) : aligns_(std::move(aligns)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  /// A horizontal rule the width of the table.
  void add_rule() { rows_.push_back({}); }
  /// Renders with two spaces between columns, each line prefixed by `indent`.
  [[nodiscard]] std::string render(const std::string& indent = "") const;

 private:
  std::vector<align> aligns_;
  std::vector<std::vector<std::string>> rows_;
};

/// Number of UTF-8 code points in `s`.
std::size_t display_width(const std::string& s);

}  // namespace srma::detail
