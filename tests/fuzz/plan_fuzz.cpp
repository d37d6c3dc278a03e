// File: tests/fuzz/plan_fuzz.cpp
//
// Fuzz target: the analysis-plan parser (TOML through toml++, then srma's keys, bounds and safe
// ids). Reads nothing from disk: parse_plan only resolves the file names it is given. Checks
// that every analysis id of an accepted plan is a safe file name (issue 15: an id goes into the
// report's file names).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.hpp"
#include "srma/run/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = srma::parse_plan(srma_fuzz::text(data, size), "fuzz/plan.toml");
  if (!p) {
    srma_fuzz::fuzz_check(p.error().id.starts_with("srma."), "a plan error without an id");
    return 0;
  }
  for (const auto& a : p->analyses) {
    // An independent statement of the rule of srma/util/limits.hpp (is_safe_id).
    srma_fuzz::fuzz_check(!a.id.empty() && a.id.size() <= 64, "an analysis id of 0 or > 64 chars");
    const char first = a.id.front();
    srma_fuzz::fuzz_check(first != '.' && first != '_' && first != '-',
                          "an analysis id starting with '.', '_' or '-'");
    for (const char c : a.id) {
      const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
      srma_fuzz::fuzz_check(safe, "an analysis id with a character unsafe in a file name");
    }
  }
  return 0;
}
