// Tests of srma/review/nos_items.hpp: the star rule of every option of the eight NOS items
// (cohort form, review.md §5), normalisation of answers, domain subtotals known only when their
// items are, the AHRQ cases quoted in review.md, the CSV reader and its errors in full, and the
// comparison of two reviewers' sheets.
#include "srma/review/nos_items.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "srma/report/text_report.hpp"

namespace srma::review {
namespace {

using enum nos_item_id;

expected<nos_item_table> from_text(const std::string& text, const nos_options& o = {}) {
  auto csv = parse_csv(text, "nos.csv");
  if (!csv) return unexpected(csv.error());
  return nos_items_from_csv(*csv, o);
}

std::string error_of(const std::string& text, const nos_options& o = {}) {
  auto t = from_text(text, o);
  return t ? std::string("no error") : t.error().what();
}

nos_answers answers(const std::array<std::string_view, 8>& raw) {
  auto a = parse_nos_answers(raw);
  EXPECT_TRUE(a) << a.error().what();
  return a ? *a : nos_answers{};
}

TEST(nos_items_test, codes_names_and_domains) {
  std::vector<std::string> codes;
  for (auto item : all_nos_items()) codes.emplace_back(to_string(item));
  EXPECT_EQ(codes, (std::vector<std::string>{"S1", "S2", "S3", "S4", "C", "O1", "O2", "O3"}));
  for (std::size_t i = 0; i < 8; ++i) {
    const auto item = all_nos_items()[i];
    EXPECT_EQ(nos_item_index(item), i);
    EXPECT_EQ(parse_nos_item_id(to_string(item)), item);
    EXPECT_EQ(parse_nos_item_id("item" + std::to_string(i + 1)), item);
  }
  EXPECT_EQ(parse_nos_item_id("s3"), s3);
  EXPECT_EQ(parse_nos_item_id("ITEM5"), c);
  EXPECT_EQ(parse_nos_item_id(" o2 "), o2);
  EXPECT_FALSE(parse_nos_item_id("item9").has_value());
  EXPECT_FALSE(parse_nos_item_id("S5").has_value());
  EXPECT_FALSE(parse_nos_item_id("").has_value());
  // Names from the cohort form (Wells et al.; review.md §5).
  EXPECT_EQ(nos_item_name(s1), "Representativeness of the exposed cohort");
  EXPECT_EQ(nos_item_name(c), "Comparability of cohorts on the basis of the design or analysis");
  EXPECT_EQ(nos_item_name(o3), "Adequacy of follow-up of cohorts");
  EXPECT_EQ(nos_item_domain(s4), nos_domain::selection);
  EXPECT_EQ(nos_item_domain(c), nos_domain::comparability);
  EXPECT_EQ(nos_item_domain(o1), nos_domain::outcome);
  EXPECT_EQ(to_string(nos_domain::comparability), "Comparability");
  int max_total = 0;
  for (auto item : all_nos_items()) max_total += nos_item_max_stars(item);
  EXPECT_EQ(max_total, 9);  // the NOS total is 0-9 (review.md §5)
}

TEST(nos_items_test, star_rule_of_every_option) {
  // review.md §5 table (Wells et al. cohort form): the starred options.
  const std::vector<std::pair<nos_item_id, std::string>> earning = {
      {s1, "ab"}, {s2, "a"}, {s3, "ab"}, {s4, "a"}, {o1, "ab"}, {o2, "a"}, {o3, "ab"}};
  const std::vector<std::pair<nos_item_id, std::string>> options = {
      {s1, "abcd"}, {s2, "abc"}, {s3, "abcd"}, {s4, "ab"}, {o1, "abcd"}, {o2, "ab"}, {o3, "abcd"}};
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto item = options[i].first;
    for (char letter : options[i].second) {
      const std::string answer(1, letter);
      const int expected = earning[i].second.find(letter) != std::string::npos ? 1 : 0;
      EXPECT_EQ(nos_item_stars(item, answer), expected) << to_string(item) << " " << answer;
      auto parsed = parse_nos_answer(item, std::string(1, static_cast<char>(letter - 32)));
      ASSERT_TRUE(parsed) << parsed.error().what();  // upper case accepted
      EXPECT_EQ(*parsed, answer);
    }
    EXPECT_EQ(nos_item_stars(item, ""), 0) << to_string(item);  // not answered
  }
  // Item C: one star per factor controlled, two at most.
  EXPECT_EQ(nos_item_stars(c, "a"), 1);
  EXPECT_EQ(nos_item_stars(c, "b"), 1);
  EXPECT_EQ(nos_item_stars(c, "ab"), 2);
  EXPECT_EQ(nos_item_stars(c, "none"), 0);
  EXPECT_EQ(nos_item_stars(c, ""), 0);
  // Answers that are not normalised earn nothing.
  EXPECT_EQ(nos_item_stars(s1, "A"), 0);
  EXPECT_EQ(nos_item_stars(c, "a+b"), 0);
}

TEST(nos_items_test, answers_are_normalised) {
  const std::vector<std::pair<std::string, std::string>> c_cases = {
      {"a", "a"},       {"B", "b"},       {"ab", "ab"},  {"ba", "ab"},  {"a+b", "ab"},
      {"A,B", "ab"},    {"b; a", "ab"},   {"a/b", "ab"}, {"a&b", "ab"}, {"a b", "ab"},
      {"none", "none"}, {"None", "none"}, {"-", "none"}, {"0", "none"}, {"", ""},
      {"NA", ""},       {"  ", ""}};
  for (const auto& [raw, want] : c_cases) {
    auto a = parse_nos_answer(c, raw);
    ASSERT_TRUE(a) << raw << ": " << a.error().what();
    EXPECT_EQ(*a, want) << raw;
  }
  EXPECT_EQ(*parse_nos_answer(s1, " b "), "b");
  EXPECT_EQ(*parse_nos_answer(o3, "NA"), "");
  EXPECT_EQ(*parse_nos_answer(o3, "."), "");
}

TEST(nos_items_test, bad_letters_in_full) {
  auto msg = [](nos_item_id item, std::string_view raw) {
    auto a = parse_nos_answer(item, raw);
    return a ? "no error: " + *a : a.error().what();
  };
  EXPECT_EQ(msg(s1, "e"),
            "[srma.review.E634] NOS item S1 is 'e', but must be a, b, c or d; empty or NA when not "
            "answered");
  EXPECT_EQ(msg(s2, "d"),
            "[srma.review.E634] NOS item S2 is 'd', but must be a, b or c; empty or NA when not "
            "answered");
  EXPECT_EQ(msg(s4, "c"),
            "[srma.review.E634] NOS item S4 is 'c', but must be a or b; empty or NA when not "
            "answered");
  EXPECT_EQ(msg(o2, "yes"),
            "[srma.review.E634] NOS item O2 is 'yes', but must be a or b; empty or NA when not "
            "answered");
  EXPECT_EQ(msg(s1, "ab"),
            "[srma.review.E634] NOS item S1 is 'ab', but must be a, b, c or d; empty or NA when "
            "not answered");
  EXPECT_EQ(msg(s3, "-"),
            "[srma.review.E634] NOS item S3 is '-', but must be a, b, c or d; empty or NA when not "
            "answered");
  const std::string c_expect =
      "but must be a, b, both (ab, a+b) or none (none, -, 0); empty or NA when not answered";
  EXPECT_EQ(msg(c, "c"), "[srma.review.E634] NOS item C is 'c', " + c_expect);
  EXPECT_EQ(msg(c, "aa"), "[srma.review.E634] NOS item C is 'aa', " + c_expect);
  EXPECT_EQ(msg(c, "a+a"), "[srma.review.E634] NOS item C is 'a+a', " + c_expect);
  EXPECT_EQ(msg(c, "+"), "[srma.review.E634] NOS item C is '+', " + c_expect);
  EXPECT_EQ(msg(c, "abc"), "[srma.review.E634] NOS item C is 'abc', " + c_expect);
  // parse_nos_answers stops at the first bad item and names it.
  auto all = parse_nos_answers({"a", "a", "a", "a", "a", "a", "c", "a"});
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().what(),
            "[srma.review.E634] NOS item O2 is 'c', but must be a or b; empty or NA when not "
            "answered");
}

TEST(nos_items_test, stars_add_up_to_domains_and_total) {
  // All stars: 4 + 2 + 3 = 9.
  auto full = nos_stars(answers({"a", "a", "a", "a", "ab", "a", "a", "a"}));
  EXPECT_EQ(full.selection, 4);
  EXPECT_EQ(full.comparability, 2);
  EXPECT_EQ(full.outcome, 3);
  EXPECT_EQ(full.total, 9);
  EXPECT_TRUE(full.total_from_domains);
  // No star at all: 0 + 0 + 0.
  auto none = nos_stars(answers({"c", "b", "c", "b", "none", "c", "b", "c"}));
  EXPECT_EQ(none.selection, 0);
  EXPECT_EQ(none.comparability, 0);
  EXPECT_EQ(none.outcome, 0);
  EXPECT_EQ(none.total, 0);
  // Mixed: S 1+0+1+1 = 3, C 1, O 1+1+0 = 2 → 6.
  auto mixed = nos_stars(answers({"b", "b", "b", "a", "b", "b", "a", "c"}));
  EXPECT_EQ(mixed.selection, 3);
  EXPECT_EQ(mixed.comparability, 1);
  EXPECT_EQ(mixed.outcome, 2);
  EXPECT_EQ(mixed.total, 6);
}

TEST(nos_items_test, domains_known_only_when_all_their_items_are) {
  // S3 unanswered: selection unknown, so no total, and no AHRQ standard.
  auto s = nos_stars(answers({"a", "a", "", "a", "ab", "a", "a", "a"}));
  EXPECT_FALSE(s.selection.has_value());
  EXPECT_EQ(s.comparability, 2);
  EXPECT_EQ(s.outcome, 3);
  EXPECT_FALSE(s.total.has_value());
  EXPECT_EQ(s.ahrq(), ahrq_standard::unknown);
  EXPECT_EQ(s.quality(), nos_class::unknown);
  // C unanswered (not "none"): comparability unknown.
  auto t = nos_stars(answers({"a", "a", "a", "a", "", "a", "a", "a"}));
  EXPECT_EQ(t.selection, 4);
  EXPECT_FALSE(t.comparability.has_value());
  EXPECT_FALSE(t.total.has_value());
  // Nothing answered.
  auto u = nos_stars(nos_answers{});
  EXPECT_FALSE(u.selection || u.comparability || u.outcome || u.total);
}

TEST(nos_items_test, ahrq_cases_of_review_md) {
  // review.md §5 (PMC11251237 Tab2): totals 6 = 4+0+2 and 7 = 4+0+3 are "Poor" when C = 0,
  // although both are "high" under the seed review's threshold (total >= 6).
  auto six = make_nos_item_study("A", answers({"a", "a", "a", "a", "none", "a", "a", "c"}));
  EXPECT_EQ(six.score.total, 6);
  EXPECT_EQ(six.score.comparability, 0);
  EXPECT_EQ(six.ahrq, ahrq_standard::poor);
  EXPECT_EQ(six.quality, nos_class::high);
  auto seven = make_nos_item_study("B", answers({"a", "a", "a", "a", "-", "a", "a", "a"}));
  EXPECT_EQ(seven.score.total, 7);
  EXPECT_EQ(seven.ahrq, ahrq_standard::poor);
  // Good = S 3-4, C 1-2, O 2-3; Fair = S 2, C 1-2, O 2-3; Poor: S 0-1 or O 0-1 (review.md §5).
  auto good = make_nos_item_study("C", answers({"a", "c", "a", "a", "a", "a", "a", "c"}));
  EXPECT_EQ(good.score.selection, 3);
  EXPECT_EQ(good.ahrq, ahrq_standard::good);
  auto fair = make_nos_item_study("D", answers({"a", "c", "c", "a", "b", "a", "a", "c"}));
  EXPECT_EQ(fair.score.selection, 2);
  EXPECT_EQ(fair.ahrq, ahrq_standard::fair);
  auto poor_s = make_nos_item_study("E", answers({"c", "c", "c", "a", "ab", "a", "a", "a"}));
  EXPECT_EQ(poor_s.score.selection, 1);
  EXPECT_EQ(poor_s.ahrq, ahrq_standard::poor);
  auto poor_o = make_nos_item_study("F", answers({"a", "a", "a", "a", "ab", "c", "b", "a"}));
  EXPECT_EQ(poor_o.score.outcome, 1);
  EXPECT_EQ(poor_o.ahrq, ahrq_standard::poor);
  // Three classes (>= 7 high, 4-6 moderate): the total of 6 is moderate.
  auto six3 = make_nos_item_study("A", six.answers, nos_options::three_classes());
  EXPECT_EQ(six3.quality, nos_class::moderate);
}

TEST(nos_items_test, reads_csv_with_short_or_long_column_names) {
  auto t = from_text(
      "Study,S1,s2,s3,s4,C,o1,o2,o3,notes\n"
      "Bettini 2009,a,a,a,a,ab,b,a,a,x\n"
      "Bertani 2017,b,a,b,a,a,b,a,c,\n"
      "Partial 2020,a,,a,a,NA,b,a,b,\n");
  ASSERT_TRUE(t) << t.error().what();
  EXPECT_EQ(t->source, "nos.csv");
  ASSERT_EQ(t->studies.size(), 3u);
  EXPECT_EQ(t->studies[0].study, "Bettini 2009");
  EXPECT_EQ(t->studies[0].line, 2);
  EXPECT_EQ(t->studies[0].score.total, 9);
  EXPECT_EQ(t->studies[0].quality, nos_class::high);
  EXPECT_EQ(t->studies[0].ahrq, ahrq_standard::good);
  EXPECT_EQ(t->studies[1].answers.of(c), "a");
  EXPECT_EQ(t->studies[1].score.selection, 4);
  EXPECT_EQ(t->studies[1].score.outcome, 2);
  EXPECT_EQ(t->studies[1].score.total, 7);
  EXPECT_EQ(t->studies[2].line, 4);
  EXPECT_FALSE(t->studies[2].answers.answered(s2));
  EXPECT_FALSE(t->studies[2].answers.answered(c));
  EXPECT_FALSE(t->studies[2].score.selection.has_value());
  EXPECT_EQ(t->studies[2].score.outcome, 3);
  EXPECT_EQ(t->studies[2].quality, nos_class::unknown);

  auto u = from_text("study,item1,item2,item3,item4,item5,item6,item7,item8\nA,a,a,a,a,a+b,a,a,a\n",
                     nos_options::three_classes());
  ASSERT_TRUE(u) << u.error().what();
  EXPECT_EQ(u->studies[0].answers.of(c), "ab");
  EXPECT_EQ(u->studies[0].score.total, 9);
  EXPECT_EQ(u->options.high_from, 7);
  // Both spellings may be mixed across items.
  EXPECT_TRUE(from_text("study,s1,item2,s3,item4,c,o1,item7,o3\nA,a,a,a,a,a,a,a,a\n"));
}

TEST(nos_items_test, to_nos_table_feeds_the_nos_reports) {
  auto t = from_text(
      "study,s1,s2,s3,s4,c,o1,o2,o3\nA,a,a,a,a,ab,a,a,a\nB,a,a,a,a,none,a,a,c\nC,c,c,c,b,,c,b,c\n");
  ASSERT_TRUE(t) << t.error().what();
  const nos_table n = to_nos_table(*t);
  ASSERT_EQ(n.studies.size(), 3u);
  EXPECT_EQ(n.studies[1].study, "B");
  EXPECT_EQ(n.studies[1].score.total, 6);
  EXPECT_EQ(n.count(nos_class::high), 2u);
  EXPECT_EQ(n.count(nos_class::unknown), 1u);
  // The same brief report as for nos_from_csv (tests/unit/nos_test.cpp wording).
  EXPECT_EQ(srma::brief_report(n),
            "Newcastle–Ottawa Scale (cohort studies), 3 studies: 2 high (total ≥ 6), 0 low "
            "(total < 6), 1 unknown (no total)\n");
}

TEST(nos_items_test, csv_errors_in_full) {
  const std::string header = "study,s1,s2,s3,s4,c,o1,o2,o3\n";
  EXPECT_EQ(error_of(header + "A,a,a,e,a,a,a,a,a\n"),
            "[srma.review.E634] nos.csv:2:4: column 's3' (NOS item S3) is 'e', but must be a, b, "
            "c or d; empty or NA when not answered");
  EXPECT_EQ(error_of(header + "A,a,a,a,a,a,a,a,a\nB,a,a,a,a,abc,a,a,a\n"),
            "[srma.review.E634] nos.csv:3:6: column 'c' (NOS item C) is 'abc', but must be a, b, "
            "both (ab, a+b) or none (none, -, 0); empty or NA when not answered");
  EXPECT_EQ(error_of(header + "A,a,a,a,a,a,a,a,a\nA,b,a,a,a,a,a,a,a\n"),
            "[srma.review.E618] nos.csv:3:1: study label 'A' is used twice (lines 2 and 3)");
  EXPECT_EQ(error_of(header + " ,a,a,a,a,a,a,a,a\n"),
            "[srma.review.E617] nos.csv:2:1: column 'study' is empty: every study needs a label");
  EXPECT_EQ(error_of("label,s1,s2,s3,s4,c,o1,o2,o3\nA,a,a,a,a,a,a,a,a\n"),
            "[srma.review.E616] nos.csv:1: no 'study' column: every study needs a label");
  EXPECT_EQ(error_of("study,s1,s2,s3,s4,c,o1\nA,a,a,a,a,a,a\n"),
            "[srma.review.E633] nos.csv:1: no column for NOS items 'o2', 'o3': expected 'study' "
            "and one column per item, 's1', 's2', 's3', 's4', 'c', 'o1', 'o2', 'o3' (or 'item1' "
            "to 'item8')");
  EXPECT_EQ(error_of("study,s1,s2,s3,s4,o1,o2,o3\nA,a,a,a,a,a,a,a\n"),
            "[srma.review.E633] nos.csv:1: no column for NOS item 'c': expected 'study' and one "
            "column per item, 's1', 's2', 's3', 's4', 'c', 'o1', 'o2', 'o3' (or 'item1' to "
            "'item8')");
  EXPECT_EQ(error_of("study,s1,s2,s3,s4,c,o1,o2,o3,item1\nA,a,a,a,a,a,a,a,a,a\n"),
            "[srma.review.E635] nos.csv:1:10: NOS item S1 is given twice, in columns 's1' and "
            "'item1': keep one");
  nos_options bad;
  bad.high_from = 12;
  EXPECT_EQ(error_of(header + "A,a,a,a,a,a,a,a,a\n", bad),
            "[srma.review.E615] invalid NOS options: high_from is 12, but must be 1–9");
}

TEST(nos_items_test, compare_two_reviewers) {
  auto r1 = from_text(
      "study,s1,s2,s3,s4,c,o1,o2,o3\n"
      "A,a,a,a,a,ab,a,a,a\n"
      "B,b,a,c,a,a,b,a,c\n"
      "OnlyFirst,a,,,,,,,\n");
  auto r2 = from_text(
      "study,item1,item2,item3,item4,item5,item6,item7,item8\n"
      "B,b,a,a,a,b+a,b,a,\n"
      "A,a,a,a,a,a+b,a,a,a\n"
      "OnlySecond,,,,,,,,d\n");
  ASSERT_TRUE(r1 && r2);
  const auto diff = compare_nos_answers(*r1, *r2);
  ASSERT_EQ(diff.size(), 5u);
  // First table's order (A has none), items in form order; then studies only in the second.
  EXPECT_EQ(diff[0].study, "B");
  EXPECT_EQ(diff[0].item, s3);
  EXPECT_EQ(diff[0].first, "c");
  EXPECT_EQ(diff[0].second, "a");
  EXPECT_EQ(diff[1].item, c);
  EXPECT_EQ(diff[1].first, "a");
  EXPECT_EQ(diff[1].second, "ab");
  EXPECT_EQ(diff[2].item, o3);
  EXPECT_EQ(diff[2].first, "c");
  EXPECT_EQ(diff[2].second, "");
  EXPECT_EQ(diff[3].study, "OnlyFirst");
  EXPECT_EQ(diff[3].item, s1);
  EXPECT_EQ(diff[3].first, "a");
  EXPECT_EQ(diff[3].second, "");
  EXPECT_EQ(diff[4].study, "OnlySecond");
  EXPECT_EQ(diff[4].item, o3);
  EXPECT_EQ(diff[4].first, "");
  EXPECT_EQ(diff[4].second, "d");
  EXPECT_TRUE(compare_nos_answers(*r1, *r1).empty());
}

}  // namespace
}  // namespace srma::review
