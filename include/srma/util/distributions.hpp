// File: srma/util/distributions.hpp
//
// Installed because layers above util use it, but not API: it lives in namespace srma::detail
// (STYLE.md, habit 1) and may change without notice.
//
// Distribution functions used by the statistics. Thin wrappers over Boost.Math with a
// policy that returns NaN/Inf instead of throwing, so no exception leaves the library.
//
// Quantiles depend only on (degrees of freedom, probability), and a fit needs the same few
// over and over (the z for the CI, two chi-square bounds for the Q-profile CI, a t for HKSJ), so
// they are memoised per thread: Boost's inverse incomplete gamma/beta functions cost microseconds,
// more than a whole random-effects fit at k = 11.
#pragma once

namespace srma::detail {

/// P(Z > z) for standard normal Z.
double pnorm_upper(double z);
/// z with P(Z > z) = p.
double qnorm_upper(double p);
/// Two-sided p-value of a z statistic: 2 P(Z > |z|).
double p_two_sided_z(double z);
/// Two-sided p-value of a t statistic with `df` degrees of freedom.
double p_two_sided_t(double t, double df);
/// t with P(T_df > t) = p.
double qt_upper(double p, double df);
/// P(X > x) for X ~ chi-square(df).
double pchisq_upper(double x, double df);
/// P(X <= x) for X ~ chi-square(df).
double pchisq_lower(double x, double df);
/// x with P(X > x) = p for X ~ chi-square(df).
double qchisq_upper(double p, double df);
/// P(F > x) for F ~ F(df1, df2).
double pf_upper(double x, double df1, double df2);

}  // namespace srma::detail
