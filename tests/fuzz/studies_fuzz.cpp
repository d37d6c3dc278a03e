// File: tests/fuzz/studies_fuzz.cpp
//
// Fuzz target: the study reader (make_study_table on a parsed CSV, the path of read_studies and
// of every command that takes a study file). The first byte chooses the measure and the
// missing-value policy. Checks that the two table forms
// (csv_table and compact_csv) give the same studies or the same error, as study_table.hpp says,
// that a study_table_maker prepared with the header reads the same as make_study_table (the
// path of batches), and that every study read has a finite yi and a finite vi > 0.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "srma/data/study_table.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [selector, in] = srma_fuzz::select_byte(data, size);
  srma::read_options options;
  // 20 measures (effect_measure has 20 values) and "follow the input" (20).
  if (const unsigned m = selector % 21; m < 20)
    options.measure = static_cast<srma::effect_measure>(m);
  options.missing =
      (selector & 0x80U) != 0 ? srma::missing_policy::exclude : srma::missing_policy::error;
  auto csv = srma::parse_csv(in, "fuzz.csv");
  if (!csv) return 0;
  auto compact = srma::parse_csv_compact(in, "fuzz.csv");
  srma_fuzz::fuzz_check(compact.has_value(), "compact reader fails where parse_csv succeeds");
  auto studies = srma::make_study_table(*csv, options);
  auto studies2 = srma::make_study_table(*compact, options);
  srma::study_table_maker maker(options);
  maker.prepare(*compact);
  auto studies3 = maker.make(*compact);
  srma_fuzz::fuzz_check(studies3.has_value() == studies2.has_value(),
                        "study_table_maker and make_study_table disagree on success");
  if (!studies3) {
    srma_fuzz::fuzz_check(studies3.error().what() == studies2.error().what(),
                          "study_table_maker gives another error than make_study_table");
  } else {
    srma_fuzz::fuzz_check(studies3->study == studies2->study && studies3->yi == studies2->yi &&
                              studies3->vi == studies2->vi && studies3->line == studies2->line &&
                              studies3->notices == studies2->notices &&
                              studies3->attribute_names == studies2->attribute_names &&
                              studies3->effect_columns == studies2->effect_columns &&
                              studies3->measure == studies2->measure &&
                              studies3->kind == studies2->kind &&
                              studies3->excluded.size() == studies2->excluded.size(),
                          "study_table_maker reads another table than make_study_table");
  }
  srma_fuzz::fuzz_check(studies.has_value() == studies2.has_value(),
                        "the two study readers disagree on success");
  if (!studies) {
    srma_fuzz::fuzz_check(studies.error().id == studies2.error().id,
                          "the two study readers give different error ids");
    return 0;
  }
  srma_fuzz::fuzz_check(studies->study == studies2->study, "different labels");
  srma_fuzz::fuzz_check(studies->k() == studies2->k(), "different k");
  for (std::size_t i = 0; i < studies->k(); ++i) {
    srma_fuzz::fuzz_check(std::isfinite(studies->yi[i]), "a study with a non-finite yi");
    srma_fuzz::fuzz_check(std::isfinite(studies->vi[i]) && studies->vi[i] > 0,
                          "a study with a vi that is not finite and > 0");
    srma_fuzz::fuzz_check(studies->yi[i] == studies2->yi[i] && studies->vi[i] == studies2->vi[i],
                          "the two study readers give different numbers");
  }
  return 0;
}
