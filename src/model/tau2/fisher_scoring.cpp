// Fisher scoring for ML and REML (Harville 1977; Raudenbush 2009; metafor's rma.uni):
//   ML:   step = (y'PPy - tr W) / tr W^2
//   REML: step = (y'PPy - tr P) / tr PP
// with P at w* = 1/(v + tau^2). As in metafor, every step is multiplied by control.step_adj
// (metafor's `stepadj`) and halved while it would make tau^2 negative. Unlike metafor, the step
// is also halved for good when the iteration oscillates: plain Fisher scoring overshoots the root
// when the expected information (tr PP / 2 for REML) understates the slope of the score, and
// when each step overshoots by about as much as the iterate was away, the oscillation grows
// (dat.nielweise2007, first 8 studies: 0.0509, 0.0529, 0.0507, 0.0532, ... around 0.051895) or
// dies out over hundreds of iterations (the same studies regressed on their sample size, in
// 3291 of the 40,320 orders of an exact permutation test). Two successive steps of opposite
// sign, the second more than half as long as the first, are that oscillation; halving the
// multiplier makes the map tau^2 -> tau^2 + step a fast contraction again, as metafor's
// `stepadj = 0.5` does by hand (those 40,320 fits then take 5.3 iterations on average, at most
// 15). The root is the same whatever the multiplier, so the converged value does not depend on
// the halvings.
#include "fisher_scoring.hpp"

#include <fmt/format.h>

#include <cmath>

#include "srma/util/error_ids.hpp"

namespace srma::detail {

namespace {

// The smallest step multiplier the oscillation rule goes down to (2^-20): well below what any
// data set has needed, and large enough that convergence is still reached within max_iter.
constexpr double k_min_step_adj = 0x1p-20;

}  // namespace

expected<tau2_estimate> fisher_scoring(const linear_model& m, bool reml, const tau2_control& c) {
  auto start = estimate_he(m);
  double tau2 = std::max(0.0, start->tau2);
  const double scale = m.typical_v();
  tau2_estimate e;
  e.method = reml ? tau2_method::reml : tau2_method::ml;
  double adj = c.step_adj;
  double previous = 0;  // the previous full Fisher step (before the multiplier)
  bool converged = false;
  for (int it = 1; it <= c.max_iter; ++it) {
    const auto st = m.at(tau2);
    double full = reml ? (st.ypp_y - st.tr_p) / st.tr_pp : (st.ypp_y - st.sum_a) / st.sum_a2;
    if (!std::isfinite(full)) full = 0;
    // Oscillation: the step changed sign and is more than half as long as the one before, so
    // halve the multiplier (for this step and every later one).
    if (full * previous < 0 && std::fabs(full) > 0.5 * std::fabs(previous) &&
        adj > k_min_step_adj) {
      adj /= 2;
      ++e.step_halvings;
    }
    previous = full;
    double step = adj * full;
    while (tau2 + step < 0) step /= 2;  // metafor: keep tau^2 >= tau2.min = 0
    tau2 += step;
    e.iterations = it;
    // The step before the multiplier: a small multiplier must not make a step look converged.
    if (std::fabs(step) <= c.rel_tol * (tau2 + scale) * adj) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    return fail(errc::model_no_convergence,
                fmt::format("Fisher scoring for {} did not converge in {} iteration{} (step "
                            "multiplier {:g} after {} halving{})",
                            reml ? "REML" : "ML", c.max_iter, c.max_iter == 1 ? "" : "s", adj,
                            e.step_halvings, e.step_halvings == 1 ? "" : "s"));
  }
  // The likelihood can have its maximum on the boundary while scoring stops at a stationary
  // point inside; metafor compares with tau^2 = 0 and takes 0 when that is higher.
  if (tau2 > 0) {
    const double ll0 = m.log_likelihood(0.0, reml);
    const double ll = m.log_likelihood(tau2, reml);
    if (ll0 - ll > 1e-10 * (1 + std::fabs(ll))) {
      e.notes.push_back(fmt::format(
          "{} stopped at a local maximum (tau^2 = {:.6g}); the likelihood is higher at 0, so "
          "tau^2 = 0",
          reml ? "REML" : "ML", tau2));
      e.at_zero_by_ll_check = true;
      tau2 = 0;
    }
  }
  e.tau2 = tau2;
  const auto st = m.at(tau2);
  // SE from the Fisher information: ML sqrt(2 / sum w*^2), REML sqrt(2 / tr PP).
  e.se = reml ? std::sqrt(2 / st.tr_pp) : std::sqrt(2 / st.sum_a2);
  return e;
}

}  // namespace srma::detail
