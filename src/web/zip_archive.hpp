// A zip archive in memory, for the analysis page's download of a whole `srma run` report
// (private to src/web). libzip (Debian libzip-dev) writes it: the archive format, its CRCs and
// deflate are the library's; this file only hands it the files.
//
// Example:
//
//   auto bytes = srma::web::detail::zip_archive({{"report/report.html", html}});
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma::web::detail {

/// One file of an archive: its path inside the archive ('/'-separated, UTF-8) and its bytes.
struct zip_entry {
  std::string path;
  std::string bytes;
};

/// The bytes of a zip archive holding `entries` in order, deflated, every file dated 1 January
/// 2000 00:00 so that the same files give the same archive. Errors: srma.output.E801 (libzip
/// refused; its message is given).
[[nodiscard]] expected<std::string> zip_archive(const std::vector<zip_entry>& entries);

}  // namespace srma::web::detail
