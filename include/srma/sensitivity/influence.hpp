// File: srma/sensitivity/influence.hpp
//
// Influence diagnostics of the pooled model (metafor's influence() and baujat(); Viechtbauer &
// Cheung 2010): for each study the externally standardised residual, DFFITS, Cook's distance,
// covariance ratio, tau^2 and Q without it, hat value, weight and DFBETAS, flagged as
// influential by metafor's rules: |DFFITS| > 3 sqrt(p/(k-p)), P(chi2_p <= Cook's D) > 0.5,
// hat > 3p/k, or |DFBETAS| > 1. The Baujat plot's coordinates (Baujat et al. 2002) come along.
//
// Example:
//
//   auto inf = srma::influence(studies, opts);
//   for (const auto& s : inf->studies) if (s.influential) fmt::print("{}\n", s.study);
#pragma once

#include <string>
#include <vector>

#include "srma/model/pool.hpp"

namespace srma {

struct study_influence {
  std::string study;
  bool fitted = true;   ///< false: the fit without the study failed; its diagnostics are NaN.
  double rstudent = 0;  ///< (y_i - mu_(-i)) / sqrt(v_i + tau2_(-i) + Var mu_(-i)) (scaled by KH).
  double dffits = 0;
  double cook_d = 0;
  double cov_r = 0;
  double tau2_del = 0;  ///< tau^2 without the study.
  double QE_del = 0;    ///< Q without the study.
  double hat = 0;
  double weight = 0;  ///< Percent.
  double dfbetas = 0;
  bool influential = false;
  double baujat_x = 0;  ///< Contribution to heterogeneity: (y_i - mu)^2 / (v_i + tau^2).
  double baujat_y = 0;  ///< Influence on the result: (mu_(-i) - mu)^2 / Var mu_(-i).
};

struct influence_result {
  pool_result full;
  model_kind model = model_kind::random;
  std::vector<study_influence> studies;
  std::size_t failed = 0;  ///< Fits without a study that failed (studies with fitted == false).
  /// One line per fit without a study that failed or whose tau^2 estimator fell back.
  std::vector<std::string> notes;
};

/// Errors: srma.model.E301 (k < 2), and those of pool() on all studies; a fit without a study
/// that fails gives that study NaN diagnostics (not influential) with a note instead.
[[nodiscard]] expected<influence_result> influence(const study_table& studies,
                                                   const pool_options& options);

}  // namespace srma
