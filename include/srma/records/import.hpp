// File: srma/records/import.hpp
//
// Reads files of bibliographic records as databases export them: RIS (EndNote, Embase.com, Ovid,
// Scopus, ...), PubMed MEDLINE (.nbib), PubMed XML, EndNote XML and CSV (Embase, Scopus, Web of
// Science, bib-dedupe style tables). The format is detected from the content and the evidence is
// stated; the text is decoded from UTF-8 (with or without a byte-order mark), UTF-16 with a
// byte-order mark, or, for bytes that are not UTF-8, Windows-1252 with a warning naming the first
// such line. A malformed record fails the whole file: nothing of it is returned, and the error
// names the file, the line and the tag. docs/review.md, "Importing records", has the field map.
//
// Example:
//
//   auto file = srma::read_records("embase.ris");
//   if (!file) { std::cerr << file.error().what() << '\n'; return 1; }
//   fmt::print("{}: {} records ({}; {})\n", file->source, file->records.size(),
//              srma::to_string(file->format), file->format_evidence);
//   for (const auto& w : file->warnings) fmt::print("warning: {}\n", w);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "srma/records/record.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// A detected format and the evidence for it, in words ("line 1 is 'TY  - JOUR' and line 14
/// 'ER  - ': RIS").
struct record_format_evidence {
  record_format format = record_format::ris;
  std::string evidence;
};

/// The format of a file of records, judged from its content (decoded text, with or without a
/// byte-order mark), or nothing when it is none of the five:
/// - XML whose root element is `PubmedArticleSet`, `PubmedArticle` or `PubmedBookArticle`:
///   PubMed XML; root `xml` with a `records` element: EndNote XML;
/// - the first tagged line among the first 50 non-blank lines is `TY  - ` (RIS, Ovid's
///   record-number lines may precede it) or `PMID- ` followed by MEDLINE tags (MEDLINE);
/// - a header row (after Embase's search-query preamble and dashed line, if any) with a title
///   column (`title`, `Title`, `TI`, `Article Title`, ...): CSV;
/// - otherwise, over the first 5,000 lines, more `TY  - `/`ER  - ` lines than `PMID- ` lines:
///   RIS, or some `PMID- ` lines: MEDLINE (a damaged file, which its parser then locates).
///
/// **Example**:
///
///     auto f = srma::detect_record_format("\nPMID- 30689646\nOWN - NLM\n");
///     // f == srma::record_format::medline
[[nodiscard]] std::optional<record_format> detect_record_format(std::string_view text);

/// As `detect_record_format`, with the evidence in words.
[[nodiscard]] std::optional<record_format_evidence> explain_record_format(std::string_view text);

/// Parses the bytes of a file of records. `source` names the file in messages and in the result.
/// With `format` the detection is skipped, but a file that clearly is another format is refused.
///
/// Errors (nothing of the file is returned):
/// - srma.review.E621: the format is not recognised, or is not the one asked for;
/// - srma.review.E622: a malformed record: file:line:1, the tag and what was expected (an RIS
///   record without `ER  - `, a tag line outside any record, a MEDLINE line that is neither a tag
///   nor a continuation, ...);
/// - srma.review.E623: the input is empty, binary (NUL bytes, ZIP, gzip, PDF), or holds no record;
/// - srma.review.E624: XML that is not well-formed (line and column);
/// - srma.csv.E101, E102, E105, E107: CSV that cannot be read as a table (see srma/io/csv.hpp).
///
/// **Example**:
///
///     auto f = srma::parse_records("TY  - JOUR\nTI  - A trial\nER  - \n", "x.ris");
///     // f->records[0].title == "A trial", f->format == srma::record_format::ris
[[nodiscard]] expected<record_file> parse_records(std::string_view bytes, std::string source,
                                                  std::optional<record_format> format = {});

/// Reads `path` and parses it with `parse_records`. Errors: those of `parse_records`, and
/// srma.review.E623 when the file cannot be opened or read.
[[nodiscard]] expected<record_file> read_records(const std::string& path,
                                                 std::optional<record_format> format = {});

}  // namespace srma
