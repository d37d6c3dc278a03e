// Weighted least-squares building blocks shared by every tau^2 estimator, the Q-profile CI and
// meta-regression (private).
//
// For weights a_i (a_i = 1/(v_i + tau^2), or 1 for the unweighted fit of the HE estimator) the
// estimators need scalar functionals of the k x k projection
//     P = A - A X (X'AX)^-1 X'A,   A = diag(a).
// metafor forms P explicitly (O(k^2) memory, O(k^3) time). Here every functional is reduced to
// sums over studies and p x p matrices, O(k p^2), with M = X'AX, r = y - X beta, beta = M^-1 X'Ay:
//     y'Py   = sum a r^2                 y'PPy = sum a^2 r^2
//     tr P   = sum a - tr(M^-1 X'A^2 X)
//     tr PP  = sum a^2 - 2 tr(M^-1 X'A^3 X) + tr(M^-1 B M^-1 B),    B = X'A^2 X
//     tr PV  = sum a v - tr(M^-1 X'A^2 V X)
//     tr PVP = sum a^2 v - 2 tr(M^-1 X'A^3 V X) + tr(M^-1 B M^-1 C),  C = X'A^2 V X
//     tr PVPV = sum a^2 v^2 - 2 tr(M^-1 X'A^3 V^2 X) + tr(M^-1 C M^-1 C)
// (expand P and use the cyclic property of the trace; A and V are diagonal and commute).
// With an intercept only, X = 1 and every term is a plain sum: `intercept_model` does exactly
// that without Eigen, which keeps one fit at k = 11 well under a microsecond.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <span>
#include <vector>

namespace srma::detail {

/// Functionals of P at one weight vector. The V terms are filled only when asked for.
struct projection_stats {
  double sum_a = 0;    ///< tr A
  double sum_a2 = 0;   ///< tr A^2
  double rss = 0;      ///< y'Py (the generalised Q statistic when a = 1/(v + tau^2))
  double tr_p = 0;     ///< tr P
  double tr_pp = 0;    ///< tr PP
  double ypp_y = 0;    ///< y'PPy
  double tr_pv = 0;    ///< tr PV
  double tr_pvp = 0;   ///< tr PVP
  double tr_pvpv = 0;  ///< tr PVPV
};

/// A meta-analytic (meta-regression) model: estimates y, sampling variances v, design X.
class linear_model {
 public:
  linear_model(std::span<const double> y, std::span<const double> v) : y_(y), v_(v) {}
  virtual ~linear_model() = default;
  linear_model(const linear_model&) = delete;
  linear_model& operator=(const linear_model&) = delete;

  [[nodiscard]] std::size_t k() const { return y_.size(); }
  [[nodiscard]] virtual std::size_t p() const = 0;
  [[nodiscard]] std::span<const double> y() const { return y_; }
  [[nodiscard]] std::span<const double> v() const { return v_; }

  /// Functionals of P at weights 1/(v + tau2); `with_v` adds the V terms.
  [[nodiscard]] virtual projection_stats at(double tau2, bool with_v = false) const = 0;
  /// Functionals of P at unit weights (ordinary least squares).
  [[nodiscard]] virtual projection_stats unweighted(bool with_v = false) const = 0;
  /// y'Py at weights 1/(v + tau2) and its derivative d/dtau2 = -y'PPy (root finding).
  [[nodiscard]] virtual std::pair<double, double> rss_and_slope(double tau2) const = 0;
  /// log det(X' W X) at weights 1/(v + tau2) (restricted log-likelihood).
  [[nodiscard]] virtual double logdet_xwx(double tau2) const = 0;

  /// A typical sampling variance (mean of v), used to scale convergence tolerances.
  [[nodiscard]] double typical_v() const;
  /// Log-likelihood (ML or REML) at tau2, as metafor's ll.ML / ll.REML (REMLf = TRUE would add
  /// a constant; metafor's ll0 check uses the form without it, as here).
  [[nodiscard]] double log_likelihood(double tau2, bool reml) const;

 private:
  std::span<const double> y_, v_;
};

/// The intercept-only model: X is a column of ones.
class intercept_model final : public linear_model {
 public:
  using linear_model::linear_model;
  [[nodiscard]] std::size_t p() const override { return 1; }
  [[nodiscard]] projection_stats at(double tau2, bool with_v = false) const override;
  [[nodiscard]] projection_stats unweighted(bool with_v = false) const override;
  [[nodiscard]] std::pair<double, double> rss_and_slope(double tau2) const override;
  [[nodiscard]] double logdet_xwx(double tau2) const override;

 private:
  template <typename WeightFn>
  projection_stats compute(WeightFn weight, bool with_v) const;
};

/// A meta-regression model with a k x p design matrix of full column rank.
class regression_model final : public linear_model {
 public:
  regression_model(std::span<const double> y, std::span<const double> v, Eigen::MatrixXd x)
      : linear_model(y, v), x_(std::move(x)) {}
  [[nodiscard]] std::size_t p() const override { return static_cast<std::size_t>(x_.cols()); }
  [[nodiscard]] const Eigen::MatrixXd& x() const { return x_; }
  [[nodiscard]] projection_stats at(double tau2, bool with_v = false) const override;
  [[nodiscard]] projection_stats unweighted(bool with_v = false) const override;
  [[nodiscard]] std::pair<double, double> rss_and_slope(double tau2) const override;
  [[nodiscard]] double logdet_xwx(double tau2) const override;

  /// Weighted least-squares coefficients and (X'AX)^-1 at weights a.
  struct wls_fit {
    Eigen::VectorXd beta;
    Eigen::MatrixXd m_inv;
  };
  [[nodiscard]] wls_fit fit(const Eigen::VectorXd& a) const;

 private:
  [[nodiscard]] projection_stats compute(const Eigen::VectorXd& a, bool with_v) const;
  Eigen::MatrixXd x_;
};

}  // namespace srma::detail
