// File: tests/validation/sensitivity_reference.hpp
//
// Checks srma's sensitivity analyses, small-study tests, meta-regression and exact permutation
// tests against the metafor reference files tests/validation/data/<dataset>_sensitivity.json,
// written by tools/make_reference_sensitivity.R (R 4.2.2, metafor 3.8-1, metadat 1.2-0, tight
// control; each case records its R calls under "r_call"). Each case names its "analysis"; the
// harness runs the matching srma function with the case's "args", renders the result with
// srma::to_json() and compares every leaf of "expected" with the same tolerances as the pooling
// references (reference.hpp).
//
// args: "tau2" is an estimator code or "EE" (the common-effect model), "hksj", "measure", and per
// analysis "order" (cumulative), "estimator" (bias), "mods"/"factors" (metareg, permtest).
#pragma once

#include "srma/bias/small_study_bias.hpp"
#include "srma/model/metareg.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"
#include "validation/reference.hpp"

namespace srma::test {

/// pool_options for a sensitivity case: "EE" is the common-effect model, anything else the
/// random-effects model with that estimator.
[[nodiscard]] inline pool_options sensitivity_options(const nlohmann::json& args) {
  pool_options o = preset_options(preset::metafor);
  const std::string tau2 = args.at("tau2").get<std::string>();
  if (tau2 == "EE") {
    o.model = model_choice::common;
  } else {
    o.model = model_choice::random;
    const auto m = parse_tau2_method(tau2);
    EXPECT_TRUE(m.has_value()) << "unknown tau2 method " << tau2;
    if (m) o.tau2 = *m;
  }
  o.ci = args.value("hksj", false) ? ci_method::hksj : ci_method::z;
  return o;
}

[[nodiscard]] inline std::vector<std::string> string_list(const nlohmann::json& args,
                                                          const char* key) {
  std::vector<std::string> out;
  if (args.contains(key))
    for (const auto& s : args.at(key)) out.push_back(s.get<std::string>());
  return out;
}

/// Runs one case; returns srma's JSON or an error text.
[[nodiscard]] inline expected<nlohmann::json> run_sensitivity_case(const nlohmann::json& file,
                                                                   const nlohmann::json& c) {
  const auto& args = c.at("args");
  auto studies = read_reference_studies(file, args);
  if (!studies) return unexpected(studies.error());
  const pool_options o = sensitivity_options(args);
  const std::string analysis = c.at("analysis").get<std::string>();
  auto wrap = [](auto r) -> expected<nlohmann::json> {
    if (!r) return unexpected(r.error());
    return to_json(*r);
  };
  if (analysis == "leave1out") return wrap(leave1out(*studies, o));
  if (analysis == "cumulative") return wrap(cumulative(*studies, args.value("order", ""), o));
  if (analysis == "influence") return wrap(influence(*studies, o));
  if (analysis == "bias") {
    bias_options b;
    b.estimator =
        args.value("estimator", "L0") == "R0" ? trimfill_estimator::r0 : trimfill_estimator::l0;
    return wrap(small_study_bias(*studies, o, b));
  }
  const auto mods = string_list(args, "mods");
  const auto factors = string_list(args, "factors");
  if (analysis == "metareg") {
    auto d = build_design(*studies, mods, factors);
    if (!d) return unexpected(d.error());
    return wrap(metareg(studies->yi, studies->vi, *d, o));
  }
  if (analysis == "permtest") {
    std::optional<design_matrix> d;
    if (!mods.empty()) {
      auto dd = build_design(*studies, mods, factors);
      if (!dd) return unexpected(dd.error());
      d = std::move(*dd);
    }
    permtest_options p;
    p.exact = args.value("exact", true);
    return wrap(permutation_test(studies->yi, studies->vi, d ? &*d : nullptr, o, p));
  }
  return fail("test.E0", "unknown analysis " + analysis);
}

/// Checks every case of `file` whose analysis is `analysis`; `expected_cases` guards against a
/// reference file that lost cases.
inline void check_sensitivity_cases(std::string_view file, std::string_view analysis,
                                    std::size_t expected_cases) {
  const nlohmann::json ref = load_reference(file);
  if (ref.is_null()) return;
  comparison_count n;
  std::size_t cases = 0;
  for (const auto& c : ref.at("cases")) {
    if (c.at("analysis").get<std::string>() != analysis) continue;
    ++cases;
    const std::string name = c.at("name").get<std::string>();
    auto actual = run_sensitivity_case(ref, c);
    if (!actual) {
      ADD_FAILURE() << name << ": srma failed: " << actual.error().what();
      continue;
    }
    compare_reference(c.at("expected"), *actual, name, n);
  }
  EXPECT_EQ(cases, expected_cases) << file << ": number of " << analysis << " cases";
  EXPECT_GT(n.leaves, 0) << file << ": nothing compared";
}

}  // namespace srma::test
