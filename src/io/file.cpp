// write_file_atomic: temporary file + rename, so no reader ever sees half a file.
#include "srma/io/file.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "srma/util/error_ids.hpp"

namespace srma {

expected<std::string> read_file_text(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(errc::csv_unreadable, "this is a folder, not a file: name a CSV file",
                {path, 0, 0});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return fail(errc::csv_unreadable,
                fmt::format("cannot open the file for reading: {}",
                            err != 0 ? std::generic_category().message(err)
                                     : std::string("does it exist?")),
                {path, 0, 0});
  }
  // In blocks up to the limit: a device or an endless pipe (/dev/zero) is an error, not memory
  // without end.
  std::string text;
  // A regular file's size is known: one allocation of that size, not a string that doubles as
  // it grows (at each doubling the old and the new buffer are held at once, up to three times
  // the file). Devices and pipes report no size and grow as before.
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size <= max_bytes) {
    text.reserve(static_cast<std::size_t>(size) + 1);
  }
  std::array<char, 1 << 16> block{};
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    text.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      return fail(
          errc::csv_unreadable,
          fmt::format("the file is larger than {}, more than a study table can be; is "
                      "it the right file?",
                      max_bytes >= (std::size_t{1} << 20) ? fmt::format("{} MiB", max_bytes >> 20)
                                                          : fmt::format("{} bytes", max_bytes)),
          {path, 0, 0});
    }
  }
  if (in.bad()) return fail(errc::csv_unreadable, "reading the file failed", {path, 0, 0});
  return text;
}

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
