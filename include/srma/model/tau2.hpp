// File: srma/model/tau2.hpp
//
// Estimators of the between-study variance tau^2 of the random-effects model
// y_i = mu + u_i + e_i, u_i ~ N(0, tau^2), e_i ~ N(0, v_i) (and of the residual tau^2 of a
// meta-regression). Its confidence interval is in srma/model/qprofile.hpp. Each estimator follows
// metafor's rma.uni() (Viechtbauer 2010) to the digit; formulas and citations are in the doc
// comments of `tau2_method` and in docs/methods.md.
//
// Example:
//
//   std::vector<double> yi = {-0.89, -1.59, -1.35}, vi = {0.33, 0.19, 0.42};
//   auto est = srma::estimate_tau2(yi, vi, srma::tau2_method::reml);
//   if (est) fmt::print("tau^2 = {:.4f} (SE {:.4f})\n", est->tau2, est->se);
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/model/linear_model.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// Estimator of tau^2. Notation: w_i = 1/v_i, Q = sum w_i (y_i - ybar_w)^2, P the projection
/// W - W X (X'WX)^-1 X'W, k studies, p model coefficients (1 without moderators).
enum class tau2_method {
  /// DerSimonian & Laird (1986): max(0, (Q - (k-p)) / tr P).
  dl,
  /// Restricted maximum likelihood (Harville 1977; Viechtbauer 2005): root of y'PPy = tr P, Fisher
  /// scoring with step halving from the HE estimate, checked against the likelihood at 0.
  reml,
  /// Maximum likelihood (Hardy & Thompson 1996): root of y'PPy = tr W, Fisher scoring with step
  /// halving.
  ml,
  /// Paule & Mandel (1982): root of Q(tau^2) = k - p, 0 when Q(0) < k - p.
  pm,
  /// Hunter & Schmidt (2004), metafor's general form: max(0, (Q - k) / sum w).
  hs,
  /// Sidik & Jonkman (2005): tau0^2 Q(tau0^2)/(k-p) with tau0^2 = var(y)(k-1)/k.
  sj,
  /// Hedges (1983) / Hedges & Olkin: max(0, (y'P1y - tr(P1 V)) / (k-p)), unweighted P1.
  he,
  /// Empirical Bayes (Morris 1983; Berkey et al. 1995): its fixed point Q(tau^2) = k - p is the
  /// Paule-Mandel equation, so it equals PM; the SE is reported as metafor does.
  eb,
};

/// "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB".
[[nodiscard]] std::string_view tau2_method_code(tau2_method m);
/// Parses a code case-insensitively.
[[nodiscard]] std::optional<tau2_method> parse_tau2_method(std::string_view code);
/// Same as tau2_method_code (the uniform name every enum has).
[[nodiscard]] inline std::string_view to_string(tau2_method m) { return tau2_method_code(m); }
/// Every estimator, in a fixed order (for tests and documentation).
[[nodiscard]] std::span<const tau2_method> all_tau2_methods();

/// Iteration control for the iterative estimators (ML, REML, PM, EB, Q-profile), and what to do
/// when an iteration does not converge.
///
/// ML and REML use Fisher scoring with step halving: each step is multiplied by `step_adj`
/// (metafor's `control = list(stepadj = )`), halved while it would make tau^2 negative, and the
/// multiplier is halved for good whenever two successive steps have opposite signs and the second
/// is more than half as long (an oscillation that dies out slowly or not at all). When an
/// estimator still does not converge in `max_iter` iterations, the estimators of `fallback` are
/// tried in order (metafor's `method = c("REML", "DL")`); the estimate then names the estimator
/// used and carries a note saying why. With an empty `fallback` the error srma.model.E303 is
/// returned instead.
///
/// **Example** (as metafor by default: at most 100 iterations, an error if they do not converge):
///
///     srma::tau2_control c{.max_iter = 100, .fallback = {}};
struct tau2_control {
  double rel_tol = 1e-12;  ///< Stop when |step| / multiplier <= rel_tol * (tau^2 + typical v).
  int max_iter = 1000;
  double step_adj = 1;  ///< Initial multiplier of the Fisher scoring step, in (0, 1].
  /// Estimators tried in order when the requested one does not converge. The default, DL, is
  /// closed-form and never fails. Iterative estimators in the list get the same control.
  std::vector<tau2_method> fallback = {tau2_method::dl};
  /// ML and REML: after Fisher scoring, the score is evaluated at 0 and on a log-spaced grid of
  /// this many values of tau^2 (from min(v)/100 to 4 times the larger of the estimate and the
  /// unweighted residual variance); each change of sign from + to - is a maximum of the
  /// likelihood, refined by regula falsi. When one is higher than the maximum scoring found,
  /// tau^2 moves there; when there are several, `notes` lists them. O(k) per point; 0 turns the
  /// check off (metafor's behaviour). Otherwise at least 8.
  int profile_points = 48;

  /// "" when usable, else what is wrong (rel_tol in (0, 1), max_iter >= 1, step_adj in (0, 1],
  /// profile_points 0 or from 8 to 10,000).
  [[nodiscard]] std::string validate() const;
};

/// A tau^2 estimate with its standard error (as metafor prints it) and convergence details.
struct tau2_estimate {
  double tau2 = 0;
  double se = 0;  ///< metafor's SE(tau^2); NaN where undefined (k = 1).
  /// The estimator that gave `tau2`: the one requested, or a fallback (see `fell_back`).
  tau2_method method = tau2_method::reml;
  bool fell_back = false;            ///< The requested estimator failed; `notes` says why.
  int iterations = 0;                ///< 0 for closed-form estimators.
  int step_halvings = 0;             ///< Fisher scoring: times the step multiplier was halved.
  bool at_zero_by_ll_check = false;  ///< ML/REML: set to 0 because ll(0) was higher.
  /// ML/REML: local maxima of the likelihood found by the profile check (tau2_control::
  /// profile_points; 0 when the check is off). More than 1: `notes` names them all.
  int likelihood_maxima = 0;
  /// ML/REML: scoring stopped at a local maximum and tau^2 moved to the higher one.
  bool moved_to_global_maximum = false;
  std::vector<std::string> notes;
};

/// Estimates tau^2 for the intercept-only model (k >= 2, every vi > 0).
/// Errors: srma.model.E301 (k < 2), srma.model.E303 (the iteration did not converge and no
/// estimator of control.fallback did either).
[[nodiscard]] expected<tau2_estimate> estimate_tau2(std::span<const double> yi,
                                                    std::span<const double> vi, tau2_method method,
                                                    const tau2_control& control = {});

/// Estimates tau^2 for any linear model (intercept-only or meta-regression; k > p).
/// Errors: srma.model.E301 (k <= p), srma.model.E303 (the iteration did not converge and no
/// estimator of control.fallback did either).
[[nodiscard]] expected<tau2_estimate> estimate_tau2(const linear_model& model, tau2_method method,
                                                    const tau2_control& control = {});

}  // namespace srma
