// PRISMA 2020 counts derived from a project's rows.
#include "srma/project/prisma.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "project_state.hpp"
#include "srma/project/dedup.hpp"
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
  std::vector<std::string> order;  // sources in first-import order
  for (const auto& b : *batches) {
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
  auto dedup = current_dedup(project);
  if (!dedup) return unexpected(dedup.error());
  if (dedup->records > 0 && !dedup->covers_all) {
    return fail(errc::project_not_deduplicated,
                fmt::format("{} records were imported after the last de-duplication; run "
                            "`srma review dedup` first",
                            dedup->records - dedup->run_records),
                {project.database_path().string(), 0, 0});
  }
  c.duplicates = dedup->removed;
  c.excluded_automatic = 0;
  c.excluded_other = 0;
  if (auto pending = dedup->pending(); !pending.empty()) {
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
  auto full = stage_outcomes(project, stage::fulltext);
  if (!full) return unexpected(full.error());
  const auto fs = summarise(stage::fulltext, *full);
  c.dbr_notretrieved_reports = static_cast<long>(fs.unavailable);
  c.dbr_assessed = static_cast<long>(fs.records - fs.unavailable);
  for (const auto& [reason, n] : fs.reasons)
    c.dbr_excluded.push_back({reason, static_cast<long>(n)});
  c.new_reports = static_cast<long>(fs.include);
  note_open(out.open, fs.unscreened, "without a full-text decision");
  note_open(out.open, fs.pending, "waiting for a second full-text reviewer");
  note_open(out.open, fs.conflict, "in conflict at full text (adjudicate)");
  // Studies: included reports whose extracted `study` field is equal are one study.
  auto extraction = extraction_state(project);
  if (!extraction) return unexpected(extraction.error());
  std::set<std::string> studies;
  for (const auto& s : extraction->studies) {
    const auto label = s.value("study");
    studies.insert(label.empty() ? fmt::format("r:{}", s.record) : "s:" + label);
  }
  c.new_studies = static_cast<long>(studies.size());
  for (const auto& s : out.open) c.notes.push_back(s);
  return out;
}

}  // namespace srma::project
