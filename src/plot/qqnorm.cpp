// Normal QQ plot: residuals, the simulated envelope (metafor's qqnorm.rma.uni) and the drawing.
//
// One x-y panel: theoretical quantiles across, standardized residuals up, the line y = x and the
// envelope's two dotted curves clipped to the panel.
#include "srma/plot/qqnorm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <random>

#include "chart.hpp"
#include "figure_format.hpp"
#include "qqnorm_envelope.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace detail {

std::vector<double> normal_rank_quantiles(std::size_t n) {
  std::vector<double> q(n);
  const double a = n <= 10 ? 3.0 / 8.0 : 0.5;
  const auto nn = static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double p = (static_cast<double>(i + 1) - a) / (nn + 1 - 2 * a);
    q[i] = -qnorm_upper(p);
  }
  return q;
}

double quantile_type7(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

namespace {

/// Friedman's running-line smoother with span `span` (a fraction of n): a window of 2 b + 1
/// neighbours (b = span n / 2 rounded, at least 2), held at the ends, updated point by point;
/// the fit at x_j is the window's least-squares line. With `residuals`, also the absolute
/// cross-validated (leave-one-out) residuals |y_j - s_j| / (1 - h_j). Points with equal x share
/// the mean of their fits.
void running_lines(std::span<const double> x, std::span<const double> y, double span, double vsmlsq,
                   std::vector<double>& smo, std::vector<double>* residuals) {
  const std::size_t n = x.size();
  smo.assign(n, 0);
  if (residuals != nullptr) residuals->assign(n, 0);
  double xm = 0, ym = 0, var = 0, cvar = 0, fbw = 0;
  // Friedman's (and R's) integer half-width: span n / 2 rounded half up.
  auto b = static_cast<std::size_t>(std::floor(0.5 * span * static_cast<double>(n) + 0.5));
  b = std::max<std::size_t>(b, 2);
  const std::size_t width = std::min(2 * b + 1, n);
  auto add = [&](double xi, double yi) {
    const double fbo = fbw;
    fbw += 1;
    xm = (fbo * xm + xi) / fbw;
    ym = (fbo * ym + yi) / fbw;
    const double tmp = fbo > 0 ? fbw * (xi - xm) / fbo : 0.0;
    var += tmp * (xi - xm);
    cvar += tmp * (yi - ym);
  };
  auto remove = [&](double xo, double yo) {
    const double fbo = fbw;
    fbw -= 1;
    const double tmp = fbw > 0 ? fbo * (xo - xm) / fbw : 0.0;
    var -= tmp * (xo - xm);
    cvar -= tmp * (yo - ym);
    if (fbw > 0) {
      xm = (fbo * xm - xo) / fbw;
      ym = (fbo * ym - yo) / fbw;
    }
  };
  for (std::size_t i = 0; i < width; ++i) add(x[i], y[i]);
  for (std::size_t j = 0; j < n; ++j) {
    // Slide the window when it can stay centred on j.
    if (j >= b + 1 && j + b < n) {
      remove(x[j - b - 1], y[j - b - 1]);
      add(x[j + b], y[j + b]);
    }
    const double a = var > vsmlsq ? cvar / var : 0.0;
    smo[j] = a * (x[j] - xm) + ym;
    if (residuals != nullptr) {
      double h = fbw > 0 ? 1 / fbw : 0.0;
      if (var > vsmlsq) h += (x[j] - xm) * (x[j] - xm) / var;
      const double d = 1 - h;
      if (d > 0) {
        (*residuals)[j] = std::abs(y[j] - smo[j]) / d;
      } else if (j > 0) {
        (*residuals)[j] = (*residuals)[j - 1];
      }
    }
  }
  for (std::size_t j = 0; j < n;) {
    std::size_t e = j;
    double sum = smo[j];
    while (e + 1 < n && x[e + 1] <= x[e]) sum += smo[++e];
    if (e > j)
      std::fill(smo.begin() + static_cast<std::ptrdiff_t>(j),
                smo.begin() + static_cast<std::ptrdiff_t>(e) + 1,
                sum / static_cast<double>(e - j + 1));
    j = e + 1;
  }
}

}  // namespace

std::vector<double> super_smoother(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  if (n == 0) return {};
  if (!(x[n - 1] > x[0])) {
    const double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
    return std::vector<double>(n, mean);
  }
  // A scale of x from its quartiles (widened until positive) sets the tolerance of a flat window.
  std::size_t lo = n / 4, hi = 3 * (n / 4);
  lo = lo > 0 ? lo - 1 : 0;  // R's 1-based x(i), x(j)
  hi = hi > 0 ? hi - 1 : 0;
  double scale = x[hi] - x[lo];
  while (!(scale > 0)) {
    if (hi + 1 < n) ++hi;
    if (lo > 0) --lo;
    scale = x[hi] - x[lo];
  }
  const double vsmlsq = (1e-3 * scale) * (1e-3 * scale);
  constexpr double spans[3] = {0.05, 0.2, 0.5};
  std::vector<double> fit[3], cv[3], resid, span_at(n), mixed(n), out;
  for (int s = 0; s < 3; ++s) {
    running_lines(x, y, spans[s], vsmlsq, fit[s], &resid);
    running_lines(x, resid, spans[1], vsmlsq, cv[s], nullptr);
  }
  for (std::size_t j = 0; j < n; ++j) {
    double best = 1e20;
    for (int s = 0; s < 3; ++s) {
      if (cv[s][j] < best) {
        best = cv[s][j];
        span_at[j] = spans[s];
      }
    }
  }
  std::vector<double> smooth_span;
  running_lines(x, span_at, spans[1], vsmlsq, smooth_span, nullptr);
  for (std::size_t j = 0; j < n; ++j) {
    const double sp = std::clamp(smooth_span[j], spans[0], spans[2]);
    double f = sp - spans[1];
    if (f >= 0) {
      f /= spans[2] - spans[1];
      mixed[j] = (1 - f) * fit[1][j] + f * fit[2][j];
    } else {
      f = -f / (spans[1] - spans[0]);
      mixed[j] = (1 - f) * fit[1][j] + f * fit[0][j];
    }
  }
  running_lines(x, mixed, spans[0], vsmlsq, out, nullptr);
  return out;
}

void envelope_bounds(std::span<const double> w, std::span<const double> draws, double alpha,
                     bool bonferroni, std::vector<double>& lower, std::vector<double>& upper) {
  const std::size_t k = w.size();
  const std::size_t reps = k > 0 ? draws.size() / k : 0;
  const double sw = std::accumulate(w.begin(), w.end(), 0.0);
  // by_rank[i * reps + j]: the i-th smallest residual of replicate j.
  std::vector<double> by_rank(k * reps), e(k);
  for (std::size_t j = 0; j < reps; ++j) {
    const double* d = draws.data() + j * k;
    double fitted = 0;
    for (std::size_t i = 0; i < k; ++i) fitted += w[i] * d[i];
    fitted /= sw;
    for (std::size_t i = 0; i < k; ++i) e[i] = d[i] - fitted;
    std::sort(e.begin(), e.end());
    for (std::size_t i = 0; i < k; ++i) by_rank[i * reps + j] = e[i];
  }
  const double p = bonferroni ? alpha / 2 / static_cast<double>(k) : alpha / 2;
  lower.assign(k, 0);
  upper.assign(k, 0);
  for (std::size_t i = 0; i < k; ++i) {
    const std::span<double> row(by_rank.data() + i * reps, reps);
    std::sort(row.begin(), row.end());
    lower[i] = quantile_type7(row, p);
    upper[i] = quantile_type7(row, 1 - p);
  }
}

}  // namespace detail

namespace plot {

using detail::xy_panel;

std::string qqnorm_envelope_options::validate() const {
  if (reps < 10 || reps > 100000) {
    return fmt::format("envelope replicates are {}, but must be between 10 and 100000", reps);
  }
  return "";
}

std::string qqnorm_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (panel_width < 0 || panel_height < 0 || width < 0 || height < 0) {
    return "sizes must not be negative";
  }
  return "";
}

namespace {

/// k x reps standard normal draws, replicate by replicate: a 64-bit Mersenne Twister (fully
/// specified by the C++ standard, so the same seed gives the same draws everywhere) through
/// Box-Muller.
std::vector<double> normal_draws(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&] {
    // (0, 1): 53 random bits, offset by half a step so that 0 never occurs.
    return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
  };
  std::vector<double> out(count);
  for (std::size_t i = 0; i < count; i += 2) {
    const double r = std::sqrt(-2 * std::log(uniform()));
    const double t = 2 * std::numbers::pi * uniform();
    out[i] = r * std::cos(t);
    if (i + 1 < count) out[i + 1] = r * std::sin(t);
  }
  return out;
}

}  // namespace

expected<qqnorm_data> qqnorm_data_from(const pool_result& r, model_kind m,
                                       const qqnorm_envelope_options& env) {
  if (auto msg = env.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  const std::size_t k = r.yi.size();
  if (k < 2) {
    return fail(errc::plot_bad_data,
                fmt::format("the QQ plot needs at least 2 studies; there are {}", k));
  }
  if (env.envelope && static_cast<double>(k) * env.reps > 5e7) {
    return fail(errc::plot_bad_options,
                fmt::format("{} studies x {} envelope replicates exceed 5e7 draws; ask for fewer "
                            "replicates",
                            k, env.reps));
  }
  qqnorm_data out;
  out.model = m;
  out.level = r.level;
  out.tau2 = m == model_kind::random ? r.heterogeneity.tau2 : 0.0;
  std::vector<double> w(k);
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double v = r.vi[i] + out.tau2;
    if (!(v > 0 && std::isfinite(v) && std::isfinite(r.yi[i]))) {
      return fail(errc::plot_bad_data,
                  fmt::format("QQ plot: study {} ('{}') has y = {:g}, v + tau^2 = {:g}; needs a "
                              "finite y and a positive finite variance",
                              i + 1, i < r.study.size() ? r.study[i] : std::string(), r.yi[i], v));
    }
    w[i] = 1 / v;
    sw += w[i];
    swy += w[i] * r.yi[i];
  }
  // The inverse-variance mean of the model (rma.uni's estimate under either model).
  const double mu = swy / sw;
  std::vector<qqnorm_point> pts;
  for (std::size_t i = 0; i < k; ++i) {
    // Var(y_i - mu) = v_i + tau^2 - 1/W for the intercept-only model (diagonal of (I-H)M(I-H)').
    const double var = r.vi[i] + out.tau2 - 1 / sw;
    const std::string label = i < r.study.size() ? r.study[i] : fmt::format("Study {}", i + 1);
    if (!(var > 0)) {
      return fail(errc::plot_bad_data,
                  fmt::format("QQ plot: study {} ('{}') carries all the weight; its residual has "
                              "no variance",
                              i + 1, label));
    }
    pts.push_back({label, 0, (r.yi[i] - mu) / std::sqrt(var)});
  }
  std::stable_sort(pts.begin(), pts.end(), [](const qqnorm_point& a, const qqnorm_point& b) {
    return a.residual < b.residual;
  });
  const auto q = detail::normal_rank_quantiles(k);
  for (std::size_t i = 0; i < k; ++i) pts[i].theoretical = q[i];
  out.points = std::move(pts);
  if (env.envelope) {
    const auto draws = normal_draws(k * static_cast<std::size_t>(env.reps), env.seed);
    detail::envelope_bounds(w, draws, 1 - r.level / 100, env.bonferroni, out.envelope_lower,
                            out.envelope_upper);
    if (env.smooth) {
      out.envelope_lower = detail::super_smoother(q, out.envelope_lower);
      out.envelope_upper = detail::super_smoother(q, out.envelope_upper);
    }
  }
  return out;
}

expected<drawing> draw_qqnorm(const qqnorm_data& data, const qqnorm_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (data.points.empty()) return fail(errc::plot_bad_data, "no study to draw in the QQ plot");
  const std::size_t k = data.points.size();
  const bool has_envelope = !data.envelope_lower.empty();
  if (has_envelope && (data.envelope_lower.size() != k || data.envelope_upper.size() != k)) {
    return fail(errc::plot_bad_data,
                fmt::format("QQ plot: the envelope has {} and {} values for {} points",
                            data.envelope_lower.size(), data.envelope_upper.size(), k));
  }
  double lo_x = 0, hi_x = 0, lo_y = 0, hi_y = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const auto& p = data.points[i];
    const double lo_e = has_envelope ? data.envelope_lower[i] : p.residual;
    const double hi_e = has_envelope ? data.envelope_upper[i] : p.residual;
    if (!(std::isfinite(p.theoretical) && std::isfinite(p.residual) && std::isfinite(lo_e) &&
          std::isfinite(hi_e))) {
      return fail(errc::plot_bad_data,
                  fmt::format("QQ point {} ('{}'): quantile {:g}, residual {:g}; both must be "
                              "finite, as must the envelope",
                              i + 1, p.label, p.theoretical, p.residual));
    }
    lo_x = std::min(lo_x, p.theoretical);
    hi_x = std::max(hi_x, p.theoretical);
    lo_y = std::min({lo_y, p.residual, lo_e});
    hi_y = std::max({hi_y, p.residual, hi_e});
  }

  text_measurer m(o.font_family);
  const detail::chart c(m, o.font_size);
  const detail::figure_frame frame(c, o, "QQ plot", "Normal QQ plot");
  const double fs = o.font_size;
  const double margin = frame.margin();
  const detail::axes_parts parts{.grid = false, .x_title = o.x_title, .y_title = o.y_title};
  std::string note = fmt::format(
      "{} model{}; line: y = x",
      data.model == model_kind::common ? "Common-effect" : "Random-effects",
      data.model == model_kind::random
          ? fmt::format(" (\u03c4\u00b2 = {})",
                        detail::figure_tau2(data.tau2, detail::tau2_decimals(
                                                           std::span<const double>(&data.tau2, 1))))
          : std::string());
  if (has_envelope) {
    note += fmt::format(
        "; dotted: {}% pseudo-confidence envelope (simulated)",
        detail::figure_number(data.level, data.level == std::round(data.level) ? 0 : 1));
  }

  struct geometry {
    xy_panel panel;
    std::vector<std::string> note_lines;  // the note wrapped to the figure's width
    double note_y = 0, total_w = 0, total_h = 0;
  };
  const double line = c.line_height(c.small()) + fs * 0.25;
  auto place = [&](double pw, double ph) {
    geometry g;
    g.panel.x = c.x_axis(false, lo_x, hi_x, pw);
    g.panel.y = c.y_axis(false, lo_y, hi_y, ph);
    detail::expand_axis(g.panel.x);
    detail::expand_axis(g.panel.y);
    auto [right, bottom] = c.place_panel(g.panel, parts, margin, frame.panel_top(), pw, ph);
    right = std::max(right, frame.title_right());
    g.note_lines = detail::wrap_text(m, note, c.small(), std::max(right - margin, fs * 20));
    for (const auto& l : g.note_lines) right = std::max(right, margin + c.width(l, c.small()));
    g.note_y = bottom + fs * 0.6 + c.extents(note, c.small()).ascent;
    g.total_w = right + margin;
    g.total_h = g.note_y + static_cast<double>(g.note_lines.size() - 1) * line +
                c.extents(note, c.small()).descent + margin;
    return g;
  };
  double pw = o.panel_width > 0 ? o.panel_width : 260;
  double ph = o.panel_height > 0 ? o.panel_height : 240;
  geometry g = place(pw, ph);
  if (auto ok = frame.fit(fs * 10, fs * 10, pw, ph, g, place); !ok) return unexpected(ok.error());
  drawing d = frame.open(g);
  const auto& p = g.panel;

  d.begin_group("lines");
  {
    // y = x across the panel, clipped to its box.
    const double a = std::max(p.x.lo, p.y.lo), b = std::min(p.x.hi, p.y.hi);
    if (a < b) {
      const point s = p.at(a, a), e = p.at(b, b);
      d.line(s, e, {.colour = colours::black, .width = 1});
      d.add_box({s.x, e.y, e.x - s.x, s.y - e.y}, box_kind::mark, "identity line");
    }
  }
  if (has_envelope) {
    for (const auto* bound : {&data.envelope_lower, &data.envelope_upper}) {
      std::vector<point> curve;
      for (std::size_t i = 0; i < k; ++i) {
        curve.push_back(p.at(data.points[i].theoretical, (*bound)[i]));
      }
      d.polyline(curve, {.colour = colours::mid_grey, .width = 0.9, .dash = {1.5, 2}});
      double y0 = curve.front().y, y1 = y0;
      for (const auto& q : curve) {
        y0 = std::min(y0, q.y);
        y1 = std::max(y1, q.y);
      }
      d.add_box({curve.front().x, y0, curve.back().x - curve.front().x, y1 - y0}, box_kind::mark,
                "envelope");
    }
  }
  d.end_group();
  d.begin_group("studies");
  const double r = fs * 0.3;
  for (const auto& pt : data.points) {
    const point at = p.at(pt.theoretical, pt.residual);
    d.circle(at, r, {.fill = colours::black});
    d.add_box({at.x - r, at.y - r, 2 * r, 2 * r}, box_kind::mark, "study");
  }
  d.end_group();
  d.begin_group("axes");
  c.draw_panel_axes(d, p, parts);
  d.end_group();
  for (std::size_t i = 0; i < g.note_lines.size(); ++i) {
    c.text(d, {margin, g.note_y + static_cast<double>(i) * line}, g.note_lines[i], c.small());
  }
  return d;
}

}  // namespace plot
}  // namespace srma
