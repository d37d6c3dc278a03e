// File: srma/model/peto.hpp
//
// Peto's one-step odds ratio (Yusuf et al. 1985): a common-effect pooling of 2x2 tables that
// needs no zero-cell correction, as metafor's rma.peto() and RevMan 5 compute it, with the
// heterogeneity statistic Q of rma.peto. The formulas are in docs/methods.md, "Mantel-Haenszel
// and Peto".
//
// Example:
//
//   std::vector<double> et{0, 6, 3}, nt{123, 306, 231}, ec{4, 29, 11}, nc{139, 303, 220};
//   auto r = srma::pool_peto(et, nt, ec, nc);
//   if (r) fmt::print("Peto OR {:.3f}\n", std::exp(r->estimate.estimate));
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "srma/model/pool_result.hpp"
#include "srma/util/expected.hpp"

namespace srma {

struct peto_options {
  double level = 95;  ///< Confidence level in percent.

  /// "" when the options are consistent, else what is wrong (a level outside (0, 100)).
  [[nodiscard]] std::string validate() const;
};

/// The result of pool_peto(): log odds ratio scale; undefined values are NaN. Per-table vectors
/// have one entry per table given, in input order.
struct peto_result {
  double level = 95;
  std::size_t k = 0;    ///< Tables given.
  std::size_t k_q = 0;  ///< Tables with V > 0 (both outcomes occur): those that inform the OR.

  model_estimate estimate;  ///< log OR = sum (O - E) / sum V, SE = 1/sqrt(sum V), CI, z, p.

  /// Q = sum (O - E)^2 / V - (sum (O - E))^2 / sum V over the tables with V > 0 (rma.peto),
  /// df = k_q - 1; Q, p, I2 and H2 are NaN when k_q < 2.
  double Q = 0, Q_df = 0, Q_p = 0;
  double I2 = 0;  ///< max(0, 100 (Q - df)/Q), percent.
  double H2 = 0;  ///< Q / df.

  std::vector<double> o_minus_e;   ///< O - E = a - n1 (a + c)/N per table.
  std::vector<double> v;           ///< Hypergeometric variance V per table (0: no information).
  std::vector<double> weight;      ///< 100 V / sum V.
  std::vector<double> yi, vi;      ///< Per-table Peto log OR (O - E)/V and 1/V; NaN when V = 0.
  std::vector<std::string> notes;  ///< Tables without information (V = 0), and why.
};

/// Pools 2x2 tables by Peto's method: `events_t[i]` of `n_t[i]` in the treatment arm of table i
/// had the event, `events_c[i]` of `n_c[i]` in the control arm. Per table, with a the treatment
/// events, n1 and n2 the arm sizes, N = n1 + n2 and m = a + c the events:
/// O - E = a - n1 m / N and V = n1 n2 m (N - m) / (N^2 (N - 1)). `labels` (optional, one per
/// table) name tables in notes.
///
/// Errors: srma.model.E300 (options.validate() fails); srma.input.E213, E205, E210 (the table
/// checks of pool_mantel_haenszel); srma.model.E301 (no table, or sum V = 0: no table has both
/// events and non-events).
[[nodiscard]] expected<peto_result> pool_peto(std::span<const double> events_t,
                                              std::span<const double> n_t,
                                              std::span<const double> events_c,
                                              std::span<const double> n_c,
                                              const peto_options& options = {},
                                              std::span<const std::string> labels = {});

}  // namespace srma
