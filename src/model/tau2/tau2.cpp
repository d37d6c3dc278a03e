// Dispatch over the tau^2 estimators, the generalised-Q root finder they share with the
// Q-profile CI, and the public intercept-only entry points.
#include "srma/model/tau2.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"
#include "tau2/estimators.hpp"

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

std::string tau2_control::validate() const {
  if (!(rel_tol > 0 && rel_tol < 1)) {
    return fmt::format("the relative tolerance is {}, but must be in (0, 1)", rel_tol);
  }
  if (max_iter < 1) return fmt::format("max_iter is {}, but must be at least 1", max_iter);
  if (!(step_adj > 0 && step_adj <= 1)) {
    return fmt::format("the step multiplier is {}, but must be in (0, 1]", step_adj);
  }
  if (profile_points != 0 && !(profile_points >= 8 && profile_points <= 10000)) {
    return fmt::format("profile_points is {}, but must be 0 (no check) or from 8 to 10000",
                       profile_points);
  }
  return {};
}

namespace detail {

namespace {

expected<tau2_estimate> estimate_one(const linear_model& m, tau2_method method,
                                     const tau2_control& c) {
  expected<tau2_estimate> e = fail(errc::model_unknown_estimator, "unknown tau^2 estimator");
  switch (method) {
    case tau2_method::dl:
      e = estimate_dl(m);
      break;
    case tau2_method::reml:
      e = estimate_reml(m, c);
      break;
    case tau2_method::ml:
      e = estimate_ml(m, c);
      break;
    case tau2_method::pm:
      e = estimate_pm(m, c);
      break;
    case tau2_method::hs:
      e = estimate_hs(m);
      break;
    case tau2_method::sj:
      e = estimate_sj(m);
      break;
    case tau2_method::he:
      e = estimate_he(m);
      break;
    case tau2_method::eb:
      e = estimate_eb(m, c);
      break;
  }
  if (e) e->method = method;
  return e;
}

}  // namespace

expected<tau2_estimate> estimate_tau2_impl(const linear_model& m, tau2_method method,
                                           const tau2_control& c) {
  if (m.k() <= m.p()) {
    return fail(errc::model_too_few_studies,
                fmt::format("tau^2 cannot be estimated from k = {} studies with {} coefficient(s); "
                            "at least {} studies are needed",
                            m.k(), m.p(), m.p() + 1));
  }
  auto first = estimate_one(m, method, c);
  if (first || first.error().id != errc::model_no_convergence) return first;
  // The fallback order (metafor's method = c("REML", "DL")): only a failed iteration moves on,
  // and the estimate says which estimator it comes from and why.
  std::vector<std::string> failures{first.error().message};
  for (tau2_method next : c.fallback) {
    if (next == method) continue;
    auto e = estimate_one(m, next, c);
    if (!e) {
      if (e.error().id != errc::model_no_convergence) return e;
      failures.push_back(e.error().message);
      continue;
    }
    e->fell_back = true;
    e->notes.insert(e->notes.begin(),
                    fmt::format("{}; tau^2 is estimated by {} instead (the fallback)",
                                fmt::join(failures, "; "), tau2_method_code(next)));
    return e;
  }
  if (failures.size() == 1) return first;
  return fail(errc::model_no_convergence, fmt::format("{}", fmt::join(failures, "; ")));
}

expected<double> solve_generalised_q(const linear_model& m, double target, double lo,
                                     const tau2_control& c) {
  // Q is convex and decreasing in tau^2, so from a point left of the root (Q > target) each
  // Newton step lands left of the root again and the iterates increase monotonically to it.
  //
  // Scaled (linear_model.hpp): with s = min v + x, Q = Q~ / s and dQ/dx = -y'PPy = -y'P~P~y / s^2,
  // so f = Q - target has the sign of Q~ - target s, and the Newton step is
  //   d = (Q - target) / y'PPy = s (Q~ - target s) / y'P~P~y.
  // Far from the root (Q > 2 target) Newton on Q only about doubles x per step when x is many
  // times every v (Q ~ C / x there), which from the scale of v ~ 1e-200 to a tau^2 ~ 0.1 takes
  // some 660 steps. There Newton on 1/Q is tried first: its step is d Q / target
  // = (Q~ - target s) Q~ / (target y'P~P~y), exact where 1/Q is linear in x; it is kept only when
  // Q is still above the target at the new point (so the iterates stay left of the root and
  // increase), otherwise the plain Newton step is taken.
  const double scale = m.typical_v();  // harmonic mean of v: a scale of the data
  double x = lo;
  for (int it = 0; it < c.max_iter; ++it) {
    const auto q = m.scaled_rss(x);
    const double fs = q.rss - target * q.scale;  // s (Q - target)
    if (fs <= 0) return x;                       // reached (rounding can land on or past it)
    if (!(q.ypp_y > 0) || !std::isfinite(fs)) break;
    double next = x + q.scale * (fs / q.ypp_y);
    if (q.rss > 2 * target * q.scale) {
      const double far = x + fs * (q.rss / (target * q.ypp_y));
      const auto qf = m.scaled_rss(far);
      if (std::isfinite(far) && far > next && qf.rss - target * qf.scale > 0) next = far;
    }
    const double step = next - x;
    x = next;
    if (step <= c.rel_tol * 1e-2 * (x + scale)) return x;
  }
  return fail(errc::model_no_convergence,
              fmt::format("the search for tau^2 with Q(tau^2) = {:.6g} did not converge", target));
}

}  // namespace detail

expected<tau2_estimate> estimate_tau2(std::span<const double> yi, std::span<const double> vi,
                                      tau2_method method, const tau2_control& control) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  intercept_model m(yi, vi);
  return estimate_tau2(m, method, control);
}

expected<tau2_estimate> estimate_tau2(const linear_model& model, tau2_method method,
                                      const tau2_control& control) {
  if (auto msg = control.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  return detail::estimate_tau2_impl(model, method, control);
}

}  // namespace srma
