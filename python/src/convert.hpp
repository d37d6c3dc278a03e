// File: python/src/convert.hpp
//
// Conversions between the library's values and Python objects:
//   - JSON results (srma::to_json) become plain Python dicts, lists, floats, ints, strings,
//     bools and None, number for number (a double stays the same double, so Python results equal
//     the command line's --json output exactly);
//   - array-likes (lists, tuples, numpy arrays, pandas Series) become std::vector<double>;
//   - vectors become numpy arrays.
//
// Example:
//
//   py::object d = to_python(srma::to_json(result));
//   std::vector<double> yi = to_doubles(yi_arg, "yi");
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace srma::bindings {

/// The Python object of a JSON value (null -> None, object -> dict, array -> list).
[[nodiscard]] pybind11::object to_python(const nlohmann::json& j);

/// A one-dimensional array-like of numbers as doubles (None becomes NaN, which the library then
/// reports with the element's index). Raises TypeError for non-numbers and ValueError for an
/// array of more than one dimension.
[[nodiscard]] std::vector<double> to_doubles(pybind11::handle values, const char* name);

/// A copy of `x` as a one-dimensional numpy array of float64.
[[nodiscard]] pybind11::array_t<double> to_numpy(const std::vector<double>& x);

/// NaN -> None, any other double -> float (the library's JSON convention for undefined values).
[[nodiscard]] pybind11::object number(double x);

}  // namespace srma::bindings
