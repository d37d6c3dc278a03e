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

#include <cstddef>
#include <string>
#include <string_view>

#include "srma/util/expected.hpp"
#include "srma/util/limits.hpp"

namespace srma {

/// Reads a whole file, at most `max_bytes` of it. Errors (srma.csv.E106) say what is wrong: a
/// folder named instead of a file, the system's reason a file cannot be opened ("No such file
/// or directory", "Permission denied"), or more bytes than `max_bytes` (a device such as
/// /dev/zero, or the wrong file), which are never all read into memory.
[[nodiscard]] expected<std::string> read_file_text(const std::string& path,
                                                   std::size_t max_bytes = limits::max_input_bytes);

/// Replaces (or creates) `path` with `text`. Errors: srma.output.E801 when the folder or the
/// file cannot be written; the target is then left as it was.
[[nodiscard]] expected<void> write_file_atomic(const std::string& path, std::string_view text);

}  // namespace srma
