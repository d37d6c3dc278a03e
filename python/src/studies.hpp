// File: python/src/studies.hpp
//
// The study table in Python: `srma.Studies` (srma::study_table) and the three ways to make one:
// from a CSV file (read_studies), from CSV text (parse_studies; srma turns a pandas DataFrame
// into CSV text in memory and reads it this way, so every column set the CLI reads works), and
// from effects on the analysis scale (studies_from_arrays).
//
// Example (Python):
//
//   s = srma._srma.read_studies("examples/bcg/bcg.csv", measure="RR")
//   s.k, s.study[0], s.yi[0]   # 13, 'Aronson 1948', -0.889...
#pragma once

#include <pybind11/pybind11.h>

namespace srma::bindings {

/// Binds `Studies`, `read_studies`, `parse_studies` and `studies_from_arrays`.
void register_studies(pybind11::module_& m);

}  // namespace srma::bindings
