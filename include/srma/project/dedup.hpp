// File: srma/project/dedup.hpp
//
// De-duplication inside a review project: each run compares all records (srma/records/dedup.hpp)
// and is stored with its groups and its uncertain pairs; a person's verdicts on pairs are stored
// beside the runs. The current groups are the last run's groups with the verdicts applied:
//
//   - "duplicate" on a pair joins the two records' groups;
//   - "distinct" on a pair the run had grouped takes the later record (higher id) out of the run's
//     group (it stays joined only through other "duplicate" verdicts).
//
// The latest verdict on a pair counts; earlier ones stay stored. In every group the record kept
// (the one that is screened) is the one imported first (lowest project id) among those a run
// kept — a run never keeps an erratum in its article's place (srma::notice_policy) — else the
// lowest id; the others count as "duplicate records removed" in PRISMA.
//
// Example:
//
//   auto d = srma::project::run_dedup(*project);
//   for (const auto& p : d->pending()) ask_a_person(p.a, p.b);
//   srma::project::record_pair_verdicts(*project, {{a, b, srma::project::pair_verdict::duplicate}},
//                                       "Reviewer A");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "srma/project/project.hpp"
#include "srma/records/dedup.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

enum class pair_verdict { duplicate, distinct };
[[nodiscard]] std::string_view to_string(pair_verdict v);
[[nodiscard]] std::optional<pair_verdict> parse_pair_verdict(std::string_view text);

/// A pair the run could not settle, and the verdict on it if a person gave one.
struct project_uncertain_pair {
  std::int64_t a = 0;  ///< lower project id
  std::int64_t b = 0;
  double score = 0;
  match_reason reason = match_reason::weak_evidence;
  std::optional<pair_verdict> verdict;
};

/// A verdict to record.
struct pair_verdict_input {
  std::int64_t a = 0;
  std::int64_t b = 0;
  pair_verdict verdict = pair_verdict::duplicate;
};

/// The project's de-duplication state.
struct project_dedup {
  std::int64_t run = 0;          ///< the last run's id (0: never run)
  std::string at;                ///< when it ran
  std::int64_t records = 0;      ///< records in the project now
  std::int64_t run_records = 0;  ///< records the last run compared
  bool covers_all = false;       ///< the last run saw every record imported
  dedup_stats stats;             ///< of the last run
  std::vector<std::vector<std::int64_t>>
      groups;  ///< current groups (size ≥ 2), kept first, then ascending
  std::vector<project_uncertain_pair> uncertain;  ///< the last run's uncertain pairs
  std::vector<source_pair_count> removed_by_source;
  std::int64_t removed = 0;   ///< records removed as duplicates (Σ group size − 1)
  std::int64_t verdicts = 0;  ///< pair verdicts recorded in all

  /// The kept record of `id`'s group (`id` itself when it is in no group).
  [[nodiscard]] std::int64_t kept(std::int64_t id) const;
  /// Uncertain pairs without a verdict whose records are not already in one group.
  [[nodiscard]] std::vector<project_uncertain_pair> pending() const;

  std::unordered_map<std::int64_t, std::int64_t> kept_of;  ///< member → kept, for grouped ids
};

/// Compares every record and stores the run (one transaction).
///
/// Errors: srma.review.E640 (invalid options), srma.project.E665.
[[nodiscard]] expected<project_dedup> run_dedup(review_project& project,
                                                const dedup_options& options = {});

/// The current state: the last run with the verdicts applied (an empty state before any run).
[[nodiscard]] expected<project_dedup> current_dedup(const review_project& project);

/// Stores verdicts on pairs (one transaction).
///
/// Errors: srma.project.E668 (a record not in the project), E671 (empty reviewer, a pair of one
/// record).
[[nodiscard]] expected<project_dedup> record_pair_verdicts(
    review_project& project, const std::vector<pair_verdict_input>& verdicts,
    const std::string& reviewer);

}  // namespace srma::project
