// Dispatch over the tau^2 estimators, the generalised-Q root finder they share with the
// Q-profile CI, and the public intercept-only entry points.
#include "srma/tau2.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "stats/distributions.hpp"
#include "tau2/estimators.hpp"
#include "util/text.hpp"

namespace srma {
namespace {

constexpr std::array<tau2_method, 8> k_methods = {
    tau2_method::dl, tau2_method::reml, tau2_method::ml, tau2_method::pm,
    tau2_method::hs, tau2_method::sj,   tau2_method::he, tau2_method::eb};
constexpr std::array<std::string_view, 8> k_codes = {"DL", "REML", "ML", "PM",
                                                     "HS", "SJ",   "HE", "EB"};

}  // namespace

std::string_view tau2_method_code(tau2_method m) {
  for (std::size_t i = 0; i < k_methods.size(); ++i)
    if (k_methods[i] == m) return k_codes[i];
  return "?";
}

std::optional<tau2_method> parse_tau2_method(std::string_view code) {
  for (std::size_t i = 0; i < k_methods.size(); ++i)
    if (detail::iequals(k_codes[i], code)) return k_methods[i];
  return std::nullopt;
}

std::span<const tau2_method> all_tau2_methods() { return k_methods; }

namespace detail {

expected<tau2_estimate> estimate_tau2(const linear_model& m, tau2_method method,
                                      const tau2_control& c) {
  if (m.k() <= m.p()) {
    return fail("srma.model.E301",
                fmt::format("tau^2 cannot be estimated from k = {} studies with {} coefficient(s); "
                            "at least {} studies are needed",
                            m.k(), m.p(), m.p() + 1));
  }
  switch (method) {
    case tau2_method::dl:
      return estimate_dl(m);
    case tau2_method::reml:
      return estimate_reml(m, c);
    case tau2_method::ml:
      return estimate_ml(m, c);
    case tau2_method::pm:
      return estimate_pm(m, c);
    case tau2_method::hs:
      return estimate_hs(m);
    case tau2_method::sj:
      return estimate_sj(m);
    case tau2_method::he:
      return estimate_he(m);
    case tau2_method::eb:
      return estimate_eb(m, c);
  }
  return fail("srma.model.E302", "unknown tau^2 estimator");
}

expected<double> solve_generalised_q(const linear_model& m, double target, double lo,
                                     const tau2_control& c) {
  // Q is convex and decreasing in tau^2, so from a point left of the root (Q > target) each
  // Newton step lands left of the root again and the iterates increase monotonically to it.
  const double scale = m.typical_v();
  double x = lo;
  for (int it = 0; it < c.max_iter; ++it) {
    const auto [q, slope] = m.rss_and_slope(x);
    const double f = q - target;
    if (f <= 0) return x;  // reached (rounding can land exactly on or past the root)
    if (!(slope < 0)) break;
    const double step = -f / slope;
    x += step;
    if (step <= c.rel_tol * 1e-2 * (x + scale)) return x;
  }
  return fail("srma.model.E303",
              fmt::format("the search for tau^2 with Q(tau^2) = {:.6g} did not converge", target));
}

expected<tau2_interval> qprofile_ci(const linear_model& m, double level_percent,
                                    const tau2_control& c) {
  if (m.k() <= m.p()) {
    return fail("srma.model.E301",
                fmt::format("a CI for tau^2 needs more than {} studies (k = {})", m.p(), m.k()));
  }
  const double df = static_cast<double>(m.k() - m.p());
  const double alpha = 1 - level_percent / 100;
  const double crit_lower_bound = qchisq_upper(alpha / 2, df);      // chi2 at 1 - alpha/2
  const double crit_upper_bound = qchisq_upper(1 - alpha / 2, df);  // chi2 at alpha/2
  const double q0 = m.rss_and_slope(0.0).first;
  tau2_interval ci;
  if (q0 < crit_upper_bound) {
    ci.null_set = true;  // even tau^2 = 0 is "too heterogeneous": both bounds are 0
    return ci;
  }
  auto ub = solve_generalised_q(m, crit_upper_bound, 0.0, c);
  if (!ub) return unexpected(ub.error());
  ci.upper = *ub;
  if (q0 > crit_lower_bound) {
    auto lb = solve_generalised_q(m, crit_lower_bound, 0.0, c);
    if (!lb) return unexpected(lb.error());
    ci.lower = *lb;
  }
  return ci;
}

}  // namespace detail

expected<tau2_estimate> estimate_tau2(std::span<const double> yi, std::span<const double> vi,
                                      tau2_method method, const tau2_control& control) {
  if (yi.size() != vi.size()) return fail("srma.input.E213", "yi and vi differ in length");
  detail::intercept_model m(yi, vi);
  return detail::estimate_tau2(m, method, control);
}

expected<tau2_interval> qprofile_tau2_ci(std::span<const double> yi, std::span<const double> vi,
                                         double level_percent, const tau2_control& control) {
  if (yi.size() != vi.size()) return fail("srma.input.E213", "yi and vi differ in length");
  detail::intercept_model m(yi, vi);
  return detail::qprofile_ci(m, level_percent, control);
}

}  // namespace srma
