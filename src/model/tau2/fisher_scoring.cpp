// Fisher scoring for ML and REML (Harville 1977; Raudenbush 2009; metafor's rma.uni):
//   ML:   step = (y'PPy - tr W) / tr W^2
//   REML: step = (y'PPy - tr P) / tr PP
// with P at w* = 1/(v + tau^2). As in metafor, every step is multiplied by control.step_adj
// (metafor's `stepadj`) and halved while it would make tau^2 negative. Unlike metafor, the step
// is also halved for good when the iteration oscillates: plain Fisher scoring overshoots the root
// when the expected information (tr PP / 2 for REML) understates the slope of the score, and
// when each step overshoots by about as much as the iterate was away, the oscillation grows
// (dat.nielweise2007, first 8 studies: 0.0509, 0.0529, 0.0507, 0.0532, ... around 0.051895) or
// dies out over hundreds of iterations (the same studies regressed on their sample size, in
// 3291 of the 40,320 orders of an exact permutation test). Two successive steps of opposite
// sign, the second more than half as long as the first, are that oscillation; halving the
// multiplier makes the map tau^2 -> tau^2 + step a fast contraction again, as metafor's
// `stepadj = 0.5` does by hand (those 40,320 fits then take 5.3 iterations on average, at most
// 15). The root is the same whatever the multiplier, so the converged value does not depend on
// the halvings.
//
// Scaled (issue 15): with s = min v + tau^2 and the functionals of P~ = s P (linear_model.hpp),
//   REML step = (y'P~P~y / s^2 - tr P~ / s) / (tr P~P~ / s^2) = (y'P~P~y - s tr P~) / tr P~P~,
//   ML step   = (y'P~P~y - s sum w~) / sum w~^2,
//   SE = s sqrt(2 / tr P~P~) (REML), s sqrt(2 / sum w~^2) (ML),
// so no weight overflows for variances down to the smallest normal double.
//
// After scoring (and metafor's check at 0), the likelihood is scanned for other maxima
// (check_other_maxima below): the REML likelihood of a random-effects model can be multimodal
// (two clusters of precise studies; see docs/methods.md, "Several maxima of the likelihood").
#include "fisher_scoring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "regression_model.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::detail {

namespace {

// The smallest step multiplier the oscillation rule goes down to (2^-20): well below what any
// data set has needed, and large enough that convergence is still reached within max_iter.
constexpr double k_min_step_adj = 0x1p-20;

// One study's terms of score_fn::grid()'s sums at every grid point. Restrict-qualified so that
// the loop over the (independent) points vectorises; built for AVX2 and for the baseline, chosen
// at load time, with the same bits from both (same operations in the same order, no FMA).
[[gnu::target_clones("avx2", "default")]] void add_study(
    std::size_t n, double vi, double yi, const double* __restrict sc, const double* __restrict xs,
    double* __restrict s1, double* __restrict s2, double* __restrict sy, double* __restrict s2y,
    double* __restrict s2yy) {
  const double yy = yi * yi;
  for (std::size_t j = 0; j < n; ++j) {
    const double a = sc[j] / (vi + xs[j]);
    const double a2 = a * a;
    s1[j] += a;
    s2[j] += a2;
    sy[j] += a * yi;
    s2y[j] += a2 * yi;
    s2yy[j] += a2 * yy;
  }
}

// The sign-carrying score at tau2: s^2 (y'PPy - tr P) for REML, s^2 (y'PPy - tr W) for ML (the
// derivative of the log-likelihood times 2 s^2 > 0), s = min v + tau2. With `denoise`, values
// within rounding of 0 give 0, so that noise on a flat likelihood does not count as a change of
// sign on the grid. For the intercept-only model it is two passes over the studies with the
// weights kept (y'P~P~y = sum a~^2 r^2, tr P~ = sum a~ - sum a~^2 / sum a~), without the other
// functionals of scaled_at(); a meta-regression uses scaled_at().
class score_fn {
 public:
  score_fn(const linear_model& m, bool reml)
      : m_(m),
        reml_(reml),
        intercept_(dynamic_cast<const intercept_model*>(&m) != nullptr),
        min_v_(m.min_v()) {
    if (intercept_) a_.resize(m.k());
  }

  double operator()(double tau2, bool denoise = true) {
    double ypp = 0, t = 0;
    if (intercept_) {
      const auto y = m_.y();
      const auto v = m_.v();
      const double s = min_v_ + tau2;
      double s1 = 0, s2 = 0, sy = 0;
      for (std::size_t i = 0; i < a_.size(); ++i) {
        const double a = s / (v[i] + tau2);
        a_[i] = a;
        s1 += a;
        s2 += a * a;
        sy += a * y[i];
      }
      const double ybar = sy / s1;
      for (std::size_t i = 0; i < a_.size(); ++i) {
        const double ar = a_[i] * (y[i] - ybar);
        ypp += ar * ar;
      }
      t = reml_ ? s * (s1 - s2 / s1) : s * s1;
    } else {
      const auto st = m_.scaled_at(tau2);
      ypp = st.ypp_y;
      t = reml_ ? st.scale * st.tr_p : st.scale * st.sum_a;
    }
    const double u = ypp - t;
    if (!std::isfinite(u)) return 0;
    if (denoise && std::fabs(u) <= 1e-10 * (std::fabs(ypp) + std::fabs(t))) return 0;
    return u;
  }

  // operator()(xs[j]) for every j, as a grid scan needs them. For the intercept-only model in
  // one pass over the studies instead of two per point: per study, its weights at all points
  // (a loop over the points, vectorised by the compiler: the points are independent), adding to
  // five sums per point, sum a, sum a^2, sum a y, sum a^2 y and sum a^2 y^2 (y centred at its
  // mean), from which y'P~P~y = sum a^2 y^2 - 2 ybar sum a^2 y + ybar^2 sum a^2, ybar =
  // sum a y / sum a. At k = 10^6 reading the studies twice per point (96 times for 48 points)
  // was most of the fit's time. The expanded sum of squares can lose digits to cancellation,
  // so a point where that could decide the sign (|u| within 1e-8 of its terms) is evaluated
  // again by operator().
  void grid(std::span<const double> xs, std::span<double> us) {
    if (!intercept_) {
      // The design [1, x] (regression tests, one moderator) in one pass too; other designs
      // point by point.
      const auto* line = dynamic_cast<const regression_model*>(&m_);
      std::vector<double> size(xs.size());
      if (line && line->line_scores(xs, reml_, us, size)) {
        for (std::size_t j = 0; j < xs.size(); ++j) {
          if (!std::isfinite(us[j]) || !(std::fabs(us[j]) > 1e-8 * size[j])) us[j] = (*this)(xs[j]);
        }
        return;
      }
      for (std::size_t j = 0; j < xs.size(); ++j) us[j] = (*this)(xs[j]);
      return;
    }
    const auto y = m_.y();
    const auto v = m_.v();
    const std::size_t n = xs.size();
    const std::size_t k = y.size();
    double centre = 0;
    for (double yi : y) centre += yi;
    centre /= static_cast<double>(k);
    std::vector<double> sc(n), s1(n, 0.0), s2(n, 0.0), sy(n, 0.0), s2y(n, 0.0), s2yy(n, 0.0);
    for (std::size_t j = 0; j < n; ++j) sc[j] = min_v_ + xs[j];
    for (std::size_t i = 0; i < k; ++i) {
      add_study(n, v[i], y[i] - centre, sc.data(), xs.data(), s1.data(), s2.data(), sy.data(),
                s2y.data(), s2yy.data());
    }
    for (std::size_t j = 0; j < n; ++j) {
      const double ybar = sy[j] / s1[j];
      const double ypp = s2yy[j] - 2 * ybar * s2y[j] + ybar * ybar * s2[j];
      const double t = reml_ ? sc[j] * (s1[j] - s2[j] / s1[j]) : sc[j] * s1[j];
      const double u = ypp - t;
      const double size =
          s2yy[j] + std::fabs(2 * ybar * s2y[j]) + ybar * ybar * s2[j] + std::fabs(t);
      if (!std::isfinite(u) || !(std::fabs(u) > 1e-8 * size)) {
        us[j] = (*this)(xs[j]);  // exactly, as one point (and 0 when not finite)
      } else {
        us[j] = u;
      }
    }
  }

 private:
  const linear_model& m_;
  bool reml_;
  bool intercept_;
  double min_v_;
  std::vector<double> a_;
};

// The root of the score in [a, b] (score(a) > 0 > score(b)), by the Illinois variant of
// regula falsi on log tau^2 (a > 0) or plain tau^2 (a = 0), to rel_tol * (tau^2 + typical v).
double refine_maximum(score_fn& score, double tol_scale, double a, double b,
                      const tau2_control& c) {
  double fa = score(a, false);
  double fb = score(b, false);
  int side = 0;
  for (int it = 0; it < 200; ++it) {
    if (b - a <= c.rel_tol * (a + tol_scale)) break;
    // Bisection when the regula falsi point would be too close to an end (keeps it robust).
    double x = (fa - fb) != 0 ? b - fb * (b - a) / (fb - fa) : 0.5 * (a + b);
    if (!(x > a + 0.01 * (b - a) && x < b - 0.01 * (b - a))) x = 0.5 * (a + b);
    const double fx = score(x, false);
    if (fx > 0) {
      a = x;
      fa = fx;
      if (side == 1) fb /= 2;
      side = 1;
    } else if (fx < 0) {
      b = x;
      fb = fx;
      if (side == -1) fa /= 2;
      side = -1;
    } else {
      return x;
    }
  }
  return 0.5 * (a + b);
}

struct maximum {
  double tau2 = 0;
  double ll = 0;
};

// Every local maximum of the (restricted) likelihood on [0, hi]: the score is evaluated at 0 and
// on a log-spaced grid of `c.profile_points` values from lo = min(min v, hi) / 100 (below it every
// weight is within 1% of its value at 0) to hi = 4 max(tau^2 found, y'P1y / (k - p)), the
// unweighted residual variance (beyond it the likelihood decreases: the root of the score for
// tau^2 much larger than every v is about y'P1y / (k - p) - mean v). A change of sign from + to -
// brackets a maximum, refined by refine_maximum; a negative score at 0 is a maximum on the
// boundary. O(k) per grid point.
std::vector<maximum> local_maxima(const linear_model& m, double found, bool reml,
                                  const tau2_control& c) {
  std::vector<maximum> out;
  const auto u = m.unweighted();
  const double df = static_cast<double>(m.k() - m.p());
  double hi = 4 * std::max(found, u.rss / df);
  if (!(hi > 0) || !std::isfinite(hi)) return out;
  const double lo = std::min(m.min_v(), hi) / 100;
  const int n = c.profile_points;
  // The grid by repeated multiplication (one pow, not one per point; where exactly the points
  // lie does not matter, only that they climb from lo to hi).
  const double ratio = std::pow(hi / lo, 1.0 / (n - 1));
  std::vector<double> xs(static_cast<std::size_t>(n) + 1), us(xs.size());
  xs[0] = 0;
  double x = lo;
  for (int i = 1; i <= n; ++i, x *= ratio) xs[static_cast<std::size_t>(i)] = i == n ? hi : x;
  score_fn score(m, reml);
  score.grid(xs, us);
  double prev_x = 0;
  const double tol_scale = m.typical_v();
  double prev_u = us[0];
  if (prev_u < 0) out.push_back({0.0, 0.0});
  for (int i = 1; i <= n; ++i) {
    x = xs[static_cast<std::size_t>(i)];
    const double ux = us[static_cast<std::size_t>(i)];
    if (ux == 0) continue;  // within rounding of a root: decided by the next point
    if (prev_u > 0 && ux < 0) {
      // The maximum scoring found, when it lies in this bracket, is the root there (to the
      // same tolerance): not refined again, which was most of the scan's cost.
      const bool known = found > 0 && prev_x <= found && found <= x;
      out.push_back({known ? found : refine_maximum(score, tol_scale, prev_x, x, c), 0.0});
    }
    prev_x = x;
    prev_u = ux;
  }
  // Still increasing at hi: the maximum lies beyond it (double until the score turns).
  for (int i = 0; prev_u > 0 && i < 64; ++i) {
    const double x2 = 2 * prev_x;
    const double ux = score(x2);
    if (ux < 0) out.push_back({refine_maximum(score, tol_scale, prev_x, x2, c), 0.0});
    if (ux != 0) prev_u = ux;
    prev_x = x2;
  }
  for (auto& mx : out) mx.ll = m.log_likelihood(mx.tau2, reml);
  return out;
}

}  // namespace

namespace {

// Moves tau2 to a higher maximum of the likelihood when there is one, and notes every maximum
// when there are several.
void check_other_maxima(const linear_model& m, bool reml, const tau2_control& c, double& tau2,
                        tau2_estimate& e) {
  auto maxima = local_maxima(m, tau2, reml, c);
  if (maxima.empty()) return;
  const char* name = reml ? "REML" : "ML";
  const double ll_found = m.log_likelihood(tau2, reml);
  auto best = std::max_element(maxima.begin(), maxima.end(),
                               [](const maximum& a, const maximum& b) { return a.ll < b.ll; });
  // A clearly higher maximum elsewhere (not the one found, refined to the same tolerance).
  if (best->ll - ll_found > 1e-10 * (1 + std::fabs(ll_found)) &&
      std::fabs(best->tau2 - tau2) > 1e-6 * (tau2 + m.typical_v())) {
    e.notes.push_back(fmt::format(
        "{} scoring converged to a local maximum at tau^2 = {:.6g} (log-likelihood {:.6f}); the "
        "likelihood is higher at tau^2 = {:.6g} ({:.6f}), so tau^2 = {:.6g}",
        name, tau2, ll_found, best->tau2, best->ll, best->tau2));
    e.moved_to_global_maximum = true;
    tau2 = best->tau2;
  }
  e.likelihood_maxima = static_cast<int>(maxima.size());
  if (maxima.size() < 2) return;
  std::sort(maxima.begin(), maxima.end(),
            [](const maximum& a, const maximum& b) { return a.ll > b.ll; });
  std::vector<std::string> others;
  for (std::size_t i = 1; i < maxima.size(); ++i) {
    others.push_back(
        fmt::format("tau^2 = {:.6g} (log-likelihood {:.6f})", maxima[i].tau2, maxima[i].ll));
  }
  e.notes.push_back(fmt::format(
      "the {} likelihood has {} local maxima; the largest is at tau^2 = {:.6g} (log-likelihood "
      "{:.6f}); the other{} at {}",
      name, maxima.size(), maxima[0].tau2, maxima[0].ll, maxima.size() > 2 ? "s" : "",
      fmt::join(others, ", ")));
}

}  // namespace

expected<tau2_estimate> fisher_scoring(const linear_model& m, bool reml, const tau2_control& c) {
  auto start = estimate_he(m);
  double tau2 = std::max(0.0, start->tau2);
  const double scale = m.typical_v();  // harmonic mean of v: a scale of the data
  tau2_estimate e;
  e.method = reml ? tau2_method::reml : tau2_method::ml;
  double adj = c.step_adj;
  double previous = 0;  // the previous full Fisher step (before the multiplier)
  bool converged = false;
  for (int it = 1; it <= c.max_iter; ++it) {
    const auto st = m.scaled_at(tau2);
    const double s = st.scale;
    double full =
        reml ? (st.ypp_y - s * st.tr_p) / st.tr_pp : (st.ypp_y - s * st.sum_a) / st.sum_a2;
    if (!std::isfinite(full)) full = 0;
    // Oscillation: the step changed sign and is more than half as long as the one before, so
    // halve the multiplier (for this step and every later one).
    if (full * previous < 0 && std::fabs(full) > 0.5 * std::fabs(previous) &&
        adj > k_min_step_adj) {
      adj /= 2;
      ++e.step_halvings;
    }
    previous = full;
    double step = adj * full;
    while (tau2 + step < 0) step /= 2;  // metafor: keep tau^2 >= tau2.min = 0
    tau2 += step;
    e.iterations = it;
    // The step before the multiplier: a small multiplier must not make a step look converged.
    if (std::fabs(step) <= c.rel_tol * (tau2 + scale) * adj) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    return fail(errc::model_no_convergence,
                fmt::format("Fisher scoring for {} did not converge in {} iteration{} (step "
                            "multiplier {:g} after {} halving{})",
                            reml ? "REML" : "ML", c.max_iter, c.max_iter == 1 ? "" : "s", adj,
                            e.step_halvings, e.step_halvings == 1 ? "" : "s"));
  }
  // The likelihood can have its maximum on the boundary while scoring stops at a stationary
  // point inside; metafor compares with tau^2 = 0 and takes 0 when that is higher.
  if (tau2 > 0) {
    const double ll0 = m.log_likelihood(0.0, reml);
    const double ll = m.log_likelihood(tau2, reml);
    if (ll0 - ll > 1e-10 * (1 + std::fabs(ll))) {
      e.notes.push_back(fmt::format(
          "{} stopped at a local maximum (tau^2 = {:.6g}); the likelihood is higher at 0, so "
          "tau^2 = 0",
          reml ? "REML" : "ML", tau2));
      e.at_zero_by_ll_check = true;
      tau2 = 0;
    }
  }
  if (c.profile_points > 0) check_other_maxima(m, reml, c, tau2, e);
  e.tau2 = tau2;
  const auto st = m.scaled_at(tau2);
  // SE from the Fisher information: ML sqrt(2 / sum w*^2), REML sqrt(2 / tr PP), each
  // s sqrt(2 / (scaled value)).
  e.se = st.scale * (reml ? std::sqrt(2 / st.tr_pp) : std::sqrt(2 / st.sum_a2));
  return e;
}

}  // namespace srma::detail
