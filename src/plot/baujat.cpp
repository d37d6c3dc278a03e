// Baujat plot layout and drawing.
//
// Layout: a square-ish panel (300 x 240 pt by default) with both axes from 0 to a round number
// above the largest value, grid lines at the ticks, and the study labels placed by
// label_placer.hpp inside the panel. When a label finds no free place the panel grows by a tenth
// and the labels are placed again (up to three times); study names that still do not fit give way
// to numbers with a key (beside the panel, or under it when long; used if numbers label more
// points), and the points left
// without a label (in a dense cluster) are named in a note under the plot.
#include "srma/plot/baujat.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "chart.hpp"
#include "label_placer.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string baujat_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  return "";
}

std::vector<baujat_point> baujat_points(const influence_result& r) {
  std::vector<baujat_point> out;
  out.reserve(r.studies.size());
  for (const auto& s : r.studies) out.push_back({s.study, s.baujat_x, s.baujat_y});
  return out;
}

namespace {

using detail::axes_parts;
using detail::xy_panel;

struct baujat_geometry {
  xy_panel panel;
  std::vector<detail::label_placement> labels;
  bool all_placed = true;
  std::vector<std::string> note_lines;  // unlabelled points
  double note_y = 0;
  bool side_key = false;  // the key of numbers beside the panel, else under it
  double key_x = 0;
  std::vector<std::string> key_lines;
  double key_y = 0;
  double total_w = 0, total_h = 0;
};

}  // namespace

expected<drawing> draw_baujat(std::span<const baujat_point> points, const baujat_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (points.empty()) return fail(errc::plot_bad_data, "no study to draw in the Baujat plot");
  double max_x = 0, max_y = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    if (!(std::isfinite(p.x) && std::isfinite(p.y) && p.x >= 0 && p.y >= 0)) {
      return fail(errc::plot_bad_data,
                  fmt::format("Baujat point {} ('{}'): x = {:g} and y = {:g}; both must be "
                              "finite and >= 0",
                              i + 1, p.label, p.x, p.y));
    }
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
  }
  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const detail::figure_frame frame(c, o, "Baujat plot", "Baujat plot");
  const double fs = o.font_size;
  const double margin = frame.margin();
  const double r = fs * 0.3;
  const text_style label_style = c.small();

  const double hi_x = max_x > 0 ? max_x : 1;
  const double hi_y = max_y > 0 ? max_y : 1;
  const axes_parts parts{.grid = true, .x_title = o.x_title, .y_title = o.y_title};

  const double top = frame.panel_top();
  // The panel of a pw x ph plot, and the right and bottom edges of what it occupies.
  auto make_panel = [&](double pw, double ph, xy_panel& panel) {
    panel.x = c.x_axis(false, 0, hi_x, pw, {}, 10);
    panel.y = c.y_axis(false, 0, hi_y, ph);
    detail::expand_axis(panel.x);
    detail::expand_axis(panel.y);
    return c.place_panel(panel, parts, margin, top, pw, ph);
  };
  auto label_text = [&](std::size_t i, point_labels mode) {
    return mode == point_labels::names ? points[i].label : std::to_string(i + 1);
  };
  auto place = [&](double pw, double ph, point_labels mode) {
    baujat_geometry g;
    auto [right, bottom] = make_panel(pw, ph, g.panel);
    if (mode != point_labels::none) {
      std::vector<detail::label_target> targets;
      for (std::size_t i = 0; i < points.size(); ++i) {
        // The points far from the origin matter most: they drive heterogeneity or the result.
        targets.push_back({g.panel.at(points[i].x, points[i].y), r, label_text(i, mode),
                           points[i].x / hi_x + points[i].y / hi_y});
      }
      g.labels = detail::place_labels(targets, m, label_style, g.panel.box, {});
      g.all_placed =
          std::all_of(g.labels.begin(), g.labels.end(), [](const auto& l) { return l.placed; });
    }
    // The key of numbers: a column beside the panel when it is no taller than the plot, else a
    // paragraph under it.
    g.side_key = mode == point_labels::numbers &&
                 static_cast<double>(points.size()) * fs * 1.3 <= bottom - top;
    if (g.side_key) {
      g.key_x = right + fs * 1.5;
      double num_w = 0, name_w = 0;
      for (std::size_t i = 0; i < points.size(); ++i) {
        num_w = std::max(num_w, c.width(std::to_string(i + 1), label_style));
        name_w = std::max(name_w, c.width(points[i].label, label_style));
      }
      right = g.key_x + num_w + fs * 0.6 + name_w;
    }
    right = std::max(right, frame.title_right());
    const double text_w = std::max(right - margin, fs * 20);
    if (mode == point_labels::numbers && !g.side_key) {
      std::vector<std::string> entries;
      for (std::size_t i = 0; i < points.size(); ++i) {
        std::string e = fmt::format("{} {}", i + 1, points[i].label);
        for (std::size_t at = e.find(' '); at != std::string::npos; at = e.find(' ', at + 2)) {
          e.replace(at, 1, "\u00a0");  // no break inside an entry
        }
        entries.push_back(std::move(e));
      }
      g.key_lines = detail::wrap_text(m, fmt::format("Studies: {}", fmt::join(entries, "; ")),
                                      label_style, text_w);
      g.key_y = bottom + fs * 0.6;
      bottom = g.key_y + static_cast<double>(g.key_lines.size()) * fs * 1.3;
    }
    if (!g.all_placed) {
      // Points that found no room for a label are named under the plot.
      std::vector<std::string> missing;
      for (std::size_t i = 0; i < g.labels.size(); ++i) {
        if (!g.labels[i].placed) {
          missing.push_back(mode == point_labels::names ? points[i].label : std::to_string(i + 1));
        }
      }
      g.note_lines =
          detail::wrap_text(m, fmt::format("Not labelled (no room): {}", fmt::join(missing, ", ")),
                            label_style, text_w);
      g.note_y = bottom + fs * 0.6;
      bottom = g.note_y + static_cast<double>(g.note_lines.size()) * fs * 1.3;
    }
    g.total_w = right + margin;
    g.total_h = bottom + margin;
    return g;
  };

  const bool fixed_panel = o.panel_width > 0 || o.panel_height > 0 || o.width > 0 || o.height > 0;
  double pw = o.panel_width > 0 ? o.panel_width : 300;
  double ph = o.panel_height > 0 ? o.panel_height : 240;
  point_labels mode = o.labels;
  // Issue 15 item 4: with many studies the labels cannot all fit, and the panel grows three times
  // (names) and four times (numbers), each time placing every label again, only for the last
  // placement of each to be kept. A placement whose labels cannot all fit by their area alone
  // (label_capacity(), the same bound place_labels() applies) is not all placed, so when the
  // panel will grow after it, it is skipped: the figure is the same, with two placements
  // instead of up to nine.
  std::vector<double> areas[2];  // of the names and of the numbers, smallest first
  auto cannot_all_fit = [&](double w, double h, point_labels mode_now) {
    if (fixed_panel || mode_now == point_labels::none) return false;
    auto& a = areas[mode_now == point_labels::names ? 0 : 1];
    if (a.empty()) {
      std::vector<detail::label_target> texts;
      for (std::size_t i = 0; i < points.size(); ++i)
        texts.push_back({{}, r, label_text(i, mode_now)});
      a = detail::label_areas(texts, m, label_style);
    }
    xy_panel panel;
    (void)make_panel(w, h, panel);
    return detail::label_capacity(a, panel.box) < points.size();
  };
  // A placement that would be skipped: not all placed (what the loops below look at).
  baujat_geometry not_placed;
  not_placed.all_placed = false;
  baujat_geometry g = cannot_all_fit(pw, ph, mode) ? not_placed : place(pw, ph, mode);
  // Fit an explicit total size first; labels then have to live with the panel they get.
  auto fit_size = [&] {
    return frame.fit(fs * 10, fs * 10, pw, ph, g,
                     [&](double w, double h) { return place(w, h, mode); });
  };
  if (auto ok = fit_size(); !ok) return unexpected(ok.error());
  for (int grow = 0; !g.all_placed && !fixed_panel && grow < 3; ++grow) {
    pw *= 1.1;
    ph *= 1.1;
    g = grow < 2 && cannot_all_fit(pw, ph, mode) ? not_placed : place(pw, ph, mode);
  }
  if (!g.all_placed && mode == point_labels::names) {
    const auto named = g;
    mode = point_labels::numbers;
    pw = o.panel_width > 0 ? o.panel_width : 300;
    ph = o.panel_height > 0 ? o.panel_height : 240;
    g = cannot_all_fit(pw, ph, mode) ? not_placed : place(pw, ph, mode);
    if (auto ok = fit_size(); !ok) return unexpected(ok.error());
    for (int grow = 0; !g.all_placed && !fixed_panel && grow < 4; ++grow) {
      pw *= 1.1;
      ph *= 1.1;
      g = grow < 3 && cannot_all_fit(pw, ph, mode) ? not_placed : place(pw, ph, mode);
    }
    auto missing = [](const baujat_geometry& x) {
      return std::count_if(x.labels.begin(), x.labels.end(),
                           [](const auto& l) { return !l.placed; });
    };
    // Numbers only when they label more points than the names did.
    if (missing(g) >= missing(named)) {
      g = named;
      mode = point_labels::names;
    }
  }
  drawing d = frame.open(g);
  d.begin_group("grid");
  c.draw_grid(d, g.panel);
  d.end_group();

  d.begin_group("studies");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const point at = g.panel.at(points[i].x, points[i].y);
    d.circle(at, r, {.fill = colours::black});
    d.add_box({at.x - r, at.y - r, 2 * r, 2 * r}, box_kind::mark, "study");
  }
  d.end_group();

  d.begin_group("labels");
  for (std::size_t i = 0; i < g.labels.size(); ++i) {
    const auto& l = g.labels[i];
    if (!l.placed) continue;
    if (l.leader) {
      d.line(l.leader_from, l.leader_to, {.colour = colours::mid_grey, .width = 0.5});
    }
    c.text(d, l.baseline, mode == point_labels::names ? points[i].label : std::to_string(i + 1),
           label_style);
  }
  d.end_group();

  d.begin_group("axes");
  c.draw_panel_axes(d, g.panel, {.grid = false, .x_title = o.x_title, .y_title = o.y_title});
  d.end_group();

  if (!g.note_lines.empty()) {
    d.begin_group("note");
    const auto e = c.extents("Ag", label_style);
    for (std::size_t i = 0; i < g.note_lines.size(); ++i) {
      c.text(d, {margin, g.note_y + e.ascent + static_cast<double>(i) * fs * 1.3}, g.note_lines[i],
             label_style);
    }
    d.end_group();
  }
  if (!g.key_lines.empty()) {
    d.begin_group("key");
    const auto e = c.extents("Ag", label_style);
    for (std::size_t i = 0; i < g.key_lines.size(); ++i) {
      c.text(d, {margin, g.key_y + e.ascent + static_cast<double>(i) * fs * 1.3}, g.key_lines[i],
             label_style);
    }
    d.end_group();
  }
  if (g.side_key) {
    d.begin_group("key");
    double num_w = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      num_w = std::max(num_w, c.width(std::to_string(i + 1), label_style));
    }
    const auto e = c.extents("Ag", label_style);
    text_style num = label_style;
    num.anchor = text_anchor::end;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const double y = g.panel.box.y + e.ascent + static_cast<double>(i) * fs * 1.3;
      c.text(d, {g.key_x + num_w, y}, std::to_string(i + 1), num);
      c.text(d, {g.key_x + num_w + fs * 0.6, y}, points[i].label, label_style);
    }
    d.end_group();
  }
  return d;
}

}  // namespace srma::plot
