// File: srma/sensitivity/permtest.hpp
//
// Permutation tests for the pooled effect and for meta-regression coefficients (Follmann &
// Proschan 1999; Higgins & Thompson 2004; metafor's permutest()). Without moderators the signs
// of the estimates are flipped (under H0: mu = 0 the sign of each y_i is exchangeable); with
// moderators the rows of the moderator matrix are permuted against the estimates. Each
// permutation refits the model with the same estimator and test; the p-value is the share of
// permutations whose |statistic| (QM for the omnibus test) reaches the observed one, with
// metafor's tolerance sqrt(machine epsilon). The observed data count as one permutation.
//
// A refit that fails is handled as metafor's permutest.rma.uni() does, and counted: in the exact
// test it is left out of the p-values (metafor: mean(..., na.rm = TRUE)), so they are computed
// over `used` = `iterations` - `failed` permutations; in the random test the permutation is
// replaced by a new random one (metafor draws again), so `used` = `iterations`. `failed` says how
// many refits failed either way; reports state both numbers.
//
// Exact tests enumerate all 2^k sign patterns or all distinct row orders; otherwise `iterations`
// random ones are drawn from a seeded generator, each from its own stream so that the result
// does not depend on the number of threads. Refits run in parallel.
//
// Example:
//
//   auto p = srma::permutation_test(studies.yi, studies.vi, nullptr, opts, {.iterations = 1000,
//   .seed = 1}); if (p) fmt::print("permutation p = {:.4f} ({} permutations)\n", p->p,
//   p->iterations);
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "srma/model/metareg.hpp"

namespace srma {

struct permtest_options {
  std::size_t iterations = 1000;  ///< Random permutations (when not exact).
  bool exact = false;             ///< Force the exact test (error when it would be too large).
  std::uint64_t seed = 1;
  std::size_t max_exact = 10'000'000;  ///< Largest exact test run without `exact`.
  /// Called now and then with (done, total) from the calling thread (progress bars).
  std::function<void(std::size_t, std::size_t)> progress;

  /// "" when usable, else what is wrong (iterations >= 1, max_exact >= 1).
  [[nodiscard]] std::string validate() const;
};

struct permtest_result {
  bool exact = false;
  std::size_t iterations = 0;      ///< Permutations asked for (exact: all), the observed included.
  std::size_t failed = 0;          ///< Refits that failed (left out, or redrawn when random).
  std::size_t used = 0;            ///< Permutations the p-values are computed over.
  std::size_t fell_back = 0;       ///< Refits whose tau^2 came from a fallback estimator.
  double p = 0;                    ///< Intercept (no moderators) or omnibus QM test.
  std::vector<std::string> names;  ///< Coefficient names.
  std::vector<double> coefficient_p;  ///< Permutation p-value of each coefficient.
  double observed_statistic = 0;      ///< z/t of the intercept, or QM.
  std::uint64_t seed = 0;
  std::vector<std::string> notes;  ///< E.g. studies the design dropped for a missing moderator.
};

/// Permutation test of the model (`design` == nullptr: intercept only). yi and vi have the
/// design's rows, or are those of the whole table it was built from (see design_studies()).
/// Errors: srma.model.E301
/// (k < 2), srma.model.E305 (exact test requested but too large), and those of the fit to the
/// observed data (a failed refit of a permutation is counted in `failed` instead).
[[nodiscard]] expected<permtest_result> permutation_test(std::span<const double> yi,
                                                         std::span<const double> vi,
                                                         const design_matrix* design,
                                                         const pool_options& options,
                                                         const permtest_options& perm = {});

}  // namespace srma
