// Tests of srma/review/prisma.hpp: reading the PRISMA2020 app's CSV file, completing the boxes
// that follow from the others, and the consistency checks, with every message compared in full.
//
// tests/unit/data/PRISMA.csv is an unmodified copy of the template of the PRISMA2020 R package
// (prisma-flowdiagram/PRISMA2020, inst/extdata/PRISMA.csv), which is MIT licensed.
#include "srma/review/prisma.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace srma::review {
namespace {

const std::string k_template = SRMA_SOURCE_DIR "/tests/unit/data/PRISMA.csv";
const std::string k_seed_file = SRMA_SOURCE_DIR "/examples/gepnet-ptr/prisma.csv";

// The seed review (Xiao et al. 2025, section 3.1): 1525 records, 203 duplicates, 1282 excluded on
// title and abstract, 40 full texts assessed, 29 single-arm studies excluded, 11 included.
prisma_counts seed_counts() {
  prisma_counts c;
  c.database_results = 1525;
  c.duplicates = 203;
  c.records_excluded = 1282;
  c.dbr_assessed = 40;
  c.dbr_excluded = {{"Single-arm study", 29}};
  c.new_studies = 11;
  return c;
}

std::vector<std::string> messages(const std::vector<prisma_issue>& issues) {
  std::vector<std::string> out;
  for (const auto& i : issues) out.push_back(i.message);
  return out;
}

std::vector<std::string> explanations(const prisma_counts& c) {
  std::vector<std::string> out;
  for (const auto& d : c.derived) out.push_back(d.explanation);
  return out;
}

// A PRISMA2020 file with the columns that matter plus `rows` ("id,n" lines).
std::string prisma_text(const std::string& rows) { return "data,box,n\n" + rows; }

expected<prisma_counts> from_text(const std::string& rows) {
  auto csv = parse_csv(prisma_text(rows), "prisma.csv");
  if (!csv) return unexpected(csv.error());
  return make_prisma_counts(*csv);
}

std::string error_of(const std::string& rows) {
  auto c = from_text(rows);
  return c ? std::string("no error") : c.error().what();
}

TEST(prisma_test, seed_review_completes_to_1322_screened_and_40_sought) {
  const auto given = seed_counts();
  EXPECT_TRUE(check(given).empty());
  const auto c = complete(given);
  EXPECT_EQ(c.records_screened, 1322);
  EXPECT_EQ(c.dbr_sought_reports, 40);
  EXPECT_EQ(c.dbr_notretrieved_reports, 0);
  EXPECT_EQ(c.new_reports, 11);
  EXPECT_EQ(c.total_studies, 11);
  EXPECT_EQ(c.total_reports, 11);
  EXPECT_TRUE(c.is_derived(prisma_box::records_screened));
  EXPECT_TRUE(c.is_derived(prisma_box::dbr_sought_reports));
  EXPECT_FALSE(c.is_derived(prisma_box::dbr_assessed));
  // Unknown boxes that nothing determines stay unknown.
  EXPECT_FALSE(c.register_results.has_value());
  EXPECT_FALSE(c.excluded_automatic.has_value());
  EXPECT_FALSE(c.previous_studies.has_value());
  EXPECT_FALSE(c.other_assessed.has_value());
  EXPECT_FALSE(c.total_studies_ma.has_value());
  EXPECT_EQ(explanations(c),
            (std::vector<std::string>{
                "records screened = 1525 records from databases − 203 duplicate records removed "
                "= 1322",
                "reports sought for retrieval = 1322 records screened − 1282 records excluded = "
                "40",
                "reports not retrieved = 40 reports sought for retrieval − 40 reports assessed "
                "for eligibility = 0",
                "reports of new included studies = 40 reports assessed for eligibility − 29 "
                "reports excluded (Single-arm study 29) = 11",
                "total studies included in review = new studies included in review = 11",
                "reports of total included studies = reports of new included studies = 11",
            }));
  EXPECT_TRUE(check(c).empty());
  // Completing twice changes nothing.
  EXPECT_EQ(complete(c).derived.size(), c.derived.size());
}

TEST(prisma_test, seed_review_file_in_examples) {
  auto c = read_prisma_csv(k_seed_file);
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->source, k_seed_file);
  EXPECT_EQ(c->database_results, 1525);
  EXPECT_EQ(c->duplicates, 203);
  EXPECT_EQ(c->records_excluded, 1282);
  EXPECT_EQ(c->dbr_assessed, 40);
  EXPECT_EQ(c->dbr_excluded, (std::vector<named_count>{{"Single-arm study", 29}}));
  EXPECT_EQ(c->count(prisma_box::dbr_excluded), 29);
  EXPECT_EQ(c->new_studies, 11);
  EXPECT_EQ(c->total_studies_ma, 11);
  // NA in the file: unknown, not 0.
  EXPECT_FALSE(c->records_screened.has_value());
  EXPECT_FALSE(c->dbr_sought_reports.has_value());
  EXPECT_TRUE(c->database_specific_results.empty());
  EXPECT_FALSE(c->count(prisma_box::database_specific_results).has_value());
  EXPECT_TRUE(c->notes.empty());
  const auto full = complete(*c);
  EXPECT_EQ(full.records_screened, 1322);
  EXPECT_EQ(full.dbr_sought_reports, 40);
  EXPECT_TRUE(check(full).empty());
}

TEST(prisma_test, template_file_reads_as_zeros_with_placeholder_lists_unknown) {
  auto c = read_prisma_csv(k_template);
  ASSERT_TRUE(c) << c.error().what();
  for (auto b : all_prisma_boxes()) {
    if (is_prisma_list(b)) {
      EXPECT_FALSE(c->count(b).has_value()) << prisma_box_id(b);
    } else {
      EXPECT_EQ(c->count(b), 0) << prisma_box_id(b);
    }
  }
  EXPECT_EQ(
      c->notes,
      (std::vector<std::string>{
          k_template + ":7: database_specific_results still holds the template's placeholder "
                       "'Database 1, xxx; Database 2, xxx; Database 3, xxx'; read as unknown",
          k_template + ":9: register_specific_results still holds the template's placeholder "
                       "'Register 1, xxx; Register 2, xxx; Register 3, xxx'; read as unknown",
          k_template + ":24: dbr_excluded still holds the template's placeholder 'Reason1, xxx; "
                       "Reason2, xxx; Reason3, xxx'; read as unknown",
          k_template + ":26: other_excluded still holds the template's placeholder 'Reason1, xxx; "
                       "Reason2, xxx; Reason3, xxx'; read as unknown",
      }));
  EXPECT_TRUE(check(*c).empty());
  EXPECT_TRUE(complete(*c).derived.empty());
}

TEST(prisma_test, complete_never_overwrites_given_values) {
  auto c = seed_counts();
  c.records_screened = 1320;  // inconsistent on purpose
  const auto full = complete(c);
  EXPECT_EQ(full.records_screened, 1320);
  EXPECT_FALSE(full.is_derived(prisma_box::records_screened));
  EXPECT_EQ(full.dbr_sought_reports, 38);
  EXPECT_EQ(messages(check(c)),
            (std::vector<std::string>{
                "records screened do not add up: 1525 records from databases − 203 duplicate "
                "records removed = 1322, but records screened is 1320",
            }));
  EXPECT_EQ(messages(check(full)),
            (std::vector<std::string>{
                "records screened do not add up: 1525 records from databases − 203 duplicate "
                "records removed = 1322, but records screened is 1320",
                "reports assessed for eligibility (40) exceed reports sought for retrieval (38)",
            }));
}

// Every sum of review.md §3 broken once.
prisma_counts inconsistent_counts() {
  prisma_counts c;
  c.previous_studies = 3;
  c.previous_reports = 4;
  c.database_results = 1000;
  c.database_specific_results = {{"PubMed", 600}, {"Embase", 380}};
  c.register_results = 50;
  c.register_specific_results = {{"ClinicalTrials.gov", 50}};
  c.website_results = 10;
  c.duplicates = 100;
  c.excluded_automatic = 20;
  c.records_screened = 940;
  c.records_excluded = 900;
  c.dbr_sought_reports = 45;
  c.dbr_notretrieved_reports = 5;
  c.dbr_assessed = 38;
  c.dbr_excluded = {{"Wrong population", 20}, {"Wrong design", 10}};
  c.other_sought_reports = 10;
  c.other_notretrieved_reports = 1;
  c.other_assessed = 8;
  c.other_excluded = {{"Wrong outcome", 3}};
  c.new_studies = 14;
  c.new_reports = 12;
  c.total_studies = 16;
  c.total_reports = 17;
  c.total_studies_ma = 17;
  c.total_reports_ma = 16;
  return c;
}

TEST(prisma_test, check_reports_every_sum_that_does_not_add_up) {
  const auto c = inconsistent_counts();
  const auto issues = check(c);
  EXPECT_EQ(messages(issues),
            (std::vector<std::string>{
                "records from databases do not add up: records per database (PubMed 600, "
                "Embase 380) sum to 980, but records from databases is 1000",
                "records screened do not add up: 1000 records from databases + 50 records from "
                "registers − 100 duplicate records removed − 20 records marked as ineligible by "
                "automation tools = 930, but records screened is 940",
                "reports sought for retrieval do not add up: 940 records screened − 900 records "
                "excluded = 40, but reports sought for retrieval is 45",
                "reports assessed for eligibility do not add up: 45 reports sought for retrieval "
                "− 5 reports not retrieved = 40, but reports assessed for eligibility is 38",
                "reports assessed for eligibility via other methods do not add up: 10 reports "
                "sought for retrieval via other methods − 1 reports not retrieved via other "
                "methods = 9, but reports assessed for eligibility via other methods is 8",
                "reports of new included studies do not add up: 38 reports assessed for "
                "eligibility + 8 reports assessed for eligibility via other methods − 30 reports "
                "excluded (Wrong population 20, Wrong design 10) − 3 reports excluded via other "
                "methods (Wrong outcome 3) = 13, but reports of new included studies is 12",
                "total studies included in review do not add up: 3 studies included in previous "
                "version of review + 14 new studies included in review = 17, but total studies "
                "included in review is 16",
                "reports of total included studies do not add up: 4 reports of studies included "
                "in previous version of review + 12 reports of new included studies = 16, but "
                "reports of total included studies is 17",
                "new studies included in review (14) exceed reports of new included studies "
                "(12): every study has at least one report",
                "studies included in meta-analysis (17) exceed reports of studies included in "
                "meta-analysis (16): every study has at least one report",
                "studies included in meta-analysis (17) exceed total studies included in review "
                "(16)",
            }));
  // The boxes of each issue, e.g. the screening sum.
  ASSERT_GE(issues.size(), 2u);
  EXPECT_EQ(issues[1].boxes,
            (std::vector<prisma_box>{prisma_box::database_results, prisma_box::register_results,
                                     prisma_box::records_screened, prisma_box::duplicates,
                                     prisma_box::excluded_automatic}));
  // Nothing is derived from an inconsistent set where every box is given.
  EXPECT_TRUE(complete(c).derived.empty());
}

TEST(prisma_test, check_parts_exceeding_their_whole_when_a_part_is_unknown) {
  prisma_counts c;
  c.database_results = 100;
  c.duplicates = 150;
  c.records_screened = std::nullopt;
  c.dbr_sought_reports = 60;
  c.dbr_assessed = 70;
  c.dbr_excluded = {{"Wrong design", 80}};
  EXPECT_EQ(messages(check(c)),
            (std::vector<std::string>{
                "duplicate records removed (150) exceed records from databases (100)",
                "reports assessed for eligibility (70) exceed reports sought for retrieval (60)",
                "reports excluded (80: Wrong design 80) exceed reports assessed for eligibility "
                "(70)",
            }));
  // Negative results are not derived.
  EXPECT_FALSE(complete(c).records_screened.has_value());
  EXPECT_FALSE(complete(c).new_reports.has_value());

  prisma_counts d;
  d.database_results = 100;
  d.register_results = 20;
  d.records_screened = 130;  // removals before screening unknown
  d.new_studies = 5;
  d.total_studies_ma = 6;
  EXPECT_EQ(messages(check(d)),
            (std::vector<std::string>{
                "records screened (130) exceed 100 records from databases + 20 records from "
                "registers = 120",
                "studies included in meta-analysis (6) exceed new studies included in review (5)",
            }));
}

TEST(prisma_test, check_negative_counts) {
  prisma_counts c;
  c.duplicates = -3;
  c.dbr_excluded = {{"Wrong design", -1}};
  EXPECT_EQ(messages(check(c)),
            (std::vector<std::string>{
                "duplicate records removed is -3, but a count must be ≥ 0",
                "reports excluded: 'Wrong design' is -1, but a count must be ≥ 0",
            }));
}

TEST(prisma_test, complete_uses_lists_other_methods_and_previous_review) {
  prisma_counts c;
  c.previous_studies = 4;
  c.previous_reports = 6;
  c.database_specific_results = {{"PubMed", 700}, {"Embase", 500}};
  c.register_specific_results = {{"CENTRAL", 100}};
  c.duplicates = 300;
  c.excluded_automatic = 0;
  c.excluded_other = 0;
  c.records_excluded = 960;
  c.dbr_notretrieved_reports = 10;
  c.dbr_excluded = {{"Wrong population", 20}, {"Wrong comparator", 5}};
  c.citations_results = 12;
  c.other_sought_reports = 12;
  c.other_notretrieved_reports = 2;
  c.other_excluded = {{"Wrong design", 7}};
  c.new_studies = 6;
  const auto f = complete(c);
  EXPECT_EQ(f.database_results, 1200);
  EXPECT_EQ(f.register_results, 100);
  EXPECT_EQ(f.records_screened, 1000);
  EXPECT_EQ(f.dbr_sought_reports, 40);
  EXPECT_EQ(f.dbr_assessed, 30);
  EXPECT_EQ(f.other_assessed, 10);
  EXPECT_EQ(f.new_reports, 8);  // 30 − 25 + 10 − 7
  EXPECT_EQ(f.total_studies, 10);
  EXPECT_EQ(f.total_reports, 14);
  EXPECT_EQ(explanations(f),
            (std::vector<std::string>{
                "records from databases = 1200 records per database (PubMed 700, Embase 500) = "
                "1200",
                "records from registers = 100 records per register (CENTRAL 100) = 100",
                "records screened = 1200 records from databases + 100 records from registers − "
                "300 duplicate records removed − 0 records marked as ineligible by automation "
                "tools − 0 records removed for other reasons = 1000",
                "reports sought for retrieval = 1000 records screened − 960 records excluded = 40",
                "reports assessed for eligibility = 40 reports sought for retrieval − 10 reports "
                "not retrieved = 30",
                "reports assessed for eligibility via other methods = 12 reports sought for "
                "retrieval via other methods − 2 reports not retrieved via other methods = 10",
                "reports of new included studies = 30 reports assessed for eligibility + 10 "
                "reports assessed for eligibility via other methods − 25 reports excluded (Wrong "
                "population 20, Wrong comparator 5) − 7 reports excluded via other methods "
                "(Wrong design 7) = 8",
                "total studies included in review = 4 studies included in previous version of "
                "review + 6 new studies included in review = 10",
                "reports of total included studies = 6 reports of studies included in previous "
                "version of review + 8 reports of new included studies = 14",
            }));
  EXPECT_TRUE(check(f).empty());
}

TEST(prisma_test, complete_solves_backwards_for_a_single_unknown) {
  prisma_counts c;
  c.records_screened = 500;
  c.dbr_sought_reports = 30;
  c.dbr_assessed = 28;
  c.total_studies = 9;
  c.previous_studies = 2;
  const auto f = complete(c);
  EXPECT_EQ(f.records_excluded, 470);
  EXPECT_EQ(f.dbr_notretrieved_reports, 2);
  EXPECT_EQ(f.new_studies, 7);
  // Identification is never solved backwards from records screened.
  EXPECT_FALSE(f.database_results.has_value());
}

TEST(prisma_test, reader_lists_counts_and_skipped_rows) {
  auto c = from_text(
      "NA,prevstud,0\n"
      "identification,identification,0\n"
      "Database_Results,box2,\"1,525\"\n"
      "register_results,box2,\"12,345,678\"\n"
      "database_specific_results,box2,\"PubMed, 1,000; Embase, 525;\"\n"
      "dbr_excluded,box9,\"Wrong population, adults, 12; Not a cohort, 3\"\n"
      "other_excluded,box15,7\n"
      "records_screened,box4,NA\n"
      "records_excluded,box5,\n"
      "duplicates,box3, 203 \n");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->database_results, 1525);
  EXPECT_EQ(c->register_results, 12345678);
  EXPECT_EQ(c->database_specific_results,
            (std::vector<named_count>{{"PubMed", 1000}, {"Embase", 525}}));
  EXPECT_EQ(c->dbr_excluded,
            (std::vector<named_count>{{"Wrong population, adults", 12}, {"Not a cohort", 3}}));
  EXPECT_EQ(c->other_excluded, (std::vector<named_count>{{"", 7}}));
  EXPECT_FALSE(c->records_screened.has_value());
  EXPECT_FALSE(c->records_excluded.has_value());
  EXPECT_EQ(c->duplicates, 203);
  EXPECT_EQ(c->source, "prisma.csv");
}

TEST(prisma_test, box_names_and_ids) {
  EXPECT_EQ(all_prisma_boxes().size(), 28u);
  EXPECT_EQ(prisma_box_id(prisma_box::dbr_sought_reports), "dbr_sought_reports");
  EXPECT_EQ(prisma_box_label(prisma_box::dbr_sought_reports), "reports sought for retrieval");
  EXPECT_EQ(parse_prisma_box("TOTAL_STUDIES_MA"), prisma_box::total_studies_ma);
  EXPECT_FALSE(parse_prisma_box("screening").has_value());
  EXPECT_TRUE(is_prisma_list(prisma_box::other_excluded));
  EXPECT_FALSE(is_prisma_list(prisma_box::other_assessed));
  prisma_counts c;
  c.set(prisma_box::website_results, 4);
  EXPECT_EQ(c.website_results, 4);
  EXPECT_TRUE(c.list(prisma_box::website_results).empty());
}

TEST(prisma_test, error_missing_column) {
  auto csv = parse_csv("data,node,box\nduplicates,node8,box3\n", "prisma.csv");
  ASSERT_TRUE(csv);
  auto c = make_prisma_counts(*csv);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().what(),
            "[srma.review.E601] prisma.csv:1: no column 'n': a PRISMA2020 counts file has the "
            "columns data,node,box,description,boxtext,tooltips,url,n");
  auto d = parse_csv("field,n\nduplicates,3\n", "prisma.csv");
  ASSERT_TRUE(d);
  EXPECT_EQ(make_prisma_counts(*d).error().what(),
            "[srma.review.E601] prisma.csv:1: no column 'data': a PRISMA2020 counts file has the "
            "columns data,node,box,description,boxtext,tooltips,url,n");
}

TEST(prisma_test, error_unknown_field_id) {
  EXPECT_EQ(error_of("duplicates,box3,203\ndatabse_results,box2,1525\n"),
            "[srma.review.E602] prisma.csv:3:1: unknown field id 'databse_results' (did you mean "
            "'database_results'?)");
  EXPECT_EQ(error_of("organization_results,box11,4\n"),
            "[srma.review.E602] prisma.csv:2:1: unknown field id 'organization_results' (did you "
            "mean 'organisation_results'?)");
  EXPECT_EQ(error_of("studies_included,box10,11\n"),
            "[srma.review.E602] prisma.csv:2:1: unknown field id 'studies_included'; the "
            "PRISMA2020 field ids are previous_studies, previous_reports, database_results, "
            "database_specific_results, register_results, register_specific_results, "
            "website_results, organisation_results, citations_results, duplicates, "
            "excluded_automatic, excluded_other, records_screened, records_excluded, "
            "dbr_sought_reports, dbr_notretrieved_reports, other_sought_reports, "
            "other_notretrieved_reports, dbr_assessed, dbr_excluded, other_assessed, "
            "other_excluded, new_studies, new_reports, total_studies, total_reports, "
            "total_studies_ma, total_reports_ma");
}

TEST(prisma_test, error_count_not_a_non_negative_integer) {
  EXPECT_EQ(error_of("duplicates,box3,20.5\n"),
            "[srma.review.E603] prisma.csv:2:3: count '20.5' for duplicates is not a "
            "non-negative integer (write a whole number such as 1525, or NA when the box is not "
            "reported)");
  EXPECT_EQ(error_of("records_screened,box4,-3\n"),
            "[srma.review.E603] prisma.csv:2:3: count '-3' for records_screened is not a "
            "non-negative integer (write a whole number such as 1525, or NA when the box is not "
            "reported)");
  EXPECT_EQ(error_of("new_studies,box10,xxx\n"),
            "[srma.review.E603] prisma.csv:2:3: count 'xxx' for new_studies is not a "
            "non-negative integer (write a whole number such as 1525, or NA when the box is not "
            "reported)");
  EXPECT_EQ(error_of("database_results,box2,\"15,25\"\n"),
            "[srma.review.E603] prisma.csv:2:3: count '15,25' for database_results is not a "
            "non-negative integer (write a whole number such as 1525, or NA when the box is not "
            "reported)");
  EXPECT_EQ(error_of("database_results,box2,\"1,5,5\"\n"),
            "[srma.review.E603] prisma.csv:2:3: count '1,5,5' for database_results is not a "
            "non-negative integer (write a whole number such as 1525, or NA when the box is not "
            "reported)");
  EXPECT_EQ(error_of("database_results,box2,99999999999999999999\n"),
            "[srma.review.E603] prisma.csv:2:3: count '99999999999999999999' for "
            "database_results is not a non-negative integer (write a whole number such as 1525, "
            "or NA when the box is not reported)");
}

// Counts are at most 10^12, so that no sum of them overflows (fuzz run of 2026-12-02: a list of
// two entries of 7,392,056,057,518,532,925 overflowed its sum, undefined behaviour).
TEST(prisma_test, counts_above_10_to_the_12_are_refused) {
  EXPECT_EQ(error_of("database_results,box2,1000000000001\n"),
            "[srma.review.E603] prisma.csv:2:3: count '1000000000001' for database_results is not "
            "a non-negative integer (write a whole number such as 1525, or NA when the box is not "
            "reported)");
  EXPECT_EQ(error_of("database_results,box2,1000000000000\n"), "no error");
  EXPECT_NE(error_of("database_specific_results,box2,\"PubMed, 7392056057518532925; Embase, "
                     "7392056057518532925\"\n"),
            "no error");
}

TEST(prisma_test, error_malformed_list) {
  EXPECT_EQ(error_of("dbr_excluded,box9,\"Single-arm study 29\"\n"),
            "[srma.review.E604] prisma.csv:2:3: dbr_excluded: entry 'Single-arm study 29' of "
            "list 'Single-arm study 29' has no count; write 'name, n' (e.g. 'Wrong design, 12')");
  EXPECT_EQ(error_of("dbr_excluded,box9,\"Single-arm, 29; Review, many\"\n"),
            "[srma.review.E604] prisma.csv:2:3: dbr_excluded: entry 'Review, many' of list "
            "'Single-arm, 29; Review, many' does not end in a count: 'many' is not a "
            "non-negative integer");
  EXPECT_EQ(error_of("database_specific_results,box2,\"PubMed, 10;; Embase, 4\"\n"),
            "[srma.review.E604] prisma.csv:2:3: database_specific_results: list 'PubMed, 10;; "
            "Embase, 4' has an empty entry; write 'name, n' entries separated by '; '");
  EXPECT_EQ(error_of("other_excluded,box15,\", 4\"\n"),
            "[srma.review.E604] prisma.csv:2:3: other_excluded: entry ', 4' of list ', 4' has no "
            "name");
  EXPECT_EQ(error_of("register_specific_results,box2,\"CENTRAL, 4; CENTRAL, 5\"\n"),
            "[srma.review.E604] prisma.csv:2:3: register_specific_results: 'CENTRAL' appears "
            "twice in list 'CENTRAL, 4; CENTRAL, 5'");
  EXPECT_EQ(error_of("dbr_excluded,box9,\"Reason1, 3; Reason2, xxx\"\n"),
            "[srma.review.E604] prisma.csv:2:3: dbr_excluded: entry 'Reason2, xxx' of list "
            "'Reason1, 3; Reason2, xxx' does not end in a count: 'xxx' is not a non-negative "
            "integer");
}

TEST(prisma_test, error_field_given_twice) {
  EXPECT_EQ(error_of("duplicates,box3,203\nrecords_screened,box4,1322\nduplicates,box3,200\n"),
            "[srma.review.E605] prisma.csv:4:1: field 'duplicates' appears twice (lines 2 and "
            "4); keep one row per field");
}

TEST(prisma_test, error_of_the_csv_layer_passes_through) {
  auto c = read_prisma_csv("no/such/prisma.csv");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().id, "srma.csv.E106");
}

}  // namespace
}  // namespace srma::review
