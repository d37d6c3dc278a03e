// File: tests/fuzz/where_fuzz.cpp
//
// Fuzz target: the `where` filter of plans, parsed and then evaluated on a small study table
// whose columns are text, numbers, empty cells and "NR", so that the evaluator's comparisons of
// numbers with text (issue 15 item 3) and its missing-value errors are reached. Checks that
// select() returns valid, increasing indices.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/run/where.hpp"

namespace {
const srma::study_table& studies() {
  static const srma::study_table t = [] {
    auto csv = srma::parse_csv(
        "study,yi,vi,year,design,ablat,alloc\n"
        "A 1990,-0.9,0.1,1990,prospective,44,random\n"
        "B 1995,-1.5,0.2,1995,retrospective,NR,alternate\n"
        "C 2001,0.1,0.05,2001,prospective,13,\n"
        "D 2010,0.3,0.3,2010,'quoted',-5.5,random\n",
        "where.csv");
    srma::read_options o;
    o.missing = srma::missing_policy::exclude;
    return *srma::make_study_table(*csv, o);
  }();
  return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto f = srma::parse_where(srma_fuzz::text(data, size));
  if (!f) {
    srma_fuzz::fuzz_check(f.error().id == "srma.plan.E707", "a where parse error other than E707");
    return 0;
  }
  (void)f->columns();
  auto rows = f->select(studies());
  if (!rows) return 0;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    srma_fuzz::fuzz_check((*rows)[i] < studies().k(), "select() returns an index out of range");
    srma_fuzz::fuzz_check(i == 0 || (*rows)[i - 1] < (*rows)[i], "select() indices not increasing");
  }
  return 0;
}
