// Forest plot layout and drawing.
//
// Layout first, drawing second: every text is measured with Pango, the columns get the width of
// their widest entry, the forest panel gets a fixed width (or what an explicit total width
// leaves), and the canvas takes whatever size results. Columns, left to right:
//
//   label | extra columns | forest panel | estimate [CI] | weight columns
//
// Rows are stacked from the top under a header; the axis, its tick labels, the "favours" labels
// and the axis title sit under the last row.
#include "srma/plot/forest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "axis.hpp"
#include "chart.hpp"
#include "figure_format.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/report/format.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::plot {

std::string_view to_string(forest_layout l) {
  switch (l) {
    case forest_layout::revman5:
      return "revman5";
    case forest_layout::jama:
      return "jama";
    case forest_layout::lancet:
      return "lancet";
    case forest_layout::srma:
      break;
  }
  return "srma";
}

std::optional<forest_layout> parse_forest_layout(std::string_view text) {
  for (auto l :
       {forest_layout::srma, forest_layout::revman5, forest_layout::jama, forest_layout::lancet}) {
    if (detail::iequals(text, to_string(l))) return l;
  }
  return std::nullopt;
}

expected<void> forest_options::set_favours(std::string_view left_bar_right) {
  if (left_bar_right.empty()) return {};
  const auto bar = left_bar_right.find('|');
  if (bar == std::string_view::npos ||
      left_bar_right.find('|', bar + 1) != std::string_view::npos) {
    return fail(errc::plot_bad_options,
                fmt::format("favours '{}': expected two labels separated by '|', e.g. "
                            "\"Favours treatment|Favours control\"",
                            left_bar_right));
  }
  favours_left = std::string(left_bar_right.substr(0, bar));
  favours_right = std::string(left_bar_right.substr(bar + 1));
  return {};
}

std::string forest_options::validate() const {
  const bool log = is_ratio(measure);
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (decimals && (*decimals < 0 || *decimals > 6)) {
    return fmt::format("decimals is {}, but must be between 0 and 6", *decimals);
  }
  if (!(level > 0 && level < 100)) {
    return fmt::format("level is {:g}, but must be between 0 and 100", level);
  }
  for (const auto& [name, v] : {std::pair{"axis minimum", axis_min}, {"axis maximum", axis_max}}) {
    if (v && (!std::isfinite(*v) || (log && *v <= 0))) {
      return fmt::format("{} is {:g}, but must be {}", name, *v,
                         log ? "> 0 on the log axis of a ratio" : "finite");
    }
  }
  if (axis_min && axis_max && *axis_min >= *axis_max) {
    return fmt::format("axis limits {:g} to {:g}: the minimum must be below the maximum", *axis_min,
                       *axis_max);
  }
  if (reference && std::isfinite(*reference) && log && *reference <= 0) {
    return fmt::format("reference line at {:g}, but must be > 0 on the log axis of a ratio",
                       *reference);
  }
  if (forest_width < 0 || width < 0 || height < 0) return "sizes must not be negative";
  for (const auto& g : column_groups) {
    if (g.count == 0 || g.first + g.count > column_titles.size()) {
      return fmt::format("column group '{}' spans columns {} to {}, but there are {} columns",
                         g.title, g.first + 1, g.first + g.count, column_titles.size());
    }
  }
  return "";
}

namespace {

using detail::axis_scale;

constexpr double na = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto nl = s.find('\n', start);
    out.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

bool is_numeric_cell(const std::string& s) {
  return detail::parse_double(detail::trim(s)).has_value();
}

/// The Lancet's decimal point is the raised (mid-line) point: "0·52" (its formatting guide).
std::string lancet_digits(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool between_digits = s[i] == '.' && i > 0 && i + 1 < s.size() &&
                                std::isdigit(static_cast<unsigned char>(s[i - 1])) != 0 &&
                                std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0;
    if (between_digits) {
      out += "\u00b7";
    } else {
      out += s[i];
    }
  }
  return out;
}

/// Squares and diamonds: grey (srma, Lancet); RevMan 5 colours squares by data type (blue for
/// dichotomous, green for continuous, red for generic inverse variance, as meta's
/// layout_colors()); JAMA dark blue squares and light blue diamonds (meta's layout "JAMA").
struct mark_colours {
  color square = colours::dark_grey;
  color diamond = colours::dark_grey;
};

mark_colours colours_of(forest_layout l, effect_measure m) {
  switch (l) {
    case forest_layout::revman5: {
      const bool dichotomous = m == effect_measure::odds_ratio || m == effect_measure::risk_ratio ||
                               m == effect_measure::risk_difference;
      const bool continuous =
          m == effect_measure::mean_difference || m == effect_measure::std_mean_difference ||
          m == effect_measure::std_mean_difference_h || m == effect_measure::ratio_of_means;
      return {dichotomous  ? color{0, 0, 255}
              : continuous ? color{0, 128, 0}
                           : color{255, 0, 0},
              colours::black};
    }
    case forest_layout::jama:
      return {color{0, 0, 139}, color{173, 216, 230}};
    case forest_layout::srma:
    case forest_layout::lancet:
      break;
  }
  return {};
}

/// The two parts of an annotation: the estimate "0.41", right-aligned, and its interval
/// "[0.13, 1.26]", left-aligned after it (one string, so no column alignment opens a gap inside
/// the brackets).
struct annotation {
  std::string est, ci;
};

struct styles {
  text_style body, bold, small, axis, title;
};

/// Everything horizontal, computed for a given forest panel width.
struct columns {
  double margin = 0;
  double label_x = 0;
  std::vector<double> col_end;  // extra columns: right edge
  std::vector<double> col_start;
  double forest_x0 = 0, forest_x1 = 0;
  double ann_end = 0;
  double ann_est_end = 0;
  double ann_ci_start[2] = {0, 0};  // by style: 0 plain, 1 bold (summary rows)
  std::vector<double> weight_end;
  double total = 0;
  axis_scale axis;
  double ref_x = na;
  double split_x = 0;  // where the favours labels meet
};

class forest_engine {
 public:
  // `display_scale`: the rows hold display-scale values (a back-transformed measure drawn on
  // a linear axis), shown as they are.
  forest_engine(std::span<const forest_row> rows, const forest_options& o, bool display_scale)
      : rows_(rows), o_(o), m_(o.font_family), display_scale_(display_scale) {
    const double fs = o.font_size;
    st_.body = {.size = fs};
    st_.bold = {.size = fs, .bold = true};
    st_.small = {.size = fs - 1};
    st_.axis = {.size = fs - 1};
    st_.title = {.size = fs + 2, .bold = true};
    log_ = is_ratio(o.measure);
    numbers_left_ = o.layout == forest_layout::revman5 || o.layout == forest_layout::jama;
    marks_ = colours_of(o.layout, o.measure);
  }

  /// The rows [begin, end) as pages of at most `max_rows` rows (0: one page), all with the
  /// columns and the axis of the whole plot, so that the pages line up.
  expected<std::vector<drawing>> run_pages(std::size_t max_rows);

 private:
  [[nodiscard]] double width(const std::string& s, const text_style& st) const {
    return m_.measure(s, st).width;
  }
  [[nodiscard]] double lines_width(const std::string& s, const text_style& st) const {
    double w = 0;
    for (const auto& l : split_lines(s)) w = std::max(w, width(l, st));
    return w;
  }
  [[nodiscard]] double to_analysis(double display) const {
    return log_ ? std::log(display) : display;
  }
  [[nodiscard]] const text_style& label_style(const forest_row& r) const {
    return r.kind == forest_row_kind::summary || r.kind == forest_row_kind::heading ? st_.bold
                                                                                    : st_.body;
  }
  [[nodiscard]] std::string fmt_value(double y) const {
    return digits(display_scale_ ? detail::figure_number(y, decimals_)
                                 : detail::figure_effect(o_.measure, y, decimals_));
  }
  /// Numbers as the layout writes them (the Lancet's mid-point decimals).
  [[nodiscard]] std::string digits(const std::string& s) const {
    return o_.layout == forest_layout::lancet ? lancet_digits(s) : s;
  }
  /// An interval in the layout's style: "[0.36, 0.76]" (srma, RevMan 5), "(0.36-0.76)"
  /// (JAMA), "(0·36–0·76)" (Lancet); "to" instead of the dash when a bound is negative.
  [[nodiscard]] std::string interval(const std::string& lo, const std::string& hi) const {
    if (o_.layout == forest_layout::srma || o_.layout == forest_layout::revman5) {
      return "[" + lo + ", " + hi + "]";
    }
    const bool negative = lo.find("\u2212") != std::string::npos ||
                          hi.find("\u2212") != std::string::npos || lo.find('-') == 0 ||
                          hi.find('-') == 0;
    const std::string dash = negative                             ? " to "
                             : o_.layout == forest_layout::lancet ? "\u2013"
                                                                  : "-";
    return "(" + lo + dash + hi + ")";
  }

  expected<void> check_rows();
  void measure_content();
  columns place_columns(double forest_w) const;
  void text_at(drawing& d, point at, const std::string& s, const text_style& st,
               std::string_view what = {}) const;
  void draw_row(drawing& d, const columns& c, std::size_t i, double top, double h) const;
  void draw_interval(drawing& d, const columns& c, double lo, double hi, double yc,
                     const stroke_style& stroke, double tick) const;
  void draw_arrow(drawing& d, double x_tip, double yc, int direction) const;
  expected<void> prepare();
  expected<drawing> draw_page(std::size_t begin, std::size_t end, std::size_t page,
                              std::size_t n_pages) const;

  std::span<const forest_row> rows_;
  const forest_options& o_;
  text_measurer m_;
  bool display_scale_ = false;
  styles st_;
  bool log_ = false;
  bool numbers_left_ = false;  // weights and annotations left of the forest (RevMan 5, JAMA)
  mark_colours marks_;

  // Measured content.
  std::string est_title_;
  bool annotate_ = true;
  std::vector<annotation> ann_;
  std::vector<std::vector<std::string>> weight_text_;
  double label_w_ = 0;
  // Labels (and text rows) wrap at this width: long study names and a narrow --width give
  // rows of several lines instead of a figure wider than the page (issue 13 item 3).
  double label_cap_ = 0;
  // Text rows (heterogeneity, tests) wrap only when a given width asks for it.
  double text_cap_ = 0;
  std::vector<std::vector<std::string>> label_lines_;
  double extra_line_h_ = 0;  // height of each line after a row's first
  std::vector<double> col_w_;
  std::vector<bool> col_right_;
  // Annotation parts, measured separately for plain and bold rows: bold digits are wider.
  double ann_est_w_ = 0, ann_ci_w_[2] = {0, 0};
  double space_w_[2] = {0, 0};
  double ann_w_ = 0, ann_content_w_ = 0;
  std::vector<double> weight_w_;
  double text_row_w_ = 0;
  double data_lo_ = 0, data_hi_ = 0;
  double ref_ = na;  // analysis scale
  double max_size_weight_ = 0;
  columns c_;  // the horizontal layout, shared by every page
  int decimals_ = 2;
  std::string axis_title_;
};

expected<void> forest_engine::check_rows() {
  bool any = false;
  double narrowest = std::numeric_limits<double>::infinity();
  data_lo_ = std::numeric_limits<double>::infinity();
  data_hi_ = -data_lo_;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const auto& r = rows_[i];
    const auto where = fmt::format("forest row {} ('{}')", i + 1, r.label);
    if (r.cells.size() > o_.column_titles.size()) {
      return fail(errc::plot_bad_data,
                  fmt::format("{} has {} cells, but there are {} column titles", where,
                              r.cells.size(), o_.column_titles.size()));
    }
    if (r.weights.size() > o_.weight_titles.size()) {
      return fail(errc::plot_bad_data,
                  fmt::format("{} has {} weights, but there are {} weight titles", where,
                              r.weights.size(), o_.weight_titles.size()));
    }
    if (std::isfinite(r.lower) && std::isfinite(r.upper) && r.lower > r.upper) {
      return fail(errc::plot_bad_data, fmt::format("{}: lower bound {:g} is above upper bound {:g}",
                                                   where, r.lower, r.upper));
    }
    const bool has_marks = r.kind == forest_row_kind::study || r.kind == forest_row_kind::summary ||
                           r.kind == forest_row_kind::prediction;
    if (!has_marks) continue;
    for (double v : {r.estimate, r.lower, r.upper}) {
      if (std::isfinite(v)) {
        data_lo_ = std::min(data_lo_, v);
        data_hi_ = std::max(data_hi_, v);
        any = true;
      }
    }
    if (r.kind == forest_row_kind::study && std::isfinite(r.lower) && std::isfinite(r.upper)) {
      narrowest = std::min(narrowest, r.upper - r.lower);
    }
    if (r.kind == forest_row_kind::study && std::isfinite(r.size_weight) && r.size_weight > 0) {
      max_size_weight_ = std::max(max_size_weight_, r.size_weight);
    }
  }
  if (!any) {
    return fail(errc::plot_bad_data, "no row has a finite estimate or interval to draw");
  }
  decimals_ = 2;
  if (o_.decimals) {
    decimals_ = *o_.decimals;
  } else if (!log_ && narrowest > 0 && std::isfinite(narrowest)) {
    decimals_ = std::clamp(static_cast<int>(std::ceil(std::log10(5 / narrowest))), 2, 4);
  }
  const double ref_display = o_.reference.value_or(null_value(o_.measure));
  if (std::isfinite(ref_display)) ref_ = to_analysis(ref_display);
  if (std::isfinite(ref_)) {
    data_lo_ = std::min(data_lo_, ref_);
    data_hi_ = std::max(data_hi_, ref_);
  }
  return {};
}

void forest_engine::measure_content() {
  const auto level = format_level(o_.level);
  if (o_.estimate_title) {
    est_title_ = *o_.estimate_title;
  } else {
    est_title_ = fmt::format("{} [{}% CI]", display_label(o_.measure), level);
  }
  annotate_ = !est_title_.empty();
  if (o_.axis_title) {
    axis_title_ = *o_.axis_title;
  } else if (o_.measure == effect_measure::generic) {
    axis_title_ = "Estimate";
  } else {
    axis_title_ = capitalised(measure_name(o_.measure)) + (log_ ? " (log scale)" : "");
  }

  space_w_[0] = width(" ", st_.body);
  space_w_[1] = width(" ", st_.bold);
  label_w_ = lines_width(o_.label_title, st_.bold);
  col_w_.assign(o_.column_titles.size(), 0);
  col_right_.assign(o_.column_titles.size(), true);
  std::vector<bool> col_any(o_.column_titles.size(), false);
  for (std::size_t c = 0; c < o_.column_titles.size(); ++c) {
    col_w_[c] = lines_width(o_.column_titles[c], st_.bold);
  }
  weight_w_.assign(o_.weight_titles.size(), 0);
  for (std::size_t c = 0; c < o_.weight_titles.size(); ++c) {
    weight_w_[c] = lines_width(o_.weight_titles[c], st_.bold);
  }
  ann_.assign(rows_.size(), {});
  weight_text_.assign(rows_.size(), {});
  label_lines_.assign(rows_.size(), {});
  text_row_w_ = 0;
  ann_est_w_ = 0;
  ann_ci_w_[0] = ann_ci_w_[1] = 0;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const auto& r = rows_[i];
    const auto& st = label_style(r);
    auto wrapped = [&](const text_style& ls) {
      // Footer lines are numbers too: the Lancet's mid-point decimals there as well.
      label_lines_[i] = detail::wrap_text(
          m_, r.kind == forest_row_kind::text ? digits(r.label) : r.label, ls, label_cap_);
      double w = 0;
      for (const auto& l : label_lines_[i]) w = std::max(w, width(l, ls));
      return w;
    };
    switch (r.kind) {
      case forest_row_kind::text: {
        const double cap = label_cap_;
        label_cap_ = text_cap_;
        text_row_w_ = std::max(text_row_w_, wrapped(st_.small));
        label_cap_ = cap;
        continue;
      }
      case forest_row_kind::spacer:
        continue;
      default:
        label_w_ = std::max(label_w_, wrapped(st));
    }
    for (std::size_t c = 0; c < r.cells.size(); ++c) {
      col_w_[c] = std::max(col_w_[c], width(r.cells[c], st));
      if (!detail::trim(r.cells[c]).empty()) {
        col_any[c] = true;
        if (!is_numeric_cell(r.cells[c])) col_right_[c] = false;
      }
    }
    auto& a = ann_[i];
    if (!r.note.empty()) {
      a.ci = r.note;
    } else {
      if (r.kind == forest_row_kind::study || r.kind == forest_row_kind::summary) {
        if (std::isfinite(r.estimate)) a.est = fmt_value(r.estimate);
      }
      if (!r.lower_text.empty() && !r.upper_text.empty()) {
        a.ci = interval(digits(r.lower_text), digits(r.upper_text));
      } else if (r.kind != forest_row_kind::heading && std::isfinite(r.lower) &&
                 std::isfinite(r.upper)) {
        a.ci = interval(fmt_value(r.lower), fmt_value(r.upper));
      }
    }
    if (annotate_) {
      const int b = st.bold ? 1 : 0;
      ann_est_w_ = std::max(ann_est_w_, width(a.est, st));
      ann_ci_w_[b] = std::max(ann_ci_w_[b], width(a.ci, st));
    }
    for (std::size_t c = 0; c < r.weights.size(); ++c) {
      std::string t =
          std::isfinite(r.weights[c]) ? digits(detail::figure_percent(r.weights[c])) : "";
      weight_w_[c] = std::max(weight_w_[c], width(t, st));
      weight_text_[i].push_back(std::move(t));
    }
  }
  for (std::size_t c = 0; c < col_any.size(); ++c) {
    if (!col_any[c]) col_right_[c] = false;
  }
  if (annotate_) {
    ann_content_w_ = 0;
    for (int b = 0; b < 2; ++b) {
      ann_content_w_ = std::max(ann_content_w_, ann_est_w_ + space_w_[b] + ann_ci_w_[b]);
    }
    ann_w_ = std::max(lines_width(est_title_, st_.bold), ann_content_w_);
  }
}

columns forest_engine::place_columns(double forest_w) const {
  const double fs = o_.font_size;
  const double gap = fs * 1.5;
  columns c;
  c.margin = fs;
  c.label_x = c.margin;
  double x = c.label_x + label_w_;
  for (double w : col_w_) {
    x += gap;
    c.col_start.push_back(x);
    x += w;
    c.col_end.push_back(x);
  }
  // The axis: data limits unless the user fixed them.
  double lo = o_.axis_min ? to_analysis(*o_.axis_min) : data_lo_;
  double hi = o_.axis_max ? to_analysis(*o_.axis_max) : data_hi_;
  if (lo > hi) {
    // Only one limit given, on the far side of all the data.
    if (o_.axis_max) lo = hi;
    if (o_.axis_min) hi = lo;
  }
  auto label_w = [&](const std::string& s) { return width(s, st_.axis); };
  const detail::axis_limits fixed{o_.axis_min.has_value(), o_.axis_max.has_value()};
  c.axis = detail::make_axis(log_, lo, hi, forest_w, label_w, fs * 0.8, 9, fixed);
  // The line of no effect stands inside the panel, off its edges, with room on each side for
  // the favours label that meets it (issue 13 item 2): a free end of the axis moves out until
  // it does. A label wider than 45% of the panel cannot get that room and may reach past it.
  if (std::isfinite(ref_)) {
    auto room = [&](const std::string& favours) {
      const double need =
          std::max(forest_w * 0.06, favours.empty() ? 0.0 : width(favours, st_.small) + fs * 0.6);
      return std::min(need / forest_w, 0.45);
    };
    const double f_lo = room(o_.favours_left), f_hi = room(o_.favours_right);
    for (int iter = 0; iter < 6; ++iter) {
      const double span = c.axis.hi - c.axis.lo;
      bool grow = false;
      if (!fixed.fixed_lo && ref_ - c.axis.lo < f_lo * span - 1e-12) {
        lo = (ref_ - f_lo * c.axis.hi) / (1 - f_lo);  // (ref - lo') / (hi - lo') = f_lo
        grow = true;
      }
      if (!fixed.fixed_hi && c.axis.hi - ref_ < f_hi * span - 1e-12) {
        hi = (ref_ - f_hi * c.axis.lo) / (1 - f_hi);
        grow = true;
      }
      if (!grow) break;
      c.axis = detail::make_axis(log_, lo, hi, forest_w, label_w, fs * 0.8, 9, fixed);
    }
  }

  auto place_numbers = [&] {
    if (annotate_) {
      x += gap;
      c.ann_end = x + ann_w_;
      // The widest annotation ends at the column's right edge, under the end of its title.
      c.ann_est_end = c.ann_end - ann_content_w_ + ann_est_w_;
      for (int b = 0; b < 2; ++b) c.ann_ci_start[b] = c.ann_est_end + space_w_[b];
      x = c.ann_end;
    }
  };
  auto place_weights = [&] {
    for (double w : weight_w_) {
      x += gap;
      x += w;
      c.weight_end.push_back(x);
    }
  };
  if (numbers_left_) {  // RevMan 5: Weight, then the estimate; JAMA: the estimate
    place_weights();
    place_numbers();
  }
  double forest_x0 = x + gap;
  // Text rows start at the label column; they must end before the reference line.
  const double pad = fs * 0.8;
  auto ref_at = [&](double x0) {
    return std::isfinite(ref_) && c.axis.contains(ref_)
               ? x0 + (ref_ - c.axis.lo) / (c.axis.hi - c.axis.lo) * forest_w
               : na;
  };
  const double ref_x = ref_at(forest_x0);
  double shift = 0;
  if (std::isfinite(ref_x)) shift = std::max(shift, c.label_x + text_row_w_ + pad - ref_x);
  // The "favours" labels meet at the reference line (at the middle of the axis without one); the
  // left one is right-aligned there.
  const double split_x = std::isfinite(ref_x) ? ref_x : forest_x0 + forest_w / 2;
  if (!o_.favours_left.empty()) {
    shift = std::max(shift, c.margin + width(o_.favours_left, st_.small) + fs * 0.6 - split_x);
  }
  if (!axis_title_.empty()) {  // centred under the panel
    shift =
        std::max(shift, c.margin + width(axis_title_, st_.small) / 2 - forest_x0 - forest_w / 2);
  }
  // Tick labels are centred on their ticks; the outermost may reach beyond the panel.
  if (!c.axis.labels.empty()) {
    const double half = width(c.axis.labels.front(), st_.axis) / 2;
    const double first =
        forest_x0 + (c.axis.ticks.front() - c.axis.lo) / (c.axis.hi - c.axis.lo) * forest_w;
    shift = std::max(shift, c.margin - (first - half));
  }
  forest_x0 += std::max(0.0, shift);
  c.forest_x0 = forest_x0;
  c.forest_x1 = forest_x0 + forest_w;
  c.axis.x0 = c.forest_x0;
  c.axis.x1 = c.forest_x1;
  c.ref_x = ref_at(forest_x0);

  x = c.forest_x1;
  if (!numbers_left_) {
    place_numbers();
    place_weights();
  }
  double right = x;
  // Things under the axis and the title may reach further right.
  if (!c.axis.labels.empty()) {
    right = std::max(
        right, c.axis.position(c.axis.ticks.back()) + width(c.axis.labels.back(), st_.axis) / 2);
  }
  c.split_x = split_x + std::max(0.0, shift);
  if (!o_.favours_right.empty()) {
    right = std::max(right, c.split_x + fs * 0.6 + width(o_.favours_right, st_.small));
  }
  if (!axis_title_.empty()) {
    right = std::max(right, (c.forest_x0 + c.forest_x1) / 2 + width(axis_title_, st_.small) / 2);
  }
  right =
      std::max(right, (c.forest_x0 + c.forest_x1) / 2 + lines_width(o_.forest_title, st_.bold) / 2);
  right = std::max(right, c.label_x + width(o_.caption, st_.small));
  // The title wraps at the content's width (run()); a single word wider than that widens it.
  for (const auto& l :
       detail::wrap_text(m_, o_.title, st_.title, std::max(right - c.label_x, o_.font_size * 25))) {
    right = std::max(right, c.label_x + width(l, st_.title));
  }
  right = std::max(right, c.label_x + text_row_w_);
  c.total = right + c.margin;
  return c;
}

void forest_engine::text_at(drawing& d, point at, const std::string& s, const text_style& st,
                            std::string_view what) const {
  if (s.empty()) return;
  d.text(at, s, st);
  d.add_box(m_.box(at, s, st), box_kind::text, what.empty() ? s : std::string(what));
}

void forest_engine::draw_arrow(drawing& d, double x_tip, double yc, int direction) const {
  // A small filled arrowhead pointing left (-1) or right (+1) with its tip at x_tip.
  const double len = o_.font_size * 0.55;
  const double half = o_.font_size * 0.28;
  const double xb = x_tip - direction * len;
  const std::vector<point> tri = {{x_tip, yc}, {xb, yc - half}, {xb, yc + half}};
  d.polygon(tri, {.fill = colours::black});
  d.add_box({std::min(x_tip, xb), yc - half, len, 2 * half}, box_kind::mark, "arrow");
}

void forest_engine::draw_interval(drawing& d, const columns& c, double lo, double hi, double yc,
                                  const stroke_style& stroke, double tick) const {
  const auto& a = c.axis;
  if (hi < a.lo || lo > a.hi) {
    // Entirely off the axis: one arrow at the side where it lies.
    draw_arrow(d, hi < a.lo ? a.x0 : a.x1, yc, hi < a.lo ? -1 : 1);
    return;
  }
  const bool clip_lo = lo < a.lo - 1e-12;
  const bool clip_hi = hi > a.hi + 1e-12;
  const double x_lo = clip_lo ? a.x0 : a.position(lo);
  const double x_hi = clip_hi ? a.x1 : a.position(hi);
  d.line({x_lo, yc}, {x_hi, yc}, stroke);
  d.add_box({x_lo, yc - stroke.width / 2, x_hi - x_lo, stroke.width}, box_kind::mark, "interval");
  if (clip_lo) draw_arrow(d, x_lo, yc, -1);
  if (clip_hi) draw_arrow(d, x_hi, yc, 1);
  if (tick > 0) {
    if (!clip_lo) d.line({x_lo, yc - tick}, {x_lo, yc + tick}, stroke);
    if (!clip_hi) d.line({x_hi, yc - tick}, {x_hi, yc + tick}, stroke);
  }
}

void forest_engine::draw_row(drawing& d, const columns& c, std::size_t i, double top,
                             double h) const {  // NOLINT(readability-function-cognitive-complexity)
  const auto& r = rows_[i];
  const double fs = o_.font_size;
  // Marks and cells sit on the first line of a wrapped label; its other lines follow below.
  const auto& lines = label_lines_[i];
  const double extra = lines.size() > 1 ? static_cast<double>(lines.size() - 1) * extra_line_h_ : 0;
  const double yc = top + (h - extra) / 2;
  const auto& st = r.kind == forest_row_kind::text ? st_.small : label_style(r);
  const auto e = m_.measure("0", st);
  const double baseline = yc + (e.ascent - e.descent) / 2;
  const char* kind_name[] = {"study", "summary", "prediction", "heading", "text", "spacer"};
  d.begin_group(fmt::format("row-{}-{}", i + 1, kind_name[static_cast<int>(r.kind)]));

  if (lines.empty()) {
    text_at(d, {c.label_x, baseline}, r.label, st);
  } else {
    for (std::size_t j = 0; j < lines.size(); ++j) {
      text_at(d, {c.label_x, baseline + static_cast<double>(j) * extra_line_h_}, lines[j], st);
    }
  }
  if (r.kind == forest_row_kind::text || r.kind == forest_row_kind::heading ||
      r.kind == forest_row_kind::spacer) {
    d.end_group();
    return;
  }
  for (std::size_t k = 0; k < r.cells.size(); ++k) {
    text_style cs = st;
    cs.anchor = col_right_[k] ? text_anchor::end : text_anchor::start;
    text_at(d, {col_right_[k] ? c.col_end[k] : c.col_start[k], baseline}, r.cells[k], cs);
  }
  const auto& a = c.axis;
  h -= extra;
  const stroke_style black_line{.colour = colours::black, .width = 0.75};
  if (r.kind == forest_row_kind::study) {
    if (std::isfinite(r.lower) && std::isfinite(r.upper)) {
      draw_interval(d, c, r.lower, r.upper, yc, black_line, 0);
    }
    if (std::isfinite(r.estimate) && a.contains(r.estimate)) {
      const double s_max = h * 0.7;
      const double s_min = std::min(fs * 0.35, s_max);
      double side = fs * 0.6;
      if (std::isfinite(r.size_weight) && r.size_weight > 0 && max_size_weight_ > 0) {
        // Area proportional to the weight; a floor keeps the smallest studies visible.
        side = std::max(s_min, s_max * std::sqrt(r.size_weight / max_size_weight_));
      } else if (std::isfinite(r.size_weight)) {
        side = s_min;
      }
      const double x = a.position(r.estimate);
      const rect sq{x - side / 2, yc - side / 2, side, side};
      d.rectangle(sq, {.fill = marks_.square});
      d.add_box(sq, box_kind::mark, "square");
    }
  } else if (r.kind == forest_row_kind::summary) {
    if (std::isfinite(r.estimate) && std::isfinite(r.lower) && std::isfinite(r.upper)) {
      const double half = h * 0.3;
      auto clamp = [&](double v) { return a.position(std::clamp(v, a.lo, a.hi)); };
      const std::vector<point> diamond = {{clamp(r.lower), yc},
                                          {clamp(r.estimate), yc - half},
                                          {clamp(r.upper), yc},
                                          {clamp(r.estimate), yc + half}};
      d.polygon(diamond, {.fill = marks_.diamond,
                          .stroke = stroke_style{.colour = colours::black, .width = 0.5}});
      d.add_box({clamp(r.lower), yc - half, clamp(r.upper) - clamp(r.lower), 2 * half},
                box_kind::mark, "diamond");
    }
  } else if (r.kind == forest_row_kind::prediction) {
    if (std::isfinite(r.lower) && std::isfinite(r.upper)) {
      draw_interval(d, c, r.lower, r.upper, yc, {.colour = colours::black, .width = 1.25}, h * 0.2);
    }
  }
  if (annotate_) {
    const auto& an = ann_[i];
    text_style right = st;
    right.anchor = text_anchor::end;
    const int b = st.bold ? 1 : 0;
    text_at(d, {c.ann_est_end, baseline}, an.est, right);
    text_at(d, {c.ann_ci_start[b], baseline}, an.ci, st);
  }
  for (std::size_t k = 0; k < weight_text_[i].size(); ++k) {
    text_style right = st;
    right.anchor = text_anchor::end;
    text_at(d, {c.weight_end[k], baseline}, weight_text_[i][k], right);
  }
  d.end_group();
}

expected<void> forest_engine::prepare() {
  if (auto msg = o_.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (auto ok = check_rows(); !ok) return unexpected(ok.error());
  const double fs = o_.font_size;
  extra_line_h_ = fs * 1.2;
  label_cap_ = fs * 30;
  text_cap_ = std::numeric_limits<double>::infinity();
  measure_content();

  // Horizontal layout; an explicit width goes to (or comes from) the forest panel, which
  // shrinks down to 14 em; then the labels and text rows wrap, down to 8 em; then the panel
  // shrinks on down to 10 em.
  const double min_label = fs * 8;
  double forest_w = o_.forest_width > 0 ? o_.forest_width : std::max(200.0, fs * 22);
  columns c = place_columns(forest_w);
  if (o_.width > 0) {
    auto fit_panel = [&](double min_forest) {
      for (int iter = 0; iter < 4 && std::abs(c.total - o_.width) > 0.01; ++iter) {
        forest_w = std::max(std::min(min_forest, forest_w), forest_w + (o_.width - c.total));
        c = place_columns(forest_w);
        if (forest_w <= min_forest) break;
      }
    };
    fit_panel(fs * 14);
    for (int iter = 0; iter < 8 && c.total > o_.width + 0.01; ++iter) {
      const double widest = std::max(label_w_, text_row_w_);
      if (widest <= min_label) break;
      label_cap_ = std::max(min_label, std::min(label_cap_, widest) - (c.total - o_.width));
      text_cap_ = std::min(text_cap_, std::max(min_label, widest - (c.total - o_.width)));
      measure_content();
      c = place_columns(forest_w);
      fit_panel(fs * 14);
    }
    fit_panel(fs * 10);
    if (c.total > o_.width + 0.01) {
      return fail(errc::plot_too_small,
                  fmt::format("a width of {:.0f} pt ({:.2f} in) is too small for this forest plot; "
                              "it needs at least {:.0f} pt ({:.2f} in)",
                              o_.width, o_.width / 72, c.total, c.total / 72));
    }
    c.total = o_.width;
  }
  c_ = c;
  return {};
}

expected<std::vector<drawing>> forest_engine::run_pages(std::size_t max_rows) {
  if (auto ok = prepare(); !ok) return unexpected(ok.error());
  // Pages of at most max_rows rows; a page never starts with a spacer.
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  const std::size_t n = rows_.size();
  for (std::size_t b = 0; b < n;) {
    while (b < n && b > 0 && rows_[b].kind == forest_row_kind::spacer) ++b;
    if (b >= n) break;
    const std::size_t e = max_rows == 0 ? n : std::min(n, b + max_rows);
    ranges.emplace_back(b, e);
    b = e;
  }
  if (ranges.empty()) ranges.emplace_back(0, n);
  std::vector<drawing> pages;
  for (std::size_t p = 0; p < ranges.size(); ++p) {
    auto d = draw_page(ranges[p].first, ranges[p].second, p, ranges.size());
    if (!d) return unexpected(d.error());
    pages.push_back(std::move(*d));
  }
  return pages;
}

expected<drawing> forest_engine::draw_page(std::size_t begin, std::size_t end, std::size_t page,
                                           std::size_t n_pages) const {
  const double fs = o_.font_size;
  const columns& c = c_;
  // Vertical layout.
  const double row_h = fs * 1.55;
  std::vector<double> heights(rows_.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    switch (rows_[i].kind) {
      case forest_row_kind::text:
        heights[i] = fs * 1.35;
        break;
      case forest_row_kind::spacer:
        heights[i] = fs * 0.7;
        break;
      default:
        heights[i] = row_h;
    }
    if (label_lines_[i].size() > 1) {
      heights[i] += static_cast<double>(label_lines_[i].size() - 1) * extra_line_h_;
    }
  }
  const auto title_e = m_.measure("Ag", st_.title);
  const double title_line_h = (fs + 2) * 1.25;
  const std::string title = n_pages > 1 && !o_.title.empty()
                                ? fmt::format("{} ({} of {})", o_.title, page + 1, n_pages)
                                : o_.title;
  const std::vector<std::string> title_lines =
      title.empty()
          ? std::vector<std::string>{}
          : detail::wrap_text(m_, title, st_.title, std::max(c.total - 2 * c.margin, fs * 25));
  const auto bold_e = m_.measure("Ag", st_.bold);
  const auto small_e = m_.measure("Ag", st_.small);
  const auto axis_e = m_.measure("0", st_.axis);
  const double line_h = fs * 1.25;
  std::size_t header_lines = split_lines(o_.label_title).size();
  for (const auto& t : o_.column_titles)
    header_lines = std::max(header_lines, split_lines(t).size());
  for (const auto& t : o_.weight_titles)
    header_lines = std::max(header_lines, split_lines(t).size());
  if (annotate_) header_lines = std::max(header_lines, split_lines(est_title_).size());
  header_lines = std::max(header_lines, split_lines(o_.forest_title).size());
  // A group title stands one line above the titles of the columns it spans.
  for (const auto& g : o_.column_groups) {
    for (std::size_t k = g.first; k < g.first + g.count; ++k)
      header_lines = std::max(header_lines, split_lines(o_.column_titles[k]).size() + 1);
  }

  auto vertical = [&](double& y_title, double& y_header, double& y_rule, double& y_rows) {
    double y = c.margin;
    y_title = na;
    if (!title_lines.empty()) {
      y_title = y + title_e.ascent;
      y = y_title + static_cast<double>(title_lines.size() - 1) * title_line_h + title_e.descent +
          fs * 0.8;
    }
    y_header = y + bold_e.ascent + static_cast<double>(header_lines - 1) * line_h;
    y_rule = y_header + bold_e.descent + fs * 0.35;
    y_rows = y_rule + fs * 0.25;
  };
  double y_title = 0, y_header = 0, y_rule = 0, y_rows = 0;
  vertical(y_title, y_header, y_rule, y_rows);
  const double rows_h = std::accumulate(heights.begin() + static_cast<std::ptrdiff_t>(begin),
                                        heights.begin() + static_cast<std::ptrdiff_t>(end), 0.0);
  const double tick_len = fs * 0.4;
  auto below_rows = [&]() {
    double y = fs * 0.3 + tick_len + fs * 0.2 + axis_e.ascent + axis_e.descent;
    if (!o_.favours_left.empty() || !o_.favours_right.empty()) {
      y += fs * 0.35 + small_e.ascent + small_e.descent;
    }
    if (!axis_title_.empty()) y += fs * 0.35 + small_e.ascent + small_e.descent;
    if (!o_.caption.empty()) y += fs * 0.5 + small_e.ascent + small_e.descent;
    return y + c.margin;
  };
  double total_h = y_rows + rows_h + below_rows();
  double stretch = 1;
  if (o_.height > 0) {
    if (total_h > o_.height + 0.01) {
      return fail(errc::plot_too_small,
                  fmt::format("a height of {:.0f} pt ({:.2f} in) is too small for this forest plot "
                              "with {} rows; it needs at least {:.0f} pt ({:.2f} in)",
                              o_.height, o_.height / 72, end - begin, total_h, total_h / 72));
    }
    if (rows_h > 0) stretch = 1 + (o_.height - total_h) / rows_h;
    total_h = o_.height;
  }

  drawing d(c.total, total_h, title.empty() ? "Forest plot" : title);
  d.set_font_family(o_.font_family);

  for (std::size_t j = 0; j < title_lines.size(); ++j) {
    text_at(d, {c.label_x, y_title + static_cast<double>(j) * title_line_h}, title_lines[j],
            st_.title);
  }

  // Header: every title's last line on the same baseline.
  d.begin_group("header");
  auto header = [&](const std::string& t, double x, text_anchor anchor) {
    auto lines = split_lines(t);
    text_style hs = st_.bold;
    hs.anchor = anchor;
    for (std::size_t j = 0; j < lines.size(); ++j) {
      const double y = y_header - static_cast<double>(lines.size() - 1 - j) * line_h;
      text_at(d, {x, y}, lines[j], hs);
    }
  };
  header(o_.label_title, c.label_x, text_anchor::start);
  for (std::size_t k = 0; k < o_.column_titles.size(); ++k) {
    header(o_.column_titles[k], col_right_[k] ? c.col_end[k] : c.col_start[k],
           col_right_[k] ? text_anchor::end : text_anchor::start);
  }
  if (annotate_) header(est_title_, c.ann_end, text_anchor::end);
  for (std::size_t k = 0; k < o_.weight_titles.size(); ++k) {
    header(o_.weight_titles[k], c.weight_end[k], text_anchor::end);
  }
  if (!o_.forest_title.empty()) {
    header(o_.forest_title, (c.forest_x0 + c.forest_x1) / 2, text_anchor::middle);
  }
  for (const auto& g : o_.column_groups) {
    std::size_t lines = 1;
    for (std::size_t k = g.first; k < g.first + g.count; ++k)
      lines = std::max(lines, split_lines(o_.column_titles[k]).size());
    const double x0 = c.col_start[g.first];
    const double x1 = c.col_end[g.first + g.count - 1];
    const double yb = y_header - static_cast<double>(lines) * line_h;
    text_style gs = st_.bold;
    gs.anchor = text_anchor::middle;
    text_at(d, {(x0 + x1) / 2, yb}, g.title, gs);
    d.line({x0, yb + bold_e.descent + 1}, {x1, yb + bold_e.descent + 1},
           {.colour = colours::black, .width = 0.5});
  }
  d.line({c.margin, y_rule}, {c.total - c.margin, y_rule},
         {.colour = colours::black, .width = 0.75});
  d.end_group();

  // Rows.
  double y = y_rows;
  std::vector<double> tops(rows_.size());
  for (std::size_t i = begin; i < end; ++i) {
    tops[i] = y;
    y += heights[i] * stretch;
  }
  const double rows_end = y;
  const double y_axis = rows_end + fs * 0.3;
  if (std::isfinite(c.ref_x)) {
    d.line({c.ref_x, y_rule}, {c.ref_x, y_axis}, {.colour = colours::mid_grey, .width = 0.6});
    d.add_box({c.ref_x - 0.3, y_rule, 0.6, y_axis - y_rule}, box_kind::mark, "reference line");
  }
  for (std::size_t i = begin; i < end; ++i) draw_row(d, c, i, tops[i], heights[i] * stretch);

  // Axis.
  d.begin_group("axis");
  const stroke_style axis_line{.colour = colours::black, .width = 0.75};
  d.line({c.axis.x0, y_axis}, {c.axis.x1, y_axis}, axis_line);
  d.add_box({c.axis.x0, y_axis - 0.4, c.axis.x1 - c.axis.x0, tick_len + 0.4}, box_kind::mark,
            "axis");
  const double y_tick_label = y_axis + tick_len + fs * 0.2 + axis_e.ascent;
  for (std::size_t k = 0; k < c.axis.ticks.size(); ++k) {
    const double x = c.axis.position(c.axis.ticks[k]);
    d.line({x, y_axis}, {x, y_axis + tick_len}, axis_line);
    text_style ts = st_.axis;
    ts.anchor = text_anchor::middle;
    text_at(d, {x, y_tick_label}, digits(c.axis.labels[k]), ts);
  }
  double y_next = y_tick_label + axis_e.descent;
  if (!o_.favours_left.empty() || !o_.favours_right.empty()) {
    const double yb = y_next + fs * 0.35 + small_e.ascent;
    text_style l = st_.small;
    l.anchor = text_anchor::end;
    text_at(d, {c.split_x - fs * 0.6, yb}, o_.favours_left, l);
    text_style r = st_.small;
    text_at(d, {c.split_x + fs * 0.6, yb}, o_.favours_right, r);
    y_next = yb + small_e.descent;
  }
  if (!axis_title_.empty()) {
    text_style t = st_.small;
    t.anchor = text_anchor::middle;
    y_next += fs * 0.35 + small_e.ascent;
    text_at(d, {(c.axis.x0 + c.axis.x1) / 2, y_next}, axis_title_, t);
    y_next += small_e.descent;
  }
  if (!o_.caption.empty()) {
    text_at(d, {c.label_x, y_next + fs * 0.5 + small_e.ascent}, o_.caption, st_.small);
  }
  d.end_group();
  return d;
}

}  // namespace

expected<std::vector<drawing>> draw_forest_pages(std::span<const forest_row> rows,
                                                 const forest_options& options) {
  std::vector<forest_row> shown;
  const bool display_scale =
      has_display_transform(options.measure) && !display_log_axis(options.measure);
  if (display_scale) {
    // A measure shown back-transformed on a linear axis: every value is mapped to the display
    // scale first (the transformations are increasing, so intervals keep their order).
    shown.assign(rows.begin(), rows.end());
    for (auto& r : shown) {
      r.estimate = to_display(options.measure, r.estimate, options.display);
      r.lower = to_display(options.measure, r.lower, options.display);
      r.upper = to_display(options.measure, r.upper, options.display);
    }
    rows = shown;
  }
  auto first = forest_engine(rows, options, display_scale).run_pages(options.max_rows);
  // A size the figure cannot meet at its font size is tried with smaller type, half a point at
  // a time down to forest_min_font_size; the error names the size at the original font.
  if (first || first.error().id != errc::plot_too_small ||
      (options.width <= 0 && options.height <= 0)) {
    return first;
  }
  forest_options smaller = options;
  while (smaller.font_size - 0.5 >= forest_min_font_size - 1e-9) {
    smaller.font_size -= 0.5;
    auto d = forest_engine(rows, smaller, display_scale).run_pages(options.max_rows);
    if (d || d.error().id != errc::plot_too_small) return d;
  }
  return first;
}

expected<drawing> draw_forest(std::span<const forest_row> rows, const forest_options& options) {
  forest_options one_page = options;
  one_page.max_rows = 0;
  auto pages = draw_forest_pages(rows, one_page);
  if (!pages) return unexpected(pages.error());
  return std::move(pages->front());
}

}  // namespace srma::plot
