#include "srma/data/study_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

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

TEST(study_table_test, hr_with_ci_gives_log_hr_and_se_from_ci_width) {
  auto t = from_text("Study,HR,Lower,Upper,location\nA,0.5,0.25,1.0,pancreas\n");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->measure, effect_measure::hazard_ratio);
  EXPECT_EQ(t->kind, input_kind::ratio_ci);
  // yi = ln 0.5; SE = (ln 1 - ln 0.25) / (2 * 1.959963984540054)
  EXPECT_REL(t->yi[0], std::log(0.5), 1e-15);
  const double se = std::log(4.0) / (2 * 1.959963984540054);
  EXPECT_REL(t->vi[0], se * se, 1e-12);
  // location first, then the effect columns (kept too, issue 12 item 5).
  ASSERT_EQ(t->attribute_names.size(), 4u);
  EXPECT_EQ(t->attribute_names[0], "location");
  EXPECT_EQ(t->attributes[0][0], "pancreas");
  EXPECT_EQ(t->attribute_names[1], "HR");
  EXPECT_EQ(t->attribute_columns[1], 2);
  EXPECT_EQ(t->line[0], 2);
}

// read_options::attributes keeps only the columns it names (ignoring case), in the usual order,
// with their file column numbers; an empty list keeps none, and the numbers do not change. The
// counts of 2x2 tables stay whatever the list, so Mantel-Haenszel can still pool them.
TEST(study_table_test, attributes_keeps_only_the_columns_named) {
  const std::string text =
      "Study,HR,Lower,Upper,location,year\nA,0.5,0.25,1.0,pancreas,1990\nB,0.8,0.5,1.3,ileum,"
      "2001\n";
  auto all = from_text(text);
  ASSERT_TRUE(all) << all.error().what();
  EXPECT_EQ(all->attribute_names.size(), 5u);
  read_options o;
  o.attributes = std::vector<std::string>{"YEAR", "upper", "not_in_the_file"};
  auto some = from_text(text, o);
  ASSERT_TRUE(some) << some.error().what();
  ASSERT_EQ(some->attribute_names, (std::vector<std::string>{"year", "Upper"}));
  EXPECT_EQ(some->attribute_columns, (std::vector<int>{6, 4}));
  EXPECT_EQ(some->attributes[0][1], "2001");
  EXPECT_EQ(some->attributes[1][0], "1.0");
  o.attributes = std::vector<std::string>{};
  auto none = from_text(text, o);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->attribute_names.empty());
  EXPECT_TRUE(none->attributes.empty());
  EXPECT_EQ(none->yi, all->yi);
  EXPECT_EQ(none->vi, all->vi);
  EXPECT_EQ(none->study, all->study);
  // 2x2 counts: kept (the other columns are not).
  auto counts =
      from_text("study,events_t,n_t,events_c,n_c,year\nA,3,20,6,21,1990\nB,4,30,9,28,1991\n", o);
  ASSERT_TRUE(counts) << counts.error().what();
  EXPECT_EQ(counts->attribute_names,
            (std::vector<std::string>{"events_t", "n_t", "events_c", "n_c"}));
}

TEST(study_table_test, ci_level_column_changes_the_z) {
  auto t = from_text("study,or,lower,upper,ci_level\nA,2,1,4,90\nB,2,1,4,0.99\n");
  ASSERT_TRUE(t) << t.error().what();
  const double se90 = std::log(4.0) / (2 * 1.6448536269514722);
  const double se99 = std::log(4.0) / (2 * 2.5758293035489004);
  EXPECT_REL(t->vi[0], se90 * se90, 1e-12);
  EXPECT_REL(t->vi[1], se99 * se99, 1e-12);
  EXPECT_EQ(t->measure, effect_measure::odds_ratio);
  // ci_level is read, and kept as an attribute like the effect columns.
  EXPECT_EQ(t->attribute_names.back(), "ci_level");
}

TEST(study_table_test, oe_v_gives_peto_log_hr) {
  auto t = from_text("study,oe,v\nA,-1.8,14.5\n");
  ASSERT_TRUE(t);
  EXPECT_REL(t->yi[0], -1.8 / 14.5, 1e-15);
  EXPECT_REL(t->vi[0], 1 / 14.5, 1e-15);
  EXPECT_EQ(t->measure, effect_measure::hazard_ratio);
}

TEST(study_table_test, yi_with_sei_or_vi_and_measure_option) {
  auto a = from_text("study,yi,sei\nA,0.1,0.2\n");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->measure, effect_measure::generic);
  EXPECT_REL(a->vi[0], 0.04, 1e-15);
  auto b = from_text("study,YI,VI\nA,0.1,0.2\n", {.measure = effect_measure::odds_ratio});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->measure, effect_measure::odds_ratio);
  EXPECT_REL(b->vi[0], 0.2, 1e-15);
  auto c = from_text("study,loghr,se\nA,-0.7,0.1\n");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->measure, effect_measure::hazard_ratio);
}

TEST(study_table_test, two_by_two_zero_cells_and_double_zero) {
  // metafor escalc("OR", ai=0, n1i=10, ci=3, n2i=12): 0.5 added to all cells.
  auto t = from_text("study,events_t,n_t,events_c,n_c\nA,0,10,3,12\nB,0,8,0,9\nC,2,10,3,12\n");
  ASSERT_TRUE(t) << t.error().what();
  ASSERT_EQ(t->k(), 2u);
  EXPECT_REL(t->yi[0], std::log((0.5 / 10.5) / (3.5 / 9.5)), 1e-14);
  EXPECT_REL(t->vi[0], 1 / 0.5 + 1 / 10.5 + 1 / 3.5 + 1 / 9.5, 1e-14);
  ASSERT_EQ(t->excluded.size(), 1u);
  EXPECT_EQ(t->excluded[0].study, "B");
  EXPECT_EQ(t->excluded[0].line, 3);
  ASSERT_EQ(t->notices.size(), 1u);
  EXPECT_EQ(t->notices[0],
            "s.csv:3: study 'B' left out: no events in either group: the odds ratio is not "
            "estimable (the study adds no information on this scale)");
  // Under RD the double-zero study is informative and kept.
  auto rd = from_text("study,events_t,n_t,events_c,n_c\nB,0,8,0,9\n",
                      {.measure = effect_measure::risk_difference});
  ASSERT_TRUE(rd);
  EXPECT_EQ(rd->k(), 1u);
  EXPECT_REL(rd->yi[0], 0.5 / 9 - 0.5 / 10, 1e-14);
}

TEST(study_table_test, means_give_md_and_hedges_g) {
  // dat.normand1999 row 1 (Edinburgh): metafor escalc("SMD") yi = -0.3552, vi = 0.0131.
  auto md = from_text("study,m1,sd1,n1,m2,sd2,n2\nEdinburgh,55,47,155,75,64,156\n");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->measure, effect_measure::mean_difference);
  EXPECT_REL(md->yi[0], -20, 1e-15);
  EXPECT_REL(md->vi[0], 47.0 * 47 / 155 + 64.0 * 64 / 156, 1e-14);
  auto g = from_text("study,m1,sd1,n1,m2,sd2,n2\nEdinburgh,55,47,155,75,64,156\n",
                     {.measure = effect_measure::std_mean_difference});
  ASSERT_TRUE(g);
  const double sp = std::sqrt((154.0 * 47 * 47 + 155.0 * 64 * 64) / 309);
  const double cm =
      std::exp(std::lgamma(309 / 2.0) - std::log(std::sqrt(309 / 2.0)) - std::lgamma(308 / 2.0));
  EXPECT_REL(g->yi[0], cm * -20 / sp, 1e-14);
  EXPECT_NEAR(g->yi[0], -0.3552, 5e-5);
}

TEST(study_table_test, semicolon_files_may_use_decimal_commas) {
  auto t = from_text("study;hr;lower;upper\nA;0,48;0,43;0,55\n");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_REL(t->yi[0], std::log(0.48), 1e-15);
}

TEST(study_table_test, missing_study_column_labels_by_line) {
  auto t = from_text("yi,vi\n0.1,0.2\n0.3,0.1\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->study[1], "Line 3");
  ASSERT_EQ(t->notices.size(), 1u);
}

TEST(study_table_test, ratio_outside_its_ci_is_a_notice_not_an_error) {
  auto t = from_text("study,hr,lower,upper\nA,0.9,0.2,0.8\n");
  ASSERT_TRUE(t);
  ASSERT_EQ(t->notices.size(), 1u);
  EXPECT_EQ(t->notices[0],
            "s.csv:2: study 'A': the ratio 0.9 lies outside its own CI [0.2, 0.8]; check the "
            "extraction");
}

TEST(study_table_test, errors_name_file_line_column_and_expectation) {
  EXPECT_EQ(error_of("study,hr,lower,upper\nA,abc,0.2,0.8\n"),
            "[srma.input.E203] s.csv:2:2: column 'hr' is 'abc': expected a number");
  EXPECT_EQ(error_of("study,hr,lower,upper\nA,0.5,,0.8\n"),
            "[srma.input.E204] s.csv:2:3: column 'lower' is empty: expected a number");
  EXPECT_EQ(error_of("study,hr,lower,upper\nA,0.5,0.9,0.8\n"),
            "[srma.input.E205] s.csv:2:3: lower CI bound 0.9 is not below the upper bound 0.8");
  EXPECT_EQ(error_of("study,hr,lower,upper\nA,-0.5,0.2,0.8\n"),
            "[srma.input.E205] s.csv:2:2: column 'hr' is -0.5, but a ratio must be > 0");
  EXPECT_EQ(error_of("study,yi,vi\nA,0.1,0\n"),
            "[srma.input.E205] s.csv:2:3: column 'vi' is 0, but a variance must be > 0");
  EXPECT_EQ(error_of("study,yi,sei\nA,0.1,-2\n"),
            "[srma.input.E205] s.csv:2:3: column 'sei' is -2, but a standard error must be > 0");
  EXPECT_EQ(error_of("study,yi,vi\n,0.1,0.2\n"),
            "[srma.input.E208] s.csv:2:1: column 'study' is empty: every study needs a label");
  EXPECT_EQ(error_of("study,yi,vi\n"),
            "[srma.input.E209] s.csv:1: the file has a header but no studies");
  EXPECT_EQ(error_of("study,events_t,n_t,events_c,n_c\nA,12,10,3,12\n"),
            "[srma.input.E210] s.csv:2:2: column 'events_t' is 12, but events cannot exceed "
            "'n_t' = 10");
  // Issue 15, item 3: counts must be whole; in a ';' file "1.234" is a thousands separator.
  EXPECT_EQ(error_of("study,events_t,n_t,events_c,n_c\nA,12,20.5,3,12\n"),
            "[srma.input.E210] s.csv:2:3: column 'n_t' is 20.5, but counts must be whole "
            "numbers");
  EXPECT_EQ(error_of("study;events_t;n_t;events_c;n_c\nA;12;1.234;3;1200\n"),
            "[srma.input.E210] s.csv:2:3: column 'n_t' is 1.234, but counts must be whole numbers "
            "(write thousands without a separator: 1234, not 1.234)");
  EXPECT_EQ(error_of("study,m1,sd1,n1,m2,sd2,n2\nA,1,0,10,2,1,10\n"),
            "[srma.input.E205] s.csv:2:3: column 'sd1' is 0, but an SD must be > 0");
}

TEST(study_table_test, unknown_and_ambiguous_column_sets) {
  EXPECT_EQ(error_of("study,effect,error\nA,1,2\n"),
            "[srma.input.E201] s.csv:1: no recognised set of effect columns in the header "
            "(study, effect, error). Expected one of: hr|or|rr,lower,upper; loghr,se; yi,sei; "
            "yi,vi; oe,v; events_t,n_t,events_c,n_c; m1,sd1,n1,m2,sd2,n2; events,n; ri,ni; "
            "events,time; events_t,time_t,events_c,time_c.");
  EXPECT_EQ(error_of("study,hr,lower\nA,1,2\n"),
            "[srma.input.E201] s.csv:1: no recognised set of effect columns in the header "
            "(study, hr, lower). Expected one of: hr|or|rr,lower,upper; loghr,se; yi,sei; "
            "yi,vi; oe,v; events_t,n_t,events_c,n_c; m1,sd1,n1,m2,sd2,n2; events,n; ri,ni; "
            "events,time; events_t,time_t,events_c,time_c. Found column(s) of "
            "'hr|or|rr,lower,upper' but 'upper' is missing.");
  EXPECT_EQ(error_of("study,yi,vi,sei\nA,1,2,3\n"),
            "[srma.input.E202] s.csv:1: the header holds several effect column sets (yi,sei / "
            "yi,vi)");
  // The first set is the error's subject: the command line turns it into "--effect yi,sei".
  auto ambiguous = from_text("study,yi,vi,sei\nA,1,2,3\n");
  ASSERT_FALSE(ambiguous);
  EXPECT_EQ(ambiguous.error().subject, "yi,sei");
  EXPECT_EQ(error_of("study,hr,or,lower,upper\nA,1,1,0.5,2\n"),
            "[srma.input.E202] s.csv:1: columns 'hr' and 'or' both name the ratio: keep one of "
            "them");
  auto chosen = from_text("study,yi,vi,sei\nA,1,2,3\n", {.kind = input_kind::yi_vi});
  ASSERT_TRUE(chosen);
  EXPECT_REL(chosen->vi[0], 2, 1e-15);
  // sei is kept as an attribute, before the effect columns yi and vi.
  ASSERT_EQ(chosen->attribute_names, (std::vector<std::string>{"sei", "yi", "vi"}));
  EXPECT_EQ(error_of("study,events_t,n_t,events_c,n_c\nA,1,10,2,10\n",
                     {.measure = effect_measure::mean_difference}),
            "[srma.input.E206] s.csv:1: measure MD does not fit the columns "
            "events_t,n_t,events_c,n_c; this input allows OR, RR or RD");
}

TEST(study_table_test, missing_estimates_error_or_exclusion_with_listing) {
  const std::string text = "study,hr,lower,upper\nA,0.5,0.3,0.8\nB,,,\n";
  EXPECT_EQ(error_of(text), "[srma.input.E204] s.csv:3:2: column 'hr' is empty: expected a number");
  auto t = from_text(text, {.missing = missing_policy::exclude});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->k(), 1u);
  ASSERT_EQ(t->excluded.size(), 1u);
  EXPECT_EQ(t->excluded[0].reason, "no estimate: columns hr|or|rr,lower,upper are empty");
  // A partly filled row is left out and listed as well (issue 12 item 5); without
  // --exclude-missing it is an error at its first empty cell.
  EXPECT_EQ(error_of("study,hr,lower,upper\nA,0.5,,0.8\n"),
            "[srma.input.E204] s.csv:2:3: column 'lower' is empty: expected a number");
  auto partial = from_text("study,hr,lower,upper\nA,0.5,0.3,0.8\nB,0.5,,0.8\n",
                           {.missing = missing_policy::exclude});
  ASSERT_TRUE(partial);
  ASSERT_EQ(partial->excluded.size(), 1u);
  EXPECT_EQ(partial->excluded[0].reason,
            "incomplete estimate: 'lower' of hr|or|rr,lower,upper is empty");
  // Issue 15, item 6: a literal NaN was called empty.
  EXPECT_EQ(error_of("study,hr,lower,upper\nA,0.5,0.3,0.8\nB,NaN,0.4,0.9\n"),
            "[srma.input.E204] s.csv:3:2: column 'hr' holds 'NaN', which marks a missing value: "
            "expected a number");
}

TEST(study_table_test, subset_keeps_attributes_in_order) {
  auto t = from_text("study,yi,vi,g\nA,1,1,x\nB,2,1,y\nC,3,1,x\n");
  ASSERT_TRUE(t);
  std::vector<std::size_t> rows = {2, 0};
  auto s = t->subset(rows);
  EXPECT_EQ(s.study, (std::vector<std::string>{"C", "A"}));
  EXPECT_EQ(s.attributes[0], (std::vector<std::string>{"x", "x"}));
}

TEST(study_table_test, in_memory_tables_validate) {
  EXPECT_TRUE(make_study_table({0.1, 0.2}, {0.1, 0.1}));
  EXPECT_EQ(make_study_table({0.1, 0.2}, {0.1, -0.1}).error().what(),
            "[srma.input.E205] vi[1] is -0.1, but must be finite and > 0");
  EXPECT_EQ(make_study_table({0.1}, {0.1, 0.2}).error().id, "srma.input.E213");
  EXPECT_EQ(make_study_table({0.1, 0.2}, {0.1, 0.1}, {"a", "a"}).error().id, "srma.input.E207");
}

// ---- study_table_maker: the header analysed once (batches) ----------------------------------

// Every part of two tables, for the maker's promise "exactly what make_study_table gives".
void expect_same_table(const expected<study_table>& a, const expected<study_table>& b,
                       const std::string& what) {
  ASSERT_EQ(a.has_value(), b.has_value()) << what;
  if (!a) {
    EXPECT_EQ(a.error().what(), b.error().what()) << what;
    return;
  }
  EXPECT_EQ(a->source, b->source) << what;
  EXPECT_EQ(a->measure, b->measure) << what;
  EXPECT_EQ(a->kind, b->kind) << what;
  EXPECT_EQ(a->measure_label, b->measure_label) << what;
  EXPECT_EQ(a->study, b->study) << what;
  EXPECT_EQ(a->label_as_given, b->label_as_given) << what;
  EXPECT_EQ(a->yi, b->yi) << what;
  EXPECT_EQ(a->vi, b->vi) << what;
  EXPECT_EQ(a->line, b->line) << what;
  EXPECT_EQ(a->sample_size, b->sample_size) << what;
  EXPECT_EQ(a->zero_cell_corrected, b->zero_cell_corrected) << what;
  EXPECT_EQ(a->hr_source, b->hr_source) << what;
  EXPECT_EQ(a->o_minus_e, b->o_minus_e) << what;
  EXPECT_EQ(a->v, b->v) << what;
  EXPECT_EQ(a->effect_columns, b->effect_columns) << what;
  EXPECT_EQ(a->attribute_names, b->attribute_names) << what;
  EXPECT_EQ(a->attribute_columns, b->attribute_columns) << what;
  ASSERT_EQ(a->attributes.size(), b->attributes.size()) << what;
  for (std::size_t c = 0; c < a->attributes.size(); ++c) {
    ASSERT_EQ(a->attributes[c].size(), b->attributes[c].size()) << what;
    for (std::size_t i = 0; i < a->attributes[c].size(); ++i) {
      EXPECT_EQ(a->attributes[c][i], b->attributes[c][i]) << what;
    }
  }
  ASSERT_EQ(a->excluded.size(), b->excluded.size()) << what;
  for (std::size_t i = 0; i < a->excluded.size(); ++i) {
    EXPECT_EQ(a->excluded[i].study, b->excluded[i].study) << what;
    EXPECT_EQ(a->excluded[i].line, b->excluded[i].line) << what;
    EXPECT_EQ(a->excluded[i].reason, b->excluded[i].reason) << what;
  }
  EXPECT_EQ(a->notices, b->notices) << what;
}

// Every study file of the examples and of the validation data, under several reading options
// (the measure named or not, the input kind forced, missing rows excluded, attributes kept or
// not): the prepared maker reads each as make_study_table does, errors included.
TEST(study_table_maker_test, reads_every_bundled_file_as_make_study_table) {
  std::vector<read_options> variants(5);
  variants[1].missing = missing_policy::exclude;
  variants[2].measure = effect_measure::hazard_ratio;
  variants[3].kind = input_kind::two_by_two;
  variants[4].attributes = std::vector<std::string>{};
  int files = 0, tables = 0;
  for (const char* dir : {"/examples", "/tests/validation/data"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(SRMA_SOURCE_DIR) + dir)) {
      if (entry.path().extension() != ".csv") continue;
      auto csv = read_csv_compact(entry.path().string());
      if (!csv) continue;
      ++files;
      for (const auto& o : variants) {
        study_table_maker maker(o);
        maker.prepare(*csv);
        auto plain = make_study_table(*csv, o);
        if (plain) ++tables;
        expect_same_table(maker.make(*csv), plain, entry.path().string());
      }
    }
  }
  EXPECT_GT(files, 40);
  EXPECT_GT(tables, 60);  // most files are study files, read under most options
}

// A table with another header than the prepared one, or a maker never prepared, is read the
// plain way; an error of the header comes back for every table, the same as make_study_table's.
TEST(study_table_maker_test, another_header_or_none_prepared_reads_the_plain_way) {
  auto a = parse_csv_compact("study,yi,vi\nA,0.1,0.01\nB,0.2,0.02\n", "a.csv");
  auto b = parse_csv_compact("study,events_t,n_t,events_c,n_c\nA,1,10,2,10\n", "a.csv");
  auto c = parse_csv_compact("study,yi,vi\nA,0.1,0.01\n", "c.csv");  // another source
  auto bad = parse_csv_compact("study,x,y\nA,1,2\n", "a.csv");
  ASSERT_TRUE(a && b && c && bad);
  study_table_maker unprepared;
  expect_same_table(unprepared.make(*a), make_study_table(*a), "unprepared");
  study_table_maker maker;
  maker.prepare(*a);
  expect_same_table(maker.make(*b), make_study_table(*b), "2x2 after yi/vi");
  expect_same_table(maker.make(*c), make_study_table(*c), "another source");
  auto t = maker.make(*a);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->yi, (std::vector<double>{0.1, 0.2}));
  study_table_maker failing;
  failing.prepare(*bad);
  auto e = failing.make(*bad);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().id, errc::input_no_column_set);
  expect_same_table(failing.make(*bad), make_study_table(*bad), "no column set");
}

}  // namespace
}  // namespace srma
