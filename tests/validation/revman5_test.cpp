// Validation against RevMan 5 itself (not a transcription of its formulas): the two analyses of
// "Examples from Fleiss (1993)", computed by RevMan 5.0.23 and exported by it.
//
// Source: the R package meta (guido-s/meta on GitHub) ships that review as RevMan's own files,
// inst/extdata/Fleiss1993.rm5 (RevMan 5.0.23 XML; its ANALYSES_AND_DATA carry RevMan's computed
// results, CALCULATED_DATA="YES") and inst/extdata/Fleiss93_CR.csv (RevMan 5's "export analysis
// data" CSV of the same review, with the continuous outcome computed too). The data are
// published trials (Fleiss 1993, Stat Methods Med Res 2:121-145): aspirin after myocardial
// infarction (7 trials, deaths; Mantel-Haenszel OR, fixed effect) and mental health treatment
// (5 trials, means and SDs; inverse-variance MD, fixed effect). Inputs:
// tests/validation/data/revman5_fleiss1993_{or,md}.csv, typed from those files.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/pool_options.hpp"
#include "validation/reference.hpp"

namespace srma {
namespace {

// RevMan's values have 16 significant digits in the .rm5 file and 8-9 in the CSV export.
void expect_rel(double actual, double expected, double rel, const char* what) {
  EXPECT_NEAR(actual, expected, rel * std::abs(expected)) << what;
}

TEST(revman5_test, fleiss1993_aspirin_mantel_haenszel_or_equals_revman) {
  read_options ro;
  ro.measure = effect_measure::odds_ratio;
  ro.zero_cells = revman5_zero_cells();
  auto t = read_studies(test::reference_data_path("revman5_fleiss1993_or.csv"), ro);
  ASSERT_TRUE(t) << t.error().what();
  pool_options o = preset_options(preset::revman5);
  o.model = model_choice::common;
  auto r = pool_2x2(*t, o);
  ASSERT_TRUE(r) << r.error().what();
  constexpr double tol = 1e-9;
  // Fleiss1993.rm5, DICH_OUTCOME CMP-001.01 (METHOD="MH", EFFECT_MEASURE="OR", RANDOM="NO").
  expect_rel(std::exp(r->common.estimate), 0.8968655609130709, tol, "EFFECT_SIZE");
  expect_rel(std::exp(r->common.ci_lower), 0.8405144008917793, tol, "CI_START");
  expect_rel(std::exp(r->common.ci_upper), 0.9569947088336491, tol, "CI_END");
  expect_rel(std::abs(r->common.statistic), 3.287633061337987, tol, "Z");
  expect_rel(r->common.p, 0.0010103343130005407, tol, "P_Z");
  expect_rel(r->heterogeneity.Q, 9.946055983220074, tol, "CHI2");
  EXPECT_EQ(r->heterogeneity.df, 6);
  // RevMan's chi-square tail is accurate to about 1e-6 only: R 4.2.2's
  // pchisq(9.946055983220074, 6, lower.tail = FALSE) = 0.126942177906295, which srma gives to
  // 1e-12 (checked below); RevMan printed 0.1269422521561745 (6e-7 relative).
  expect_rel(r->heterogeneity.p, 0.1269422521561745, 1e-6, "P_CHI2");
  expect_rel(r->heterogeneity.p, 0.126942177906295, 1e-12, "P_CHI2 (R pchisq)");
  expect_rel(r->heterogeneity.I2, 39.67458045558399, tol, "I2");
  // DICH_DATA WEIGHT of each trial, in the file's order.
  const std::vector<double> weight{3.176490004091248, 3.1016891143394365, 5.675380442715663,
                                   1.795484618258711, 3.2176243566716805, 10.153491219997628,
                                   72.87984024392564};
  ASSERT_EQ(r->weight_common.size(), weight.size());
  for (std::size_t i = 0; i < weight.size(); ++i)
    expect_rel(r->weight_common[i], weight[i], tol, "WEIGHT");
  // DICH_DATA VAR (Woolf's variance of each log OR) and EFFECT_SIZE of MRC-1 and ISIS-2.
  expect_rel(t->vi[0], 0.038895652988376536, tol, "VAR MRC-1");
  expect_rel(t->vi[6], 0.0015061979058117042, tol, "VAR ISIS-2");
  expect_rel(std::exp(t->yi[0]), 0.7197141500975687, tol, "OR MRC-1");
  expect_rel(std::exp(t->yi[6]), 0.8949693601254097, tol, "OR ISIS-2");
}

TEST(revman5_test, fleiss1993_mental_health_inverse_variance_md_equals_revman) {
  read_options ro;
  ro.measure = effect_measure::mean_difference;
  auto t = read_studies(test::reference_data_path("revman5_fleiss1993_md.csv"), ro);
  ASSERT_TRUE(t) << t.error().what();
  pool_options o = preset_options(preset::revman5);
  o.model = model_choice::common;
  // RevMan's "IV" method; the revman5 preset's MH is for 2x2 counts only (the CLI switches to
  // inverse variance for other input unless --method is given).
  o.method = pooling_method::inverse_variance;
  auto r = pool_2x2(*t, o);
  ASSERT_TRUE(r) << r.error().what();
  // Fleiss93_CR.csv, outcome 1.2 (Data Type CON, Statistical Method IV, Effect Measure MD,
  // Analysis Model Fixed); the export has 8-9 significant digits.
  constexpr double tol = 2e-8;
  expect_rel(r->common.estimate, -0.70938839, tol, "Effect Estimate");
  expect_rel(r->common.ci_lower, -1.25848502, tol, "CI Start");
  expect_rel(r->common.ci_upper, -0.16029176, tol, "CI End");
  expect_rel(std::abs(r->common.statistic), 2.53211477, tol, "Z");
  expect_rel(r->common.p, 0.01133769, 1e-6, "P(Z)");
  expect_rel(r->heterogeneity.Q, 5.66012379, tol, "Q");
  EXPECT_EQ(r->heterogeneity.df, 4);
  // RevMan's chi-square tail again to about 1e-6 (R: pchisq(5.66012379, 4, lower.tail = FALSE)
  // = 0.226008892...).
  expect_rel(r->heterogeneity.p, 0.22600895, 1e-6, "P(Q)");
  expect_rel(r->heterogeneity.I2, 29.33016758, tol, "I2(Q)");
  const std::vector<double> weight{2.79315513, 38.61251498, 2.19316111, 31.92826572, 24.47290305};
  ASSERT_EQ(r->weight_common.size(), weight.size());
  for (std::size_t i = 0; i < weight.size(); ++i)
    expect_rel(r->weight_common[i], weight[i], tol, "Weight");
  // Per-study SE: Davis 1.67630546, Wilson 0.56631484.
  expect_rel(std::sqrt(t->vi[0]), 1.67630546, tol, "SE Davis");
  expect_rel(std::sqrt(t->vi[4]), 0.56631484, tol, "SE Wilson");
}

}  // namespace
}  // namespace srma
