// The recorded figure: every canvas call kept in order, plus the layout's boxes.
#include "srma/plot/drawing.hpp"

#include <algorithm>

namespace srma::plot {

drawing::drawing(double width, double height, std::string title)
    : width_(width), height_(height), title_(std::move(title)) {}

void drawing::line(point a, point b, const stroke_style& stroke) {
  ops_.emplace_back(line_op{a, b, stroke});
}

void drawing::polyline(std::span<const point> points, const stroke_style& stroke) {
  ops_.emplace_back(polyline_op{{points.begin(), points.end()}, stroke});
}

void drawing::polygon(std::span<const point> points, const shape_style& style) {
  ops_.emplace_back(polygon_op{{points.begin(), points.end()}, style});
}

void drawing::rectangle(const rect& r, const shape_style& style) {
  ops_.emplace_back(rect_op{r, style});
}

void drawing::circle(point centre, double radius, const shape_style& style) {
  ops_.emplace_back(circle_op{centre, radius, style});
}

void drawing::text(point at, std::string_view text, const text_style& style) {
  ops_.emplace_back(text_op{at, std::string(text), style});
}

void drawing::begin_group(std::string_view id) { ops_.emplace_back(group_op{std::string(id)}); }

void drawing::end_group() { ops_.emplace_back(end_group_op{}); }

void drawing::add_box(const rect& box, box_kind kind, std::string what) {
  boxes_.push_back({box, kind, std::move(what)});
}

namespace {

struct replayer {
  canvas& target;
  void operator()(const drawing::line_op& o) const { target.line(o.a, o.b, o.stroke); }
  void operator()(const drawing::polyline_op& o) const { target.polyline(o.points, o.stroke); }
  void operator()(const drawing::polygon_op& o) const { target.polygon(o.points, o.style); }
  void operator()(const drawing::rect_op& o) const { target.rectangle(o.r, o.style); }
  void operator()(const drawing::circle_op& o) const { target.circle(o.centre, o.radius, o.style); }
  void operator()(const drawing::text_op& o) const { target.text(o.at, o.text, o.style); }
  void operator()(const drawing::group_op& o) const { target.begin_group(o.id); }
  void operator()(const drawing::end_group_op&) const { target.end_group(); }
};

}  // namespace

void drawing::replay(canvas& target) const {
  for (const auto& o : ops_) std::visit(replayer{target}, o);
}

std::vector<std::pair<std::size_t, std::size_t>> find_overlaps(const drawing& d) {
  // Sweep over the boxes sorted by their left edge: O(n log n + overlaps) rather than O(n^2),
  // which matters for forest plots with hundreds of rows.
  const auto& boxes = d.boxes();
  std::vector<std::size_t> order(boxes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return boxes[a].box.x < boxes[b].box.x; });
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& a = boxes[order[i]];
    for (std::size_t j = i + 1; j < order.size(); ++j) {
      const auto& b = boxes[order[j]];
      if (b.box.x >= a.box.right()) break;
      if (a.kind == box_kind::mark && b.kind == box_kind::mark) continue;
      if (a.box.overlaps(b.box)) {
        out.emplace_back(std::min(order[i], order[j]), std::max(order[i], order[j]));
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace srma::plot
