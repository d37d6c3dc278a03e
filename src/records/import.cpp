// Importing files of bibliographic records: decoding (UTF-8 with or without BOM, UTF-16 with BOM,
// Windows-1252 for bytes that are not UTF-8), line ends (CRLF, LF, CR), format detection by
// content with the evidence in words, and dispatch to the reader of each format (ris.cpp,
// medline.cpp, pubmed_xml.cpp, endnote_xml.cpp, csv_records.cpp).
//
// Example:
//
//   auto file = srma::parse_records(bytes, "search.nbib");
//   // file->format == srma::record_format::medline,
//   // file->format_evidence == "line 2 is 'PMID- 30689646', followed by MEDLINE tags (...)"
#include "srma/records/import.hpp"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "import_detail.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

using detail::is_blank;
using detail::split_lines;
using detail::trim_space;
using detail::utf8_prefix;

// ---- decoding -------------------------------------------------------------------------------

struct decoded {
  std::string text;
  std::string encoding;
  std::vector<std::string> warnings;
};

// 1-based line of byte `offset`: a line ends at LF, CRLF or a lone CR.
int line_at(std::string_view bytes, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
    const bool lf = bytes[i] == '\n';
    const bool lone_cr = bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n');
    if (lf || lone_cr) ++line;
  }
  return line;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Windows-1252 bytes 0x80-0x9F (https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/
// CP1252.TXT); the five undefined ones (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the
// same number, as the WHATWG Encoding Standard does. 0xA0-0xFF are Latin-1 = U+00A0-U+00FF.
constexpr std::array<char16_t, 32> k_cp1252_80 = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return i + k < s.size() && b(k) >= lo && b(k) <= hi;
  };
  const unsigned c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

expected<std::string> utf16_to_utf8(std::string_view bytes, bool little_endian,
                                    const std::string& source) {
  std::string out;
  out.reserve(bytes.size());
  const auto unit = [&](std::size_t i) {
    const auto lo = static_cast<unsigned char>(bytes[little_endian ? i : i + 1]);
    const auto hi = static_cast<unsigned char>(bytes[little_endian ? i + 1 : i]);
    return static_cast<char32_t>(hi << 8 | lo);
  };
  std::size_t i = 0;
  while (i + 1 < bytes.size()) {
    char32_t u = unit(i);
    i += 2;
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < bytes.size()) {
      const char32_t low = unit(i);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {
      return fail(errc::records_unreadable,
                  fmt::format("invalid UTF-16 (an unpaired surrogate at byte {}): expected the "
                              "UTF-16 text its byte-order mark announces",
                              i - 2),
                  {source, line_at(out, out.size()), 0});
    }
    append_utf8(out, u);
  }
  return out;
}

expected<decoded> decode(std::string_view bytes, const std::string& source) {
  decoded d;
  std::string utf16;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    d.encoding = "utf-8 with BOM";
  } else if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    const bool le = bytes[0] == '\xFF';
    auto text = utf16_to_utf8(bytes.substr(2), le, source);
    if (!text) return unexpected(text.error());
    utf16 = std::move(*text);
    bytes = utf16;
    d.encoding = le ? "utf-16le" : "utf-16be";
  } else {
    d.encoding = "utf-8";
  }
  if (is_blank(bytes)) {
    return fail(errc::records_unreadable,
                "the file is empty: expected exported records (RIS, MEDLINE, XML or CSV)",
                {source, 0, 0});
  }
  struct magic {
    std::string_view bytes, what;
  };
  static constexpr magic k_magic[] = {
      {"PK\x03\x04", "a ZIP archive (or an .xlsx/.docx file)"},
      {"\x1F\x8B", "a gzip-compressed file"},
      {"%PDF-", "a PDF document"},
  };
  for (const auto& m : k_magic) {
    if (bytes.starts_with(m.bytes)) {
      return fail(errc::records_unreadable,
                  fmt::format("the file is {}, not exported records: unpack or export the "
                              "records as text (RIS, MEDLINE, XML or CSV) first",
                              m.what),
                  {source, 0, 0});
    }
  }
  if (const std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    const bool utf16_like = (bytes.size() > 1 && (bytes[0] == '\0' || bytes[1] == '\0'));
    return fail(
        errc::records_unreadable,
        fmt::format("the file is binary (a NUL byte at byte {}), not exported records{}", nul + 1,
                    utf16_like ? "; if it is UTF-16 without a byte-order mark, save it "
                                 "as UTF-8"
                               : ""),
        {source, line_at(bytes, nul), 0});
  }

  std::string& out = d.text;
  out.reserve(bytes.size() + bytes.size() / 16);
  std::size_t first_bad = std::string_view::npos;
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Copy a run of ASCII other than CR in one go; stop at CR and at non-ASCII bytes.
    std::size_t j = i;
    while (j < bytes.size() && static_cast<unsigned char>(bytes[j]) < 0x80 && bytes[j] != '\r') ++j;
    out.append(bytes.data() + i, j - i);
    i = j;
    if (i >= bytes.size()) break;
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r') {  // CRLF and a lone CR become LF
      out += '\n';
      i += i + 1 < bytes.size() && bytes[i + 1] == '\n' ? 2 : 1;
      continue;
    }
    if (const std::size_t n = utf8_length(bytes, i); n > 0) {
      out.append(bytes.substr(i, n));
      i += n;
      continue;
    }
    if (first_bad == std::string_view::npos) first_bad = i;
    append_utf8(out, c < 0xA0 ? static_cast<char32_t>(k_cp1252_80[c - 0x80]) : char32_t{c});
    ++i;
  }
  if (first_bad != std::string_view::npos) {
    d.encoding = "windows-1252";
    d.warnings.push_back(fmt::format(
        "{}:{}: not valid UTF-8 (byte 0x{:02X} is the first such byte): bytes that are not UTF-8 "
        "were read as Windows-1252 (Latin-1); check accented letters, or save the file as UTF-8",
        source, line_at(bytes, first_bad), static_cast<unsigned char>(bytes[first_bad])));
  }
  return d;
}

// ---- detection ------------------------------------------------------------------------------

// Name of the root element of XML text: skips the declaration, comments, processing
// instructions and a DOCTYPE (with an internal subset). Sets `after` to the offset past the name.
std::string xml_root(std::string_view t, std::size_t& after) {
  std::size_t i = 0;
  while (i < t.size()) {
    i = t.find('<', i);
    if (i == std::string_view::npos) return {};
    if (t.substr(i).starts_with("<?")) {
      i = t.find("?>", i);
    } else if (t.substr(i).starts_with("<!--")) {
      i = t.find("-->", i);
    } else if (t.substr(i).starts_with("<!")) {
      int depth = 0;
      std::size_t j = i + 2;
      for (; j < t.size(); ++j) {
        if (t[j] == '[') ++depth;
        if (t[j] == ']') --depth;
        if (t[j] == '>' && depth <= 0) break;
      }
      i = j;
    } else {
      std::size_t j = i + 1;
      while (j < t.size() && t[j] != '>' && t[j] != '/' && t[j] != ' ' && t[j] != '\t' &&
             t[j] != '\n' && t[j] != '\r')
        ++j;
      after = j;
      return std::string(t.substr(i + 1, j - i - 1));
    }
    if (i == std::string_view::npos) return {};
    ++i;
  }
  return {};
}

std::optional<record_format_evidence> detect_xml(std::string_view t) {
  std::size_t after = 0;
  const std::string root = xml_root(t, after);
  if (root == "PubmedArticleSet" || root == "PubmedArticle" || root == "PubmedBookArticle") {
    return record_format_evidence{record_format::pubmed_xml,
                                  fmt::format("XML with root element <{}>", root)};
  }
  if (root == "xml") {
    std::size_t next = 0;
    const std::string child = xml_root(t.substr(after), next);
    if (child == "records") {
      return record_format_evidence{record_format::endnote_xml,
                                    "XML with root element <xml> holding <records>"};
    }
  }
  return std::nullopt;
}

std::string quote_line(std::string_view line) {
  const std::string_view cut = utf8_prefix(trim_space(line), 60);
  return std::string(cut) + (cut.size() < trim_space(line).size() ? "..." : "");
}

std::optional<record_format_evidence> detect_tagged(const std::vector<std::string_view>& lines) {
  int non_blank = 0;
  for (std::size_t i = 0; i < lines.size() && non_blank < 50; ++i) {
    const std::string_view line = lines[i];
    if (is_blank(line)) continue;
    ++non_blank;
    std::string_view tag, value;
    if (detail::match_ris_tag(line, tag, value)) {
      if (tag != "TY") return std::nullopt;
      std::string evidence = fmt::format("line {} is '{}'", i + 1, quote_line(line));
      for (std::size_t k = i + 1; k < lines.size(); ++k) {
        if (detail::match_ris_tag(lines[k], tag, value) && tag == "ER") {
          evidence += fmt::format(" and line {} '{}'", k + 1, quote_line(lines[k]));
          break;
        }
      }
      return record_format_evidence{record_format::ris, evidence + ": RIS tags"};
    }
    if (detail::match_medline_tag(line, tag, value)) {
      if (tag != "PMID") return std::nullopt;
      std::vector<std::string_view> tags;
      for (std::size_t k = i + 1; k < lines.size() && tags.size() < 3; ++k) {
        std::string_view t2, v2;
        if (detail::match_medline_tag(lines[k], t2, v2) && t2 != "PMID") tags.push_back(t2);
      }
      std::string evidence = fmt::format("line {} is '{}'", i + 1, quote_line(line));
      if (!tags.empty()) evidence += fmt::format(", followed by tags {}", fmt::join(tags, ", "));
      return record_format_evidence{record_format::medline, evidence + ": MEDLINE"};
    }
  }
  return std::nullopt;
}

std::optional<record_format_evidence> detect_csv(std::string_view t) {
  const detail::csv_start start = detail::find_csv_start(t);
  if (start.offset >= t.size()) return std::nullopt;
  const std::string_view rest = t.substr(start.offset);
  const std::string_view line = rest.substr(0, rest.find('\n'));
  const auto header = detail::split_header_line(line);
  const int title = detail::find_title_column(header);
  if (title < 0) return std::nullopt;
  std::string evidence = fmt::format(
      "line {} is a header row of {} columns with a title column "
      "('{}')",
      start.line, header.size(), header[static_cast<std::size_t>(title)]);
  const std::string exporter = detail::csv_exporter(header, start.preamble_end_line > 0);
  if (!exporter.empty()) evidence += fmt::format(", as {} exports", exporter);
  if (start.preamble_end_line > 0) {
    evidence += fmt::format(", after a search-query preamble ending with a dashed line (line {})",
                            start.preamble_end_line);
  }
  return record_format_evidence{record_format::csv, evidence + ": CSV"};
}

std::optional<record_format_evidence> detect_by_counts(const std::vector<std::string_view>& lines) {
  int ris = 0, pmid = 0;
  const std::size_t n = std::min<std::size_t>(lines.size(), 5000);
  for (std::size_t i = 0; i < n; ++i) {
    std::string_view tag, value;
    if (detail::match_ris_tag(lines[i], tag, value) && (tag == "TY" || tag == "ER")) ++ris;
    if (lines[i].starts_with("PMID- ")) ++pmid;
  }
  if (ris > pmid) {
    return record_format_evidence{
        record_format::ris,
        fmt::format("{} 'TY  - '/'ER  - ' lines in the first {} lines, though the first tag "
                    "is not 'TY': RIS",
                    ris, n)};
  }
  if (pmid > 0) {
    return record_format_evidence{
        record_format::medline,
        fmt::format("{} 'PMID- ' lines in the first {} lines, though the first tag is not "
                    "'PMID': MEDLINE",
                    pmid, n)};
  }
  return std::nullopt;
}

// Why a file is none of the formats, for the E621 message.
std::string unknown_format_message(const std::vector<std::string_view>& lines, int& line) {
  std::size_t i = 0;
  while (i < lines.size() && is_blank(lines[i])) ++i;
  line = static_cast<int>(i) + 1;
  const std::string_view first = i < lines.size() ? lines[i] : std::string_view();
  std::string hint;
  if (first.starts_with("FN ")) {
    hint =
        "; this looks like Web of Science plain text ('FN' tags), which is not read: export "
        "'Tab delimited file' instead";
  } else if (first.size() > 4 && first[0] >= 'A' && first[0] <= 'Z' && first[2] == ' ' &&
             first[3] == '-') {
    hint = "; RIS tags need two spaces before the dash ('TY  - ')";
  } else if (trim_space(first).starts_with("<")) {
    hint = "; XML other than PubMed XML (<PubmedArticleSet>) or EndNote XML (<xml><records>)";
  }
  return fmt::format(
      "cannot tell the format of the records: expected RIS ('TY  - ' lines), MEDLINE "
      "('PMID- ' lines), PubMed XML, EndNote XML, or CSV with a title column; the first line "
      "reads '{}'{}",
      quote_line(first), hint);
}

expected<std::vector<bib_record>> parse_as(record_format f, std::string_view text,
                                           const std::string& source,
                                           std::vector<std::string>& warnings) {
  switch (f) {
    case record_format::ris:
      return detail::parse_ris(text, source, warnings);
    case record_format::medline:
      return detail::parse_medline(text, source, warnings);
    case record_format::pubmed_xml:
      return detail::parse_pubmed_xml(text, source, warnings);
    case record_format::endnote_xml:
      return detail::parse_endnote_xml(text, source, warnings);
    case record_format::csv:
      return detail::parse_csv_records(text, source, warnings);
  }
  return detail::parse_ris(text, source, warnings);
}

std::string_view expected_record(record_format f) {
  switch (f) {
    case record_format::ris:
      return "a record from 'TY  - ' to 'ER  - '";
    case record_format::medline:
      return "a record starting with 'PMID- '";
    case record_format::pubmed_xml:
      return "a <PubmedArticle> or <PubmedBookArticle> element";
    case record_format::endnote_xml:
      return "a <record> element in <records>";
    case record_format::csv:
      return "a row below the header";
  }
  return "";
}

// Detection reads the first 4 MB: enough for any evidence, cheap for huge files.
constexpr std::size_t k_prefix = std::size_t{4} << 20;

// The first 4 MB of raw text without BOM, with line ends as LF.
std::string detection_prefix(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  text = text.substr(0, std::min<std::size_t>(text.size(), k_prefix));
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Detection on decoded text (no BOM, LF line ends).
std::optional<record_format_evidence> explain_decoded(std::string_view text) {
  const std::string_view t = text.substr(0, std::min<std::size_t>(text.size(), k_prefix));
  const std::size_t first = t.find_first_not_of(" \t\n");
  if (first == std::string::npos) return std::nullopt;
  if (t[first] == '<') return detect_xml(t);
  const auto lines = split_lines(t);
  if (auto f = detect_tagged(lines)) return f;
  if (auto f = detect_csv(t)) return f;
  return detect_by_counts(lines);
}

}  // namespace

std::optional<record_format_evidence> explain_record_format(std::string_view text) {
  return explain_decoded(detection_prefix(text));
}

std::optional<record_format> detect_record_format(std::string_view text) {
  if (auto e = explain_record_format(text)) return e->format;
  return std::nullopt;
}

expected<record_file> parse_records(std::string_view bytes, std::string source,
                                    std::optional<record_format> format) {
  auto d = decode(bytes, source);
  if (!d) return unexpected(std::move(d).error());
  record_file file;
  file.encoding = d->encoding;
  file.warnings = std::move(d->warnings);
  const std::string_view text = d->text;
  const auto detected = explain_decoded(text);
  if (format) {
    if (detected && detected->format != *format) {
      return fail(errc::records_unknown_format,
                  fmt::format("the file was given as {}, but it is {} ({})", to_string(*format),
                              to_string(detected->format), detected->evidence),
                  {source, 0, 0}, std::string(to_string(*format)));
    }
    file.format = *format;
    file.format_evidence = detected ? "given, and " + detected->evidence : "given by the caller";
  } else if (detected) {
    file.format = detected->format;
    file.format_evidence = detected->evidence;
  } else {
    const auto lines = split_lines(text.substr(0, std::min<std::size_t>(text.size(), 1 << 16)));
    int line = 0;
    std::string message = unknown_format_message(lines, line);
    return fail(errc::records_unknown_format, std::move(message), {source, line, 0});
  }
  auto records = parse_as(file.format, text, source, file.warnings);
  if (!records) return unexpected(std::move(records).error());
  if (records->empty()) {
    return fail(errc::records_unreadable,
                fmt::format("the file holds no record: expected {}", expected_record(file.format)),
                {source, 0, 0});
  }
  file.records = std::move(*records);
  file.source = std::move(source);
  return file;
}

expected<record_file> read_records(const std::string& path, std::optional<record_format> format) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(errc::records_unreadable, "this is a folder, not a file of records", {path, 0, 0});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(errc::records_unreadable, "cannot open the file for reading (does it exist?)",
                {path, 0, 0});
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return fail(errc::records_unreadable, "reading the file failed", {path, 0, 0});
  return parse_records(buffer.view(), path, format);
}

}  // namespace srma
