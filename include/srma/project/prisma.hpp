// File: srma/project/prisma.hpp
//
// The PRISMA 2020 counts of a review project, each derived from stored rows (review.md §3):
//
//   database_results / _specific_results   records imported per source (kind "database")
//   register_results / _specific_results   records imported per source (kind "register")
//   duplicates                             records in duplicate groups, minus one per group
//   records_screened                       records kept after de-duplication
//   records_excluded                       title-stage outcome "exclude"
//   dbr_sought_reports                     title-stage outcome "include"
//   dbr_notretrieved_reports               full-text outcome "unavailable"
//   dbr_assessed                           sought − not retrieved
//   dbr_excluded                           full-text exclusions by reason
//   new_reports                            full-text outcome "include"
//   new_studies                            distinct studies among them (reports whose extracted
//                                          `study` field is equal are one study)
//
// Records still pending, unscreened or in conflict are not counted as excluded or included: they
// are listed in `open` and noted in `counts.notes`, and `check()` on the counts then shows where
// the sums fail.
//
// Example:
//
//   auto flow = srma::project::derive_prisma(*project);
//   // flow->counts.database_results == 1525, flow->counts.duplicates == 203, ...
#pragma once

#include <string>
#include <vector>

#include "srma/project/project.hpp"
#include "srma/review/prisma.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

struct project_prisma {
  review::prisma_counts counts;
  std::vector<std::string> open;  ///< "12 records await a title/abstract decision", ...
  [[nodiscard]] bool complete() const { return open.empty(); }
};

/// Errors: srma.project.E669 (records imported after the last de-duplication), E665.
[[nodiscard]] expected<project_prisma> derive_prisma(const review_project& project);

}  // namespace srma::project
