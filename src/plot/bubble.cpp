// Bubble plot layout and drawing.
//
// Layout: a plot panel (320 x 240 pt by default) with the moderator axis below and the effect
// axis on the left, both spanning the data with a little room for the bubbles, the line and its
// bands (which are clipped to the panel); the legend sits to the right of the panel, outside it.
// Bubbles are drawn largest first so that small ones stay visible on top, in a translucent grey
// with a dark outline so that overlapping bubbles can still be told apart. Labels keep off the
// bubbles, each other and, where there is room, the regression line; the panel grows by a tenth
// (up to three times) when they do not fit, and studies still without room for a label are named
// in a note under the plot.
#include "srma/plot/bubble.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "chart.hpp"
#include "label_placer.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/report/format.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string bubble_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  for (const auto& [name, lo, hi] : {std::tuple{"x", x_min, x_max}, {"y", y_min, y_max}}) {
    for (const auto& v : {lo, hi}) {
      if (v && !std::isfinite(*v)) return fmt::format("{} axis limit {:g} is not finite", name, *v);
    }
    if (lo && hi && *lo >= *hi) {
      return fmt::format("{} axis limits {:g} to {:g}: the minimum must be below the maximum", name,
                         *lo, *hi);
    }
  }
  if (max_note_lines < 1) return "max_note_lines must be at least 1";
  return "";
}

expected<void> check_bubble_design(const design_matrix& design) {
  const std::string need =
      "a bubble plot needs a meta-regression with an intercept and exactly one continuous "
      "moderator";
  if (!design.has_intercept)
    return fail(errc::plot_not_drawable, need + ", but the model has no intercept");
  std::vector<std::string> mods;
  for (std::size_t j = 0; j < design.cols(); ++j) {
    if (design.names[j] != "intercept") mods.push_back(design.names[j]);
  }
  if (mods.empty()) return fail(errc::plot_not_drawable, need + ", but the model has no moderator");
  for (const auto& name : mods) {
    if (const auto bracket = name.find('['); bracket != std::string::npos) {
      const std::string column = name.substr(0, bracket);
      std::vector<std::string> dummies;
      for (const auto& n : mods) {
        if (n.compare(0, bracket + 1, column + "[") == 0) dummies.push_back(n);
      }
      return fail(errc::plot_not_drawable, fmt::format("{}, but '{}' is categorical ({})", need,
                                                       column, fmt::join(dummies, ", ")));
    }
  }
  if (mods.size() > 1) {
    return fail(errc::plot_not_drawable, fmt::format("{}, but the model has {} moderators: {}",
                                                     need, mods.size(), fmt::join(mods, ", ")));
  }
  return {};
}

expected<bubble_data> bubble_from(const metareg_result& fit, const design_matrix& design,
                                  const study_table& studies) {
  if (auto ok = check_bubble_design(design); !ok) return unexpected(ok.error());
  const std::size_t k = studies.k();
  if (design.rows != k || fit.k != k || fit.coefficients.size() != 2 || fit.vcov.size() != 4) {
    return fail(errc::plot_bad_data,
                fmt::format("the meta-regression ({} studies, {} coefficients), its design ({} "
                            "rows) and the studies ({}) do not match",
                            fit.k, fit.coefficients.size(), design.rows, k));
  }
  bubble_data out;
  out.measure = studies.measure;
  out.display = studies.display();
  out.moderator = design.names[1];
  for (std::size_t i = 0; i < k; ++i) {
    out.points.push_back({studies.study.empty() ? fmt::format("Study {}", i + 1) : studies.study[i],
                          design.at(i, 1), studies.yi[i], studies.vi[i]});
  }
  out.line.intercept = fit.coefficients[0].estimate;
  out.line.slope = fit.coefficients[1].estimate;
  out.line.var_intercept = fit.vcov[0];
  out.line.cov = fit.vcov[1];
  out.line.var_slope = fit.vcov[3];
  out.line.tau2 = fit.common_effect ? 0.0 : fit.tau2;
  out.line.level = fit.level;
  out.line.df = fit.coefficients[1].df;
  return out;
}

namespace {

using detail::xy_panel;

struct legend_item {
  enum class swatch { bubble, line, band, pi_band } kind;
  std::string label;
};

}  // namespace

expected<drawing> draw_bubble(const bubble_data& data, const bubble_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  const auto& pts = data.points;
  if (pts.empty()) return fail(errc::plot_bad_data, "no study to draw in the bubble plot");
  const auto& ln = data.line;
  if (!(std::isfinite(ln.intercept) && std::isfinite(ln.slope) && ln.var_intercept >= 0 &&
        ln.var_slope >= 0 && std::isfinite(ln.cov) && ln.tau2 >= 0 && std::isfinite(ln.tau2) &&
        ln.level > 0 && ln.level < 100)) {
    return fail(
        errc::plot_bad_data,
        fmt::format("the regression line needs finite coefficients, variances >= 0, a "
                    "tau^2 >= 0 and a level between 0 and 100 (intercept {:g}, slope {:g}, "
                    "Var {:g} and {:g}, tau^2 {:g}, level {:g})",
                    ln.intercept, ln.slope, ln.var_intercept, ln.var_slope, ln.tau2, ln.level));
  }
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  double w_max = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const auto& p = pts[i];
    if (!(std::isfinite(p.moderator) && std::isfinite(p.estimate) && p.variance > 0 &&
          std::isfinite(p.variance))) {
      return fail(errc::plot_bad_data,
                  fmt::format("bubble {} ('{}'): moderator {:g}, estimate {:g}, variance {:g}; "
                              "all must be finite and the variance > 0",
                              i + 1, p.label, p.moderator, p.estimate, p.variance));
    }
    x_lo = std::min(x_lo, p.moderator);
    x_hi = std::max(x_hi, p.moderator);
    w_max = std::max(w_max, 1 / (p.variance + ln.tau2));
  }
  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const double fs = o.font_size;
  const detail::figure_frame frame(c, o, "bubble plot", "Bubble plot");
  const double margin = frame.margin();
  const bool log = is_ratio(data.measure);
  const double crit = std::isfinite(ln.df) && ln.df > 0
                          ? detail::qt_upper((1 - ln.level / 100) / 2, ln.df)
                          : z_for_level(ln.level);
  auto fitted = [&](double x) { return ln.intercept + ln.slope * x; };
  auto se_fit = [&](double x) {
    return std::sqrt(std::max(0.0, ln.var_intercept + 2 * x * ln.cov + x * x * ln.var_slope));
  };
  const double r_max = fs * 1.3, r_min = 1.5;
  auto radius = [&](const bubble_point& p) {
    return std::max(r_min, r_max * std::sqrt((1 / (p.variance + ln.tau2)) / w_max));
  };

  // A little room either side so that the outermost bubbles stay inside the panel.
  const double x_span = x_hi > x_lo ? x_hi - x_lo : std::max(1.0, std::abs(x_lo));
  const double ax_lo = x_lo - 0.04 * x_span, ax_hi = x_hi + 0.04 * x_span;
  double y_lo = std::numeric_limits<double>::infinity(), y_hi = -y_lo;
  for (const auto& p : pts) {
    y_lo = std::min(y_lo, p.estimate);
    y_hi = std::max(y_hi, p.estimate);
  }
  for (int s = 0; s <= 20; ++s) {
    const double x = ax_lo + (ax_hi - ax_lo) * s / 20.0;
    double half = 0;
    if (o.confidence_band) half = crit * se_fit(x);
    if (o.prediction_band) half = crit * std::sqrt(se_fit(x) * se_fit(x) + ln.tau2);
    y_lo = std::min(y_lo, fitted(x) - half);
    y_hi = std::max(y_hi, fitted(x) + half);
  }
  const double y_span = y_hi > y_lo ? y_hi - y_lo : 1;
  y_lo -= 0.04 * y_span;
  y_hi += 0.04 * y_span;
  // Limits the user fixed (the effect's on the display scale).
  if (log && ((o.y_min && *o.y_min <= 0) || (o.y_max && *o.y_max <= 0))) {
    return fail(errc::plot_bad_options,
                "effect axis limits must be > 0 on the log axis of a ratio");
  }
  const detail::axis_limits x_fixed{o.x_min.has_value(), o.x_max.has_value()};
  const detail::axis_limits y_fixed{o.y_min.has_value(), o.y_max.has_value()};
  const double x_axis_lo = o.x_min.value_or(ax_lo), x_axis_hi = o.x_max.value_or(ax_hi);
  double y_axis_lo = o.y_min ? from_display(data.measure, *o.y_min, data.display) : y_lo;
  double y_axis_hi = o.y_max ? from_display(data.measure, *o.y_max, data.display) : y_hi;
  if (y_axis_lo > y_axis_hi) {  // one limit given, beyond all the data
    if (o.y_min) y_axis_hi = y_axis_lo;
    if (o.y_max) y_axis_lo = y_axis_hi;
  }

  const std::string x_title = o.x_title.value_or(data.moderator);
  const std::string y_title = o.y_title.value_or(detail::effect_axis_title(data.measure));
  const std::string level = format_level(ln.level);
  std::vector<legend_item> legend;
  if (o.legend) {
    legend.push_back({legend_item::swatch::bubble, "Studies (area \u221d weight)"});
    legend.push_back({legend_item::swatch::line, "Meta-regression"});
    if (o.confidence_band) legend.push_back({legend_item::swatch::band, level + "% CI"});
    if (o.prediction_band) legend.push_back({legend_item::swatch::pi_band, level + "% PI"});
  }
  const double swatch_w = fs * 2.2;
  const double legend_line = fs * 1.6;
  double legend_w = 0;
  for (const auto& e : legend) legend_w = std::max(legend_w, c.width(e.label, c.small()));
  if (!legend.empty()) legend_w += swatch_w + fs * 0.6;
  const double legend_h = static_cast<double>(legend.size()) * legend_line;
  const detail::axes_parts parts{.grid = false, .x_title = x_title, .y_title = y_title};

  struct geometry {
    xy_panel panel;
    std::vector<detail::label_placement> labels;
    bool all_placed = true;
    std::vector<std::string> note_lines;  // unlabelled studies
    double note_y = 0;
    double legend_x = 0, total_w = 0, total_h = 0;
  };
  auto place = [&](double pw, double ph) {
    geometry g;
    g.panel.x = c.x_axis(false, std::min(x_axis_lo, x_axis_hi), std::max(x_axis_lo, x_axis_hi), pw,
                         x_fixed);
    g.panel.y = c.y_axis(log, y_axis_lo, y_axis_hi, ph, y_fixed);
    // Proportions, correlations, ... labelled on their display scale (metafor's atransf).
    const double tick_h = c.line_height(c.small());
    detail::back_transform_ticks(
        g.panel.y, data.measure, data.display, [tick_h](const std::string&) { return tick_h; },
        fs * 0.9);
    const double top = frame.panel_top();
    auto [right, axes_bottom] = c.place_panel(g.panel, parts, margin, top, pw, ph);
    if (!legend.empty()) {
      g.legend_x = g.panel.box.right() + fs * 1.5;
      right = std::max(right, g.legend_x + legend_w);
    }
    right = std::max(right, frame.title_right());
    g.total_w = right + margin;
    double bottom = std::max(axes_bottom, top + legend_h);
    if (o.labels) {
      std::vector<detail::label_target> targets;
      for (const auto& p : pts) {
        // Studies far from the line (in standard errors) are the ones readers look for.
        const double z =
            std::abs(p.estimate - fitted(p.moderator)) / std::sqrt(p.variance + ln.tau2);
        targets.push_back({g.panel.at(p.moderator, p.estimate), radius(p), p.label, z});
      }
      // The regression line is never crossed by a label (issue 13 item 5); the band edges are
      // avoided where there is room.
      detail::label_obstacles obstacles;
      const point a = g.panel.at(g.panel.x.lo, fitted(g.panel.x.lo));
      const point b = g.panel.at(g.panel.x.hi, fitted(g.panel.x.hi));
      obstacles.segments.emplace_back(a, b);
      for (double sign : {-1.0, 1.0}) {
        const int n = 12;
        for (int s = 0; s < n; ++s) {
          const double x0 = g.panel.x.lo + (g.panel.x.hi - g.panel.x.lo) * s / n;
          const double x1 = g.panel.x.lo + (g.panel.x.hi - g.panel.x.lo) * (s + 1) / n;
          auto edge_y = [&](double x) {
            double half = 0;
            if (o.confidence_band) half = crit * se_fit(x);
            return fitted(x) + sign * half;
          };
          if (o.confidence_band) {
            obstacles.soft_segments.emplace_back(g.panel.at(x0, edge_y(x0)),
                                                 g.panel.at(x1, edge_y(x1)));
          }
        }
      }
      g.labels = detail::place_labels(targets, m, c.small(), g.panel.box, obstacles);
      g.all_placed =
          std::all_of(g.labels.begin(), g.labels.end(), [](const auto& l) { return l.placed; });
      if (!g.all_placed) {
        // Studies that found no room for a label are named under the plot.
        std::vector<std::string> missing;
        for (std::size_t i = 0; i < pts.size(); ++i) {
          if (!g.labels[i].placed) missing.push_back(pts[i].label);
        }
        // At most max_note_lines lines of names; the rest are counted, so that 200 studies do
        // not give a list taller than the plot (issue 13 item 5).
        const double note_w = std::max(right - margin, fs * 20);
        const auto max_lines = static_cast<std::size_t>(o.max_note_lines);
        std::size_t shown = missing.size();
        auto note = [&](std::size_t n) {
          if (n == 0) {
            return detail::wrap_text(
                m, fmt::format("Not labelled (no room): {} studies", missing.size()), c.small(),
                note_w);
          }
          std::string t = fmt::format(
              "Not labelled (no room): {}",
              fmt::join(missing.begin(), missing.begin() + static_cast<std::ptrdiff_t>(n), ", "));
          if (n < missing.size()) t += fmt::format(", \u2026 and {} more", missing.size() - n);
          return detail::wrap_text(m, t, c.small(), note_w);
        };
        g.note_lines = note(shown);
        while (g.note_lines.size() > max_lines && shown > 0) {
          // Drop names in proportion to the excess, then one by one.
          const std::size_t cut = std::max<std::size_t>(
              1, shown * (g.note_lines.size() - max_lines) / g.note_lines.size());
          shown -= std::min(shown, cut);
          g.note_lines = note(shown);
        }
        g.note_y = bottom + fs * 0.6;
        bottom = g.note_y + static_cast<double>(g.note_lines.size()) * fs * 1.3;
      }
    }
    g.total_h = bottom + margin;
    return g;
  };

  double pw = o.panel_width > 0 ? o.panel_width : 320;
  double ph = o.panel_height > 0 ? o.panel_height : 240;
  geometry g = place(pw, ph);
  if (auto ok = frame.fit(fs * 10, fs * 10, pw, ph, g, place); !ok) return unexpected(ok.error());
  const bool fixed = o.panel_width > 0 || o.panel_height > 0 || o.width > 0 || o.height > 0;
  for (int grow = 0; !g.all_placed && !fixed && grow < 3; ++grow) {
    pw *= 1.1;
    ph *= 1.1;
    g = place(pw, ph);
  }
  drawing d = frame.open(g);
  const xy_panel& p = g.panel;
  const rect& box = p.box;
  // Bands as polygons sampled along x and clipped to the panel's height.
  auto clamp_y = [&](double y) { return std::clamp(y, box.y, box.bottom()); };
  auto band = [&](auto half) {
    std::vector<point> poly;
    const int n = 80;
    for (int s = 0; s <= n; ++s) {
      const double x = p.x.lo + (p.x.hi - p.x.lo) * s / n;
      poly.push_back({p.px(x), clamp_y(p.py(fitted(x) + half(x)))});
    }
    for (int s = n; s >= 0; --s) {
      const double x = p.x.lo + (p.x.hi - p.x.lo) * s / n;
      poly.push_back({p.px(x), clamp_y(p.py(fitted(x) - half(x)))});
    }
    return poly;
  };
  auto edge = [&](auto half, double sign) {
    std::vector<point> line;
    const int n = 80;
    for (int s = 0; s <= n; ++s) {
      const double x = p.x.lo + (p.x.hi - p.x.lo) * s / n;
      line.push_back({p.px(x), clamp_y(p.py(fitted(x) + sign * half(x)))});
    }
    return line;
  };
  const auto ci_half = [&](double x) { return crit * se_fit(x); };
  const auto pi_half = [&](double x) { return crit * std::sqrt(se_fit(x) * se_fit(x) + ln.tau2); };
  const std::vector<double> dashed = {4, 2.5};
  const std::vector<double> dotted = {1, 2};
  d.begin_group("bands");
  if (o.prediction_band) {
    d.polygon(band(pi_half), {.fill = detail::palette::band_fill_light});
  }
  if (o.confidence_band) d.polygon(band(ci_half), {.fill = detail::palette::band_fill});
  if (o.prediction_band) {
    for (double s : {-1.0, 1.0}) {
      d.polyline(edge(pi_half, s), {.colour = colours::dark_grey, .width = 0.75, .dash = dotted});
    }
  }
  if (o.confidence_band) {
    for (double s : {-1.0, 1.0}) {
      d.polyline(edge(ci_half, s), {.colour = colours::dark_grey, .width = 0.75, .dash = dashed});
    }
  }
  d.end_group();
  d.begin_group("line");
  {
    // The line clipped to the panel's height.
    std::vector<point> line;
    const int n = 80;
    for (int s = 0; s <= n; ++s) {
      const double x = p.x.lo + (p.x.hi - p.x.lo) * s / n;
      const double y = p.py(fitted(x));
      if (y >= box.y - 1e-9 && y <= box.bottom() + 1e-9) line.push_back({p.px(x), y});
    }
    if (line.size() >= 2) d.polyline(line, {.colour = colours::black, .width = 1.5});
  }
  d.end_group();

  d.begin_group("studies");
  std::vector<std::size_t> order(pts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return radius(pts[a]) > radius(pts[b]); });
  color fill = detail::palette::bubble_fill;
  fill.alpha = 0.6;
  for (auto i : order) {
    const point at = p.at(pts[i].moderator, pts[i].estimate);
    const double rr = radius(pts[i]);
    d.circle(at, rr,
             {.fill = fill, .stroke = stroke_style{.colour = colours::black, .width = 0.6}});
    d.add_box({at.x - rr, at.y - rr, 2 * rr, 2 * rr}, box_kind::mark, "study");
  }
  d.end_group();

  if (o.labels) {
    d.begin_group("labels");
    for (std::size_t i = 0; i < g.labels.size(); ++i) {
      const auto& l = g.labels[i];
      if (!l.placed) continue;
      if (l.leader) d.line(l.leader_from, l.leader_to, {.colour = colours::mid_grey, .width = 0.5});
      // A light halo: a band edge that still runs under a label does not cut through its text.
      color halo = colours::white;
      halo.alpha = 0.8;
      d.rectangle({l.box.x - 1, l.box.y, l.box.width + 2, l.box.height}, {.fill = halo});
      c.text(d, l.baseline, pts[i].label, c.small());
    }
    d.end_group();
  }

  d.begin_group("axes");
  c.draw_panel_axes(d, p, parts);
  d.end_group();

  if (!g.note_lines.empty()) {
    d.begin_group("note");
    const auto e = c.extents("Ag", c.small());
    for (std::size_t i = 0; i < g.note_lines.size(); ++i) {
      c.text(d, {margin, g.note_y + e.ascent + static_cast<double>(i) * fs * 1.3}, g.note_lines[i],
             c.small());
    }
    d.end_group();
  }

  if (!legend.empty()) {
    d.begin_group("legend");
    const auto e = c.extents("Ag", c.small());
    for (std::size_t k = 0; k < legend.size(); ++k) {
      const double yc = box.y + (static_cast<double>(k) + 0.5) * legend_line;
      const double x0 = g.legend_x;
      const rect key{x0, yc - fs * 0.5, swatch_w, fs};
      switch (legend[k].kind) {
        case legend_item::swatch::bubble:
          d.circle({x0 + swatch_w / 2, yc}, fs * 0.45,
                   {.fill = fill, .stroke = stroke_style{.colour = colours::black, .width = 0.6}});
          break;
        case legend_item::swatch::line:
          d.line({x0, yc}, {x0 + swatch_w, yc}, {.colour = colours::black, .width = 1.5});
          break;
        case legend_item::swatch::band:
          d.rectangle(key, {.fill = detail::palette::band_fill});
          d.line({x0, key.y}, {key.right(), key.y},
                 {.colour = colours::dark_grey, .width = 0.75, .dash = dashed});
          d.line({x0, key.bottom()}, {key.right(), key.bottom()},
                 {.colour = colours::dark_grey, .width = 0.75, .dash = dashed});
          break;
        case legend_item::swatch::pi_band:
          d.rectangle(key, {.fill = detail::palette::band_fill_light});
          d.line({x0, key.y}, {key.right(), key.y},
                 {.colour = colours::dark_grey, .width = 0.75, .dash = dotted});
          d.line({x0, key.bottom()}, {key.right(), key.bottom()},
                 {.colour = colours::dark_grey, .width = 0.75, .dash = dotted});
          break;
      }
      d.add_box(key, box_kind::mark, "legend key");
      c.text(d, {x0 + swatch_w + fs * 0.6, yc + (e.ascent - e.descent) / 2}, legend[k].label,
             c.small());
    }
    d.end_group();
  }
  return d;
}

}  // namespace srma::plot
