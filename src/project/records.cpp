// Import batches and stored records.
#include "srma/project/records.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "project_state.hpp"
#include "srma/records/import.hpp"

namespace srma::project {
namespace {

using detail::statement;

// FNV-1a, 64 bits: identifies a file's content to refuse a second import of it. Not a security
// hash: a collision would only refuse an import, never lose data.
std::string content_hash(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("fnv1a64:{:016x}:{}", h, bytes.size());
}

constexpr const char* record_columns =
    "r.id, r.batch, b.source, r.line, r.own_id, r.title, r.authors, r.year, r.journal, r.volume, "
    "r.issue, r.pages, r.doi, r.pmid, r.accession, r.isbn, r.abstract, r.type, r.database_name, "
    "r.fields, r.raw, b.kind";

stored_record read_record_row(const statement& st) {
  stored_record s;
  s.id = st.integer(0);
  s.batch = st.integer(1);
  s.source = st.text(2);
  auto& r = s.record;
  r.line = static_cast<int>(st.integer(3));
  r.id = st.text(4);
  r.title = st.text(5);
  for (const auto& a : nlohmann::json::parse(st.text(6))) r.authors.push_back(a.get<std::string>());
  r.year = st.text(7);
  r.journal = st.text(8);
  r.volume = st.text(9);
  r.issue = st.text(10);
  r.pages = st.text(11);
  r.doi = st.text(12);
  r.pmid = st.text(13);
  r.accession = st.text(14);
  r.isbn = st.text(15);
  r.abstract = st.text(16);
  r.type = st.text(17);
  r.database = st.text(18);
  for (const auto& f : nlohmann::json::parse(st.text(19))) {
    r.fields.emplace_back(f.at(0).get<std::string>(), f.at(1).get<std::string>());
  }
  r.raw = st.text(20);
  s.kind = parse_source_kind(st.text(21)).value_or(source_kind::database);
  return s;
}

}  // namespace

std::string_view to_string(source_kind k) {
  switch (k) {
    case source_kind::database:
      return "database";
    case source_kind::trial_register:
      return "register";
    case source_kind::website:
      return "website";
    case source_kind::organisation:
      return "organisation";
    case source_kind::citation:
      return "citation";
  }
  return "?";
}

std::optional<source_kind> parse_source_kind(std::string_view text) {
  for (const auto k : {source_kind::database, source_kind::trial_register, source_kind::website,
                       source_kind::organisation, source_kind::citation}) {
    if (text == to_string(k)) return k;
  }
  return std::nullopt;
}

bool is_other_method(source_kind k) {
  return k == source_kind::website || k == source_kind::organisation || k == source_kind::citation;
}

std::string stored_record::label() const {
  return record.id.empty() ? fmt::format("#{}", id) : record.id;
}

expected<import_batch> import_records(review_project& project, const std::string& path,
                                      const import_options& options) {
  const auto source = options.source;
  if (source.find_first_not_of(" \t") == std::string::npos) {
    return fail(errc::project_bad_option,
                "the source database is empty: name the database the file came from", {path, 0, 0});
  }
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
  const std::string bytes = std::move(buffer).str();
  // Parse everything before touching the database: a malformed record imports nothing.
  auto file = parse_records(bytes, path, options.format);
  if (!file) return unexpected(std::move(file).error());
  const std::string hash = content_hash(bytes);

  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  {
    auto seen = db.prepare("SELECT id, file, source FROM import_batch WHERE content_hash = ?");
    if (!seen) return unexpected(seen.error());
    seen->bind(1, hash);
    auto row = seen->step();
    if (!row) return unexpected(row.error());
    if (*row) {
      return fail(errc::project_reimport,
                  fmt::format("this content was imported before, as batch {} ('{}', source {}); "
                              "nothing was imported",
                              seen->integer(0), seen->text(1), seen->text(2)),
                  {path, 0, 0});
    }
  }
  import_batch batch;
  batch.file = path;
  batch.source = source;
  batch.kind = options.kind;
  batch.format = file->format;
  batch.format_evidence = file->format_evidence;
  batch.encoding = file->encoding;
  batch.records = static_cast<std::int64_t>(file->records.size());
  batch.warnings = file->warnings;
  batch.imported_at = detail::now_utc();
  {
    auto ins = db.prepare(
        "INSERT INTO import_batch (file, source, kind, format, format_evidence, encoding, "
        "content_hash, records, warnings, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!ins) return unexpected(ins.error());
    ins->bind(1, path)
        .bind(2, source)
        .bind(3, to_string(options.kind))
        .bind(4, to_string(file->format))
        .bind(5, file->format_evidence)
        .bind(6, file->encoding)
        .bind(7, hash)
        .bind(8, batch.records)
        .bind(9, nlohmann::json(file->warnings).dump())
        .bind(10, batch.imported_at);
    SRMA_PROJECT_TRY(ins->run());
    batch.id = db.last_insert_id();
  }
  auto ins = db.prepare(
      "INSERT INTO record (batch, position, line, own_id, title, authors, year, journal, volume, "
      "issue, pages, doi, pmid, accession, isbn, abstract, type, database_name, fields, raw) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!ins) return unexpected(ins.error());
  std::int64_t position = 0;
  for (const auto& r : file->records) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& [tag, value] : r.fields) fields.push_back({tag, value});
    ins->bind(1, batch.id)
        .bind(2, ++position)
        .bind(3, r.line)
        .bind(4, r.id)
        .bind(5, r.title)
        .bind(6, nlohmann::json(r.authors).dump())
        .bind(7, r.year)
        .bind(8, r.journal)
        .bind(9, r.volume)
        .bind(10, r.issue)
        .bind(11, r.pages)
        .bind(12, r.doi)
        .bind(13, r.pmid)
        .bind(14, r.accession)
        .bind(15, r.isbn)
        .bind(16, r.abstract)
        .bind(17, r.type)
        .bind(18, r.database)
        .bind(19, fields.dump())
        .bind(20, r.raw);
    SRMA_PROJECT_TRY(ins->run());
    if (position == 1) batch.first_record = db.last_insert_id();
  }
  auto log = db.prepare("INSERT INTO command_log (at, command, summary) VALUES (?, ?, ?)");
  if (!log) return unexpected(log.error());
  log->bind(1, batch.imported_at)
      .bind(2, "import")
      .bind(3, fmt::format("batch {}: {} records from {} ({}, {}, {})", batch.id, batch.records,
                           path, source, to_string(options.kind), to_string(file->format)));
  SRMA_PROJECT_TRY(log->run());
  SRMA_PROJECT_TRY(tx->commit());
  return batch;
}

expected<std::vector<import_batch>> list_batches(const review_project& project) {
  const auto& db = project.state().db;
  auto st = db.prepare(
      "SELECT b.id, b.file, b.source, b.kind, b.format, b.format_evidence, b.encoding, b.records, "
      "b.warnings, b.imported_at, (SELECT MIN(id) FROM record WHERE batch = b.id) "
      "FROM import_batch b ORDER BY b.id");
  if (!st) return unexpected(st.error());
  std::vector<import_batch> out;
  for (auto row = st->step(); row && *row; row = st->step()) {
    import_batch b;
    b.id = st->integer(0);
    b.file = st->text(1);
    b.source = st->text(2);
    b.kind = parse_source_kind(st->text(3)).value_or(source_kind::database);
    b.format = parse_record_format(st->text(4)).value_or(record_format::ris);
    b.format_evidence = st->text(5);
    b.encoding = st->text(6);
    b.records = st->integer(7);
    for (const auto& w : nlohmann::json::parse(st->text(8))) b.warnings.push_back(w);
    b.imported_at = st->text(9);
    b.first_record = st->is_null(10) ? 0 : st->integer(10);
    out.push_back(std::move(b));
  }
  return out;
}

expected<std::vector<stored_record>> load_records(const review_project& project) {
  const auto& db = project.state().db;
  auto st = db.prepare(
      fmt::format("SELECT {} FROM record r JOIN import_batch b ON b.id = r.batch ORDER BY r.id",
                  record_columns));
  if (!st) return unexpected(st.error());
  std::vector<stored_record> out;
  auto row = st->step();
  for (; row && *row; row = st->step()) out.push_back(read_record_row(*st));
  if (!row) return unexpected(row.error());
  return out;
}

expected<std::vector<stored_record>> load_records(const review_project& project,
                                                  const std::vector<std::int64_t>& ids) {
  const auto& db = project.state().db;
  auto st = db.prepare(
      fmt::format("SELECT {} FROM record r JOIN import_batch b ON b.id = r.batch WHERE r.id = ?",
                  record_columns));
  if (!st) return unexpected(st.error());
  std::vector<stored_record> out;
  out.reserve(ids.size());
  for (const auto id : ids) {
    st->bind(1, id);
    auto row = st->step();
    if (!row) return unexpected(row.error());
    if (!*row) {
      return fail(errc::project_unknown_record, fmt::format("record {} is not in the project", id));
    }
    out.push_back(read_record_row(*st));
    st->reset();
  }
  return out;
}

expected<std::int64_t> count_records(const review_project& project) {
  auto st = project.state().db.prepare("SELECT COUNT(*) FROM record");
  if (!st) return unexpected(st.error());
  auto row = st->step();
  if (!row) return unexpected(row.error());
  return st->integer(0);
}

}  // namespace srma::project
