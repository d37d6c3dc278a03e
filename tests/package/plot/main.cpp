// A consumer of srma::plot (tests/package/run.sh): pools the BCG trials (risk ratios) with the
// metafor preset and writes their forest plot, as `srma forest` does (cli/forest.cpp).
//
// Usage: forest_bcg BCG_CSV OUTPUT.svg
#include <fmt/format.h>

#include "srma/data/study_table.hpp"
#include "srma/model/pool.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/output.hpp"

namespace {

int fail(const srma::error& e) {
  fmt::print(stderr, "{}\n", e.what());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: {} BCG_CSV OUTPUT.svg\n", argv[0]);
    return 2;
  }
  auto studies = srma::read_studies(argv[1], {.measure = srma::effect_measure::risk_ratio});
  if (!studies) return fail(studies.error());
  auto fit = srma::pool(*studies, srma::preset_options(srma::preset::metafor));
  if (!fit) return fail(fit.error());
  srma::plot::forest_content content;
  content.columns = {"year"};
  content.prediction_interval = true;
  auto forest = srma::plot::forest_from(*fit, *studies, content);
  if (!forest) return fail(forest.error());
  forest->options.title = "BCG vaccine against tuberculosis";
  auto figure = srma::plot::draw_forest(forest->rows, forest->options);
  if (!figure) return fail(figure.error());
  if (auto ok = srma::plot::save(*figure, argv[2]); !ok) return fail(ok.error());
  fmt::print("wrote {}\n", argv[2]);
  return 0;
}
