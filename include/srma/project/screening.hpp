// File: srma/project/screening.hpp
//
// Screening by independent reviewers at two stages, title/abstract and full text, with a third
// person adjudicating conflicts (review.md §4).
//
// Votes: include, exclude, maybe (title stage only; counts as include, as in Covidence),
// unavailable (full text only: the report could not be retrieved) and undo (withdraws the
// reviewer's earlier vote). Every vote is a new row; a reviewer's latest vote on a record at a
// stage is the one that counts.
//
// Outcome of a record at a stage, in this order:
//   1. the adjudicator's latest vote (other than undo), if any;
//   2. pending, while fewer reviewers than the project's `screeners` have voted;
//   3. agreed, when every reviewer's vote says the same (include/maybe alike; at full text the
//      same exclusion reason or both unavailable);
//   4. otherwise a conflict, listed for adjudication.
// The title stage screens the records kept after de-duplication from databases and registers;
// the full-text stage screens the records included at the title stage and the reports found by
// other methods (websites, organisations, citation searching), which PRISMA 2020 takes straight
// to retrieval: a title-stage vote on one of those is refused (srma.project.E672). A group of
// duplicates with any database or register record is screened once, as that record (see
// srma/project/prisma.hpp for how the groups are counted). A full-text exclusion needs a reason
// from the project's list.
//
// Example:
//
//   auto queue = srma::project::screening_queue(*p, srma::project::stage::title, "AB");
//   auto sheet = srma::project::read_decision_sheet(*csv, srma::project::stage::title);
//   auto summary = srma::project::record_votes(*p, *sheet, "AB", srma::project::role::reviewer);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/project/project.hpp"
#include "srma/review/agreement.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

enum class stage { title, fulltext };
enum class vote { include, exclude, maybe, unavailable, undo };
enum class role { reviewer, adjudicator };
enum class outcome { unscreened, pending, include, exclude, unavailable, conflict };

[[nodiscard]] std::string_view to_string(stage s);    ///< "title", "fulltext"
[[nodiscard]] std::string_view to_string(vote v);     ///< "include", ...
[[nodiscard]] std::string_view to_string(role r);     ///< "reviewer", "adjudicator"
[[nodiscard]] std::string_view to_string(outcome o);  ///< "unscreened", "pending", ...
/// "title" (also "title-abstract", "ta", "abstract"), "fulltext" (also "full-text", "ft").
[[nodiscard]] std::optional<stage> parse_stage(std::string_view text);
/// "include"/"yes"/"y", "exclude"/"no"/"n", "maybe"/"?", "unavailable", "undo" (case ignored).
[[nodiscard]] std::optional<vote> parse_vote(std::string_view text);

/// A record as a reviewer sees it on a sheet (never with another reviewer's votes).
struct screening_item {
  std::int64_t record = 0;
  std::string label;  ///< the record's own id, or "#id"
  std::string title;
  std::string authors;  ///< "Zuber J; Smith A"
  std::string year;
  std::string journal;
  std::string doi;
  std::string pmid;
  std::string abstract;
};

/// The records at `stage` on which `reviewer` has no standing vote, in id order.
///
/// Errors: srma.project.E669 (de-duplication has not covered every record), E671.
[[nodiscard]] expected<std::vector<screening_item>> screening_queue(const review_project& project,
                                                                    stage s,
                                                                    const std::string& reviewer);

/// One vote read from a sheet.
struct vote_input {
  std::int64_t record = 0;
  vote v = vote::include;
  std::string reason;
  std::string note;
  int line = 0;  ///< line on the sheet
};

/// A reviewer's filled sheet.
struct decision_sheet {
  std::string file;
  std::optional<stage> sheet_stage;  ///< from a `stage` column, when it has one
  std::vector<vote_input> votes;     ///< rows with an empty decision are skipped (not yet decided)
  std::size_t blank = 0;             ///< rows left without a decision
};

/// Reads a sheet: columns `record_id` (or `id`) and `decision`, optional `reason`, `note`,
/// `stage` (ASCII case ignored; other columns, such as the title, are ignored).
///
/// Errors: srma.project.E667 (a missing column, an unknown decision, an id that is not a whole
/// number, a sheet mixing stages; file, line and column).
[[nodiscard]] expected<decision_sheet> read_decision_sheet(const csv_table& csv);

/// What `record_votes` stored.
struct vote_summary {
  stage s = stage::title;
  std::size_t recorded = 0;
  std::size_t include = 0, exclude = 0, maybe = 0, unavailable = 0, undo = 0;
  std::size_t unchanged = 0;  ///< votes equal to the reviewer's standing vote (not stored again)
};

/// Stores the votes of `who` at `s` (one transaction; any error stores none). An adjudicator may
/// vote only on records in conflict (or change an earlier adjudication).
///
/// Errors: srma.project.E668 (unknown record), E672 (record not at this stage: a removed duplicate,
/// a record not included on title and abstract, a record from other methods at the title stage;
/// the message says which), E670 (full-text
/// exclusion without a known reason), E667 (maybe at full text, unavailable at title; with the
/// sheet's line), E671 (empty name; an adjudicator who also screened the record).
[[nodiscard]] expected<vote_summary> record_votes(review_project& project, stage s,
                                                  const std::vector<vote_input>& votes,
                                                  const std::string& who, role r,
                                                  const std::string& source);

/// One call of `record_votes`, for `record_votes_together`.
struct vote_call {
  stage s = stage::title;
  std::vector<vote_input> votes;
  std::string who;
  role r = role::reviewer;
  std::string source;
};

/// Runs each call as `record_votes` would, in order, in one transaction with one commit: each
/// call nested (an SQLite savepoint), so a call that fails stores nothing and the others stand,
/// and one disk sync confirms them all (what `srma serve` does with votes that arrive together).
/// Result i is call i's summary or error; if the commit itself fails, every call gets its error.
[[nodiscard]] std::vector<expected<vote_summary>> record_votes_together(
    review_project& project, const std::vector<vote_call>& calls);

/// A reviewer's standing vote on a record.
struct standing_vote {
  std::string reviewer;
  vote v = vote::include;
  std::string reason;
};

/// The outcome of one record at one stage.
struct record_outcome {
  std::int64_t record = 0;
  outcome result = outcome::unscreened;
  std::string reason;                ///< full-text exclusion reason
  std::vector<standing_vote> votes;  ///< reviewers' standing votes, by name
  std::optional<standing_vote> adjudication;
};

/// Outcomes of every record at `s` (records from databases and registers kept after
/// de-duplication at the title stage; at full text those included at the title stage and the
/// reports from other methods kept after de-duplication), in id order.
[[nodiscard]] expected<std::vector<record_outcome>> stage_outcomes(const review_project& project,
                                                                   stage s);

/// Counts of outcomes at a stage.
struct stage_status {
  stage s = stage::title;
  std::size_t records = 0, unscreened = 0, pending = 0, include = 0, exclude = 0, unavailable = 0,
              conflict = 0;
  std::vector<std::pair<std::string, std::size_t>> reasons;  ///< full-text exclusions by reason
};
[[nodiscard]] stage_status summarise(stage s, const std::vector<record_outcome>& outcomes);

/// Agreement between two reviewers at a stage, on the records both voted on. Include and maybe
/// count as include; unavailable votes are left out. Reviewer order is alphabetical.
struct pair_agreement {
  std::string first, second;
  std::optional<review::agreement> stats;  ///< empty when they share no record
};
[[nodiscard]] expected<std::vector<pair_agreement>> screening_agreement(
    const review_project& project, stage s, double level = 0.95);

}  // namespace srma::project
