// File: srma/util/check.hpp
//
// The argument checks shared by every library function that takes arrays of study data, so that
// validation, error ids and wording are the same everywhere (STYLE.md, habit 5; Stan's
// prim/err). Each returns an empty `expected<void>` on success, or the error to pass on:
//
//   check_same_length  srma.input.E213  "yi has 5 values and vi 4; they must have the same length"
//   check_finite       srma.input.E205  "yi[2] is nan, but must be finite"
//   check_positive     srma.input.E205  "vi[1] is -0.1, but must be finite and > 0"
//   check_effects      the three above for a pair (yi, vi)
//   check_min_count    srma.model.E301  "k = 1, but at least 2 studies are needed"
//
// Indices in messages are 0-based, as the arrays are. The checks are O(n) and allocate only when
// they fail.
//
// Example:
//
//   expected<double> mean_effect(std::span<const double> yi, std::span<const double> vi) {
//     if (auto ok = srma::check_effects(yi, vi); !ok) return srma::unexpected(ok.error());
//     ...
//   }
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "srma/util/expected.hpp"

namespace srma {

/// Fails with srma.input.E213 unless `n_a == n_b`.
[[nodiscard]] expected<void> check_same_length(std::string_view name_a, std::size_t n_a,
                                               std::string_view name_b, std::size_t n_b);

/// Fails with srma.input.E205 at the first element of `x` that is NaN or infinite.
[[nodiscard]] expected<void> check_finite(std::string_view name, std::span<const double> x);

/// Fails with srma.input.E205 at the first element of `x` that is not finite and > 0.
[[nodiscard]] expected<void> check_positive(std::string_view name, std::span<const double> x);

/// Effects and their sampling variances: same length, yi finite, vi finite and > 0.
[[nodiscard]] expected<void> check_effects(std::span<const double> yi, std::span<const double> vi);

/// Fails with srma.model.E301 when fewer than `minimum` studies are given for `what` ("Egger's
/// test", "tau^2"): "Egger's test needs at least 3 studies (k = 2)".
[[nodiscard]] expected<void> check_min_count(std::string_view what, std::size_t k,
                                             std::size_t minimum);

}  // namespace srma
