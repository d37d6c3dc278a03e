// srma run: data loading, the report's skeleton (summary, methods, study tables, results,
// published-result checks, provenance), and writing every file only after everything succeeded.
#include "srma/run/run.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string_view>
#include <system_error>
#include <tuple>
#include <vector>

#include "context.hpp"
#include "sha256.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/prisma.hpp"
#include "srma/report/format.hpp"
#include "srma/review/nos.hpp"
#include "srma/review/prisma.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"
#include "srma/util/version.hpp"
#ifdef SRMA_HAVE_PROJECT
#include "srma/project/prisma.hpp"
#include "srma/project/project.hpp"
#include "srma/project/tables.hpp"
#endif

namespace srma {
namespace detail {
namespace {

std::string read_bytes(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream s;
  if (ok) s << in.rdbuf();
  return s.str();
}

std::string pretty_header(const std::string& column) {
  std::string out = column;
  for (auto& c : out)
    if (c == '_') c = ' ';
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  if (iequals(column, "nos")) return "NOS score";
  return out;
}

// How a user enters missing estimates, for the report and the terminal.
std::string how_to_enter(const std::string& file) {
  return fmt::format(
      "Enter each study's estimate in {}: the hazard ratio and its 95% CI in "
      "columns hr, lower, upper (or log HR and SE in loghr, se; or log-rank O-E "
      "and variance in oe, v), then run the plan again.",
      file);
}

}  // namespace

// The studies of a review project as the CSV `srma review export-analysis` writes.
expected<std::string> project_studies_csv(const plan& p) {
#ifdef SRMA_HAVE_PROJECT
  auto project = project::review_project::open(p.resolve(p.project));
  if (!project) return unexpected(project.error());
  review::nos_options o;
  o.high_from = p.nos_high;
  auto t = project::analysis_table(*project, o);
  if (!t) return unexpected(t.error());
  return format_csv(*t);
#else
  return fail(errc::plan_bad_choice,
              "[review] project needs srma built with the review project (SRMA_BUILD_PROJECT)",
              {p.path, 0, 0});
#endif
}

expected<const loaded_data*> run_context::load(const std::string& file_as_written) {
  // No data file but a project: the studies come from the project.
  const bool from_project = file_as_written.empty() && !p.project.empty();
  const std::string path = from_project ? p.resolve(p.project) + "/" + "studies (review project)"
                                        : p.resolve(file_as_written);
  if (auto it = data.find(path); it != data.end()) return &it->second;
  bool ok = false;
  std::string bytes;
  if (from_project) {
    auto text = project_studies_csv(p);
    if (!text) return unexpected(text.error());
    bytes = std::move(*text);
  } else {
    bytes = read_bytes(path, ok);
    if (!ok)
      return fail(errc::csv_unreadable, "cannot open the data file (does it exist?)", {path, 0, 0});
  }
  auto csv = parse_csv(bytes, path);
  if (!csv) return unexpected(csv.error());
  loaded_data d;
  d.path = path;
  d.name = from_project ? p.project : file_as_written;
  d.sha256 = sha256_hex(bytes);
  d.csv = std::move(*csv);
  if (path == p.resolve(p.data_file) && km.empty()) {
    if (auto applied = apply_km_studies(*this, d.csv); !applied) return unexpected(applied.error());
  }
  auto t = make_study_table(d.csv, p.reading);
  if (t) {
    d.excluded = t->excluded;
    d.notices = t->notices;
    d.studies = std::move(*t);
  } else if (t.error().id == errc::input_no_studies && !d.csv.rows.empty()) {
    // No row has an estimate: everything else (study table, quality) can still be reported.
    const int label = d.csv.find_column("study");
    for (const auto& row : d.csv.rows) {
      d.excluded.push_back({label >= 0 ? row.fields[label] : fmt::format("line {}", row.line),
                            row.line, "no estimate"});
    }
    d.no_estimate_reason = fmt::format("none of the {} studies in {} has an estimate yet",
                                       d.csv.rows.size(), file_as_written);
  } else {
    return unexpected(t.error());
  }
  if (!d.excluded.empty()) {
    std::vector<std::string> names;
    for (const auto& e : d.excluded) names.push_back(fmt::format("{} (line {})", e.study, e.line));
    warnings.push_back(
        fmt::format("{}: {} of {} studies have no estimate and are not analysed: "
                    "{}. {}",
                    file_as_written, d.excluded.size(), d.csv.rows.size(), fmt::join(names, ", "),
                    how_to_enter(file_as_written)));
  }
  return &data.emplace(path, std::move(d)).first->second;
}

expected<doc_block> run_context::figure(const plot::drawing& d, const std::string& stem,
                                        const std::string& caption) {
  const int n = ++figure_count;
  doc_block b;
  b.k = doc_block::kind::figure;
  b.figure.caption = fmt::format("Figure {}. {}", n, caption);
  b.figure.svg = plot::render_svg(d);
  const std::string base = fmt::format("figures/figure-{}-{}", n, stem);
  plot::render_options ro;
  ro.dpi = p.dpi;
  for (const auto f : p.formats) {
    const std::string file = fmt::format("{}.{}", base, plot::image_format_name(f));
    if (f == plot::image_format::svg) {
      files[file] = b.figure.svg;
    } else {
      auto bytes = plot::render(d, f, ro);
      if (!bytes) return unexpected(bytes.error());
      files[file] = std::move(*bytes);
    }
    b.figure.files.push_back(file);
  }
  if (std::find(p.formats.begin(), p.formats.end(), plot::image_format::svg) == p.formats.end()) {
    files[base + ".svg"] = b.figure.svg;  // the Markdown report links the SVG
  }
  b.figure.file = base + ".svg";
  return b;
}

doc_block run_context::table(doc_table t, const std::string& stem) {
  const int n = ++table_count;
  t.caption = fmt::format("Table {}. {}", n, t.caption);
  files[fmt::format("tables/table-{}-{}.csv", n, stem)] = table_csv(t);
  doc_block b;
  b.k = doc_block::kind::table;
  b.table = std::move(t);
  return b;
}

void run_context::supplementary_csv(const doc_table& t, const std::string& stem) {
  files[fmt::format("tables/{}.csv", stem)] = table_csv(t);
}

namespace {

// Study characteristics (Table 1) from the main data file's non-effect columns.
std::optional<doc_table> characteristics_table(const run_context& ctx, const loaded_data& d) {
  std::vector<int> cols;
  if (!ctx.p.characteristics.empty()) {
    for (const auto& c : ctx.p.characteristics) {
      const int j = d.csv.find_column(c);
      if (j >= 0) cols.push_back(j);
    }
  } else {
    // The columns the estimates were read from are not characteristics; a column that only
    // shares a name with some effect set (an `n` beside hazard ratios) is.
    auto is_effect = [&](const std::string& h) {
      if (!d.studies) return is_effect_column_name(h);
      const auto& e = d.studies->effect_columns;
      return std::any_of(e.begin(), e.end(), [&](const std::string& c) { return iequals(c, h); });
    };
    for (std::size_t j = 0; j < d.csv.header.size(); ++j) {
      const auto& h = d.csv.header[j];
      if (iequals(h, "study") || iequals(h, "hr_source") || is_effect(h)) continue;
      cols.push_back(static_cast<int>(j));
    }
  }
  // How each study's hazard ratio was obtained, when the routes differ (the route names of
  // hr_method in words; the methods paragraph cites the sources of each route).
  std::map<std::string, std::string> route;
  if (d.studies && d.studies->hr_source.size() == d.studies->k()) {
    const auto& src = d.studies->hr_source;
    if (std::adjacent_find(src.begin(), src.end(), std::not_equal_to<>()) != src.end()) {
      static const std::map<std::string, std::string, std::less<>> words = {
          {"ci", "HR with CI"},
          {"loghr_se", "ln HR with SE"},
          {"oe_v", "log-rank O - E and V"},
          {"observed_expected", "observed and expected events"},
          {"logrank_chisq", "log-rank chi-square"},
          {"p_value", "HR with p-value"},
          {"p_events", "p-value and events"},
          {"p_arm_events", "p-value and events per arm"},
          {"km_reconstruction", "Kaplan-Meier curves (reconstructed)"},
          {"ipd", "patient data"}};
      for (std::size_t i = 0; i < src.size(); ++i) {
        auto w = words.find(src[i]);
        route[d.studies->study[i]] = w != words.end() ? w->second : src[i];
      }
    }
  }
  if (cols.empty() && route.empty()) return std::nullopt;
  doc_table t;
  t.caption = "Characteristics of the included studies";
  const int label = d.csv.find_column("study");
  t.header.push_back("Study");
  t.right_align.push_back(false);
  for (int j : cols) {
    t.header.push_back(pretty_header(d.csv.header[j]));
    bool numeric = true;
    for (const auto& row : d.csv.rows)
      if (!is_missing_token(row.fields[j]) && !parse_double(row.fields[j])) numeric = false;
    t.right_align.push_back(numeric);
  }
  if (!route.empty()) {
    t.header.emplace_back("HR from");
    t.right_align.push_back(false);
  }
  for (const auto& row : d.csv.rows) {
    std::vector<std::string> r;
    r.push_back(label >= 0 ? row.fields[label] : fmt::format("line {}", row.line));
    for (int j : cols) r.push_back(row.fields[j].empty() ? "\u2013" : row.fields[j]);
    if (!route.empty()) {
      auto it = label >= 0 ? route.find(std::string(detail::trim(row.fields[label]))) : route.end();
      r.push_back(it != route.end() ? it->second : "\u2013");
    }
    t.rows.push_back(std::move(r));
  }
  t.note = fmt::format("From {}; \u2013 = empty in the data file, NR = not reported.", d.name);
  return t;
}

// Compares a [[check]] with the analysis it names, at the check's decimals.
check_outcome evaluate_check(const run_context& ctx, const plan_check& c) {
  check_outcome o;
  o.check = c;
  const pool_result* r = nullptr;
  check_model which = c.model;
  if (auto it = ctx.pooled.find(c.analysis); it != ctx.pooled.end()) r = &it->second;
  // A subgroup named for an analysis without subgroups is not found: the check must not pass
  // on the overall estimate instead (issue 15, item 6).
  if (!c.subgroup.empty() && ctx.subgrouped.count(c.analysis) == 0 && r != nullptr) {
    o.reason = fmt::format("analysis '{}' has no subgroups, so subgroup '{}' cannot be checked",
                           c.analysis, c.subgroup);
    return o;
  }
  if (auto it = ctx.subgrouped.find(c.analysis); it != ctx.subgrouped.end()) {
    if (c.subgroup.empty()) {
      r = &it->second.overall;
    } else {
      for (const auto& g : it->second.groups)
        if (g.level == c.subgroup) r = &g.result;
      if (!r) {
        o.reason = fmt::format("subgroup '{}' not found", c.subgroup);
        return o;
      }
      if (which == check_model::primary)
        which =
            it->second.primary == model_kind::common ? check_model::common : check_model::random;
    }
  }
  if (!r) {
    o.reason = fmt::format("analysis '{}' did not run", c.analysis);
    return o;
  }
  const model_estimate& e = which == check_model::common ? r->common
                            : which == check_model::random
                                ? static_cast<const model_estimate&>(r->random)
                                : r->primary_estimate();
  const auto m = r->measure;
  auto fmt_num = [&](double x) { return format_fixed(x, c.decimals); };
  std::vector<std::string> pub, rep;
  bool pass = true;
  auto cmp = [&](const std::optional<double>& published, double analysis_scale, bool display) {
    if (!published) return;
    const double mine = display ? to_display(m, analysis_scale) : analysis_scale;
    pub.push_back(fmt_num(*published));
    rep.push_back(fmt_num(mine));
    if (fmt_num(*published) != fmt_num(mine)) pass = false;
  };
  cmp(c.estimate, e.estimate, true);
  cmp(c.ci_lower, e.ci_lower, true);
  cmp(c.ci_upper, e.ci_upper, true);
  if (c.i2) {
    const double i2 = r->reported_i2();
    pub.push_back(fmt::format("I\u00b2 {}%", format_fixed(*c.i2, 0)));
    rep.push_back(fmt::format("I\u00b2 {}%", format_fixed(i2, 0)));
    if (format_fixed(*c.i2, 0) != format_fixed(i2, 0)) pass = false;
  }
  o.published = fmt::format("{}", fmt::join(pub, ", "));
  o.reproduced = fmt::format("{}", fmt::join(rep, ", "));
  o.passed = pass;
  if (!pass) o.reason = "differs at the published precision";
  return o;
}

// Study selection: the PRISMA 2020 counts, completed where they follow from the others and
// checked for sums that do not add up.
expected<std::optional<doc_section>> prisma_section(run_context& ctx) {
  if (ctx.p.prisma_file.empty() && ctx.p.project.empty()) return std::optional<doc_section>();
  expected<review::prisma_counts> counts = review::prisma_counts{};
  std::string counts_from = ctx.p.prisma_file;
  if (!ctx.p.prisma_file.empty()) {
    const std::string path = ctx.p.resolve(ctx.p.prisma_file);
    counts = review::read_prisma_csv(path);
    if (!counts) return unexpected(counts.error());
    bool ok = false;
    const std::string bytes = read_bytes(path, ok);
    ctx.prisma_sha256 = sha256_hex(bytes);
  } else {
#ifdef SRMA_HAVE_PROJECT
    auto project = project::review_project::open(ctx.p.resolve(ctx.p.project));
    if (!project) return unexpected(project.error());
    auto flow = project::derive_prisma(*project);
    if (!flow) return unexpected(flow.error());
    for (const auto& o : flow->open)
      ctx.warnings.push_back(fmt::format("{}: {}", ctx.p.project, o));
    counts = flow->counts;
    counts_from = ctx.p.project + " (review project)";
    std::string canon;
    for (const auto b : review::all_prisma_boxes()) {
      canon += fmt::format("{}={};", review::prisma_box_id(b), counts->count(b).value_or(-1));
      for (const auto& e : counts->list(b)) canon += fmt::format("{}:{};", e.name, e.n);
    }
    ctx.prisma_sha256 = sha256_hex(canon);
#else
    return unexpected(project_studies_csv(ctx.p).error());
#endif
  }
  const auto full = review::complete(*counts);
  const auto issues = review::check(full);
  doc_section s{"Study selection", "prisma", 3, {}};
  auto n = [](const std::optional<long>& v) { return v ? std::to_string(*v) : std::string("?"); };
  std::string text = fmt::format(
      "The searches identified {} records{}; after removing {} duplicates, {} records were "
      "screened and {} excluded on title and abstract. {} full-text reports were assessed for "
      "eligibility",
      n(full.database_results),
      full.register_results ? " (and " + n(full.register_results) + " from registers)" : "",
      n(full.duplicates), n(full.records_screened), n(full.records_excluded), n(full.dbr_assessed));
  long excluded_total = 0;
  std::vector<std::string> reasons;
  for (const auto& r : full.dbr_excluded) {
    excluded_total += r.n;
    reasons.push_back(fmt::format("{}: {}", r.name, r.n));
  }
  if (!reasons.empty()) {
    text += fmt::format(" and {} were excluded ({})", excluded_total, fmt::join(reasons, "; "));
  }
  text += fmt::format(". {} studies were included in the review",
                      n(full.new_studies ? full.new_studies : full.total_studies));
  if (full.total_studies_ma)
    text += fmt::format(" and {} in the meta-analysis", *full.total_studies_ma);
  text += " " + ctx.refs.cite("prisma");
  const int fig_no = ctx.figure_count + 1;
  s.blocks.push_back({doc_block::kind::paragraph, text + fmt::format(" (Figure {}).", fig_no)});
  auto diagram = plot::draw_prisma(*counts, plot::prisma_options{});
  if (!diagram) return unexpected(diagram.error());
  auto fig = ctx.figure(*diagram, "prisma", "PRISMA 2020 flow diagram of the study selection.");
  if (!fig) return unexpected(fig.error());
  s.blocks.push_back(std::move(*fig));
  for (const auto& i : issues) {
    s.blocks.push_back({doc_block::kind::notice, "PRISMA counts: " + i.message});
    ctx.warnings.push_back(fmt::format("{}: {}", counts_from, i.message));
  }
  doc_table t;
  t.caption = "PRISMA 2020 flow counts";
  t.header = {"Box", "n", "Source"};
  t.right_align = {false, true, false};
  auto row = [&](const std::string& label, const std::optional<long>& v, review::prisma_box box) {
    if (!v) return;
    std::string source = "given";
    for (const auto& d : full.derived)
      if (d.box == box) source = "derived: " + d.explanation;
    t.rows.push_back({label, std::to_string(*v), source});
  };
  using box = review::prisma_box;
  row("Records identified from databases", full.database_results, box::database_results);
  row("Records identified from registers", full.register_results, box::register_results);
  row("Duplicate records removed", full.duplicates, box::duplicates);
  row("Records marked as ineligible by automation tools", full.excluded_automatic,
      box::excluded_automatic);
  row("Records removed for other reasons", full.excluded_other, box::excluded_other);
  row("Records screened", full.records_screened, box::records_screened);
  row("Records excluded", full.records_excluded, box::records_excluded);
  row("Reports sought for retrieval", full.dbr_sought_reports, box::dbr_sought_reports);
  row("Reports not retrieved", full.dbr_notretrieved_reports, box::dbr_notretrieved_reports);
  row("Reports assessed for eligibility", full.dbr_assessed, box::dbr_assessed);
  for (const auto& r : full.dbr_excluded)
    t.rows.push_back({"Reports excluded: " + r.name, std::to_string(r.n), "given"});
  row("Studies included in review", full.new_studies, box::new_studies);
  row("Reports of included studies", full.new_reports, box::new_reports);
  row("Total studies included in review", full.total_studies, box::total_studies);
  row("Studies included in meta-analysis", full.total_studies_ma, box::total_studies_ma);
  t.note = fmt::format("From {}; boxes marked derived follow from the others.", counts_from);
  s.blocks.push_back(ctx.table(std::move(t), "prisma"));
  ctx.results["prisma"] = {
      {"file", counts_from},
      {"records_identified",
       full.database_results ? nlohmann::json(*full.database_results) : nlohmann::json()},
      {"duplicates", full.duplicates ? nlohmann::json(*full.duplicates) : nlohmann::json()},
      {"records_screened",
       full.records_screened ? nlohmann::json(*full.records_screened) : nlohmann::json()},
      {"records_excluded",
       full.records_excluded ? nlohmann::json(*full.records_excluded) : nlohmann::json()},
      {"reports_assessed",
       full.dbr_assessed ? nlohmann::json(*full.dbr_assessed) : nlohmann::json()},
      {"reports_excluded", excluded_total},
      {"studies_included", full.new_studies ? nlohmann::json(*full.new_studies) : nlohmann::json()},
      {"studies_in_meta_analysis",
       full.total_studies_ma ? nlohmann::json(*full.total_studies_ma) : nlohmann::json()}};
  nlohmann::json iss = nlohmann::json::array();
  for (const auto& i : issues) iss.push_back(i.message);
  ctx.results["prisma"]["issues"] = std::move(iss);
  return std::optional<doc_section>(std::move(s));
}

// Quality: Newcastle-Ottawa scores when the main data carry them.
expected<std::optional<doc_section>> nos_section(run_context& ctx, const loaded_data& d) {
  if (!ctx.p.nos) return std::optional<doc_section>();
  review::nos_options o;
  o.high_from = ctx.p.nos_high;
  auto nos = review::nos_from_csv(d.csv, o);
  if (!nos) {
    if (nos.error().id == errc::nos_no_columns)
      return std::optional<doc_section>();  // no NOS columns
    return unexpected(nos.error());
  }
  doc_section s{"Risk of bias (Newcastle-Ottawa Scale)", "quality", 3, {}};
  const std::size_t high = nos->count(review::nos_class::high);
  const std::size_t known = nos->studies.size() - nos->count(review::nos_class::unknown);
  s.blocks.push_back({doc_block::kind::paragraph,
                      fmt::format("Study quality was scored with the Newcastle-Ottawa Scale {}: "
                                  "{} of {} scored studies reached {} stars or more (high "
                                  "quality).",
                                  ctx.refs.cite("nos"), high, known, ctx.p.nos_high)});
  doc_table t;
  t.caption = "Newcastle-Ottawa Scale";
  t.header = {"Study",         "Selection (0-4)", "Comparability (0-2)",
              "Outcome (0-3)", "Total (0-9)",     "Quality"};
  t.right_align = {false, true, true, true, true, false};
  auto v = [](const std::optional<int>& x) { return x ? std::to_string(*x) : std::string("–"); };
  nlohmann::json nj = nlohmann::json::array();
  for (const auto& st : nos->studies) {
    t.rows.push_back({st.study, v(st.score.selection), v(st.score.comparability),
                      v(st.score.outcome), v(st.score.total),
                      std::string(review::to_string(st.quality))});
    nj.push_back({{"study", st.study},
                  {"total", st.score.total ? nlohmann::json(*st.score.total) : nlohmann::json()},
                  {"quality", std::string(review::to_string(st.quality))}});
  }
  t.note = "–: not reported in the data.";
  s.blocks.push_back(ctx.table(std::move(t), "nos"));
  ctx.results["nos"] = std::move(nj);
  return std::optional<doc_section>(std::move(s));
}

// True when `rel` names a file inside the output folder: relative, every part 1 to 255 bytes of
// letters, digits, '.', '_' and '-', no part "." or "..". File names come from analysis ids
// (checked by the plan reader) and study names (made into slugs); this is the last guard that
// nothing a plan says can write outside -o (issue 15).
bool confined(const std::string& rel) {
  if (rel.empty() || rel.front() == '/') return false;
  std::size_t start = 0;
  while (start <= rel.size()) {
    std::size_t end = rel.find('/', start);
    if (end == std::string::npos) end = rel.size();
    const std::string_view part(rel.data() + start, end - start);
    if (part.empty() || part.size() > 255 || part == "." || part == "..") return false;
    for (char c : part)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
        return false;
    start = end + 1;
  }
  return true;
}

// The file that marks a folder as a report srma wrote (and lists its files).
constexpr const char* k_manifest = ".srma-report";

// Writes the whole report into a new hidden folder beside `dir` and swaps it in with one
// rename(2) (RENAME_EXCHANGE where the file system has it): a reader, a crash or SIGKILL at any
// moment sees the old report or the new one, never a mix, and files of the old report that the
// new one lacks are gone (issue 15, item 5). A lock file beside the folder keeps two runs from
// writing one report at once. A folder holding files srma did not write is refused unless
// `force`; then the report's files are written into it one by one and nothing else is touched.
expected<void> write_files(const std::string& dir_text,
                           const std::map<std::string, std::string>& files, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Every name is checked before anything is written: a bad one leaves no partial report.
  for (const auto& [rel, bytes] : files) {
    if (!confined(rel)) {
      return fail(errc::output_unwritable,
                  fmt::format("refusing to write '{}': a report file must stay inside the output "
                              "folder and use only letters, digits, '.', '_' and '-'",
                              printable(rel)),
                  {dir_text, 0, 0});
    }
  }
  fs::path dir = fs::path(dir_text).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();  // "report/"
  if (dir.empty() || dir == "." || dir == "..") dir = fs::absolute(dir, ec).lexically_normal();
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  const std::string name = dir.filename().string();
  auto unwritable = [&](const fs::path& where, const std::string& what) {
    return fail(errc::output_unwritable, what, {where.string(), 0, 0});
  };
  fs::create_directories(parent, ec);
  if (ec) return unwritable(parent, "cannot create the folder: " + ec.message());

  // One run at a time per report: the lock is held until this function returns.
  const fs::path lock_path = parent / ("." + name + ".srma-lock");
  const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (lock < 0) {
    return unwritable(lock_path,
                      "cannot create the lock file: " + std::generic_category().message(errno));
  }
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } lock_guard{lock};
  if (::flock(lock, LOCK_EX | LOCK_NB) != 0) {
    return fail(errc::output_busy,
                "another srma run is writing this report now; wait until it has finished",
                {dir.string(), 0, 0});
  }

  const bool existing = fs::exists(dir, ec);
  bool ours = false;
  if (existing) {
    if (!fs::is_directory(dir, ec)) return unwritable(dir, "this is a file, not a folder");
    ours = fs::exists(dir / k_manifest, ec);
    if (!ours && !fs::is_empty(dir, ec)) {
      if (!force) {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir, ec)) {
          names.push_back(e.path().filename().string());
          if (names.size() == 3) break;
        }
        std::sort(names.begin(), names.end());
        return fail(errc::output_not_ours,
                    fmt::format("the folder holds files srma did not write ({}{}); name a new or "
                                "empty folder, or add --force to write the report into it",
                                printable(fmt::format("{}", fmt::join(names, ", "))),
                                names.size() == 3 ? ", ..." : ""),
                    {dir.string(), 0, 0});
      }
    }
  }
  auto write_into = [&](const fs::path& root) -> expected<void> {
    for (const auto& [rel, bytes] : files) {
      const fs::path path = root / rel;
      fs::create_directories(path.parent_path(), ec);
      const fs::path tmp = path.string() + ".tmp";
      {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) {
          const int err = errno;
          return unwritable(dir / rel,
                            "cannot write the file: " + std::generic_category().message(err));
        }
      }
      fs::rename(tmp, path, ec);
      if (ec) return unwritable(dir / rel, "cannot write the file: " + ec.message());
    }
    return {};
  };
  if (existing && !ours && !fs::is_empty(dir, ec)) return write_into(dir);  // --force

  // Leftovers of runs that were killed before their swap (the lock says none is running).
  const std::string stale = "." + name + ".srma-new-";
  for (const auto& e : fs::directory_iterator(parent, ec))
    if (e.path().filename().string().rfind(stale, 0) == 0) fs::remove_all(e.path(), ec);
  const fs::path fresh = parent / (stale + std::to_string(::getpid()));
  fs::create_directories(fresh, ec);
  if (ec) return unwritable(fresh, "cannot create the folder: " + ec.message());
  std::string manifest = "srma report: every file srma wrote into this folder\n";
  for (const auto& [rel, bytes] : files) manifest += rel + "\n";
  auto written = write_into(fresh);
  if (written) {
    std::ofstream out(fresh / k_manifest, std::ios::binary | std::ios::trunc);
    out << manifest;
    if (!out) written = unwritable(dir / k_manifest, "cannot write the file");
  }
  if (!written) {
    fs::remove_all(fresh, ec);
    return written;
  }
  if (!existing) {
    fs::rename(fresh, dir, ec);
  } else if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
    // No exchange on this file system: the old report steps aside, then the new one comes in.
    const fs::path old = parent / ("." + name + ".srma-old-" + std::to_string(::getpid()));
    fs::rename(dir, old, ec);
    if (!ec) fs::rename(fresh, dir, ec);
    if (!ec) fs::remove_all(old, ec);
    ec.clear();
  }
  if (ec) {
    fs::remove_all(fresh, ec);
    return unwritable(dir, "cannot move the new report into place: " + ec.message());
  }
  fs::remove_all(fresh, ec);  // after an exchange: the old report
  return {};
}

}  // namespace
}  // namespace detail

std::string run_options::validate() const {
  if (output_dir.empty()) return "the output folder is empty; name a folder for the report";
  return {};
}

namespace {

// Every file a plan names must lie inside the plan's folder (after following links), unless the
// user allows otherwise: a plan is a document people send each other (issue 15, item 1).
expected<void> check_inputs_inside(const plan& p) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path base =
      fs::weakly_canonical(p.dir.empty() ? fs::current_path() : fs::path(p.dir), ec);
  if (ec) return {};  // the folder itself cannot be resolved: reading the files will say why
  auto inside = [&](const std::string& file, std::string_view key, int line) -> expected<void> {
    if (file.empty()) return {};
    std::error_code e2;
    const fs::path full = fs::weakly_canonical(p.resolve(file), e2);
    // A path that cannot be resolved (no permission to look) cannot be shown to be inside.
    const auto rel = e2 ? fs::path() : full.lexically_relative(base);
    if (!rel.empty() && *rel.begin() != ".." && !rel.is_absolute()) return {};
    return fail(errc::plan_file_outside,
                fmt::format("{} = \"{}\" lies outside the plan's folder; move the file next to "
                            "the plan, or run with --allow-outside if you trust this plan",
                            key, detail::printable(file)),
                {p.path, line, 0});
  };
  std::vector<std::tuple<const std::string*, std::string_view, int>> named = {
      {&p.data_file, "[data] file", 0},
      {&p.prisma_file, "[prisma] file", 0},
      {&p.project, "[review] project", 0}};
  for (const auto& a : p.analyses) named.emplace_back(&a.data, "[[analysis]] data", a.line);
  for (const auto& k : p.km)
    for (const auto& arm : k.arms) {
      named.emplace_back(&arm.points, "[[km.arm]] points", arm.line);
      named.emplace_back(&arm.at_risk, "[[km.arm]] at_risk", arm.line);
    }
  for (const auto& [file, key, line] : named)
    if (auto ok = inside(*file, key, line); !ok) return ok;
  return {};
}

}  // namespace

expected<run_summary> run_plan(const plan& p, const run_options& options) {
  using namespace detail;
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::output_unwritable, msg);
  if (!options.allow_outside) {
    if (auto inside = check_inputs_inside(p); !inside) return unexpected(inside.error());
  }
  run_context ctx(p, options);
  auto main = ctx.load(p.data_file);
  if (!main) return unexpected(main.error());
  const loaded_data& md = **main;

  document& doc = ctx.doc;
  doc.title = p.title.empty() ? "Meta-analysis report" : p.title;
  if (!p.authors.empty()) doc.front.push_back(p.authors);
  if (!p.question.empty()) doc.front.push_back(p.question);
  doc.front.push_back(fmt::format("Produced by srma {} from {}", version(),
                                  p.path.substr(p.path.find_last_of('/') + 1)));
  if (options.timestamp) {
    const std::time_t now = std::time(nullptr);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    doc.front.push_back(std::string("Generated ") + buf);
  }

  // Summary comes first in the document but is written last.
  doc.sections.push_back({"Summary", "summary", 2, {}});
  doc.sections.push_back(methods_section(
      ctx, md.studies ? md.studies->measure : p.reading.measure.value_or(effect_measure::generic),
      md.studies ? std::optional<input_kind>(md.studies->kind) : p.reading.kind));
  doc.sections.push_back({"Results", "results", 2, {}});

  auto prisma = prisma_section(ctx);
  if (!prisma) return unexpected(prisma.error());
  if (*prisma) doc.sections.push_back(std::move(**prisma));
  // Study characteristics.
  if (auto t = characteristics_table(ctx, md)) {
    doc_section s{"Included studies", "studies", 3, {}};
    s.blocks.push_back({doc_block::kind::paragraph,
                        fmt::format("{} studies are listed in {} (Table {}).", md.csv.rows.size(),
                                    md.name, ctx.table_count + 1)});
    s.blocks.push_back(ctx.table(std::move(*t), "studies"));
    doc.sections.push_back(std::move(s));
  }
  auto nos = nos_section(ctx, md);
  if (!nos) return unexpected(nos.error());
  if (*nos) doc.sections.push_back(std::move(**nos));
  auto km_s = km_section(ctx);
  if (!km_s) return unexpected(km_s.error());
  if (*km_s) doc.sections.push_back(std::move(**km_s));
  // Missing estimates: say which studies and how to enter them.
  if (!md.excluded.empty()) {
    doc_section s{"Studies without an estimate", "missing", 3, {}};
    doc_block items;
    items.k = doc_block::kind::items;
    for (const auto& e : md.excluded)
      items.items.push_back(fmt::format("{} ({} line {}): {}", e.study, md.name, e.line, e.reason));
    s.blocks.push_back(
        {doc_block::kind::notice,
         fmt::format("{} of {} studies have no estimate and are not analysed. {}",
                     md.excluded.size(), md.csv.rows.size(), how_to_enter(md.name))});
    s.blocks.push_back(std::move(items));
    doc.sections.push_back(std::move(s));
  }

  if (auto r = add_analysis_sections(ctx); !r) return unexpected(r.error());

  // Published results.
  run_summary summary;
  if (!p.checks.empty()) {
    doc_section s{"Comparison with the published results", "checks", 2, {}};
    doc_table t;
    t.caption = "Published and reproduced results";
    t.header = {"Analysis", "Model", "Published", "srma", "Agrees", "Source"};
    t.right_align = {false, false, true, true, false, false};
    nlohmann::json cj = nlohmann::json::array();
    for (const auto& c : p.checks) {
      auto o = evaluate_check(ctx, c);
      const std::string what = c.subgroup.empty() ? c.analysis : c.analysis + ": " + c.subgroup;
      t.rows.push_back({what, std::string(to_string(c.model)), o.published, o.reproduced,
                        o.passed ? "yes" : (o.reason.empty() ? "no" : "no (" + o.reason + ")"),
                        c.source});
      cj.push_back({{"analysis", c.analysis},
                    {"subgroup", c.subgroup},
                    {"model", to_string(c.model)},
                    {"published", o.published},
                    {"reproduced", o.reproduced},
                    {"passed", o.passed},
                    {"reason", o.reason},
                    {"source", c.source}});
      summary.checks.push_back(std::move(o));
    }
    t.note = "Values compared after rounding to the published number of decimals.";
    s.blocks.push_back(ctx.table(std::move(t), "checks"));
    doc.sections.push_back(std::move(s));
    ctx.results["checks"] = std::move(cj);
  }

  // Provenance.
  {
    doc_section s{"Reproducibility", "reproducibility", 2, {}};
    doc_block items;
    items.k = doc_block::kind::items;
    items.items.push_back(fmt::format("srma version {}", version()));
    items.items.push_back(fmt::format(
        "Plan {} (SHA-256 {})", p.path.substr(p.path.find_last_of('/') + 1), sha256_hex(p.text)));
    nlohmann::json dj = nlohmann::json::array();
    if (!ctx.prisma_sha256.empty()) {
      items.items.push_back(fmt::format("PRISMA counts {} (SHA-256 {})",
                                        ctx.p.prisma_file.empty()
                                            ? ctx.p.project + " (review project, counts as text)"
                                            : ctx.p.prisma_file,
                                        ctx.prisma_sha256));
    }
    for (const auto& [path, d] : ctx.data) {
      items.items.push_back(fmt::format("Data {} (SHA-256 {})", d.name, d.sha256));
      dj.push_back({{"file", d.name},
                    {"sha256", d.sha256},
                    {"rows", d.csv.rows.size()},
                    {"studies_analysed", d.studies ? d.studies->k() : 0}});
    }
    s.blocks.push_back({doc_block::kind::paragraph,
                        "Running the same plan on the same data with the same srma version "
                        "gives byte-identical files."});
    s.blocks.push_back(std::move(items));
    doc.sections.push_back(std::move(s));
    ctx.results["srma_version"] = std::string(version());
    ctx.results["plan"] = {{"file", p.path.substr(p.path.find_last_of('/') + 1)},
                           {"sha256", sha256_hex(p.text)}};
    ctx.results["data"] = std::move(dj);
  }
  doc.sections.push_back(references_section(ctx));

  // Summary, now that everything is known.
  {
    auto& s = doc.sections.front();
    if (!ctx.headline.empty()) {
      s.blocks.push_back({doc_block::kind::paragraph, "Main result: " + ctx.headline + "."});
    }
    std::size_t ran = 0;
    for (const auto& o : ctx.outcomes) ran += o.ran ? 1 : 0;
    s.blocks.push_back({doc_block::kind::paragraph,
                        fmt::format("{} of {} planned analyses ran.", ran, ctx.outcomes.size())});
    if (!summary.checks.empty()) {
      std::size_t passed = 0, compared = 0;
      for (const auto& c : summary.checks) {
        passed += c.passed ? 1 : 0;
        compared += c.published.empty() ? 0 : 1;
      }
      s.blocks.push_back({doc_block::kind::paragraph,
                          compared == 0
                              ? fmt::format("None of the {} published results could be compared "
                                            "yet: the analyses they belong to did not run.",
                                            summary.checks.size())
                              : fmt::format("{} of {} published results are reproduced at their "
                                            "published precision{} (see the comparison below).",
                                            passed, summary.checks.size(),
                                            compared < summary.checks.size()
                                                ? fmt::format("; {} could not be compared",
                                                              summary.checks.size() - compared)
                                                : "")});
    }
    if (!md.excluded.empty()) {
      s.blocks.push_back(
          {doc_block::kind::notice,
           fmt::format("{} of {} studies in {} have no estimate yet; see "
                       "\"Studies without an estimate\". {}",
                       md.excluded.size(), md.csv.rows.size(), md.name, how_to_enter(md.name))});
    }
  }

  ctx.results["title"] = doc.title;
  ctx.results["headline"] = ctx.headline;
  ctx.results["analyses"] = ctx.analyses_json;
  ctx.results["warnings"] = ctx.warnings;
  ctx.files["results.json"] = ctx.results.dump(2) + "\n";
  ctx.files["report.html"] = render_html(doc);
  ctx.files["report.md"] = render_markdown(doc);
  if (auto w = write_files(options.output_dir, ctx.files, options.force); !w)
    return unexpected(w.error());

  namespace fs = std::filesystem;
  summary.html_path = (fs::path(options.output_dir) / "report.html").string();
  summary.markdown_path = (fs::path(options.output_dir) / "report.md").string();
  summary.json_path = (fs::path(options.output_dir) / "results.json").string();
  summary.headline = ctx.headline;
  summary.warnings = ctx.warnings;
  summary.analyses = ctx.outcomes;
  for (const auto& [f, _] : ctx.files) summary.files.push_back(f);
  return summary;
}

}  // namespace srma
