// File: srma/records/dedup.hpp
//
// De-duplication of bibliographic records (issue 11): the same article exported by several
// databases, or twice by one, is found and grouped; pairs the evidence cannot settle are listed
// for a person. The method follows ASySD (Hair et al. 2023, BMC Biol 21:189) in four steps:
//
//   1. normalise each field (srma/records/normalize.hpp);
//   2. block: only records that share an exact key are compared (normalised DOI; PMID; the first
//      and the last 30 letters of the title; first author + year + first page; volume + first
//      page; ISBN + first page; first author + year + volume; the start of the abstract), so the
//      work grows about linearly with the number of records; a block larger than
//      `dedup_options::max_block` is compared within a sliding window over its titles;
//   3. score each candidate pair field by field (titles, also a record's second title in
//      another language, abstracts and journal names by Levenshtein similarity, journal
//      abbreviations and acronyms word by word over every name a journal field gives, author
//      last names by Jaro-Winkler) and decide by rules: a pair is a duplicate when the titles
//      agree, the authors agree and at least one independent field (pages, the last page of a
//      range, volume, DOI, PMID, journal, abstract, ISBN) corroborates, with nothing
//      contradicting; titles that agree in the same year with three corroborating fields need
//      the authors only not to contradict (exports garble author lists); the same authors,
//      year, journal, volume and whole page range join a title with its translation; a
//      contradiction (years more than one apart, different DOIs, PMIDs, volumes or first pages,
//      different numbers in the titles, a preprint, comment or conference record against a
//      journal article, other journals without an agreeing page) leaves at most an uncertain
//      pair, two settle it as distinct; an erratum or correction notice stays apart from its
//      article, or, with `notice_policy::with_article`, joins the article's group (same title,
//      authors and journal, a year apart at most) after it, never in its place; a retraction
//      notice or expression of concern never merges with the article; a shared DOI alone is no
//      proof;
//   4. group: connected components of the duplicate pairs, with a guard against chaining: every
//      member must itself be a duplicate or a strong match of the group's representative and
//      have no identity conflict (different DOIs, PMIDs, years, title numbers or kinds) with
//      another member, else it leaves the group and its link is listed as uncertain.
//
// Output is deterministic: groups are sorted, each ascending except that erratum and correction
// notices come after the other members (the first member is the record kept); uncertain pairs
// are sorted.
//
// Example:
//
//   auto file = srma::read_records("search.ris");
//   auto result = srma::deduplicate(file->records);
//   for (const auto& group : result.groups)        // keep group[0], remove the rest
//     fmt::print("{}\n", file->records[group[0]].title);
//   for (const auto& u : result.uncertain)         // for a person to decide
//     fmt::print("{} ? {} ({:.2f})\n", file->records[u.a].id, file->records[u.b].id, u.score);
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/records/record.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// What the rules make of a pair of records.
enum class match_decision {
  distinct,   ///< different articles
  uncertain,  ///< similar, but the evidence does not settle it: for a person to decide
  duplicate,  ///< the same article
};
/// "distinct", "uncertain", "duplicate".
[[nodiscard]] std::string_view to_string(match_decision d);

/// Why a similar pair is not a certain duplicate (the first contradiction found), or why it is
/// kept apart.
enum class match_reason {
  none,                    ///< duplicate, or nothing in common
  weak_evidence,           ///< similar, but too few fields agree
  notice_and_article,      ///< an erratum, correction or retraction notice and an article
  comment_and_article,     ///< a comment or reply and an article
  preprint_and_article,    ///< a preprint and a journal article
  conference_and_article,  ///< a conference record and a journal article
  year_differs,            ///< years more than one apart
  pmid_differs,            ///< both have PubMed ids and they differ
  doi_differs,             ///< both have DOIs and they differ
  volume_differs,          ///< both give a volume and they differ
  pages_differ,            ///< both give a first page and they differ
  title_numbers_differ,    ///< the titles carry different numbers ("Part 1", "5-year follow-up")
  issue_differs,           ///< no agreeing pages, and the issues differ
  authors_differ,          ///< the author lists do not agree
  journal_differs,         ///< the journal names have little in common
  chained,  ///< a duplicate link the chaining guard cut: the record does not match the group's
            ///< representative, or conflicts with a member
};
/// "none", "weak_evidence", "notice_and_article", ..., "authors_differ" (the enumerator names).
[[nodiscard]] std::string_view to_string(match_reason r);

/// The comparison of two records, field by field, and the decision.
struct record_comparison {
  match_decision decision = match_decision::distinct;
  match_reason reason = match_reason::none;
  /// Weighted mean of the field similarities both records have, in [0, 1]: title 3, authors 2,
  /// DOI 2, abstract 2, year 1, pages 1, volume 1, journal 1.
  double score = 0;
  /// No contradiction, and the titles (or, without a title, the authors, year, volume and first
  /// page) agree: enough to stay in a group whose representative this is.
  bool strong = false;
  std::optional<double> title;    ///< Levenshtein similarity of the normalised titles (or of
                                  ///< one's title and the other's title in another language)
  std::optional<double> authors;  ///< share of the shorter author list found in the other
  std::optional<double> journal;  ///< best of any two names: Levenshtein, 0.95 when one is an
                                  ///< abbreviation or acronym of the other
  std::optional<double> abstract;
  std::optional<int> year_difference;
};

/// What becomes of an erratum or correction notice (a record of its own in MEDLINE, Embase and
/// Web of Science, titled "Erratum: <title>", "<title> (vol 360, pg 542, 2009)" or typed so)
/// when the article it corrects is among the records.
enum class notice_policy {
  /// Kept apart: screened as a record of its own (the default). The labelled de-duplication
  /// sets disagree on errata: haematology counts 4 of its 6 notices as duplicates of their
  /// articles, digital_work 1 of 6; 5 of the 12 in all.
  separate,
  /// Grouped with the article, after it: the notice is part of the article's report, not a
  /// report of its own (PRISMA 2020 counts reports), so it is neither screened nor counted
  /// apart; the group keeps the record.
  with_article,
};

/// Compares two records as `deduplicate` does (normalising both first).
///
/// **Example**: the same article from MEDLINE and Embase, one with "Zuber J", the other with
/// "Zuber, J." and the DOI as a URL, gives `decision == match_decision::duplicate`.
[[nodiscard]] record_comparison compare_records(const bib_record& a, const bib_record& b,
                                                notice_policy notices = notice_policy::separate);

/// Settings of `deduplicate`.
struct dedup_options {
  /// Blocks (records sharing a key) larger than this are not compared all against all but each
  /// record with the `window` records that follow it in the order of normalised titles.
  std::size_t max_block = 50;
  std::size_t window = 12;
  /// Score candidate pairs on all cores (srma::detail::parallel_for).
  bool parallel = true;
  /// Erratum and correction notices: apart (default) or with their article. Retraction
  /// notices and expressions of concern are always apart.
  notice_policy notices = notice_policy::separate;
  /// Empty when valid, else what is wrong: max_block must be at least 2, window at least 1.
  [[nodiscard]] std::string validate() const;
};

/// An uncertain pair (indices into the records, a < b) with its score and the reason.
struct uncertain_pair {
  std::size_t a = 0;
  std::size_t b = 0;
  double score = 0;
  match_reason reason = match_reason::weak_evidence;
};

/// How many records were removed as duplicates of a record of another (or the same) source.
struct source_pair_count {
  std::string kept;     ///< source of the record kept (the group's first)
  std::string removed;  ///< source of the removed records
  std::size_t count = 0;
};

struct dedup_stats {
  std::size_t records = 0;
  std::size_t candidate_pairs = 0;  ///< pairs compared after blocking
  std::size_t duplicate_pairs = 0;  ///< candidate pairs decided duplicate
  std::size_t uncertain_pairs = 0;  ///< size of dedup_result::uncertain
  std::size_t groups = 0;           ///< groups of two or more records
  std::size_t removed = 0;          ///< records in groups minus groups
  std::size_t guard_removals = 0;   ///< members the chaining guard took out of a group
};

/// The outcome: groups of duplicates (indices into the input, each ascending, groups ordered by
/// their first member; records in no group are unique), the uncertain pairs (sorted by a, then
/// b; at most one per pair of groups, a record in no group counting as a group of its own: the
/// pair of records with the highest score), counts, and the removals per source pair when
/// sources were given.
struct dedup_result {
  std::vector<std::vector<std::size_t>> groups;
  std::vector<uncertain_pair> uncertain;
  dedup_stats stats;
  std::vector<source_pair_count> removed_by_source;  ///< sorted by (kept, removed)
};

/// Finds duplicate records. Keep the first record of each group (order the input by preference:
/// the first record of a group is the one kept). Invalid options are replaced by the nearest
/// valid values (`validate()` says which).
///
/// **Example**: `deduplicate(records).groups` is `{{0, 3}, {5, 6, 9}}` when records 0 and 3 are
/// one article and 5, 6 and 9 another.
[[nodiscard]] dedup_result deduplicate(std::span<const bib_record> records,
                                       const dedup_options& options = {});

/// As above, with the source (database or file) of each record, to count the removals per
/// source pair in `removed_by_source`. Errors: srma.input.E213 when `sources` and `records`
/// differ in length; srma.review.E640 when the options are invalid.
[[nodiscard]] expected<dedup_result> deduplicate(std::span<const bib_record> records,
                                                 std::span<const std::string> sources,
                                                 const dedup_options& options = {});

}  // namespace srma
