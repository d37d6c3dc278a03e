// The Kaplan-Meier estimate (Kaplan & Meier 1958) with Greenwood's variance (Greenwood 1926),
// pointwise confidence limits, the median with its confidence interval (Brookmeyer & Crowley
// 1982) and the restricted mean survival time (Royston & Parmar 2013), each following R's
// survival package 3.5 line by line so that results agree to rounding:
//
//   times     near-ties merged as survival:::aeqSurv (detail::merge_near_ties)
//   S(t_i)    = prod_{k <= i} (1 - d_k / n_k)
//   std.err_i = sqrt(sum_{k <= i} d_k / (n_k (n_k - d_k)))      (SE of -log S; Inf once S = 0)
//   CIs       survival:::survfit_confint on the log, log-log or plain scale
//   quantiles survival:::findq (quantile.survfit): the time S first falls to p, averaged with
//             the end of the flat segment when S equals p exactly on one
//   RMST      survival:::survmean (print.survfit with rmean = tau)
#include "srma/survival/kaplan_meier.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_set>
#include <utility>

#include "risk_sets_detail.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<std::pair<km_conf_type, std::string_view>, 3> k_conf_types = {{
    {km_conf_type::log, "log"},
    {km_conf_type::log_log, "log-log"},
    {km_conf_type::plain, "plain"},
}};

// survival:::survfit_confint(p, se, logse = TRUE, conf.type, conf.int): NaN where R gives NA or
// NaN.
std::pair<double, double> confint(double p, double se, double z, km_conf_type type) {
  switch (type) {
    case km_conf_type::plain: {
      const double se2 = se * p * z;  // Inf * 0 = NaN once S = 0, as in R
      if (std::isnan(se2)) return {nan, nan};
      return {std::max(p - se2, 0.0), std::min(p + se2, 1.0)};
    }
    case km_conf_type::log: {
      if (p == 0) return {nan, nan};
      const double se2 = z * se;
      return {std::exp(std::log(p) - se2), std::min(std::exp(std::log(p) + se2), 1.0)};
    }
    case km_conf_type::log_log: {
      if (p == 0 || p == 1) return {nan, nan};
      const double se2 = z * se / std::log(p);
      const double ll = std::log(-std::log(p));
      return {std::exp(-std::exp(ll - se2)), std::exp(-std::exp(ll + se2))};
    }
  }
  return {nan, nan};
}

// R's approx(x, y, v, method = "constant", f = 1, rule = 1) for a single v, with NaN pairs
// already removed and x sorted: y at an exact knot, the right neighbour's y strictly between
// knots, nothing outside [x_min, x_max].
std::optional<std::size_t> approx_right(const std::vector<std::pair<double, std::size_t>>& xy,
                                        double v) {
  if (xy.empty() || v < xy.front().first || v > xy.back().first) return std::nullopt;
  // First knot with x >= v: an exact match, or the right end of the interval holding v.
  auto it = std::lower_bound(xy.begin(), xy.end(), v,
                             [](const auto& knot, double value) { return knot.first < value; });
  return it->second;
}

// survival:::findq(x, y, p, tol) for one p in (0, 1): the quantile of a curve given as
// x = (0, time...) and y = (0, 1 - S...), where y may hold NaN (R's NA) and, for a CI limit,
// need not be monotone.
double findq(const std::vector<double>& x, const std::vector<double>& y, double p, double tol) {
  double ymax = -std::numeric_limits<double>::infinity();
  for (double v : y)
    if (!std::isnan(v)) ymax = std::max(ymax, v);
  if (ymax < p) return nan;
  const double xmax = x.back();

  // duplicated(y): keep the first of equal values (all NaN count as one value). A hash set
  // keeps this O(n) (the CI limits need not be monotone, so equal values need not be adjacent).
  std::vector<double> xs;
  std::vector<double> ys;
  std::unordered_set<double> seen;
  seen.reserve(y.size());
  bool seen_nan = false;
  for (std::size_t i = 0; i < y.size(); ++i) {
    bool dup = false;
    if (std::isnan(y[i])) {
      dup = seen_nan;
      seen_nan = true;
    } else {
      dup = !seen.insert(y[i]).second;
    }
    if (dup) continue;
    xs.push_back(x[i]);
    ys.push_back(y[i]);
  }
  const std::size_t n = ys.size();

  // approx() drops NaN pairs and sorts by its x argument (y +- tol), carrying the index.
  auto knots = [&](double shift) {
    std::vector<std::pair<double, std::size_t>> k;
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(ys[i])) k.emplace_back(ys[i] + shift, i);
    std::stable_sort(k.begin(), k.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return k;
  };
  const auto i1 = approx_right(knots(tol), p);
  const auto i2 = approx_right(knots(-tol), p);
  double quant = (i1 && i2) ? (xs[*i1] + xs[*i2]) / 2 : nan;
  // A curve that ends on a flat segment at exactly p: the midpoint of that segment's start and
  // the last time.
  if (!std::isnan(ys[n - 1]) && std::fabs(p - ys[n - 1]) < tol) {
    quant = i1 ? (xs[*i1] + xmax) / 2 : nan;
  }
  return quant;
}

}  // namespace

std::string_view to_string(km_conf_type t) {
  for (const auto& [e, name] : k_conf_types)
    if (e == t) return name;
  return "log";
}

std::optional<km_conf_type> parse_km_conf_type(std::string_view text) {
  text = detail::trim(text);
  for (const auto& [e, name] : k_conf_types)
    if (detail::iequals(name, text)) return e;
  if (detail::iequals(text, "log_log") || detail::iequals(text, "loglog")) {
    return km_conf_type::log_log;
  }
  return std::nullopt;
}

std::string km_options::validate() const {
  if (!(level > 0 && level < 1)) {
    return fmt::format("the CI level is {}, but must lie strictly between 0 and 1 (e.g. 0.95)",
                       level);
  }
  if (conf_type != km_conf_type::log && conf_type != km_conf_type::log_log &&
      conf_type != km_conf_type::plain) {
    return fmt::format("conf_type is {}, but must be log, log-log or plain",
                       static_cast<int>(conf_type));
  }
  return {};
}

double km_curve::survival_at(double t) const {
  if (std::isnan(t)) return nan;
  // Last listed time <= t (the curve is right-continuous).
  auto it = std::upper_bound(time.begin(), time.end(), t);
  if (it == time.begin()) return 1.0;
  return surv[static_cast<std::size_t>(it - time.begin()) - 1];
}

expected<km_curve> kaplan_meier(std::span<const double> time, std::span<const int> event,
                                const km_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::survival_bad_options, "kaplan_meier: " + msg);
  }
  if (auto ok = detail::check_times_events("kaplan_meier", time, event); !ok) {
    return unexpected(ok.error());
  }
  if (time.empty()) return fail(errc::survival_bad_ipd, "kaplan_meier: no patients");

  const std::size_t n = time.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });

  std::vector<double> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = time[order[i]];
  detail::merge_near_ties(sorted);  // as survfit's timefix = TRUE

  km_curve c;
  c.options = options;
  c.n = static_cast<double>(n);
  const double z = detail::qnorm_upper((1 - options.level) / 2);
  double at_risk = c.n;
  double s = 1;
  double greenwood = 0;
  for (std::size_t i = 0; i < n;) {
    const double t = sorted[i];
    double d = 0;
    double cens = 0;
    std::size_t j = i;
    for (; j < n && sorted[j] == t; ++j) (event[order[j]] == 1 ? d : cens) += 1;
    if (d > 0) {
      s *= 1 - d / at_risk;
      greenwood +=
          at_risk > d ? d / (at_risk * (at_risk - d)) : std::numeric_limits<double>::infinity();
    }
    const double se = std::sqrt(greenwood);
    const auto [lo, hi] = confint(s, se, z, options.conf_type);
    c.time.push_back(t);
    c.n_risk.push_back(at_risk);
    c.n_event.push_back(d);
    c.n_censor.push_back(cens);
    c.surv.push_back(s);
    c.std_err.push_back(se);
    c.lower.push_back(lo);
    c.upper.push_back(hi);
    c.events += d;
    at_risk -= d + cens;
    i = j;
  }

  // quantile.survfit(fit, 0.5): x = (start.time = 0, time), y = (0, 1 - S) and the same with
  // the CI limits (the lower limit of S gives the lower limit of the median).
  const double tol = std::sqrt(DBL_EPSILON);
  std::vector<double> x(c.time.size() + 1);
  std::vector<double> y_est(x.size());
  std::vector<double> y_lower(x.size());
  std::vector<double> y_upper(x.size());
  x[0] = 0;
  y_est[0] = y_lower[0] = y_upper[0] = 0;
  for (std::size_t i = 0; i < c.time.size(); ++i) {
    x[i + 1] = c.time[i];
    y_est[i + 1] = 1 - c.surv[i];
    y_lower[i + 1] = 1 - c.lower[i];
    y_upper[i + 1] = 1 - c.upper[i];
  }
  c.median.estimate = findq(x, y_est, 0.5, tol);
  c.median.lower = findq(x, y_lower, 0.5, tol);
  c.median.upper = findq(x, y_upper, 0.5, tol);
  return c;
}

expected<rmst_result> restricted_mean(const km_curve& curve, double tau) {
  if (!(std::isfinite(tau) && tau > 0)) {
    return fail(errc::survival_bad_options,
                fmt::format("restricted_mean: tau is {}, but must be a finite number > 0", tau));
  }
  // survival:::survmean with start.time 0 and end.time = tau: the curve is cut at tau, or
  // carried on flat from its last time to tau. rectangles r_i = (t_i - t_{i-1}) S(t_{i-1}) over
  // (0, times <= tau, tau); the variance sums, over each listed time t_j <= tau, the area under
  // the curve from t_j to tau squared times d_j / (n_j (n_j - d_j)) (0 when n_j = d_j).
  std::vector<double> t_cut;
  std::vector<double> s_cut;
  std::vector<double> hh;
  for (std::size_t i = 0; i < curve.time.size() && curve.time[i] <= tau; ++i) {
    t_cut.push_back(curve.time[i]);
    s_cut.push_back(curve.surv[i]);
    const double n = curve.n_risk[i];
    const double d = curve.n_event[i];
    hh.push_back(n - d == 0 ? 0.0 : d / (n * (n - d)));
  }
  rmst_result r;
  r.tau = tau;
  if (t_cut.empty()) {  // tau before the first listed time: S = 1 on [0, tau]
    r.rmst = tau;
    r.se = 0;
    return r;
  }
  // Areas of the rectangles after each listed time: rect[k] spans (t_{k-1}, t_k] at height
  // S(t_{k-1}), with the final one (t_last, tau].
  const std::size_t m = t_cut.size();
  double area = t_cut[0];  // [0, t_1] at S = 1
  double tail = 0;         // area from t_j to tau, built backwards
  double var = 0;
  std::vector<double> rect(m);  // rect[j]: (t_j, t_{j+1}] at S(t_j), t_{m} = tau
  for (std::size_t j = 0; j < m; ++j) {
    const double next = j + 1 < m ? t_cut[j + 1] : tau;
    rect[j] = (next - t_cut[j]) * s_cut[j];
    area += rect[j];
  }
  for (std::size_t j = m; j-- > 0;) {
    tail += rect[j];
    var += tail * tail * hh[j];
  }
  r.rmst = area;
  r.se = std::sqrt(var);
  return r;
}

}  // namespace srma
