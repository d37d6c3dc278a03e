// File: srma/srma.hpp
//
// The umbrella header: every public header of the statistics (util, io, data, model,
// sensitivity, bias; CMake component srma::core) and of the review readers and reports (review,
// report; srma::report, which brings srma::core). Link srma::report to call everything declared
// here; srma::core is enough when only the statistics are called.
//
// Figures and analysis plans are not included, because they need more than the statistics do
// (Cairo and Pango; toml++ and OpenSSL): include srma/plot/*.hpp and link srma::plot for
// figures, srma/run/*.hpp and link srma::run for plans. The library itself never includes this
// header (tests/layering checks that); it is for programs that use srma. docs/cmake.md shows how
// to find and link the components.
//
// Example:
//
//   #include "srma/srma.hpp"
//
//   auto studies = srma::read_studies("examples/bcg/bcg.csv",
//                                     {.measure = srma::effect_measure::risk_ratio});
//   if (!studies) { std::cerr << studies.error().what() << '\n'; return 1; }
//   auto fit = srma::pool(*studies, srma::preset_options(srma::preset::metafor));
//   if (fit) fmt::print("{}", srma::full_report(*fit));
#pragma once

#include "srma/bias/fail_safe_n.hpp"
#include "srma/bias/rank_test.hpp"
#include "srma/bias/regression_test.hpp"
#include "srma/bias/small_study_bias.hpp"
#include "srma/bias/trim_and_fill.hpp"
#include "srma/data/effect_size.hpp"
#include "srma/data/hr_from_summary.hpp"
#include "srma/data/study_row.hpp"
#include "srma/data/study_table.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"
#include "srma/io/csv_stream.hpp"
#include "srma/io/file.hpp"
#include "srma/model/batch.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/model/mantel_haenszel.hpp"
#include "srma/model/metareg.hpp"
#include "srma/model/peto.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/model/qprofile.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/model/tau2.hpp"
#include "srma/report/format.hpp"
#include "srma/report/gosh_report.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"
#include "srma/review/agreement.hpp"
#include "srma/review/nos.hpp"
#include "srma/review/nos_items.hpp"
#include "srma/review/prisma.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/gosh.hpp"
#include "srma/sensitivity/gosh_diagnostics.hpp"
#include "srma/sensitivity/gosh_stream.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"
#include "srma/sensitivity/refit_summary.hpp"
#include "srma/survival/cox.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/survival/kaplan_meier.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/survival/km_reconstruct.hpp"
#include "srma/survival/logrank.hpp"
#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/expected.hpp"
#include "srma/util/limits.hpp"
#include "srma/util/parallel.hpp"
#include "srma/util/text.hpp"
#include "srma/util/text_column.hpp"
#include "srma/util/version.hpp"
