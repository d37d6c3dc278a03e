// File: tests/fuzz/records_fuzz.cpp
//
// Fuzz target: the bibliographic record importers (parse_records): RIS, PubMed MEDLINE, PubMed
// XML, EndNote XML and the CSV exports of Embase, Scopus, Web of Science... The first byte
// chooses the format: detected from the content (as `srma review import` does without
// --format) or one of the five forced. Also runs the format detector on its own.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_util.hpp"
#include "srma/records/import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [selector, in] = srma_fuzz::select_byte(data, size);
  std::optional<srma::record_format> format;
  if (const unsigned f = selector % 6; f < 5) format = static_cast<srma::record_format>(f);
  (void)srma::explain_record_format(in);
  auto file = srma::parse_records(in, "fuzz.records", format);
  if (!file) {
    const auto& id = file.error().id;
    srma_fuzz::fuzz_check(id.starts_with("srma.review.E62") || id.starts_with("srma.csv.E"),
                          "a records error outside srma.review.E62x and srma.csv");
    return 0;
  }
  srma_fuzz::fuzz_check(!format || file->format == *format, "a format other than the one forced");
  return 0;
}
