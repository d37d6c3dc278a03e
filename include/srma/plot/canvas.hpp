// File: srma/plot/canvas.hpp
//
// The abstract drawing surface every figure is painted on: lines, polylines, polygons,
// rectangles, circles and text with an anchor, size and weight. Coordinates are in points
// (1/72 inch) with the origin at the top left and y growing downwards, so a layout computed
// once is drawn identically by every backend: `drawing` (drawing.hpp) records the calls, and the
// SVG writer and the Cairo renderer (PDF, PNG) replay them (output.hpp).
//
// Example:
//
//   srma::plot::drawing d(200, 100);
//   d.line({10, 50}, {190, 50}, {.colour = srma::plot::colours::black, .width = 0.75});
//   d.text({100, 40}, "Hazard ratio", {.size = 9, .anchor = srma::plot::text_anchor::middle});
//   std::string svg = srma::plot::render_svg(d);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace srma::plot {

/// A point in points (1/72 inch), y downwards.
struct point {
  double x = 0;
  double y = 0;
};

/// An axis-aligned box: top-left corner plus size.
struct rect {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;

  [[nodiscard]] double right() const { return x + width; }
  [[nodiscard]] double bottom() const { return y + height; }
  /// True when the interiors of the two boxes intersect (touching edges do not count).
  [[nodiscard]] bool overlaps(const rect& o) const {
    return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
  }
};

/// An sRGB colour with opacity.
struct color {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  double alpha = 1;

  friend bool operator==(const color&, const color&) = default;
};

/// The few colours the figures use (greyscale, so they survive black-and-white printing).
namespace colours {
inline constexpr color black{0, 0, 0};
inline constexpr color white{255, 255, 255};
inline constexpr color dark_grey{64, 64, 64};
inline constexpr color mid_grey{128, 128, 128};
inline constexpr color light_grey{200, 200, 200};
}  // namespace colours

/// How a line or an outline is stroked.
struct stroke_style {
  color colour = colours::black;
  double width = 0.75;       ///< Points.
  std::vector<double> dash;  ///< On/off lengths in points; empty for a solid line.
};

/// How a closed shape is painted: a fill, an outline, both or (pointlessly) neither.
struct shape_style {
  std::optional<color> fill;
  std::optional<stroke_style> stroke;
};

/// Where the anchor point of a text lies horizontally.
enum class text_anchor { start, middle, end };

/// How a text is set. The font family belongs to the backend (DejaVu Sans by default).
struct text_style {
  double size = 9;  ///< Font size in points.
  bool bold = false;
  text_anchor anchor = text_anchor::start;
  color colour = colours::black;
  bool vertical = false;  ///< Rotated a quarter turn anticlockwise: reads from bottom to top.
};

/// The drawing interface. All lengths in points; text is placed by its baseline.
class canvas {
 public:
  virtual ~canvas() = default;

  virtual void line(point a, point b, const stroke_style& stroke) = 0;
  virtual void polyline(std::span<const point> points, const stroke_style& stroke) = 0;
  virtual void polygon(std::span<const point> points, const shape_style& style) = 0;
  virtual void rectangle(const rect& r, const shape_style& style) = 0;
  virtual void circle(point centre, double radius, const shape_style& style) = 0;
  /// Draws `text` (UTF-8, one line) with its baseline at `at.y`; `at.x` is the start, middle or
  /// end of the text according to `style.anchor`.
  virtual void text(point at, std::string_view text, const text_style& style) = 0;
  /// Opens a named group (an SVG <g id=...>); backends without groups ignore it.
  virtual void begin_group(std::string_view /*id*/) {}
  virtual void end_group() {}
};

}  // namespace srma::plot
