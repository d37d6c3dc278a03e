// ML and REML tau^2 of one GOSH subset (intercept-only model), without allocation: the same
// computation as estimate_tau2(intercept_model(y, v), method, control) with
// control.profile_points = 0 (src/model/tau2/fisher_scoring.cpp: Hedges start, Fisher scoring
// with step halving, metafor's check against tau^2 = 0), operation for operation, so that the
// result is bitwise the same (tests/unit/gosh_stream_test.cpp checks it), but without what GOSH
// does not use: the SE of tau^2, the notes, virtual calls, and minimum and harmonic mean of v
// recomputed in every pass. sum log(v_i) at tau^2 = 0 comes from per-study logarithms computed
// once. Private to the sensitivity layer.
#pragma once

#include <optional>
#include <span>

#include "srma/model/tau2.hpp"

namespace srma::detail {

/// tau^2 by ML (`reml` false) or REML over the studies (y, v), k >= 2; log_v[i] = log(v[i]);
/// `work` holds at least k doubles.
/// std::nullopt when scoring does not converge in control.max_iter iterations: the caller then
/// calls estimate_tau2, which applies control.fallback and says why.
[[nodiscard]] std::optional<double> gosh_scoring_tau2(std::span<const double> y,
                                                      std::span<const double> v,
                                                      std::span<const double> log_v, bool reml,
                                                      const tau2_control& control,
                                                      std::span<double> work);

}  // namespace srma::detail
