// Layout checks shared by the figure tests: no text overlaps another text or a mark, every box
// lies on the canvas, the texts of a figure, and the marks of a given kind.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "srma/plot/drawing.hpp"
#include "srma/plot/output.hpp"

namespace srma::plot::test {

/// Every text keeps clear of every other text and mark, and nothing leaves the canvas.
inline void expect_clean_layout(const drawing& d) {
  for (const auto& [a, b] : find_overlaps(d)) {
    ADD_FAILURE() << "'" << d.boxes()[a].what << "' overlaps '" << d.boxes()[b].what << "'";
  }
  for (const auto& b : d.boxes()) {
    EXPECT_GE(b.box.x, -1e-9) << b.what;
    EXPECT_GE(b.box.y, -1e-9) << b.what;
    EXPECT_LE(b.box.right(), d.width() + 1e-9) << b.what;
    EXPECT_LE(b.box.bottom(), d.height() + 1e-9) << b.what;
  }
}

/// The texts of `d`, in drawing order.
inline std::vector<std::string> texts(const drawing& d) {
  std::vector<std::string> out;
  for (const auto& b : d.boxes()) {
    if (b.kind == box_kind::text) out.push_back(b.what);
  }
  return out;
}

inline bool has_text(const drawing& d, std::string_view s) {
  const auto t = texts(d);
  return std::find(t.begin(), t.end(), s) != t.end();
}

/// All texts joined by spaces, so that a wrapped sentence can be found whole.
inline std::string all_text(const drawing& d) {
  std::string out;
  for (const auto& t : texts(d)) out += (out.empty() ? "" : " ") + t;
  return out;
}

inline std::size_t count_marks(const drawing& d, std::string_view what) {
  return static_cast<std::size_t>(std::count_if(
      d.boxes().begin(), d.boxes().end(), [&](const layout_box& b) { return b.what == what; }));
}

/// The SVG is the same when drawn twice (deterministic output).
template <typename Draw>
void expect_deterministic(Draw draw) {
  auto a = draw();
  auto b = draw();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(render_svg(*a), render_svg(*b));
}

}  // namespace srma::plot::test
