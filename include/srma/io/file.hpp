// File: srma/io/file.hpp
//
// Writing output files so that a failure never leaves a partial file: the text goes to a
// temporary file in the same folder, which is then renamed over the target (atomic on POSIX).
//
// Example:
//
//   if (auto ok = srma::write_file_atomic("ipd.csv", text); !ok)
//     std::cerr << ok.error().what() << '\n';
#pragma once

#include <string>
#include <string_view>

#include "srma/util/expected.hpp"

namespace srma {

/// Replaces (or creates) `path` with `text`. Errors: srma.output.E801 when the folder or the
/// file cannot be written; the target is then left as it was.
[[nodiscard]] expected<void> write_file_atomic(const std::string& path, std::string_view text);

}  // namespace srma
