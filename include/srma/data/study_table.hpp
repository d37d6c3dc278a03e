// File: srma/data/study_table.hpp
//
// The studies of a meta-analysis as a value type: one label, estimate yi and sampling variance vi
// per study (analysis scale), the line each came from, and every other column of the input kept
// as a study attribute (subgroup, year, moderators, ...).
//
// `make_study_table` recognises the effect columns of a CSV file (case-insensitively):
//
//   hr|or|rr, lower, upper [, ci_level]   ratio with its CI -> ln ratio, SE from the CI width
//   loghr, se                             log hazard ratio with its SE
//   yi, sei   |   yi, vi                  effect on the analysis scale with its SE or variance
//   oe, v                                 log-rank O-E and variance V -> Peto log HR
//   events_t, n_t, events_c, n_c          2x2 counts -> log OR (default), log RR or RD
//   m1, sd1, n1, m2, sd2, n2              means -> MD (default), Hedges' g (SMD), SMDH or ROM
//   events, n                             single proportions -> PLO (default), PR, PLN, PAS, PFT
//   ri, ni                                correlations -> ZCOR (default) or COR
//   events, time                          one incidence rate -> IRLN (default) or IR
//   events_t, time_t, events_c, time_c    two incidence rates -> IRR (default) or IRD
//
// and the label column `study`. Counts (2x2, proportions, rates) follow the zero-cell rule of
// `read_options::zero_cells` (escalc's add, to and drop00); a study the rule leaves out is
// listed in `excluded`. Every column but the label is also kept as a study attribute, effect
// columns included, so `n_t` or `yi` can be a moderator or a subgroup. A hazard-ratio file may hold
// several hazard-ratio column sets and each row uses the most reliable one it fills
// (srma/data/hr_from_summary.hpp, Tierney 2007):
//
//   hr, lower, upper [, level|ci_level]   HR with its CI at any level
//   loghr, se                             ln HR with its SE
//   oe, v                                 log-rank O - E and V
//   o_t, e_t, o_c, e_c                    observed and expected events per arm
//   chisq, v|oe [, direction]             log-rank chi-square (direction needed with v)
//   hr, p [, p_test]                      HR with a two-sided p-value (logrank|wald)
//   p, events, n_t, n_c, direction        p-value, total events, numbers randomised
//   p, events_t, events_c, direction      p-value and events per arm
//
// with an optional `hr_source` column naming the route (an hr_method name such as
// km_reconstruction). A row that fills two sets is checked: their z statistics must agree within
// the rounding of the reported numbers. Nothing is dropped silently: a study left out of the
// analysis (a double-zero 2x2 table under OR/RR, or a row whose effect columns are empty or
// incomplete when the caller allows it) is listed in `excluded` with the reason. Two rows with
// the same label are both kept, labelled "Smith 1990 (1)" and "Smith 1990 (2)" (a notice
// says so; `label_as_given` keeps the labels of the file).
//
// Example:
//
//   auto studies = srma::read_studies("examples/bcg.csv", {.measure =
//   srma::effect_measure::risk_ratio}); if (!studies) { std::cerr << studies.error().what() <<
//   '\n'; return 1; } fmt::print("{} studies, first: {} (yi = {:.4f})\n", studies->k(),
//   studies->study[0], studies->yi[0]);
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"
#include "srma/util/expected.hpp"
#include "srma/util/text_column.hpp"

namespace srma {

/// Which set of effect columns the input uses. `hr_summaries`: hazard-ratio input whose studies
/// do not all come by one route of ratio_ci (hr), log_hr_se or oe_v (sets mixed row by row, a
/// newer set such as hr,p, or an `hr_source` naming another route); the route of each study is
/// in `study_table::hr_source`.
enum class input_kind {
  ratio_ci,
  log_hr_se,
  yi_sei,
  yi_vi,
  oe_v,
  two_by_two,
  means,
  hr_summaries,
  proportion,   ///< events, n
  correlation,  ///< ri, ni
  rate,         ///< events, time
  two_rates,    ///< events_t, time_t, events_c, time_c
};

/// The column names of an input kind as users write them, e.g. "hr|or|rr,lower,upper".
[[nodiscard]] std::string_view input_kind_columns(input_kind kind);
/// Parses "hr,lower,upper", "loghr,se", "yi,sei", "yi,vi", "oe,v", "2x2", "means",
/// "proportion", "correlation", "rate", "two_rates" (or their column lists) and "hr_summaries"
/// (every hazard-ratio set, row by row).
[[nodiscard]] std::optional<input_kind> parse_input_kind(std::string_view text);
/// Same as input_kind_columns (the uniform name every enum has).
[[nodiscard]] inline std::string_view to_string(input_kind kind) {
  return input_kind_columns(kind);
}

/// True for the name of a column that carries effect data in some recognised column set (hr,
/// lower, upper, ci_level, level, loghr, se, yi, vi, oe, v, events_t, ..., m1, sd1, n1, ...,
/// o_t, e_t, o_c, e_c, chisq, direction, p, p_test, events, n, ri, ni, time, time_t, time_c).
/// Not `hr_source`, which only names the route.
[[nodiscard]] bool is_effect_column_name(std::string_view name);

/// A row of the input that is not analysed, and why.
struct excluded_study {
  std::string study;
  int line = 0;
  std::string reason;
};

/// What to do with a row whose effect columns are empty or incomplete (counts missing but n
/// given, an estimate without its SE).
enum class missing_policy {
  error,    ///< Stop with srma.input.E204 (the default).
  exclude,  ///< Leave the study out and list it in `study_table::excluded`.
};

/// "error" or "exclude" (a plan's [data] missing).
[[nodiscard]] inline std::string_view to_string(missing_policy m) {
  return m == missing_policy::error ? "error" : "exclude";
}
/// Parses "error" or "exclude" (exact, lower case).
[[nodiscard]] inline std::optional<missing_policy> parse_missing_policy(std::string_view text) {
  if (text == "error") return missing_policy::error;
  if (text == "exclude") return missing_policy::exclude;
  return std::nullopt;
}

/// Options for turning a CSV table into studies.
struct read_options {
  std::optional<effect_measure> measure;  ///< Default: follows the input kind.
  std::optional<input_kind> kind;         ///< Choose among several complete column sets.
  double ci_level = 95;                   ///< Level of reported CIs when no ci_level column.
  missing_policy missing = missing_policy::error;
  /// Zero cells of counts (2x2, proportions, rates): srma_zero_cells() by default;
  /// escalc_zero_cells() and revman5_zero_cells() give the other tools' rules.
  zero_cell_rule zero_cells;
  /// The name of a generic effect (GEN) in reports and figures, e.g. "log response ratio";
  /// "" for "effect". Kept in study_table::measure_label.
  std::string measure_label;
  /// The columns kept as study attributes (moderators, subgroups, columns of a forest plot):
  /// std::nullopt keeps every column but the label; a list keeps those it names (ignoring
  /// case; a name the file lacks is left for whatever uses it to report). The count columns of
  /// 2x2 tables, proportions and rates are always kept (Mantel-Haenszel and Peto pool from
  /// them). An analysis of a large file that names what it uses keeps memory proportional to
  /// those columns (`srma pool` without --by keeps none).
  std::optional<std::vector<std::string>> attributes;

  /// "" when usable, else what is wrong (ci_level strictly between 0 and 100, a valid
  /// zero-cell rule).
  [[nodiscard]] std::string validate() const;
};

/// The studies of one meta-analysis.
struct study_table {
  std::string source;  ///< File the studies came from ("" when built in memory).
  effect_measure measure = effect_measure::generic;
  input_kind kind = input_kind::yi_vi;
  std::string measure_label;       ///< Name of a generic effect ("" for "effect").
  std::vector<std::string> study;  ///< Labels, unique ("Smith 1990 (1)" for duplicates).
  /// The labels as the file gives them when some were made unique, else empty.
  std::vector<std::string> label_as_given;
  std::vector<double> yi;  ///< Estimates on the analysis scale.
  std::vector<double> vi;  ///< Sampling variances, > 0.
  std::vector<int> line;   ///< Source line of each study (0 when built in memory).
  /// Total n per study (2x2, means, proportions: n, correlations: ni), else empty.
  std::vector<double> sample_size;
  /// Count input (2x2, proportions, rates): the zero-cell rule applied and, per study, whether
  /// it was corrected; else the default rule and empty.
  zero_cell_rule zero_cells;
  std::vector<bool> zero_cell_corrected;
  /// Hazard-ratio input only (else empty): per study the route of its ln HR (an hr_method name,
  /// srma/data/hr_from_summary.hpp) and the log-rank form O - E = V ln HR, V = 1 / SE^2.
  std::vector<std::string> hr_source;
  std::vector<double> o_minus_e;
  std::vector<double> v;
  /// The input columns the estimates were read from (the chosen set, with ci_level, level and
  /// hr_source), in file order: what a table of study characteristics leaves out.
  std::vector<std::string> effect_columns;
  /// Every input column but the label: the other columns in file order, then the effect
  /// columns in file order (so any numeric column can be a moderator or a subgroup).
  std::vector<std::string> attribute_names;
  std::vector<int> attribute_columns;  ///< Their 1-based column numbers in the file.
  /// attributes[a][i]: column a, study i (texts in one buffer per column).
  std::vector<text_column> attributes;
  std::vector<excluded_study> excluded;  ///< Input rows not analysed, with reasons.
  std::vector<std::string> notices;      ///< Warnings worth showing the user.

  [[nodiscard]] std::size_t k() const { return yi.size(); }
  /// Index of attribute `name` (case-insensitive), or -1.
  [[nodiscard]] int attribute_index(std::string_view name) const;
  /// How values are shown: display_context_from_vi(measure, vi) (PFT: harmonic mean of n).
  [[nodiscard]] display_context display() const;
  /// The studies at `rows` (indices into this table), in that order.
  [[nodiscard]] study_table subset(std::span<const std::size_t> rows) const;
};

/// Recognises the effect columns of `csv` and computes (yi, vi) for every row.
///
/// A file is read as hazard ratios when it holds a complete hazard-ratio set and `measure` is
/// unset or HR; with `kind` = ratio_ci (an `hr` column), log_hr_se or oe_v only that set is read.
/// Hazard-ratio sets beside other effect sets (e.g. p, events_t, events_c, direction beside a
/// 2x2 table) are ambiguous (E202) unless `measure` or `kind` says which to read.
///
/// Several complete sets (e.g. events_t, n_t, events_c, n_c beside time_t, time_c) are
/// ambiguous (E202) unless `kind` chooses, or `measure` fits only one of them.
///
/// Errors (docs/error-codes.md): srma.input.E201 unknown column set, E202 ambiguous column set,
/// E203 non-numeric value, E204 missing value (a row that fills no set, or part of one), E205
/// value out of range (also p = 0 or 1, events above n, an unknown direction or hr_source, two
/// sets of a row that contradict each other, a correlation outside [-1, 1], a person-time
/// <= 0), E206 measure does not fit the input, E208 empty study label, E209 no data rows, E210
/// invalid counts (2x2 table, proportion, events of a rate), E211 invalid means, E212 invalid
/// ci_level, E217 invalid zero-cell rule.
[[nodiscard]] expected<study_table> make_study_table(const csv_table& csv,
                                                     const read_options& options = {});

/// The same for a compactly stored file (the same studies, notices and errors as from the
/// csv_table of the same text).
[[nodiscard]] expected<study_table> make_study_table(const compact_csv& csv,
                                                     const read_options& options = {});

/// `make_study_table` for many tables cut from one file with one header (the meta-analyses of a
/// batch, model/batch.hpp): the header is analysed once, by `prepare`, instead of once per
/// table (the column sets, the measure, the label and attribute columns took a third of the
/// time of reading ten studies). `make` gives exactly what `make_study_table(csv, options)`
/// gives, for any `csv`: a table with another header than the prepared one is read the plain
/// way. `make` is const and may be called from several threads at once after `prepare`.
///
///     srma::study_table_maker maker(options);
///     maker.prepare(first);  // any table with the batch's header
///     for (const auto& t : tables) auto studies = maker.make(t);
class study_table_maker {
 public:
  explicit study_table_maker(read_options options = {});
  ~study_table_maker();
  study_table_maker(study_table_maker&&) noexcept;
  study_table_maker& operator=(study_table_maker&&) noexcept;
  study_table_maker(const study_table_maker&) = delete;
  study_table_maker& operator=(const study_table_maker&) = delete;

  /// Analyses the header (and source name and header line) of `csv` for later tables.
  void prepare(const compact_csv& csv);
  /// `make_study_table(csv, options)`.
  [[nodiscard]] expected<study_table> make(const compact_csv& csv) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// `read_csv_compact` followed by `make_study_table`: a file of 10^6 studies is read in well
/// under a second and in about its own size of memory besides the study table.
[[nodiscard]] expected<study_table> read_studies(const std::string& path,
                                                 const read_options& options = {});

/// Builds a table from effects already on the analysis scale (labels "Study 1", ... when empty).
/// Errors: srma.input.E205 for a non-finite yi or a vi that is not finite and > 0, E207/E208 for
/// labels, E209 when empty, srma.input.E213 when the lengths differ.
[[nodiscard]] expected<study_table> make_study_table(
    std::vector<double> yi, std::vector<double> vi, std::vector<std::string> labels = {},
    effect_measure measure = effect_measure::generic);

}  // namespace srma
