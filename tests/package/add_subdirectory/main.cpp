// A consumer of srma::core built through add_subdirectory (tests/package/run.sh). It includes the
// umbrella header, so it also shows that srma/srma.hpp compiles with only srma::core's usage
// requirements. Prints the pooled BCG estimates as "<key> <value>" lines, keys named as in
// tests/validation/data/bcg.json (case bcg_RR_REML_z: metafor 3.8-1,
// rma(yi, vi, method="REML", test="z")), against which run.sh compares them.
//
// Usage: pool_bcg_subdir BCG_CSV   (tests/validation/data/bcg.csv)
#include <fmt/format.h>

#include "srma/srma.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: {} BCG_CSV\n", argv[0]);
    return 2;
  }
  auto studies = srma::read_studies(argv[1], {.measure = srma::effect_measure::risk_ratio});
  if (!studies) {
    fmt::print(stderr, "{}\n", studies.error().what());
    return 1;
  }
  auto fit = srma::pool(*studies, srma::preset_options(srma::preset::metafor));
  if (!fit) {
    fmt::print(stderr, "{}\n", fit.error().what());
    return 1;
  }
  fmt::print("k {}\n", fit->k);
  fmt::print("common.estimate {:.17g}\n", fit->common.estimate);
  fmt::print("random.estimate {:.17g}\n", fit->random.estimate);
  fmt::print("heterogeneity.tau2 {:.17g}\n", fit->heterogeneity.tau2);
  return 0;
}
