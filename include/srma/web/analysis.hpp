// File: srma/web/analysis.hpp
//
// The analysis page of `srma serve` (issue 16, item 6) as one handler: the study table of the
// review project (editable; a paste from a spreadsheet is tab-separated text), the pooled result
// with the forest and funnel plots for the options the page sends, the PRISMA diagram live from
// the project, and downloads of every figure, the tables and the full `srma run` report. Every
// number and figure comes from the library (make_study_table, pool_2x2, pool_subgroups,
// forest_from, draw_funnel, derive_prisma, draw_prisma, run_plan); the handler only translates
// between JSON and those calls. The server forwards every request under /api/analysis/ here after
// its sign-in, CSRF and size checks (docs/web.md, "Analysis", lists the calls).
//
// An edited study table is stored as CSV in the project folder (`analysis/studies.csv`, written
// to a temporary file and renamed over the old one); from then on it is the table the page
// analyses, until it is reset to the table the project's extraction gives.
//
// Example:
//
//   auto p = srma::project::review_project::open("nets-review");
//   srma::web::request req{.method = "POST", .path = "/api/analysis/run",
//                          .body = R"({"model": "auto", "tau2": "DL"})"};
//   srma::web::response res = srma::web::handle_analysis(*p, req);
//   // res.status == 200; res.body: {"result": {... as srma pool --json ...},
//   //                               "forest_svg": "<svg ...", "funnel_svg": "<svg ...", ...}
#pragma once

#include "srma/project/project.hpp"
#include "srma/web/http.hpp"

namespace srma::web {

/// Where an edited study table is kept, relative to the project folder.
inline constexpr char edited_table_path[] = "analysis/studies.csv";
/// The folder the report of GET /api/analysis/download/report is written to, relative to the
/// project folder (replaced by each new report).
inline constexpr char report_folder_path[] = "analysis/report";

/// Answers one request under /api/analysis/ (JSON in and out, figures and tables as files):
///
///   GET  /api/analysis/options            the choices of every option (from the library)
///   GET  /api/analysis/studies            the study table: columns, rows, how it reads
///   POST /api/analysis/studies            store an edited table ({"columns", "rows"} or
///                                         {"text"}: CSV or tab-separated text); PUT alike
///   POST /api/analysis/studies/reset      back to the project's own table
///   POST /api/analysis/run                pooled result (as `srma pool --json`), forest and
///                                         funnel SVG for the options in the body
///   GET  /api/analysis/prisma             the PRISMA 2020 diagram (SVG) and counts
///   GET  /api/analysis/download/NAME      forest|funnel|prisma.{svg,png,pdf}, studies.csv,
///                                         studies.xlsx, results.json; report (an index of the
///                                         report's files) and report/FILE; the options as
///                                         query parameters
///
/// Errors are answered as {"error": {"id", "message", ...}} with an HTTP status: 400
/// (srma.web.E953, an unusable body or option), 404 (srma.web.E957), 405 (srma.web.E971), 422
/// (the data cannot be analysed as asked: the library's error, or srma.web.E970 for a cell of
/// an edited table, with its row and column). Never throws.
[[nodiscard]] response handle_analysis(project::review_project& project, const request& req);

}  // namespace srma::web
