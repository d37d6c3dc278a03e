// Shared building blocks of the scatter-type figures and the PRISMA flow diagram.
#include "chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace srma::detail {

using plot::point;
using plot::rect;
using plot::text_anchor;
using plot::text_style;

chart::chart(const plot::text_measurer& m, double font_size) : m_(m), fs_(font_size) {
  body_ = {.size = fs_};
  small_ = {.size = fs_ - 1};
  bold_ = {.size = fs_, .bold = true};
  title_ = {.size = fs_ + 2, .bold = true};
}

double chart::width(std::string_view s, const text_style& st) const {
  return m_.measure(s, st).width;
}

plot::text_extents chart::extents(std::string_view s, const text_style& st) const {
  return m_.measure(s, st);
}

double chart::line_height(const text_style& st) const {
  const auto e = m_.measure("Ag", st);
  return e.ascent + e.descent;
}

void chart::text(plot::drawing& d, point at, std::string_view s, const text_style& st) const {
  if (s.empty()) return;
  d.text(at, s, st);
  d.add_box(m_.box(at, s, st), plot::box_kind::text, std::string(s));
}

axis_scale chart::y_axis(bool log, double lo, double hi, double length, axis_limits limits,
                         int max_ticks) const {
  const double h = line_height(small_);
  return make_axis(
      log, lo, hi, length, [h](const std::string&) { return h; }, fs_ * 0.9, max_ticks, limits);
}

axis_scale chart::x_axis(bool log, double lo, double hi, double length, axis_limits limits,
                         int max_ticks) const {
  return make_axis(
      log, lo, hi, length, [this](const std::string& s) { return width(s, small_); }, fs_ * 0.8,
      max_ticks, limits);
}

chart::margins chart::axes_margins(const xy_panel& p, const axes_parts& parts) const {
  margins out;
  const double tick = fs_ * 0.4;
  const double lh = line_height(small_);
  double ylab = 0;
  if (parts.y_labels) {
    for (const auto& l : p.y.labels) ylab = std::max(ylab, width(l, small_));
  }
  out.left = tick + (ylab > 0 ? fs_ * 0.25 + ylab : 0);
  if (!parts.y_title.empty()) out.left += fs_ * 0.6 + lh;
  out.bottom = tick;
  if (parts.x_labels) out.bottom += fs_ * 0.2 + lh;
  if (!parts.x_title.empty()) out.bottom += fs_ * 0.35 + lh;
  return out;
}

chart::panel_extent chart::place_panel(xy_panel& p, const axes_parts& parts, double margin,
                                       double top, double width, double height) const {
  const auto mg = axes_margins(p, parts);
  double left = margin + mg.left;
  if (!p.x.labels.empty())
    left = std::max(left, margin + this->width(p.x.labels.front(), small_) / 2);
  p.box = {left, top, width, height};
  p.x.x0 = left;
  p.x.x1 = left + width;
  p.y.x0 = top + height;
  p.y.x1 = top;
  panel_extent out{p.box.right(), p.box.bottom() + mg.bottom};
  if (!p.x.labels.empty()) out.right += this->width(p.x.labels.back(), small_) / 2;
  return out;
}

void chart::draw_grid(plot::drawing& d, const xy_panel& p) const {
  const plot::stroke_style g{.colour = palette::grid, .width = 0.5};
  for (double t : p.x.ticks) {
    const double x = p.px(t);
    if (x > p.box.x + 0.5 && x < p.box.right() - 0.5) {
      d.line({x, p.box.y}, {x, p.box.bottom()}, g);
    }
  }
  for (double t : p.y.ticks) {
    const double y = p.py(t);
    if (y > p.box.y + 0.5 && y < p.box.bottom() - 0.5) {
      d.line({p.box.x, y}, {p.box.right(), y}, g);
    }
  }
}

void chart::draw_panel_axes(plot::drawing& d, const xy_panel& p, const axes_parts& parts) const {
  if (parts.grid) draw_grid(d, p);
  const plot::stroke_style axis_line{.colour = plot::colours::black, .width = 0.75};
  const rect& b = p.box;
  d.rectangle(b, {.stroke = axis_line});
  add_frame_marks(d, b, "panel");
  const double tick = fs_ * 0.4;
  const auto e = m_.measure("0", small_);
  text_style xl = small_;
  xl.anchor = text_anchor::middle;
  const double y_xlab = b.bottom() + tick + fs_ * 0.2 + e.ascent;
  for (std::size_t k = 0; k < p.x.ticks.size(); ++k) {
    const double x = p.px(p.x.ticks[k]);
    d.line({x, b.bottom()}, {x, b.bottom() + tick}, axis_line);
    if (parts.x_labels) text(d, {x, y_xlab}, p.x.labels[k], xl);
  }
  text_style yl = small_;
  yl.anchor = text_anchor::end;
  double ylab = 0;
  for (std::size_t k = 0; k < p.y.ticks.size(); ++k) {
    const double y = p.py(p.y.ticks[k]);
    d.line({b.x - tick, y}, {b.x, y}, axis_line);
    if (parts.y_labels) {
      text(d, {b.x - tick - fs_ * 0.25, y + (e.ascent - e.descent) / 2}, p.y.labels[k], yl);
      ylab = std::max(ylab, width(p.y.labels[k], small_));
    }
  }
  if (!parts.x_title.empty()) {
    const double yt =
        (parts.x_labels ? y_xlab + e.descent : b.bottom() + tick) + fs_ * 0.35 + e.ascent;
    text(d, {b.x + b.width / 2, yt}, parts.x_title, xl);
  }
  if (!parts.y_title.empty()) {
    text_style v = small_;
    v.anchor = text_anchor::middle;
    v.vertical = true;
    const double right = b.x - tick - (ylab > 0 ? fs_ * 0.25 + ylab : 0) - fs_ * 0.6;
    // Rotated: the glyphs stand left of the baseline, so the baseline sits at the right edge
    // minus the descent.
    text(d, {right - e.descent, b.y + b.height / 2}, parts.y_title, v);
  }
}

void expand_axis(axis_scale& a, double fraction) {
  const double pad = (a.hi - a.lo) * fraction;
  a.lo -= pad;
  a.hi += pad;
}

void add_frame_marks(plot::drawing& d, const rect& r, std::string_view name) {
  const double t = 0.75;
  const std::string n(name);
  d.add_box({r.x - t / 2, r.y - t / 2, r.width + t, t}, plot::box_kind::mark, n);
  d.add_box({r.x - t / 2, r.bottom() - t / 2, r.width + t, t}, plot::box_kind::mark, n);
  d.add_box({r.x - t / 2, r.y - t / 2, t, r.height + t}, plot::box_kind::mark, n);
  d.add_box({r.right() - t / 2, r.y - t / 2, t, r.height + t}, plot::box_kind::mark, n);
}

namespace {

void arrow_head(plot::drawing& d, point from, point to, double head) {
  const double dx = to.x - from.x, dy = to.y - from.y;
  const double len = std::hypot(dx, dy);
  if (len <= 0) return;
  const double ux = dx / len, uy = dy / len;
  const double w = head * 0.45;
  const point base{to.x - ux * head, to.y - uy * head};
  const std::vector<point> tri = {
      to, {base.x - uy * w, base.y + ux * w}, {base.x + uy * w, base.y - ux * w}};
  d.polygon(tri, {.fill = plot::colours::black});
}

void segment_mark(plot::drawing& d, point a, point b, double half) {
  d.add_box({std::min(a.x, b.x) - half, std::min(a.y, b.y) - half, std::abs(b.x - a.x) + 2 * half,
             std::abs(b.y - a.y) + 2 * half},
            plot::box_kind::mark, "arrow");
}

}  // namespace

void draw_arrow(plot::drawing& d, point from, point to, double head) {
  draw_elbow_arrow(d, {from, to}, head);
}

void draw_elbow_arrow(plot::drawing& d, const std::vector<point>& path, double head) {
  if (path.size() < 2) return;
  const plot::stroke_style s{.colour = plot::colours::black, .width = 0.75};
  // The last segment stops at the base of the head, so the line does not blunt its tip.
  std::vector<point> line = path;
  const point to = path.back();
  const point from = path[path.size() - 2];
  const double len = std::hypot(to.x - from.x, to.y - from.y);
  if (len > head) {
    line.back() = {to.x - (to.x - from.x) / len * head * 0.8,
                   to.y - (to.y - from.y) / len * head * 0.8};
  }
  d.polyline(line, s);
  arrow_head(d, from, to, head);
  for (std::size_t i = 1; i < path.size(); ++i) segment_mark(d, path[i - 1], path[i], head * 0.45);
}

bool clip_range(point a, point b, const rect& r, bool open, double& t0, double& t1) {
  t0 = 0;
  t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[] = {-dx, dx, -dy, dy};
  const double q[] = {a.x - r.x, r.right() - a.x, a.y - r.y, r.bottom() - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {  // parallel to this edge: inside its half-plane or nowhere
      if (open ? q[i] <= 0 : q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) {
      t0 = std::max(t0, t);
    } else {
      t1 = std::min(t1, t);
    }
  }
  return t0 <= t1;
}

bool segment_hits(point a, point b, const rect& r) {
  double t0 = 0, t1 = 0;
  return clip_range(a, b, r, true, t0, t1) && t1 - t0 > 1e-9;
}

std::vector<std::string> wrap_text(const plot::text_measurer& m, std::string_view text,
                                   const text_style& st, double max_width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j == i) break;
    const std::string word(text.substr(i, j - i));
    std::string candidate = line;
    if (!candidate.empty()) candidate += ' ';
    candidate += word;
    if (line.empty() || m.measure(candidate, st).width <= max_width) {
      line = candidate;
    } else {
      lines.push_back(line);
      line = word;
    }
    i = j;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string effect_axis_title(effect_measure m) {
  if (m == effect_measure::generic) return "Estimate";
  std::string s(measure_name(m));
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  const auto scale = analysis_scale_name(m);
  return scale.empty() ? s : fmt::format("{} ({} scale)", s, scale);
}

void back_transform_ticks(axis_scale& a, effect_measure m, const display_context& context,
                          const label_width_fn& width, double min_gap) {
  if (!has_display_transform(m) || display_log_axis(m)) return;
  const double dlo = to_display(m, a.lo, context), dhi = to_display(m, a.hi, context);
  if (!(std::isfinite(dlo) && std::isfinite(dhi) && dhi > dlo)) return;
  // Candidates from coarse to fine steps of the display scale; each is placed unless its label
  // would come too close to one already placed. The coarsest step that gives two ticks is laid
  // out at the labels' own spacing; finer steps fill only wide gaps (where the transform
  // stretches the axis, e.g. 0.9, 0.95, 0.99 near 1 on a logit axis).
  const double base = std::pow(10.0, std::floor(std::log10(dhi - dlo)));
  struct placed {
    double t, left, right;
    std::string label;
  };
  std::vector<placed> ticks;
  bool first_level = true;
  for (double step : {base, base / 2, base / 5, base / 10, base / 20, base / 100, base / 1000}) {
    const double from = std::ceil(dlo / step - 1e-9), to = std::floor(dhi / step + 1e-9);
    if (to - from > 400) break;
    std::vector<placed> level;
    for (double i = from; i <= to; i += 1) {
      const double v = std::fabs(i) < 1e-9 ? 0.0 : i * step;
      const double t = from_display(m, v, context);
      if (!std::isfinite(t) || !a.contains(t)) continue;
      const std::string label = format_tick(v);
      const double x = a.position(t), w = width(label);
      const double pad = first_level ? min_gap / 2 : w / 2 + min_gap;
      const placed p{t, x - w / 2 - pad, x + w / 2 + pad, label};
      bool clash = false;
      for (const auto& q : ticks)
        clash = clash || q.t == t || (p.left < q.right && q.left < p.right);
      for (const auto& q : level) clash = clash || (p.left < q.right && q.left < p.right);
      if (!clash) level.push_back(p);
    }
    if (first_level && level.size() < 2) continue;
    for (auto& p : level) ticks.push_back(std::move(p));
    first_level = false;
  }
  if (ticks.size() < 2) return;
  std::sort(ticks.begin(), ticks.end(), [](const placed& x, const placed& y) { return x.t < y.t; });
  a.ticks.clear();
  a.labels.clear();
  for (const auto& p : ticks) {
    a.ticks.push_back(p.t);
    a.labels.push_back(p.label);
  }
}

std::string format_count(long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  const std::size_t first = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i >= first && (i - first) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "\u2212" + out : out;
}

std::string size_error(std::string_view figure, std::string_view what, double size, double needed) {
  if (size <= 0 || size + 0.01 >= needed) return "";
  return fmt::format(
      "a {} of {:.0f} pt ({:.2f} in) is too small for this {}; it needs at least "
      "{:.0f} pt ({:.2f} in)",
      what, size, size / 72, figure, needed, needed / 72);
}

}  // namespace srma::detail
