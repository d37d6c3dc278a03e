// File: srma/run/plan.hpp
//
// An analysis plan: the sequence of analyses of a systematic review written down once, in a TOML
// file kept with the data, from which `srma run` produces the whole report (docs/plan.md).
//
//   [review]
//   title = "Primary tumour resection in liver-metastatic GEP-NETs"
//
//   [data]
//   file = "studies.csv"          # relative to the plan file
//   experimental = "PTR"
//   control = "no PTR"
//   outcome = "overall survival"
//
//   [model]
//   model = "auto"                # the seed review's rule: common effect when I² < 20%
//   auto_i2 = 20
//
//   [[analysis]]
//   type = "pool"
//
//   [[analysis]]
//   type = "subgroup"
//   by = "location"
//
// Every key is checked: an unknown key or a value of the wrong type is an error naming the line.
//
// Example:
//
//   auto plan = srma::read_plan("examples/pignon2000/plan.toml");
//   if (!plan) { std::cerr << plan.error().what() << '\n'; return 1; }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/bias/trim_and_fill.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/plot/drapery.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/output.hpp"
#include "srma/survival/cox.hpp"
#include "srma/util/expected.hpp"

namespace srma {

enum class analysis_type {
  pool,        ///< Pooled estimate (with `where`: a subset analysis).
  subgroup,    ///< Subgroups by a column, with the test for subgroup differences.
  subset,      ///< A pooled estimate of the studies matching `where` (required).
  leave1out,   ///< Leave-one-out sensitivity analysis.
  cumulative,  ///< Cumulative meta-analysis ordered by a column.
  influence,   ///< Influence diagnostics and Baujat plot.
  bias,        ///< Funnel plot, Egger/Begg/Peters tests, trim-and-fill, fail-safe N.
  metareg,     ///< Meta-regression on moderators.
  gosh,        ///< GOSH plot of all subsets.
  permtest,    ///< Permutation test.
  labbe,       ///< L'Abbé plot (2x2 counts).
  radial,      ///< Radial (Galbraith) plot.
  qqnorm,      ///< Normal QQ plot of the standardized residuals with its simulated envelope.
  drapery,     ///< Drapery plot: p-value functions of the studies and the pooled estimate.
};

[[nodiscard]] std::string_view analysis_type_name(analysis_type t);
/// The plan's name of an analysis type ("pool", "subgroup", ...); same as analysis_type_name.
[[nodiscard]] std::string_view to_string(analysis_type t);
/// Parses a plan's `type` value.
[[nodiscard]] std::optional<analysis_type> parse_analysis_type(std::string_view text);

/// Which model's estimate a [[check]] compares.
enum class check_model {
  primary,  ///< The model the analysis leads with (the default).
  common,
  random,
};
/// "primary", "common" or "random".
[[nodiscard]] std::string_view to_string(check_model m);
[[nodiscard]] std::optional<check_model> parse_check_model(std::string_view text);

/// Order of the studies in the report's forest plots ([figures] sort).
enum class figure_sort { none, effect, weight, year };
/// "none", "effect", "weight" or "year".
[[nodiscard]] std::string_view to_string(figure_sort s);
[[nodiscard]] std::optional<figure_sort> parse_figure_sort(std::string_view text);

/// One [[analysis]] entry. Unset optional model settings inherit the plan's [model].
struct plan_analysis {
  analysis_type type = analysis_type::pool;
  std::string id;     ///< Unique; defaults to the type (numbered when repeated).
  std::string title;  ///< Defaults to a description built from the type and its settings.
  int line = 0;       ///< Line of the entry in the plan file.
  std::string data;   ///< Another data file (relative to the plan); "" = the plan's.
  std::string where;  ///< Subset filter, e.g. "protocol == 'PTR+LR'" (docs/plan.md).
  int where_line = 0;
  std::optional<model_choice> model;
  std::optional<tau2_method> tau2;
  std::optional<ci_method> ci;
  std::optional<pi_method> pi;
  std::optional<bool> common_tau2;
  /// Common-effect method for 2x2 counts of pool, subgroup and subset analyses (else [model]'s).
  std::optional<pooling_method> method;
  bool prediction_interval = false;  ///< Show the prediction interval row in forest plots.
  std::string by;                    ///< subgroup
  std::string order;                 ///< cumulative
  std::vector<std::string> mods;     ///< metareg, permtest
  std::vector<std::string> factors;  ///< metareg, permtest
  bool funnel = true;                ///< bias: draw the funnel plot
  std::vector<double> contours;      ///< bias: contour-enhanced funnel levels, e.g. 90, 95, 99
  bool egger_line = true;            ///< bias: Egger's line in the funnel plot
  trimfill_estimator trimfill = trimfill_estimator::l0;  ///< bias
  std::size_t iterations = 1000;                         ///< permtest
  bool exact = false;                                    ///< permtest
  std::uint64_t seed = 1;                                ///< permtest, gosh, qqnorm
  /// pool, subgroup, subset: the forest plot's layout (srma, revman5, jama, lancet); when not
  /// given, revman5 under `preset = "revman5"` (as `srma forest --preset revman5`), else srma.
  std::optional<plot::forest_layout> layout;
  plot::drapery_scale scale = plot::drapery_scale::p_value;  ///< drapery: p or log
  std::size_t max_subsets = 1'000'000;                       ///< gosh
};

/// A published result the plan's analysis should reproduce ([[check]]).
struct plan_check {
  std::string analysis;  ///< Analysis id.
  check_model model = check_model::primary;
  std::string subgroup;  ///< For subgroup analyses: the level whose estimate is checked.
  std::optional<double> estimate, ci_lower, ci_upper;  ///< On the display scale (e.g. HR).
  std::optional<double> i2;                            ///< Percent (the plan's I² definition).
  int decimals = 2;    ///< Compare after rounding to this many decimals.
  std::string source;  ///< Where the published numbers come from.
  int line = 0;
};

/// One arm of a study's digitised Kaplan-Meier figure ([[km.arm]]).
struct plan_km_arm {
  std::string name;              ///< As it should appear in the report.
  std::string points;            ///< CSV of time,survival read off the figure.
  std::string at_risk;           ///< CSV of time,nar ("" when the figure has no table).
  std::optional<double> events;  ///< Total events reported for the arm.
  std::optional<double> n;       ///< Patients at time 0 (needed without at_risk).
  int line = 0;
};

/// A study whose hazard ratio comes from its Kaplan-Meier curves ([[km]]): the arms are
/// reconstructed (Guyot 2012), a Cox model is fitted, and its ln HR and SE become the study's row
/// of the [data] file (added when the file has no row with that label).
struct plan_km {
  std::string study;      ///< Label of the study row.
  std::string treatment;  ///< Arm name of the research arm (HR = treatment / control).
  std::string control;
  cox_ties ties = cox_ties::efron;
  std::optional<double> tau;        ///< Horizon of the RMST in the report.
  std::string time_title = "Time";  ///< Time axis of the check figure, e.g. "Months".
  std::optional<double> time_step;  ///< Distance between its time breaks.
  std::vector<plan_km_arm> arms;
  int line = 0;
};

struct plan {
  std::string path;  ///< The plan file as given.
  std::string dir;   ///< Its directory: data paths are relative to it.
  std::string text;  ///< The file's bytes (hashed into the report).

  // [review]
  std::string title, authors, question, citation;
  /// A review project folder (`srma review init`): studies, quality and PRISMA counts come from
  /// it. [data] file and [prisma] file may then be left out.
  std::string project;
  // [data]
  std::string data_file;
  read_options reading;  ///< measure, effect columns, missing-estimate policy.
  std::string experimental, control, outcome;
  // [model]
  pool_options model;
  srma::preset preset = srma::preset::srma;
  /// [model] method was given: Mantel-Haenszel or Peto is then required of the data (else a
  /// preset's MH applies only to 2x2 counts, inverse variance to other input).
  bool method_given = false;
  // [figures]
  std::vector<plot::image_format> formats = {plot::image_format::svg, plot::image_format::pdf,
                                             plot::image_format::png};
  double dpi = 300;
  std::vector<std::string> forest_columns;
  std::string favours_left, favours_right;
  figure_sort sort = figure_sort::none;
  // [characteristics]: the study table (Table 1)
  std::vector<std::string> characteristics;  ///< Columns; empty = every non-effect column.
  // [prisma]
  std::string prisma_file;
  // [quality]
  bool nos = true;   ///< Report Newcastle-Ottawa scores when the data carry them.
  int nos_high = 6;  ///< Total at or above which a study is "high quality".

  std::vector<plan_analysis> analyses;
  std::vector<plan_check> checks;
  std::vector<plan_km> km;  ///< Studies whose HR is reconstructed from curves.

  /// Path of a file named in the plan, relative to the plan's directory.
  [[nodiscard]] std::string resolve(const std::string& file) const;
};

/// Parses plan text. `path` names the file in messages and anchors relative data paths.
/// Errors (docs/error-codes.md): srma.plan.E702 TOML syntax, E703 unknown key, E704 wrong type,
/// E705 invalid value, E706 missing key, E709 duplicate analysis id, E707 `where` syntax.
[[nodiscard]] expected<plan> parse_plan(std::string_view text, const std::string& path);

/// Reads and parses a plan file. Errors: srma.plan.E701 (cannot read), and those of parse_plan.
[[nodiscard]] expected<plan> read_plan(const std::string& path);

}  // namespace srma
