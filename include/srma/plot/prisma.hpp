// File: srma/plot/prisma.hpp
//
// The PRISMA 2020 flow diagram (Page et al., BMJ 2021;372:n71) drawn from review::prisma_counts:
// light blue side bands (Identification, Screening, Included) with rotated labels; a column of
// boxes for the records and reports from databases and registers, each with a box on its right
// for what was removed or excluded (the reasons for excluding full-text reports listed inside);
// "Studies included in review"; and, when their counts are known, a column for other methods
// (websites, organisations, citation searching) whose included reports join the included box, a
// column for the studies of a previous version of the review (with new and total included
// boxes), and a box for the studies in the meta-analysis.
//
// Which boxes appear follows the PRISMA2020 app (Haddaway et al. 2022): the previous-review
// column only when one of its counts is known; the other-methods column only when one of its
// counts is known; within a box, a line whose count is unknown is left out for records
// identified (databases, registers, websites, organisations, citation searching), records removed
// before screening and reports of included studies. Every other unknown count is shown as
// "n = ?", so a gap in the reporting stays visible. Numbers have thousands separators
// (1,525), as in the app. By default the counts are first completed with review::complete(), so
// boxes that follow from the others (records screened = identified − removed, ...) are filled.
//
// Example:
//
//   auto counts = srma::review::read_prisma_csv("examples/gepnet-ptr/prisma.csv");
//   auto fig = srma::plot::draw_prisma(*counts, {});
//   if (fig) (void)srma::plot::save(*fig, "prisma.pdf");
#pragma once

#include <string>

#include "srma/plot/drawing.hpp"
#include "srma/review/prisma.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// What the flow diagram shows and how large it is.
struct prisma_options {
  std::string title;          ///< Bold title above the diagram ("" none).
  bool complete = true;       ///< Fill derivable boxes with review::complete() first.
  bool side_bands = true;     ///< The Identification / Screening / Included bands.
  bool meta_analysis = true;  ///< The meta-analysis box, when its counts are known.
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  /// Width of each flow box in points; 0: from the text, between 12 and 20 em. Longer texts
  /// (reasons for exclusion, database names) wrap inside their box.
  double box_width = 0;
  double width = 0;   ///< Total width in points; 0: follows the content (extra width widens boxes).
  double height = 0;  ///< Total height in points; 0: follows the content (extra height goes to the
                      ///< arrows between rows).

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Lays out and draws the PRISMA 2020 flow diagram of `counts`. Inconsistent sums are drawn as
/// given (review::check() reports them).
///
/// Errors: srma.plot.E504 (invalid options), srma.plot.E505 (an explicit size smaller than the
/// content), srma.plot.E507 (a negative count).
[[nodiscard]] expected<drawing> draw_prisma(const review::prisma_counts& counts,
                                            const prisma_options& options);

}  // namespace srma::plot
