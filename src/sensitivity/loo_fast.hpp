// The fits "without study i" of the inverse-variance model for every i, without a plain refit per
// study (private; issue 15 item 4: srma influence took 70 s at k = 10^4, one pool() of k - 1
// studies per study). leave1out() and influence() use it and fall back to the plain refit for
// any study it declines.
//
// What is computed once (O(k) each, long double sums) and what per study:
// - the moments of the weights a_j = 1/(v_j + x) about a fixed centre c (the common-effect mean):
//   sum a^m and sum a^m r, sum a^m r^2 (r = y - c, m = 1..3) at x = 0 and at the points of a
//   lattice of tau^2 values; "all but i" subtracts study i's term, O(1) per point;
// - common effect, Q, I^2, H^2, the typical within-study variance, and the DL, HS and HE
//   estimates of the fit without i come from the moments at x = 0 in O(1);
// - SJ needs one pass over the studies (its start value is O(1)); PM/EB, ML and REML find their
//   root by Newton's method on passes over the other studies, started in the lattice cell that
//   holds the root (cubic Hermite interpolation of the O(1) values at its ends), so that two or
//   three passes suffice; the random-effects mean and SE take one more pass where tau^2 is not 0.
//
// ML and REML: a plain refit also scans the likelihood for other maxima (fisher_scoring.cpp,
// check_other_maxima) and moves tau^2 or adds notes when it finds several. Here the fit is used
// only when the score u(x) (y'PPy - tr P for REML, y'PPy - tr W for ML) is proven to have one
// root on [0, inf) (or none, with u(0) < 0): on each lattice cell its sign is bounded from the
// values at the ends and the bounds -2 y'PPPy(x_l) + t(x_r) <= u' <= -2 y'PPPy(x_r) + t(x_l)
// (t = tr PP for REML, sum a^2 for ML; y'PPPy, tr PP and sum a^2 all decrease in x because
// dP/dx = -PP); the cell with the root must have u' < 0 throughout; beyond the lattice u < 0
// because y'PPy <= a_max^2 n range(y)^2 and tr P >= (n - 1) a_min. A cell that cannot be
// certified is halved (one pass over the studies per new point); when that does not settle it,
// the study gets a plain refit. With one root, Fisher scoring converges to it, the likelihood at
// 0 is lower, and the scan finds that one maximum: the plain refit's result, to the iteration's
// tolerance (1e-12 relative), without its notes.
//
// Declined (plain refit instead): k < 3; variances outside [1e-60, 1e60] or |y| > 1e50 (the
// unscaled sums here would lose range; pool_effects scales them); a tolerance looser than 1e-10
// or fewer than 100 iterations in tau2_control (the plain refit would stop elsewhere or fail);
// a study whose O(1) update would cancel too many digits (it dominates the sums); ML/REML whose
// score cannot be certified; HKSJ where the residual sum is within a factor 4 of metafor's
// "all estimates coincide" threshold.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "srma/model/pool.hpp"

namespace srma::detail {

/// The fit without one study, as pool_effects() would give it (see loo_fitter).
struct loo_fit {
  double tau2 = 0;          ///< 0 for the common-effect model.
  model_estimate estimate;  ///< The analysis' model, with its inference (Knapp-Hartung under HKSJ).
  double Q = 0, Q_p = 0, I2 = 0, H2 = 0;  ///< Cochran's Q of the k - 1 studies and its p, I^2, H^2.
  double I2_tau2 = 0, H2_tau2 = 0;        ///< tau^2-based (0 and 1 for the common-effect model).
  double sum_w = 0;                       ///< sum over the k - 1 studies of 1/(v_j + tau2).
  bool hksj_zero = false;  ///< HKSJ: the residuals vanish and the SE is 0 (pool_effects' note).
};

/// Fits of "all studies but i" for the inverse-variance model `model` with `options`, for the
/// data (yi, vi) whose full fit gave tau^2 = full_tau2 (0 for the common-effect model).
class loo_fitter {
 public:
  loo_fitter(std::span<const double> yi, std::span<const double> vi, const pool_options& options,
             model_kind model, double full_tau2);

  /// False when no study can be fitted here (see the file comment).
  [[nodiscard]] bool usable() const { return usable_; }
  /// The fit without study i, or nullopt when study i needs a plain refit. Thread-safe.
  [[nodiscard]] std::optional<loo_fit> fit(std::size_t i) const;

  /// The nine moments about the centre at one x: sum a^m, sum a^m r, sum a^m r^2, m = 1, 2, 3.
  struct moments {
    double s1 = 0, s2 = 0, s3 = 0;
    double t1 = 0, t2 = 0, t3 = 0;
    double r1 = 0, r2 = 0, r3 = 0;
  };

 private:
  // Bounds on the magnitude of every term of the functionals (for the rounding bounds): the
  // moments of |.| (s_m and q_m are sums of positive terms) and sqrt(s_m q_m) >= |t_m|.
  struct magnitudes {
    moments m;
    double t1 = 0, t2 = 0, t3 = 0;
  };
  struct lattice_point {
    double x = 0;
    // The sums over all k studies as hi + lo (double-double, from long double accumulation), in
    // the order s1, s2, s3, t1, t2, t3, r1, r2, r3.
    std::array<double, 9> hi{}, lo{};
    magnitudes mag;
  };
  // The score (ML/REML) or Q - (n - 1) (PM) at one x for the fit without i, with what bounds its
  // derivative.
  struct value {
    double x = 0;
    double u = 0;          // the function whose root is tau^2
    double err = 0;        // a bound on the rounding error of u
    double slope = 0;      // u'(x)
    double falls = 0;      // REML/ML: 2 y'PPPy (decreasing in x); PM: y'PPy
    double rises = 0;      // REML: tr PP, ML: sum a^2 (decreasing in x); PM: 0
    double err_slope = 0;  // a bound on the rounding error of falls and rises
  };

  [[nodiscard]] moments without(const lattice_point& p, std::size_t i) const;
  [[nodiscard]] moments direct(std::size_t i, double x, double centre) const;
  [[nodiscard]] value evaluate(const moments& m, const magnitudes& mag, double rel, double x) const;
  [[nodiscard]] value at_point(const lattice_point& p, std::size_t i) const;
  [[nodiscard]] value at_direct(std::size_t i, double x) const;
  [[nodiscard]] bool certify(std::size_t i, const value& l, const value& r, int sign, int depth,
                             int& budget, value& root_l, value& root_r) const;
  [[nodiscard]] bool root(std::size_t i, double& tau2, moments& m, double& m_centre) const;
  [[nodiscard]] bool cell_holds(const value& l, const value& r, int sign) const;
  void build_lattice(double full_tau2);
  [[nodiscard]] lattice_point make_point(double x) const;

  std::span<const double> y_, v_;
  pool_options options_;
  model_kind model_;
  std::size_t k_ = 0;
  bool usable_ = false;
  double centre_ = 0;                   // common-effect mean of all k studies
  double scale_ = 1;                    // typical within-study variance of all k studies
  double v_min_ = 0;                    // the smallest variance
  double err_rel_ = 0;                  // relative rounding error of an O(1) "all but i" moment
  lattice_point zero_;                  // x = 0
  std::vector<lattice_point> lattice_;  // ML, REML, PM, EB: x = 0 first, increasing
  // Unweighted sums for HE and SJ: centre, sum (y - cu), sum (y - cu)^2, sum v.
  double cu_ = 0;
  long double u1_ = 0, u2_ = 0, vsum_ = 0;
  double crit_z_ = 0, crit_t_ = 0;  // critical values of the CIs (t with k - 2 df)
};

}  // namespace srma::detail
