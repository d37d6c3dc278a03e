// Begg and Mazumdar's (1994) rank correlation test, following metafor's ranktest() and R's
// cor.test(method = "kendall"): Kendall's tau between standardised effects and variances, with the
// exact null distribution when there are no ties (Kendall's recurrence, as R's ckendall) and the
// normal approximation with the tie-corrected variance otherwise.
#include "srma/bias/rank_test.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "rounding.hpp"
#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

// P(T <= q) for T the number of concordant pairs among n observations without ties: the
// Mahonian distribution, by the recurrence on n (as R's ckendall, in probabilities).
double pkendall(double q, std::size_t n) {
  const std::size_t max_t = n * (n - 1) / 2;
  if (q < 0) return 0;
  if (q >= static_cast<double>(max_t)) return 1;
  std::vector<double> p(max_t + 1, 0.0), next(max_t + 1, 0.0);
  p[0] = 1;
  std::size_t top = 0;
  for (std::size_t m = 2; m <= n; ++m) {
    // Inserting the m-th element adds 0..m-1 inversions, each with probability 1/m.
    const std::size_t new_top = top + m - 1;
    double window = 0;
    for (std::size_t t = 0; t <= new_top; ++t) {
      if (t <= top) window += p[t];
      if (t >= m && t - m <= top) window -= p[t - m];
      next[t] = window / static_cast<double>(m);
    }
    std::swap(p, next);
    top = new_top;
  }
  const auto qi = static_cast<std::size_t>(q);
  double s = 0;
  for (std::size_t t = 0; t <= qi; ++t) s += p[t];
  return std::min(1.0, s);
}

// R's round(): half to even.

}  // namespace

expected<rank_test> begg_test(std::span<const double> yi, std::span<const double> vi) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  const std::size_t n = yi.size();
  if (auto ok = check_min_count("the rank correlation test", n, 3); !ok) {
    return unexpected(ok.error());
  }
  // Standardised deviates from the common-effect estimate (Begg & Mazumdar 1994).
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sw += 1 / vi[i];
    swy += yi[i] / vi[i];
  }
  const double theta = swy / sw, vb = 1 / sw;
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = (yi[i] - theta) / std::sqrt(vi[i] - vb);
  std::span<const double> y = vi;
  // Kendall's tau-b and the tie counts, O(n^2) as R's cor(method = "kendall").
  double concordant = 0, discordant = 0, ties_x = 0, ties_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      const double s = (dx > 0) - (dx < 0), t = (dy > 0) - (dy < 0);
      if (s == 0) ties_x += 1;
      if (t == 0) ties_y += 1;
      if (s * t > 0) concordant += 1;
      if (s * t < 0) discordant += 1;
    }
  }
  const double n0 = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  rank_test r;
  r.tau = (concordant - discordant) / std::sqrt((n0 - ties_x) * (n0 - ties_y));
  const bool ties = ties_x > 0 || ties_y > 0;
  const double nd = static_cast<double>(n);
  // Exact up to a size where the O(n^3) recurrence stays fast; R is exact at any n.
  if (!ties && n <= 400) {
    r.exact = true;
    const double q = detail::round_half_even((r.tau + 1) * nd * (nd - 1) / 4);
    const double p = q > nd * (nd - 1) / 4 ? 1 - pkendall(q - 1, n) : pkendall(q, n);
    r.p = std::min(2 * p, 1.0);
    return r;
  }
  // Normal approximation with R's tie-corrected variance of S.
  r.exact = false;
  auto tie_sums = [&](const std::vector<double>& v, double& s2, double& s25, double& s3) {
    std::vector<double> sorted(v);
    std::sort(sorted.begin(), sorted.end());
    s2 = s25 = s3 = 0;
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i;
      while (j < n && sorted[j] == sorted[i]) ++j;
      const double t = static_cast<double>(j - i);
      if (t > 1) {
        s2 += t * (t - 1);
        s25 += t * (t - 1) * (2 * t + 5);
        s3 += t * (t - 1) * (t - 2);
      }
      i = j;
    }
  };
  double x2, x25, x3, y2, y25, y3;
  tie_sums(x, x2, x25, x3);
  tie_sums(std::vector<double>(y.begin(), y.end()), y2, y25, y3);
  const double s = r.tau * std::sqrt((n0 - x2 / 2) * (n0 - y2 / 2));
  const double var_s = (nd * (nd - 1) * (2 * nd + 5) - x25 - y25) / 18 +
                       x2 * y2 / (2 * nd * (nd - 1)) + x3 * y3 / (9 * nd * (nd - 1) * (nd - 2));
  r.p = detail::p_two_sided_z(s / std::sqrt(var_s));
  return r;
}

}  // namespace srma
