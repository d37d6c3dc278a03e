// PRISMA 2020 counts derived from a project's rows, and the previous version of the review.
#include "srma/project/prisma.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "flow.hpp"
#include "project_state.hpp"
#include "srma/project/extraction.hpp"
#include "srma/project/records.hpp"
#include "srma/project/screening.hpp"

namespace srma::project {
namespace {

void note_open(std::vector<std::string>& open, std::size_t n, std::string_view what) {
  if (n > 0) open.push_back(fmt::format("{} record{} {}", n, n == 1 ? "" : "s", what));
}

}  // namespace

expected<project_prisma> derive_prisma(const review_project& project) {
  project_prisma out;
  auto& c = out.counts;
  c.source = project.database_path().string();
  auto batches = list_batches(project);
  if (!batches) return unexpected(batches.error());
  std::map<std::string, long> databases;
  std::map<std::string, long> registers;
  std::map<source_kind, long> other;  // records per other method
  std::vector<std::string> order;     // sources in first-import order
  for (const auto& b : *batches) {
    if (is_other_method(b.kind)) {
      other[b.kind] += static_cast<long>(b.records);
      continue;
    }
    auto& m = b.kind == source_kind::database ? databases : registers;
    if (m.count(b.source) == 0) order.push_back(b.source);
    m[b.source] += static_cast<long>(b.records);
  }
  long db_total = 0;
  long reg_total = 0;
  for (const auto& s : order) {
    if (auto it = databases.find(s); it != databases.end()) {
      c.database_specific_results.push_back({s, it->second});
      db_total += it->second;
    }
    if (auto it = registers.find(s); it != registers.end()) {
      c.register_specific_results.push_back({s, it->second});
      reg_total += it->second;
    }
  }
  c.database_results = db_total;
  if (reg_total > 0) c.register_results = reg_total;
  // Other methods: a box only for a method that was used (the diagram leaves out the others).
  const bool other_methods = !other.empty();
  if (auto it = other.find(source_kind::website); it != other.end()) c.website_results = it->second;
  if (auto it = other.find(source_kind::organisation); it != other.end()) {
    c.organisation_results = it->second;
  }
  if (auto it = other.find(source_kind::citation); it != other.end()) {
    c.citations_results = it->second;
  }

  auto flow_or = detail::record_flow_of(project, "first");
  if (!flow_or) return unexpected(flow_or.error());
  const auto& flow = *flow_or;  // shared_ptr<const record_flow>
  c.duplicates = flow->removed_duplicates;
  c.excluded_automatic = 0;
  c.excluded_other = 0;
  out.other_in_database_flow = flow->other_in_database_flow;
  out.other_duplicates = flow->other_duplicates;
  if (auto pending = flow->dedup.pending(); !pending.empty()) {
    out.open.push_back(
        fmt::format("possible duplicate pairs without a person's verdict: {}", pending.size()));
  }
  auto title = stage_outcomes(project, stage::title);
  if (!title) return unexpected(title.error());
  const auto ts = summarise(stage::title, *title);
  c.records_screened = static_cast<long>(ts.records);
  c.records_excluded = static_cast<long>(ts.exclude);
  c.dbr_sought_reports = static_cast<long>(ts.include);
  note_open(out.open, ts.unscreened, "without a title/abstract decision");
  note_open(out.open, ts.pending, "waiting for a second title/abstract reviewer");
  note_open(out.open, ts.conflict, "in conflict at title/abstract (adjudicate)");

  // Full text: each column on its own, both ending in the included box.
  auto full = stage_outcomes(project, stage::fulltext);
  if (!full) return unexpected(full.error());
  std::vector<record_outcome> dbr_full;
  std::vector<record_outcome> other_full;
  for (auto& o : *full) {
    (flow->from_other_method(o.record) ? other_full : dbr_full).push_back(std::move(o));
  }
  const auto fs = summarise(stage::fulltext, dbr_full);
  c.dbr_notretrieved_reports = static_cast<long>(fs.unavailable);
  c.dbr_assessed = static_cast<long>(fs.records - fs.unavailable);
  for (const auto& [reason, n] : fs.reasons)
    c.dbr_excluded.push_back({reason, static_cast<long>(n)});
  note_open(out.open, fs.unscreened, "without a full-text decision");
  note_open(out.open, fs.pending, "waiting for a second full-text reviewer");
  note_open(out.open, fs.conflict, "in conflict at full text (adjudicate)");
  const auto os = summarise(stage::fulltext, other_full);
  if (other_methods) {
    c.other_sought_reports = static_cast<long>(os.records);
    c.other_notretrieved_reports = static_cast<long>(os.unavailable);
    c.other_assessed = static_cast<long>(os.records - os.unavailable);
    for (const auto& [reason, n] : os.reasons)
      c.other_excluded.push_back({reason, static_cast<long>(n)});
    note_open(out.open, os.unscreened, "from other methods without a full-text decision");
    note_open(out.open, os.pending, "from other methods waiting for a second full-text reviewer");
    note_open(out.open, os.conflict, "from other methods in conflict at full text (adjudicate)");
  }
  c.new_reports = static_cast<long>(fs.include + os.include);
  // Studies: included reports whose extracted `study` field is equal are one study.
  auto extraction = extraction_state(project);
  if (!extraction) return unexpected(extraction.error());
  std::set<std::string> studies;
  for (const auto& s : extraction->studies) {
    const auto label = s.value("study");
    studies.insert(label.empty() ? fmt::format("r:{}", s.record) : "s:" + label);
  }
  c.new_studies = static_cast<long>(studies.size());

  auto previous = current_previous_review(project);
  if (!previous) return unexpected(previous.error());
  if (*previous) {
    c.previous_studies = (*previous)->studies;
    c.previous_reports = (*previous)->reports;
    c.total_studies = *c.previous_studies + *c.new_studies;
    c.total_reports = *c.previous_reports + *c.new_reports;
  }
  for (const auto& s : out.open) c.notes.push_back(s);
  if (out.other_in_database_flow > 0 || out.other_duplicates > 0) {
    c.notes.push_back(
        fmt::format("records from other methods not sought again: {} already found in databases or "
                    "registers, {} duplicating other records from other methods",
                    out.other_in_database_flow, out.other_duplicates));
  }
  return out;
}

std::string previous_review::validate() const {
  if (studies < 0) return fmt::format("studies is {}, but must be 0 or more", studies);
  if (reports < studies) {
    return fmt::format(
        "reports is {}, but must be at least studies ({}): every study has at least one report",
        reports, studies);
  }
  return {};
}

expected<std::optional<previous_review>> current_previous_review(const review_project& project) {
  auto st = project.state().db.prepare(
      "SELECT action, studies, reports, note FROM previous_review ORDER BY id DESC LIMIT 1");
  if (!st) return unexpected(st.error());
  auto row = st->step();
  if (!row) return unexpected(row.error());
  if (!*row || st->text(0) != "set") return std::optional<previous_review>();
  return std::optional<previous_review>(
      previous_review{st->integer(1), st->integer(2), st->text(3)});
}

namespace {

expected<void> store_previous(review_project& project, const std::optional<previous_review>& p,
                              const std::string& note) {
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  if (!p) {
    auto standing = current_previous_review(project);
    if (!standing) return unexpected(standing.error());
    if (!*standing) {
      return fail(errc::project_bad_option,
                  "no counts of a previous version are recorded, so there are none to withdraw",
                  {project.database_path().string(), 0, 0});
    }
  }
  const std::string at = detail::now_utc();
  auto ins = db.prepare(
      "INSERT INTO previous_review (action, studies, reports, note, at) VALUES (?,?,?,?,?)");
  if (!ins) return unexpected(ins.error());
  ins->bind(1, p ? "set" : "withdraw");
  if (p) {
    ins->bind(2, static_cast<std::int64_t>(p->studies))
        .bind(3, static_cast<std::int64_t>(p->reports));
  } else {
    ins->bind_null(2).bind_null(3);
  }
  SRMA_PROJECT_TRY(ins->bind(4, note).bind(5, at).run());
  auto log = db.prepare("INSERT INTO command_log (at, command, summary) VALUES (?, ?, ?)");
  if (!log) return unexpected(log.error());
  log->bind(1, at)
      .bind(2, "previous")
      .bind(3,
            p ? fmt::format("previous version: {} studies, {} reports{}", p->studies, p->reports,
                            note.empty() ? "" : " (" + note + ")")
              : fmt::format("previous version withdrawn{}", note.empty() ? "" : " (" + note + ")"));
  SRMA_PROJECT_TRY(log->run());
  return tx->commit();
}

}  // namespace

expected<void> record_previous_review(review_project& project, const previous_review& previous) {
  if (auto msg = previous.validate(); !msg.empty()) {
    return fail(errc::project_bad_option, "previous version: " + msg,
                {project.database_path().string(), 0, 0});
  }
  return store_previous(project, previous, previous.note);
}

expected<void> withdraw_previous_review(review_project& project, const std::string& note) {
  return store_previous(project, std::nullopt, note);
}

}  // namespace srma::project
