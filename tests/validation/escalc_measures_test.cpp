// Validation: outcome types beyond 2x2 tables and means against metafor's escalc() and rma():
// single proportions (PR, PLN, PLO, PAS, PFT), correlations (COR, ZCOR), incidence rates (IR,
// IRLN, IRR, IRD), the ratio of means (ROM), SMDH, and the zero-cell rules (add, to, drop00).
//
// Reference values: tests/validation/data/escalc_measures.json, written by
// tools/make_reference_escalc.R (R 4.2.2, metafor 3.8-1, metadat 1.2-0; each case records its
// exact R calls under "r_call"). Data sets: dat.pritz1997 and dat.pagliaro1992 (control arms)
// as proportions, dat.molloy2014 correlations, dat.hart1999 and dat.nielweise2008 incidence
// rates, dat.curtis1998 ROM, dat.normand1999 SMDH, dat.nielweise2007 2x2 with drop00 FALSE and
// TRUE; the "inline" cases are escalc() calls on small vectors with zero counts. Every number is
// compared at tol::estimate (1e-6 relative; absolute below 1e-8).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_options.hpp"
#include "validation/reference.hpp"

namespace srma {
namespace {

using nlohmann::json;

zero_cell_rule rule_of(const json& c) {
  if (!c.contains("zero_cells")) return escalc_zero_cells();
  const auto& z = c.at("zero_cells");
  zero_cell_rule r;
  r.add = z.at("add").get<double>();
  r.to = parse_zero_cell_to(z.at("to").get<std::string>()).value();
  r.double_zero = parse_double_zero_policy(z.at("drop00").get<std::string>()).value();
  return r;
}

void expect_near(double actual, double expected, const std::string& what) {
  EXPECT_TRUE(test::near_rel(actual, expected, test::tol::estimate)) << what;
}

const json& reference() {
  static const json ref = test::load_reference("escalc_measures.json");
  return ref;
}

// escalc(measure, ...) then rma(yi, vi, method = "REML" (tight control) | "DL") and
// predict(res, transf = ...), as each case's "r_call" records.
TEST(escalc_measures_test, matches_escalc_and_rma_on_metadat_sets) {
  const json& ref = reference();
  ASSERT_FALSE(ref.is_null());
  ASSERT_EQ(ref.at("cases").size(), 27u);
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    read_options ro;
    ro.measure = parse_measure(c.at("measure").get<std::string>());
    ASSERT_TRUE(ro.measure.has_value());
    ro.zero_cells = rule_of(c);
    auto t = read_studies(test::reference_data_path(c.at("input").get<std::string>()), ro);
    ASSERT_TRUE(t) << t.error().what();
    ASSERT_EQ(t->k(), c.at("k").get<std::size_t>());
    const auto& labels = t->label_as_given.empty() ? t->study : t->label_as_given;
    for (std::size_t i = 0; i < t->k(); ++i) {
      EXPECT_EQ(labels[i], c.at("study")[i].get<std::string>());
      expect_near(t->yi[i], c.at("yi")[i].get<double>(), name + " yi " + t->study[i]);
      expect_near(t->vi[i], c.at("vi")[i].get<double>(), name + " vi " + t->study[i]);
    }
    for (const char* method : {"REML", "DL"}) {
      pool_options o = preset_options(preset::metafor);
      o.tau2 = parse_tau2_method(method).value();
      auto r = pool(*t, o);
      ASSERT_TRUE(r) << r.error().what();
      const auto& f = c.at("fits").at(method);
      const std::string at = name + " " + method + " ";
      expect_near(r->random.estimate, f.at("estimate").get<double>(), at + "estimate");
      expect_near(r->random.se, f.at("se").get<double>(), at + "se");
      expect_near(r->random.ci_lower, f.at("ci_lower").get<double>(), at + "ci_lower");
      expect_near(r->random.ci_upper, f.at("ci_upper").get<double>(), at + "ci_upper");
      expect_near(r->heterogeneity.tau2, f.at("tau2").get<double>(), at + "tau2");
      // The pooled value and CI back-transformed as predict(res, transf = ...): PFT with the
      // harmonic mean of n (transf.ipft.hm), recovered from the variances.
      const auto m = t->measure;
      const auto ctx = t->display();
      const auto& d = f.at("display");
      expect_near(to_display(m, r->random.estimate, ctx), d.at("estimate").get<double>(),
                  at + "display estimate");
      expect_near(to_display(m, r->random.ci_lower, ctx), d.at("ci_lower").get<double>(),
                  at + "display ci_lower");
      expect_near(to_display(m, r->random.ci_upper, ctx), d.at("ci_upper").get<double>(),
                  at + "display ci_upper");
    }
  }
}

// A label shared by several rows (dat.curtis1998's paper) is kept on each and numbered.
TEST(escalc_measures_test, curtis1998_duplicate_papers_are_numbered) {
  auto t = read_studies(test::reference_data_path("escalc_curtis1998.csv"),
                        {.measure = effect_measure::ratio_of_means});
  ASSERT_TRUE(t) << t.error().what();
  ASSERT_EQ(t->k(), 102u);
  ASSERT_EQ(t->label_as_given.size(), 102u);
  // Rows 1 and 2 of dat.curtis1998 are both from paper 44 (ids 21 and 22).
  EXPECT_EQ(t->label_as_given[0], "44");
  EXPECT_EQ(t->study[0], "44 (1)");
  EXPECT_EQ(t->study[1], "44 (2)");
  std::vector<std::string> sorted = t->study;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
}

// The CSV text of an inline case: one row per study, columns named as srma reads them.
std::string inline_csv(const json& c, const std::vector<std::string>& columns) {
  std::string text = "study";
  for (const auto& col : columns) text += "," + col;
  text += "\n";
  const std::size_t k = c.at(columns[0]).size();
  for (std::size_t i = 0; i < k; ++i) {
    text += "S" + std::to_string(i + 1);
    for (const auto& col : columns) text += "," + fmt::format("{}", c.at(col)[i].get<double>());
    text += "\n";
  }
  return text;
}

// escalc(measure, <vectors>, add, to, drop00): yi and vi per study, NA for a study drop00
// leaves out (srma lists it in `excluded`).
TEST(escalc_measures_test, inline_zero_cell_rules_match_escalc) {
  const json& ref = reference();
  ASSERT_FALSE(ref.is_null());
  ASSERT_EQ(ref.at("inline").size(), 27u);
  for (const auto& c : ref.at("inline")) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name + ": " + c.at("r_call").get<std::string>());
    std::vector<std::string> columns;
    for (const char* col :
         {"events_t", "n_t", "time_t", "events_c", "n_c", "time_c", "events", "n", "time"}) {
      if (c.contains(col)) columns.emplace_back(col);
    }
    auto csv = parse_csv(inline_csv(c, columns), "inline.csv");
    ASSERT_TRUE(csv) << csv.error().what();
    read_options ro;
    ro.measure = parse_measure(c.at("measure").get<std::string>());
    ro.zero_cells = rule_of(c);
    auto t = make_study_table(*csv, ro);
    ASSERT_TRUE(t) << t.error().what();
    std::size_t j = 0;  // index into the analysed studies
    for (std::size_t i = 0; i < c.at("yi").size(); ++i) {
      const std::string label = "S" + std::to_string(i + 1);
      if (c.at("yi")[i].is_null()) {
        bool listed = false;
        for (const auto& x : t->excluded) listed = listed || x.study == label;
        EXPECT_TRUE(listed) << label << " should be excluded";
        continue;
      }
      ASSERT_LT(j, t->k());
      EXPECT_EQ(t->study[j], label);
      expect_near(t->yi[j], c.at("yi")[i].get<double>(), name + " yi " + label);
      expect_near(t->vi[j], c.at("vi")[i].get<double>(), name + " vi " + label);
      ++j;
    }
    EXPECT_EQ(j, t->k());
  }
}

// srma's own default keeps RevMan's rule: the double-zero trial of dat.nielweise2007 (Yucel
// 2004) is left out for OR and listed, as escalc(drop00 = TRUE); metafor's default keeps it.
TEST(escalc_measures_test, nielweise2007_default_rules) {
  const std::string path = test::reference_data_path("escalc_nielweise2007.csv");
  auto srma_default = read_studies(path, {.measure = effect_measure::odds_ratio});
  ASSERT_TRUE(srma_default) << srma_default.error().what();
  EXPECT_EQ(srma_default->k(), 17u);
  ASSERT_EQ(srma_default->excluded.size(), 1u);
  EXPECT_EQ(srma_default->excluded[0].study, "Yucel 2004");
  EXPECT_EQ(srma_default->excluded[0].reason,
            "no events in either group: the odds ratio is not estimable (the study adds no "
            "information on this scale)");
  auto metafor = read_studies(
      path, {.measure = effect_measure::odds_ratio, .zero_cells = escalc_zero_cells()});
  ASSERT_TRUE(metafor);
  EXPECT_EQ(metafor->k(), 18u);
  EXPECT_TRUE(metafor->excluded.empty());
  EXPECT_EQ(revman5_zero_cells(), srma_zero_cells());
  // RD keeps the double-zero trial under srma's rule (RD = 0 is estimable).
  auto rd = read_studies(path, {.measure = effect_measure::risk_difference});
  ASSERT_TRUE(rd);
  EXPECT_EQ(rd->k(), 18u);
}

}  // namespace
}  // namespace srma
