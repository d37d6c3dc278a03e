// Influence diagnostics and Baujat coordinates for the intercept-only model, following metafor's
// influence.rma.uni() and baujat.rma() (Viechtbauer & Cheung 2010; Baujat et al. 2002).
//
// With mu the full fit, mu_(-i), tau2_(-i), Var(mu_(-i)) and s2w_(-i) (the Knapp-Hartung factor,
// 1 under Wald inference) from the fit without study i, and h_i = w_i / sum w the hat value:
//   rstudent_i = (y_i - mu_(-i)) / sqrt(s2w_(-i) (v_i + tau2_(-i)) + Var(mu_(-i)))
//   DFFITS_i   = (mu - mu_(-i)) / sqrt(s2w_(-i) h_i (tau2_(-i) + v_i))
//   DFBETAS_i  = (mu - mu_(-i)) / sqrt(s2w_(-i) / sum_j 1/(v_j + tau2_(-i)))   (all k studies)
//   Cook's D_i = (mu - mu_(-i))^2 / Var(mu),   covratio_i = Var(mu_(-i)) / Var(mu).
#include "srma/sensitivity/influence.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "loo_fast.hpp"
#include "refit.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"

namespace srma {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

expected<influence_result> influence(const study_table& studies, const pool_options& options) {
  const std::size_t k = studies.k();
  if (k < 2) {
    return fail(errc::model_too_few_studies,
                fmt::format("influence diagnostics need at least 2 studies (k = {})", k));
  }
  auto full = pool(studies, options);
  if (!full) return unexpected(full.error());
  influence_result out;
  out.model = detail::refit_model(*full);
  out.full = std::move(*full);
  const bool common = out.model == model_kind::common;
  const model_estimate& fe =
      common ? out.full.common : static_cast<const model_estimate&>(out.full.random);
  const double mu = fe.estimate;
  const double var_mu = fe.se * fe.se;
  const double tau2 = common ? 0.0 : out.full.heterogeneity.tau2;
  const auto& weights = common ? out.full.weight_common : out.full.weight_random;
  const bool hksj = !common && out.full.random.ci == ci_method::hksj;
  const double kd = static_cast<double>(k);

  out.studies.resize(k);
  std::vector<std::optional<error>> errors(k);
  std::vector<std::vector<std::string>> fallback_notes(k);
  // The fits without one study from updated sums where that is exact (loo_fast.hpp); a study it
  // declines gets the plain refit.
  const detail::loo_fitter fitter(studies.yi, studies.vi, options, out.model, tau2);
  // Threads pay off for plain refits from 64 studies, for the fits from sums (a few microseconds
  // each below a thousand studies) only from a thousand.
  const std::size_t min_parallel = fitter.usable() ? 1000 : 64;
  detail::parallel_for(
      k,
      [&](std::size_t i) {
        study_influence& s = out.studies[i];
        s.study = studies.study[i];
        s.weight = weights[i];
        s.hat = weights[i] / 100;  // h_i = w_i / sum w for the intercept-only model
        s.baujat_x = (studies.yi[i] - mu) * (studies.yi[i] - mu) / (tau2 + studies.vi[i]);
        double tau2_del = 0, q_del = 0, mu_del = 0, var_del = 0;
        double sw_del = 0;  // sum over the other studies of 1/(v_j + tau2_del)
        if (auto f = fitter.usable() ? fitter.fit(i) : std::nullopt) {
          tau2_del = f->tau2;
          q_del = f->Q;
          mu_del = f->estimate.estimate;
          var_del = f->estimate.se * f->estimate.se;
          sw_del = f->sum_w;
        } else {
          std::vector<double> y, v;
          detail::all_but(studies.yi, studies.vi, i, y, v);
          // The common-effect model needs no tau^2 (fixed at 0, so no iteration can fail).
          auto r = pool_effects(y, v, options, effect_measure::generic,
                                common ? std::optional<double>(0.0) : std::nullopt, false);
          if (!r) {
            // metafor: the diagnostics of a study whose deletion fit fails are NA.
            errors[i] = r.error();
            s.fitted = false;
            s.rstudent = s.dffits = s.cook_d = s.cov_r = s.tau2_del = s.QE_del = s.dfbetas = k_nan;
            s.baujat_y = k_nan;
            // metafor's flag is NA | (hat > 3p/k): TRUE only through the hat value.
            s.influential = s.hat > 3 / kd;
            return;
          }
          if (!common && r->random.method != options.tau2) fallback_notes[i] = r->notes;
          const model_estimate& e =
              common ? r->common : static_cast<const model_estimate&>(r->random);
          tau2_del = common ? 0.0 : r->heterogeneity.tau2;
          q_del = r->heterogeneity.Q;
          mu_del = e.estimate;
          var_del = e.se * e.se;  // includes the KH factor under HKSJ
          for (double vj : v) sw_del += 1 / (vj + tau2_del);
        }
        // s2w of the fit without i: its KH-scaled variance over its unscaled one (1 under Wald).
        double s2w = 1;
        if (hksj && k - 1 >= 2) s2w = var_del * sw_del;
        const double vi = studies.vi[i];
        s.tau2_del = tau2_del;
        s.QE_del = q_del;
        double resid = studies.yi[i] - mu_del;
        if (std::fabs(resid) < 100 * std::numeric_limits<double>::epsilon()) resid = 0;
        s.rstudent = resid / std::sqrt(vi * s2w + var_del + tau2_del * s2w);
        s.dffits = (mu - mu_del) / std::sqrt(s2w * s.hat * (tau2_del + vi));
        const double sw_all = sw_del + 1 / (vi + tau2_del);
        s.dfbetas = (mu - mu_del) / std::sqrt(s2w / sw_all);
        s.cook_d = (mu - mu_del) * (mu - mu_del) / var_mu;
        s.cov_r = var_del / var_mu;
        s.baujat_y = (mu_del - mu) * (mu_del - mu) / var_del;
        // metafor's flags (p = 1 coefficient, m = 1 tested).
        s.influential = std::fabs(s.dffits) > 3 * std::sqrt(1 / (kd - 1)) ||
                        detail::pchisq_lower(s.cook_d, 1) > 0.5 || s.hat > 3 / kd ||
                        std::fabs(s.dfbetas) > 1;
      },
      min_parallel);
  for (std::size_t i = 0; i < k; ++i) {
    if (!out.studies[i].fitted) ++out.failed;
    if (auto n =
            detail::refit_note(fmt::format("without '{}' (row {})", out.studies[i].study, i + 1),
                               errors[i], !fallback_notes[i].empty(), fallback_notes[i])) {
      out.notes.push_back(std::move(*n));
    }
  }
  return out;
}

}  // namespace srma
