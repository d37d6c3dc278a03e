// File: srma/model/linear_model.hpp
//
// Weighted least-squares building blocks shared by every tau^2 estimator, the Q-profile CI,
// meta-regression and the analyses that refit a model many times (GOSH, permutation tests).
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
// that without Eigen, which keeps one fit at k = 11 well under a microsecond. Meta-regression
// designs (src/model/regression_model.hpp) implement the same interface from the Householder QR
// decomposition of sqrt(A) X instead of M^-1: the same traces, without squaring the condition
// number of the design (an uncentred year moderator stays accurate to about 1e-13).
//
// Scaling (issue 15, "numerics at the edges"): with v_i near 1e-200 the weights a_i = 1/v_i are
// near 1e200 and sum a^2 overflows. `scaled_at(tau2)` therefore works with the weights divided by
// their largest value, a~_i = s / (v_i + tau2) in (0, 1], s = min_j (v_j + tau2), and returns the
// functionals of P~ = s P and V~ = V / s (P is homogeneous of degree 1 in A, so P~ is P at the
// weights a~). A functional with n factors P and m factors V is scaled by s^(n - m):
//     y'P~y = s y'Py,  tr P~ = s tr P,  tr P~P~ = s^2 tr PP,  y'P~P~y = s^2 y'PPy,
//     tr P~V~ = tr PV,  tr P~V~P~ = s tr PVP,  tr P~V~P~V~ = tr PVPV,  sum a~ = s sum a,
// and every sum has a term equal to 1 and none above 1, so none overflows or vanishes for any
// finite positive v (the products a v = v / (v + tau2) are formed directly, never as a~ times
// V~). `at()` multiplies back (and can overflow where the true value does).
//
// Example:
//
//   std::vector<double> y = {-0.89, -1.59, -1.35}, v = {0.33, 0.19, 0.42};
//   srma::intercept_model m(y, v);
//   double q = m.at(0.0).rss;  // Cochran's Q
//   auto tau2 = srma::estimate_tau2(m, srma::tau2_method::reml);
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace srma {

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
  /// The scale s of the functionals above: from scaled_at(), s = min_i (v_i + tau2) and they are
  /// those of P~ = s P and V~ = V / s (see the file comment); from at(), 1; from unweighted(),
  /// max v, which divides V only (P is at unit weights).
  double scale = 1;
};

/// y'Py and y'PPy at weights 1/(v + tau2), scaled as in scaled_at(): rss = s y'Py,
/// ypp_y = s^2 y'PPy, s = min_i (v_i + tau2).
struct scaled_q {
  double rss = 0;
  double ypp_y = 0;
  double scale = 1;
};

/// A meta-analytic (meta-regression) model: estimates y, sampling variances v, design X.
class linear_model {
 public:
  linear_model(std::span<const double> y, std::span<const double> v)
      : y_(y), v_(v), min_v_(smallest(v)) {}
  virtual ~linear_model() = default;
  linear_model(const linear_model&) = delete;
  linear_model& operator=(const linear_model&) = delete;

  [[nodiscard]] std::size_t k() const { return y_.size(); }
  [[nodiscard]] virtual std::size_t p() const = 0;
  [[nodiscard]] std::span<const double> y() const { return y_; }
  [[nodiscard]] std::span<const double> v() const { return v_; }

  /// Functionals of P at weights 1/(v + tau2); `with_v` adds the V terms. Overflows where the
  /// true value does (weights above about 1e154 square to infinity): estimators use scaled_at().
  [[nodiscard]] projection_stats at(double tau2, bool with_v = false) const;
  /// Functionals of P~ = s P and V~ = V / s at weights 1/(v + tau2), s = min_i (v_i + tau2) (in
  /// `scale`): finite for every finite positive v.
  [[nodiscard]] virtual projection_stats scaled_at(double tau2, bool with_v = false) const = 0;
  /// Functionals of P at unit weights (ordinary least squares), V divided by `scale` = max v
  /// when `with_v` (so tr PV, tr PVP are divided by max v and tr PVPV by its square).
  [[nodiscard]] virtual projection_stats unweighted(bool with_v = false) const = 0;
  /// y'Py at weights 1/(v + tau2) and its derivative d/dtau2 = -y'PPy, scaled (see scaled_q).
  [[nodiscard]] virtual scaled_q scaled_rss(double tau2) const = 0;
  /// y'Py at weights 1/(v + tau2) and its derivative d/dtau2 = -y'PPy (unscaled).
  [[nodiscard]] std::pair<double, double> rss_and_slope(double tau2) const;
  /// log det(X' W X) at weights 1/(v + tau2) (restricted log-likelihood), from scaled weights.
  [[nodiscard]] virtual double logdet_xwx(double tau2) const = 0;

  /// A typical sampling variance, used to scale convergence tolerances: the harmonic mean
  /// k / sum(1/v), which the precise studies (those that decide the fit) dominate, computed
  /// without forming 1/v (so it neither overflows nor is swamped by one huge v).
  [[nodiscard]] double typical_v() const;
  /// min_i v_i (1 when there are no studies); kept from construction, as every scaled
  /// functional needs it (found again on each call, it was a tenth of a REML fit's time).
  [[nodiscard]] double min_v() const { return min_v_; }
  /// max_i v_i.
  [[nodiscard]] double max_v() const;
  /// Log-likelihood (ML or REML) at tau2, as metafor's ll.ML / ll.REML (REMLf = TRUE would add
  /// a constant; metafor's ll0 check uses the form without it, as here).
  [[nodiscard]] double log_likelihood(double tau2, bool reml) const;

 private:
  static double smallest(std::span<const double> v);

  std::span<const double> y_, v_;
  double min_v_;
};

/// The intercept-only model: X is a column of ones.
class intercept_model final : public linear_model {
 public:
  using linear_model::linear_model;
  [[nodiscard]] std::size_t p() const override { return 1; }
  [[nodiscard]] projection_stats scaled_at(double tau2, bool with_v = false) const override;
  [[nodiscard]] projection_stats unweighted(bool with_v = false) const override;
  [[nodiscard]] scaled_q scaled_rss(double tau2) const override;
  [[nodiscard]] double logdet_xwx(double tau2) const override;

 private:
  template <typename WeightFn, typename VFn>
  projection_stats compute(WeightFn weight, VFn av, bool with_v) const;
};

}  // namespace srma
