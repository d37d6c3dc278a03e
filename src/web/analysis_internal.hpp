// The pieces of the analysis handler (srma/web/analysis.hpp) shared by its two files:
// analysis.cpp (routing, options, study table, pooled result, PRISMA) and analysis_download.cpp
// (figures and tables as files, the `srma run` report).
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/project/project.hpp"
#include "srma/util/expected.hpp"
#include "srma/web/http.hpp"

namespace srma::web::detail {

/// The options of one analysis, as the page sends them (POST body or query parameters).
struct analysis_settings {
  read_options reading;  ///< measure, effect columns, missing-estimate policy (exclude)
  std::string effect;    ///< the effect column set as given ("" from the columns)
  pool_options pool;
  bool pooling_given = false;  ///< "pooling" (iv, mh, peto) was given: keep it for any input
  std::string preset = "srma";
  std::string by;                    ///< subgroup column ("" none)
  std::vector<std::string> columns;  ///< extra forest columns
  std::string sort = "none";         ///< forest order: none, effect, weight or a column
  std::string favours;               ///< "left|right" ("" none)
  bool prediction_interval = false;
  double dpi = 150;  ///< PNG downloads
};

/// Reads the settings from a JSON object whose values may also be strings (query parameters).
/// Errors: srma.web.E953 naming the option.
[[nodiscard]] expected<analysis_settings> parse_settings(const nlohmann::json& j);

/// The query parameters as a JSON object of strings.
[[nodiscard]] nlohmann::json query_json(const std::map<std::string, std::string>& query);

/// The study table the page analyses: the edited one if stored, else the project's.
struct current_table {
  csv_table table;
  bool edited = false;
};
[[nodiscard]] expected<current_table> load_table(const project::review_project& project);

/// One analysis: the studies, the result JSON of `srma pool --json`, and both figures.
struct analysis_output {
  study_table studies;
  nlohmann::json result;
  plot::drawing forest{0, 0};           ///< replaced by the forest plot
  std::optional<plot::drawing> funnel;  ///< none when it cannot be drawn (funnel_error says why)
  std::string funnel_error;
  std::vector<std::string> notes;
};
[[nodiscard]] expected<analysis_output> analyse(const csv_table& table, const analysis_settings& s);

/// The PRISMA 2020 diagram of the project (every box derived from it) with its counts.
struct prisma_output {
  plot::drawing diagram;
  nlohmann::json counts;
  std::vector<std::string> open;
};
[[nodiscard]] expected<prisma_output> project_prisma(const project::review_project& project);

/// Serialises writes into the project folder (edited table, report): the server may answer
/// several requests at once.
std::mutex& folder_mutex();

[[nodiscard]] response json_response(int status, const nlohmann::json& j);
/// An error value (built member by member: GCC 12 warns of aggregate initialisation here).
[[nodiscard]] inline error make_error(std::string id, std::string message,
                                      error_location where = {}, std::string subject = {}) {
  error e;
  e.id = std::move(id);
  e.message = std::move(message);
  e.where = std::move(where);
  e.subject = std::move(subject);
  return e;
}
/// {"error": {"id", "message", "what", ...extra}} with `status`.
[[nodiscard]] response error_response(int status, const error& e,
                                      const nlohmann::json& extra = nlohmann::json::object());
/// The HTTP status of a library error: 422 for data and model errors, 500 for output.
[[nodiscard]] int status_of(const error& e);

/// GET /api/analysis/download/NAME (NAME may hold one '/': report/FILE).
[[nodiscard]] response handle_download(project::review_project& project, const std::string& name,
                                       const request& req);

}  // namespace srma::web::detail
