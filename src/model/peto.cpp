// Peto's one-step odds ratio (srma/model/peto.hpp), following metafor's rma.peto()
// (Viechtbauer 2010); formulas in docs/methods.md, "Mantel-Haenszel and Peto".
#include "srma/model/peto.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "tables_2x2.hpp"

namespace srma {

using namespace detail;  // distributions of the util layer, table checks of this layer

namespace {
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
}  // namespace

std::string peto_options::validate() const {
  if (!(level > 0 && level < 100) || !std::isfinite(level)) {
    return fmt::format("the confidence level is {}, but must lie strictly between 0 and 100",
                       level);
  }
  return "";
}

expected<peto_result> pool_peto(std::span<const double> events_t, std::span<const double> n_t,
                                std::span<const double> events_c, std::span<const double> n_c,
                                const peto_options& options, std::span<const std::string> labels) {
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (auto ok = check_tables_2x2(events_t, n_t, events_c, n_c, labels); !ok) {
    return unexpected(ok.error());
  }
  const std::size_t k = events_t.size();
  if (k == 0) {
    return fail(errc::model_too_few_studies, "Peto's method needs at least one 2x2 table (k = 0)");
  }

  peto_result r;
  r.level = options.level;
  r.k = k;
  r.o_minus_e.resize(k);
  r.v.resize(k);
  r.weight.resize(k);
  r.yi.assign(k, k_nan);
  r.vi.assign(k, k_nan);
  double sum_oe = 0, sum_v = 0, sum_oe2_v = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double a = events_t[i], n1 = n_t[i], n2 = n_c[i];
    const double n = n1 + n2;
    const double m = a + events_c[i];  // events in both arms
    const double oe = a - n1 * m / n;
    // Hypergeometric variance of a given the margins; 0 when m = 0 or m = N (then also N > 1
    // need not hold, so the (N - 1) is not evaluated).
    const double v = m > 0 && m < n ? m * (n - m) * (n1 / n) * (n2 / n) / (n - 1) : 0.0;
    r.o_minus_e[i] = oe;
    r.v[i] = v;
    sum_oe += oe;
    sum_v += v;
    if (v > 0) {
      ++r.k_q;
      sum_oe2_v += oe * oe / v;
      r.yi[i] = oe / v;
      r.vi[i] = 1 / v;
    } else {
      r.notes.push_back(fmt::format(
          "{}: {} in both arms; it adds nothing to Peto's odds ratio (V = 0) and is left out of Q",
          table_name(i, labels), m == 0 ? "no events" : "events in everybody"));
    }
  }
  if (!(sum_v > 0)) {
    return fail(errc::model_too_few_studies,
                fmt::format("Peto's odds ratio is not estimable: none of the {} tables has both "
                            "events and non-events",
                            k));
  }
  for (std::size_t i = 0; i < k; ++i) r.weight[i] = 100 * r.v[i] / sum_v;

  const double est = sum_oe / sum_v;
  const double se = 1 / std::sqrt(sum_v);
  const double crit = qnorm_upper((1 - options.level / 100) / 2);
  r.estimate.estimate = est;
  r.estimate.se = se;
  r.estimate.statistic = est / se;
  r.estimate.p = p_two_sided_z(r.estimate.statistic);
  r.estimate.ci_lower = est - crit * se;
  r.estimate.ci_upper = est + crit * se;
  r.estimate.df = k_nan;

  if (r.k_q >= 2) {
    r.Q = std::max(0.0, sum_oe2_v - sum_oe * sum_oe / sum_v);
    r.Q_df = static_cast<double>(r.k_q - 1);
    r.Q_p = pchisq_upper(r.Q, r.Q_df);
    r.I2 = std::max(0.0, 100 * (r.Q - r.Q_df) / r.Q);
    r.H2 = r.Q / r.Q_df;
  } else {
    // One informative table: metafor's rma.peto convention at k = 1 (QE = 0, QEp = 1, I2 = 0,
    // H2 = 1; metafor 3.8-1).
    r.Q = 0;
    r.Q_p = 1;
    r.I2 = 0;
    r.H2 = 1;
    r.Q_df = 0;
    r.notes.push_back(
        "heterogeneity is not estimable: 1 table has both events and non-events (Q = 0, I^2 = 0 "
        "by convention)");
  }
  return r;
}

}  // namespace srma
