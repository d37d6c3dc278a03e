// GOSH plot layout and drawing.
//
// Layout: the scatter panel (300 x 240 pt by default) with the I^2 axis (0 to 100) on its left
// and the estimate axis below; the histogram of the estimates above the panel and that of I^2 to
// its right (each 60 pt deep, sharing the panel's axis, no axis of their own: they show shapes,
// as metafor's); the legend to the right of everything. Histograms are densities, so the red and
// blue ones of a highlighted study compare even though their subsets differ in number.
#include "srma/plot/gosh_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "chart.hpp"
#include "srma/model/tau2.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string gosh_plot_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (bin_above < 1) return "bin_above is 0, but must be at least 1";
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  return "";
}

namespace {

constexpr double k_cell = 3;     // binned cells, points
constexpr int k_hist_bins = 30;  // bins of each marginal histogram

std::string highlight_name(const gosh_plot_options& o) {
  if (!o.highlight) return "";
  return o.highlight_label.empty() ? fmt::format("study {}", *o.highlight + 1) : o.highlight_label;
}

struct legend_entry {
  enum class swatch { point, cell, heading } kind;
  color fill;
  std::string label;
  std::size_t count = 0;  // cells: the number of subsets whose shade the key shows
};

}  // namespace

std::string gosh_caption(const gosh_result& g, const gosh_plot_options& o) {
  const std::size_t n = g.subsets();
  std::string measure = o.measure == effect_measure::generic ? std::string("estimate")
                                                             : std::string(measure_name(o.measure));
  const std::string model = g.model == model_kind::common ? std::string("common-effect model")
                                                          : fmt::format("random-effects model, {}",
                                                                        tau2_method_code(g.method));
  std::string s =
      fmt::format("GOSH plot: I\u00b2 against the pooled {} of {} ({}){}.", measure,
                  g.exact ? fmt::format("all {} subsets of the {} studies",
                                        detail::format_count(static_cast<long>(n)), g.k)
                          : fmt::format("{} random subsets of the {} studies",
                                        detail::format_count(static_cast<long>(n)), g.k),
                  model, o.histograms ? ", with histograms of both in the margins" : "");
  if (o.highlight) {
    s += fmt::format(" Subsets that include {} are red, the others blue.", highlight_name(o));
  }
  if (n > o.bin_above) {
    s += fmt::format(
        " With more than {} subsets the points are binned: each cell of about {:g} \u00d7 {:g} pt "
        "is shaded by the number of subsets in it (log scale){}.",
        detail::format_count(static_cast<long>(o.bin_above)), k_cell, k_cell,
        o.highlight ? ", coloured from blue to red by the share that include the study" : "");
  }
  return s;
}

expected<drawing> draw_gosh(const gosh_result& g, const gosh_plot_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (o.highlight && *o.highlight >= g.k) {
    return fail(errc::plot_bad_options,
                fmt::format("the highlighted study is number {}, but there are {} studies",
                            *o.highlight + 1, g.k));
  }
  const std::size_t n = g.subsets();
  if (g.estimate.size() != n || g.I2.size() != n || g.masks.size() != n * g.words) {
    return fail(errc::plot_bad_data,
                fmt::format("the GOSH result is inconsistent: {} subsets, {} estimates, {} I\u00b2 "
                            "values, {} mask words",
                            n, g.estimate.size(), g.I2.size(), g.masks.size()));
  }
  std::vector<std::size_t> ok;
  ok.reserve(n);
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  for (std::size_t s = 0; s < n; ++s) {
    if (std::isfinite(g.estimate[s]) && std::isfinite(g.I2[s])) {
      ok.push_back(s);
      x_lo = std::min(x_lo, g.estimate[s]);
      x_hi = std::max(x_hi, g.estimate[s]);
    }
  }
  if (ok.empty()) {
    return fail(errc::plot_bad_data, "no subset with a finite estimate and I\u00b2 to draw");
  }
  const bool binned = n > o.bin_above;
  const bool log = is_ratio(o.measure);
  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const double fs = o.font_size;
  const double margin = fs;
  const double hist_depth = o.histograms ? 60 : 0;
  const double hist_gap = o.histograms ? fs * 0.5 : 0;
  const std::string x_title = o.x_title.value_or(detail::effect_axis_title(o.measure));
  const detail::axes_parts parts{.grid = false, .x_title = x_title, .y_title = o.y_title};
  const std::string name = highlight_name(o);
  auto includes = [&](std::size_t s) { return o.highlight && g.contains(s, *o.highlight); };

  color red = detail::palette::red, blue = detail::palette::blue;
  std::vector<legend_entry> legend;
  if (o.highlight) {
    legend.push_back({legend_entry::swatch::point, red, "With " + name});
    legend.push_back({legend_entry::swatch::point, blue, "Without " + name});
  }
  std::size_t max_count = 0;
  if (binned) {
    legend.push_back({legend_entry::swatch::heading, {}, "Subsets per cell"});
    // The count scale is completed after binning (it needs the largest count).
  }

  const double title_h = o.title.empty() ? 0 : c.line_height(c.title_style()) + fs * 0.8;
  struct geometry {
    detail::xy_panel panel;
    rect top_hist, right_hist;
    double legend_x = 0, total_w = 0, total_h = 0;
  };
  double legend_w = 0;
  auto place = [&](double pw, double ph) {
    geometry gm;
    gm.panel.x = c.x_axis(log, x_lo, x_hi, pw);
    gm.panel.y = c.y_axis(false, 0, 100, ph, {true, true}, 6);
    detail::expand_axis(gm.panel.x);
    detail::expand_axis(gm.panel.y);
    detail::back_transform_ticks(
        gm.panel.x, o.measure, o.display,
        [&](const std::string& s) { return c.width(s, c.small()); }, fs * 0.8);
    const double top = margin + title_h + hist_depth + hist_gap;
    const auto [axes_right, axes_bottom] = c.place_panel(gm.panel, parts, margin, top, pw, ph);
    const double left = gm.panel.box.x;
    gm.top_hist = {left, top - hist_gap - hist_depth, pw, hist_depth};
    gm.right_hist = {left + pw + hist_gap, top, hist_depth, ph};
    double right = std::max(gm.right_hist.right(), axes_right);
    if (legend_w > 0) {
      gm.legend_x = right + fs * 1.5;
      right = gm.legend_x + legend_w;
    }
    right = std::max(right, margin + c.width(o.title, c.title_style()));
    gm.total_w = right + margin;
    const double legend_h = static_cast<double>(legend.size()) * fs * 1.5;
    gm.total_h = std::max(axes_bottom, top + legend_h) + margin;
    return gm;
  };

  double pw = o.panel_width > 0 ? o.panel_width : 300;
  double ph = o.panel_height > 0 ? o.panel_height : 240;
  // Binning needs the panel size, the legend needs the counts, and the layout needs the legend:
  // bin once at the default size to size the legend, then lay out and bin again.
  auto bin = [&](const geometry& gm, std::vector<std::size_t>& count,
                 std::vector<std::size_t>& with, std::size_t& nx, std::size_t& ny) {
    nx = std::max<std::size_t>(1,
                               static_cast<std::size_t>(std::lround(gm.panel.box.width / k_cell)));
    ny = std::max<std::size_t>(1,
                               static_cast<std::size_t>(std::lround(gm.panel.box.height / k_cell)));
    count.assign(nx * ny, 0);
    with.assign(nx * ny, 0);
    for (auto s : ok) {
      const double fx = (gm.panel.px(g.estimate[s]) - gm.panel.box.x) / gm.panel.box.width;
      const double fy = (gm.panel.box.bottom() - gm.panel.py(g.I2[s])) / gm.panel.box.height;
      const auto ix =
          std::min(nx - 1, static_cast<std::size_t>(std::max(0.0, fx * static_cast<double>(nx))));
      const auto iy =
          std::min(ny - 1, static_cast<std::size_t>(std::max(0.0, fy * static_cast<double>(ny))));
      ++count[iy * nx + ix];
      if (includes(s)) ++with[iy * nx + ix];
    }
  };
  std::vector<std::size_t> count, with;
  std::size_t nx = 0, ny = 0;
  if (binned) {
    bin(place(pw, ph), count, with, nx, ny);
    for (auto v : count) max_count = std::max(max_count, v);
    std::vector<std::size_t> scale;
    for (std::size_t v = 1; v <= max_count && scale.size() < 6; v *= 10) scale.push_back(v);
    if (max_count > scale.back()) scale.push_back(max_count);
    for (auto v : scale) {
      legend.push_back({legend_entry::swatch::cell, colours::black,
                        detail::format_count(static_cast<long>(v)), v});
    }
  }
  for (const auto& e : legend) {
    const double indent = e.kind == legend_entry::swatch::heading ? 0 : fs * 1.8;
    legend_w = std::max(legend_w, indent + c.width(e.label, c.small()));
  }

  geometry gm = place(pw, ph);
  if (auto msg =
          detail::fit_to_size("GOSH plot", o.width, o.height, fs * 10, fs * 10, pw, ph, gm, place);
      !msg.empty())
    return fail(errc::plot_too_small, msg);
  if (o.width > 0) gm.total_w = o.width;
  if (o.height > 0) gm.total_h = o.height;
  if (binned) {
    bin(gm, count, with, nx, ny);
    max_count = 0;
    for (auto v : count) max_count = std::max(max_count, v);
  }

  drawing d(gm.total_w, gm.total_h, o.title.empty() ? "GOSH plot" : o.title);
  d.set_font_family(o.font_family);
  if (!o.title.empty()) {
    c.text(d, {margin, margin + c.extents(o.title, c.title_style()).ascent}, o.title,
           c.title_style());
  }
  const auto& p = gm.panel;
  // Shade of a cell holding `v` subsets: opacity on a log scale, so single subsets stay visible.
  auto cell_alpha = [&](std::size_t v) {
    const double top = std::log1p(static_cast<double>(std::max<std::size_t>(max_count, 1)));
    return 0.12 + 0.88 * std::log1p(static_cast<double>(v)) / top;
  };
  auto over_white = [](color col, double alpha) {
    auto ch = [&](std::uint8_t v) {
      return static_cast<std::uint8_t>(std::lround(255 - (255 - v) * alpha));
    };
    return color{ch(col.r), ch(col.g), ch(col.b)};
  };
  auto mix = [&](double share) {
    auto ch = [&](std::uint8_t a, std::uint8_t b) {
      return static_cast<std::uint8_t>(std::lround(a + (b - a) * share));
    };
    return color{ch(blue.r, red.r), ch(blue.g, red.g), ch(blue.b, red.b)};
  };

  d.begin_group("subsets");
  if (binned) {
    const double cw = p.box.width / static_cast<double>(nx);
    const double ch = p.box.height / static_cast<double>(ny);
    for (std::size_t iy = 0; iy < ny; ++iy) {
      for (std::size_t ix = 0; ix < nx; ++ix) {
        const std::size_t v = count[iy * nx + ix];
        if (v == 0) continue;
        color fill = o.highlight
                         ? mix(static_cast<double>(with[iy * nx + ix]) / static_cast<double>(v))
                         : colours::black;
        // Opaque (the shade over white) and a hair larger than the cell, so that neighbouring
        // cells meet without the hairline seams that anti-aliased translucent edges leave.
        const rect cell{p.box.x + static_cast<double>(ix) * cw,
                        p.box.bottom() - static_cast<double>(iy + 1) * ch, cw, ch};
        d.rectangle({cell.x - 0.15, cell.y - 0.15, cell.width + 0.3, cell.height + 0.3},
                    {.fill = over_white(fill, cell_alpha(v))});
      }
    }
  } else {
    const double alpha = std::pow(static_cast<double>(ok.size()), -0.2);
    const double radius =
        std::clamp(3 - 0.5 * std::log10(static_cast<double>(ok.size())), 0.8, 2.2);
    color black = colours::black, r_col = red, b_col = blue;
    black.alpha = r_col.alpha = b_col.alpha = alpha;
    for (auto s : ok) {
      const color col = o.highlight ? (includes(s) ? r_col : b_col) : black;
      d.circle(p.at(g.estimate[s], g.I2[s]), radius, {.fill = col});
    }
  }
  d.end_group();

  if (o.histograms) {
    d.begin_group("histograms");
    // Densities per group over the panel's axis ranges, so both margins line up with the panel.
    struct group {
      std::vector<double> hx, hy;
      std::size_t n = 0;
      color fill;
    };
    std::vector<group> groups;
    if (o.highlight) {
      color b = blue, r = red;
      b.alpha = r.alpha = 0.5;
      groups = {{{}, {}, 0, b}, {{}, {}, 0, r}};
    } else {
      color k = colours::black;
      k.alpha = 0.5;
      groups = {{{}, {}, 0, k}};
    }
    for (auto& gr : groups) {
      gr.hx.assign(k_hist_bins, 0);
      gr.hy.assign(k_hist_bins, 0);
    }
    const double xs = p.x.hi - p.x.lo;
    const double ys = p.y.hi - p.y.lo;
    for (auto s : ok) {
      auto& gr = groups[o.highlight && includes(s) ? 1 : 0];
      const auto bx = std::min<std::size_t>(
          k_hist_bins - 1,
          static_cast<std::size_t>(std::max(0.0, (g.estimate[s] - p.x.lo) / xs * k_hist_bins)));
      const auto by = std::min<std::size_t>(
          k_hist_bins - 1,
          static_cast<std::size_t>(std::max(0.0, (g.I2[s] - p.y.lo) / ys * k_hist_bins)));
      ++gr.hx[bx];
      ++gr.hy[by];
      ++gr.n;
    }
    double top_x = 0, top_y = 0;
    for (auto& gr : groups) {
      if (gr.n == 0) continue;
      for (auto& v : gr.hx) v /= static_cast<double>(gr.n);
      for (auto& v : gr.hy) v /= static_cast<double>(gr.n);
      top_x = std::max(top_x, *std::max_element(gr.hx.begin(), gr.hx.end()));
      top_y = std::max(top_y, *std::max_element(gr.hy.begin(), gr.hy.end()));
    }
    const shape_style border{.stroke = stroke_style{.colour = colours::white, .width = 0.5}};
    for (const auto& gr : groups) {
      if (gr.n == 0) continue;
      for (int b = 0; b < k_hist_bins; ++b) {
        if (gr.hx[b] > 0 && top_x > 0) {
          const double x0 = p.box.x + p.box.width * b / k_hist_bins;
          const double h = gm.top_hist.height * gr.hx[b] / top_x;
          d.rectangle({x0, gm.top_hist.bottom() - h, p.box.width / k_hist_bins, h},
                      {.fill = gr.fill, .stroke = border.stroke});
        }
        if (gr.hy[b] > 0 && top_y > 0) {
          const double y1 = p.box.bottom() - p.box.height * b / k_hist_bins;
          const double w = gm.right_hist.width * gr.hy[b] / top_y;
          d.rectangle(
              {gm.right_hist.x, y1 - p.box.height / k_hist_bins, w, p.box.height / k_hist_bins},
              {.fill = gr.fill, .stroke = border.stroke});
        }
      }
    }
    const stroke_style base{.colour = colours::black, .width = 0.75};
    d.line({gm.top_hist.x, gm.top_hist.bottom()}, {gm.top_hist.right(), gm.top_hist.bottom()},
           base);
    d.line({gm.right_hist.x, gm.right_hist.y}, {gm.right_hist.x, gm.right_hist.bottom()}, base);
    d.add_box(gm.top_hist, box_kind::mark, "histogram");
    d.add_box(gm.right_hist, box_kind::mark, "histogram");
    d.end_group();
  }

  d.begin_group("axes");
  c.draw_panel_axes(d, p, parts);
  d.end_group();

  if (!legend.empty()) {
    d.begin_group("legend");
    const auto e = c.extents("Ag", c.small());
    for (std::size_t k = 0; k < legend.size(); ++k) {
      const auto& en = legend[k];
      const double yc = p.box.y + (static_cast<double>(k) + 0.5) * fs * 1.5;
      const double base = yc + (e.ascent - e.descent) / 2;
      const double x0 = gm.legend_x;
      if (en.kind == legend_entry::swatch::heading) {
        c.text(d, {x0, base}, en.label, c.small());
        continue;
      }
      const rect key{x0 + fs * 0.2, yc - fs * 0.45, fs * 0.9, fs * 0.9};
      if (en.kind == legend_entry::swatch::point) {
        d.circle({key.x + key.width / 2, yc}, fs * 0.3, {.fill = en.fill});
      } else {
        // The count scale: the shade of a cell holding this many subsets.
        d.rectangle(key, {.fill = over_white(colours::black, cell_alpha(en.count))});
      }
      d.add_box(key, box_kind::mark, "legend key");
      c.text(d, {x0 + fs * 1.8, base}, en.label, c.small());
    }
    d.end_group();
  }
  return d;
}

}  // namespace srma::plot
