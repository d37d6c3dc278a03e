// Text report of the small-study tests (srma/report/text_report.hpp).
#include <fmt/format.h>

#include <cmath>

#include "srma/report/format.hpp"
#include "srma/report/text_report.hpp"

namespace srma {

std::string full_report(const bias_result& res) {
  const auto m = res.full.measure;
  std::string out =
      fmt::format("Small-study effects and publication bias: {} studies, {} model\n", res.k,
                  res.model == model_kind::common ? "common-effect" : "random-effects");
  for (const auto& w : res.warnings) out += "Warning: " + w + "\n";
  auto reg = [&](const std::string& title, const regression_test& t) {
    const std::string stat =
        std::isnan(t.df) ? fmt::format("z = {}", format_fixed(t.statistic, 2))
                         : fmt::format("t = {} (df = {:g})", format_fixed(t.statistic, 2), t.df);
    out += fmt::format("\n{}\n  bias coefficient {} (SE {}), {}, {}\n", title,
                       format_fixed(t.bias, 4), format_fixed(t.se, 4), stat, format_p_clause(t.p));
    out += fmt::format(
        "  limit estimate (as {} -> 0): {}\n", t.predictor == bias_predictor::sei ? "SE" : "1/n",
        format_effect_ci(m, t.limit_estimate, t.limit_ci_lower, t.limit_ci_upper, res.full.level));
  };
  reg("Egger's regression test (weighted least squares, t with k - 2 df)", res.egger);
  reg(fmt::format("Egger-type test, mixed-effects meta-regression on the SE ({})",
                  res.model == model_kind::common
                      ? "common effect"
                      : std::string(tau2_method_code(res.full.random.method))),
      res.egger_mixed);
  if (res.peters) reg("Peters' test (weighted least squares on 1/n)", *res.peters);
  out += fmt::format("\nBegg and Mazumdar's rank correlation\n  Kendall's tau = {}, {} ({})\n",
                     format_fixed(res.begg.tau, 4), format_p_clause(res.begg.p),
                     res.begg.exact ? "exact" : "normal approximation");
  out += fmt::format(
      "\nTrim-and-fill ({} estimator)\n  {} stud{} imputed on the {} side (SE of k0 {})\n  "
      "adjusted estimate {} ({})\n",
      to_string(res.trimfill.estimator), res.trimfill.k0, res.trimfill.k0 == 1 ? "y" : "ies",
      to_string(res.trimfill.side), format_fixed(res.trimfill.se_k0, 4),
      format_effect_ci(m, res.trimfill.estimate.estimate, res.trimfill.estimate.ci_lower,
                       res.trimfill.estimate.ci_upper, res.full.level),
      format_p_clause(res.trimfill.estimate.p));
  out += fmt::format(
      "\nFail-safe N (alpha = {:g})\n  Rosenthal {:g}; Orwin {:g} (target: half the mean "
      "effect); Rosenberg {:g}\n",
      res.failsafe.alpha, res.failsafe.rosenthal, res.failsafe.orwin, res.failsafe.rosenberg);
  return out;
}

}  // namespace srma
