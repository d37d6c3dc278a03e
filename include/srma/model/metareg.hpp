// File: srma/model/metareg.hpp
//
// Mixed-effects meta-regression (metafor's rma(yi, vi, mods = ...)): y_i = x_i'beta + u_i + e_i,
// u_i ~ N(0, tau^2), e_i ~ N(0, v_i). Continuous moderators enter as they are; categorical ones
// (no value a number, or listed as factors) as dummies against the alphabetically first level,
// as R's factor(). With one categorical moderator the omnibus test QM is the test for subgroup
// differences under a shared tau^2. O(k p^2): only p x p matrices are formed.
//
// Example:
//
//   auto d = srma::build_design(studies, {"ablat", "alloc"});
//   auto fit = srma::metareg(studies.yi, studies.vi, *d,
//   srma::preset_options(srma::preset::metafor)); if (fit) fmt::print("{}",
//   srma::full_report(*fit));
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// What build_design() does with a study that has no value for a moderator.
enum class missing_moderator {
  drop,   ///< Leave the study out of the meta-regression and say so (metafor drops NA rows).
  error,  ///< Refuse with srma.input.E215.
};
/// "drop", "error".
[[nodiscard]] std::string_view to_string(missing_moderator m);
/// Parses "drop" or "error" (case-insensitive).
[[nodiscard]] std::optional<missing_moderator> parse_missing_moderator(std::string_view name);

/// A design (model) matrix with named columns, stored column by column, for the studies of a
/// table that have every moderator (all of them unless some were dropped).
struct design_matrix {
  std::size_t rows = 0;
  std::vector<std::string> names;  ///< "intercept", "<column>", "<column>[<level>]".
  std::vector<double> values;      ///< Column-major: values[j * rows + i].
  bool has_intercept = true;
  /// Row i of the design is study used[i] of the table (every study when nothing was dropped).
  std::vector<std::size_t> used;
  /// Studies of the table left out for a missing moderator value, in table order.
  std::vector<std::size_t> dropped;
  /// Says which studies were dropped and why (their labels, file lines and moderators).
  std::vector<std::string> notes;

  [[nodiscard]] std::size_t cols() const { return names.size(); }
  [[nodiscard]] double at(std::size_t i, std::size_t j) const { return values[j * rows + i]; }
};

/// Builds the design for moderators `mods` (attribute columns of `studies`), with an intercept.
/// A moderator is categorical when none of its values is a number, or when it is named in
/// `factors`; levels and the number check look at the studies kept only. A study with no value
/// for some moderator is dropped (`missing` = drop, the default, as metafor) or refused.
/// Errors: srma.input.E215 (unknown moderator column, a missing value under
/// missing_moderator::error, or a value that is not a number in a column of numbers not named in
/// `factors`; names file, line and column), srma.model.E304 (the design is not of full rank, e.g.
/// a constant moderator or collinear moderators).
///
/// **Example**:
///
///     auto d = srma::build_design(studies, mods, {}, srma::missing_moderator::drop);
///     // d->used: the studies kept; metareg(studies.yi, studies.vi, *d, o) picks them.
[[nodiscard]] expected<design_matrix> build_design(
    const study_table& studies, std::span<const std::string> mods,
    std::span<const std::string> factors = {}, missing_moderator missing = missing_moderator::drop);

/// The estimates and variances of the studies `x` is for, into y and v: yi and vi as they are
/// when they have x.rows values, else their entries x.used (yi, vi of the whole study table).
/// Errors: srma.input.E213 (neither length).
[[nodiscard]] expected<void> design_studies(std::span<const double> yi, std::span<const double> vi,
                                            const design_matrix& x, std::vector<double>& y,
                                            std::vector<double>& v);

/// One model coefficient with its inference.
struct coefficient {
  std::string name;
  double estimate = 0, se = 0, statistic = 0, p = 0, ci_lower = 0, ci_upper = 0;
  double df = 0;  ///< t degrees of freedom (k - p) under HKSJ; NaN for z.
};

/// An omnibus test: chi-square(df1) under Wald inference, F(df1, df2) under HKSJ.
struct omnibus_test {
  double statistic = 0;
  double df1 = 0;
  double df2 = 0;  ///< NaN for the chi-square test.
  double p = 0;
};

struct metareg_result {
  std::size_t k = 0;        ///< Studies in the fit.
  std::size_t dropped = 0;  ///< Studies left out for a missing moderator value (named in notes).
  std::size_t p = 0;
  bool common_effect = false;  ///< Fitted without tau^2 (model_choice::common).
  tau2_method method = tau2_method::reml;
  ci_method ci = ci_method::z;
  double level = 95;
  std::vector<coefficient> coefficients;
  std::vector<double> vcov;            ///< p x p covariance of the coefficients, column-major.
  omnibus_test QM;                     ///< Test of all coefficients but the intercept.
  double QE = 0, QE_df = 0, QE_p = 0;  ///< Residual heterogeneity.
  double tau2 = 0, tau2_se = 0;        ///< Residual tau^2.
  double I2 = 0, H2 = 0;               ///< Residual I^2, H^2, Q-based: (QE - df)/QE, QE/df.
  double I2_tau2 = 0, H2_tau2 = 0;     ///< Residual I^2, H^2, tau^2-based (metafor's for RE
                                       ///< models; 0 and 1 for the common-effect model).
  double R2 = 0;  ///< Percent of tau^2 explained (metafor's pseudo-R^2); NaN without intercept.
  std::vector<std::string> notes;
};

/// How much of a metareg_result metareg() fills in.
enum class metareg_output {
  full,          ///< Everything.
  coefficients,  ///< The coefficients, their covariance, the omnibus test QM, tau^2 and notes;
                 ///< QE and its p, I^2, H^2 (both kinds) and R^2 are NaN. For callers that use
                 ///< only the coefficients (the regression tests for small-study effects,
                 ///< permutation tests, simulations): R^2 alone is a second fit, of the model
                 ///< without moderators.
};

/// Fits the meta-regression of yi on `x`. With options.model == common, tau^2 = 0 (fixed-effects
/// meta-regression); otherwise tau^2 by options.tau2. options.ci selects Wald or HKSJ (Knapp &
/// Hartung 2003) inference. yi and vi are either the design's rows or the whole study table the
/// design was built from (then the studies x.used are taken). Errors: srma.input.E213 (lengths),
/// srma.model.E301 (k <= p), E303 (no convergence), E304 (rank). `output` leaves out what the
/// caller does not need (metareg_output).
[[nodiscard]] expected<metareg_result> metareg(std::span<const double> yi,
                                               std::span<const double> vi, const design_matrix& x,
                                               const pool_options& options,
                                               metareg_output output = metareg_output::full);

}  // namespace srma
