// write_file_atomic: temporary file + rename, so no reader ever sees half a file.
#include "srma/io/file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "srma/util/error_ids.hpp"

namespace srma {

expected<void> write_file_atomic(const std::string& path, std::string_view text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path tmp = target;
  tmp += ".srma-tmp";
  auto cleanup = [&] {
    std::error_code ignored;
    fs::remove(tmp, ignored);
  };
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      return fail(errc::output_unwritable,
                  fmt::format("cannot write '{}' (the folder must exist and be writable)", path),
                  {path, 0, 0});
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      cleanup();
      return fail(errc::output_unwritable, fmt::format("cannot write '{}'", path), {path, 0, 0});
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    cleanup();
    return fail(errc::output_unwritable, fmt::format("cannot replace '{}': {}", path, ec.message()),
                {path, 0, 0});
  }
  return {};
}

}  // namespace srma
