// File: srma/sensitivity/gosh_stream.hpp
//
// Streaming GOSH: the fits of every subset (srma/sensitivity/gosh.hpp) aggregated on the fly,
// never all held, so that exhaustive GOSH of 30 studies (2^30 - 1 = 1.07 * 10^9 subsets) runs in a
// few megabytes. What is kept:
//   - a 2-D histogram of the pooled estimate against I^2 (what the GOSH plot draws), over bounds
//     known before any fit: the estimate of every subset is a weighted mean of its studies'
//     estimates with positive weights (common effect, and random effects with any tau^2 >= 0), so
//     it lies within [min yi, max yi]; I^2 lies within [0, 100];
//   - the range, mean and SD of the estimate and of I^2;
//   - per study, the number, mean and SD of the estimates and of I^2 over the subsets with and
//     without it (how outlying studies are found);
//   - a uniform random sample of up to `sample_size` fits (bottom-k sampling on a hash of the
//     subset's index: the same sample whatever the number of threads) for the cluster
//     diagnostics (srma/sensitivity/gosh_diagnostics.hpp) and for drawing points; when the
//     subsets are no more than `sample_size`, the sample holds every fit.
// Optionally `sink` receives every fit in blocks, in enumeration order (one call at a time), e.g.
// to write them to a file.
//
// Enumeration order: exact enumeration visits index t = 0 .. 2^k - 2 as subset gray(t + 1)
// (gray(x) = x ^ (x >> 1); bit i = study i), so consecutive subsets differ in one study; random
// subsets are numbered in the order drawn.
//
// Example:
//
//   srma::gosh_stream_options o;
//   o.max_subsets = std::uint64_t{1} << 30;
//   auto s = srma::gosh_stream(studies.yi, studies.vi, pool_opts, o);
//   if (s) for (auto& st : s->studies) fmt::print("{} {}\n", st.with.mean_estimate, ...);
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "srma/sensitivity/gosh.hpp"

namespace srma {

/// Consecutive fits in enumeration order (structure of arrays).
struct gosh_fit_block {
  std::uint64_t first = 0;  ///< Enumeration index of the first fit.
  std::size_t words = 1;    ///< 64-bit words per mask.
  std::vector<std::uint64_t> masks;
  std::vector<std::uint32_t> size;
  std::vector<double> estimate, Q, I2, H2, tau2;  ///< As in gosh_result; NaN for a failed fit.
  [[nodiscard]] std::size_t fits() const { return size.size(); }
};

struct gosh_stream_options : gosh_options {
  std::size_t bins_x = 256;  ///< Histogram bins of the estimate over [min yi, max yi].
  std::size_t bins_y = 100;  ///< Histogram bins of I^2 over [0, 100].
  /// A study whose subsets get a histogram of their own (the plot's highlighting).
  std::optional<std::size_t> highlight;
  std::size_t sample_size = 100'000;  ///< Fits kept for the diagnostics; 0: none.
  /// Receives every fit; returning false stops the enumeration (gosh_summary::stopped).
  std::function<bool(const gosh_fit_block&)> sink;

  /// "" when usable, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Counts of fits on a grid of the estimate (x, analysis scale) and I^2 (y).
struct gosh_histogram {
  double x_lo = 0, x_hi = 1;  ///< Estimate range covered: [min yi, max yi].
  double y_lo = 0, y_hi = 100;
  std::size_t nx = 0, ny = 0;
  std::vector<std::uint64_t> count;  ///< count[iy * nx + ix].
  std::vector<std::uint64_t> with;   ///< The same for subsets with the highlighted study.
  [[nodiscard]] double x_width() const { return (x_hi - x_lo) / static_cast<double>(nx); }
  [[nodiscard]] double y_width() const { return (y_hi - y_lo) / static_cast<double>(ny); }
};

/// Number, mean and SD (n - 1 denominator; NaN below 2) of the fitted estimates and I^2 values
/// of a set of subsets; failed fits are left out.
struct gosh_moments {
  std::uint64_t n = 0;
  double mean_estimate = 0, sd_estimate = 0, mean_I2 = 0, sd_I2 = 0;
};

struct gosh_study_summary {
  gosh_moments with, without;  ///< Subsets that contain the study, and those that do not.
};

/// A sample of fits (every fit when the subsets were no more than the sample size).
struct gosh_sample {
  bool complete = false;  ///< Holds every fitted subset.
  std::size_t words = 1;
  std::vector<std::uint64_t> index;  ///< Enumeration index, increasing.
  std::vector<std::uint64_t> masks;
  std::vector<std::uint32_t> size;
  std::vector<double> estimate, I2;  ///< Finite fits only.
  [[nodiscard]] std::size_t points() const { return estimate.size(); }
  [[nodiscard]] bool contains(std::size_t point, std::size_t study) const {
    return (masks[point * words + study / 64] >> (study % 64)) & 1u;
  }
};

struct gosh_summary {
  std::size_t k = 0;
  bool exact = true;
  model_kind model = model_kind::random;
  tau2_method method = tau2_method::reml;
  std::uint64_t subsets = 0;  ///< Subsets to fit: 2^k - 1, or max_subsets random ones.
  std::uint64_t done = 0;     ///< Subsets fitted (less than `subsets` when stopped early).
  std::uint64_t failed = 0;   ///< Fits that failed (NaN, left out of everything below).
  std::uint64_t fell_back = 0;
  bool interrupted = false;  ///< gosh_options::cancel became true.
  bool stopped = false;      ///< The sink returned false.
  gosh_moments all;          ///< Over every fitted subset.
  double estimate_min = 0, estimate_max = 0, I2_min = 0, I2_max = 0;
  gosh_histogram histogram;
  std::optional<std::size_t> highlight;
  std::vector<gosh_study_summary> studies;  ///< One per study, input order.
  gosh_sample sample;
  std::vector<std::string> notes;  ///< As gosh_result::notes.

  [[nodiscard]] std::uint64_t fitted() const { return done - failed; }
};

/// Errors: srma.model.E301 (k < 2), srma.model.E300 (options).
[[nodiscard]] expected<gosh_summary> gosh_stream(std::span<const double> yi,
                                                 std::span<const double> vi,
                                                 const pool_options& options,
                                                 const gosh_stream_options& gopts = {});

}  // namespace srma
