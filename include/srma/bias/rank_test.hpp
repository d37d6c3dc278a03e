// File: srma/bias/rank_test.hpp
//
// Begg and Mazumdar's (1994) rank correlation test for funnel-plot asymmetry, as metafor's
// ranktest(): Kendall's tau between the standardised effects (y_i - theta_CE) / sqrt(v_i - 1/sum w)
// and the variances v_i, with R's exact p-value (cor.test) when there are no ties and the normal
// approximation with tie correction otherwise.
//
// Example:
//
//   auto b = srma::begg_test(yi, vi);
//   if (b) fmt::print("Kendall's tau {:.3f}, p = {:.4f}\n", b->tau, b->p);
#pragma once

#include <span>

#include "srma/util/expected.hpp"

namespace srma {

/// Kendall's rank correlation test of Begg & Mazumdar (1994).
struct rank_test {
  double tau = 0;
  double p = 0;
  bool exact = true;  ///< Exact permutation distribution (no ties), else normal approximation.
};

/// Begg & Mazumdar's rank correlation test. Errors: srma.input.E213/E205 (see
/// srma/util/check.hpp), srma.model.E301 (k < 3).
[[nodiscard]] expected<rank_test> begg_test(std::span<const double> yi, std::span<const double> vi);

}  // namespace srma
