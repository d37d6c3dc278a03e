// Labels for the points of a scatter plot (private): each label goes next to its point where it
// overlaps no other label, no point and no given obstacle, and stays inside the panel; when the
// neighbourhood is full it moves further out and a thin leader line joins it to its point.
// Several orders are tried (by priority, crowded points first, ...) and the placement with the
// fewest missing labels and the shortest leaders kept. Deterministic: the same points give the
// same places.
//
// Example:
//
//   std::vector<srma::detail::label_target> t = {{{50, 40}, 2.7, "Aronson 1948"}};
//   auto placed = srma::detail::place_labels(t, measurer, style, panel, {});
//   if (placed[0].placed) canvas.text(placed[0].baseline, "Aronson 1948", style);
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "srma/plot/canvas.hpp"
#include "srma/plot/text_measure.hpp"

namespace srma::detail {

/// A point to label: its centre, the radius of its marker, the text, and how much its label
/// matters (labels of higher priority are placed first and given up last).
struct label_target {
  plot::point at;
  double radius = 0;
  std::string text;
  double priority = 0;
};

/// Where a label went.
struct label_placement {
  bool placed = false;
  plot::point baseline;  ///< Draw the text here with text_anchor::start.
  plot::rect box;        ///< The text's box.
  bool leader = false;   ///< A leader line joins the label to its point.
  plot::point leader_from, leader_to;
  bool on_soft_line = false;  ///< The label or its leader crosses a soft segment.
};

/// What labels must keep clear of besides the points and each other: boxes and lines always,
/// soft lines (a regression line) where there is room.
struct label_obstacles {
  std::vector<plot::rect> rects;
  std::vector<std::pair<plot::point, plot::point>> segments;
  std::vector<std::pair<plot::point, plot::point>> soft_segments;
};

/// The areas of the labels' boxes (text width times line height), smallest first.
[[nodiscard]] std::vector<double> label_areas(std::span<const label_target> targets,
                                              const plot::text_measurer& m,
                                              const plot::text_style& style);

/// The most labels of these areas (label_areas()) that can lie inside `area` without
/// overlapping: place_labels() places them all only when this is targets.size() (it tries no
/// more than this many), so a caller can skip a placement that cannot place them all.
[[nodiscard]] std::size_t label_capacity(std::span<const double> sorted_areas,
                                         const plot::rect& area);

/// Places a label for every target inside `area`. Leaders are at most 12 line heights long. A
/// label that finds no free place is returned with placed = false (the caller enlarges the panel
/// and tries again, or says which points went unlabelled).
[[nodiscard]] std::vector<label_placement> place_labels(std::span<const label_target> targets,
                                                        const plot::text_measurer& m,
                                                        const plot::text_style& style,
                                                        const plot::rect& area,
                                                        const label_obstacles& obstacles);

}  // namespace srma::detail
