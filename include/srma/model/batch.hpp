// File: srma/model/batch.hpp
//
// Batch pooling: every meta-analysis of a long-format file (one row per study, a column naming
// the meta-analysis each row belongs to), pooled in parallel and handed on in input order, one
// result per meta-analysis, as `srma pool` would pool each on its own. The file is read as a
// stream, a block at a time, so its size is not limited by memory; the rows of one
// meta-analysis must therefore be contiguous (a file sorted by the id column), and an id that
// comes back after another is an error (srma.input.E218) rather than a silent second analysis.
// A meta-analysis that fails (too few studies, a bad value) gets its error in its result and
// the others go on.
//
// Sharding: shard s of n takes the meta-analyses whose first row starts in the s-th n-th of the
// file's bytes, so the shards are contiguous runs of meta-analyses in file order, and their
// outputs concatenated in shard order are the output of one run (batch_csv_header only in
// shard 1).
//
// Example:
//
//   srma::batch_options o;
//   o.id_column = "trial";
//   o.pooling.ci = srma::ci_method::hksj;
//   auto sink = [](std::span<const srma::batch_result> rows) -> srma::expected<void> {
//     for (const auto& r : rows) fmt::print("{}", srma::batch_csv_row(r));
//     return {};
//   };
//   auto s = srma::pool_batch("sim.csv", o, sink);
//   if (!s) std::cerr << s.error().what() << '\n';
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/model/pool_options.hpp"
#include "srma/model/pool_result.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// How to read and pool each meta-analysis of a batch.
struct batch_options {
  std::string id_column;  ///< The column naming the meta-analysis of each row.
  read_options reading;   ///< As for one file (read_studies).
  pool_options pooling;   ///< As for one pool.
  /// pooling.method was chosen explicitly; otherwise input without 2x2 counts is pooled by
  /// inverse variance, as `srma pool` does under a preset that prefers Mantel-Haenszel.
  bool method_given = false;
  std::size_t shard = 1;     ///< This shard, 1 ... shards.
  std::size_t shards = 1;    ///< Number of shards.
  std::size_t chunk = 1024;  ///< Meta-analyses pooled per parallel step (output comes per step).

  /// "" when usable, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// The result of one meta-analysis. Numbers are on the analysis scale (log for ratios); NaN
/// when not available (a failed meta-analysis, the PI of a common-effect model).
struct batch_result {
  static constexpr double na = std::numeric_limits<double>::quiet_NaN();
  std::string id;                         ///< The value of the id column.
  int line = 0;                           ///< Line of its first row.
  std::size_t k = 0;                      ///< Studies pooled.
  model_kind model = model_kind::random;  ///< Whose estimate follows (pool_result::primary).
  double estimate = na, se = na, ci_lower = na, ci_upper = na;
  double pi_lower = na, pi_upper = na;
  double tau2 = na, tau2_ci_lower = na, tau2_ci_upper = na;
  double Q = na, I2 = na;          ///< Cochran's Q; I^2 (percent) as options.i2 defines it.
  std::vector<std::string> notes;  ///< Input notices and the fit's notes.
  std::optional<error> failure;    ///< Why this meta-analysis has no result.
};

/// Progress of a batch, after each parallel step.
struct batch_progress {
  std::size_t analyses = 0;  ///< Meta-analyses done (in this shard).
  std::size_t failed = 0;
  std::uint64_t bytes = 0;        ///< Bytes of the file read.
  std::uint64_t total_bytes = 0;  ///< Its size (0 when unknown, e.g. a pipe).
};

/// What a batch did.
struct batch_summary {
  std::size_t analyses = 0;  ///< Meta-analyses pooled or failed (in this shard).
  std::size_t failed = 0;
  bool interrupted = false;  ///< Stopped by `batch_control::stop` after a whole step.
};

/// Receives the results of each step in input order; an error stops the batch.
using batch_sink = std::function<expected<void>(std::span<const batch_result>)>;

/// Stopping and watching a running batch.
struct batch_control {
  /// Polled after each step: when it becomes true the batch stops with the results so far
  /// handed to the sink (batch_summary::interrupted).
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const batch_progress&)> progress;
};

/// Pools every meta-analysis of the file at `path`. Errors (the batch stops; results before
/// it were handed on): those of csv_stream (srma.csv.*), srma.input.E218 (no id column, a row
/// without an id, rows of one id not together, sharding a file whose size is unknown), and
/// whatever the sink returns.
[[nodiscard]] expected<batch_summary> pool_batch(const std::string& path,
                                                 const batch_options& options,
                                                 const batch_sink& sink,
                                                 const batch_control& control = {});

/// One meta-analysis: `rows` holds its rows (with the file's header and lines), pooled as
/// `srma pool` pools a file of those rows. Never fails: errors go to batch_result::failure.
[[nodiscard]] batch_result pool_one(const compact_csv& rows, std::string id,
                                    const batch_options& options);
/// The same, reading `rows` with `maker` (made with `options.reading` and prepared with the
/// batch's header), which analyses the header once for the whole batch: the same result.
[[nodiscard]] batch_result pool_one(const compact_csv& rows, std::string id,
                                    const batch_options& options, const study_table_maker& maker);

/// The CSV header of batch results: the id column's name, k, estimate, se, ci_lower, ci_upper,
/// pi_lower, pi_upper, tau2, tau2_ci_lower, tau2_ci_upper, Q, I2, model, notes, error.
[[nodiscard]] std::string batch_csv_header(std::string_view id_column);
/// One result as a CSV row ("\n" ended): numbers in the shortest form that reads back to the
/// same double, NA when not available; notes joined by " | ".
[[nodiscard]] std::string batch_csv_row(const batch_result& r);
/// One result as a JSON object on one line ("\n" ended): the same names, null when not
/// available, notes as an array, error as its full text or null.
[[nodiscard]] std::string batch_json_line(const batch_result& r, std::string_view id_column);

}  // namespace srma
