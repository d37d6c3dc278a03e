// File: python/src/analyses.hpp
//
// The analyses of a study table, each returning an object that holds the library's result (see
// fits.hpp): pool (with `by`: subgroups), leave1out, cumulative, influence, bias, metareg,
// permutation_test and gosh. Each object has json() (a dict equal to the CLI's --json output)
// and summary() (the CLI's text output). The Python layer (srma/_api.py) wraps them in result
// classes with attribute access.
//
// Example (Python):
//
//   fit = srma._srma.pool(studies, srma._srma.pool_options(method="PM"), None)
//   fit.json()["random"]["estimate"]
#pragma once

#include <pybind11/pybind11.h>

namespace srma::bindings {

/// Binds the result types and the analysis functions.
void register_analyses(pybind11::module_& m);

}  // namespace srma::bindings
