// Validation: leave-one-out and cumulative analyses of 2x2 tables pooled by Mantel-Haenszel (OR,
// RR, RD) or Peto refit by the same method, as metafor's leave1out/cumul methods for rma.mh and
// rma.peto do (srma refitted by inverse variance before).
//
// Reference values: tests/validation/data/mh_sensitivity.json, written by
// tools/make_reference_mh_sensitivity.R (R 4.2.2, metafor 3.8-1) from the committed tables
// tests/validation/data/pool2x2_{bcg,li2007,nielweise2007}.csv (metadat 1.2-0's dat.bcg,
// dat.li2007 and dat.nielweise2007; the last has single- and double-zero tables). Each case
// records its R call in "r_call".
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "validation/reference.hpp"

namespace srma {
namespace {

void expect_rel(double actual, const nlohmann::json& expected, const std::string& what) {
  if (expected.is_null()) {
    EXPECT_TRUE(std::isnan(actual)) << what << " = " << actual << ", metafor: NA";
    return;
  }
  const double e = expected.get<double>();
  const double tol = 1e-6 * std::max(std::abs(e), 1e-2);
  EXPECT_NEAR(actual, e, tol) << what;
}

void expect_rows(const std::vector<refit_summary>& rows, const nlohmann::json& ref,
                 const std::string& what) {
  ASSERT_EQ(rows.size(), ref.size()) << what;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const auto& e = ref[i];
    const std::string at = what + " row " + std::to_string(i + 1);
    EXPECT_EQ(r.label, e["label"].get<std::string>()) << at;
    if (e["estimate"].is_null()) {
      // No MH estimate (e.g. the first cumulative step of dat.nielweise2007 is one table with no
      // events in the treatment arm: MH OR = 0). metafor still prints Q = 0, I2 = 0 there (its
      // k = 1 convention applied to a fit without an estimate); srma gives the row no numbers at
      // all and names it in a note: a fit without an estimate has no statistics.
      EXPECT_FALSE(r.fitted) << at;
      EXPECT_TRUE(std::isnan(r.estimate.estimate)) << at;
      continue;
    }
    expect_rel(r.estimate.estimate, e["estimate"], at + " estimate");
    expect_rel(r.estimate.se, e["se"], at + " se");
    expect_rel(r.estimate.statistic, e["zval"], at + " z");
    expect_rel(r.estimate.p, e["pval"], at + " p");
    expect_rel(r.estimate.ci_lower, e["ci_lower"], at + " ci lower");
    expect_rel(r.estimate.ci_upper, e["ci_upper"], at + " ci upper");
    expect_rel(r.Q, e["Q"], at + " Q");
    expect_rel(r.Q_p, e["Q_p"], at + " Q p");
    expect_rel(r.I2, e["I2"], at + " I2");
    expect_rel(r.H2, e["H2"], at + " H2");
  }
}

TEST(mh_sensitivity_test, leave1out_and_cumulative_refit_by_mh_and_peto_as_metafor) {
  const auto ref = test::load_reference("mh_sensitivity.json");
  ASSERT_TRUE(ref.is_object());
  int checked = 0;
  for (const auto& [name, c] : ref["cases"].items()) {
    SCOPED_TRACE(name);
    read_options ro;
    const std::string m = c["measure"].get<std::string>();
    ro.measure = m == "OR"   ? effect_measure::odds_ratio
                 : m == "RR" ? effect_measure::risk_ratio
                             : effect_measure::risk_difference;
    ro.zero_cells = escalc_zero_cells();
    auto studies = read_studies(
        test::reference_data_path("pool2x2_" + c["data"].get<std::string>() + ".csv"), ro);
    ASSERT_TRUE(studies) << studies.error().what();
    pool_options o = preset_options(preset::metafor);
    o.model = model_choice::common;
    o.method = c["method"] == "peto" ? pooling_method::peto : pooling_method::mantel_haenszel;
    auto l1o = leave1out(*studies, o);
    ASSERT_TRUE(l1o) << l1o.error().what();
    EXPECT_EQ(l1o->failed, 0u);
    expect_rows(l1o->rows, c["leave1out"], "leave1out");
    auto cum = cumulative(*studies, "", o);
    ASSERT_TRUE(cum) << cum.error().what();
    expect_rows(cum->rows, c["cumulative"], "cumulative");
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

}  // namespace
}  // namespace srma
