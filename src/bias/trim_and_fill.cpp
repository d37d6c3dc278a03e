// Trim-and-fill (Duval & Tweedie 2000a, 2000b), following metafor's trimfill.rma.uni().
//
// Orientation: effects are multiplied by s = -1 when studies are missing on the right (s = +1
// otherwise), so that the excess of observed studies is always on the right, and sorted:
// y_(1) <= ... <= y_(k). Starting from k0 = 0, each iteration
//   1. pools the k - k0 smallest effects (the k0 largest are trimmed): theta;
//   2. ranks |d_i|, d_i = y_i - theta, over all k studies (ties in input order): r_i;
//   3. estimates the number of missing studies,
//        L0 = (4 S - k (k + 1)) / (2k - 1),   S = sum of r_i over d_i > 0 (Wilcoxon),
//             SE(L0) = 4 sqrt(Var S) / (2k - 1), Var S = [k (k + 1)(2k + 1) + 10 L0^3
//             + 27 L0^2 + 17 L0 - 18 k L0^2 - 18 k L0 + 6 k^2 L0] / 24;
//        R0 = k - g - 1,   g = the largest r_i over d_i < 0 (so k - g is the run of the largest
//             ranks all on the right),   SE(R0) = sqrt(2 max(R0, 0) + 2);
//   4. k0 = max(0, L0 or R0 rounded half to even, as R), at most k - 1;
// until k0 repeats (at most 100 iterations). The k0 largest are then mirrored around theta,
// y* = s (2 theta - y_(i)) with the same v_(i), and the model is refitted on the k + k0 studies
// with Wald inference (metafor's default for the filled model).
#include "srma/bias/trim_and_fill.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "rounding.hpp"
#include "srma/bias/regression_test.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/tau2.hpp"
#include "srma/util/check.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {

std::string_view to_string(trimfill_estimator e) {
  return e == trimfill_estimator::l0 ? "L0" : "R0";
}

std::optional<trimfill_estimator> parse_trimfill_estimator(std::string_view text) {
  if (detail::iequals(text, "L0")) return trimfill_estimator::l0;
  if (detail::iequals(text, "R0")) return trimfill_estimator::r0;
  return std::nullopt;
}

std::string_view to_string(funnel_side s) { return s == funnel_side::left ? "left" : "right"; }

std::optional<funnel_side> parse_funnel_side(std::string_view text) {
  if (detail::iequals(text, "left")) return funnel_side::left;
  if (detail::iequals(text, "right")) return funnel_side::right;
  return std::nullopt;
}

expected<trimfill_result> trim_and_fill(std::span<const double> yi, std::span<const double> vi,
                                        const pool_options& options, trimfill_estimator estimator,
                                        std::optional<funnel_side> side) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  const std::size_t k = yi.size();
  if (auto ok = check_min_count("trim-and-fill", k, 3); !ok) return unexpected(ok.error());
  const bool common = options.model == model_choice::common;
  trimfill_result out;
  out.estimator = estimator;
  // Side (metafor): from the sign of the slope of the meta-regression on sqrt(vi) with the
  // model's estimator: studies are missing on the right when the slope is negative.
  if (side) {
    out.side = *side;
  } else {
    pool_options o = options;
    o.ci = ci_method::z;
    auto e = egger_test(yi, vi, o, /*mixed=*/true);
    if (!e) return unexpected(e.error());
    out.side = e->bias < 0 ? funnel_side::right : funnel_side::left;
  }
  const double sign = out.side == funnel_side::right ? -1.0 : 1.0;
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
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  // The pooled estimate of the n smallest effects, as pool_effects() computes it (the same
  // tau^2 estimate, weights scaled by s = min v + tau^2, sums in the same order), without the
  // rest of a pool_result: its heterogeneity statistics, p-values and interval were a third of
  // each iteration's time and are not used here.
  auto center = [&](std::size_t n) -> expected<double> {
    const auto yn = std::span<const double>(y).first(n);
    const auto vn = std::span<const double>(v).first(n);
    double tau2 = 0;
    if (!common && n >= 2) {
      auto est = estimate_tau2(intercept_model(yn, vn), o.tau2, o.control);
      if (!est) return unexpected(est.error());
      tau2 = est->tau2;
    }
    const double s = *std::min_element(vn.begin(), vn.end()) + tau2;
    double sw = 0, swy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double w = s / (vn[i] + tau2);
      sw += w;
      swy += w * yn[i];
    }
    return swy / sw;
  };
  const double kd = static_cast<double>(k);
  long k0 = 0, k0_prev = -1;
  double beta = 0;
  int iter = 0;
  while (k0 != k0_prev) {
    k0_prev = k0;
    if (++iter > 100) {
      return fail(errc::model_no_convergence, "trim-and-fill did not converge in 100 iterations");
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
    k0 = static_cast<long>(std::max(0.0, detail::round_half_even(est)));
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
  auto r = pool_effects(all_y, all_v, o, effect_measure::generic, std::nullopt, false);
  if (!r) return unexpected(r.error());
  out.estimate = common ? r->common : static_cast<model_estimate>(r->random);
  out.tau2 = common ? 0.0 : r->heterogeneity.tau2;
  return out;
}

}  // namespace srma
