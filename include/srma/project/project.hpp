// File: srma/project/project.hpp
//
// A review project: one folder holding one SQLite database (`review.srma.sqlite`, WAL mode) with
// every record imported, every de-duplication run, and every decision a person made, each with
// who made it and when. Nothing is ever updated or deleted (triggers refuse it): duplicates are
// grouped, decisions are appended, and a later decision (or an `undo`) supersedes an earlier one.
// Every count the review reports (PRISMA, agreement, Table 1) is derived from these rows.
//
// Each mutating call of this layer is one transaction (BEGIN IMMEDIATE ... COMMIT): a program
// killed half-way leaves the project as it was before the call.
//
// The schema is versioned (PRAGMA user_version). Opening a project of an older version runs the
// missing migrations in one transaction; a project of a newer version is refused. Version 2 adds
// the other methods of PRISMA 2020 as source kinds (website, organisation, citation) and the
// previous version of the review (srma/project/prisma.hpp); a version 1 project is migrated with
// its rows and ids unchanged. Version 3 adds the review team of `srma serve` (reviewers, hashed
// sign-in tokens and sessions, screening keywords; srma/project/reviewers.hpp).
//
// Example:
//
//   auto p = srma::project::review_project::init("nets-review", {.title = "PTR in NET"});
//   if (!p) { std::cerr << p.error().what() << '\n'; return 1; }
//   auto again = srma::project::review_project::open("nets-review");
//   auto report = srma::project::check(*again);  // integrity and the project's own invariants
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma::project {

/// The schema version this srma writes and reads.
inline constexpr int schema_version = 3;
/// The database file inside a project folder.
inline constexpr char database_file_name[] = "review.srma.sqlite";

/// The full-text exclusion reasons a new project starts with (users add their own).
[[nodiscard]] const std::vector<std::string>& default_exclusion_reasons();

/// Settings chosen at `init`.
struct init_options {
  std::string title;                 ///< The review's title (free text).
  std::vector<std::string> reasons;  ///< Full-text exclusion reasons; empty: the defaults.
  int screeners = 2;  ///< Independent reviewers each record needs per stage (1 or more).
  [[nodiscard]] std::string validate() const;
};

/// What a project holds about itself.
struct project_settings {
  std::string title;
  std::vector<std::string> reasons;
  int screeners = 2;
  int schema = schema_version;
  std::string created_at;  ///< ISO 8601 UTC
  std::string created_by;  ///< "srma 0.1.0"
};

namespace detail {
struct project_state;
}

/// An open project. Move-only; closes the database on destruction.
class review_project {
 public:
  /// Creates `dir` (if needed) and a new project in it.
  ///
  /// Errors: srma.project.E662 (a project is already there), E671 (invalid options), E665.
  [[nodiscard]] static expected<review_project> init(const std::filesystem::path& dir,
                                                     const init_options& options = {});
  /// Opens the project in `dir`, migrating an older schema.
  ///
  /// Errors: srma.project.E661 (no project in `dir`), E663 (newer schema), E664 (not a database).
  [[nodiscard]] static expected<review_project> open(const std::filesystem::path& dir);

  review_project(review_project&&) noexcept;
  review_project& operator=(review_project&&) noexcept;
  review_project(const review_project&) = delete;
  review_project& operator=(const review_project&) = delete;
  ~review_project();

  [[nodiscard]] const std::filesystem::path& dir() const;
  [[nodiscard]] std::filesystem::path database_path() const;
  [[nodiscard]] const project_settings& settings() const;

  /// Adds full-text exclusion reasons (kept in order; existing names are left as they are).
  expected<void> add_reasons(const std::vector<std::string>& reasons);

  /// The state behind the handle (for the other functions of this layer).
  [[nodiscard]] detail::project_state& state() const { return *state_; }

 private:
  explicit review_project(std::unique_ptr<detail::project_state> state);
  std::unique_ptr<detail::project_state> state_;
};

/// The result of `check`.
struct check_report {
  std::string integrity;              ///< SQLite's integrity_check: "ok" when sound
  int schema = 0;                     ///< the project's schema version
  std::vector<std::string> problems;  ///< every invariant that does not hold, in words
  std::int64_t records = 0;
  std::int64_t batches = 0;
  std::int64_t decisions = 0;
  [[nodiscard]] bool ok() const { return integrity == "ok" && problems.empty(); }
};

/// Runs SQLite's integrity and foreign-key checks and the project's own invariants: every batch
/// holds the number of records it says; records and decisions refer to rows that exist; the last
/// de-duplication run names only existing records and groups each at most once; decisions use
/// known stages, votes and reasons; no record from other methods has a title/abstract vote;
/// every append-only table has its guards; PRISMA sums hold for the derived counts (both
/// columns, and the previous version's studies and reports in the totals).
[[nodiscard]] expected<check_report> check(const review_project& project);

}  // namespace srma::project
