// File: srma/json.hpp
//
// JSON output of results, as documented in docs/json-schema.md. Numbers are on the analysis
// scale (log for ratio measures), with back-transformed values beside them under "display";
// undefined values are null. Doubles keep full precision (17 significant digits).
//
// Example:
//
//   auto r = srma::pool(studies, opts);
//   std::cout << srma::to_json(*r).dump(2) << '\n';
#pragma once

#include <nlohmann/json.hpp>

#include "srma/pool_result.hpp"
#include "srma/study_table.hpp"
#include "srma/subgroup.hpp"

namespace srma {

/// {k, measure, level, model{...}, studies[], common{}, random{}, heterogeneity{}, notes[]}.
[[nodiscard]] nlohmann::json to_json(const pool_result& r);
/// The pool_result keys of the overall analysis plus subgroups[] and between{}.
[[nodiscard]] nlohmann::json to_json(const subgroup_analysis& s);
/// Input notices and excluded studies: {source, measure, input, excluded[], notices[]}.
[[nodiscard]] nlohmann::json input_json(const study_table& t);

}  // namespace srma
