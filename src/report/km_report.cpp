// Text and JSON reports of a two-arm survival analysis (srma km hr) and of a reconstruction from
// digitised curves (srma km reconstruct). Wording only: the numbers come from
// srma::analyse_two_arms and srma::reconstruct_arm.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "srma/report/format.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"

namespace srma {
namespace {

using nlohmann::json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

std::string pct(double level) { return fmt::format("{:g}%", 100 * level); }

// A time or median: up to 4 significant decimals, "NR" (not reached) for NaN.
std::string time_text(double x) {
  return std::isfinite(x) ? fmt::format("{:.4g}", x) : std::string("NR");
}

}  // namespace

std::string full_report(const km_analysis& a) {
  const auto& c = a.cox;
  std::string out;
  out +=
      fmt::format("Cox proportional hazards model ({} ties): {} vs {}\n",
                  c.options.ties == cox_ties::efron ? "Efron" : "Breslow", a.treatment, a.control);
  out += fmt::format("  n = {}, events = {}\n", c.n, c.events);
  out += fmt::format("  HR {} ({} CI {} to {}), ln HR {} (SE {})\n", format_fixed(c.hr, 4),
                     pct(c.options.level), format_fixed(c.ci_lower, 4), format_fixed(c.ci_upper, 4),
                     format_fixed(c.loghr, 4), format_fixed(c.se, 4));
  out += fmt::format("  Wald test:             chi2 = {:>8}, df = 1, {}\n",
                     format_fixed(c.wald_chisq, 3), format_p_clause(c.wald_p));
  out += fmt::format("  Likelihood-ratio test: chi2 = {:>8}, df = 1, {}\n",
                     format_fixed(c.lr_chisq, 3), format_p_clause(c.lr_p));
  out += fmt::format("  Score (log-rank) test: chi2 = {:>8}, df = 1, {}\n",
                     format_fixed(c.score_chisq, 3), format_p_clause(c.score_p));
  const auto& l = a.logrank;
  out += "Log-rank test\n";
  out += fmt::format("  {}: observed {}, expected {}\n", a.treatment,
                     format_fixed(l.observed_treatment, 0), format_fixed(l.expected_treatment, 2));
  out += fmt::format("  {}: observed {}, expected {}\n", a.control,
                     format_fixed(l.observed_control, 0), format_fixed(l.expected_control, 2));
  out += fmt::format("  O - E = {}, V = {}, chi2 = {}, df = 1, {}; Peto HR {}\n",
                     format_fixed(l.o_minus_e, 3), format_fixed(l.v, 3), format_fixed(l.chisq, 3),
                     format_p_clause(l.p), format_fixed(std::exp(l.peto_loghr), 4));
  const bool rmst = std::any_of(a.arms.begin(), a.arms.end(),
                                [](const km_arm_summary& s) { return s.rmst.has_value(); });
  std::size_t w = 3;
  for (const auto& s : a.arms) w = std::max(w, s.name.size());
  out += fmt::format("Kaplan-Meier ({} CIs, {} scale)\n", pct(a.options.km.level),
                     to_string(a.options.km.conf_type));
  out += fmt::format("  {:<{}}  {:>6}  {:>6}  {:>8}  {:>19}", "Arm", w, "n", "events", "median",
                     fmt::format("{} CI", pct(a.options.km.level)));
  if (rmst)
    out += fmt::format("  {:>18}", fmt::format("RMST to {:g} (SE)", a.arms.front().rmst->tau));
  out += '\n';
  for (const auto& s : a.arms) {
    const auto& m = s.curve.median;
    out += fmt::format("  {:<{}}  {:>6}  {:>6}  {:>8}  {:>19}", s.name, w, s.n, s.events,
                       time_text(m.estimate),
                       fmt::format("{} to {}", time_text(m.lower), time_text(m.upper)));
    if (s.rmst)
      out += fmt::format("  {:>18}", fmt::format("{} ({})", format_fixed(s.rmst->rmst, 3),
                                                 format_fixed(s.rmst->se, 3)));
    out += '\n';
  }
  out += "  NR: not reached (the curve or its confidence limit stays above 0.5).\n";
  return out;
}

std::string full_report(const arm_reconstruction& r) {
  std::string out =
      fmt::format("{}: {} patients, {} events", r.name, r.time.size(), format_fixed(r.events, 0));
  if (r.events_reported) out += fmt::format(" ({} reported)", format_fixed(*r.events_reported, 0));
  out += fmt::format("; largest distance between the rebuilt curve and the points {}\n",
                     format_fixed(r.max_abs_error, 4));
  out += fmt::format("  points: {} in, {} used; survival read as a {}\n", r.cleaning.points_in,
                     r.cleaning.points_out, to_string(r.cleaning.scale));
  for (const auto& m : r.cleaning.messages()) out += fmt::format("  cleaned: {}\n", m);
  if (!r.at_risk.empty()) {
    out += "  at risk:";
    for (const auto& c : r.at_risk) {
      out += fmt::format(" t={:g}: {}", c.time, format_fixed(c.reported, 0));
      if (c.reconstructed != c.reported)
        out += fmt::format(" (rebuilt {})", format_fixed(c.reconstructed, 0));
      out += ';';
    }
    out.back() = '\n';
  }
  for (const auto& w : r.warnings) out += fmt::format("  warning: {}\n", w);
  return out;
}

nlohmann::json to_json(const km_analysis& a) {
  const auto& c = a.cox;
  const auto& l = a.logrank;
  json arms = json::array();
  for (const auto& s : a.arms) {
    json j = {{"name", s.name},
              {"n", s.n},
              {"events", s.events},
              {"median", num(s.curve.median.estimate)},
              {"median_ci_lower", num(s.curve.median.lower)},
              {"median_ci_upper", num(s.curve.median.upper)}};
    j["rmst"] = s.rmst ? num(s.rmst->rmst) : json(nullptr);
    j["rmst_se"] = s.rmst ? num(s.rmst->se) : json(nullptr);
    arms.push_back(std::move(j));
  }
  json j = {{"treatment", a.treatment},
            {"control", a.control},
            {"ties", to_string(c.options.ties)},
            {"level", c.options.level},
            {"n", c.n},
            {"events", c.events},
            {"hr", num(c.hr)},
            {"ci_lower", num(c.ci_lower)},
            {"ci_upper", num(c.ci_upper)},
            {"loghr", num(c.loghr)},
            {"se", num(c.se)},
            {"wald", {{"chisq", num(c.wald_chisq)}, {"p", num(c.wald_p)}}},
            {"likelihood_ratio", {{"chisq", num(c.lr_chisq)}, {"p", num(c.lr_p)}}},
            {"score", {{"chisq", num(c.score_chisq)}, {"p", num(c.score_p)}}},
            {"loglik", {num(c.loglik0), num(c.loglik)}},
            {"iterations", c.iterations},
            {"logrank",
             {{"chisq", num(l.chisq)},
              {"p", num(l.p)},
              {"o_minus_e", num(l.o_minus_e)},
              {"v", num(l.v)},
              {"observed", {num(l.observed_treatment), num(l.observed_control)}},
              {"expected", {num(l.expected_treatment), num(l.expected_control)}},
              {"peto_loghr", num(l.peto_loghr)}}},
            {"arms", std::move(arms)}};
  j["tau"] = a.options.tau ? num(*a.options.tau) : json(nullptr);
  return j;
}

nlohmann::json to_json(const arm_reconstruction& r) {
  json at_risk = json::array();
  for (const auto& c : r.at_risk)
    at_risk.push_back({{"time", num(c.time)},
                       {"reported", num(c.reported)},
                       {"reconstructed", num(c.reconstructed)}});
  const auto& cl = r.cleaning;
  return {{"arm", r.name},
          {"n", r.time.size()},
          {"events", num(r.events)},
          {"events_reported", r.events_reported ? num(*r.events_reported) : json(nullptr)},
          {"max_abs_error", num(r.max_abs_error)},
          {"cleaning",
           {{"scale", to_string(cl.scale)},
            {"points_in", cl.points_in},
            {"points_out", cl.points_out},
            {"reordered", cl.reordered},
            {"clamped", cl.clamped},
            {"duplicates_dropped", cl.duplicates_dropped},
            {"made_monotone", cl.made_monotone},
            {"start_added", cl.start_added},
            {"messages", cl.messages()}}},
          {"at_risk", std::move(at_risk)},
          {"warnings", r.warnings}};
}

}  // namespace srma
