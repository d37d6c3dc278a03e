// Egger's and Peters' regression tests for funnel-plot asymmetry, following metafor's regtest()
// (metafor 3.8-1): the regression of yi on [1, predictor], by weighted least squares with t(k - 2)
// or as a mixed-effects meta-regression with the model's estimator.
#include "srma/bias/regression_test.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "srma/model/metareg.hpp"
#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// The regression of yi on [1, predictor]: weighted least squares with t(k - 2) (the classical
// test: a common-effect meta-regression whose variance is scaled by the residual mean square,
// which is what metafor's Knapp-Hartung factor does with tau^2 = 0), or the mixed-effects model.
expected<regression_test> regression(std::span<const double> yi, std::span<const double> vi,
                                     std::span<const double> predictor, bias_predictor name,
                                     const pool_options& options, bool mixed) {
  const std::size_t k = yi.size();
  if (auto ok = check_min_count("a regression test for small-study effects", k, 3); !ok) {
    return unexpected(ok.error());
  }
  design_matrix d;
  d.rows = k;
  d.names = {"intercept", std::string(to_string(name))};
  d.values.assign(k, 1.0);
  d.values.insert(d.values.end(), predictor.begin(), predictor.end());
  const double p0 = predictor.front();
  if (std::all_of(predictor.begin(), predictor.end(), [&](double x) { return x == p0; })) {
    return fail(errc::model_rank_deficient,
                fmt::format("every study has the same {}: the regression test is not defined",
                            name == bias_predictor::sei ? "standard error" : "sample size"));
  }
  pool_options o = options;
  if (!mixed) {
    o.model = model_choice::common;
    o.ci = ci_method::hksj;
  }
  auto fit = metareg(yi, vi, d, o, metareg_output::coefficients);
  if (!fit) return unexpected(fit.error());
  regression_test t;
  t.predictor = name;
  t.mixed = mixed;
  const auto& b = fit->coefficients[1];
  t.bias = b.estimate;
  t.se = b.se;
  t.statistic = b.statistic;
  t.df = b.df;
  t.p = b.p;
  const auto& a = fit->coefficients[0];
  t.limit_estimate = a.estimate;
  t.limit_ci_lower = a.ci_lower;
  t.limit_ci_upper = a.ci_upper;
  return t;
}

}  // namespace

std::string_view to_string(bias_predictor p) { return p == bias_predictor::sei ? "sei" : "ninv"; }

expected<regression_test> egger_test(std::span<const double> yi, std::span<const double> vi,
                                     const pool_options& options, bool mixed) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  std::vector<double> sei(vi.size());
  std::transform(vi.begin(), vi.end(), sei.begin(), [](double v) { return std::sqrt(v); });
  return regression(yi, vi, sei, bias_predictor::sei, options, mixed);
}

expected<regression_test> peters_test(std::span<const double> yi, std::span<const double> vi,
                                      std::span<const double> n, const pool_options& options,
                                      bool mixed) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  if (auto ok = check_same_length("yi", yi.size(), "n", n.size()); !ok) {
    return unexpected(ok.error());
  }
  std::vector<double> ninv(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (!(n[i] > 0)) {
      return fail(
          errc::input_out_of_range,
          fmt::format("sample size {} of study {} must be > 0 for Peters' test", n[i], i + 1));
    }
    ninv[i] = 1 / n[i];
  }
  return regression(yi, vi, ninv, bias_predictor::ninv, options, mixed);
}

}  // namespace srma
