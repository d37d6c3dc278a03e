// Building blocks of the scatter-type figures (private): Baujat, influence panels, bubble and
// GOSH plots and the PRISMA flow diagram share them. Text is drawn and its box recorded in one
// call; a frame records its four edges (not its interior) as marks, so that texts inside a panel
// or a flow-diagram box are not reported as overlaps while texts crossing an edge are; x-y panels
// get ticks, tick labels, grid lines and axis titles from the tick ladders of axis.hpp.
//
// Example:
//
//   srma::detail::chart c(measurer, 9);
//   srma::detail::xy_panel p = ...;                // box, x and y axis_scale
//   c.draw_panel_axes(d, p, {.grid = true});
//   c.text(d, {10, 20}, "Title", c.title_style());
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "axis.hpp"
#include "srma/data/effect_size.hpp"
#include "srma/plot/drawing.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/expected.hpp"

namespace srma::detail {

/// Colours beyond the greyscale of canvas.hpp: metafor's highlight pair and the PRISMA 2020
/// template's fills.
namespace palette {
inline constexpr plot::color red{214, 39, 40};
inline constexpr plot::color blue{31, 92, 180};
inline constexpr plot::color band_blue{189, 215, 238};     ///< PRISMA stage bands.
inline constexpr plot::color header_yellow{255, 193, 37};  ///< PRISMA "via databases" header.
inline constexpr plot::color header_grey{217, 217, 217};   ///< PRISMA "other methods" header.
inline constexpr plot::color grid{225, 225, 225};
inline constexpr plot::color bubble_fill{160, 160, 160};
inline constexpr plot::color band_fill{215, 215, 215};  ///< Confidence bands.
inline constexpr plot::color band_fill_light{238, 238, 238};
}  // namespace palette

/// A plotting panel: its box and the scales of its axes. `y` maps values to positions from the
/// bottom (y.x0 = box.bottom()) to the top (y.x1 = box.y).
struct xy_panel {
  plot::rect box;
  axis_scale x;
  axis_scale y;

  [[nodiscard]] double px(double v) const { return x.position(v); }
  [[nodiscard]] double py(double v) const { return y.position(v); }
  [[nodiscard]] plot::point at(double vx, double vy) const { return {px(vx), py(vy)}; }
};

/// What draw_panel_axes draws besides the frame, ticks and tick labels.
struct axes_parts {
  bool grid = false;     ///< Light grey lines at the ticks, behind everything.
  bool x_labels = true;  ///< Tick labels under the x axis.
  bool y_labels = true;  ///< Tick labels left of the y axis.
  std::string x_title;   ///< Under the x tick labels ("" none).
  std::string y_title;   ///< Vertical, left of the y tick labels ("" none).
};

/// Text, frames, axes and arrows with the layout's bookkeeping.
class chart {
 public:
  chart(const plot::text_measurer& m, double font_size);

  [[nodiscard]] const plot::text_style& body() const { return body_; }
  [[nodiscard]] const plot::text_style& small() const { return small_; }
  [[nodiscard]] const plot::text_style& bold() const { return bold_; }
  [[nodiscard]] const plot::text_style& title_style() const { return title_; }
  [[nodiscard]] double font_size() const { return fs_; }
  [[nodiscard]] const plot::text_measurer& measurer() const { return m_; }

  [[nodiscard]] double width(std::string_view s, const plot::text_style& st) const;
  [[nodiscard]] plot::text_extents extents(std::string_view s, const plot::text_style& st) const;
  /// Ascent + descent of a line in `st`.
  [[nodiscard]] double line_height(const plot::text_style& st) const;

  /// Draws `s` and records its box (nothing for an empty string).
  void text(plot::drawing& d, plot::point at, std::string_view s, const plot::text_style& st) const;

  /// Lengths the axes of a panel add around it, for a given pair of scales.
  struct margins {
    double left = 0;    ///< y tick labels, y title.
    double bottom = 0;  ///< x ticks, tick labels, x title.
  };
  [[nodiscard]] margins axes_margins(const xy_panel& p, const axes_parts& parts) const;

  /// Where a placed panel's axes end: right of the last x tick label, under the x axis title.
  struct panel_extent {
    double right = 0;
    double bottom = 0;
  };
  /// Puts a `width` × `height` panel with its top at `top` and its axes (y labels and title, and
  /// half of the first x tick label, which is centred on the left edge) right of `margin`; sets
  /// p.box and the positions of both scales. The scales' ticks must be set already.
  panel_extent place_panel(xy_panel& p, const axes_parts& parts, double margin, double top,
                           double width, double height) const;

  /// Frame, ticks, tick labels and titles of `p` (grid lines first when asked).
  void draw_panel_axes(plot::drawing& d, const xy_panel& p, const axes_parts& parts) const;
  /// Grid lines only (call before the data, then draw_panel_axes with grid = false).
  void draw_grid(plot::drawing& d, const xy_panel& p) const;

  /// A y axis scale for values [lo, hi] over `length` points (labels spaced by their height).
  [[nodiscard]] axis_scale y_axis(bool log, double lo, double hi, double length,
                                  axis_limits limits = {}, int max_ticks = 8) const;
  /// An x axis scale for values [lo, hi] over `length` points (labels spaced by their width).
  [[nodiscard]] axis_scale x_axis(bool log, double lo, double hi, double length,
                                  axis_limits limits = {}, int max_ticks = 9) const;

 private:
  const plot::text_measurer& m_;
  double fs_;
  plot::text_style body_, small_, bold_, title_;
};

/// Widens `a` by `fraction` of its range at each end, keeping its ticks: the frame then stands a
/// little off the outermost ticks and the data on them (R's default "r" axis style).
void expand_axis(axis_scale& a, double fraction = 0.04);

/// Records the four edges of `r` as thin marks named `name` (its interior stays free for text).
void add_frame_marks(plot::drawing& d, const plot::rect& r, std::string_view name);

/// A straight arrow from `from` to `to` with a filled head at `to`; records it as a mark.
void draw_arrow(plot::drawing& d, plot::point from, plot::point to, double head = 5);
/// A polyline whose last segment ends in an arrow head; records each segment as a mark.
void draw_elbow_arrow(plot::drawing& d, const std::vector<plot::point>& path, double head = 5);

/// Liang-Barsky: the range [t0, t1] of the parameter t of a + t (b - a), 0 <= t <= 1, that lies
/// in `r` (its interior when `open`, else the closed box); false when there is none.
[[nodiscard]] bool clip_range(plot::point a, plot::point b, const plot::rect& r, bool open,
                              double& t0, double& t1);

/// True when segment a-b passes through the interior of `r`.
[[nodiscard]] bool segment_hits(plot::point a, plot::point b, const plot::rect& r);

/// Splits `text` at spaces into lines no wider than `max_width` (a single word wider than that
/// stays on a line of its own).
[[nodiscard]] std::vector<std::string> wrap_text(const plot::text_measurer& m,
                                                 std::string_view text, const plot::text_style& st,
                                                 double max_width);

/// "Risk ratio (log scale)", "Mean difference", "Estimate" (generic); an axis on another
/// analysis scale with back-transformed labels: "Proportion (logit scale)".
[[nodiscard]] std::string effect_axis_title(effect_measure m);

/// For an axis whose positions are on the analysis scale of a measure shown back-transformed
/// on a linear scale (PLN, PLO, PAS, PFT, ZCOR, IRLN): ticks at round display values (0.1, 0.2,
/// ... for a proportion), labelled on the display scale, as metafor's funnel(..., atransf=).
/// The finest step whose labels keep `min_gap` apart is used; `a` is left as it is for other
/// measures or when fewer than two such ticks fit.
void back_transform_ticks(axis_scale& a, effect_measure m, const display_context& context,
                          const label_width_fn& width, double min_gap);

/// "1,525": thousands separated by commas (as the PRISMA2020 app).
[[nodiscard]] std::string format_count(long n);

/// A size check shared by the figures: "" when `size` (0: automatic) can hold `needed`.
[[nodiscard]] std::string size_error(std::string_view figure, std::string_view what, double size,
                                     double needed);

/// Fits a figure to a requested total `width` and/or `height` (0: automatic) by giving the
/// difference to its panels: `place(pw, ph)` lays the figure out with panels of pw × ph and
/// returns a geometry with total_w and total_h; `cols` × `rows` panels share the difference, none
/// smaller than `min_w` × `min_h`. Updates pw, ph and g; returns "" or the size_error message of
/// the size that cannot hold the content.
template <class Geometry, class Place>
[[nodiscard]] std::string fit_to_size(std::string_view figure, double width, double height,
                                      double min_w, double min_h, double& pw, double& ph,
                                      Geometry& g, const Place& place, double cols = 1,
                                      double rows = 1) {
  if (width > 0) {
    pw = std::max(min_w, pw + (width - g.total_w) / cols);
    g = place(pw, ph);
    if (auto msg = size_error(figure, "width", width, g.total_w); !msg.empty()) return msg;
  }
  if (height > 0) {
    ph = std::max(min_h, ph + (height - g.total_h) / rows);
    g = place(pw, ph);
    if (auto msg = size_error(figure, "height", height, g.total_h); !msg.empty()) return msg;
  }
  return "";
}

/// The prologue the scatter-type figures share (Baujat, bubble, influence, L'Abbé, radial, QQ,
/// drapery): a margin of one font size, a bold title above the panels, the fit of the panels
/// to a requested total size and the drawing that opens with the title. `Options` is any
/// options struct with title, font_family, width and height.
///
/// Example:
///
///   const detail::figure_frame f(c, o, "radial plot", "Radial plot");
///   const double top = f.panel_top();                 // in place(pw, ph)
///   if (auto ok = f.fit(min_w, min_h, pw, ph, g, place); !ok) return unexpected(ok.error());
///   plot::drawing d = f.open(g);                       // title drawn
class figure_frame {
 public:
  template <class Options>
  figure_frame(const chart& c, const Options& o, std::string_view name,
               std::string_view default_title)
      : c_(c),
        name_(name),
        default_title_(default_title),
        title_(o.title),
        font_family_(o.font_family),
        width_(o.width),
        height_(o.height) {}

  /// The margin round the figure: one font size.
  [[nodiscard]] double margin() const { return c_.font_size(); }
  /// Height of the title and its gap (0 without a title).
  [[nodiscard]] double title_height() const {
    return title_.empty() ? 0 : c_.line_height(c_.title_style()) + c_.font_size() * 0.8;
  }
  /// Top of a single panel: under the title, with half a line for its top tick label.
  [[nodiscard]] double panel_top() const {
    return margin() + title_height() + c_.line_height(c_.small()) / 2;
  }
  /// Width the title needs, margin included on its left.
  [[nodiscard]] double title_right() const { return margin() + c_.width(title_, c_.title_style()); }

  /// fit_to_size for the requested width and height; srma.plot.E505 when they are too small.
  template <class Geometry, class Place>
  [[nodiscard]] expected<void> fit(double min_w, double min_h, double& pw, double& ph, Geometry& g,
                                   const Place& place, double cols = 1, double rows = 1) const {
    if (auto msg = fit_to_size(name_, width_, height_, min_w, min_h, pw, ph, g, place, cols, rows);
        !msg.empty()) {
      return fail(errc::plot_too_small, msg);
    }
    return {};
  }

  /// Gives `g` the requested total size (where one was asked for) and opens its drawing: the
  /// font family set and the title drawn at the top left.
  template <class Geometry>
  [[nodiscard]] plot::drawing open(Geometry& g) const {
    if (width_ > 0) g.total_w = width_;
    if (height_ > 0) g.total_h = height_;
    plot::drawing d(g.total_w, g.total_h, title_.empty() ? default_title_ : title_);
    d.set_font_family(font_family_);
    if (!title_.empty()) {
      c_.text(d, {margin(), margin() + c_.extents(title_, c_.title_style()).ascent}, title_,
              c_.title_style());
    }
    return d;
  }

 private:
  const chart& c_;
  std::string name_, default_title_, title_, font_family_;
  double width_ = 0, height_ = 0;
};

}  // namespace srma::detail
