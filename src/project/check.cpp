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
  auto triggers = scalar(db,
                         "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                         "'%_no_delete'");
  if (!triggers) return unexpected(triggers.error());
  if (*triggers < 11) {
    p.push_back(fmt::format("only {} of 11 append-only guards are in place", *triggers));
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
  // The derived PRISMA counts must add up once nothing is open.
  auto flow = derive_prisma(project);
  if (flow && flow->complete()) {
    for (const auto& issue : review::check(review::complete(flow->counts))) {
      p.push_back("PRISMA: " + issue.message);
    }
  }
  return r;
}

}  // namespace srma::project
