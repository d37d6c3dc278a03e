// JSON -> Python objects and Python array-likes -> vectors (see convert.hpp).
#include "convert.hpp"

#include <cmath>
#include <string>

namespace srma::bindings {

namespace py = pybind11;

py::object to_python(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(j.get<double>());
    case nlohmann::json::value_t::string:
      return py::str(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& x : j) out.append(to_python(x));
      return out;
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [key, value] : j.items()) out[py::str(key)] = to_python(value);
      return out;
    }
    default:  // binary and discarded values never occur in srma's JSON
      return py::none();
  }
}

std::vector<double> to_doubles(py::handle values, const char* name) {
  if (values.is_none()) throw py::type_error(std::string(name) + " is None; expected numbers");
  if (py::isinstance<py::str>(values) || py::isinstance<py::bytes>(values)) {
    throw py::type_error(std::string(name) + " is a string; expected a sequence of numbers");
  }
  py::array_t<double, py::array::c_style | py::array::forcecast> a;
  try {
    a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
  } catch (const py::error_already_set&) {
    a = {};
  }
  if (!a) {
    PyErr_Clear();
    throw py::type_error(std::string(name) +
                         ": expected a sequence of numbers (list, tuple, "
                         "numpy array, pandas Series)");
  }
  if (a.ndim() != 1) {
    throw py::value_error(std::string(name) + " has " + std::to_string(a.ndim()) +
                          " dimensions; expected a one-dimensional sequence of numbers");
  }
  const double* p = a.data();
  return std::vector<double>(p, p + a.shape(0));
}

py::array_t<double> to_numpy(const std::vector<double>& x) {
  py::array_t<double> a(static_cast<py::ssize_t>(x.size()));
  std::copy(x.begin(), x.end(), a.mutable_data());
  return a;
}

py::object number(double x) { return std::isfinite(x) ? py::object(py::float_(x)) : py::none(); }

}  // namespace srma::bindings
