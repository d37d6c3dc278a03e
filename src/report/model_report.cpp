// Text report of a meta-regression (srma/report/text_report.hpp).
#include <fmt/format.h>

#include <cmath>

#include "srma/report/format.hpp"
#include "srma/report/text_report.hpp"
#include "text_table.hpp"

namespace srma {

std::string full_report(const metareg_result& res) {
  std::string out = fmt::format(
      "Meta-regression: {} studies, {} coefficients, {}\n\n", res.k, res.p,
      res.common_effect ? std::string("common-effect (no residual heterogeneity)")
                        : fmt::format("mixed-effects ({} estimator of \u03c4\u00b2, {})",
                                      tau2_method_code(res.method),
                                      res.ci == ci_method::hksj ? "HKSJ" : "Wald z"));
  detail::text_table t({detail::text_table::align::left, detail::text_table::align::right,
                        detail::text_table::align::right, detail::text_table::align::right,
                        detail::text_table::align::right, detail::text_table::align::left});
  t.add_row({"Coefficient", "estimate", "se", res.ci == ci_method::hksj ? "t" : "z", "p",
             format_level(res.level) + "% CI"});
  t.add_rule();
  for (const auto& c : res.coefficients) {
    t.add_row({c.name, format_fixed(c.estimate, 4), format_fixed(c.se, 4),
               format_fixed(c.statistic, 3), format_p(c.p),
               fmt::format("[{}, {}]", format_fixed(c.ci_lower, 4), format_fixed(c.ci_upper, 4))});
  }
  out += t.render();
  if (!std::isnan(res.QM.statistic)) {
    out +=
        std::isnan(res.QM.df2)
            ? fmt::format("\nTest of moderators: QM = {} (df = {:g}), {}\n",
                          format_fixed(res.QM.statistic, 2), res.QM.df1, format_p_clause(res.QM.p))
            : fmt::format("\nTest of moderators: F = {} (df = {:g}, {:g}), {}\n",
                          format_fixed(res.QM.statistic, 2), res.QM.df1, res.QM.df2,
                          format_p_clause(res.QM.p));
  }
  out += fmt::format("Residual heterogeneity: QE = {} (df = {:g}), {}\n", format_fixed(res.QE, 2),
                     res.QE_df, format_p_clause(res.QE_p));
  if (!res.common_effect) {
    out += fmt::format(
        "Residual \u03c4\u00b2 = {}{}; I\u00b2 = {} (\u03c4\u00b2-based), {} "
        "(Q-based); H\u00b2 = {}\n",
        format_fixed(res.tau2, 4),
        std::isnan(res.tau2_se) ? "" : fmt::format(" (SE {})", format_fixed(res.tau2_se, 4)),
        format_percent(res.I2_tau2), format_percent(res.I2), format_fixed(res.H2_tau2, 2));
  } else {
    out += fmt::format("Residual I\u00b2 = {} (Q-based); H\u00b2 = {}\n", format_percent(res.I2),
                       format_fixed(res.H2, 2));
  }
  if (!std::isnan(res.R2)) {
    out += fmt::format("R\u00b2 (heterogeneity accounted for) = {}\n", format_percent(res.R2));
  }
  for (const auto& n : res.notes) out += "Note: " + n + "\n";
  return out;
}

}  // namespace srma
