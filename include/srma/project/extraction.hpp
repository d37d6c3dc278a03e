// File: srma/project/extraction.hpp
//
// Data extraction for the studies included at full text: a form defined in the project (named
// fields), filled independently by two extractors, with discrepancies listed and settled by a
// consensus entry. Values are appended, never overwritten; an extractor's latest value of a field
// is the one that stands.
//
// The final value of a field: the latest consensus value if there is one; else the common value
// when every extractor who filled it wrote the same; else none (a discrepancy).
//
// The default form holds the seed review's Table 1 fields and a hazard-ratio column set (any
// column `srma pool` reads may be added as a field: events and totals, means and SDs, yi/vi, ...).
// A field named `study` gives the study's label (reports with the same label are one study);
// without it the label is "<first author's surname> <year>".
//
// Example:
//
//   auto studies = srma::project::extraction_state(*p);
//   for (const auto& d : studies->discrepancies()) print(d);
//   auto table = srma::project::analysis_table(*p);  // what `srma pool` reads
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/project/project.hpp"
#include "srma/util/expected.hpp"

namespace srma::project {

/// A field of the extraction form.
struct form_field {
  std::string name;   ///< column name, e.g. "country", "hr"
  std::string label;  ///< heading in Table 1, e.g. "Country"
};

/// The form a new project starts with: the seed review's Table 1 and hr, lower, upper.
[[nodiscard]] const std::vector<form_field>& default_form();

/// The project's form (the default form until fields are added).
[[nodiscard]] expected<std::vector<form_field>> extraction_form(const review_project& project);

/// Adds fields at the end of the form (names: letters, digits, '_', starting with a letter;
/// existing names are left as they are).
///
/// Errors: srma.project.E673 (an invalid name).
[[nodiscard]] expected<std::vector<form_field>> add_form_fields(
    review_project& project, const std::vector<form_field>& fields);

/// One field of one study, as the extractors and the consensus left it.
struct field_values {
  std::map<std::string, std::string> by_extractor;  ///< standing value per extractor
  std::optional<std::string> consensus;
  [[nodiscard]] std::optional<std::string> final_value() const;
  [[nodiscard]] bool discrepant() const {
    return !consensus && !final_value() && by_extractor.size() > 1;
  }
};

/// A study (a report included at full text) and its extraction.
struct extracted_study {
  std::int64_t record = 0;
  std::string label;  ///< the `study` field's final value, else "<surname> <year>"
  std::string title;
  std::map<std::string, field_values> fields;                       ///< by field name
  [[nodiscard]] std::string value(const std::string& field) const;  ///< final value or ""
};

/// A disagreement to settle.
struct extraction_discrepancy {
  std::int64_t record = 0;
  std::string study;
  std::string field;
  std::map<std::string, std::string> values;  ///< by extractor
};

struct extraction_state_t {
  std::vector<form_field> form;
  std::vector<extracted_study> studies;  ///< included reports, in record order
  [[nodiscard]] std::vector<extraction_discrepancy> discrepancies() const;
};

/// Every included report with its extracted values.
[[nodiscard]] expected<extraction_state_t> extraction_state(const review_project& project);

/// Values read from an extraction sheet: columns `record_id` and form fields (other columns
/// `study_label`, `title` are ignored). Empty cells are not entries.
struct extraction_entry {
  std::int64_t record = 0;
  std::string field;
  std::string value;
  int line = 0;
};

/// Reads a filled sheet.
///
/// Errors: srma.project.E667 (no record_id column, a bad id; file:line:column), E673 (a column
/// that is not a field of the form).
[[nodiscard]] expected<std::vector<extraction_entry>> read_extraction_sheet(
    const csv_table& csv, const std::vector<form_field>& form);

/// Stores an extractor's values (or, with `consensus`, the agreed values) in one transaction.
/// Values equal to the standing ones are not stored again. Returns the number stored.
///
/// Errors: srma.project.E672 (a record not included at full text), E671 (empty name).
[[nodiscard]] expected<std::size_t> record_extraction(review_project& project,
                                                      const std::vector<extraction_entry>& entries,
                                                      const std::string& who, bool consensus,
                                                      const std::string& source);

/// A sheet for an extractor: one row per included study, the form's fields filled with the
/// extractor's standing values (never another extractor's).
[[nodiscard]] csv_table extraction_sheet(const extraction_state_t& state, const std::string& who);

}  // namespace srma::project
