// File: srma/survival/ipd.hpp
//
// Individual patient data for time-to-event analyses: one row per patient with its arm, its
// follow-up time and whether the follow-up ended in an event (1) or was censored (0). Read from a
// CSV with the columns `arm,time,event` (names case-insensitive, in any order, other columns kept
// out of the analysis but not an error), which is also what `srma km reconstruct` writes.
//
// Example:
//
//   auto d = srma::read_ipd("ipd.csv");
//   if (!d) { std::cerr << d.error().what() << '\n'; return 1; }
//   auto t = d->arm_index("Pembrolizumab");  // std::optional<std::size_t>
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// Patients of one or more arms. Arms are numbered in order of first appearance.
struct survival_data {
  std::string source;                  ///< File the data came from ("" when built in memory).
  std::vector<std::string> arm_names;  ///< Distinct arm labels, in order of first appearance.
  std::vector<std::size_t> arm;        ///< Arm index of each patient (into arm_names).
  std::vector<double> time;            ///< Follow-up time, finite and >= 0.
  std::vector<int> event;              ///< 1 = event, 0 = censored.
  std::vector<int> line;               ///< Source line of each patient (0 when built in memory).

  [[nodiscard]] std::size_t size() const { return time.size(); }
  /// Index of the arm named `name` (exact match first, then case-insensitive), or nullopt.
  [[nodiscard]] std::optional<std::size_t> arm_index(std::string_view name) const;
  /// Appends one patient to arm `name` (created when new).
  void add(std::string_view arm_name, double t, int status);
};

/// Builds patient data from a CSV table with columns arm, time, event (also accepted: status
/// for event, group for arm). Errors (located at file:line:column): srma.survival.E901 for a
/// missing column, a time that is not a finite number >= 0, an event that is not 0 or 1, an
/// empty arm label, or no rows.
[[nodiscard]] expected<survival_data> make_survival_data(const csv_table& csv);

/// `read_csv` followed by `make_survival_data`.
[[nodiscard]] expected<survival_data> read_ipd(const std::string& path);

/// The data as CSV text with the header `arm,time,event` (times printed exactly: shortest
/// round-trip form), in the order stored.
[[nodiscard]] std::string to_csv(const survival_data& data);

/// The patients of arm `a` only: times and events, in the order stored.
struct arm_sample {
  std::vector<double> time;
  std::vector<int> event;
};
[[nodiscard]] arm_sample arm_of(const survival_data& data, std::size_t a);

}  // namespace srma
