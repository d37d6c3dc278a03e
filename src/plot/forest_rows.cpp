// Forest plot rows from a pooled analysis and from a subgroup analysis.
#include "srma/plot/forest_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <utility>

#include "axis.hpp"
#include "figure_format.hpp"
#include "srma/report/format.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::plot {

void forest_content::sort_by(std::string_view key) {
  sort_column.clear();
  if (key == "none") {
    sort = forest_sort::none;
  } else if (key == "effect") {
    sort = forest_sort::effect;
  } else if (key == "weight") {
    sort = forest_sort::weight;
  } else {
    sort = forest_sort::column;
    sort_column = std::string(key);
  }
}

std::string_view to_string(forest_sort s) {
  switch (s) {
    case forest_sort::effect:
      return "effect";
    case forest_sort::weight:
      return "weight";
    case forest_sort::column:
      return "column";
    case forest_sort::none:
      break;
  }
  return "none";
}
namespace {

constexpr double na = std::numeric_limits<double>::quiet_NaN();

/// The models shown, leading model first.
std::vector<model_kind> shown_models(const pool_result& r) {
  const auto other = r.primary == model_kind::random ? model_kind::common : model_kind::random;
  switch (r.options.model) {
    case model_choice::common:
      return {model_kind::common};
    case model_choice::random:
      return {model_kind::random};
    case model_choice::both:
      return {r.primary, other};
    case model_choice::auto_i2:
      return {r.primary};
  }
  return {r.primary};
}

const model_estimate& estimate_of(const pool_result& r, model_kind m) {
  return m == model_kind::common ? r.common : static_cast<const model_estimate&>(r.random);
}

double study_weight(const pool_result& r, model_kind m, std::size_t i) {
  return m == model_kind::common ? r.weight_common[i] : r.weight_random[i];
}

std::string_view model_words(model_kind m) {
  return m == model_kind::common ? "common effect" : "random effects";
}

/// The per-arm columns RevMan 5 and the journals show: the arm (group title) and the column's
/// own title; empty for other columns.
struct arm_column {
  std::string group, title;
};

arm_column arm_of(std::string_view name) {
  struct entry {
    const char* name;
    const char* group;
    const char* title;
  };
  static constexpr entry table[] = {
      {"events_t", "Experimental", "Events"},
      {"n_t", "Experimental", "Total"},
      {"events_c", "Control", "Events"},
      {"n_c", "Control", "Total"},
      {"m1", "Experimental", "Mean"},
      {"sd1", "Experimental", "SD"},
      {"n1", "Experimental", "Total"},
      {"m2", "Control", "Mean"},
      {"sd2", "Control", "SD"},
      {"n2", "Control", "Total"},
      {"oe", "", "O\u2212E"},
      {"v", "", "Variance"},
  };
  for (const auto& e : table) {
    if (detail::iequals(name, e.name)) return {e.group, e.title};
  }
  return {};
}

/// RevMan 5's columns for an input kind: per-arm counts, means or O - E and V.
std::vector<std::string> revman_columns(input_kind kind) {
  switch (kind) {
    case input_kind::two_by_two:
      return {"events_t", "n_t", "events_c", "n_c"};
    case input_kind::means:
      return {"m1", "sd1", "n1", "m2", "sd2", "n2"};
    case input_kind::oe_v:
      return {"oe", "v"};
    default:
      return {};
  }
}

/// RevMan 5's name of a measure in its headings ("Odds Ratio", "Std. Mean Difference").
std::string revman_measure(effect_measure m, pooling_method method) {
  switch (m) {
    case effect_measure::odds_ratio:
      return method == pooling_method::peto ? "Peto Odds Ratio" : "Odds Ratio";
    case effect_measure::risk_ratio:
      return "Risk Ratio";
    case effect_measure::risk_difference:
      return "Risk Difference";
    case effect_measure::mean_difference:
      return "Mean Difference";
    case effect_measure::std_mean_difference:
    case effect_measure::std_mean_difference_h:
      return "Std. Mean Difference";
    case effect_measure::hazard_ratio:
      return "Hazard Ratio";
    default:
      break;
  }
  std::string s(measure_name(m));
  bool start = true;
  for (auto& ch : s) {
    if (start && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
    start = ch == ' ';
  }
  return s;
}

/// RevMan 5's P: "P < 0.00001", two decimals from 0.01, one significant digit below.
std::string revman_p(double p) {
  if (!std::isfinite(p)) return "P = \u2014";
  if (p < 0.00001) return "P < 0.00001";
  if (p >= 0.01) return fmt::format("P = {:.2f}", p);
  const int d = static_cast<int>(std::ceil(-std::log10(p) - 1e-12));
  std::string s = fmt::format("{:.{}f}", p, d);
  if (s == fmt::format("{:.{}f}", std::pow(10.0, -d + 1), d)) s = fmt::format("{:.{}f}", p, d - 1);
  return "P = " + s;
}

std::string column_title(std::string_view name) {
  std::string s(name);
  std::replace(s.begin(), s.end(), '_', ' ');
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 32);
  return s;
}

// Numbers in the text rows follow the figures' one rule (figure_format.hpp).
std::string num(double x, int decimals) { return detail::figure_number(x, decimals); }

std::string tau2_text(double tau2) {
  // A tau^2 of (numerically) zero is "0", as metafor prints it.
  const double one[] = {tau2};
  return detail::figure_tau2(tau2, detail::tau2_decimals(one));
}

std::string heterogeneity_line(const pool_result& r, bool with_tau2) {
  const auto& h = r.heterogeneity;
  std::string s =
      fmt::format("Heterogeneity: I\u00b2 = {}", detail::figure_percent(r.reported_i2(), 0));
  if (with_tau2) s += fmt::format(", \u03c4\u00b2 = {}", tau2_text(h.tau2));
  s += fmt::format(", \u03c7\u00b2 = {} (df = {:g}), {}", num(h.Q, 2), h.df, format_p_clause(h.p));
  return s;
}

std::string statistic_text(const model_estimate& e) {
  if (std::isnan(e.df)) return fmt::format("z = {}", num(e.statistic, 2));
  return fmt::format("t = {} (df = {:g})", num(e.statistic, 2), e.df);
}

struct builder {
  const study_table& studies;
  const forest_content& content;
  std::vector<int> columns;  // attribute indices
  std::vector<std::string> column_names;
  int sort_column = -1;
  bool sort_numeric = true;

  expected<void> resolve() {
    auto unknown = [&](const std::string& name, std::string_view what) {
      std::string have =
          studies.attribute_names.empty()
              ? std::string("the file has no columns besides the effect columns")
              : fmt::format("available: {}", fmt::join(studies.attribute_names, ", "));
      return fail(errc::plot_unknown_column,
                  fmt::format("{} '{}' is not a column of the input; {}", what, name, have));
    };
    column_names = content.columns;
    if (column_names.empty() && content.layout == forest_layout::revman5) {
      column_names = revman_columns(studies.kind);
    }
    for (const auto& name : column_names) {
      const int idx = studies.attribute_index(name);
      if (idx < 0) return unknown(name, "column");
      columns.push_back(idx);
    }
    if (content.sort == forest_sort::column) {
      sort_column = studies.attribute_index(content.sort_column);
      if (sort_column < 0) return unknown(content.sort_column, "sort column");
      for (const auto& v : studies.attributes[static_cast<std::size_t>(sort_column)]) {
        if (!detail::trim(v).empty() && !detail::parse_double(detail::trim(v)))
          sort_numeric = false;
      }
    }
    return {};
  }

  /// Orders study indices `idx` (into the input table, like `yi`); `weight_of(i)` gives study
  /// i's weight in the leading model.
  template <typename WeightFn>
  void sort(std::vector<std::size_t>& idx, const std::vector<double>& yi,
            WeightFn weight_of) const {
    switch (content.sort) {
      case forest_sort::none:
        return;
      case forest_sort::effect:
        std::stable_sort(idx.begin(), idx.end(),
                         [&](std::size_t a, std::size_t b) { return yi[a] < yi[b]; });
        return;
      case forest_sort::weight:
        std::stable_sort(idx.begin(), idx.end(),
                         [&](std::size_t a, std::size_t b) { return weight_of(a) > weight_of(b); });
        return;
      case forest_sort::column: {
        const auto& col = studies.attributes[static_cast<std::size_t>(sort_column)];
        auto key = [&](std::size_t i) {
          auto v = detail::parse_double(detail::trim(col[i]));
          return v ? *v : std::numeric_limits<double>::infinity();  // empty cells last
        };
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
          if (sort_numeric) return key(a) < key(b);
          return col[a] < col[b];
        });
        return;
      }
    }
  }

  [[nodiscard]] std::vector<std::string> cells(std::size_t i) const {
    std::vector<std::string> out;
    for (int c : columns) out.emplace_back(studies.attributes[static_cast<std::size_t>(c)][i]);
    return out;
  }

  /// The bounds of study i as entered (hr|or|rr, lower, upper at `level`), when its estimate
  /// came from them: exp(yi) equals the entered ratio.
  [[nodiscard]] std::optional<std::pair<std::string, std::string>> entered_ci(std::size_t i,
                                                                              double yi,
                                                                              double level) const {
    if (!content.ci_as_entered) return std::nullopt;
    int ratio = -1;
    for (const char* n : {"hr", "or", "rr"}) {
      if (ratio < 0) ratio = studies.attribute_index(n);
    }
    const int lo = studies.attribute_index("lower");
    const int hi = studies.attribute_index("upper");
    if (ratio < 0 || lo < 0 || hi < 0) return std::nullopt;
    auto text = [&](int a) {
      return std::string(detail::trim(studies.attributes[static_cast<std::size_t>(a)][i]));
    };
    for (const char* n : {"ci_level", "level"}) {
      const int a = studies.attribute_index(n);
      if (a < 0 || text(a).empty()) continue;
      auto l = detail::parse_double(text(a));
      if (!l || std::abs(*l - level) > 1e-9) return std::nullopt;
    }
    if (std::abs(level - 95) > 1e-9 && studies.attribute_index("ci_level") < 0 &&
        studies.attribute_index("level") < 0) {
      return std::nullopt;
    }
    auto r = detail::parse_double(text(ratio));
    auto l = detail::parse_double(text(lo));
    auto u = detail::parse_double(text(hi));
    if (!r || !l || !u || *r <= 0 || std::abs(std::log(*r) - yi) > 1e-9) return std::nullopt;
    return std::pair{text(lo), text(hi)};
  }

  /// The cells of study i of another table with the same columns (the not-estimable studies).
  [[nodiscard]] std::vector<std::string> cells_of(const study_table& t, std::size_t i) const {
    std::vector<std::string> out;
    for (const auto& name : column_names) {
      const int a = t.attribute_index(name);
      out.push_back(a < 0 ? std::string()
                          : std::string(t.attributes[static_cast<std::size_t>(a)][i]));
    }
    return out;
  }

  /// Sum of a column over the analysed and the not-estimable studies, as text ("" when a cell
  /// is not a whole number or the column is not a count).
  [[nodiscard]] std::string column_total(std::size_t c) const {
    return column_total(c, nullptr, nullptr);
  }
  /// The same over the studies at `rows` of the analysed table and `ne_rows` of the
  /// not-estimable ones (nullptr: all of them), e.g. one subgroup's.
  [[nodiscard]] std::string column_total(std::size_t c, const std::vector<std::size_t>* rows,
                                         const std::vector<std::size_t>* ne_rows) const {
    const auto& name = column_names[c];
    const bool count = detail::iequals(name, "events_t") || detail::iequals(name, "events_c") ||
                       detail::iequals(name, "n_t") || detail::iequals(name, "n_c") ||
                       detail::iequals(name, "n1") || detail::iequals(name, "n2");
    if (!count) return "";
    double sum = 0;
    auto add = [&](const study_table& t, const std::vector<std::size_t>* subset) {
      const int a = t.attribute_index(name);
      if (a < 0) return t.k() == 0 && t.study.empty();
      const auto& col = t.attributes[static_cast<std::size_t>(a)];
      const std::size_t n = subset != nullptr ? subset->size() : col.size();
      for (std::size_t j = 0; j < n; ++j) {
        auto x = detail::parse_double(detail::trim(col[subset != nullptr ? (*subset)[j] : j]));
        if (!x) return false;
        sum += *x;
      }
      return true;
    };
    if (!add(studies, rows)) return "";
    if (!content.not_estimable.study.empty() && !add(content.not_estimable, ne_rows)) return "";
    return fmt::format("{:.0f}", sum);
  }

  void fill_options(forest_options& o, const pool_result& r,
                    const std::vector<model_kind>& models) const {
    o.measure = r.measure;
    // A generic effect is titled by its own name (--measure-label), when it has one.
    if (r.measure == effect_measure::generic && !r.measure_label.empty() && !o.axis_title)
      o.axis_title = r.measure_label;
    o.display = display_context_from_vi(r.measure, r.vi);
    o.level = r.level;
    o.layout = content.layout;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const auto& name = studies.attribute_names[static_cast<std::size_t>(columns[k])];
      const auto arm = arm_of(name);
      o.column_titles.push_back(arm.title.empty() ? column_title(name) : arm.title);
      // Neighbouring columns of one arm share a group title ("Experimental" over Events, Total).
      if (arm.group.empty()) continue;
      if (!o.column_groups.empty() && o.column_groups.back().title == arm.group &&
          o.column_groups.back().first + o.column_groups.back().count == k) {
        ++o.column_groups.back().count;
      } else {
        o.column_groups.push_back({arm.group, k, 1});
      }
    }
    if (models.size() == 1) {
      o.weight_titles = {"Weight"};
    } else {
      for (auto m : models) {
        o.weight_titles.push_back(m == model_kind::common ? "Weight\n(common)"
                                                          : "Weight\n(random)");
      }
    }
  }
};

forest_row study_row(const builder& b, const pool_result& r, std::size_t i,
                     const std::vector<model_kind>& models, const std::vector<double>& yi,
                     const std::vector<double>& vi, std::size_t input_index,
                     bool* entered = nullptr) {
  const double z = z_for_level(r.level);
  const double se = std::sqrt(vi[i]);
  forest_row row;
  row.kind = forest_row_kind::study;
  row.label = r.study.empty() ? fmt::format("Study {}", i + 1) : r.study[i];
  row.cells = b.cells(input_index);
  row.estimate = yi[i];
  row.lower = yi[i] - z * se;
  row.upper = yi[i] + z * se;
  row.size_weight = study_weight(r, models.front(), i);
  for (auto m : models) row.weights.push_back(study_weight(r, m, i));
  if (auto ci = b.entered_ci(input_index, yi[i], r.level)) {
    row.lower_text = ci->first;
    row.upper_text = ci->second;
    if (entered != nullptr) *entered = true;
  }
  return row;
}

/// A study without an estimate: its cells and "Not estimable", no marker, no weight.
forest_row not_estimable_row(const builder& b, std::size_t j) {
  const auto& t = b.content.not_estimable;
  forest_row row;
  row.kind = forest_row_kind::study;
  row.label = t.study[j];
  row.cells = b.cells_of(t, j);
  row.note = "Not estimable";
  return row;
}

/// Study rows in the order the content asks for, with the not-estimable studies at their place
/// in input order (after the others when the rows are sorted).
/// `ne_idx`: the not-estimable studies to show (indices into content.not_estimable, in input
/// order).
template <typename RowFn>
void add_study_rows(std::vector<forest_row>& rows, const builder& b, const study_table& studies,
                    const std::vector<std::size_t>& idx, const std::vector<std::size_t>& ne_idx,
                    RowFn row_of) {
  const auto& ne = b.content.not_estimable;
  std::size_t next = 0;
  const bool by_line = b.content.sort == forest_sort::none && ne.line.size() == ne.study.size() &&
                       studies.line.size() == studies.k();
  for (auto i : idx) {
    while (by_line && next < ne_idx.size() && ne.line[ne_idx[next]] < studies.line[i]) {
      rows.push_back(not_estimable_row(b, ne_idx[next++]));
    }
    rows.push_back(row_of(i));
  }
  while (next < ne_idx.size()) rows.push_back(not_estimable_row(b, ne_idx[next++]));
}

/// Indices 0 .. n-1.
std::vector<std::size_t> all_indices(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t{0});
  return v;
}

forest_row summary_row(std::string label, const model_estimate& e, std::size_t column,
                       std::size_t n_columns, double weight) {
  forest_row row;
  row.kind = forest_row_kind::summary;
  row.label = std::move(label);
  row.estimate = e.estimate;
  row.lower = e.ci_lower;
  row.upper = e.ci_upper;
  row.weights.assign(n_columns, na);
  row.weights[column] = weight;
  return row;
}

std::string random_suffix(const pool_result& r) {
  return r.random.ci == ci_method::hksj ? " (HKSJ)" : "";
}

forest_row text_row(std::string text) {
  forest_row row;
  row.kind = forest_row_kind::text;
  row.label = std::move(text);
  return row;
}

void add_prediction(std::vector<forest_row>& rows, const pool_result& r,
                    const std::vector<model_kind>& models) {
  if (std::find(models.begin(), models.end(), model_kind::random) == models.end()) return;
  if (!std::isfinite(r.random.pi_lower) || !std::isfinite(r.random.pi_upper)) return;
  forest_row row;
  row.kind = forest_row_kind::prediction;
  row.label = "Prediction interval";
  row.lower = r.random.pi_lower;
  row.upper = r.random.pi_upper;
  rows.push_back(std::move(row));
}

void add_tests(std::vector<forest_row>& rows, const pool_result& r,
               const std::vector<model_kind>& models, const forest_content& content) {
  const bool random_shown =
      std::find(models.begin(), models.end(), model_kind::random) != models.end();
  if (content.heterogeneity && r.k >= 2)
    rows.push_back(text_row(heterogeneity_line(r, random_shown)));
  if (!content.overall_test) return;
  for (auto m : models) {
    const auto& e = estimate_of(r, m);
    const std::string which = models.size() > 1 ? fmt::format(" ({})", model_words(m)) : "";
    rows.push_back(text_row(fmt::format("Test for overall effect{}: {}, {}", which,
                                        statistic_text(e), format_p_clause(e.p))));
  }
}

/// RevMan 5's headings: "Study or Subgroup", "Odds Ratio\nM-H, Fixed, 95% CI" over the
/// estimates and over the forest, no axis title, "Favours [experimental]|Favours [control]".
void set_revman_titles(forest_options& o, const pool_result& r, model_kind m) {
  const std::string method = r.method == pooling_method::mantel_haenszel ? "M-H"
                             : r.method == pooling_method::peto          ? "Peto"
                                                                         : "IV";
  const std::string heading =
      fmt::format("{}\n{}, {}, {}% CI", revman_measure(r.measure, r.method), method,
                  m == model_kind::common ? "Fixed" : "Random", format_level(r.level));
  o.label_title = "Study or Subgroup";
  o.estimate_title = heading;
  o.forest_title = heading;
  o.axis_title = "";
  o.weight_titles = {"Weight"};
  if (o.favours_left.empty() && o.favours_right.empty()) {
    o.favours_left = "Favours [experimental]";
    o.favours_right = "Favours [control]";
  }
}

/// RevMan 5's footer of a block: "Heterogeneity: Chi\u00b2 = 9.95, df = 6 (P = 0.13); I\u00b2 =
/// 40%" (with "Tau\u00b2 = ...; " first under random effects; "Not applicable" for one study) and
/// "Test for overall effect: Z = 3.29 (P = 0.001)".
void add_revman_footer(std::vector<forest_row>& rows, const pool_result& r, model_kind m,
                       const forest_content& content) {
  const auto& e = estimate_of(r, m);
  const auto& h = r.heterogeneity;
  if (content.heterogeneity) {
    std::string line = "Heterogeneity: ";
    if (r.k < 2) {
      line += "Not applicable";
    } else {
      if (m == model_kind::random) line += fmt::format("Tau\u00b2 = {}; ", num(h.tau2, 2));
      line += fmt::format("Chi\u00b2 = {}, df = {:g} ({}); I\u00b2 = {}%", num(h.Q, 2), h.df,
                          revman_p(h.p), num(r.reported_i2(), 0));
    }
    rows.push_back(text_row(std::move(line)));
  }
  if (content.overall_test) {
    const char* stat = std::isnan(e.df) ? "Z" : "T";
    rows.push_back(text_row(fmt::format("Test for overall effect: {} = {} ({})", stat,
                                        num(std::abs(e.statistic), 2), revman_p(e.p))));
  }
}

/// RevMan 5's summary of a block: the "Total (95% CI)" (or "Subtotal (95% CI)") row with the
/// participants of `rows` and `ne_rows` (nullptr: all studies) and `weight`, then "Total events"
/// when the columns hold events.
void add_revman_total(std::vector<forest_row>& out, const builder& b, const pool_result& r,
                      model_kind m, const std::string& label, double weight,
                      const std::vector<std::size_t>* rows,
                      const std::vector<std::size_t>* ne_rows) {
  forest_row total = summary_row(label, estimate_of(r, m), 0, 1, weight);
  forest_row events;
  events.kind = forest_row_kind::study;
  events.label = "Total events";
  bool any_events = false;
  for (std::size_t c = 0; c < b.column_names.size(); ++c) {
    const auto& name = b.column_names[c];
    const bool is_events = detail::iequals(name, "events_t") || detail::iequals(name, "events_c");
    const std::string t = b.column_total(c, rows, ne_rows);
    total.cells.push_back(is_events ? "" : t);
    events.cells.push_back(is_events ? t : "");
    any_events = any_events || (is_events && !t.empty());
  }
  out.push_back(std::move(total));
  if (any_events) out.push_back(std::move(events));
}

/// RevMan 5's "Total (95% CI)" row with the participants, "Total events", and its footer.
void add_revman_summary(forest_plot& plot, const builder& b, const pool_result& r, model_kind m,
                        const forest_content& content) {
  set_revman_titles(plot.options, r, m);
  add_revman_total(plot.rows, b, r, m, fmt::format("Total ({}% CI)", format_level(r.level)), 100,
                   nullptr, nullptr);
  add_revman_footer(plot.rows, r, m, content);
}

/// RevMan 5's test for subgroup differences: "Chi\u00b2 = 1.23, df = 1 (P = 0.27), I\u00b2 =
/// 18.6%", with I\u00b2 = max(0, (Q - df)/Q) to one decimal ("0%" for none).
std::string revman_subgroup_test(const subgroup_test& t) {
  const double i2 = t.Q > 0 ? std::max(0.0, (t.Q - t.df) / t.Q) * 100 : 0.0;
  const std::string i2_text = i2 > 0 ? num(i2, 1) : std::string("0");
  return fmt::format("Test for subgroup differences: Chi\u00b2 = {}, df = {:g} ({}), I\u00b2 = {}%",
                     num(t.Q, 2), t.df, revman_p(t.p), i2_text);
}

/// JAMA: "Source", "OR (95% CI)" left of the forest, no weights (meta's layout "JAMA"); the
/// Lancet: "OR (95% CI)" (the renderer writes its numbers with mid-point decimals).
void apply_journal_layout(forest_plot& plot, const pool_result& r) {
  auto& o = plot.options;
  if (o.layout != forest_layout::jama && o.layout != forest_layout::lancet) return;
  o.estimate_title = fmt::format("{} ({}% CI)", display_label(r.measure), format_level(r.level));
  if (o.layout == forest_layout::jama) {
    o.label_title = "Source";
    o.weight_titles.clear();
    for (auto& row : plot.rows) row.weights.clear();
  }
}

expected<void> check_match(const pool_result& r, const study_table& studies) {
  if (studies.k() != r.k || (!r.study.empty() && r.study != studies.study)) {
    return fail(errc::plot_bad_data,
                fmt::format("the study table ({} studies) is not the one the result ({} studies) "
                            "was computed from",
                            studies.k(), r.k));
  }
  return {};
}

}  // namespace

expected<forest_plot> forest_from(const pool_result& result, const study_table& studies,
                                  const forest_content& content) {
  if (auto ok = check_match(result, studies); !ok) return unexpected(ok.error());
  builder b{studies, content, {}, {}, -1, true};
  if (auto ok = b.resolve(); !ok) return unexpected(ok.error());
  auto models = shown_models(result);
  // RevMan 5 shows one model.
  if (content.layout == forest_layout::revman5) models.resize(1);
  forest_plot plot;
  b.fill_options(plot.options, result, models);

  std::vector<std::size_t> idx(result.k);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  b.sort(idx, result.yi, [&](std::size_t i) { return study_weight(result, models.front(), i); });
  bool entered = false;
  add_study_rows(plot.rows, b, studies, idx, all_indices(content.not_estimable.study.size()),
                 [&](std::size_t i) {
                   return study_row(b, result, i, models, result.yi, result.vi, i, &entered);
                 });
  if (entered) plot.options.caption = "Study CIs as reported";

  if (content.layout == forest_layout::revman5) {
    add_revman_summary(plot, b, result, models.front(), content);
    return plot;
  }
  for (std::size_t c = 0; c < models.size(); ++c) {
    const auto m = models[c];
    // The common-effect method is named when it is not inverse variance (RevMan: "M-H, Fixed").
    std::string label = m == model_kind::random ? "Random-effects model" + random_suffix(result)
                        : result.method == pooling_method::mantel_haenszel
                            ? std::string("Common-effect model (Mantel-Haenszel)")
                        : result.method == pooling_method::peto
                            ? std::string("Common-effect model (Peto)")
                            : std::string("Common-effect model");
    plot.rows.push_back(
        summary_row(std::move(label), estimate_of(result, m), c, models.size(), 100));
  }
  if (content.prediction_interval) add_prediction(plot.rows, result, models);
  add_tests(plot.rows, result, models, content);
  apply_journal_layout(plot, result);
  return plot;
}

expected<forest_plot> forest_from(const subgroup_analysis& analysis, const study_table& studies,
                                  const forest_content& content) {
  const auto& overall = analysis.overall;
  if (auto ok = check_match(overall, studies); !ok) return unexpected(ok.error());
  builder b{studies, content, {}, {}, -1, true};
  if (auto ok = b.resolve(); !ok) return unexpected(ok.error());
  auto models = shown_models(overall);
  const bool revman = content.layout == forest_layout::revman5;
  if (revman) models.resize(1);
  forest_plot plot;
  b.fill_options(plot.options, overall, models);
  const bool both = models.size() > 1;
  const std::string level = format_level(overall.level);

  // The not-estimable studies of each subgroup (by their value in the subgroup column), and
  // those of a level without any analysed study, shown in blocks of their own after the others.
  const auto& ne = content.not_estimable;
  std::vector<std::vector<std::size_t>> ne_of(analysis.groups.size());
  std::vector<std::pair<std::string, std::vector<std::size_t>>> ne_only;
  const int ne_col = ne.attribute_index(analysis.column);
  for (std::size_t j = 0; j < ne.study.size(); ++j) {
    const std::string lv =
        ne_col < 0 ? std::string()
                   : std::string(detail::trim(ne.attributes[static_cast<std::size_t>(ne_col)][j]));
    auto g = std::find_if(analysis.groups.begin(), analysis.groups.end(),
                          [&](const subgroup& x) { return x.level == lv; });
    if (g != analysis.groups.end()) {
      ne_of[static_cast<std::size_t>(g - analysis.groups.begin())].push_back(j);
      continue;
    }
    auto o =
        std::find_if(ne_only.begin(), ne_only.end(), [&](const auto& x) { return x.first == lv; });
    if (o == ne_only.end()) {
      ne_only.push_back({lv, {j}});
    } else {
      o->second.push_back(j);
    }
  }
  auto heading_row = [&](const std::string& lv) {
    // The heading names the variable too ("Alloc: random"), so the subgroups explain
    // themselves (issue 13 item 9).
    forest_row heading;
    heading.kind = forest_row_kind::heading;
    heading.label =
        analysis.column.empty() ? lv : fmt::format("{}: {}", column_title(analysis.column), lv);
    return heading;
  };
  auto spacer_row = [] {
    forest_row spacer;
    spacer.kind = forest_row_kind::spacer;
    return spacer;
  };

  for (std::size_t gi = 0; gi < analysis.groups.size(); ++gi) {
    const auto& g = analysis.groups[gi];
    plot.rows.push_back(heading_row(g.level));
    // Positions within the subgroup, ordered; studies carry the overall model's weights so the
    // squares compare across subgroups and each subgroup's weights add up to its share.
    std::vector<std::size_t> idx = g.rows;  // indices into the input table
    b.sort(idx, overall.yi,
           [&](std::size_t i) { return study_weight(overall, models.front(), i); });
    bool entered = false;
    add_study_rows(plot.rows, b, studies, idx, ne_of[gi], [&](std::size_t i) {
      return study_row(b, overall, i, models, overall.yi, overall.vi, i, &entered);
    });
    if (entered) plot.options.caption = "Study CIs as reported";
    if (revman) {
      // RevMan 5: "Subtotal (95% CI)" with the subgroup's participants and events, then its
      // footer; a subgroup of one study gets no subtotal (issue 13 item 9), only the footer.
      const auto m = models.front();
      if (g.result.k >= 2) {
        const double share =
            m == model_kind::common ? g.weight_share_common : g.weight_share_random;
        add_revman_total(plot.rows, b, g.result, m, fmt::format("Subtotal ({}% CI)", level), share,
                         &g.rows, &ne_of[gi]);
      }
      add_revman_footer(plot.rows, g.result, m, content);
      plot.rows.push_back(spacer_row());
      continue;
    }
    // A subgroup of one study gets no subtotal: its diamonds would repeat the study's square
    // and interval (issue 13 item 9).
    for (std::size_t c = 0; c < models.size() && g.result.k >= 2; ++c) {
      const auto m = models[c];
      std::string label = both ? fmt::format("Subtotal, {}", model_words(m)) : "Subtotal";
      if (m == model_kind::random) label += random_suffix(g.result);
      const double share = m == model_kind::common ? g.weight_share_common : g.weight_share_random;
      plot.rows.push_back(
          summary_row(std::move(label), estimate_of(g.result, m), c, models.size(), share));
    }
    const bool random_shown =
        std::find(models.begin(), models.end(), model_kind::random) != models.end();
    if (content.heterogeneity && g.result.k >= 2) {
      plot.rows.push_back(text_row(heterogeneity_line(g.result, random_shown)));
    }
    plot.rows.push_back(spacer_row());
  }
  for (const auto& [lv, js] : ne_only) {
    plot.rows.push_back(heading_row(lv));
    add_study_rows(plot.rows, b, studies, {}, js, [&](std::size_t i) {
      return study_row(b, overall, i, models, overall.yi, overall.vi, i);
    });
    plot.rows.push_back(spacer_row());
  }
  if (revman) {
    const auto m = models.front();
    set_revman_titles(plot.options, overall, m);
    add_revman_total(plot.rows, b, overall, m, fmt::format("Total ({}% CI)", level), 100, nullptr,
                     nullptr);
    add_revman_footer(plot.rows, overall, m, content);
    if (content.overall_test) {
      plot.rows.push_back(text_row(revman_subgroup_test(
          m == model_kind::common ? analysis.between_common : analysis.between_random)));
    }
    return plot;
  }
  for (std::size_t c = 0; c < models.size(); ++c) {
    const auto m = models[c];
    std::string label = both ? fmt::format("Overall, {}", model_words(m)) : "Overall";
    if (m == model_kind::random) label += random_suffix(overall);
    plot.rows.push_back(
        summary_row(std::move(label), estimate_of(overall, m), c, models.size(), 100));
  }
  if (content.prediction_interval) add_prediction(plot.rows, overall, models);
  add_tests(plot.rows, overall, models, content);
  if (content.overall_test) {
    for (auto m : models) {
      const auto& t = m == model_kind::common ? analysis.between_common : analysis.between_random;
      const std::string which = both ? fmt::format(" ({})", model_words(m)) : "";
      plot.rows.push_back(
          text_row(fmt::format("Test for subgroup differences{}: \u03c7\u00b2 = {} "
                               "(df = {:g}), {}",
                               which, num(t.Q, 2), t.df, format_p_clause(t.p))));
    }
  }
  apply_journal_layout(plot, overall);
  return plot;
}

}  // namespace srma::plot
