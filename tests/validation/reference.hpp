// File: tests/validation/reference.hpp
//
// Checks srma's pooling against the metafor reference files in tests/validation/data/, which
// tools/make_reference_pool.R writes (R 4.2, metafor 3.8-1, metadat 1.2-0, tight iteration
// control; every case records its exact R calls under "r_call"). For each case the helper runs
// srma with the case's "args", renders the result with srma::to_json() and compares every leaf
// of the case's "expected" with srma's JSON at the same path:
//
//   - numbers: relative tolerance tol::estimate (1e-6), or tol::tau2_ci (1e-4) for the Q-profile
//     bounds tau2_ci_*, tau_ci_*, I2_ci_*, H2_ci_*; the tolerance is absolute when |expected| <
//     1e-8;
//   - null (undefined, e.g. df of a z test): srma must report null too;
//   - strings and booleans: exactly; arrays (studies, subgroups): element by element.
//
// Each mismatching leaf is one test failure naming the case and the JSON path, e.g.
//
//   bcg_RR_REML_knha /random/pi_lower: srma -2.0054 vs metafor -2.0053 (|diff| 1e-4 > 2e-6)
//
// Example:
//
//   TEST(bcg_test, matches_metafor_all_estimators) {
//     srma::test::check_pool_cases("bcg.json", 32);
//   }
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <fstream>
#include <iomanip>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/model/tau2.hpp"
#include "srma/report/json.hpp"
#include "test_util.hpp"

namespace srma::test {

/// Below this magnitude an expected value is compared with an absolute tolerance.
inline constexpr double reference_abs_floor = 1e-8;

/// Path of a file in tests/validation/data.
[[nodiscard]] inline std::string reference_data_path(std::string_view file) {
  return std::string(SRMA_TEST_DATA_DIR) + "/" + std::string(file);
}

/// Parses a reference file; on failure records a test failure and returns null.
[[nodiscard]] inline nlohmann::json load_reference(std::string_view file) {
  const std::string path = reference_data_path(file);
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path
                  << " (regenerate with Rscript tools/make_reference_pool.R)";
    return nullptr;
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    ADD_FAILURE() << path << ": " << e.what();
    return nullptr;
  }
}

/// The tolerance class of a leaf, chosen by its key.
[[nodiscard]] inline double reference_tolerance(std::string_view key) {
  for (std::string_view prefix : {"tau2_ci_", "tau_ci_", "I2_ci_", "H2_ci_"}) {
    if (key.substr(0, prefix.size()) == prefix) return tol::tau2_ci;
  }
  return tol::estimate;
}

/// Counts of one comparison, so that a test can assert it compared anything at all.
struct comparison_count {
  int leaves = 0;
  int mismatches = 0;
};

namespace detail {

inline std::string show(const nlohmann::json& j) {
  if (j.is_number()) {
    std::ostringstream s;
    s << std::setprecision(17) << j.get<double>();
    return s.str();
  }
  return j.dump();
}

inline void mismatch(comparison_count& n, std::string_view case_name, const std::string& path,
                     const std::string& what) {
  ++n.mismatches;
  ADD_FAILURE() << case_name << ' ' << (path.empty() ? "/" : path) << ": " << what;
}

}  // namespace detail

/// Compares every leaf of `expected` with `actual` at the same path (see the file comment).
inline void compare_reference(const nlohmann::json& expected, const nlohmann::json& actual,
                              std::string_view case_name, comparison_count& n,
                              const std::string& path = "", std::string_view key = "") {
  using detail::mismatch;
  using detail::show;
  if (expected.is_object()) {
    if (!actual.is_object()) {
      mismatch(n, case_name, path, "srma has " + show(actual) + ", expected an object");
      return;
    }
    for (const auto& [k, v] : expected.items()) {
      const std::string child = path + "/" + k;
      if (!actual.contains(k)) {
        mismatch(n, case_name, child, "missing in srma's JSON (metafor " + show(v) + ")");
        continue;
      }
      compare_reference(v, actual.at(k), case_name, n, child, k);
    }
    return;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      mismatch(
          n, case_name, path,
          "srma has " +
              (actual.is_array() ? std::to_string(actual.size()) + " elements" : show(actual)) +
              ", metafor " + std::to_string(expected.size()) + " elements");
      return;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      compare_reference(expected[i], actual[i], case_name, n, path + "/" + std::to_string(i), key);
    }
    return;
  }
  ++n.leaves;
  if (expected.is_null()) {
    if (!actual.is_null())
      mismatch(n, case_name, path, "srma " + show(actual) + " vs metafor null");
    return;
  }
  if (expected.is_number()) {
    if (!actual.is_number()) {
      mismatch(n, case_name, path, "srma " + show(actual) + " vs metafor " + show(expected));
      return;
    }
    const double e = expected.get<double>();
    const double a = actual.get<double>();
    const double rel = reference_tolerance(key);
    const double allowed = std::fabs(e) < reference_abs_floor ? rel : rel * std::fabs(e);
    const double diff = std::fabs(a - e);
    if (!(diff <= allowed)) {
      std::ostringstream s;
      s << "srma " << show(actual) << " vs metafor " << show(expected) << " (|diff| "
        << std::setprecision(3) << diff << " > " << allowed << ')';
      mismatch(n, case_name, path, s.str());
    }
    return;
  }
  if (expected != actual) {
    mismatch(n, case_name, path, "srma " + show(actual) + " vs metafor " + show(expected));
  }
}

/// pool_options for a case's "args": the metafor preset with its tau^2 estimator, HKSJ or Wald
/// inference and, for subgroup cases, a shared or separate tau^2.
[[nodiscard]] inline pool_options reference_options(const nlohmann::json& args) {
  pool_options o = preset_options(preset::metafor);
  const auto tau2 = parse_tau2_method(args.at("tau2").get<std::string>());
  EXPECT_TRUE(tau2.has_value()) << "unknown tau2 method " << args.at("tau2");
  if (tau2) o.tau2 = *tau2;
  o.ci = args.value("hksj", false) ? ci_method::hksj : ci_method::z;
  o.common_tau2 = args.value("common_tau2", false);
  return o;
}

/// Reads the reference file's CSV with the case's measure.
[[nodiscard]] inline expected<study_table> read_reference_studies(const nlohmann::json& file,
                                                                  const nlohmann::json& args) {
  read_options ro;
  if (args.contains("measure")) ro.measure = parse_measure(args.at("measure").get<std::string>());
  return read_studies(reference_data_path(file.at("input").get<std::string>()), ro);
}

/// Checks every entry of "cases" of a data-set reference file against srma::pool().
inline void check_pool_cases(std::string_view file, std::size_t expected_cases) {
  const nlohmann::json ref = load_reference(file);
  if (ref.is_null()) return;
  const auto& cases = ref.at("cases");
  ASSERT_EQ(cases.size(), expected_cases) << file << ": number of cases";
  comparison_count n;
  for (const auto& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    const auto studies = read_reference_studies(ref, c.at("args"));
    if (!studies) {
      ADD_FAILURE() << name << ": read_studies failed: " << studies.error().what();
      continue;
    }
    const auto result = pool(*studies, reference_options(c.at("args")));
    if (!result) {
      ADD_FAILURE() << name << ": pool failed: " << result.error().what();
      continue;
    }
    compare_reference(c.at("expected"), to_json(*result), name, n);
  }
  EXPECT_GT(n.leaves, 0) << file << ": nothing compared";
}

/// Checks every entry of "subgroup_cases" of a reference file against srma::pool_subgroups().
inline void check_subgroup_cases(std::string_view file, std::size_t expected_cases) {
  const nlohmann::json ref = load_reference(file);
  if (ref.is_null()) return;
  const auto& cases = ref.at("subgroup_cases");
  ASSERT_EQ(cases.size(), expected_cases) << file << ": number of subgroup cases";
  comparison_count n;
  for (const auto& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    const auto& args = c.at("args");
    const auto studies = read_reference_studies(ref, args);
    if (!studies) {
      ADD_FAILURE() << name << ": read_studies failed: " << studies.error().what();
      continue;
    }
    const auto result =
        pool_subgroups(*studies, args.at("by").get<std::string>(), reference_options(args));
    if (!result) {
      ADD_FAILURE() << name << ": pool_subgroups failed: " << result.error().what();
      continue;
    }
    compare_reference(c.at("expected"), to_json(*result), name, n);
  }
  EXPECT_GT(n.leaves, 0) << file << ": nothing compared";
}

/// Checks the cases of edge.json whose name starts with `prefix` against srma::pool() on their
/// inline "yi"/"vi" arrays.
inline void check_edge_cases(std::string_view prefix, std::size_t expected_cases) {
  const nlohmann::json ref = load_reference("edge.json");
  if (ref.is_null()) return;
  std::size_t found = 0;
  comparison_count n;
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    ++found;
    const auto yi = c.at("yi").get<std::vector<double>>();
    const auto vi = c.at("vi").get<std::vector<double>>();
    const auto result = pool(std::span<const double>(yi), std::span<const double>(vi),
                             reference_options(c.at("args")));
    if (!result) {
      ADD_FAILURE() << name << ": pool failed: " << result.error().what();
      continue;
    }
    compare_reference(c.at("expected"), to_json(*result), name, n);
  }
  EXPECT_EQ(found, expected_cases) << "edge.json: cases named " << prefix << "*";
  EXPECT_GT(n.leaves, 0) << "edge.json: nothing compared for " << prefix;
}

}  // namespace srma::test
