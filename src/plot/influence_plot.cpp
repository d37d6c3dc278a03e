// Influence panel plot layout and drawing.
//
// Layout: a grid of equal cells (two columns by default), each a bold panel title, the panel with
// its y tick labels on the left, and the study numbers under it (thinned to every 2nd, 5th, 10th
// ... study when they would touch). The widest y tick labels of a column set the left margin of
// every cell in it, so the panels line up. Under the grid: the legend of the red points (the
// influential studies, named) and the key of study numbers, wrapped to the width of the grid.
#include "srma/plot/influence_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "chart.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string influence_plot_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (columns < 1 || columns > 8) {
    return fmt::format("columns is {}, but must be between 1 and 8", columns);
  }
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  return "";
}

namespace {

using detail::axis_scale;
using detail::xy_panel;

const std::vector<double> k_dashed = {4, 2.5};
const std::vector<double> k_dotted = {1, 2};

struct reference_line {
  double value = 0;  // analysis scale of the panel (log for cov.r)
  bool dotted = false;
};

struct diagnostic_panel {
  std::string id;
  std::string title;
  std::vector<double> values;  // NaN: left out
  std::vector<reference_line> refs;
  bool log = false;
  bool from_zero = false;
};

std::vector<diagnostic_panel> make_panels(const influence_result& r) {
  const std::size_t k = r.studies.size();
  const double kd = static_cast<double>(k);
  const double p = 1;  // coefficients of the intercept-only model
  const bool random = r.model == model_kind::random;
  auto column = [&](auto member) {
    std::vector<double> v;
    v.reserve(k);
    for (const auto& s : r.studies) v.push_back(member(s));
    return v;
  };
  std::vector<diagnostic_panel> out;
  const double z = detail::qnorm_upper(0.025);
  out.push_back({"rstudent",
                 "Studentised residual",
                 column([](const study_influence& s) { return s.rstudent; }),
                 {{0, false}, {-z, true}, {z, true}, {-2, true}, {2, true}}});
  // The +/-2 entries only widen the axis as metafor's does; they are not drawn (see below).
  const double dffits_cut = kd > p ? 3 * std::sqrt(p / (kd - p)) : 0;
  out.push_back({"dffits",
                 "DFFITS",
                 column([](const study_influence& s) { return s.dffits; }),
                 {{0, false}, {-dffits_cut, true}, {dffits_cut, true}}});
  out.push_back({"cook_d",
                 "Cook\u2019s distance",
                 column([](const study_influence& s) { return s.cook_d; }),
                 {{detail::qchisq_upper(0.5, p), true}},
                 false,
                 true});
  out.push_back({"cov_r",
                 "Covariance ratio",
                 column([](const study_influence& s) {
                   return s.cov_r > 0 ? std::log(s.cov_r)
                                      : std::numeric_limits<double>::quiet_NaN();
                 }),
                 {{0, false}},
                 true});
  if (random) {
    out.push_back({"tau2_del",
                   "\u03c4\u00b2 without the study",
                   column([](const study_influence& s) { return s.tau2_del; }),
                   {{r.full.heterogeneity.tau2, false}}});
  }
  out.push_back({"QE_del",
                 "Q without the study",
                 column([](const study_influence& s) { return s.QE_del; }),
                 {{r.full.heterogeneity.Q, false}}});
  out.push_back({"hat",
                 "Hat value",
                 column([](const study_influence& s) { return s.hat; }),
                 {{p / kd, false}, {3 * p / kd, true}},
                 false,
                 true});
  out.push_back({"weight",
                 "Weight (%)",
                 column([](const study_influence& s) { return s.weight; }),
                 {{100 / kd, false}},
                 false,
                 true});
  return out;
}

// Positions 1..k across the panel, one slot per study.
axis_scale study_axis(std::size_t k, const detail::chart& c, double length) {
  axis_scale a;
  a.lo = 0.5;
  a.hi = static_cast<double>(k) + 0.5;
  a.x0 = 0;
  a.x1 = length;
  const double slot = length / static_cast<double>(k);
  const double need = c.width(std::to_string(k), c.small()) + c.font_size() * 0.35;
  std::size_t step = 1;
  for (std::size_t s : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}) {
    step = s;
    if (static_cast<double>(s) * slot >= need) break;
  }
  for (std::size_t i = 1; i <= k; ++i) {
    a.ticks.push_back(static_cast<double>(i));
    const bool first = i == 1 && (step == 1 || static_cast<double>(step - 1) * slot >= need);
    a.labels.push_back(i % step == 0 || first ? std::to_string(i) : std::string());
  }
  return a;
}

struct cell_layout {
  xy_panel panel;
  double title_y = 0;
};

}  // namespace

expected<drawing> draw_influence(const influence_result& r, const influence_plot_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  const std::size_t k = r.studies.size();
  if (k == 0) return fail(errc::plot_bad_data, "no study to draw in the influence plot");
  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const double fs = o.font_size;
  const detail::figure_frame frame(c, o, "influence plot", "Influence diagnostics");
  const double margin = frame.margin();
  const double pt_r = fs * 0.28;
  const auto panels = make_panels(r);
  const std::size_t cols =
      std::min<std::size_t>(static_cast<std::size_t>(o.columns), panels.size());
  const std::size_t rows = (panels.size() + cols - 1) / cols;
  const double panel_title_h = c.line_height(c.bold()) + fs * 0.4;
  const auto small_e = c.extents("0", c.small());
  const detail::axes_parts parts{};

  // Text under the grid: the influential studies and the key of numbers.
  // No-break spaces inside an entry: lines break only between studies.
  auto unbreakable = [](const std::string& t) {
    std::string out;
    for (char ch : t) out += ch == ' ' ? std::string("\u00a0") : std::string(1, ch);
    return out;
  };
  std::vector<std::string> flagged;
  for (std::size_t i = 0; i < k; ++i) {
    if (r.studies[i].influential) {
      flagged.push_back(unbreakable(fmt::format("{} {}", i + 1, r.studies[i].study)));
    }
  }
  const std::string legend =
      flagged.empty()
          ? "No study is influential by metafor\u2019s criteria"
          : fmt::format("Influential by metafor\u2019s criteria: {}", fmt::join(flagged, "; "));
  std::string key_text;
  if (o.key) {
    std::vector<std::string> entries;
    for (std::size_t i = 0; i < k; ++i) {
      entries.push_back(unbreakable(fmt::format("{} {};", i + 1, r.studies[i].study)));
    }
    entries.back().pop_back();
    key_text = "Studies: " + fmt::format("{}", fmt::join(entries, " "));
  }

  struct geometry {
    std::vector<cell_layout> cells;
    std::vector<std::string> legend_lines, key_lines;
    double text_top = 0;
    double total_w = 0, total_h = 0;
  };
  auto place = [&](double pw, double ph) {
    geometry g;
    g.cells.resize(panels.size());
    std::vector<double> col_left(cols, 0);
    for (std::size_t i = 0; i < panels.size(); ++i) {
      const auto& pn = panels[i];
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (double v : pn.values) {
        if (std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
      }
      for (const auto& ref : pn.refs) {
        lo = std::min(lo, ref.value);
        hi = std::max(hi, ref.value);
      }
      if (pn.from_zero) lo = std::min(lo, 0.0);
      if (!std::isfinite(lo)) {
        lo = 0;
        hi = 1;
      }
      auto& cell = g.cells[i];
      // Quantities that cannot be negative get no axis below 0, also when every value is 0.
      const bool non_negative = pn.from_zero || pn.id == "tau2_del" || pn.id == "QE_del";
      detail::axis_limits limits;
      if (non_negative) limits.floor = 0;
      cell.panel.y = c.y_axis(pn.log, lo, hi, ph, limits, 6);
      detail::expand_axis(cell.panel.y);
      cell.panel.x = study_axis(k, c, pw);
      col_left[i % cols] = std::max(col_left[i % cols], c.axes_margins(cell.panel, parts).left);
    }
    const double bottom_margin = c.axes_margins(g.cells[0].panel, parts).bottom;
    const double gap_x = fs * 2;
    const double gap_y = fs * 1.2;
    double x = margin;
    std::vector<double> col_x(cols);
    for (std::size_t cidx = 0; cidx < cols; ++cidx) {
      col_x[cidx] = x + col_left[cidx];
      x = col_x[cidx] + pw + gap_x;
    }
    const double grid_right = col_x[cols - 1] + pw;
    const double top = margin + frame.title_height();
    const double cell_h = panel_title_h + ph + bottom_margin;
    for (std::size_t i = 0; i < panels.size(); ++i) {
      auto& cell = g.cells[i];
      const std::size_t row = i / cols, col = i % cols;
      const double y = top + static_cast<double>(row) * (cell_h + gap_y);
      cell.title_y = y + c.extents("Ag", c.bold()).ascent;
      cell.panel.box = {col_x[col], y + panel_title_h, pw, ph};
      cell.panel.x.x0 = col_x[col];
      cell.panel.x.x1 = col_x[col] + pw;
      cell.panel.y.x0 = cell.panel.box.bottom();
      cell.panel.y.x1 = cell.panel.box.y;
    }
    const double grid_bottom =
        top + static_cast<double>(rows) * cell_h + static_cast<double>(rows - 1) * gap_y;
    const double text_w = std::max(grid_right - margin, fs * 20);
    const double swatch = fs * 1.2;
    g.legend_lines = detail::wrap_text(m, legend, c.small(), text_w - swatch);
    if (o.key) g.key_lines = detail::wrap_text(m, key_text, c.small(), text_w);
    g.text_top = grid_bottom + fs * 0.8;
    const double line = c.line_height(c.small()) + fs * 0.25;
    const double text_h = static_cast<double>(g.legend_lines.size() + g.key_lines.size()) * line +
                          (g.key_lines.empty() ? 0 : fs * 0.4);
    double right = grid_right;
    right = std::max(right, frame.title_right());
    for (const auto& l : g.legend_lines)
      right = std::max(right, margin + swatch + c.width(l, c.small()));
    for (const auto& l : g.key_lines) right = std::max(right, margin + c.width(l, c.small()));
    g.total_w = right + margin;
    g.total_h = g.text_top + text_h + margin;
    return g;
  };

  double pw = o.panel_width > 0 ? o.panel_width : std::max(200.0, 6.0 * static_cast<double>(k));
  double ph = o.panel_height > 0 ? o.panel_height : 100;
  geometry g = place(pw, ph);
  if (auto ok = frame.fit(fs * 8, fs * 8 * 0.6, pw, ph, g, place, static_cast<double>(cols),
                          static_cast<double>(rows));
      !ok) {
    return unexpected(ok.error());
  }
  drawing d = frame.open(g);
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const auto& pn = panels[i];
    const auto& cell = g.cells[i];
    const auto& p = cell.panel;
    d.begin_group("panel-" + pn.id);
    text_style t = c.bold();
    t.anchor = text_anchor::middle;
    c.text(d, {p.box.x + p.box.width / 2, cell.title_y}, pn.title, t);
    for (const auto& ref : pn.refs) {
      if (pn.id == "rstudent" && std::abs(std::abs(ref.value) - 2) < 1e-12) continue;
      const double y = p.py(ref.value);
      if (y < p.box.y - 1e-9 || y > p.box.bottom() + 1e-9) continue;
      d.line(
          {p.box.x, y}, {p.box.right(), y},
          {.colour = colours::dark_grey, .width = 0.75, .dash = ref.dotted ? k_dotted : k_dashed});
    }
    std::vector<point> run;
    auto flush = [&] {
      if (run.size() >= 2) d.polyline(run, {.colour = colours::black, .width = 0.75});
      run.clear();
    };
    for (std::size_t s = 0; s < k; ++s) {
      if (std::isfinite(pn.values[s])) {
        run.push_back(p.at(static_cast<double>(s + 1), pn.values[s]));
      } else {
        flush();
      }
    }
    flush();
    for (std::size_t s = 0; s < k; ++s) {
      if (!std::isfinite(pn.values[s])) continue;
      const point at = p.at(static_cast<double>(s + 1), pn.values[s]);
      if (r.studies[s].influential) {
        d.circle(at, pt_r * 1.15,
                 {.fill = detail::palette::red,
                  .stroke = stroke_style{.colour = colours::black, .width = 0.5}});
      } else {
        d.circle(at, pt_r, {.fill = colours::black});
      }
      d.add_box({at.x - pt_r, at.y - pt_r, 2 * pt_r, 2 * pt_r}, box_kind::mark,
                r.studies[s].influential ? "influential study" : "study");
    }
    c.draw_panel_axes(d, p, {});
    d.end_group();
  }

  d.begin_group("legend");
  const double line = c.line_height(c.small()) + fs * 0.25;
  const double swatch = fs * 1.2;
  double y = g.text_top + small_e.ascent;
  for (std::size_t i = 0; i < g.legend_lines.size(); ++i) {
    if (i == 0 && !flagged.empty()) {
      const point dot{margin + pt_r * 1.15, y - (small_e.ascent - small_e.descent) / 2};
      d.circle(dot, pt_r * 1.15,
               {.fill = detail::palette::red,
                .stroke = stroke_style{.colour = colours::black, .width = 0.5}});
      d.add_box({dot.x - pt_r, dot.y - pt_r, 2 * pt_r, 2 * pt_r}, box_kind::mark, "legend key");
    }
    c.text(d, {margin + (flagged.empty() ? 0 : swatch), y}, g.legend_lines[i], c.small());
    y += line;
  }
  y += fs * 0.4;
  for (const auto& l : g.key_lines) {
    c.text(d, {margin, y}, l, c.small());
    y += line;
  }
  d.end_group();
  return d;
}

}  // namespace srma::plot
