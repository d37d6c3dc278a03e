// File: srma/plot/text_measure.hpp
//
// Text measurement for layout: the width, ascent and descent of a string in a given font, from
// Pango with hinting off, so that the sizes do not depend on the output format or resolution.
// Every figure measures its text here before it places anything, and the SVG writer and the
// Cairo renderer set the text in the same font, so the layout is the same in SVG, PDF and PNG.
//
// Example:
//
//   srma::plot::text_measurer m;  // DejaVu Sans
//   auto e = m.measure("Favours treatment", {.size = 9});
//   double right_edge = 10 + e.width;
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "srma/plot/canvas.hpp"

namespace srma::plot {

/// The size of a one-line text, in points.
struct text_extents {
  double width = 0;    ///< Advance width (logical, not ink).
  double ascent = 0;   ///< Baseline to the top of the line box.
  double descent = 0;  ///< Baseline to the bottom of the line box.

  /// The box of the text when drawn at `at` with `anchor` (baseline at at.y).
  [[nodiscard]] rect box_at(point at, text_anchor anchor) const;
};

/// Measures text with Pango. Not thread-safe: use one measurer per thread.
class text_measurer {
 public:
  /// A measurer for `family` (fontconfig resolves the name; DejaVu Sans by default).
  explicit text_measurer(std::string family = "DejaVu Sans");
  ~text_measurer();
  text_measurer(text_measurer&&) noexcept;
  text_measurer& operator=(text_measurer&&) noexcept;
  text_measurer(const text_measurer&) = delete;
  text_measurer& operator=(const text_measurer&) = delete;

  /// The extents of `text` (UTF-8, one line) set with `style` (size and weight; anchor ignored).
  [[nodiscard]] text_extents measure(std::string_view text, const text_style& style) const;
  /// The box of `text` drawn at `at` with `style`.
  [[nodiscard]] rect box(point at, std::string_view text, const text_style& style) const;

  [[nodiscard]] const std::string& family() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace srma::plot
