// Hazard-ratio column sets of a study CSV, chosen row by row (srma/data/study_table.hpp with
// srma/data/hr_from_summary.hpp). Expected values are computed independently of srma with Python
// 3.11's statistics.NormalDist (N = NormalDist(), z(p) = N.inv_cdf(1 - p/2)) from the formulas of
// Parmar et al. 1998 and Tierney et al. 2007; each test gives the expression. Published HRs:
// KEYNOTE-189 (Gandhi 2018, NEJM 378:2078) OS HR 0.49, 95% CI 0.38-0.64, p < 0.001; Bonner 2006
// (NEJM 354:567) OS HR 0.74, 95% CI 0.57-0.97, p = 0.03.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "srma/data/hr_from_summary.hpp"
#include "srma/data/study_table.hpp"
#include "srma/run/run.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

using test::tol::estimate;

expected<study_table> from_text(const std::string& text, read_options o = {}) {
  auto csv = parse_csv(text, "s.csv");
  if (!csv) return unexpected(csv.error());
  return make_study_table(*csv, o);
}

std::string error_of(const std::string& text, read_options o = {}) {
  auto t = from_text(text, o);
  return t ? std::string("no error") : t.error().what();
}

// One row per set. Every column set of a hazard-ratio file is in the header.
const std::string k_header =
    "study,hr,lower,upper,level,p,loghr,se,oe,v,o_t,e_t,o_c,e_c,chisq,direction,events,n_t,n_c,"
    "events_t,events_c\n";

struct expected_row {
  const char* study;
  const char* source;
  double loghr, se, v, o_minus_e;
};

TEST(study_table_hr_test, every_set_gives_its_route_row_by_row) {
  const std::string text = k_header +
                           "CI,0.49,0.38,0.64,,,,,,,,,,,,,,,,,\n"
                           "CI90,0.49,0.40,0.60,90,,,,,,,,,,,,,,,,\n"
                           "LogHR,,,,,,-0.41,0.21,,,,,,,,,,,,,\n"
                           "OEV,,,,,,,,-20.0438,60.5025,,,,,,,,,,,\n"
                           "ObsExp,,,,,,,,,,111,130.4,134,114.6,,,,,,,\n"
                           "ChisqV,,,,,,,,,60.5,,,,,6.64,favours_treatment,,,,,\n"
                           "ChisqOE,,,,,,,,-21.0,,,,,,6.64,,,,,,\n"
                           "PValue,0.68,,,,0.005,,,,,,,,,,,,,,,\n"
                           "PEvents,,,,,0.005,,,,,,,,,,treatment,245,211,213,,\n"
                           "PArm,,,,,0.005,,,,,,,,,,research,,,,111,134\n";
  auto t = from_text(text);
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->measure, effect_measure::hazard_ratio);
  EXPECT_EQ(t->kind, input_kind::hr_summaries);
  // Every column is read as effect data, and kept as an attribute too (issue 12 item 5).
  EXPECT_EQ(t->attribute_names.size(), 20u);
  EXPECT_EQ(t->attribute_names.front(), "hr");
  const std::vector<expected_row> want = {
      // log(0.49); (log(0.64) - log(0.38)) / (2 * N.inv_cdf(0.975)); V = 1/se**2; O-E = V ln HR
      {"CI", "ci", -0.7133498878774648, 0.13298635274556314, 56.54391166615215,
       -40.335593047202906},
      // the same with N.inv_cdf(0.95) and limits 0.40, 0.60
      {"CI90", "ci", -0.7133498878774648, 0.12325264128810132, 65.82752552572643,
       -46.958057953027904},
      // V = 1 / 0.21**2, O-E = -0.41 * V
      {"LogHR", "loghr_se", -0.41, 0.21, 22.67573696145125, -9.297052154195011},
      // -20.0438 / 60.5025, 1 / sqrt(60.5025)
      {"OEV", "oe_v", -0.3312887897194331, 0.12856221309001287, 60.5025, -20.0438},
      // log((111/130.4) / (134/114.6)), var = 1/130.4 + 1/114.6
      {"ObsExp", "observed_expected", -0.3174684438504907, 0.12804184920112296, 60.99526530612245,
       -19.364071958982517},
      // O-E = -sqrt(6.64 * 60.5)
      {"ChisqV", "logrank_chisq", -0.33128849378706543, 0.128564869306645, 60.5,
       -20.042953874117458},
      // V = 21**2 / 6.64
      {"ChisqOE", "logrank_chisq", -0.3161904761904762, 0.1227057021592869, 66.41566265060241,
       -21.0},
      // log(0.68), abs(log(0.68)) / z(0.005), V = (z(0.005) / log(0.68))**2
      {"PValue", "p_value", -0.3856624808119846, 0.13739146467038435, 52.97616221528925,
       -0.3856624808119846 * 52.97616221528925},
      // V = 245 * 211 * 213 / 424**2, O-E = -z(0.005) * sqrt(V)
      {"PEvents", "p_events", -0.35867360860179687, 0.12777673451838067, 61.24863719295123,
       -21.968269723938047},
      // V = 111 * 134 / 245, O-E = -z(0.005) * sqrt(V)
      {"PArm", "p_arm_events", -0.36026061892091465, 0.12834210367674823, 60.710204081632654,
       -21.87149569726402},
  };
  ASSERT_EQ(t->k(), want.size());
  ASSERT_EQ(t->hr_source.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].study);
    EXPECT_EQ(t->study[i], want[i].study);
    EXPECT_EQ(t->line[i], static_cast<int>(i) + 2);
    EXPECT_EQ(t->hr_source[i], want[i].source);
    EXPECT_REL(t->yi[i], want[i].loghr, estimate);
    EXPECT_REL(t->vi[i], want[i].se * want[i].se, estimate);
    EXPECT_REL(t->v[i], want[i].v, estimate);
    EXPECT_REL(t->o_minus_e[i], want[i].o_minus_e, estimate);
  }
}

// examples/hr_mixed/hr_mixed.csv: ten Pignon 2000 trials, each in another reported form. The
// expected values are printed by `python3 examples/hr_mixed/make_hr_mixed.py` (NormalDist).
TEST(study_table_hr_test, pignon_trials_in_ten_forms_give_back_their_log_hr) {
  auto t = read_studies(SRMA_SOURCE_DIR "/examples/hr_mixed/hr_mixed.csv");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->kind, input_kind::hr_summaries);
  EXPECT_TRUE(t->notices.empty());
  // timing first, then the effect columns in file order (issue 12 item 5).
  ASSERT_EQ(t->attribute_names.size(), 21u);
  EXPECT_EQ(t->attribute_names.front(), "timing");
  EXPECT_EQ(t->attribute_names[1], "hr");
  const std::vector<expected_row> want = {
      {"Int 0034", "oe_v", -0.09181141439205956, 0.11138647983852826, 80.6, -7.4},
      {"RTOG 6801", "ci", -0.01005033585350145, 0.0897577760214901, 124.12402022968837,
       -1.2474880907951764},
      {"GSTTC-86", "ci", -0.1743533871447778, 0.14402021685167848, 48.21177032766153,
       -8.405885456873882},
      {"CFHNS", "ci", -0.1743533871447778, 0.14677926468087196, 46.41630707596398,
       -8.092840357446436},
      {"Barcelona", "loghr_se", -0.209, 0.091, 120.75836251660428, -25.238497765970294},
      {"SHNG 85", "observed_expected", -0.04553812878305459, 0.10411597889678334, 92.24975609756098,
       -4.200881273376107},
      {"Manchester", "logrank_chisq", -0.03687162345644953, 0.12290541152149845, 66.2,
       -2.440901472816959},
      {"ECOG 2382", "p_value", 0.06765864847381486, 0.11040668110115037, 82.03690930747426,
       5.550506408712632},
      {"HNCP", "p_events", -0.009483111254013138, 0.1259881576697424, 63.0, -0.5974360090028277},
      {"GETTECadj", "p_arm_events", 0.20593479339538606, 0.13245323570650439, 57.0,
       11.738283223537005},
  };
  ASSERT_EQ(t->k(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].study);
    EXPECT_EQ(t->study[i], want[i].study);
    EXPECT_EQ(t->hr_source[i], want[i].source);
    EXPECT_REL(t->yi[i], want[i].loghr, estimate);
    EXPECT_REL(std::sqrt(t->vi[i]), want[i].se, estimate);
    EXPECT_REL(t->v[i], want[i].v, estimate);
    EXPECT_REL(t->o_minus_e[i], want[i].o_minus_e, estimate);
  }
  // subset() keeps the routes with their studies.
  std::vector<std::size_t> rows = {7, 0};
  auto s = t->subset(rows);
  EXPECT_EQ(s.hr_source, (std::vector<std::string>{"p_value", "oe_v"}));
  EXPECT_EQ(s.o_minus_e, (std::vector<double>{t->o_minus_e[7], t->o_minus_e[0]}));
  EXPECT_EQ(s.v, (std::vector<double>{t->v[7], t->v[0]}));
}

TEST(study_table_hr_test, single_set_files_read_as_before_and_record_their_route) {
  auto ci = from_text("study,hr,lower,upper,location\nA,0.5,0.25,1.0,pancreas\nB,0.8,0.6,1.1,x\n");
  ASSERT_TRUE(ci) << ci.error().what();
  EXPECT_EQ(ci->kind, input_kind::ratio_ci);
  EXPECT_EQ(ci->hr_source, (std::vector<std::string>{"ci", "ci"}));
  // SE = log(4) / (2 * N.inv_cdf(0.975)); V = 1 / SE**2
  const double se = std::log(4.0) / (2 * 1.959963984540054);
  EXPECT_REL(ci->vi[0], se * se, 1e-12);
  EXPECT_REL(ci->v[0], 1 / (se * se), 1e-12);
  EXPECT_REL(ci->o_minus_e[0], std::log(0.5) / (se * se), 1e-12);
  EXPECT_EQ(ci->attribute_names, (std::vector<std::string>{"location", "hr", "lower", "upper"}));

  auto oe = from_text("study,oe,v\nPitie-74,-1.8,14.5\n");
  ASSERT_TRUE(oe);
  EXPECT_EQ(oe->kind, input_kind::oe_v);
  EXPECT_EQ(oe->vi[0], 1 / 14.5);  // vi = 1/V exactly, as the older reader
  EXPECT_EQ(oe->hr_source[0], "oe_v");

  auto lh = from_text("study,loghr,se\nA,-0.7,0.1\n");
  ASSERT_TRUE(lh);
  EXPECT_EQ(lh->kind, input_kind::log_hr_se);
  EXPECT_EQ(lh->hr_source[0], "loghr_se");

  // Non-hazard-ratio input records no route.
  auto yi = from_text("study,yi,vi\nA,0.1,0.2\n");
  ASSERT_TRUE(yi);
  EXPECT_TRUE(yi->hr_source.empty());
  EXPECT_TRUE(yi->o_minus_e.empty());
  EXPECT_TRUE(yi->v.empty());
}

TEST(study_table_hr_test, level_and_ci_level_columns) {
  // z = N.inv_cdf(0.95) for a 90% CI; ci_level is still accepted, 0.9 as well as 90.
  const double se90 = std::log(4.0) / (2 * 1.6448536269514722);
  for (const char* text : {"study,hr,lower,upper,level\nA,2,1,4,90\n",
                           "study,hr,lower,upper,ci_level\nA,2,1,4,0.9\n"}) {
    auto t = from_text(text);
    ASSERT_TRUE(t) << t.error().what();
    EXPECT_REL(t->vi[0], se90 * se90, 1e-12);
    EXPECT_EQ(t->attribute_names.size(), 4u);  // the effect columns, level included
  }
  EXPECT_EQ(error_of("study,hr,lower,upper,level\nA,2,1,4,150\n"),
            "[srma.input.E212] s.csv:2:5: column 'level' is 150: expected a level such as 95 or "
            "0.95");
  EXPECT_EQ(error_of("study,hr,lower,upper,level,ci_level\nA,2,1,4,90,90\n"),
            "[srma.input.E202] s.csv:1: columns 'level' and 'ci_level' both give the CI level: "
            "keep one of them");
}

// A row with a CI and a p-value uses the CI and checks the p: the z of each, with every reported
// number widened by its rounding (half a unit of its last digit, at least of its second
// significant digit), must overlap or miss by at most 5% of the larger |z|.
TEST(study_table_hr_test, p_value_beside_a_ci_is_checked_within_rounding) {
  // Bonner 2006: the CI gives z = log(0.74) / ((log(0.97) - log(0.57)) / (2 * 1.959964)) =
  // -2.2200 (p = 0.026); over the rounding box (0.735-0.745, 0.565-0.575, 0.965-0.975) z runs
  // from -2.3310 to -2.1149.
  for (const char* p : {"0.03", "0.02", "0.026", "0.01"}) {
    // p = 0.01 (0.005 to 0.015) gives |z| 2.4324 to 2.8070: 0.1014 from the CI's range, within
    // 5% of max(2.2200, z(0.01) = 2.5758) = 0.1288.
    auto t =
        from_text(std::string("study,hr,lower,upper,p\nBonner 2006,0.74,0.57,0.97,") + p + "\n");
    ASSERT_TRUE(t) << p << ": " << t.error().what();
    EXPECT_EQ(t->hr_source[0], "ci");
    EXPECT_REL(t->yi[0], std::log(0.74), 1e-15);
  }
  // p = 0.006 (0.0055 to 0.0065) gives |z| 2.7214 to 2.7762: 0.3904 from the CI's range.
  EXPECT_EQ(error_of("study,hr,lower,upper,p\nBonner 2006,0.74,0.57,0.97,0.006\n"),
            "[srma.input.E205] s.csv:2:5: column 'p' is 0.006, but the row's hr,lower,upper give "
            "z = -2.22 (two-sided p = 0.026) and its hr,p give z = -2.75: expected values that "
            "agree within the rounding of the reported numbers");
  // KEYNOTE-189 as published: "p < 0.001" is a bound (|z| >= z(0.001) = 3.29, the CI's -5.36).
  auto k = from_text("study,hr,lower,upper,p\nKEYNOTE-189,0.49,0.38,0.64,< 0.001\n");
  ASSERT_TRUE(k) << k.error().what();
  EXPECT_EQ(k->hr_source[0], "ci");
  // The same p with events per arm and the wrong direction contradicts the CI: z >= z(0.001)
  // = 3.29 against the CI's -5.36 (235 and 200 deaths are illustrative).
  EXPECT_EQ(error_of("study,hr,lower,upper,p,events_t,events_c,direction\n"
                     "KEYNOTE-189,0.49,0.38,0.64,<0.001,235,200,favours_control\n"),
            "[srma.input.E205] s.csv:2:5: column 'p' is <0.001, but the row's hr,lower,upper "
            "give z = -5.36 (two-sided p = 8.1e-08) and its p,events_t,events_c,direction give "
            "z = 3.29: expected values that agree within the rounding of the reported numbers");
}

// Reported numbers rounded to two significant digits never contradict each other: for a grid of
// ln HR and SE, HR, lower, upper and p are written as a paper would (two significant digits) and
// must be accepted, with the CI as the route.
TEST(study_table_hr_test, two_significant_digit_rounding_is_accepted) {
  auto sig2 = [](double x) {
    const int digits = std::max(0, 1 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
    return fmt::format("{:.{}f}", x, digits);
  };
  int rows = 0;
  std::string text = "study,hr,lower,upper,p\n";
  for (int a = -15; a <= 10; ++a) {
    for (double se : {0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5}) {
      const double y = a / 10.0 + 0.013;
      const double z = y / se;
      const double p = detail::p_two_sided_z(z);
      const std::string ps = sig2(p);
      if (std::stod(ps) >= 1 || std::stod(ps) <= 0) continue;
      text += fmt::format("S{},{},{},{},{}\n", ++rows, sig2(std::exp(y)),
                          sig2(std::exp(y - 1.959963984540054 * se)),
                          sig2(std::exp(y + 1.959963984540054 * se)), ps);
    }
  }
  auto t = from_text(text);
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->k(), static_cast<std::size_t>(rows));
  EXPECT_GT(rows, 150);
}

TEST(study_table_hr_test, impossible_values_are_located_errors) {
  const std::string h = "study,hr,lower,upper,p,p_test\n";
  EXPECT_EQ(error_of(h + "A,0.7,,,0,\n"),
            "[srma.input.E205] s.csv:2:5: column 'p' is 0, but a p-value must lie strictly "
            "between 0 and 1 (p = 0 or 1 says nothing about the size of the effect)");
  EXPECT_EQ(error_of(h + "A,0.7,,,1,\n"),
            "[srma.input.E205] s.csv:2:5: column 'p' is 1, but a p-value must lie strictly "
            "between 0 and 1 (p = 0 or 1 says nothing about the size of the effect)");
  // p = 0 beside a CI is refused too, although the CI would be used.
  EXPECT_EQ(error_of(h + "A,0.7,0.5,0.9,0,\n").substr(0, 42),
            "[srma.input.E205] s.csv:2:5: column 'p' is");
  EXPECT_EQ(error_of(h + "A,0.7,,,> 0.05,\n"),
            "[srma.input.E205] s.csv:2:5: column 'p' is '> 0.05': a lower bound on p says "
            "nothing about the size of the effect; give the p-value or another column set");
  EXPECT_EQ(error_of(h + "A,0.7,,,NS,\n"),
            "[srma.input.E203] s.csv:2:5: column 'p' is 'NS': expected a number (a two-sided "
            "p-value, or a bound such as < 0.001)");
  EXPECT_EQ(error_of(h + "A,1,,,0.5,\n"),
            "[srma.input.E205] s.csv:2:2: column 'hr' is 1: an HR of 1 with a p-value gives no "
            "standard error (0 / 0); give its CI");
  EXPECT_EQ(error_of(h + "A,0.7,,,0.04,score\n"),
            "[srma.input.E205] s.csv:2:6: column 'p_test' is 'score': expected logrank or wald");
  EXPECT_EQ(error_of(h + "A,0.7,0.9,0.8,,\n"),
            "[srma.input.E205] s.csv:2:3: lower CI bound 0.9 is not below the upper bound 0.8");
  EXPECT_EQ(error_of(h + "A,0.7,0.9,0.9,,\n"),
            "[srma.input.E205] s.csv:2:3: lower CI bound 0.9 is not below the upper bound 0.9");
  EXPECT_EQ(error_of(h + "A,-0.7,0.5,0.9,,\n"),
            "[srma.input.E205] s.csv:2:2: column 'hr' is -0.7, but a ratio must be > 0");

  // Arm counts beside p and direction only: --measure HR says they are hazard-ratio input.
  const std::string ev = "study,p,events,n_t,n_c,events_t,events_c,direction\n";
  const read_options hr{.measure = effect_measure::hazard_ratio};
  EXPECT_EQ(error_of(ev + "A,0.04,500,211,213,,,favours_treatment\n", hr),
            "[srma.input.E205] s.csv:2:3: column 'events' is 500, but events cannot exceed the "
            "424 patients randomised ('n_t' + 'n_c')");
  EXPECT_EQ(error_of(ev + "A,0.04,,211,213,250,100,favours_treatment\n", hr),
            "[srma.input.E205] s.csv:2:6: column 'events_t' is 250, but events cannot exceed "
            "'n_t' = 211");
  EXPECT_EQ(error_of(ev + "A,0.04,,,,-3,100,favours_treatment\n", hr),
            "[srma.input.E205] s.csv:2:6: column 'events_t' is -3, but a number of events must "
            "be > 0");
  EXPECT_EQ(error_of(ev + "A,0.04,0,211,213,,,favours_treatment\n", hr),
            "[srma.input.E205] s.csv:2:3: column 'events' is 0, but a number of events must be > "
            "0");
  EXPECT_EQ(error_of(ev + "A,0.04,,,,20,10,up\n", hr),
            "[srma.input.E205] s.csv:2:8: column 'direction' is 'up': expected favours_treatment "
            "or favours_control (or treatment, research, control)");
  EXPECT_EQ(error_of("study,o_t,e_t,o_c,e_c\nA,0,3.2,5,1.8\n"),
            "[srma.input.E205] s.csv:2:2: column 'o_t' is 0, but an observed number of events "
            "must be > 0");

  const std::string chi = "study,chisq,oe,v,direction\n";
  EXPECT_EQ(error_of(chi + "A,-1,,20,favours_control\n"),
            "[srma.input.E205] s.csv:2:2: column 'chisq' is -1, but a chi-square must be >= 0");
  EXPECT_EQ(error_of(chi + "A,4,-8.9,,favours_control\n"),
            "[srma.input.E205] s.csv:2:5: column 'direction' is 'favours_control', but O - E = "
            "-8.9 (column 'oe') favours the research (treatment) arm");
  EXPECT_EQ(error_of(chi + "A,0,-8.9,,\n"),
            "[srma.input.E205] s.csv:2:2: column 'chisq' is 0: with O - E alone a chi-square of "
            "0 gives no variance; give V (column 'v')");
}

TEST(study_table_hr_test, notes_from_the_conversions_become_located_notices) {
  // log(0.5) - log(0.4) = 0.2231 and log(0.9) - log(0.5) = 0.5878: more than 10% apart.
  auto t = from_text(
      "study,hr,lower,upper,p,p_test\nA,0.5,0.4,0.9,,\nB,0.7,,,0.04,logrank\nC,0.6,,,<0.001,\n"
      "D,0.9,0.2,0.8,,\n");
  ASSERT_TRUE(t) << t.error().what();
  ASSERT_EQ(t->notices.size(), 4u);
  EXPECT_EQ(t->notices[0],
            "s.csv:2: study 'A': the CI is asymmetric on the log scale (ln HR - ln L = 0.2231, ln "
            "U - ln HR = 0.5878); the SE is taken from the whole width");
  EXPECT_EQ(t->notices[1],
            "s.csv:3: study 'B': the p-value is a log-rank test's beside the HR of a model: a "
            "small inconsistency, accepted (Tierney 2007)");
  EXPECT_EQ(t->notices[2],
            "s.csv:4: study 'C': p <0.001 was used as p = 0.001, which overstates the SE "
            "(conservative)");
  // An HR outside its own CI stays a warning, as for every ratio with a CI.
  EXPECT_EQ(t->notices[3],
            "s.csv:5: study 'D': the ratio 0.9 lies outside its own CI [0.2, 0.8]; check the "
            "extraction");
  // abs(log(0.6)) / z(0.001)
  EXPECT_REL(std::sqrt(t->vi[2]), 0.15524129279277493, estimate);
}

TEST(study_table_hr_test, rows_without_a_complete_set) {
  const std::string h = "study,hr,lower,upper,p,loghr,se\n";
  EXPECT_EQ(error_of(h + "A,0.5,0.3,0.8,,,\nB,,,,,,\n"),
            "[srma.input.E204] s.csv:3:2: the row fills none of the hazard-ratio column sets "
            "(hr|or|rr,lower,upper; loghr,se; hr,p): expected the numbers of one of them");
  EXPECT_EQ(error_of(h + "A,0.5,,,,,\n"),
            "[srma.input.E204] s.csv:2:3: column 'lower' is empty: expected a number to complete "
            "hr,lower,upper");
  EXPECT_EQ(error_of(h + "A,,,,,-0.3,\n"),
            "[srma.input.E204] s.csv:2:7: column 'se' is empty: expected a number to complete "
            "loghr,se");
  auto t = from_text(h + "A,0.5,0.3,0.8,,,\nB,,,,,,\n", {.missing = missing_policy::exclude});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->k(), 1u);
  ASSERT_EQ(t->excluded.size(), 1u);
  EXPECT_EQ(t->excluded[0].reason,
            "no estimate: columns hr|or|rr,lower,upper / loghr,se / hr,p are empty");
  // A partly filled row is left out and listed too (issue 12 item 5).
  auto partial =
      from_text(h + "A,0.5,0.3,0.8,,,\nB,0.5,,,,,\n", {.missing = missing_policy::exclude});
  ASSERT_TRUE(partial) << partial.error().what();
  ASSERT_EQ(partial->excluded.size(), 1u);
  EXPECT_EQ(partial->excluded[0].reason,
            "incomplete estimate: 'lower' and 'upper' of hr|or|rr,lower,upper are empty");
}

TEST(study_table_hr_test, hr_source_names_the_route) {
  const std::string h = "study,hr,lower,upper,loghr,se,hr_source\n";
  auto t = from_text(h +
                     "Reported,0.49,0.38,0.64,,,\n"
                     "Gangi 2020,,,,-0.41,0.21,km_reconstruction\n"
                     "Cox,0.7,0.5,0.98,,,ipd\n");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->hr_source, (std::vector<std::string>{"ci", "km_reconstruction", "ipd"}));
  EXPECT_EQ(t->kind, input_kind::hr_summaries);
  // hr_source is read, and kept as an attribute like every other column.
  EXPECT_EQ(t->attribute_names.back(), "hr_source");
  EXPECT_REL(t->yi[1], -0.41, 1e-15);
  // An hr_source that names the route the row fills keeps the older kind.
  auto same = from_text(h + "A,0.49,0.38,0.64,,,ci\n");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->kind, input_kind::ratio_ci);
  EXPECT_EQ(error_of(h + "A,0.49,0.38,0.64,,,km_curve\n"),
            "[srma.input.E205] s.csv:2:7: column 'hr_source' is 'km_curve': expected the name of "
            "a route (ci, loghr_se, oe_v, observed_expected, logrank_chisq, p_value, p_events, "
            "p_arm_events, km_reconstruction, ipd)");
  // A row without an estimate is left out whatever its hr_source says (a study still to enter).
  auto open =
      from_text(h + "A,0.49,0.38,0.64,,,\nB,,,,,,km_curve\n", {.missing = missing_policy::exclude});
  ASSERT_TRUE(open) << open.error().what();
  EXPECT_EQ(open->k(), 1u);
}

TEST(study_table_hr_test, hazard_ratio_files_are_told_from_other_inputs) {
  // p, direction and arm counts alone: a 2x2 table with a p column, or p-values with events per
  // arm? Ambiguous unless --measure says.
  const std::string arms =
      "study,p,events_t,n_t,events_c,n_c,direction\nA,0.005,111,211,134,213,treatment\n";
  auto amb = from_text(arms);
  ASSERT_FALSE(amb);
  EXPECT_EQ(amb.error().what(),
            "[srma.input.E202] s.csv:1: the header holds several effect column sets "
            "(events_t,n_t,events_c,n_c / p,events_t,events_c,direction) (with --measure HR the "
            "hazard-ratio sets are read, row by row)");
  EXPECT_EQ(amb.error().subject, "events_t,n_t,events_c,n_c");
  auto hr = from_text(arms, {.measure = effect_measure::hazard_ratio});
  ASSERT_TRUE(hr) << hr.error().what();
  EXPECT_EQ(hr->hr_source[0], "p_arm_events");
  EXPECT_REL(hr->yi[0], -0.36026061892091465, estimate);  // as PArm above
  auto two = from_text(arms, {.measure = effect_measure::odds_ratio});
  ASSERT_TRUE(two) << two.error().what();
  EXPECT_EQ(two->kind, input_kind::two_by_two);
  EXPECT_EQ(two->attribute_names,
            (std::vector<std::string>{"p", "direction", "events_t", "n_t", "events_c", "n_c"}));
  EXPECT_TRUE(two->hr_source.empty());

  // An hr column makes arm counts the counts of a hazard-ratio file (kept as attributes here).
  auto counts = from_text(
      "study,hr,lower,upper,events_t,n_t,events_c,n_c\nA,0.49,0.38,0.64,235,410,166,206\n");
  ASSERT_TRUE(counts) << counts.error().what();
  EXPECT_EQ(counts->kind, input_kind::ratio_ci);
  EXPECT_EQ(counts->attribute_names.size(), 7u);  // and hr, lower, upper after them

  // ln HR beside yi, vi stays ambiguous, as before.
  EXPECT_EQ(error_of("study,loghr,se,yi,vi\nA,1,2,3,4\n"),
            "[srma.input.E202] s.csv:1: the header holds several effect column sets (loghr,se / "
            "yi,vi)");

  // --effect picks one set: the other hazard-ratio columns become attributes.
  auto only = from_text("study,hr,lower,upper,loghr,se\nA,0.49,0.38,0.64,-0.7,0.13\n",
                        {.kind = input_kind::log_hr_se});
  ASSERT_TRUE(only) << only.error().what();
  EXPECT_EQ(only->kind, input_kind::log_hr_se);
  EXPECT_EQ(only->hr_source[0], "loghr_se");
  EXPECT_EQ(only->attribute_names,
            (std::vector<std::string>{"hr", "lower", "upper", "loghr", "se"}));
  EXPECT_EQ(parse_input_kind("hr_summaries"), input_kind::hr_summaries);
  EXPECT_EQ(parse_input_kind(to_string(input_kind::hr_summaries)), input_kind::hr_summaries);
  auto all = from_text("study,hr,lower,upper,loghr,se\nA,0.49,0.38,0.64,,\nB,,,,-0.7,0.13\n",
                       {.kind = input_kind::hr_summaries});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->hr_source, (std::vector<std::string>{"ci", "loghr_se"}));
  // The names only hazard-ratio sets use count as effect columns (not hr_source).
  for (const char* n : {"p", "events", "direction", "chisq", "o_t", "level", "p_test"})
    EXPECT_TRUE(is_effect_column_name(n)) << n;
  EXPECT_FALSE(is_effect_column_name("hr_source"));
}

// `srma run`: the methods paragraph names each route with its studies and cites Parmar 1998 and
// Tierney 2007, and Guyot 2012 for reconstructed curves.
TEST(study_table_hr_test, run_report_methods_name_the_route_of_each_study) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "srma_study_table_hr_test_run";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "studies.csv") << "study,hr,lower,upper,p,loghr,se,hr_source\n"
                                        "Bonner 2006,0.74,0.57,0.97,0.03,,,\n"
                                        "ECOG 2382,1.07,,,0.54,,,\n"
                                        "KEYNOTE-189,0.49,0.38,0.64,,,,\n"
                                        "Gangi 2020,,,,,-0.41,0.21,km_reconstruction\n";
  std::ofstream(dir / "plan.toml")
      << "[data]\nfile = \"studies.csv\"\n[model]\nmodel = \"common\"\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  auto r = run_plan(*plan, {.output_dir = (dir / "report").string()});
  ASSERT_TRUE(r) << r.error().what();
  std::ifstream in(dir / "report" / "report.md");
  std::ostringstream md;
  md << in.rdbuf();
  const std::string text = md.str();
  EXPECT_NE(text.find("Each study's log hazard ratio and its variance were obtained from what the "
                      "study reported [1, 2]: from the hazard ratio and its confidence interval "
                      "for Bonner 2006 and KEYNOTE-189; from the hazard ratio and its two-sided "
                      "p-value for ECOG 2382; from patient data reconstructed from the published "
                      "Kaplan-Meier curves [3] and fitted with a Cox model for Gangi 2020."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[1] Parmar MKB, Torri V, Stewart L."), std::string::npos);
  EXPECT_NE(text.find("[2] Tierney JF"), std::string::npos);
  EXPECT_NE(text.find("[3] Guyot P, Ades AE, Ouwens MJNM, Welton NJ."), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace srma
