// File: srma/sensitivity/refit_summary.hpp
//
// The summary of one refit in a sensitivity analysis (leave-one-out, cumulative): the pooled
// estimate of the analysis' model with its inference and the heterogeneity of the studies used.
// As everywhere in srma, I2/H2 are Q-based and I2_tau2/H2_tau2 metafor's tau^2-based values.
// A refit that fails (its tau^2 iteration did not converge and no fallback estimator was allowed
// to take over) does not stop the analysis: its row has `fitted` false and NaN numbers (NA, as
// metafor's leave1out() and cumul() give), and the enclosing result's notes name the row.
//
// Example:
//
//   for (const auto& row : srma::leave1out(studies, opts)->rows)
//     fmt::print("without {}: {:.3f}\n", row.label, row.estimate.estimate);
#pragma once

#include <string>
#include <vector>

#include "srma/model/pool_result.hpp"

namespace srma {

struct refit_summary {
  std::string label;   ///< The study left out (leave-one-out) or added (cumulative).
  std::size_t k = 0;   ///< Studies in this fit.
  bool fitted = true;  ///< false: the refit failed and every number below is NaN.
  /// The estimator that gave tau2 (differs from the analysis' when it fell back; see notes).
  tau2_method method = tau2_method::reml;
  model_estimate estimate;  ///< Of the analysis' model (see `model` of the enclosing result).
  double Q = 0, Q_p = 0;
  double tau2 = 0;
  double I2 = 0, H2 = 0;            ///< Q-based.
  double I2_tau2 = 0, H2_tau2 = 0;  ///< tau^2-based (metafor's I^2, H^2).
  std::vector<std::string> notes;   ///< Of this refit (e.g. why its estimator fell back).
};

}  // namespace srma
