// File: srma/report/gosh_report.hpp
//
// Words and JSON for a streamed GOSH analysis (srma/sensitivity/gosh_stream.hpp) and its cluster
// diagnostics (srma/sensitivity/gosh_diagnostics.hpp): what `srma gosh` prints and writes with
// --json, and what a run report says about a plan's gosh analysis.
//
// Example:
//
//   auto s = srma::gosh_stream(t.yi, t.vi, opts, go);
//   auto d = srma::diagnose_gosh(s->sample, s->k);
//   fmt::print("{}", srma::full_report(*s, &*d, t.study, t.measure));
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "srma/data/effect_size.hpp"
#include "srma/sensitivity/gosh_diagnostics.hpp"
#include "srma/sensitivity/gosh_stream.hpp"

namespace srma {

/// {k, exact, model, tau2_method, subsets, done, fitted, failed, fell_back, interrupted,
/// estimate{min, max, mean, sd}, I2{min, max, mean, sd}, histogram{x_lo, x_hi, nx, ny,
/// estimate_counts[nx], I2_counts[ny]}, studies[]{study, with{n, mean_estimate, sd_estimate,
/// mean_I2, sd_I2}, without{...}, difference_estimate, difference_I2}, diagnostics{points,
/// clustered, complete, flagged[], methods[]{method, clusters[]{points, mean_estimate, mean_I2,
/// share[]}, noise, difference[], flagged[]}, notes[]} (when `d`), notes[]}. Estimates on the
/// analysis scale; undefined values null.
[[nodiscard]] nlohmann::json to_json(const gosh_summary& s, const gosh_diagnostics* d,
                                     std::span<const std::string> labels);

/// What was fitted, the range and spread of the estimates and I^2, one row per study (mean
/// estimate and I^2 with and without it), and the diagnostics' clusters and flagged studies.
[[nodiscard]] std::string full_report(const gosh_summary& s, const gosh_diagnostics* d,
                                      std::span<const std::string> labels,
                                      effect_measure measure = effect_measure::generic);

/// A clustering method as reports and figures name it: "k-means", "DBSCAN", "Gaussian mixture".
[[nodiscard]] std::string cluster_method_title(gosh_cluster_method m);

/// One sentence naming the studies the diagnostics flag (or saying none is), e.g. "The cluster
/// diagnostics (k-means, DBSCAN, Gaussian mixture) flag Outlier 2020: the share of subsets
/// containing it differs by at least 30 percentage points between clusters."
[[nodiscard]] std::string diagnostics_sentence(const gosh_diagnostics& d,
                                               std::span<const std::string> labels,
                                               double flag_difference = 0.3);

}  // namespace srma
