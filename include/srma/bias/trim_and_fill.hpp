// File: srma/bias/trim_and_fill.hpp
//
// Trim-and-fill (Duval & Tweedie 2000) with the L0 or R0 estimator of the number of missing
// studies, as metafor's trimfill(): trim the most extreme studies on the side with an excess,
// re-centre, repeat until the estimated number k0 is stable, then fill in their mirror images and
// refit. The equations are in src/bias/trim_and_fill.cpp.
//
// Example:
//
//   auto tf = srma::trim_and_fill(yi, vi, opts, srma::trimfill_estimator::l0);
//   if (tf) fmt::print("{} studies filled on the {}\n", tf->k0, srma::to_string(tf->side));
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "srma/model/pool_options.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// Estimator of the number of missing studies.
enum class trimfill_estimator { l0, r0 };

/// "L0" or "R0".
[[nodiscard]] std::string_view to_string(trimfill_estimator e);
/// Parses "L0" or "R0" (case-insensitive).
[[nodiscard]] std::optional<trimfill_estimator> parse_trimfill_estimator(std::string_view text);

/// The side of the funnel on which studies are missing.
enum class funnel_side { left, right };

/// "left" or "right".
[[nodiscard]] std::string_view to_string(funnel_side s);
/// Parses "left" or "right" (case-insensitive).
[[nodiscard]] std::optional<funnel_side> parse_funnel_side(std::string_view text);

struct trimfill_result {
  trimfill_estimator estimator = trimfill_estimator::l0;
  std::size_t k0 = 0;  ///< Number of filled studies.
  double se_k0 = 0;
  funnel_side side = funnel_side::left;  ///< Where studies are missing.
  model_estimate estimate;               ///< The model refitted with the filled studies (Wald z).
  double tau2 = 0;
  std::vector<double> filled_yi, filled_vi;
  int iterations = 0;
};

/// Trim-and-fill around the model of `options` (common effect when options.model == common).
/// Without `side`, the side is chosen as metafor does: from the sign of the mixed-effects Egger
/// slope. Errors: srma.input.E213/E205 (see srma/util/check.hpp), srma.model.E301 (k < 3), E303
/// (no convergence in 100 iterations).
[[nodiscard]] expected<trimfill_result> trim_and_fill(std::span<const double> yi,
                                                      std::span<const double> vi,
                                                      const pool_options& options,
                                                      trimfill_estimator estimator,
                                                      std::optional<funnel_side> side = {});

}  // namespace srma
