// File: tests/fuzz/prisma_fuzz.cpp
//
// Fuzz target: the PRISMA2020 counts reader (make_prisma_counts on a parsed CSV), then the
// derived boxes (complete) and the consistency checks (check) on what it read.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/io/csv.hpp"
#include "srma/review/prisma.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto csv = srma::parse_csv(srma_fuzz::text(data, size), "prisma.csv");
  if (!csv) return 0;
  auto counts = srma::review::make_prisma_counts(*csv);
  if (!counts) {
    srma_fuzz::fuzz_check(counts.error().id.starts_with("srma.review.E60"),
                          "a PRISMA error outside srma.review.E60x");
    return 0;
  }
  auto full = srma::review::complete(*counts);
  (void)srma::review::check(full);
  return 0;
}
