// File: srma/util/expected.hpp
//
// `srma::expected<T>` holds either a value of type `T` or an `srma::error`. Every fallible call of
// the public API returns one; exceptions never cross the library boundary (STYLE.md, habit 4).
// The interface follows C++23's `std::expected` (has_value, value, error, operator*, operator->),
// which libstdc++ 12 offers only under -std=c++2b.
//
// An `error` carries a stable id ("srma.csv.E101", named srma::errc::csv_unterminated_quote in
// srma/util/error_ids.hpp), the place it refers to (file, line, column, or
// a function name) and a message. `error::what()` renders the one-line form users see:
//
//   [srma.input.E204] studies.csv:7:3: column 'vi' is -0.2, but must be > 0
//
// Example:
//
//   srma::expected<srma::csv_table> t = srma::read_csv("studies.csv");
//   if (!t) {
//     std::cerr << t.error().what() << '\n';
//     return 1;
//   }
//   use(*t);
//
// Every id is a named constant in srma/util/error_ids.hpp and listed in docs/error-codes.md.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "srma/util/error_ids.hpp"

namespace srma {

/// Where an error points to. `line` and `column` are 1-based; 0 means "not applicable".
struct error_location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// A failure reported by the library: a stable id, where it happened, and what was expected.
struct error {
  std::string id;       ///< Stable id, e.g. "srma.csv.E101"; see srma/util/error_ids.hpp.
  std::string message;  ///< What is wrong and what was expected, without id or location.
  error_location where;
  /// The value the message is about, when one value matters to the caller (a column set to
  /// choose, a column to declare categorical): the command line builds its option hints from
  /// the id and this value (cli/common.cpp), so library messages need not name any flag.
  std::string subject;

  /// "[id] file:line:column: message", omitting the parts that are not set.
  [[nodiscard]] std::string what() const;
  /// The id family: "csv", "input", "model", ... (the part between "srma." and ".E").
  [[nodiscard]] std::string family() const;
};

/// Tag type to construct an `expected<T>` holding an error (like `std::unexpected`).
struct unexpected {
  srma::error value;
  explicit unexpected(srma::error e) : value(std::move(e)) {}
};

template <typename T>
class expected {
 public:
  using value_type = T;

  expected(T value) : data_(std::in_place_index<0>, std::move(value)) {}         // NOLINT: implicit
  expected(unexpected e) : data_(std::in_place_index<1>, std::move(e.value)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  [[nodiscard]] const srma::error& error() const& { return std::get<1>(data_); }
  [[nodiscard]] srma::error&& error() && { return std::get<1>(std::move(data_)); }

 private:
  std::variant<T, srma::error> data_;
};

/// `expected<void>`: success carries no value.
template <>
class expected<void> {
 public:
  expected() = default;
  expected(unexpected e) : error_(std::move(e.value)), ok_(false) {}  // NOLINT: implicit

  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  [[nodiscard]] const srma::error& error() const& { return error_; }

 private:
  srma::error error_;
  bool ok_ = true;
};

/// Builds an error result. Example: `return srma::fail(srma::errc::model_too_few_studies, "k = 1
/// ...");`
[[nodiscard]] inline unexpected fail(std::string id, std::string message, error_location where = {},
                                     std::string subject = {}) {
  return unexpected(
      srma::error{std::move(id), std::move(message), std::move(where), std::move(subject)});
}

}  // namespace srma
