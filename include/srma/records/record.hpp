// File: srma/records/record.hpp
//
// A bibliographic record as a database exported it (PubMed, Embase, Ovid, Scopus, Web of
// Science, EndNote ...): the fields a review needs to screen and de-duplicate it, every tag and
// value exactly as given, its raw text, and where it came from. Parsers (srma/records/import.hpp)
// fill it; de-duplication (srma/records/dedup.hpp) and the review project read it. Nothing in
// the input is dropped: a tag without a named field stays in `fields`.
//
// Example:
//
//   auto file = srma::read_records("embase.ris");
//   for (const auto& r : file->records) fmt::print("{} ({}): {}\n", r.id, r.year, r.title);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace srma {

/// The export format of a file of records.
enum class record_format {
  ris,          ///< RIS (EndNote, Embase.com, Ovid, Scopus, Web of Science RIS)
  medline,      ///< PubMed MEDLINE / .nbib ("PMID- ..." tagged text)
  pubmed_xml,   ///< PubMed XML (efetch retmode=xml: PubmedArticleSet)
  endnote_xml,  ///< EndNote XML (<xml><records><record>...)
  csv,          ///< delimited text with a header row (Embase, Scopus, WoS, ... exports)
};
/// "ris", "medline", "pubmed_xml", "endnote_xml", "csv".
[[nodiscard]] std::string_view to_string(record_format f);
[[nodiscard]] std::optional<record_format> parse_record_format(std::string_view text);

/// One record. Text fields are UTF-8, trimmed, with continuation lines joined by one space;
/// empty when the record does not give them.
struct bib_record {
  std::string id;  ///< The record's own identifier: a CSV id column (ID, record_id, ...), else
                   ///< PMID, else DOI, else accession number; "" when it has none.
  std::string title;
  std::vector<std::string> authors;  ///< As given ("Zuber, J"; "O'Byrne, Paul M"), in order.
  std::string year;                  ///< Four digits when the date has them, else as given.
  std::string journal;
  std::string volume;
  std::string issue;
  std::string pages;
  std::string doi;  ///< As given (normalisation is for matching, not storage).
  std::string pmid;
  std::string accession;  ///< Database accession (Embase L..., CENTRAL CN-..., WoS UT, ...).
  std::string isbn;
  std::string abstract;
  std::string type;      ///< Reference or publication type (RIS TY, M3, PT, ENTRYTYPE, ...).
  std::string database;  ///< Database named by the record itself (RIS DB, ...), if any.
  std::vector<std::pair<std::string, std::string>> fields;  ///< Every tag (or column) and value,
                                                            ///< in file order, repeats kept.
  std::string raw;  ///< The record's text as in the file (after decoding to UTF-8).
  int line = 0;     ///< First line of the record in the file (1-based).
};

/// The records of one file, with what was detected about it.
struct record_file {
  std::string source;  ///< File name as given.
  record_format format = record_format::ris;
  std::string format_evidence;  ///< Why the format was chosen ("line 1 is 'TY  - JOUR' ...").
  std::string encoding;  ///< "utf-8", "utf-8 with BOM", "utf-16le", "utf-16be" or "windows-1252"
                         ///< (bytes that are not UTF-8 read as Windows-1252; see warnings).
  std::vector<bib_record> records;
  std::vector<std::string> warnings;  ///< E.g. the first line that was not UTF-8.
};

}  // namespace srma
