// File: python/src/module.cpp
//
// The extension module srma._srma: the srma C++ library for Python. The public Python API is
// the package srma (python/srma/), which wraps these bindings in result classes with attribute
// access; this module only converts arguments, calls the library and converts results.
//
// Example (Python):
//
//   from srma import _srma
//   s = _srma.read_studies("examples/bcg/bcg.csv", measure="RR")
//   print(_srma.pool(s, _srma.pool_options()).summary())
#include <pybind11/pybind11.h>

#include <string>

#include "analyses.hpp"
#include "errors.hpp"
#include "options.hpp"
#include "plots.hpp"
#include "srma/util/version.hpp"
#include "studies.hpp"
#include "survival.hpp"
#include "tests.hpp"

PYBIND11_MODULE(_srma, m) {
  namespace b = srma::bindings;
  m.doc() = "Bindings of the srma C++ library (use the package srma, not this module)";
  m.attr("__version__") = std::string(srma::version());
  b::register_errors(m);
  b::register_options(m);
  b::register_studies(m);
  b::register_analyses(m);
  b::register_tests(m);
  b::register_survival(m);
  b::register_plots(m);
}
