// Private helpers of the record readers (srma/records/import.hpp): line splitting, tag patterns,
// year extraction, the per-format parsers. Each parser takes decoded UTF-8 text with LF line ends
// and returns every record or the first error; warnings are appended to `warnings`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "srma/records/record.hpp"
#include "srma/util/expected.hpp"

namespace srma::detail {

/// The lines of LF-separated text (without the "\n"); a final empty line after a trailing "\n"
/// is not counted. Line i (0-based) is line i + 1 of the file.
std::vector<std::string_view> split_lines(std::string_view text);

/// Removes leading and trailing spaces, tabs and carriage returns.
std::string_view trim_space(std::string_view s);

/// True when `line` consists of white space only.
bool is_blank(std::string_view s);

/// RIS tag line: `^[A-Z][A-Z0-9]  -( |$)`. On success sets `tag` (two characters) and `value`
/// (trimmed).
bool match_ris_tag(std::string_view line, std::string_view& tag, std::string_view& value);

/// MEDLINE tag line: `^[A-Z]{2,4} {0,2}-( |$)`. On success sets `tag` and `value` (trimmed).
bool match_medline_tag(std::string_view line, std::string_view& tag, std::string_view& value);

/// Ovid's record-number line before each record: digits, a full stop, optional spaces ("3002. ").
bool is_ovid_record_number(std::string_view line);

/// Ovid's link line between records ("Link to the Ovid Full Text or citation: ...").
bool is_ovid_link(std::string_view line);

/// The year of a free-text date: the first run of exactly four digits ("1975-1976//" -> "1975",
/// "2019 Jan-Feb" -> "2019"), else the first four of an eight-digit run ("20190128"), else the
/// trimmed text as given.
std::string extract_year(std::string_view date);

/// Appends `piece` to `out` separated by one space (continuation lines, XML text nodes).
void append_with_space(std::string& out, std::string_view piece);

/// `s` with every run of white space (space, tab, CR, LF) replaced by one space, trimmed.
std::string collapse_space(std::string_view s);

/// The longest prefix of UTF-8 `s` of at most `max_bytes` bytes that ends on a character
/// boundary (for quoting a line in a message).
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// True when `s` is non-empty and all ASCII digits.
bool all_digits(std::string_view s);

/// Sets `r.id` (PMID, else DOI, else accession) when it is empty, and `r.year` from itself.
void finish_record(bib_record& r);

/// Line number (1-based) of byte `offset` in `text`, given the start offsets of its lines.
int line_of_offset(const std::vector<std::size_t>& line_starts, std::size_t offset);

/// Start offsets of the lines of `text` (the first is 0).
std::vector<std::size_t> line_starts(std::string_view text);

// ---- the parsers --------------------------------------------------------------------------------
expected<std::vector<bib_record>> parse_ris(std::string_view text, const std::string& source,
                                            std::vector<std::string>& warnings);
expected<std::vector<bib_record>> parse_medline(std::string_view text, const std::string& source,
                                                std::vector<std::string>& warnings);
expected<std::vector<bib_record>> parse_pubmed_xml(std::string_view text, const std::string& source,
                                                   std::vector<std::string>& warnings);
expected<std::vector<bib_record>> parse_endnote_xml(std::string_view text,
                                                    const std::string& source,
                                                    std::vector<std::string>& warnings);
expected<std::vector<bib_record>> parse_csv_records(std::string_view text,
                                                    const std::string& source,
                                                    std::vector<std::string>& warnings);

// ---- shared by detection and the CSV parser -----------------------------------------------------
/// Where the header row of a CSV export starts: after Embase's search-query preamble and dashed
/// line (and blank lines), else at the first non-blank line. `preamble_end_line` is the 1-based
/// line of the dashed line, or 0 when there is none.
struct csv_start {
  std::size_t offset = 0;  ///< Byte offset of the header row.
  int line = 1;            ///< Its 1-based line.
  int preamble_end_line = 0;
};
csv_start find_csv_start(std::string_view text);

/// The names in a header line: separator ',' ';' or tab (the most frequent outside quotes),
/// quotes removed, names trimmed.
std::vector<std::string> split_header_line(std::string_view line);

/// Index of the title column among `header` names, or -1.
int find_title_column(const std::vector<std::string>& header);

/// The exporter a CSV header suggests: "Web of Science", "Scopus", "Embase", "bib-dedupe"
/// (ENTRYTYPE column), or "".
std::string csv_exporter(const std::vector<std::string>& header, bool embase_preamble);

}  // namespace srma::detail
