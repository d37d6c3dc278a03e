// File: tests/fuzz/km_points_fuzz.cpp
//
// Fuzz target: the reader of points digitised off a Kaplan-Meier curve (make_digitised_curve on
// a parsed CSV: time, survival), then clean_curve, which detects the scale and repairs the
// points. Checks the reader's promise: finite times >= 0, survival within 0-100.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/io/csv.hpp"
#include "srma/survival/km_reconstruct.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto csv = srma::parse_csv(srma_fuzz::text(data, size), "km.csv");
  if (!csv) return 0;
  auto curve = srma::make_digitised_curve(*csv);
  if (!curve) {
    srma_fuzz::fuzz_check(curve.error().id == "srma.survival.E904",
                          "a curve error other than E904");
    return 0;
  }
  srma_fuzz::fuzz_check(curve->time.size() == curve->survival.size(), "time and survival lengths");
  for (std::size_t i = 0; i < curve->time.size(); ++i) {
    srma_fuzz::fuzz_check(std::isfinite(curve->time[i]) && curve->time[i] >= 0, "a bad time");
    srma_fuzz::fuzz_check(curve->survival[i] >= 0 && curve->survival[i] <= 100, "a bad survival");
  }
  (void)srma::clean_curve(*curve);
  return 0;
}
