// File: srma/plot/drawing.hpp
//
// A `drawing` is a finished figure held in memory: its size in points, the canvas calls that
// paint it (recorded in order) and the boxes its layout computed for every text and mark. Layout
// code draws into a `drawing`; output.hpp turns it into SVG, PDF or PNG; tests inspect `boxes()`
// to prove that nothing overlaps.
//
// Example:
//
//   srma::plot::drawing d(300, 120, "My figure");
//   d.rectangle({10, 10, 20, 20}, {.fill = srma::plot::colours::black});
//   d.add_box({10, 10, 20, 20}, srma::plot::box_kind::mark, "square");
//   auto bytes = srma::plot::render(d, srma::plot::image_format::png, {.dpi = 150});
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "srma/plot/canvas.hpp"

namespace srma::plot {

/// What a layout box holds.
enum class box_kind { text, mark };

/// A box the layout reserved for one text or one mark (square, CI line, diamond, point).
struct layout_box {
  rect box;
  box_kind kind = box_kind::text;
  std::string what;  ///< The text itself, or a short name of the mark.
};

/// A recorded figure: a canvas that remembers every call so it can be replayed on another.
class drawing final : public canvas {
 public:
  struct line_op {
    point a, b;
    stroke_style stroke;
  };
  struct polyline_op {
    std::vector<point> points;
    stroke_style stroke;
  };
  struct polygon_op {
    std::vector<point> points;
    shape_style style;
  };
  struct rect_op {
    rect r;
    shape_style style;
  };
  struct circle_op {
    point centre;
    double radius;
    shape_style style;
  };
  struct text_op {
    point at;
    std::string text;
    text_style style;
  };
  struct group_op {
    std::string id;
  };
  struct end_group_op {};
  using op = std::variant<line_op, polyline_op, polygon_op, rect_op, circle_op, text_op, group_op,
                          end_group_op>;

  /// An empty figure of `width` x `height` points; `title` goes into SVG <title> and PDF metadata.
  drawing(double width, double height, std::string title = {});

  void line(point a, point b, const stroke_style& stroke) override;
  void polyline(std::span<const point> points, const stroke_style& stroke) override;
  void polygon(std::span<const point> points, const shape_style& style) override;
  void rectangle(const rect& r, const shape_style& style) override;
  void circle(point centre, double radius, const shape_style& style) override;
  void text(point at, std::string_view text, const text_style& style) override;
  void begin_group(std::string_view id) override;
  void end_group() override;

  /// Records the box of a text or mark (layout bookkeeping; not drawn).
  void add_box(const rect& box, box_kind kind, std::string what);

  /// Paints the recorded calls, in order, on `target`.
  void replay(canvas& target) const;

  [[nodiscard]] double width() const { return width_; }
  [[nodiscard]] double height() const { return height_; }
  [[nodiscard]] const std::string& title() const { return title_; }
  [[nodiscard]] const std::vector<op>& ops() const { return ops_; }
  [[nodiscard]] const std::vector<layout_box>& boxes() const { return boxes_; }
  /// Font family used to measure and set the text ("DejaVu Sans" unless changed).
  [[nodiscard]] const std::string& font_family() const { return font_family_; }
  void set_font_family(std::string family) { font_family_ = std::move(family); }

 private:
  double width_ = 0;
  double height_ = 0;
  std::string title_;
  std::string font_family_ = "DejaVu Sans";
  std::vector<op> ops_;
  std::vector<layout_box> boxes_;
};

/// Pairs of overlapping text boxes, and of text boxes overlapping mark boxes, by index into
/// `d.boxes()`. Empty for a well laid-out figure.
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> find_overlaps(const drawing& d);

}  // namespace srma::plot
