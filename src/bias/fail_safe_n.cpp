// Fail-safe N, following metafor's fsn() (metafor 3.8-1): Rosenthal (1979), Orwin (1983) and
// Rosenberg (2005).
#include "srma/bias/fail_safe_n.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {

expected<failsafe_result> failsafe_n(std::span<const double> yi, std::span<const double> vi,
                                     double alpha) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  if (auto ok = check_min_count("fail-safe N", yi.size(), 1); !ok) return unexpected(ok.error());
  if (!(alpha > 0 && alpha < 1)) {
    return fail(errc::model_bad_options,
                fmt::format("fail-safe N: alpha is {}, but must be in (0, 1)", alpha));
  }
  const double k = static_cast<double>(yi.size());
  failsafe_result f;
  f.alpha = alpha;
  // metafor rounds up unless the value is an integer to within sqrt(eps).
  auto finish = [](double x) {
    if (std::isinf(x)) return x;
    return std::fabs(x - std::round(x)) >= std::sqrt(std::numeric_limits<double>::epsilon())
               ? std::ceil(x)
               : std::round(x);
  };
  // Rosenthal (1979), Stouffer's method: k (Z_avg / z_alpha)^2 - k, one-sided alpha.
  double sz = 0;
  for (std::size_t i = 0; i < yi.size(); ++i) sz += yi[i] / std::sqrt(vi[i]);
  const double z_avg = std::fabs(sz / std::sqrt(k));
  const double z_alpha = detail::qnorm_upper(alpha);
  f.rosenthal = finish(std::max(0.0, k * (z_avg / z_alpha) * (z_avg / z_alpha) - k));
  // Orwin (1983), unweighted mean, target = mean / 2.
  const double mean = std::accumulate(yi.begin(), yi.end(), 0.0) / k;
  const double target = mean / 2;
  f.orwin = target == 0 ? std::numeric_limits<double>::infinity()
                        : finish(std::max(0.0, k * (mean - target) / target));
  // Rosenberg (2005): weighted, two-sided alpha.
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < yi.size(); ++i) {
    sw += 1 / vi[i];
    swy += yi[i] / vi[i];
  }
  const double z2 = detail::qnorm_upper(alpha / 2);
  const double wp = (swy / z2) * (swy / z2) - sw;
  f.rosenberg = finish(std::max(0.0, k * wp / sw));
  return f;
}

}  // namespace srma
