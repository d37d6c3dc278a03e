// Options and helpers shared by the subcommands (the CLI is thin: parsing, I/O, exit codes).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/expected.hpp"

namespace srma::cli {

/// Exit codes by error family (docs/error-codes.md).
enum exit_code : int {
  ok = 0,
  internal = 1,
  usage = 2,   // command line (CLI11) and srma.cli.*
  input = 3,   // srma.csv.*, srma.input.*
  model = 4,   // srma.model.*
  output = 5,  // srma.output.*, srma.plot.*
};

/// Whose words an error's option hint uses: the command line's flags or a plan's keys.
enum class hint_style { flags, plan };

/// Prints "srma: error: [id] ..." with the option hint for the id, and returns the exit code of
/// the id's family.
int report_error(const error& e, hint_style style = hint_style::flags);

/// The options every analysis subcommand takes: input file, effect columns and pooling.
struct analysis_args {
  std::string file;
  std::string measure;
  std::string effect;
  std::string model;
  std::string tau2;
  std::string preset = "srma";
  std::string pi;
  std::string i2;
  std::string method;
  std::string measure_label;
  double level = 95;
  double auto_i2 = 20;
  bool hksj = false;
  bool common_tau2 = false;
  bool exclude_missing = false;

  CLI::Option* model_opt = nullptr;
  CLI::Option* tau2_opt = nullptr;
  CLI::Option* pi_opt = nullptr;
  CLI::Option* i2_opt = nullptr;
  CLI::Option* hksj_opt = nullptr;
  CLI::Option* method_opt = nullptr;

  /// Registers the options on `app`.
  void add_to(CLI::App& app);
  /// Registers --method (pool, forest, funnel: the commands that pool 2x2 tables by MH or Peto).
  void add_method_to(CLI::App& app);
  /// The read options (or an srma.cli error for an unknown measure or input kind).
  [[nodiscard]] expected<read_options> reading() const;
  /// The pool options: the preset's defaults, then every option given explicitly.
  [[nodiscard]] expected<pool_options> pooling() const;
  /// The pool options for `studies`: pooling(), with a preset's Mantel-Haenszel (revman5)
  /// turned into inverse variance for input without 2x2 counts, as RevMan pools such data;
  /// an explicit --method mh|peto stays, so pool_2x2 names what is missing.
  /// Under Peto, `studies` loses (to its excluded list) the tables without information, so
  /// figures and subgroups show the studies the Peto fit uses.
  [[nodiscard]] expected<pool_options> pooling_for(study_table& studies) const;
};

/// The size options every figure takes: --width and --height (in, mm, cm, pt, px) and --size
/// single|double (the width of a journal column; --width wins when both are given).
struct figure_size_args {
  std::string width;
  std::string height;
  std::string size;

  /// Registers the options on `app`; `prefix` starts their help texts (e.g. "Bubble plot: ").
  void add_to(CLI::App& app, const std::string& prefix = "");
  /// Sets `width` and `height` in points from the options given (untouched otherwise).
  [[nodiscard]] expected<void> apply(double dpi, double& width, double& height) const;
};

/// Sets the favours labels of a forest plot from --favours "left|right" ("" leaves them).
[[nodiscard]] expected<void> set_favours(const std::string& favours, plot::forest_options& o);

/// Reads the studies and prints input notices to stderr.
/// `attributes`: the columns to keep as study attributes (read_options::attributes; all when
/// std::nullopt).
expected<study_table> load_studies(
    const analysis_args& args, std::optional<std::vector<std::string>> attributes = std::nullopt);

/// The studies pooled as `srma pool` pools them: the options of args.pooling_for(studies), then
/// pool_2x2 (Mantel-Haenszel or Peto for 2x2 counts when asked, inverse variance otherwise).
expected<pool_result> pool_loaded(const analysis_args& args, study_table& studies);

/// The render options of a figure command, after checking the output file's extension (.svg,
/// .pdf, .png) and the PNG resolution, so that a bad -o fails before any work is done.
expected<plot::render_options> figure_render(const std::string& output, double dpi);

}  // namespace srma::cli
