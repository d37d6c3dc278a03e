// RAII glue over SQLite's C API for the review project (private to src/project/).
//
// Written by hand because it is glue, not a library: SQLite itself is the well-kept part; this file
// only owns handles (database, statement), binds and reads values, and turns result codes into
// srma errors. Nothing here knows the project's schema.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "srma/util/expected.hpp"

namespace srma::project::detail {

class statement;

/// An open database connection. Move-only; closes on destruction.
class database {
 public:
  database() = default;
  ~database();
  database(database&& other) noexcept;
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  /// Opens `path` (read-write; `create` also creates it). Foreign keys on, busy timeout 10 s.
  static expected<database> open(const std::string& path, bool create);

  /// Runs SQL without results (several statements allowed).
  expected<void> exec(std::string_view sql) const;
  /// Prepares one statement. A statement of the same SQL that an earlier caller finished with is
  /// handed out again (reset, bindings cleared) instead of being compiled anew: compiling is most
  /// of the cost of a small query (a vote in `srma serve` runs about ten). At most
  /// `kept_statements` idle statements are kept; SQLite recompiles a kept one by itself if the
  /// schema changed.
  [[nodiscard]] expected<statement> prepare(std::string_view sql) const;
  static constexpr std::size_t kept_statements = 64;
  /// The rowid of the last insert.
  [[nodiscard]] std::int64_t last_insert_id() const;
  /// PRAGMA user_version.
  [[nodiscard]] expected<int> user_version() const;

  [[nodiscard]] sqlite3* handle() const { return db_; }
  /// How many transactions or nested transactions were rolled back on this connection so far:
  /// caches of data read inside a transaction compare it to know that what they read may be gone.
  [[nodiscard]] std::uint64_t rollbacks() const { return shared_ ? shared_->rollbacks : 0; }
  /// Counts a rollback (transaction does; SQLite's rollback hook counts those SQLite makes).
  void note_rollback() const {
    if (shared_) ++shared_->rollbacks;
  }
  [[nodiscard]] const std::string& path() const { return path_; }
  /// An error with `id` and SQLite's own message for the last failure.
  [[nodiscard]] srma::error failure(const char* id, std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  friend class statement;
  // A finished statement: kept for the next prepare of its SQL, or finalized.
  void give_back(sqlite3_stmt* stmt) const;
  void finalize_kept() const;
  struct shared_state {
    std::uint64_t rollbacks = 0;
    std::unordered_multimap<std::string, sqlite3_stmt*> kept;  // SQL text -> idle statement
  };
  // On the heap: SQLite's rollback hook keeps its address while the handle moves.
  std::unique_ptr<shared_state> shared_;
};

/// A prepared statement. Bind with 1-based positions, step, read columns 0-based.
class statement {
 public:
  statement() = default;
  statement(const database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  ~statement();
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::int64_t v);
  statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  statement& bind(int i, long long v) { return bind(i, static_cast<std::int64_t>(v)); }
  statement& bind(int i, std::size_t v) { return bind(i, static_cast<std::int64_t>(v)); }
  statement& bind(int i, double v);
  statement& bind(int i, std::string_view v);
  statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  statement& bind(int i, const std::optional<std::string>& v);
  statement& bind_null(int i);

  /// Advances: true when a row is ready, false when done; an error otherwise.
  expected<bool> step();
  /// Runs to completion (for INSERT/UPDATE), then resets so the statement can be reused.
  expected<void> run();
  /// Resets for another run and clears bindings.
  void reset();

  [[nodiscard]] std::int64_t integer(int col) const;
  [[nodiscard]] double real(int col) const;
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] bool is_null(int col) const;

 private:
  const database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded. One per
/// command: the write lock is taken up front, so two commands never interleave their writes.
/// Inside an open transaction it nests as a SAVEPOINT (RELEASE on commit, ROLLBACK TO on
/// destruction), so a caller can group several commands into one commit (srma serve's votes)
/// and a failing command still leaves nothing of itself behind.
class transaction {
 public:
  static expected<transaction> begin(const database& db);
  ~transaction();
  transaction(transaction&& other) noexcept : db_(other.db_), nested_(other.nested_) {
    other.db_ = nullptr;
  }
  transaction& operator=(transaction&&) = delete;
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  expected<void> commit();

 private:
  transaction(const database& db, bool nested) : db_(&db), nested_(nested) {}
  const database* db_ = nullptr;
  bool nested_ = false;
};

}  // namespace srma::project::detail
