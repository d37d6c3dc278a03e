// Leave-one-out fits from moments updated by removing one term; see loo_fast.hpp for the method
// and for when a study is left to the plain refit.
//
// Notation (the intercept-only model, linear_model.hpp): for the k - 1 = n studies without i,
// a_j = 1/(v_j + x), r_j = y_j - c, moments s_m = sum a^m, t_m = sum a^m r, q_m = sum a^m r^2
// (called r1, r2, r3 below), d = t1 / s1 (the weighted mean minus c). Then
//   Q(x)   = y'Py   = sum a (r - d)^2   = r1 - t1 d
//   y'PPy  = sum a^2 (r - d)^2         = r2 - 2 d t2 + d^2 s2
//   y'PPPy = sum a^3 (r - d)^2 - (sum a^2 (r - d))^2 / s1
//   tr P   = s1 - s2 / s1,   tr PP = s2 - 2 s3 / s1 + (s2 / s1)^2
// (P = A - a a' / s1, Py = a (r - d), PPy = a (a (r - d) - g / s1), g = sum a^2 (r - d)).
#include "loo_fast.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "srma/util/distributions.hpp"

namespace srma::detail {

namespace {

constexpr double k_eps = std::numeric_limits<double>::epsilon();
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

using moments = loo_fitter::moments;

bool is_likelihood(tau2_method m) { return m == tau2_method::reml || m == tau2_method::ml; }
bool is_pm(tau2_method m) { return m == tau2_method::pm || m == tau2_method::eb; }

// The nine terms of one study at x, in the order of lattice_point::full. The same function makes
// the full sums and the term taken out of them, so a study's own rounding cancels exactly.
void study_terms(double y, double v, double x, double c, double (&t)[9]) {
  const double a = 1 / (v + x);
  const double a2 = a * a;
  const double a3 = a2 * a;
  const double r = y - c;
  const double rr = r * r;
  t[0] = a;
  t[1] = a2;
  t[2] = a3;
  t[3] = a * r;
  t[4] = a2 * r;
  t[5] = a3 * r;
  t[6] = a * rr;
  t[7] = a2 * rr;
  t[8] = a3 * rr;
}

moments from_array(const double (&t)[9]) {
  return {t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]};
}

// Wald (df NaN) or t inference, as pool_effects() (model/pool.cpp).
model_estimate infer(double est, double se, double crit, double df) {
  model_estimate m;
  m.estimate = est;
  m.se = se;
  m.statistic = est / se;
  m.p = std::isnan(df) ? p_two_sided_z(m.statistic) : p_two_sided_t(m.statistic, df);
  m.ci_lower = est - crit * se;
  m.ci_upper = est + crit * se;
  m.df = df;
  return m;
}

// The smallest value on [0, w] of a function g with g(0) >= a, g(w) >= b and lo <= g' <= hi:
// g(t) >= max(a + lo t, b - hi (w - t)), a convex broken line whose minimum is at an end or where
// the two lines cross.
double lower_bound_on_cell(double a, double b, double lo, double hi, double w) {
  double best = std::min(std::max(a, b - hi * w), std::max(a + lo * w, b));
  if (hi > lo) {
    const double t = (a - b + hi * w) / (hi - lo);
    if (t > 0 && t < w) best = std::min(best, a + lo * t);
  }
  return best;
}

// A root of the cubic Hermite interpolant of (x0, u0, s0), (x1, u1, s1), u0 > 0 > u1, by Newton's
// method on the cubic safeguarded by bisection on [x0, x1] (a start for Newton's method on the
// data; O(1)).
double hermite_root(double x0, double u0, double s0, double x1, double u1, double s1) {
  const double h = x1 - x0;
  auto p = [&](double t) {
    const double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * u0 + (t3 - 2 * t2 + t) * h * s0 + (-2 * t3 + 3 * t2) * u1 +
           (t3 - t2) * h * s1;
  };
  auto dp = [&](double t) {
    const double t2 = t * t;
    return (6 * t2 - 6 * t) * u0 + (3 * t2 - 4 * t + 1) * h * s0 + (6 * t - 6 * t2) * u1 +
           (3 * t2 - 2 * t) * h * s1;
  };
  double lo = 0, hi = 1;
  double t = u0 / (u0 - u1);  // the secant's root
  for (int it = 0; it < 16; ++it) {
    const double f = p(t);
    if (f > 0) {
      lo = t;
    } else {
      hi = t;
    }
    const double d = dp(t);
    double next = d < 0 ? t - f / d : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const bool settled = std::fabs(next - t) <= 1e-12;
    t = next;
    if (settled) break;
  }
  return x0 + t * h;
}

}  // namespace

loo_fitter::loo_fitter(std::span<const double> yi, std::span<const double> vi,
                       const pool_options& options, model_kind model, double full_tau2)
    : y_(yi), v_(vi), options_(options), model_(model), k_(yi.size()) {
  if (k_ < 3 || vi.size() != k_) return;
  const auto& c = options.control;
  if (!(c.rel_tol <= 1e-10) || c.max_iter < 100) return;
  v_min_ = std::numeric_limits<double>::infinity();
  long double sw = 0, swy = 0, sy = 0;
  for (std::size_t j = 0; j < k_; ++j) {
    const double v = vi[j], y = yi[j];
    if (!(v >= 1e-60 && v <= 1e60 && std::fabs(y) <= 1e50)) return;
    v_min_ = std::min(v_min_, v);
    const double w = 1 / v;
    sw += w;
    swy += static_cast<long double>(w) * y;
    sy += y;
  }
  centre_ = static_cast<double>(swy / sw);
  scale_ = static_cast<double>(static_cast<long double>(k_) / sw);
  // An O(1) moment is a long double sum (relative error below k LDBL_EPSILON of the sum of the
  // absolute terms) minus one term, rounded to double; the functionals then take a few more
  // roundings. Generous, so that a certificate never rests on rounding.
  err_rel_ = 64 * k_eps + 8 * static_cast<double>(k_) * static_cast<double>(LDBL_EPSILON);
  zero_ = make_point(0.0);
  cu_ = static_cast<double>(sy / static_cast<long double>(k_));
  for (std::size_t j = 0; j < k_; ++j) {
    const double r = yi[j] - cu_;
    u1_ += r;
    u2_ += static_cast<long double>(r) * r;
    vsum_ += vi[j];
  }
  const double alpha = 1 - options.level / 100;
  crit_z_ = qnorm_upper(alpha / 2);
  crit_t_ = qt_upper(alpha / 2, static_cast<double>(k_ - 2));
  if (model == model_kind::random && (is_likelihood(options.tau2) || is_pm(options.tau2))) {
    build_lattice(full_tau2);
    if (lattice_.empty()) return;
  }
  usable_ = true;
}

void loo_fitter::build_lattice(double full_tau2) {
  const bool pm = is_pm(options_.tau2);
  const bool reml = options_.tau2 == tau2_method::reml;
  const double n = static_cast<double>(k_ - 1);
  const double df = n - 1;
  double y_lo = y_[0], y_hi = y_[0], v_max = v_[0];
  for (std::size_t j = 0; j < k_; ++j) {
    y_lo = std::min(y_lo, y_[j]);
    y_hi = std::max(y_hi, y_[j]);
    v_max = std::max(v_max, v_[j]);
  }
  // Beyond x_tail the function whose root is tau^2 is negative for every subset of n studies:
  // sum (y - mean_a)^2 <= n range^2 = b, a in [1/(v_max + x), 1/(v_min + x)], so
  //   PM:   Q(x) - df <= b / (v_min + x) - df < 0              when x > b / df - v_min;
  //   REML: y'PPy - tr P <= b / (v_min + x)^2 - df / (v_max + x) (tr P >= (n - 1) a_min);
  //   ML:   y'PPy - tr W <= b / (v_min + x)^2 - n / (v_max + x);
  // for REML and ML negative where g(x) = f (v_min + x)^2 - b (v_max + x) > 0 and g' > 0.
  const double b = n * (y_hi - y_lo) * (y_hi - y_lo);
  double x_tail = 0;
  if (pm) {
    x_tail = std::max(0.0, b / df - v_min_);
  } else {
    const double f = reml ? df : n;
    const double qa = f, qb = 2 * f * v_min_ - b, qc = f * v_min_ * v_min_ - b * v_max;
    const double disc = qb * qb - 4 * qa * qc;
    const double vertex = -qb / (2 * qa);
    const double root = disc > 0 ? (-qb + std::sqrt(disc)) / (2 * qa) : vertex;
    x_tail = std::max({0.0, root, vertex});
  }
  x_tail = x_tail * (1 + 1e-9) + 1e-300;
  if (!std::isfinite(x_tail) || x_tail > 1e100) return;
  // Points from v_min / 4 up, doubling (quadrupling for fewer than 50 studies: a pass over a
  // few studies to halve a cell costs less than lattice points shared by all).
  const double ratio = k_ < 50 ? 4 : 2;
  std::vector<double> xs = {0.0};
  double x = v_min_ / 4;
  xs.push_back(x);
  while (x < x_tail) {
    x *= ratio;
    xs.push_back(x);
  }
  if (full_tau2 > 0 && std::isfinite(full_tau2)) {
    xs.push_back(full_tau2);
    // With many studies a pass over them costs more than many lattice points: points at ratio
    // 2^(1/4) within a factor 4 of the full fit's tau^2 spare most studies a halving of a cell
    // near their root.
    if (k_ >= 50) {
      for (int j = -8; j <= 8; ++j) xs.push_back(full_tau2 * std::exp2(0.25 * j));
    }
    // With many studies the roots without one study lie close to the full fit's tau^2: a finer
    // lattice where one Newton step from there predicts them gives each root a narrow cell (a
    // good start, and an easy certificate). O(1) per study from the moments at full_tau2.
    if (k_ >= 50) {
      const lattice_point at_full = make_point(full_tau2);
      double lo = std::numeric_limits<double>::infinity(), hi = 0;
      for (std::size_t i = 0; i < k_; ++i) {
        const value val = at_point(at_full, i);
        if (!(val.slope < 0)) continue;
        const double guess = full_tau2 - val.u / val.slope;
        if (guess > 0 && std::isfinite(guess)) {
          lo = std::min(lo, guess);
          hi = std::max(hi, guess);
        }
      }
      if (hi > 0 && lo <= hi) {
        lo /= 1.02;
        hi *= 1.02;
        constexpr int fine = 24;
        const double step = std::pow(hi / lo, 1.0 / fine);
        for (int j = 0; j <= fine; ++j) xs.push_back(lo * std::pow(step, j));
      }
    }
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  lattice_.reserve(xs.size());
  for (double at : xs) lattice_.push_back(make_point(at));
}

loo_fitter::lattice_point loo_fitter::make_point(double x) const {
  long double sum[9] = {};
  for (std::size_t j = 0; j < k_; ++j) {
    double t[9];
    study_terms(y_[j], v_[j], x, centre_, t);
    for (int q = 0; q < 9; ++q) sum[q] += t[q];
  }
  lattice_point p;
  p.x = x;
  double f[9];
  for (int q = 0; q < 9; ++q) {
    p.hi[q] = static_cast<double>(sum[q]);
    p.lo[q] = static_cast<double>(sum[q] - p.hi[q]);
    f[q] = std::fabs(p.hi[q]);
  }
  p.mag.m = from_array(f);
  p.mag.t1 = std::sqrt(p.mag.m.s1 * p.mag.m.r1);
  p.mag.t2 = std::sqrt(p.mag.m.s2 * p.mag.m.r2);
  p.mag.t3 = std::sqrt(p.mag.m.s3 * p.mag.m.r3);
  return p;
}

moments loo_fitter::without(const lattice_point& p, std::size_t i) const {
  double t[9];
  study_terms(y_[i], v_[i], p.x, centre_, t);
  double m[9];
  for (int q = 0; q < 9; ++q) m[q] = (p.hi[q] - t[q]) + p.lo[q];
  return from_array(m);
}

moments loo_fitter::direct(std::size_t i, double x, double centre) const {
  moments m;
  auto add = [&](std::size_t j) {
    const double a = 1 / (v_[j] + x);
    const double a2 = a * a;
    const double a3 = a2 * a;
    const double r = y_[j] - centre;
    const double rr = r * r;
    m.s1 += a;
    m.s2 += a2;
    m.s3 += a3;
    m.t1 += a * r;
    m.t2 += a2 * r;
    m.t3 += a3 * r;
    m.r1 += a * rr;
    m.r2 += a2 * rr;
    m.r3 += a3 * rr;
  };
  for (std::size_t j = 0; j < i; ++j) add(j);
  for (std::size_t j = i + 1; j < k_; ++j) add(j);
  return m;
}

loo_fitter::value loo_fitter::evaluate(const moments& m, const magnitudes& mg, double rel,
                                       double x) const {
  value out;
  out.x = x;
  const double d = m.t1 / m.s1;
  const double ad = std::fabs(d);
  const moments& mag = mg.m;
  const double t1m = mg.t1, t2m = mg.t2, t3m = mg.t3;
  const double d_err = rel * (t1m + ad * mag.s1) / m.s1;
  if (is_pm(options_.tau2)) {
    const double df = static_cast<double>(k_ - 2);
    const double q = m.r1 - m.t1 * d;
    const double ypp = m.r2 - 2 * d * m.t2 + d * d * m.s2;
    out.u = q - df;
    out.err = 4 * rel * (mag.r1 + ad * t1m + df) + 2 * t1m * d_err;
    out.slope = -ypp;
    out.falls = ypp;
    return out;
  }
  const bool reml = options_.tau2 == tau2_method::reml;
  const double ypp = m.r2 - 2 * d * m.t2 + d * d * m.s2;
  const double ypp_mag = mag.r2 + 2 * ad * t2m + d * d * mag.s2;
  const double b = m.s2 / m.s1;
  const double trp = m.s1 - b;
  const double g = m.t2 - d * m.s2;
  const double g_mag = t2m + ad * mag.s2;
  const double yppp = (m.r3 - 2 * d * m.t3 + d * d * m.s3) - g * g / m.s1;
  const double yppp_mag = mag.r3 + 2 * ad * t3m + d * d * mag.s3 + g_mag * g_mag / m.s1;
  const double trpp = m.s2 - 2 * m.s3 / m.s1 + b * b;
  const double bm = mag.s2 / m.s1;
  const double trpp_mag = mag.s2 + 2 * mag.s3 / m.s1 + bm * bm;
  out.u = ypp - (reml ? trp : m.s1);
  out.err = 4 * rel * (ypp_mag + mag.s1 + bm) + 2 * g_mag * d_err;
  out.falls = 2 * yppp;
  out.rises = reml ? trpp : m.s2;
  out.slope = out.rises - out.falls;
  // Slack on the derivative bounds: rounding of y'PPPy and tr PP, including through d.
  const double dyppp = 2 * (t3m + ad * mag.s3) + 2 * g_mag * mag.s2 / m.s1;
  out.err_slope = 4 * rel * (2 * yppp_mag + (reml ? trpp_mag : mag.s2)) + 2 * dyppp * d_err;
  return out;
}

loo_fitter::value loo_fitter::at_point(const lattice_point& p, std::size_t i) const {
  return evaluate(without(p, i), p.mag, err_rel_, p.x);
}

loo_fitter::value loo_fitter::at_direct(std::size_t i, double x) const {
  const moments m = direct(i, x, centre_);
  // Sums of positive terms bound their own magnitude; |t_m| <= sqrt(s_m q_m) (Cauchy-Schwarz).
  const magnitudes mag{m, std::sqrt(m.s1 * m.r1), std::sqrt(m.s2 * m.r2), std::sqrt(m.s3 * m.r3)};
  return evaluate(m, mag, (4 * static_cast<double>(k_) + 64) * k_eps, x);
}

bool loo_fitter::cell_holds(const value& l, const value& r, int sign) const {
  const double slack = std::max(l.err_slope, r.err_slope);
  const double lo = r.rises - l.falls - slack;  // u' >= -2 y'PPPy(x_l) + t(x_r)
  const double hi = l.rises - r.falls + slack;  // u' <= -2 y'PPPy(x_r) + t(x_l)
  const double w = r.x - l.x;
  if (sign == 0) return hi < 0 && l.u - l.err > 0 && r.u + r.err < 0;
  if (sign > 0) return lower_bound_on_cell(l.u - l.err, r.u - r.err, lo, hi, w) > 0;
  return lower_bound_on_cell(-l.u - l.err, -r.u - r.err, -hi, -lo, w) > 0;
}

bool loo_fitter::certify(std::size_t i, const value& l, const value& r, int sign, int depth,
                         int& budget, value& root_l, value& root_r) const {
  if (cell_holds(l, r, sign)) {
    if (sign == 0) {
      root_l = l;
      root_r = r;
    }
    return true;
  }
  if (depth >= 16 || budget <= 0) return false;
  --budget;
  // Halve the cell (geometrically away from 0) with one pass over the other studies.
  const double mid = l.x > 0 ? std::sqrt(l.x * r.x) : 0.5 * r.x;
  if (!(mid > l.x && mid < r.x)) return false;
  const value m = at_direct(i, mid);
  if (!(std::fabs(m.u) > m.err)) return false;
  if (sign == 0) {
    if (m.u > 0) {
      return certify(i, l, m, +1, depth + 1, budget, root_l, root_r) &&
             certify(i, m, r, 0, depth + 1, budget, root_l, root_r);
    }
    return certify(i, l, m, 0, depth + 1, budget, root_l, root_r) &&
           certify(i, m, r, -1, depth + 1, budget, root_l, root_r);
  }
  // A value of the other sign inside: two more roots, so more than one maximum; a plain refit
  // says which and notes them.
  if (sign * m.u <= 0) return false;
  return certify(i, l, m, sign, depth + 1, budget, root_l, root_r) &&
         certify(i, m, r, sign, depth + 1, budget, root_l, root_r);
}

bool loo_fitter::root(std::size_t i, double& tau2, moments& m, double& m_centre) const {
  const bool pm = is_pm(options_.tau2);
  const std::size_t n = lattice_.size();
  std::vector<value> vals(n);
  for (std::size_t p = 0; p < n; ++p) vals[p] = at_point(lattice_[p], i);
  value root_l, root_r;
  if (pm) {
    // Q(x) - df decreases and is convex: one root, which lies in the cell between the last
    // point where it is surely positive and the first where it is surely negative.
    if (!(vals[0].u - vals[0].err > 0)) return false;
    std::size_t lo = 0;
    while (lo + 1 < n && vals[lo + 1].u - vals[lo + 1].err > 0) ++lo;
    std::size_t hi = lo + 1;
    while (hi < n && !(vals[hi].u + vals[hi].err < 0)) ++hi;
    if (hi >= n) return false;
    root_l = vals[lo];
    root_r = vals[hi];
  } else {
    for (const auto& val : vals) {
      if (!(std::fabs(val.u) > val.err)) return false;
    }
    // Signs: + ... + - ... - (or all -): at most one change, and negative at the end.
    std::size_t first_negative = 0;
    while (first_negative < n && vals[first_negative].u > 0) ++first_negative;
    if (first_negative == n) return false;
    for (std::size_t p = first_negative; p < n; ++p) {
      if (vals[p].u > 0) return false;
    }
    int budget = 24;
    for (std::size_t p = 0; p + 1 < n; ++p) {
      const int sign = p + 1 < first_negative ? 1 : (p + 1 == first_negative ? 0 : -1);
      if (!certify(i, vals[p], vals[p + 1], sign, 0, budget, root_l, root_r)) return false;
    }
    if (first_negative == 0) {
      // u < 0 on [0, inf): the likelihood decreases from 0, where scoring ends.
      tau2 = 0;
      m = without(zero_, i);
      m_centre = centre_;
      return true;
    }
  }
  // Newton's method inside the cell [root_l, root_r], where u decreases (PM: convex and
  // decreasing; ML/REML: certified u' < 0), safeguarded by bisection.
  double lo = root_l.x, hi = root_r.x;
  double x = hermite_root(root_l.x, root_l.u, root_l.slope, root_r.x, root_r.u, root_r.slope);
  if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
  for (int it = 0; it < 60; ++it) {
    const moments mx = direct(i, x, centre_);
    const value val = evaluate(mx, magnitudes{mx, 0, 0, 0}, 0, x);
    if (val.u > 0) {
      lo = x;
    } else if (val.u < 0) {
      hi = x;
    }
    const double step = val.slope < 0 ? -val.u / val.slope : k_nan;
    // Converged: 1e-13 relative, ten times tighter than the plain refit's Fisher scoring stops
    // (tau2_control::rel_tol 1e-12), so the two agree to that tolerance.
    if (val.u == 0 || std::fabs(step) <= 1e-13 * (x + scale_)) {
      tau2 = x;
      m = mx;
      m_centre = centre_;
      return true;
    }
    double next = x + step;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (!(hi - lo > 1e-15 * (x + scale_))) return false;
    x = next;
  }
  return false;
}

std::optional<loo_fit> loo_fitter::fit(std::size_t i) const {
  if (!usable_ || i >= k_) return std::nullopt;
  const double n = static_cast<double>(k_ - 1);
  const double df = n - 1;
  const tau2_method method = options_.tau2;

  // ---- common effect and heterogeneity of the n studies: O(1) from the moments at 0 ---------
  moments m0 = without(zero_, i);
  double c0 = centre_;
  {
    const moments& full = zero_.mag.m;
    bool ok = m0.s1 >= 1e-3 * full.s1;
    if (ok) {
      const double d0 = m0.t1 / m0.s1;
      const double q0 = m0.r1 - m0.t1 * d0;
      const double trp0 = m0.s1 - m0.s2 / m0.s1;
      ok = q0 >= 1e-3 * full.r1 && trp0 >= 1e-3 * (full.s1 + full.s2 / m0.s1);
    }
    if (!ok) {
      // Study i dominates a sum: two passes over the others, the second about their mean.
      const moments first = direct(i, 0.0, centre_);
      c0 = centre_ + first.t1 / first.s1;
      m0 = direct(i, 0.0, c0);
    }
  }
  const double d0 = m0.t1 / m0.s1;
  const double q = m0.r1 - m0.t1 * d0;
  const double trp0 = m0.s1 - m0.s2 / m0.s1;
  if (!(trp0 > 0) || !std::isfinite(q)) return std::nullopt;
  loo_fit out;
  out.Q = std::max(0.0, q);
  out.Q_p = pchisq_upper(out.Q, df);
  out.I2 = q > 0 ? std::max(0.0, 100 * (q - df) / q) : 0.0;
  out.H2 = out.Q / df;
  const double typical_v = df / trp0;
  const double mu_ce = c0 + d0;

  if (model_ == model_kind::common) {
    out.tau2 = 0;
    out.estimate = infer(mu_ce, 1 / std::sqrt(m0.s1), crit_z_, k_nan);
    out.I2_tau2 = 0;
    out.H2_tau2 = 1;
    out.sum_w = m0.s1;
    return out;
  }

  // ---- tau^2 of the n studies --------------------------------------------------------------
  double tau2 = 0;
  moments mt{};
  double mt_centre = centre_;
  bool have_mt = false;
  auto unweighted_ss = [&]() -> double {
    // sum (y - mean)^2 over the n studies (HE, SJ): O(1), or a pass when study i dominates.
    const double r = y_[i] - cu_;
    const long double su = u1_ - r;
    const double ss = static_cast<double>((u2_ - static_cast<long double>(r) * r) -
                                          su * su / static_cast<long double>(n));
    if (ss >= 1e-3 * static_cast<double>(u2_)) return ss;
    double mean = 0;
    for (std::size_t j = 0; j < k_; ++j)
      if (j != i) mean += y_[j];
    mean /= n;
    double s = 0;
    for (std::size_t j = 0; j < k_; ++j)
      if (j != i) s += (y_[j] - mean) * (y_[j] - mean);
    return s;
  };
  switch (method) {
    case tau2_method::dl:
      tau2 = std::max(0.0, (q - df) / trp0);
      break;
    case tau2_method::hs:
      tau2 = std::max(0.0, (q - n) / m0.s1);
      break;
    case tau2_method::he: {
      double vs = static_cast<double>(vsum_ - v_[i]);
      if (vs < 1e-3 * static_cast<double>(vsum_)) {
        vs = 0;
        for (std::size_t j = 0; j < k_; ++j)
          if (j != i) vs += v_[j];
      }
      // tr(P1 V) = sum v - sum v / n for the unweighted projection P1 = I - 11'/n.
      tau2 = std::max(0.0, (unweighted_ss() - (vs - vs / n)) / df);
      break;
    }
    case tau2_method::sj: {
      const double tau0 = unweighted_ss() / n;
      moments ms = direct(i, tau0, centre_);
      double dm = ms.t1 / ms.s1;
      double qs = ms.r1 - ms.t1 * dm;
      if (ms.s1 * dm * dm > 1e3 * qs) {
        ms = direct(i, tau0, centre_ + dm);
        dm = ms.t1 / ms.s1;
        qs = ms.r1 - ms.t1 * dm;
      }
      tau2 = std::max(0.0, tau0 * qs / df);
      break;
    }
    case tau2_method::pm:
    case tau2_method::eb:
      // metafor: 0 when Q(0) <= k - p; otherwise the root of Q(tau^2) = k - p.
      if (std::fabs(q - df) <= 1e-9 * (q + df)) return std::nullopt;
      if (q > df) {
        if (!root(i, tau2, mt, mt_centre)) return std::nullopt;
        have_mt = true;
      }
      break;
    case tau2_method::reml:
    case tau2_method::ml:
      if (!root(i, tau2, mt, mt_centre)) return std::nullopt;
      have_mt = true;
      break;
  }
  if (!std::isfinite(tau2)) return std::nullopt;

  // ---- random effects at tau^2 -----------------------------------------------------------------
  moments mr;
  double cr = centre_;
  if (tau2 == 0) {
    mr = m0;
    cr = c0;
  } else if (have_mt) {
    mr = mt;
    cr = mt_centre;
  } else {
    mr = direct(i, tau2, centre_);
  }
  double dr = mr.t1 / mr.s1;
  double rss = mr.r1 - mr.t1 * dr;  // sum a (y - mu)^2
  const bool hksj = options_.ci == ci_method::hksj;
  if (hksj && mr.s1 * dr * dr > 1e3 * rss) {
    // The residual sum would cancel: again about the mean.
    cr += dr;
    mr = direct(i, tau2, cr);
    dr = mr.t1 / mr.s1;
    rss = mr.r1 - mr.t1 * dr;
  }
  const double mu = cr + dr;
  out.tau2 = tau2;
  out.sum_w = mr.s1;
  out.I2_tau2 = 100 * tau2 / (typical_v + tau2);
  out.H2_tau2 = tau2 / typical_v + 1;
  if (hksj) {
    // Knapp-Hartung: SE sqrt(sum a (y - mu)^2 / ((n - 1) sum a)); metafor (and pool_effects)
    // set it to 0 when that sum is at most machine epsilon. Too close to call: plain refit.
    if (rss > k_eps / 4 && rss < 4 * k_eps) return std::nullopt;
    out.hksj_zero = rss <= k_eps;
    const double se = out.hksj_zero ? 0.0 : std::sqrt(rss / (df * mr.s1));
    out.estimate = infer(mu, se, crit_t_, df);
  } else {
    out.estimate = infer(mu, 1 / std::sqrt(mr.s1), crit_z_, k_nan);
  }
  return out;
}

}  // namespace srma::detail
