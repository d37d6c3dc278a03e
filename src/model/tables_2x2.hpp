// Private to the model layer: the checks and names shared by Mantel-Haenszel
// (mantel_haenszel.cpp) and Peto (peto.cpp) pooling of 2x2 tables given as four arrays.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <span>
#include <string>

#include "srma/util/check.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/expected.hpp"

namespace srma::detail {

/// Same lengths (E213), finite counts (E205), whole counts >= 0, events <= total, total > 0
/// (E210), and labels, when given, one per table (E213).
inline expected<void> check_tables_2x2(std::span<const double> events_t,
                                       std::span<const double> n_t,
                                       std::span<const double> events_c,
                                       std::span<const double> n_c,
                                       std::span<const std::string> labels) {
  const std::size_t k = events_t.size();
  if (auto ok = check_same_length("events_t", k, "n_t", n_t.size()); !ok) return ok;
  if (auto ok = check_same_length("events_t", k, "events_c", events_c.size()); !ok) return ok;
  if (auto ok = check_same_length("events_t", k, "n_c", n_c.size()); !ok) return ok;
  if (!labels.empty()) {
    if (auto ok = check_same_length("events_t", k, "labels", labels.size()); !ok) return ok;
  }
  const std::span<const double> arrays[] = {events_t, n_t, events_c, n_c};
  const char* names[] = {"events_t", "n_t", "events_c", "n_c"};
  for (int j = 0; j < 4; ++j) {
    if (auto ok = check_finite(names[j], arrays[j]); !ok) return ok;
  }
  for (std::size_t i = 0; i < k; ++i) {
    for (int j = 0; j < 4; ++j) {
      const double x = arrays[j][i];
      if (x < 0 || x != std::floor(x)) {
        return fail(
            errc::input_bad_2x2,
            fmt::format("{}[{}] is {}, but counts must be whole numbers >= 0", names[j], i, x));
      }
    }
    for (int j : {0, 2}) {
      const double events = arrays[j][i];
      const double total = arrays[j + 1][i];
      if (!(total > 0)) {
        return fail(errc::input_bad_2x2, fmt::format("{}[{}] is {}, but a group size must be > 0",
                                                     names[j + 1], i, total));
      }
      if (events > total) {
        return fail(errc::input_bad_2x2,
                    fmt::format("{}[{}] is {}, but events cannot exceed {}[{}] = {}", names[j], i,
                                events, names[j + 1], i, total));
      }
    }
  }
  return {};
}

/// The name of table i in notes: its label, or "table i" (0-based).
inline std::string table_name(std::size_t i, std::span<const std::string> labels) {
  return labels.empty() ? fmt::format("table {}", i) : labels[i];
}

}  // namespace srma::detail
