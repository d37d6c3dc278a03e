// Small-study effects: Egger, Peters, Begg, trim-and-fill and fail-safe N, following metafor's
// regtest(), ranktest(), trimfill.rma.uni() and fsn() (metafor 3.8-1) and R's cor.test().
#include "srma/bias.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <limits>
#include <numeric>

#include "pool_internal.hpp"
#include "report/format.hpp"
#include "srma/metareg.hpp"
#include "stats/distributions.hpp"
#include "util/text.hpp"

namespace srma {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// The regression of yi on [1, predictor]: weighted least squares with t(k - 2) (the classical
// test: a common-effect meta-regression whose variance is scaled by the residual mean square,
// which is what metafor's Knapp-Hartung factor does with tau^2 = 0), or the mixed-effects model.
expected<regression_test> regression(std::span<const double> yi, std::span<const double> vi,
                                     std::span<const double> predictor, std::string name,
                                     const pool_options& options, bool mixed) {
  const std::size_t k = yi.size();
  if (k < 3) {
    return fail("srma.model.E301",
                fmt::format("a regression test for small-study effects needs at least 3 studies "
                            "(k = {})",
                            k));
  }
  design_matrix d;
  d.rows = k;
  d.names = {"intercept", name};
  d.values.assign(k, 1.0);
  d.values.insert(d.values.end(), predictor.begin(), predictor.end());
  const double p0 = predictor.front();
  if (std::all_of(predictor.begin(), predictor.end(), [&](double x) { return x == p0; })) {
    return fail("srma.model.E304",
                fmt::format("every study has the same {}: the regression test is not defined",
                            name == "sei" ? "standard error" : "sample size"));
  }
  pool_options o = options;
  if (!mixed) {
    o.model = model_choice::common;
    o.ci = ci_method::hksj;
  }
  auto fit = metareg(yi, vi, d, o);
  if (!fit) return unexpected(fit.error());
  regression_test t;
  t.predictor = std::move(name);
  t.mixed = mixed;
  const auto& b = fit->coefficients[1];
  t.bias = b.estimate;
  t.se = b.se;
  t.statistic = b.statistic;
  t.df = b.df;
  t.p = b.p;
  const auto& a = fit->coefficients[0];
  t.limit_estimate = a.estimate;
  t.limit_ci_lower = a.ci_lower;
  t.limit_ci_upper = a.ci_upper;
  return t;
}

// P(T <= q) for T the number of concordant pairs among n observations without ties: the
// Mahonian distribution, by the recurrence on n (as R's ckendall, in probabilities).
double pkendall(double q, std::size_t n) {
  const std::size_t max_t = n * (n - 1) / 2;
  if (q < 0) return 0;
  if (q >= static_cast<double>(max_t)) return 1;
  std::vector<double> p(max_t + 1, 0.0), next(max_t + 1, 0.0);
  p[0] = 1;
  std::size_t top = 0;
  for (std::size_t m = 2; m <= n; ++m) {
    // Inserting the m-th element adds 0..m-1 inversions, each with probability 1/m.
    const std::size_t new_top = top + m - 1;
    double window = 0;
    for (std::size_t t = 0; t <= new_top; ++t) {
      if (t <= top) window += p[t];
      if (t >= m && t - m <= top) window -= p[t - m];
      next[t] = window / static_cast<double>(m);
    }
    std::swap(p, next);
    top = new_top;
  }
  const auto qi = static_cast<std::size_t>(q);
  double s = 0;
  for (std::size_t t = 0; t <= qi; ++t) s += p[t];
  return std::min(1.0, s);
}

// R's round(): half to even.
double round_half_even(double x) {
  const int mode = std::fegetround();
  std::fesetround(FE_TONEAREST);
  const double r = std::nearbyint(x);
  std::fesetround(mode);
  return r;
}

}  // namespace

expected<regression_test> egger_test(std::span<const double> yi, std::span<const double> vi,
                                     const pool_options& options, bool mixed) {
  std::vector<double> sei(vi.size());
  std::transform(vi.begin(), vi.end(), sei.begin(), [](double v) { return std::sqrt(v); });
  return regression(yi, vi, sei, "sei", options, mixed);
}

expected<regression_test> peters_test(std::span<const double> yi, std::span<const double> vi,
                                      std::span<const double> n, const pool_options& options,
                                      bool mixed) {
  std::vector<double> ninv(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (!(n[i] > 0)) {
      return fail(
          "srma.input.E205",
          fmt::format("sample size {} of study {} must be > 0 for Peters' test", n[i], i + 1));
    }
    ninv[i] = 1 / n[i];
  }
  return regression(yi, vi, ninv, "ninv", options, mixed);
}

expected<rank_test> begg_test(std::span<const double> yi, std::span<const double> vi) {
  const std::size_t n = yi.size();
  if (n < 3) {
    return fail("srma.model.E301",
                fmt::format("the rank correlation test needs at least 3 studies (k = {})", n));
  }
  // Standardised deviates from the common-effect estimate (Begg & Mazumdar 1994).
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sw += 1 / vi[i];
    swy += yi[i] / vi[i];
  }
  const double theta = swy / sw, vb = 1 / sw;
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = (yi[i] - theta) / std::sqrt(vi[i] - vb);
  std::span<const double> y = vi;
  // Kendall's tau-b and the tie counts, O(n^2) as R's cor(method = "kendall").
  double concordant = 0, discordant = 0, ties_x = 0, ties_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      const double s = (dx > 0) - (dx < 0), t = (dy > 0) - (dy < 0);
      if (s == 0) ties_x += 1;
      if (t == 0) ties_y += 1;
      if (s * t > 0) concordant += 1;
      if (s * t < 0) discordant += 1;
    }
  }
  const double n0 = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  rank_test r;
  r.tau = (concordant - discordant) / std::sqrt((n0 - ties_x) * (n0 - ties_y));
  const bool ties = ties_x > 0 || ties_y > 0;
  const double nd = static_cast<double>(n);
  // Exact up to a size where the O(n^3) recurrence stays fast; R is exact at any n.
  if (!ties && n <= 400) {
    r.exact = true;
    const double q = round_half_even((r.tau + 1) * nd * (nd - 1) / 4);
    const double p = q > nd * (nd - 1) / 4 ? 1 - pkendall(q - 1, n) : pkendall(q, n);
    r.p = std::min(2 * p, 1.0);
    return r;
  }
  // Normal approximation with R's tie-corrected variance of S.
  r.exact = false;
  auto tie_sums = [&](const std::vector<double>& v, double& s2, double& s25, double& s3) {
    std::vector<double> sorted(v);
    std::sort(sorted.begin(), sorted.end());
    s2 = s25 = s3 = 0;
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i;
      while (j < n && sorted[j] == sorted[i]) ++j;
      const double t = static_cast<double>(j - i);
      if (t > 1) {
        s2 += t * (t - 1);
        s25 += t * (t - 1) * (2 * t + 5);
        s3 += t * (t - 1) * (t - 2);
      }
      i = j;
    }
  };
  double x2, x25, x3, y2, y25, y3;
  tie_sums(x, x2, x25, x3);
  tie_sums(std::vector<double>(y.begin(), y.end()), y2, y25, y3);
  const double s = r.tau * std::sqrt((n0 - x2 / 2) * (n0 - y2 / 2));
  const double var_s = (nd * (nd - 1) * (2 * nd + 5) - x25 - y25) / 18 +
                       x2 * y2 / (2 * nd * (nd - 1)) + x3 * y3 / (9 * nd * (nd - 1) * (nd - 2));
  r.p = detail::p_two_sided_z(s / std::sqrt(var_s));
  return r;
}

expected<trimfill_result> trim_and_fill(std::span<const double> yi, std::span<const double> vi,
                                        const pool_options& options, trimfill_estimator estimator,
                                        std::optional<std::string> side) {
  const std::size_t k = yi.size();
  if (k < 3) {
    return fail("srma.model.E301",
                fmt::format("trim-and-fill needs at least 3 studies (k = {})", k));
  }
  const bool common = options.model == model_choice::common;
  trimfill_result out;
  out.estimator = estimator;
  // Side (metafor): from the sign of the slope of the meta-regression on sqrt(vi) with the
  // model's estimator: studies are missing on the right when the slope is negative.
  if (side) {
    if (*side != "left" && *side != "right") {
      return fail("srma.model.E300",
                  fmt::format("trim-and-fill side '{}': expected left or right", *side));
    }
    out.side = *side;
  } else {
    pool_options o = options;
    o.ci = ci_method::z;
    auto e = egger_test(yi, vi, o, /*mixed=*/true);
    if (!e) return unexpected(e.error());
    out.side = e->bias < 0 ? "right" : "left";
  }
  const double sign = out.side == "right" ? -1.0 : 1.0;
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sign * yi[a] < sign * yi[b]; });
  std::vector<double> y(k), v(k);
  for (std::size_t i = 0; i < k; ++i) {
    y[i] = sign * yi[order[i]];
    v[i] = vi[order[i]];
  }
  pool_options o = options;
  o.ci = ci_method::z;
  auto center = [&](std::size_t n) -> expected<double> {
    auto r = detail::pool_effects(std::span(y).first(n), std::span(v).first(n), o,
                                  effect_measure::generic, std::nullopt, false);
    if (!r) return unexpected(r.error());
    return common ? r->common.estimate : r->random.estimate;
  };
  const double kd = static_cast<double>(k);
  long k0 = 0, k0_prev = -1;
  double beta = 0;
  int iter = 0;
  while (k0 != k0_prev) {
    k0_prev = k0;
    if (++iter > 100) {
      return fail("srma.model.E303", "trim-and-fill did not converge in 100 iterations");
    }
    auto b = center(k - static_cast<std::size_t>(k0));
    if (!b) return unexpected(b.error());
    beta = *b;
    // Signed ranks of the deviations from the trimmed estimate (ties: first come first ranked).
    std::vector<double> dev(k);
    for (std::size_t i = 0; i < k; ++i) dev[i] = y[i] - beta;
    std::vector<std::size_t> by_abs(k);
    std::iota(by_abs.begin(), by_abs.end(), 0);
    std::stable_sort(by_abs.begin(), by_abs.end(), [&](std::size_t a, std::size_t c) {
      return std::fabs(dev[a]) < std::fabs(dev[c]);
    });
    std::vector<double> rank(k);
    for (std::size_t r = 0; r < k; ++r) rank[by_abs[r]] = static_cast<double>(r + 1);
    double est = 0, se = 0;
    if (estimator == trimfill_estimator::l0) {
      double sr = 0;
      for (std::size_t i = 0; i < k; ++i)
        if (dev[i] > 0) sr += rank[i];
      est = (4 * sr - kd * (kd + 1)) / (2 * kd - 1);
      const double var_sr = (kd * (kd + 1) * (2 * kd + 1) + 10 * est * est * est + 27 * est * est +
                             17 * est - 18 * kd * est * est - 18 * kd * est + 6 * kd * kd * est) /
                            24;
      se = 4 * std::sqrt(var_sr) / (2 * kd - 1);
    } else {
      double max_neg = -std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < k; ++i)
        if (dev[i] < 0) max_neg = std::max(max_neg, rank[i]);
      est = kd - max_neg - 1;
      se = std::sqrt(2 * std::max(0.0, est) + 2);
    }
    if (!std::isfinite(est)) est = static_cast<double>(k);  // no study below the centre
    k0 = static_cast<long>(std::max(0.0, round_half_even(est)));
    k0 = std::min<long>(k0, static_cast<long>(k) - 1);  // keep at least one study to centre on
    out.se_k0 = std::max(0.0, se);
  }
  out.iterations = iter;
  out.k0 = static_cast<std::size_t>(k0);
  std::vector<double> all_y(yi.begin(), yi.end()), all_v(vi.begin(), vi.end());
  for (std::size_t i = k - out.k0; i < k; ++i) {
    // The mirror image of y_i around the trimmed estimate, back on the original orientation.
    const double filled = sign * (2 * beta - y[i]);
    out.filled_yi.push_back(filled);
    out.filled_vi.push_back(v[i]);
    all_y.push_back(filled);
    all_v.push_back(v[i]);
  }
  // metafor refits with the model's estimator and its default Wald inference.
  auto r = detail::pool_effects(all_y, all_v, o, effect_measure::generic, std::nullopt, false);
  if (!r) return unexpected(r.error());
  out.estimate = common ? r->common : static_cast<model_estimate>(r->random);
  out.tau2 = common ? 0.0 : r->heterogeneity.tau2;
  return out;
}

failsafe_result failsafe_n(std::span<const double> yi, std::span<const double> vi, double alpha) {
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

expected<bias_result> small_study_bias(const study_table& studies, const pool_options& options,
                                       const bias_options& bias) {
  const std::size_t k = studies.k();
  if (k < 3) {
    return fail("srma.model.E301",
                fmt::format("tests for small-study effects need at least 3 studies (k = {})", k));
  }
  auto full = pool(studies, options);
  if (!full) return unexpected(full.error());
  bias_result out;
  out.k = k;
  out.model = full->primary;
  out.full = std::move(*full);
  // Every test uses the model the analysis leads with.
  pool_options o = options;
  o.model = out.model == model_kind::common ? model_choice::common : model_choice::random;
  if (k < 10) {
    out.warnings.push_back(fmt::format(
        "only {} studies: tests for funnel-plot asymmetry have low power with fewer than 10 "
        "(Cochrane Handbook, section 13.3.5.4); interpret them with caution",
        k));
  }
  auto egger = egger_test(studies.yi, studies.vi, o, false);
  if (!egger) return unexpected(egger.error());
  out.egger = *egger;
  auto mixed = egger_test(studies.yi, studies.vi, o, true);
  if (!mixed) return unexpected(mixed.error());
  out.egger_mixed = *mixed;
  std::vector<double> n;
  if (!bias.sample_size_column.empty()) {
    const int a = studies.attribute_index(bias.sample_size_column);
    if (a < 0) {
      return fail("srma.input.E215",
                  fmt::format("no sample-size column '{}'", bias.sample_size_column),
                  {studies.source, 0, 0});
    }
    for (std::size_t i = 0; i < k; ++i) {
      auto v = detail::parse_double(studies.attributes[a][i]);
      if (!v || !(*v > 0)) {
        return fail("srma.input.E215",
                    fmt::format("study '{}': sample size '{}' is not a number > 0",
                                studies.study[i], studies.attributes[a][i]),
                    {studies.source, studies.line[i], studies.attribute_columns[a]});
      }
      n.push_back(*v);
    }
  } else {
    n = studies.sample_size;
  }
  if (n.size() == k) {
    auto peters = peters_test(studies.yi, studies.vi, n, o, false);
    if (!peters) return unexpected(peters.error());
    out.peters = *peters;
  }
  auto begg = begg_test(studies.yi, studies.vi);
  if (!begg) return unexpected(begg.error());
  out.begg = *begg;
  auto tf = trim_and_fill(studies.yi, studies.vi, o, bias.estimator, bias.side);
  if (!tf) return unexpected(tf.error());
  out.trimfill = *tf;
  out.failsafe = failsafe_n(studies.yi, studies.vi, bias.alpha);
  return out;
}

}  // namespace srma

namespace srma {

std::string bias_result::full_report() const {
  using detail::format_fixed;
  using detail::format_p_clause;
  const auto m = full.measure;
  std::string out =
      fmt::format("Small-study effects and publication bias: {} studies, {} model\n", k,
                  model == model_kind::common ? "common-effect" : "random-effects");
  for (const auto& w : warnings) out += "Warning: " + w + "\n";
  auto reg = [&](const std::string& title, const regression_test& t) {
    const std::string stat =
        std::isnan(t.df) ? fmt::format("z = {}", format_fixed(t.statistic, 2))
                         : fmt::format("t = {} (df = {:g})", format_fixed(t.statistic, 2), t.df);
    out += fmt::format("\n{}\n  bias coefficient {} (SE {}), {}, {}\n", title,
                       format_fixed(t.bias, 4), format_fixed(t.se, 4), stat, format_p_clause(t.p));
    out += fmt::format("  limit estimate (as {} -> 0): {}\n", t.predictor == "sei" ? "SE" : "1/n",
                       detail::format_effect_ci(m, t.limit_estimate, t.limit_ci_lower,
                                                t.limit_ci_upper, full.level));
  };
  reg("Egger's regression test (weighted least squares, t with k - 2 df)", egger);
  reg(fmt::format("Egger-type test, mixed-effects meta-regression on the SE ({})",
                  model == model_kind::common ? "common effect"
                                              : std::string(tau2_method_code(full.random.method))),
      egger_mixed);
  if (peters) reg("Peters' test (weighted least squares on 1/n)", *peters);
  out += fmt::format("\nBegg and Mazumdar's rank correlation\n  Kendall's tau = {}, {} ({})\n",
                     format_fixed(begg.tau, 4), format_p_clause(begg.p),
                     begg.exact ? "exact" : "normal approximation");
  out += fmt::format(
      "\nTrim-and-fill ({} estimator)\n  {} stud{} imputed on the {} side (SE of k0 {})\n  "
      "adjusted estimate {} ({})\n",
      trimfill.estimator == trimfill_estimator::l0 ? "L0" : "R0", trimfill.k0,
      trimfill.k0 == 1 ? "y" : "ies", trimfill.side, format_fixed(trimfill.se_k0, 4),
      detail::format_effect_ci(m, trimfill.estimate.estimate, trimfill.estimate.ci_lower,
                               trimfill.estimate.ci_upper, full.level),
      format_p_clause(trimfill.estimate.p));
  out += fmt::format(
      "\nFail-safe N (alpha = {:g})\n  Rosenthal {:g}; Orwin {:g} (target: half the mean "
      "effect); Rosenberg {:g}\n",
      failsafe.alpha, failsafe.rosenthal, failsafe.orwin, failsafe.rosenberg);
  return out;
}

}  // namespace srma
