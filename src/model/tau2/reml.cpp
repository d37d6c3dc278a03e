// Restricted maximum likelihood (Harville 1977; Raudenbush 2009; Viechtbauer 2005): tau^2 solves
// y'PPy = tr P, found by Fisher scoring with step (y'PPy - tr P) / tr PP from the HE estimate.
// SE(tau^2) = sqrt(2 / tr PP). See fisher_scoring.cpp.
#include "fisher_scoring.hpp"

namespace srma::detail {

expected<tau2_estimate> estimate_reml(const linear_model& m, const tau2_control& c) {
  return fisher_scoring(m, /*reml=*/true, c);
}

}  // namespace srma::detail
