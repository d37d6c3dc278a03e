// File: srma/data/study_row.hpp
//
// Writing one study's hazard ratio into a study table as a CSV row: the way a result computed by
// srma (a Cox fit on patient data reconstructed from Kaplan-Meier curves) joins the studies that
// reported theirs, with the route named in the `hr_source` column so the report can cite it.
//
// Example:
//
//   auto t = srma::read_csv("studies.csv");
//   if (t && srma::put_study_hr(*t, "Gangi 2020", {.loghr = -0.41, .se = 0.21,
//                                                  .source = "km_reconstruction"}))
//     (void)srma::write_csv(*t, "studies.csv");
#pragma once

#include <string>
#include <string_view>

#include "srma/io/csv.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// A study's ln HR with its SE and the route it came from (an hr_method name).
struct study_hr {
  double loghr = 0;
  double se = 0;
  std::string source = "km_reconstruction";
};

/// What put_study_hr did.
enum class study_row_action {
  appended,  ///< A new row was added at the end.
  filled,    ///< An existing row with empty effect columns was filled.
  replaced,  ///< An existing row's effect columns were overwritten (allow_replace).
};

/// Puts `hr` into the row of `table` whose `study` column equals `study`, or into a new row at
/// the end (other columns empty), with `hr_source` (added when missing). A table with the columns
/// hr, lower, upper and no loghr, se gets the HR with its 95% Wald CI; any other table gets loghr
/// and se (added when missing; other rows get empty values there), and hr, lower, upper too when
/// it has them. Values are written in shortest round-trip form, so reading the row back gives
/// the same ln HR and SE. A table with no header gets the header `study,loghr,se,hr_source`.
///
/// Errors: srma.input.E205 (loghr not finite, se not finite and > 0), srma.input.E202 (the row
/// already has effect values and allow_replace is false; the message names its line and columns),
/// srma.input.E207 (two rows carry the label), srma.input.E208 (empty label), srma.input.E201
/// (the table has no `study` column but has rows).
[[nodiscard]] expected<study_row_action> put_study_hr(csv_table& table, std::string_view study,
                                                      const study_hr& hr,
                                                      bool allow_replace = false);

}  // namespace srma
