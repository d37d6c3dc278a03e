// File: python/src/options.hpp
//
// Keyword arguments -> library options, with the command line's rules: a preset gives the
// defaults (srma, metafor, meta, revman5; docs/presets.md), then every option given explicitly
// overrides it; `level` and `auto_i2` are always set (95 and 20 unless given), as the CLI does.
// A name that is not among those accepted (method="XYZ", preset="stata") raises srma.Error with
// the CLI's id srma.cli.E401, so the same mistake gets the same id in Python and on the command
// line; a value out of range (level=100) gets the library's srma.model.E300, as pool() gives it.
//
// Example (Python):
//
//   o = srma._srma.pool_options(preset="metafor", method="PM", hksj=True)
//   o.method  # 'PM'
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <string>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_options.hpp"

namespace srma::bindings {

/// The reading options of srma.read_studies and friends.
[[nodiscard]] read_options make_read_options(const std::optional<std::string>& measure,
                                             const std::optional<std::string>& effect,
                                             double ci_level, bool exclude_missing,
                                             const std::optional<std::string>& zero_cells = {},
                                             const std::optional<std::string>& measure_label = {});

/// Parses an effect measure code ("RR", "hr", ...); raises srma.cli.E401 otherwise.
[[nodiscard]] effect_measure parse_measure_arg(const std::string& code);

/// Binds `PoolOptions` and `pool_options(...)`.
void register_options(pybind11::module_& m);

}  // namespace srma::bindings
