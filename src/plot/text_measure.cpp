// Text measurement with Pango (through the backend), independent of any output surface.
#include "srma/plot/text_measure.hpp"

#include <map>
#include <tuple>

#include "srma/plot/backend.hpp"

namespace srma::plot {

rect text_extents::box_at(point at, text_anchor anchor) const {
  double start = 0;
  if (anchor == text_anchor::middle) start = -width / 2;
  if (anchor == text_anchor::end) start = -width;
  return {at.x + start, at.y - ascent, width, ascent + descent};
}

// The measurer's state lives in the backend (a Pango context; srma/plot/backend.hpp), which
// the srma program loads on first use.
struct text_measurer::impl {
  std::string family;
  const backend_functions* backend = nullptr;
  void* state = nullptr;
  // Layouts measure the same strings many times (axis labels, widths tried twice): cache them.
  mutable std::map<std::tuple<std::string, double, bool>, text_extents> cache;

  impl() = default;
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;
  ~impl() {
    if (state != nullptr) backend->delete_measurer(state);
  }
};

text_measurer::text_measurer(std::string family) : impl_(std::make_unique<impl>()) {
  impl_->family = std::move(family);
  impl_->backend = &backend();
  impl_->state = impl_->backend->new_measurer(impl_->family.c_str());
}

text_measurer::~text_measurer() = default;
text_measurer::text_measurer(text_measurer&&) noexcept = default;
text_measurer& text_measurer::operator=(text_measurer&&) noexcept = default;

const std::string& text_measurer::family() const { return impl_->family; }

text_extents text_measurer::measure(std::string_view text, const text_style& style) const {
  auto key = std::make_tuple(std::string(text), style.size, style.bold);
  if (auto it = impl_->cache.find(key); it != impl_->cache.end()) return it->second;
  const text_extents e = impl_->backend->measure(impl_->state, text, style);
  impl_->cache.emplace(std::move(key), e);
  return e;
}

rect text_measurer::box(point at, std::string_view text, const text_style& style) const {
  const auto e = measure(text, style);
  if (!style.vertical) return e.box_at(at, style.anchor);
  // Rotated a quarter turn anticlockwise: the text runs upwards from `at`, the glyphs stand to
  // the left of the baseline.
  double start = 0;
  if (style.anchor == text_anchor::middle) start = -e.width / 2;
  if (style.anchor == text_anchor::end) start = -e.width;
  return {at.x - e.ascent, at.y - start - e.width, e.ascent + e.descent, e.width};
}

}  // namespace srma::plot
