// File: tests/fuzz/at_risk_fuzz.cpp
//
// Fuzz target: the reader of numbers at risk printed under a Kaplan-Meier figure
// (make_at_risk_table on a parsed CSV: time, nar). Checks its promise: whole counts >= 0 that
// do not increase, at increasing times.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/io/csv.hpp"
#include "srma/survival/km_reconstruct.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto csv = srma::parse_csv(srma_fuzz::text(data, size), "nar.csv");
  if (!csv) return 0;
  auto t = srma::make_at_risk_table(*csv);
  if (!t) {
    srma_fuzz::fuzz_check(t.error().id == "srma.survival.E905", "an at-risk error other than E905");
    return 0;
  }
  srma_fuzz::fuzz_check(!t->time.empty() && t->time.size() == t->n.size(), "time and n lengths");
  for (std::size_t i = 0; i < t->n.size(); ++i) {
    srma_fuzz::fuzz_check(t->n[i] >= 0 && std::floor(t->n[i]) == t->n[i], "a count not whole >= 0");
    if (i > 0) {
      srma_fuzz::fuzz_check(t->time[i] > t->time[i - 1], "times not increasing");
      srma_fuzz::fuzz_check(t->n[i] <= t->n[i - 1], "counts increasing");
    }
  }
  return 0;
}
