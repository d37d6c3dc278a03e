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
// Table 1 can also be written as an Excel workbook (write_table_xlsx, through libxlsxwriter).
//
// Example:
//
//   auto t = srma::project::analysis_table(*p);
//   (void)srma::write_csv(*t, "studies.csv");
//   auto t1 = srma::project::table1(*p);
//   (void)srma::project::write_table_xlsx(*t1, "table1.xlsx", "Table 1");
#pragma once

#include <string>
#include <string_view>

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

/// Writes a table (Table 1, or any table of this header) as an Excel workbook at `path`: one
/// sheet "Table 1"; when `title` is not empty, the title in bold on the first row and an empty
/// row below it (the caption of the HTML form); then the header row in bold, frozen so that it
/// stays in view; then one row per table row. A field that is a plain decimal number ("2019",
/// "-0.25", "12.50": optional minus, digits, optional point and digits, no leading zeros, at
/// most 15 digits) is stored as a number whose format shows the same digits (12.50 keeps two
/// decimals); every other field, and every field of the first column (the study labels), is
/// stored as text; empty fields are left blank. Column widths follow the longest entry
/// (capped at 60 characters; longer text wraps). The workbook's creation time is fixed at
/// 1980-01-01 00:00 UTC, so the same table gives the same bytes.
///
/// The workbook is written to a temporary file beside `path` and renamed over it, so `path` is
/// either the old file or the complete new one. Errors: srma.output.E801 when the folder or file
/// cannot be written; srma.project.E674 when a field (or the title) is not valid UTF-8 or is
/// longer than the 32,767 characters an Excel cell holds, or the table has more rows or columns
/// than a sheet (nothing is written then).
///
/// **Example**:
///
///     auto t1 = srma::project::table1(*p);
///     if (auto ok = srma::project::write_table_xlsx(*t1, "table1.xlsx", "Table 1"); !ok)
///       std::cerr << ok.error().what() << '\n';
[[nodiscard]] expected<void> write_table_xlsx(const csv_table& table, const std::string& path,
                                              std::string_view title = {});

}  // namespace srma::project
