// Mantel-Haenszel pooling of 2x2 tables (srma/model/mantel_haenszel.hpp), following metafor's
// rma.mh() (Viechtbauer 2010) and, for RevMan 5's rules, meta's metabin() (MH.exact = FALSE).
// The formulas and their sources are in docs/methods.md, "Mantel-Haenszel and Peto".
#include "srma/model/mantel_haenszel.hpp"

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

// The four cells of a table: a, b events / non-events in the treatment arm, c, d in the control
// arm.
struct cells {
  double a = 0, b = 0, c = 0, d = 0;
  [[nodiscard]] double n1() const { return a + b; }
  [[nodiscard]] double n2() const { return c + d; }
  [[nodiscard]] double n() const { return a + b + c + d; }
  [[nodiscard]] bool has_zero() const { return a == 0 || b == 0 || c == 0 || d == 0; }
  [[nodiscard]] cells plus(double x) const { return {a + x, b + x, c + x, d + x}; }
};

// Per-table estimate and variance as escalc() computes them with add = 1/2, to = "only0":
// 0.5 is added to every cell of a table with a zero cell. For RD, `rd_as_given` takes the
// estimate from the counts as given (RevMan 5 / meta: the correction enters variances only).
void table_effect(const cells& raw, effect_measure m, bool rd_as_given, double& yi, double& vi) {
  const cells t = raw.has_zero() ? raw.plus(0.5) : raw;
  const double n1 = t.n1(), n2 = t.n2();
  switch (m) {
    case effect_measure::odds_ratio:
      yi = std::log(t.a / t.b) - std::log(t.c / t.d);
      vi = 1 / t.a + 1 / t.b + 1 / t.c + 1 / t.d;
      return;
    case effect_measure::risk_ratio:
      yi = std::log(t.a / n1) - std::log(t.c / n2);
      vi = 1 / t.a - 1 / n1 + 1 / t.c - 1 / n2;
      return;
    default: {  // risk difference
      const double p1 = t.a / n1, p2 = t.c / n2;
      yi = rd_as_given ? raw.a / raw.n1() - raw.c / raw.n2() : p1 - p2;
      vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
      return;
    }
  }
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

// The pooled estimate and its variance on the analysis scale, from the cells in the MH sums
// (`t`, corrected where the options say so) and the counts as given (`raw`, used by RD).
struct pooled {
  double estimate = 0;
  double variance = 0;
  double weight_sum = 0;
  std::vector<double> weight;  // unnormalised MH weight per table in the sums
};

expected<pooled> pool_or(const std::vector<cells>& t) {
  pooled p;
  double r = 0, s = 0, pr = 0, ps_qr = 0, qs = 0;
  for (const cells& x : t) {
    const double n = x.n();
    const double ri = x.a * x.d / n, si = x.b * x.c / n;
    const double pi = (x.a + x.d) / n, qi = (x.b + x.c) / n;
    r += ri;
    s += si;
    pr += pi * ri;
    ps_qr += pi * si + qi * ri;
    qs += qi * si;
    p.weight.push_back(si);
  }
  if (r == 0 || s == 0) {
    const char* what = r == 0 && s == 0 ? "0/0" : (r == 0 ? "0" : "infinite");
    std::string why;
    if (r == 0)
      why = "no table has both an event in the treatment arm and a non-event in the control arm";
    if (s == 0) {
      if (!why.empty()) why += ", and ";
      why += "no table has both a non-event in the treatment arm and an event in the control arm";
    }
    return fail(errc::model_too_few_studies,
                fmt::format("the Mantel-Haenszel odds ratio is {}: {}", what, why));
  }
  p.estimate = std::log(r / s);
  // Robins, Breslow & Greenland (1986), eq. 13.
  p.variance = 0.5 * (pr / (r * r) + ps_qr / (r * s) + qs / (s * s));
  p.weight_sum = s;
  return p;
}

expected<pooled> pool_rr(const std::vector<cells>& t) {
  pooled p;
  double r = 0, s = 0, sum_a = 0, sum_c = 0, v = 0;
  for (const cells& x : t) {
    const double n = x.n(), n1 = x.n1(), n2 = x.n2();
    r += x.a * (n2 / n);
    s += x.c * (n1 / n);
    sum_a += x.a;
    sum_c += x.c;
    // Greenland & Robins (1985): sum (n1 n2 (a + c)/N^2 - a c/N) / (R S).
    v += (n1 / n) * (n2 / n) * (x.a + x.c) - (x.a / n) * x.c;
    p.weight.push_back(x.c * (n1 / n));
  }
  if (sum_a == 0 || sum_c == 0) {
    const char* what = sum_a == 0 && sum_c == 0 ? "0/0" : (sum_a == 0 ? "0" : "infinite");
    const char* why = sum_a == 0 && sum_c == 0
                          ? "no table has an event"
                          : (sum_a == 0 ? "no table has an event in the treatment arm"
                                        : "no table has an event in the control arm");
    return fail(errc::model_too_few_studies,
                fmt::format("the Mantel-Haenszel risk ratio is {}: {}", what, why));
  }
  p.estimate = std::log(r / s);
  p.variance = v / (r * s);
  p.weight_sum = s;
  return p;
}

expected<pooled> pool_rd(const std::vector<cells>& t, const std::vector<cells>& raw,
                         mh_rd_variance method) {
  pooled p;
  double num = 0, w = 0;
  for (const cells& x : raw) {
    const double n = x.n(), n1 = x.n1(), n2 = x.n2();
    num += x.a * (n2 / n) - x.c * (n1 / n);
    w += n1 * (n2 / n);
    p.weight.push_back(n1 * (n2 / n));
  }
  p.estimate = num / w;
  p.weight_sum = w;
  double v = 0;
  if (method == mh_rd_variance::sato) {
    // Sato, Greenland & Robins (1989), as rma.mh (counts as given).
    double s1 = 0, s2 = 0;
    for (const cells& x : raw) {
      const double n = x.n(), n1 = x.n1(), n2 = x.n2();
      s1 += x.c * (n1 / n) * (n1 / n) - x.a * (n2 / n) * (n2 / n) +
            (n1 / n) * (n2 / n) * (n2 - n1) / 2;
      s2 += x.a * (n2 - x.c) / n + x.c * (n1 - x.a) / n;
    }
    v = (p.estimate * s1 + s2 / 2) / (w * w);
  } else {
    // Greenland & Robins (1985): sum (a b n2^3 + c d n1^3)/(n1 n2 N^2) / (sum n1 n2/N)^2, the
    // numerator from the cells in the sums (corrected under add_half, as RevMan 5 and meta),
    // the denominator from the counts as given (meta's metabin).
    for (const cells& x : t) {
      const double n = x.n(), n1 = x.n1(), n2 = x.n2();
      v += (x.a * x.b * n2 * n2 * n2 + x.c * x.d * n1 * n1 * n1) / (n1 * n2 * n * n);
    }
    v /= w * w;
  }
  if (!(v > 0) || !std::isfinite(v)) {
    return fail(errc::model_too_few_studies,
                fmt::format("the Mantel-Haenszel risk difference has variance {}: every table has "
                            "no events, or events in everybody, in both arms",
                            v));
  }
  p.variance = v;
  return p;
}

// Cochran-Mantel-Haenszel and Cochran's tests, Tarone's and Breslow-Day's tests (rma.mh, OR).
void or_tests(const std::vector<cells>& t, double odds_ratio, bool correct, mh_result& r) {
  double dev = 0, var_n = 0, var_n1 = 0, sum_x = 0, sum_y = 0;
  for (const cells& x : t) {
    const double n = x.n(), n1 = x.n1(), n2 = x.n2();
    const double xt = x.a + x.c, yt = x.b + x.d;
    dev += x.a - (n1 / n) * xt;
    var_n += (n1 / n) * (n2 / n) * (xt * (yt / n));
    // A table of N = 1 has xt yt = 0; its term is 0, not 0/0.
    if (xt * yt > 0) var_n1 += (n1 / n) * (n2 / n) * (xt * (yt / (n - 1)));
    sum_x += xt;
    sum_y += yt;
  }
  if (sum_x == 0 || sum_y == 0) {
    r.cmh = r.cmh_p = r.cochran = r.cochran_p = k_nan;
  } else {
    const double num = std::pow(std::fabs(dev) - (correct ? 0.5 : 0.0), 2);
    r.cochran = num / var_n;
    r.cochran_p = pchisq_upper(r.cochran, 1);
    r.cmh = num / var_n1;
    r.cmh_p = pchisq_upper(r.cmh, 1);
  }
  // Fitted count of cell a under the common OR psi: the root of
  // (psi - 1) x^2 - (psi (n1 + xt) + n2 - xt) x + psi n1 xt = 0 within the table's margins,
  // written 2 psi n1 xt / (A + B), which equals metafor's (A - B)/(2 (psi - 1)) without its
  // cancellation near psi = 1 (and is n1 xt/N at psi = 1).
  const double psi = odds_ratio;
  double bd = 0, dev_fit = 0, sum_v = 0;
  int k_pos = 0;
  for (const cells& x : t) {
    const double n = x.n(), n1 = x.n1(), n2 = x.n2();
    const double xt = x.a + x.c, yt = x.b + x.d;
    const double big_a = psi * (n1 + xt) + (n2 - xt);
    const double big_b = std::sqrt(big_a * big_a - 4 * n1 * xt * psi * (psi - 1));
    const double n11 = 2 * psi * n1 * xt / (big_a + big_b);
    if (!(n11 > 0 && xt > 0 && yt > 0)) continue;
    ++k_pos;
    const double n12 = n1 - n11, n21 = xt - n11, n22 = n11 - n1 - xt + n;
    const double v = 1 / (1 / n11 + 1 / n12 + 1 / n21 + 1 / n22);
    bd += (x.a - n11) * (x.a - n11) / v;
    dev_fit += x.a - n11;
    sum_v += v;
  }
  r.breslow_day = k_pos > 0 ? std::max(0.0, bd) : k_nan;
  r.tarone = k_pos > 0 ? std::max(0.0, bd - dev_fit * dev_fit / sum_v) : k_nan;
  r.tarone_df = k_pos > 0 ? k_pos - 1 : 0;
  r.breslow_day_p = k_pos > 1 ? pchisq_upper(r.breslow_day, r.tarone_df) : k_nan;
  r.tarone_p = k_pos > 1 ? pchisq_upper(r.tarone, r.tarone_df) : k_nan;
}

}  // namespace

std::string_view to_string(mh_zero_cells z) {
  return z == mh_zero_cells::none ? "none" : "add_half";
}
std::string_view to_string(mh_double_zero d) { return d == mh_double_zero::keep ? "keep" : "drop"; }
std::string_view to_string(mh_rd_variance v) {
  return v == mh_rd_variance::sato ? "sato" : "greenland_robins";
}
std::optional<mh_zero_cells> parse_mh_zero_cells(std::string_view text) {
  if (text == "none") return mh_zero_cells::none;
  if (text == "add_half") return mh_zero_cells::add_half;
  return std::nullopt;
}
std::optional<mh_double_zero> parse_mh_double_zero(std::string_view text) {
  if (text == "keep") return mh_double_zero::keep;
  if (text == "drop") return mh_double_zero::drop;
  return std::nullopt;
}
std::optional<mh_rd_variance> parse_mh_rd_variance(std::string_view text) {
  if (text == "sato") return mh_rd_variance::sato;
  if (text == "greenland_robins") return mh_rd_variance::greenland_robins;
  return std::nullopt;
}

std::string mh_options::validate() const {
  if (measure != effect_measure::odds_ratio && measure != effect_measure::risk_ratio &&
      measure != effect_measure::risk_difference) {
    return fmt::format("the Mantel-Haenszel method pools OR, RR or RD, not {}",
                       measure_code(measure));
  }
  if (!(level > 0 && level < 100) || !std::isfinite(level)) {
    return fmt::format("the confidence level is {}, but must lie strictly between 0 and 100",
                       level);
  }
  if (measure == effect_measure::risk_difference && zero_cells == mh_zero_cells::add_half &&
      rd_variance == mh_rd_variance::sato) {
    return "Sato's variance of the risk difference is defined for the counts as given; with 0.5 "
           "added to tables with a zero cell use the Greenland-Robins variance";
  }
  return "";
}

mh_options mh_options_metafor(effect_measure measure) {
  mh_options o;
  o.measure = measure;
  return o;
}

mh_options mh_options_revman5(effect_measure measure) {
  mh_options o;
  o.measure = measure;
  o.zero_cells = mh_zero_cells::add_half;
  o.double_zero = mh_double_zero::drop;
  o.rd_variance = mh_rd_variance::greenland_robins;
  return o;
}

expected<mh_result> pool_mantel_haenszel(std::span<const double> events_t,
                                         std::span<const double> n_t,
                                         std::span<const double> events_c,
                                         std::span<const double> n_c, const mh_options& options,
                                         std::span<const std::string> labels) {
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (auto ok = check_tables_2x2(events_t, n_t, events_c, n_c, labels); !ok) {
    return unexpected(ok.error());
  }
  const std::size_t k = events_t.size();
  if (k == 0) {
    return fail(errc::model_too_few_studies,
                "Mantel-Haenszel pooling needs at least one 2x2 table (k = 0)");
  }
  const effect_measure m = options.measure;
  const bool rd = m == effect_measure::risk_difference;
  const bool add_half = options.zero_cells == mh_zero_cells::add_half;

  mh_result r;
  r.measure = m;
  r.level = options.level;
  r.options = options;
  r.k = k;
  r.weight.assign(k, k_nan);
  r.yi.assign(k, k_nan);
  r.vi.assign(k, k_nan);
  r.in_pool.assign(k, false);
  r.in_q.assign(k, false);
  r.corrected.assign(k, false);

  std::vector<cells> sums, raw_sums;  // tables in the MH sums: as used, and as given
  std::vector<std::size_t> pooled_index;
  std::vector<std::string> corrected_names, left_out_notes;
  for (std::size_t i = 0; i < k; ++i) {
    const cells raw{events_t[i], n_t[i] - events_t[i], events_c[i], n_c[i] - events_c[i]};
    const bool no_events = raw.a == 0 && raw.c == 0;
    const bool all_events = raw.b == 0 && raw.d == 0;
    const bool double_zero = no_events || all_events;
    // Not estimable on the measure's scale: the OR of both kinds, the RR of tables without
    // events (an all-event table has RR 1), never the RD (a double-zero table has RD 0).
    const bool not_estimable = (m == effect_measure::odds_ratio && double_zero) ||
                               (m == effect_measure::risk_ratio && no_events);
    const bool in_pool = !(options.double_zero == mh_double_zero::drop && not_estimable);
    const bool in_q = options.double_zero == mh_double_zero::keep ? !double_zero : in_pool;
    const std::string why =
        no_events ? "no events in either arm" : "events in everybody in both arms";
    if (in_pool) {
      const bool correct_cells = add_half && raw.has_zero();
      r.in_pool[i] = true;
      r.corrected[i] = correct_cells;
      if (correct_cells) corrected_names.push_back(table_name(i, labels));
      sums.push_back(correct_cells ? raw.plus(0.5) : raw);
      raw_sums.push_back(raw);
      pooled_index.push_back(i);
    } else {
      left_out_notes.push_back(fmt::format(
          "{}: {}, so its {} is not estimable; left out of the Mantel-Haenszel estimate and Q",
          table_name(i, labels), why, measure_name(m)));
    }
    if (in_q) {
      r.in_q[i] = true;
      table_effect(raw, m, rd && add_half, r.yi[i], r.vi[i]);
    } else if (in_pool) {
      const bool adds_nothing = !rd && !r.corrected[i];
      left_out_notes.push_back(fmt::format(
          "{}: {}; kept in the Mantel-Haenszel sums{}, left out of Q (it has no {} of its own)",
          table_name(i, labels), why, adds_nothing ? " (it adds nothing to them)" : "",
          measure_name(m)));
    }
  }
  r.k_pooled = sums.size();
  if (r.k_pooled == 0) {
    return fail(errc::model_too_few_studies,
                fmt::format("no table is left to pool: the {} is not estimable in any of the {} "
                            "tables (no events in either arm{})",
                            measure_name(m), k,
                            m == effect_measure::odds_ratio ? ", or events in everybody" : ""));
  }

  expected<pooled> p = m == effect_measure::odds_ratio ? pool_or(sums)
                       : m == effect_measure::risk_ratio
                           ? pool_rr(sums)
                           : pool_rd(sums, raw_sums, options.rd_variance);
  if (!p) return unexpected(p.error());

  const double se = std::sqrt(p->variance);
  const double crit = qnorm_upper((1 - options.level / 100) / 2);
  r.estimate.estimate = p->estimate;
  r.estimate.se = se;
  r.estimate.statistic = p->estimate / se;
  r.estimate.p = p_two_sided_z(r.estimate.statistic);
  r.estimate.ci_lower = p->estimate - crit * se;
  r.estimate.ci_upper = p->estimate + crit * se;
  r.estimate.df = k_nan;
  for (std::size_t j = 0; j < pooled_index.size(); ++j) {
    r.weight[pooled_index[j]] = 100 * p->weight[j] / p->weight_sum;
  }

  // Cochran's Q about the MH estimate with inverse-variance weights (rma.mh's QE).
  double q = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (!r.in_q[i]) continue;
    ++r.k_q;
    const double e = r.yi[i] - p->estimate;
    q += e * e / r.vi[i];
  }
  if (r.k_q >= 2) {
    r.Q = q;
    r.Q_df = static_cast<double>(r.k_q - 1);
    r.Q_p = pchisq_upper(r.Q, r.Q_df);
    r.I2 = std::max(0.0, 100 * (r.Q - r.Q_df) / r.Q);
    r.H2 = r.Q / r.Q_df;
  } else if (r.k_q == 1) {
    // One informative table: metafor's rma.mh convention at k = 1 (QE = 0, QEp = 1, I2 = 0,
    // H2 = 1; metafor 3.8-1).
    r.Q = 0;
    r.Q_p = 1;
    r.I2 = 0;
    r.H2 = 1;
    r.Q_df = 0;
    r.notes.push_back(
        "heterogeneity is not estimable: 1 table has an estimate of its own (Q = 0, I^2 = 0 by "
        "convention)");
  } else {
    r.Q = r.Q_p = r.I2 = r.H2 = k_nan;
    r.Q_df = 0;
    r.notes.push_back(fmt::format("heterogeneity is not defined: {} table{} an estimate of its own",
                                  r.k_q, r.k_q == 1 ? " has" : "s have"));
  }

  if (m == effect_measure::odds_ratio) {
    or_tests(sums, std::exp(p->estimate), options.correct, r);
  } else {
    r.cmh = r.cmh_p = r.cochran = r.cochran_p = k_nan;
    r.tarone = r.tarone_df = r.tarone_p = r.breslow_day = r.breslow_day_p = k_nan;
  }

  if (!corrected_names.empty()) {
    r.notes.push_back(fmt::format("0.5 added to every cell of the table{} with a zero cell{}: {}",
                                  corrected_names.size() == 1 ? "" : "s",
                                  rd ? " (for the variance of the risk difference only)" : "",
                                  join(corrected_names)));
  }
  for (auto& n : left_out_notes) r.notes.push_back(std::move(n));
  return r;
}

}  // namespace srma
