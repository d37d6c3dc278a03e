// File: srma/run/run.hpp
//
// Runs an analysis plan end to end and writes the report: a self-contained HTML file (figures
// inline as SVG), the same report as Markdown, results.json with every number, figures/ (SVG, PDF
// and PNG of each figure) and tables/ (CSV). Numbers in the text, tables and JSON come from the
// same results. The report records srma's version and the SHA-256 of the plan and of every data
// file; two runs of the same plan give byte-identical output (no timestamps unless asked).
//
// An analysis that cannot run (for example because no study has an estimate yet) does not stop
// the others: the report says which studies lack what, and how to enter it.
//
// Example:
//
//   auto plan = srma::read_plan("examples/pignon2000/plan.toml");
//   auto summary = srma::run_plan(*plan, {.output_dir = "report"});
//   if (summary) fmt::print("{}\n{}\n", summary->html_path, summary->headline);
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/run/plan.hpp"
#include "srma/util/expected.hpp"

namespace srma {

struct run_options {
  std::string output_dir = "report";
  bool timestamp = false;  ///< Add the date and time of the run (breaks byte-identical output).
  /// Called with (what, done, total) during long analyses (GOSH, permutation tests).
  std::function<void(std::string_view, std::size_t, std::size_t)> progress;
  /// Read files the plan names outside the plan's own folder (`../x.csv`, `/etc/...`). Off by
  /// default: a plan someone sent you cannot make srma read (and quote) any file it likes.
  bool allow_outside = false;
  /// Write into a folder that holds files srma did not write (they are left alone; the report's
  /// own files are replaced one by one, without the atomic swap a report folder gets).
  bool force = false;

  /// "" when usable, else what is wrong (an output folder must be named).
  [[nodiscard]] std::string validate() const;
};

/// A published number compared with srma's result.
struct check_outcome {
  plan_check check;
  bool passed = false;
  std::string published;   ///< e.g. "0.90 (0.85–0.94)"
  std::string reproduced;  ///< at the check's decimals
  std::string reason;      ///< why it failed, or why it could not be compared
};

struct analysis_outcome {
  std::string id;
  std::string title;
  analysis_type type = analysis_type::pool;
  bool ran = false;
  std::string reason;  ///< when not run
};

struct run_summary {
  std::string html_path, markdown_path, json_path;
  std::string headline;               ///< The first pooled result, one line.
  std::vector<std::string> warnings;  ///< Missing estimates, inconsistent counts, ...
  std::vector<analysis_outcome> analyses;
  std::vector<check_outcome> checks;
  std::vector<std::string> files;  ///< Every file written, relative to output_dir.
};

/// Runs `p` and writes the report into options.output_dir (created if needed). Nothing is
/// written when an error stops the run. Errors: those of reading the data (srma.csv.*,
/// srma.input.* other than missing estimates), srma.plan.E708 (a `where` filter that cannot be
/// evaluated), srma.output.E801 (cannot write the report).
[[nodiscard]] expected<run_summary> run_plan(const plan& p, const run_options& options = {});

}  // namespace srma
