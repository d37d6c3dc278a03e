// File: python/src/tests.hpp
//
// The single statistics on raw arrays (yi, vi): Egger's and Peters' regression tests, Begg's
// rank test, trim-and-fill, fail-safe N, a tau^2 estimate and its Q-profile CI. Each returns a
// dict. Where `srma bias --json` reports the same test, the dict has the same keys (the
// "egger", "peters", "begg", "trimfill" and "failsafe" objects of src/report/json_sensitivity.cpp),
// so srma.egger_test(yi, vi) equals srma.bias(studies).egger.
//
// Example (Python):
//
//   srma._srma.egger_test([...], [...], srma._srma.pool_options(), False)["p"]
#pragma once

#include <pybind11/pybind11.h>

namespace srma::bindings {

/// Binds egger_test, peters_test, begg_test, trim_and_fill, failsafe_n, estimate_tau2 and
/// qprofile_tau2_ci.
void register_tests(pybind11::module_& m);

}  // namespace srma::bindings
