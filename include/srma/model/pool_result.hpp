// File: srma/model/pool_result.hpp
//
// The result of pooling: per-study weights, the common-effect and random-effects estimates, the
// prediction interval and the heterogeneity statistics. Numbers are on the analysis scale (log
// for ratio measures); `to_display()` in effect_size.hpp back-transforms them. Undefined values
// (e.g. I^2 with one study) are NaN and print as "NA" / JSON null.
//
// Example:
//
//   auto r = srma::pool(studies, opts);
//   if (r) fmt::print("{}", srma::full_report(*r));
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/model/pool_options.hpp"

namespace srma {

/// A pooled mean with its inference.
struct model_estimate {
  double estimate = 0;
  double se = 0;
  double ci_lower = 0;
  double ci_upper = 0;
  double statistic = 0;  ///< z, or t under HKSJ.
  double p = 0;          ///< Two-sided p-value.
  double df = 0;         ///< Degrees of freedom of a t statistic; NaN for z.
};

/// The random-effects mean, plus how it was obtained and the prediction interval.
struct random_estimate : model_estimate {
  tau2_method method = tau2_method::reml;
  ci_method ci = ci_method::z;
  pi_method pi = pi_method::follow_test;  ///< As resolved (never follow_test after pooling).
  double pi_lower = 0;                    ///< NaN when pi_method::none.
  double pi_upper = 0;
  double pi_df = 0;  ///< t degrees of freedom of the PI; NaN for z.
};

/// Heterogeneity statistics. Q, I2 and H2 are Cochran's Q-based; *_tau2 are metafor's.
struct heterogeneity_stats {
  double Q = 0;          ///< Cochran's Q (inverse-variance weights).
  double df = 0;         ///< k - 1.
  double p = 0;          ///< P(chi2_df > Q).
  double I2 = 0;         ///< max(0, (Q - df)/Q) in percent.
  double H2 = 0;         ///< Q / df.
  double I2_tau2 = 0;    ///< 100 tau^2 / (tau^2 + v~), v~ = (k-1) sum w / ((sum w)^2 - sum w^2).
  double H2_tau2 = 0;    ///< (tau^2 + v~) / v~.
  double typical_v = 0;  ///< v~ (Higgins & Thompson 2002, eq. 9).
  double tau2 = 0;
  double tau2_se = 0;
  double tau = 0;
  double tau2_ci_lower = 0, tau2_ci_upper = 0;  ///< Q-profile CI.
  double tau_ci_lower = 0, tau_ci_upper = 0;
  double I2_ci_lower = 0, I2_ci_upper = 0;  ///< tau^2-based I^2 at the tau^2 bounds (metafor).
  double H2_ci_lower = 0, H2_ci_upper = 0;
  bool tau2_ci_null_set = false;  ///< Q(0) below the lower chi-square quantile.
  int tau2_iterations = 0;
};

/// Which model the results lead with.
enum class model_kind { common, random };

/// "common" or "random".
[[nodiscard]] inline std::string_view to_string(model_kind m) {
  return m == model_kind::common ? "common" : "random";
}
/// Parses "common" or "random" (exact, lower case).
[[nodiscard]] inline std::optional<model_kind> parse_model_kind(std::string_view text) {
  if (text == "common") return model_kind::common;
  if (text == "random") return model_kind::random;
  return std::nullopt;
}

struct pool_result {
  std::size_t k = 0;
  effect_measure measure = effect_measure::generic;
  double level = 95;
  pool_options options;  ///< The options used (after resolving defaults).

  /// Name of a generic effect (GEN) in reports and figures (study_table::measure_label, e.g.
  /// "log response ratio"); "" for "effect".
  std::string measure_label;
  std::vector<std::string> study;
  /// How each study's estimate was obtained, for hazard ratios (an hr_method name: "ci",
  /// "p_value", "km_reconstruction", ...; study_table::hr_source); empty for other input.
  std::vector<std::string> source;
  std::vector<double> yi, vi;
  std::vector<double> weight_common;  ///< Percent, sums to 100.
  std::vector<double> weight_random;  ///< Percent, sums to 100.

  model_estimate common;
  random_estimate random;
  heterogeneity_stats heterogeneity;

  /// How the common-effect estimate and its weights were computed (options.method when the input
  /// had 2x2 counts, else inverse variance). Under Mantel-Haenszel and Peto, Q, I^2 and H^2 are
  /// those about the MH or Peto estimate (rma.mh, rma.peto, RevMan 5).
  pooling_method method = pooling_method::inverse_variance;
  /// Mantel-Haenszel odds ratio only (else NaN): the Cochran-Mantel-Haenszel test (1 df, with
  /// continuity correction) and Tarone's test of homogeneity of the odds ratios.
  double cmh = std::numeric_limits<double>::quiet_NaN();
  double cmh_p = std::numeric_limits<double>::quiet_NaN();
  double tarone = std::numeric_limits<double>::quiet_NaN();
  double tarone_df = std::numeric_limits<double>::quiet_NaN();
  double tarone_p = std::numeric_limits<double>::quiet_NaN();

  model_kind primary = model_kind::random;  ///< The model summaries lead with.
  std::string model_reason;                 ///< Why (the `auto` rule's reasoning, or the option).
  std::vector<std::string> notes;           ///< Warnings and remarks for the user.

  /// The estimate of the primary model.
  [[nodiscard]] const model_estimate& primary_estimate() const {
    return primary == model_kind::common ? common : static_cast<const model_estimate&>(random);
  }
  /// The I^2 chosen by options.i2.
  [[nodiscard]] double reported_i2() const;
};

}  // namespace srma
