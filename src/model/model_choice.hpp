// Which model a pool_result leads with (private to the model layer): options.model, and for the
// `auto` rule the reported I^2 against the threshold. Shared by pool_effects() and pool_2x2(),
// which replaces Q and I^2 by those about the Mantel-Haenszel or Peto estimate.
#pragma once

#include <cstddef>

#include "srma/model/pool_result.hpp"

namespace srma::detail {

/// Sets r.primary and r.model_reason from r.options and r.heterogeneity (k studies).
void choose_model(pool_result& r, std::size_t k);

}  // namespace srma::detail
