// Fisher scoring for the likelihood-based estimators, shared by ML and REML (private).
#pragma once

#include "tau2/estimators.hpp"

namespace srma::detail {

/// Runs metafor's Fisher scoring from max(0, HE) for ML (`reml` false) or REML, then its check
/// that the likelihood at tau^2 = 0 is not higher (which sets tau^2 = 0, as metafor does).
expected<tau2_estimate> fisher_scoring(const linear_model& m, bool reml, const tau2_control& c);

}  // namespace srma::detail
