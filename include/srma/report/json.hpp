// File: srma/report/json.hpp
//
// JSON output of results, as documented in docs/json-schema.md. Numbers are on the analysis
// scale (log for ratio measures), with back-transformed values beside them under "display";
// undefined values are null. Doubles keep full precision (17 significant digits).
//
// Example:
//
//   auto r = srma::pool(studies, opts);
//   std::cout << srma::to_json(*r).dump(2) << '\n';
#pragma once

#include <nlohmann/json.hpp>

#include "srma/bias/small_study_bias.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/metareg.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/survival/km_reconstruct.hpp"

namespace srma {

/// {k, measure, level, model{...}, studies[], common{}, random{}, heterogeneity{}, notes[]}.
[[nodiscard]] nlohmann::json to_json(const pool_result& r);
/// The pool_result keys of the overall analysis plus subgroups[] and between{}.
[[nodiscard]] nlohmann::json to_json(const subgroup_analysis& s);
/// {model, tau2_method, ci_method, full{...pool keys}, leave1out[]{omitted, k, fitted, estimate,
/// se, statistic, p, ci_lower, ci_upper, Q, Q_p, tau2, I2, I2_tau2, H2, H2_tau2}, failed,
/// notes[]}; a failed refit has fitted false and null numbers.
[[nodiscard]] nlohmann::json to_json(const leave1out_result& r);
/// {model, order, full{...}, cumulative[]{added, k, ...as leave1out}, failed, notes[]}.
[[nodiscard]] nlohmann::json to_json(const cumulative_result& r);
/// {model, influence[]{study, fitted, rstudent, dffits, cook_d, cov_r, tau2_del, QE_del, hat,
/// weight, dfbetas, influential}, baujat[]{study, x, y}, failed, notes[]}.
[[nodiscard]] nlohmann::json to_json(const influence_result& r);
/// {k, model, egger{}, egger_mixed{}, peters{} (when sizes exist), begg{}, trimfill{},
/// failsafe{}, warnings[]}.
[[nodiscard]] nlohmann::json to_json(const bias_result& r);
/// {predictor, mixed, bias, se, statistic, df, p, limit_estimate, limit_ci_lower,
/// limit_ci_upper}: Egger's or Peters' test, as in the bias JSON.
[[nodiscard]] nlohmann::json to_json(const regression_test& t);
/// {tau, p, exact}: Begg's test.
[[nodiscard]] nlohmann::json to_json(const rank_test& r);
/// {estimator, k0, se_k0, side, estimate, se, ci_lower, ci_upper, p, tau2, filled[]{yi, vi}}.
[[nodiscard]] nlohmann::json to_json(const trimfill_result& t);
/// {alpha, rosenthal, orwin, rosenberg}.
[[nodiscard]] nlohmann::json to_json(const failsafe_result& f);
/// {k, dropped, p, coefficients[]{name, estimate, se, statistic, p, ci_lower, ci_upper, df},
/// QM{statistic, df1, df2, p}, QE{Q, df, p}, tau2, tau2_se, I2_tau2, H2_tau2, R2, notes[]}.
[[nodiscard]] nlohmann::json to_json(const metareg_result& r);
/// {exact, iterations, failed, used, fell_back, seed, p, observed_statistic, coefficients[]{name,
/// p}, notes[]}: the p-values are over `used` permutations (see srma/sensitivity/permtest.hpp).
[[nodiscard]] nlohmann::json to_json(const permtest_result& r);
/// Input notices and excluded studies: {source, measure, input, excluded[], notices[]}.
[[nodiscard]] nlohmann::json input_json(const study_table& t);

/// {treatment, control, ties, level, n, events, hr, ci_lower, ci_upper, loghr, se, wald{chisq, p},
/// likelihood_ratio{chisq, p}, score{chisq, p}, loglik[2], iterations, logrank{chisq, p,
/// o_minus_e, v, observed[2], expected[2], peto_loghr}, arms[]{name, n, events, median,
/// median_ci_lower, median_ci_upper, rmst, rmst_se}, tau} (srma km hr --json).
[[nodiscard]] nlohmann::json to_json(const km_analysis& a);
/// {arm, n, events, events_reported, max_abs_error, cleaning{scale, points_in, points_out, ...,
/// messages[]}, at_risk[]{time, reported, reconstructed}, warnings[]}.
[[nodiscard]] nlohmann::json to_json(const arm_reconstruction& r);

}  // namespace srma
