// Inverse-variance pooling (common and random effects), following metafor's rma.uni(),
// predict.rma() and confint.rma.uni() (Viechtbauer 2010), in O(k).
//
// Scaled weights (issue 15, "numerics at the edges"): every sum uses w~_i = s / (v_i + tau^2),
// s = min_j (v_j + tau^2), which lie in (0, 1] with one equal to 1, instead of w_i = 1/(v_i +
// tau^2) (near 1e200 for v near 1e-200, whose squares overflow). With W~ = sum w~ = s W:
//   mu = sum w~ y / W~                     (w~ = s w: the factor s cancels)
//   SE(mu) = sqrt(1 / W) = sqrt(s) / sqrt(W~)
//   weight_i = 100 w~_i / W~
//   Q = sum w (y - mu)^2 = Q~ / s,          Q~ = sum w~ (y - mu)^2
//   I^2 = 100 (Q - df) / Q = 100 (Q~ - df s) / Q~
//   v~ (Higgins & Thompson) = df W / (W^2 - sum w^2) = df s W~ / (W~^2 - sum w~^2)
//   HKSJ SE = sqrt(Q*/df) SE(mu) = sqrt(Q~* / (df W~*))   (s cancels)
//   PI half-width = crit hypot(SE, tau).
// Q itself is the only number that can still be out of range (Q > 1.8e308 when the studies
// disagree by more than 1e154 standard errors); it is then +inf, with I^2 = 100%.
#include "srma/model/pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "model_choice.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "tau2/estimators.hpp"

namespace srma {

using namespace detail;  // distributions and text helpers of the util layer

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// Wald or t inference for an estimate with standard error `se`.
model_estimate infer(double est, double se, double level, double df) {
  model_estimate m;
  m.estimate = est;
  m.se = se;
  m.statistic = est / se;
  const double alpha = 1 - level / 100;
  if (std::isnan(df)) {
    const double crit = qnorm_upper(alpha / 2);
    m.p = p_two_sided_z(m.statistic);
    m.ci_lower = est - crit * se;
    m.ci_upper = est + crit * se;
    m.df = k_nan;
  } else {
    const double crit = df > 0 ? qt_upper(alpha / 2, df) : k_nan;
    m.p = df > 0 ? p_two_sided_t(m.statistic, df) : k_nan;
    m.ci_lower = est - crit * se;
    m.ci_upper = est + crit * se;
    m.df = df;
  }
  return m;
}

// The checks pool_effects() makes before it fits.
expected<void> check_pool_input(std::span<const double> yi, std::span<const double> vi,
                                const pool_options& opt) {
  if (auto msg = opt.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (auto bad = check_effects(yi, vi); !bad) return unexpected(bad.error());
  if (yi.empty()) return fail(errc::model_too_few_studies, "no studies to pool");
  return {};
}

// pool_effects() on r.yi and r.vi, checked by check_pool_input, filling in the rest of `r` (the
// result owns its studies' data from the start, so that pool(study_table&&) can move them in
// instead of copying). On an error r.yi and r.vi are as they were.
expected<void> fit_owned(pool_result& r, const pool_options& opt, effect_measure measure,
                         std::optional<double> fixed_tau2, bool with_tau2_ci) {
  const std::span<const double> yi = r.yi;
  const std::span<const double> vi = r.vi;
  const std::size_t k = yi.size();
  const double kd = static_cast<double>(k);
  const double level = opt.level;

  r.k = k;
  r.measure = measure;
  r.level = level;
  r.options = opt;

  // ---- common effect: w = 1/v, summed as w~ = s / v, s = min v (see the file comment) -------
  double s_ce = vi[0];
  for (double x : vi) s_ce = std::min(s_ce, x);
  double sw = 0, sw2 = 0, swy = 0;  // scaled: sum w~, sum w~^2, sum w~ y
  for (std::size_t i = 0; i < k; ++i) {
    const double w = s_ce / vi[i];
    sw += w;
    sw2 += w * w;
    swy += w * yi[i];
  }
  const double mu_ce = swy / sw;
  r.common = infer(mu_ce, std::sqrt(s_ce) / std::sqrt(sw), level, k_nan);
  r.weight_common.resize(k);
  double q_scaled = 0;  // Q~ = s Q
  for (std::size_t i = 0; i < k; ++i) {
    const double w = s_ce / vi[i];
    r.weight_common[i] = 100 * w / sw;
    q_scaled += w * (yi[i] - mu_ce) * (yi[i] - mu_ce);
  }
  const double q = q_scaled / s_ce;

  // ---- heterogeneity -------------------------------------------------------------------------
  auto& h = r.heterogeneity;
  h.df = kd - 1;
  if (k >= 2) {
    h.Q = std::max(0.0, q);
    h.p = pchisq_upper(h.Q, h.df);
    h.I2 = q_scaled > 0 ? std::max(0.0, 100 * (q_scaled - h.df * s_ce) / q_scaled) : 0.0;
    h.H2 = h.Q / h.df;
    // Typical within-study variance (Higgins & Thompson 2002, eq. 9) = (k-1) / tr P at w = 1/v.
    h.typical_v = h.df * s_ce * (sw / (sw * sw - sw2));
  } else {
    // One study: metafor's convention (rma, rma.mh, rma.peto 3.8-1 at k = 1: QE = 0, QEp = 1,
    // I2 = 0, H2 = 1), so a cumulative analysis's first row or a one-study subgroup reports what
    // metafor reports. The typical within-study variance stays undefined.
    h.Q = 0;
    h.p = 1;
    h.I2 = 0;
    h.H2 = 1;
    h.typical_v = k_nan;
  }

  // ---- tau^2 ---------------------------------------------------------------------------------
  intercept_model model(yi, vi);
  double tau2 = 0;
  tau2_method used = opt.tau2;  // differs when the estimator fell back (tau2_control::fallback)
  if (fixed_tau2) {
    tau2 = *fixed_tau2;
    h.tau2_se = k_nan;
  } else if (k >= 2) {
    auto est = estimate_tau2(model, opt.tau2, opt.control);
    if (!est) return unexpected(est.error());
    tau2 = est->tau2;
    used = est->method;
    h.tau2_se = est->se;
    h.tau2_iterations = est->iterations;
    for (auto& n : est->notes) r.notes.push_back(std::move(n));
  } else {
    h.tau2_se = k_nan;
    r.notes.push_back(
        "one study: tau^2 is not estimable and set to 0; both models give the "
        "study's own estimate");
  }
  h.tau2 = tau2;
  h.tau = std::sqrt(tau2);
  if (k >= 2) {
    h.I2_tau2 = 100 * tau2 / (h.typical_v + tau2);
    h.H2_tau2 = tau2 / h.typical_v + 1;
  } else if (k == 1) {
    h.I2_tau2 = 0;  // metafor's k = 1 convention, as above
    h.H2_tau2 = 1;
  } else {
    h.I2_tau2 = h.H2_tau2 = k_nan;
  }
  if (k >= 2 && !fixed_tau2 && with_tau2_ci) {
    auto ci = qprofile_tau2_ci(model, level, opt.control);
    if (!ci) return unexpected(ci.error());
    h.tau2_ci_lower = ci->lower;
    h.tau2_ci_upper = ci->upper;
    h.tau2_ci_null_set = ci->null_set;
    h.tau_ci_lower = std::sqrt(ci->lower);
    h.tau_ci_upper = std::sqrt(ci->upper);
    h.I2_ci_lower = 100 * ci->lower / (h.typical_v + ci->lower);
    h.I2_ci_upper = 100 * ci->upper / (h.typical_v + ci->upper);
    h.H2_ci_lower = ci->lower / h.typical_v + 1;
    h.H2_ci_upper = ci->upper / h.typical_v + 1;
  } else {
    h.tau2_ci_lower = h.tau2_ci_upper = h.tau_ci_lower = h.tau_ci_upper = k_nan;
    h.I2_ci_lower = h.I2_ci_upper = h.H2_ci_lower = h.H2_ci_upper = k_nan;
  }

  // ---- random effects: w* = 1/(v + tau^2), summed as w~* = s* / (v + tau^2) ------------------
  const double s_re = s_ce + tau2;
  double swr = 0, swry = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double w = s_re / (vi[i] + tau2);
    swr += w;
    swry += w * yi[i];
  }
  const double mu_re = swry / swr;
  double se_re = std::sqrt(s_re) / std::sqrt(swr);
  r.weight_random.resize(k);
  double rss = 0;  // Q~* = s* sum w* (y - mu)^2
  for (std::size_t i = 0; i < k; ++i) {
    const double w = s_re / (vi[i] + tau2);
    r.weight_random[i] = 100 * w / swr;
    rss += w * (yi[i] - mu_re) * (yi[i] - mu_re);
  }
  auto& re = r.random;
  if (opt.ci == ci_method::hksj && k >= 2) {
    // Knapp & Hartung (2003); Sidik & Jonkman (2002): SE scaled by sqrt(q),
    // q = sum w* (y - mu)^2 / (k - 1); metafor sets q = 0 when that sum is below machine eps.
    // Scaled: sum w* (y - mu)^2 = Q~* / s*, and SE sqrt(q) = sqrt(Q~* / ((k - 1) W~*)).
    const bool zero = rss <= std::numeric_limits<double>::epsilon() * s_re;
    if (zero) {
      r.notes.push_back("HKSJ: all estimates coincide, so the scaled SE is 0 (as metafor)");
    }
    se_re = zero ? 0.0 : std::sqrt(rss / ((kd - 1) * swr));
    static_cast<model_estimate&>(re) = infer(mu_re, se_re, level, kd - 1);
  } else {
    if (opt.ci == ci_method::hksj) {
      r.notes.push_back("HKSJ needs k >= 2: with one study the Wald interval is shown");
    }
    static_cast<model_estimate&>(re) = infer(mu_re, se_re, level, k_nan);
  }
  re.method = used;
  re.ci = (opt.ci == ci_method::hksj && k >= 2) ? ci_method::hksj : ci_method::z;

  // ---- prediction interval: mu +- c sqrt(SE^2 + tau^2) ----------------------------------------
  pi_method pim = opt.pi;
  if (pim == pi_method::follow_test)
    pim = re.ci == ci_method::hksj ? pi_method::t_k1 : pi_method::z;
  re.pi = pim;
  const double alpha = 1 - level / 100;
  double crit = k_nan;
  re.pi_df = k_nan;
  switch (pim) {
    case pi_method::z:
      crit = qnorm_upper(alpha / 2);
      break;
    case pi_method::t_k1:
      re.pi_df = kd - 1;
      break;
    case pi_method::t_k2:
      re.pi_df = std::max(1.0, kd - 2);  // df floored at 1, as metafor's predtype = "Riley"
      break;
    case pi_method::none:
    case pi_method::follow_test:
      break;
  }
  if (!std::isnan(re.pi_df)) crit = re.pi_df > 0 ? qt_upper(alpha / 2, re.pi_df) : k_nan;
  const double pi_half = crit * std::hypot(re.se, std::sqrt(tau2));
  re.pi_lower = pim == pi_method::none ? k_nan : mu_re - pi_half;
  re.pi_upper = pim == pi_method::none ? k_nan : mu_re + pi_half;

  detail::choose_model(r, k);
  return {};
}

}  // namespace

namespace detail {

void choose_model(pool_result& r, std::size_t k) {
  switch (r.options.model) {
    case model_choice::common:
      r.primary = model_kind::common;
      r.model_reason = "common-effect model as requested";
      break;
    case model_choice::random:
      r.primary = model_kind::random;
      r.model_reason = "random-effects model as requested";
      break;
    case model_choice::both:
      r.primary = model_kind::random;
      r.model_reason = "both models reported; random effects listed first";
      break;
    case model_choice::auto_i2: {
      const double i2 = r.reported_i2();
      const auto def = r.options.i2 == i2_definition::q_based ? "Q-based" : "\u03c4\u00b2-based";
      if (k < 2 || std::isnan(i2)) {
        r.primary = model_kind::common;
        r.model_reason = "auto rule: one study, so the common-effect model";
      } else if (i2 < r.options.auto_i2_threshold) {
        r.primary = model_kind::common;
        r.model_reason = fmt::format(
            "auto rule: I\u00b2 ({}) = {:.1f}% is below {:g}%, so the common-effect model", def, i2,
            r.options.auto_i2_threshold);
      } else {
        r.primary = model_kind::random;
        r.model_reason = fmt::format(
            "auto rule: I\u00b2 ({}) = {:.1f}% is at least {:g}%, so the random-effects model", def,
            i2, r.options.auto_i2_threshold);
      }
      break;
    }
  }
}

}  // namespace detail

double pool_result::reported_i2() const {
  return options.i2 == i2_definition::q_based ? heterogeneity.I2 : heterogeneity.I2_tau2;
}

expected<pool_result> pool_effects(std::span<const double> yi, std::span<const double> vi,
                                   const pool_options& opt, effect_measure measure,
                                   std::optional<double> fixed_tau2, bool with_tau2_ci) {
  if (auto ok = check_pool_input(yi, vi, opt); !ok) return unexpected(ok.error());
  pool_result r;
  r.yi.assign(yi.begin(), yi.end());
  r.vi.assign(vi.begin(), vi.end());
  if (auto ok = fit_owned(r, opt, measure, fixed_tau2, with_tau2_ci); !ok) {
    return unexpected(ok.error());
  }
  return r;
}

expected<pool_result> pool(const study_table& studies, const pool_options& options) {
  auto r = pool_effects(studies.yi, studies.vi, options, studies.measure, std::nullopt);
  if (!r) return r;
  r->study = studies.study;
  r->source = studies.hr_source;
  r->measure_label = studies.measure_label;
  return r;
}

expected<pool_result> pool(study_table&& studies, const pool_options& options) {
  if (auto ok = check_pool_input(studies.yi, studies.vi, options); !ok) {
    return unexpected(ok.error());
  }
  // The estimates and variances move into the result too (no copy of 2 x 8 bytes per study),
  // and back on an error.
  pool_result r;
  r.yi = std::move(studies.yi);
  r.vi = std::move(studies.vi);
  if (auto ok = fit_owned(r, options, studies.measure, std::nullopt, true); !ok) {
    studies.yi = std::move(r.yi);
    studies.vi = std::move(r.vi);
    return unexpected(ok.error());
  }
  studies.yi.clear();
  studies.vi.clear();
  r.study = std::move(studies.study);
  r.source = std::move(studies.hr_source);
  studies.study.clear();
  studies.hr_source.clear();
  r.measure_label = studies.measure_label;
  return r;
}

expected<pool_result> pool(std::span<const double> yi, std::span<const double> vi,
                           const pool_options& options, effect_measure measure) {
  return pool_effects(yi, vi, options, measure, std::nullopt);
}

}  // namespace srma
