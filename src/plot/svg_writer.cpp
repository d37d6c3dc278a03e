// The SVG backend.
//
// Why not Cairo's SVG surface: Cairo 1.16 (Debian 12) writes every glyph as an outline (<symbol>
// and <use> elements), so the text of an SVG written by Cairo cannot be selected, searched,
// edited or restyled by a journal's production office, and the files are large. This writer
// emits real <text> elements in the same font that Pango measured for the layout, so SVG, PDF
// and PNG show the same figure. Texts are positioned by their anchor (start, middle or end via
// text-anchor), so right-aligned numbers stay aligned even where a viewer substitutes a font.
//
// Determinism: coordinates are printed with at most two decimals, ids come from the layout, and
// elements appear in the order they were drawn.
#include <fmt/format.h>

#include <string_view>

#include "backends.hpp"
#include "srma/util/text.hpp"

namespace srma::detail {
namespace {

using plot::canvas;
using plot::color;
using plot::point;
using plot::rect;
using plot::shape_style;
using plot::stroke_style;
using plot::text_anchor;
using plot::text_style;

std::string num(double v) {
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string hex(const color& c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }

std::string sanitize_id(std::string_view id) {
  std::string s;
  for (char ch : id) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    s += ok ? ch : '_';
  }
  if (s.empty() || (s[0] >= '0' && s[0] <= '9') || s[0] == '-') s.insert(0, "g");
  return s;
}

class svg_canvas final : public canvas {
 public:
  explicit svg_canvas(std::string& out) : out_(out) {}

  void line(point a, point b, const stroke_style& stroke) override {
    out_ += fmt::format("{}<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"", indent(), num(a.x),
                        num(a.y), num(b.x), num(b.y));
    stroke_attrs(stroke);
    out_ += "/>\n";
  }

  void polyline(std::span<const point> points, const stroke_style& stroke) override {
    out_ += indent() + "<polyline points=\"" + point_list(points) + "\" fill=\"none\"";
    stroke_attrs(stroke);
    out_ += "/>\n";
  }

  void polygon(std::span<const point> points, const shape_style& style) override {
    out_ += indent() + "<polygon points=\"" + point_list(points) + "\"";
    shape_attrs(style);
    out_ += "/>\n";
  }

  void rectangle(const rect& r, const shape_style& style) override {
    out_ += fmt::format("{}<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"", indent(), num(r.x),
                        num(r.y), num(r.width), num(r.height));
    shape_attrs(style);
    out_ += "/>\n";
  }

  void circle(point c, double radius, const shape_style& style) override {
    out_ += fmt::format("{}<circle cx=\"{}\" cy=\"{}\" r=\"{}\"", indent(), num(c.x), num(c.y),
                        num(radius));
    shape_attrs(style);
    out_ += "/>\n";
  }

  void text(point at, std::string_view text, const text_style& style) override {
    out_ += fmt::format("{}<text x=\"{}\" y=\"{}\" font-size=\"{}\"", indent(), num(at.x),
                        num(at.y), num(style.size));
    if (style.bold) out_ += " font-weight=\"bold\"";
    if (style.anchor == text_anchor::middle) out_ += " text-anchor=\"middle\"";
    if (style.anchor == text_anchor::end) out_ += " text-anchor=\"end\"";
    if (style.vertical) {
      out_ += fmt::format(" transform=\"rotate(-90 {} {})\"", num(at.x), num(at.y));
    }
    if (style.colour != plot::colours::black)
      out_ += fmt::format(" fill=\"{}\"", hex(style.colour));
    if (style.colour.alpha < 1)
      out_ += fmt::format(" fill-opacity=\"{}\"", num(style.colour.alpha));
    out_ += ">";
    escape_xml_into(out_, text);
    out_ += "</text>\n";
  }

  void begin_group(std::string_view id) override {
    out_ += indent() + "<g id=\"" + sanitize_id(id) + "\">\n";
    ++depth_;
  }

  void end_group() override {
    if (depth_ > 0) --depth_;
    out_ += indent() + "</g>\n";
  }

 private:
  std::string indent() const { return std::string(2 * (depth_ + 1), ' '); }

  static std::string point_list(std::span<const point> points) {
    std::string s;
    for (const auto& p : points) {
      if (!s.empty()) s += ' ';
      s += num(p.x) + "," + num(p.y);
    }
    return s;
  }

  void stroke_attrs(const stroke_style& s) {
    out_ += fmt::format(" stroke=\"{}\" stroke-width=\"{}\"", hex(s.colour), num(s.width));
    if (s.colour.alpha < 1) out_ += fmt::format(" stroke-opacity=\"{}\"", num(s.colour.alpha));
    if (!s.dash.empty()) {
      out_ += " stroke-dasharray=\"";
      for (std::size_t i = 0; i < s.dash.size(); ++i) out_ += (i ? " " : "") + num(s.dash[i]);
      out_ += "\"";
    }
  }

  void shape_attrs(const shape_style& style) {
    if (style.fill) {
      out_ += fmt::format(" fill=\"{}\"", hex(*style.fill));
      if (style.fill->alpha < 1)
        out_ += fmt::format(" fill-opacity=\"{}\"", num(style.fill->alpha));
    } else {
      out_ += " fill=\"none\"";
    }
    if (style.stroke) stroke_attrs(*style.stroke);
  }

  std::string& out_;
  int depth_ = 0;
};

}  // namespace

std::string write_svg(const plot::drawing& d) {
  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}pt\" "
      "height=\"{1}pt\" viewBox=\"0 0 {0} {1}\" font-family=\"",
      num(d.width()), num(d.height()));
  escape_xml_into(out, d.font_family());
  // Verdana has nearly the metrics of DejaVu Sans (both descend from Bitstream Vera's design).
  out += ", Verdana, sans-serif\">\n";
  if (!d.title().empty()) {
    out += "  <title>";
    escape_xml_into(out, d.title());
    out += "</title>\n";
  }
  out += fmt::format("  <rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
                     num(d.width()), num(d.height()));
  svg_canvas c(out);
  d.replay(c);
  out += "</svg>\n";
  return out;
}

}  // namespace srma::detail
