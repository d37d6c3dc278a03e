#include "srma/report/json.hpp"

#include <cmath>

namespace srma {
namespace {

using nlohmann::json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

json estimate_json(const model_estimate& e, effect_measure m, const display_context& dc = {}) {
  json j = {{"estimate", num(e.estimate)},
            {"se", num(e.se)},
            {"ci_lower", num(e.ci_lower)},
            {"ci_upper", num(e.ci_upper)},
            {"statistic", num(e.statistic)},
            {"p", num(e.p)},
            {"df", num(e.df)}};
  // Back-transformed for every measure shown on another scale (exp, inverse logit, ...).
  if (has_display_transform(m)) {
    j["display"] = {{"estimate", num(to_display(m, e.estimate, dc))},
                    {"ci_lower", num(to_display(m, e.ci_lower, dc))},
                    {"ci_upper", num(to_display(m, e.ci_upper, dc))}};
  }
  return j;
}

json heterogeneity_json(const heterogeneity_stats& h) {
  return {{"Q", num(h.Q)},
          {"df", num(h.df)},
          {"p", num(h.p)},
          {"I2", num(h.I2)},
          {"I2_tau2", num(h.I2_tau2)},
          {"H2", num(h.H2)},
          {"H2_tau2", num(h.H2_tau2)},
          {"tau2", num(h.tau2)},
          {"tau2_se", num(h.tau2_se)},
          {"tau", num(h.tau)},
          {"tau2_ci_lower", num(h.tau2_ci_lower)},
          {"tau2_ci_upper", num(h.tau2_ci_upper)},
          {"tau_ci_lower", num(h.tau_ci_lower)},
          {"tau_ci_upper", num(h.tau_ci_upper)},
          {"I2_ci_lower", num(h.I2_ci_lower)},
          {"I2_ci_upper", num(h.I2_ci_upper)},
          {"H2_ci_lower", num(h.H2_ci_lower)},
          {"H2_ci_upper", num(h.H2_ci_upper)},
          {"tau2_ci_null_set", h.tau2_ci_null_set},
          {"typical_v", num(h.typical_v)}};
}

std::string_view kind_name(model_kind k) { return k == model_kind::common ? "common" : "random"; }

}  // namespace

json to_json(const pool_result& r) {
  json j;
  j["k"] = r.k;
  j["measure"] = std::string(measure_code(r.measure));
  if (!r.measure_label.empty()) j["measure_label"] = r.measure_label;
  j["level"] = r.level;
  j["model"] = {{"requested", std::string(model_choice_name(r.options.model))},
                {"primary", std::string(kind_name(r.primary))},
                {"reason", r.model_reason},
                {"i2_definition", std::string(i2_definition_name(r.options.i2))},
                {"auto_i2_threshold", r.options.auto_i2_threshold}};
  json studies = json::array();
  for (std::size_t i = 0; i < r.k; ++i) {
    studies.push_back({{"study", r.study.empty() ? "Study " + std::to_string(i + 1) : r.study[i]},
                       {"yi", num(r.yi[i])},
                       {"vi", num(r.vi[i])},
                       {"weight_common", num(r.weight_common[i])},
                       {"weight_random", num(r.weight_random[i])}});
    if (r.source.size() == r.k) studies.back()["source"] = r.source[i];
  }
  j["studies"] = std::move(studies);
  const display_context dc = display_context_from_vi(r.measure, r.vi);
  j["common"] = estimate_json(r.common, r.measure, dc);
  j["common"]["method"] = std::string(to_string(r.method));
  if (!std::isnan(r.cmh) || !std::isnan(r.tarone)) {
    j["tests_2x2"] = {{"cmh", num(r.cmh)},
                      {"cmh_p", num(r.cmh_p)},
                      {"tarone", num(r.tarone)},
                      {"tarone_df", num(r.tarone_df)},
                      {"tarone_p", num(r.tarone_p)}};
  }
  json re = estimate_json(r.random, r.measure, dc);
  re["tau2_method"] = std::string(tau2_method_code(r.random.method));
  re["ci_method"] = std::string(ci_method_name(r.random.ci));
  re["pi_method"] = std::string(pi_method_name(r.random.pi));
  re["pi_lower"] = num(r.random.pi_lower);
  re["pi_upper"] = num(r.random.pi_upper);
  re["pi_df"] = num(r.random.pi_df);
  if (has_display_transform(r.measure)) {
    re["display"]["pi_lower"] = num(to_display(r.measure, r.random.pi_lower, dc));
    re["display"]["pi_upper"] = num(to_display(r.measure, r.random.pi_upper, dc));
  }
  j["random"] = std::move(re);
  j["heterogeneity"] = heterogeneity_json(r.heterogeneity);
  j["notes"] = r.notes;
  return j;
}

json to_json(const subgroup_analysis& s) {
  json j = to_json(s.overall);
  j["by"] = s.column;
  j["common_tau2"] = s.common_tau2;
  j["tau2_common"] = num(s.tau2_common);
  j["model"]["primary"] = std::string(kind_name(s.primary));
  j["model"]["reason"] = s.model_reason;
  json groups = json::array();
  for (const auto& g : s.groups) {
    json r = to_json(g.result);
    json gj = {{"level", g.level},
               {"k", g.result.k},
               {"weight_share", num(s.primary == model_kind::common ? g.weight_share_common
                                                                    : g.weight_share_random)},
               {"weight_share_common", num(g.weight_share_common)},
               {"weight_share_random", num(g.weight_share_random)},
               {"studies", r["studies"]},
               {"common", r["common"]},
               {"random", r["random"]},
               {"heterogeneity", r["heterogeneity"]},
               {"notes", r["notes"]}};
    groups.push_back(std::move(gj));
  }
  j["subgroups"] = std::move(groups);
  auto test = [](const subgroup_test& t) {
    return json{{"Q", num(t.Q)}, {"df", num(t.df)}, {"p", num(t.p)}};
  };
  j["between"] = test(s.between());
  j["between"]["model"] = std::string(kind_name(s.primary));
  j["between_common"] = test(s.between_common);
  j["between_random"] = test(s.between_random);
  for (const auto& n : s.notes) j["notes"].push_back(n);
  return j;
}

json input_json(const study_table& t) {
  json ex = json::array();
  for (const auto& e : t.excluded) {
    ex.push_back({{"study", e.study}, {"line", e.line}, {"reason", e.reason}});
  }
  json j = {{"source", t.source},
            {"measure", std::string(measure_code(t.measure))},
            {"input", std::string(input_kind_columns(t.kind))},
            {"excluded", std::move(ex)},
            {"notices", t.notices}};
  // Hazard-ratio input: how each study's ln HR was obtained, with its log-rank form.
  if (!t.hr_source.empty()) {
    json studies = json::array();
    for (std::size_t i = 0; i < t.k(); ++i) {
      studies.push_back({{"study", t.study[i]},
                         {"line", t.line[i]},
                         {"source", t.hr_source[i]},
                         {"o_minus_e", num(t.o_minus_e[i])},
                         {"v", num(t.v[i])}});
    }
    j["studies"] = std::move(studies);
  }
  return j;
}

}  // namespace srma
