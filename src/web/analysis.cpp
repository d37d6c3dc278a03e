// The analysis page's API (srma/web/analysis.hpp): routing, the options of an analysis, the
// study table (read, edited, reset), the pooled result with its forest and funnel plots, and the
// PRISMA diagram. Figures and tables as files and the `srma run` report are in
// analysis_download.cpp. Every number comes from the library; this file translates JSON.
#include "srma/web/analysis.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <string_view>

#include "analysis_internal.hpp"
#include "srma/data/effect_size.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/model/tau2.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/funnel.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/prisma.hpp"
#include "srma/project/prisma.hpp"
#include "srma/project/tables.hpp"
#include "srma/report/json.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/limits.hpp"

namespace srma::web {
namespace detail {

using nlohmann::json;
namespace fs = std::filesystem;

std::mutex& folder_mutex() {
  static std::mutex m;
  return m;
}

response json_response(int status, const json& j) {
  response r;
  r.status = status;
  r.content_type = "application/json";
  // Invalid UTF-8 in a cell is replaced rather than failing the whole answer.
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  r.headers["Cache-Control"] = "no-store";
  return r;
}

response error_response(int status, const error& e, const json& extra) {
  json err = {{"id", e.id}, {"message", e.message}, {"what", e.what()}};
  if (e.where.line > 0) err["line"] = e.where.line;
  if (e.where.column > 0) err["column_number"] = e.where.column;
  for (const auto& [k, v] : extra.items()) err[k] = v;
  return json_response(status, json{{"error", err}});
}

int status_of(const error& e) {
  const auto fam = e.family();
  if (fam == "output" || fam == "plot") return 500;
  if (e.id == errc::web_bad_request) return 400;
  if (e.id == errc::web_not_found) return 404;
  return 422;
}

namespace {

// ---- options -------------------------------------------------------------------------------

unexpected bad_option(std::string_view key, std::string_view what) {
  return fail(errc::web_bad_request, fmt::format("option '{}' {}", key, what), {},
              std::string(key));
}

// A value as text: strings as they are, numbers and booleans as JSON writes them.
expected<std::string> text_of(std::string_view key, const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  if (v.is_null()) return std::string();
  return bad_option(key, "must be text");
}

expected<bool> bool_of(std::string_view key, const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  auto t = text_of(key, v);
  if (!t) return unexpected(t.error());
  if (*t == "true" || *t == "1" || *t == "on" || *t == "yes") return true;
  if (*t == "false" || *t == "0" || *t == "off" || *t == "no" || t->empty()) return false;
  return bad_option(key, fmt::format("is '{}'; expected true or false", *t));
}

expected<double> number_of(std::string_view key, const json& v, double lo, double hi) {
  double x = 0;
  if (v.is_number()) {
    x = v.get<double>();
  } else {
    auto t = text_of(key, v);
    if (!t) return unexpected(t.error());
    try {
      std::size_t used = 0;
      x = std::stod(*t, &used);
      if (used != t->size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      return bad_option(key, fmt::format("is '{}'; expected a number", *t));
    }
  }
  if (!(x >= lo && x <= hi))
    return bad_option(key, fmt::format("is {}; expected {} to {}", x, lo, hi));
  return x;
}

// A list of names from a JSON array or a comma-separated string.
expected<std::vector<std::string>> list_of(std::string_view key, const json& v) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_string()) return bad_option(key, "must be a list of column names");
      if (!e.get<std::string>().empty()) out.push_back(e.get<std::string>());
    }
    return out;
  }
  auto t = text_of(key, v);
  if (!t) return unexpected(t.error());
  std::string_view rest = *t;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

template <class Parse>
auto enum_of(std::string_view key, const json& v, Parse parse, std::string_view expected_list)
    -> expected<std::remove_reference_t<decltype(*parse(std::string_view()))>> {
  auto t = text_of(key, v);
  if (!t) return unexpected(t.error());
  auto e = parse(*t);
  if (!e) return bad_option(key, fmt::format("is '{}'; expected {}", *t, expected_list));
  return *e;
}

const char* const k_option_keys[] = {"measure",
                                     "measure_label",
                                     "effect",
                                     "missing",
                                     "preset",
                                     "model",
                                     "auto_i2",
                                     "tau2",
                                     "hksj",
                                     "pi",
                                     "i2",
                                     "level",
                                     "pooling",
                                     "common_tau2",
                                     "by",
                                     "columns",
                                     "sort",
                                     "favours",
                                     "prediction_interval",
                                     "dpi"};

}  // namespace

json query_json(const std::map<std::string, std::string>& query) {
  json j = json::object();
  for (const auto& [k, v] : query) j[k] = v;
  return j;
}

expected<analysis_settings> parse_settings(const json& j) {
  if (!j.is_object()) {
    return fail(errc::web_bad_request, "the options must be a JSON object");
  }
  for (const auto& [k, v] : j.items()) {
    if (!k.empty() && k.front() == '_') continue;  // cache busters and the like
    bool known = false;
    for (const char* name : k_option_keys) known = known || k == name;
    if (!known) {
      std::string all;
      for (const char* name : k_option_keys) all += (all.empty() ? "" : ", ") + std::string(name);
      return bad_option(k, fmt::format("is unknown; the options are {}", all));
    }
  }
  analysis_settings s;
  s.reading.missing = missing_policy::exclude;
  auto get = [&](const char* key) -> const json* {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return nullptr;
    if (it->is_string() && it->get<std::string>().empty()) return nullptr;
    return &*it;
  };
  // The preset first: every other option is applied on top of it (as the command line does).
  if (const json* v = get("preset")) {
    auto p = enum_of("preset", *v, parse_preset, "srma, metafor, meta or revman5");
    if (!p) return unexpected(p.error());
    s.preset = std::string(to_string(*p));
  }
  const auto preset = *parse_preset(s.preset);
  s.pool = preset_options(preset);
  if (preset == srma::preset::metafor) s.reading.zero_cells = escalc_zero_cells();
  if (preset == srma::preset::revman5) s.reading.zero_cells = revman5_zero_cells();

  if (const json* v = get("measure"); v && !(v->is_string() && v->get<std::string>() == "auto")) {
    auto m = enum_of("measure", *v, parse_measure, measure_codes_text());
    if (!m) return unexpected(m.error());
    s.reading.measure = *m;
  }
  if (const json* v = get("measure_label")) {
    auto t = text_of("measure_label", *v);
    if (!t) return unexpected(t.error());
    s.reading.measure_label = *t;
  }
  if (const json* v = get("effect"); v && !(v->is_string() && v->get<std::string>() == "auto")) {
    auto k = enum_of("effect", *v, parse_input_kind,
                     "hr,lower,upper, loghr,se, yi,sei, yi,vi, oe,v, 2x2, means, proportion, "
                     "correlation, rate, two_rates or hr_summaries");
    if (!k) return unexpected(k.error());
    s.reading.kind = *k;
    s.effect = v->get<std::string>();
  }
  if (const json* v = get("missing")) {
    auto m = enum_of("missing", *v, parse_missing_policy, "exclude or error");
    if (!m) return unexpected(m.error());
    s.reading.missing = *m;
  }
  if (const json* v = get("model")) {
    auto m = enum_of("model", *v, parse_model_choice, "common, random, both or auto");
    if (!m) return unexpected(m.error());
    s.pool.model = *m;
  }
  if (const json* v = get("auto_i2")) {
    auto x = number_of("auto_i2", *v, 0, 100);
    if (!x) return unexpected(x.error());
    s.pool.auto_i2_threshold = *x;
  }
  if (const json* v = get("tau2")) {
    auto t = enum_of("tau2", *v, parse_tau2_method, "DL, REML, ML, PM, HS, SJ, HE or EB");
    if (!t) return unexpected(t.error());
    s.pool.tau2 = *t;
  }
  if (const json* v = get("hksj")) {
    auto b = bool_of("hksj", *v);
    if (!b) return unexpected(b.error());
    if (*b) s.pool.ci = ci_method::hksj;
  }
  if (const json* v = get("pi")) {
    auto m = enum_of("pi", *v, parse_pi_method, "t, t2, z, test or none");
    if (!m) return unexpected(m.error());
    s.pool.pi = *m;
  }
  if (const json* v = get("i2")) {
    auto d = enum_of("i2", *v, parse_i2_definition, "Q or tau2");
    if (!d) return unexpected(d.error());
    s.pool.i2 = *d;
  }
  if (const json* v = get("level")) {
    auto x = number_of("level", *v, limits::min_level_percent, limits::max_level_percent);
    if (!x) return unexpected(x.error());
    s.pool.level = *x;
  }
  if (const json* v = get("pooling")) {
    auto m = enum_of("pooling", *v, parse_pooling_method, "iv, mh or peto");
    if (!m) return unexpected(m.error());
    s.pool.method = *m;
    s.pooling_given = true;
  }
  if (const json* v = get("common_tau2")) {
    auto b = bool_of("common_tau2", *v);
    if (!b) return unexpected(b.error());
    s.pool.common_tau2 = *b;
  }
  if (const json* v = get("by")) {
    auto t = text_of("by", *v);
    if (!t) return unexpected(t.error());
    s.by = *t;
  }
  if (const json* v = get("columns")) {
    auto l = list_of("columns", *v);
    if (!l) return unexpected(l.error());
    s.columns = *l;
  }
  if (const json* v = get("sort")) {
    auto t = text_of("sort", *v);
    if (!t) return unexpected(t.error());
    s.sort = *t;
  }
  if (const json* v = get("favours")) {
    auto t = text_of("favours", *v);
    if (!t) return unexpected(t.error());
    s.favours = *t;
  }
  if (const json* v = get("prediction_interval")) {
    auto b = bool_of("prediction_interval", *v);
    if (!b) return unexpected(b.error());
    s.prediction_interval = *b;
  }
  if (const json* v = get("dpi")) {
    auto x = number_of("dpi", *v, 36, 1200);
    if (!x) return unexpected(x.error());
    s.dpi = *x;
  }
  if (auto msg = s.pool.validate(); !msg.empty()) return fail(errc::web_bad_request, msg);
  return s;
}

expected<current_table> load_table(const project::review_project& project) {
  const fs::path edited = project.dir() / edited_table_path;
  std::error_code ec;
  if (fs::is_regular_file(edited, ec)) {
    auto t = read_csv(edited.string());
    if (!t) return unexpected(t.error());
    t->source = edited_table_path;
    return current_table{std::move(*t), true};
  }
  auto t = project::analysis_table(project);
  if (!t) return unexpected(t.error());
  t->source = "review project";
  return current_table{std::move(*t), false};
}

expected<analysis_output> analyse(const csv_table& table, const analysis_settings& s) {
  auto studies = make_study_table(table, s.reading);
  if (!studies) return unexpected(studies.error());
  analysis_output out;
  // As `srma pool` (cli/common.cpp, pooling_for): a preset's Mantel-Haenszel applies to 2x2
  // counts only; under Peto the tables without information leave the figures too.
  pool_options o = s.pool;
  if (!s.pooling_given && !has_2x2_counts(*studies)) o.method = pooling_method::inverse_variance;
  if (o.method == pooling_method::peto) *studies = informative_for_peto(*studies);

  plot::forest_content content;
  content.columns = s.columns;
  content.prediction_interval = s.prediction_interval;
  content.sort_by(s.sort);

  expected<plot::forest_plot> fp = fail(errc::plot_bad_data, "no analysis");
  pool_result funnel_source;
  if (!s.by.empty()) {
    auto g = pool_subgroups(*studies, s.by, o);
    if (!g) return unexpected(g.error());
    out.result = to_json(*g);
    out.notes = g->notes;
    fp = plot::forest_from(*g, *studies, content);
    funnel_source = g->overall;
  } else {
    auto r = pool_2x2(*studies, o);
    if (!r) return unexpected(r.error());
    out.result = to_json(*r);
    out.notes = r->notes;
    fp = plot::forest_from(*r, *studies, content);
    funnel_source = std::move(*r);
  }
  if (!fp) return unexpected(fp.error());
  out.result["input"] = input_json(*studies);
  if (auto f = fp->options.set_favours(s.favours); !f) return unexpected(f.error());
  auto forest = plot::draw_forest(fp->rows, fp->options);
  if (!forest) return unexpected(forest.error());
  out.forest = std::move(*forest);
  auto funnel =
      plot::draw_funnel(plot::funnel_points(funnel_source), plot::funnel_defaults(funnel_source));
  if (funnel) {
    out.funnel = std::move(*funnel);
  } else {
    out.funnel_error = funnel.error().what();
  }
  out.studies = std::move(*studies);
  return out;
}

expected<prisma_output> project_prisma(const project::review_project& project) {
  auto flow = project::derive_prisma(project);
  if (!flow) return unexpected(flow.error());
  plot::prisma_options o;
  o.complete = false;  // every box is derived from the project (as `srma review prisma`)
  auto d = plot::draw_prisma(flow->counts, o);
  if (!d) return unexpected(d.error());
  json counts = json::object();
  for (const auto b : review::all_prisma_boxes()) {
    const std::string id(review::prisma_box_id(b));
    if (review::is_prisma_list(b)) {
      json list = json::array();
      for (const auto& e : flow->counts.list(b)) list.push_back({{"name", e.name}, {"n", e.n}});
      if (!list.empty()) counts[id] = list;
    } else if (auto n = flow->counts.count(b)) {
      counts[id] = *n;
    }
  }
  return prisma_output{std::move(*d), std::move(counts), flow->open};
}

namespace {

// ---- the study table -----------------------------------------------------------------------

// How the table reads as studies (which rows lack an estimate, which column set is used).
json table_check(const csv_table& t) {
  read_options r;
  r.missing = missing_policy::exclude;
  auto s = make_study_table(t, r);
  if (!s) return {{"ok", false}, {"error", {{"id", s.error().id}, {"what", s.error().what()}}}};
  json j = input_json(*s);
  j["ok"] = true;
  j["k"] = s->k();
  return j;
}

json table_json(const current_table& c) {
  json rows = json::array();
  for (const auto& r : c.table.rows) rows.push_back(r.fields);
  json j = {{"source", c.edited ? "edited" : "project"},
            {"columns", c.table.header},
            {"rows", rows},
            {"check", table_check(c.table)}};
  if (c.edited) j["file"] = edited_table_path;
  return j;
}

// The 1-based data row of a table at physical line `line` (0: the header or unknown).
int row_at_line(const csv_table& t, int line) {
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (t.rows[i].line == line) return static_cast<int>(i) + 1;
  }
  return 0;
}

// An error in an edited table, located by row (and the study's label) and column name.
response table_error(const error& cause, const csv_table* t) {
  int row = 0;
  std::string column;
  std::string study;
  if (t != nullptr) {
    row = row_at_line(*t, cause.where.line);
    if (cause.where.column > 0 && cause.where.column <= static_cast<int>(t->header.size()))
      column = t->header[cause.where.column - 1];
    const int label = t->find_column("study");
    if (row > 0 && label >= 0) study = t->rows[row - 1].fields[label];
  } else if (cause.where.line > 1) {
    row = cause.where.line - 1;  // text that does not parse: rows counted from the header line
  }
  std::string place;
  if (row > 0)
    place = study.empty() ? fmt::format("row {}", row) : fmt::format("row {} ({})", row, study);
  if (!column.empty())
    place += fmt::format("{}column '{}'", place.empty() ? "" : ", ", column);
  else if (cause.where.column > 0)
    place += fmt::format("{}column {}", place.empty() ? "" : ", ", cause.where.column);
  error e = make_error(errc::web_bad_table,
                       (place.empty() ? std::string() : place + ": ") + cause.message, {}, column);
  json extra = {{"cause", {{"id", cause.id}, {"message", cause.message}}}};
  if (row > 0) extra["row"] = row;
  if (!column.empty()) extra["column"] = column;
  return error_response(422, e, extra);
}

// The table in a POST body: {"columns": [...], "rows": [[...], ...]} or {"text": "..."}, or the
// text itself (CSV, or tab-separated as a spreadsheet copies it).
expected<std::string> table_text(const std::string& body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || body[first] != '{') return body;
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(errc::web_bad_request, "the body is not a JSON object");
  if (auto it = j.find("text"); it != j.end()) {
    if (!it->is_string()) return fail(errc::web_bad_request, "'text' must be a string");
    return it->get<std::string>();
  }
  auto cols = j.find("columns");
  auto rows = j.find("rows");
  if (cols == j.end() || !cols->is_array() || rows == j.end() || !rows->is_array()) {
    return fail(errc::web_bad_request,
                "the body needs \"columns\" (a list of names) and \"rows\" (a list of rows), or "
                "\"text\" (CSV or tab-separated text)");
  }
  csv_table t;
  for (const auto& c : *cols) {
    if (!c.is_string()) return fail(errc::web_bad_request, "every column name must be a string");
    t.header.push_back(c.get<std::string>());
  }
  std::size_t n = 0;
  for (const auto& r : *rows) {
    ++n;
    if (!r.is_array() || r.size() != t.header.size()) {
      return fail(errc::web_bad_request,
                  fmt::format("row {} has {} cells, but the table has {} columns", n,
                              r.is_array() ? r.size() : 0, t.header.size()),
                  {"", static_cast<int>(n) + 1, 0});
    }
    csv_row row;
    for (const auto& cell : r) {
      if (cell.is_string())
        row.fields.push_back(cell.get<std::string>());
      else if (cell.is_null())
        row.fields.emplace_back();
      else if (cell.is_number())
        row.fields.push_back(cell.dump());
      else
        return fail(errc::web_bad_request,
                    fmt::format("row {}: a cell must be text, a number or null", n));
    }
    t.rows.push_back(std::move(row));
  }
  if (t.header.empty()) return fail(errc::web_bad_request, "the table has no columns");
  return format_csv(t);
}

response store_table(project::review_project& project, const request& req) {
  auto text = table_text(req.body);
  if (!text) return error_response(400, text.error());
  auto t = parse_csv(*text, "edited table");
  if (!t) return table_error(t.error(), nullptr);
  // Cells must read as their columns require; rows without an estimate yet are fine.
  read_options r;
  r.missing = missing_policy::exclude;
  if (auto s = make_study_table(*t, r); !s && row_at_line(*t, s.error().where.line) > 0) {
    return table_error(s.error(), &*t);
  }
  t->separator = ',';
  {
    std::lock_guard lock(folder_mutex());
    const fs::path path = project.dir() / edited_table_path;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (auto ok = write_csv(*t, path.string()); !ok) return error_response(500, ok.error());
  }
  return json_response(200, table_json(current_table{std::move(*t), true}));
}

response reset_table(project::review_project& project) {
  {
    std::lock_guard lock(folder_mutex());
    std::error_code ec;
    fs::remove(project.dir() / edited_table_path, ec);
    if (ec) {
      return error_response(
          500, make_error(errc::output_unwritable,
                          fmt::format("cannot remove the edited table: {}", ec.message()),
                          {edited_table_path, 0, 0}, {}));
    }
  }
  auto c = load_table(project);
  if (!c) return error_response(status_of(c.error()), c.error());
  return json_response(200, table_json(*c));
}

// ---- the pooled result ---------------------------------------------------------------------

response run_analysis(const project::review_project& project, const request& req) {
  const auto start = std::chrono::steady_clock::now();
  json body = json::object();
  if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    body = json::parse(req.body, nullptr, false);
    if (body.is_discarded())
      return error_response(400, make_error(errc::web_bad_request, "the body is not JSON", {}, {}));
  }
  auto s = parse_settings(body);
  if (!s) return error_response(400, s.error());
  auto c = load_table(project);
  if (!c) return error_response(status_of(c.error()), c.error());
  auto a = analyse(c->table, *s);
  if (!a) return error_response(status_of(a.error()), a.error());
  json j = {{"result", std::move(a->result)},
            {"forest_svg", plot::render_svg(a->forest)},
            {"notes", a->notes},
            {"table", c->edited ? "edited" : "project"}};
  if (a->funnel) {
    j["funnel_svg"] = plot::render_svg(*a->funnel);
  } else {
    j["funnel_svg"] = nullptr;
    j["funnel_error"] = a->funnel_error;
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  j["elapsed_ms"] = ms;
  auto r = json_response(200, j);
  r.headers["Server-Timing"] = fmt::format("analysis;dur={:.1f}", ms);
  return r;
}

response prisma(const project::review_project& project) {
  auto p = project_prisma(project);
  if (!p) return error_response(status_of(p.error()), p.error());
  return json_response(
      200, json{{"svg", plot::render_svg(p->diagram)}, {"counts", p->counts}, {"open", p->open}});
}

// The choices the page offers, from the library's own names.
response options() {
  json measures = json::array({"auto"});
  std::string_view codes_text;
  const std::string codes = measure_codes_text();
  codes_text = codes;
  while (!codes_text.empty()) {
    const auto comma = codes_text.find(", ");
    measures.push_back(std::string(codes_text.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    codes_text.remove_prefix(comma + 2);
  }
  json tau2 = json::array();
  for (const auto m : all_tau2_methods()) tau2.push_back(std::string(to_string(m)));
  json models = json::array();
  for (const auto m :
       {model_choice::auto_i2, model_choice::common, model_choice::random, model_choice::both})
    models.push_back(std::string(to_string(m)));
  json pis = json::array();
  for (const auto m :
       {pi_method::t_k1, pi_method::t_k2, pi_method::z, pi_method::follow_test, pi_method::none})
    pis.push_back(std::string(to_string(m)));
  json i2 = json::array();
  for (const auto d : {i2_definition::q_based, i2_definition::tau2_based})
    i2.push_back(std::string(to_string(d)));
  json pooling = json::array();
  for (const auto m :
       {pooling_method::inverse_variance, pooling_method::mantel_haenszel, pooling_method::peto})
    pooling.push_back(std::string(to_string(m)));
  json presets = json::array();
  for (const auto p : {preset::srma, preset::metafor, preset::meta, preset::revman5})
    presets.push_back(std::string(to_string(p)));
  const pool_options d = preset_options(preset::srma);
  // The seed review's rule (Xiao et al. 2025, section 2.4): common effect when I^2 < 20%.
  json defaults = {{"measure", "auto"},
                   {"model", std::string(to_string(model_choice::auto_i2))},
                   {"auto_i2", d.auto_i2_threshold},
                   {"tau2", std::string(to_string(d.tau2))},
                   {"hksj", d.ci == ci_method::hksj},
                   {"pi", std::string(to_string(d.pi))},
                   {"i2", std::string(to_string(d.i2))},
                   {"level", d.level},
                   {"preset", "srma"}};
  return json_response(200, json{{"measures", measures},
                                 {"models", models},
                                 {"tau2", tau2},
                                 {"pi", pis},
                                 {"i2", i2},
                                 {"pooling", pooling},
                                 {"presets", presets},
                                 {"defaults", defaults}});
}

response not_found(const std::string& path) {
  return error_response(
      404, make_error(errc::web_not_found, fmt::format("no analysis call at {}", path), {}, {}));
}

response not_allowed(const request& req, std::string_view allowed) {
  auto r = error_response(
      405, make_error(errc::web_method_not_allowed,
                      fmt::format("{} is not allowed at {}; use {}", req.method, req.path, allowed),
                      {}, {}));
  r.headers["Allow"] = std::string(allowed);
  return r;
}

response route(project::review_project& project, const request& req) {
  constexpr std::string_view prefix = "/api/analysis/";
  const std::string& path = req.path;
  if (path.compare(0, prefix.size(), prefix) != 0) return not_found(path);
  const std::string rest = path.substr(prefix.size());
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST" || req.method == "PUT";
  if (rest == "options") return get ? options() : not_allowed(req, "GET");
  if (rest == "studies") {
    if (get) {
      auto c = load_table(project);
      if (!c) return error_response(status_of(c.error()), c.error());
      return json_response(200, table_json(*c));
    }
    return post ? store_table(project, req) : not_allowed(req, "GET, POST, PUT");
  }
  if (rest == "studies/reset") {
    return req.method == "POST" ? reset_table(project) : not_allowed(req, "POST");
  }
  if (rest == "run")
    return req.method == "POST" ? run_analysis(project, req) : not_allowed(req, "POST");
  if (rest == "prisma") return get ? prisma(project) : not_allowed(req, "GET");
  constexpr std::string_view download = "download/";
  if (rest.compare(0, download.size(), download) == 0) {
    if (!get) return not_allowed(req, "GET");
    return handle_download(project, rest.substr(download.size()), req);
  }
  return not_found(path);
}

}  // namespace
}  // namespace detail

response handle_analysis(project::review_project& project, const request& req) {
  try {
    return detail::route(project, req);
  } catch (const std::exception& e) {
    // Nothing the library throws is expected (it returns errors); a failure of memory or of
    // the JSON library must still answer as JSON rather than end the server.
    return detail::error_response(
        500, detail::make_error(errc::web_internal, fmt::format("internal error: {}", e.what()), {},
                                {}));
  }
}

}  // namespace srma::web
