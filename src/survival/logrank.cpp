// The two-sample log-rank test as R's survival::survdiff(rho = 0) computes it (Mantel 1966;
// Peto & Peto 1972). Over the distinct event times t_j, with n1, n0 at risk and d1, d0 events
// in the treatment and control arm (n = n1 + n0, d = d1 + d0):
//
//   O - E = sum_j (d1_j - d_j n1_j / n_j)
//   V     = sum_j d_j n1_j n0_j (n_j - d_j) / (n_j^2 (n_j - 1))   (the term is 0 when n_j = 1)
//   chi^2 = (O - E)^2 / V on 1 df;  Peto's one-step ln HR = (O - E) / V.
#include "srma/survival/logrank.hpp"

#include <fmt/format.h>

#include "risk_sets_detail.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {

expected<logrank_result> logrank_two_arm(const survival_data& data, std::size_t treatment,
                                         std::size_t control) {
  auto table = detail::two_arm_risk_sets(data, treatment, control, "logrank_two_arm");
  if (!table) return unexpected(std::move(table).error());

  logrank_result r;
  double e1 = 0;
  double e0 = 0;
  double v = 0;
  for (const auto& row : table->rows) {
    const double n = row.n();
    const double d = row.d();
    e1 += d * row.n1 / n;
    e0 += d * row.n0 / n;
    // Hypergeometric variance of d1 given the margins; a risk set of one patient has none.
    if (n > 1) v += d * row.n1 * row.n0 * (n - d) / (n * n * (n - 1));
  }
  r.observed_treatment = table->events1;
  r.observed_control = table->events0;
  r.expected_treatment = e1;
  r.expected_control = e0;
  r.o_minus_e = r.observed_treatment - e1;
  r.v = v;
  if (!(v > 0)) {
    return fail(errc::survival_no_events,
                fmt::format("logrank_two_arm: the variance of O - E is 0 ({} events in '{}', {} in "
                            "'{}', none with patients of both arms at risk), so the test is "
                            "undefined",
                            table->events1, data.arm_names[treatment], table->events0,
                            data.arm_names[control]));
  }
  r.chisq = r.o_minus_e * r.o_minus_e / v;
  r.p = detail::pchisq_upper(r.chisq, 1);
  r.peto_loghr = r.o_minus_e / v;
  return r;
}

}  // namespace srma
