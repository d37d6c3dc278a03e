// File: srma/model/pool_options.hpp
//
// How to pool: which models, which tau^2 estimator, which CI for the mean, which prediction
// interval, which I^2 definition drives summaries and the `auto` model rule, and the CI level.
// `preset_options()` returns the defaults of metafor, meta and RevMan 5 (docs/presets.md).
//
// Example:
//
//   srma::pool_options o = srma::preset_options(srma::preset::metafor);
//   o.ci = srma::ci_method::hksj;
//   if (auto msg = o.validate(); !msg.empty()) fmt::print(stderr, "{}\n", msg);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "srma/model/tau2.hpp"

namespace srma {

/// Which model(s) to report.
enum class model_choice {
  common,   ///< Common-effect (fixed-effect, inverse-variance) model only.
  random,   ///< Random-effects model only.
  both,     ///< Both, random effects first in summaries.
  auto_i2,  ///< The seed review's rule: common effect when I^2 < threshold, else random effects.
};

/// Inference for the random-effects mean.
enum class ci_method {
  z,     ///< Wald-type: normal quantiles (metafor test = "z"; meta "classic"; RevMan).
  hksj,  ///< Hartung-Knapp-Sidik-Jonkman (Hartung & Knapp 2001; Sidik & Jonkman 2002): scaled
         ///< SE and t(k-1) (metafor test = "knha"); in meta-regression Knapp & Hartung 2003.
};

/// Distribution of the prediction interval mu +- c sqrt(SE^2 + tau^2).
enum class pi_method {
  follow_test,  ///< metafor: z under Wald inference, t(k-1) under HKSJ.
  z,            ///< Normal quantile.
  t_k1,         ///< t(k-1) (meta >= 8.0 default; Veroniki et al. 2019).
  t_k2,         ///< t(k-2) (Higgins, Thompson & Spiegelhalter 2009; Riley et al. 2011).
  none,         ///< Do not report one (RevMan 5).
};

/// Definition of I^2 used in summaries and by the `auto` rule (both are always reported).
enum class i2_definition {
  q_based,     ///< (Q - df)/Q (Higgins & Thompson 2002; meta, RevMan 5).
  tau2_based,  ///< tau^2/(tau^2 + typical v) (metafor, Stata).
};

/// Named default sets reproducing another tool's default output.
enum class preset { srma, metafor, meta, revman5 };

/// How the common-effect estimate is computed (srma/model/pool_2x2.hpp). Mantel-Haenszel and
/// Peto need 2x2 counts; every other input is pooled by inverse variance.
enum class pooling_method {
  inverse_variance,  ///< "iv": weights 1/v_i of the studies' estimates (metafor rma.uni).
  mantel_haenszel,   ///< "mh": Mantel-Haenszel OR, RR or RD (RevMan 5's default for 2x2 data).
  peto,              ///< "peto": Peto's one-step odds ratio.
};

/// Whose rules decide the zero cells and double-zero tables of the Mantel-Haenszel sums
/// (srma/model/mantel_haenszel.hpp: mh_options_metafor, mh_options_revman5).
enum class count_convention {
  metafor,  ///< rma.mh: exact sums, double-zero tables kept in the sums, Sato's RD variance.
  revman5,  ///< RevMan 5: 0.5 added to tables with a zero, "not estimable" tables left out,
            ///< Greenland-Robins RD variance; DerSimonian-Laird tau^2 from the MH-based Q.
};

struct pool_options {
  model_choice model = model_choice::both;
  tau2_method tau2 = tau2_method::reml;
  ci_method ci = ci_method::z;
  pi_method pi = pi_method::t_k1;
  i2_definition i2 = i2_definition::q_based;
  double level = 95;              ///< Confidence level in percent, for every interval.
  double auto_i2_threshold = 20;  ///< Percent; `auto` picks random effects when I^2 >= this.
  bool common_tau2 = false;       ///< Subgroups: one tau^2 across subgroups (else one each).
  /// Common-effect method for 2x2 counts (pool_2x2); inverse variance for every other input.
  pooling_method method = pooling_method::inverse_variance;
  count_convention counts = count_convention::metafor;
  tau2_control control;

  /// "" when the options are consistent, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// The defaults of a tool (see docs/presets.md for the exact list of settings each fixes).
[[nodiscard]] pool_options preset_options(preset p);
[[nodiscard]] std::optional<preset> parse_preset(std::string_view name);
[[nodiscard]] std::string_view preset_name(preset p);

[[nodiscard]] std::optional<model_choice> parse_model_choice(std::string_view name);
[[nodiscard]] std::string_view model_choice_name(model_choice m);
[[nodiscard]] std::string_view ci_method_name(ci_method m);
[[nodiscard]] std::optional<ci_method> parse_ci_method(std::string_view name);
[[nodiscard]] std::string_view pi_method_name(pi_method m);
[[nodiscard]] std::optional<pi_method> parse_pi_method(std::string_view name);
[[nodiscard]] std::string_view i2_definition_name(i2_definition d);
[[nodiscard]] std::optional<i2_definition> parse_i2_definition(std::string_view name);
/// "iv", "mh", "peto".
[[nodiscard]] std::string_view to_string(pooling_method m);
/// Parses "iv", "mh", "peto" (also "inverse-variance", "mantel-haenszel"), case-insensitively.
[[nodiscard]] std::optional<pooling_method> parse_pooling_method(std::string_view name);
/// "metafor", "revman5".
[[nodiscard]] std::string_view to_string(count_convention c);

// The uniform spelling: one to_string/parse pair per enum (the *_name functions above are the
// same names under their older spelling).
[[nodiscard]] inline std::string_view to_string(preset p) { return preset_name(p); }
[[nodiscard]] inline std::string_view to_string(model_choice m) { return model_choice_name(m); }
[[nodiscard]] inline std::string_view to_string(ci_method m) { return ci_method_name(m); }
[[nodiscard]] inline std::string_view to_string(pi_method m) { return pi_method_name(m); }
[[nodiscard]] inline std::string_view to_string(i2_definition d) { return i2_definition_name(d); }

}  // namespace srma
