// Shared argument checks (srma/util/check.hpp).
#include "srma/util/check.hpp"

#include <fmt/format.h>

#include <cmath>

namespace srma {

expected<void> check_same_length(std::string_view name_a, std::size_t n_a, std::string_view name_b,
                                 std::size_t n_b) {
  if (n_a == n_b) return {};
  return fail(errc::input_length_mismatch,
              fmt::format("{} has {} values and {} {}; they must have the same length", name_a, n_a,
                          name_b, n_b));
}

expected<void> check_finite(std::string_view name, std::span<const double> x) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      return fail(errc::input_out_of_range,
                  fmt::format("{}[{}] is {}, but must be finite", name, i, x[i]));
    }
  }
  return {};
}

expected<void> check_positive(std::string_view name, std::span<const double> x) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !(x[i] > 0)) {
      return fail(errc::input_out_of_range,
                  fmt::format("{}[{}] is {}, but must be finite and > 0", name, i, x[i]));
    }
  }
  return {};
}

expected<void> check_effects(std::span<const double> yi, std::span<const double> vi) {
  if (auto ok = check_same_length("yi", yi.size(), "vi", vi.size()); !ok) return ok;
  if (auto ok = check_finite("yi", yi); !ok) return ok;
  return check_positive("vi", vi);
}

expected<void> check_min_count(std::string_view what, std::size_t k, std::size_t minimum) {
  if (k >= minimum) return {};
  return fail(errc::model_too_few_studies,
              fmt::format("{} needs at least {} studies (k = {})", what, minimum, k));
}

}  // namespace srma
