// File: srma/model/mantel_haenszel.hpp
//
// Common-effect Mantel-Haenszel pooling of 2x2 tables (events and totals per arm) for the odds
// ratio, risk ratio and risk difference, with the zero-cell rules of metafor's rma.mh() and of
// RevMan 5, Cochran's Q about the MH estimate (as rma.mh and RevMan report it), and for the odds
// ratio the Cochran-Mantel-Haenszel test and the Tarone / Breslow-Day tests of homogeneity.
// The formulas and their sources are in docs/methods.md, "Mantel-Haenszel and Peto".
//
// Example:
//
//   // Three trials: events / patients, treatment then control.
//   std::vector<double> et{4, 6, 3}, nt{123, 306, 231}, ec{11, 29, 11}, nc{139, 303, 220};
//   srma::mh_options o;                       // metafor's rma.mh(): OR, exact MH sums
//   auto r = srma::pool_mantel_haenszel(et, nt, ec, nc, o);
//   if (r) fmt::print("MH OR {:.3f}\n", std::exp(r->estimate.estimate));
//
//   auto rm = srma::pool_mantel_haenszel(et, nt, ec, nc,
//                                        srma::mh_options_revman5(srma::effect_measure::risk_ratio));
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/effect_size.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// What is added to the cells of a table with a zero cell before it enters the MH sums.
enum class mh_zero_cells {
  none,      ///< Nothing: the exact MH estimator (metafor rma.mh's default; meta MH.exact = TRUE).
  add_half,  ///< 0.5 to every cell of each table with a zero cell (RevMan 5; meta MH.exact =
             ///< FALSE; Stata metan). For RD it enters the variance only, not the estimate.
};

/// What happens to a table with no events in either arm, or with events in everybody in both
/// arms ("double-zero" table).
enum class mh_double_zero {
  keep,  ///< In the MH sums (for OR and RR it adds nothing there unless cells are corrected)
         ///< and left out of Q, which has no estimate for it (rma.mh: drop00 = c(TRUE, FALSE)).
  drop,  ///< Left out where the measure is not estimable, in the sums and in Q (RevMan 5, "not
         ///< estimable"; Cochrane Handbook 5.1, 16.9.3): OR both kinds, RR only tables without
         ///< events, RD none (its RD is 0, and the table stays in the sums and in Q).
};

/// Variance of the MH risk difference.
enum class mh_rd_variance {
  sato,              ///< Sato, Greenland & Robins (1989), metafor's rma.mh.
  greenland_robins,  ///< Greenland & Robins (1985), RevMan 5 and meta.
};

/// "none" / "add_half", "keep" / "drop", "sato" / "greenland_robins".
[[nodiscard]] std::string_view to_string(mh_zero_cells z);
[[nodiscard]] std::string_view to_string(mh_double_zero d);
[[nodiscard]] std::string_view to_string(mh_rd_variance v);
[[nodiscard]] std::optional<mh_zero_cells> parse_mh_zero_cells(std::string_view text);
[[nodiscard]] std::optional<mh_double_zero> parse_mh_double_zero(std::string_view text);
[[nodiscard]] std::optional<mh_rd_variance> parse_mh_rd_variance(std::string_view text);

/// How to pool. The defaults are metafor's rma.mh(); mh_options_revman5() gives RevMan 5's.
struct mh_options {
  effect_measure measure = effect_measure::odds_ratio;  ///< OR, RR or RD.
  double level = 95;                                    ///< Confidence level in percent.
  mh_zero_cells zero_cells = mh_zero_cells::none;
  mh_double_zero double_zero = mh_double_zero::keep;
  mh_rd_variance rd_variance = mh_rd_variance::sato;
  bool correct = true;  ///< Continuity correction (0.5) in the Cochran-Mantel-Haenszel test.

  /// "" when the options are consistent, else what is wrong (a measure other than OR, RR, RD;
  /// a level outside (0, 100); Sato's RD variance with corrected cells, which it is not defined
  /// for).
  [[nodiscard]] std::string validate() const;
};

/// metafor's rma.mh() defaults for `measure`: exact MH sums, double-zero tables kept in the sums
/// and left out of Q, Sato's RD variance.
[[nodiscard]] mh_options mh_options_metafor(effect_measure measure);
/// RevMan 5's Mantel-Haenszel method for `measure`: 0.5 added to tables with a zero cell,
/// tables whose measure is not estimable left out, Greenland-Robins RD variance.
[[nodiscard]] mh_options mh_options_revman5(effect_measure measure);

/// The result of pool_mantel_haenszel(). Numbers are on the analysis scale (log OR, log RR, RD);
/// undefined values are NaN. Per-table vectors have one entry per table given, in input order.
struct mh_result {
  effect_measure measure = effect_measure::odds_ratio;
  double level = 95;
  mh_options options;  ///< The options used.

  std::size_t k = 0;         ///< Tables given.
  std::size_t k_pooled = 0;  ///< Tables in the MH sums.
  std::size_t k_q = 0;       ///< Tables in Q (those with an estimate of their own).

  model_estimate estimate;  ///< MH estimate, its SE, CI, z and p (df is NaN).

  /// Cochran's Q about the MH estimate, with inverse-variance weights of the per-table
  /// estimates `yi`, `vi` (rma.mh's QE; RevMan 5's heterogeneity chi^2). df = k_q - 1;
  /// Q, p, I2 and H2 are NaN when k_q < 2.
  double Q = 0, Q_df = 0, Q_p = 0;
  double I2 = 0;  ///< max(0, 100 (Q - df)/Q), percent.
  double H2 = 0;  ///< Q / df.

  /// Odds ratio only (NaN for RR and RD), on the cells of the MH sums. Cochran-Mantel-Haenszel
  /// chi^2 (1 df; hypergeometric variance with N - 1, Mantel & Haenszel 1959) and Cochran's
  /// (variance with N), each with the continuity correction when options.correct.
  double cmh = 0, cmh_p = 0;
  double cochran = 0, cochran_p = 0;
  /// Tarone's (1985) and Breslow & Day's (1980) tests of homogeneity of the odds ratios, over
  /// the tables where the fitted count is positive and both outcomes occur; df = those - 1
  /// (p NaN when df < 1).
  double tarone = 0, tarone_df = 0, tarone_p = 0;
  double breslow_day = 0, breslow_day_p = 0;

  std::vector<double> weight;      ///< MH weight in percent; NaN for a table not in the sums.
  std::vector<double> yi, vi;      ///< Per-table estimate and variance used in Q; NaN if none.
  std::vector<bool> in_pool;       ///< Table is in the MH sums.
  std::vector<bool> in_q;          ///< Table is in Q.
  std::vector<bool> corrected;     ///< 0.5 was added to the table's cells in the MH sums.
  std::vector<std::string> notes;  ///< Every table left out, and why; corrections made.
};

/// Pools 2x2 tables by the Mantel-Haenszel method: `events_t[i]` of `n_t[i]` patients in the
/// treatment arm of table i had the event, `events_c[i]` of `n_c[i]` in the control arm.
/// `labels` (optional, one per table) name the tables in notes; without them notes say
/// "table 3" (0-based, as error messages do).
///
///   OR (Robins, Breslow & Greenland 1986): OR = sum R_i / sum S_i, R_i = a_i d_i / N_i,
///      S_i = b_i c_i / N_i; var(log OR) = sum P_i R_i / (2 R^2) + sum (P_i S_i + Q_i R_i) / (2 R
///      S)
///      + sum Q_i S_i / (2 S^2), P_i = (a_i + d_i)/N_i, Q_i = (b_i + c_i)/N_i.
///   RR (Greenland & Robins 1985): RR = sum a_i n2_i/N_i / sum c_i n1_i/N_i,
///      var(log RR) = sum (n1_i n2_i (a_i + c_i)/N_i^2 - a_i c_i/N_i) / (R S).
///   RD: sum (a_i n2_i - c_i n1_i)/N_i / sum n1_i n2_i/N_i, variance per options.rd_variance.
///
/// Errors: srma.model.E300 (options.validate() fails); srma.input.E213 (arrays, or labels when
/// given, of different lengths); srma.input.E205 (a NaN or infinite count); srma.input.E210 (a
/// count < 0 or not whole, events above the total, a total of 0); srma.model.E301 (no table,
/// none left to pool, or the estimate is not estimable: an MH OR or RR of 0 or infinity, an RD
/// with variance 0).
[[nodiscard]] expected<mh_result> pool_mantel_haenszel(std::span<const double> events_t,
                                                       std::span<const double> n_t,
                                                       std::span<const double> events_c,
                                                       std::span<const double> n_c,
                                                       const mh_options& options = {},
                                                       std::span<const std::string> labels = {});

}  // namespace srma
