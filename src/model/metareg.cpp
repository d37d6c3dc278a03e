// Mixed-effects meta-regression as metafor's rma.uni() with moderators (Viechtbauer 2010;
// Raudenbush 2009), in O(k p^2).
#include "srma/model/metareg.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "regression_model.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/util/check.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"
#include "tau2/estimators.hpp"

namespace srma {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

Eigen::MatrixXd to_eigen(const design_matrix& d) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(d.rows), static_cast<Eigen::Index>(d.cols()));
  for (std::size_t j = 0; j < d.cols(); ++j)
    for (std::size_t i = 0; i < d.rows; ++i)
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = d.at(i, j);
  return x;
}

}  // namespace

std::string_view to_string(missing_moderator m) {
  return m == missing_moderator::drop ? "drop" : "error";
}

std::optional<missing_moderator> parse_missing_moderator(std::string_view name) {
  if (detail::iequals(name, "drop")) return missing_moderator::drop;
  if (detail::iequals(name, "error")) return missing_moderator::error;
  return std::nullopt;
}

expected<design_matrix> build_design(const study_table& studies, std::span<const std::string> mods,
                                     std::span<const std::string> factors,
                                     missing_moderator missing) {
  const std::size_t k = studies.k();
  // The moderator columns, then the studies that have a value in each of them (metafor drops
  // rows with NA in a moderator; so does srma unless told to refuse).
  std::vector<int> cols;
  for (const auto& m : mods) {
    const int a = studies.attribute_index(m);
    if (a < 0) {
      return fail(errc::input_bad_moderator,
                  fmt::format("no moderator column '{}'; the columns available are: {}", m,
                              fmt::join(studies.attribute_names, ", ")),
                  {studies.source, 0, 0});
    }
    cols.push_back(a);
  }
  auto csv_col = [&](int a) {
    return a < static_cast<int>(studies.attribute_columns.size()) ? studies.attribute_columns[a]
                                                                  : 0;
  };
  auto line = [&](std::size_t i) { return i < studies.line.size() ? studies.line[i] : 0; };
  design_matrix d;
  std::vector<std::string> dropped_text;
  for (std::size_t i = 0; i < k; ++i) {
    std::vector<std::string> absent;
    for (int a : cols) {
      if (!detail::is_missing_token(studies.attributes[a][i])) continue;
      if (missing == missing_moderator::error) {
        return fail(errc::input_bad_moderator,
                    fmt::format("study '{}' has no value for moderator '{}': meta-regression "
                                "needs every moderator of every study",
                                studies.study[i], studies.attribute_names[a]),
                    {studies.source, line(i), csv_col(a)});
      }
      absent.push_back(studies.attribute_names[a]);
    }
    if (absent.empty()) {
      d.used.push_back(i);
      continue;
    }
    d.dropped.push_back(i);
    dropped_text.push_back(fmt::format("'{}' ({}{}: no {})", studies.study[i],
                                       studies.source.empty() ? "row " : studies.source + ":",
                                       line(i) > 0 ? line(i) : static_cast<int>(i) + 1,
                                       fmt::join(absent, ", ")));
  }
  if (!d.dropped.empty()) {
    d.notes.push_back(fmt::format(
        "{} of {} studies left out of the meta-regression for a missing moderator value (as "
        "metafor drops rows with NA): {}",
        d.dropped.size(), k, fmt::join(dropped_text, "; ")));
  }
  d.rows = d.used.size();
  d.names.push_back("intercept");
  d.values.assign(d.rows, 1.0);
  const bool decimal_comma = false;
  for (std::size_t mi = 0; mi < mods.size(); ++mi) {
    const std::string& m = mods[mi];
    const int a = cols[mi];
    const auto& col = studies.attributes[a];
    auto where = [&](std::size_t i) { return error_location{studies.source, line(i), csv_col(a)}; };
    const bool declared = std::any_of(factors.begin(), factors.end(),
                                      [&](const std::string& f) { return detail::iequals(f, m); });
    std::size_t numbers = 0;
    std::optional<std::size_t> first_text;
    for (std::size_t i : d.used) {
      if (detail::parse_double(col[i], decimal_comma)) {
        ++numbers;
      } else if (!first_text) {
        first_text = i;
      }
    }
    // A column of numbers with a few words in it is more likely a typing error than a factor:
    // it is categorical only when no value is a number, or when the user says so.
    if (!declared && first_text && numbers > 0) {
      const std::size_t i = *first_text;
      return fail(errc::input_bad_moderator,
                  fmt::format("moderator '{}' of study '{}' is '{}', not a number, while {} of "
                              "the {} studies have numbers; correct the value, or declare the "
                              "column a factor to treat it as categorical",
                              studies.attribute_names[a], studies.study[i], detail::trim(col[i]),
                              numbers, d.rows),
                  where(i), studies.attribute_names[a]);
    }
    const bool categorical = declared || first_text.has_value();
    if (!categorical) {
      d.names.push_back(studies.attribute_names[a]);
      for (std::size_t i : d.used) d.values.push_back(*detail::parse_double(col[i]));
      continue;
    }
    std::vector<std::string> levels;
    for (std::size_t i : d.used) {
      std::string t{detail::trim(col[i])};
      if (std::find(levels.begin(), levels.end(), t) == levels.end()) levels.push_back(t);
    }
    std::sort(levels.begin(), levels.end());  // reference = alphabetically first, as R's factor()
    if (levels.size() < 2) {
      return fail(errc::model_rank_deficient,
                  fmt::format("moderator '{}' has the same value ('{}') in every study{}, so it "
                              "cannot explain differences between them",
                              studies.attribute_names[a], levels.empty() ? "" : levels.front(),
                              d.dropped.empty() ? "" : " kept"));
    }
    for (std::size_t l = 1; l < levels.size(); ++l) {
      d.names.push_back(fmt::format("{}[{}]", studies.attribute_names[a], levels[l]));
      for (std::size_t i : d.used)
        d.values.push_back(std::string(detail::trim(col[i])) == levels[l] ? 1.0 : 0.0);
    }
  }
  if (d.rows == 0) {
    return fail(
        errc::model_too_few_studies,
        fmt::format("no study has a value for every moderator ({})", fmt::join(mods, ", ")));
  }
  const Eigen::MatrixXd x = to_eigen(d);
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < x.cols()) {
    return fail(errc::model_rank_deficient,
                fmt::format("the moderators ({}) are collinear or constant: the design has rank "
                            "{} < {} columns",
                            fmt::join(mods, ", "), qr.rank(), x.cols()));
  }
  return d;
}

expected<void> design_studies(std::span<const double> yi, std::span<const double> vi,
                              const design_matrix& x, std::vector<double>& y,
                              std::vector<double>& v) {
  y.clear();
  v.clear();
  if (yi.size() == x.rows && vi.size() == x.rows) {
    y.assign(yi.begin(), yi.end());
    v.assign(vi.begin(), vi.end());
    return {};
  }
  const std::size_t table = x.used.size() + x.dropped.size();
  if (yi.size() != table || vi.size() != table || x.used.size() != x.rows) {
    return fail(errc::input_length_mismatch,
                fmt::format("the design has {} rows (of {} studies) but yi and vi have {} and {} "
                            "values",
                            x.rows, table, yi.size(), vi.size()));
  }
  for (std::size_t i : x.used) {
    y.push_back(yi[i]);
    v.push_back(vi[i]);
  }
  return {};
}

expected<metareg_result> metareg(std::span<const double> yi, std::span<const double> vi,
                                 const design_matrix& design, const pool_options& options,
                                 metareg_output output) {
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  // yi and vi of the whole table the design was built from: take the studies it kept.
  std::vector<double> y_kept, v_kept;
  if (yi.size() != design.rows && !design.dropped.empty()) {
    if (auto ok = design_studies(yi, vi, design, y_kept, v_kept); !ok)
      return unexpected(ok.error());
    yi = y_kept;
    vi = v_kept;
  }
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  const std::size_t k = yi.size();
  const std::size_t p = design.cols();
  if (design.rows != k || design.values.size() != k * p) {
    return fail(errc::input_length_mismatch,
                "yi, vi and the design have different numbers of studies");
  }
  if (k <= p) {
    return fail(errc::model_too_few_studies,
                fmt::format("meta-regression with {} coefficients needs more than {} studies "
                            "(k = {})",
                            p, p, k));
  }
  const Eigen::MatrixXd x = to_eigen(design);
  detail::regression_model model(yi, vi, x);
  metareg_result r;
  r.k = k;
  r.dropped = design.dropped.size();
  r.notes = design.notes;
  r.p = p;
  r.level = options.level;
  r.method = options.tau2;
  r.ci = options.ci;
  r.common_effect = options.model == model_choice::common;

  // Residual tau^2.
  double tau2 = 0;
  r.tau2_se = k_nan;
  if (!r.common_effect) {
    auto est = estimate_tau2(model, options.tau2, options.control);
    if (!est) return unexpected(est.error());
    tau2 = est->tau2;
    r.tau2_se = est->se;
    r.method = est->method;
    r.notes.insert(r.notes.end(), est->notes.begin(), est->notes.end());
  }
  r.tau2 = tau2;

  // Coefficients: beta = (X'WX)^-1 X'Wy, vb = (X'WX)^-1 (scaled by s2w under HKSJ).
  // Fitted at the scaled weights w~ = s w, s = min v + tau^2 (linear_model.hpp), which cannot
  // overflow: beta and the residuals do not change, (X'WX)^-1 = s (X'W~X)^-1, and with R~ of
  // sqrt(W~) X = sqrt(s) R, ||R_JJ beta_J||^2 = ||R~_JJ beta_J||^2 / s. Under HKSJ,
  // s2w = sum w r^2 / (k - p) = sum w~ r^2 / ((k - p) s), so vb = (X'W~X)^-1 sum w~ r^2 / (k - p).
  const auto n = static_cast<Eigen::Index>(k);
  const Eigen::Map<const Eigen::VectorXd> v(vi.data(), n);
  const double s = model.min_v() + tau2;
  const Eigen::VectorXd w = (s / (v.array() + tau2)).matrix();
  const auto fit = model.fit(w);
  const double kd = static_cast<double>(k), pd = static_cast<double>(p);
  const bool hksj = options.ci == ci_method::hksj;
  double df = k_nan;
  double vb_factor = s;  // s * s2w
  if (hksj) {
    const double rss_scaled = (w.array() * fit.resid.array().square()).sum();
    // metafor: s2w = 0 when the weighted RSS is below machine epsilon.
    vb_factor =
        rss_scaled <= std::numeric_limits<double>::epsilon() * s ? 0.0 : rss_scaled / (kd - pd);
    df = kd - pd;
  }
  const Eigen::MatrixXd vb = fit.vcov * vb_factor;
  const double alpha = 1 - options.level / 100;
  const double crit = hksj ? detail::qt_upper(alpha / 2, df) : detail::qnorm_upper(alpha / 2);
  for (std::size_t j = 0; j < p; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    coefficient c;
    c.name = design.names[j];
    c.estimate = fit.beta(jj);
    c.se = std::sqrt(vb(jj, jj));
    c.statistic = c.estimate / c.se;
    c.p = hksj ? detail::p_two_sided_t(c.statistic, df) : detail::p_two_sided_z(c.statistic);
    c.ci_lower = c.estimate - crit * c.se;
    c.ci_upper = c.estimate + crit * c.se;
    c.df = df;
    r.coefficients.push_back(std::move(c));
  }
  r.vcov.assign(vb.data(), vb.data() + vb.size());

  // Omnibus test of the moderators (all coefficients but the intercept, which comes first):
  // beta_J' (vb_JJ)^-1 beta_J = ||R_JJ beta_J||^2 / s2w = ||R~_JJ beta_J||^2 / (s s2w), from R
  // without inverting vb_JJ.
  const std::size_t first = design.has_intercept ? 1 : 0;
  const std::size_t m = p - first;
  if (m > 0) {
    const double qm = fit.wald_trailing(static_cast<Eigen::Index>(first)) / vb_factor;
    const double md = static_cast<double>(m);
    if (hksj) {
      r.QM = {qm / md, md, df, detail::pf_upper(qm / md, md, df)};
    } else {
      r.QM = {qm, md, k_nan, detail::pchisq_upper(qm, md)};
    }
  } else {
    r.QM = {k_nan, 0, k_nan, k_nan};
  }

  r.QE_df = kd - pd;
  if (output == metareg_output::coefficients) {
    r.QE = r.QE_p = r.I2 = r.H2 = r.I2_tau2 = r.H2_tau2 = r.R2 = k_nan;
    return r;
  }

  // Residual heterogeneity: QE at w = 1/v; I^2 and H^2 Q-based, and tau^2-based as metafor
  // (the common-effect model has tau^2 = 0, so its tau^2-based I^2 is 0 and H^2 is 1).
  // From the scaled functionals (linear_model.hpp): QE = QE~ / s0, tr P = tr P~ / s0, s0 = min v,
  // so I^2 = (QE~ - df s0) / QE~ and v~ = df / tr P = df s0 / tr P~.
  const auto st0 = model.scaled_at(0.0);
  r.QE = std::max(0.0, st0.rss / st0.scale);
  r.QE_p = detail::pchisq_upper(r.QE, r.QE_df);
  r.I2 = st0.rss > 0 ? std::max(0.0, 100 * (st0.rss - r.QE_df * st0.scale) / st0.rss) : 0.0;
  r.H2 = r.QE / r.QE_df;
  if (r.common_effect) {
    r.I2_tau2 = 0;
    r.H2_tau2 = 1;
  } else {
    const double vt = r.QE_df * st0.scale / st0.tr_p;
    r.I2_tau2 = 100 * tau2 / (vt + tau2);
    r.H2_tau2 = tau2 / vt + 1;
  }

  // Pseudo-R^2 (metafor): random effects (tau2_RE - tau2) / tau2_RE against the intercept-only
  // model with the same estimator (0 when tau2_RE = 0); common effect: the adjusted R^2 of the
  // weighted least-squares regression, 1 - (QE / Q)(k - 1)/(k - p).
  r.R2 = k_nan;
  if (design.has_intercept && p > 1) {
    intercept_model null_model(yi, vi);
    if (r.common_effect) {
      // QE / Q0 as the ratio of the scaled values (the same s0 = min v for both).
      const double q0 = null_model.scaled_at(0.0).rss;
      r.R2 = q0 > 0 ? std::max(0.0, 100 * (1 - (st0.rss / q0) * (kd - 1) / (kd - pd))) : 0.0;
    } else {
      auto est0 = estimate_tau2(null_model, options.tau2, options.control);
      if (!est0) return unexpected(est0.error());
      if (est0->fell_back) {
        r.notes.push_back(fmt::format("R^2: the model without moderators used {}, not {}",
                                      tau2_method_code(est0->method),
                                      tau2_method_code(options.tau2)));
      }
      r.R2 = est0->tau2 == 0 ? 0.0 : std::max(0.0, 100 * (est0->tau2 - tau2) / est0->tau2);
    }
  }
  return r;
}

}  // namespace srma
