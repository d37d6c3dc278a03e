#include "srma/model/subgroup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "regression_model.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"
#include "tau2/estimators.hpp"

namespace srma {
namespace {

// Q of estimates around their inverse-variance weighted mean, chi-square(G - 1). The weights are
// summed as (min se / se)^2 in (0, 1] (the mean does not change) and Q as sum ((est - mean) /
// se)^2, so SEs near 1e-160 neither underflow in se^2 nor overflow in 1/se^2.
subgroup_test heterogeneity_between(const std::vector<double>& est, const std::vector<double>& se) {
  double lo = se.empty() ? 1.0 : se[0];
  for (double x : se) lo = std::min(lo, x);
  double sw = 0, swy = 0;
  for (std::size_t g = 0; g < est.size(); ++g) {
    const double r = lo / se[g];
    const double w = r * r;
    sw += w;
    swy += w * est[g];
  }
  const double mean = swy / sw;
  subgroup_test t;
  for (std::size_t g = 0; g < est.size(); ++g) {
    const double z = (est[g] - mean) / se[g];
    t.Q += z * z;
  }
  t.df = static_cast<double>(est.size()) - 1;
  t.p = detail::pchisq_upper(t.Q, t.df);
  return t;
}

}  // namespace

expected<subgroup_analysis> pool_subgroups(const study_table& studies, std::string_view column,
                                           const pool_options& options) {
  const int a = studies.attribute_index(column);
  if (a < 0) {
    return fail(errc::input_bad_subgroup,
                fmt::format("no column '{}' to form subgroups; the columns available are: {}",
                            column, fmt::join(studies.attribute_names, ", ")),
                {studies.source, 0, 0});
  }
  subgroup_analysis out;
  out.column = studies.attribute_names[a];
  out.common_tau2 = options.common_tau2;
  out.tau2_common = std::numeric_limits<double>::quiet_NaN();

  // Group rows by level, in order of first appearance.
  std::vector<subgroup> groups;
  for (std::size_t i = 0; i < studies.k(); ++i) {
    const std::string level{detail::trim(studies.attributes[a][i])};
    if (detail::is_missing_token(level)) {
      return fail(
          errc::input_bad_subgroup,
          fmt::format("study '{}' has no value in column '{}': every study must belong "
                      "to a subgroup",
                      studies.study[i], out.column),
          {studies.source, studies.line[i],
           a < static_cast<int>(studies.attribute_columns.size()) ? studies.attribute_columns[a]
                                                                  : 0});
    }
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const subgroup& g) { return g.level == level; });
    if (it == groups.end()) {
      groups.push_back(subgroup{level, {}, {}, 0, 0});
      it = groups.end() - 1;
    }
    it->rows.push_back(i);
  }
  if (groups.size() < 2) {
    return fail(errc::model_too_few_studies,
                fmt::format("column '{}' has a single level ('{}'): subgroups need at least two",
                            out.column, groups.front().level));
  }

  // Mantel-Haenszel and Peto pool each subgroup's tables by the same method (pool_2x2); a
  // shared tau^2 is an inverse-variance model and is not offered with them.
  const bool by_counts = options.method != pooling_method::inverse_variance;
  if (by_counts && options.common_tau2) {
    return fail(errc::model_bad_options,
                fmt::format("a tau^2 shared by the subgroups is not available with the {} "
                            "method; use one tau^2 per subgroup or inverse variance",
                            to_string(options.method)));
  }
  auto overall = by_counts ? pool_2x2(studies, options) : pool(studies, options);
  if (!overall) return unexpected(overall.error());
  out.overall = std::move(*overall);

  std::optional<double> shared;
  if (options.common_tau2) {
    // tau^2 from the model with one mean per subgroup (cell-means coding).
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(studies.k()),
                                              static_cast<Eigen::Index>(groups.size()));
    for (std::size_t g = 0; g < groups.size(); ++g)
      for (std::size_t i : groups[g].rows)
        x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(g)) = 1;
    detail::regression_model model(studies.yi, studies.vi, std::move(x));
    auto est = estimate_tau2(model, options.tau2, options.control);
    if (!est) return unexpected(est.error());
    shared = est->tau2;
    out.tau2_common = est->tau2;
    for (auto& n : est->notes) out.notes.push_back(n);
  }

  std::unordered_map<std::string_view, std::size_t> overall_row;
  for (std::size_t j = 0; j < out.overall.study.size(); ++j) overall_row[out.overall.study[j]] = j;
  std::vector<double> est_c, se_c, est_r, se_r;
  for (auto& g : groups) {
    std::vector<double> y, v;
    for (std::size_t i : g.rows) {
      y.push_back(studies.yi[i]);
      v.push_back(studies.vi[i]);
    }
    auto r = by_counts ? pool_2x2(studies.subset(g.rows), options)
                       : pool_effects(y, v, options, studies.measure, shared);
    if (!r) return unexpected(r.error());
    if (!by_counts) {
      for (std::size_t i : g.rows) r->study.push_back(studies.study[i]);
    }
    // Weights by label: Peto leaves tables without information out of both fits.
    for (const auto& label : r->study) {
      const auto at = overall_row.find(label);
      if (at == overall_row.end()) continue;
      const std::size_t j = at->second;
      g.weight_share_common += out.overall.weight_common[j];
      g.weight_share_random += out.overall.weight_random[j];
    }
    for (const auto& n : r->notes)
      out.notes.push_back(fmt::format("subgroup '{}': {}", g.level, n));
    g.result = std::move(*r);
    est_c.push_back(g.result.common.estimate);
    se_c.push_back(g.result.common.se);
    est_r.push_back(g.result.random.estimate);
    se_r.push_back(g.result.random.se);
  }
  out.between_common = heterogeneity_between(est_c, se_c);
  out.between_random = heterogeneity_between(est_r, se_r);

  // Which model leads: as asked, or under `auto` random effects as soon as the overall analysis
  // or any subgroup reaches the I^2 threshold (the seed review's reasoning for its Figure 5).
  out.primary = out.overall.primary;
  out.model_reason = out.overall.model_reason;
  if (options.model == model_choice::auto_i2) {
    const subgroup* trigger = nullptr;
    for (const auto& g : groups) {
      const double i2 = g.result.reported_i2();
      if (g.result.k >= 2 && i2 >= options.auto_i2_threshold &&
          (!trigger || i2 > trigger->result.reported_i2()))
        trigger = &g;
    }
    if (trigger && out.primary == model_kind::common) {
      out.primary = model_kind::random;
      out.model_reason = fmt::format(
          "auto rule: subgroup '{}' has I\u00b2 = {:.1f}% (at least {:g}%), so random effects for "
          "the subgroup analysis",
          trigger->level, trigger->result.reported_i2(), options.auto_i2_threshold);
    } else if (out.primary == model_kind::common) {
      out.model_reason += "; every subgroup is below the threshold too";
    }
    for (auto& g : groups) g.result.primary = out.primary;
  }
  out.groups = std::move(groups);
  return out;
}

}  // namespace srma
