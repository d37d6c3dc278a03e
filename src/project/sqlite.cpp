#include "sqlite.hpp"

#include <fmt/format.h>

#include <utility>

namespace srma::project::detail {

database::~database() {
  finalize_kept();
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

void database::finalize_kept() const {
  if (!shared_) return;
  for (auto& [sql, stmt] : shared_->kept) sqlite3_finalize(stmt);
  shared_->kept.clear();
}

void database::give_back(sqlite3_stmt* stmt) const {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (!shared_ || shared_->kept.size() >= kept_statements) {
    sqlite3_finalize(stmt);
    return;
  }
  shared_->kept.emplace(sqlite3_sql(stmt), stmt);
}

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      shared_(std::move(other.shared_)) {}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    finalize_kept();
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    shared_ = std::move(other.shared_);
  }
  return *this;
}

expected<database> database::open(const std::string& path, bool create) {
  database db;
  db.path_ = path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db.db_ != nullptr ? sqlite3_errmsg(db.db_) : sqlite3_errstr(rc);
    return fail(errc::project_unreadable, fmt::format("cannot open the database: {}", msg),
                {path, 0, 0});
  }
  sqlite3_extended_result_codes(db.db_, 1);
  db.shared_ = std::make_unique<shared_state>();
  sqlite3_rollback_hook(
      db.db_, [](void* state) { ++static_cast<shared_state*>(state)->rollbacks; },
      db.shared_.get());
  sqlite3_busy_timeout(db.db_, 10000);
  if (auto ok = db.exec("PRAGMA foreign_keys = ON"); !ok) return unexpected(ok.error());
  return db;
}

srma::error database::failure(const char* id, std::string_view what) const {
  return srma::error{id,
                     fmt::format("{}: {}", what, db_ != nullptr ? sqlite3_errmsg(db_) : "?"),
                     {path_, 0, 0},
                     {}};
}

expected<void> database::exec(std::string_view sql) const {
  std::string text(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return fail(rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ? errc::project_corrupt
                                                            : errc::project_database,
                fmt::format("the database refused a command: {}", msg), {path_, 0, 0});
  }
  return {};
}

expected<statement> database::prepare(std::string_view sql) const {
  if (shared_) {
    if (auto it = shared_->kept.find(std::string(sql)); it != shared_->kept.end()) {
      sqlite3_stmt* kept = it->second;
      shared_->kept.erase(it);
      return statement(*this, kept);
    }
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return unexpected(failure(rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ? errc::project_corrupt
                                                                          : errc::project_database,
                              "cannot prepare a query"));
  }
  return statement(*this, stmt);
}

std::int64_t database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

expected<int> database::user_version() const {
  auto st = prepare("PRAGMA user_version");
  if (!st) return unexpected(st.error());
  auto row = st->step();
  if (!row) return unexpected(row.error());
  return *row ? static_cast<int>(st->integer(0)) : 0;
}

statement::~statement() {
  if (stmt_ != nullptr) db_->give_back(stmt_);
}

statement::statement(statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) db_->give_back(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

statement& statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

statement& statement::bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}

statement& statement::bind(int i, std::string_view v) {
  sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

statement& statement::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}

statement& statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

expected<bool> statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int primary = rc & 0xff;
  return unexpected(db_->failure(primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
                                     ? errc::project_corrupt
                                     : errc::project_database,
                                 "a query failed"));
}

expected<void> statement::run() {
  auto r = step();
  while (r && *r) r = step();
  reset();
  if (!r) return unexpected(r.error());
  return {};
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t statement::integer(int col) const { return sqlite3_column_int64(stmt_, col); }
double statement::real(int col) const { return sqlite3_column_double(stmt_, col); }
bool statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::string statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

expected<transaction> transaction::begin(const database& db) {
  // sqlite3_get_autocommit is 0 inside BEGIN ... COMMIT.
  const bool nested = sqlite3_get_autocommit(db.handle()) == 0;
  if (auto ok = db.exec(nested ? "SAVEPOINT srma_nested" : "BEGIN IMMEDIATE"); !ok) {
    return unexpected(ok.error());
  }
  return transaction(db, nested);
}

transaction::~transaction() {
  if (db_ == nullptr) return;
  // SQLite's rollback hook sees only a whole transaction's rollback; count nested ones here.
  db_->note_rollback();
  (void)db_->exec(nested_ ? "ROLLBACK TO srma_nested; RELEASE srma_nested" : "ROLLBACK");
}

expected<void> transaction::commit() {
  auto ok = db_->exec(nested_ ? "RELEASE srma_nested" : "COMMIT");
  if (ok) db_ = nullptr;
  return ok;
}

}  // namespace srma::project::detail
