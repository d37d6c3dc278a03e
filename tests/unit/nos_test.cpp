// Tests of srma/review/nos.hpp: Newcastle–Ottawa Scale scores from study columns, quality
// classes, the AHRQ standard and every error message in full.
#include "srma/review/nos.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "srma/report/text_report.hpp"

namespace srma::review {
namespace {

const std::string k_seed_studies = SRMA_SOURCE_DIR "/examples/gepnet-ptr/studies.csv";

expected<nos_table> from_text(const std::string& text, const nos_options& o = {}) {
  auto csv = parse_csv(text, "studies.csv");
  if (!csv) return unexpected(csv.error());
  return nos_from_csv(*csv, o);
}

std::string error_of(const std::string& text, const nos_options& o = {}) {
  auto t = from_text(text, o);
  return t ? std::string("no error") : t.error().what();
}

TEST(nos_test, seed_review_studies_are_all_high_quality) {
  // Xiao et al. 2025, Table 1 (NOS score column) and section 3: "All studies were rated high
  // quality", with NOS >= 6 as the threshold (section 2.2).
  auto csv = read_csv(k_seed_studies);
  ASSERT_TRUE(csv) << csv.error().what();
  auto t = nos_from_csv(*csv);
  ASSERT_TRUE(t) << t.error().what();
  ASSERT_EQ(t->studies.size(), 11u);
  EXPECT_EQ(t->studies[0].study, "Bettini 2009");
  EXPECT_EQ(t->studies[0].line, 2);
  EXPECT_EQ(t->studies[0].score.total, 7);
  EXPECT_FALSE(t->studies[0].score.selection.has_value());
  EXPECT_EQ(t->studies[2].study, "Bertani 2017");
  EXPECT_EQ(t->studies[2].score.total, 8);
  std::vector<int> totals;
  for (const auto& s : t->studies) {
    totals.push_back(*s.score.total);
    EXPECT_EQ(s.quality, nos_class::high) << s.study;
    EXPECT_EQ(s.ahrq, ahrq_standard::unknown) << s.study;
  }
  EXPECT_EQ(totals, (std::vector<int>{7, 7, 8, 7, 7, 7, 7, 7, 8, 8, 7}));
  EXPECT_EQ(t->count(nos_class::high), 11u);
  EXPECT_EQ(srma::brief_report(*t),
            "Newcastle–Ottawa Scale (cohort studies), 11 studies: 11 high (total ≥ 6), 0 low "
            "(total < 6)\n");
  // Under the common three classes, the same totals are all high as well (>= 7).
  auto three = nos_from_csv(*csv, nos_options::three_classes());
  ASSERT_TRUE(three);
  EXPECT_EQ(srma::brief_report(*three),
            "Newcastle–Ottawa Scale (cohort studies), 11 studies: 11 high (total ≥ 7), 0 moderate "
            "(total 4–6), 0 low (total < 4)\n");
}

TEST(nos_test, thresholds_two_and_three_classes) {
  auto t = from_text("study,nos\nA,3\nB,4\nC,6\nD,7\nE,\nF,NA\n");
  ASSERT_TRUE(t) << t.error().what();
  std::vector<nos_class> two;
  for (const auto& s : t->studies) two.push_back(s.quality);
  EXPECT_EQ(two, (std::vector<nos_class>{nos_class::low, nos_class::low, nos_class::high,
                                         nos_class::high, nos_class::unknown, nos_class::unknown}));
  auto u = from_text("study,nos\nA,3\nB,4\nC,6\nD,7\nE,\nF,NA\n", nos_options::three_classes());
  ASSERT_TRUE(u);
  std::vector<nos_class> three;
  for (const auto& s : u->studies) three.push_back(s.quality);
  EXPECT_EQ(three,
            (std::vector<nos_class>{nos_class::low, nos_class::moderate, nos_class::moderate,
                                    nos_class::high, nos_class::unknown, nos_class::unknown}));
  EXPECT_EQ(srma::brief_report(*u),
            "Newcastle–Ottawa Scale (cohort studies), 6 studies: 1 high (total ≥ 7), 2 moderate "
            "(total 4–6), 1 low (total < 4), 2 unknown (no total)\n");
}

TEST(nos_test, domains_give_total_and_ahrq_standard) {
  // AHRQ conversion as in review.md §5: Good = S 3-4, C 1-2, O 2-3; Fair = S 2, C 1-2, O 2-3;
  // Poor = S 0-1 or C 0 or O 0-1; 4+0+3 = 7 is Poor because C = 0.
  auto t = from_text(
      "study,nos_selection,nos_comparability,nos_outcome,nos\n"
      "Good,4,2,3,\n"
      "Fair,2,1,2,5\n"
      "NoComparability,4,0,3,\n"
      "LowSelection,1,2,3,\n"
      "LowOutcome,3,1,1,\n"
      "Partial,3,,2,6\n");
  ASSERT_TRUE(t) << t.error().what();
  std::vector<ahrq_standard> ahrq;
  std::vector<std::optional<int>> totals;
  for (const auto& s : t->studies) {
    ahrq.push_back(s.ahrq);
    totals.push_back(s.score.total);
  }
  EXPECT_EQ(ahrq, (std::vector<ahrq_standard>{ahrq_standard::good, ahrq_standard::fair,
                                              ahrq_standard::poor, ahrq_standard::poor,
                                              ahrq_standard::poor, ahrq_standard::unknown}));
  EXPECT_EQ(totals, (std::vector<std::optional<int>>{9, 5, 7, 6, 5, 6}));
  EXPECT_TRUE(t->studies[0].score.total_from_domains);
  EXPECT_FALSE(t->studies[1].score.total_from_domains);
  EXPECT_EQ(t->studies[2].quality, nos_class::high);  // total 7 is high although AHRQ says Poor
  EXPECT_EQ(srma::full_report(*t),
            "Newcastle–Ottawa Scale (cohort studies), 6 studies: 4 high (total ≥ 6), 2 low "
            "(total < 6)\n"
            "study            selection  comparability  outcome  total  quality   AHRQ\n"
            "Good                     4              2        3     9*  high      Good\n"
            "Fair                     2              1        2      5  low       Fair\n"
            "NoComparability          4              0        3     7*  high      Poor\n"
            "LowSelection             1              2        3     6*  high      Poor\n"
            "LowOutcome               3              1        1     5*  low       Poor\n"
            "Partial                  3             NA        2      6  high      unknown\n"
            "* total = selection + comparability + outcome\n");
  EXPECT_EQ(to_string(nos_class::moderate), "moderate");
  EXPECT_EQ(to_string(ahrq_standard::fair), "Fair");
}

TEST(nos_test, make_nos_score_in_memory) {
  auto s = make_nos_score(4, 1, 3, std::nullopt);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->total, 8);
  EXPECT_TRUE(s->total_from_domains);
  EXPECT_EQ(s->quality(), nos_class::high);
  EXPECT_EQ(s->ahrq(), ahrq_standard::good);
  auto only_total = make_nos_score(std::nullopt, std::nullopt, std::nullopt, 5);
  ASSERT_TRUE(only_total);
  EXPECT_EQ(only_total->quality(), nos_class::low);
  EXPECT_EQ(only_total->quality(nos_options::three_classes()), nos_class::moderate);
  EXPECT_EQ(only_total->ahrq(), ahrq_standard::unknown);
  EXPECT_EQ(make_nos_score(5, 1, 3, std::nullopt).error().what(),
            "[srma.review.E613] NOS selection is 5, but must be 0–4");
  EXPECT_EQ(make_nos_score(std::nullopt, 3, std::nullopt, std::nullopt).error().what(),
            "[srma.review.E613] NOS comparability is 3, but must be 0–2");
  EXPECT_EQ(make_nos_score(std::nullopt, std::nullopt, -1, std::nullopt).error().what(),
            "[srma.review.E613] NOS outcome is -1, but must be 0–3");
  EXPECT_EQ(make_nos_score(std::nullopt, std::nullopt, std::nullopt, 10).error().what(),
            "[srma.review.E613] NOS total is 10, but must be 0–9");
  EXPECT_EQ(make_nos_score(4, 1, 2, 8).error().what(),
            "[srma.review.E614] NOS total is 8, but selection + comparability + outcome = 4 + 1 "
            "+ 2 = 7");
}

TEST(nos_test, from_study_table_attributes) {
  auto csv = parse_csv(
      "study,hr,lower,upper,nos_selection,nos_comparability,nos_outcome\n"
      "A,0.5,0.3,0.8,4,2,2\n"
      "B,0.7,0.5,1.0,3,1,3\n",
      "studies.csv");
  ASSERT_TRUE(csv);
  auto studies = make_study_table(*csv);
  ASSERT_TRUE(studies) << studies.error().what();
  auto t = nos_from_studies(*studies);
  ASSERT_TRUE(t) << t.error().what();
  ASSERT_EQ(t->studies.size(), 2u);
  EXPECT_EQ(t->studies[0].score.total, 8);
  EXPECT_EQ(t->studies[1].ahrq, ahrq_standard::good);
  EXPECT_EQ(t->studies[1].line, 3);

  auto bad_csv = parse_csv(
      "study,hr,lower,upper,nos,nos_selection,nos_comparability,nos_outcome\n"
      "A,0.5,0.3,0.8,8,4,2,2\n"
      "B,0.7,0.5,1.0,6,3,1,3\n",
      "studies.csv");
  ASSERT_TRUE(bad_csv);
  auto bad = make_study_table(*bad_csv);
  ASSERT_TRUE(bad);
  EXPECT_EQ(nos_from_studies(*bad).error().what(),
            "[srma.review.E614] studies.csv:3:5: column 'nos' is 6, but nos_selection + "
            "nos_comparability + nos_outcome = 3 + 1 + 3 = 7");

  auto none_csv = parse_csv("study,hr,lower,upper\nA,0.5,0.3,0.8\n", "studies.csv");
  ASSERT_TRUE(none_csv);
  auto none = make_study_table(*none_csv);
  ASSERT_TRUE(none);
  EXPECT_EQ(nos_from_studies(*none).error().what(),
            "[srma.review.E611] studies.csv: no NOS column: expected 'nos' (total) and/or "
            "'nos_selection', 'nos_comparability', 'nos_outcome'");
}

TEST(nos_test, error_no_nos_column) {
  EXPECT_EQ(error_of("study,year\nA,2001\n"),
            "[srma.review.E611] studies.csv:1: no NOS column: expected 'nos' (total) and/or "
            "'nos_selection', 'nos_comparability', 'nos_outcome'");
}

TEST(nos_test, error_not_a_whole_number) {
  EXPECT_EQ(error_of("study,nos\nA,7\nB,7.5\n"),
            "[srma.review.E612] studies.csv:3:2: column 'nos' is '7.5', but must be a whole "
            "number of stars (0–9)");
  EXPECT_EQ(error_of("study,NOS_Outcome\nA,two\n"),
            "[srma.review.E612] studies.csv:2:2: column 'NOS_Outcome' is 'two', but must be a "
            "whole number of stars (0–3)");
}

TEST(nos_test, error_out_of_range) {
  EXPECT_EQ(error_of("study,nos_selection\nA,5\n"),
            "[srma.review.E613] studies.csv:2:2: column 'nos_selection' is 5, but must be 0–4");
  EXPECT_EQ(error_of("study,year,nos_comparability\nA,2001,3\n"),
            "[srma.review.E613] studies.csv:2:3: column 'nos_comparability' is 3, but must be "
            "0–2");
  EXPECT_EQ(error_of("study,nos\nA,-1\n"),
            "[srma.review.E613] studies.csv:2:2: column 'nos' is -1, but must be 0–9");
}

TEST(nos_test, error_total_not_the_sum) {
  EXPECT_EQ(error_of("study,nos_selection,nos_comparability,nos_outcome,nos\nA,4,1,2,8\n"),
            "[srma.review.E614] studies.csv:2:5: column 'nos' is 8, but nos_selection + "
            "nos_comparability + nos_outcome = 4 + 1 + 2 = 7");
}

TEST(nos_test, error_invalid_options) {
  nos_options o;
  o.high_from = 10;
  EXPECT_EQ(o.validate(), "high_from is 10, but must be 1–9");
  EXPECT_EQ(error_of("study,nos\nA,7\n", o),
            "[srma.review.E615] invalid NOS options: high_from is 10, but must be 1–9");
  nos_options p{6, 6};
  EXPECT_EQ(error_of("study,nos\nA,7\n", p),
            "[srma.review.E615] invalid NOS options: moderate_from is 6, but must be 1–5 (below "
            "high_from = 6)");
  EXPECT_EQ(nos_options::three_classes().validate(), "");
  EXPECT_EQ(nos_options{}.validate(), "");
}

TEST(nos_test, error_study_labels) {
  EXPECT_EQ(error_of("author,nos\nA,7\n"),
            "[srma.review.E616] studies.csv:1: no 'study' column: every study needs a label");
  EXPECT_EQ(error_of("study,nos\nA,7\n ,6\n"),
            "[srma.review.E617] studies.csv:3:1: column 'study' is empty: every study needs a "
            "label");
  EXPECT_EQ(error_of("study,nos\nA,7\nB,6\nA,8\n"),
            "[srma.review.E618] studies.csv:4:1: study label 'A' is used twice (lines 2 and 4)");
}

}  // namespace
}  // namespace srma::review
