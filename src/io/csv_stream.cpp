// csv_stream: parse_csv's tokenizer fed one block of the file at a time.
#include "srma/io/csv_stream.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "csv_tokenizer.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

constexpr std::size_t k_block = std::size_t{1} << 20;

// Length of the longest prefix of `s` that does not end inside a UTF-8 sequence.
std::size_t whole_sequences(std::string_view s) {
  for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    const auto c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    std::size_t len = 1;
    if ((c & 0xE0) == 0xC0) len = 2;
    if ((c & 0xF0) == 0xE0) len = 3;
    if ((c & 0xF8) == 0xF0) len = 4;
    return len > back ? s.size() - back : s.size();
  }
  return s.size();
}

}  // namespace

struct csv_stream::impl {
  std::string source;
  std::FILE* file = nullptr;
  std::uint64_t size = 0;
  std::string buf;          // unread text (from the start of the current record on)
  std::size_t pos = 0;      // next record starts at buf[pos]
  std::size_t checked = 0;  // buf[0, checked) is valid UTF-8
  int checked_lines = 0;    // line breaks in the file before buf[checked]
  std::uint64_t base = 0;   // file offset of buf[0]
  std::uint64_t read = 0;   // bytes read from the file
  bool eof = false;
  int line = 1;
  std::vector<std::string> header;
  int header_line = 1;
  std::unique_ptr<detail::csv_tokenizer> tok;
  std::vector<std::string_view> fields;
  int row_line = 0;
  std::uint64_t row_offset = 0;

  impl() = default;
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;
  ~impl() {
    if (file) std::fclose(file);
  }

  // Appends the next block of the file; drops what is consumed first. E103, E106.
  expected<void> fill() {
    if (pos > 0) {
      buf.erase(0, pos);
      base += pos;
      checked -= std::min(checked, pos);
      pos = 0;
    }
    const std::size_t old = buf.size();
    buf.resize(old + std::max(k_block, old));  // a record longer than a block doubles it
    const std::size_t got = std::fread(buf.data() + old, 1, buf.size() - old, file);
    buf.resize(old + got);
    read += got;
    if (got == 0) {
      if (std::ferror(file))
        return fail(errc::csv_unreadable, "reading the file failed", {source, 0, 0});
      eof = true;
    }
    if (read == got && buf.size() >= 3 && std::string_view(buf).substr(0, 3) == "\xEF\xBB\xBF") {
      buf.erase(0, 3);  // the byte-order mark of the first block
      base += 3;
    }
    const std::string_view text(buf);
    const std::size_t end = eof ? text.size() : whole_sequences(text);
    const std::string_view fresh = text.substr(checked, end - checked);
    if (auto bad = detail::find_invalid_utf8(fresh); bad != std::string_view::npos) {
      const int line_of = 1 + checked_lines +
                          static_cast<int>(std::count(fresh.begin(), fresh.begin() + bad, '\n'));
      return fail(errc::csv_invalid_utf8,
                  fmt::format("invalid UTF-8 byte 0x{:02X}; save the file as UTF-8",
                              static_cast<unsigned char>(fresh[bad])),
                  {source, line_of, 0});
    }
    checked_lines += static_cast<int>(std::count(fresh.begin(), fresh.end(), '\n'));
    checked = end;
    return {};
  }

  // The next record of the file into tok->fields(). False at the end.
  expected<bool> record() {
    for (;;) {
      row_offset = base + pos;
      const auto s = tok->next(std::string_view(buf).substr(0, checked), pos, line,
                               eof && checked == buf.size());
      if (s == detail::csv_tokenizer::status::record) return true;
      if (s == detail::csv_tokenizer::status::end) return false;
      if (s == detail::csv_tokenizer::status::failed) return unexpected(tok->failure());
      if (eof && checked == buf.size()) return false;
      if (auto ok = fill(); !ok) return unexpected(ok.error());
    }
  }
};

csv_stream::csv_stream(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
csv_stream::csv_stream(csv_stream&&) noexcept = default;
csv_stream& csv_stream::operator=(csv_stream&&) noexcept = default;
csv_stream::~csv_stream() = default;

expected<csv_stream> csv_stream::open(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(errc::csv_unreadable, "this is a folder, not a file: name a CSV file",
                {path, 0, 0});
  }
  auto p = std::make_unique<impl>();
  p->source = path;
  errno = 0;
  p->file = std::fopen(path.c_str(), "rb");
  if (!p->file) {
    const int err = errno;
    return fail(errc::csv_unreadable,
                fmt::format("cannot open the file for reading: {}",
                            err != 0 ? std::generic_category().message(err)
                                     : std::string("does it exist?")),
                {path, 0, 0});
  }
  if (std::filesystem::is_regular_file(path, ec)) p->size = std::filesystem::file_size(path, ec);
  if (ec) p->size = 0;
  if (auto ok = p->fill(); !ok) return unexpected(ok.error());
  p->tok = std::make_unique<detail::csv_tokenizer>(
      detail::detect_separator(std::string_view(p->buf).substr(0, p->checked)), path);
  auto first = p->record();
  if (!first) return unexpected(first.error());
  if (!*first) {
    return fail(errc::csv_empty, "the file is empty: expected a header row naming the columns",
                {path, 0, 0});
  }
  p->header_line = p->tok->line();
  detail::header_names names;
  for (std::size_t j = 0; j < p->tok->fields().size(); ++j) {
    std::string name(p->tok->fields()[j]);
    if (name.empty()) {
      return fail(errc::csv_bad_column_name, "column name is empty: every column needs a name",
                  {path, p->header_line, static_cast<int>(j) + 1});
    }
    if (const std::size_t prev = names.add(name, j); prev != std::string_view::npos) {
      return fail(
          errc::csv_bad_column_name,
          fmt::format("column name '{}' appears twice (columns {} and {})", name, prev + 1, j + 1),
          {path, p->header_line, static_cast<int>(j) + 1});
    }
    p->header.push_back(std::move(name));
  }
  return csv_stream(std::move(p));
}

expected<bool> csv_stream::next() {
  auto& p = *impl_;
  auto more = p.record();
  if (!more || !*more) return more;
  const auto& f = p.tok->fields();
  const std::size_t ncol = p.header.size();
  // Trailing empty fields beyond the header (a trailing separator) are harmless.
  std::size_t n = f.size();
  while (n > ncol && f[n - 1].empty()) --n;
  if (n != ncol) {
    return fail(errc::csv_field_count,
                fmt::format("row has {} fields, but the header has {} columns", n, ncol),
                {p.source, p.tok->line(), 0});
  }
  p.row_line = p.tok->line();
  return true;
}

std::span<const std::string_view> csv_stream::fields() const {
  return {impl_->tok->fields().data(), impl_->header.size()};
}
int csv_stream::line() const { return impl_->row_line; }
std::uint64_t csv_stream::offset() const { return impl_->row_offset; }
const std::string& csv_stream::source() const { return impl_->source; }
const std::vector<std::string>& csv_stream::header() const { return impl_->header; }
int csv_stream::header_line() const { return impl_->header_line; }
char csv_stream::separator() const { return impl_->tok->separator(); }
int csv_stream::find_column(std::string_view name) const {
  for (std::size_t j = 0; j < impl_->header.size(); ++j) {
    if (detail::iequals(impl_->header[j], name)) return static_cast<int>(j);
  }
  return -1;
}
std::uint64_t csv_stream::bytes_read() const { return impl_->read; }
std::uint64_t csv_stream::file_size() const { return impl_->size; }

}  // namespace srma
