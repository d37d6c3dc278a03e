// File: srma/review/prisma.hpp
//
// The counts of a PRISMA 2020 flow diagram (Page et al., BMJ 2021;372:n71) as a value type, read
// from the CSV file of the PRISMA2020 R package and Shiny app, completed where boxes follow from
// the others, and checked for sums that do not add up.
//
// Every box is a `std::optional<long>`: an empty box is unknown (or, as in the PRISMA2020 app,
// left out of the diagram), which is not the same as 0. Lists of (name, n) pairs hold the
// per-database and per-register counts and the reasons for excluding full-text reports.
//
// Units follow PRISMA 2020: screening counts records (database hits), retrieval and eligibility
// count reports (full texts), and the included box counts studies and their reports.
//
// Example:
//
//   auto counts = srma::review::read_prisma_csv("prisma.csv");
//   if (!counts) { std::cerr << counts.error().what() << '\n'; return 1; }
//   auto full = srma::review::complete(*counts);
//   for (const auto& d : full.derived) fmt::print("derived: {}\n", d.explanation);
//   for (const auto& issue : srma::review::check(full)) fmt::print("check: {}\n", issue.message);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/util/expected.hpp"

namespace srma::review {

/// One box of the PRISMA 2020 flow diagram. The names are the field ids of the PRISMA2020 app's
/// CSV file (`data` column).
enum class prisma_box {
  previous_studies,            ///< Studies included in previous version of review.
  previous_reports,            ///< Reports of studies included in previous version of review.
  database_results,            ///< Records identified from databases.
  database_specific_results,   ///< Records per database (list).
  register_results,            ///< Records identified from registers.
  register_specific_results,   ///< Records per register (list).
  website_results,             ///< Records identified from websites (other methods).
  organisation_results,        ///< Records identified from organisations (other methods).
  citations_results,           ///< Records identified by citation searching (other methods).
  duplicates,                  ///< Duplicate records removed before screening.
  excluded_automatic,          ///< Records marked as ineligible by automation tools.
  excluded_other,              ///< Records removed for other reasons.
  records_screened,            ///< Records screened (databases and registers).
  records_excluded,            ///< Records excluded on title and abstract.
  dbr_sought_reports,          ///< Reports sought for retrieval (databases and registers).
  dbr_notretrieved_reports,    ///< Reports not retrieved (databases and registers).
  dbr_assessed,                ///< Reports assessed for eligibility (databases and registers).
  dbr_excluded,                ///< Reports excluded, with reasons (list).
  other_sought_reports,        ///< Reports sought for retrieval (other methods).
  other_notretrieved_reports,  ///< Reports not retrieved (other methods).
  other_assessed,              ///< Reports assessed for eligibility (other methods).
  other_excluded,              ///< Reports excluded, with reasons (other methods; list).
  new_studies,                 ///< New studies included in review.
  new_reports,                 ///< Reports of new included studies.
  total_studies,               ///< Total studies included in review (previous + new).
  total_reports,               ///< Reports of total included studies.
  total_studies_ma,            ///< Studies included in the meta-analysis.
  total_reports_ma,            ///< Reports of studies included in the meta-analysis.
};

/// All boxes, in the order of the PRISMA2020 app's template.
[[nodiscard]] const std::vector<prisma_box>& all_prisma_boxes();
/// The field id of `box` in the PRISMA2020 CSV file, e.g. "records_screened".
[[nodiscard]] std::string_view prisma_box_id(prisma_box box);
/// The box as named in sentences, e.g. "records screened".
[[nodiscard]] std::string_view prisma_box_label(prisma_box box);
/// The box whose field id is `id` (ASCII case ignored), if any.
[[nodiscard]] std::optional<prisma_box> parse_prisma_box(std::string_view id);
/// Same as prisma_box_id (the uniform name every enum has).
[[nodiscard]] inline std::string_view to_string(prisma_box box) { return prisma_box_id(box); }
/// True for the boxes that hold (name, n) lists rather than one count.
[[nodiscard]] bool is_prisma_list(prisma_box box);

/// One entry of a list box: a database, a register or an exclusion reason, and its count.
struct named_count {
  std::string name;
  long n = 0;
  friend bool operator==(const named_count&, const named_count&) = default;
};

/// A box that `complete()` filled in, and the arithmetic it came from.
struct prisma_derivation {
  prisma_box box = prisma_box::records_screened;
  long value = 0;
  std::string explanation;  ///< e.g. "records screened = 1525 records from databases − ... = 1322"
};

/// An inconsistency found by `check()`: the boxes involved and a sentence with the numbers.
struct prisma_issue {
  std::vector<prisma_box> boxes;
  std::string message;
};

/// The counts of a PRISMA 2020 flow diagram. An empty optional (or an empty list) is unknown.
struct prisma_counts {
  std::string source;  ///< File the counts came from ("" when built in memory).

  // Previous version of the review (updated reviews only).
  std::optional<long> previous_studies;
  std::optional<long> previous_reports;

  // Identification via databases and registers.
  std::optional<long> database_results;
  std::vector<named_count> database_specific_results;  ///< (database, records)
  std::optional<long> register_results;
  std::vector<named_count> register_specific_results;  ///< (register, records)

  // Identification via other methods.
  std::optional<long> website_results;
  std::optional<long> organisation_results;
  std::optional<long> citations_results;

  // Records removed before screening.
  std::optional<long> duplicates;
  std::optional<long> excluded_automatic;
  std::optional<long> excluded_other;

  // Screening, retrieval and eligibility: databases and registers.
  std::optional<long> records_screened;
  std::optional<long> records_excluded;
  std::optional<long> dbr_sought_reports;
  std::optional<long> dbr_notretrieved_reports;
  std::optional<long> dbr_assessed;
  std::vector<named_count> dbr_excluded;  ///< (reason, reports)

  // Retrieval and eligibility: other methods.
  std::optional<long> other_sought_reports;
  std::optional<long> other_notretrieved_reports;
  std::optional<long> other_assessed;
  std::vector<named_count> other_excluded;  ///< (reason, reports)

  // Included.
  std::optional<long> new_studies;
  std::optional<long> new_reports;
  std::optional<long> total_studies;
  std::optional<long> total_reports;
  std::optional<long> total_studies_ma;
  std::optional<long> total_reports_ma;

  std::vector<prisma_derivation> derived;  ///< Boxes filled by complete(), in order.
  std::vector<std::string> notes;          ///< What the reader noticed, e.g. template placeholders.

  /// The count in `box`; for a list box the sum of its entries (empty list: unknown).
  [[nodiscard]] std::optional<long> count(prisma_box box) const;
  /// The list in a list box (`is_prisma_list(box)`); an empty list for any other box.
  [[nodiscard]] const std::vector<named_count>& list(prisma_box box) const;
  /// Sets a count box (not a list box).
  void set(prisma_box box, std::optional<long> value);
  /// True when complete() filled `box`.
  [[nodiscard]] bool is_derived(prisma_box box) const;
};

/// Reads the CSV file of the PRISMA2020 R package / Shiny app (columns
/// `data,node,box,description,boxtext,tooltips,url,n`; only `data` and `n` are used).
///
/// `n` holds a count ("1525", "1,525") or NA/empty for an unknown box. The list fields
/// (database_specific_results, register_specific_results, dbr_excluded, other_excluded) hold
/// "Name, n; Name, n": entries are split on ';' and each at the comma before its count, so names
/// may contain commas. A list left at the template's placeholder ("Reason1, xxx; ...") is read as
/// unknown and noted in `notes`. Rows whose `data` is NA, empty, or one of the side labels
/// (identification, screening, included) are skipped.
///
/// Errors: those of `read_csv`; srma.review.E601 (no `data` or `n` column), E602 (unknown field
/// id), E603 (count not a non-negative integer), E604 (malformed list), E605 (field given twice).
///
/// **Example**:
///
///     auto counts = srma::review::read_prisma_csv("examples/gepnet-ptr/prisma.csv");
///     // counts->database_results == 1525, counts->records_screened is unknown
[[nodiscard]] expected<prisma_counts> read_prisma_csv(const std::string& path);

/// `read_prisma_csv` on a table already parsed by `read_csv` / `parse_csv`.
[[nodiscard]] expected<prisma_counts> make_prisma_counts(const csv_table& csv);

/// Fills the boxes that follow from the others and records each in `derived`; given values are
/// never overwritten. The sums (review.md §3), solved for whichever single box is unknown:
///
///     databases + registers = screened + duplicates + automation-ineligible + other removed
///     screened = excluded + sought;  sought = not retrieved + assessed     (each arm)
///     assessed (both arms) = Σ reasons (both arms) + reports of new included studies
///     total = previous + new         (studies and reports)
///     databases = Σ per database;  registers = Σ per register
///
/// Within "records identified" (databases, registers) and "records removed before screening"
/// (duplicates, automation, other reasons), an unknown box counts as 0 when another box of the
/// group is known (the app leaves it out of the diagram). The previous-review boxes and the
/// other-methods arm count as 0 when none of their boxes is known. The identification sum yields
/// only records screened, and lists are never derived. A value that would be negative is not
/// derived (check() reports it).
///
/// **Example**:
///
///     srma::review::prisma_counts c;
///     c.database_results = 1525; c.duplicates = 203; c.records_excluded = 1282;
///     c.dbr_assessed = 40; c.dbr_excluded = {{"Single-arm study", 29}}; c.new_studies = 11;
///     auto full = srma::review::complete(c);  // records_screened 1322, dbr_sought_reports 40
[[nodiscard]] prisma_counts complete(prisma_counts counts);

/// The inconsistencies among the known boxes, as sentences naming the boxes and numbers; empty
/// when everything adds up. Checks every sum of `complete()`, that parts do not exceed their
/// whole when some parts are unknown, studies ≤ reports (previous, new, total, meta-analysis),
/// meta-analysis ≤ total included, and that no count is negative. A failed check is not an
/// error: the diagram can still be drawn.
///
/// **Example**:
///
///     c.records_screened = 1320;
///     auto issues = srma::review::check(c);
///     // issues[0].message == "records screened do not add up: 1525 records from databases −
///     //   203 duplicate records removed = 1322, but records screened is 1320"
[[nodiscard]] std::vector<prisma_issue> check(const prisma_counts& counts);

}  // namespace srma::review
