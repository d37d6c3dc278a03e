// Kaplan-Meier figure layout and drawing.
//
// Layout, top to bottom: the title; the legend and the statistics when the panel has no free place
// for them (tried: its corners, then every height along its right and its left edge); the panel,
// with axis lines on the left and at the bottom only (the classic KM style) and both scales widened
// by 3% so that the curves at S = 1, at S = 0 and at t = 0 stand clear of the axis lines; the time
// tick labels and title; the numbers at risk, one row per arm, each number centred under its time
// break. The left margin holds the wider of the survival tick labels with their title and the arm
// labels of the at-risk table, which end where the survival tick labels end. The time breaks are
// spaced for the wider of their labels and the at-risk numbers, so that the columns of the table
// never touch.
//
// Every curve segment, censoring tick, band step and digitised point is recorded as a mark, so
// that the tests prove that no text (legend and statistics inside the panel included) covers a
// curve.
#include "srma/plot/km_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "chart.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/report/format.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string km_plot_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (time_max && !(std::isfinite(*time_max) && *time_max > 0)) {
    return fmt::format("time axis maximum is {:g}, but must be a finite number > 0", *time_max);
  }
  if (time_step && !(std::isfinite(*time_step) && *time_step > 0)) {
    return fmt::format("time step is {:g}, but must be a finite number > 0", *time_step);
  }
  if (time_max && time_step && *time_step > *time_max) {
    return fmt::format("time step {:g} is larger than the time axis maximum {:g}", *time_step,
                       *time_max);
  }
  if (!(panel_width >= 0 && panel_height >= 0 && width >= 0 && height >= 0)) {
    return "sizes must not be negative";
  }
  return "";
}

km_plot_content km_plot_from(const km_analysis& analysis) {
  km_plot_content c;
  for (const auto& arm : analysis.arms) c.arms.push_back({arm.name, arm.curve, {}, {}});
  c.cox = analysis.cox;
  c.logrank = analysis.logrank;
  c.treatment = analysis.treatment;
  c.control = analysis.control;
  return c;
}

namespace {

using detail::axis_scale;
using detail::xy_panel;

// Okabe & Ito (2008), "Color universal design": blue, vermillion, bluish green, reddish purple,
// orange, sky blue, black; the darker ones first, so that two arms get the best contrast.
constexpr color arm_colours[] = {{0, 114, 178}, {213, 94, 0},   {0, 158, 115}, {204, 121, 167},
                                 {230, 159, 0}, {86, 180, 233}, {0, 0, 0}};
// Solid, dashed, dash-dot, dotted, long dash: the arms stay apart in black and white.
const std::vector<std::vector<double>> arm_dashes = {
    {}, {5, 2.5}, {7, 2, 1.5, 2}, {1.5, 1.8}, {10, 3}};

constexpr double curve_width = 1.25;
constexpr std::size_t max_breaks = 50;

color colour_of(std::size_t arm) { return arm_colours[arm % std::size(arm_colours)]; }
const std::vector<double>& dash_of(std::size_t arm) { return arm_dashes[arm % arm_dashes.size()]; }

std::string arm_name(const km_arm_curve& a, std::size_t index) {
  return a.name.empty() ? fmt::format("Arm {}", index + 1) : a.name;
}

bool in_unit(double v) { return std::isfinite(v) && v >= 0 && v <= 1; }

expected<void> check_arm(const km_arm_curve& a, std::size_t index, bool bands) {
  const std::string name = arm_name(a, index);
  const km_curve& c = a.curve;
  const std::size_t n = c.time.size();
  if (n == 0) {
    return fail(errc::plot_bad_data,
                fmt::format("arm '{}' has an empty Kaplan-Meier curve (no times)", name));
  }
  if (c.n_risk.size() != n || c.n_event.size() != n || c.n_censor.size() != n ||
      c.surv.size() != n) {
    return fail(
        errc::plot_bad_data,
        fmt::format("arm '{}': the curve's columns have different lengths (time {}, "
                    "n_risk {}, n_event {}, n_censor {}, surv {}); they must be equal",
                    name, n, c.n_risk.size(), c.n_event.size(), c.n_censor.size(), c.surv.size()));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!(std::isfinite(c.time[i]) && c.time[i] >= 0) || (i > 0 && !(c.time[i] > c.time[i - 1]))) {
      return fail(errc::plot_bad_data,
                  fmt::format("arm '{}': time {} is {:g}, but times must be finite, >= 0 and "
                              "increasing",
                              name, i + 1, c.time[i]));
    }
    if (!in_unit(c.surv[i])) {
      return fail(errc::plot_bad_data,
                  fmt::format("arm '{}': survival {} (time {:g}) is {:g}, but must be in [0, 1]",
                              name, i + 1, c.time[i], c.surv[i]));
    }
    for (const auto& [what, v] : {std::pair{"n_risk", c.n_risk[i]},
                                  {"n_event", c.n_event[i]},
                                  {"n_censor", c.n_censor[i]}}) {
      if (!(std::isfinite(v) && v >= 0)) {
        return fail(errc::plot_bad_data,
                    fmt::format("arm '{}': {} {} (time {:g}) is {:g}, but must be a finite "
                                "count >= 0",
                                name, what, i + 1, c.time[i], v));
      }
    }
  }
  if (bands) {
    if (c.lower.size() != n || c.upper.size() != n) {
      return fail(errc::plot_bad_data,
                  fmt::format("confidence bands were asked for, but arm '{}' has {} lower and {} "
                              "upper limits for {} times",
                              name, c.lower.size(), c.upper.size(), n));
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (double v : {c.lower[i], c.upper[i]}) {
        if (!std::isnan(v) && !in_unit(v)) {
          return fail(errc::plot_bad_data,
                      fmt::format("arm '{}': a confidence limit at time {:g} is {:g}, but must "
                                  "be in [0, 1] (or NaN where undefined)",
                                  name, c.time[i], v));
        }
      }
    }
  }
  if (a.digitised_time.size() != a.digitised_survival.size()) {
    return fail(errc::plot_bad_data,
                fmt::format("arm '{}' has {} digitised times but {} digitised survival values",
                            name, a.digitised_time.size(), a.digitised_survival.size()));
  }
  for (std::size_t i = 0; i < a.digitised_time.size(); ++i) {
    if (!(std::isfinite(a.digitised_time[i]) && a.digitised_time[i] >= 0) ||
        !in_unit(a.digitised_survival[i])) {
      return fail(errc::plot_bad_data,
                  fmt::format("arm '{}': digitised point {} is ({:g}, {:g}), but needs a finite "
                              "time >= 0 and a survival in [0, 1] (a fraction, not a percentage)",
                              name, i + 1, a.digitised_time[i], a.digitised_survival[i]));
    }
  }
  return {};
}

expected<void> check_statistics(const km_plot_content& c) {
  if (c.cox) {
    const auto& x = *c.cox;
    const bool ok = std::isfinite(x.hr) && x.hr > 0 && std::isfinite(x.ci_lower) &&
                    x.ci_lower > 0 && std::isfinite(x.ci_upper) && x.ci_upper > 0 &&
                    x.options.level > 0 && x.options.level < 1;
    if (!ok) {
      return fail(errc::plot_bad_data,
                  fmt::format("the Cox model's HR {:g} with CI {:g} to {:g} at level {:g}: the "
                              "HR and its limits must be finite and > 0, the level in (0, 1)",
                              x.hr, x.ci_lower, x.ci_upper, x.options.level));
    }
  }
  if (c.logrank && !(c.logrank->p >= 0 && c.logrank->p <= 1)) {
    return fail(errc::plot_bad_data,
                fmt::format("the log-rank p-value is {:g}, but must be in [0, 1]", c.logrank->p));
  }
  return {};
}

// Patients at risk at time t: the n_risk of the first curve time >= t; after the last time, the
// patients neither failed nor censored by then.
double at_risk(const km_curve& c, double t) {
  const double eps = 1e-9 * std::max(1.0, std::abs(t));
  const auto it = std::lower_bound(c.time.begin(), c.time.end(), t - eps);
  if (it != c.time.end()) return c.n_risk[static_cast<std::size_t>(it - c.time.begin())];
  return std::max(0.0, c.n_risk.back() - c.n_event.back() - c.n_censor.back());
}

std::string format_at_risk(double n) {
  if (std::abs(n - std::round(n)) < 1e-6) return detail::format_count(std::lround(n));
  return fmt::format("{:.1f}", n);
}

// Tick labels of the survival axis with one number of decimals ("0.0" ... "1.0"), or percentages.
std::vector<std::string> survival_labels(const std::vector<double>& ticks, bool percent) {
  std::vector<std::string> out;
  if (percent) {
    for (double t : ticks) out.push_back(detail::format_tick(t * 100) + "%");
    return out;
  }
  std::size_t decimals = 1;
  for (double t : ticks) {
    const std::string s = detail::format_tick(t);
    if (const auto dot = s.find('.'); dot != std::string::npos) {
      decimals = std::max(decimals, s.size() - dot - 1);
    }
  }
  for (double t : ticks) out.push_back(fmt::format("{:.{}f}", t, decimals));
  return out;
}

// What one arm puts in the panel, in points.
struct arm_shapes {
  std::vector<point> path;                            // the step curve
  std::vector<std::vector<point>> bands;              // step-shaped band polygons
  std::vector<rect> band_steps;                       // one box per band step (marks)
  std::vector<std::pair<point, point>> censor_ticks;  // vertical ticks
  std::vector<point> digitised;                       // centres of the open circles
};

struct panel_look {
  double tick_half = 3;  // half length of a censoring tick
  double point_r = 2;    // radius of a digitised point
  bool bands = false;
  bool ticks = true;
  bool points = true;
  double t_clip = std::numeric_limits<double>::infinity();
};

// Appends a corner to the outline of a band, dropping repeated points and the middle one of three
// on a line (limits that do not change between two times).
void add_corner(std::vector<point>& outline, point q) {
  auto same = [](double u, double v) { return std::abs(u - v) < 1e-9; };
  if (!outline.empty() && same(outline.back().x, q.x) && same(outline.back().y, q.y)) return;
  if (outline.size() >= 2) {
    const point a = outline[outline.size() - 2], b = outline.back();
    if ((same(a.y, b.y) && same(b.y, q.y)) || (same(a.x, b.x) && same(b.x, q.x))) {
      outline.back() = q;
      return;
    }
  }
  outline.push_back(q);
}

arm_shapes shapes_of(const km_arm_curve& a, const xy_panel& p, const panel_look& look) {
  arm_shapes s;
  const km_curve& c = a.curve;
  const double tc = look.t_clip;
  // S(0) = 1; a step down at every time where S changes, the curve ending at the last time.
  double surv = 1;
  s.path.push_back(p.at(0, 1));
  for (std::size_t i = 0; i < c.time.size(); ++i) {
    const double t = c.time[i];
    if (t > tc) {
      s.path.push_back(p.at(tc, surv));
      break;
    }
    if (c.surv[i] != surv || i + 1 == c.time.size()) s.path.push_back(p.at(t, surv));
    if (c.surv[i] != surv) {
      surv = c.surv[i];
      s.path.push_back(p.at(t, surv));
    }
    if (look.ticks && c.n_censor[i] > 0) {
      const point m = p.at(t, c.surv[i]);
      s.censor_ticks.push_back({{m.x, m.y - look.tick_half}, {m.x, m.y + look.tick_half}});
    }
  }
  if (look.bands) {
    // The limits at time[i] hold until time[i + 1]; runs of defined limits make one polygon each.
    std::vector<point> top, bottom;
    auto flush = [&] {
      if (!top.empty()) {
        std::vector<point> poly = top;
        poly.insert(poly.end(), bottom.rbegin(), bottom.rend());
        s.bands.push_back(std::move(poly));
      }
      top.clear();
      bottom.clear();
    };
    for (std::size_t i = 0; i + 1 < c.time.size(); ++i) {
      const double t0 = c.time[i];
      const double t1 = std::min(c.time[i + 1], tc);
      if (t0 >= tc) break;
      const double lo = c.lower[i], hi = c.upper[i];
      if (std::isnan(lo) || std::isnan(hi)) {
        flush();
        continue;
      }
      add_corner(top, p.at(t0, hi));
      add_corner(top, p.at(t1, hi));
      add_corner(bottom, p.at(t0, lo));
      add_corner(bottom, p.at(t1, lo));
      const point a0 = p.at(t0, hi), b0 = p.at(t1, lo);
      s.band_steps.push_back({a0.x, a0.y, b0.x - a0.x, b0.y - a0.y});
    }
    flush();
  }
  if (look.points) {
    for (std::size_t i = 0; i < a.digitised_time.size(); ++i) {
      if (a.digitised_time[i] <= tc) {
        s.digitised.push_back(p.at(a.digitised_time[i], a.digitised_survival[i]));
      }
    }
  }
  return s;
}

// The boxes the shapes cover: thin boxes along the curve's segments and the ticks, the band
// steps and the circles.
struct named_box {
  rect box;
  const char* what;
};
std::vector<named_box> marks_of(const arm_shapes& s, const panel_look& look) {
  std::vector<named_box> out;
  const double h = curve_width / 2;
  for (std::size_t i = 1; i < s.path.size(); ++i) {
    const point a = s.path[i - 1], b = s.path[i];
    out.push_back({{std::min(a.x, b.x) - h, std::min(a.y, b.y) - h, std::abs(b.x - a.x) + 2 * h,
                    std::abs(b.y - a.y) + 2 * h},
                   "curve"});
  }
  for (const auto& [a, b] : s.censor_ticks) {
    out.push_back({{a.x - 0.5, a.y, 1, b.y - a.y}, "censoring tick"});
  }
  for (const auto& r : s.band_steps) out.push_back({r, "confidence band"});
  for (const auto& c : s.digitised) {
    const double r = look.point_r + 0.3;
    out.push_back({{c.x - r, c.y - r, 2 * r, 2 * r}, "digitised point"});
  }
  return out;
}

// One entry of the legend.
struct legend_item {
  enum class key { arm, censor, point, band } kind;
  std::size_t arm = 0;
  std::string label;
};

class km_layout {
 public:
  km_layout(const km_plot_content& content, const km_plot_options& o)
      : content_(content), o_(o), m_(o.font_family), c_(m_, o.font_size) {}

  expected<drawing> run();

 private:
  struct geometry {
    xy_panel p;
    double total_w = 0, total_h = 0;
    double title_base = 0;
    std::optional<point> legend_in, stats_in;           // top-left corners inside the panel
    double legend_out_y = 0, stats_out_y = 0;           // top of the blocks above the panel
    std::vector<std::vector<std::size_t>> legend_rows;  // items per row above the panel
    std::vector<std::string> stats_lines;
    double label_right = 0;  // right edge of the at-risk labels
    double x_label_base = 0, x_title_base = 0, risk_title_base = 0;
    std::vector<double> risk_row_base;  // baseline of the first line of each arm's row
    std::string too_narrow;  // the time step's labels do not fit the panel ("" when they do)
  };

  [[nodiscard]] geometry place(double pw, double ph) const;
  [[nodiscard]] axis_scale time_axis(double length) const;
  [[nodiscard]] std::vector<std::string> statistics_sentence_parts() const;
  void draw_legend_item(drawing& d, const legend_item& item, double x, double yc) const;

  const km_plot_content& content_;
  const km_plot_options& o_;
  text_measurer m_;
  detail::chart c_;
  std::vector<std::string> names_;
  std::vector<legend_item> legend_;
  panel_look look_;
  double data_max_ = 0;
  double count_w_ = 0;                                 // widest at-risk number
  std::vector<std::vector<std::string>> label_lines_;  // at-risk labels, long ones wrapped
  double label_w_ = 0;                                 // widest line of an at-risk label
  double expand_ = 0.03;
};

axis_scale km_layout::time_axis(double length) const {
  const double fs = o_.font_size;
  auto w = [&](const std::string& s) { return std::max(c_.width(s, c_.small()), count_w_); };
  axis_scale a;
  if (o_.time_step) {
    const double step = *o_.time_step;
    double hi = o_.time_max.value_or(std::ceil(data_max_ / step - 1e-9) * step);
    hi = std::max(hi, step);
    const auto n = static_cast<std::size_t>(std::floor(hi / step + 1e-9)) + 1;
    a.lo = 0;
    a.hi = hi;
    for (std::size_t k = 0; k < n; ++k) a.ticks.push_back(static_cast<double>(k) * step);
  } else {
    a = detail::make_axis(false, 0, o_.time_max.value_or(data_max_), length, w, fs * 0.8, 12,
                          {true, false});
    if (o_.time_max && a.hi > *o_.time_max) {
      // Round breaks up to the requested end, which is not labelled itself.
      std::erase_if(a.ticks, [&](double t) { return t > *o_.time_max * (1 + 1e-12); });
      a.hi = *o_.time_max;
    }
  }
  a.labels.clear();
  for (double t : a.ticks) a.labels.push_back(detail::format_tick(t));
  a.x0 = 0;
  a.x1 = length;
  return a;
}

std::vector<std::string> km_layout::statistics_sentence_parts() const {
  std::vector<std::string> parts;
  if (!o_.statistics) return parts;
  if (content_.cox) {
    const auto& x = *content_.cox;
    std::string head = "HR";
    if (!content_.treatment.empty() && !content_.control.empty()) {
      head = fmt::format("HR, {} vs {}:", content_.treatment, content_.control);
    }
    parts.push_back(head + " " +
                    format_effect_ci(effect_measure::hazard_ratio, std::log(x.hr),
                                     std::log(x.ci_lower), std::log(x.ci_upper),
                                     x.options.level * 100));
  }
  if (content_.logrank) {
    parts.push_back((parts.empty() ? "Log-rank " : "log-rank ") +
                    format_p_clause(content_.logrank->p));
  }
  return parts;
}

km_layout::geometry km_layout::place(double pw, double ph) const {
  const double fs = o_.font_size;
  const double margin = fs;
  const double tick = fs * 0.4;
  const double lh = c_.line_height(c_.small());
  const auto e = c_.extents("Ag", c_.small());
  const double legend_line = fs * 1.45;
  const double stats_line = fs * 1.3;
  const double swatch_w = fs * 2.6;
  const double key_gap = fs * 0.5;
  geometry g;

  // Scales: sized for a panel 6% narrower, then widened by 3% at each end.
  g.p.x = time_axis(pw / (1 + 2 * expand_));
  g.p.y = c_.y_axis(false, 0, 1, ph / (1 + 2 * expand_), {true, true});
  g.p.y.labels = survival_labels(g.p.y.ticks, o_.percent);
  detail::expand_axis(g.p.x, expand_);
  detail::expand_axis(g.p.y, expand_);

  // Breaks given by the user must leave room between their labels (and at-risk numbers).
  if (o_.time_step) {
    const double unit = pw / (g.p.x.hi - g.p.x.lo);
    for (std::size_t k = 1; k < g.p.x.ticks.size(); ++k) {
      const double need = (std::max(c_.width(g.p.x.labels[k], c_.small()), count_w_) +
                           std::max(c_.width(g.p.x.labels[k - 1], c_.small()), count_w_)) /
                              2 +
                          fs * 0.8;
      if ((g.p.x.ticks[k] - g.p.x.ticks[k - 1]) * unit < need) {
        const double need_pw = pw * need / ((g.p.x.ticks[k] - g.p.x.ticks[k - 1]) * unit);
        g.too_narrow = fmt::format(
            "time breaks every {:g} need a panel at least {:.0f} pt wide for "
            "their labels{}, but it is {:.0f} pt; choose a larger time step "
            "or a wider figure",
            *o_.time_step, std::ceil(need_pw), o_.risk_table ? " and numbers at risk" : "", pw);
        break;
      }
    }
  }

  // The panel at the origin, to find free corners for the legend and the statistics.
  xy_panel rel = g.p;
  rel.box = {0, 0, pw, ph};
  rel.x.x0 = 0;
  rel.x.x1 = pw;
  rel.y.x0 = ph;
  rel.y.x1 = 0;
  std::vector<rect> obstacles;
  for (std::size_t i = 0; i < content_.arms.size(); ++i) {
    for (const auto& nb : marks_of(shapes_of(content_.arms[i], rel, look_), look_)) {
      obstacles.push_back(nb.box);
    }
  }
  const double off0 = rel.px(0);  // position of time 0 in the panel
  const double pad = fs * 0.6;
  const double clear = fs * 0.3;
  enum corner { top_right, bottom_left, bottom_right };
  // Candidates: the corners in the given order, then every height along the right edge (top
  // down), then along the left edge (bottom up), so that a block keeps to an edge of the panel.
  auto free_corner = [&](double w, double h, std::initializer_list<corner> order,
                         const std::vector<rect>& taken) -> std::optional<point> {
    if (w + 2 * pad > pw || h + 2 * pad > ph) return std::nullopt;
    const double x_left = pad + off0, x_right = pw - pad - w;
    const double y_top = pad, y_bottom = ph - pad - h;
    std::vector<point> candidates;
    for (corner k : order) {
      switch (k) {
        case top_right:
          candidates.push_back({x_right, y_top});
          break;
        case bottom_left:
          candidates.push_back({x_left, y_bottom});
          break;
        case bottom_right:
          candidates.push_back({x_right, y_bottom});
          break;
      }
    }
    const double step = fs * 0.5;
    for (double y = y_top; y <= y_bottom + 1e-9; y += step) candidates.push_back({x_right, y});
    for (double y = y_bottom; y >= y_top - 1e-9; y -= step) candidates.push_back({x_left, y});
    for (const point at : candidates) {
      if (at.x < x_left - 1e-9) continue;  // wider than the panel right of time 0
      const rect r{at.x - clear, at.y - clear, w + 2 * clear, h + 2 * clear};
      auto hits = [&](const rect& o) { return r.overlaps(o); };
      if (std::none_of(obstacles.begin(), obstacles.end(), hits) &&
          std::none_of(taken.begin(), taken.end(), hits)) {
        return at;
      }
    }
    return std::nullopt;
  };

  // Legend: inside as a column, else above the panel in rows no wider than the panel (or 36 ems
  // when the panel is narrower, so that a small panel does not break the statistics mid-phrase).
  const double above_w = std::max(pw, fs * 36);
  std::vector<rect> taken;
  double legend_text_w = 0;
  std::vector<double> item_w;
  for (const auto& it : legend_) {
    const double w = c_.width(it.label, c_.small());
    legend_text_w = std::max(legend_text_w, w);
    item_w.push_back(swatch_w + key_gap + w);
  }
  if (!legend_.empty()) {
    const double w = swatch_w + key_gap + legend_text_w;
    const double h = static_cast<double>(legend_.size()) * legend_line;
    g.legend_in = free_corner(w, h, {top_right, bottom_left, bottom_right}, taken);
    if (g.legend_in) {
      taken.push_back({g.legend_in->x, g.legend_in->y, w, h});
    } else {
      std::vector<std::size_t> row;
      double x = 0;
      for (std::size_t k = 0; k < legend_.size(); ++k) {
        const double add = (row.empty() ? 0 : fs * 1.5) + item_w[k];
        if (!row.empty() && x + add > above_w) {
          g.legend_rows.push_back(row);
          row.clear();
          x = 0;
        }
        x += (row.empty() ? 0 : fs * 1.5) + item_w[k];
        row.push_back(k);
      }
      g.legend_rows.push_back(row);
    }
  }

  // Statistics: one line, or one line per part, inside; else above the panel, wrapped.
  const auto parts = statistics_sentence_parts();
  if (!parts.empty()) {
    std::string joined;
    for (const auto& s : parts) joined += (joined.empty() ? "" : "; ") + s;
    for (const auto& lines : {std::vector<std::string>{joined}, parts}) {
      double w = 0;
      for (const auto& l : lines) w = std::max(w, c_.width(l, c_.small()));
      const double h = static_cast<double>(lines.size()) * stats_line;
      if (auto at = free_corner(w, h, {bottom_left, top_right, bottom_right}, taken)) {
        g.stats_in = at;
        g.stats_lines = lines;
        break;
      }
    }
    if (!g.stats_in) {
      if (c_.width(joined, c_.small()) <= above_w) {
        g.stats_lines = {joined};
      } else {
        for (const auto& s : parts) {
          for (auto& l : detail::wrap_text(m_, s, c_.small(), above_w)) g.stats_lines.push_back(l);
        }
      }
    }
  }

  // Vertical layout above the panel.
  double y = margin;
  if (!o_.title.empty()) {
    const auto te = c_.extents(o_.title, c_.title_style());
    g.title_base = y + te.ascent;
    y += te.ascent + te.descent + fs * 0.8;
  }
  if (!g.legend_rows.empty()) {
    g.legend_out_y = y;
    y += static_cast<double>(g.legend_rows.size()) * legend_line + fs * 0.2;
  }
  if (!g.stats_in && !g.stats_lines.empty()) {
    g.stats_out_y = y;
    y += static_cast<double>(g.stats_lines.size()) * stats_line + fs * 0.3;
  }
  const double top = y + lh / 2;

  // Left: survival tick labels and title; at-risk labels ending where the tick labels end, and
  // clear of the at-risk numbers of time 0.
  const detail::axes_parts parts_y{.y_title = o_.survival_title};
  const auto mg = c_.axes_margins(g.p, parts_y);
  double left = margin + mg.left;
  const double tick_label_gap = tick + fs * 0.25;
  if (o_.risk_table) {
    const double from_panel = std::max(tick_label_gap, count_w_ / 2 + fs * 0.8 - off0);
    left = std::max(left, margin + label_w_ + from_panel);
  }
  if (!g.p.x.labels.empty()) {
    left = std::max(left, margin + c_.width(g.p.x.labels.front(), c_.small()) / 2 - off0);
  }
  g.p.box = {left, top, pw, ph};
  g.p.x.x0 = left;
  g.p.x.x1 = left + pw;
  g.p.y.x0 = top + ph;
  g.p.y.x1 = top;
  g.label_right = left - std::max(tick_label_gap, count_w_ / 2 + fs * 0.8 - off0);
  if (g.legend_in) *g.legend_in = {g.legend_in->x + left, g.legend_in->y + top};
  if (g.stats_in) *g.stats_in = {g.stats_in->x + left, g.stats_in->y + top};

  // Below the panel.
  g.x_label_base = g.p.box.bottom() + tick + fs * 0.2 + e.ascent;
  double bottom = g.x_label_base + e.descent;
  if (!o_.time_title.empty()) {
    g.x_title_base = bottom + fs * 0.35 + e.ascent;
    bottom = g.x_title_base + e.descent;
  }
  if (o_.risk_table) {
    text_style bold = c_.small();
    bold.bold = true;
    const auto be = c_.extents("Ag", bold);
    g.risk_title_base = bottom + fs * 1.2 + be.ascent;
    double base = g.risk_title_base + be.descent + fs * 0.45 + e.ascent;
    for (std::size_t i = 0; i < label_lines_.size(); ++i) {
      if (i > 0) base += fs * 1.4;
      g.risk_row_base.push_back(base);
      base += static_cast<double>(label_lines_[i].size() - 1) * fs * 1.15;
    }
    bottom = base + e.descent;
  }
  g.total_h = bottom + margin;

  // Right: the panel, the last break's label or number, the title and the blocks above.
  double right = g.p.box.right();
  if (!g.p.x.ticks.empty()) {
    const double last = g.p.px(g.p.x.ticks.back());
    right = std::max(right, last + c_.width(g.p.x.labels.back(), c_.small()) / 2);
    if (o_.risk_table) right = std::max(right, last + count_w_ / 2);
  }
  if (!o_.title.empty()) right = std::max(right, margin + c_.width(o_.title, c_.title_style()));
  for (const auto& row : g.legend_rows) {
    double x = left;
    for (std::size_t k = 0; k < row.size(); ++k) x += (k ? fs * 1.5 : 0) + item_w[row[k]];
    right = std::max(right, x);
  }
  if (!g.stats_in) {
    for (const auto& l : g.stats_lines) right = std::max(right, left + c_.width(l, c_.small()));
  }
  g.total_w = right + margin;
  return g;
}

void km_layout::draw_legend_item(drawing& d, const legend_item& item, double x, double yc) const {
  const double fs = o_.font_size;
  const double swatch_w = fs * 2.6;
  const rect key{x, yc - fs * 0.45, swatch_w, fs * 0.9};
  switch (item.kind) {
    case legend_item::key::arm:
      d.line({x, yc}, {x + swatch_w, yc},
             {.colour = colour_of(item.arm), .width = curve_width, .dash = dash_of(item.arm)});
      break;
    case legend_item::key::censor:
      d.line({x, yc}, {x + swatch_w, yc}, {.colour = colours::dark_grey, .width = curve_width});
      d.line({x + swatch_w / 2, yc - look_.tick_half}, {x + swatch_w / 2, yc + look_.tick_half},
             {.colour = colours::dark_grey, .width = 1});
      break;
    case legend_item::key::point:
      d.circle({x + swatch_w / 2, yc}, look_.point_r,
               {.stroke = stroke_style{.colour = colours::dark_grey, .width = 0.75}});
      break;
    case legend_item::key::band: {
      color fill = colours::mid_grey;
      fill.alpha = 0.25;
      d.rectangle(key, {.fill = fill});
      break;
    }
  }
  d.add_box(key, box_kind::mark, "legend key");
  const auto e = c_.extents("Ag", c_.small());
  c_.text(d, {x + swatch_w + fs * 0.5, yc + (e.ascent - e.descent) / 2}, item.label, c_.small());
}

expected<drawing> km_layout::run() {
  if (auto msg = o_.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (content_.arms.empty()) {
    return fail(errc::plot_bad_data, "no arm to draw in the Kaplan-Meier plot");
  }
  for (std::size_t i = 0; i < content_.arms.size(); ++i) {
    if (auto ok = check_arm(content_.arms[i], i, o_.ci_bands); !ok) return unexpected(ok.error());
  }
  if (auto ok = check_statistics(content_); !ok) return unexpected(ok.error());
  const double fs = o_.font_size;

  double max_n = 0;
  bool any_censored = false, any_points = false;
  for (std::size_t i = 0; i < content_.arms.size(); ++i) {
    const auto& a = content_.arms[i];
    names_.push_back(arm_name(a, i));
    data_max_ = std::max(data_max_, a.curve.time.back());
    for (double t : a.digitised_time) data_max_ = std::max(data_max_, t);
    max_n = std::max(max_n, *std::max_element(a.curve.n_risk.begin(), a.curve.n_risk.end()));
    for (std::size_t k = 0; k < a.curve.time.size(); ++k) {
      if (a.curve.n_censor[k] > 0 && (!o_.time_max || a.curve.time[k] <= *o_.time_max)) {
        any_censored = true;
      }
    }
    any_points = any_points || !a.digitised_time.empty();
  }
  if (o_.time_step) {
    const double hi =
        o_.time_max.value_or(std::ceil(data_max_ / *o_.time_step - 1e-9) * *o_.time_step);
    const double breaks = std::floor(hi / *o_.time_step + 1e-9) + 1;
    if (breaks > static_cast<double>(max_breaks)) {
      return fail(errc::plot_bad_options,
                  fmt::format("a time step of {:g} gives {:.0f} breaks from 0 to {:g}, but at "
                              "most {} fit under a figure; choose a larger step",
                              *o_.time_step, breaks, hi, max_breaks));
    }
  }
  look_.tick_half = fs * 0.35;
  look_.point_r = fs * 0.22;
  look_.bands = o_.ci_bands;
  look_.ticks = o_.censor_ticks;
  look_.points = o_.digitised_points;
  if (o_.time_max) look_.t_clip = *o_.time_max;
  if (o_.risk_table) {
    count_w_ = c_.width(format_at_risk(max_n), c_.small());
    // Labels longer than 14 ems wrap, so that a long arm name does not push the panel right.
    for (const auto& n : names_) {
      label_lines_.push_back(detail::wrap_text(m_, n, c_.small(), fs * 14));
      for (const auto& l : label_lines_.back()) {
        label_w_ = std::max(label_w_, c_.width(l, c_.small()));
      }
    }
  }
  if (o_.legend) {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      legend_.push_back({legend_item::key::arm, i, names_[i]});
    }
    if (o_.censor_ticks && any_censored)
      legend_.push_back({legend_item::key::censor, 0, "Censored"});
    if (o_.digitised_points && any_points) {
      legend_.push_back({legend_item::key::point, 0, "Digitised points"});
    }
    if (o_.ci_bands) {
      const double level = content_.arms.front().curve.options.level;
      legend_.push_back(
          {legend_item::key::band, 0, fmt::format("{}% pointwise CI", format_level(level * 100))});
    }
  }

  double pw = o_.panel_width > 0 ? o_.panel_width : 340;
  double ph = o_.panel_height > 0 ? o_.panel_height : 220;
  geometry g = place(pw, ph);
  // A panel of automatic width grows until the labels of the user's time breaks fit.
  for (int grow = 0; !g.too_narrow.empty() && o_.width <= 0 && o_.panel_width <= 0 && grow < 60;
       ++grow) {
    pw *= 1.1;
    g = place(pw, ph);
  }
  // Fitting a requested size can move the legend or the statistics into or out of the panel,
  // which changes the space around it: fit again until the size holds (a few passes suffice).
  auto placer = [&](double w, double h) { return place(w, h); };
  std::optional<geometry> fitted;
  for (int pass = 0; pass < 4; ++pass) {
    if (auto msg = detail::fit_to_size("Kaplan-Meier plot", o_.width, o_.height, fs * 12, fs * 8,
                                       pw, ph, g, placer);
        !msg.empty()) {
      if (fitted) {
        g = *fitted;
        break;
      }
      return fail(errc::plot_too_small, msg);
    }
    fitted = g;
    const bool width_holds = o_.width <= 0 || std::abs(g.total_w - o_.width) < 0.01;
    const bool height_holds = o_.height <= 0 || std::abs(g.total_h - o_.height) < 0.01;
    if (width_holds && height_holds) break;
  }
  if (!g.too_narrow.empty()) return fail(errc::plot_too_small, g.too_narrow);
  if (o_.width > 0) g.total_w = o_.width;
  if (o_.height > 0) g.total_h = o_.height;

  drawing d(g.total_w, g.total_h, o_.title.empty() ? "Kaplan-Meier plot" : o_.title);
  d.set_font_family(o_.font_family);
  if (!o_.title.empty()) c_.text(d, {fs, g.title_base}, o_.title, c_.title_style());

  const xy_panel& p = g.p;
  const rect& box = p.box;
  std::vector<arm_shapes> shapes;
  for (const auto& a : content_.arms) shapes.push_back(shapes_of(a, p, look_));

  if (o_.ci_bands) {
    d.begin_group("bands");
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      color fill = colour_of(i);
      fill.alpha = 0.18;
      for (const auto& poly : shapes[i].bands) d.polygon(poly, {.fill = fill});
    }
    d.end_group();
  }
  d.begin_group("curves");
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    d.polyline(shapes[i].path, {.colour = colour_of(i), .width = curve_width, .dash = dash_of(i)});
  }
  d.end_group();
  if (o_.censor_ticks) {
    d.begin_group("censoring");
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      for (const auto& [a, b] : shapes[i].censor_ticks) {
        d.line(a, b, {.colour = colour_of(i), .width = 1});
      }
    }
    d.end_group();
  }
  if (o_.digitised_points && any_points) {
    d.begin_group("digitised");
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      for (const auto& c : shapes[i].digitised) {
        d.circle(c, look_.point_r, {.stroke = stroke_style{.colour = colour_of(i), .width = 0.75}});
      }
    }
    d.end_group();
  }
  for (const auto& s : shapes) {
    for (const auto& nb : marks_of(s, look_)) d.add_box(nb.box, box_kind::mark, nb.what);
  }

  // Axes: lines on the left and at the bottom, ticks outwards, labels, titles.
  d.begin_group("axes");
  const stroke_style axis_line{.colour = colours::black, .width = 0.75};
  d.line({box.x, box.y}, {box.x, box.bottom()}, axis_line);
  d.line({box.x, box.bottom()}, {box.right(), box.bottom()}, axis_line);
  d.add_box({box.x - 0.375, box.y, 0.75, box.height}, box_kind::mark, "axis");
  d.add_box({box.x, box.bottom() - 0.375, box.width, 0.75}, box_kind::mark, "axis");
  const double tick = fs * 0.4;
  const auto e = c_.extents("Ag", c_.small());
  text_style centred = c_.small();
  centred.anchor = text_anchor::middle;
  for (std::size_t k = 0; k < p.x.ticks.size(); ++k) {
    const double x = p.px(p.x.ticks[k]);
    d.line({x, box.bottom()}, {x, box.bottom() + tick}, axis_line);
    c_.text(d, {x, g.x_label_base}, p.x.labels[k], centred);
  }
  text_style right_aligned = c_.small();
  right_aligned.anchor = text_anchor::end;
  double ylab = 0;
  for (std::size_t k = 0; k < p.y.ticks.size(); ++k) {
    const double yy = p.py(p.y.ticks[k]);
    d.line({box.x - tick, yy}, {box.x, yy}, axis_line);
    c_.text(d, {box.x - tick - fs * 0.25, yy + (e.ascent - e.descent) / 2}, p.y.labels[k],
            right_aligned);
    ylab = std::max(ylab, c_.width(p.y.labels[k], c_.small()));
  }
  if (!o_.time_title.empty()) {
    c_.text(d, {box.x + box.width / 2, g.x_title_base}, o_.time_title, centred);
  }
  if (!o_.survival_title.empty()) {
    text_style v = centred;
    v.vertical = true;
    const double r = box.x - tick - fs * 0.25 - ylab - fs * 0.6;
    c_.text(d, {r - e.descent, box.y + box.height / 2}, o_.survival_title, v);
  }
  d.end_group();

  // Legend and statistics, inside the panel or above it.
  const double legend_line = fs * 1.45;
  const double stats_line = fs * 1.3;
  if (!legend_.empty()) {
    d.begin_group("legend");
    if (g.legend_in) {
      for (std::size_t k = 0; k < legend_.size(); ++k) {
        draw_legend_item(d, legend_[k], g.legend_in->x,
                         g.legend_in->y + (static_cast<double>(k) + 0.5) * legend_line);
      }
    } else {
      for (std::size_t r = 0; r < g.legend_rows.size(); ++r) {
        double x = box.x;
        const double yc = g.legend_out_y + (static_cast<double>(r) + 0.5) * legend_line;
        for (std::size_t k : g.legend_rows[r]) {
          draw_legend_item(d, legend_[k], x, yc);
          x += fs * 2.6 + fs * 0.5 + c_.width(legend_[k].label, c_.small()) + fs * 1.5;
        }
      }
    }
    d.end_group();
  }
  if (!g.stats_lines.empty()) {
    d.begin_group("statistics");
    const point at = g.stats_in ? *g.stats_in : point{box.x, g.stats_out_y};
    for (std::size_t k = 0; k < g.stats_lines.size(); ++k) {
      const double yc = at.y + (static_cast<double>(k) + 0.5) * stats_line;
      c_.text(d, {at.x, yc + (e.ascent - e.descent) / 2}, g.stats_lines[k], c_.small());
    }
    d.end_group();
  }

  // Numbers at risk: a heading, then one row per arm, each number centred under its break.
  if (o_.risk_table) {
    d.begin_group("at-risk");
    text_style heading = c_.small();
    heading.bold = true;
    c_.text(d, {fs, g.risk_title_base}, o_.risk_table_title, heading);
    for (std::size_t i = 0; i < content_.arms.size(); ++i) {
      const double base = g.risk_row_base[i];
      text_style label = right_aligned;
      label.colour = colour_of(i);
      for (std::size_t l = 0; l < label_lines_[i].size(); ++l) {
        c_.text(d, {g.label_right, base + static_cast<double>(l) * fs * 1.15}, label_lines_[i][l],
                label);
      }
      for (double t : p.x.ticks) {
        c_.text(d, {p.px(t), base}, format_at_risk(at_risk(content_.arms[i].curve, t)), centred);
      }
    }
    d.end_group();
  }
  return d;
}

}  // namespace

expected<drawing> draw_km_plot(const km_plot_content& content, const km_plot_options& options) {
  km_layout layout(content, options);
  return layout.run();
}

}  // namespace srma::plot
