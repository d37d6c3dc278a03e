// File: tests/fuzz/decision_sheet_fuzz.cpp
//
// Fuzz target: a reviewer's screening decision sheet (read_decision_sheet on a parsed CSV, as
// `srma review screen import` reads it). Checks that every vote kept has a line on the sheet.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/io/csv.hpp"
#include "srma/project/screening.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto csv = srma::parse_csv(srma_fuzz::text(data, size), "sheet.csv");
  if (!csv) return 0;
  auto sheet = srma::project::read_decision_sheet(*csv);
  if (!sheet) {
    srma_fuzz::fuzz_check(sheet.error().id == "srma.project.E667", "a sheet error other than E667");
    return 0;
  }
  srma_fuzz::fuzz_check(sheet->votes.size() + sheet->blank <= csv->rows.size(),
                        "more votes and blanks than rows");
  for (const auto& v : sheet->votes) srma_fuzz::fuzz_check(v.line > 0, "a vote without a line");
  return 0;
}
