// Text reports of pool_result and subgroup_analysis: what a user pastes into a paper.
#include <fmt/format.h>

#include <cmath>

#include "report/format.hpp"
#include "report/text_table.hpp"
#include "srma/pool_result.hpp"
#include "srma/subgroup.hpp"

namespace srma {
namespace {

using detail::format_effect;
using detail::format_fixed;
using detail::format_interval;
using detail::format_p;
using detail::format_percent;
using detail::heterogeneity_words;
using detail::text_table;
using align = text_table::align;

std::string effect_label(effect_measure m) {
  return m == effect_measure::generic ? std::string("Estimate") : std::string(measure_code(m));
}

std::string ci_header(double level) { return detail::format_level(level) + "% CI"; }

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

void append_models(std::string& out, const pool_result& r) {
  const auto m = r.measure;
  text_table t({align::left, align::right, align::left, align::right, align::right});
  t.add_row({"Model", effect_label(m), ci_header(r.level), "statistic", "p"});
  t.add_rule();
  auto row = [&](const std::string& name, const model_estimate& e) {
    t.add_row({name, format_effect(m, e.estimate), format_interval(m, e.ci_lower, e.ci_upper),
               statistic_text(e), format_p(e.p)});
  };
  const bool show_common = r.options.model != model_choice::random;
  const bool show_random = r.options.model != model_choice::common;
  const bool random_first = r.primary == model_kind::random;
  if (random_first && show_random) row(random_label(r), r.random);
  if (show_common) row("Common effect (inverse variance)", r.common);
  if (!random_first && show_random) row(random_label(r), r.random);
  if (show_random && r.random.pi != pi_method::none && !std::isnan(r.random.pi_lower)) {
    t.add_row(
        {pi_label(r.random), "", format_interval(m, r.random.pi_lower, r.random.pi_upper), "", ""});
  }
  out += t.render();
}

void append_heterogeneity(std::string& out, const pool_result& r, const std::string& indent) {
  const auto& h = r.heterogeneity;
  if (r.k < 2) {
    out += indent + "Heterogeneity: not estimable from one study\n";
    return;
  }
  out += fmt::format("{}Q = {} (df = {:g}), {}\n", indent, format_fixed(h.Q, 2), h.df,
                     detail::format_p_clause(h.p));
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

std::string pool_result::brief_report() const {
  const auto m = measure;
  const auto& e = primary_estimate();
  const auto& h = heterogeneity;
  std::string model_text =
      primary == model_kind::common
          ? std::string("a common-effect (inverse-variance) model")
          : fmt::format(
                "a random-effects model ({} estimator of \u03c4\u00b2, {} confidence "
                "interval)",
                tau2_method_code(random.method),
                random.ci == ci_method::hksj ? "Hartung-Knapp-Sidik-Jonkman" : "Wald-type");
  std::string what =
      m == effect_measure::generic ? std::string("effect") : std::string(measure_name(m));
  std::string s = fmt::format("Across {} {}, the pooled {} was {} under {}.", k,
                              k == 1 ? "study" : "studies", what,
                              detail::format_effect_ci_with(m, e.estimate, e.ci_lower, e.ci_upper,
                                                            level, detail::format_p_clause(e.p)),
                              model_text);
  if (k >= 2) {
    const double i2 = reported_i2();
    s += fmt::format(
        " Heterogeneity was {} (I\u00b2 = {}, \u03c4\u00b2 = {}; Q = {}, df = {:g}, {}).",
        heterogeneity_words(i2), format_percent(i2, 0), format_fixed(h.tau2, 3),
        format_fixed(h.Q, 2), h.df, detail::format_p_clause(h.p));
    if (primary == model_kind::random && !std::isnan(random.pi_lower)) {
      s += fmt::format(" The {}% prediction interval for the effect in a new study was {}.",
                       detail::format_level(level),
                       format_interval(m, random.pi_lower, random.pi_upper));
    }
  }
  if (options.model == model_choice::auto_i2) s += " Model choice: " + model_reason + ".";
  return s;
}

std::string pool_result::full_report() const {
  const auto m = measure;
  std::string out;
  std::string scale = is_ratio(m) ? ", analysed on the log scale" : "";
  out += fmt::format("Meta-analysis of {} {}: {}{}\n\n", k, k == 1 ? "study" : "studies",
                     m == effect_measure::generic
                         ? std::string("effect (as given)")
                         : fmt::format("{} ({})", measure_name(m), measure_code(m)),
                     scale);
  text_table t({align::left, align::right, align::left, align::right, align::right});
  t.add_row({"Study", effect_label(m), ci_header(level), "Weight common", "Weight random"});
  t.add_rule();
  const double z = z_for_level(level);
  for (std::size_t i = 0; i < k; ++i) {
    const double se = std::sqrt(vi[i]);
    t.add_row({study.empty() ? fmt::format("Study {}", i + 1) : study[i], format_effect(m, yi[i]),
               format_interval(m, yi[i] - z * se, yi[i] + z * se), format_percent(weight_common[i]),
               format_percent(weight_random[i])});
  }
  out += t.render();
  out += "\n";
  append_models(out, *this);
  out += "\nHeterogeneity\n";
  append_heterogeneity(out, *this, "  ");
  if (options.model == model_choice::auto_i2) out += "\nModel: " + model_reason + "\n";
  if (!notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : notes) out += "  - " + n + "\n";
  }
  out += "\nSummary\n  " + brief_report() + "\n";
  return out;
}

std::string subgroup_analysis::full_report() const {
  const auto m = overall.measure;
  std::string out;
  out += fmt::format(
      "Subgroup analysis by '{}': {} subgroups, {} studies{}\n\n", column, groups.size(), overall.k,
      common_tau2
          ? fmt::format(" (\u03c4\u00b2 shared across subgroups: {})", format_fixed(tau2_common, 4))
          : " (\u03c4\u00b2 estimated within each subgroup)");
  const double z = z_for_level(overall.level);
  for (const auto& g : groups) {
    const auto& r = g.result;
    out +=
        fmt::format("{} (k = {}; weight {} common, {} random)\n", g.level, r.k,
                    format_percent(g.weight_share_common), format_percent(g.weight_share_random));
    text_table t({align::left, align::right, align::left});
    for (std::size_t i = 0; i < r.k; ++i) {
      const double se = std::sqrt(r.vi[i]);
      t.add_row({"  " + r.study[i], format_effect(m, r.yi[i]),
                 format_interval(m, r.yi[i] - z * se, r.yi[i] + z * se)});
    }
    out += t.render();
    append_models(out, r);
    out += "Heterogeneity\n";
    append_heterogeneity(out, r, "  ");
    out += "\n";
  }
  out += fmt::format("Overall (k = {})\n", overall.k);
  append_models(out, overall);
  out += "Heterogeneity\n";
  append_heterogeneity(out, overall, "  ");
  out += "\nTest for subgroup differences\n";
  out +=
      fmt::format("  common effect:  Q = {} (df = {:g}), {}\n", format_fixed(between_common.Q, 2),
                  between_common.df, detail::format_p_clause(between_common.p));
  out +=
      fmt::format("  random effects: Q = {} (df = {:g}), {}\n", format_fixed(between_random.Q, 2),
                  between_random.df, detail::format_p_clause(between_random.p));
  out += "\nModel: " + model_reason + "\n";
  if (!notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : notes) out += "  - " + n + "\n";
  }
  // Summary of the subgroups under the leading model.
  out += "\nSummary\n  ";
  std::vector<std::string> parts;
  for (const auto& g : groups) {
    const auto& e = g.result.primary_estimate();
    const double share =
        primary == model_kind::common ? g.weight_share_common : g.weight_share_random;
    parts.push_back(fmt::format(
        "{} {} {}", g.level, effect_label(m),
        detail::format_effect_ci_with(m, e.estimate, e.ci_lower, e.ci_upper, overall.level,
                                      format_percent(share) + " of the weight")));
  }
  out += fmt::format(
      "By {} under the {} model: {}. Test for subgroup differences: Q = {}, df = "
      "{:g}, {}.\n",
      column, primary == model_kind::common ? "common-effect" : "random-effects",
      fmt::join(parts, "; "), format_fixed(between().Q, 2), between().df,
      detail::format_p_clause(between().p));
  return out;
}

}  // namespace srma
