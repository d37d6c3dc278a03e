// File: srma/bias/fail_safe_n.hpp
//
// Fail-safe numbers, as metafor's fsn(): how many unpublished null studies would overturn the
// result. Rosenthal (1979): studies averaging z = 0 that make Stouffer's combined z
// non-significant at one-sided alpha; Orwin (1983): studies of effect 0 that halve the unweighted
// mean effect; Rosenberg (2005): the weighted (common-effect) analogue of Rosenthal's, two-sided.
//
// Example:
//
//   auto f = srma::failsafe_n(yi, vi);
//   if (f) fmt::print("Rosenthal's fail-safe N: {}\n", f->rosenthal);
#pragma once

#include <span>

#include "srma/util/expected.hpp"

namespace srma {

struct failsafe_result {
  double alpha = 0.05;
  double rosenthal = 0;  ///< Studies averaging z = 0 needed to make the Stouffer z non-significant.
  double orwin = 0;      ///< Studies with effect 0 needed to halve the (unweighted) mean effect.
  double rosenberg = 0;  ///< Weighted (fixed-effect) version of Rosenthal's approach.
};

/// Fail-safe numbers (metafor's fsn() with its defaults). Errors: srma.input.E213/E205 (see
/// srma/util/check.hpp), srma.model.E301 (no studies), srma.model.E300 (alpha not in (0, 1)).
[[nodiscard]] expected<failsafe_result> failsafe_n(std::span<const double> yi,
                                                   std::span<const double> vi, double alpha = 0.05);

}  // namespace srma
