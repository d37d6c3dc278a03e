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
#include <numeric>

#include "chart.hpp"
#include "srma/model/tau2.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/report/gosh_report.hpp"
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

namespace {

// What draw() needs, from a gosh_result, a summary's points or a summary's histogram.
struct source {
  std::size_t k = 0;
  std::uint64_t total = 0;  // subsets fitted (for the binning threshold and the caption)
  bool exact = true;
  model_kind model = model_kind::random;
  tau2_method method = tau2_method::reml;
  // Points (finite fits only).
  std::vector<double> x, y;
  std::vector<char> with;    // contains the highlighted study
  std::vector<int> cluster;  // with diagnostics
  // Or the histogram.
  const gosh_histogram* hist = nullptr;
  double x_lo = 0, x_hi = 0;  // range of the finite estimates
  const gosh_clustering* clusters = nullptr;
};

// Colours of clusters 0, 1, ... (Tableau 10, red and blue last), and of DBSCAN's noise.
color cluster_colour(int c) {
  static constexpr color k_colours[] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},
                                        {148, 103, 189}, {140, 86, 75},  {227, 119, 194},
                                        {188, 189, 34},  {23, 190, 207}, {214, 39, 40}};
  if (c < 0) return {150, 150, 150};
  return k_colours[static_cast<std::size_t>(c) % std::size(k_colours)];
}

std::string caption_of(const source& g, const gosh_plot_options& o, bool binned) {
  const std::uint64_t n = g.total;
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
  if (g.clusters) {
    s += fmt::format(" Subsets are coloured by their {} cluster{}.",
                     cluster_method_title(g.clusters->method),
                     g.clusters->method == gosh_cluster_method::dbscan ? " (grey: noise)" : "");
  } else if (o.highlight) {
    s += fmt::format(" Subsets that include {} are red, the others blue.", highlight_name(o));
  }
  if (binned) {
    if (g.hist) {
      s += " The subsets are binned: each cell is shaded by the number of subsets in it (log "
           "scale)";
    } else {
      s += fmt::format(
          " With more than {} subsets the points are binned: each cell of about {:g} \u00d7 {:g} "
          "pt is shaded by the number of subsets in it (log scale)",
          detail::format_count(static_cast<long>(o.bin_above)), k_cell, k_cell);
    }
    if (g.clusters) {
      s += ", coloured by the cluster of its centre";
    } else if (o.highlight) {
      s += ", coloured from blue to red by the share that include the study";
    }
    s += ".";
  }
  return s;
}

struct cell {
  rect box;
  std::uint64_t count = 0, with = 0;
  int cluster = -1;
};

expected<drawing> draw(const source& g, const gosh_plot_options& o) {
  const bool binned = g.hist != nullptr || g.total > o.bin_above;
  const bool log = is_ratio(o.measure);
  const double x_lo = g.x_lo, x_hi = g.x_hi;
  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const double fs = o.font_size;
  const double margin = fs;
  const double hist_depth = o.histograms ? 60 : 0;
  const double hist_gap = o.histograms ? fs * 0.5 : 0;
  const std::string x_title = o.x_title.value_or(detail::effect_axis_title(o.measure));
  const detail::axes_parts parts{.grid = false, .x_title = x_title, .y_title = o.y_title};
  const std::string name = highlight_name(o);
  const bool by_cluster = g.clusters != nullptr;
  const bool highlight = !by_cluster && o.highlight.has_value();

  color red = detail::palette::red, blue = detail::palette::blue;
  std::vector<legend_entry> legend;
  if (by_cluster) {
    legend.push_back({legend_entry::swatch::heading, {}, cluster_method_title(g.clusters->method)});
    for (std::size_t j = 0; j < g.clusters->clusters.size(); ++j) {
      legend.push_back({legend_entry::swatch::point, cluster_colour(static_cast<int>(j)),
                        fmt::format("Cluster {}", j + 1)});
    }
    if (g.clusters->noise > 0) {
      legend.push_back({legend_entry::swatch::point, cluster_colour(-1), "Noise"});
    }
  } else if (highlight) {
    legend.push_back({legend_entry::swatch::point, red, "With " + name});
    legend.push_back({legend_entry::swatch::point, blue, "Without " + name});
  }
  std::uint64_t max_count = 0;
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
  // The cells: points binned on a grid of about 3 pt, or groups of histogram bins about 3 pt
  // wide and high (so no bin is split). Binning needs the panel size, the legend needs the
  // counts, and the layout needs the legend: bin once at the default size to size the legend,
  // then lay out and bin again.
  auto make_cells = [&](const geometry& gm) {
    std::vector<cell> cells;
    const auto& p = gm.panel;
    if (g.hist) {
      const auto& h = *g.hist;
      const double bw = std::abs(p.px(h.x_lo + h.x_width()) - p.px(h.x_lo));
      const double bh = std::abs(p.py(h.y_lo) - p.py(h.y_lo + h.y_width()));
      const std::size_t gx = std::max<std::size_t>(1, static_cast<std::size_t>(k_cell / bw));
      const std::size_t gy = std::max<std::size_t>(1, static_cast<std::size_t>(k_cell / bh));
      for (std::size_t y0 = 0; y0 < h.ny; y0 += gy) {
        for (std::size_t x0 = 0; x0 < h.nx; x0 += gx) {
          cell cl;
          const std::size_t x1 = std::min(h.nx, x0 + gx), y1 = std::min(h.ny, y0 + gy);
          for (std::size_t yy = y0; yy < y1; ++yy) {
            for (std::size_t xx = x0; xx < x1; ++xx) {
              cl.count += h.count[yy * h.nx + xx];
              if (!h.with.empty()) cl.with += h.with[yy * h.nx + xx];
            }
          }
          if (cl.count == 0) continue;
          const double ex0 = h.x_lo + static_cast<double>(x0) * h.x_width();
          const double ex1 = h.x_lo + static_cast<double>(x1) * h.x_width();
          const double iy0 = h.y_lo + static_cast<double>(y0) * h.y_width();
          const double iy1 = h.y_lo + static_cast<double>(y1) * h.y_width();
          cl.box = {p.px(ex0), p.py(iy1), p.px(ex1) - p.px(ex0), p.py(iy0) - p.py(iy1)};
          if (by_cluster) cl.cluster = g.clusters->assign((ex0 + ex1) / 2, (iy0 + iy1) / 2);
          cells.push_back(cl);
        }
      }
      return cells;
    }
    const auto nx =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(p.box.width / k_cell)));
    const auto ny =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(p.box.height / k_cell)));
    std::vector<std::uint64_t> count(nx * ny, 0), with(nx * ny, 0);
    const std::size_t groups = by_cluster ? g.clusters->clusters.size() + 1 : 0;
    std::vector<std::uint32_t> votes(nx * ny * groups, 0);
    for (std::size_t s = 0; s < g.x.size(); ++s) {
      const double fx = (p.px(g.x[s]) - p.box.x) / p.box.width;
      const double fy = (p.box.bottom() - p.py(g.y[s])) / p.box.height;
      const auto ix =
          std::min(nx - 1, static_cast<std::size_t>(std::max(0.0, fx * static_cast<double>(nx))));
      const auto iy =
          std::min(ny - 1, static_cast<std::size_t>(std::max(0.0, fy * static_cast<double>(ny))));
      ++count[iy * nx + ix];
      if (highlight && g.with[s]) ++with[iy * nx + ix];
      if (by_cluster) ++votes[(iy * nx + ix) * groups + static_cast<std::size_t>(g.cluster[s] + 1)];
    }
    const double cw = p.box.width / static_cast<double>(nx);
    const double ch = p.box.height / static_cast<double>(ny);
    for (std::size_t iy = 0; iy < ny; ++iy) {
      for (std::size_t ix = 0; ix < nx; ++ix) {
        const std::size_t at = iy * nx + ix;
        if (count[at] == 0) continue;
        cell cl;
        cl.count = count[at];
        cl.with = with[at];
        cl.box = {p.box.x + static_cast<double>(ix) * cw,
                  p.box.bottom() - static_cast<double>(iy + 1) * ch, cw, ch};
        if (by_cluster) {  // the cluster most of the cell's subsets belong to
          const auto* v = &votes[at * groups];
          cl.cluster = static_cast<int>(std::max_element(v, v + groups) - v) - 1;
        }
        cells.push_back(cl);
      }
    }
    return cells;
  };
  std::vector<cell> cells;
  if (binned) {
    cells = make_cells(place(pw, ph));
    for (const auto& cl : cells) max_count = std::max(max_count, cl.count);
    std::vector<std::uint64_t> scale;
    for (std::uint64_t v = 1; v <= max_count && scale.size() < 6; v *= 10) scale.push_back(v);
    if (scale.empty()) scale.push_back(1);
    if (max_count > scale.back()) scale.push_back(max_count);
    for (auto v : scale) {
      legend.push_back({legend_entry::swatch::cell, colours::black,
                        detail::format_count(static_cast<long>(v)), static_cast<std::size_t>(v)});
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
    cells = make_cells(gm);
    max_count = 0;
    for (const auto& cl : cells) max_count = std::max(max_count, cl.count);
  }

  drawing d(gm.total_w, gm.total_h, o.title.empty() ? "GOSH plot" : o.title);
  d.set_font_family(o.font_family);
  if (!o.title.empty()) {
    c.text(d, {margin, margin + c.extents(o.title, c.title_style()).ascent}, o.title,
           c.title_style());
  }
  const auto& p = gm.panel;
  // Shade of a cell holding `v` subsets: opacity on a log scale, so single subsets stay visible.
  auto cell_alpha = [&](std::uint64_t v) {
    const double top = std::log1p(static_cast<double>(std::max<std::uint64_t>(max_count, 1)));
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
    for (const auto& cl : cells) {
      color fill = by_cluster  ? cluster_colour(cl.cluster)
                   : highlight ? mix(static_cast<double>(cl.with) / static_cast<double>(cl.count))
                               : colours::black;
      // Opaque (the shade over white) and a hair larger than the cell, so that neighbouring
      // cells meet without the hairline seams that anti-aliased translucent edges leave.
      d.rectangle({cl.box.x - 0.15, cl.box.y - 0.15, cl.box.width + 0.3, cl.box.height + 0.3},
                  {.fill = over_white(fill, cell_alpha(cl.count))});
    }
  } else {
    const double alpha = std::pow(static_cast<double>(g.x.size()), -0.2);
    const double radius =
        std::clamp(3 - 0.5 * std::log10(static_cast<double>(g.x.size())), 0.8, 2.2);
    color black = colours::black, r_col = red, b_col = blue;
    black.alpha = r_col.alpha = b_col.alpha = alpha;
    for (std::size_t s = 0; s < g.x.size(); ++s) {
      color col = black;
      if (by_cluster) {
        col = cluster_colour(g.cluster[s]);
        col.alpha = alpha;
      } else if (highlight) {
        col = g.with[s] ? r_col : b_col;
      }
      d.circle(p.at(g.x[s], g.y[s]), radius, {.fill = col});
    }
  }
  d.end_group();

  if (o.histograms) {
    d.begin_group("histograms");
    // Densities per group over the panel's axis ranges, so both margins line up with the panel.
    // From a histogram, each bar is a whole number of its bins (about 30 bars per margin).
    struct group {
      std::vector<double> hx, hy;
      double n = 0;
      color fill;
    };
    std::vector<group> groups;
    if (highlight) {
      color b = blue, r = red;
      b.alpha = r.alpha = 0.5;
      groups = {{{}, {}, 0, b}, {{}, {}, 0, r}};
    } else {
      color k = colours::black;
      k.alpha = 0.5;
      groups = {{{}, {}, 0, k}};
    }
    // Bar edges (analysis scale) of each margin.
    std::vector<double> ex, ey;
    if (g.hist) {
      const auto& h = *g.hist;
      const std::size_t gx = std::max<std::size_t>(
          1, static_cast<std::size_t>(std::ceil(static_cast<double>(h.nx) * (p.x.hi - p.x.lo) /
                                                (h.x_hi - h.x_lo) / k_hist_bins)));
      const std::size_t gy = std::max<std::size_t>(1, (h.ny + k_hist_bins - 1) / k_hist_bins);
      for (std::size_t b = 0; b <= h.nx; b += gx)
        ex.push_back(h.x_lo + static_cast<double>(b) * h.x_width());
      if (ex.back() < h.x_hi) ex.push_back(h.x_hi);
      for (std::size_t b = 0; b <= h.ny; b += gy)
        ey.push_back(h.y_lo + static_cast<double>(b) * h.y_width());
      if (ey.back() < h.y_hi) ey.push_back(h.y_hi);
      for (auto& gr : groups) {
        gr.hx.assign(ex.size() - 1, 0);
        gr.hy.assign(ey.size() - 1, 0);
      }
      for (std::size_t yy = 0; yy < h.ny; ++yy) {
        for (std::size_t xx = 0; xx < h.nx; ++xx) {
          const auto all = static_cast<double>(h.count[yy * h.nx + xx]);
          if (all == 0) continue;
          const double w = highlight ? static_cast<double>(h.with[yy * h.nx + xx]) : 0;
          auto add = [&](group& gr, double v) {
            gr.hx[xx / gx] += v;
            gr.hy[yy / gy] += v;
            gr.n += v;
          };
          if (highlight) {
            add(groups[1], w);
            add(groups[0], all - w);
          } else {
            add(groups[0], all);
          }
        }
      }
    } else {
      for (int b = 0; b <= k_hist_bins; ++b) {
        ex.push_back(p.x.lo + (p.x.hi - p.x.lo) * b / k_hist_bins);
        ey.push_back(p.y.lo + (p.y.hi - p.y.lo) * b / k_hist_bins);
      }
      for (auto& gr : groups) {
        gr.hx.assign(k_hist_bins, 0);
        gr.hy.assign(k_hist_bins, 0);
      }
      const double xs = p.x.hi - p.x.lo;
      const double ys = p.y.hi - p.y.lo;
      for (std::size_t s = 0; s < g.x.size(); ++s) {
        auto& gr = groups[highlight && g.with[s] ? 1 : 0];
        const auto bx = std::min<std::size_t>(
            k_hist_bins - 1,
            static_cast<std::size_t>(std::max(0.0, (g.x[s] - p.x.lo) / xs * k_hist_bins)));
        const auto by = std::min<std::size_t>(
            k_hist_bins - 1,
            static_cast<std::size_t>(std::max(0.0, (g.y[s] - p.y.lo) / ys * k_hist_bins)));
        ++gr.hx[bx];
        ++gr.hy[by];
        ++gr.n;
      }
    }
    double top_x = 0, top_y = 0;
    for (auto& gr : groups) {
      if (gr.n == 0) continue;
      // Densities: the share per unit of the axis, so that bars of unequal width compare.
      for (std::size_t b = 0; b < gr.hx.size(); ++b) gr.hx[b] /= gr.n * (ex[b + 1] - ex[b]);
      for (std::size_t b = 0; b < gr.hy.size(); ++b) gr.hy[b] /= gr.n * (ey[b + 1] - ey[b]);
      top_x = std::max(top_x, *std::max_element(gr.hx.begin(), gr.hx.end()));
      top_y = std::max(top_y, *std::max_element(gr.hy.begin(), gr.hy.end()));
    }
    const shape_style border{.stroke = stroke_style{.colour = colours::white, .width = 0.5}};
    for (const auto& gr : groups) {
      if (gr.n == 0) continue;
      for (std::size_t b = 0; b < gr.hx.size(); ++b) {
        if (gr.hx[b] > 0 && top_x > 0) {
          const double x0 = p.px(ex[b]), x1 = p.px(ex[b + 1]);
          const double h = gm.top_hist.height * gr.hx[b] / top_x;
          d.rectangle({x0, gm.top_hist.bottom() - h, x1 - x0, h},
                      {.fill = gr.fill, .stroke = border.stroke});
        }
      }
      for (std::size_t b = 0; b < gr.hy.size(); ++b) {
        if (gr.hy[b] > 0 && top_y > 0) {
          const double y0 = p.py(ey[b]), y1 = p.py(ey[b + 1]);
          const double w = gm.right_hist.width * gr.hy[b] / top_y;
          d.rectangle({gm.right_hist.x, y1, w, y0 - y1},
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

source from_result(const gosh_result& g, const gosh_plot_options& o) {
  source src;
  src.k = g.k;
  src.total = g.subsets();
  src.exact = g.exact;
  src.model = g.model;
  src.method = g.method;
  src.x_lo = std::numeric_limits<double>::infinity();
  src.x_hi = -src.x_lo;
  for (std::size_t s = 0; s < g.subsets(); ++s) {
    if (std::isfinite(g.estimate[s]) && std::isfinite(g.I2[s])) {
      src.x.push_back(g.estimate[s]);
      src.y.push_back(g.I2[s]);
      src.with.push_back(o.highlight && g.contains(s, *o.highlight) ? 1 : 0);
      src.x_lo = std::min(src.x_lo, g.estimate[s]);
      src.x_hi = std::max(src.x_hi, g.estimate[s]);
    }
  }
  return src;
}

source from_summary(const gosh_summary& s, const gosh_plot_options& o, const gosh_diagnostics* d) {
  source src;
  src.k = s.k;
  src.total = s.fitted();
  src.exact = s.exact && !s.interrupted;
  src.model = s.model;
  src.method = s.method;
  src.x_lo = s.estimate_min;
  src.x_hi = s.estimate_max;
  if (d) src.clusters = &d->by(o.clusters);
  if (s.sample.complete && s.fitted() <= o.bin_above) {
    // Drawn in metafor's order (by subset size, then by subset), as draw_gosh(gosh_result).
    const auto& p = s.sample;
    std::vector<std::size_t> order(p.points());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (p.size[a] != p.size[b]) return p.size[a] < p.size[b];
      return std::lexicographical_compare(
          p.masks.rbegin() + static_cast<std::ptrdiff_t>((p.points() - 1 - a) * p.words),
          p.masks.rbegin() + static_cast<std::ptrdiff_t>((p.points() - a) * p.words),
          p.masks.rbegin() + static_cast<std::ptrdiff_t>((p.points() - 1 - b) * p.words),
          p.masks.rbegin() + static_cast<std::ptrdiff_t>((p.points() - b) * p.words));
    });
    for (auto i : order) {
      src.x.push_back(p.estimate[i]);
      src.y.push_back(p.I2[i]);
      src.with.push_back(o.highlight && p.contains(i, *o.highlight) ? 1 : 0);
      if (src.clusters) src.cluster.push_back(src.clusters->label[i]);
    }
  } else {
    src.hist = &s.histogram;
  }
  return src;
}

}  // namespace

std::string gosh_caption(const gosh_result& g, const gosh_plot_options& o) {
  source src;
  src.k = g.k;
  src.total = g.subsets();
  src.exact = g.exact;
  src.model = g.model;
  src.method = g.method;
  return caption_of(src, o, src.total > o.bin_above);
}

std::string gosh_caption(const gosh_summary& s, const gosh_plot_options& o,
                         const gosh_diagnostics* d) {
  const source src = from_summary(s, o, d);
  return caption_of(src, o, src.hist != nullptr || src.total > o.bin_above);
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
  const source src = from_result(g, o);
  if (src.x.empty()) {
    return fail(errc::plot_bad_data, "no subset with a finite estimate and I\u00b2 to draw");
  }
  return draw(src, o);
}

expected<drawing> draw_gosh(const gosh_summary& s, const gosh_plot_options& o,
                            const gosh_diagnostics* d) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (o.highlight && *o.highlight >= s.k) {
    return fail(errc::plot_bad_options,
                fmt::format("the highlighted study is number {}, but there are {} studies",
                            *o.highlight + 1, s.k));
  }
  if (o.highlight != s.highlight) {
    return fail(errc::plot_bad_options,
                "the highlighted study differs from the one the GOSH subsets were streamed with");
  }
  if (s.fitted() == 0 || !std::isfinite(s.estimate_min)) {
    return fail(errc::plot_bad_data, "no subset with a finite estimate and I\u00b2 to draw");
  }
  if (d && d->points != s.sample.points()) {
    return fail(errc::plot_bad_data,
                fmt::format("the diagnostics cover {} points, but the GOSH sample holds {}",
                            d->points, s.sample.points()));
  }
  return draw(from_summary(s, o, d), o);
}

}  // namespace srma::plot
