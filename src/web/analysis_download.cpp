// Downloads of the analysis page (srma/web/analysis.hpp): the forest, funnel and PRISMA figures as
// SVG, PNG or PDF (srma::plot::render), the study table as CSV and as an Excel workbook
// (project::write_table_xlsx), the pooled result as JSON, and the full `srma run` report for the
// page's options: a plan written from the options and run by srma::run_plan into the project
// folder. The report is offered as an index of its files (report: each downloaded on its own as
// report/FILE) and as one zip archive of them all with the plan and table it was made from
// (report.zip, written by libzip).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "analysis_internal.hpp"
#include "srma/model/tau2.hpp"
#include "srma/plot/output.hpp"
#include "srma/project/tables.hpp"
#include "srma/run/plan.hpp"
#include "srma/run/run.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/web/analysis.hpp"
#include "zip_archive.hpp"

namespace srma::web::detail {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

response file_response(std::string bytes, std::string content_type, const std::string& name) {
  response r;
  r.status = 200;
  r.content_type = std::move(content_type);
  r.body = std::move(bytes);
  // Downloaded, never shown in the app's own origin (a report is a document of its own).
  r.headers["Content-Disposition"] = fmt::format("attachment; filename=\"{}\"", name);
  r.headers["Cache-Control"] = "no-store";
  r.headers["X-Content-Type-Options"] = "nosniff";
  return r;
}

std::string content_type_of(const std::string& name) {
  const auto dot = name.find_last_of('.');
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "pdf") return "application/pdf";
  if (ext == "csv") return "text/csv; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "md") return "text/markdown; charset=utf-8";
  if (ext == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return "text/plain; charset=utf-8";
}

expected<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return fail(errc::output_unwritable, "cannot read a file just written", {p.string(), 0, 0});
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

response not_found(const std::string& name) {
  return error_response(
      404, make_error(errc::web_not_found,
                      fmt::format("no download named '{}'; expected forest, funnel or prisma with "
                                  ".svg, .png or .pdf, studies.csv, studies.xlsx, results.json, "
                                  "report or report/FILE",
                                  name),
                      {}, {}));
}

// A TOML basic string.
std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(u));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The plan of the page's analysis: the current study table beside it, PRISMA counts and NOS
// from the project, the page's model options, and the analyses of a review's report (pooled
// result, subgroups when asked, small-study bias, leave-one-out).
std::string plan_text(const project::review_project& project, const analysis_settings& s) {
  std::string t = "# Written by srma serve (analysis page) for the options chosen on the page.\n";
  t += "[review]\n";
  const std::string title = project.settings().title;
  t += fmt::format("title = {}\n", toml_string(title.empty() ? "Meta-analysis report" : title));
  t += fmt::format("project = {}\n\n", toml_string(fs::absolute(project.dir()).string()));
  t += "[data]\nfile = \"studies.csv\"\n";
  if (s.reading.measure)
    t += fmt::format("measure = {}\n", toml_string(to_string(*s.reading.measure)));
  if (!s.reading.measure_label.empty())
    t += fmt::format("measure_label = {}\n", toml_string(s.reading.measure_label));
  if (!s.effect.empty()) t += fmt::format("effect = {}\n", toml_string(s.effect));
  t += fmt::format("missing = {}\n\n", toml_string(to_string(s.reading.missing)));
  t += "[model]\n";
  t += fmt::format("preset = {}\n", toml_string(s.preset));
  t += fmt::format("model = {}\n", toml_string(to_string(s.pool.model)));
  t += fmt::format("auto_i2 = {}\n", s.pool.auto_i2_threshold);
  t += fmt::format("tau2 = {}\n", toml_string(to_string(s.pool.tau2)));
  t += fmt::format("ci = {}\n", toml_string(to_string(s.pool.ci)));
  t += fmt::format("pi = {}\n", toml_string(to_string(s.pool.pi)));
  t += fmt::format("i2 = {}\n", toml_string(to_string(s.pool.i2)));
  t += fmt::format("level = {}\n", s.pool.level);
  t += fmt::format("common_tau2 = {}\n", s.pool.common_tau2 ? "true" : "false");
  if (s.pooling_given) t += fmt::format("method = {}\n", toml_string(to_string(s.pool.method)));
  t += "\n[figures]\n";
  std::string cols;
  for (const auto& c : s.columns) cols += (cols.empty() ? "" : ", ") + toml_string(c);
  t += fmt::format("columns = [{}]\n", cols);
  if (const auto bar = s.favours.find('|'); bar != std::string::npos) {
    t += fmt::format("favours = [{}, {}]\n", toml_string(s.favours.substr(0, bar)),
                     toml_string(s.favours.substr(bar + 1)));
  }
  if (parse_figure_sort(s.sort)) t += fmt::format("sort = {}\n", toml_string(s.sort));
  t += "\n[[analysis]]\ntype = \"pool\"\n";
  if (s.prediction_interval) t += "prediction_interval = true\n";
  if (!s.by.empty())
    t += fmt::format("\n[[analysis]]\ntype = \"subgroup\"\nby = {}\n", toml_string(s.by));
  t += "\n[[analysis]]\ntype = \"bias\"\n";
  t += "\n[[analysis]]\ntype = \"leave1out\"\n";
  return t;
}

// The report made: where it is, what srma run said, and the plan folder beside it.
struct made_report {
  fs::path folder;  // the report's files (summary.files are relative to it)
  fs::path plan;    // plan.toml and studies.csv
  run_summary summary;
};

// Writes the plan and table for the page's options and runs it (callers hold folder_mutex()).
expected<made_report> make_report(project::review_project& project, const csv_table& table,
                                  const analysis_settings& s) {
  const fs::path work = project.dir() / "analysis" / "report-plan";
  std::error_code ec;
  fs::create_directories(work, ec);
  csv_table t = table;
  t.separator = ',';
  if (auto ok = write_csv(t, (work / "studies.csv").string()); !ok) return unexpected(ok.error());
  const std::string text = plan_text(project, s);
  {
    std::ofstream out(work / "plan.toml", std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      return fail(errc::output_unwritable, "cannot write the report's plan",
                  {(work / "plan.toml").string(), 0, 0});
    }
  }
  auto plan = parse_plan(text, (work / "plan.toml").string());
  if (!plan) return unexpected(plan.error());
  run_options o;
  o.output_dir = (project.dir() / report_folder_path).string();
  o.allow_outside = true;  // the plan is ours: it names the project folder above it
  auto summary = run_plan(*plan, o);
  if (!summary) return unexpected(summary.error());
  return made_report{o.output_dir, work, std::move(*summary)};
}

response report_index(project::review_project& project, const csv_table& table,
                      const analysis_settings& s) {
  std::lock_guard lock(folder_mutex());
  auto made = make_report(project, table, s);
  if (!made) return error_response(status_of(made.error()), made.error());
  const fs::path work = made->plan;
  const run_summary* summary = &made->summary;
  std::error_code ec;
  json files = json::array();
  for (const auto& f : summary->files) {
    const auto size = fs::file_size(made->folder / f, ec);
    files.push_back({{"path", f},
                     {"url", "/api/analysis/download/report/" + f},
                     {"bytes", ec ? 0 : static_cast<std::uintmax_t>(size)}});
  }
  json analyses = json::array();
  for (const auto& a : summary->analyses) {
    analyses.push_back({{"id", a.id}, {"title", a.title}, {"ran", a.ran}, {"reason", a.reason}});
  }
  // The plan and the table it read, so the report can be made again with `srma run`.
  for (const char* f : {"plan.toml", "studies.csv"}) {
    files.push_back({{"path", std::string("plan/") + f},
                     {"url", std::string("/api/analysis/download/report/plan/") + f},
                     {"bytes", static_cast<std::uintmax_t>(fs::file_size(work / f, ec))}});
  }
  return json_response(200, json{{"folder", report_folder_path},
                                 {"html", "report.html"},
                                 {"headline", summary->headline},
                                 {"warnings", summary->warnings},
                                 {"analyses", analyses},
                                 {"files", files}});
}

// The whole report as one zip archive: srma-report/<its files>, srma-report/plan/plan.toml and
// srma-report/plan/studies.csv (so that `srma run plan/plan.toml` makes it again).
response report_zip(project::review_project& project, const csv_table& table,
                    const analysis_settings& s) {
  std::lock_guard lock(folder_mutex());
  auto made = make_report(project, table, s);
  if (!made) return error_response(status_of(made.error()), made.error());
  std::vector<zip_entry> entries;
  for (const auto& f : made->summary.files) {
    auto bytes = read_file(made->folder / f);
    if (!bytes) return error_response(500, bytes.error());
    entries.push_back({"srma-report/" + fs::path(f).generic_string(), std::move(*bytes)});
  }
  for (const char* f : {"plan.toml", "studies.csv"}) {
    auto bytes = read_file(made->plan / f);
    if (!bytes) return error_response(500, bytes.error());
    entries.push_back({std::string("srma-report/plan/") + f, std::move(*bytes)});
  }
  auto zip = zip_archive(entries);
  if (!zip) return error_response(500, zip.error());
  return file_response(std::move(*zip), "application/zip", "srma-report.zip");
}

// One file of the last report (or of its plan), if `rel` names one: no "..", no absolute path,
// and it must resolve to a regular file inside the folder.
response report_file(const project::review_project& project, const std::string& rel) {
  fs::path base = project.dir() / report_folder_path;
  std::string inner = rel;
  if (rel.rfind("plan/", 0) == 0) {
    base = project.dir() / "analysis" / "report-plan";
    inner = rel.substr(5);
  }
  const fs::path p(inner);
  bool safe = !inner.empty() && p.is_relative() && inner.find('\\') == std::string::npos;
  for (const auto& part : p) safe = safe && part != ".." && part != "." && !part.empty();
  std::error_code ec;
  const fs::path full = fs::weakly_canonical(base / p, ec);
  const fs::path root = fs::weakly_canonical(base, ec);
  const auto relative = full.lexically_relative(root);
  safe = safe && !ec && !relative.empty() && *relative.begin() != "..";
  if (!safe || !fs::is_regular_file(full, ec)) return not_found("report/" + rel);
  auto bytes = read_file(full);
  if (!bytes) return error_response(500, bytes.error());
  return file_response(std::move(*bytes), content_type_of(inner), p.filename().string());
}

}  // namespace

response handle_download(project::review_project& project, const std::string& name,
                         const request& req) {
  if (name.rfind("report/", 0) == 0) return report_file(project, name.substr(7));
  auto s = parse_settings(query_json(req.query));
  if (!s) return error_response(400, s.error());
  if (name == "prisma.svg" || name == "prisma.png" || name == "prisma.pdf") {
    auto p = project_prisma(project);
    if (!p) return error_response(status_of(p.error()), p.error());
    auto bytes = plot::render(p->diagram, *plot::format_from_path(name), {.dpi = s->dpi});
    if (!bytes) return error_response(500, bytes.error());
    return file_response(std::move(*bytes), content_type_of(name), name);
  }
  auto c = load_table(project);
  if (!c) return error_response(status_of(c.error()), c.error());
  if (name == "studies.csv") {
    csv_table t = c->table;
    t.separator = ',';
    return file_response(format_csv(t), content_type_of(name), name);
  }
  if (name == "studies.xlsx") {
    std::lock_guard lock(folder_mutex());
    const fs::path dir = project.dir() / "analysis";
    std::error_code ec;
    fs::create_directories(dir, ec);
    const fs::path tmp = dir / fmt::format(".download-{}.xlsx", std::random_device{}());
    auto ok = project::write_table_xlsx(c->table, tmp.string(), "Studies");
    if (!ok) return error_response(status_of(ok.error()), ok.error());
    auto bytes = read_file(tmp);
    fs::remove(tmp, ec);
    if (!bytes) return error_response(500, bytes.error());
    return file_response(std::move(*bytes), content_type_of(name), name);
  }
  if (name == "report") return report_index(project, c->table, *s);
  if (name == "report.zip") return report_zip(project, c->table, *s);
  const bool forest = name == "forest.svg" || name == "forest.png" || name == "forest.pdf";
  const bool funnel = name == "funnel.svg" || name == "funnel.png" || name == "funnel.pdf";
  if (!forest && !funnel && name != "results.json") return not_found(name);
  auto a = analyse(c->table, *s);
  if (!a) return error_response(status_of(a.error()), a.error());
  if (name == "results.json") {
    return file_response(a->result.dump(2) + "\n", content_type_of(name), name);
  }
  if (funnel && !a->funnel) {
    return error_response(422, make_error(errc::plot_bad_data, a->funnel_error, {}, {}));
  }
  const plot::drawing& d = forest ? a->forest : *a->funnel;
  auto bytes = plot::render(d, *plot::format_from_path(name), {.dpi = s->dpi});
  if (!bytes) return error_response(500, bytes.error());
  return file_response(std::move(*bytes), content_type_of(name), name);
}

}  // namespace srma::web::detail
