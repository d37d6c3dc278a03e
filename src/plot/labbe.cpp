// L'Abbé plot: layout and drawing. One square panel, circles in decreasing size order (small
// circles stay visible on top), the y = x line and the pooled-effect curve as a polyline.
#include "srma/plot/labbe.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "chart.hpp"
#include "figure_format.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::plot {

std::string labbe_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (panel_size < 0 || width < 0 || height < 0) return "sizes must not be negative";
  return "";
}

expected<labbe_data> labbe_data_from(const pool_result& r, const study_table& studies,
                                     model_kind m) {
  const bool measure_ok = r.measure == effect_measure::odds_ratio ||
                          r.measure == effect_measure::risk_ratio ||
                          r.measure == effect_measure::risk_difference;
  if (studies.kind != input_kind::two_by_two || !measure_ok) {
    return fail(errc::plot_bad_data,
                fmt::format("the L'Abbé plot needs 2x2 counts (events_t, n_t, events_c, n_c) "
                            "pooled as OR, RR or RD; {} has {} ({})",
                            studies.source.empty() ? std::string("the input") : studies.source,
                            input_kind_columns(studies.kind), measure_name(r.measure)));
  }
  if (studies.k() != r.k) {
    return fail(errc::plot_bad_data,
                fmt::format("the study table ({} studies) is not the one the result ({} "
                            "studies) was computed from",
                            studies.k(), r.k));
  }
  auto column = [&](const char* name) -> const text_column* {
    const int a = studies.attribute_index(name);
    return a < 0 ? nullptr : &studies.attributes[static_cast<std::size_t>(a)];
  };
  const auto* et = column("events_t");
  const auto* nt = column("n_t");
  const auto* ec = column("events_c");
  const auto* nc = column("n_c");
  if (et == nullptr || nt == nullptr || ec == nullptr || nc == nullptr) {
    return fail(errc::plot_bad_data,
                "the L'Abbé plot needs the columns events_t, n_t, events_c "
                "and n_c");
  }
  labbe_data out;
  out.measure = r.measure;
  out.model = m;
  out.estimate = m == model_kind::common ? r.common.estimate : r.random.estimate;
  const auto& w = m == model_kind::common ? r.weight_common : r.weight_random;
  for (std::size_t i = 0; i < studies.k(); ++i) {
    auto num = [&](const text_column* c) {
      auto v = detail::parse_double(detail::trim((*c)[i]));
      return v ? *v : std::numeric_limits<double>::quiet_NaN();
    };
    out.points.push_back({studies.study[i], num(ec) / num(nc), num(et) / num(nt),
                          i < w.size() ? w[i] : std::numeric_limits<double>::quiet_NaN()});
  }
  return out;
}

namespace {

/// The treatment rate the pooled effect gives at control rate x.
double effect_curve(effect_measure m, double estimate, double x) {
  switch (m) {
    case effect_measure::odds_ratio: {
      if (x <= 0) return 0;
      if (x >= 1) return 1;
      const double logit = std::log(x / (1 - x)) + estimate;
      return 1 / (1 + std::exp(-logit));
    }
    case effect_measure::risk_ratio:
      return x * std::exp(estimate);
    default:
      return x + estimate;
  }
}

}  // namespace

expected<drawing> draw_labbe(const labbe_data& data, const labbe_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (data.points.empty()) return fail(errc::plot_bad_data, "no study to draw in the L'Abbé plot");
  double max_rate = 0, max_w = 0;
  for (std::size_t i = 0; i < data.points.size(); ++i) {
    const auto& p = data.points[i];
    for (double v : {p.control_rate, p.treatment_rate}) {
      if (!(v >= 0 && v <= 1)) {
        return fail(errc::plot_bad_data,
                    fmt::format("L'Abbé point {} ('{}'): event rates {:g} (control) and {:g} "
                                "(treatment) must lie in [0, 1]",
                                i + 1, p.label, p.control_rate, p.treatment_rate));
      }
      max_rate = std::max(max_rate, v);
    }
    if (std::isfinite(p.weight)) max_w = std::max(max_w, p.weight);
  }
  // Both axes share one range: from 0 to a round number above the largest rate (to 1 when a
  // rate passes 0.5), so that y = x is the diagonal.
  const double hi = max_rate > 0.5 ? 1.0 : std::min(1.0, std::ceil(max_rate * 1.1 * 20) / 20);
  const double top_value = hi > 0 ? hi : 1.0;

  text_measurer meas(o.font_family);
  const detail::chart c(meas, o.font_size);
  const detail::figure_frame frame(c, o, "L'Abbé plot", "L'Abbé plot");
  const double fs = o.font_size;
  const double margin = frame.margin();
  const detail::axes_parts parts{.grid = false, .x_title = o.x_title, .y_title = o.y_title};
  const std::string note =
      fmt::format("Solid line: pooled {} ({}, {}); dashed: no effect; circle area: weight",
                  display_label(data.measure),
                  data.model == model_kind::common ? "common effect" : "random effects",
                  detail::figure_effect(data.measure, data.estimate, 2));

  struct geometry {
    detail::xy_panel panel;
    double note_y = 0, total_w = 0, total_h = 0;
  };
  auto place = [&](double pw, double ph) {
    geometry g;
    const double side = std::min(pw, ph);
    g.panel.x = c.x_axis(false, 0, top_value, side, {.fixed_lo = true, .fixed_hi = true});
    g.panel.y = c.y_axis(false, 0, top_value, side, {.fixed_lo = true, .fixed_hi = true});
    detail::expand_axis(g.panel.x);
    detail::expand_axis(g.panel.y);
    auto [right, bottom] = c.place_panel(g.panel, parts, margin, frame.panel_top(), side, side);
    g.note_y = bottom + fs * 0.6 + c.extents(note, c.small()).ascent;
    right = std::max(right, margin + c.width(note, c.small()));
    right = std::max(right, frame.title_right());
    g.total_w = right + margin;
    g.total_h = g.note_y + c.extents(note, c.small()).descent + margin;
    return g;
  };
  double pw = o.panel_size > 0 ? o.panel_size : 260;
  double ph = pw;
  geometry g = place(pw, ph);
  if (auto ok = frame.fit(fs * 10, fs * 10, pw, ph, g, place); !ok) return unexpected(ok.error());
  drawing d = frame.open(g);
  const auto& p = g.panel;
  d.begin_group("lines");
  d.line(p.at(0, 0), p.at(top_value, top_value),
         {.colour = colours::mid_grey, .width = 0.75, .dash = {4, 3}});
  d.add_box({p.px(0), p.py(top_value), p.px(top_value) - p.px(0), p.py(0) - p.py(top_value)},
            box_kind::mark, "no effect");
  std::vector<point> curve;
  for (int s = 0; s <= 200; ++s) {
    const double x = top_value * s / 200.0;
    const double y = effect_curve(data.measure, data.estimate, x);
    if (y < 0 || y > top_value) continue;  // the curve leaves the panel
    curve.push_back(p.at(x, y));
  }
  if (curve.size() >= 2) {
    d.polyline(curve, {.colour = colours::black, .width = 1});
    d.add_box({curve.front().x, std::min(curve.front().y, curve.back().y),
               curve.back().x - curve.front().x, std::abs(curve.back().y - curve.front().y)},
              box_kind::mark, "pooled effect");
  }
  d.end_group();
  d.begin_group("studies");
  std::vector<std::size_t> order(data.points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return data.points[a].weight > data.points[b].weight;
  });
  const double r_max = fs * 1.1, r_min = fs * 0.25;
  for (auto i : order) {
    const auto& pt = data.points[i];
    const double r = std::isfinite(pt.weight) && max_w > 0
                         ? std::max(r_min, r_max * std::sqrt(pt.weight / max_w))
                         : r_min;
    const point at = p.at(pt.control_rate, pt.treatment_rate);
    d.circle(at, r,
             {.fill = color{190, 190, 190},
              .stroke = stroke_style{.colour = colours::black, .width = 0.6}});
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
