// The state behind a review_project handle, and helpers shared by the project layer's sources.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite.hpp"
#include "srma/io/csv.hpp"
#include "srma/project/project.hpp"

namespace srma::project::detail {

struct record_flow;

/// The last record flow (flow.hpp) with what it was derived from: the largest id of each table it
/// reads (all append-only, so a new row is a new largest id, whichever connection wrote it) and
/// the connection's rollback count (a rollback can take back rows that were read).
struct record_flow_cache {
  std::array<std::int64_t, 4> stamp{};
  std::uint64_t rollbacks = 0;
  std::shared_ptr<const record_flow> flow;
};

struct project_state {
  database db;
  std::filesystem::path dir;
  project_settings settings;
  mutable record_flow_cache flow_cache;
};

/// The tables whose rows are never updated or deleted (each has a `<table>_no_update` and a
/// `<table>_no_delete` trigger), in the order the migrations create them.
[[nodiscard]] std::vector<std::string> append_only_tables();

/// A record number on a sheet: "12" or "#12" (as printed), surrounding blanks ignored; empty
/// unless it is a whole number above 0.
[[nodiscard]] std::optional<std::int64_t> parse_record_number(std::string_view text);

/// The row's record_id cell as a record number, or srma.project.E667 at its line and column.
[[nodiscard]] expected<std::int64_t> sheet_record_number(const csv_table& csv, std::size_t row,
                                                         int column);

/// Now, as ISO 8601 UTC with seconds ("2026-12-01T10:42:07Z").
[[nodiscard]] std::string now_utc();

/// Propagates an error of an expected<...> as unexpected(...) from the enclosing function.
#define SRMA_PROJECT_TRY(expr)                                          \
  do {                                                                  \
    auto srma_try_result_ = (expr);                                     \
    if (!srma_try_result_) return unexpected(srma_try_result_.error()); \
  } while (false)

}  // namespace srma::project::detail
