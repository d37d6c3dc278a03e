// The two-arm Cox model (Cox 1972) with one binary covariate x = 1 for the treatment arm, fitted
// as R's survival::coxph does. With theta = e^beta and, at each distinct event time t_j, n1, n0
// at risk and d1, d0 events in the treatment and control arm (d = d1 + d0):
//
//   Breslow (1974): l(beta) = sum_j [beta d1 - d ln(n1 theta + n0)]
//                   U       = sum_j [d1 - d n1 theta / (n1 theta + n0)]
//                   I       = sum_j d n1 n0 theta / (n1 theta + n0)^2
//   Efron (1977):   the m-th of the d tied events (m = 0..d-1) sees the risk set with m/d of each
//                   tied event removed: a_m = n1 - m d1/d, b_m = n0 - m d0/d, and
//                   l(beta) = sum_j [beta d1 - sum_m ln(a_m theta + b_m)]
//                   U       = sum_j [d1 - sum_m a_m theta / (a_m theta + b_m)]
//                   I       = sum_j sum_m a_m b_m theta / (a_m theta + b_m)^2
//
// (the general formulas with the weighted mean and variance of a 0/1 covariate). One pass over
// the event times gives l, U and I, so each Newton-Raphson iteration costs O(n).
#include "srma/survival/cox.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

#include "risk_sets_detail.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

constexpr std::array<std::pair<cox_ties, std::string_view>, 2> k_ties = {{
    {cox_ties::efron, "efron"},
    {cox_ties::breslow, "breslow"},
}};

struct partial_likelihood {
  double loglik = 0;
  double score = 0;  // U(beta)
  double info = 0;   // I(beta), the observed information
};

partial_likelihood evaluate(const std::vector<detail::risk_set_row>& rows, double beta,
                            cox_ties ties) {
  partial_likelihood out;
  const double theta = std::exp(beta);
  for (const auto& r : rows) {
    const double d = r.d();
    out.loglik += beta * r.d1;
    out.score += r.d1;
    if (ties == cox_ties::breslow || d == 1) {
      const double denom = r.n1 * theta + r.n0;
      out.loglik -= d * std::log(denom);
      out.score -= d * r.n1 * theta / denom;
      out.info += d * r.n1 * r.n0 * theta / (denom * denom);
      continue;
    }
    for (double m = 0; m < d; m += 1) {
      const double a = r.n1 - m * r.d1 / d;
      const double b = r.n0 - m * r.d0 / d;
      const double denom = a * theta + b;
      out.loglik -= std::log(denom);
      out.score -= a * theta / denom;
      out.info += a * b * theta / (denom * denom);
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(cox_ties t) {
  for (const auto& [e, name] : k_ties)
    if (e == t) return name;
  return "efron";
}

std::optional<cox_ties> parse_cox_ties(std::string_view text) {
  for (const auto& [e, name] : k_ties)
    if (detail::iequals(name, detail::trim(text))) return e;
  return std::nullopt;
}

std::string cox_options::validate() const {
  if (!(level > 0 && level < 1)) {
    return fmt::format("the CI level is {}, but must lie strictly between 0 and 1 (e.g. 0.95)",
                       level);
  }
  if (ties != cox_ties::efron && ties != cox_ties::breslow) {
    return fmt::format("ties is {}, but must be efron or breslow", static_cast<int>(ties));
  }
  if (max_iter < 1) return fmt::format("max_iter is {}, but must be >= 1", max_iter);
  if (!(std::isfinite(tolerance) && tolerance > 0)) {
    return fmt::format("the tolerance is {}, but must be a finite number > 0", tolerance);
  }
  return {};
}

expected<cox_result> cox_two_arm(const survival_data& data, std::size_t treatment,
                                 std::size_t control, const cox_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::survival_bad_options, "cox_two_arm: " + msg);
  }
  auto table = detail::two_arm_risk_sets(data, treatment, control, "cox_two_arm");
  if (!table) return unexpected(std::move(table).error());
  const auto& rows = table->rows;
  const std::string& t_name = data.arm_names[treatment];
  const std::string& c_name = data.arm_names[control];

  // The partial likelihood is monotone, and beta-hat infinite, exactly when no control patient
  // has an event while a treatment patient is at risk (beta -> +inf) or vice versa (-inf); an
  // arm without events is the common case. coxph then warns that the coefficient "may be
  // infinite" and returns a large number; we report it instead of iterating.
  double control_events_facing_treated = 0;
  double treated_events_facing_control = 0;
  for (const auto& r : rows) {
    if (r.n1 > 0) control_events_facing_treated += r.d0;
    if (r.n0 > 0) treated_events_facing_control += r.d1;
  }
  if (rows.empty()) {
    return fail(errc::survival_no_events,
                fmt::format("cox_two_arm: no events in '{}' or '{}', so the hazard ratio is "
                            "undefined",
                            t_name, c_name));
  }
  if (control_events_facing_treated == 0 || treated_events_facing_control == 0) {
    const bool up = control_events_facing_treated == 0;
    const std::string& none = up ? c_name : t_name;
    const double none_events = up ? table->events0 : table->events1;
    return fail(errc::survival_no_events,
                none_events == 0
                    ? fmt::format("cox_two_arm: no events in '{}' ({} in '{}'), so the hazard "
                                  "ratio is {}",
                                  none, up ? table->events1 : table->events0, up ? t_name : c_name,
                                  up ? "infinite" : "0")
                    : fmt::format("cox_two_arm: every event in '{}' happens when no patient of "
                                  "'{}' is at risk any more, so the hazard ratio is {}",
                                  none, up ? t_name : c_name, up ? "infinite" : "0"));
  }

  // Newton-Raphson from beta = 0 (R's default start). The log-likelihood is concave, but a full
  // step can still overshoot far from the optimum; then the step is halved until l does not
  // decrease, as coxph's C code does. Stop when the relative change of l is below tolerance.
  const partial_likelihood at0 = evaluate(rows, 0.0, options.ties);
  double beta = 0;
  partial_likelihood cur = at0;
  bool converged = false;
  int iter = 0;
  while (iter < options.max_iter) {
    ++iter;
    double step = cur.score / cur.info;
    double next_beta = beta + step;
    partial_likelihood next = evaluate(rows, next_beta, options.ties);
    int halvings = 0;
    while (!(next.loglik >= cur.loglik) && halvings < 60) {
      step /= 2;
      next_beta = beta + step;
      next = evaluate(rows, next_beta, options.ties);
      ++halvings;
    }
    const double change = std::fabs(next.loglik - cur.loglik);
    const bool tiny_step = std::fabs(next_beta - beta) <= 1e-15 * (1 + std::fabs(beta));
    if (next.loglik >= cur.loglik) {
      beta = next_beta;
      cur = next;
    }
    if (change <= options.tolerance * std::fabs(cur.loglik) || tiny_step) {
      // l has stopped changing, but near the optimum l is flat to second order: a change of
      // beta by 1e-8 moves l by about I 1e-16, below the rounding of l itself, so R's beta (which
      // stops on the same criterion) can still be ~1e-8 off while U(beta) is not yet 0. A few
      // more Newton steps, judged by U rather than l, bring beta to machine precision; they
      // are kept unless l drops by more than rounding (a step gone wrong).
      for (int polish = 0; polish < 3; ++polish) {
        const double newton = cur.score / cur.info;
        if (!(std::fabs(newton) > 1e-15 * (1 + std::fabs(beta)))) break;
        const partial_likelihood fin = evaluate(rows, beta + newton, options.ties);
        if (!(fin.loglik >= cur.loglik - 1e-12 * std::fabs(cur.loglik))) break;
        beta += newton;
        cur = fin;
      }
      converged = true;
      break;
    }
  }
  if (!converged || !std::isfinite(beta) || !(cur.info > 0)) {
    return fail(errc::survival_no_convergence,
                fmt::format("cox_two_arm: Newton-Raphson did not converge in {} iterations "
                            "(ln HR {}, log-likelihood {})",
                            options.max_iter, beta, cur.loglik));
  }

  cox_result r;
  r.loghr = beta;
  r.se = 1 / std::sqrt(cur.info);
  r.hr = std::exp(beta);
  const double z = detail::qnorm_upper((1 - options.level) / 2);
  r.ci_lower = std::exp(beta - z * r.se);
  r.ci_upper = std::exp(beta + z * r.se);
  r.wald_chisq = (beta / r.se) * (beta / r.se);
  r.wald_p = detail::pchisq_upper(r.wald_chisq, 1);
  r.loglik0 = at0.loglik;
  r.loglik = cur.loglik;
  r.lr_chisq = 2 * (cur.loglik - at0.loglik);
  r.lr_p = detail::pchisq_upper(std::max(r.lr_chisq, 0.0), 1);
  r.score_chisq = at0.score * at0.score / at0.info;
  r.score_p = detail::pchisq_upper(r.score_chisq, 1);
  r.iterations = iter;
  r.n = table->n;
  r.events = static_cast<std::size_t>(table->events1 + table->events0);
  r.options = options;
  return r;
}

}  // namespace srma
