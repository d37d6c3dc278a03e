// The reports included at full text, with a default study label ("<surname> <year>").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "srma/project/project.hpp"
#include "srma/util/expected.hpp"

namespace srma::project::detail {

struct included_report {
  std::int64_t record = 0;
  std::string title;
  std::string default_label;
};

[[nodiscard]] expected<std::vector<included_report>> included_reports(
    const review_project& project);

}  // namespace srma::project::detail
