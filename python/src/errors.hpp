// File: python/src/errors.hpp
//
// Library errors in Python. Every fallible call of the library returns an `srma::expected<T>`;
// the bindings unwrap it, and an error becomes the Python exception `srma.Error` (a subclass of
// ValueError) carrying the error's id, message and location as attributes, with
// str(e) == error::what():
//
//   try:
//       srma.pool([0.1, 0.2], [0.01, -1])
//   except srma.Error as e:
//       print(e.id)       # srma.input.E205
//       print(e)          # [srma.input.E205] vi[1] is -1, but must be finite and > 0
//
// Example (C++):
//
//   srma::pool_result r = unwrap(srma::pool(studies, options));  // throws raised_error
#pragma once

#include <pybind11/pybind11.h>

#include <exception>
#include <string>
#include <type_traits>
#include <utility>

#include "srma/util/expected.hpp"

namespace srma::bindings {

/// A library error on its way to Python: thrown by `unwrap` and `raise`, translated into
/// srma.Error by the translator that `register_errors` installs.
class raised_error : public std::exception {
 public:
  explicit raised_error(srma::error e) : error_(std::move(e)), what_(error_.what()) {}
  [[nodiscard]] const char* what() const noexcept override { return what_.c_str(); }
  [[nodiscard]] const srma::error& error() const { return error_; }

 private:
  srma::error error_;
  std::string what_;
};

/// Throws an error with `id` (a constant of srma/util/error_ids.hpp) and `message`.
[[noreturn]] void raise(std::string id, std::string message);

/// The value of `r`, or throws its error.
template <typename T>
requires(!std::is_void_v<T>) T unwrap(expected<T>&& r) {
  if (!r) throw raised_error(std::move(r).error());
  return std::move(r).value();
}

/// Throws the error of `r`, if any.
void unwrap(const expected<void>& r);

/// Creates srma.Error in module `m` (as `m.Error`) and installs the translator.
void register_errors(pybind11::module_& m);

}  // namespace srma::bindings
