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

// ---- general design: p x p algebra
// ----------------------------------------------------------------

regression_model::wls_fit regression_model::fit(const Eigen::VectorXd& a) const {
  const Eigen::MatrixXd xa = x_.transpose() * a.asDiagonal();
  const Eigen::MatrixXd m = xa * x_;
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(m);
  wls_fit f;
  f.m_inv = ldlt.solve(Eigen::MatrixXd::Identity(x_.cols(), x_.cols()));
  const Eigen::Map<const Eigen::VectorXd> yv(y().data(), static_cast<Eigen::Index>(k()));
  f.beta = f.m_inv * (xa * yv);
  return f;
}

projection_stats regression_model::compute(const Eigen::VectorXd& a, bool with_v) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::VectorXd> yv(y().data(), n);
  const Eigen::Map<const Eigen::VectorXd> vv(v().data(), n);
  const auto f = fit(a);
  const Eigen::VectorXd r = yv - x_ * f.beta;
  const Eigen::ArrayXd aa = a.array();
  // Weighted cross-products X' diag(d) X for a few diagonals d.
  auto cross = [&](const Eigen::ArrayXd& d) -> Eigen::MatrixXd {
    return x_.transpose() * d.matrix().asDiagonal() * x_;
  };
  const Eigen::MatrixXd b = cross(aa.square());
  const Eigen::MatrixXd mb = f.m_inv * b;
  projection_stats st;
  st.sum_a = aa.sum();
  st.sum_a2 = aa.square().sum();
  st.rss = (aa * r.array().square()).sum();
  st.ypp_y = (aa.square() * r.array().square()).sum();
  st.tr_p = st.sum_a - mb.trace();
  st.tr_pp = st.sum_a2 - 2 * (f.m_inv * cross(aa.cube())).trace() + (mb * mb).trace();
  if (with_v) {
    const Eigen::ArrayXd va = vv.array();
    const Eigen::MatrixXd c = cross(aa.square() * va);
    const Eigen::MatrixXd mc = f.m_inv * c;
    st.tr_pv = (aa * va).sum() - mc.trace();
    st.tr_pvp = (aa.square() * va).sum() - 2 * (f.m_inv * cross(aa.cube() * va)).trace() +
                (mb * mc).trace();
    st.tr_pvpv = (aa.square() * va.square()).sum() -
                 2 * (f.m_inv * cross(aa.cube() * va.square())).trace() + (mc * mc).trace();
  }
  return st;
}

projection_stats regression_model::at(double tau2, bool with_v) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::VectorXd> vv(v().data(), n);
  return compute((vv.array() + tau2).inverse().matrix(), with_v);
}

projection_stats regression_model::unweighted(bool with_v) const {
  return compute(Eigen::VectorXd::Ones(static_cast<Eigen::Index>(k())), with_v);
}

std::pair<double, double> regression_model::rss_and_slope(double tau2) const {
  const auto st = at(tau2);
  return {st.rss, -st.ypp_y};
}

double regression_model::logdet_xwx(double tau2) const {
  const auto n = static_cast<Eigen::Index>(k());
  const Eigen::Map<const Eigen::VectorXd> vv(v().data(), n);
  const Eigen::VectorXd a = (vv.array() + tau2).inverse().matrix();
  const Eigen::MatrixXd m = x_.transpose() * a.asDiagonal() * x_;
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(m);
  return ldlt.vectorD().array().log().sum();
}

}  // namespace srma::detail
