// srma.Error: the Python exception for a library srma::error (see errors.hpp).
#include "errors.hpp"

#include <Python.h>

namespace srma::bindings {
namespace {

namespace py = pybind11;

// The exception class, created once per process and never freed: it must outlive every
// translation, including those during interpreter shutdown.
PyObject* error_type = nullptr;

// Sets the Python error indicator to an srma.Error built from `e`.
void set_python_error(const srma::error& e) {
  py::object type = py::reinterpret_borrow<py::object>(error_type);
  py::object exc = type(e.what());
  exc.attr("id") = e.id;
  exc.attr("message") = e.message;
  exc.attr("family") = e.family();
  // "not applicable" (an empty file name, line or column 0) is None in Python.
  exc.attr("file") = e.where.file.empty() ? py::none() : py::object(py::str(e.where.file));
  exc.attr("line") = e.where.line > 0 ? py::object(py::int_(e.where.line)) : py::none();
  exc.attr("column") = e.where.column > 0 ? py::object(py::int_(e.where.column)) : py::none();
  exc.attr("subject") = e.subject.empty() ? py::none() : py::object(py::str(e.subject));
  PyErr_SetObject(error_type, exc.ptr());
}

constexpr const char* error_doc =
    "An error reported by the srma library (a ValueError).\n\n"
    "Attributes:\n"
    "    id      stable id, e.g. 'srma.input.E205' (docs/error-codes.md)\n"
    "    family  the id's family: 'csv', 'input', 'model', 'plot', 'cli', ...\n"
    "    message what is wrong and what was expected, without id or location\n"
    "    file    the file (or DataFrame) the error points to, or None\n"
    "    line    1-based line in that file, or None\n"
    "    column  1-based column, or None\n"
    "    subject the value the message is about (e.g. a column set to choose), or None\n\n"
    "str(error) is the one-line form the command line prints: '[id] file:line:column: "
    "message'.";

}  // namespace

void raise(std::string id, std::string message) {
  throw raised_error(srma::error{.id = std::move(id), .message = std::move(message)});
}

void unwrap(const expected<void>& r) {
  if (!r) throw raised_error(r.error());
}

void register_errors(py::module_& m) {
  if (error_type == nullptr) {
    error_type = PyErr_NewExceptionWithDoc("srma.Error", error_doc, PyExc_ValueError, nullptr);
    if (error_type == nullptr) throw py::error_already_set();
  }
  m.attr("Error") = py::reinterpret_borrow<py::object>(error_type);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const raised_error& e) {
      set_python_error(e.error());
    }
  });
}

}  // namespace srma::bindings
