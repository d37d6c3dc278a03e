// The Cairo and Pango functions of srma's figures as one table (srma/plot/backend.hpp): text
// measurement with Pango here, rendering in cairo_render.cpp. These files, pango_text.cpp and
// drawing.cpp are all the srma program's figure module holds.
#include <pango/pangocairo.h>

#include "backends.hpp"
#include "pango_text.hpp"
#include "srma/plot/backend.hpp"
#include "srma/util/version.hpp"

namespace srma::plot {
namespace {

// A measurer's state: its font family and a Pango context on Pango's shared font map (the one
// the renderer uses too): fontconfig loads its font list once per process, and what it caches
// stays reachable rather than leaking per measurer.
struct pango_measurer {
  std::string family;
  detail::g_ptr<PangoContext> context;
};

void* new_measurer(const char* family) {
  auto* m = new pango_measurer{family, {}};  // NOLINT(cppcoreguidelines-owning-memory): C table
  m->context.reset(pango_font_map_create_context(pango_cairo_font_map_get_default()));
  detail::configure_pango_context(m->context.get());
  return m;
}

void delete_measurer(void* m) {
  delete static_cast<pango_measurer*>(m);  // NOLINT(cppcoreguidelines-owning-memory): C table
}

text_extents measure(void* state, std::string_view text, const text_style& style) {
  auto* m = static_cast<pango_measurer*>(state);
  auto layout = detail::make_pango_layout(m->context.get(), m->family, text, style);
  const auto e = detail::measure_pango_layout(layout.get());
  return {e.width, e.ascent, e.descent};
}

png_summary inspect(const std::string& bytes) { return detail::inspect_png(bytes); }

}  // namespace

const backend_functions& linked_backend() {
  static const backend_functions f = [] {
    backend_functions t;
    t.srma_version = srma::version().data();
    t.new_measurer = new_measurer;
    t.delete_measurer = delete_measurer;
    t.measure = measure;
    t.render = detail::render_with_cairo;
    t.render_pages = detail::render_pdf_pages;
    t.inspect_png = inspect;
    return t;
  }();
  return f;
}

}  // namespace srma::plot
