// A consumer of srma::core (tests/package/run.sh): pools the BCG trials (risk ratios) with the
// metafor preset and prints the estimates as "<key> <value>" lines, keys named as in the metafor
// reference file tests/validation/data/bcg.json (case bcg_RR_REML_z: metafor 3.8-1,
// rma(yi, vi, method="REML", test="z")), against which run.sh compares them.
//
// Usage: pool_bcg BCG_CSV   (tests/validation/data/bcg.csv)
#include <fmt/format.h>

#include "srma/data/study_table.hpp"
#include "srma/model/pool.hpp"
#include "srma/util/version.hpp"

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
  fmt::print("version {}\n", srma::version());
  fmt::print("k {}\n", fit->k);
  fmt::print("common.estimate {:.17g}\n", fit->common.estimate);
  fmt::print("random.estimate {:.17g}\n", fit->random.estimate);
  fmt::print("heterogeneity.tau2 {:.17g}\n", fit->heterogeneity.tau2);
  return 0;
}
