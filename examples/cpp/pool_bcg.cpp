// examples/cpp/pool_bcg.cpp: srma as a C++ library. Reads the BCG vaccine trials (2x2 counts),
// pools their risk ratios with metafor's defaults (REML, Wald-type CI), prints the full report and
// a leave-one-out analysis: what `srma pool --preset metafor` and `srma leave1out` print, in a
// dozen lines of code. ctest runs it and compares its output with pool_bcg.expected.txt.
//
// Usage: pool_bcg [BCG_CSV]   (default examples/bcg/bcg.csv, relative to the working directory)
#include <fmt/format.h>

#include <string>

#include "srma/srma.hpp"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "examples/bcg/bcg.csv";
  auto studies = srma::read_studies(path, {.measure = srma::effect_measure::risk_ratio});
  if (!studies) {
    fmt::print(stderr, "{}\n", studies.error().what());
    return 1;
  }

  const srma::pool_options options = srma::preset_options(srma::preset::metafor);
  auto fit = srma::pool(*studies, options);
  if (!fit) {
    fmt::print(stderr, "{}\n", fit.error().what());
    return 1;
  }
  fmt::print("{}\n", srma::full_report(*fit));

  auto l1o = srma::leave1out(*studies, options);
  if (!l1o) {
    fmt::print(stderr, "{}\n", l1o.error().what());
    return 1;
  }
  fmt::print("{}", srma::full_report(*l1o));
  return 0;
}
