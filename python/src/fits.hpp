// File: python/src/fits.hpp
//
// What a Python result object holds: the study table an analysis ran on and the library's
// result, so that a result can give its JSON (srma::to_json plus the "input" object, exactly as
// the CLI's --json), its text report (srma::full_report, as the CLI prints) and its figures.
//
// Example:
//
//   analysis<leave1out_result> a{studies, unwrap(srma::leave1out(studies, options))};
//   py::object d = to_python(json_of(a));
#pragma once

#include <nlohmann/json.hpp>

#include "srma/bias/small_study_bias.hpp"
#include "srma/data/study_table.hpp"
#include "srma/model/metareg.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/report/json.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/gosh.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"

namespace srma::bindings {

/// An analysis of `studies` with its result (pool_result, subgroup_analysis, leave1out_result,
/// cumulative_result, influence_result, bias_result, metareg_result, permtest_result).
template <typename Result>
struct analysis {
  study_table studies;
  Result result;
};

/// The CLI's JSON of an analysis: to_json(result) with "input" set to input_json(studies).
template <typename Result>
[[nodiscard]] nlohmann::json json_of(const analysis<Result>& a) {
  nlohmann::json j = to_json(a.result);
  j["input"] = input_json(a.studies);
  return j;
}

/// A GOSH analysis: the library has no JSON or text report of it, so the bindings make both.
struct gosh_analysis {
  study_table studies;
  gosh_result result;
};

}  // namespace srma::bindings
