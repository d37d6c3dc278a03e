// File: srma/util/version.hpp
//
// The library's version, as set in CMakeLists.txt. Reports record it for reproducibility.
#pragma once

#include <string_view>

namespace srma {

/// "MAJOR.MINOR.PATCH".
[[nodiscard]] std::string_view version();

}  // namespace srma
