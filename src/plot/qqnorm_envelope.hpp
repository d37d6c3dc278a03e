// The statistics behind the QQ plot (private): normal quantiles of ranks, the simulated envelope
// from a matrix of draws, type-7 quantiles and Friedman's super smoother. Split from qqnorm.cpp
// so that the validation test can feed R's own draws and compare every step with metafor 3.8-1.
//
// Example:
//
//   auto q = srma::detail::normal_rank_quantiles(13);  // qnorm(ppoints(13))
//   auto s = srma::detail::super_smoother(q, y);       // supsmu(q, y, bass = 0)$y
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace srma::detail {

/// qnorm(ppoints(n)): qnorm((i - a)/(n + 1 - 2a)), a = 3/8 for n <= 10, else 1/2 (R).
[[nodiscard]] std::vector<double> normal_rank_quantiles(std::size_t n);

/// R's quantile(x, p, type = 7) of an ascending `sorted`.
[[nodiscard]] double quantile_type7(std::span<const double> sorted, double p);

/// Friedman's (1984) super smoother with cross-validated span and bass 0, as R's
/// supsmu(x, y, span = "cv", bass = 0)$y for ascending x with unit weights: running lines of
/// spans 0.05, 0.2 and 0.5, the span with the smallest smoothed cross-validated residual at each
/// point, that span smoothed, the two neighbouring fits interpolated and smoothed once more.
[[nodiscard]] std::vector<double> super_smoother(std::span<const double> x,
                                                 std::span<const double> y);

/// The unsmoothed bounds of metafor's envelope from `draws` (k x reps, column-major: replicate
/// j is draws[j k, (j + 1) k)) and the model's weights w (1/(v_i + tau^2)): each replicate
/// becomes (I - H) e with H = 1 w'/sum w and is sorted; per rank the `alpha`/2 and 1 - `alpha`/2
/// quantiles (alpha/(2k) under Bonferroni).
void envelope_bounds(std::span<const double> w, std::span<const double> draws, double alpha,
                     bool bonferroni, std::vector<double>& lower, std::vector<double>& upper);

}  // namespace srma::detail
