// CSV reader for record exports: Embase (with its search-query preamble and dashed line before
// the header), Scopus, Web of Science (tab-delimited or Excel-style names), and tables such as
// the bib-dedupe benchmark files (ID, title, year, author joined by " and ", ...).
//
// The table itself is read by srma::parse_csv (srma/io/csv.hpp), except Web of Science's
// tab-delimited files, which never quote and whose titles may start with a '"' (split on tabs
// here). Columns are found by name, ignoring case; every non-empty cell stays in `fields` under
// its column name.
//
// Example:
//
//   std::vector<std::string> warnings;
//   auto records = srma::detail::parse_csv_records(text, "scopus.csv", warnings);
#include <fmt/format.h>

#include <initializer_list>
#include <iterator>

#include "import_detail.hpp"
#include "srma/io/csv.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::detail {
namespace {

using names = std::initializer_list<std::string_view>;

int find_in(const std::vector<std::string>& header, const std::string_view* first,
            const std::string_view* last) {
  for (; first != last; ++first) {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (iequals(header[j], *first)) return static_cast<int>(j);
  }
  return -1;
}

int find_any(const std::vector<std::string>& header, names candidates) {
  return find_in(header, candidates.begin(), candidates.end());
}

constexpr std::string_view k_title[] = {"title", "article title", "document title",
                                        "ti",    "primary_title", "primary title"};

bool has(const std::vector<std::string>& header, names candidates) {
  return find_any(header, candidates) >= 0;
}

bool is_dashes(std::string_view line) {
  line = trim_space(line);
  return line.size() >= 3 && line.find_first_not_of('-') == std::string_view::npos;
}

// Authors in one cell: ';' (Scopus since 2023, Web of Science), " and " (BibTeX, bib-dedupe), or
// ", " between names that carry no comma of their own (older Scopus "Zuber J., Le Quintrec M.",
// Embase "Author Names").
std::vector<std::string> split_authors(std::string_view cell, bool comma_separated) {
  std::vector<std::string> out;
  cell = trim_space(cell);
  if (cell.empty() || cell == "[No author name available]") return out;
  std::string_view sep;
  if (cell.find(';') != std::string_view::npos) {
    sep = ";";
  } else if (cell.find(" and ") != std::string_view::npos) {
    sep = " and ";
  } else if (comma_separated) {
    sep = ", ";
  } else {
    out.emplace_back(cell);
    return out;
  }
  std::size_t start = 0;
  while (start <= cell.size()) {
    const std::size_t at = cell.find(sep, start);
    const std::string_view piece =
        trim_space(cell.substr(start, at == std::string_view::npos ? cell.npos : at - start));
    if (!piece.empty()) out.emplace_back(piece);
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  return out;
}

// Web of Science's tab-delimited export: one record per line, no quoting.
expected<csv_table> split_tab_table(std::string_view text, int first_line,
                                    const std::string& source) {
  csv_table table;
  table.source = source;
  table.separator = '\t';
  const auto lines = split_lines(text);
  bool header_done = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_blank(lines[i])) continue;
    const int lineno = first_line + static_cast<int>(i);
    std::vector<std::string> fields;
    std::size_t start = 0;
    const std::string_view line = lines[i];
    while (true) {
      const std::size_t tab = line.find('\t', start);
      fields.emplace_back(
          trim_space(line.substr(start, tab == line.npos ? line.npos : tab - start)));
      if (tab == line.npos) break;
      start = tab + 1;
    }
    if (!header_done) {
      while (!fields.empty() && fields.back().empty()) fields.pop_back();
      table.header = std::move(fields);
      table.header_line = lineno;
      header_done = true;
      continue;
    }
    while (fields.size() > table.header.size() && fields.back().empty()) fields.pop_back();
    if (fields.size() != table.header.size()) {
      return fail(errc::csv_field_count,
                  fmt::format("row has {} fields, but the header has {} columns", fields.size(),
                              table.header.size()),
                  {source, lineno, 0});
    }
    table.rows.push_back(csv_row{std::move(fields), lineno});
  }
  return table;
}

struct columns {
  int id = -1, title = -1, authors = -1, year = -1, journal = -1, volume = -1, issue = -1;
  int pages = -1, page_start = -1, page_end = -1, doi = -1, pmid = -1, accession = -1;
  int isbn = -1, abstract = -1, type = -1, database = -1;
};

columns map_columns(const std::vector<std::string>& h, const std::string& exporter) {
  columns c;
  const bool wos = exporter == "Web of Science";
  // In Web of Science's field tags, ID is "Keywords Plus", not an identifier.
  if (!wos) {
    c.id = find_any(
        h, {"id", "record_id", "recordid", "record id", "ref_id", "refid", "reference id", "key"});
  }
  c.title = find_in(h, std::begin(k_title), std::end(k_title));
  c.authors =
      wos ? find_any(h, {"af", "au", "author full names", "authors"})
          : find_any(h, {"author", "authors", "author names", "au", "author full names", "af"});
  c.year = find_any(h, {"year", "publication year", "py", "pubyear", "publication_year"});
  c.journal = find_any(h, {"journal", "source title", "so", "publication title", "journal title",
                           "secondary_title", "secondary title", "journal/book"});
  c.volume = find_any(h, {"volume", "vl"});
  c.issue = find_any(h, {"number", "issue", "is"});
  c.pages = find_any(h, {"pages", "page range"});
  c.page_start = find_any(h, {"page start", "first page", "start page", "bp"});
  c.page_end = find_any(h, {"page end", "last page", "end page", "ep"});
  c.doi = find_any(h, {"doi", "di"});
  c.pmid = find_any(h, {"pmid", "pubmed id", "medline pmid", "pm"});
  c.accession = find_any(h, {"accession", "accession number", "embase accession id", "eid", "ut",
                             "ut (unique wos id)", "an"});
  c.isbn = find_any(h, {"isbn", "bn"});
  c.abstract = find_any(h, {"abstract", "ab"});
  c.type = find_any(h, {"entrytype", "document type", "dt", "publication type", "type", "pt"});
  c.database = exporter == "Scopus" ? find_any(h, {"database", "db", "source"})
                                    : find_any(h, {"database", "db"});
  return c;
}

}  // namespace

csv_start find_csv_start(std::string_view text) {
  csv_start out;
  const auto lines = split_lines(text);
  const std::size_t scan = std::min<std::size_t>(lines.size(), 30);
  std::size_t header = 0;
  for (std::size_t i = 1; i < scan; ++i) {  // a preamble has at least one line before the dashes
    if (is_dashes(lines[i]) && !is_blank(lines[0])) {
      out.preamble_end_line = static_cast<int>(i) + 1;
      header = i + 1;
      break;
    }
  }
  while (header < lines.size() && is_blank(lines[header])) ++header;
  if (header >= lines.size()) {
    out.offset = text.size();
    out.line = static_cast<int>(lines.size()) + 1;
    return out;
  }
  out.offset = static_cast<std::size_t>(lines[header].data() - text.data());
  out.line = static_cast<int>(header) + 1;
  return out;
}

std::vector<std::string> split_header_line(std::string_view line) {
  int counts[3] = {0, 0, 0};
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ',') ++counts[0];
    if (c == ';') ++counts[1];
    if (c == '\t') ++counts[2];
  }
  char sep = ',';
  if (counts[1] > counts[0] && counts[1] >= counts[2]) sep = ';';
  if (counts[2] > counts[0] && counts[2] > counts[1]) sep = '\t';
  std::vector<std::string> out;
  std::string field;
  quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (c == sep && !quoted) {
      out.emplace_back(trim_space(field));
      field.clear();
      continue;
    }
    field += c;
  }
  out.emplace_back(trim_space(field));
  return out;
}

int find_title_column(const std::vector<std::string>& header) {
  return find_in(header, std::begin(k_title), std::end(k_title));
}

std::string csv_exporter(const std::vector<std::string>& h, bool embase_preamble) {
  if (has(h, {"ut", "ut (unique wos id)"})) return "Web of Science";
  if (has(h, {"eid"})) return "Scopus";
  if (embase_preamble || has(h, {"embase accession id", "author names"})) return "Embase";
  if (has(h, {"entrytype"})) return "bib-dedupe";
  return {};
}

expected<std::vector<bib_record>> parse_csv_records(std::string_view text,
                                                    const std::string& source,
                                                    std::vector<std::string>& warnings) {
  const csv_start start = find_csv_start(text);
  const std::string_view body = text.substr(start.offset);
  const std::string_view first_line = body.substr(0, body.find('\n'));
  const auto header_names = split_header_line(first_line);
  const std::string exporter = csv_exporter(header_names, start.preamble_end_line > 0);
  if (start.preamble_end_line > 0) {
    warnings.push_back(fmt::format(
        "{}:1: skipped the search-query preamble before the header (lines 1-{}, up to the "
        "dashed line)",
        source, start.preamble_end_line));
  }

  // Lines of parse_csv count from the header row; those of the tab splitter from the file start.
  const int line_offset = start.line - 1;
  const bool wos_tabs =
      exporter == "Web of Science" && first_line.find('\t') != std::string_view::npos;
  expected<csv_table> parsed =
      wos_tabs ? split_tab_table(body, start.line, source) : parse_csv(body, source);
  if (!parsed) {
    srma::error e = parsed.error();
    if (e.id == errc::csv_empty) {
      return fail(errc::records_unreadable, "the file holds no header row and no record",
                  {source, 0, 0});
    }
    if (!wos_tabs && e.where.line > 0) e.where.line += line_offset;
    return unexpected(std::move(e));
  }
  csv_table& table = *parsed;
  if (!wos_tabs) {
    table.header_line += line_offset;
    for (auto& row : table.rows) row.line += line_offset;
  }
  const columns c = map_columns(table.header, exporter);
  if (c.title < 0) {
    return fail(errc::records_unknown_format,
                fmt::format("the header row has no title column (expected one named 'title', "
                            "'Title', 'TI', 'Article Title' or 'Document Title'); it reads '{}'",
                            utf8_prefix(first_line, 80)),
                {source, start.line, 0});
  }
  const bool comma_authors = exporter == "Scopus" || exporter == "Embase";
  const auto starts = line_starts(text);
  auto offset_of_line = [&](int line) {
    return line - 1 < static_cast<int>(starts.size()) ? starts[static_cast<std::size_t>(line - 1)]
                                                      : text.size();
  };

  std::vector<bib_record> records;
  records.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const csv_row& row = table.rows[r];
    bib_record rec;
    rec.line = row.line;
    const std::size_t from = offset_of_line(row.line);
    const std::size_t to =
        r + 1 < table.rows.size() ? offset_of_line(table.rows[r + 1].line) : text.size();
    rec.raw = std::string(trim_space(text.substr(from, to - from)));
    auto cell = [&](int j) -> std::string {
      return j >= 0 ? row.fields[static_cast<std::size_t>(j)] : std::string();
    };
    for (std::size_t j = 0; j < table.header.size(); ++j) {
      if (!row.fields[j].empty()) rec.fields.emplace_back(table.header[j], row.fields[j]);
    }
    rec.id = cell(c.id);
    rec.title = cell(c.title);
    rec.authors = split_authors(cell(c.authors), comma_authors);
    rec.year = cell(c.year);
    rec.journal = cell(c.journal);
    rec.volume = cell(c.volume);
    rec.issue = cell(c.issue);
    rec.pages = cell(c.pages);
    if (rec.pages.empty()) {
      rec.pages = cell(c.page_start);
      const std::string end = cell(c.page_end);
      if (!end.empty() && end != rec.pages) rec.pages += (rec.pages.empty() ? "" : "-") + end;
    }
    rec.doi = cell(c.doi);
    rec.pmid = cell(c.pmid);
    rec.accession = cell(c.accession);
    rec.isbn = cell(c.isbn);
    rec.abstract = cell(c.abstract);
    rec.type = cell(c.type);
    rec.database = cell(c.database);
    finish_record(rec);
    records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace srma::detail
