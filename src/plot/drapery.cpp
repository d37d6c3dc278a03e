// Drapery plot: the p-value functions and their drawing.
//
// One x-y panel: the effect across (analysis scale, ticks on the display scale), the p-value up
// (linear or log), a right-hand axis of confidence levels 1 - p. Each curve is sampled at a
// fixed number of points across the panel plus its estimate and CI bounds, so that its peak and
// its crossings of alpha are drawn exactly.
#include "srma/plot/drapery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "chart.hpp"
#include "figure_format.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

using detail::xy_panel;

double drapery_p_value(const drapery_curve& c, double x) {
  const double t = std::abs(c.estimate - x) / c.se;
  if (std::isfinite(c.df)) return detail::p_two_sided_t(t, c.df);
  return detail::p_two_sided_z(t);
}

std::string_view to_string(drapery_scale s) { return s == drapery_scale::log ? "log" : "p"; }

std::optional<drapery_scale> parse_drapery_scale(std::string_view text) {
  if (text == "p") return drapery_scale::p_value;
  if (text == "log") return drapery_scale::log;
  return std::nullopt;
}

std::string drapery_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  if (!(p_min >= 1e-10 && p_min <= 0.1)) {
    return fmt::format(
        "the smallest p-value of the log axis is {:g}, but must be between 1e-10 "
        "and 0.1",
        p_min);
  }
  if (x_min && x_max && !(*x_min < *x_max)) {
    return fmt::format("the x limits {:g} and {:g} must increase", *x_min, *x_max);
  }
  return "";
}

expected<drapery_data> drapery_data_from(const pool_result& r, model_kind m) {
  if (r.yi.empty()) return fail(errc::plot_bad_data, "no study to draw in the drapery plot");
  drapery_data out;
  out.measure = r.measure;
  out.model = m;
  out.level = r.level;
  out.display = display_context_from_vi(r.measure, r.vi);
  const double alpha = 1 - r.level / 100;
  const double z = detail::qnorm_upper(alpha / 2);
  const auto& w = m == model_kind::common ? r.weight_common : r.weight_random;
  for (std::size_t i = 0; i < r.yi.size(); ++i) {
    const std::string label = i < r.study.size() ? r.study[i] : fmt::format("Study {}", i + 1);
    const double v = r.vi[i];
    if (!(v > 0 && std::isfinite(v) && std::isfinite(r.yi[i]))) {
      return fail(errc::plot_bad_data,
                  fmt::format("drapery plot: study {} ('{}') has y = {:g}, v = {:g}; needs a "
                              "finite y and a positive finite variance",
                              i + 1, label, r.yi[i], v));
    }
    const double s = std::sqrt(v);
    drapery_curve c{.label = label, .estimate = r.yi[i], .se = s};
    c.lower = c.estimate - z * s;
    c.upper = c.estimate + z * s;
    c.weight = i < w.size() ? w[i] : std::numeric_limits<double>::quiet_NaN();
    out.studies.push_back(std::move(c));
  }
  const model_estimate& e = m == model_kind::common ? r.common : r.random;
  out.pooled = {.label = m == model_kind::common ? "Common-effect model" : "Random-effects model",
                .estimate = e.estimate,
                .se = e.se,
                .df = e.df,
                .lower = e.ci_lower,
                .upper = e.ci_upper};
  if (m == model_kind::random && std::isfinite(r.random.pi_lower) &&
      std::isfinite(r.random.pi_upper) && r.random.pi_upper > r.random.pi_lower) {
    const double half = (r.random.pi_upper - r.random.pi_lower) / 2;
    out.prediction = drapery_curve{.label = "Prediction region",
                                   .estimate = r.random.estimate,
                                   .se = half / z,
                                   .lower = r.random.pi_lower,
                                   .upper = r.random.pi_upper};
  }
  return out;
}

namespace {

/// The points of a curve's polyline(s) in [lo, hi] (x order): a fixed grid plus its estimate,
/// its CI bounds and the two x where p = `p_min`, so that its peak, its crossings of alpha and
/// its ends on the axis floor are exact. Points below p_min are dropped, which splits the curve
/// into runs (one per side of the floor); each run is one polyline.
std::vector<std::vector<std::pair<double, double>>> sample_curve(const drapery_curve& c, double lo,
                                                                 double hi, int n, double p_min) {
  std::vector<double> xs;
  for (int i = 0; i <= n; ++i) xs.push_back(lo + (hi - lo) * i / n);
  const double q =
      std::isfinite(c.df) ? detail::qt_upper(p_min / 2, c.df) : detail::qnorm_upper(p_min / 2);
  for (double x : {c.estimate, c.lower, c.upper, c.estimate - q * c.se, c.estimate + q * c.se}) {
    if (x > lo && x < hi) xs.push_back(x);
  }
  std::sort(xs.begin(), xs.end());
  std::vector<std::vector<std::pair<double, double>>> runs(1);
  for (double x : xs) {
    const double p = drapery_p_value(c, x);
    if (p >= p_min * (1 - 1e-9)) {
      runs.back().emplace_back(x, std::max(p, p_min));
    } else if (!runs.back().empty()) {
      runs.emplace_back();
    }
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

}  // namespace

expected<drawing> draw_drapery(const drapery_data& data, const drapery_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (data.studies.empty())
    return fail(errc::plot_bad_data, "no study to draw in the drapery plot");
  auto check = [](const drapery_curve& c, std::string_view what) -> std::string {
    if (std::isfinite(c.estimate) && std::isfinite(c.lower) && std::isfinite(c.upper) && c.se > 0 &&
        std::isfinite(c.se)) {
      return "";
    }
    return fmt::format(
        "drapery plot: {} '{}' has estimate {:g}, SE {:g}, CI [{:g}, {:g}]; all "
        "must be finite and the SE positive",
        what, c.label, c.estimate, c.se, c.lower, c.upper);
  };
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& c : data.studies) {
    if (auto msg = check(c, "study"); !msg.empty()) return fail(errc::plot_bad_data, msg);
    lo = std::min(lo, c.lower);
    hi = std::max(hi, c.upper);
  }
  if (auto msg = check(data.pooled, "pooled estimate"); !msg.empty()) {
    return fail(errc::plot_bad_data, msg);
  }
  const bool show_pi = o.prediction && data.prediction.has_value();
  lo = std::min(lo, data.pooled.lower);
  hi = std::max(hi, data.pooled.upper);
  if (show_pi) {
    lo = std::min(lo, data.prediction->lower);
    hi = std::max(hi, data.prediction->upper);
  }
  // Limits given on the display scale.
  for (const auto& [given, name] : {std::pair{o.x_min, "lower"}, std::pair{o.x_max, "upper"}}) {
    if (!given) continue;
    const double v = from_display(data.measure, *given, data.display);
    if (!std::isfinite(v)) {
      return fail(errc::plot_bad_options,
                  fmt::format("the {} x limit {:g} is not a value of the {} scale", name, *given,
                              display_label(data.measure)));
    }
  }
  if (o.x_min) lo = from_display(data.measure, *o.x_min, data.display);
  if (o.x_max) hi = from_display(data.measure, *o.x_max, data.display);
  if (!(hi > lo)) hi = lo + 1;
  const double alpha = 1 - data.level / 100;
  const bool log_y = o.scale == drapery_scale::log;

  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const detail::figure_frame frame(c, o, "drapery plot", "Drapery plot");
  const double fs = o.font_size;
  const double margin = frame.margin();
  const bool log_x = display_log_axis(data.measure);
  const std::string x_title =
      o.x_title.empty() ? detail::effect_axis_title(data.measure) : o.x_title;
  const detail::axes_parts parts{
      .grid = false, .x_title = x_title, .y_title = log_y ? "p-value (log scale)" : "p-value"};
  const std::string level_text =
      detail::figure_number(data.level, data.level == std::round(data.level) ? 0 : 1);
  const std::string alpha_text = detail::figure_number(alpha, alpha >= 0.01 ? 2 : 3);
  std::string note = fmt::format(
      "Grey: studies (darker: more precise); black: {} estimate; dashed: p = {}, crossed at each "
      "{}% CI's bounds",
      data.model == model_kind::common ? "common-effect" : "random-effects", alpha_text,
      level_text);
  if (show_pi) note += fmt::format("; shaded: {}% prediction region", level_text);
  const std::string right_title = "Confidence level (%)";

  // p on the y axis: y = p, or ln p on the log axis (ticks labelled as p).
  auto y_of = [&](double p) { return log_y ? std::log(std::max(p, o.p_min)) : p; };
  struct geometry {
    xy_panel panel;
    std::vector<std::string> note_lines;
    std::vector<std::string> right_labels;
    double right_label_w = 0;
    double note_y = 0, total_w = 0, total_h = 0;
  };
  const double line = c.line_height(c.small()) + fs * 0.25;
  const double tick = fs * 0.4;
  auto place = [&](double pw, double ph) {
    geometry g;
    auto w = [&](const std::string& s) { return c.width(s, c.small()); };
    g.panel.x = detail::make_axis(log_x, lo, hi, pw, w, fs * 0.8, 9,
                                  {o.x_min.has_value(), o.x_max.has_value()});
    detail::back_transform_ticks(g.panel.x, data.measure, data.display, w, fs * 0.8);
    g.panel.y = log_y
                    ? c.y_axis(true, std::log(o.p_min), 0, ph, {.fixed_lo = true, .fixed_hi = true})
                    : c.y_axis(false, 0, 1, ph, {.fixed_lo = true, .fixed_hi = true});
    auto [right, bottom] = c.place_panel(g.panel, parts, margin, frame.panel_top(), pw, ph);
    // Right-hand axis: 100 (1 - p) at the p ticks, and its title.
    for (double t : g.panel.y.ticks) {
      const double p = log_y ? std::exp(t) : t;
      const double conf = 100 * (1 - p);
      const std::string label =
          detail::figure_number(conf, std::abs(conf - std::round(conf)) < 1e-9 ? 0 : 1);
      g.right_labels.push_back(label);
      g.right_label_w = std::max(g.right_label_w, c.width(label, c.small()));
    }
    right = std::max(right, g.panel.box.right() + tick + fs * 0.25 + g.right_label_w + fs * 0.6 +
                                c.line_height(c.small()));
    right = std::max(right, frame.title_right());
    g.note_lines = detail::wrap_text(m, note, c.small(), std::max(right - margin, fs * 20));
    for (const auto& l : g.note_lines) right = std::max(right, margin + c.width(l, c.small()));
    g.note_y = bottom + fs * 0.6 + c.extents(note, c.small()).ascent;
    g.total_w = right + margin;
    g.total_h = g.note_y + static_cast<double>(g.note_lines.size() - 1) * line +
                c.extents(note, c.small()).descent + margin;
    return g;
  };
  double pw = o.panel_width > 0 ? o.panel_width : 320;
  double ph = o.panel_height > 0 ? o.panel_height : 220;
  geometry g = place(pw, ph);
  if (auto ok = frame.fit(fs * 10, fs * 8, pw, ph, g, place); !ok) return unexpected(ok.error());
  drawing d = frame.open(g);
  const auto& p = g.panel;
  const rect& box = p.box;
  const int samples = 400;
  // The floor of the y axis: p_min on the log axis; 0 (no cut) on the linear one.
  const double floor_p = log_y ? o.p_min : 0.0;
  auto draw_curve = [&](const drapery_curve& cv, const stroke_style& stroke) {
    for (const auto& run : sample_curve(cv, p.x.lo, p.x.hi, samples, floor_p)) {
      std::vector<point> pts;
      for (const auto& [x, pv] : run) pts.push_back(p.at(x, y_of(pv)));
      if (pts.size() >= 2) d.polyline(pts, stroke);
    }
  };

  // Each curve is recorded by a one-point mark at its peak (p = 1 at the estimate), when inside.
  auto add_peak = [&](const drapery_curve& cv, const char* name) {
    if (!p.x.contains(cv.estimate)) return;
    const point at = p.at(cv.estimate, y_of(1));
    d.add_box({at.x - 0.5, at.y - 0.5, 1, 1}, box_kind::mark, name);
  };
  if (show_pi) {
    d.begin_group("prediction");
    for (const auto& run : sample_curve(*data.prediction, p.x.lo, p.x.hi, samples, floor_p)) {
      std::vector<point> pts;
      for (const auto& [x, pv] : run) pts.push_back(p.at(x, y_of(pv)));
      if (pts.size() < 2) continue;
      // Closed along the panel's floor under the run.
      pts.push_back({pts.back().x, box.bottom()});
      pts.push_back({pts.front().x, box.bottom()});
      d.polygon(pts, {.fill = detail::palette::band_blue});
    }
    d.end_group();
  }
  d.begin_group("reference lines");
  const double null_effect = from_display(data.measure, null_value(data.measure), data.display);
  if (std::isfinite(null_effect) && p.x.contains(null_effect)) {
    const double x = p.px(null_effect);
    d.line({x, box.y}, {x, box.bottom()}, {.colour = colours::mid_grey, .width = 0.75});
    d.add_box({x - 0.4, box.y, 0.8, box.height}, box_kind::mark, "no effect");
  }
  d.end_group();

  d.begin_group("studies");
  // Most precise last (on top) and darkest, as meta's layout = "grayscale".
  std::vector<std::size_t> order(data.studies.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return data.studies[a].se > data.studies[b].se;
  });
  const double k = static_cast<double>(order.size());
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto& cv = data.studies[order[r]];
    // Grey from 200 (least precise) to 70 (most precise).
    const double f = k > 1 ? static_cast<double>(r) / (k - 1) : 1.0;
    const auto grey = static_cast<std::uint8_t>(std::lround(200 - 130 * f));
    draw_curve(cv, {.colour = color{grey, grey, grey}, .width = 0.8});
    add_peak(cv, "study curve");
  }
  d.end_group();

  d.begin_group("pooled");
  draw_curve(data.pooled, {.colour = colours::black, .width = 2.2});
  add_peak(data.pooled, "pooled curve");
  d.end_group();

  d.begin_group("alpha");
  {
    const double y = p.py(y_of(alpha));
    d.line({box.x, y}, {box.right(), y}, {.colour = colours::black, .width = 0.75, .dash = {4, 3}});
    d.add_box({box.x, y - 0.4, box.width, 0.8}, box_kind::mark, "alpha line");
    text_style left = c.small();
    text_style right = c.small();
    right.anchor = text_anchor::end;
    const double base = y - fs * 0.3;
    c.text(d, {box.x + fs * 0.3, base}, fmt::format("p = {}", alpha_text), left);
    c.text(d, {box.right() - fs * 0.3, base}, fmt::format("{}% CI", level_text), right);
  }
  d.end_group();

  d.begin_group("axes");
  c.draw_panel_axes(d, p, parts);
  {
    // Right-hand axis of confidence levels.
    const stroke_style axis_line{.colour = colours::black, .width = 0.75};
    const auto e = m.measure("0", c.small());
    text_style lab = c.small();
    double lab_right = 0;
    for (std::size_t i = 0; i < p.y.ticks.size(); ++i) {
      const double y = p.py(p.y.ticks[i]);
      d.line({box.right(), y}, {box.right() + tick, y}, axis_line);
      const double x = box.right() + tick + fs * 0.25;
      c.text(d, {x, y + (e.ascent - e.descent) / 2}, g.right_labels[i], lab);
      lab_right = std::max(lab_right, x + c.width(g.right_labels[i], c.small()));
    }
    text_style v = c.small();
    v.anchor = text_anchor::middle;
    v.vertical = true;
    c.text(d, {lab_right + fs * 0.6 + e.ascent, box.y + box.height / 2}, right_title, v);
  }
  d.end_group();
  for (std::size_t i = 0; i < g.note_lines.size(); ++i) {
    c.text(d, {margin, g.note_y + static_cast<double>(i) * line}, g.note_lines[i], c.small());
  }
  return d;
}

}  // namespace srma::plot
