// Opening, creating and migrating a review project.
#include "srma/project/project.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <system_error>

#include "project_state.hpp"
#include "srma/util/version.hpp"

namespace srma::project {
namespace {

namespace fs = std::filesystem;
using detail::database;

// Migration i takes the schema from version i to i + 1 (index 0 creates version 1). Append new
// migrations; never edit a released one. Every table that records what a person did is
// append-only: the triggers made by append_only_triggers() refuse UPDATE and DELETE on the tables
// each migration lists in `append_only`.
struct migration {
  const char* sql;
  std::vector<const char*> append_only;  // tables (re)created here that get the triggers
};

const std::array<migration, 3>& migrations() {
  static const std::array<migration, 3> all = {{
      {R"sql(
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reason (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, added_at TEXT NOT NULL);
CREATE TABLE import_batch (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL, source TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('database', 'register')),
  format TEXT NOT NULL, format_evidence TEXT NOT NULL, encoding TEXT NOT NULL,
  content_hash TEXT NOT NULL, records INTEGER NOT NULL, warnings TEXT NOT NULL,
  imported_at TEXT NOT NULL);
CREATE TABLE record (
  id INTEGER PRIMARY KEY,
  batch INTEGER NOT NULL REFERENCES import_batch(id),
  position INTEGER NOT NULL, line INTEGER NOT NULL,
  own_id TEXT NOT NULL, title TEXT NOT NULL, authors TEXT NOT NULL, year TEXT NOT NULL,
  journal TEXT NOT NULL, volume TEXT NOT NULL, issue TEXT NOT NULL, pages TEXT NOT NULL,
  doi TEXT NOT NULL, pmid TEXT NOT NULL, accession TEXT NOT NULL, isbn TEXT NOT NULL,
  abstract TEXT NOT NULL, type TEXT NOT NULL, database_name TEXT NOT NULL,
  fields TEXT NOT NULL, raw TEXT NOT NULL,
  UNIQUE (batch, position));
CREATE TABLE dedup_run (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, records INTEGER NOT NULL,
  last_record INTEGER NOT NULL, candidate_pairs INTEGER NOT NULL,
  duplicate_pairs INTEGER NOT NULL, uncertain_pairs INTEGER NOT NULL, options TEXT NOT NULL);
CREATE TABLE dedup_member (
  run INTEGER NOT NULL REFERENCES dedup_run(id),
  record INTEGER NOT NULL REFERENCES record(id),
  kept INTEGER NOT NULL REFERENCES record(id),
  PRIMARY KEY (run, record));
CREATE TABLE dedup_uncertain (
  run INTEGER NOT NULL REFERENCES dedup_run(id),
  a INTEGER NOT NULL REFERENCES record(id), b INTEGER NOT NULL REFERENCES record(id),
  score REAL NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (run, a, b));
CREATE TABLE pair_decision (
  id INTEGER PRIMARY KEY,
  a INTEGER NOT NULL REFERENCES record(id), b INTEGER NOT NULL REFERENCES record(id),
  verdict TEXT NOT NULL CHECK (verdict IN ('duplicate', 'distinct')),
  reviewer TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE decision (
  id INTEGER PRIMARY KEY,
  record INTEGER NOT NULL REFERENCES record(id),
  stage TEXT NOT NULL CHECK (stage IN ('title', 'fulltext')),
  reviewer TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('reviewer', 'adjudicator')),
  vote TEXT NOT NULL CHECK (vote IN ('include', 'exclude', 'maybe', 'unavailable', 'undo')),
  reason TEXT NOT NULL, note TEXT NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX decision_by_stage ON decision (stage, record);
CREATE TABLE form_field (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, label TEXT NOT NULL, position INTEGER NOT NULL,
  added_at TEXT NOT NULL);
CREATE TABLE extraction (
  id INTEGER PRIMARY KEY,
  record INTEGER NOT NULL REFERENCES record(id),
  field TEXT NOT NULL, extractor TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('extractor', 'consensus')),
  value TEXT NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL, at TEXT NOT NULL);
CREATE TABLE quality_answer (
  id INTEGER PRIMARY KEY,
  record INTEGER NOT NULL REFERENCES record(id),
  item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 8),
  reviewer TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('reviewer', 'consensus')),
  answer TEXT NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL, at TEXT NOT NULL);
CREATE TABLE command_log (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, command TEXT NOT NULL, summary TEXT NOT NULL);
)sql",
       {"import_batch", "record", "dedup_run", "dedup_member", "dedup_uncertain", "pair_decision",
        "decision", "reason", "extraction", "quality_answer", "command_log"}},
      // Version 2: the other methods of PRISMA 2020 as source kinds (SQLite cannot change a CHECK
      // constraint, so import_batch is rebuilt with its rows and ids as they were: the documented
      // twelve-step way, https://www.sqlite.org/lang_altertable.html#otheralter, run with foreign
      // keys off), and the previous version of the review as append-only events.
      {R"sql(
CREATE TABLE import_batch_v2 (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL, source TEXT NOT NULL,
  kind TEXT NOT NULL
    CHECK (kind IN ('database', 'register', 'website', 'organisation', 'citation')),
  format TEXT NOT NULL, format_evidence TEXT NOT NULL, encoding TEXT NOT NULL,
  content_hash TEXT NOT NULL, records INTEGER NOT NULL, warnings TEXT NOT NULL,
  imported_at TEXT NOT NULL);
INSERT INTO import_batch_v2 (id, file, source, kind, format, format_evidence, encoding,
  content_hash, records, warnings, imported_at)
  SELECT id, file, source, kind, format, format_evidence, encoding, content_hash, records,
    warnings, imported_at FROM import_batch ORDER BY id;
DROP TABLE import_batch;
ALTER TABLE import_batch_v2 RENAME TO import_batch;
CREATE TABLE previous_review (
  id INTEGER PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN ('set', 'withdraw')),
  studies INTEGER, reports INTEGER,
  note TEXT NOT NULL, at TEXT NOT NULL,
  CHECK ((action = 'set' AND studies IS NOT NULL AND reports IS NOT NULL AND studies >= 0 AND
          reports >= studies) OR
         (action = 'withdraw' AND studies IS NULL AND reports IS NULL)));
)sql",
       {"import_batch", "previous_review"}},
      // Version 3: the review team of `srma serve` (srma/project/reviewers.hpp): reviewers and
      // their roles, sign-in tokens and web sessions stored as SHA-256 hashes only (a used token
      // and an ended session are rows of their own), and the screening keywords the team defines.
      {R"sql(
CREATE TABLE reviewer (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('reviewer', 'adjudicator')), added_at TEXT NOT NULL);
CREATE TABLE sign_in_token (
  id INTEGER PRIMARY KEY, reviewer INTEGER NOT NULL REFERENCES reviewer(id),
  token_hash TEXT NOT NULL UNIQUE, issued_at TEXT NOT NULL);
CREATE TABLE sign_in_token_use (
  token INTEGER PRIMARY KEY REFERENCES sign_in_token(id), used_at TEXT NOT NULL);
CREATE TABLE web_session (
  id INTEGER PRIMARY KEY, session_hash TEXT NOT NULL UNIQUE,
  reviewer INTEGER NOT NULL REFERENCES reviewer(id), csrf_token TEXT NOT NULL,
  how TEXT NOT NULL CHECK (how IN ('token', 'local')), opened_at TEXT NOT NULL);
CREATE TABLE web_session_end (
  session INTEGER PRIMARY KEY REFERENCES web_session(id), ended_at TEXT NOT NULL);
CREATE TABLE keyword (
  id INTEGER PRIMARY KEY, word TEXT NOT NULL,
  list TEXT NOT NULL CHECK (list IN ('include', 'exclude')),
  action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
  by_reviewer TEXT NOT NULL, at TEXT NOT NULL);
)sql",
       {"reviewer", "sign_in_token", "sign_in_token_use", "web_session", "web_session_end",
        "keyword"}},
  }};
  return all;
}

std::string append_only_triggers(const std::vector<const char*>& tables) {
  std::string sql;
  for (const char* t : tables) {
    sql += fmt::format(
        "CREATE TRIGGER {0}_no_update BEFORE UPDATE ON {0} BEGIN SELECT RAISE(ABORT, "
        "'{0} is append-only: record a new row instead'); END;\n"
        "CREATE TRIGGER {0}_no_delete BEFORE DELETE ON {0} BEGIN SELECT RAISE(ABORT, "
        "'{0} is append-only: nothing is ever deleted'); END;\n",
        t);
  }
  return sql;
}

expected<void> run_migrations(const database& db) {
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  // Read the version again under the write lock: another program may have migrated meanwhile.
  auto from = db.user_version();
  if (!from) return unexpected(from.error());
  for (int v = *from; v < schema_version; ++v) {
    const auto& m = migrations()[static_cast<std::size_t>(v)];
    SRMA_PROJECT_TRY(db.exec(m.sql));
    SRMA_PROJECT_TRY(db.exec(append_only_triggers(m.append_only)));
  }
  auto st = db.prepare("PRAGMA foreign_key_check");
  if (!st) return unexpected(st.error());
  auto row = st->step();
  if (!row) return unexpected(row.error());
  if (*row) {
    return fail(errc::project_corrupt,
                fmt::format("the migration to schema version {} leaves table {} referring to a "
                            "missing row of {}; nothing was changed",
                            schema_version, st->text(0), st->text(2)),
                {db.path(), 0, 0});
  }
  SRMA_PROJECT_TRY(db.exec(fmt::format("PRAGMA user_version = {}", schema_version)));
  return tx->commit();
}

// Migrations rebuild tables that others refer to, so foreign keys are off while they run
// (PRAGMA foreign_keys is a no-op inside a transaction) and checked before the commit.
expected<void> migrate(const database& db) {
  SRMA_PROJECT_TRY(db.exec("PRAGMA foreign_keys = OFF"));
  auto done = run_migrations(db);
  auto on = db.exec("PRAGMA foreign_keys = ON");
  if (!done) return done;
  return on;
}

expected<project_settings> load_settings(const database& db) {
  project_settings s;
  auto st = db.prepare("SELECT key, value FROM setting");
  if (!st) return unexpected(st.error());
  for (auto row = st->step(); row && *row; row = st->step()) {
    const std::string key = st->text(0);
    const std::string value = st->text(1);
    if (key == "title") s.title = value;
    if (key == "screeners") s.screeners = std::stoi(value);
    if (key == "created_at") s.created_at = value;
    if (key == "created_by") s.created_by = value;
  }
  auto rs = db.prepare("SELECT name FROM reason ORDER BY id");
  if (!rs) return unexpected(rs.error());
  for (auto row = rs->step(); row && *row; row = rs->step()) s.reasons.push_back(rs->text(0));
  auto v = db.user_version();
  if (!v) return unexpected(v.error());
  s.schema = *v;
  return s;
}

expected<void> insert_reasons(const database& db, const std::vector<std::string>& reasons) {
  auto st = db.prepare("INSERT OR IGNORE INTO reason (name, added_at) VALUES (?, ?)");
  if (!st) return unexpected(st.error());
  const std::string at = detail::now_utc();
  for (const auto& r : reasons) SRMA_PROJECT_TRY(st->bind(1, r).bind(2, at).run());
  return {};
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

namespace detail {
std::vector<std::string> append_only_tables() {
  std::vector<std::string> out;
  for (const auto& m : migrations()) {
    for (const char* t : m.append_only) {
      if (std::find(out.begin(), out.end(), t) == out.end()) out.emplace_back(t);
    }
  }
  return out;
}

std::optional<std::int64_t> parse_record_number(std::string_view text) {
  const auto b = text.find_first_not_of(" \t");
  if (b == std::string_view::npos) return std::nullopt;
  text = text.substr(b, text.find_last_not_of(" \t") - b + 1);
  if (text.starts_with('#')) text.remove_prefix(1);
  if (text.empty() || text.size() > 17) return std::nullopt;
  std::int64_t id = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  if (id <= 0) return std::nullopt;
  return id;
}

expected<std::int64_t> sheet_record_number(const csv_table& csv, std::size_t row, int column) {
  const auto& text = csv.rows[row].fields[static_cast<std::size_t>(column)];
  if (auto id = parse_record_number(text)) return *id;
  return fail(errc::project_bad_sheet,
              fmt::format("record_id is '{}', but must be the project's record number", text),
              csv.where(row, static_cast<std::size_t>(column)));
}

std::string now_utc() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
}  // namespace detail

const std::vector<std::string>& default_exclusion_reasons() {
  static const std::vector<std::string> reasons = {
      "Wrong population",   "Wrong intervention", "Wrong comparator", "Wrong outcome",
      "Wrong study design", "Duplicate report",   "No usable data"};
  return reasons;
}

std::string init_options::validate() const {
  if (screeners < 1) return fmt::format("screeners is {}, but must be 1 or more", screeners);
  for (const auto& r : reasons) {
    if (trimmed(r).empty()) return "an exclusion reason is empty";
  }
  return {};
}

review_project::review_project(std::unique_ptr<detail::project_state> state)
    : state_(std::move(state)) {}
review_project::review_project(review_project&&) noexcept = default;
review_project& review_project::operator=(review_project&&) noexcept = default;
review_project::~review_project() = default;

const std::filesystem::path& review_project::dir() const { return state_->dir; }
std::filesystem::path review_project::database_path() const {
  return state_->dir / database_file_name;
}
const project_settings& review_project::settings() const { return state_->settings; }

expected<review_project> review_project::init(const fs::path& dir, const init_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::project_bad_option, msg, {dir.string(), 0, 0});
  }
  const fs::path file = dir / database_file_name;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    return fail(errc::project_exists,
                fmt::format("a review project is already here ({})", file.string()),
                {dir.string(), 0, 0});
  }
  fs::create_directories(dir, ec);
  if (ec) {
    return fail(errc::project_unreadable, fmt::format("cannot create the folder: {}", ec.message()),
                {dir.string(), 0, 0});
  }
  // Build the project under a temporary name and rename it into place, so a killed init leaves
  // either no project or a complete one.
  const fs::path tmp = dir / (std::string(database_file_name) + ".init");
  fs::remove(tmp, ec);
  {
    auto db = database::open(tmp.string(), true);
    if (!db) return unexpected(db.error());
    SRMA_PROJECT_TRY(db->exec("PRAGMA journal_mode = DELETE"));
    SRMA_PROJECT_TRY(migrate(*db));
    auto tx = detail::transaction::begin(*db);
    if (!tx) return unexpected(tx.error());
    auto st = db->prepare("INSERT INTO setting (key, value) VALUES (?, ?)");
    if (!st) return unexpected(st.error());
    const std::string at = detail::now_utc();
    SRMA_PROJECT_TRY(st->bind(1, "title").bind(2, options.title).run());
    SRMA_PROJECT_TRY(st->bind(1, "screeners").bind(2, std::to_string(options.screeners)).run());
    SRMA_PROJECT_TRY(st->bind(1, "created_at").bind(2, at).run());
    SRMA_PROJECT_TRY(
        st->bind(1, "created_by").bind(2, fmt::format("srma {}", srma::version())).run());
    std::vector<std::string> reasons;
    for (const auto& r : options.reasons.empty() ? default_exclusion_reasons() : options.reasons) {
      reasons.push_back(trimmed(r));
    }
    SRMA_PROJECT_TRY(insert_reasons(*db, reasons));
    auto log = db->prepare("INSERT INTO command_log (at, command, summary) VALUES (?, ?, ?)");
    if (!log) return unexpected(log.error());
    SRMA_PROJECT_TRY(log->bind(1, at).bind(2, "init").bind(3, options.title).run());
    SRMA_PROJECT_TRY(tx->commit());
  }
  fs::rename(tmp, file, ec);
  if (ec) {
    return fail(errc::project_database,
                fmt::format("cannot move the new database into place: {}", ec.message()),
                {file.string(), 0, 0});
  }
  return open(dir);
}

expected<review_project> review_project::open(const fs::path& dir) {
  const fs::path file = dir / database_file_name;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    return fail(errc::project_unreadable,
                fmt::format("no review project here (no {}; create one with `srma review init`)",
                            database_file_name),
                {dir.string(), 0, 0});
  }
  auto db = database::open(file.string(), false);
  if (!db) return unexpected(db.error());
  // WAL: readers never block the writer, and a killed writer leaves the last commit intact.
  // synchronous = FULL: a commit is on disk before the command reports success.
  if (auto ok = db->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL"); !ok) {
    return fail(errc::project_corrupt, ok.error().message, {file.string(), 0, 0});
  }
  auto version = db->user_version();
  if (!version) return unexpected(version.error());
  if (*version > schema_version) {
    return fail(errc::project_newer,
                fmt::format("the project has schema version {}, but this srma reads up to {}: "
                            "update srma",
                            *version, schema_version),
                {file.string(), 0, 0});
  }
  if (*version < schema_version) SRMA_PROJECT_TRY(migrate(*db));
  auto settings = load_settings(*db);
  if (!settings) return unexpected(settings.error());
  auto state = std::make_unique<detail::project_state>();
  state->db = std::move(*db);
  state->dir = dir;
  state->settings = std::move(*settings);
  return review_project(std::move(state));
}

expected<void> review_project::add_reasons(const std::vector<std::string>& reasons) {
  std::vector<std::string> clean;
  for (const auto& r : reasons) {
    auto t = trimmed(r);
    if (t.empty()) return fail(errc::project_bad_option, "an exclusion reason is empty");
    clean.push_back(std::move(t));
  }
  auto& db = state_->db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  SRMA_PROJECT_TRY(insert_reasons(db, clean));
  SRMA_PROJECT_TRY(tx->commit());
  auto s = load_settings(db);
  if (!s) return unexpected(s.error());
  state_->settings = std::move(*s);
  return {};
}

}  // namespace srma::project
