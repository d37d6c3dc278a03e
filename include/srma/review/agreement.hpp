// File: srma/review/agreement.hpp
//
// Agreement of two reviewers who each include or exclude the same records (review.md §4): the
// 2×2 table of their votes, percent agreement Po, chance agreement Pe, Cohen's kappa with its
// large-sample standard error and confidence interval (Fleiss, Cohen & Everitt 1969), the
// prevalence- and bias-adjusted kappa PABAK = 2·Po − 1 (Byrt, Bishop & Carlin 1993) and the
// Landis & Koch (1977) label of kappa.
//
// Screening is skewed (most records are excluded), so kappa can be modest while Po is high: the
// result carries both, and PABAK, so that a report can show all three.
//
// Example:
//
//   // 20 both include, 30 only reviewer 1, 10 only reviewer 2, 940 both exclude
//   auto a = srma::review::compute_agreement({20, 30, 10, 940});
//   if (!a) { std::cerr << a.error().what() << '\n'; return 1; }
//   fmt::print("Po {:.3f}, kappa {:.3f} ({})\n", a->observed, *a->kappa, a->strength);
//   // Po 0.960, kappa 0.481 (moderate)
#pragma once

#include <optional>
#include <string_view>

#include "srma/util/expected.hpp"

namespace srma::review {

/// The 2×2 table of two reviewers' include/exclude votes on the same records.
struct agreement_table {
  long a = 0;  ///< both include
  long b = 0;  ///< reviewer 1 includes, reviewer 2 excludes
  long c = 0;  ///< reviewer 1 excludes, reviewer 2 includes
  long d = 0;  ///< both exclude
};

/// Agreement statistics of one 2×2 table.
struct agreement {
  agreement_table table;
  long n = 0;           ///< a + b + c + d
  double observed = 0;  ///< Po = (a + d) / n
  double expected = 0;  ///< Pe = [(a + b)(a + c) + (c + d)(b + d)] / n²
  /// Cohen's kappa (Po − Pe) / (1 − Pe), its standard error and confidence limits at `level`.
  /// All four are empty when Pe = 1 (both reviewers put every record in the same one class),
  /// where kappa is undefined.
  std::optional<double> kappa, kappa_se, kappa_lower, kappa_upper;
  double pabak = 0;  ///< 2·Po − 1
  double level = 0.95;
  /// Landis & Koch label of kappa ("poor" ... "almost perfect"); "undefined" without kappa.
  std::string_view strength = "undefined";
};

/// Po, Pe, Cohen's kappa with the large-sample standard error of Fleiss, Cohen & Everitt (1969)
/// and the Wald interval kappa ± z·SE at `level`, PABAK, and the Landis & Koch label.
///
/// The standard error is the one R's psych::cohen.kappa uses for its confidence boundaries
/// (not the SE under the null hypothesis kappa = 0 that irr::kappa2 uses for its z test).
///
/// Errors: srma.review.E630 (no record: a + b + c + d = 0), E631 (a negative count), E632
/// (`level` not strictly between 0 and 1).
///
/// **Example**:
///
///     auto a = srma::review::compute_agreement({20, 30, 10, 940});
///     // a->observed == 0.96, a->expected == 0.923, *a->kappa ≈ 0.4805, a->pabak == 0.92
[[nodiscard]] expected<agreement> compute_agreement(const agreement_table& t, double level = 0.95);

/// The Landis & Koch (1977) label of a kappa: "poor" (< 0), "slight" (0–0.20), "fair"
/// (0.21–0.40), "moderate" (0.41–0.60), "substantial" (0.61–0.80), "almost perfect" (0.81–1);
/// a kappa between two bands (0.205) belongs to the lower one. "undefined" for NaN.
[[nodiscard]] std::string_view landis_koch(double kappa);

}  // namespace srma::review
