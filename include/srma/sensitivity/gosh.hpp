// File: srma/sensitivity/gosh.hpp
//
// GOSH: graphical display of study heterogeneity (Olkin, Dahabreh & Trikalinos 2012; metafor's
// gosh()). The model is fitted to every non-empty subset of the studies (2^k - 1 of them when
// that is at most `max_subsets`, else that many random subsets whose sizes follow a
// Binomial(k, 1/2) restricted to 1..k, as metafor), recording each fit's estimate, Q, I^2, H^2 and
// tau^2.
//
// Two entry points share one enumeration (src/sensitivity/gosh.cpp):
//   - gosh() (this header) returns every fit. Its memory grows with the number of subsets
//     (about 60 bytes each: 1 GB for the 16.7 million subsets of k = 24), so it is meant for small
//     analyses, tests and the comparison with metafor.
//   - gosh_stream() (srma/sensitivity/gosh_stream.hpp) never holds the fits: it aggregates them on
//     the fly (2-D histogram of estimate against I^2, per-study summaries, a sample of 10^5 fits
//     for the diagnostics) and can pass every fit to a sink in enumeration order. Its memory does
//     not depend on the number of subsets; exhaustive GOSH of k = 30 (10^9 subsets) runs in it.
//
// Subsets are enumerated in Gray-code order, so the common-effect and DerSimonian-Laird sums are
// updated in O(1) per subset; other estimators refit in O(subset size). Work is split over the
// machine's cores in fixed chunks of consecutive subsets, so every result is the same whatever the
// number of threads.
//
// Example:
//
//   auto g = srma::gosh(studies.yi, studies.vi, opts);
//   if (g) fmt::print("{} subsets, estimates from {} to {}\n", g->subsets(), ...);
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "srma/model/pool_options.hpp"
#include "srma/model/pool_result.hpp"

namespace srma {

struct gosh_options {
  /// Fit every subset when 2^k - 1 is at most this, else this many random subsets (metafor's
  /// default limit, 10^6). 64 bits: 2^30 - 1 and more are accepted.
  std::uint64_t max_subsets = 1'000'000;
  std::uint64_t seed = 1;  ///< For random subsets.
  /// Called now and then with (done, total) from the calling thread (progress bars).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  /// Polled by the workers between chunks of subsets: when it becomes true they stop, and the
  /// result covers the subsets fitted so far (gosh_summary::interrupted; gosh() returns them too).
  const std::atomic<bool>* cancel = nullptr;
  /// Worker threads; 0: one per core. The results do not depend on it.
  unsigned threads = 0;

  /// "" when usable, else what is wrong (max_subsets >= 1).
  [[nodiscard]] std::string validate() const;
};

struct gosh_result {
  std::size_t k = 0;
  bool exact = true;         ///< Every subset, or a random sample of them.
  bool interrupted = false;  ///< gosh_options::cancel stopped it: only the fits done are here.
  model_kind model = model_kind::random;
  tau2_method method = tau2_method::reml;
  std::size_t words = 1;             ///< 64-bit words per subset mask.
  std::vector<std::uint64_t> masks;  ///< Subset s: masks[s * words + i / 64] bit i % 64.
  std::vector<std::uint32_t> size;   ///< Studies in each subset.
  std::vector<double> estimate, Q, I2, H2, tau2;  ///< I2/H2: tau^2-based for random effects,
                                                  ///< Q-based for the common-effect model
                                                  ///< (as metafor's gosh()).

  std::size_t failed = 0;     ///< Fits that failed: their estimate, Q, I2, H2, tau2 are NaN.
  std::size_t fell_back = 0;  ///< Fits whose tau^2 came from a fallback estimator.
  /// Says how many fits failed or fell back, with the first failed subset (study numbers from 1)
  /// and its reason.
  std::vector<std::string> notes;

  [[nodiscard]] std::size_t subsets() const { return size.size(); }
  [[nodiscard]] bool contains(std::size_t subset, std::size_t study) const {
    return (masks[subset * words + study / 64] >> (study % 64)) & 1u;
  }
};

/// Every fit, ordered by subset size, then by subset (bit i = study i) for the exact enumeration
/// (metafor's order), by size then in the order drawn for random subsets.
///
/// Errors: srma.model.E301 (k < 2), srma.model.E300 (options); a failed fit gives NaNs (as
/// metafor) and is counted in `failed`.
[[nodiscard]] expected<gosh_result> gosh(std::span<const double> yi, std::span<const double> vi,
                                         const pool_options& options,
                                         const gosh_options& gopts = {});

}  // namespace srma
