// File: srma/project/tables.hpp
//
// The study tables a review reports, built from the project's final extraction values and NOS
// answers: Table 1 (characteristics of included studies, the form's labels as headings, with the
// NOS total and quality class) and the analysis table that `srma pool` and `srma run` read (the
// form's field names as columns, `study` first, plus nos, nos_selection, nos_comparability,
// nos_outcome, quality and ahrq for subgroups).
//
// Several reports of one study (the same `study` label) make one row: the first report's values,
// with empty cells filled from the later reports.
//
// Example:
//
//   auto t = srma::project::analysis_table(*p);
//   (void)srma::write_csv(*t, "studies.csv");
#pragma once

#include <string>

#include "srma/io/csv.hpp"
#include "srma/project/project.hpp"
#include "srma/review/nos.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

/// Table 1 with the form's labels as headings. Columns the form has but no study filled are
/// left out.
[[nodiscard]] expected<csv_table> table1(const review_project& project,
                                         const review::nos_options& options = {});

/// The table `srma pool` reads (column names are the form's field names; columns no study
/// filled are left out).
[[nodiscard]] expected<csv_table> analysis_table(const review_project& project,
                                                 const review::nos_options& options = {});

/// A table as Markdown (pipes escaped) or as a standalone HTML page ("md" or "html").
[[nodiscard]] std::string format_table(const csv_table& table, std::string_view format,
                                       std::string_view title = {});

}  // namespace srma::project
