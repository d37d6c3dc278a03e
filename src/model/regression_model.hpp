// A meta-regression model with a k x p design matrix (private to the model layer: Eigen stays
// out of the public headers).
#pragma once

#include <Eigen/Dense>

#include "srma/model/linear_model.hpp"

namespace srma::detail {

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
