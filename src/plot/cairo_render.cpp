// The Cairo backend: PDF (vector, real text with embedded font subsets) and PNG (raster, with
// its resolution recorded in a pHYs chunk). Text is set by Pango with the settings of
// pango_text.hpp, the same that measured it for the layout.
#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "backends.hpp"
#include "pango_text.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::detail {
namespace {

using plot::color;
using plot::point;
using plot::rect;
using plot::shape_style;
using plot::stroke_style;
using plot::text_anchor;
using plot::text_style;

class cairo_canvas final : public plot::canvas {
 public:
  cairo_canvas(cairo_t* cr, std::string family) : cr_(cr), family_(std::move(family)) {
    context_.reset(pango_cairo_create_context(cr_));
    configure_pango_context(context_.get());
  }

  void line(point a, point b, const stroke_style& stroke) override {
    cairo_move_to(cr_, a.x, a.y);
    cairo_line_to(cr_, b.x, b.y);
    apply(stroke);
    cairo_stroke(cr_);
  }

  void polyline(std::span<const point> points, const stroke_style& stroke) override {
    if (points.empty()) return;
    path(points, false);
    apply(stroke);
    cairo_stroke(cr_);
  }

  void polygon(std::span<const point> points, const shape_style& style) override {
    if (points.empty()) return;
    path(points, true);
    paint(style);
  }

  void rectangle(const rect& r, const shape_style& style) override {
    cairo_rectangle(cr_, r.x, r.y, r.width, r.height);
    paint(style);
  }

  void circle(point c, double radius, const shape_style& style) override {
    cairo_new_sub_path(cr_);
    cairo_arc(cr_, c.x, c.y, radius, 0, 2 * std::numbers::pi);
    paint(style);
  }

  void text(point at, std::string_view text, const text_style& style) override {
    cairo_save(cr_);
    cairo_translate(cr_, at.x, at.y);
    if (style.vertical) cairo_rotate(cr_, -std::numbers::pi / 2);
    pango_cairo_update_context(cr_, context_.get());
    auto layout = make_pango_layout(context_.get(), family_, text, style);
    const auto m = measure_pango_layout(layout.get());
    double start = 0;
    if (style.anchor == text_anchor::middle) start = -m.width / 2;
    if (style.anchor == text_anchor::end) start = -m.width;
    set_colour(style.colour);
    cairo_move_to(cr_, start, -m.ascent);
    pango_cairo_show_layout(cr_, layout.get());
    cairo_restore(cr_);
  }

 private:
  void set_colour(const color& c) {
    cairo_set_source_rgba(cr_, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.alpha);
  }

  void apply(const stroke_style& s) {
    set_colour(s.colour);
    cairo_set_line_width(cr_, s.width);
    cairo_set_dash(cr_, s.dash.empty() ? nullptr : s.dash.data(), static_cast<int>(s.dash.size()),
                   0);
  }

  void path(std::span<const point> points, bool close) {
    cairo_new_path(cr_);
    cairo_move_to(cr_, points[0].x, points[0].y);
    for (std::size_t i = 1; i < points.size(); ++i) cairo_line_to(cr_, points[i].x, points[i].y);
    if (close) cairo_close_path(cr_);
  }

  void paint(const shape_style& style) {
    if (style.fill) {
      set_colour(*style.fill);
      cairo_fill_preserve(cr_);
    }
    if (style.stroke) {
      apply(*style.stroke);
      cairo_stroke_preserve(cr_);
    }
    cairo_new_path(cr_);
  }

  cairo_t* cr_;
  std::string family_;
  g_ptr<PangoContext> context_;
};

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void draw_all(cairo_t* cr, const plot::drawing& d) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, 0, 0, d.width(), d.height());
  cairo_fill(cr);
  cairo_canvas c(cr, d.font_family());
  d.replay(c);
}

expected<std::string> cairo_failure(cairo_status_t status, std::string_view what) {
  return fail(errc::plot_render_failed,
              fmt::format("could not render the {}: {}", what, cairo_status_to_string(status)));
}

std::uint32_t crc32(std::string_view bytes) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

void put_u32(std::string& s, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xff);
}

// Cairo writes no resolution into its PNGs; journals' upload checks read it from pHYs. The chunk
// goes right after IHDR (8-byte signature + 25-byte IHDR chunk).
std::string with_phys(std::string png, double dpi) {
  constexpr std::size_t after_ihdr = 8 + 25;
  if (png.size() < after_ihdr) return png;
  const auto ppm = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
  std::string body = "pHYs";
  put_u32(body, ppm);
  put_u32(body, ppm);
  body += static_cast<char>(1);  // unit: metre
  std::string chunk;
  put_u32(chunk, 9);
  chunk += body;
  put_u32(chunk, crc32(body));
  png.insert(after_ihdr, chunk);
  return png;
}

}  // namespace

expected<std::string> render_with_cairo(const plot::drawing& d, plot::image_format format,
                                        double dpi) {
  std::string bytes;
  // One page of render_pdf_pages (same metadata, same deterministic bytes).
  if (format == plot::image_format::pdf) return render_pdf_pages(std::span(&d, 1));
  const double scale = dpi / 72.0;
  const double w = std::ceil(d.width() * scale - 1e-9);
  const double h = std::ceil(d.height() * scale - 1e-9);
  if (w < 1 || h < 1 || w > 32767 || h > 32767) {
    return fail(errc::plot_render_failed,
                fmt::format("could not render the PNG: {} x {} pixels at {:g} dpi; each side "
                            "must be between 1 and 32767 pixels (lower the dpi)",
                            w, h, dpi));
  }
  cairo_surface_t* surface =
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(w), static_cast<int>(h));
  cairo_t* cr = cairo_create(surface);
  // The whole pixel grid is opaque white first: the canvas rarely ends on a pixel boundary, and
  // its last row and column were otherwise half transparent (a grey edge on dark backgrounds).
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  draw_all(cr, d);
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  if (status == CAIRO_STATUS_SUCCESS) {
    status = cairo_surface_write_to_png_stream(surface, append_bytes, &bytes);
  }
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) return cairo_failure(status, "PNG");
  return with_phys(std::move(bytes), dpi);
}

expected<std::string> render_pdf_pages(std::span<const plot::drawing> pages) {
  std::string bytes;
  if (pages.empty()) return bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(
      append_bytes, &bytes, pages.front().width(), pages.front().height());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "srma");
  if (!pages.front().title().empty()) {
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   pages.front().title().c_str());
  }
  cairo_t* cr = cairo_create(surface);
  for (const auto& d : pages) {
    cairo_pdf_surface_set_size(surface, d.width(), d.height());
    draw_all(cr, d);
    cairo_show_page(cr);
  }
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) return cairo_failure(status, "PDF");
  return bytes;
}

png_summary inspect_png(const std::string& bytes) {
  struct reader {
    const std::string& data;
    std::size_t pos = 0;
  } r{bytes};
  auto read = [](void* closure, unsigned char* out, unsigned int length) -> cairo_status_t {
    auto* rd = static_cast<reader*>(closure);
    if (rd->pos + length > rd->data.size()) return CAIRO_STATUS_READ_ERROR;
    std::copy_n(rd->data.data() + rd->pos, length, reinterpret_cast<char*>(out));
    rd->pos += length;
    return CAIRO_STATUS_SUCCESS;
  };
  png_summary s;
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(read, &r);
  if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
    cairo_surface_flush(surface);
    s.ok = true;
    s.width = cairo_image_surface_get_width(surface);
    s.height = cairo_image_surface_get_height(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const cairo_format_t fmt = cairo_image_surface_get_format(surface);
    std::size_t dark = 0;
    for (int y = 0; y < s.height; ++y) {
      const auto* row =
          reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
      for (int x = 0; x < s.width; ++x) {
        const std::uint32_t p = row[x];
        const unsigned alpha = fmt == CAIRO_FORMAT_RGB24 ? 255u : (p >> 24) & 0xffu;
        const unsigned red = (p >> 16) & 0xffu, green = (p >> 8) & 0xffu, blue = p & 0xffu;
        if (alpha > 16 && (red < 235 || green < 235 || blue < 235)) ++dark;
        s.min_alpha = std::min(s.min_alpha, static_cast<int>(alpha));
      }
    }
    const double n = static_cast<double>(s.width) * static_cast<double>(s.height);
    s.ink = n > 0 ? static_cast<double>(dark) / n : 0;
  }
  cairo_surface_destroy(surface);
  return s;
}

}  // namespace srma::detail
