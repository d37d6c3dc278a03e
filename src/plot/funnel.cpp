// Funnel plot layout and drawing.
//
// Layout: a plot panel of fixed size (or what an explicit total size leaves), the SE axis on its
// left (0 at the top), the effect axis below, and a legend to the right of the panel, outside it,
// so that the legend can never hide a study. The contour regions, the pseudo confidence region
// and the regression line are clipped to the panel.
#include "srma/plot/funnel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "axis.hpp"
#include "chart.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string funnel_options::validate() const {
  const bool log = is_ratio(measure);
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (!(level > 0 && level < 100)) {
    return fmt::format("level is {:g}, but must be between 0 and 100", level);
  }
  for (double c : contours) {
    if (!(c > 0 && c < 100)) {
      return fmt::format("contour level {:g} must be between 0 and 100 (e.g. 90,95,99)", c);
    }
  }
  for (std::size_t i = 1; i < contours.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (contours[i] == contours[j])
        return fmt::format("contour level {:g} is repeated", contours[i]);
    }
  }
  for (const auto& [name, v] : {std::pair{"axis minimum", axis_min}, {"axis maximum", axis_max}}) {
    if (v && (!std::isfinite(*v) || (log && *v <= 0))) {
      return fmt::format("{} is {:g}, but must be {}", name, *v,
                         log ? "> 0 on the log axis of a ratio" : "finite");
    }
    if (v && !std::isfinite(from_display(measure, *v, display))) {
      return fmt::format("{} is {:g}, but a {} axis has no position for it (its {} scale)", name,
                         *v, measure_name(measure), analysis_scale_name(measure));
    }
  }
  if (axis_min && axis_max && *axis_min >= *axis_max) {
    return fmt::format("axis limits {:g} to {:g}: the minimum must be below the maximum", *axis_min,
                       *axis_max);
  }
  if (se_max && !(*se_max > 0 && std::isfinite(*se_max))) {
    return fmt::format("largest standard error on the axis is {:g}, but must be > 0", *se_max);
  }
  if (centre && !std::isfinite(*centre)) return "the pooled estimate (centre) must be finite";
  if (!std::isfinite(null_effect)) return "the null effect must be finite";
  if (line && !(std::isfinite(line->intercept) && std::isfinite(line->slope))) {
    return "the regression line needs a finite intercept and slope";
  }
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  return "";
}

std::vector<funnel_point> funnel_points(const pool_result& result) {
  std::vector<funnel_point> out;
  for (std::size_t i = 0; i < result.k; ++i) {
    out.push_back({result.yi[i], std::sqrt(result.vi[i]), false,
                   result.study.empty() ? fmt::format("Study {}", i + 1) : result.study[i]});
  }
  return out;
}

funnel_options funnel_defaults(const pool_result& result) {
  funnel_options o;
  o.measure = result.measure;
  if (result.measure == effect_measure::generic && !result.measure_label.empty())
    o.axis_title = result.measure_label;
  o.display = display_context_from_vi(result.measure, result.vi);
  o.centre = result.primary_estimate().estimate;
  o.centre_label =
      result.primary == model_kind::common ? "Common-effect estimate" : "Random-effects estimate";
  o.level = result.level;
  return o;
}

namespace {

using detail::axis_scale;

// Sutherland-Hodgman: the part of a convex or concave polygon inside an axis-aligned box.
std::vector<point> clip_polygon(const std::vector<point>& poly, const rect& r) {
  std::vector<point> out = poly;
  auto clip_edge = [&](auto inside, auto intersect) {
    std::vector<point> in = std::move(out);
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
      const point a = in[i];
      const point b = in[(i + 1) % in.size()];
      const bool ia = inside(a), ib = inside(b);
      if (ia) out.push_back(a);
      if (ia != ib) out.push_back(intersect(a, b));
    }
  };
  auto at_x = [](point a, point b, double x) {
    return point{x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)};
  };
  auto at_y = [](point a, point b, double y) {
    return point{a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y};
  };
  clip_edge([&](point p) { return p.x >= r.x; }, [&](point a, point b) { return at_x(a, b, r.x); });
  clip_edge([&](point p) { return p.x <= r.right(); },
            [&](point a, point b) { return at_x(a, b, r.right()); });
  clip_edge([&](point p) { return p.y >= r.y; }, [&](point a, point b) { return at_y(a, b, r.y); });
  clip_edge([&](point p) { return p.y <= r.bottom(); },
            [&](point a, point b) { return at_y(a, b, r.bottom()); });
  return out;
}

// The part of segment a-b inside the (closed) box, if any.
bool clip_segment(point& a, point& b, const rect& r) {
  double t0 = 0, t1 = 0;
  if (!detail::clip_range(a, b, r, false, t0, t1)) return false;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const point a0 = a;
  a = {a0.x + t0 * dx, a0.y + t0 * dy};
  b = {a0.x + t1 * dx, a0.y + t1 * dy};
  return true;
}

std::string format_alpha(double a) {
  std::string s = detail::format_tick(a);
  const auto dot = s.find('.');
  if (dot == std::string::npos) s += ".";
  while (s.size() - s.find('.') - 1 < 2) s += '0';
  return s;
}

struct legend_entry {
  enum class swatch {
    filled_circle,
    open_circle,
    solid_line,
    dashed_line,
    dash_dot_line,
    dotted_line,
    box,
    heading
  };
  swatch kind;
  std::string label;
  color fill = colours::white;
};

const std::vector<double> dashed = {4, 2.5};
const std::vector<double> dash_dot = {6, 2, 1.5, 2};
const std::vector<double> dotted = {1.2, 1.8};

class funnel_layout {
 public:
  funnel_layout(std::span<const funnel_point> points, const funnel_options& o)
      : pts_(points), o_(o), m_(o.font_family) {
    const double fs = o.font_size;
    body_ = {.size = fs};
    small_ = {.size = fs - 1};
    title_ = {.size = fs + 2, .bold = true};
    log_ = is_ratio(o.measure);
  }

  expected<drawing> run();

 private:
  void text_at(drawing& d, point at, const std::string& s, const text_style& st) const {
    if (s.empty()) return;
    d.text(at, s, st);
    d.add_box(m_.box(at, s, st), box_kind::text, s);
  }
  [[nodiscard]] double width(const std::string& s, const text_style& st) const {
    return m_.measure(s, st).width;
  }

  std::span<const funnel_point> pts_;
  const funnel_options& o_;
  text_measurer m_;
  text_style body_, small_, title_;
  bool log_ = false;
};

expected<drawing> funnel_layout::run() {
  if (auto msg = o_.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (pts_.empty()) return fail(errc::plot_bad_data, "no study to draw in the funnel plot");
  double max_se = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  bool any_imputed = false;
  for (std::size_t i = 0; i < pts_.size(); ++i) {
    const auto& p = pts_[i];
    if (!std::isfinite(p.estimate) || !(p.se > 0) || !std::isfinite(p.se)) {
      return fail(errc::plot_bad_data,
                  fmt::format("funnel point {} ('{}'): estimate {:g} and SE {:g}; the estimate "
                              "must be finite and the SE > 0",
                              i + 1, p.label, p.estimate, p.se));
    }
    max_se = std::max(max_se, p.se);
    lo = std::min(lo, p.estimate);
    hi = std::max(hi, p.estimate);
    any_imputed = any_imputed || p.imputed;
  }
  const double fs = o_.font_size;
  const double margin = fs;
  const double tick = fs * 0.4;
  std::vector<double> levels = o_.contours;
  std::sort(levels.begin(), levels.end());

  // SE axis: 0 at the top, a round number at the bottom.
  const auto small_e = m_.measure("0", small_);
  auto height_of = [&](const std::string&) { return small_e.ascent + small_e.descent; };
  double pw = o_.panel_width > 0 ? o_.panel_width : 300;
  double ph = o_.panel_height > 0 ? o_.panel_height : 240;

  auto se_axis_for = [&](double len) {
    // A little room below the least precise study, so that its circle clears the frame.
    return detail::make_axis(false, 0, o_.se_max.value_or(max_se * 1.04), len, height_of, fs * 0.6,
                             7, {false, o_.se_max.has_value()});
  };
  auto x_axis_for = [&](double len, double se_bottom) {
    double xl = lo, xh = hi;
    if (o_.centre && o_.pseudo_ci) {
      const double z = z_for_level(o_.level);
      xl = std::min(xl, *o_.centre - z * se_bottom);
      xh = std::max(xh, *o_.centre + z * se_bottom);
    }
    if (!levels.empty()) {
      const double z = z_for_level(levels.back());
      xl = std::min(xl, o_.null_effect - z * se_bottom);
      xh = std::max(xh, o_.null_effect + z * se_bottom);
    }
    if (o_.centre) {
      xl = std::min(xl, *o_.centre);
      xh = std::max(xh, *o_.centre);
    }
    if (o_.adjusted) {
      xl = std::min(xl, *o_.adjusted);
      xh = std::max(xh, *o_.adjusted);
    }
    if (o_.axis_min) xl = from_display(o_.measure, *o_.axis_min, o_.display);
    if (o_.axis_max) xh = from_display(o_.measure, *o_.axis_max, o_.display);
    if (xh < xl) {
      // Only one limit given, on the far side of the data.
      if (o_.axis_min) xh = xl;
      if (o_.axis_max) xl = xh;
    }
    auto w = [&](const std::string& s) { return width(s, small_); };
    auto a = detail::make_axis(log_, xl, xh, len, w, fs * 0.8, 9,
                               {o_.axis_min.has_value(), o_.axis_max.has_value()});
    detail::back_transform_ticks(a, o_.measure, o_.display, w, fs * 0.8);
    return a;
  };

  // Legend entries.
  std::vector<legend_entry> legend;
  legend.push_back({legend_entry::swatch::filled_circle, "Studies"});
  if (any_imputed) legend.push_back({legend_entry::swatch::open_circle, "Filled studies"});
  if (o_.centre) legend.push_back({legend_entry::swatch::solid_line, o_.centre_label});
  if (o_.centre && o_.pseudo_ci) {
    legend.push_back({legend_entry::swatch::dashed_line,
                      fmt::format("Pseudo {}% CI", detail::format_tick(o_.level))});
  }
  if (o_.line) legend.push_back({legend_entry::swatch::dash_dot_line, o_.line->label});
  if (o_.adjusted) legend.push_back({legend_entry::swatch::dotted_line, o_.adjusted_label});
  std::vector<color> region(levels.size() + 1, colours::white);
  for (std::size_t k = 1; k < region.size(); ++k) {
    // Lighter to darker outwards: the darker, the smaller the p-value.
    const auto g = static_cast<std::uint8_t>(
        std::lround(230.0 - 55.0 * static_cast<double>(k - 1) /
                                std::max<double>(1.0, static_cast<double>(levels.size() - 1))));
    region[k] = {g, g, g};
  }
  if (!levels.empty()) {
    legend.push_back({legend_entry::swatch::heading, "Two-sided p-value"});
    std::vector<double> alpha;
    for (double l : levels) alpha.push_back(1 - l / 100);
    for (std::size_t k = 0; k <= levels.size(); ++k) {
      std::string label;
      if (k == 0) {
        label = "p > " + format_alpha(alpha[0]);
      } else if (k == levels.size()) {
        label = "p \u2264 " + format_alpha(alpha[k - 1]);
      } else {
        label = format_alpha(alpha[k]) + " < p \u2264 " + format_alpha(alpha[k - 1]);
      }
      legend.push_back({legend_entry::swatch::box, label, region[k]});
    }
  }
  const double swatch_w = fs * 2.2;
  const double legend_line = fs * 1.5;
  double legend_text_w = 0;
  for (const auto& e : legend) legend_text_w = std::max(legend_text_w, width(e.label, small_));
  const double legend_w = swatch_w + fs * 0.6 + legend_text_w;
  const double legend_h = static_cast<double>(legend.size()) * legend_line;

  const std::string x_title = o_.axis_title.value_or(detail::effect_axis_title(o_.measure));
  const auto title_e = m_.measure("Ag", title_);

  struct geometry {
    axis_scale se, x;
    rect panel;
    double total_w = 0, total_h = 0, legend_x = 0, y_label_right = 0, y_title_x = 0;
  };
  auto place = [&](double panel_w, double panel_h) {
    geometry g;
    g.se = se_axis_for(panel_h);
    g.x = x_axis_for(panel_w, g.se.hi);
    double ylab_w = 0;
    for (const auto& l : g.se.labels) ylab_w = std::max(ylab_w, width(l, small_));
    const double y_title_h = o_.se_title.empty() ? 0 : small_e.ascent + small_e.descent + fs * 0.6;
    g.y_title_x = margin + small_e.ascent;
    g.y_label_right = margin + y_title_h + ylab_w;
    double panel_x = g.y_label_right + fs * 0.25 + tick;
    double top = margin + (small_e.ascent + small_e.descent) / 2;
    if (!o_.title.empty())
      top = std::max(top, margin + title_e.ascent + title_e.descent + fs * 1.3);
    // The first x tick label is centred on its tick; keep it inside the canvas.
    if (!g.x.labels.empty()) {
      const double first = (g.x.ticks.front() - g.x.lo) / (g.x.hi - g.x.lo) * panel_w;
      panel_x = std::max(panel_x, margin + width(g.x.labels.front(), small_) / 2 - first);
    }
    g.panel = {panel_x, top, panel_w, panel_h};
    g.x.x0 = panel_x;
    g.x.x1 = panel_x + panel_w;
    g.se.x0 = top;
    g.se.x1 = top + panel_h;
    g.legend_x = g.panel.right() + fs * 1.5;
    double right = g.legend_x + legend_w;
    if (!g.x.labels.empty()) {
      right =
          std::max(right, g.x.position(g.x.ticks.back()) + width(g.x.labels.back(), small_) / 2);
    }
    right = std::max(right, margin + width(o_.title, title_));
    g.total_w = right + margin;
    double bottom = g.panel.bottom() + tick + fs * 0.2 + small_e.ascent + small_e.descent;
    if (!x_title.empty()) bottom += fs * 0.35 + small_e.ascent + small_e.descent;
    bottom = std::max(bottom, g.panel.y + legend_h);
    g.total_h = bottom + margin;
    return g;
  };
  geometry g = place(pw, ph);
  const double min_panel = fs * 10;
  if (o_.width > 0) {
    pw = std::max(min_panel, pw + o_.width - g.total_w);
    g = place(pw, ph);
    if (g.total_w > o_.width + 0.01) {
      return fail(errc::plot_too_small,
                  fmt::format("a width of {:.0f} pt ({:.2f} in) is too small for this funnel plot; "
                              "it needs at least {:.0f} pt ({:.2f} in)",
                              o_.width, o_.width / 72, g.total_w, g.total_w / 72));
    }
  }
  if (o_.height > 0) {
    ph = std::max(min_panel, ph + o_.height - g.total_h);
    g = place(pw, ph);
    if (g.total_h > o_.height + 0.01) {
      return fail(
          errc::plot_too_small,
          fmt::format("a height of {:.0f} pt ({:.2f} in) is too small for this funnel plot; "
                      "it needs at least {:.0f} pt ({:.2f} in)",
                      o_.height, o_.height / 72, g.total_h, g.total_h / 72));
    }
  }
  if (o_.width > 0) g.total_w = o_.width;
  if (o_.height > 0) g.total_h = o_.height;

  drawing d(g.total_w, g.total_h, o_.title.empty() ? "Funnel plot" : o_.title);
  d.set_font_family(o_.font_family);
  if (!o_.title.empty()) text_at(d, {margin, margin + title_e.ascent}, o_.title, title_);

  const rect& pr = g.panel;
  auto at = [&](double effect, double se) {
    return point{g.x.position(effect), g.se.position(se)};
  };
  const double se_bottom = g.se.hi;

  // Background: the contour regions, darkest outside, or white.
  d.begin_group("regions");
  d.rectangle(pr, {.fill = region.back()});
  for (std::size_t k = levels.size(); k-- > 0;) {
    const double z = z_for_level(levels[k]);
    std::vector<point> tri = {at(o_.null_effect, 0), at(o_.null_effect + z * se_bottom, se_bottom),
                              at(o_.null_effect - z * se_bottom, se_bottom)};
    auto clipped = clip_polygon(tri, pr);
    if (clipped.size() >= 3) d.polygon(clipped, {.fill = region[k]});
  }
  d.end_group();

  auto segment = [&](point a, point b, const stroke_style& s) {
    if (clip_segment(a, b, pr)) d.line(a, b, s);
  };
  d.begin_group("guides");
  if (o_.centre && o_.pseudo_ci) {
    const double z = z_for_level(o_.level);
    const stroke_style s{.colour = colours::black, .width = 0.75, .dash = dashed};
    segment(at(*o_.centre, 0), at(*o_.centre - z * se_bottom, se_bottom), s);
    segment(at(*o_.centre, 0), at(*o_.centre + z * se_bottom, se_bottom), s);
  }
  if (o_.centre) {
    segment(at(*o_.centre, 0), at(*o_.centre, se_bottom),
            {.colour = colours::black, .width = 0.75});
  }
  if (o_.adjusted) {
    segment(at(*o_.adjusted, 0), at(*o_.adjusted, se_bottom),
            {.colour = colours::black, .width = 1, .dash = dotted});
  }
  if (o_.line) {
    segment(at(o_.line->intercept, 0),
            at(o_.line->intercept + o_.line->slope * se_bottom, se_bottom),
            {.colour = colours::black, .width = 1, .dash = dash_dot});
  }
  d.end_group();

  // Studies: observed as filled circles, imputed as open ones; larger SE (less precise) first so
  // that precise studies are drawn on top.
  const double r = fs * 0.3;
  std::vector<std::size_t> order(pts_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return pts_[a].se > pts_[b].se; });
  // Studies at the same place (equal estimate and SE) are drawn once and counted: "×3" beside
  // the point, so that stacked studies are not hidden (issue 13 item 9).
  auto same = [&](const funnel_point& a, const funnel_point& b) {
    auto close = [](double u, double v) {
      return std::abs(u - v) <= 1e-9 * std::max({1.0, std::abs(u), std::abs(v)});
    };
    return a.imputed == b.imputed && close(a.estimate, b.estimate) && close(a.se, b.se);
  };
  std::vector<std::size_t> copies(pts_.size(), 1);
  std::vector<bool> repeat(pts_.size(), false);
  for (std::size_t a = 0; a < order.size(); ++a) {
    if (repeat[order[a]]) continue;
    for (std::size_t b = a + 1; b < order.size() && pts_[order[b]].se == pts_[order[a]].se; ++b) {
      if (!repeat[order[b]] && same(pts_[order[a]], pts_[order[b]])) {
        repeat[order[b]] = true;
        ++copies[order[a]];
      }
    }
  }
  d.begin_group("studies");
  for (auto i : order) {
    const auto& p = pts_[i];
    if (repeat[i]) continue;
    const point c = at(p.estimate, p.se);
    if (c.x < pr.x - 1e-9 || c.x > pr.right() + 1e-9 || c.y > pr.bottom() + 1e-9) continue;
    if (copies[i] > 1) {
      // Drawn without a layout box: the panel is one mark for the layout checks, and the count
      // belongs inside it, beside its point.
      d.text({c.x + r + fs * 0.2, c.y + (small_e.ascent - small_e.descent) / 2},
             fmt::format("\u00d7{}", copies[i]), small_);
    }
    if (p.imputed) {
      d.circle(c, r,
               {.fill = colours::white,
                .stroke = stroke_style{.colour = colours::black, .width = 0.75}});
    } else {
      d.circle(c, r, {.fill = colours::black});
    }
    d.add_box({c.x - r, c.y - r, 2 * r, 2 * r}, box_kind::mark,
              p.imputed ? "filled study" : "study");
  }
  d.end_group();

  // Frame and axes.
  d.begin_group("axes");
  const stroke_style axis_line{.colour = colours::black, .width = 0.75};
  d.rectangle(pr, {.stroke = axis_line});
  d.add_box(pr, box_kind::mark, "panel");
  text_style xl = small_;
  xl.anchor = text_anchor::middle;
  const double y_xlab = pr.bottom() + tick + fs * 0.2 + small_e.ascent;
  for (std::size_t k = 0; k < g.x.ticks.size(); ++k) {
    const double x = g.x.position(g.x.ticks[k]);
    d.line({x, pr.bottom()}, {x, pr.bottom() + tick}, axis_line);
    text_at(d, {x, y_xlab}, g.x.labels[k], xl);
  }
  text_style yl = small_;
  yl.anchor = text_anchor::end;
  for (std::size_t k = 0; k < g.se.ticks.size(); ++k) {
    const double y = g.se.position(g.se.ticks[k]);
    d.line({pr.x - tick, y}, {pr.x, y}, axis_line);
    text_at(d, {g.y_label_right, y + (small_e.ascent - small_e.descent) / 2}, g.se.labels[k], yl);
  }
  if (!x_title.empty()) {
    text_at(d, {pr.x + pr.width / 2, y_xlab + small_e.descent + fs * 0.35 + small_e.ascent},
            x_title, xl);
  }
  if (!o_.se_title.empty()) {
    text_style v = small_;
    v.anchor = text_anchor::middle;
    v.vertical = true;
    text_at(d, {g.y_title_x, pr.y + pr.height / 2}, o_.se_title, v);
  }
  d.end_group();

  // Legend, outside the panel on the right.
  d.begin_group("legend");
  for (std::size_t k = 0; k < legend.size(); ++k) {
    const auto& e = legend[k];
    const double yc = pr.y + (static_cast<double>(k) + 0.5) * legend_line;
    const double x0 = g.legend_x;
    const double xm = x0 + swatch_w / 2;
    const point base{x0 + swatch_w + fs * 0.6, yc + (small_e.ascent - small_e.descent) / 2};
    using sw = legend_entry::swatch;
    switch (e.kind) {
      case sw::filled_circle:
        d.circle({xm, yc}, r, {.fill = colours::black});
        break;
      case sw::open_circle:
        d.circle({xm, yc}, r,
                 {.fill = colours::white,
                  .stroke = stroke_style{.colour = colours::black, .width = 0.75}});
        break;
      case sw::solid_line:
        d.line({x0, yc}, {x0 + swatch_w, yc}, {.colour = colours::black, .width = 0.75});
        break;
      case sw::dashed_line:
        d.line({x0, yc}, {x0 + swatch_w, yc},
               {.colour = colours::black, .width = 0.75, .dash = dashed});
        break;
      case sw::dash_dot_line:
        d.line({x0, yc}, {x0 + swatch_w, yc},
               {.colour = colours::black, .width = 1, .dash = dash_dot});
        break;
      case sw::dotted_line:
        d.line({x0, yc}, {x0 + swatch_w, yc},
               {.colour = colours::black, .width = 1, .dash = dotted});
        break;
      case sw::box: {
        const rect b{x0 + swatch_w / 2 - fs * 0.55, yc - fs * 0.45, fs * 1.1, fs * 0.9};
        d.rectangle(
            b, {.fill = e.fill, .stroke = stroke_style{.colour = colours::mid_grey, .width = 0.5}});
        break;
      }
      case sw::heading:
        break;
    }
    if (e.kind == sw::heading) {
      text_at(d, {x0, base.y}, e.label, small_);
    } else {
      d.add_box({x0, yc - fs * 0.45, swatch_w, fs * 0.9}, box_kind::mark, "legend key");
      text_at(d, base, e.label, small_);
    }
  }
  d.end_group();
  return d;
}

}  // namespace

expected<drawing> draw_funnel(std::span<const funnel_point> points, const funnel_options& options) {
  funnel_layout layout(points, options);
  return layout.run();
}

}  // namespace srma::plot
