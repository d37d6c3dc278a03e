// PRISMA 2020 flow diagram layout and drawing.
//
// Layout: a grid of boxes. Columns, left to right: the side bands, the previous-review column
// (updated reviews), the databases-and-registers column and its right-hand column of removals and
// exclusions, then the two columns of other methods. Rows: the column headers, identification,
// records screened, reports sought, reports assessed, included, total included (updated
// reviews), meta-analysis. Every flow box has the same width (from its text, or
// prisma_options::box_width) and the boxes of a row the same height (the tallest text in the
// row), so horizontal arrows run straight; a band is at least as tall as its rotated label.
// Texts are wrapped to the box width and never leave their box; arrows run in the gaps.
#include "srma/plot/prisma.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>

#include "chart.hpp"
#include "srma/plot/text_measure.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::plot {

std::string prisma_options::validate() const {
  if (!(font_size >= 4 && font_size <= 40)) {
    return fmt::format("font size is {:g}, but must be between 4 and 40", font_size);
  }
  if (box_width < 0 || width < 0 || height < 0) return "sizes must not be negative";
  if (box_width > 0 && box_width < font_size * 6) {
    return fmt::format("box width is {:g} pt, but must be at least {:g} pt (6 em)", box_width,
                       font_size * 6);
  }
  return "";
}

namespace {

using review::named_count;
using review::prisma_box;
using review::prisma_counts;

// One paragraph of a box: wrapped to the box width, continuation lines keep the indent.
struct paragraph {
  std::string text;
  int indent = 0;  // levels of 1 em
  bool bold = false;
};

struct flow_box {
  std::string id;
  std::vector<paragraph> paragraphs;
  enum class style { plain, header_yellow, header_grey } look = style::plain;
  // Filled in by the layout:
  int col = 0, row = 0, col_span = 1;
  rect frame;
  struct line {
    std::string text;
    double x_offset = 0;
    bool bold = false;
  };
  std::vector<line> lines;
};

enum column : int { col_prev = 0, col_left, col_right, col_other_left, col_other_right, n_cols };
enum row : int {
  row_header = 0,
  row_identified,
  row_screened,
  row_sought,
  row_assessed,
  row_included,
  row_total,
  row_meta,
  n_rows
};

// "(n = 1,525)" with no-break spaces, so that a wrapped line never splits the count.
std::string n_of(std::optional<long> v) {
  return "(n\u00a0=\u00a0" + (v ? detail::format_count(*v) : std::string("?")) + ")";
}

std::vector<point> rounded_rect(const rect& r, double radius) {
  radius = std::min({radius, r.width / 2, r.height / 2});
  std::vector<point> pts;
  const std::array<point, 4> centres = {
      point{r.right() - radius, r.y + radius}, point{r.right() - radius, r.bottom() - radius},
      point{r.x + radius, r.bottom() - radius}, point{r.x + radius, r.y + radius}};
  constexpr double pi = std::numbers::pi;
  for (int corner = 0; corner < 4; ++corner) {
    const double start = -pi / 2 + corner * pi / 2;
    for (int s = 0; s <= 4; ++s) {
      const double a = start + (pi / 2) * s / 4;
      pts.push_back(
          {centres[corner].x + radius * std::cos(a), centres[corner].y + radius * std::sin(a)});
    }
  }
  return pts;
}

void add_list(std::vector<paragraph>& ps, const std::vector<named_count>& list, int indent) {
  for (const auto& e : list) {
    ps.push_back({e.name + " " + n_of(e.n), indent});
  }
}

}  // namespace

expected<drawing> draw_prisma(const review::prisma_counts& input, const prisma_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::plot_bad_options, msg);
  const prisma_counts c = o.complete ? review::complete(input) : input;
  for (auto b : review::all_prisma_boxes()) {
    if (review::is_prisma_list(b)) {
      for (const auto& e : c.list(b)) {
        if (e.n < 0) {
          return fail(errc::plot_bad_data, fmt::format("{}: '{}' is {}, but a count must be >= 0",
                                                       review::prisma_box_label(b), e.name, e.n));
        }
      }
    } else if (auto v = c.count(b); v && *v < 0) {
      return fail(errc::plot_bad_data, fmt::format("{} is {}, but a count must be >= 0",
                                                   review::prisma_box_label(b), *v));
    }
  }
  auto known = [&](prisma_box b) { return c.count(b).has_value(); };
  using enum prisma_box;
  const bool previous = known(previous_studies) || known(previous_reports);
  const bool other = known(website_results) || known(organisation_results) ||
                     known(citations_results) || known(other_sought_reports) ||
                     known(other_notretrieved_reports) || known(other_assessed) ||
                     !c.other_excluded.empty();
  const bool meta = o.meta_analysis && (known(total_studies_ma) || known(total_reports_ma));
  const std::string fresh = previous ? "new " : "";

  // ---- the boxes and their text ----------------------------------------------------------------
  std::vector<flow_box> boxes;
  auto add = [&](std::string id, int col, int row, std::vector<paragraph> ps, int span = 1,
                 flow_box::style look = flow_box::style::plain) -> std::size_t {
    flow_box b;
    b.id = std::move(id);
    b.col = col;
    b.row = row;
    b.col_span = span;
    b.paragraphs = std::move(ps);
    b.look = look;
    boxes.push_back(std::move(b));
    return boxes.size() - 1;
  };
  if (previous) {
    add("header-previous", col_prev, row_header, {{"Previous studies", 0, true}}, 1,
        flow_box::style::header_grey);
  }
  add("header-databases", col_left, row_header,
      {{fmt::format("Identification of {}studies via databases and registers", fresh), 0, true}}, 2,
      flow_box::style::header_yellow);
  if (other) {
    add("header-other", col_other_left, row_header,
        {{fmt::format("Identification of {}studies via other methods", fresh), 0, true}}, 2,
        flow_box::style::header_grey);
  }
  if (previous) {
    std::vector<paragraph> ps;
    ps.push_back({"Studies included in previous version of review " + n_of(c.previous_studies)});
    ps.push_back(
        {"Reports of studies included in previous version of review " + n_of(c.previous_reports)});
    add("previous", col_prev, row_identified, std::move(ps));
  }
  {
    std::vector<paragraph> ps{{"Records identified from:"}};
    const bool db = known(database_results), reg = known(register_results);
    if (db || !reg) {
      ps.push_back({"Databases " + n_of(c.database_results), 1});
      add_list(ps, c.database_specific_results, 2);
    }
    if (reg) {
      ps.push_back({"Registers " + n_of(c.register_results), 1});
      add_list(ps, c.register_specific_results, 2);
    }
    add("identified", col_left, row_identified, std::move(ps));
  }
  {
    std::vector<paragraph> ps{{"Records removed before screening:"}};
    const bool any = known(duplicates) || known(excluded_automatic) || known(excluded_other);
    if (known(duplicates) || !any)
      ps.push_back({"Duplicate records removed " + n_of(c.duplicates), 1});
    if (known(excluded_automatic)) {
      ps.push_back(
          {"Records marked as ineligible by automation tools " + n_of(c.excluded_automatic), 1});
    }
    if (known(excluded_other)) {
      ps.push_back({"Records removed for other reasons " + n_of(c.excluded_other), 1});
    }
    add("removed", col_right, row_identified, std::move(ps));
  }
  add("screened", col_left, row_screened, {{"Records screened " + n_of(c.records_screened)}});
  add("records-excluded", col_right, row_screened,
      {{"Records excluded " + n_of(c.records_excluded)}});
  add("sought", col_left, row_sought,
      {{"Reports sought for retrieval " + n_of(c.dbr_sought_reports)}});
  add("not-retrieved", col_right, row_sought,
      {{"Reports not retrieved " + n_of(c.dbr_notretrieved_reports)}});
  add("assessed", col_left, row_assessed,
      {{"Reports assessed for eligibility " + n_of(c.dbr_assessed)}});
  auto excluded_box = [&](const std::vector<named_count>& reasons) {
    std::vector<paragraph> ps;
    if (reasons.empty()) {
      ps.push_back({"Reports excluded " + n_of(std::nullopt)});
    } else {
      ps.push_back({"Reports excluded:"});
      add_list(ps, reasons, 1);
    }
    return ps;
  };
  add("reports-excluded", col_right, row_assessed, excluded_box(c.dbr_excluded));
  if (other) {
    std::vector<paragraph> ps{{"Records identified from:"}};
    if (known(website_results)) ps.push_back({"Websites " + n_of(c.website_results), 1});
    if (known(organisation_results)) {
      ps.push_back({"Organisations " + n_of(c.organisation_results), 1});
    }
    if (known(citations_results)) {
      ps.push_back({"Citation searching " + n_of(c.citations_results), 1});
    }
    if (ps.size() == 1) ps.push_back({"Other sources " + n_of(std::nullopt), 1});
    add("other-identified", col_other_left, row_identified, std::move(ps));
    add("other-sought", col_other_left, row_sought,
        {{"Reports sought for retrieval " + n_of(c.other_sought_reports)}});
    add("other-not-retrieved", col_other_right, row_sought,
        {{"Reports not retrieved " + n_of(c.other_notretrieved_reports)}});
    add("other-assessed", col_other_left, row_assessed,
        {{"Reports assessed for eligibility " + n_of(c.other_assessed)}});
    add("other-excluded", col_other_right, row_assessed, excluded_box(c.other_excluded));
  }
  {
    std::vector<paragraph> ps;
    if (previous) {
      ps.push_back({"New studies included in review " + n_of(c.new_studies)});
      if (known(new_reports))
        ps.push_back({"Reports of new included studies " + n_of(c.new_reports)});
    } else {
      const auto studies = known(new_studies) ? c.new_studies : c.total_studies;
      const auto reports = known(new_reports) ? c.new_reports : c.total_reports;
      ps.push_back({"Studies included in review " + n_of(studies)});
      if (reports) ps.push_back({"Reports of included studies " + n_of(reports)});
    }
    add("included", col_left, row_included, std::move(ps));
  }
  if (previous) {
    std::vector<paragraph> ps{{"Total studies included in review " + n_of(c.total_studies)}};
    if (known(total_reports)) {
      ps.push_back({"Reports of total included studies " + n_of(c.total_reports)});
    }
    add("total", col_left, row_total, std::move(ps));
  }
  if (meta) {
    std::vector<paragraph> ps;
    if (known(total_studies_ma)) {
      ps.push_back({"Studies included in meta-analysis " + n_of(c.total_studies_ma)});
    }
    if (known(total_reports_ma)) {
      ps.push_back({"Reports of studies included in meta-analysis " + n_of(c.total_reports_ma)});
    }
    add("meta-analysis", col_left, row_meta, std::move(ps));
  }

  // ---- measuring
  // ---------------------------------------------------------------------------------
  text_measurer m(o.font_family);
  const detail::chart ch(m, o.font_size);
  const double fs = o.font_size;
  const double margin = fs;
  const double pad = fs * 0.6;
  const double indent = fs;
  const double line_h = ch.line_height(ch.body()) + fs * 0.15;
  const double gap_h = fs * 2.8;  // between a box and its right-hand box (arrow)
  const double gap_col = fs * 2;  // between column groups
  const double band_w = ch.line_height(ch.bold()) + fs * 0.8;
  const double band_gap = fs * 0.8;
  auto style_of = [&](const paragraph& p) { return p.bold ? ch.bold() : ch.body(); };

  double natural = 0;
  for (const auto& b : boxes) {
    if (b.col_span != 1) continue;
    for (const auto& p : b.paragraphs) {
      natural = std::max(natural, p.indent * indent + ch.width(p.text, style_of(p)) + 2 * pad);
    }
  }
  const double auto_width = std::clamp(natural, fs * 12, fs * 20);

  std::array<bool, n_cols> used{};
  std::array<bool, n_rows> row_used{};
  for (const auto& b : boxes) {
    for (int k = 0; k < b.col_span; ++k) used[b.col + k] = true;
    row_used[b.row] = true;
  }
  const std::array<const char*, 3> band_labels = {"Identification", "Screening", "Included"};
  const std::array<std::pair<int, int>, 3> band_rows = {std::pair{row_identified, row_identified},
                                                        std::pair{row_screened, row_assessed},
                                                        std::pair{row_included, row_meta}};

  struct geometry {
    std::array<double, n_cols> col_x{};
    std::array<double, n_rows> row_y{}, row_h{};
    double box_w = 0, band_x = 0, total_w = 0, total_h = 0, title_h = 0;
  };
  auto place = [&](double box_w, double gap_v) {
    geometry g;
    g.box_w = box_w;
    // Wrap every paragraph to its box.
    for (auto& b : boxes) {
      b.lines.clear();
      const double inner = box_w * b.col_span + (b.col_span - 1) * gap_h - 2 * pad;
      for (const auto& p : b.paragraphs) {
        const double off = p.indent * indent;
        for (auto& l : detail::wrap_text(m, p.text, style_of(p), inner - off)) {
          b.lines.push_back({std::move(l), off, p.bold});
        }
      }
    }
    g.title_h = o.title.empty() ? 0 : ch.line_height(ch.title_style()) + fs;
    double x = margin;
    if (o.side_bands) {
      g.band_x = x;
      x += band_w + band_gap;
    }
    for (int col = 0; col < n_cols; ++col) {
      if (!used[col]) continue;
      g.col_x[col] = x;
      x += box_w + (col == col_left || col == col_other_left ? gap_h : gap_col);
    }
    const double right = x - gap_col;
    for (int row = 0; row < n_rows; ++row) {
      double h = 0;
      for (const auto& b : boxes) {
        if (b.row == row) h = std::max(h, static_cast<double>(b.lines.size()) * line_h + 2 * pad);
      }
      g.row_h[row] = h;
    }
    if (o.side_bands) {
      // Each band at least as tall as its rotated label: the stage's last row grows if needed.
      for (std::size_t s = 0; s < band_rows.size(); ++s) {
        auto [first, last] = band_rows[s];
        while (last > first && !row_used[last]) --last;
        double span = 0;
        for (int row = first; row <= last; ++row) {
          if (row_used[row]) span += g.row_h[row] + (row > first ? gap_v : 0);
        }
        const double need = ch.width(band_labels[s], ch.bold()) + 2 * pad;
        if (span < need) g.row_h[last] += need - span;
      }
    }
    double y = margin + g.title_h;
    for (int row = 0; row < n_rows; ++row) {
      if (!row_used[row]) continue;
      g.row_y[row] = y;
      y += g.row_h[row] + (row == row_header ? fs * 1.2 : gap_v);
    }
    g.total_w = std::max(right, margin + ch.width(o.title, ch.title_style())) + margin;
    g.total_h = y - gap_v + margin;
    for (auto& b : boxes) {
      b.frame = {g.col_x[b.col], g.row_y[b.row], box_w * b.col_span + (b.col_span - 1) * gap_h,
                 g.row_h[b.row]};
    }
    return g;
  };

  double box_w = o.box_width > 0 ? o.box_width : auto_width;
  double gap_v = fs * 2;
  geometry g = place(box_w, gap_v);
  if (o.width > 0) {
    if (auto msg = detail::size_error("PRISMA flow diagram", "width", o.width, g.total_w);
        !msg.empty())
      return fail(errc::plot_too_small, msg);
    if (o.box_width <= 0) {
      int n_box_cols = 0;
      for (int col = 0; col < n_cols; ++col) n_box_cols += used[col] ? 1 : 0;
      box_w += (o.width - g.total_w) / n_box_cols;
      g = place(box_w, gap_v);
    }
  }
  if (o.height > 0) {
    if (auto msg = detail::size_error("PRISMA flow diagram", "height", o.height, g.total_h);
        !msg.empty())
      return fail(errc::plot_too_small, msg);
    int gaps = -1;
    for (int row = row_identified; row < n_rows; ++row) gaps += row_used[row] ? 1 : 0;
    if (gaps > 0) {
      gap_v += (o.height - g.total_h) / gaps;
      g = place(box_w, gap_v);
    }
  }
  if (o.width > 0) g.total_w = o.width;
  if (o.height > 0) g.total_h = o.height;

  // ---- drawing
  // -----------------------------------------------------------------------------------
  drawing d(g.total_w, g.total_h, o.title.empty() ? "PRISMA 2020 flow diagram" : o.title);
  d.set_font_family(o.font_family);
  if (!o.title.empty()) {
    ch.text(d, {margin, margin + ch.extents(o.title, ch.title_style()).ascent}, o.title,
            ch.title_style());
  }
  const stroke_style outline{.colour = colours::black, .width = 0.75};
  if (o.side_bands) {
    d.begin_group("bands");
    for (std::size_t s = 0; s < band_rows.size(); ++s) {
      auto [first, last] = band_rows[s];
      while (last > first && !row_used[last]) --last;
      if (!row_used[first]) continue;
      const rect band{g.band_x, g.row_y[first], band_w,
                      g.row_y[last] + g.row_h[last] - g.row_y[first]};
      d.polygon(rounded_rect(band, fs * 0.5), {.fill = detail::palette::band_blue});
      detail::add_frame_marks(d, band, "band");
      text_style v = ch.bold();
      v.vertical = true;
      v.anchor = text_anchor::middle;
      const auto e = ch.extents(band_labels[s], ch.bold());
      // Rotated: the glyphs stand left of the baseline; centre the line box in the band.
      const double baseline_x = band.x + band.width / 2 + (e.ascent - e.descent) / 2;
      ch.text(d, {baseline_x, band.y + band.height / 2}, band_labels[s], v);
    }
    d.end_group();
  }

  d.begin_group("boxes");
  const auto body_e = ch.extents("Ag", ch.body());
  for (const auto& b : boxes) {
    d.begin_group("box-" + b.id);
    switch (b.look) {
      case flow_box::style::plain:
        d.rectangle(b.frame, {.fill = colours::white, .stroke = outline});
        break;
      case flow_box::style::header_yellow:
        d.polygon(rounded_rect(b.frame, fs * 0.5), {.fill = detail::palette::header_yellow});
        break;
      case flow_box::style::header_grey:
        d.polygon(rounded_rect(b.frame, fs * 0.5), {.fill = detail::palette::header_grey});
        break;
    }
    detail::add_frame_marks(d, b.frame, "box " + b.id);
    const bool centred = b.look != flow_box::style::plain;
    // The text block is centred vertically: boxes of a row share the tallest one's height.
    const double block = static_cast<double>(b.lines.size()) * line_h;
    double y = b.frame.y + (b.frame.height - block) / 2 + fs * 0.075 + body_e.ascent;
    for (const auto& l : b.lines) {
      text_style st = l.bold ? ch.bold() : ch.body();
      if (centred) {
        st.anchor = text_anchor::middle;
        ch.text(d, {b.frame.x + b.frame.width / 2, y}, l.text, st);
      } else {
        ch.text(d, {b.frame.x + pad + l.x_offset, y}, l.text, st);
      }
      y += line_h;
    }
    d.end_group();
  }
  d.end_group();

  // ---- arrows
  // ------------------------------------------------------------------------------------
  auto find = [&](std::string_view id) -> const flow_box* {
    for (const auto& b : boxes) {
      if (b.id == id) return &b;
    }
    return nullptr;
  };
  const double head = fs * 0.55;
  auto right_of = [&](std::string_view from, std::string_view to) {
    const auto* a = find(from);
    const auto* b = find(to);
    if (a == nullptr || b == nullptr) return;
    const double y = a->frame.y + a->frame.height / 2;
    detail::draw_arrow(d, {a->frame.right(), y}, {b->frame.x, y}, head);
  };
  auto below = [&](std::string_view from, std::string_view to) {
    const auto* a = find(from);
    const auto* b = find(to);
    if (a == nullptr || b == nullptr) return;
    const double x = a->frame.x + a->frame.width / 2;
    detail::draw_arrow(d, {x, a->frame.bottom()}, {x, b->frame.y}, head);
  };
  d.begin_group("arrows");
  right_of("identified", "removed");
  below("identified", "screened");
  right_of("screened", "records-excluded");
  below("screened", "sought");
  right_of("sought", "not-retrieved");
  below("sought", "assessed");
  right_of("assessed", "reports-excluded");
  below("assessed", "included");
  if (other) {
    below("other-identified", "other-sought");
    right_of("other-sought", "other-not-retrieved");
    below("other-sought", "other-assessed");
    right_of("other-assessed", "other-excluded");
    const auto* a = find("other-assessed");
    const auto* b = find("included");
    const double x = a->frame.x + a->frame.width / 2;
    const double y = b->frame.y + b->frame.height / 2;
    detail::draw_elbow_arrow(d, {{x, a->frame.bottom()}, {x, y}, {b->frame.right(), y}}, head);
  }
  if (previous) {
    below("included", "total");
    const auto* a = find("previous");
    const auto* b = find("total");
    const double x = a->frame.x + a->frame.width / 2;
    const double y = b->frame.y + b->frame.height / 2;
    detail::draw_elbow_arrow(d, {{x, a->frame.bottom()}, {x, y}, {b->frame.x, y}}, head);
  }
  if (meta) below(previous ? "total" : "included", "meta-analysis");
  d.end_group();
  return d;
}

}  // namespace srma::plot
