// File: srma/project/records.hpp
//
// Importing files of bibliographic records into a review project, and reading them back.
//
// Each batch names its source and the kind of source, as PRISMA 2020 sorts them: databases and
// registers (the diagram's left column: records are de-duplicated, screened on title and
// abstract, then sought as reports) or other methods (websites, organisations, citation
// searching: the right column, whose records go straight to "reports sought for retrieval" and
// are screened at full text only; see srma/project/prisma.hpp).
//
// A file is imported whole or not at all: it is parsed completely first (a malformed record stops
// the import with its file, line and tag), then all its records are written in one transaction
// as one import batch that names the file, the source database, the detected format and why, and
// the encoding. Each record keeps its raw text. Importing a file whose content was imported
// before is refused (it would double every record).
//
// Example:
//
//   auto p = srma::project::review_project::open("nets-review");
//   auto batch = srma::project::import_records(*p, "pubmed.nbib", {.source = "PubMed"});
//   // batch->format == srma::record_format::medline, batch->records == 612
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "srma/project/project.hpp"
#include "srma/records/record.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

/// Where records came from, as PRISMA 2020 counts them: databases and registers, or one of the
/// other methods (websites, organisations, citation searching).
enum class source_kind { database, trial_register, website, organisation, citation };
/// "database", "register", "website", "organisation", "citation" (the words stored and typed).
[[nodiscard]] std::string_view to_string(source_kind k);
/// The kind named by `text` as to_string writes it; empty for anything else.
[[nodiscard]] std::optional<source_kind> parse_source_kind(std::string_view text);
/// True for websites, organisations and citation searching: PRISMA 2020's "other methods".
[[nodiscard]] bool is_other_method(source_kind k);

struct import_options {
  std::string source;  ///< The database searched ("PubMed", "Embase", "Reference lists"); required.
  source_kind kind = source_kind::database;
  std::optional<record_format> format;  ///< Empty: detect it.
};

/// One import batch.
struct import_batch {
  std::int64_t id = 0;
  std::string file;
  std::string source;
  source_kind kind = source_kind::database;
  record_format format = record_format::ris;
  std::string format_evidence;
  std::string encoding;
  std::int64_t records = 0;
  std::vector<std::string> warnings;
  std::string imported_at;
  std::int64_t first_record = 0;  ///< project id of its first record (0 when empty)
};

/// Reads `path`, parses every record, and stores them as a new batch.
///
/// Errors: those of `read_records` (srma.review.E621-E624), srma.project.E666 (this content was
/// imported before), E671 (empty source name), E665.
[[nodiscard]] expected<import_batch> import_records(review_project& project,
                                                    const std::string& path,
                                                    const import_options& options);

/// The batches in import order.
[[nodiscard]] expected<std::vector<import_batch>> list_batches(const review_project& project);

/// A record as stored: the project's own id (1, 2, ... in import order), its batch and source.
struct stored_record {
  std::int64_t id = 0;
  std::int64_t batch = 0;
  std::string source;
  source_kind kind = source_kind::database;  ///< the kind of its batch's source
  bib_record record;
  /// The record's own identifier if it has one (CSV id column, PMID, DOI, accession), else
  /// "#<project id>".
  [[nodiscard]] std::string label() const;
};

/// Every record, in id order.
[[nodiscard]] expected<std::vector<stored_record>> load_records(const review_project& project);

/// Some records by id (in the order asked; unknown ids are srma.project.E668).
[[nodiscard]] expected<std::vector<stored_record>> load_records(
    const review_project& project, const std::vector<std::int64_t>& ids);

/// Number of records.
[[nodiscard]] expected<std::int64_t> count_records(const review_project& project);

}  // namespace srma::project
