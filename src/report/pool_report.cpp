// Text reports of pool_result and subgroup_analysis: what a user pastes into a paper.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "srma/model/pool_result.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/report/format.hpp"
#include "srma/report/text_report.hpp"
#include "text_table.hpp"

namespace srma {
namespace {

using detail::text_table;
using align = text_table::align;

// A generic effect shows its own name when it has one (study_table::measure_label).
std::string effect_label(effect_measure m, const std::string& label = {}) {
  if (m == effect_measure::generic && !label.empty()) return label;
  return std::string(display_label(m));
}

// How a report shows values: the measure's back-transformation with its context (PFT: the
// harmonic mean of n, from the variances) and the decimals for the measure.
struct shown {
  effect_measure m = effect_measure::generic;
  display_context context;
  int decimals = 2;

  [[nodiscard]] std::string value(double y) const { return format_effect(m, y, decimals, context); }
  [[nodiscard]] std::string interval(double lo, double hi) const {
    return format_interval(m, lo, hi, decimals, context);
  }
  [[nodiscard]] std::string ci_with(const model_estimate& e, double level,
                                    const std::string& extra) const {
    return format_effect_ci_with(m, e.estimate, e.ci_lower, e.ci_upper, level, extra, decimals,
                                 context);
  }
};

shown shown_for(const pool_result& r) {
  shown s{r.measure, display_context_from_vi(r.measure, r.vi), 2};
  s.decimals =
      display_decimals(r.measure, to_display(r.measure, r.primary_estimate().estimate, s.context));
  return s;
}

std::string ci_header(double level) { return format_level(level) + "% CI"; }

std::string random_label(const pool_result& r) {
  return fmt::format("Random effects ({}, {})", tau2_method_code(r.random.method),
                     r.random.ci == ci_method::hksj ? "HKSJ" : "Wald z");
}

std::string pi_label(const random_estimate& re) {
  switch (re.pi) {
    case pi_method::z:
      return "Prediction interval (z)";
    case pi_method::t_k1:
    case pi_method::t_k2:
      return fmt::format("Prediction interval (t, df = {:g})", re.pi_df);
    default:
      return "Prediction interval";
  }
}

std::string statistic_text(const model_estimate& m) {
  if (std::isnan(m.df)) return fmt::format("z = {}", format_fixed(m.statistic, 2));
  return fmt::format("t = {} (df = {:g})", format_fixed(m.statistic, 2), m.df);
}

// The name of the common-effect method, in words.
std::string_view method_words(pooling_method m) {
  switch (m) {
    case pooling_method::mantel_haenszel:
      return "Mantel-Haenszel";
    case pooling_method::peto:
      return "Peto";
    case pooling_method::inverse_variance:
      break;
  }
  return "inverse variance";
}

void append_models(std::string& out, const pool_result& r, const shown& v) {
  const auto m = r.measure;
  text_table t({align::left, align::right, align::left, align::right, align::right});
  t.add_row({"Model", effect_label(m, r.measure_label), ci_header(r.level), "statistic", "p"});
  t.add_rule();
  auto row = [&](const std::string& name, const model_estimate& e) {
    t.add_row({name, v.value(e.estimate), v.interval(e.ci_lower, e.ci_upper), statistic_text(e),
               format_p(e.p)});
  };
  const bool show_common = r.options.model != model_choice::random;
  const bool show_random = r.options.model != model_choice::common;
  const bool random_first = r.primary == model_kind::random;
  if (random_first && show_random) row(random_label(r), r.random);
  if (show_common) row(fmt::format("Common effect ({})", method_words(r.method)), r.common);
  if (!random_first && show_random) row(random_label(r), r.random);
  if (show_random && r.random.pi != pi_method::none && !std::isnan(r.random.pi_lower)) {
    t.add_row({pi_label(r.random), "", v.interval(r.random.pi_lower, r.random.pi_upper), "", ""});
  }
  out += t.render();
}

void append_heterogeneity(std::string& out, const pool_result& r, const std::string& indent) {
  const auto& h = r.heterogeneity;
  if (r.k < 2) {
    out += indent + "Heterogeneity: not estimable from one study\n";
    return;
  }
  const std::string about = r.method == pooling_method::inverse_variance
                                ? std::string()
                                : fmt::format(" (about the {} estimate)", method_words(r.method));
  out += fmt::format("{}Q = {} (df = {:g}), {}{}\n", indent, format_fixed(h.Q, 2), h.df,
                     format_p_clause(h.p), about);
  if (!std::isnan(r.cmh)) {
    out += fmt::format("{}Cochran-Mantel-Haenszel test: \u03c7\u00b2 = {} (df = 1), {}\n", indent,
                       format_fixed(r.cmh, 2), format_p_clause(r.cmh_p));
  }
  if (!std::isnan(r.tarone)) {
    out += fmt::format("{}Tarone's test of homogeneity: \u03c7\u00b2 = {} (df = {:g}), {}\n",
                       indent, format_fixed(r.tarone, 2), r.tarone_df, format_p_clause(r.tarone_p));
  }
  std::string ci_i2, ci_tau2, ci_tau;
  if (!std::isnan(h.tau2_ci_lower)) {
    ci_i2 = fmt::format(" [{}, {}]", format_percent(h.I2_ci_lower), format_percent(h.I2_ci_upper));
    ci_tau2 = fmt::format(" [{}, {}]", format_fixed(h.tau2_ci_lower, 4),
                          format_fixed(h.tau2_ci_upper, 4));
    ci_tau =
        fmt::format(" [{}, {}]", format_fixed(h.tau_ci_lower, 4), format_fixed(h.tau_ci_upper, 4));
  }
  out += fmt::format("{}I\u00b2 = {} (Q-based); {}{} (\u03c4\u00b2-based)\n", indent,
                     format_percent(h.I2), format_percent(h.I2_tau2), ci_i2);
  out += fmt::format("{}H\u00b2 = {} (Q-based); {} (\u03c4\u00b2-based)\n", indent,
                     format_fixed(h.H2, 2), format_fixed(h.H2_tau2, 2));
  std::string se = std::isnan(h.tau2_se) ? "" : fmt::format(" (SE {})", format_fixed(h.tau2_se, 4));
  out += fmt::format("{}\u03c4\u00b2 = {}{}{}; \u03c4 = {}{}  ({} estimator{})\n", indent,
                     format_fixed(h.tau2, 4), se, ci_tau2, format_fixed(h.tau, 4), ci_tau,
                     tau2_method_code(r.random.method), ci_tau2.empty() ? "" : ", Q-profile CI");
}

}  // namespace

std::string brief_report(const pool_result& res) {
  const auto m = res.measure;
  const shown v = shown_for(res);
  const auto& e = res.primary_estimate();
  const auto& h = res.heterogeneity;
  std::string model_text =
      res.primary == model_kind::common
          ? fmt::format("a common-effect ({}) model", res.method == pooling_method::inverse_variance
                                                          ? std::string_view("inverse-variance")
                                                          : method_words(res.method))
          : fmt::format(
                "a random-effects model ({} estimator of \u03c4\u00b2, {} confidence "
                "interval)",
                tau2_method_code(res.random.method),
                res.random.ci == ci_method::hksj ? "Hartung-Knapp-Sidik-Jonkman" : "Wald-type");
  std::string what = m != effect_measure::generic ? std::string(measure_name(m))
                     : res.measure_label.empty()  ? std::string("effect")
                                                  : res.measure_label;
  std::string s = fmt::format("Across {} {}, the pooled {} was {} under {}.", res.k,
                              res.k == 1 ? "study" : "studies", what,
                              v.ci_with(e, res.level, format_p_clause(e.p)), model_text);
  if (res.k >= 2) {
    const double i2 = res.reported_i2();
    s += fmt::format(
        " Heterogeneity was {} (I\u00b2 = {}, \u03c4\u00b2 = {}; Q = {}, df = {:g}, {}).",
        heterogeneity_words(i2), format_percent(i2, 0), format_fixed(h.tau2, 3),
        format_fixed(h.Q, 2), h.df, format_p_clause(h.p));
    if (res.primary == model_kind::random && !std::isnan(res.random.pi_lower)) {
      s += fmt::format(" The {}% prediction interval for the effect in a new study was {}.",
                       format_level(res.level),
                       v.interval(res.random.pi_lower, res.random.pi_upper));
    }
  }
  if (res.options.model == model_choice::auto_i2) s += " Model choice: " + res.model_reason + ".";
  return s;
}

std::string full_report(const pool_result& res) {
  const auto m = res.measure;
  std::string out;
  const shown v = shown_for(res);
  const auto scale_name = analysis_scale_name(m);
  std::string scale =
      scale_name.empty() ? "" : fmt::format(", analysed on the {} scale", scale_name);
  out += fmt::format("Meta-analysis of {} {}: {}{}\n\n", res.k, res.k == 1 ? "study" : "studies",
                     m != effect_measure::generic
                         ? fmt::format("{} ({})", measure_name(m), measure_code(m))
                     : res.measure_label.empty() ? std::string("effect (as given)")
                                                 : res.measure_label + " (as given)",
                     scale);
  // When the studies' hazard ratios came by different routes, a column says which (Tierney 2007
  // ranks them; a reader weighs a reconstructed HR differently from a reported one).
  const bool routes =
      res.source.size() == res.k && std::adjacent_find(res.source.begin(), res.source.end(),
                                                       std::not_equal_to<>()) != res.source.end();
  std::vector<align> cols = {align::left, align::right, align::left, align::right, align::right};
  std::vector<std::string> head = {"Study", effect_label(m, res.measure_label),
                                   ci_header(res.level), "Weight common", "Weight random"};
  if (routes) {
    cols.push_back(align::left);
    head.emplace_back("HR from");
  }
  text_table t(cols);
  t.add_row(head);
  t.add_rule();
  const double z = z_for_level(res.level);
  // Beyond max_listed_studies rows (a simulated or database-wide file, which nobody reads row by
  // row) the table shows the first and last studies and says how many it leaves out; the JSON
  // lists every study. Listing 10^6 rows cost most of `srma pool`'s time and memory (issue 14).
  const bool abridged = res.k > max_listed_studies;
  const std::size_t ends = 10;
  for (std::size_t i = 0; i < res.k; ++i) {
    if (abridged && i == ends) {
      std::vector<std::string> gap(head.size());
      gap[0] =
          fmt::format("\u2026 {} studies not listed (--json lists every study)", res.k - 2 * ends);
      t.add_row(gap);
      i = res.k - ends;
    }
    const double se = std::sqrt(res.vi[i]);
    std::vector<std::string> row = {
        res.study.empty() ? fmt::format("Study {}", i + 1) : res.study[i], v.value(res.yi[i]),
        v.interval(res.yi[i] - z * se, res.yi[i] + z * se), format_percent(res.weight_common[i]),
        format_percent(res.weight_random[i])};
    if (routes) row.push_back(res.source[i]);
    t.add_row(row);
  }
  out += t.render();
  out += "\n";
  append_models(out, res, v);
  out += "\nHeterogeneity\n";
  append_heterogeneity(out, res, "  ");
  if (res.options.model == model_choice::auto_i2) out += "\nModel: " + res.model_reason + "\n";
  if (!res.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : res.notes) out += "  - " + n + "\n";
  }
  out += "\nSummary\n  " + brief_report(res) + "\n";
  return out;
}

std::string full_report(const subgroup_analysis& res) {
  const auto m = res.overall.measure;
  // One back-transformation for the whole report (PFT: n of all studies), as one figure.
  const shown v = shown_for(res.overall);
  std::string out;
  out += fmt::format("Subgroup analysis by '{}': {} subgroups, {} studies{}\n\n", res.column,
                     res.groups.size(), res.overall.k,
                     res.common_tau2 ? fmt::format(" (\u03c4\u00b2 shared across subgroups: {})",
                                                   format_fixed(res.tau2_common, 4))
                                     : " (\u03c4\u00b2 estimated within each subgroup)");
  const double z = z_for_level(res.overall.level);
  for (const auto& g : res.groups) {
    const auto& r = g.result;
    out +=
        fmt::format("{} (k = {}; weight {} common, {} random)\n", g.level, r.k,
                    format_percent(g.weight_share_common), format_percent(g.weight_share_random));
    text_table t({align::left, align::right, align::left});
    for (std::size_t i = 0; i < r.k; ++i) {
      const double se = std::sqrt(r.vi[i]);
      t.add_row(
          {"  " + r.study[i], v.value(r.yi[i]), v.interval(r.yi[i] - z * se, r.yi[i] + z * se)});
    }
    out += t.render();
    append_models(out, r, v);
    out += "Heterogeneity\n";
    append_heterogeneity(out, r, "  ");
    out += "\n";
  }
  out += fmt::format("Overall (k = {})\n", res.overall.k);
  append_models(out, res.overall, v);
  out += "Heterogeneity\n";
  append_heterogeneity(out, res.overall, "  ");
  out += "\nTest for subgroup differences\n";
  out += fmt::format("  common effect:  Q = {} (df = {:g}), {}\n",
                     format_fixed(res.between_common.Q, 2), res.between_common.df,
                     format_p_clause(res.between_common.p));
  out += fmt::format("  random effects: Q = {} (df = {:g}), {}\n",
                     format_fixed(res.between_random.Q, 2), res.between_random.df,
                     format_p_clause(res.between_random.p));
  out += "\nModel: " + res.model_reason + "\n";
  if (!res.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : res.notes) out += "  - " + n + "\n";
  }
  // Summary of the subgroups under the leading model.
  out += "\nSummary\n  ";
  std::vector<std::string> parts;
  for (const auto& g : res.groups) {
    const auto& e = g.result.primary_estimate();
    const double share =
        res.primary == model_kind::common ? g.weight_share_common : g.weight_share_random;
    parts.push_back(
        fmt::format("{} {} {}", g.level, effect_label(m, res.overall.measure_label),
                    v.ci_with(e, res.overall.level, format_percent(share) + " of the weight")));
  }
  out += fmt::format(
      "By {} under the {} model: {}. Test for subgroup differences: Q = {}, df = "
      "{:g}, {}.\n",
      res.column, res.primary == model_kind::common ? "common-effect" : "random-effects",
      fmt::join(parts, "; "), format_fixed(res.between().Q, 2), res.between().df,
      format_p_clause(res.between().p));
  return out;
}

}  // namespace srma
