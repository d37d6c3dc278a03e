// The column sets of proportions, correlations and incidence rates, ROM and SMDH from means,
// zero-cell rules, rows with incomplete effect columns, duplicate labels and effect columns as
// attributes (issue 12, items 4 and 5). Reference numbers are computed here from escalc()'s
// formulas (metafor 3.8-1 escalc source) or taken from escalc() calls named in comments; the
// metadat validation is tests/validation/escalc_measures_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "srma/data/effect_size.hpp"
#include "srma/data/study_row.hpp"
#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/util/text.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

expected<study_table> from_text(const std::string& text, read_options o = {}) {
  auto csv = parse_csv(text, "s.csv");
  if (!csv) return unexpected(csv.error());
  return make_study_table(*csv, o);
}

std::string error_of(const std::string& text, read_options o = {}) {
  auto t = from_text(text, o);
  return t ? std::string("no error") : t.error().what();
}

read_options measure(effect_measure m) {
  read_options o;
  o.measure = m;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Column sets and their default measures.

TEST(study_table_measures_test, proportions_default_to_logit) {
  auto t = from_text("study,events,n,year\nA,12,80,1999\nB,0,40,2001\n");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->kind, input_kind::proportion);
  EXPECT_EQ(t->measure, effect_measure::proportion_logit);
  // escalc("PLO", xi = 12, ni = 80): log(12/68), 1/12 + 1/68.
  EXPECT_REL(t->yi[0], std::log(12.0 / 68.0), 1e-14);
  EXPECT_REL(t->vi[0], 1.0 / 12 + 1.0 / 68, 1e-14);
  // B has no events: 1/2 added to both counts (escalc add = 1/2, to = "only0").
  EXPECT_REL(t->yi[1], std::log(0.5 / 40.5), 1e-14);
  EXPECT_REL(t->vi[1], 1 / 0.5 + 1 / 40.5, 1e-14);
  ASSERT_EQ(t->zero_cell_corrected.size(), 2u);
  EXPECT_FALSE(t->zero_cell_corrected[0]);
  EXPECT_TRUE(t->zero_cell_corrected[1]);
  ASSERT_EQ(t->sample_size.size(), 2u);
  EXPECT_EQ(t->sample_size[1], 40);
}

TEST(study_table_measures_test, every_proportion_measure) {
  const std::string text = "study,events,n\nA,9,60\n";
  const double p = 9.0 / 60;
  struct expect_case {
    effect_measure m;
    double yi, vi;
  };
  // escalc() formulas (vtype "LS"): PR p, p(1-p)/n; PLN log p, 1/x - 1/n; PAS asin(sqrt p),
  // 1/(4n); PFT (asin sqrt(x/(n+1)) + asin sqrt((x+1)/(n+1)))/2, 1/(4n + 2).
  const expect_case cases[] = {
      {effect_measure::proportion, p, p * (1 - p) / 60},
      {effect_measure::proportion_log, std::log(p), 1.0 / 9 - 1.0 / 60},
      {effect_measure::proportion_arcsine, std::asin(std::sqrt(p)), 1.0 / 240},
      {effect_measure::proportion_ft,
       0.5 * (std::asin(std::sqrt(9.0 / 61)) + std::asin(std::sqrt(10.0 / 61))), 1.0 / 242},
  };
  for (const auto& c : cases) {
    auto t = from_text(text, measure(c.m));
    ASSERT_TRUE(t) << t.error().what();
    EXPECT_REL(t->yi[0], c.yi, 1e-14) << measure_code(c.m);
    EXPECT_REL(t->vi[0], c.vi, 1e-14) << measure_code(c.m);
  }
}

TEST(study_table_measures_test, correlations_default_to_fisher_z) {
  auto t = from_text("study,ri,ni\nA,0.3,50\nB,-0.1,20\n");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->kind, input_kind::correlation);
  EXPECT_EQ(t->measure, effect_measure::fisher_z);
  EXPECT_REL(t->yi[0], std::atanh(0.3), 1e-14);
  EXPECT_REL(t->vi[0], 1.0 / 47, 1e-14);
  auto cor = from_text("study,ri,ni\nA,0.3,50\n", measure(effect_measure::correlation));
  ASSERT_TRUE(cor);
  EXPECT_REL(cor->yi[0], 0.3, 1e-14);
  EXPECT_REL(cor->vi[0], (1 - 0.09) * (1 - 0.09) / 49, 1e-14);
}

TEST(study_table_measures_test, rates_one_and_two_groups) {
  auto one = from_text("study,events,time\nA,7,300\nB,0,80\n");
  ASSERT_TRUE(one) << one.error().what();
  EXPECT_EQ(one->kind, input_kind::rate);
  EXPECT_EQ(one->measure, effect_measure::incidence_rate_log);
  EXPECT_REL(one->yi[0], std::log(7.0 / 300), 1e-14);
  EXPECT_REL(one->vi[0], 1.0 / 7, 1e-14);
  EXPECT_REL(one->yi[1], std::log(0.5 / 80), 1e-14);  // 1/2 added to a zero count
  EXPECT_TRUE(one->sample_size.empty());
  auto two = from_text("study,events_t,time_t,events_c,time_c\nA,9,413,19,398\n");
  ASSERT_TRUE(two) << two.error().what();
  EXPECT_EQ(two->kind, input_kind::two_rates);
  EXPECT_EQ(two->measure, effect_measure::rate_ratio);
  // escalc("IRR", x1i = 9, t1i = 413, x2i = 19, t2i = 398): log((9/413)/(19/398)), 1/9 + 1/19.
  EXPECT_REL(two->yi[0], std::log((9.0 / 413) / (19.0 / 398)), 1e-14);
  EXPECT_REL(two->vi[0], 1.0 / 9 + 1.0 / 19, 1e-14);
}

TEST(study_table_measures_test, the_measure_chooses_between_two_complete_sets) {
  const std::string text =
      "study,events_t,n_t,time_t,events_c,n_c,time_c\nA,9,335,413,19,336,398\n";
  EXPECT_EQ(error_of(text),
            "[srma.input.E202] s.csv:1: the header holds several effect column sets "
            "(events_t,n_t,events_c,n_c / events_t,time_t,events_c,time_c)");
  auto irr = from_text(text, measure(effect_measure::rate_ratio));
  ASSERT_TRUE(irr) << irr.error().what();
  EXPECT_EQ(irr->kind, input_kind::two_rates);
  auto rr = from_text(text, measure(effect_measure::risk_ratio));
  ASSERT_TRUE(rr) << rr.error().what();
  EXPECT_EQ(rr->kind, input_kind::two_by_two);
}

TEST(study_table_measures_test, rom_and_smdh_from_means) {
  const std::string text = "study,m1,sd1,n1,m2,sd2,n2\nA,55,47,155,75,64,156\n";
  auto rom = from_text(text, measure(effect_measure::ratio_of_means));
  ASSERT_TRUE(rom) << rom.error().what();
  // escalc("ROM"): log(m1/m2), sd1^2/(n1 m1^2) + sd2^2/(n2 m2^2).
  EXPECT_REL(rom->yi[0], std::log(55.0 / 75), 1e-14);
  EXPECT_REL(rom->vi[0], 47.0 * 47 / (155 * 55.0 * 55) + 64.0 * 64 / (156 * 75.0 * 75), 1e-14);
  auto smdh = from_text(text, measure(effect_measure::std_mean_difference_h));
  ASSERT_TRUE(smdh) << smdh.error().what();
  // escalc("SMDH", m1i = 55, sd1i = 47, n1i = 155, m2i = 75, sd2i = 64, n2i = 156), metafor
  // 3.8-1 (R 4.2.2): yi = -0.355341601578, vi = 0.0130909644812.
  EXPECT_REL(smdh->yi[0], -0.355341601578, 1e-10);
  EXPECT_REL(smdh->vi[0], 0.0130909644812, 1e-10);
}

TEST(study_table_measures_test, a_measure_that_does_not_fit_is_refused) {
  EXPECT_EQ(error_of("study,events,n\nA,1,10\n", measure(effect_measure::odds_ratio)),
            "[srma.input.E206] s.csv:1: measure OR does not fit the columns events,n; this input "
            "allows PR, PLN, PLO, PAS or PFT");
  EXPECT_EQ(error_of("study,ri,ni\nA,0.1,10\n", measure(effect_measure::proportion)),
            "[srma.input.E206] s.csv:1: measure PR does not fit the columns ri,ni; this input "
            "allows COR or ZCOR");
  EXPECT_EQ(
      error_of("study,m1,sd1,n1,m2,sd2,n2\nA,1,1,5,1,1,5\n", measure(effect_measure::rate_ratio)),
      "[srma.input.E206] s.csv:1: measure IRR does not fit the columns m1,sd1,n1,m2,sd2,n2; "
      "this input allows MD, SMD, SMDH or ROM");
}

// ---------------------------------------------------------------------------------------------
// Hostile input: each error names its file, line and column.

TEST(study_table_measures_test, hostile_proportions) {
  EXPECT_EQ(error_of("study,events,n\nA,12,10\n"),
            "[srma.input.E210] s.csv:2:2: column 'events' is 12, but events cannot exceed 'n' = "
            "10");
  EXPECT_EQ(error_of("study,events,n\nA,-1,10\n"),
            "[srma.input.E210] s.csv:2:2: column 'events' is -1, but counts must be >= 0");
  EXPECT_EQ(error_of("study,events,n\nA,1.5,10\n"),
            "[srma.input.E210] s.csv:2:2: column 'events' is 1.5, but counts must be whole "
            "numbers");
  EXPECT_EQ(error_of("study,events,n\nA,0,0\n"),
            "[srma.input.E210] s.csv:2:3: column 'n' is 0, but a group size must be > 0");
  EXPECT_EQ(error_of("study,events,n\nA,two,10\n"),
            "[srma.input.E203] s.csv:2:2: column 'events' is 'two': expected a number");
  EXPECT_EQ(error_of("study,events,n\nA,,10\n"),
            "[srma.input.E204] s.csv:2:2: column 'events' is empty: expected a number");
  // A proportion of 0 with no correction has no logit.
  read_options none = measure(effect_measure::proportion_logit);
  none.zero_cells.to = zero_cell_to::none;
  EXPECT_EQ(error_of("study,events,n\nA,0,10\n", none),
            "[srma.input.E205] s.csv:2:2: study 'A' gives a non-finite estimate or variance (a "
            "zero count without a zero-cell correction)");
}

TEST(study_table_measures_test, hostile_correlations) {
  EXPECT_EQ(error_of("study,ri,ni\nA,1.2,30\n"),
            "[srma.input.E205] s.csv:2:2: column 'ri' is 1.2, but a correlation must lie "
            "between -1 and 1");
  EXPECT_EQ(error_of("study,ri,ni\nA,-1,30\n"),
            "[srma.input.E205] s.csv:2:2: column 'ri' is -1, but a correlation must lie "
            "strictly between -1 and 1 for Fisher's z (ZCOR), which is infinite at -1 and 1");
  EXPECT_EQ(error_of("study,ri,ni\nA,0.2,3\n"),
            "[srma.input.E205] s.csv:2:3: column 'ni' is 3, but Fisher's z needs a sample size > "
            "3 (its variance is 1/(n - 3))");
  EXPECT_EQ(error_of("study,ri,ni\nA,0.2,-4\n"),
            "[srma.input.E205] s.csv:2:3: column 'ni' is -4, but a sample size must be > 0");
  EXPECT_EQ(error_of("study,ri,ni\nA,1,1\n", measure(effect_measure::correlation)),
            "[srma.input.E205] s.csv:2:3: column 'ni' is 1, but a correlation needs a sample "
            "size > 1 (its variance is (1 - r^2)^2/(n - 1))");
  // r = 1 under COR: the variance (1 - r^2)^2/(n - 1) is 0.
  EXPECT_EQ(error_of("study,ri,ni\nA,1,10\n", measure(effect_measure::correlation)),
            "[srma.input.E205] s.csv:2:2: study 'A' gives a non-finite estimate or variance");
}

TEST(study_table_measures_test, hostile_rates) {
  EXPECT_EQ(error_of("study,events,time\nA,3,-5\n"),
            "[srma.input.E205] s.csv:2:3: column 'time' is -5, but a person-time must be > 0");
  EXPECT_EQ(error_of("study,events,time\nA,-3,5\n"),
            "[srma.input.E210] s.csv:2:2: column 'events' is -3, but counts must be >= 0");
  EXPECT_EQ(error_of("study,events_t,time_t,events_c,time_c\nA,3,10,4,0\n"),
            "[srma.input.E205] s.csv:2:5: column 'time_c' is 0, but a person-time must be > 0");
  EXPECT_EQ(error_of("study,events_t,time_t,events_c,time_c\nA,3,10,4.5,10\n"),
            "[srma.input.E210] s.csv:2:4: column 'events_c' is 4.5, but counts must be whole "
            "numbers");
}

TEST(study_table_measures_test, hostile_means_for_rom) {
  EXPECT_EQ(error_of("study,m1,sd1,n1,m2,sd2,n2\nA,-2,1,10,3,1,10\n",
                     measure(effect_measure::ratio_of_means)),
            "[srma.input.E211] s.csv:2:2: column 'm1' is -2, but a ratio of means (ROM) needs "
            "means > 0");
  EXPECT_EQ(error_of("study,m1,sd1,n1,m2,sd2,n2\nA,2,0,10,3,1,10\n",
                     measure(effect_measure::std_mean_difference_h)),
            "[srma.input.E205] s.csv:2:3: column 'sd1' is 0, but an SD must be > 0");
}

// ---------------------------------------------------------------------------------------------
// Zero-cell rules.

TEST(study_table_measures_test, double_zero_rules) {
  const std::string text = "study,events_t,n_t,events_c,n_c\nA,0,10,0,12\nB,2,10,0,12\n";
  // srma's default (RevMan 5): A is not estimable for OR and listed; B gets 1/2 added.
  auto def = from_text(text);
  ASSERT_TRUE(def) << def.error().what();
  ASSERT_EQ(def->k(), 1u);
  ASSERT_EQ(def->excluded.size(), 1u);
  EXPECT_EQ(def->excluded[0].line, 2);
  // escalc defaults (drop00 = FALSE): both, with 1/2 added: A's log OR is 0.
  read_options escalc = measure(effect_measure::odds_ratio);
  escalc.zero_cells = escalc_zero_cells();
  auto kept = from_text(text, escalc);
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->k(), 2u);
  EXPECT_NEAR(kept->yi[0], std::log((0.5 / 10.5) / (0.5 / 12.5)), 1e-15);
  // drop00 = TRUE drops A for RD as well; srma's default keeps it for RD.
  read_options drop = measure(effect_measure::risk_difference);
  drop.zero_cells.double_zero = double_zero_policy::drop;
  auto dropped = from_text(text, drop);
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->k(), 1u);
  EXPECT_EQ(dropped->excluded[0].reason,
            "no events in either group: left out by the zero-cell rule (double-zero studies "
            "dropped, escalc's drop00 = TRUE)");
  auto rd = from_text(text, measure(effect_measure::risk_difference));
  ASSERT_TRUE(rd);
  EXPECT_EQ(rd->k(), 2u);
  // to = "if0all": every table corrected because one has a zero.
  read_options all = escalc;
  all.zero_cells.to = zero_cell_to::if0all;
  auto t = from_text("study,events_t,n_t,events_c,n_c\nA,3,10,4,12\nB,2,10,0,12\n", all);
  ASSERT_TRUE(t);
  EXPECT_NEAR(t->yi[0], std::log((3.5 / 7.5) / (4.5 / 8.5)), 1e-15);
  EXPECT_TRUE(t->zero_cell_corrected[0]);
}

TEST(study_table_measures_test, a_negative_correction_is_refused) {
  read_options o;
  o.zero_cells.add = -0.5;
  EXPECT_EQ(error_of("study,events,n\nA,1,10\n", o),
            "[srma.input.E217] the zero-cell correction is -0.5, but must be finite and >= 0");
}

TEST(study_table_measures_test, zero_cell_rules_parse_and_print) {
  for (auto t : {zero_cell_to::only0, zero_cell_to::all, zero_cell_to::if0all, zero_cell_to::none})
    EXPECT_EQ(parse_zero_cell_to(to_string(t)), t);
  EXPECT_EQ(parse_double_zero_policy("true"), double_zero_policy::drop);
  EXPECT_EQ(parse_double_zero_policy("false"), double_zero_policy::keep);
  EXPECT_EQ(parse_double_zero_policy("ratios"), double_zero_policy::ratios);
  EXPECT_FALSE(parse_double_zero_policy("TRUE").has_value());
  EXPECT_EQ(escalc_zero_cells().double_zero, double_zero_policy::keep);
  EXPECT_TRUE(drops_double_zero(srma_zero_cells(), effect_measure::rate_ratio));
  EXPECT_FALSE(drops_double_zero(srma_zero_cells(), effect_measure::rate_difference));
}

// ---------------------------------------------------------------------------------------------
// Real files: incomplete rows, duplicate labels, effect columns as attributes.

TEST(study_table_measures_test, incomplete_rows_are_listed_when_excluded) {
  const std::string text =
      "study,events_t,n_t,events_c,n_c\nA,3,10,4,12\nB,,10,,12\nC,,,,\nD,2,10,1,\n";
  EXPECT_EQ(error_of(text),
            "[srma.input.E204] s.csv:3:2: column 'events_t' is empty: expected a number");
  read_options o;
  o.missing = missing_policy::exclude;
  auto t = from_text(text, o);
  ASSERT_TRUE(t) << t.error().what();
  ASSERT_EQ(t->k(), 1u);
  ASSERT_EQ(t->excluded.size(), 3u);
  EXPECT_EQ(t->excluded[0].study, "B");
  EXPECT_EQ(t->excluded[0].reason,
            "incomplete estimate: 'events_t' and 'events_c' of events_t,n_t,events_c,n_c are "
            "empty");
  EXPECT_EQ(t->excluded[1].reason, "no estimate: columns events_t,n_t,events_c,n_c are empty");
  EXPECT_EQ(t->excluded[2].reason,
            "incomplete estimate: 'n_c' of events_t,n_t,events_c,n_c is empty");
  EXPECT_EQ(t->notices.back(),
            "s.csv:5: study 'D' left out: incomplete estimate: 'n_c' of "
            "events_t,n_t,events_c,n_c is empty");
}

TEST(study_table_measures_test, incomplete_hazard_ratio_rows_are_listed_when_excluded) {
  read_options o;
  o.missing = missing_policy::exclude;
  auto t = from_text("study,hr,lower,upper\nA,0.8,0.6,1.1\nB,0.7,,\n", o);
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->k(), 1u);
  ASSERT_EQ(t->excluded.size(), 1u);
  EXPECT_EQ(t->excluded[0].reason,
            "incomplete estimate: 'lower' and 'upper' of hr|or|rr,lower,upper are empty");
}

TEST(study_table_measures_test, duplicate_labels_are_numbered_with_a_notice) {
  auto t = from_text(
      "study,yi,vi\nSmith 1990,0.1,0.04\nJones 1992,0.2,0.05\nSmith 1990,0.3,0.06\n"
      "Smith 1990 (1),0.4,0.07\n");
  ASSERT_TRUE(t) << t.error().what();
  // "Smith 1990 (1)" is another row's label, so the repeated one becomes (2) and (3).
  EXPECT_EQ(t->study, (std::vector<std::string>{"Smith 1990 (2)", "Jones 1992", "Smith 1990 (3)",
                                                "Smith 1990 (1)"}));
  EXPECT_EQ(t->label_as_given,
            (std::vector<std::string>{"Smith 1990", "Jones 1992", "Smith 1990", "Smith 1990 (1)"}));
  ASSERT_EQ(t->notices.size(), 1u);
  EXPECT_EQ(t->notices[0],
            "s.csv: study label 'Smith 1990' is used on lines 2, 4; the studies are shown as "
            "'Smith 1990 (2)', 'Smith 1990 (3)'");
  // Subsets keep the labels as given alongside.
  const std::vector<std::size_t> rows = {2};
  const auto s = t->subset(rows);
  EXPECT_EQ(s.study[0], "Smith 1990 (3)");
  EXPECT_EQ(s.label_as_given[0], "Smith 1990");
  // Unique labels leave label_as_given empty.
  auto u = from_text("study,yi,vi\nA,0.1,0.04\n");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->label_as_given.empty());
}

TEST(study_table_measures_test, effect_columns_are_attributes_too) {
  auto t = from_text("study,events_t,n_t,events_c,n_c,year\nA,3,10,4,12,1999\nB,2,20,1,25,2004\n");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->attribute_names,
            (std::vector<std::string>{"year", "events_t", "n_t", "events_c", "n_c"}));
  EXPECT_EQ(t->attribute_columns, (std::vector<int>{6, 2, 3, 4, 5}));
  EXPECT_EQ(t->effect_columns, (std::vector<std::string>{"events_t", "n_t", "events_c", "n_c"}));
  const int n_t = t->attribute_index("N_T");
  ASSERT_EQ(n_t, 2);
  EXPECT_EQ(t->attributes[2][1], "20");
}

// A hazard-ratio table's 'n' (patients) is a characteristic, not an effect value, though 'n'
// belongs to the proportion column set: put_study_hr still fills the row.
TEST(study_table_measures_test, put_study_hr_fills_a_row_with_a_sample_size) {
  auto t = parse_csv("study,n,loghr,se\nGangi 2020,120,,\n", "s.csv");
  ASSERT_TRUE(t);
  auto a = put_study_hr(*t, "Gangi 2020", {.loghr = -0.41, .se = 0.21});
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_EQ(*a, study_row_action::filled);
  EXPECT_EQ(t->rows[0].fields[1], "120");
}

// ---------------------------------------------------------------------------------------------
// Display transformations.

TEST(study_table_measures_test, display_transformations_invert_the_analysis_scale) {
  const display_context n50{50};
  for (auto m : {effect_measure::proportion_log, effect_measure::proportion_logit,
                 effect_measure::proportion_arcsine, effect_measure::proportion_ft,
                 effect_measure::fisher_z, effect_measure::incidence_rate_log,
                 effect_measure::rate_ratio, effect_measure::ratio_of_means}) {
    for (double x : {0.05, 0.3, 0.62}) {
      EXPECT_REL(to_display(m, from_display(m, x, n50), n50), x, 1e-12) << measure_code(m);
    }
  }
  // Miller (1978) with n = 50 inverts the double arcsine of 12/50 (metafor transf.ipft).
  EXPECT_REL(to_display(effect_measure::proportion_ft, freeman_tukey(0.24, 50), n50), 0.24, 1e-12);
  // Beyond the double arcsine's range of n, 0 and 1 (transf.ipft.hm's clamps).
  EXPECT_EQ(to_display(effect_measure::proportion_ft, 0.0, n50), 0);
  EXPECT_EQ(to_display(effect_measure::proportion_ft, 1.6, n50), 1);
  // PAS clamps as transf.iarcsin.
  EXPECT_EQ(to_display(effect_measure::proportion_arcsine, -0.1), 0);
  EXPECT_EQ(to_display(effect_measure::proportion_arcsine, 1.6), 1);
  EXPECT_TRUE(display_log_axis(effect_measure::rate_ratio));
  EXPECT_FALSE(display_log_axis(effect_measure::proportion_logit));
  EXPECT_TRUE(std::isnan(null_value(effect_measure::proportion)));
  EXPECT_EQ(null_value(effect_measure::ratio_of_means), 1);
  EXPECT_EQ(analysis_scale_name(effect_measure::proportion_logit), "logit");
  EXPECT_EQ(display_label(effect_measure::fisher_z), "Correlation");
  // PFT's n from the variances 1/(4n + 2): harmonic mean of 10 and 40 is 16.
  const std::vector<double> vi = {1.0 / 42, 1.0 / 162};
  EXPECT_REL(display_context_from_vi(effect_measure::proportion_ft, vi).n, 16, 1e-12);
  EXPECT_TRUE(std::isnan(display_context_from_vi(effect_measure::proportion_logit, vi).n));
}

TEST(study_table_measures_test, every_measure_code_parses) {
  for (const char* code : {"PR", "PLN", "PLO", "PAS", "PFT", "COR", "ZCOR", "IR", "IRLN", "IRR",
                           "IRD", "ROM", "SMDH", "smdh", "gen"}) {
    auto m = parse_measure(code);
    ASSERT_TRUE(m.has_value()) << code;
    EXPECT_TRUE(detail::iequals(measure_code(*m), code) || std::string_view(code) == "gen");
  }
}

}  // namespace
}  // namespace srma
