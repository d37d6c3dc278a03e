// State shared by the parts of `srma run` (private): the plan, the data loaded once per file,
// the document being built, the files to write, numbered figures and tables, references.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "document.hpp"
#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/run/plan.hpp"
#include "srma/run/run.hpp"
#include "srma/survival/km_analysis.hpp"

namespace srma::detail {

/// A data file as read for the run.
struct loaded_data {
  std::string path;  ///< As resolved against the plan's directory.
  std::string name;  ///< As written in the plan (shown in the report).
  std::string sha256;
  csv_table csv;
  std::optional<study_table> studies;  ///< Absent when no row has an estimate.
  std::vector<excluded_study> excluded;
  std::vector<std::string> notices;
  std::string no_estimate_reason;  ///< Why `studies` is absent.
};

/// Numbered references, in order of first citation.
class references {
 public:
  /// "[n]" for `key` (see methods.cpp for the keys).
  std::string cite(const std::string& key);
  std::string cite(std::initializer_list<std::string> keys);
  /// The reference list, numbered.
  [[nodiscard]] std::vector<std::string> list() const;

 private:
  std::vector<std::string> keys_;
};

/// A [[km]] study of the plan with its reconstruction and fit.
struct km_study {
  const plan_km* spec = nullptr;
  std::vector<digitised_arm> input;  ///< The arms as read (points drawn in the check figure).
  km_from_curves result;
};

struct run_context {
  const plan& p;
  const run_options& options;
  document doc;
  std::map<std::string, std::string> files;  ///< Relative path -> bytes.
  nlohmann::json results = nlohmann::json::object();
  nlohmann::json analyses_json = nlohmann::json::array();
  int figure_count = 0;
  int table_count = 0;
  references refs;
  std::vector<std::string> warnings;
  std::map<std::string, loaded_data> data;              ///< By resolved path.
  std::map<std::string, pool_result> pooled;            ///< Analysis id -> pooled result.
  std::map<std::string, subgroup_analysis> subgrouped;  ///< Analysis id -> subgroups.
  std::vector<analysis_outcome> outcomes;
  std::string headline;
  std::string prisma_sha256;
  std::vector<km_study> km;  ///< The plan's [[km]] studies, once the [data] file is loaded.

  run_context(const plan& the_plan, const run_options& o) : p(the_plan), options(o) {}

  /// Loads a data file once (errors other than "no estimates" stop the run).
  expected<const loaded_data*> load(const std::string& file_as_written);

  /// Renders `d` in every format of the plan into figures/, numbers it and returns the block.
  expected<doc_block> figure(const plot::drawing& d, const std::string& stem,
                             const std::string& caption);
  /// Numbers a table, writes it to tables/ as CSV and returns the block.
  doc_block table(doc_table t, const std::string& stem);
  /// Writes a CSV of `t` to tables/ without showing it (supplementary data).
  void supplementary_csv(const doc_table& t, const std::string& stem);
};

/// Reconstructs and fits each [[km]] study and writes its row into `csv` (km_studies.cpp).
expected<void> apply_km_studies(run_context& ctx, csv_table& csv);
/// The report section of the [[km]] studies, if any.
expected<std::optional<doc_section>> km_section(run_context& ctx);

/// Builds the sections of the analyses (analyses.cpp), in report order.
expected<void> add_analysis_sections(run_context& ctx);
/// The "Methods" section and the reference list (methods.cpp).
/// `measure` and `kind` describe the main data file (when it could be read).
doc_section methods_section(run_context& ctx, effect_measure measure,
                            std::optional<input_kind> kind);
doc_section references_section(const run_context& ctx);

}  // namespace srma::detail
