// File: tests/fuzz/ipd_fuzz.cpp
//
// Fuzz target: the individual patient data reader (make_survival_data on a parsed CSV: arm,
// time, event), then a Kaplan-Meier estimate of each arm. Checks the reader's promise: finite
// times >= 0, events 0 or 1, every patient in a named arm.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/io/csv.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/survival/kaplan_meier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto csv = srma::parse_csv(srma_fuzz::text(data, size), "ipd.csv");
  if (!csv) return 0;
  auto d = srma::make_survival_data(*csv);
  if (!d) {
    srma_fuzz::fuzz_check(d.error().id == "srma.survival.E901", "an IPD error other than E901");
    return 0;
  }
  for (std::size_t i = 0; i < d->size(); ++i) {
    srma_fuzz::fuzz_check(std::isfinite(d->time[i]) && d->time[i] >= 0, "a bad time");
    srma_fuzz::fuzz_check(d->event[i] == 0 || d->event[i] == 1, "an event not 0 or 1");
    srma_fuzz::fuzz_check(d->arm[i] < d->arm_names.size(), "a patient without an arm");
  }
  for (std::size_t a = 0; a < d->arm_names.size() && a < 4; ++a) {
    const auto s = srma::arm_of(*d, a);
    (void)srma::kaplan_meier(s.time, s.event);
  }
  return 0;
}
