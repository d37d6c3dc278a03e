// Forest plot rows from a pooled analysis and from a subgroup analysis.
#include "srma/plot/forest_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

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
    for (const auto& name : content.columns) {
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
    for (int c : columns) out.push_back(studies.attributes[static_cast<std::size_t>(c)][i]);
    return out;
  }

  void fill_options(forest_options& o, const pool_result& r,
                    const std::vector<model_kind>& models) const {
    o.measure = r.measure;
    // A generic effect is titled by its own name (--measure-label), when it has one.
    if (r.measure == effect_measure::generic && !r.measure_label.empty() && !o.axis_title)
      o.axis_title = r.measure_label;
    o.display = display_context_from_vi(r.measure, r.vi);
    o.level = r.level;
    for (int c : columns)
      o.column_titles.push_back(column_title(studies.attribute_names[static_cast<std::size_t>(c)]));
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
                     const std::vector<double>& vi, std::size_t input_index) {
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
  return row;
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
  builder b{studies, content, {}, -1, true};
  if (auto ok = b.resolve(); !ok) return unexpected(ok.error());
  const auto models = shown_models(result);
  forest_plot plot;
  b.fill_options(plot.options, result, models);

  std::vector<std::size_t> idx(result.k);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  b.sort(idx, result.yi, [&](std::size_t i) { return study_weight(result, models.front(), i); });
  for (auto i : idx) plot.rows.push_back(study_row(b, result, i, models, result.yi, result.vi, i));

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
  return plot;
}

expected<forest_plot> forest_from(const subgroup_analysis& analysis, const study_table& studies,
                                  const forest_content& content) {
  const auto& overall = analysis.overall;
  if (auto ok = check_match(overall, studies); !ok) return unexpected(ok.error());
  builder b{studies, content, {}, -1, true};
  if (auto ok = b.resolve(); !ok) return unexpected(ok.error());
  const auto models = shown_models(overall);
  forest_plot plot;
  b.fill_options(plot.options, overall, models);
  const bool both = models.size() > 1;

  for (const auto& g : analysis.groups) {
    // The heading names the variable too ("Alloc: random"), so the subgroups explain
    // themselves (issue 13 item 9).
    forest_row heading;
    heading.kind = forest_row_kind::heading;
    heading.label = analysis.column.empty()
                        ? g.level
                        : fmt::format("{}: {}", column_title(analysis.column), g.level);
    plot.rows.push_back(std::move(heading));
    // Positions within the subgroup, ordered; studies carry the overall model's weights so the
    // squares compare across subgroups and each subgroup's weights add up to its share.
    std::vector<std::size_t> idx = g.rows;  // indices into the input table
    b.sort(idx, overall.yi,
           [&](std::size_t i) { return study_weight(overall, models.front(), i); });
    for (auto i : idx) {
      plot.rows.push_back(study_row(b, overall, i, models, overall.yi, overall.vi, i));
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
    forest_row spacer;
    spacer.kind = forest_row_kind::spacer;
    plot.rows.push_back(std::move(spacer));
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
  return plot;
}

}  // namespace srma::plot
