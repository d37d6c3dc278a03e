// Newcastle–Ottawa traffic-light figure: layout and drawing.
//
// Layout, left to right: the study labels, the item columns grouped by domain (a little more
// space between domains, and a domain's columns widened equally when its header is wider than
// they are), then the total, quality and AHRQ columns. Top to bottom: the title, the domain
// headers with a rule under each, the item codes and column headings, a rule, one row per study
// (every second row on a light stripe), then the legend (wrapped to the figure's width), the
// thresholds of the classes and the key of item codes. Circles are marks; their symbols (stars,
// a bar, a question mark) belong to the mark and are not recorded as text.
#include "srma/plot/nos_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "chart.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string nos_plot_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (!(cell_size >= 0) || !(width >= 0) || !(height >= 0)) return "sizes must not be negative";
  if (cell_size > 0 && (cell_size < font_size * 0.8 || cell_size > font_size * 6)) {
    return fmt::format("cell size is {:g} pt, but must be between {:g} and {:g} pt (0.8–6 em)",
                       cell_size, font_size * 0.8, font_size * 6);
  }
  return "";
}

namespace {

using review::nos_domain;
using review::nos_item_id;

// What a cell shows.
enum class cell_state { full, partial, none, missing };

// ColorBrewer RdYlGn: dark green, light green, red; grey for "not answered".
constexpr color k_full{26, 150, 65};
constexpr color k_partial{166, 217, 106};
constexpr color k_none{215, 25, 28};
constexpr color k_missing{189, 189, 189};
constexpr color k_dark_green{0, 80, 30};

cell_state state_of(nos_item_id item, const std::string& answer) {
  if (answer.empty()) return cell_state::missing;
  const int stars = review::nos_item_stars(item, answer);
  if (stars == 0) return cell_state::none;
  return stars == review::nos_item_max_stars(item) ? cell_state::full : cell_state::partial;
}

std::string_view state_name(cell_state s) {
  switch (s) {
    case cell_state::full:
      return "full";
    case cell_state::partial:
      return "partial";
    case cell_state::none:
      return "none";
    case cell_state::missing:
      break;
  }
  return "missing";
}

// A five-pointed star of outer radius `r` centred (by its height) on `c`.
std::vector<point> star(point c, double r) {
  constexpr double pi = std::numbers::pi;
  const double inner = r * 0.45;
  // The star spans r above its centre and r cos 36° below it: shift it down to centre it.
  const double dy = (r - r * std::cos(pi / 5)) / 2;
  std::vector<point> pts;
  for (int k = 0; k < 10; ++k) {
    const double a = -pi / 2 + k * pi / 5;
    const double rr = k % 2 == 0 ? r : inner;
    pts.push_back({c.x + rr * std::cos(a), c.y + dy + rr * std::sin(a)});
  }
  return pts;
}

// One cell: the circle (recorded as a mark named `what`) and its symbol.
void draw_cell(drawing& d, const text_measurer& m, point c, double diam, cell_state s, int stars,
               std::string_view what) {
  const double r = diam / 2;
  const std::array<color, 4> fills = {k_full, k_partial, k_none, k_missing};
  d.circle(c, r, {.fill = fills[static_cast<std::size_t>(s)]});
  d.add_box({c.x - r, c.y - r, diam, diam}, box_kind::mark, std::string(what));
  switch (s) {
    case cell_state::full:
      if (stars >= 2) {
        // Two stars side by side; a star's half-width is r sin 72° = 0.95 r, so they stay
        // inside the circle (0.22 + 0.95 · 0.25 < 0.5 of the diameter).
        const double rs = diam * 0.25;
        d.polygon(star({c.x - diam * 0.22, c.y}, rs), {.fill = colours::white});
        d.polygon(star({c.x + diam * 0.22, c.y}, rs), {.fill = colours::white});
      } else {
        d.polygon(star(c, diam * 0.34), {.fill = colours::white});
      }
      break;
    case cell_state::partial:
      d.polygon(star(c, diam * 0.34), {.fill = k_dark_green});
      break;
    case cell_state::none:
      d.rectangle({c.x - diam * 0.27, c.y - diam * 0.07, diam * 0.54, diam * 0.14},
                  {.fill = colours::white});
      break;
    case cell_state::missing: {
      const text_style q{.size = diam * 0.62,
                         .bold = true,
                         .anchor = text_anchor::middle,
                         .colour = colours::dark_grey};
      const auto e = m.measure("?", q);
      d.text({c.x, c.y + (e.ascent - e.descent) / 2}, "?", q);
      break;
    }
  }
}

struct legend_entry {
  cell_state state;
  int stars;
  std::string label;
};

std::string class_text(const review::nos_options& o) {
  if (o.moderate_from) {
    return fmt::format("Quality by total: high \u2265 {}, moderate {}\u2013{}, low < {}",
                       o.high_from, *o.moderate_from, o.high_from - 1, *o.moderate_from);
  }
  return fmt::format("Quality by total: high \u2265 {}, low < {}", o.high_from, o.high_from);
}

}  // namespace

expected<drawing> draw_nos_traffic_light(const review::nos_item_table& table,
                                         const nos_plot_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  if (table.studies.empty()) {
    return fail(errc::plot_bad_data, "no study to draw in the NOS traffic-light plot");
  }
  for (const auto& s : table.studies) {
    for (auto item : review::all_nos_items()) {
      const auto& a = s.answers.of(item);
      auto n = review::parse_nos_answer(item, a);
      if (!n || *n != a) {
        return fail(errc::plot_bad_data,
                    fmt::format("study '{}': the answer to NOS item {} is '{}', but must be "
                                "normalised (one lower-case letter of the item; C: a, b, ab or "
                                "none; empty when not answered)",
                                s.study, review::to_string(item), a));
      }
    }
  }

  text_measurer m(o.font_family);
  const detail::chart ch(m, o.font_size);
  const double fs = o.font_size;
  const double margin = fs;
  const double diam = o.cell_size > 0 ? o.cell_size : fs * 1.5;
  const text_style centred{.size = fs, .anchor = text_anchor::middle};
  text_style centred_bold = centred;
  centred_bold.bold = true;
  const double body_h = ch.line_height(ch.body());
  const double small_h = ch.line_height(ch.small());
  const auto& items = review::all_nos_items();

  // Texts of the right-hand columns.
  struct text_column {
    std::string heading;
    std::vector<std::string> values;
    double width = 0;
    double x = 0;  // centre
  };
  std::vector<text_column> columns;
  if (o.total) {
    text_column c{"Total", {}};
    for (const auto& s : table.studies) {
      c.values.push_back(s.score.total ? fmt::format("{}/9", *s.score.total) : "\u2013");
    }
    columns.push_back(std::move(c));
  }
  if (o.quality) {
    text_column c{"Quality", {}};
    for (const auto& s : table.studies) {
      c.values.emplace_back(s.quality == review::nos_class::unknown ? "\u2013"
                                                                    : review::to_string(s.quality));
    }
    columns.push_back(std::move(c));
  }
  if (o.ahrq) {
    text_column c{"AHRQ", {}};
    for (const auto& s : table.studies) {
      c.values.emplace_back(s.ahrq == review::ahrq_standard::unknown ? "\u2013"
                                                                     : review::to_string(s.ahrq));
    }
    columns.push_back(std::move(c));
  }
  for (auto& c : columns) {
    c.width = ch.width(c.heading, ch.bold());
    for (const auto& v : c.values) c.width = std::max(c.width, ch.width(v, ch.body()));
  }

  double label_w = ch.width("Study", ch.bold());
  for (const auto& s : table.studies) label_w = std::max(label_w, ch.width(s.study, ch.body()));

  // Natural column widths: a circle or an item code, plus a gap; a domain's columns share any
  // width its header needs beyond theirs.
  std::array<double, 8> natural_w{};
  for (auto item : items) {
    natural_w[review::nos_item_index(item)] =
        std::max(diam, ch.width(review::to_string(item), ch.body())) + fs * 0.5;
  }
  constexpr std::array<nos_domain, 3> domains = {nos_domain::selection, nos_domain::comparability,
                                                 nos_domain::outcome};
  for (auto dom : domains) {
    double span = 0;
    int n = 0;
    for (auto item : items) {
      if (review::nos_item_domain(item) != dom) continue;
      span += natural_w[review::nos_item_index(item)];
      ++n;
    }
    const double need = ch.width(review::to_string(dom), ch.bold()) + fs * 0.6;
    if (span < need) {
      for (auto item : items) {
        if (review::nos_item_domain(item) == dom) {
          natural_w[review::nos_item_index(item)] += (need - span) / n;
        }
      }
    }
  }

  std::vector<legend_entry> legend;
  if (o.legend) {
    legend = {{cell_state::full, 1, "Star awarded"},
              {cell_state::full, 2, "C: both stars"},
              {cell_state::partial, 1, "C: one of two stars"},
              {cell_state::none, 0, "No star"},
              {cell_state::missing, 0, "Not answered"}};
  }
  std::vector<std::string> notes;
  if (o.legend && (o.quality || o.ahrq)) {
    std::string note = o.quality ? class_text(table.options) : "";
    if (o.ahrq) {
      note += std::string(note.empty() ? "" : "; ") +
              "AHRQ standard from the domain subtotals (Good, Fair, Poor)";
    }
    notes.push_back(std::move(note));
  }
  if (o.item_key) {
    for (auto item : items) {
      notes.push_back(fmt::format("{}: {}", review::to_string(item), review::nos_item_name(item)));
    }
  }

  struct geometry {
    std::array<double, 8> col_x{}, col_w{};
    std::array<double, 3> dom_x{}, dom_w{};
    double label_x = 0, table_right = 0, title_base = 0, domain_base = 0, domain_rule = 0;
    double code_base = 0, header_rule = 0, rows_top = 0, row_h = 0;
    double legend_top = 0, legend_row_h = 0, notes_top = 0;
    std::vector<std::vector<std::size_t>> legend_rows;
    std::vector<double> legend_x;  // per entry
    double total_w = 0, total_h = 0;
  };
  const double title_h = o.title.empty() ? 0 : ch.line_height(ch.title_style()) + fs * 0.6;
  const double note_line = small_h + fs * 0.2;
  auto place = [&](double extra_col, double extra_row) {
    geometry g;
    g.label_x = margin;
    double x = margin + label_w + fs;
    for (std::size_t k = 0; k < domains.size(); ++k) {
      g.dom_x[k] = x;
      for (auto item : items) {
        if (review::nos_item_domain(item) != domains[k]) continue;
        const auto i = review::nos_item_index(item);
        g.col_x[i] = x;
        g.col_w[i] = natural_w[i] + extra_col;
        x += g.col_w[i];
      }
      g.dom_w[k] = x - g.dom_x[k];
      if (k + 1 < domains.size()) x += fs * 0.8;
    }
    x += fs * 0.5;
    for (auto& c : columns) {
      c.x = x + c.width / 2;
      x += c.width + fs;
    }
    g.table_right = columns.empty() ? x - fs * 0.5 : x - fs;
    double y = margin;
    g.title_base = y + ch.extents(o.title, ch.title_style()).ascent;
    y += title_h;
    g.domain_base = y + ch.extents("Ag", ch.bold()).ascent;
    y += ch.line_height(ch.bold());
    g.domain_rule = y + fs * 0.2;
    y = g.domain_rule + fs * 0.3;
    g.code_base = y + ch.extents("Ag", ch.body()).ascent;
    y += body_h;
    g.header_rule = y + fs * 0.3;
    g.rows_top = g.header_rule + fs * 0.2;
    g.row_h = std::max(diam + fs * 0.45, body_h + fs * 0.3) + extra_row;
    y = g.rows_top + g.row_h * static_cast<double>(table.studies.size());
    // Legend entries flow left to right and wrap at the wider of the table and the notes.
    double right = g.table_right;
    for (const auto& n : notes) right = std::max(right, margin + ch.width(n, ch.small()));
    if (!o.title.empty()) right = std::max(right, margin + ch.width(o.title, ch.title_style()));
    g.legend_row_h = std::max(diam, small_h) + fs * 0.4;
    if (!legend.empty()) {
      y += fs * 0.8;
      g.legend_top = y;
      double lx = margin;
      g.legend_rows.emplace_back();
      for (std::size_t k = 0; k < legend.size(); ++k) {
        const double w = diam + fs * 0.4 + ch.width(legend[k].label, ch.small());
        if (!g.legend_rows.back().empty() && lx + w > right) {
          g.legend_rows.emplace_back();
          lx = margin;
        }
        g.legend_rows.back().push_back(k);
        g.legend_x.push_back(lx);
        lx += w + fs * 1.2;
      }
      y += g.legend_row_h * static_cast<double>(g.legend_rows.size());
    }
    if (!notes.empty()) {
      y += fs * (legend.empty() ? 0.8 : 0.3);
      g.notes_top = y;
      y += note_line * static_cast<double>(notes.size());
    }
    g.total_w = right + margin;
    g.total_h = y + margin;
    return g;
  };

  geometry g = place(0, 0);
  if (o.width > 0) {
    if (auto msg = detail::size_error("NOS traffic-light plot", "width", o.width, g.total_w);
        !msg.empty())
      return fail(errc::plot_too_small, msg);
    // Extra width spreads the item columns until the table fills the figure (the legend and
    // notes, never wider than the natural figure, then fit as well).
    g = place(std::max(0.0, (o.width - margin - g.table_right) / 8), 0);
  }
  const double extra_col = g.col_w[0] - natural_w[0];
  if (o.height > 0) {
    if (auto msg = detail::size_error("NOS traffic-light plot", "height", o.height, g.total_h);
        !msg.empty())
      return fail(errc::plot_too_small, msg);
    g = place(extra_col, (o.height - g.total_h) / static_cast<double>(table.studies.size()));
  }
  if (o.width > 0) g.total_w = o.width;
  if (o.height > 0) g.total_h = o.height;

  // ---- drawing ---------------------------------------------------------------------------------
  drawing d(g.total_w, g.total_h,
            o.title.empty() ? "Newcastle\u2013Ottawa Scale, item by item" : o.title);
  d.set_font_family(o.font_family);
  if (!o.title.empty()) ch.text(d, {margin, g.title_base}, o.title, ch.title_style());

  const stroke_style rule{.colour = colours::mid_grey, .width = 0.6};
  d.begin_group("header");
  for (std::size_t k = 0; k < domains.size(); ++k) {
    const double cx = g.dom_x[k] + g.dom_w[k] / 2;
    ch.text(d, {cx, g.domain_base}, review::to_string(domains[k]), centred_bold);
    const point a{g.dom_x[k] + fs * 0.15, g.domain_rule};
    const point b{g.dom_x[k] + g.dom_w[k] - fs * 0.15, g.domain_rule};
    d.line(a, b, {.colour = colours::dark_grey, .width = 0.75});
    d.add_box({a.x, a.y - 0.4, b.x - a.x, 0.8}, box_kind::mark, "domain rule");
  }
  ch.text(d, {g.label_x, g.code_base}, "Study", ch.bold());
  for (auto item : items) {
    const auto i = review::nos_item_index(item);
    ch.text(d, {g.col_x[i] + g.col_w[i] / 2, g.code_base}, review::to_string(item), centred);
  }
  for (const auto& c : columns) ch.text(d, {c.x, g.code_base}, c.heading, centred_bold);
  d.line({margin, g.header_rule}, {g.table_right, g.header_rule}, rule);
  d.add_box({margin, g.header_rule - 0.3, g.table_right - margin, 0.6}, box_kind::mark,
            "header rule");
  d.end_group();

  d.begin_group("studies");
  const auto body_e = ch.extents("Ag", ch.body());
  for (std::size_t r = 0; r < table.studies.size(); ++r) {
    const auto& s = table.studies[r];
    const double top = g.rows_top + g.row_h * static_cast<double>(r);
    const double yc = top + g.row_h / 2;
    const double base = yc + (body_e.ascent - body_e.descent) / 2;
    d.begin_group(fmt::format("study-{}", r + 1));
    if (r % 2 == 1) {
      d.rectangle({margin, top, g.table_right - margin, g.row_h},
                  {.fill = detail::palette::band_fill_light});
    }
    ch.text(d, {g.label_x, base}, s.study, ch.body());
    for (auto item : items) {
      const auto i = review::nos_item_index(item);
      const auto& answer = s.answers.of(item);
      const auto st = state_of(item, answer);
      draw_cell(d, m, {g.col_x[i] + g.col_w[i] / 2, yc}, diam, st,
                review::nos_item_stars(item, answer), fmt::format("cell {}", state_name(st)));
    }
    for (const auto& c : columns) ch.text(d, {c.x, base}, c.values[r], centred);
    d.end_group();
  }
  d.end_group();

  if (!legend.empty()) {
    d.begin_group("legend");
    const auto small_e = ch.extents("Ag", ch.small());
    for (std::size_t row = 0; row < g.legend_rows.size(); ++row) {
      const double yc = g.legend_top + g.legend_row_h * (static_cast<double>(row) + 0.5);
      for (std::size_t k : g.legend_rows[row]) {
        const auto& e = legend[k];
        const double x = g.legend_x[k];
        draw_cell(d, m, {x + diam / 2, yc}, diam, e.state, e.stars,
                  fmt::format("legend {}", state_name(e.state)));
        ch.text(d, {x + diam + fs * 0.4, yc + (small_e.ascent - small_e.descent) / 2}, e.label,
                ch.small());
      }
    }
    d.end_group();
  }
  if (!notes.empty()) {
    d.begin_group("notes");
    const auto small_e = ch.extents("Ag", ch.small());
    for (std::size_t k = 0; k < notes.size(); ++k) {
      const double base = g.notes_top + note_line * static_cast<double>(k) + small_e.ascent;
      ch.text(d, {margin, base}, notes[k], ch.small());
    }
    d.end_group();
  }
  return d;
}

}  // namespace srma::plot
