// A zip archive in memory through libzip (zip_archive.hpp).
#include "zip_archive.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <ctime>
#include <memory>

#include "srma/util/error_ids.hpp"

namespace srma::web::detail {

namespace {

unexpected zip_failure(std::string_view what, zip_error_t* e) {
  return fail(errc::output_unwritable,
              fmt::format("cannot write the zip archive ({}): {}", what,
                          e != nullptr ? zip_error_strerror(e) : "unknown error"));
}

// 2000-01-01 00:00 local time: zip stores DOS dates, which have no time zone.
std::time_t fixed_date() {
  std::tm t{};
  t.tm_year = 100;
  t.tm_mon = 0;
  t.tm_mday = 1;
  t.tm_isdst = -1;
  return std::mktime(&t);
}

}  // namespace

expected<std::string> zip_archive(const std::vector<zip_entry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  // The archive is written into a growing buffer source, kept past zip_close to be read back.
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) return zip_failure("a buffer", &error);
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> owned(buffer, zip_source_free);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) return zip_failure("opening", &error);
  zip_source_keep(buffer);
  const std::time_t date = fixed_date();
  for (const auto& e : entries) {
    // The entries' bytes outlive zip_close (they are the caller's), so no copy is made.
    zip_source_t* file = zip_source_buffer(archive, e.bytes.data(), e.bytes.size(), 0);
    if (file == nullptr) {
      auto err = zip_failure(e.path, zip_get_error(archive));
      zip_discard(archive);
      return err;
    }
    const zip_int64_t index = zip_file_add(archive, e.path.c_str(), file, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(file);
      auto err = zip_failure(e.path, zip_get_error(archive));
      zip_discard(archive);
      return err;
    }
    zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), date, 0);
  }
  if (zip_close(archive) != 0) {
    auto err = zip_failure("closing", zip_get_error(archive));
    zip_discard(archive);
    return err;
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(buffer, &st) != 0 || zip_source_open(buffer) != 0) {
    return zip_failure("reading back", zip_source_error(buffer));
  }
  std::string out(static_cast<std::size_t>(st.size), '\0');
  const zip_int64_t got = zip_source_read(buffer, out.data(), st.size);
  zip_source_close(buffer);
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
    return zip_failure("reading back", zip_source_error(buffer));
  }
  return out;
}

}  // namespace srma::web::detail
