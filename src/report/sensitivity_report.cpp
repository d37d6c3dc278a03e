// Text reports of the sensitivity analyses (srma/report/text_report.hpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "srma/report/format.hpp"
#include "srma/report/text_report.hpp"
#include "text_table.hpp"

namespace srma {

namespace {

using detail::text_table;

// A table of refits ("Omitted" or "Added" as first column title) with the full analysis last.
std::string refit_table(const std::vector<refit_summary>& rows, const pool_result& full,
                        model_kind model, const std::string& first_column) {
  const auto m = full.measure;
  // The column shows displayed values: "Proportion" for PLO/PFT/..., a generic effect's name.
  const std::string eff = m == effect_measure::generic && !full.measure_label.empty()
                              ? full.measure_label
                              : std::string(display_label(m));
  text_table t({text_table::align::left, text_table::align::right, text_table::align::left,
                text_table::align::right, text_table::align::right, text_table::align::right,
                text_table::align::right});
  t.add_row(
      {first_column, eff, format_level(full.level) + "% CI", "p", "I\u00b2", "\u03c4\u00b2", "Q"});
  t.add_rule();
  for (const auto& r : rows) {
    const auto& e = r.estimate;
    t.add_row({r.label, format_effect(m, e.estimate), format_interval(m, e.ci_lower, e.ci_upper),
               format_p(e.p), format_percent(r.I2), format_fixed(r.tau2, 4), format_fixed(r.Q, 2)});
  }
  t.add_rule();
  const auto& e =
      model == model_kind::common ? full.common : static_cast<const model_estimate&>(full.random);
  t.add_row({"All studies", format_effect(m, e.estimate),
             format_interval(m, e.ci_lower, e.ci_upper), format_p(e.p),
             format_percent(full.heterogeneity.I2),
             format_fixed(model == model_kind::common ? 0.0 : full.heterogeneity.tau2, 4),
             format_fixed(full.heterogeneity.Q, 2)});
  return t.render();
}

// "Note: ..." lines, one per note.
std::string note_lines(const std::vector<std::string>& notes) {
  std::string out;
  for (const auto& n : notes) out += "Note: " + n + "\n";
  return out;
}

// The refits that failed, in a sentence above the notes naming them.
std::string failed_line(std::size_t failed, std::size_t total, const char* what) {
  if (failed == 0) return {};
  return fmt::format("\n{} of {} {} failed; {} NA (as metafor gives).\n", failed, total, what,
                     failed == 1 ? "its row is" : "their rows are");
}

}  // namespace

std::string full_report(const permtest_result& res) {
  std::string out = fmt::format("Permutation test: {} {} permutations{}\n", res.iterations,
                                res.exact ? "(exact)" : "random",
                                res.exact ? "" : fmt::format(", seed {}", res.seed));
  // What the p-values are computed over when refits failed (metafor's permutest: left out of
  // the exact test, drawn again in the random one).
  if (res.failed > 0 && res.exact) {
    out += fmt::format(
        "{} of the {} refits failed and are left out: the p-values are over the {} permutations "
        "whose refit succeeded (as metafor's permutest)\n",
        res.failed, res.iterations, res.used);
  } else if (res.failed > 0) {
    out += fmt::format(
        "{} refit{} failed and {} replaced by new random permutations: the p-values are over {} "
        "permutations (as metafor's permutest)\n",
        res.failed, res.failed == 1 ? "" : "s", res.failed == 1 ? "was" : "were", res.used);
  }
  if (res.fell_back > 0) {
    out += fmt::format("{} refit{} took tau^2 from the fallback estimator\n", res.fell_back,
                       res.fell_back == 1 ? "" : "s");
  }
  out += "\n";
  for (std::size_t j = 0; j < res.names.size(); ++j) {
    out +=
        fmt::format("  {:<24} permutation p = {}\n", res.names[j], format_p(res.coefficient_p[j]));
  }
  if (res.names.size() > 1) {
    out += fmt::format("  {:<24} permutation p = {}\n", "omnibus test (QM)", format_p(res.p));
  }
  if (!res.notes.empty()) out += "\n" + note_lines(res.notes);
  return out;
}

std::string full_report(const influence_result& res) {
  detail::text_table t({detail::text_table::align::left, detail::text_table::align::right,
                        detail::text_table::align::right, detail::text_table::align::right,
                        detail::text_table::align::right, detail::text_table::align::right,
                        detail::text_table::align::right, detail::text_table::align::right,
                        detail::text_table::align::right, detail::text_table::align::right,
                        detail::text_table::align::left});
  t.add_row({"Study", "rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat",
             "weight", "dfbetas", "inf"});
  t.add_rule();
  std::vector<std::string> flagged;
  for (const auto& s : res.studies) {
    t.add_row({s.study, format_fixed(s.rstudent, 4), format_fixed(s.dffits, 4),
               format_fixed(s.cook_d, 4), format_fixed(s.cov_r, 4), format_fixed(s.tau2_del, 4),
               format_fixed(s.QE_del, 4), format_fixed(s.hat, 4), format_percent(s.weight, 2),
               format_fixed(s.dfbetas, 4), s.influential ? "*" : ""});
    if (s.influential) flagged.push_back(s.study);
  }
  std::string out =
      fmt::format("Influence diagnostics: {} studies, {} model\n\n", res.full.k,
                  res.model == model_kind::common ? "common-effect" : "random-effects");
  out += t.render();
  out += flagged.empty() ? "\nNo study is influential by metafor's criteria.\n"
                         : fmt::format("\nInfluential by metafor's criteria (*): {}.\n",
                                       fmt::join(flagged, ", "));
  out += failed_line(res.failed, res.studies.size(), "fits without a study");
  out += note_lines(res.notes);
  return out;
}

std::string full_report(const cumulative_result& res) {
  std::string out = fmt::format(
      "Cumulative meta-analysis: {} studies added {}, {} model\n\n", res.full.k,
      res.order_by.empty() ? std::string("in input order") : "in order of " + res.order_by,
      res.model == model_kind::common ? "common-effect" : "random-effects");
  out += refit_table(res.rows, res.full, res.model, "Added");
  out += failed_line(res.failed, res.rows.size(), "refits");
  out += note_lines(res.notes);
  return out;
}

std::string full_report(const leave1out_result& res) {
  std::string out =
      fmt::format("Leave-one-out analysis: {} studies, {} model{}\n\n", res.full.k,
                  res.model == model_kind::common ? "common-effect" : "random-effects",
                  res.model == model_kind::common
                      ? ""
                      : fmt::format(" ({}, {})", tau2_method_code(res.full.random.method),
                                    res.full.random.ci == ci_method::hksj ? "HKSJ" : "Wald z"));
  out += refit_table(res.rows, res.full, res.model, "Omitted");
  out += failed_line(res.failed, res.rows.size(), "refits");
  out += note_lines(res.notes);
  return out;
}

}  // namespace srma
