// A meta-regression model with a k x p design matrix (private to the model layer: Eigen stays
// out of the public headers).
//
// Every quantity comes from the thin Householder QR decomposition of the weighted design
// sqrt(A) X = Q R (Q k x p with orthonormal columns, R p x p upper triangular), never from the
// normal equations: X'AX = R'R has the square of the condition number of sqrt(A) X, which for an
// uncentred moderator (a year near 1990) and one very large trial loses about 5 significant
// digits in tr PP and the SE of tau^2 (dat.egger2001, year, DL: 4e-5 relative). With
// H = QQ' (never formed), h_i = ||Q_i.||^2 its diagonal, e = (I - H) sqrt(A) y, and D, D2 diagonal:
//     Py = sqrt(A) e             y'Py = ||e||^2          y'PPy = sum a e^2
//     tr PD  = sum a d (1 - h)
//     tr PDPD2 = sum a^2 d d2 - 2 sum a^2 d d2 h + tr(C_d C_d2),   C_d = Q' diag(a d) Q  (p x p)
// (P = sqrt(A) (I - H) sqrt(A); expand and use the cyclic property of the trace), so tr P, tr PP,
// tr PV, tr PVP and tr PVPV are O(k p^2) sums and p x p products. (X'AX)^-1 = R^-1 R^-T and
// log det X'AX = 2 sum log |R_jj|.
//
// The design [1, x] (Egger's and Peters' tests, a meta-regression on one moderator) has the same
// functionals in closed form: Gram-Schmidt on the two columns of sqrt(A) X gives
// q1 = sqrt(a) / sqrt(S0), q2 = sqrt(a) (x - xbar) / sqrt(Sxx) (S0 = sum a, xbar = sum a x / S0,
// Sxx = sum a (x - xbar)^2, centred twice as Gram-Schmidt with one re-orthogonalisation, before
// squaring, so the conditioning is that of the QR), h = a / S0 + a (x - xbar)^2 / Sxx, e = sqrt(a)
// ((y - ybar) - b (x - xbar)) with b = sum a (x - xbar)(y - ybar) / Sxx, C_d entries sum d a / S0,
// sum d a (x - xbar) / sqrt(S0 Sxx), sum d a (x - xbar)^2 / Sxx, and log det X'AX = log S0 + log
// Sxx. Three passes and no allocation instead of a Householder QR with its Q formed (issue 15: the
// likelihood scan of a REML meta-regression evaluates these some 80 times per fit); they agree with
// the QR to about 1e-15 relative (tests/unit/regression_line_test.cpp).
//
// Example:
//
//   detail::regression_model m(yi, vi, x);   // x: k x p, full column rank
//   auto st = m.at(0.1, true);               // tr P, tr PP, ... at tau^2 = 0.1
//   auto f = m.fit((v.array() + 0.1).inverse().matrix());  // beta, its covariance, R
#pragma once

#include <Eigen/Dense>
#include <span>

#include "srma/model/linear_model.hpp"

namespace srma::detail {

/// A meta-regression model with a k x p design matrix of full column rank.
class regression_model final : public linear_model {
 public:
  regression_model(std::span<const double> y, std::span<const double> v, Eigen::MatrixXd x)
      : linear_model(y, v), x_(std::move(x)) {
    line_ = x_.cols() == 2 && (x_.col(0).array() == 1.0).all();
  }
  [[nodiscard]] std::size_t p() const override { return static_cast<std::size_t>(x_.cols()); }
  [[nodiscard]] const Eigen::MatrixXd& x() const { return x_; }
  [[nodiscard]] projection_stats scaled_at(double tau2, bool with_v = false) const override;
  [[nodiscard]] projection_stats unweighted(bool with_v = false) const override;
  [[nodiscard]] scaled_q scaled_rss(double tau2) const override;
  [[nodiscard]] double logdet_xwx(double tau2) const override;

  /// For the design [1, x] only (else false): the score of the likelihood scan at every
  /// tau^2 of `xs`, u = y'P~P~y - s tr P~ (REML) or y'P~P~y - s sum a~ (ML), in one pass over
  /// the studies (12 sums per point, the points vectorised), and in `size` the sum of the
  /// magnitudes of the terms u is formed from, for the caller to judge cancellation; a point
  /// whose sums lose more than half their digits (x nearly constant at its weights) gets NaN,
  /// to be evaluated exactly.
  [[nodiscard]] bool line_scores(std::span<const double> xs, bool reml, std::span<double> us,
                                 std::span<double> size) const;
  /// The weighted least-squares fit at weights a, from the QR decomposition of sqrt(A) X.
  struct wls_fit {
    Eigen::VectorXd beta;   ///< (X'AX)^-1 X'Ay.
    Eigen::MatrixXd r;      ///< R of sqrt(A) X = QR (upper triangular, p x p): X'AX = R'R.
    Eigen::MatrixXd vcov;   ///< (X'AX)^-1 = R^-1 R^-T.
    Eigen::VectorXd resid;  ///< y - X beta, computed as (I - H) sqrt(A) y / sqrt(a).
    /// beta_J' ((X'AX)^-1_JJ)^-1 beta_J for the trailing coefficients J = first..p-1, as
    /// ||R_JJ beta_J||^2 (the Wald statistic of an omnibus test without inverting a covariance).
    [[nodiscard]] double wald_trailing(Eigen::Index first) const;
  };
  [[nodiscard]] wls_fit fit(const Eigen::VectorXd& a) const;

 private:
  /// Functionals at weights a, with b = a v (each as scaled by the caller) for the V terms.
  [[nodiscard]] projection_stats compute(const Eigen::ArrayXd& a, const Eigen::ArrayXd& av,
                                         bool with_v) const;
  /// compute() for the design [1, x] (line_): from centred sums, without Eigen; false when x is
  /// constant at these weights (then the QR path reports the rank deficiency as it does).
  template <typename WeightFn, typename VFn>
  [[nodiscard]] bool compute_line(WeightFn weight, VFn weight_v, bool with_v,
                                  projection_stats& st) const;
  Eigen::MatrixXd x_;
  bool line_ = false;  ///< The design is an intercept and one column (regression tests, one
                       ///< moderator): compute() and logdet_xwx() take closed forms.
};

}  // namespace srma::detail
