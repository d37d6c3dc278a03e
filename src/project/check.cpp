// srma review check: SQLite's own checks and the project's invariants.
#include <fmt/format.h>

#include "project_state.hpp"
#include "srma/project/prisma.hpp"
#include "srma/project/project.hpp"

namespace srma::project {
namespace {

// Runs a query whose rows are problems, each described by `describe`.
template <typename Describe>
expected<void> collect(const detail::database& db, const char* sql, Describe describe,
                       std::vector<std::string>& problems) {
  auto st = db.prepare(sql);
  if (!st) return unexpected(st.error());
  auto row = st->step();
  for (; row && *row; row = st->step()) problems.push_back(describe(*st));
  if (!row) return unexpected(row.error());
  return {};
}

expected<std::int64_t> scalar(const detail::database& db, const char* sql) {
  auto st = db.prepare(sql);
  if (!st) return unexpected(st.error());
  auto row = st->step();
  if (!row) return unexpected(row.error());
  return *row ? st->integer(0) : 0;
}

}  // namespace

expected<check_report> check(const review_project& project) {
  const auto& db = project.state().db;
  check_report r;
  {
    auto st = db.prepare("PRAGMA integrity_check");
    if (!st) return unexpected(st.error());
    std::string text;
    auto row = st->step();
    for (; row && *row; row = st->step()) {
      if (!text.empty()) text += "; ";
      text += st->text(0);
    }
    if (!row) return unexpected(row.error());
    r.integrity = text;
  }
  auto v = db.user_version();
  if (!v) return unexpected(v.error());
  r.schema = *v;
  if (r.schema != schema_version) {
    r.problems.push_back(
        fmt::format("schema version is {}, expected {}", r.schema, schema_version));
  }
  auto& p = r.problems;
  SRMA_PROJECT_TRY(collect(
      db, "PRAGMA foreign_key_check",
      [](const detail::statement& st) {
        return fmt::format("row {} of table {} refers to a missing row of {}", st.integer(1),
                           st.text(0), st.text(2));
      },
      p));
  SRMA_PROJECT_TRY(collect(
      db,
      "SELECT b.id, b.records, (SELECT COUNT(*) FROM record r WHERE r.batch = b.id) AS n "
      "FROM import_batch b WHERE b.records != n",
      [](const detail::statement& st) {
        return fmt::format("import batch {} says {} records but holds {} (half-imported?)",
                           st.integer(0), st.integer(1), st.integer(2));
      },
      p));
  SRMA_PROJECT_TRY(collect(
      db,
      "SELECT m.run, m.record, m.kept FROM dedup_member m WHERE NOT EXISTS (SELECT 1 FROM "
      "dedup_member k WHERE k.run = m.run AND k.record = m.kept AND k.kept = m.kept)",
      [](const detail::statement& st) {
        return fmt::format(
            "de-duplication run {}: record {} is grouped under {}, which is not "
            "the kept record of a group of that run",
            st.integer(0), st.integer(1), st.integer(2));
      },
      p));
  SRMA_PROJECT_TRY(collect(
      db,
      "SELECT d.id, d.record, d.reason FROM decision d WHERE d.stage = 'fulltext' AND "
      "d.vote = 'exclude' AND NOT EXISTS (SELECT 1 FROM reason x WHERE x.name = d.reason)",
      [](const detail::statement& st) {
        return fmt::format(
            "decision {} excludes record {} for '{}', which is not a reason of "
            "the project",
            st.integer(0), st.integer(1), st.text(2));
      },
      p));
  SRMA_PROJECT_TRY(collect(
      db,
      "SELECT d.id, d.record FROM decision d WHERE (d.stage = 'title' AND d.vote = "
      "'unavailable') OR (d.stage = 'fulltext' AND d.vote = 'maybe')",
      [](const detail::statement& st) {
        return fmt::format("decision {} on record {} uses a vote its stage does not allow",
                           st.integer(0), st.integer(1));
      },
      p));
  SRMA_PROJECT_TRY(collect(
      db,
      "SELECT d.id, d.record, b.kind FROM decision d JOIN record r ON r.id = d.record JOIN "
      "import_batch b ON b.id = r.batch WHERE d.stage = 'title' AND b.kind IN ('website', "
      "'organisation', 'citation')",
      [](const detail::statement& st) {
        return fmt::format(
            "decision {} is a title/abstract vote on record {}, which came from other methods "
            "({}) and is screened at full text only",
            st.integer(0), st.integer(1), st.text(2));
      },
      p));
  {
    auto guard = db.prepare(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN "
        "(? || '_no_update', ? || '_no_delete')");
    if (!guard) return unexpected(guard.error());
    for (const auto& table : detail::append_only_tables()) {
      guard->bind(1, table).bind(2, table).bind(3, table);
      auto row = guard->step();
      if (!row) return unexpected(row.error());
      const auto n = guard->integer(0);
      guard->reset();
      if (n < 2) {
        p.push_back(
            fmt::format("table {} has {} of its 2 append-only guards (no_update, "
                        "no_delete)",
                        table, n));
      }
    }
  }
  auto records = scalar(db, "SELECT COUNT(*) FROM record");
  auto batches = scalar(db, "SELECT COUNT(*) FROM import_batch");
  auto decisions = scalar(db, "SELECT COUNT(*) FROM decision");
  if (!records || !batches || !decisions) {
    return unexpected(!records ? records.error() : !batches ? batches.error() : decisions.error());
  }
  r.records = *records;
  r.batches = *batches;
  r.decisions = *decisions;
  // The derived PRISMA counts must add up once nothing is open: review::check covers both
  // columns down to the included box and the totals with a previous version; the other column's
  // identification is checked here, as the diagram has no box for what de-duplication took
  // from it (srma/project/prisma.hpp).
  auto flow = derive_prisma(project);
  if (flow && flow->complete()) {
    const auto& c = flow->counts;
    for (const auto& issue : review::check(review::complete(c))) {
      p.push_back("PRISMA: " + issue.message);
    }
    if (c.other_sought_reports) {
      const long identified = c.website_results.value_or(0) + c.organisation_results.value_or(0) +
                              c.citations_results.value_or(0);
      const long accounted =
          *c.other_sought_reports + flow->other_in_database_flow + flow->other_duplicates;
      if (identified != accounted) {
        p.push_back(fmt::format(
            "PRISMA: records from other methods do not add up: {} identified, but {} reports "
            "sought + {} already in the databases and registers flow + {} duplicates among "
            "other methods = {}",
            identified, *c.other_sought_reports, flow->other_in_database_flow,
            flow->other_duplicates, accounted));
      }
    }
  }
  return r;
}

}  // namespace srma::project
