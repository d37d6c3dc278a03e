// srma review: the review project (include/srma/project/).
//
//   init DIR                       create a project
//   import FILE... --source NAME   import records (format detected and stated; --kind database,
//                                  register, website, organisation or citation)
//   dedup [--json]                 de-duplicate; --review / --verdicts FILE to settle pairs
//   screen export|import|conflicts screening sheets per reviewer and stage
//   adjudicate FILE                a third person's votes on conflicts
//   previous --studies N --reports M   the previous version's counts (--undo withdraws them)
//   agreement, status, prisma, check
//   reviewer add NAME [--adjudicator]   an account for `srma serve` and a one-time sign-in link
//
// Parsing, printing and files only: every count comes from srma::project. A command reads and
// checks all its input before the project changes, and each change is one transaction.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "srma/io/csv.hpp"
#include "srma/io/file.hpp"
#include "srma/plot/nos_plot.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/prisma.hpp"
#include "srma/project/dedup.hpp"
#include "srma/project/extraction.hpp"
#include "srma/project/prisma.hpp"
#include "srma/project/project.hpp"
#include "srma/project/quality.hpp"
#include "srma/project/records.hpp"
#include "srma/project/reviewers.hpp"
#include "srma/project/screening.hpp"
#include "srma/project/tables.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"
#include "srma/web/tokens.hpp"

namespace srma::cli {
namespace {

namespace pj = srma::project;
using nlohmann::json;

struct review_args {
  std::string project = ".";
  // init
  std::string dir;
  std::string title;
  std::vector<std::string> reasons;
  int screeners = 2;
  // import
  std::vector<std::string> files;
  std::string source;
  std::string format;
  std::string kind;
  bool is_register = false;
  // previous
  long studies = -1;
  long reports = -1;
  bool undo = false;
  std::string note;
  // dedup
  bool json_out = false;
  bool review = false;
  std::string verdicts;
  std::string notices = "separate";
  // screening
  std::string stage;  // "" = title for export/conflicts; the sheet's own stage for imports
  std::string reviewer;
  std::string output;
  std::string html;
  std::string file;
  double level = 95;
  double dpi = 150;
  // extraction, quality, tables
  bool consensus = false;
  std::vector<std::string> fields;
  int high_from = 6;
  std::optional<int> moderate_from;
  std::string figure;
};

error usage_error(std::string message) {
  return error{errc::cli_bad_value, std::move(message), {}, {}};
}

expected<pj::stage> stage_of(const std::string& text) {
  auto s = pj::parse_stage(text.empty() ? std::string("title") : text);
  if (!s) {
    return unexpected(
        usage_error(fmt::format("--stage is '{}', but must be title or fulltext", text)));
  }
  return *s;
}

std::string stage_words(pj::stage s) {
  return s == pj::stage::title ? "title/abstract" : "full text";
}

// ---- init, import -------------------------------------------------------------------------------

int run_init(const review_args& a) {
  pj::init_options o;
  o.title = a.title;
  o.reasons = a.reasons;
  o.screeners = a.screeners;
  auto p = pj::review_project::init(a.dir, o);
  if (!p) return report_error(p.error());
  fmt::print("Created a review project in {} ({} screeners per record; {} exclusion reasons)\n",
             a.dir, p->settings().screeners, p->settings().reasons.size());
  return exit_code::ok;
}

int run_import(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  pj::import_options o;
  o.source = a.source;
  o.kind = a.is_register ? pj::source_kind::trial_register : pj::source_kind::database;
  if (!a.kind.empty()) {
    auto k = pj::parse_source_kind(a.kind);
    if (!k) {
      return report_error(usage_error(fmt::format(
          "--kind is '{}', but must be database, register, website, organisation or citation",
          a.kind)));
    }
    if (a.is_register && *k != pj::source_kind::trial_register) {
      return report_error(
          usage_error(fmt::format("--register contradicts --kind {}: give one of them", a.kind)));
    }
    o.kind = *k;
  }
  if (!a.format.empty()) {
    auto f = parse_record_format(a.format);
    if (!f) {
      return report_error(usage_error(fmt::format(
          "--format is '{}', but must be ris, medline, pubmed_xml, endnote_xml or csv", a.format)));
    }
    o.format = f;
  }
  for (const auto& file : a.files) {
    auto b = pj::import_records(*p, file, o);
    if (!b) return report_error(b.error());
    fmt::print("Imported {} records from {} as batch {} (source {}, {})\n", b->records, file, b->id,
               b->source, to_string(b->kind));
    fmt::print("  format: {} ({})\n  encoding: {}\n", to_string(b->format), b->format_evidence,
               b->encoding);
    for (const auto& w : b->warnings) fmt::print(stderr, "srma: warning: {}: {}\n", file, w);
  }
  return exit_code::ok;
}

// ---- dedup --------------------------------------------------------------------------------------

std::string short_record(const pj::stored_record& r) {
  const auto& b = r.record;
  std::string who = b.authors.empty() ? "(no authors)" : b.authors.front();
  if (b.authors.size() > 1) who += " et al.";
  return fmt::format("[{}] {} ({}) {}. {} {}{}{}", r.id, who, b.year.empty() ? "n.d." : b.year,
                     b.title, b.journal, b.volume, b.pages.empty() ? "" : ":", b.pages);
}

json dedup_json(const pj::project_dedup& d, const std::vector<pj::stored_record>& records) {
  auto label = [&](std::int64_t id) {
    return records[static_cast<std::size_t>(id - records.front().id)].label();
  };
  json groups = json::array();
  json group_records = json::array();  // the project's record numbers, kept record first
  for (const auto& g : d.groups) {
    json ids = json::array();
    for (const auto id : g) ids.push_back(label(id));
    groups.push_back(ids);
    group_records.push_back(g);
  }
  json uncertain = json::array();
  for (const auto& u : d.pending()) uncertain.push_back({label(u.a), label(u.b), u.score});
  json by_source = json::array();
  for (const auto& s : d.removed_by_source) {
    by_source.push_back({{"kept", s.kept}, {"removed", s.removed}, {"count", s.count}});
  }
  return json{{"groups", groups},       {"group_records", group_records},
              {"uncertain", uncertain}, {"records", d.records},
              {"removed", d.removed},   {"removed_by_source", by_source}};
}

void print_dedup(const pj::project_dedup& d) {
  fmt::print("De-duplication run {} ({}): {} records compared, {} candidate pairs\n", d.run, d.at,
             d.run_records, d.stats.candidate_pairs);
  fmt::print("  {} groups of duplicates, {} records removed, {} kept for screening\n",
             d.groups.size(), d.removed, d.records - d.removed);
  for (const auto& s : d.removed_by_source) {
    fmt::print("  removed {} {} record{} duplicating {} records\n", s.count, s.removed,
               s.count == 1 ? "" : "s", s.kept);
  }
  const auto pending = d.pending();
  if (!pending.empty()) {
    fmt::print("  {} uncertain pairs await a person: srma review dedup --review --reviewer NAME\n",
               pending.size());
  }
}

// Asks about each pending pair on the terminal (or reads answers from standard input). Each
// verdict is recorded as soon as it is given (one transaction each), so an interrupted session
// loses nothing already answered; an answer that is not y, n, s or q is asked again.
int review_pairs(pj::review_project& p, const std::string& reviewer) {
  auto d = pj::current_dedup(p);
  if (!d) return report_error(d.error());
  auto pending = d->pending();
  if (pending.empty()) {
    fmt::print("No uncertain pairs await a verdict.\n");
    return exit_code::ok;
  }
  std::size_t i = 0;
  std::size_t recorded = 0;
  std::int64_t removed = -1;
  bool quit = false;
  for (const auto& u : pending) {
    if (quit) break;
    auto recs = pj::load_records(p, {u.a, u.b});
    if (!recs) return report_error(recs.error());
    fmt::print("\nPair {} of {} (score {:.3f}, {}):\n  {}\n  {}\n", ++i, pending.size(), u.score,
               to_string(u.reason), short_record((*recs)[0]), short_record((*recs)[1]));
    for (;;) {
      fmt::print("Same article? [y]es / [n]o / [s]kip / [q]uit: ");
      std::fflush(stdout);
      std::string line;
      if (!std::getline(std::cin, line)) {
        quit = true;
        break;
      }
      const auto answer = detail::to_lower(detail::trim(line));
      if (answer == "q" || answer == "quit") {
        quit = true;
        break;
      }
      if (answer.empty() || answer == "s" || answer == "skip") break;
      if (answer != "y" && answer != "yes" && answer != "n" && answer != "no") {
        fmt::print("'{}' is not an answer: type y, n, s or q.\n", detail::printable(line));
        continue;
      }
      const auto verdict =
          answer[0] == 'y' ? pj::pair_verdict::duplicate : pj::pair_verdict::distinct;
      auto after = pj::record_pair_verdicts(p, {{u.a, u.b, verdict}}, reviewer);
      if (!after) return report_error(after.error());
      ++recorded;
      removed = after->removed;
      break;
    }
  }
  fmt::print("\n");
  if (recorded == 0) {
    fmt::print("No verdicts recorded.\n");
    return exit_code::ok;
  }
  fmt::print("Recorded {} verdicts by {}; {} records removed as duplicates now.\n", recorded,
             reviewer, removed);
  return exit_code::ok;
}

// A CSV of verdicts: columns a, b (project ids), verdict (duplicate|distinct).
int import_verdicts(pj::review_project& p, const std::string& file, const std::string& reviewer) {
  auto csv = read_csv(file);
  if (!csv) return report_error(csv.error());
  const int ca = csv->find_column("a");
  const int cb = csv->find_column("b");
  const int cv = csv->find_column("verdict");
  if (ca < 0 || cb < 0 || cv < 0) {
    return report_error({errc::project_bad_sheet,
                         "a verdict file needs the columns a, b, verdict",
                         {file, csv->header_line, 0},
                         {}});
  }
  std::vector<pj::pair_verdict_input> verdicts;
  for (std::size_t i = 0; i < csv->rows.size(); ++i) {
    const auto& f = csv->rows[i].fields;
    pj::pair_verdict_input v;
    for (const auto& [col, dst] : {std::pair{ca, &v.a}, std::pair{cb, &v.b}}) {
      const auto& text = f[static_cast<std::size_t>(col)];
      std::size_t used = 0;
      try {
        *dst = std::stoll(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size()) {
        return report_error({errc::project_bad_sheet,
                             fmt::format("'{}' is not a record number", text),
                             csv->where(i, static_cast<std::size_t>(col)),
                             {}});
      }
    }
    auto verdict = pj::parse_pair_verdict(f[static_cast<std::size_t>(cv)]);
    if (!verdict) {
      return report_error({errc::project_bad_sheet,
                           fmt::format("verdict is '{}', but must be duplicate or distinct",
                                       f[static_cast<std::size_t>(cv)]),
                           csv->where(i, static_cast<std::size_t>(cv)),
                           {}});
    }
    v.verdict = *verdict;
    verdicts.push_back(v);
  }
  auto after = pj::record_pair_verdicts(p, verdicts, reviewer);
  if (!after) return report_error(after.error());
  fmt::print("Recorded {} verdicts by {}; {} records removed as duplicates now.\n", verdicts.size(),
             reviewer, after->removed);
  return exit_code::ok;
}

int run_dedup(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  if (a.review || !a.verdicts.empty()) {
    if (a.reviewer.empty()) {
      return report_error(usage_error("name who gives the verdicts with --reviewer NAME"));
    }
    return a.review ? review_pairs(*p, a.reviewer) : import_verdicts(*p, a.verdicts, a.reviewer);
  }
  dedup_options options;
  options.notices =
      a.notices == "with-article" ? notice_policy::with_article : notice_policy::separate;
  auto d = pj::run_dedup(*p, options);
  if (!d) return report_error(d.error());
  if (a.json_out) {
    auto records = pj::load_records(*p);
    if (!records) return report_error(records.error());
    fmt::print("{}\n", records->empty()
                           ? json{{"groups", json::array()}, {"uncertain", json::array()}}.dump(2)
                           : dedup_json(*d, *records).dump(2));
  } else {
    print_dedup(*d);
  }
  return exit_code::ok;
}

// ---- screening ----------------------------------------------------------------------------------

std::string sheet_html(const std::vector<pj::screening_item>& items, pj::stage s,
                       const std::string& reviewer, const std::vector<std::string>& reasons) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Screening sheet: "
      "{0}, {1}</title>\n<style>body{{font-family:'DejaVu Sans',sans-serif;font-size:10pt;margin:"
      "1.5em}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:"
      "4px;vertical-align:top}}th{{background:#eee}}.abs{{font-size:9pt;color:#333}}"
      ".box{{white-space:nowrap}}@media print{{tr{{page-break-inside:avoid}}}}</style></head>"
      "<body>\n<h1>Screening sheet: {0}</h1>\n<p>Reviewer: <b>{1}</b>. {2} records. Mark one box "
      "per record, then enter the decisions in the CSV sheet (column decision){3}.</p>\n<table>"
      "<thead><tr><th>Record</th><th>Reference</th><th>Decision</th></tr></thead><tbody>\n",
      srma::detail::escape_xml(stage_words(s)), srma::detail::escape_xml(reviewer), items.size(),
      s == pj::stage::fulltext ? srma::detail::escape_xml(fmt::format("; reasons for exclusion: {}",
                                                                      fmt::join(reasons, "; ")))
                               : "");
  const std::string boxes = s == pj::stage::title
                                ? "&#9744; include<br>&#9744; exclude<br>&#9744; maybe"
                                : "&#9744; include<br>&#9744; exclude: ________<br>&#9744; "
                                  "unavailable";
  for (const auto& it : items) {
    out += fmt::format(
        "<tr><td>#{}<br><small>{}</small></td><td><b>{}</b><br>{} ({}). <i>{}</i>{}{}<div "
        "class=\"abs\">{}</div></td><td class=\"box\">{}</td></tr>\n",
        it.record, srma::detail::escape_xml(it.label), srma::detail::escape_xml(it.title),
        srma::detail::escape_xml(it.authors), srma::detail::escape_xml(it.year),
        srma::detail::escape_xml(it.journal),
        it.doi.empty() ? "" : " doi:" + srma::detail::escape_xml(it.doi),
        it.pmid.empty() ? "" : " PMID " + srma::detail::escape_xml(it.pmid),
        srma::detail::escape_xml(it.abstract), boxes);
  }
  out += "</tbody></table>\n</body></html>\n";
  return out;
}

int run_screen_export(const review_args& a) {
  auto s = stage_of(a.stage);
  if (!s) return report_error(s.error());
  if (a.reviewer.empty())
    return report_error(usage_error("name the reviewer with --reviewer NAME"));
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto items = pj::screening_queue(*p, *s, a.reviewer);
  if (!items) return report_error(items.error());
  csv_table t;
  t.header = {"record_id", "stage", "label",    "title",    "authors", "year", "journal",
              "doi",       "pmid",  "abstract", "decision", "reason",  "note"};
  for (const auto& it : *items) {
    t.rows.push_back({{std::to_string(it.record), std::string(to_string(*s)), it.label, it.title,
                       it.authors, it.year, it.journal, it.doi, it.pmid, it.abstract, "", "", ""},
                      0});
  }
  // Write both files only when both can be made.
  const std::string text = format_csv(t);
  const std::string html =
      a.html.empty() ? std::string() : sheet_html(*items, *s, a.reviewer, p->settings().reasons);
  if (auto ok = write_file_atomic(a.output, text); !ok) return report_error(ok.error());
  if (!a.html.empty()) {
    if (auto ok = write_file_atomic(a.html, html); !ok) return report_error(ok.error());
  }
  fmt::print("Wrote {} records for {} to screen at {} to {}{}\n", items->size(), a.reviewer,
             stage_words(*s), a.output, a.html.empty() ? "" : " and " + a.html);
  return exit_code::ok;
}

int import_votes(const review_args& a, pj::role r) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  if (a.reviewer.empty())
    return report_error(usage_error("name the reviewer with --reviewer NAME"));
  auto csv = read_csv(a.file);
  if (!csv) return report_error(csv.error());
  auto sheet = pj::read_decision_sheet(*csv);
  if (!sheet) return report_error(sheet.error());
  pj::stage s = pj::stage::title;
  if (!a.stage.empty()) {
    auto given = stage_of(a.stage);
    if (!given) return report_error(given.error());
    if (sheet->sheet_stage && *sheet->sheet_stage != *given) {
      return report_error({errc::project_bad_sheet,
                           fmt::format("the sheet is for the {} stage, but --stage says {}",
                                       to_string(*sheet->sheet_stage), to_string(*given)),
                           {a.file, 0, 0},
                           {}});
    }
    s = *given;
  } else if (sheet->sheet_stage) {
    s = *sheet->sheet_stage;
  } else {
    return report_error(usage_error(
        fmt::format("{} has no stage column: say which stage it is with --stage", a.file)));
  }
  auto summary = pj::record_votes(*p, s, sheet->votes, a.reviewer, r, a.file);
  if (!summary) return report_error(summary.error());
  fmt::print(
      "Recorded {} {} votes by {} at {}: {} include, {} exclude, {} maybe, {} unavailable, "
      "{} undo",
      summary->recorded, to_string(r), a.reviewer, stage_words(s), summary->include,
      summary->exclude, summary->maybe, summary->unavailable, summary->undo);
  if (summary->unchanged > 0) fmt::print("; {} unchanged", summary->unchanged);
  if (sheet->blank > 0) fmt::print("; {} rows left blank", sheet->blank);
  fmt::print("\n");
  return exit_code::ok;
}

int run_conflicts(const review_args& a) {
  auto s = stage_of(a.stage);
  if (!s) return report_error(s.error());
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto outcomes = pj::stage_outcomes(*p, *s);
  if (!outcomes) return report_error(outcomes.error());
  std::vector<std::int64_t> ids;
  for (const auto& o : *outcomes) {
    if (o.result == pj::outcome::conflict) ids.push_back(o.record);
  }
  auto recs = pj::load_records(*p, ids);
  if (!recs) return report_error(recs.error());
  csv_table t;
  t.header = {"record_id", "stage", "label", "title", "votes", "decision", "reason", "note"};
  std::size_t k = 0;
  for (const auto& o : *outcomes) {
    if (o.result != pj::outcome::conflict) continue;
    std::string votes;
    for (const auto& v : o.votes) {
      if (!votes.empty()) votes += "; ";
      votes += fmt::format("{}: {}{}", v.reviewer, to_string(v.v),
                           v.reason.empty() ? "" : " (" + v.reason + ")");
    }
    const auto& r = (*recs)[k++];
    t.rows.push_back({{std::to_string(o.record), std::string(to_string(*s)), r.label(),
                       r.record.title, votes, "", "", ""},
                      0});
  }
  if (!a.output.empty()) {
    if (auto ok = write_file_atomic(a.output, format_csv(t)); !ok) return report_error(ok.error());
    fmt::print("Wrote {} conflicts at {} to {}\n", t.rows.size(), stage_words(*s), a.output);
  } else {
    fmt::print("{} conflicts at {}\n", t.rows.size(), stage_words(*s));
    for (const auto& row : t.rows) {
      fmt::print("  #{} {}: {}\n", row.fields[0], row.fields[3], row.fields[4]);
    }
  }
  return exit_code::ok;
}

// ---- agreement, status, prisma, check -----------------------------------------------------------

int run_agreement(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  json out = json::array();
  for (const auto s : {pj::stage::title, pj::stage::fulltext}) {
    auto pairs = pj::screening_agreement(*p, s, a.level / 100);
    if (!pairs) return report_error(pairs.error());
    if (!a.json_out) fmt::print("Agreement at {} (maybe counts as include):\n", stage_words(s));
    for (const auto& pa : *pairs) {
      if (!pa.stats) {
        if (!a.json_out)
          fmt::print("  {} and {}: no record screened by both\n", pa.first, pa.second);
        continue;
      }
      const auto& st = *pa.stats;
      if (a.json_out) {
        json k = st.kappa ? json(*st.kappa) : json(nullptr);
        out.push_back({{"stage", to_string(s)},
                       {"first", pa.first},
                       {"second", pa.second},
                       {"table", {st.table.a, st.table.b, st.table.c, st.table.d}},
                       {"n", st.n},
                       {"percent_agreement", st.observed},
                       {"expected_agreement", st.expected},
                       {"kappa", k},
                       {"kappa_se", st.kappa_se ? json(*st.kappa_se) : json(nullptr)},
                       {"kappa_lower", st.kappa_lower ? json(*st.kappa_lower) : json(nullptr)},
                       {"kappa_upper", st.kappa_upper ? json(*st.kappa_upper) : json(nullptr)},
                       {"pabak", st.pabak},
                       {"strength", st.strength}});
        continue;
      }
      fmt::print(
          "  {} and {}: {} records (both include {}, {} only {}, {} only {}, both exclude {})\n",
          pa.first, pa.second, st.n, st.table.a, pa.first, st.table.b, pa.second, st.table.c,
          st.table.d);
      fmt::print("    agreement {:.1f}% (chance {:.1f}%), ", 100 * st.observed, 100 * st.expected);
      if (st.kappa) {
        fmt::print("Cohen's kappa {:.3f}", *st.kappa);
        if (st.kappa_lower && st.kappa_upper) {
          fmt::print(" ({:g}% CI {:.3f} to {:.3f})", a.level, *st.kappa_lower, *st.kappa_upper);
        }
        fmt::print(", {}", st.strength);
      } else {
        fmt::print("kappa undefined (chance agreement is 100%)");
      }
      fmt::print("; PABAK {:.3f}\n", st.pabak);
    }
  }
  if (a.json_out) fmt::print("{}\n", out.dump(2));
  return exit_code::ok;
}

int run_status(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto batches = pj::list_batches(*p);
  if (!batches) return report_error(batches.error());
  fmt::print("Review project {}{}\n", p->dir().string(),
             p->settings().title.empty() ? "" : ": " + p->settings().title);
  for (const auto& b : *batches) {
    fmt::print("  batch {}: {} records from {} ({}, {}{})\n", b.id, b.records, b.file, b.source,
               to_string(b.format),
               b.kind == pj::source_kind::database ? "" : fmt::format(", {}", to_string(b.kind)));
  }
  auto d = pj::current_dedup(*p);
  if (!d) return report_error(d.error());
  if (d->run == 0) {
    fmt::print("  not de-duplicated yet\n");
    return exit_code::ok;
  }
  fmt::print("  de-duplication: {} removed, {} pairs await a verdict{}\n", d->removed,
             d->pending().size(), d->covers_all ? "" : " (records imported since: run it again)");
  if (!d->covers_all) return exit_code::ok;
  for (const auto s : {pj::stage::title, pj::stage::fulltext}) {
    auto o = pj::stage_outcomes(*p, s);
    if (!o) return report_error(o.error());
    const auto st = pj::summarise(s, *o);
    fmt::print(
        "  {}: {} records; {} included, {} excluded, {} unavailable, {} in conflict, {} "
        "awaiting a second reviewer, {} unscreened\n",
        stage_words(s), st.records, st.include, st.exclude, st.unavailable, st.conflict, st.pending,
        st.unscreened);
  }
  return exit_code::ok;
}

json prisma_json(const pj::project_prisma& flow) {
  const auto& c = flow.counts;
  json out = json::object();
  for (const auto b : review::all_prisma_boxes()) {
    const std::string id(review::prisma_box_id(b));
    if (review::is_prisma_list(b)) {
      json list = json::array();
      for (const auto& e : c.list(b)) list.push_back({{"name", e.name}, {"n", e.n}});
      out[id] = list;
    } else if (auto n = c.count(b)) {
      out[id] = *n;
    } else {
      out[id] = nullptr;
    }
  }
  out["open"] = flow.open;
  // Not PRISMA2020 fields: what de-duplication took from the other-methods column, which the
  // diagram has no box for (srma/project/prisma.hpp).
  out["other_not_sought"] = {{"in_database_flow", flow.other_in_database_flow},
                             {"duplicates", flow.other_duplicates}};
  return out;
}

int run_review_prisma(const review_args& a) {
  if (!a.output.empty()) {
    if (auto f = plot::format_from_path(a.output); !f) return report_error(f.error());
  }
  if (a.output.empty() && !a.json_out) {
    return report_error(usage_error("give -o FILE (.svg, .pdf, .png) and/or --json"));
  }
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto flow = pj::derive_prisma(*p);
  if (!flow) return report_error(flow.error());
  if (!a.output.empty()) {
    plot::prisma_options o;
    o.title = a.title;
    o.complete = false;  // every box is derived from the project
    auto figure = plot::draw_prisma(flow->counts, o);
    if (!figure) return report_error(figure.error());
    if (auto ok = plot::save(*figure, a.output, plot::render_options{.dpi = a.dpi}); !ok) {
      return report_error(ok.error());
    }
  }
  if (a.json_out) {
    fmt::print("{}\n", prisma_json(*flow).dump(2));
  } else {
    const auto& c = flow->counts;
    fmt::print("PRISMA 2020 counts from {}\n", p->database_path().string());
    for (const auto b : review::all_prisma_boxes()) {
      if (review::is_prisma_list(b)) {
        for (const auto& e : c.list(b)) {
          fmt::print("  {:<26} {:>6}  {}\n", review::prisma_box_id(b), e.n, e.name);
        }
      } else if (auto n = c.count(b)) {
        fmt::print("  {:<26} {:>6}\n", review::prisma_box_id(b), *n);
      }
    }
    if (flow->other_in_database_flow > 0 || flow->other_duplicates > 0) {
      fmt::print(
          "  records from other methods not sought again: {} already found in databases or "
          "registers, {} duplicating other records from other methods\n",
          flow->other_in_database_flow, flow->other_duplicates);
    }
  }
  for (const auto& o : flow->open) fmt::print(stderr, "srma: warning: {}\n", o);
  if (flow->complete()) {
    for (const auto& issue : review::check(flow->counts)) {
      fmt::print(stderr, "srma: warning: {}\n", issue.message);
    }
  }
  return exit_code::ok;
}

int run_check(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto r = pj::check(*p);
  if (!r) return report_error(r.error());
  fmt::print("Project {} (schema {}): {} records in {} batches, {} decisions\n", p->dir().string(),
             r->schema, r->records, r->batches, r->decisions);
  fmt::print("  SQLite integrity check: {}\n", r->integrity);
  for (const auto& problem : r->problems) fmt::print("  problem: {}\n", problem);
  if (!r->ok()) {
    return report_error({errc::project_corrupt,
                         fmt::format("the project fails {} check{}",
                                     r->problems.size() + (r->integrity == "ok" ? 0 : 1),
                                     r->problems.size() == 1 ? "" : "s"),
                         {p->database_path().string(), 0, 0},
                         {}});
  }
  fmt::print("  all invariants hold\n");
  return exit_code::ok;
}

int run_previous(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  const bool setting = a.studies >= 0 || a.reports >= 0;
  if (a.undo && setting) {
    return report_error(
        usage_error("--undo withdraws the counts: give it without --studies and "
                    "--reports"));
  }
  if (setting && (a.studies < 0 || a.reports < 0)) {
    return report_error(usage_error("give both --studies and --reports"));
  }
  if (a.undo) {
    if (auto ok = pj::withdraw_previous_review(*p, a.note); !ok) return report_error(ok.error());
    fmt::print("Withdrew the previous version's counts: the diagram is a new review's again\n");
    return exit_code::ok;
  }
  if (setting) {
    if (auto ok = pj::record_previous_review(*p, {a.studies, a.reports, a.note}); !ok) {
      return report_error(ok.error());
    }
  }
  auto current = pj::current_previous_review(*p);
  if (!current) return report_error(current.error());
  if (!*current) {
    fmt::print("No previous version of the review is recorded\n");
  } else {
    const auto& v = **current;
    fmt::print("{} version of the review: {} studies in {} reports{}\n",
               setting ? "Recorded the previous" : "Previous", v.studies, v.reports,
               v.note.empty() ? "" : " (" + v.note + ")");
  }
  return exit_code::ok;
}

int run_reasons(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  if (!a.reasons.empty()) {
    if (auto ok = p->add_reasons(a.reasons); !ok) return report_error(ok.error());
  }
  fmt::print("Full-text exclusion reasons:\n");
  for (const auto& r : p->settings().reasons) fmt::print("  {}\n", r);
  return exit_code::ok;
}

// ---- extraction, quality, tables ----------------------------------------------------------------

int run_form(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  std::vector<pj::form_field> add;
  for (const auto& f : a.fields) {
    const auto colon = f.find(':');
    add.push_back(colon == std::string::npos
                      ? pj::form_field{f, f}
                      : pj::form_field{f.substr(0, colon), f.substr(colon + 1)});
  }
  auto form = add.empty() ? pj::extraction_form(*p) : pj::add_form_fields(*p, add);
  if (!form) return report_error(form.error());
  fmt::print("Extraction form ({} fields):\n", form->size());
  for (const auto& f : *form) fmt::print("  {:<16} {}\n", f.name, f.label);
  return exit_code::ok;
}

int run_extract_export(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto state = pj::extraction_state(*p);
  if (!state) return report_error(state.error());
  const auto sheet = pj::extraction_sheet(*state, a.reviewer);
  if (auto ok = write_file_atomic(a.output, format_csv(sheet)); !ok)
    return report_error(ok.error());
  fmt::print("Wrote the extraction sheet of {} for {} studies to {}\n", a.reviewer,
             sheet.rows.size(), a.output);
  return exit_code::ok;
}

int run_extract_import(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto form = pj::extraction_form(*p);
  if (!form) return report_error(form.error());
  auto csv = read_csv(a.file);
  if (!csv) return report_error(csv.error());
  auto entries = pj::read_extraction_sheet(*csv, *form);
  if (!entries) return report_error(entries.error());
  auto n = pj::record_extraction(*p, *entries, a.reviewer, a.consensus, a.file);
  if (!n) return report_error(n.error());
  fmt::print("Recorded {} values by {}{}\n", *n, a.reviewer, a.consensus ? " (consensus)" : "");
  auto state = pj::extraction_state(*p);
  if (!state) return report_error(state.error());
  const auto d = state->discrepancies();
  if (!d.empty()) fmt::print("{} discrepancies: srma review extract discrepancies\n", d.size());
  return exit_code::ok;
}

int run_extract_discrepancies(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto state = pj::extraction_state(*p);
  if (!state) return report_error(state.error());
  const auto d = state->discrepancies();
  fmt::print("{} extraction discrepancies\n", d.size());
  for (const auto& x : d) {
    std::string values;
    for (const auto& [who, v] : x.values)
      values += fmt::format("{}{}: '{}'", values.empty() ? "" : "; ", who, v);
    fmt::print("  #{} {} / {}: {}\n", x.record, x.study, x.field, values);
  }
  return exit_code::ok;
}

review::nos_options nos_options_of(const review_args& a) {
  review::nos_options o;
  o.high_from = a.high_from;
  o.moderate_from = a.moderate_from;
  return o;
}

int run_nos_export(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto q = pj::quality_state(*p, nos_options_of(a));
  if (!q) return report_error(q.error());
  const auto sheet = pj::quality_sheet(*q, a.reviewer);
  if (auto ok = write_file_atomic(a.output, format_csv(sheet)); !ok)
    return report_error(ok.error());
  fmt::print("Wrote the NOS sheet of {} for {} studies to {}\n", a.reviewer, sheet.rows.size(),
             a.output);
  return exit_code::ok;
}

int run_nos_import(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto csv = read_csv(a.file);
  if (!csv) return report_error(csv.error());
  auto n = pj::record_quality(*p, *csv, a.reviewer, a.consensus);
  if (!n) return report_error(n.error());
  fmt::print("Recorded {} NOS answers by {}{}\n", *n, a.reviewer,
             a.consensus ? " (consensus)" : "");
  return exit_code::ok;
}

int run_nos(const review_args& a) {
  const auto options = nos_options_of(a);
  if (auto msg = options.validate(); !msg.empty()) return report_error(usage_error(msg));
  if (!a.figure.empty()) {
    if (auto f = plot::format_from_path(a.figure); !f) return report_error(f.error());
  }
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto q = pj::quality_state(*p, options);
  if (!q) return report_error(q.error());
  csv_table t;
  t.header = {"study"};
  for (const auto item : review::all_nos_items()) t.header.emplace_back(review::to_string(item));
  for (const char* c : {"selection", "comparability", "outcome", "total", "quality", "ahrq"}) {
    t.header.emplace_back(c);
  }
  auto opt = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); };
  for (const auto& s : q->final_table.studies) {
    csv_row row;
    row.fields.push_back(s.study);
    for (const auto item : review::all_nos_items()) {
      const auto& ans = s.answers.of(item);
      row.fields.push_back(
          ans.empty() ? "" : fmt::format("{} ({}*)", ans, review::nos_item_stars(item, ans)));
    }
    row.fields.push_back(opt(s.score.selection));
    row.fields.push_back(opt(s.score.comparability));
    row.fields.push_back(opt(s.score.outcome));
    row.fields.push_back(opt(s.score.total));
    row.fields.emplace_back(review::to_string(s.quality));
    row.fields.emplace_back(review::to_string(s.ahrq));
    t.rows.push_back(std::move(row));
  }
  std::optional<plot::drawing> fig;
  if (!a.figure.empty()) {
    auto d = plot::draw_nos_traffic_light(q->final_table, {});
    if (!d) return report_error(d.error());
    fig = std::move(*d);
  }
  if (!a.output.empty()) {
    if (auto ok = write_file_atomic(a.output, format_csv(t)); !ok) return report_error(ok.error());
  }
  if (fig) {
    if (auto ok = plot::save(*fig, a.figure, plot::render_options{.dpi = a.dpi}); !ok) {
      return report_error(ok.error());
    }
  }
  fmt::print("{}", pj::format_table(t, "md", "Newcastle-Ottawa Scale (final answers)"));
  for (const auto& d : q->discrepancies) {
    std::string values;
    for (const auto& [who, v] : d.answers)
      values += fmt::format("{}{}: {}", values.empty() ? "" : "; ", who, v);
    fmt::print(stderr, "srma: warning: NOS discrepancy, #{} {} item {}: {}\n", d.record, d.study,
               review::to_string(d.item), values);
  }
  return exit_code::ok;
}

// Writes a table as CSV, Markdown or HTML, and, where `xlsx` allows, as an Excel workbook.
int write_table(const csv_table& t, const std::string& path, std::string_view title,
                bool xlsx = false) {
  const auto dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  std::string text;
  if (ext == "csv") {
    text = format_csv(t);
  } else if (ext == "md" || ext == "html") {
    text = pj::format_table(t, ext, title);
  } else if (ext == "xlsx" && xlsx) {
    if (auto ok = pj::write_table_xlsx(t, path, title); !ok) return report_error(ok.error());
    return exit_code::ok;
  } else {
    return report_error(
        usage_error(fmt::format("-o {}: the file must end in .csv, .md, .html{}", path,
                                xlsx ? " or .xlsx" : " (or .xlsx for table1)")));
  }
  if (auto ok = write_file_atomic(path, text); !ok) return report_error(ok.error());
  return exit_code::ok;
}

int run_table1(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto t = pj::table1(*p, nos_options_of(a));
  if (!t) return report_error(t.error());
  if (a.output.empty()) {
    fmt::print("{}", pj::format_table(*t, "md", "Characteristics of included studies"));
    return exit_code::ok;
  }
  if (int rc = write_table(*t, a.output, "Characteristics of included studies", true); rc != 0)
    return rc;
  fmt::print("Wrote Table 1 ({} studies) to {}\n", t->rows.size(), a.output);
  return exit_code::ok;
}

int run_export_analysis(const review_args& a) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto t = pj::analysis_table(*p, nos_options_of(a));
  if (!t) return report_error(t.error());
  if (auto x = pj::extraction_state(*p); x && !x->discrepancies().empty()) {
    fmt::print(stderr,
               "srma: warning: {} extracted values are left empty because the extractors "
               "disagree (srma review extract discrepancies)\n",
               x->discrepancies().size());
  }
  if (auto ok = write_file_atomic(a.output, format_csv(*t)); !ok) return report_error(ok.error());
  fmt::print("Wrote {} studies to {} (the columns srma pool reads)\n", t->rows.size(), a.output);
  return exit_code::ok;
}

// ---- reviewers of srma serve --------------------------------------------------------------------

struct reviewer_args {
  std::string name;
  bool adjudicator = false;
  std::string host = "127.0.0.1";
  int port = 8080;
};

// Adds the account (or finds it) and prints a new one-time sign-in link; only the token's
// SHA-256 hash is stored.
int run_reviewer_add(const review_args& a, const reviewer_args& r) {
  auto p = pj::review_project::open(a.project);
  if (!p) return report_error(p.error());
  auto who =
      pj::add_reviewer(*p, r.name, r.adjudicator ? pj::role::adjudicator : pj::role::reviewer);
  if (!who) return report_error(who.error());
  const auto token = web::random_token();
  if (auto ok = pj::store_sign_in_token(*p, who->name, web::sha256_hex(token)); !ok) {
    return report_error(ok.error());
  }
  fmt::print("Reviewer {} ({}). One-time sign-in link for srma serve:\n  {}\n",
             detail::printable(who->name), to_string(who->r),
             web::sign_in_link(r.host, r.port, token));
  if (r.adjudicator && who->r != pj::role::adjudicator) {
    fmt::print("{} was added before as a reviewer; the role stays reviewer.\n",
               detail::printable(who->name));
  }
  return exit_code::ok;
}

void add_project_option(CLI::App* cmd, review_args& a) {
  cmd->add_option("--project", a.project, "Project folder (default: the current folder)");
}

}  // namespace

void add_review_command(CLI::App& app, std::function<int()>& action) {
  auto a = std::make_shared<review_args>();
  auto* review = app.add_subcommand(
      "review", "The review project: import, de-duplicate, screen, adjudicate, PRISMA");
  review->require_subcommand(1);
  auto bind = [&action, a](CLI::App* cmd, int (*fn)(const review_args&)) {
    cmd->callback([&action, a, fn] { action = [a, fn] { return fn(*a); }; });
  };

  auto* init = review->add_subcommand("init", "Create a review project in a folder");
  init->add_option("dir", a->dir, "Folder (created if needed)")->required();
  init->add_option("--title", a->title, "The review's title");
  init->add_option("--reason", a->reasons,
                   "A full-text exclusion reason (repeat; default: a standard list)");
  init->add_option("--screeners", a->screeners,
                   "Independent reviewers each record needs per stage (default 2)");
  bind(init, run_init);

  auto* imp = review->add_subcommand("import",
                                     "Import files of records (RIS, MEDLINE/.nbib, "
                                     "PubMed XML, EndNote XML, CSV)");
  imp->add_option("files", a->files, "Files of records")->required();
  imp->add_option("--source", a->source, "The database searched, e.g. PubMed, Embase")->required();
  imp->add_option("--format", a->format,
                  "ris, medline, pubmed_xml, endnote_xml or csv (default: detected)");
  imp->add_option("--kind", a->kind,
                  "What the source is: database (default), register, or one of the other "
                  "methods: website, organisation, citation (citation searching)");
  imp->add_flag("--register", a->is_register, "Same as --kind register");
  add_project_option(imp, *a);
  bind(imp, run_import);

  auto* dedup = review->add_subcommand("dedup", "Find duplicate records and group them");
  dedup->add_flag("--json", a->json_out,
                  "Print {\"groups\": [[id, ...]], \"uncertain\": [[id, id, score]]}");
  dedup->add_flag("--review", a->review, "Decide the uncertain pairs one by one (no new run)");
  dedup->add_option("--verdicts", a->verdicts,
                    "CSV of verdicts on pairs (columns a, b, verdict = duplicate|distinct)");
  dedup->add_option("--reviewer", a->reviewer, "Who gives the verdicts");
  dedup
      ->add_option("--notices", a->notices,
                   "Erratum and correction notices: separate (default; screened as records of "
                   "their own) or with-article (grouped after their article); retractions "
                   "always separate")
      ->check(CLI::IsMember({"separate", "with-article"}));
  add_project_option(dedup, *a);
  bind(dedup, run_dedup);

  auto* screen = review->add_subcommand("screen", "Screening sheets: export, import, conflicts");
  screen->require_subcommand(1);
  auto* exp = screen->add_subcommand("export", "Write a reviewer's sheet of records to screen");
  exp->add_option("--stage", a->stage, "title (default) or fulltext");
  exp->add_option("--reviewer", a->reviewer, "The reviewer")->required();
  exp->add_option("-o,--output", a->output, "CSV sheet to fill")->required();
  exp->add_option("--html", a->html, "Also a printable HTML sheet");
  add_project_option(exp, *a);
  bind(exp, run_screen_export);
  auto* simp = screen->add_subcommand("import", "Record a reviewer's filled sheet");
  simp->add_option("file", a->file, "The filled CSV sheet")->required();
  simp->add_option("--reviewer", a->reviewer, "The reviewer")->required();
  simp->add_option("--stage", a->stage, "title or fulltext (default: the sheet's stage column)");
  add_project_option(simp, *a);
  bind(simp, [](const review_args& x) { return import_votes(x, pj::role::reviewer); });
  auto* conf = screen->add_subcommand("conflicts", "List the conflicts at a stage");
  conf->add_option("--stage", a->stage, "title (default) or fulltext");
  conf->add_option("-o,--output", a->output, "Write them as a sheet for `srma review adjudicate`");
  add_project_option(conf, *a);
  bind(conf, run_conflicts);

  auto* adj = review->add_subcommand("adjudicate", "Record a third person's votes on conflicts");
  adj->add_option("file", a->file, "The conflicts sheet with decisions filled")->required();
  adj->add_option("--reviewer", a->reviewer, "The adjudicator")->required();
  adj->add_option("--stage", a->stage, "title or fulltext (default: the sheet's stage column)");
  add_project_option(adj, *a);
  bind(adj, [](const review_args& x) { return import_votes(x, pj::role::adjudicator); });

  auto* agr = review->add_subcommand("agreement",
                                     "Agreement between reviewers: percent, Cohen's kappa, PABAK");
  agr->add_flag("--json", a->json_out, "Print JSON");
  agr->add_option("--level", a->level, "Confidence level of kappa's CI in percent (default 95)")
      ->check(CLI::Range(50.0, 99.99));
  add_project_option(agr, *a);
  bind(agr, run_agreement);

  auto* status = review->add_subcommand("status", "Where the review stands");
  add_project_option(status, *a);
  bind(status, run_status);

  auto* prisma =
      review->add_subcommand("prisma", "PRISMA 2020 diagram with counts from the project");
  prisma->add_option("-o,--output", a->output, "Output file: .svg, .pdf or .png");
  prisma->add_flag("--json", a->json_out, "Print the counts under the PRISMA2020 app's field ids");
  prisma->add_option("--title", a->title, "Title above the diagram");
  prisma->add_option("--dpi", a->dpi, "PNG resolution (default 150)");
  add_project_option(prisma, *a);
  bind(prisma, run_review_prisma);

  auto* prev = review->add_subcommand(
      "previous", "Counts of the previous version of the review (an updated review's diagram)");
  prev->add_option("--studies", a->studies, "Studies included in the previous version")
      ->check(CLI::NonNegativeNumber);
  prev->add_option("--reports", a->reports, "Reports of those studies")
      ->check(CLI::NonNegativeNumber);
  prev->add_option("--note", a->note, "Where the counts come from (free text)");
  prev->add_flag("--undo", a->undo, "Withdraw the recorded counts (the review is a new one)");
  add_project_option(prev, *a);
  bind(prev, run_previous);

  auto* chk = review->add_subcommand("check", "Integrity check and the project's invariants");
  add_project_option(chk, *a);
  bind(chk, run_check);

  auto* form = review->add_subcommand("form", "Show or extend the extraction form");
  form->add_option("--add", a->fields, "A field to add, NAME or NAME:Label (repeat)");
  add_project_option(form, *a);
  bind(form, run_form);

  auto* extract = review->add_subcommand("extract", "Data extraction by two extractors");
  extract->require_subcommand(1);
  auto* xexp = extract->add_subcommand("export", "Write an extractor's sheet");
  xexp->add_option("--reviewer", a->reviewer, "The extractor")->required();
  xexp->add_option("-o,--output", a->output, "CSV sheet to fill")->required();
  add_project_option(xexp, *a);
  bind(xexp, run_extract_export);
  auto* ximp = extract->add_subcommand("import", "Record an extractor's filled sheet");
  ximp->add_option("file", a->file, "The filled CSV sheet")->required();
  ximp->add_option("--reviewer", a->reviewer, "The extractor")->required();
  ximp->add_flag("--consensus", a->consensus, "The values agreed after discussion");
  add_project_option(ximp, *a);
  bind(ximp, run_extract_import);
  auto* xdis = extract->add_subcommand("discrepancies", "List fields the extractors disagree on");
  add_project_option(xdis, *a);
  bind(xdis, run_extract_discrepancies);

  auto add_nos_options = [a](CLI::App* cmd) {
    cmd->add_option("--high-from", a->high_from,
                    "NOS total from which quality is high (default 6)");
    cmd->add_option("--moderate-from", a->moderate_from,
                    "NOS total from which quality is moderate");
  };
  auto* nos =
      review->add_subcommand("nos", "Newcastle-Ottawa Scale: table and traffic-light figure");
  nos->add_option("-o,--output", a->output, "CSV table of answers, stars and classes");
  nos->add_option("--figure", a->figure, "Traffic-light figure: .svg, .pdf or .png");
  nos->add_option("--dpi", a->dpi, "PNG resolution (default 150)");
  add_nos_options(nos);
  add_project_option(nos, *a);
  // `nos` alone makes the table; its export/import subcommands set their own action (CLI11 runs
  // the parent's callback after the subcommand's, so it must not overwrite theirs).
  nos->callback([&action, a, nos] {
    if (nos->get_subcommands().empty()) action = [a] { return run_nos(*a); };
  });
  auto* nexp = nos->add_subcommand("export", "Write a reviewer's NOS sheet");
  nexp->add_option("--reviewer", a->reviewer, "The reviewer")->required();
  nexp->add_option("-o,--output", a->output, "CSV sheet to fill")->required();
  add_project_option(nexp, *a);
  bind(nexp, run_nos_export);
  auto* nimp = nos->add_subcommand("import", "Record a reviewer's NOS answers");
  nimp->add_option("file", a->file, "The filled CSV sheet")->required();
  nimp->add_option("--reviewer", a->reviewer, "The reviewer")->required();
  nimp->add_flag("--consensus", a->consensus, "The answers agreed after discussion");
  add_project_option(nimp, *a);
  bind(nimp, run_nos_import);

  auto* t1 = review->add_subcommand("table1", "Characteristics of included studies (Table 1)");
  t1->add_option("-o,--output", a->output,
                 "table1.csv, .md, .html or .xlsx (default: Markdown on stdout)");
  add_nos_options(t1);
  add_project_option(t1, *a);
  bind(t1, run_table1);

  auto* exa = review->add_subcommand("export-analysis",
                                     "Write the study CSV that srma pool and srma run read");
  exa->add_option("-o,--output", a->output, "studies.csv")->required();
  add_nos_options(exa);
  add_project_option(exa, *a);
  bind(exa, run_export_analysis);

  auto r = std::make_shared<reviewer_args>();
  auto* rev = review->add_subcommand("reviewer", "Reviewers who sign in to srma serve");
  rev->require_subcommand(1);
  auto* radd = rev->add_subcommand("add", "Add a reviewer and print a one-time sign-in link");
  radd->add_option("name", r->name, "The reviewer's name")->required();
  radd->add_flag("--adjudicator", r->adjudicator, "Settles conflicts and sees both votes");
  radd->add_option("--host", r->host, "Host in the link (as given to srma serve --host)");
  radd->add_option("--port", r->port, "Port in the link (as given to srma serve --port)");
  add_project_option(radd, *a);
  radd->callback([&action, a, r] { action = [a, r] { return run_reviewer_add(*a, *r); }; });

  auto* reasons = review->add_subcommand("reasons", "List or add full-text exclusion reasons");
  reasons->add_option("--add", a->reasons, "A reason to add (repeat)");
  add_project_option(reasons, *a);
  bind(reasons, run_reasons);
}

}  // namespace srma::cli
