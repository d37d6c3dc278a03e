// File: tests/fuzz/extraction_sheet_fuzz.cpp
//
// Fuzz target: an extractor's filled sheet (read_extraction_sheet on a parsed CSV with the
// default form, as `srma review extract import` reads it). Checks that every entry names a
// field of the form and is not empty.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/io/csv.hpp"
#include "srma/project/extraction.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto csv = srma::parse_csv(srma_fuzz::text(data, size), "extraction.csv");
  if (!csv) return 0;
  const auto& form = srma::project::default_form();
  auto entries = srma::project::read_extraction_sheet(*csv, form);
  if (!entries) {
    const auto& id = entries.error().id;
    srma_fuzz::fuzz_check(id == "srma.project.E667" || id == "srma.project.E673",
                          "an extraction sheet error other than E667, E673");
    return 0;
  }
  for (const auto& e : *entries) {
    srma_fuzz::fuzz_check(!e.value.empty(), "an empty cell read as an entry");
    srma_fuzz::fuzz_check(
        std::any_of(form.begin(), form.end(), [&](const auto& f) { return f.name == e.field; }),
        "an entry for a field not on the form");
  }
  return 0;
}
