// Radial (Galbraith) plot: layout and drawing.
//
// One x-y panel: x from 0 to a round number above the largest precision, z over the points and
// the band at the right edge. Lines are clipped to the panel (clip_range) before drawing.
#include "srma/plot/radial.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "chart.hpp"
#include "figure_format.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

using detail::xy_panel;

std::string radial_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  return "";
}

expected<radial_data> radial_data_from(const pool_result& r, model_kind m) {
  radial_data out;
  out.model = m;
  out.measure = r.measure;
  out.tau2 = m == model_kind::random ? r.heterogeneity.tau2 : 0.0;
  out.estimate = m == model_kind::common ? r.common.estimate : r.random.estimate;
  if (r.yi.empty()) return fail(errc::plot_bad_data, "no study to draw in the radial plot");
  for (std::size_t i = 0; i < r.yi.size(); ++i) {
    const double v = r.vi[i] + out.tau2;
    const std::string label = i < r.study.size() ? r.study[i] : fmt::format("Study {}", i + 1);
    if (!(v > 0 && std::isfinite(v) && std::isfinite(r.yi[i]))) {
      return fail(errc::plot_bad_data,
                  fmt::format("radial plot: study {} ('{}') has y = {:g}, v + tau^2 = {:g}; "
                              "needs a finite y and a positive finite variance",
                              i + 1, label, r.yi[i], v));
    }
    out.points.push_back({label, 1 / std::sqrt(v), r.yi[i] / std::sqrt(v)});
  }
  return out;
}

namespace {

struct radial_geometry {
  xy_panel panel;
  double note_y = 0;
  double total_w = 0, total_h = 0;
};

/// Draws the segment of z = slope x + offset that lies in the panel.
void draw_clipped(drawing& d, const xy_panel& p, double slope, double offset,
                  const stroke_style& stroke, std::string_view name) {
  const point a = p.at(p.x.lo, slope * p.x.lo + offset);
  const point b = p.at(p.x.hi, slope * p.x.hi + offset);
  double t0 = 0, t1 = 1;
  if (!detail::clip_range(a, b, p.box, false, t0, t1)) return;
  const point s{a.x + t0 * (b.x - a.x), a.y + t0 * (b.y - a.y)};
  const point e{a.x + t1 * (b.x - a.x), a.y + t1 * (b.y - a.y)};
  d.line(s, e, stroke);
  d.add_box({std::min(s.x, e.x), std::min(s.y, e.y), std::abs(e.x - s.x), std::abs(e.y - s.y)},
            box_kind::mark, std::string(name));
}

/// The polygon `poly` (data coordinates) clipped to lo <= z <= hi (Sutherland-Hodgman).
std::vector<std::pair<double, double>> clip_z(std::vector<std::pair<double, double>> poly,
                                              double lo, double hi) {
  for (int side = 0; side < 2; ++side) {
    auto inside = [&](const std::pair<double, double>& q) {
      return side == 0 ? q.second >= lo : q.second <= hi;
    };
    const double bound = side == 0 ? lo : hi;
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = 0; i < poly.size(); ++i) {
      const auto& a = poly[i];
      const auto& b = poly[(i + 1) % poly.size()];
      if (inside(a)) out.push_back(a);
      if (inside(a) != inside(b)) {
        const double t = (bound - a.second) / (b.second - a.second);
        out.emplace_back(a.first + t * (b.first - a.first), bound);
      }
    }
    poly = std::move(out);
  }
  return poly;
}

}  // namespace

expected<drawing> draw_radial(const radial_data& data, const radial_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (data.points.empty()) return fail(errc::plot_bad_data, "no study to draw in the radial plot");
  double max_x = 0, lo_z = 0, hi_z = 0;
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const auto& p = data.points[i];
    if (!(std::isfinite(p.x) && std::isfinite(p.z) && p.x > 0)) {
      return fail(errc::plot_bad_data,
                  fmt::format("radial point {} ('{}'): x = {:g}, z = {:g}; x must be positive "
                              "and both finite",
                              i + 1, p.label, p.x, p.z));
    }
    max_x = std::max(max_x, p.x);
    lo_z = std::min(lo_z, p.z);
    hi_z = std::max(hi_z, p.z);
  }
  if (!std::isfinite(data.estimate)) {
    return fail(errc::plot_bad_data, "radial plot: the pooled estimate is not finite");
  }
  // The band at the right edge must be visible: z range covers estimate * max_x +- 2.
  lo_z = std::min(lo_z, data.estimate * max_x - 2);
  hi_z = std::max(hi_z, data.estimate * max_x + 2);
  lo_z = std::min(lo_z, -2.0);
  hi_z = std::max(hi_z, 2.0);

  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const detail::figure_frame frame(c, o, "radial plot", "Radial plot");
  const double fs = o.font_size;
  const double margin = frame.margin();
  const detail::axes_parts parts{.grid = false, .x_title = o.x_title, .y_title = o.y_title};
  const std::string note = fmt::format(
      "Slope: {} estimate {} ({}); band \u00b12",
      data.model == model_kind::common ? "common-effect" : "random-effects",
      detail::figure_number(data.estimate, 4),
      data.model == model_kind::random
          ? fmt::format("\u03c4\u00b2 = {}",
                        detail::figure_tau2(data.tau2, detail::tau2_decimals(
                                                           std::span<const double>(&data.tau2, 1))))
          : std::string("\u03c4\u00b2 = 0"));

  auto place = [&](double pw, double ph) {
    radial_geometry g;
    g.panel.x = c.x_axis(false, 0, max_x, pw, {.fixed_lo = true});
    g.panel.y = c.y_axis(false, lo_z, hi_z, ph);
    detail::expand_axis(g.panel.x);
    detail::expand_axis(g.panel.y);
    auto [right, bottom] = c.place_panel(g.panel, parts, margin, frame.panel_top(), pw, ph);
    g.note_y = bottom + fs * 0.6 + c.extents(note, c.small()).ascent;
    right = std::max(right, margin + c.width(note, c.small()));
    right = std::max(right, frame.title_right());
    g.total_w = right + margin;
    g.total_h = g.note_y + c.extents(note, c.small()).descent + margin;
    return g;
  };
  double pw = o.panel_width > 0 ? o.panel_width : 300;
  double ph = o.panel_height > 0 ? o.panel_height : 240;
  radial_geometry g = place(pw, ph);
  if (auto ok = frame.fit(fs * 10, fs * 10, pw, ph, g, place); !ok) return unexpected(ok.error());
  drawing d = frame.open(g);
  const auto& p = g.panel;
  d.begin_group("band");
  {
    // The +-2 band shaded, as metafor's radial().
    const double x0 = p.x.lo, x1 = p.x.hi;
    const double e = data.estimate;
    auto poly = clip_z({{x0, e * x0 - 2}, {x1, e * x1 - 2}, {x1, e * x1 + 2}, {x0, e * x0 + 2}},
                       p.y.lo, p.y.hi);
    std::vector<point> pts;
    for (const auto& [x, z] : poly) pts.push_back(p.at(x, z));
    if (pts.size() >= 3) d.polygon(pts, {.fill = detail::palette::band_fill});
  }
  d.end_group();
  d.begin_group("lines");
  draw_clipped(d, p, 0, 0, {.colour = colours::light_grey, .width = 0.6}, "zero line");
  draw_clipped(d, p, data.estimate, 0, {.colour = colours::black, .width = 1}, "estimate line");
  for (double off : {-2.0, 2.0}) {
    draw_clipped(d, p, data.estimate, off,
                 {.colour = colours::mid_grey, .width = 0.75, .dash = {3, 2}}, "band");
  }
  d.end_group();
  d.begin_group("studies");
  const double r = fs * 0.3;
  for (const auto& pt : data.points) {
    const point at = p.at(pt.x, pt.z);
    d.circle(at, r, {.fill = colours::black});
    d.add_box({at.x - r, at.y - r, 2 * r, 2 * r}, box_kind::mark, "study");
  }
  d.end_group();
  d.begin_group("axes");
  c.draw_panel_axes(d, p, parts);
  d.end_group();
  c.text(d, {margin, g.note_y}, note, c.small());
  return d;
}

}  // namespace srma::plot
