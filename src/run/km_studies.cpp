// A plan's [[km]] studies: each study's digitised Kaplan-Meier curves are reconstructed into
// patient data (Guyot et al. 2012), a Cox model gives its ln HR and SE, and that becomes the
// study's row of the [data] table before the studies are read (hr_source = km_reconstruction, so
// the methods paragraph cites the route). The report gets a section per study with the fit, the
// reconstruction's diagnostics and the check figure.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "context.hpp"
#include "srma/data/study_row.hpp"
#include "srma/plot/km_plot.hpp"
#include "srma/report/format.hpp"
#include "srma/report/json.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::detail {

expected<void> apply_km_studies(run_context& ctx, csv_table& csv) {
  for (const auto& k : ctx.p.km) {
    std::vector<digitised_arm> arms;
    for (const auto& a : k.arms) {
      digitised_arm d;
      d.name = a.name;
      auto curve = read_digitised_curve(ctx.p.resolve(a.points));
      if (!curve) return unexpected(curve.error());
      d.curve = std::move(*curve);
      if (!a.at_risk.empty()) {
        auto t = read_at_risk(ctx.p.resolve(a.at_risk));
        if (!t) return unexpected(t.error());
        d.at_risk = std::move(*t);
      }
      d.total_events = a.events;
      d.n = a.n;
      arms.push_back(std::move(d));
    }
    km_analysis_options o;
    o.cox.ties = k.ties;
    o.tau = k.tau;
    auto r = analyse_curves(arms, k.treatment, k.control, o);
    if (!r) {
      auto e = r.error();
      e.message = fmt::format("[[km]] {} (plan line {}): {}", k.study, k.line, e.message);
      return unexpected(std::move(e));
    }
    auto put = put_study_hr(
        csv, k.study,
        {.loghr = r->analysis.cox.loghr, .se = r->analysis.cox.se, .source = "km_reconstruction"});
    if (!put) {
      auto e = put.error();
      e.message = fmt::format(
          "[[km]] {} (plan line {}): {}; remove the study's effect values "
          "from the data or its [[km]] table",
          k.study, k.line, e.message);
      return unexpected(std::move(e));
    }
    ctx.km.push_back({&k, std::move(arms), std::move(*r)});
  }
  return {};
}

expected<std::optional<doc_section>> km_section(run_context& ctx) {
  if (ctx.km.empty()) return std::optional<doc_section>();
  doc_section s{"Hazard ratios from Kaplan-Meier curves", "km", 3, {}};
  s.blocks.push_back(
      {doc_block::kind::paragraph,
       fmt::format("For {} {} without a reported hazard ratio, individual patient data were "
                   "reconstructed from the digitised Kaplan-Meier curves and numbers at risk by "
                   "the algorithm of Guyot et al. {}, and a Cox model (ties by the {} method) "
                   "was fitted to them; its log hazard ratio and standard error enter the "
                   "meta-analysis as the study's estimate.",
                   ctx.km.size(), ctx.km.size() == 1 ? "study" : "studies", ctx.refs.cite("guyot"),
                   ctx.km.front().spec->ties == cox_ties::efron ? "Efron" : "Breslow")});
  nlohmann::json all = nlohmann::json::array();
  doc_table t;
  t.caption = "Hazard ratios reconstructed from Kaplan-Meier curves";
  t.header = {"Study",           "Arm",
              "Patients",        "Events (reported)",
              "Median (95% CI)", "Max |KM - points|",
              "HR (95% CI)",     "Log-rank p"};
  t.right_align = {false, false, true, true, true, true, true, true};
  auto median_text = [](const estimate_ci& m) {
    auto f = [](double x) { return std::isfinite(x) ? fmt::format("{:.3g}", x) : "NR"; };
    return fmt::format("{} ({}–{})", f(m.estimate), f(m.lower), f(m.upper));
  };
  for (const auto& k : ctx.km) {
    const auto& a = k.result.analysis;
    for (std::size_t i = 0; i < a.arms.size(); ++i) {
      const auto& arm = a.arms[i];
      const arm_reconstruction* rec = nullptr;
      for (const auto& r : k.result.arms)
        if (r.name == arm.name) rec = &r;
      std::string events = std::to_string(arm.events);
      if (rec && rec->events_reported) events += fmt::format(" ({:g})", *rec->events_reported);
      t.rows.push_back(
          {i == 0 ? k.spec->study : "", arm.name, std::to_string(arm.n), events,
           median_text(arm.curve.median), rec ? fmt::format("{:.3f}", rec->max_abs_error) : "–",
           i == 0 ? fmt::format("{:.2f} ({:.2f}–{:.2f})", a.cox.hr, a.cox.ci_lower, a.cox.ci_upper)
                  : "",
           i == 0 ? format_p(a.logrank.p) : ""});
    }
    nlohmann::json j = {{"study", k.spec->study}, {"analysis", to_json(a)}};
    nlohmann::json rec = nlohmann::json::array();
    for (const auto& r : k.result.arms) rec.push_back(to_json(r));
    j["reconstruction"] = std::move(rec);
    all.push_back(std::move(j));
    for (const auto& r : k.result.arms) {
      for (const auto& w : r.warnings)
        ctx.warnings.push_back(fmt::format("[[km]] {}, arm {}: {}", k.spec->study, r.name, w));
    }
  }
  t.note =
      "HR: treatment vs control, Cox model on the reconstructed patients. Max |KM - points|: "
      "largest vertical distance between the reconstructed Kaplan-Meier curve and the digitised "
      "points. NR: not reached.";
  s.blocks.push_back(ctx.table(std::move(t), "km"));
  ctx.results["km"] = std::move(all);
  // The check figure of each study: the reconstructed curves over the digitised points.
  for (const auto& k : ctx.km) {
    const auto& a = k.result.analysis;
    plot::km_plot_content c = plot::km_plot_from(a);
    for (auto& curve : c.arms) {
      for (const auto& in : k.input) {
        if (in.name != curve.name) continue;
        auto clean = clean_curve(in.curve);
        if (!clean) return unexpected(clean.error());
        curve.digitised_time = std::move(clean->time);
        curve.digitised_survival = std::move(clean->survival);
      }
    }
    plot::km_plot_options o;
    o.title = k.spec->study;
    o.time_title = k.spec->time_title;
    o.time_step = k.spec->time_step;
    auto d = plot::draw_km_plot(c, o);
    if (!d) return unexpected(d.error());
    std::string stem = "km-";
    for (char ch : k.spec->study)
      stem += std::isalnum(static_cast<unsigned char>(ch))
                  ? static_cast<char>(std::tolower(static_cast<unsigned char>(ch)))
                  : '-';
    stem.resize(std::min<std::size_t>(stem.size(), 64));  // a file name, not the caption
    auto fig = ctx.figure(
        *d, stem,
        fmt::format("{}: Kaplan-Meier curves of the patient data reconstructed from the "
                    "published figure (lines, with censoring ticks) over the digitised points "
                    "(circles), with the numbers at risk. {} vs {}.",
                    k.spec->study, a.treatment, a.control));
    if (!fig) return unexpected(fig.error());
    s.blocks.push_back(std::move(*fig));
  }
  return std::optional<doc_section>(std::move(s));
}

}  // namespace srma::detail
