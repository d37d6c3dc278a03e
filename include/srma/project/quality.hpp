// File: srma/project/quality.hpp
//
// The Newcastle–Ottawa Scale of each included study, item by item (srma/review/nos_items.hpp),
// as two reviewers answered it and as they agreed. Answers are appended, never overwritten. The
// final answer to an item: the latest consensus answer; else the common answer when every
// reviewer who answered gave the same; else none (a discrepancy, listed).
//
// Example:
//
//   auto q = srma::project::quality_state(*p, srma::review::nos_options{});
//   auto table = q->final_table();  // stars, totals, classes, AHRQ
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/project/project.hpp"
#include "srma/review/nos_items.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

/// A disagreement on one item.
struct quality_discrepancy {
  std::int64_t record = 0;
  std::string study;
  review::nos_item_id item = review::nos_item_id::s1;
  std::map<std::string, std::string> answers;  ///< by reviewer
};

struct quality_state_t {
  review::nos_options options;
  std::vector<std::int64_t> records;                          ///< included reports, in order
  std::vector<std::string> labels;                            ///< their study labels
  std::map<std::string, review::nos_item_table> by_reviewer;  ///< each reviewer's answers
  review::nos_item_table final_table;                         ///< final answers, stars and classes
  std::vector<quality_discrepancy> discrepancies;
};

/// Every included report with its NOS answers.
[[nodiscard]] expected<quality_state_t> quality_state(const review_project& project,
                                                      const review::nos_options& options = {});

/// A sheet for a reviewer: record_id, study, s1..s4, c, o1..o3 with the reviewer's standing
/// answers (never another reviewer's).
[[nodiscard]] csv_table quality_sheet(const quality_state_t& state, const std::string& who);

/// Reads a filled NOS sheet (columns record_id and s1, s2, s3, s4, c, o1, o2, o3) and stores the
/// answers of `who` (or the consensus) in one transaction; returns the number of answers stored.
///
/// Errors: srma.project.E667 (no record_id, a bad id), the answer errors of
/// review::parse_nos_answer with file, line and column, E672 (a record not included), E671.
[[nodiscard]] expected<std::size_t> record_quality(review_project& project, const csv_table& csv,
                                                   const std::string& who, bool consensus);

}  // namespace srma::project
