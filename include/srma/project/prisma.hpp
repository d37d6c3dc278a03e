// File: srma/project/prisma.hpp
//
// The PRISMA 2020 counts of a review project, each derived from stored rows (review.md §3), under
// the field ids of the PRISMA2020 app (Haddaway et al. 2022):
//
//   database_results / _specific_results   records imported per source (kind "database")
//   register_results / _specific_results   records imported per source (kind "register")
//   website_results, organisation_results,  records imported with kind "website", "organisation",
//   citations_results                        "citation" (other methods; unset when none)
//   duplicates                             database/register records removed as duplicates
//   records_screened                       records screened on title and abstract
//   records_excluded                       title-stage outcome "exclude"
//   dbr_sought_reports                     title-stage outcome "include"
//   dbr_notretrieved_reports               full-text outcome "unavailable" (databases/registers)
//   dbr_assessed                           sought − not retrieved
//   dbr_excluded                           full-text exclusions by reason
//   other_sought_reports                   reports from other methods kept after de-duplication
//   other_notretrieved_reports             their full-text outcome "unavailable"
//   other_assessed                         other sought − other not retrieved
//   other_excluded                         their full-text exclusions by reason
//   new_reports                            full-text outcome "include" (both columns)
//   new_studies                            distinct studies among them (reports whose extracted
//                                          `study` field is equal are one study)
//   previous_studies / previous_reports    the latest `record_previous_review` event, unless
//                                          withdrawn by a later one
//   total_studies / total_reports          previous + new (only with a previous version)
//
// **Duplicates across the two columns.** De-duplication runs on all records. A group of
// duplicates that holds any database or register record belongs to the databases-and-registers
// column: it is screened once, as its database/register record imported first; its other
// database/register records are the "duplicate records removed"; its records from other methods
// are not counted again in the other column (`other_in_database_flow`). A group made only of
// records from other methods is one report sought via other methods; its other records are
// `other_duplicates`. So
//
//   databases + registers − duplicates = records screened
//   websites + organisations + citation searching
//       = other sought + other_in_database_flow + other_duplicates
//
// Why: PRISMA 2020's diagram (Page et al. 2021, BMJ 372:n71, fig. 1) has its "records removed
// before screening" box and its screening boxes in the databases-and-registers column only, and
// both columns end in one "studies included in review" box, so a report counted in both columns
// would be counted twice there; the PRISMA2020 app labels duplicates, records screened and
// excluded "(databases and registers)" and computes nothing across columns. Records identified
// are counted as found, in both columns, as the template's "records identified from" asks; the
// difference in the other column is given in `other_in_database_flow` and `other_duplicates` (and
// in counts.notes) for the text of the review, since the diagram has no box for it.
//
// Records still pending, unscreened or in conflict are not counted as excluded or included: they
// are listed in `open` and noted in `counts.notes`, and `check()` on the counts then shows where
// the sums fail.
//
// Example:
//
//   auto flow = srma::project::derive_prisma(*project);
//   // flow->counts.database_results == 1525, flow->counts.duplicates == 203, ...
//   srma::project::record_previous_review(*project, {.studies = 9, .reports = 11});
//   // derive_prisma(*project)->counts.total_studies == 9 + new_studies
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "srma/project/project.hpp"
#include "srma/review/prisma.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

struct project_prisma {
  review::prisma_counts counts;
  std::vector<std::string> open;    ///< "12 records await a title/abstract decision", ...
  long other_in_database_flow = 0;  ///< records from other methods already in the left column
  long other_duplicates = 0;        ///< records from other methods duplicating each other
  [[nodiscard]] bool complete() const { return open.empty(); }
};

/// Errors: srma.project.E669 (records imported after the last de-duplication), E665.
[[nodiscard]] expected<project_prisma> derive_prisma(const review_project& project);

/// The counts of the review's previous version, as that version's report gives them.
struct previous_review {
  long studies = 0;  ///< studies included in the previous version
  long reports = 0;  ///< reports of those studies
  std::string note;  ///< where the counts come from ("Smith 2021, figure 1"), free text
  [[nodiscard]] std::string validate() const;  ///< "" or what is wrong
};

/// Records the previous version's counts as an event (append-only; the latest event counts).
///
/// Errors: srma.project.E671 (a negative count, fewer reports than studies), E665.
[[nodiscard]] expected<void> record_previous_review(review_project& project,
                                                    const previous_review& previous);

/// Records that the review has no previous version after all (an event that withdraws the
/// standing counts; a later record_previous_review sets them again).
///
/// Errors: srma.project.E671 (there are no standing counts to withdraw), E665.
[[nodiscard]] expected<void> withdraw_previous_review(review_project& project,
                                                      const std::string& note = {});

/// The standing previous-version counts, if any.
[[nodiscard]] expected<std::optional<previous_review>> current_previous_review(
    const review_project& project);

}  // namespace srma::project
