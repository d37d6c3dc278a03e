// Validation: Mantel-Haenszel (OR, RR, RD) and Peto pooling of 2x2 tables against metafor 3.8-1's
// rma.mh() and rma.peto(), and RevMan 5's Mantel-Haenszel rules.
//
// Reference values: tests/validation/data/mh_peto.json, written by tools/make_reference_mh.R
// (R 4.2.2, metafor 3.8-1, metadat 1.2-0; every case records its R code under "r_call") from
// dat.bcg, dat.nielweise2007, dat.yusuf1985 (table 9), dat.li2007, dat.lee2004, dat.anand1999,
// dat.axfors2021 (15 of 33 tables double-zero) and a synthetic set with all-event tables. Per
// data set, 7 cases:
//   - <set>_<OR|RR|RD>_metafor: rma.mh(ai=, n1i=, ci=, n2i=, measure=) with metafor's defaults
//     (and correct=FALSE for the *_uncorrected CMH and Cochran statistics);
//   - <set>_<OR|RR>_revman5: rma.mh() on the tables where the measure is estimable with 0.5
//     added to every cell of a table with a zero cell (RevMan 5's MH method as meta::metabin
//     reproduces it with MH.exact = FALSE, RR.Cochrane = TRUE, Q.Cochrane = TRUE; Cochrane
//     Handbook 5.1, 9.4.4.1 and 16.9.3);
//   - <set>_RD_revman5: meta::metabin's MH.exact = FALSE risk difference (Greenland-Robins
//     variance from corrected cells) transcribed in plain R (independent computation);
//   - <set>_peto: rma.peto(ai=, n1i=, ci=, n2i=).
// Every number is compared at 1e-6 relative (absolute below 1e-8), see validation/reference.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "srma/model/mantel_haenszel.hpp"
#include "srma/model/peto.hpp"
#include "validation/reference.hpp"

namespace srma {
namespace {

nlohmann::json number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nullptr; }

nlohmann::json numbers(const std::vector<double>& x) {
  nlohmann::json a = nlohmann::json::array();
  for (double v : x) a.push_back(number(v));
  return a;
}

// The estimate block under the reference file's keys.
void put_estimate(nlohmann::json& j, const model_estimate& e) {
  j["estimate"] = number(e.estimate);
  j["se"] = number(e.se);
  j["ci_lower"] = number(e.ci_lower);
  j["ci_upper"] = number(e.ci_upper);
  j["z"] = number(e.statistic);
  j["p"] = number(e.p);
}

nlohmann::json mh_json(const mh_result& r, const mh_result& uncorrected) {
  nlohmann::json j;
  put_estimate(j, r.estimate);
  j["Q"] = number(r.Q);
  j["Q_df"] = number(r.Q_df);
  j["Q_p"] = number(r.Q_p);
  j["I2"] = number(r.I2);
  j["H2"] = number(r.H2);
  j["k_pooled"] = r.k_pooled;
  j["k_q"] = r.k_q;
  j["weights"] = numbers(r.weight);
  j["yi"] = numbers(r.yi);
  j["vi"] = numbers(r.vi);
  j["cmh"] = number(r.cmh);
  j["cmh_p"] = number(r.cmh_p);
  j["cochran"] = number(r.cochran);
  j["cochran_p"] = number(r.cochran_p);
  j["cmh_uncorrected"] = number(uncorrected.cmh);
  j["cmh_uncorrected_p"] = number(uncorrected.cmh_p);
  j["cochran_uncorrected"] = number(uncorrected.cochran);
  j["cochran_uncorrected_p"] = number(uncorrected.cochran_p);
  j["tarone"] = number(r.tarone);
  j["tarone_df"] = number(r.tarone_df);
  j["tarone_p"] = number(r.tarone_p);
  j["breslow_day"] = number(r.breslow_day);
  j["breslow_day_p"] = number(r.breslow_day_p);
  return j;
}

nlohmann::json peto_json(const peto_result& r) {
  nlohmann::json j;
  put_estimate(j, r.estimate);
  j["Q"] = number(r.Q);
  j["Q_df"] = number(r.Q_df);
  j["Q_p"] = number(r.Q_p);
  j["I2"] = number(r.I2);
  j["H2"] = number(r.H2);
  j["k_q"] = r.k_q;
  j["weights"] = numbers(r.weight);
  j["yi"] = numbers(r.yi);
  j["vi"] = numbers(r.vi);
  return j;
}

TEST(mh_peto_test, matches_metafor_and_revman5_rules) {
  const nlohmann::json ref = test::load_reference("mh_peto.json");
  ASSERT_FALSE(ref.is_null());
  const auto& sets = ref.at("datasets");
  ASSERT_EQ(sets.size(), 8u) << "data sets in mh_peto.json";
  test::comparison_count n;
  std::size_t cases = 0;
  for (const auto& ds : sets) {
    const auto ai = ds.at("ai").get<std::vector<double>>();
    const auto n1i = ds.at("n1i").get<std::vector<double>>();
    const auto ci = ds.at("ci").get<std::vector<double>>();
    const auto n2i = ds.at("n2i").get<std::vector<double>>();
    ASSERT_EQ(ds.at("cases").size(), 7u) << ds.at("name");
    for (const auto& c : ds.at("cases")) {
      ++cases;
      const std::string name = c.at("name").get<std::string>();
      const double level = c.at("level").get<double>();
      if (c.at("method") == "peto") {
        peto_options o;
        o.level = level;
        const auto r = pool_peto(ai, n1i, ci, n2i, o);
        if (!r) {
          ADD_FAILURE() << name << ": " << r.error().what();
          continue;
        }
        test::compare_reference(c.at("expected"), peto_json(*r), name, n);
        continue;
      }
      const auto measure = parse_measure(c.at("measure").get<std::string>());
      ASSERT_TRUE(measure.has_value()) << name;
      mh_options o = c.at("convention") == "revman5" ? mh_options_revman5(*measure)
                                                     : mh_options_metafor(*measure);
      o.level = level;
      const auto r = pool_mantel_haenszel(ai, n1i, ci, n2i, o);
      o.correct = false;
      const auto r0 = pool_mantel_haenszel(ai, n1i, ci, n2i, o);
      if (!r || !r0) {
        ADD_FAILURE() << name << ": " << (r ? r0 : r).error().what();
        continue;
      }
      test::compare_reference(c.at("expected"), mh_json(*r, *r0), name, n);
    }
  }
  EXPECT_EQ(cases, 56u);
  // Each case has at least estimate, se, CI, z, p, Q, Q_df, Q_p, I2, H2 and per-table values.
  EXPECT_GT(n.leaves, 56 * 12);
}

// Nothing is left out silently: each double-zero table of dat.axfors2021 (15 of 33) is named in
// a note under both conventions (counts from the reference file; rma.mh's k.yi = 18).
TEST(mh_peto_test, axfors2021_double_zero_tables_are_named) {
  const nlohmann::json ref = test::load_reference("mh_peto.json");
  ASSERT_FALSE(ref.is_null());
  for (const auto& ds : ref.at("datasets")) {
    if (ds.at("name") != "axfors2021") continue;
    const auto ai = ds.at("ai").get<std::vector<double>>();
    const auto n1i = ds.at("n1i").get<std::vector<double>>();
    const auto ci = ds.at("ci").get<std::vector<double>>();
    const auto n2i = ds.at("n2i").get<std::vector<double>>();
    const auto labels = ds.at("study").get<std::vector<std::string>>();
    std::size_t double_zero = 0;
    for (std::size_t i = 0; i < ai.size(); ++i) double_zero += ai[i] == 0 && ci[i] == 0;
    ASSERT_EQ(double_zero, 15u);
    for (const mh_options& o : {mh_options_metafor(effect_measure::odds_ratio),
                                mh_options_revman5(effect_measure::odds_ratio)}) {
      const auto r = pool_mantel_haenszel(ai, n1i, ci, n2i, o, labels);
      ASSERT_TRUE(r.has_value()) << r.error().what();
      EXPECT_EQ(r->k_q, 18u);
      std::size_t named = 0;
      for (const auto& note : r->notes)
        named += note.find("no events in either arm") != std::string::npos;
      EXPECT_EQ(named, double_zero) << to_string(o.double_zero);
      EXPECT_EQ(r->k_pooled, o.double_zero == mh_double_zero::keep ? 33u : 18u);
    }
  }
}

}  // namespace
}  // namespace srma
