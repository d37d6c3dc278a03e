// Maximum likelihood (Hardy & Thompson 1996): tau^2 solves y'PPy = tr W (W = diag 1/(v + tau^2)),
// found by Fisher scoring with step (y'PPy - tr W) / tr W^2 from the HE estimate.
// SE(tau^2) = sqrt(2 / tr W^2). See fisher_scoring.cpp.
#include "fisher_scoring.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_ml(const linear_model& m, const tau2_control& c) {
  return fisher_scoring(m, /*reml=*/false, c);
}

}  // namespace srma::detail
