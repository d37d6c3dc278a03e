// JSON of the sensitivity analyses, small-study tests, meta-regression and permutation tests.
#include <cmath>

#include "srma/report/json.hpp"

namespace srma {
namespace {

using nlohmann::json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

std::string kind_name(model_kind k) { return k == model_kind::common ? "common" : "random"; }

json refit_json(const refit_summary& r, const char* label_key) {
  const auto& e = r.estimate;
  return {{label_key, r.label},
          {"k", r.k},
          {"fitted", r.fitted},
          {"estimate", num(e.estimate)},
          {"se", num(e.se)},
          {"statistic", num(e.statistic)},
          {"p", num(e.p)},
          {"ci_lower", num(e.ci_lower)},
          {"ci_upper", num(e.ci_upper)},
          {"df", num(e.df)},
          {"Q", num(r.Q)},
          {"Q_p", num(r.Q_p)},
          {"tau2", num(r.tau2)},
          {"I2", num(r.I2)},
          {"I2_tau2", num(r.I2_tau2)},
          {"H2", num(r.H2)},
          {"H2_tau2", num(r.H2_tau2)}};
}

json model_json(const pool_result& full, model_kind model) {
  return {{"model", kind_name(model)},
          {"tau2_method", model == model_kind::common
                              ? std::string("none")
                              : std::string(tau2_method_code(full.random.method))},
          {"ci_method", std::string(ci_method_name(full.random.ci))}};
}

}  // namespace

json to_json(const regression_test& t) {
  return {{"predictor", to_string(t.predictor)},
          {"mixed", t.mixed},
          {"bias", num(t.bias)},
          {"se", num(t.se)},
          {"statistic", num(t.statistic)},
          {"df", num(t.df)},
          {"p", num(t.p)},
          {"limit_estimate", num(t.limit_estimate)},
          {"limit_ci_lower", num(t.limit_ci_lower)},
          {"limit_ci_upper", num(t.limit_ci_upper)}};
}

json to_json(const rank_test& r) {
  return {{"tau", num(r.tau)}, {"p", num(r.p)}, {"exact", r.exact}};
}

json to_json(const trimfill_result& t) {
  json filled = json::array();
  for (std::size_t i = 0; i < t.filled_yi.size(); ++i)
    filled.push_back({{"yi", num(t.filled_yi[i])}, {"vi", num(t.filled_vi[i])}});
  return {{"estimator", to_string(t.estimator)},
          {"k0", t.k0},
          {"se_k0", num(t.se_k0)},
          {"side", to_string(t.side)},
          {"estimate", num(t.estimate.estimate)},
          {"se", num(t.estimate.se)},
          {"ci_lower", num(t.estimate.ci_lower)},
          {"ci_upper", num(t.estimate.ci_upper)},
          {"p", num(t.estimate.p)},
          {"tau2", num(t.tau2)},
          {"filled", std::move(filled)}};
}

json to_json(const failsafe_result& f) {
  return {{"alpha", f.alpha},
          {"rosenthal", num(f.rosenthal)},
          {"orwin", num(f.orwin)},
          {"rosenberg", num(f.rosenberg)}};
}

json to_json(const leave1out_result& r) {
  json j = model_json(r.full, r.model);
  j["k"] = r.full.k;
  j["measure"] = std::string(measure_code(r.full.measure));
  j["full"] = to_json(r.full);
  json rows = json::array();
  for (const auto& row : r.rows) rows.push_back(refit_json(row, "omitted"));
  j["leave1out"] = std::move(rows);
  j["failed"] = r.failed;
  j["notes"] = r.notes;
  return j;
}

json to_json(const cumulative_result& r) {
  json j = model_json(r.full, r.model);
  j["k"] = r.full.k;
  j["measure"] = std::string(measure_code(r.full.measure));
  j["order"] = r.order_by;
  j["full"] = to_json(r.full);
  json rows = json::array();
  for (const auto& row : r.rows) rows.push_back(refit_json(row, "added"));
  j["cumulative"] = std::move(rows);
  j["failed"] = r.failed;
  j["notes"] = r.notes;
  return j;
}

json to_json(const influence_result& r) {
  json j = model_json(r.full, r.model);
  j["k"] = r.full.k;
  json inf = json::array(), bj = json::array();
  for (const auto& s : r.studies) {
    inf.push_back({{"study", s.study},
                   {"fitted", s.fitted},
                   {"rstudent", num(s.rstudent)},
                   {"dffits", num(s.dffits)},
                   {"cook_d", num(s.cook_d)},
                   {"cov_r", num(s.cov_r)},
                   {"tau2_del", num(s.tau2_del)},
                   {"QE_del", num(s.QE_del)},
                   {"hat", num(s.hat)},
                   {"weight", num(s.weight)},
                   {"dfbetas", num(s.dfbetas)},
                   {"influential", s.influential}});
    bj.push_back({{"study", s.study}, {"x", num(s.baujat_x)}, {"y", num(s.baujat_y)}});
  }
  j["influence"] = std::move(inf);
  j["baujat"] = std::move(bj);
  j["failed"] = r.failed;
  j["notes"] = r.notes;
  return j;
}

json to_json(const bias_result& r) {
  json j = model_json(r.full, r.model);
  j["k"] = r.k;
  j["measure"] = std::string(measure_code(r.full.measure));
  j["egger"] = to_json(r.egger);
  j["egger_mixed"] = to_json(r.egger_mixed);
  if (r.peters) j["peters"] = to_json(*r.peters);
  j["begg"] = to_json(r.begg);
  j["trimfill"] = to_json(r.trimfill);
  j["failsafe"] = to_json(r.failsafe);
  j["warnings"] = r.warnings;
  return j;
}

json to_json(const metareg_result& r) {
  json coefs = json::array();
  for (const auto& c : r.coefficients) {
    coefs.push_back({{"name", c.name},
                     {"estimate", num(c.estimate)},
                     {"se", num(c.se)},
                     {"statistic", num(c.statistic)},
                     {"p", num(c.p)},
                     {"ci_lower", num(c.ci_lower)},
                     {"ci_upper", num(c.ci_upper)},
                     {"df", num(c.df)}});
  }
  return {{"k", r.k},
          {"dropped", r.dropped},
          {"p", r.p},
          {"model", r.common_effect ? "common" : "random"},
          {"tau2_method",
           r.common_effect ? std::string("none") : std::string(tau2_method_code(r.method))},
          {"ci_method", std::string(ci_method_name(r.ci))},
          {"coefficients", std::move(coefs)},
          {"QM",
           {{"statistic", num(r.QM.statistic)},
            {"df1", num(r.QM.df1)},
            {"df2", num(r.QM.df2)},
            {"p", num(r.QM.p)}}},
          {"QE", {{"Q", num(r.QE)}, {"df", num(r.QE_df)}, {"p", num(r.QE_p)}}},
          {"tau2", num(r.tau2)},
          {"tau2_se", num(r.tau2_se)},
          {"I2", num(r.I2)},
          {"H2", num(r.H2)},
          {"I2_tau2", num(r.I2_tau2)},
          {"H2_tau2", num(r.H2_tau2)},
          {"R2", num(r.R2)},
          {"notes", r.notes}};
}

json to_json(const permtest_result& r) {
  json coefs = json::array();
  for (std::size_t j = 0; j < r.names.size(); ++j)
    coefs.push_back({{"name", r.names[j]}, {"p", num(r.coefficient_p[j])}});
  return {{"exact", r.exact},
          {"iterations", r.iterations},
          {"failed", r.failed},
          {"used", r.used},
          {"fell_back", r.fell_back},
          {"seed", r.seed},
          {"p", num(r.p)},
          {"observed_statistic", num(r.observed_statistic)},
          {"coefficients", std::move(coefs)},
          {"notes", r.notes}};
}

}  // namespace srma
