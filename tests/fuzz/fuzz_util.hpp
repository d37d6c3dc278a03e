// File: tests/fuzz/fuzz_util.hpp
//
// Helpers shared by the libFuzzer targets of tests/fuzz/ (one reader per target). A target
// fails on a crash, a sanitizer report or an exception that escapes the library (the library
// returns srma::expected<T>; an exception crossing its API is a bug), and on a broken invariant
// it checks with `fuzz_check`, which aborts with a message so that libFuzzer saves the input.
//
// Example:
//
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//     auto csv = srma::parse_csv(srma_fuzz::text(data, size), "fuzz.csv");
//     srma_fuzz::fuzz_check(csv || !csv.error().id.empty(), "an error without an id");
//     return 0;
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace srma_fuzz {

/// The fuzzer's bytes as text (no copy; the bytes need not be valid UTF-8).
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Aborts with `what` when `ok` is false: an invariant the library documents does not hold.
inline void fuzz_check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
  }
}

/// Splits off a first selector byte (an option such as a record format or a measure) from the
/// rest of the input; 0 when the input is empty.
struct selected {
  unsigned selector = 0;
  std::string_view rest;
};
inline selected select_byte(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  return {data[0], text(data + 1, size - 1)};
}

}  // namespace srma_fuzz
