#include "srma/model/linear_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "regression_model.hpp"

namespace srma {

double linear_model::smallest(std::span<const double> v) {
  double m = v.empty() ? 1.0 : v[0];
  for (double x : v) m = std::min(m, x);
  return m;
}

double linear_model::max_v() const {
  double m = v_.empty() ? 1.0 : v_[0];
  for (double x : v_) m = std::max(m, x);
  return m;
}

// Harmonic mean k / sum(1/v) = min v * k / sum(min v / v): the ratios lie in (0, 1], one is 1.
double linear_model::typical_v() const {
  if (v_.empty()) return 1.0;
  const double lo = min_v();
  double s = 0;
  for (double x : v_) s += lo / x;
  return lo * (static_cast<double>(v_.size()) / s);
}

projection_stats linear_model::at(double tau2, bool with_v) const {
  // Undo the scaling of scaled_at(): a functional with n factors P and m factors V was
  // multiplied by s^(n - m) (see linear_model.hpp).
  auto st = scaled_at(tau2, with_v);
  const double s = st.scale;
  st.sum_a /= s;
  st.sum_a2 /= s * s;
  st.rss /= s;
  st.tr_p /= s;
  st.tr_pp /= s * s;
  st.ypp_y /= s * s;
  st.tr_pvp /= s;
  st.scale = 1;
  return st;
}

std::pair<double, double> linear_model::rss_and_slope(double tau2) const {
  const auto q = scaled_rss(tau2);
  return {q.rss / q.scale, -q.ypp_y / (q.scale * q.scale)};
}

double linear_model::log_likelihood(double tau2, bool reml) const {
  // y'Py = y'P~y / s (scaled_at); it overflows only where the true value does, and then the
  // log-likelihood is -inf, which is right.
  const auto q = scaled_rss(tau2);
  double sum_log = 0;
  for (double x : v_) sum_log += std::log(x + tau2);
  const double n = reml ? static_cast<double>(k() - p()) : static_cast<double>(k());
  double ll = -0.5 * n * std::log(2 * std::numbers::pi) - 0.5 * sum_log - 0.5 * (q.rss / q.scale);
  if (reml) ll -= 0.5 * logdet_xwx(tau2);
  return ll;
}

// ---- intercept-only: closed-form sums -----------------------------------------------------------
//
// With X = 1 and S = sum a, ybar = sum a y / S, r = y - ybar, b = a v:
//   tr P = S - sum a^2 / S,  tr PP = sum a^2 - 2 sum a^3 / S + (sum a^2 / S)^2,
//   tr PV = sum b - sum a b / S,  tr PVP = sum a b - 2 sum a^2 b / S + sum a^2 sum a b / S^2,
//   tr PVPV = sum b^2 - 2 sum a b^2 / S + (sum a b / S)^2.
// `weight(i)` gives a_i and `av(i)` gives b_i (each already scaled by the caller).
template <typename WeightFn, typename VFn>
projection_stats intercept_model::compute(WeightFn weight, VFn av, bool with_v) const {
  const auto y = this->y();
  const std::size_t n = y.size();
  double s1 = 0, s2 = 0, s3 = 0, sy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = weight(i);
    s1 += a;
    s2 += a * a;
    s3 += a * a * a;
    sy += a * y[i];
  }
  const double ybar = sy / s1;
  double rss = 0, ypp = 0;
  double sb = 0, sab = 0, sa2b = 0, sb2 = 0, sab2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = weight(i);
    const double r = y[i] - ybar;
    rss += a * r * r;
    ypp += a * a * r * r;
    if (with_v) {
      const double b = av(i);
      sb += b;
      sab += a * b;
      sa2b += a * a * b;
      sb2 += b * b;
      sab2 += a * b * b;
    }
  }
  projection_stats st;
  st.sum_a = s1;
  st.sum_a2 = s2;
  st.rss = rss;
  st.ypp_y = ypp;
  st.tr_p = s1 - s2 / s1;
  st.tr_pp = s2 - 2 * s3 / s1 + (s2 / s1) * (s2 / s1);
  if (with_v) {
    st.tr_pv = sb - sab / s1;
    st.tr_pvp = sab - 2 * sa2b / s1 + s2 * sab / (s1 * s1);
    st.tr_pvpv = sb2 - 2 * sab2 / s1 + (sab / s1) * (sab / s1);
  }
  return st;
}

projection_stats intercept_model::scaled_at(double tau2, bool with_v) const {
  const auto v = this->v();
  const double s = min_v() + tau2;
  auto st = compute([&](std::size_t i) { return s / (v[i] + tau2); },
                    [&](std::size_t i) { return v[i] / (v[i] + tau2); }, with_v);
  st.scale = s;
  return st;
}

projection_stats intercept_model::unweighted(bool with_v) const {
  const auto v = this->v();
  const double c = max_v();
  auto st =
      compute([](std::size_t) { return 1.0; }, [&](std::size_t i) { return v[i] / c; }, with_v);
  st.scale = c;
  return st;
}

scaled_q intercept_model::scaled_rss(double tau2) const {
  const auto y = this->y();
  const auto v = this->v();
  const std::size_t n = y.size();
  const double s = min_v() + tau2;
  double s1 = 0, sy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = s / (v[i] + tau2);
    s1 += a;
    sy += a * y[i];
  }
  const double ybar = sy / s1;
  double rss = 0, ypp = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = s / (v[i] + tau2);
    const double ar = a * (y[i] - ybar);
    rss += ar * (y[i] - ybar);
    ypp += ar * ar;
  }
  return {rss, ypp, s};
}

// log sum 1/(v + tau2) = log(sum a~) - log s.
double intercept_model::logdet_xwx(double tau2) const {
  const double s = min_v() + tau2;
  double sum = 0;
  for (double x : v()) sum += s / (x + tau2);
  return std::log(sum) - std::log(s);
}

}  // namespace srma

namespace srma::detail {

// ---- general design: thin QR of sqrt(A) X (see regression_model.hpp) --------------------------

namespace {

// Q (k x p, orthonormal columns) and R (p x p, upper triangular) of sqrt(A) X = QR.
struct weighted_qr {
  Eigen::ArrayXd s;  // sqrt(a)
  Eigen::MatrixXd q;
  Eigen::MatrixXd r;
};

weighted_qr decompose(const Eigen::MatrixXd& x, const Eigen::ArrayXd& a) {
  weighted_qr d;
  d.s = a.sqrt();
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(d.s.matrix().asDiagonal() * x);
  const Eigen::Index k = x.rows(), p = x.cols();
  d.q = qr.householderQ() * Eigen::MatrixXd::Identity(k, p);
  d.r = qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();
  return d;
}

// tr(C_d C_d2) - 2 sum a^2 d d2 h + sum a^2 d d2 with C_d = Q' diag(a d) Q: tr(P D P D2).
double trace_pdpd(const Eigen::ArrayXd& ad, const Eigen::ArrayXd& ad2, const Eigen::ArrayXd& h,
                  const Eigen::MatrixXd& c_d, const Eigen::MatrixXd& c_d2) {
  return (ad * ad2).sum() - 2 * (ad * ad2 * h).sum() + c_d.cwiseProduct(c_d2).sum();
}

}  // namespace

regression_model::wls_fit regression_model::fit(const Eigen::VectorXd& a) const {
  const auto d = decompose(x_, a.array());
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::VectorXd> yv(y().data(), n);
  const Eigen::VectorXd sy = (d.s * yv.array()).matrix();
  const Eigen::VectorXd qty = d.q.transpose() * sy;
  const auto r = d.r.triangularView<Eigen::Upper>();
  wls_fit f;
  f.beta = r.solve(qty);
  const Eigen::MatrixXd r_inv = r.solve(Eigen::MatrixXd::Identity(x_.cols(), x_.cols()));
  f.vcov = r_inv * r_inv.transpose();
  f.resid = ((sy - d.q * qty).array() / d.s).matrix();
  f.r = d.r;
  return f;
}

double regression_model::wls_fit::wald_trailing(Eigen::Index first) const {
  const Eigen::Index m = beta.size() - first;
  if (m <= 0) return 0;
  const Eigen::VectorXd rb =
      r.bottomRightCorner(m, m).triangularView<Eigen::Upper>() * beta.tail(m);
  return rb.squaredNorm();
}

template <typename WeightFn, typename VFn>
bool regression_model::compute_line(WeightFn weight, VFn weight_v, bool with_v,
                                    projection_stats& st) const {
  const auto n = static_cast<Eigen::Index>(k());
  const auto y = this->y();
  const auto x = x_.col(1);
  double s0 = 0, sx = 0, sy = 0, s2 = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double ai = weight(i);
    s0 += ai;
    sx += ai * x[i];
    sy += ai * y[static_cast<std::size_t>(i)];
    s2 += ai * ai;
  }
  const double xbar = sx / s0, ybar = sy / s0;
  // Centred columns, centred twice (Gram-Schmidt with one re-orthogonalisation): the first mean
  // carries a rounding error that, for a moderator that hardly varies (x = 1 + 1e-6 u), is 1e-10
  // of its spread and changes with tau^2, enough to keep Fisher scoring from converging; the
  // weighted mean of the first deviations, dxm, removes it (x - xbar is exact there, Sterbenz).
  double sdx = 0, sdy = 0, sxx = 0, sxy = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double ai = weight(i);
    const double dx = x[i] - xbar, dy = y[static_cast<std::size_t>(i)] - ybar;
    sdx += ai * dx;
    sdy += ai * dy;
    sxx += ai * dx * dx;
    sxy += ai * dx * dy;
  }
  const double dxm = sdx / s0, dym = sdy / s0;
  // sum a (dx - dxm)^2 = sum a dx^2 - S0 dxm^2, and likewise for the cross product.
  sxx -= s0 * dxm * dxm;
  sxy -= s0 * dxm * dym;
  if (!(sxx > 0) || !std::isfinite(sxx)) return false;
  const double b = sxy / sxx;
  const double i0 = 1 / s0, ixx = 1 / sxx;
  // Raw sums; the entries of C_a = Q' diag(a) Q and C_av are formed from them at the end.
  double rss = 0, ypp = 0, tr_p = 0, sum_a2h = 0, a2dx = 0, a2dx2 = 0;
  double tr_pv = 0, sum_aavh = 0, sum_aav = 0, sum_av2 = 0, sum_av2h = 0, aavdx = 0, aavdx2 = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double dx = (x[i] - xbar) - dxm;
    const double r = ((y[static_cast<std::size_t>(i)] - ybar) - dym) - b * dx;
    const double ai = weight(i);
    const double h = ai * (i0 + dx * dx * ixx);
    const double ar2 = ai * r * r;
    rss += ar2;
    ypp += ai * ar2;
    tr_p += ai * (1 - h);
    const double a2 = ai * ai;
    sum_a2h += a2 * h;
    a2dx += a2 * dx;
    a2dx2 += a2 * dx * dx;
    if (with_v) {
      const double d = weight_v(i);
      const double ad = ai * d;
      tr_pv += d * (1 - h);
      sum_aav += ad;
      sum_aavh += ad * h;
      sum_av2 += d * d;
      sum_av2h += d * d * h;
      aavdx += ad * dx;
      aavdx2 += ad * dx * dx;
    }
  }
  const double inv_root = 1 / std::sqrt(s0 * sxx);
  const double c11 = s2 * i0, c12 = a2dx * inv_root, c22 = a2dx2 * ixx;
  st.sum_a = s0;
  st.sum_a2 = s2;
  st.rss = rss;
  st.ypp_y = ypp;
  st.tr_p = tr_p;
  // tr(P D P D2) = sum a d a d2 - 2 sum a d a d2 h + tr(C_d C_d2) (see trace_pdpd).
  st.tr_pp = s2 - 2 * sum_a2h + (c11 * c11 + 2 * c12 * c12 + c22 * c22);
  if (with_v) {
    const double v11 = sum_aav * i0, v12 = aavdx * inv_root, v22 = aavdx2 * ixx;
    st.tr_pv = tr_pv;
    st.tr_pvp = sum_aav - 2 * sum_aavh + (c11 * v11 + 2 * c12 * v12 + c22 * v22);
    st.tr_pvpv = sum_av2 - 2 * sum_av2h + (v11 * v11 + 2 * v12 * v12 + v22 * v22);
  }
  return true;
}

projection_stats regression_model::compute(const Eigen::ArrayXd& a, const Eigen::ArrayXd& av,
                                           bool with_v) const {
  if (line_) {
    projection_stats st;
    if (compute_line([&](Eigen::Index i) { return a[i]; }, [&](Eigen::Index i) { return av[i]; },
                     with_v, st)) {
      return st;
    }
  }
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::ArrayXd> yv(y().data(), n);
  const auto d = decompose(x_, a);
  // e = (I - H) sqrt(A) y, the weighted residuals; h = diag H.
  const Eigen::VectorXd sy = (d.s * yv).matrix();
  const Eigen::ArrayXd e = (sy - d.q * (d.q.transpose() * sy)).array();
  const Eigen::ArrayXd h = d.q.rowwise().squaredNorm().array();
  const Eigen::MatrixXd c_a = d.q.transpose() * a.matrix().asDiagonal() * d.q;
  projection_stats st;
  st.sum_a = a.sum();
  st.sum_a2 = a.square().sum();
  st.rss = e.square().sum();
  st.ypp_y = (a * e.square()).sum();
  st.tr_p = (a * (1 - h)).sum();
  st.tr_pp = trace_pdpd(a, a, h, c_a, c_a);
  if (with_v) {
    const Eigen::MatrixXd c_av = d.q.transpose() * av.matrix().asDiagonal() * d.q;
    st.tr_pv = (av * (1 - h)).sum();
    st.tr_pvp = trace_pdpd(a, av, h, c_a, c_av);
    st.tr_pvpv = trace_pdpd(av, av, h, c_av, c_av);
  }
  return st;
}

// Weights divided by their largest value: a~ = s / (v + tau2), and a v = v / (v + tau2) formed
// directly (see linear_model.hpp). P is homogeneous of degree 1 in A, so these are the functionals
// of P~ = s P.
projection_stats regression_model::scaled_at(double tau2, bool with_v) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::ArrayXd> vv(v().data(), n);
  const double s = min_v() + tau2;
  if (line_) {
    // The same weights, formed as needed (no arrays to allocate at each of the likelihood
    // scan's points).
    projection_stats st;
    if (compute_line([&](Eigen::Index i) { return s / (vv[i] + tau2); },
                     [&](Eigen::Index i) { return vv[i] / (vv[i] + tau2); }, with_v, st)) {
      st.scale = s;
      return st;
    }
  }
  const Eigen::ArrayXd vt = vv + tau2;
  auto st = compute(s / vt, with_v ? Eigen::ArrayXd(vv / vt) : Eigen::ArrayXd(), with_v);
  st.scale = s;
  return st;
}

projection_stats regression_model::unweighted(bool with_v) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::ArrayXd> vv(v().data(), n);
  const double c = max_v();
  auto st =
      compute(Eigen::ArrayXd::Ones(n), with_v ? Eigen::ArrayXd(vv / c) : Eigen::ArrayXd(), with_v);
  st.scale = c;
  return st;
}

namespace {

// One study's terms at every grid point: line_scores()'s sums, one array each with an entry per
// point. A function of its own with restrict-qualified parameters: inside line_scores() GCC could
// not tell the thirteen arrays apart (more run-time alias checks than it versions for) and left
// the loop scalar; declared distinct, it runs two points at a time (the points are independent).
// GCC honours restrict on parameters, not on local pointers. Built twice, for AVX2 (four points
// at a time) and for the baseline, chosen at load time: the same operations on each point in the
// same order, and AVX2 without FMA contracts nothing, so both give the same bits.
[[gnu::target_clones("avx2", "default")]] void add_line_study(
    std::size_t m, double vi, double xi, double yi, const double* __restrict sc,
    const double* __restrict xs, double* __restrict s0, double* __restrict sx,
    double* __restrict sxx, double* __restrict sy, double* __restrict sxy, double* __restrict t0,
    double* __restrict tx, double* __restrict txx, double* __restrict ty, double* __restrict txy,
    double* __restrict tyy) {
  const double xx = xi * xi, xy = xi * yi, yy = yi * yi;
  for (std::size_t j = 0; j < m; ++j) {
    const double a = sc[j] / (vi + xs[j]);
    const double a2 = a * a;
    s0[j] += a;
    sx[j] += a * xi;
    sxx[j] += a * xx;
    sy[j] += a * yi;
    sxy[j] += a * xy;
    t0[j] += a2;
    tx[j] += a2 * xi;
    txx[j] += a2 * xx;
    ty[j] += a2 * yi;
    txy[j] += a2 * xy;
    tyy[j] += a2 * yy;
  }
}

}  // namespace

// With a~ = s / (v + tau2) at each point, x and y centred at their plain means, the sums
// S = sum a~ (1, x, x^2, y, xy) and T = sum a~^2 (1, x, x^2, y, xy, y^2) give the weighted least
// squares line b1 = (Sxy - Sx ybar) / (Sxx - Sx xbar), b0 = ybar - b1 xbar (xbar = Sx / S0,
// ybar = Sy / S0), y'P~P~y = sum a~^2 (y - b0 - b1 x)^2 expanded in the T sums, and tr P~ = S0 -
// tr((X'A~X)^-1 X'A~^2X) = S0 - (Sxx T0 - 2 Sx Tx + S0 Txx) / (S0 Sxx - Sx^2).
bool regression_model::line_scores(std::span<const double> xs, bool reml, std::span<double> us,
                                   std::span<double> size) const {
  if (!line_) return false;
  const auto n = static_cast<Eigen::Index>(k());
  const auto yv = y();
  const auto vv = v();
  const auto xcol = x_.col(1);
  double mx = 0, my = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    mx += xcol[i];
    my += yv[static_cast<std::size_t>(i)];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  const std::size_t m = xs.size();
  // Sums per point, one array each so that the loop over the points vectorises.
  std::vector<double> buf(13 * m, 0.0);
  double* sc = buf.data();
  double* s0 = sc + m;
  double* sx = s0 + m;
  double* sxx = sx + m;
  double* sy = sxx + m;
  double* sxy = sy + m;
  double* t0 = sxy + m;
  double* tx = t0 + m;
  double* txx = tx + m;
  double* ty = txx + m;
  double* txy = ty + m;
  double* tyy = txy + m;
  for (std::size_t j = 0; j < m; ++j) sc[j] = min_v() + xs[j];
  for (Eigen::Index i = 0; i < n; ++i) {
    add_line_study(m, vv[static_cast<std::size_t>(i)], xcol[i] - mx,
                   yv[static_cast<std::size_t>(i)] - my, sc, xs.data(), s0, sx, sxx, sy, sxy, t0,
                   tx, txx, ty, txy, tyy);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t j = 0; j < m; ++j) {
    const double xbar = sx[j] / s0[j];
    const double ybar = sy[j] / s0[j];
    const double cxx = sxx[j] - sx[j] * xbar;
    const double num = sxx[j] * t0[j] - 2 * sx[j] * tx[j] + s0[j] * txx[j];
    const double num_size = sxx[j] * t0[j] + std::fabs(2 * sx[j] * tx[j]) + s0[j] * txx[j];
    if (!(cxx > 1e-8 * sxx[j]) || !(std::fabs(num) > 1e-8 * num_size)) {
      us[j] = nan;
      size[j] = nan;
      continue;
    }
    const double b1 = (sxy[j] - sx[j] * ybar) / cxx;
    const double b0 = ybar - b1 * xbar;
    const double terms[6] = {tyy[j],          b0 * b0 * t0[j],  b1 * b1 * txx[j],
                             -2 * b0 * ty[j], -2 * b1 * txy[j], 2 * b0 * b1 * tx[j]};
    double ypp = 0, ypp_size = 0;
    for (double t : terms) {
      ypp += t;
      ypp_size += std::fabs(t);
    }
    const double t = reml ? sc[j] * (s0[j] - num / (s0[j] * cxx)) : sc[j] * s0[j];
    us[j] = ypp - t;
    size[j] = ypp_size + sc[j] * (s0[j] + std::fabs(num / (s0[j] * cxx)));
  }
  return true;
}

scaled_q regression_model::scaled_rss(double tau2) const {
  const auto st = scaled_at(tau2);
  return {st.rss, st.ypp_y, st.scale};
}

double regression_model::logdet_xwx(double tau2) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::ArrayXd> vv(v().data(), n);
  const double s = min_v() + tau2;
  if (line_) {
    // det X'A~X = S0 Sxx (R of the Gram-Schmidt above), at a~ = s / (v + tau2).
    const auto x = x_.col(1);
    double s0 = 0, sx = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double a = s / (vv[i] + tau2);
      s0 += a;
      sx += a * x[i];
    }
    const double xbar = sx / s0;
    double sdx = 0, sxx = 0;  // centred twice, as in compute_line
    for (Eigen::Index i = 0; i < n; ++i) {
      const double a = s / (vv[i] + tau2);
      const double dx = x[i] - xbar;
      sdx += a * dx;
      sxx += a * dx * dx;
    }
    sxx -= sdx * (sdx / s0);
    if (sxx > 0 && std::isfinite(sxx)) return std::log(s0) + std::log(sxx) - 2 * std::log(s);
  }
  const auto d = decompose(x_, s / (vv + tau2));
  // log det X'AX = log det R'R - p log s = 2 sum log |R_jj| - p log s (R of sqrt(A~) X).
  return 2 * d.r.diagonal().array().abs().log().sum() - static_cast<double>(p()) * std::log(s);
}

}  // namespace srma::detail
