// File: srma/survival/kaplan_meier.hpp
//
// The Kaplan-Meier estimate of one arm's survival curve with Greenwood standard errors and
// pointwise confidence limits, the median survival with its confidence interval, survival at a
// given time and the restricted mean survival time (RMST). Every number follows R's survival
// package (survfit with its defaults conf.type = "log", conf.int = 0.95; print(fit, rmean = tau)
// for the RMST and its SE; quantile rules of survival:::quantile.survfit), so results can be
// compared with R to 1e-6.
//
// Example:
//
//   auto km = srma::kaplan_meier(sample.time, sample.event);
//   if (km) fmt::print("median {} ({}-{})\n", km->median.estimate, km->median.lower,
//                      km->median.upper);
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma {

/// Scale on which the pointwise CI of S(t) is built (R's conf.type).
enum class km_conf_type {
  log,      ///< exp(log S +- z se(log S)), upper limit capped at 1 (R's default)
  log_log,  ///< on log(-log S)
  plain,    ///< S +- z S se(log S), clipped to [0, 1]
};
[[nodiscard]] std::string_view to_string(km_conf_type t);  ///< "log", "log-log", "plain"
[[nodiscard]] std::optional<km_conf_type> parse_km_conf_type(std::string_view text);

struct km_options {
  double level = 0.95;  ///< Level of the pointwise CIs and of the median's CI, in (0, 1).
  km_conf_type conf_type = km_conf_type::log;
  [[nodiscard]] std::string validate() const;  ///< "" when usable.
};

/// A quantity with its confidence limits; NaN where R prints NA (e.g. a median not reached).
struct estimate_ci {
  double estimate = 0;
  double lower = 0;
  double upper = 0;
};

/// The curve at every distinct time in the data (events or censorings), as R's survfit lists it.
struct km_curve {
  std::vector<double> time;      ///< Distinct times, increasing.
  std::vector<double> n_risk;    ///< At risk just before time[i].
  std::vector<double> n_event;   ///< Events at time[i].
  std::vector<double> n_censor;  ///< Censored at time[i].
  std::vector<double> surv;      ///< S(time[i]) (right-continuous).
  std::vector<double> std_err;   ///< Greenwood SE of -log S (R's fit$std.err).
  std::vector<double> lower;     ///< Pointwise CI of S (NaN where undefined, as R's NA).
  std::vector<double> upper;
  double n = 0;        ///< Patients.
  double events = 0;   ///< Total events.
  estimate_ci median;  ///< Median survival and its CI (quantile.survfit rules).
  km_options options;

  /// S(t): 1 before the first time, the step function after (right-continuous).
  [[nodiscard]] double survival_at(double t) const;
};

/// Kaplan-Meier estimate for one sample. Errors: srma.survival.E901 (lengths differ, a time
/// not finite or negative, an event not 0 or 1, no patients), srma.survival.E907 (options).
[[nodiscard]] expected<km_curve> kaplan_meier(std::span<const double> time,
                                              std::span<const int> event,
                                              const km_options& options = {});

/// The restricted mean survival time to `tau`: the area under S(t) on [0, tau], with its SE as R
/// prints it (print.survfit with rmean = tau: the SE uses the d / (n (n - d)) terms of the
/// events up to tau, as survival:::survmean does). Errors: srma.survival.E907 (tau not > 0).
struct rmst_result {
  double tau = 0;
  double rmst = 0;
  double se = 0;
};
[[nodiscard]] expected<rmst_result> restricted_mean(const km_curve& curve, double tau);

}  // namespace srma
