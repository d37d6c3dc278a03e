// File: srma/plot/output.hpp
//
// Writing a `drawing` as SVG, PDF or PNG. The format follows the file name's extension. SVG is
// written by srma itself with real <text> elements (selectable, searchable, editable); PDF and PNG
// are rendered by Cairo with Pango text (real, embedded-font text in PDF). Output is
// deterministic: no timestamps, fixed number formatting, element order as drawn.
//
// Example:
//
//   auto fig = srma::plot::draw_forest(rows, options);
//   if (!fig) return fail(fig.error());
//   if (auto ok = srma::plot::save(*fig, "forest.pdf"); !ok) std::cerr << ok.error().what();
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/plot/drawing.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// An output file format.
enum class image_format { svg, pdf, png };

/// "svg", "pdf" or "png".
[[nodiscard]] std::string_view image_format_name(image_format f);
/// Same as image_format_name (the uniform name every enum has).
[[nodiscard]] std::string_view to_string(image_format f);
/// Parses "svg", "pdf" or "png" (case-insensitive).
[[nodiscard]] std::optional<image_format> parse_image_format(std::string_view text);

/// The format of a file name from its extension (case-insensitive).
///
/// Errors: srma.plot.E501 when the extension is not .svg, .pdf or .png.
[[nodiscard]] expected<image_format> format_from_path(std::string_view path);

/// Options of the raster and vector renderers.
struct render_options {
  double dpi = 150;  ///< PNG resolution: pixels = points x dpi / 72. Written into the PNG (pHYs).

  /// "" when valid, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

/// The SVG text of `d` (never fails; deterministic).
[[nodiscard]] std::string render_svg(const drawing& d);

/// The bytes of `d` in `format`.
///
/// Errors: srma.plot.E504 (invalid options), srma.plot.E506 (Cairo could not render, e.g. a PNG
/// larger than 32767 pixels on a side).
[[nodiscard]] expected<std::string> render(const drawing& d, image_format format,
                                           const render_options& options = {});

/// Renders `d` in the format given by the extension of `path` and writes the file. Nothing is
/// written unless rendering succeeded; the file is written to a temporary name next to `path`
/// and renamed, so a failure never leaves a partial file.
///
/// Errors: srma.plot.E501 (extension), E502 (cannot write the file), and those of render().
[[nodiscard]] expected<void> save(const drawing& d, const std::string& path,
                                  const render_options& options = {});

/// "forest-2.svg" for page 2 of "forest.svg" (the name each page of save_pages gets).
[[nodiscard]] std::string page_path(const std::string& path, std::size_t page);

/// Writes a figure of several pages: one multi-page PDF, or numbered SVG or PNG files
/// ("forest-1.svg", "forest-2.svg", ... by page_path); a single page is written to `path`
/// itself. Every page is rendered before anything is written. Returns the files written.
///
/// Errors: as save(); srma.plot.E507 when there is no page.
[[nodiscard]] expected<std::vector<std::string>> save_pages(std::span<const drawing> pages,
                                                            const std::string& path,
                                                            const render_options& options = {});

/// Parses a length with an optional unit into points: "7in", "7" (inches), "180mm", "18cm",
/// "500pt", "1200px" (pixels at `dpi`).
///
/// Errors: srma.plot.E504 for anything else, or a length that is not > 0.
[[nodiscard]] expected<double> parse_length(std::string_view text, double dpi = 150);

/// The width of a journal column in points: "single" 88 mm (one column of a two-column page;
/// journals ask for 85 to 90 mm), "double" 180 mm (the full page width; 170 to 180 mm).
///
/// **Example**:
///
///     auto w = srma::plot::journal_width("double");  // *w == 180 * 72 / 25.4
///
/// Errors: srma.plot.E504 for any other name.
[[nodiscard]] expected<double> journal_width(std::string_view name);

}  // namespace srma::plot
