// The Results sections of `srma run`: one subsection per planned analysis, in the order of a
// published meta-analysis (overall effect and heterogeneity, small-study effects, sensitivity
// analyses, subgroups, subsets, meta-regression), each with its text, figure, tables and JSON.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "context.hpp"
#include "srma/bias/small_study_bias.hpp"
#include "srma/model/metareg.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/plot/baujat.hpp"
#include "srma/plot/bubble.hpp"
#include "srma/plot/drapery.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/funnel.hpp"
#include "srma/plot/gosh_plot.hpp"
#include "srma/plot/influence_plot.hpp"
#include "srma/plot/labbe.hpp"
#include "srma/plot/qqnorm.hpp"
#include "srma/plot/radial.hpp"
#include "srma/plot/refit_forest.hpp"
#include "srma/report/format.hpp"
#include "srma/report/gosh_report.hpp"
#include "srma/report/json.hpp"
#include "srma/run/where.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/gosh.hpp"
#include "srma/sensitivity/gosh_diagnostics.hpp"
#include "srma/sensitivity/gosh_stream.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"

namespace srma::detail {
namespace {

// Report order of the analysis types (a published meta-analysis' results section).
int rank(const plan_analysis& a) {
  switch (a.type) {
    case analysis_type::pool:
      return a.where.empty() ? 1 : 5;
    case analysis_type::bias:
      return 2;
    case analysis_type::leave1out:
    case analysis_type::cumulative:
    case analysis_type::influence:
    case analysis_type::gosh:
      return 3;
    case analysis_type::permtest:
      return a.mods.empty() ? 3 : 6;
    case analysis_type::subgroup:
      return 4;
    case analysis_type::subset:
      return 5;
    case analysis_type::metareg:
      return 6;
    case analysis_type::drapery:
      return 1;  // beside the overall effect it draws
    case analysis_type::labbe:
    case analysis_type::radial:
    case analysis_type::qqnorm:
      return 3;  // diagnostics of heterogeneity and fit
  }
  return 7;
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string effect_label(effect_measure m) {
  return m == effect_measure::generic ? std::string("effect") : std::string(measure_code(m));
}

// "HR 0.48 (95% CI 0.43–0.55; p < 0.001)"
std::string effect_text(effect_measure m, const model_estimate& e, double level) {
  return fmt::format(
      "{} {}", effect_label(m),
      format_effect_ci_with(m, e.estimate, e.ci_lower, e.ci_upper, level, format_p_clause(e.p)));
}

std::string model_words(const pool_result& r) {
  if (r.primary == model_kind::common) return "common-effect model";
  return fmt::format("random-effects model ({}{})", tau2_method_code(r.random.method),
                     r.random.ci == ci_method::hksj ? ", HKSJ" : "");
}

std::string heterogeneity_text(const pool_result& r) {
  const auto& h = r.heterogeneity;
  if (r.k < 2) return "Heterogeneity is not estimable from a single study.";
  const double i2 = r.reported_i2();
  std::string tau;
  if (r.primary == model_kind::random || r.options.model == model_choice::both) {
    tau = fmt::format("; \u03c4\u00b2 = {}", format_fixed(h.tau2, 4));
    if (!std::isnan(h.tau2_ci_lower)) {
      tau += fmt::format(", 95% CI {}\u2013{}", format_fixed(h.tau2_ci_lower, 4),
                         format_fixed(h.tau2_ci_upper, 4));
    }
  }
  return fmt::format("Heterogeneity was {} (I\u00b2 = {}; Q = {}, df = {:g}, {}{}).",
                     heterogeneity_words(i2), format_percent(i2, 0), format_fixed(h.Q, 2), h.df,
                     format_p_clause(h.p), tau);
}

struct prepared {
  const loaded_data* data = nullptr;
  std::optional<study_table> studies;
  pool_options options;
  std::string not_run;  ///< Reason when the analysis cannot run.
};

expected<prepared> prepare(run_context& ctx, const plan_analysis& a) {
  prepared out;
  auto d = ctx.load(a.data.empty() ? ctx.p.data_file : a.data);
  if (!d) return unexpected(d.error());
  out.data = *d;
  out.options = ctx.p.model;
  if (a.model) out.options.model = *a.model;
  if (a.tau2) out.options.tau2 = *a.tau2;
  if (a.ci) out.options.ci = *a.ci;
  if (a.pi) out.options.pi = *a.pi;
  if (a.common_tau2) out.options.common_tau2 = *a.common_tau2;
  if (a.method) out.options.method = *a.method;
  if (!out.data->studies) {
    out.not_run = out.data->no_estimate_reason;
    return out;
  }
  // Mantel-Haenszel and Peto pool the 2x2 tables of pool, subgroup and subset analyses and the
  // refits of leave-one-out and cumulative analyses (metafor's leave1out/cumul.rma.mh and
  // .rma.peto); every other analysis, and input without counts under a preset's MH, is inverse
  // variance.
  auto by_method = [&](prepared& pr) {
    const bool pools = a.type == analysis_type::pool || a.type == analysis_type::subgroup ||
                       a.type == analysis_type::subset || a.type == analysis_type::leave1out ||
                       a.type == analysis_type::cumulative;
    const bool method_given = ctx.p.method_given || a.method.has_value();
    if (!pools || (!method_given && !has_2x2_counts(*pr.studies)))
      pr.options.method = pooling_method::inverse_variance;
    if (pr.options.method == pooling_method::peto) pr.studies = informative_for_peto(*pr.studies);
  };
  if (a.where.empty()) {
    out.studies = *out.data->studies;
    by_method(out);
    return out;
  }
  auto w = parse_where(a.where);
  if (!w) return unexpected(error{w.error().id, w.error().message, {ctx.p.path, a.where_line, 0}});
  auto rows = w->select(*out.data->studies);
  if (!rows) return unexpected(rows.error());
  if (rows->empty()) {
    out.not_run = fmt::format("no study with an estimate matches where \"{}\"", a.where);
    return out;
  }
  out.studies = out.data->studies->subset(*rows);
  by_method(out);
  return out;
}

std::string default_title(const plan_analysis& a, const plan& p) {
  if (!a.title.empty()) return a.title;
  const std::string what = p.outcome.empty() ? "Pooled effect" : p.outcome;
  switch (a.type) {
    case analysis_type::pool:
      if (!a.where.empty()) return fmt::format("Subset: {}", a.where);
      return "Overall " + what;
    case analysis_type::subgroup:
      return fmt::format("Subgroups by {}", a.by);
    case analysis_type::subset:
      return fmt::format("Subset: {}", a.where);
    case analysis_type::leave1out:
      return "Leave-one-out sensitivity analysis";
    case analysis_type::cumulative:
      return a.order.empty() ? "Cumulative meta-analysis"
                             : fmt::format("Cumulative meta-analysis by {}", a.order);
    case analysis_type::influence:
      return "Influence diagnostics";
    case analysis_type::bias:
      return "Small-study effects and publication bias";
    case analysis_type::metareg:
      return fmt::format("Meta-regression on {}", fmt::join(a.mods, ", "));
    case analysis_type::gosh:
      return "GOSH analysis";
    case analysis_type::permtest:
      return "Permutation test";
    case analysis_type::labbe:
      return "L'Abb\u00e9 plot";
    case analysis_type::radial:
      return "Radial (Galbraith) plot";
    case analysis_type::qqnorm:
      return "Normal QQ plot of the standardized residuals";
    case analysis_type::drapery:
      return "Drapery plot: p-value functions";
  }
  return a.id;
}

// The forest layout of analysis `a`: its own, else RevMan 5's under the revman5 preset.
plot::forest_layout layout_of(const run_context& ctx, const plan_analysis& a) {
  if (a.layout) return *a.layout;
  return ctx.p.preset == srma::preset::revman5 ? plot::forest_layout::revman5
                                               : plot::forest_layout::srma;
}

plot::forest_content forest_content_for(const run_context& ctx, const study_table& t, bool pi,
                                        plot::forest_layout layout = plot::forest_layout::srma) {
  plot::forest_content c;
  c.layout = layout;
  for (const auto& col : ctx.p.forest_columns)
    if (t.attribute_index(col) >= 0) c.columns.push_back(col);
  if (ctx.p.sort == figure_sort::effect) c.sort = plot::forest_sort::effect;
  if (ctx.p.sort == figure_sort::weight) c.sort = plot::forest_sort::weight;
  if (ctx.p.sort == figure_sort::year && t.attribute_index("year") >= 0) {
    c.sort = plot::forest_sort::column;
    c.sort_column = "year";
  }
  c.prediction_interval = pi;
  return c;
}

void apply_labels(const run_context& ctx, plot::forest_options& o) {
  if (!ctx.p.favours_left.empty()) {
    o.favours_left = ctx.p.favours_left;
    o.favours_right = ctx.p.favours_right;
  } else if (!ctx.p.experimental.empty() && !ctx.p.control.empty() &&
             (is_ratio(o.measure) || o.measure == effect_measure::mean_difference ||
              o.measure == effect_measure::std_mean_difference ||
              o.measure == effect_measure::risk_difference)) {
    // Below the null favours the experimental arm for harmful outcomes (deaths, events).
    o.favours_left = "Favours " + ctx.p.experimental;
    o.favours_right = "Favours " + ctx.p.control;
  }
}

void paragraph(doc_section& s, std::string text) {
  s.blocks.push_back({doc_block::kind::paragraph, std::move(text)});
}

void notice(doc_section& s, std::string text) {
  s.blocks.push_back({doc_block::kind::notice, std::move(text)});
}

// Per-study table of a pooled analysis (supplementary CSV).
doc_table study_weights_table(const pool_result& r) {
  doc_table t;
  const std::string m = effect_label(r.measure);
  t.header = {"study", "yi", "vi", m, "ci_lower", "ci_upper", "weight_common", "weight_random"};
  const double z = z_for_level(r.level);
  for (std::size_t i = 0; i < r.k; ++i) {
    const double se = std::sqrt(r.vi[i]);
    t.rows.push_back({r.study[i], fmt::format("{:.10g}", r.yi[i]), fmt::format("{:.10g}", r.vi[i]),
                      fmt::format("{:.6g}", to_display(r.measure, r.yi[i])),
                      fmt::format("{:.6g}", to_display(r.measure, r.yi[i] - z * se)),
                      fmt::format("{:.6g}", to_display(r.measure, r.yi[i] + z * se)),
                      fmt::format("{:.4f}", r.weight_common[i]),
                      fmt::format("{:.4f}", r.weight_random[i])});
  }
  return t;
}

std::string study_count(std::size_t k) {
  return fmt::format("{} {}", k, k == 1 ? "study" : "studies");
}

// ---- one function per analysis type ---------------------------------------------------------

expected<void> pooled_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                              doc_section& s, nlohmann::json& j) {
  const auto& t = *pr.studies;
  auto r = pool_2x2(t, pr.options);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  const auto& e = r->primary_estimate();
  const std::string cmp = (!ctx.p.experimental.empty() && !ctx.p.control.empty())
                              ? fmt::format(" for {} versus {}", ctx.p.experimental, ctx.p.control)
                              : "";
  std::string why;
  if (pr.options.model == model_choice::auto_i2) {
    why = fmt::format(
        "; the {} was chosen because I\u00b2 = {} {} the {:g}% threshold",
        r->primary == model_kind::common ? "common-effect model" : "random-effects model",
        format_percent(r->reported_i2(), 0),
        r->primary == model_kind::common ? "is below" : "reaches", pr.options.auto_i2_threshold);
  }
  auto forest = plot::forest_from(
      *r, t, forest_content_for(ctx, t, a.prediction_interval, layout_of(ctx, a)));
  if (!forest) return unexpected(forest.error());
  apply_labels(ctx, forest->options);
  auto fig = plot::draw_forest(forest->rows, forest->options);
  if (!fig) return unexpected(fig.error());
  const int next_fig = ctx.figure_count + 1;
  paragraph(s,
            fmt::format("Across {}, the pooled {}{} was {} under the {} (Figure {}){}.",
                        study_count(r->k),
                        is_ratio(r->measure)       ? std::string(measure_name(r->measure))
                        : r->measure_label.empty() ? std::string("effect")
                                                   : r->measure_label,
                        cmp, effect_text(r->measure, e, r->level), model_words(*r), next_fig, why));
  std::string het = heterogeneity_text(*r);
  if (r->primary == model_kind::random && !std::isnan(r->random.pi_lower)) {
    het += fmt::format(" The {:g}% prediction interval was {}\u2013{}.", r->level,
                       format_effect(r->measure, r->random.pi_lower),
                       format_effect(r->measure, r->random.pi_upper));
  }
  if (r->k >= 2) {
    const auto& other = r->primary == model_kind::common
                            ? static_cast<const model_estimate&>(r->random)
                            : r->common;
    het += fmt::format(
        " The {} gave {}.",
        r->primary == model_kind::common ? "random-effects model" : "common-effect model",
        effect_text(r->measure, other, r->level));
  }
  paragraph(s, het);
  for (const auto& n : r->notes) notice(s, n);
  auto block =
      ctx.figure(*fig, a.id + "-forest",
                 fmt::format("Forest plot: {}. Squares show study estimates with {:g}% "
                             "confidence intervals (area proportional to weight); "
                             "diamonds show pooled estimates.",
                             a.title.empty() ? default_title(a, ctx.p) : a.title, r->level));
  if (!block) return unexpected(block.error());
  s.blocks.push_back(std::move(*block));
  ctx.supplementary_csv(study_weights_table(*r), a.id + "-studies");
  if (ctx.headline.empty()) {
    ctx.headline = fmt::format("{}, {}, {}", effect_text(r->measure, e, r->level), model_words(*r),
                               study_count(r->k));
  }
  ctx.pooled.emplace(a.id, std::move(*r));
  return {};
}

expected<void> subgroup_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                                doc_section& s, nlohmann::json& j) {
  const auto& t = *pr.studies;
  auto r = pool_subgroups(t, a.by, pr.options);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  const auto m = r->overall.measure;
  std::vector<std::string> parts;
  doc_table tab;
  tab.caption = fmt::format(
      "Subgroups by {} ({})", r->column,
      r->primary == model_kind::common ? "common-effect model" : model_words(r->overall));
  tab.header = {
      r->column, "Studies", effect_label(m) + fmt::format(" ({:g}% CI)", r->overall.level),
      "p",       "I\u00b2", "Weight"};
  tab.right_align = {false, true, true, true, true, true};
  for (const auto& g : r->groups) {
    const auto& e = g.result.primary_estimate();
    const double share =
        r->primary == model_kind::common ? g.weight_share_common : g.weight_share_random;
    parts.push_back(fmt::format("{}: {} ({}, I\u00b2 = {}, {} of the weight)", g.level,
                                effect_text(m, e, r->overall.level), study_count(g.result.k),
                                format_percent(g.result.reported_i2(), 0), format_percent(share)));
    tab.rows.push_back({g.level, std::to_string(g.result.k),
                        fmt::format("{} ({}\u2013{})", format_effect(m, e.estimate),
                                    format_effect(m, e.ci_lower), format_effect(m, e.ci_upper)),
                        format_p(e.p), format_percent(g.result.reported_i2(), 0),
                        format_percent(share)});
  }
  const auto& b = r->between();
  auto forest = plot::forest_from(
      *r, t, forest_content_for(ctx, t, a.prediction_interval, layout_of(ctx, a)));
  if (!forest) return unexpected(forest.error());
  apply_labels(ctx, forest->options);
  auto fig = plot::draw_forest(forest->rows, forest->options);
  if (!fig) return unexpected(fig.error());
  paragraph(s, fmt::format("By {} (Figure {}): {}. Test for subgroup differences: Q = {}, df = "
                           "{:g}, {}. Model: {}.",
                           r->column, ctx.figure_count + 1, fmt::join(parts, "; "),
                           format_fixed(b.Q, 2), b.df, format_p_clause(b.p), r->model_reason));
  for (const auto& n : r->notes) notice(s, n);
  auto block = ctx.figure(*fig, a.id + "-forest",
                          fmt::format("Forest plot of subgroups by {}, with the pooled estimate "
                                      "of each subgroup, the overall estimate and the test for "
                                      "subgroup differences.",
                                      r->column));
  if (!block) return unexpected(block.error());
  s.blocks.push_back(std::move(*block));
  s.blocks.push_back(ctx.table(std::move(tab), a.id));
  ctx.subgrouped.emplace(a.id, std::move(*r));
  return {};
}

expected<void> leave1out_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                                 doc_section& s, nlohmann::json& j) {
  const auto& t = *pr.studies;
  auto r = leave1out(t, pr.options);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  const auto m = r->full.measure;
  std::size_t lo = 0, hi = 0, significant = 0;
  for (std::size_t i = 0; i < r->rows.size(); ++i) {
    if (r->rows[i].estimate.estimate < r->rows[lo].estimate.estimate) lo = i;
    if (r->rows[i].estimate.estimate > r->rows[hi].estimate.estimate) hi = i;
    if (r->rows[i].estimate.p < 1 - r->full.level / 100) ++significant;
  }
  auto plotdef = plot::leave1out_forest(*r);
  apply_labels(ctx, plotdef.options);
  auto fig = plot::draw_forest(plotdef.rows, plotdef.options);
  if (!fig) return unexpected(fig.error());
  paragraph(
      s, fmt::format("Omitting one study at a time (Figure {}), the pooled {} ranged from {} "
                     "(without {}) to {} (without {}); {} of {} estimates remained statistically "
                     "significant at the {:g}% level.",
                     ctx.figure_count + 1, effect_label(m),
                     format_effect(m, r->rows[lo].estimate.estimate), r->rows[lo].label,
                     format_effect(m, r->rows[hi].estimate.estimate), r->rows[hi].label,
                     significant, r->rows.size(), 100 - r->full.level));
  auto block = ctx.figure(*fig, a.id + "-forest",
                          "Leave-one-out analysis: each row is the pooled estimate without the "
                          "study named; the diamond is the estimate from all studies.");
  if (!block) return unexpected(block.error());
  s.blocks.push_back(std::move(*block));
  doc_table tab;
  tab.header = {"omitted", "estimate", "ci_lower", "ci_upper", "p", "Q", "I2", "tau2"};
  for (const auto& row : r->rows) {
    tab.rows.push_back({row.label, fmt::format("{:.6g}", to_display(m, row.estimate.estimate)),
                        fmt::format("{:.6g}", to_display(m, row.estimate.ci_lower)),
                        fmt::format("{:.6g}", to_display(m, row.estimate.ci_upper)),
                        fmt::format("{:.4g}", row.estimate.p), fmt::format("{:.4f}", row.Q),
                        fmt::format("{:.2f}", row.I2), fmt::format("{:.6g}", row.tau2)});
  }
  ctx.supplementary_csv(tab, a.id);
  return {};
}

expected<void> cumulative_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                                  doc_section& s, nlohmann::json& j) {
  auto r = cumulative(*pr.studies, a.order, pr.options);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  const auto m = r->full.measure;
  auto plotdef = plot::cumulative_forest(*r);
  apply_labels(ctx, plotdef.options);
  auto fig = plot::draw_forest(plotdef.rows, plotdef.options);
  if (!fig) return unexpected(fig.error());
  // The first step at which the cumulative estimate became (and stayed) significant.
  std::string first_sig;
  const double alpha = 1 - r->full.level / 100;
  for (std::size_t i = r->rows.size(); i-- > 0;) {
    if (!(r->rows[i].estimate.p < alpha)) break;
    first_sig = fmt::format(
        " The cumulative estimate has been statistically significant since "
        "{} was added ({} of {} studies).",
        r->rows[i].label, i + 1, r->rows.size());
  }
  paragraph(s, fmt::format("Adding studies {} (Figure {}), the pooled {} moved from {} with the "
                           "first study to {} with all {}.{}",
                           a.order.empty() ? "in their listed order" : "in order of " + a.order,
                           ctx.figure_count + 1, effect_label(m),
                           format_effect(m, r->rows.front().estimate.estimate),
                           format_effect(m, r->rows.back().estimate.estimate), r->rows.size(),
                           first_sig));
  auto block = ctx.figure(*fig, a.id + "-forest",
                          "Cumulative meta-analysis: each row pools the studies up to and "
                          "including the one named.");
  if (!block) return unexpected(block.error());
  s.blocks.push_back(std::move(*block));
  return {};
}

expected<void> influence_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                                 doc_section& s, nlohmann::json& j) {
  auto r = influence(*pr.studies, pr.options);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  std::vector<std::string> flagged;
  doc_table tab;
  tab.caption = "Influence diagnostics";
  tab.header = {"Study",     "rstudent", "DFFITS", "Cook's D", "cov. ratio", "\u03c4\u00b2 without",
                "Q without", "hat",      "weight", "DFBETAS",  "influential"};
  tab.right_align = {false, true, true, true, true, true, true, true, true, true, false};
  for (const auto& st : r->studies) {
    if (st.influential) flagged.push_back(st.study);
    tab.rows.push_back({st.study, format_fixed(st.rstudent, 2), format_fixed(st.dffits, 2),
                        format_fixed(st.cook_d, 2), format_fixed(st.cov_r, 2),
                        format_fixed(st.tau2_del, 4), format_fixed(st.QE_del, 2),
                        format_fixed(st.hat, 3), format_percent(st.weight),
                        format_fixed(st.dfbetas, 2), st.influential ? "yes" : ""});
  }
  tab.note =
      "A study is flagged as influential when |DFFITS| > 3\u221a(p/(k\u2212p)), Cook's "
      "distance exceeds the median of \u03c7\u00b2(p), its hat value exceeds 3p/k or "
      "|DFBETAS| > 1 (Viechtbauer & Cheung 2010).";
  const auto points = plot::baujat_points(*r);
  auto baujat = plot::draw_baujat(points, plot::baujat_options{});
  if (!baujat) return unexpected(baujat.error());
  auto panels = plot::draw_influence(*r, plot::influence_plot_options{});
  if (!panels) return unexpected(panels.error());
  const int fig = ctx.figure_count + 1;
  paragraph(
      s, fmt::format("{} The Baujat plot (Figure {}) shows each study's contribution to the "
                     "heterogeneity against its influence on the pooled result; Figure {} "
                     "shows the diagnostics study by study.",
                     flagged.empty() ? std::string("No study was influential by the criteria of "
                                                   "Viechtbauer and Cheung.")
                                     : fmt::format("Influential by the criteria of Viechtbauer and "
                                                   "Cheung: {}.",
                                                   fmt::join(flagged, ", ")),
                     fig, fig + 1));
  auto b1 = ctx.figure(*baujat, a.id + "-baujat",
                       "Baujat plot: contribution of each study to the heterogeneity statistic Q "
                       "(x) against its influence on the pooled estimate (y).");
  if (!b1) return unexpected(b1.error());
  s.blocks.push_back(std::move(*b1));
  auto b2 = ctx.figure(*panels, a.id + "-diagnostics",
                       "Influence diagnostics by study; influential studies are highlighted, "
                       "dashed lines mark metafor's cut-offs.");
  if (!b2) return unexpected(b2.error());
  s.blocks.push_back(std::move(*b2));
  s.blocks.push_back(ctx.table(std::move(tab), a.id));
  return {};
}

expected<void> bias_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                            doc_section& s, nlohmann::json& j) {
  bias_options b;
  b.estimator = a.trimfill;
  auto r = small_study_bias(*pr.studies, pr.options, b);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  const auto m = r->full.measure;
  std::string fig_ref;
  std::optional<doc_block> block;
  if (a.funnel) {
    auto points = plot::funnel_points(r->full);
    for (std::size_t i = 0; i < r->trimfill.filled_yi.size(); ++i) {
      plot::funnel_point fp;
      fp.estimate = r->trimfill.filled_yi[i];
      fp.se = std::sqrt(r->trimfill.filled_vi[i]);
      fp.imputed = true;
      fp.label = fmt::format("Filled {}", i + 1);
      points.push_back(fp);
    }
    auto fo = plot::funnel_defaults(r->full);
    fo.contours = a.contours;
    if (a.egger_line) {
      fo.line = plot::funnel_line{r->egger.limit_estimate, r->egger.bias, "Egger regression"};
    }
    auto fig = plot::draw_funnel(points, fo);
    if (!fig) return unexpected(fig.error());
    fig_ref = fmt::format(" (Figure {})", ctx.figure_count + 1);
    auto fb = ctx.figure(*fig, a.id + "-funnel",
                         fmt::format("{}unnel plot: study estimates against their standard errors "
                                     "with the pseudo {:g}% confidence region around the pooled "
                                     "estimate{}{}{}.",
                                     a.contours.empty() ? "F" : "Contour-enhanced f", r->full.level,
                                     a.contours.empty() ? ""
                                                        : "; shaded areas mark where studies "
                                                          "would be statistically significant",
                                     a.egger_line ? "; the line is Egger's regression" : "",
                                     r->trimfill.k0 > 0 ? "; open circles are studies imputed by "
                                                          "trim-and-fill"
                                                        : ""));
    if (!fb) return unexpected(fb.error());
    block = std::move(*fb);
  }
  const auto& eg = r->egger;
  std::string text = fmt::format(
      "The funnel plot{} was examined for asymmetry. Egger's regression test gave a bias "
      "coefficient of {} (SE {}; t = {}, df = {:g}, {}); Begg and Mazumdar's rank correlation "
      "was \u03c4 = {} ({}).",
      fig_ref, format_fixed(eg.bias, 2), format_fixed(eg.se, 2), format_fixed(eg.statistic, 2),
      eg.df, format_p_clause(eg.p), format_fixed(r->begg.tau, 2), format_p_clause(r->begg.p));
  if (r->peters) {
    text += fmt::format(" Peters' test: {}.", format_p_clause(r->peters->p));
  }
  text += fmt::format(
      " Trim-and-fill ({}) imputed {} stud{} on the {} side; the adjusted estimate was {}. "
      "Fail-safe N: {:g} (Rosenthal), {:g} (Orwin), {:g} (Rosenberg).",
      to_string(a.trimfill), r->trimfill.k0, r->trimfill.k0 == 1 ? "y" : "ies",
      to_string(r->trimfill.side), effect_text(m, r->trimfill.estimate, r->full.level),
      r->failsafe.rosenthal, r->failsafe.orwin, r->failsafe.rosenberg);
  paragraph(s, text);
  for (const auto& w : r->warnings) notice(s, w);
  if (block) s.blocks.push_back(std::move(*block));
  return {};
}

expected<void> metareg_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                               doc_section& s, nlohmann::json& j) {
  auto d = build_design(*pr.studies, a.mods, a.factors);
  if (!d) return unexpected(d.error());
  for (const auto& n : d->notes) notice(s, n);  // studies left out for a missing moderator
  pool_options o = pr.options;
  if (o.model != model_choice::common) o.model = model_choice::random;
  auto r = metareg(pr.studies->yi, pr.studies->vi, *d, o);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  doc_table tab;
  tab.caption = fmt::format("Meta-regression on {}", fmt::join(a.mods, ", "));
  tab.header = {"Coefficient", "Estimate", "SE", fmt::format("{:g}% CI", r->level), "p"};
  tab.right_align = {false, true, true, true, true};
  for (const auto& c : r->coefficients) {
    tab.rows.push_back(
        {c.name, format_fixed(c.estimate, 4), format_fixed(c.se, 4),
         fmt::format("{} to {}", format_fixed(c.ci_lower, 4), format_fixed(c.ci_upper, 4)),
         format_p(c.p)});
  }
  tab.note = "Coefficients are on the analysis scale (log scale for ratio measures).";
  std::string qm =
      std::isnan(r->QM.df2)
          ? fmt::format("QM = {}, df = {:g}, {}", format_fixed(r->QM.statistic, 2), r->QM.df1,
                        format_p_clause(r->QM.p))
          : fmt::format("F = {}, df = {:g} and {:g}, {}", format_fixed(r->QM.statistic, 2),
                        r->QM.df1, r->QM.df2, format_p_clause(r->QM.p));
  paragraph(
      s, fmt::format("The moderators {} ({}) {}; residual heterogeneity: QE = {}, df = {:g}, "
                     "{}{}.",
                     fmt::join(a.mods, ", "), qm,
                     r->QM.p < 1 - r->level / 100 ? "explained part of the variation"
                                                  : "did not significantly explain the variation",
                     format_fixed(r->QE, 2), r->QE_df, format_p_clause(r->QE_p),
                     std::isnan(r->R2) ? std::string()
                                       : fmt::format("; R\u00b2 = {}", format_percent(r->R2, 0))));
  s.blocks.push_back(ctx.table(std::move(tab), a.id));
  if (plot::check_bubble_design(*d)) {
    const study_table kept = d->dropped.empty() ? *pr.studies : pr.studies->subset(d->used);
    auto data = plot::bubble_from(*r, *d, kept);
    if (!data) return unexpected(data.error());
    auto fig = plot::draw_bubble(*data, plot::bubble_options{});
    if (!fig) return unexpected(fig.error());
    auto b = ctx.figure(*fig, a.id + "-bubble",
                        fmt::format("Bubble plot of the study estimates against {} (bubble area "
                                    "proportional to the weight), with the meta-regression line "
                                    "and its {:g}% confidence band.",
                                    a.mods.front(), r->level));
    if (!b) return unexpected(b.error());
    s.blocks.push_back(std::move(*b));
  }
  return {};
}

expected<void> gosh_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                            doc_section& s, nlohmann::json& j) {
  gosh_stream_options go;
  go.max_subsets = a.max_subsets;
  go.seed = a.seed;
  if (ctx.options.progress) {
    go.progress = [&](std::uint64_t done, std::uint64_t total) {
      ctx.options.progress("GOSH", static_cast<std::size_t>(done), static_cast<std::size_t>(total));
    };
  }
  pool_options o = pr.options;
  auto full = pool(*pr.studies, o);
  if (!full) return unexpected(full.error());
  o.model = full->primary == model_kind::common ? model_choice::common : model_choice::random;
  // Every fit for the supplementary table when they are few; the summary streams either way.
  doc_table tab;
  tab.header = {"subset", "k", "estimate", "Q", "I2", "H2", "tau2"};
  std::vector<std::pair<std::uint64_t, std::uint64_t>> order;  // (size, mask): metafor's order
  constexpr std::uint64_t k_table_limit = 100'000;
  const std::size_t k = pr.studies->k();
  if (k < 64 &&
      (std::uint64_t{1} << k) - 1 <= std::min<std::uint64_t>(go.max_subsets, k_table_limit)) {
    go.sink = [&](const gosh_fit_block& b) {
      for (std::size_t i = 0; i < b.fits(); ++i) {
        std::string members;
        for (std::size_t st = 0; st < k; ++st) {
          if ((b.masks[i * b.words + st / 64] >> (st % 64)) & 1u)
            members += (members.empty() ? "" : ";") + pr.studies->study[st];
        }
        order.emplace_back(b.size[i], b.masks[i * b.words]);
        tab.rows.push_back({members, std::to_string(b.size[i]),
                            fmt::format("{:.8g}", b.estimate[i]), fmt::format("{:.6g}", b.Q[i]),
                            fmt::format("{:.4f}", b.I2[i]), fmt::format("{:.6g}", b.H2[i]),
                            fmt::format("{:.6g}", b.tau2[i])});
      }
      return true;
    };
  }
  auto r = gosh_stream(pr.studies->yi, pr.studies->vi, o, go);
  if (!r) return unexpected(r.error());
  std::optional<gosh_diagnostics> diag;
  if (auto d = diagnose_gosh(r->sample, r->k); d) {
    diag = std::move(*d);
  } else {
    notice(s, fmt::format("GOSH diagnostics not run: {}", d.error().message));
  }
  const auto m = full->measure;
  j["result"] = to_json(*r, diag ? &*diag : nullptr, pr.studies->study);
  paragraph(s, fmt::format(
                   "Fitting the {} to {} {} subsets of studies, the pooled {} ranged from "
                   "{} to {} and I\u00b2 from {} to {}.",
                   o.model == model_choice::common ? "common-effect model" : "random-effects model",
                   r->fitted(), r->exact ? "(all)" : "random", effect_label(m),
                   format_effect(m, r->estimate_min), format_effect(m, r->estimate_max),
                   format_percent(r->I2_min, 0), format_percent(r->I2_max, 0)));
  if (diag) paragraph(s, diagnostics_sentence(*diag, pr.studies->study));
  for (const auto& n : r->notes) notice(s, n);
  if (!tab.rows.empty()) {
    std::vector<std::size_t> idx(tab.rows.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(),
              [&](std::size_t x, std::size_t y) { return order[x] < order[y]; });
    doc_table sorted;
    sorted.header = tab.header;
    for (auto i : idx) sorted.rows.push_back(std::move(tab.rows[i]));
    ctx.supplementary_csv(sorted, a.id);
  } else {
    doc_table st;
    st.header = {"study",           "subsets_with",          "mean_estimate_with", "mean_I2_with",
                 "subsets_without", "mean_estimate_without", "mean_I2_without"};
    for (std::size_t i = 0; i < r->studies.size(); ++i) {
      const auto& x = r->studies[i];
      st.rows.push_back({pr.studies->study[i], std::to_string(x.with.n),
                         fmt::format("{:.8g}", x.with.mean_estimate),
                         fmt::format("{:.4f}", x.with.mean_I2), std::to_string(x.without.n),
                         fmt::format("{:.8g}", x.without.mean_estimate),
                         fmt::format("{:.4f}", x.without.mean_I2)});
    }
    ctx.supplementary_csv(st, a.id);
  }
  plot::gosh_plot_options go2;
  go2.measure = m;
  auto fig = plot::draw_gosh(*r, go2, diag ? &*diag : nullptr);
  if (!fig) return unexpected(fig.error());
  auto b = ctx.figure(*fig, a.id, plot::gosh_caption(*r, go2, diag ? &*diag : nullptr));
  if (!b) return unexpected(b.error());
  s.blocks.push_back(std::move(*b));
  return {};
}

expected<void> permtest_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                                doc_section& s, nlohmann::json& j) {
  permtest_options po;
  po.iterations = a.iterations;
  po.exact = a.exact;
  po.seed = a.seed;
  if (ctx.options.progress) {
    po.progress = [&](std::size_t done, std::size_t total) {
      ctx.options.progress("permutation test", done, total);
    };
  }
  pool_options o = pr.options;
  if (o.model != model_choice::common) o.model = model_choice::random;
  std::optional<design_matrix> d;
  if (!a.mods.empty()) {
    auto dd = build_design(*pr.studies, a.mods, a.factors);
    if (!dd) return unexpected(dd.error());
    for (const auto& n : dd->notes) notice(s, n);  // studies left out for a missing moderator
    d = std::move(*dd);
  }
  auto r = permutation_test(pr.studies->yi, pr.studies->vi, d ? &*d : nullptr, o, po);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  paragraph(
      s, fmt::format("A {} permutation test ({} permutations{}) gave {} for {}.",
                     r->exact ? "exact" : "random", r->iterations,
                     r->exact ? "" : fmt::format(", seed {}", r->seed), format_p_clause(r->p),
                     a.mods.empty() ? "the pooled effect"
                                    : fmt::format("the moderators {}", fmt::join(a.mods, ", "))));
  return {};
}

// The figure-only analyses (issue 13): the model is fitted as a pool analysis is, by inverse
// variance, and drawn for the leading model.
expected<pool_result> pool_for_figure(const prepared& pr, nlohmann::json& j) {
  auto r = pool_2x2(*pr.studies, pr.options);
  if (!r) return unexpected(r.error());
  j["result"] = to_json(*r);
  return r;
}

std::string leading_model_words(const pool_result& r) {
  return r.primary == model_kind::common ? "common-effect model" : "random-effects model";
}

expected<void> labbe_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                             doc_section& s, nlohmann::json& j) {
  auto r = pool_for_figure(pr, j);
  if (!r) return unexpected(r.error());
  auto data = plot::labbe_data_from(*r, *pr.studies, r->primary);
  if (!data) return unexpected(data.error());
  auto fig = plot::draw_labbe(*data, {});
  if (!fig) return unexpected(fig.error());
  paragraph(s,
            fmt::format("The L'Abb\u00e9 plot (Figure {}) shows each study's event rate in "
                        "the experimental group against the control group; the solid line is "
                        "the pooled {} of the {}.",
                        ctx.figure_count + 1, display_label(r->measure), leading_model_words(*r)));
  auto b = ctx.figure(*fig, a.id + "-labbe",
                      "L'Abb\u00e9 plot: event rates, experimental against control group "
                      "(circle area proportional to weight); dashed: no effect, solid: the pooled "
                      "effect.");
  if (!b) return unexpected(b.error());
  s.blocks.push_back(std::move(*b));
  return {};
}

expected<void> radial_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                              doc_section& s, nlohmann::json& j) {
  auto r = pool_for_figure(pr, j);
  if (!r) return unexpected(r.error());
  auto data = plot::radial_data_from(*r, r->primary);
  if (!data) return unexpected(data.error());
  auto fig = plot::draw_radial(*data, {});
  if (!fig) return unexpected(fig.error());
  std::size_t outside = 0;
  for (const auto& p : data->points) {
    if (std::abs(p.z - data->estimate * p.x) > 2) ++outside;
  }
  j["outside_band"] = outside;
  paragraph(s,
            fmt::format("In the radial (Galbraith) plot (Figure {}), {} of {} lie outside the "
                        "band of \u00b12 around the line of the pooled estimate ({}).",
                        ctx.figure_count + 1, outside, study_count(r->k), leading_model_words(*r)));
  auto b = ctx.figure(*fig, a.id + "-radial",
                      "Radial plot: standardised estimates against precision; the line's slope is "
                      "the pooled estimate, the shaded band \u00b12.");
  if (!b) return unexpected(b.error());
  s.blocks.push_back(std::move(*b));
  return {};
}

expected<void> qqnorm_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                              doc_section& s, nlohmann::json& j) {
  auto r = pool_for_figure(pr, j);
  if (!r) return unexpected(r.error());
  auto data = plot::qqnorm_data_from(*r, r->primary, {.seed = a.seed});
  if (!data) return unexpected(data.error());
  auto fig = plot::draw_qqnorm(*data, {});
  if (!fig) return unexpected(fig.error());
  std::size_t outside = 0;
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t i = 0; i < data->points.size(); ++i) {
    const auto& p = data->points[i];
    if (p.residual < data->envelope_lower[i] || p.residual > data->envelope_upper[i]) ++outside;
    points.push_back({{"study", p.label}, {"quantile", p.theoretical}, {"residual", p.residual}});
  }
  j["qqnorm"] = {{"points", points}, {"seed", a.seed}, {"outside_envelope", outside}};
  paragraph(s, fmt::format("The standardized residuals of the {} are plotted against normal "
                           "quantiles in Figure {}; {} of {} lie outside the simulated {:g}% "
                           "envelope (1000 replicates, seed {}).",
                           leading_model_words(*r), ctx.figure_count + 1, outside,
                           study_count(r->k), r->level, a.seed));
  auto b = ctx.figure(*fig, a.id + "-qqnorm",
                      "Normal QQ plot of the standardized residuals with the line y = x and a "
                      "simulated pseudo-confidence envelope (dotted).");
  if (!b) return unexpected(b.error());
  s.blocks.push_back(std::move(*b));
  return {};
}

expected<void> drapery_section(run_context& ctx, const plan_analysis& a, const prepared& pr,
                               doc_section& s, nlohmann::json& j) {
  auto r = pool_for_figure(pr, j);
  if (!r) return unexpected(r.error());
  auto data = plot::drapery_data_from(*r, r->primary);
  if (!data) return unexpected(data.error());
  plot::drapery_options o;
  o.scale = a.scale;
  auto fig = plot::draw_drapery(*data, o);
  if (!fig) return unexpected(fig.error());
  paragraph(
      s, fmt::format("Figure {} shows the p-value function of each study and of the pooled "
                     "estimate of the {}: each curve peaks at its estimate and crosses "
                     "p = {:g} at the bounds of its {:g}% confidence interval.",
                     ctx.figure_count + 1, leading_model_words(*r), 1 - r->level / 100, r->level));
  auto b = ctx.figure(*fig, a.id + "-drapery",
                      "Drapery plot: p-value functions of the studies (grey) and of the pooled "
                      "estimate (black); the dashed line's crossings are the confidence "
                      "intervals.");
  if (!b) return unexpected(b.error());
  s.blocks.push_back(std::move(*b));
  return {};
}

}  // namespace

expected<void> add_analysis_sections(run_context& ctx) {
  std::vector<const plan_analysis*> order;
  for (const auto& a : ctx.p.analyses) order.push_back(&a);
  std::stable_sort(order.begin(), order.end(), [](const plan_analysis* x, const plan_analysis* y) {
    return rank(*x) < rank(*y);
  });
  for (const plan_analysis* ap : order) {
    const plan_analysis& a = *ap;
    const std::string title = default_title(a, ctx.p);
    doc_section s{title, "analysis-" + slug(a.id), 3, {}};
    nlohmann::json j = {
        {"id", a.id}, {"type", std::string(analysis_type_name(a.type))}, {"title", title}};
    if (!a.where.empty()) j["where"] = a.where;
    auto pr = prepare(ctx, a);
    if (!pr) return unexpected(pr.error());
    analysis_outcome outcome{a.id, title, a.type, false, pr->not_run};
    if (!pr->not_run.empty()) {
      notice(s, fmt::format("Not run: {}.", pr->not_run));
      j["status"] = "not run";
      j["reason"] = pr->not_run;
    } else {
      expected<void> done;
      switch (a.type) {
        case analysis_type::pool:
        case analysis_type::subset:
          done = pooled_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::subgroup:
          done = subgroup_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::leave1out:
          done = leave1out_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::cumulative:
          done = cumulative_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::influence:
          done = influence_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::bias:
          done = bias_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::metareg:
          done = metareg_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::gosh:
          done = gosh_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::permtest:
          done = permtest_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::labbe:
          done = labbe_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::radial:
          done = radial_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::qqnorm:
          done = qqnorm_section(ctx, a, *pr, s, j);
          break;
        case analysis_type::drapery:
          done = drapery_section(ctx, a, *pr, s, j);
          break;
      }
      if (!done) {
        // A model that cannot be fitted as planned (too few studies in a subset, a constant
        // moderator) is reported, not fatal; data and plan errors stop the run.
        if (done.error().family() != "model") {
          // The message names the data; say too which plan entry asked for it.
          error e = done.error();
          e.message += fmt::format(" (analysis '{}' at {}:{})", a.id, ctx.p.path, a.line);
          return unexpected(std::move(e));
        }
        outcome.reason = done.error().what();
        notice(s, fmt::format("Not run: {}", done.error().what()));
        j["status"] = "not run";
        j["reason"] = done.error().what();
      } else {
        outcome.ran = true;
        j["status"] = "ok";
      }
    }
    ctx.outcomes.push_back(outcome);
    ctx.analyses_json.push_back(std::move(j));
    ctx.doc.sections.push_back(std::move(s));
  }
  return {};
}

}  // namespace srma::detail
