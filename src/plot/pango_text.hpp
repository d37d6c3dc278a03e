// Pango set-up shared by text measurement and the Cairo renderer (private). Both must set text
// the same way, or the layout measured for SVG would not match the PDF and PNG: font size as an
// absolute size in points, 72 units per inch, no hinting and unrounded glyph positions, so that
// advance widths are linear in the scale and independent of the output resolution.
#pragma once

#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <string_view>

#include "srma/plot/canvas.hpp"

namespace srma::detail {

struct g_object_deleter {
  void operator()(void* p) const;
};
template <typename T>
using g_ptr = std::unique_ptr<T, g_object_deleter>;

/// Applies the resolution-independent settings to `ctx`.
void configure_pango_context(PangoContext* ctx);

/// A one-line layout of `text` in `family` with `style`'s size and weight.
g_ptr<PangoLayout> make_pango_layout(PangoContext* ctx, const std::string& family,
                                     std::string_view text, const plot::text_style& style);

/// Logical width, ascent (baseline to top) and descent of a layout, in points.
struct layout_metrics {
  double width = 0;
  double ascent = 0;
  double descent = 0;
};
layout_metrics measure_pango_layout(PangoLayout* layout);

}  // namespace srma::detail
