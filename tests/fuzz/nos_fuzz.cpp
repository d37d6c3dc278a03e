// File: tests/fuzz/nos_fuzz.cpp
//
// Fuzz target: the Newcastle-Ottawa scores reader (nos_from_csv on a parsed CSV). The first
// byte chooses the class thresholds (valid or not: invalid options must be an error, E615).
// Checks that every score read lies in the scale's ranges.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/io/csv.hpp"
#include "srma/review/nos.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [selector, in] = srma_fuzz::select_byte(data, size);
  auto csv = srma::parse_csv(in, "nos.csv");
  if (!csv) return 0;
  srma::review::nos_options options;
  if ((selector & 1U) != 0) options = srma::review::nos_options::three_classes();
  if ((selector & 2U) != 0) options.high_from = static_cast<int>(selector >> 2U) - 20;
  auto nos = srma::review::nos_from_csv(*csv, options);
  if (!nos) {
    srma_fuzz::fuzz_check(nos.error().id.starts_with("srma.review.E61"),
                          "a NOS error outside srma.review.E61x");
    return 0;
  }
  for (const auto& s : nos->studies) {
    const auto& sc = s.score;
    srma_fuzz::fuzz_check(!sc.selection || (*sc.selection >= 0 && *sc.selection <= 4),
                          "selection stars out of 0-4");
    srma_fuzz::fuzz_check(!sc.comparability || (*sc.comparability >= 0 && *sc.comparability <= 2),
                          "comparability stars out of 0-2");
    srma_fuzz::fuzz_check(!sc.outcome || (*sc.outcome >= 0 && *sc.outcome <= 3),
                          "outcome stars out of 0-3");
    srma_fuzz::fuzz_check(!sc.total || (*sc.total >= 0 && *sc.total <= 9), "total out of 0-9");
  }
  return 0;
}
