// Pooling on raw arrays, shared by pool(), subgroups and the sensitivity analyses (private).
#pragma once

#include <optional>
#include <span>

#include "srma/pool_result.hpp"

namespace srma::detail {

/// Pools (yi, vi) with `opt`. With `fixed_tau2`, the random-effects model uses that tau^2
/// (e.g. a tau^2 shared across subgroups) and no tau^2 SE or CI is computed. Study labels are
/// left empty. `with_tau2_ci = false` skips the Q-profile CI (refits in sensitivity analyses).
expected<pool_result> pool_effects(std::span<const double> yi, std::span<const double> vi,
                                   const pool_options& opt, effect_measure measure,
                                   std::optional<double> fixed_tau2, bool with_tau2_ci = true);

}  // namespace srma::detail
