// File: srma/plot/backend.hpp
//
// The functions srma's figures take from Cairo and Pango: text measurement (every figure
// measures its text before it places anything, also for SVG) and rendering to PDF and PNG.
// srma::plot links them in; backend() returns them. The srma program instead loads them from
// its figure module (srma-figures.so, beside the program) on first use, so that commands that
// draw nothing (pool, batch, bias, ...) do not load the 33 shared libraries of Cairo, Pango and
// GLib at start-up (`srma --version`: 31 -> 18 ms of CPU, 55 -> 22 libraries). A program does that
// by defining srma::plot::backend() itself: the linker then leaves out srma::plot's own definition
// and the Cairo code with it.
//
// Example (what the srma program does, in outline):
//
//   const srma::plot::backend_functions& srma::plot::backend() {
//     static const backend_functions* f = load_module();  // dlopen + srma_figures_backend()
//     if (!f) throw srma::plot::backend_error(...);
//     return *f;
//   }
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "srma/plot/canvas.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/expected.hpp"

namespace srma::plot {

/// What a PNG holds, decoded with Cairo (for tests and checks): its size and the share of
/// pixels that are not white. `ok` is false when the bytes are not a PNG Cairo can read.
struct png_summary {
  bool ok = false;
  int width = 0;
  int height = 0;
  double ink = 0;       ///< Fraction of pixels darker than near-white, 0..1.
  int min_alpha = 255;  ///< The least opaque pixel (255: every pixel is opaque).
};

/// Changes whenever backend_functions changes, so that a module from another build is refused.
inline constexpr int k_backend_version = 1;

/// The Cairo and Pango functions behind srma's figures. C++ types cross the boundary: a module
/// must come from the same build as the program (checked by version, size and srma_version).
struct backend_functions {
  int version = k_backend_version;
  std::size_t size = sizeof(backend_functions);
  const char* srma_version = nullptr;  ///< srma::version() of the build that made the table.
  /// A text measurer's state for `family` (freed by delete_measurer).
  void* (*new_measurer)(const char* family) = nullptr;
  void (*delete_measurer)(void* measurer) = nullptr;
  /// The extents of one line of text (UTF-8) in the measurer's font with `style`'s size and
  /// weight.
  text_extents (*measure)(void* measurer, std::string_view text, const text_style& style) = nullptr;
  /// PDF or PNG bytes of a drawing. Errors: srma.plot.E506.
  expected<std::string> (*render)(const drawing& d, image_format format, double dpi) = nullptr;
  /// A PDF with one page per drawing, each of its own size. Errors: srma.plot.E506.
  expected<std::string> (*render_pages)(std::span<const drawing> pages) = nullptr;
  png_summary (*inspect_png)(const std::string& bytes) = nullptr;
};

/// The backend cannot be had (the srma program's figure module is missing or from another
/// build). Thrown by backend(), because a text_measurer, which needs it, is made in a
/// constructor; error() is the located srma error (srma.plot.E509) to report.
class backend_error : public std::runtime_error {
 public:
  explicit backend_error(srma::error e) : std::runtime_error(e.what()), error_(std::move(e)) {}
  [[nodiscard]] const srma::error& error() const { return error_; }

 private:
  srma::error error_;
};

/// The functions figures use. srma::plot's definition returns the linked Cairo functions; a
/// program may define its own (see the file comment). Throws backend_error when there are none.
[[nodiscard]] const backend_functions& backend();

/// The linked Cairo functions (what srma::plot's backend() returns), for a program that loads
/// them as a module: the module's one exported function returns this.
[[nodiscard]] const backend_functions& linked_backend();

}  // namespace srma::plot
