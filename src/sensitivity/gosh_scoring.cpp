// See gosh_scoring.hpp. Each step below names the function of src/model whose arithmetic it
// repeats (same operations in the same order, so the same bits); a change there must be made
// here too, and the bitwise test in tests/unit/gosh_stream_test.cpp fails until it is.
#include "gosh_scoring.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace srma::detail {
namespace {

// The smallest step multiplier of the oscillation rule (fisher_scoring.cpp: k_min_step_adj).
constexpr double k_min_step_adj = 0x1p-20;

struct scaled_sums {
  double s = 1;  // min v + tau2
  double s1 = 0, s2 = 0, s3 = 0, ypp = 0;
};

// The weights a_i = s / (v_i + tau2), s = min v + tau2, of intercept_model::scaled_at and
// scaled_rss (linear_model.cpp), formed once per tau2 (those functions form them in each pass:
// the same values) in a loop the compiler vectorises.
double weights(std::span<const double> v, double min_v, double tau2, std::span<double> a) {
  const double s = min_v + tau2;
  for (std::size_t i = 0; i < v.size(); ++i) a[i] = s / (v[i] + tau2);
  return s;
}

// intercept_model::scaled_at(tau2): the sums scoring uses (compute() without y'Py and the V
// terms).
scaled_sums scaled_at(std::span<const double> y, std::span<const double> v, double min_v,
                      double tau2, std::span<double> a) {
  scaled_sums r;
  r.s = weights(v, min_v, tau2, a);
  double sy = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    r.s1 += a[i];
    r.s2 += a[i] * a[i];
    r.s3 += a[i] * a[i] * a[i];
    sy += a[i] * y[i];
  }
  const double ybar = sy / r.s1;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double d = y[i] - ybar;
    r.ypp += a[i] * a[i] * d * d;
  }
  return r;
}

// linear_model::log_likelihood(tau2, reml) for the intercept-only model: scaled_rss, the sum of
// log(v + tau2) (from log_v at tau2 = 0: log(v + 0) is log(v)) and logdet_xwx.
double log_likelihood(std::span<const double> y, std::span<const double> v,
                      std::span<const double> log_v, double min_v, double tau2, bool reml,
                      std::span<double> a) {
  // scaled_rss(tau2)
  const double s = weights(v, min_v, tau2, a);
  double s1 = 0, sy = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    s1 += a[i];
    sy += a[i] * y[i];
  }
  const double ybar = sy / s1;
  double rss = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double ar = a[i] * (y[i] - ybar);
    rss += ar * (y[i] - ybar);
  }
  double sum_log = 0;
  if (tau2 == 0) {
    for (double l : log_v) sum_log += l;
  } else {
    for (double x : v) sum_log += std::log(x + tau2);
  }
  const double k = static_cast<double>(y.size());
  const double n = reml ? k - 1 : k;
  double ll = -0.5 * n * std::log(2 * std::numbers::pi) - 0.5 * sum_log - 0.5 * (rss / s);
  if (reml) {
    // logdet_xwx(tau2): log sum s / (v + tau2) - log s
    double sum = 0;
    for (std::size_t i = 0; i < v.size(); ++i) sum += a[i];
    ll -= 0.5 * (std::log(sum) - std::log(s));
  }
  return ll;
}

}  // namespace

std::optional<double> gosh_scoring_tau2(std::span<const double> y, std::span<const double> v,
                                        std::span<const double> log_v, bool reml,
                                        const tau2_control& c, std::span<double> work) {
  const std::size_t k = y.size();
  const double kd = static_cast<double>(k);
  // linear_model::min_v()
  double min_v = v[0];
  for (double x : v) min_v = std::min(min_v, x);
  // estimate_he (he.cpp) from unweighted(with_v = true): unit weights, V divided by max v.
  double max_v = v[0];
  for (double x : v) max_v = std::max(max_v, x);
  double sy = 0;
  for (double x : y) sy += x;
  const double ybar = sy / kd;
  double rss = 0, sb = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double d = y[i] - ybar;
    rss += d * d;
    sb += v[i] / max_v;
  }
  const double tr_pv = sb - sb / kd;
  double tau2 = std::max(0.0, std::max(0.0, (rss - max_v * tr_pv) / (kd - 1)));
  // linear_model::typical_v()
  double inv_sum = 0;
  for (double x : v) inv_sum += min_v / x;
  const double scale = min_v * (kd / inv_sum);

  // fisher_scoring (fisher_scoring.cpp)
  double adj = c.step_adj;
  double previous = 0;
  bool converged = false;
  for (int it = 1; it <= c.max_iter; ++it) {
    const auto st = scaled_at(y, v, min_v, tau2, work);
    const double s = st.s;
    const double tr_p = st.s1 - st.s2 / st.s1;
    const double tr_pp = st.s2 - 2 * st.s3 / st.s1 + (st.s2 / st.s1) * (st.s2 / st.s1);
    double full = reml ? (st.ypp - s * tr_p) / tr_pp : (st.ypp - s * st.s1) / st.s2;
    if (!std::isfinite(full)) full = 0;
    if (full * previous < 0 && std::fabs(full) > 0.5 * std::fabs(previous) &&
        adj > k_min_step_adj) {
      adj /= 2;
    }
    previous = full;
    double step = adj * full;
    while (tau2 + step < 0) step /= 2;
    tau2 += step;
    if (std::fabs(step) <= c.rel_tol * (tau2 + scale) * adj) {
      converged = true;
      break;
    }
  }
  if (!converged) return std::nullopt;
  if (tau2 > 0) {
    const double ll0 = log_likelihood(y, v, log_v, min_v, 0.0, reml, work);
    const double ll = log_likelihood(y, v, log_v, min_v, tau2, reml, work);
    if (ll0 - ll > 1e-10 * (1 + std::fabs(ll))) tau2 = 0;
  }
  return tau2;
}

}  // namespace srma::detail
