#include "refit.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "srma/model/pool_2x2.hpp"

namespace srma::detail {

model_kind refit_model(const pool_result& full) { return full.primary; }

void all_but(std::span<const double> yi, std::span<const double> vi, std::size_t skip,
             std::vector<double>& y, std::vector<double>& v) {
  y.clear();
  v.clear();
  for (std::size_t j = 0; j < yi.size(); ++j) {
    if (j == skip) continue;
    y.push_back(yi[j]);
    v.push_back(vi[j]);
  }
}

namespace {

refit_summary summarise(pool_result& r, model_kind model) {
  refit_summary s;
  s.k = r.k;
  s.method = r.random.method;
  const auto& h = r.heterogeneity;
  s.Q = h.Q;
  s.Q_p = h.p;
  s.I2 = h.I2;
  s.H2 = h.H2;
  if (model == model_kind::common) {
    s.estimate = r.common;
    s.tau2 = 0;
    // The common-effect model has no tau^2: its tau^2-based I^2 is 0 and H^2 is 1.
    s.I2_tau2 = r.k >= 2 ? 0.0 : h.I2_tau2;
    s.H2_tau2 = r.k >= 2 ? 1.0 : h.H2_tau2;
  } else {
    s.estimate = r.random;
    s.tau2 = h.tau2;
    s.I2_tau2 = h.I2_tau2;
    s.H2_tau2 = h.H2_tau2;
    s.notes = std::move(r.notes);
  }
  return s;
}

}  // namespace

expected<refit_summary> refit(std::span<const double> yi, std::span<const double> vi,
                              const pool_options& options, model_kind model) {
  // The common-effect model needs no tau^2: fixing it at 0 keeps a tau^2 iteration that could
  // fail out of a refit that does not use it.
  const std::optional<double> fixed_tau2 =
      model == model_kind::common ? std::optional<double>(0.0) : std::nullopt;
  auto r = pool_effects(yi, vi, options, effect_measure::generic, fixed_tau2,
                        /*with_tau2_ci=*/false);
  if (!r) return unexpected(r.error());
  return summarise(*r, model);
}

refit_summary summary_of(const loo_fit& f, std::size_t k, tau2_method method, model_kind model) {
  refit_summary s;
  s.k = k;
  s.method = method;
  s.estimate = f.estimate;
  s.Q = f.Q;
  s.Q_p = f.Q_p;
  s.I2 = f.I2;
  s.H2 = f.H2;
  s.tau2 = f.tau2;
  s.I2_tau2 = f.I2_tau2;
  s.H2_tau2 = f.H2_tau2;
  // pool_effects' note, word for word (model/pool.cpp); the common-effect summary has none.
  if (model == model_kind::random && f.hksj_zero) {
    s.notes.emplace_back("HKSJ: all estimates coincide, so the scaled SE is 0 (as metafor)");
  }
  return s;
}

bool pools_tables(const study_table& studies, const pool_options& options) {
  return options.method != pooling_method::inverse_variance && has_2x2_counts(studies);
}

expected<pool_result> full_fit(const study_table& studies, const pool_options& options) {
  return pools_tables(studies, options) ? pool_2x2(studies, options) : pool(studies, options);
}

expected<refit_summary> refit_tables(const study_table& studies, std::span<const std::size_t> rows,
                                     const pool_options& options, model_kind model) {
  auto r = pool_2x2(studies.subset(rows), options);
  if (!r) return unexpected(r.error());
  return summarise(*r, model);
}

refit_summary failed_refit(std::size_t k) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  refit_summary s;
  s.k = k;
  s.fitted = false;
  model_estimate& e = s.estimate;
  e.estimate = e.se = e.statistic = e.p = e.ci_lower = e.ci_upper = e.df = nan;
  s.Q = s.Q_p = s.tau2 = s.I2 = s.H2 = s.I2_tau2 = s.H2_tau2 = nan;
  return s;
}

std::optional<std::string> refit_note(const std::string& row, const std::optional<error>& error,
                                      bool fell_back, const std::vector<std::string>& notes) {
  if (error) return fmt::format("{}: the refit failed, so its row is NA: {}", row, error->what());
  if (fell_back) return fmt::format("{}: {}", row, fmt::join(notes, "; "));
  return std::nullopt;
}

}  // namespace srma::detail
