#include "srma/model/linear_model.hpp"

#include <cmath>
#include <numbers>

#include "regression_model.hpp"

namespace srma {

double linear_model::typical_v() const {
  double s = 0;
  for (double x : v_) s += x;
  return v_.empty() ? 1.0 : s / static_cast<double>(v_.size());
}

double linear_model::log_likelihood(double tau2, bool reml) const {
  const auto st = at(tau2);
  double sum_log = 0;
  for (double x : v_) sum_log += std::log(x + tau2);
  const double n = reml ? static_cast<double>(k() - p()) : static_cast<double>(k());
  double ll = -0.5 * n * std::log(2 * std::numbers::pi) - 0.5 * sum_log - 0.5 * st.rss;
  if (reml) ll -= 0.5 * logdet_xwx(tau2);
  return ll;
}

// ---- intercept-only: closed-form sums -----------------------------------------------------------
//
// With X = 1 and S = sum a, ybar = sum a y / S, r = y - ybar:
//   tr P = S - sum a^2 / S,  tr PP = sum a^2 - 2 sum a^3 / S + (sum a^2 / S)^2,
//   tr PV = sum a v - sum a^2 v / S,  tr PVP = sum a^2 v - 2 sum a^3 v / S + sum a^2 sum a^2 v /
//   S^2, tr PVPV = sum a^2 v^2 - 2 sum a^3 v^2 / S + (sum a^2 v / S)^2.
template <typename WeightFn>
projection_stats intercept_model::compute(WeightFn weight, bool with_v) const {
  const auto y = this->y();
  const auto v = this->v();
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
  double av = 0, a2v = 0, a3v = 0, a2v2 = 0, a3v2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = weight(i);
    const double r = y[i] - ybar;
    rss += a * r * r;
    ypp += a * a * r * r;
    if (with_v) {
      const double vi = v[i];
      av += a * vi;
      a2v += a * a * vi;
      a3v += a * a * a * vi;
      a2v2 += a * a * vi * vi;
      a3v2 += a * a * a * vi * vi;
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
    st.tr_pv = av - a2v / s1;
    st.tr_pvp = a2v - 2 * a3v / s1 + s2 * a2v / (s1 * s1);
    st.tr_pvpv = a2v2 - 2 * a3v2 / s1 + (a2v / s1) * (a2v / s1);
  }
  return st;
}

projection_stats intercept_model::at(double tau2, bool with_v) const {
  const auto v = this->v();
  return compute([&](std::size_t i) { return 1.0 / (v[i] + tau2); }, with_v);
}

projection_stats intercept_model::unweighted(bool with_v) const {
  return compute([](std::size_t) { return 1.0; }, with_v);
}

std::pair<double, double> intercept_model::rss_and_slope(double tau2) const {
  const auto y = this->y();
  const auto v = this->v();
  const std::size_t n = y.size();
  double s1 = 0, sy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = 1.0 / (v[i] + tau2);
    s1 += a;
    sy += a * y[i];
  }
  const double ybar = sy / s1;
  double rss = 0, ypp = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = 1.0 / (v[i] + tau2);
    const double ar = a * (y[i] - ybar);
    rss += ar * (y[i] - ybar);
    ypp += ar * ar;
  }
  return {rss, -ypp};
}

double intercept_model::logdet_xwx(double tau2) const {
  double s = 0;
  for (double x : v()) s += 1.0 / (x + tau2);
  return std::log(s);
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

projection_stats regression_model::compute(const Eigen::ArrayXd& a, bool with_v) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::ArrayXd> yv(y().data(), n);
  const Eigen::Map<const Eigen::ArrayXd> vv(v().data(), n);
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
    const Eigen::ArrayXd av = a * vv;
    const Eigen::MatrixXd c_av = d.q.transpose() * av.matrix().asDiagonal() * d.q;
    st.tr_pv = (av * (1 - h)).sum();
    st.tr_pvp = trace_pdpd(a, av, h, c_a, c_av);
    st.tr_pvpv = trace_pdpd(av, av, h, c_av, c_av);
  }
  return st;
}

projection_stats regression_model::at(double tau2, bool with_v) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::ArrayXd> vv(v().data(), n);
  return compute((vv + tau2).inverse(), with_v);
}

projection_stats regression_model::unweighted(bool with_v) const {
  return compute(Eigen::ArrayXd::Ones(static_cast<Eigen::Index>(k())), with_v);
}

std::pair<double, double> regression_model::rss_and_slope(double tau2) const {
  const auto st = at(tau2);
  return {st.rss, -st.ypp_y};
}

double regression_model::logdet_xwx(double tau2) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::ArrayXd> vv(v().data(), n);
  const auto d = decompose(x_, (vv + tau2).inverse());
  // log det X'AX = log det R'R = 2 sum log |R_jj|.
  return 2 * d.r.diagonal().array().abs().log().sum();
}

}  // namespace srma::detail
