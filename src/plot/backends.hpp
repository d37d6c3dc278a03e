// The two output backends of a `drawing` (private): srma's own SVG writer and the Cairo
// renderer for PDF and PNG.
#pragma once

#include <span>
#include <string>

#include "srma/plot/drawing.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/expected.hpp"

namespace srma::detail {

/// SVG 1.1 with <text> elements; deterministic.
std::string write_svg(const plot::drawing& d);

/// PDF or PNG bytes through Cairo and Pango. Errors: srma.plot.E506.
expected<std::string> render_with_cairo(const plot::drawing& d, plot::image_format format,
                                        double dpi);

/// A PDF with one page per drawing, each of its own size. Errors: srma.plot.E506.
expected<std::string> render_pdf_pages(std::span<const plot::drawing> pages);

/// What a PNG holds, decoded with Cairo (for tests and checks): its size and the share of
/// pixels that are not white. `ok` is false when the bytes are not a PNG Cairo can read.
struct png_summary {
  bool ok = false;
  int width = 0;
  int height = 0;
  double ink = 0;       ///< Fraction of pixels darker than near-white, 0..1.
  int min_alpha = 255;  ///< The least opaque pixel (255: every pixel is opaque).
};
png_summary inspect_png(const std::string& bytes);

}  // namespace srma::detail
