// File: srma/sensitivity/refit_summary.hpp
//
// The summary of one refit in a sensitivity analysis (leave-one-out, cumulative): the pooled
// estimate of the analysis' model with its inference and the heterogeneity of the studies used.
// As everywhere in srma, I2/H2 are Q-based and I2_tau2/H2_tau2 metafor's tau^2-based values.
//
// Example:
//
//   for (const auto& row : srma::leave1out(studies, opts)->rows)
//     fmt::print("without {}: {:.3f}\n", row.label, row.estimate.estimate);
#pragma once

#include <string>

#include "srma/model/pool_result.hpp"

namespace srma {

struct refit_summary {
  std::string label;        ///< The study left out (leave-one-out) or added (cumulative).
  std::size_t k = 0;        ///< Studies in this fit.
  model_estimate estimate;  ///< Of the analysis' model (see `model` of the enclosing result).
  double Q = 0, Q_p = 0;
  double tau2 = 0;
  double I2 = 0, H2 = 0;            ///< Q-based.
  double I2_tau2 = 0, H2_tau2 = 0;  ///< tau^2-based (metafor's I^2, H^2).
};

}  // namespace srma
