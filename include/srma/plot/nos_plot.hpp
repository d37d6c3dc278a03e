// File: srma/plot/nos_plot.hpp
//
// The Newcastle–Ottawa traffic-light figure (in the manner of robvis's risk-of-bias plots): one
// row per study, one column per NOS item (S1–S4, C, O1–O3) under its domain (Selection,
// Comparability, Outcome), and in every cell a filled circle that says what the item earned:
//
//   green with a white star      the item's star (C: both stars, two small stars)
//   light green with a star      C: one of its two stars
//   red with a white bar         no star
//   grey with a question mark    not answered
//
// The symbols keep the figure readable in grey. Right of the circles: the total ("8/9", "–" when
// an item is unanswered), the quality class under the table's thresholds and the AHRQ standard;
// under the table a legend, the thresholds and a key spelling out the item codes.
//
// Example:
//
//   auto csv = srma::read_csv("nos_consensus.csv");  // study,s1,s2,s3,s4,c,o1,o2,o3
//   auto nos = srma::review::nos_items_from_csv(*csv);
//   if (!nos) return fail(nos.error());
//   auto fig = srma::plot::draw_nos_traffic_light(*nos, {});
//   if (fig) (void)srma::plot::save(*fig, "nos.png", {.dpi = 300});
#pragma once

#include <string>

#include "srma/plot/drawing.hpp"
#include "srma/review/nos_items.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// What the traffic-light figure shows and how large it is.
struct nos_plot_options {
  std::string title;     ///< Bold title above the figure ("" none).
  bool total = true;     ///< The total column ("8/9").
  bool quality = true;   ///< The quality class column (thresholds of the table's options).
  bool ahrq = true;      ///< The AHRQ standard column (Good / Fair / Poor).
  bool legend = true;    ///< What the colours mean, and the thresholds of the classes.
  bool item_key = true;  ///< One line per item: its code and its name on the form.
  double font_size = 9;
  std::string font_family = "DejaVu Sans";
  double cell_size = 0;  ///< Diameter of a circle in points; 0: 1.5 em.
  double width = 0;      ///< Total width in points; 0: follows the content (extra width spreads
                         ///< the item columns).
  double height = 0;     ///< Total height in points; 0: follows the content (extra height goes
                         ///< to the study rows).

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// Lays out and draws the traffic-light figure of the item-by-item NOS assessments in `table`,
/// one row per study in table order.
///
/// **Example**:
///
///     srma::review::nos_item_table t;
///     t.studies.push_back(srma::review::make_nos_item_study(
///         "Bettini 2009", *srma::review::parse_nos_answers({"a", "a", "a", "a", "ab", "b", "a",
///                                                            "c"})));
///     auto fig = srma::plot::draw_nos_traffic_light(t, {});
///
/// Errors: srma.plot.E504 (invalid options), srma.plot.E505 (an explicit size smaller than the
/// content), srma.plot.E507 (no study, or an answer that is not normalised as
/// review::parse_nos_answer leaves it).
[[nodiscard]] expected<drawing> draw_nos_traffic_light(const review::nos_item_table& table,
                                                       const nos_plot_options& options);

}  // namespace srma::plot
