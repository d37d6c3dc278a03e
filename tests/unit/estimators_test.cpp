// The public estimators called directly, as a library user would (not through the CLI's JSON):
// estimate_tau2 on arrays and on a linear_model, the Q-profile CI, Egger, Begg, trim-and-fill and
// fail-safe N; and the shared argument checks (srma/util/check.hpp) of every function that takes
// arrays. Reference values are read from the committed metafor files, not typed in:
//   tests/validation/data/bcg.json            cases bcg_RR_<tau2>_z (tools/make_reference_pool.R)
//   tests/validation/data/bcg_sensitivity.json case bcg_RR_bias_REML_z_L0
//                                               (tools/make_reference_sensitivity.R)
// both R 4.2, metafor 3.8-1, tight control; the exact R calls are in each case's "r_call".
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "srma/bias/fail_safe_n.hpp"
#include "srma/bias/rank_test.hpp"
#include "srma/bias/regression_test.hpp"
#include "srma/bias/trim_and_fill.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/model/metareg.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/qprofile.hpp"
#include "srma/model/tau2.hpp"
#include "srma/sensitivity/gosh.hpp"
#include "srma/sensitivity/permtest.hpp"
#include "srma/util/check.hpp"
#include "srma/util/error_ids.hpp"
#include "validation/reference.hpp"

namespace srma {
namespace {

using test::load_reference;
using test::tol::estimate;

// The BCG trials as log risk ratios (escalc(measure = "RR"), as the reference cases).
study_table bcg_rr() {
  auto t =
      read_studies(test::reference_data_path("bcg.csv"), {.measure = effect_measure::risk_ratio});
  EXPECT_TRUE(t) << t.error().what();
  return t ? *t : study_table{};
}

const nlohmann::json& pool_case(const nlohmann::json& ref, const std::string& name) {
  for (const auto& c : ref.at("cases"))
    if (c.at("name") == name) return c.at("expected");
  ADD_FAILURE() << "no reference case " << name;
  static const nlohmann::json none = nlohmann::json::object();
  return none;
}

TEST(estimators_test, estimate_tau2_on_arrays_matches_metafor_for_every_estimator) {
  const auto t = bcg_rr();
  const auto ref = load_reference("bcg.json");
  for (auto m : all_tau2_methods()) {
    const std::string code(tau2_method_code(m));
    const auto& h = pool_case(ref, "bcg_RR_" + code + "_z").at("heterogeneity");
    auto est = estimate_tau2(t.yi, t.vi, m);
    ASSERT_TRUE(est) << code << ": " << est.error().what();
    EXPECT_REL(est->tau2, h.at("tau2").get<double>(), estimate) << code;
    EXPECT_REL(est->se, h.at("tau2_se").get<double>(), estimate) << code;
  }
}

TEST(estimators_test, estimate_tau2_on_a_linear_model_equals_the_array_form) {
  const auto t = bcg_rr();
  intercept_model model(t.yi, t.vi);
  for (auto m : all_tau2_methods()) {
    auto a = estimate_tau2(t.yi, t.vi, m);
    auto b = estimate_tau2(model, m);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->tau2, b->tau2) << tau2_method_code(m);
  }
  // Cochran's Q is y'Py at tau^2 = 0 (bcg.json, heterogeneity.Q).
  const auto ref = load_reference("bcg.json");
  EXPECT_REL(model.at(0.0).rss,
             pool_case(ref, "bcg_RR_REML_z").at("heterogeneity").at("Q").get<double>(), estimate);
}

TEST(estimators_test, qprofile_ci_matches_metafor_confint) {
  const auto t = bcg_rr();
  const auto ref = load_reference("bcg.json");
  const auto& h = pool_case(ref, "bcg_RR_REML_z").at("heterogeneity");
  auto ci = qprofile_tau2_ci(t.yi, t.vi, 95);
  ASSERT_TRUE(ci) << ci.error().what();
  EXPECT_FALSE(ci->null_set);
  EXPECT_REL(ci->lower, h.at("tau2_ci_lower").get<double>(), test::tol::tau2_ci);
  EXPECT_REL(ci->upper, h.at("tau2_ci_upper").get<double>(), test::tol::tau2_ci);
  intercept_model model(t.yi, t.vi);
  auto same = qprofile_tau2_ci(model, 95);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->lower, ci->lower);
  EXPECT_EQ(same->upper, ci->upper);
}

TEST(estimators_test, bias_tests_called_one_by_one_match_metafor) {
  const auto t = bcg_rr();
  const auto ref = load_reference("bcg_sensitivity.json");
  nlohmann::json e;
  for (const auto& c : ref.at("cases"))
    if (c.at("name") == "bcg_RR_bias_REML_z_L0") e = c.at("expected");
  ASSERT_FALSE(e.is_null());
  pool_options o = preset_options(preset::metafor);
  o.tau2 = tau2_method::reml;

  auto egger = egger_test(t.yi, t.vi, o, /*mixed=*/false);
  ASSERT_TRUE(egger) << egger.error().what();
  EXPECT_EQ(egger->predictor, bias_predictor::sei);
  EXPECT_REL(egger->bias, e["egger"]["bias"].get<double>(), estimate);
  EXPECT_REL(egger->p, e["egger"]["p"].get<double>(), estimate);
  EXPECT_REL(egger->limit_estimate, e["egger"]["limit_estimate"].get<double>(), estimate);

  auto begg = begg_test(t.yi, t.vi);
  ASSERT_TRUE(begg);
  EXPECT_REL(begg->tau, e["begg"]["tau"].get<double>(), estimate);
  EXPECT_REL(begg->p, e["begg"]["p"].get<double>(), estimate);

  auto tf = trim_and_fill(t.yi, t.vi, o, trimfill_estimator::l0);
  ASSERT_TRUE(tf) << tf.error().what();
  EXPECT_EQ(tf->k0, e["trimfill"]["k0"].get<std::size_t>());
  EXPECT_EQ(to_string(tf->side), e["trimfill"]["side"].get<std::string>());
  EXPECT_REL(tf->estimate.estimate, e["trimfill"]["estimate"].get<double>(), estimate);
  EXPECT_REL(tf->estimate.se, e["trimfill"]["se"].get<double>(), estimate);
  EXPECT_REL(tf->tau2, e["trimfill"]["tau2"].get<double>(), estimate);
  ASSERT_EQ(tf->filled_yi.size(), e["trimfill"]["filled"].size());
  EXPECT_REL(tf->filled_yi[0], e["trimfill"]["filled"][0]["yi"].get<double>(), estimate);
  // Naming the side metafor chose gives the same fill; naming the other one fills nothing there.
  auto same_side = trim_and_fill(t.yi, t.vi, o, trimfill_estimator::l0, tf->side);
  ASSERT_TRUE(same_side);
  EXPECT_EQ(same_side->k0, tf->k0);

  auto fsn = failsafe_n(t.yi, t.vi);
  ASSERT_TRUE(fsn);
  EXPECT_EQ(fsn->rosenthal, e["failsafe"]["rosenthal"].get<double>());
  EXPECT_EQ(fsn->orwin, e["failsafe"]["orwin"].get<double>());
  EXPECT_EQ(fsn->rosenberg, e["failsafe"]["rosenberg"].get<double>());
}

TEST(estimators_test, enum_names_round_trip) {
  for (auto e : {trimfill_estimator::l0, trimfill_estimator::r0})
    EXPECT_EQ(parse_trimfill_estimator(to_string(e)), e);
  for (auto s : {funnel_side::left, funnel_side::right})
    EXPECT_EQ(parse_funnel_side(to_string(s)), s);
  EXPECT_EQ(parse_trimfill_estimator("r0"), trimfill_estimator::r0);
  EXPECT_FALSE(parse_trimfill_estimator("L1"));
  EXPECT_FALSE(parse_funnel_side("up"));
  for (auto m : all_tau2_methods()) EXPECT_EQ(parse_tau2_method(to_string(m)), m);
  for (auto m : {model_kind::common, model_kind::random})
    EXPECT_EQ(parse_model_kind(to_string(m)), m);
  for (auto m :
       {model_choice::common, model_choice::random, model_choice::both, model_choice::auto_i2})
    EXPECT_EQ(parse_model_choice(to_string(m)), m);
  for (auto m : {ci_method::z, ci_method::hksj}) EXPECT_EQ(parse_ci_method(to_string(m)), m);
  for (auto p : {preset::srma, preset::metafor, preset::meta, preset::revman5})
    EXPECT_EQ(parse_preset(to_string(p)), p);
  for (auto m : {missing_policy::error, missing_policy::exclude})
    EXPECT_EQ(parse_missing_policy(to_string(m)), m);
  for (auto m : {effect_measure::hazard_ratio, effect_measure::odds_ratio,
                 effect_measure::risk_ratio, effect_measure::mean_difference})
    EXPECT_EQ(parse_measure(to_string(m)), m);
}

// ---- the shared checks, through every public function that takes arrays ----------------------

TEST(estimators_test, mismatched_lengths_are_errors_everywhere) {
  const std::vector<double> y = {0.1, 0.2, 0.3, 0.4}, v3 = {0.1, 0.1, 0.1};
  const pool_options o;
  const std::string want =
      "[srma.input.E213] yi has 4 values and vi 3; they must have the same length";
  EXPECT_EQ(estimate_tau2(y, v3, tau2_method::reml).error().what(), want);
  EXPECT_EQ(qprofile_tau2_ci(y, v3).error().what(), want);
  EXPECT_EQ(pool(y, v3, o).error().what(), want);
  EXPECT_EQ(pool_effects(y, v3, o).error().what(), want);
  EXPECT_EQ(egger_test(y, v3, o, false).error().what(), want);
  EXPECT_EQ(begg_test(y, v3).error().what(), want);
  EXPECT_EQ(trim_and_fill(y, v3, o, trimfill_estimator::l0).error().what(), want);
  EXPECT_EQ(failsafe_n(y, v3).error().what(), want);
  // gosh() and the intercept-only permutation test used to read past the end here.
  EXPECT_EQ(gosh(y, v3, o).error().what(), want);
  EXPECT_EQ(permutation_test(y, v3, nullptr, o).error().what(), want);
  design_matrix d;
  d.rows = 4;
  d.names = {"intercept"};
  d.values.assign(4, 1.0);
  EXPECT_EQ(metareg(y, v3, d, o).error().what(), want);
  const std::vector<double> v4 = {0.1, 0.1, 0.1, 0.1}, n3 = {10, 20, 30};
  EXPECT_EQ(peters_test(y, v4, n3, o, false).error().what(),
            "[srma.input.E213] yi has 4 values and n 3; they must have the same length");
}

TEST(estimators_test, non_finite_effects_and_bad_variances_are_errors) {
  const std::vector<double> y = {0.1, NAN, 0.3}, v = {0.1, 0.1, 0.1};
  const std::vector<double> y_ok = {0.1, 0.2, 0.3}, v_bad = {0.1, -0.2, 0.1};
  const pool_options o;
  EXPECT_EQ(gosh(y, v, o).error().what(), "[srma.input.E205] yi[1] is nan, but must be finite");
  EXPECT_EQ(begg_test(y_ok, v_bad).error().what(),
            "[srma.input.E205] vi[1] is -0.2, but must be finite and > 0");
  EXPECT_EQ(estimate_tau2(y_ok, v_bad, tau2_method::dl).error().id, errc::input_out_of_range);
  EXPECT_EQ(permutation_test(y_ok, v_bad, nullptr, o).error().id, errc::input_out_of_range);
}

TEST(estimators_test, options_are_validated_before_any_work) {
  const std::vector<double> y = {0.1, 0.2, 0.3, 0.5}, v = {0.1, 0.2, 0.1, 0.3};
  EXPECT_EQ(gosh(y, v, {}, {.max_subsets = 0}).error().what(),
            "[srma.model.E300] max_subsets is 0, but at least one subset must be fitted");
  EXPECT_EQ(permutation_test(y, v, nullptr, {}, {.iterations = 0}).error().id,
            errc::model_bad_options);
  EXPECT_EQ(estimate_tau2(y, v, tau2_method::reml, {.rel_tol = 0}).error().id,
            errc::model_bad_options);
  EXPECT_EQ(qprofile_tau2_ci(y, v, 100).error().id, errc::model_bad_options);
  EXPECT_EQ(failsafe_n(y, v, 1.5).error().id, errc::model_bad_options);
  EXPECT_FALSE(bias_options{.alpha = 0}.validate().empty());
  EXPECT_FALSE(read_options{.ci_level = 100}.validate().empty());
  EXPECT_TRUE(read_options{}.validate().empty());
  EXPECT_TRUE(gosh_options{}.validate().empty());
  EXPECT_TRUE(permtest_options{}.validate().empty());
  EXPECT_TRUE(tau2_control{}.validate().empty());
  // pool_options checks its iteration control by the same rule as the estimators.
  pool_options loose;
  loose.control.rel_tol = 5;
  EXPECT_EQ(loose.validate(), "iteration control: " + loose.control.validate());
  EXPECT_EQ(pool(y, v, loose).error().id, errc::model_bad_options);
}

TEST(estimators_test, too_few_studies_are_counted_in_the_message) {
  const std::vector<double> y = {0.1, 0.2}, v = {0.1, 0.2};
  EXPECT_EQ(begg_test(y, v).error().what(),
            "[srma.model.E301] the rank correlation test needs at least 3 studies (k = 2)");
  EXPECT_EQ(check_min_count("Egger's test", 2, 3).error().what(),
            "[srma.model.E301] Egger's test needs at least 3 studies (k = 2)");
  EXPECT_TRUE(check_min_count("Egger's test", 3, 3));
}

}  // namespace
}  // namespace srma
