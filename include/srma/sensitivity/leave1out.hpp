// File: srma/sensitivity/leave1out.hpp
//
// Leave-one-out sensitivity analysis (metafor's leave1out()): the model refitted k times, each
// time without one study, with the same estimator and inference. The model is the one the full
// analysis leads with (random effects for --model random/both, the auto rule's choice for auto).
//
// Example:
//
//   auto l1o = srma::leave1out(studies, opts);
//   if (l1o) fmt::print("{}", srma::full_report(*l1o));
#pragma once

#include <vector>

#include "srma/model/pool.hpp"
#include "srma/sensitivity/refit_summary.hpp"

namespace srma {

struct leave1out_result {
  pool_result full;  ///< All studies.
  model_kind model = model_kind::random;
  std::vector<refit_summary> rows;  ///< rows[i]: without study i, in input order.
  std::size_t failed = 0;           ///< Refits that failed (rows with fitted == false).
  /// One line per refit that failed or whose tau^2 estimator fell back, naming its row.
  std::vector<std::string> notes;
};

/// Errors: srma.model.E301 (k < 2), and those of pool() on all studies; a refit that fails
/// gives a row of NaN with a note instead.
[[nodiscard]] expected<leave1out_result> leave1out(const study_table& studies,
                                                   const pool_options& options);

}  // namespace srma
