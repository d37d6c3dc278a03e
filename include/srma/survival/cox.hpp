// File: srma/survival/cox.hpp
//
// The two-arm Cox proportional hazards model (one binary covariate: 1 = treatment arm), fitted by
// Newton-Raphson on the partial likelihood with Efron (R's default) or Breslow handling of tied
// event times, with the Wald CI of the hazard ratio and the Wald, likelihood-ratio and score
// tests, as R's survival::coxph(Surv(time, event) ~ arm, ties = ...) reports them. The equations
// for one binary covariate are in docs/methods.md ("Cox model and log-rank test"); they cost
// O(n log n) for the sort and O(n) per iteration.
//
// Example:
//
//   auto d = srma::read_ipd("ipd.csv");
//   auto fit = srma::cox_two_arm(*d, *d->arm_index("Pembro"), *d->arm_index("Placebo"));
//   if (fit) fmt::print("HR {:.4f} ({:.4f}-{:.4f})\n", fit->hr, fit->ci_lower, fit->ci_upper);
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "srma/survival/ipd.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// How tied event times enter the partial likelihood.
enum class cox_ties { efron, breslow };
[[nodiscard]] std::string_view to_string(cox_ties t);  ///< "efron", "breslow"
[[nodiscard]] std::optional<cox_ties> parse_cox_ties(std::string_view text);

struct cox_options {
  cox_ties ties = cox_ties::efron;
  double level = 0.95;       ///< Level of the Wald CI, in (0, 1).
  int max_iter = 30;         ///< Newton-Raphson iterations (R: iter.max 20 by default).
  double tolerance = 1e-10;  ///< Stop when the relative change in log-likelihood is below it.
  [[nodiscard]] std::string validate() const;  ///< "" when usable.
};

struct cox_result {
  double loghr = 0;  ///< ln HR, treatment vs control.
  double se = 0;     ///< SE from the observed information at the estimate.
  double hr = 0;
  double ci_lower = 0;  ///< Wald CI of the HR at options.level.
  double ci_upper = 0;
  double wald_chisq = 0, wald_p = 0;    ///< (loghr / se)^2 on 1 df.
  double lr_chisq = 0, lr_p = 0;        ///< 2 (loglik - loglik0).
  double score_chisq = 0, score_p = 0;  ///< U(0)^2 / I(0) (the log-rank test under Breslow,
                                        ///< without the (n - d)/(n - 1) factor).
  double loglik0 = 0;                   ///< Partial log-likelihood at beta = 0.
  double loglik = 0;                    ///< ... at the estimate.
  int iterations = 0;
  std::size_t n = 0;       ///< Patients in the two arms.
  std::size_t events = 0;  ///< Events in the two arms.
  cox_options options;
};

/// Fits the Cox model to the patients of `treatment` and `control` (other arms are ignored).
/// Errors: srma.survival.E902 (an arm index out of range or the two the same),
/// srma.survival.E903 (no events in one arm, or none at all, or no event of one arm while the
/// other arm still has patients at risk: the estimate is infinite or undefined),
/// srma.survival.E901 (patient data with a bad time, event or arm index), srma.survival.E906
/// (no convergence), srma.survival.E907 (options). Times within sqrt(DBL_EPSILON) of each other
/// are tied, as in R (survival:::aeqSurv).
[[nodiscard]] expected<cox_result> cox_two_arm(const survival_data& data, std::size_t treatment,
                                               std::size_t control,
                                               const cox_options& options = {});

}  // namespace srma
