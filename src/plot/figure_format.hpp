// Numbers in figures (private): one rule for every number a figure prints in its text (forest
// annotations and columns, heterogeneity lines, leave-one-out and cumulative columns), so that
// the same quantity never reads "0" in one place and "0.0000" in another (issue 13 item 7).
//
// The rule (docs/plots.md, "Numbers in figures"):
//   - a value that is not finite (undefined, e.g. I^2 of one study) is an em dash "—";
//   - |x| >= 10^5 is written with three significant digits as a power of ten, "7.22×10⁷";
//   - otherwise `decimals` decimals, but at most 1 decimal from 100 and none from 1000 on, so
//     that a ratio limit reads "29 727", not "29727.27"; groups of three digits are separated
//     by a thin space from 10 000 on (ISO 80000-1; a comma would read as the interval's);
//   - a positive value that would round to zero (a ratio limit of 0.0004 at 2 decimals) keeps
//     two significant digits, "0.00041", and below 10^-4 is a power of ten, "4.1×10⁻⁵";
//   - tau^2: 0 (below 10^-10) is "0"; otherwise at least 3 decimals, more where the smallest
//     non-zero value of the column needs them for two significant digits (at most 6);
//   - percentages: one decimal; a positive share below 0.05% is "<0.1%", not "0.0%".
//
// Example:
//
//   srma::detail::figure_number(72217541.4866, 4);      // "7.22×10⁷"
//   srma::detail::figure_number(29727.27, 2);           // "29 727" (thin space)
//   srma::detail::figure_percent(0.03);                 // "<0.1%"
//   srma::detail::figure_tau2(0.0331, srma::detail::tau2_decimals({0.0331, 0.0012}));  // "0.0331"
#pragma once

#include <span>
#include <string>

#include "srma/data/effect_size.hpp"

namespace srma::detail {

/// The em dash shown for a value that is undefined (not finite).
inline constexpr const char* figure_undefined = "\u2014";

/// A number by the rule above, with the minus typeset (U+2212).
[[nodiscard]] std::string figure_number(double x, int decimals);

/// An analysis-scale value on the display scale of `m`, by figure_number.
[[nodiscard]] std::string figure_effect(effect_measure m, double y, int decimals,
                                        const display_context& context = {});

/// Decimals for a column (or a single value) of tau^2 values: 3, or more so that the smallest
/// non-zero |value| shows two significant digits; at most 6.
[[nodiscard]] int tau2_decimals(std::span<const double> values);

/// A tau^2 value: "0" for a zero, else figure_number(x, decimals).
[[nodiscard]] std::string figure_tau2(double x, int decimals);

/// A percentage with `decimals` decimals (default 1); "<0.1%" for 0 < x < 0.05, em dash for
/// NaN.
[[nodiscard]] std::string figure_percent(double x, int decimals = 1);

}  // namespace srma::detail
