// The Q-profile confidence interval for tau^2 (Viechtbauer 2007): the tau^2 values at which the
// generalised Q statistic crosses the chi-square(k - p) quantiles, found by the monotone Newton
// search of solve_generalised_q (src/model/tau2/tau2.cpp).
#include "srma/model/qprofile.hpp"

#include <fmt/format.h>

#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "tau2/estimators.hpp"

namespace srma {

expected<tau2_interval> qprofile_tau2_ci(const linear_model& m, double level_percent,
                                         const tau2_control& c) {
  if (!(level_percent > 0 && level_percent < 100)) {
    return fail(
        errc::model_bad_options,
        fmt::format("the level is {}, but must lie between 0 and 100 (e.g. 95)", level_percent));
  }
  if (auto msg = c.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (m.k() <= m.p()) {
    return fail(errc::model_too_few_studies,
                fmt::format("a CI for tau^2 needs more than {} studies (k = {})", m.p(), m.k()));
  }
  const double df = static_cast<double>(m.k() - m.p());
  const double alpha = 1 - level_percent / 100;
  const double crit_lower_bound = detail::qchisq_upper(alpha / 2, df);      // chi2 at 1 - alpha/2
  const double crit_upper_bound = detail::qchisq_upper(1 - alpha / 2, df);  // chi2 at alpha/2
  // Q(0) compared as Q~(0) against crit s (Q~ = s Q, s = min v; linear_model.hpp), which cannot
  // overflow.
  const auto q0s = m.scaled_rss(0.0);
  tau2_interval ci;
  if (q0s.rss < crit_upper_bound * q0s.scale) {
    ci.null_set = true;  // even tau^2 = 0 is "too heterogeneous": both bounds are 0
    return ci;
  }
  auto ub = detail::solve_generalised_q(m, crit_upper_bound, 0.0, c);
  if (!ub) return unexpected(ub.error());
  ci.upper = *ub;
  if (q0s.rss > crit_lower_bound * q0s.scale) {
    auto lb = detail::solve_generalised_q(m, crit_lower_bound, 0.0, c);
    if (!lb) return unexpected(lb.error());
    ci.lower = *lb;
  }
  return ci;
}

expected<tau2_interval> qprofile_tau2_ci(std::span<const double> yi, std::span<const double> vi,
                                         double level_percent, const tau2_control& control) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  intercept_model m(yi, vi);
  return qprofile_tau2_ci(m, level_percent, control);
}

}  // namespace srma
