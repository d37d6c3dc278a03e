// The two output backends of a `drawing` (private): srma's own SVG writer and the Cairo
// renderer for PDF and PNG. Callers outside the Cairo files reach the renderer through
// plot::backend() (srma/plot/backend.hpp), which the srma program loads as a module.
#pragma once

#include <span>
#include <string>

#include "srma/plot/backend.hpp"
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

/// What a PNG holds (srma/plot/backend.hpp).
using png_summary = plot::png_summary;
png_summary inspect_png(const std::string& bytes);

}  // namespace srma::detail
