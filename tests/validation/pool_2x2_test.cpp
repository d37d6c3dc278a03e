// Validation: a whole 2x2 analysis by Mantel-Haenszel or Peto (srma::pool_2x2) under metafor's
// and RevMan 5's rules: common-effect estimate, its weights, Q, I^2, H^2, the CMH and Tarone
// tests, tau^2 and the random-effects estimate.
//
// Reference values: tests/validation/data/pool2x2.json, written by
// tools/make_reference_pool_2x2.R (R 4.2.2, metafor 3.8-1, metadat 1.2-0) from dat.nielweise2007
// (single- and double-zero tables), dat.li2007 (single-zero tables) and dat.bcg; each case
// records its R calls in "r_call". Inputs: tests/validation/data/pool2x2_<set>.csv.
#include "srma/model/pool_2x2.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "srma/data/effect_size.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/pool_options.hpp"
#include "validation/reference.hpp"

namespace srma {
namespace {

void expect_rel(double actual, const nlohmann::json& expected, const std::string& what) {
  ASSERT_TRUE(expected.is_number()) << what;
  const double e = expected.get<double>();
  const double tol = 1e-6 * std::max(std::abs(e), 1e-2);
  EXPECT_NEAR(actual, e, tol) << what;
}

TEST(pool_2x2_test, matches_metafor_and_revman5_rules) {
  const auto ref = test::load_reference("pool2x2.json");
  ASSERT_TRUE(ref.is_object());
  int checked = 0;
  for (const auto& [name, c] : ref["cases"].items()) {
    SCOPED_TRACE(name);
    const bool revman = c["counts"] == "revman5";
    read_options ro;
    ro.measure = effect_measure::odds_ratio;
    ro.zero_cells = revman ? revman5_zero_cells() : escalc_zero_cells();
    auto studies = read_studies(
        test::reference_data_path("pool2x2_" + c["data"].get<std::string>() + ".csv"), ro);
    ASSERT_TRUE(studies) << studies.error().what();

    pool_options o = preset_options(revman ? preset::revman5 : preset::metafor);
    o.method = c["method"] == "peto" ? pooling_method::peto : pooling_method::mantel_haenszel;
    o.control.rel_tol = 1e-12;
    auto r = pool_2x2(*studies, o);
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(r->k, c["k"].get<std::size_t>());
    expect_rel(r->common.estimate, c["common"], "common");
    expect_rel(r->common.se, c["common_se"], "common se");
    expect_rel(r->common.ci_lower, c["common_ci_lower"], "common ci lower");
    expect_rel(r->common.ci_upper, c["common_ci_upper"], "common ci upper");
    expect_rel(r->heterogeneity.Q, c["Q"], "Q");
    expect_rel(r->heterogeneity.I2, c["I2"], "I2");
    expect_rel(r->heterogeneity.H2, c["H2"], "H2");
    expect_rel(r->heterogeneity.tau2, c["tau2"], "tau2");
    expect_rel(r->random.estimate, c["random"], "random");
    expect_rel(r->random.se, c["random_se"], "random se");
    expect_rel(r->random.ci_lower, c["random_ci_lower"], "random ci lower");
    expect_rel(r->random.ci_upper, c["random_ci_upper"], "random ci upper");
    if (c.contains("cmh")) {
      expect_rel(r->cmh, c["cmh"], "CMH");
      expect_rel(r->cmh_p, c["cmh_p"], "CMH p");
      expect_rel(r->tarone, c["tarone"], "Tarone");
      expect_rel(r->tarone_p, c["tarone_p"], "Tarone p");
    }
    if (c.contains("weights")) {
      ASSERT_EQ(r->weight_common.size(), c["weights"].size());
      for (std::size_t i = 0; i < r->weight_common.size(); ++i) {
        expect_rel(r->weight_common[i], c["weights"][i], "weight " + std::to_string(i));
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

// Mantel-Haenszel asked for input that has no 2x2 counts is an error, not inverse variance.
TEST(pool_2x2_test, needs_2x2_counts) {
  auto t = make_study_table({0.1, 0.2}, {0.01, 0.02}, {"A", "B"}, effect_measure::odds_ratio);
  ASSERT_TRUE(t);
  pool_options o;
  o.method = pooling_method::mantel_haenszel;
  auto r = pool_2x2(*t, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, errc::input_measure_mismatch);
  EXPECT_FALSE(has_2x2_counts(*t));
  o.method = pooling_method::inverse_variance;
  EXPECT_TRUE(pool_2x2(*t, o));
}

}  // namespace
}  // namespace srma
