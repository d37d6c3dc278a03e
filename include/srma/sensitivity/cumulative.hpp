// File: srma/sensitivity/cumulative.hpp
//
// Cumulative meta-analysis (metafor's cumul()): studies are added one at a time in the order of
// an attribute (e.g. year; ties keep the input order) and the model is refitted after each. The
// model is the one the full analysis leads with.
//
// Example:
//
//   auto c = srma::cumulative(studies, "year", opts);
//   if (c) fmt::print("{}", srma::full_report(*c));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "srma/model/pool.hpp"
#include "srma/sensitivity/refit_summary.hpp"

namespace srma {

struct cumulative_result {
  pool_result full;
  model_kind model = model_kind::random;
  std::string order_by;             ///< The attribute ordered by ("" = input order).
  std::vector<std::size_t> order;   ///< Input indices in cumulative order.
  std::vector<refit_summary> rows;  ///< rows[j]: the first j + 1 studies of `order`.
  std::size_t failed = 0;           ///< Refits that failed (rows with fitted == false).
  /// One line per refit that failed or whose tau^2 estimator fell back, naming its row.
  std::vector<std::string> notes;
};

/// Orders by attribute `order_by` (numeric when every value is a number, text when none is; ""
/// keeps the input order). Errors: srma.input.E216 (unknown column, a missing value in it, or a
/// value that is not a number among numbers), and those of pool() on all studies; a refit that
/// fails gives a row of NaN with a note instead.
[[nodiscard]] expected<cumulative_result> cumulative(const study_table& studies,
                                                     std::string_view order_by,
                                                     const pool_options& options);

}  // namespace srma
