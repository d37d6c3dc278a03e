// File: srma/review/nos.hpp
//
// Newcastle–Ottawa Scale (NOS) for cohort studies (Wells et al.; review.md §5): per study the
// stars of the three domains, selection (0–4), comparability (0–2) and outcome (0–3), and the
// total (0–9), with the quality class by configurable thresholds and the AHRQ standard
// (Good / Fair / Poor) when the domain subtotals are known.
//
// Scores are read from study columns `nos` (total) and/or `nos_selection`, `nos_comparability`,
// `nos_outcome`, either from the attributes of a `study_table` or from any CSV file with a
// `study` column (studies whose effect estimates are not entered yet).
//
// Example:
//
//   auto csv = srma::read_csv("examples/gepnet-ptr/studies.csv");
//   if (!csv) { std::cerr << csv.error().what() << '\n'; return 1; }
//   auto nos = srma::review::nos_from_csv(*csv);  // default: total >= 6 is "high" (seed review)
//   if (!nos) { std::cerr << nos.error().what() << '\n'; return 1; }
//   fmt::print("{}", srma::full_report(*nos));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/util/expected.hpp"

namespace srma::review {

/// Quality class from the NOS total.
enum class nos_class { high, moderate, low, unknown };

/// AHRQ standard from the domain subtotals (review.md §5).
enum class ahrq_standard { good, fair, poor, unknown };

/// "high", "moderate", "low", "unknown".
[[nodiscard]] std::string_view to_string(nos_class c);
/// "Good", "Fair", "Poor", "unknown".
[[nodiscard]] std::string_view to_string(ahrq_standard s);
/// Parses "high", "moderate", "low" or "unknown" (case-insensitive).
[[nodiscard]] std::optional<nos_class> parse_nos_class(std::string_view text);
/// Parses "Good", "Fair", "Poor" or "unknown" (case-insensitive).
[[nodiscard]] std::optional<ahrq_standard> parse_ahrq_standard(std::string_view text);

/// Thresholds on the NOS total. The default is the seed review's (Xiao et al. 2025): total ≥ 6
/// is high quality, anything lower is low. Set `moderate_from` for three classes.
struct nos_options {
  int high_from = 6;                 ///< total ≥ high_from → high
  std::optional<int> moderate_from;  ///< total ≥ moderate_from (and < high_from) → moderate

  /// The common three classes: ≥ 7 high, 4–6 moderate, < 4 low.
  [[nodiscard]] static nos_options three_classes() { return {7, 4}; }
  /// "" when valid, else what is wrong (thresholds must lie in 1–9, moderate_from < high_from).
  [[nodiscard]] std::string validate() const;
};

/// One study's NOS stars. Unknown parts are empty; `total` is filled from the domains when all
/// three are known and no total was given (`total_from_domains`).
struct nos_score {
  std::optional<int> selection;      ///< 0–4
  std::optional<int> comparability;  ///< 0–2
  std::optional<int> outcome;        ///< 0–3
  std::optional<int> total;          ///< 0–9
  bool total_from_domains = false;

  /// The class of `total` under `options` (unknown without a total).
  [[nodiscard]] nos_class quality(const nos_options& options = {}) const;
  /// Good = S 3–4, C 1–2, O 2–3; Fair = S 2, C 1–2, O 2–3; Poor otherwise (S 0–1, C 0 or O 0–1).
  /// Unknown unless all three domains are known.
  [[nodiscard]] ahrq_standard ahrq() const;
};

/// Checks the ranges and that the total equals the sum when all three domains are given, and
/// fills the total from the domains when it is missing.
///
/// Errors: srma.review.E613 (a score out of range), E614 (total ≠ selection + comparability +
/// outcome).
///
/// **Example**:
///
///     auto s = srma::review::make_nos_score(4, 1, 3, std::nullopt);
///     // s->total == 8, s->quality() == nos_class::high, s->ahrq() == ahrq_standard::good
[[nodiscard]] expected<nos_score> make_nos_score(std::optional<int> selection,
                                                 std::optional<int> comparability,
                                                 std::optional<int> outcome,
                                                 std::optional<int> total);

/// One study's assessment.
struct nos_study {
  std::string study;
  int line = 0;  ///< Source line (0 when built in memory).
  nos_score score;
  nos_class quality = nos_class::unknown;
  ahrq_standard ahrq = ahrq_standard::unknown;
};

/// The NOS assessments of all studies, in input order.
struct nos_table {
  std::string source;
  nos_options options;
  std::vector<nos_study> studies;

  /// Number of studies in class `c`.
  [[nodiscard]] std::size_t count(nos_class c) const;
};

/// Reads the NOS columns (ASCII case ignored) of the studies' attributes. Empty cells and NA
/// are unknown.
///
/// Errors: srma.review.E611 (none of the NOS columns), E612 (a score that is not a whole
/// number), E613 (out of range), E614 (total ≠ sum of the domains), E615 (invalid options).
///
/// **Example**:
///
///     using srma::review::nos_options;
///     auto nos = srma::review::nos_from_studies(*studies, nos_options::three_classes());
[[nodiscard]] expected<nos_table> nos_from_studies(const study_table& studies,
                                                   const nos_options& options = {});

/// Reads the NOS columns of a CSV table that need only a `study` column besides them, e.g. a
/// study table whose effect columns are still empty.
///
/// Errors: those of `nos_from_studies`, and srma.review.E616 (no `study` column), E617 (an
/// empty study label), E618 (a study label used twice).
[[nodiscard]] expected<nos_table> nos_from_csv(const csv_table& csv,
                                               const nos_options& options = {});

}  // namespace srma::review
