// The state behind a review_project handle, and helpers shared by the project layer's sources.
#pragma once

#include <filesystem>
#include <string>

#include "sqlite.hpp"
#include "srma/project/project.hpp"

namespace srma::project::detail {

struct project_state {
  database db;
  std::filesystem::path dir;
  project_settings settings;
};

/// Now, as ISO 8601 UTC with seconds ("2026-12-01T10:42:07Z").
[[nodiscard]] std::string now_utc();

/// Propagates an error of an expected<...> as unexpected(...) from the enclosing function.
#define SRMA_PROJECT_TRY(expr)                                          \
  do {                                                                  \
    auto srma_try_result_ = (expr);                                     \
    if (!srma_try_result_) return unexpected(srma_try_result_.error()); \
  } while (false)

}  // namespace srma::project::detail
