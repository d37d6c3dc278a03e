// File: srma/run/where.hpp
//
// Subset filters for analysis plans: a small boolean expression over study columns.
//
//   protocol == 'PTR+LR'
//   location != "Pancreatic" and year >= 2015
//   not (design == 'prospective' or nos < 7)
//   location in ('Pancreatic', 'Gastrointestinal')
//
// Comparisons are numeric when both sides are numbers, text comparisons (exact, after trimming
// spaces) otherwise. `and`, `or`, `not` (also &&, ||, !) and parentheses combine them. A study
// whose value in a column used by the filter is empty is an error, never silently left out.
//
// Example:
//
//   auto f = srma::parse_where("protocol == 'PTR+LR'");
//   auto rows = f->select(studies);  // indices of the matching studies
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/util/expected.hpp"

namespace srma {

class where_filter {
 public:
  struct node;
  where_filter();
  ~where_filter();
  where_filter(where_filter&&) noexcept;
  where_filter& operator=(where_filter&&) noexcept;

  /// The expression as written.
  [[nodiscard]] const std::string& text() const { return text_; }
  /// Columns the expression uses.
  [[nodiscard]] std::vector<std::string> columns() const;
  /// Indices of the studies of `t` for which the expression holds.
  /// Errors: srma.plan.E708 (unknown column, or a study without a value in a used column).
  [[nodiscard]] expected<std::vector<std::size_t>> select(const study_table& t) const;

 private:
  friend expected<where_filter> parse_where(std::string_view text);
  std::string text_;
  std::unique_ptr<node> root_;
};

/// Parses a filter. Errors: srma.plan.E707 with the column (1-based character position) of the
/// problem and what was expected.
[[nodiscard]] expected<where_filter> parse_where(std::string_view text);

}  // namespace srma
