// File: srma/review/nos_items.hpp
//
// The Newcastle–Ottawa Scale for cohort studies item by item (Wells et al.; review.md §5): the
// letter a reviewer chose for each of the eight items, the stars those letters earn, the domain
// subtotals and total they add up to (as srma/review/nos.hpp's nos_score, with its quality class
// and AHRQ standard), and the items on which two reviewers' sheets differ.
//
// Items and the letters that earn a star (★):
//
//   Selection      S1 representativeness of the exposed cohort    a★ b★ c d
//                  S2 selection of the non-exposed cohort         a★ b c
//                  S3 ascertainment of exposure                   a★ b★ c d
//                  S4 outcome not present at start of study       a★ b
//   Comparability  C  comparability of cohorts (design/analysis)  a★ (most important factor)
//                                                                 b★ (any additional factor)
//   Outcome        O1 assessment of outcome                       a★ b★ c d
//                  O2 follow-up long enough for outcomes          a★ b
//                  O3 adequacy of follow-up of cohorts            a★ b★ c d
//
// C takes any subset of {a, b}, so it earns 0–2 stars; every other item earns 0 or 1. A domain
// subtotal is known only when all its items are answered.
//
// Example:
//
//   auto csv = srma::read_csv("nos_reviewer1.csv");  // study,s1,s2,s3,s4,c,o1,o2,o3
//   if (!csv) { std::cerr << csv.error().what() << '\n'; return 1; }
//   auto nos = srma::review::nos_items_from_csv(*csv);
//   if (!nos) { std::cerr << nos.error().what() << '\n'; return 1; }
//   for (const auto& s : nos->studies)
//     fmt::print("{}: {} stars ({})\n", s.study, *s.score.total, to_string(s.quality));
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "srma/io/csv.hpp"
#include "srma/review/nos.hpp"
#include "srma/util/expected.hpp"

namespace srma::review {

/// The eight items of the NOS for cohort studies, in the order of the form.
enum class nos_item_id { s1, s2, s3, s4, c, o1, o2, o3 };

/// The three domains of the NOS.
enum class nos_domain { selection, comparability, outcome };

/// The eight items in form order (S1, S2, S3, S4, C, O1, O2, O3).
[[nodiscard]] const std::array<nos_item_id, 8>& all_nos_items();
/// Position of `item` in form order (S1 → 0 ... O3 → 7).
[[nodiscard]] std::size_t nos_item_index(nos_item_id item);
/// Short code: "S1", "S2", "S3", "S4", "C", "O1", "O2", "O3".
[[nodiscard]] std::string_view to_string(nos_item_id item);
/// Parses a short code ("S1" ... "O3", "C") or "item1" ... "item8" (ASCII case ignored).
[[nodiscard]] std::optional<nos_item_id> parse_nos_item_id(std::string_view text);
/// The item's name on the form, e.g. "Representativeness of the exposed cohort".
[[nodiscard]] std::string_view nos_item_name(nos_item_id item);
/// The domain `item` belongs to.
[[nodiscard]] nos_domain nos_item_domain(nos_item_id item);
/// The most stars `item` can earn: 2 for C, 1 for every other item.
[[nodiscard]] int nos_item_max_stars(nos_item_id item);
/// "Selection", "Comparability", "Outcome".
[[nodiscard]] std::string_view to_string(nos_domain domain);

/// One study's answers, indexed by nos_item_index. Normalised: "" = not answered; otherwise one
/// lower-case letter, except item C: "a", "b", "ab" or "none" (answered, no factor controlled).
struct nos_answers {
  std::array<std::string, 8> answer;

  /// The answer to `item`.
  [[nodiscard]] const std::string& of(nos_item_id item) const {
    return answer[nos_item_index(item)];
  }
  /// True when `item` has an answer.
  [[nodiscard]] bool answered(nos_item_id item) const { return !of(item).empty(); }
};

/// Normalises one answer: trims it and lowers its case; "", NA and the other missing-value
/// tokens become "" (not answered). Item C accepts "a", "b", "ab", "ba", "a+b", "a,b", "a b",
/// "a;b", "a/b", "a&b" (→ "ab") and "none", "-", "0" (→ "none").
///
/// Errors: srma.review.E634 (a letter the item does not have, or a C answer repeating a letter).
///
/// **Example**:
///
///     auto a = srma::review::parse_nos_answer(srma::review::nos_item_id::c, "B+A");  // "ab"
[[nodiscard]] expected<std::string> parse_nos_answer(nos_item_id item, std::string_view raw);

/// Normalises the eight answers of one study (form order), as parse_nos_answer.
///
/// Errors: srma.review.E634 (the first answer that is not valid; the message names the item).
[[nodiscard]] expected<nos_answers> parse_nos_answers(const std::array<std::string_view, 8>& raw);

/// Stars earned by a normalised answer: S1 a/b, S2 a, S3 a/b, S4 a, C one per letter, O1 a/b,
/// O2 a, O3 a/b earn one; anything else (also "" and answers that are not normalised) earns 0.
[[nodiscard]] int nos_item_stars(nos_item_id item, std::string_view normalised_answer);

/// The domain subtotals and total of a study's answers. A domain is known only when every one of
/// its items is answered; the total only when all three domains are (total_from_domains).
///
/// **Example**:
///
///     auto a = srma::review::parse_nos_answers({"a", "a", "b", "a", "a", "b", "a", "c"});
///     auto s = srma::review::nos_stars(*a);  // selection 4, comparability 1, outcome 2, total 7
[[nodiscard]] nos_score nos_stars(const nos_answers& answers);

/// One study's item-by-item assessment and what follows from it.
struct nos_item_study {
  std::string study;
  int line = 0;  ///< Source line (0 when built in memory).
  nos_answers answers;
  nos_score score;
  nos_class quality = nos_class::unknown;
  ahrq_standard ahrq = ahrq_standard::unknown;
};

/// The item-by-item assessments of all studies of one reviewer (or of the consensus), in input
/// order.
struct nos_item_table {
  std::string source;
  nos_options options;
  std::vector<nos_item_study> studies;
};

/// The item-by-item assessment of one study from its answers (already normalised), with its
/// score, quality class under `options` and AHRQ standard.
[[nodiscard]] nos_item_study make_nos_item_study(std::string study, nos_answers answers,
                                                 const nos_options& options = {});

/// Reads a CSV table with a `study` column and one column per item: `s1`, `s2`, `s3`, `s4`, `c`,
/// `o1`, `o2`, `o3`, or `item1` ... `item8` (ASCII case ignored; other columns are ignored).
/// Empty cells and NA are unanswered items.
///
/// Errors: srma.review.E615 (invalid options), E616 (no `study` column), E617 (an empty study
/// label), E618 (a study label used twice), E633 (item columns missing), E634 (an answer that
/// is not one of the item's letters, with file, line and column), E635 (an item given under both
/// of its names).
[[nodiscard]] expected<nos_item_table> nos_items_from_csv(const csv_table& csv,
                                                          const nos_options& options = {});

/// The scores of an item-by-item table as a nos_table (for the reports of srma/review/nos.hpp).
[[nodiscard]] nos_table to_nos_table(const nos_item_table& table);

/// One item on which two assessments of the same study differ.
struct nos_item_difference {
  std::string study;
  nos_item_id item = nos_item_id::s1;
  std::string first;   ///< Normalised answer in the first table ("" = not answered).
  std::string second;  ///< Normalised answer in the second table.
};

/// The items whose answers differ between two tables, matching studies by label: the first
/// table's studies in its order, then those only in the second, items in form order. A study
/// that only one table holds counts as unanswered in the other.
///
/// **Example**:
///
///     for (const auto& d : srma::review::compare_nos_answers(*reviewer1, *reviewer2))
///       fmt::print("{} {}: '{}' vs '{}'\n", d.study, to_string(d.item), d.first, d.second);
[[nodiscard]] std::vector<nos_item_difference> compare_nos_answers(const nos_item_table& first,
                                                                   const nos_item_table& second);

}  // namespace srma::review
