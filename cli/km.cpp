// srma km: hazard ratios from Kaplan-Meier curves and from patient data.
//
// - reconstruct: --arm NAME=POINTS.csv[,NAR.csv] ... [--events NAME=N] [--n NAME=N] -o ipd.csv
// - hr: IPD.csv (or --arm ... to reconstruct first) --treatment ARM --control ARM
//   [--ties efron|breslow] [--tau T] [--json] [--append-to studies.csv --study LABEL]
// - plot: IPD.csv (or --arm ...) [--treatment A --control B] [--digitised ARM=POINTS.csv]
//   -o km.svg|pdf|png
//
// Parsing and files only: reconstruction, fits and wording come from the library. Every input is
// read and every result computed before anything is written, so an error leaves no output.
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/data/study_row.hpp"
#include "srma/io/file.hpp"
#include "srma/plot/km_plot.hpp"
#include "srma/plot/output.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

// --arm NAME=POINTS.csv[,NAR.csv], --events NAME=N, --n NAME=N
struct curve_args {
  std::vector<std::string> arms;
  std::vector<std::string> events;
  std::vector<std::string> n;
};

struct km_hr_args {
  std::string ipd;
  curve_args curves;
  std::string treatment;
  std::string control;
  std::string ties = "efron";
  std::optional<double> tau;
  double level = 95;
  bool json = false;
  std::string append_to;
  std::string study;
  bool replace = false;
  std::string ipd_out;
};

struct km_plot_args {
  std::string ipd;
  curve_args curves;
  std::vector<std::string> digitised;
  std::string treatment;
  std::string control;
  std::string ties = "efron";
  std::string output;
  bool ci = false;
  bool no_risk_table = false;
  bool no_censor_ticks = false;
  bool percent = false;
  std::optional<double> time_step;
  std::optional<double> time_max;
  std::string time_title = "Time";
  std::string title;
  double dpi = 300;
};

struct km_reconstruct_args {
  curve_args curves;
  std::string output;
  bool json = false;
};

error usage_error(std::string message) {
  return error{errc::cli_bad_value, std::move(message), {}, {}};
}

// "NAME=VALUE" split at the first '='.
expected<std::pair<std::string, std::string>> split_named(const std::string& text,
                                                          std::string_view option) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return unexpected(usage_error(fmt::format(
        "{} '{}' must have the form NAME=VALUE (e.g. {} Placebo=...)", option, text, option)));
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

expected<double> named_count(const std::string& value, const std::string& text,
                             std::string_view option) {
  double x = 0;
  std::size_t used = 0;
  try {
    x = std::stod(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || !(x >= 0) || x != std::floor(x) || !std::isfinite(x))
    return unexpected(
        usage_error(fmt::format("{} '{}': '{}' must be a whole number >= 0", option, text, value)));
  return x;
}

// Reads every arm's points and at-risk table, with the events and n given per arm name.
expected<std::vector<digitised_arm>> load_arms(const curve_args& a) {
  std::vector<digitised_arm> arms;
  for (const auto& spec : a.arms) {
    auto kv = split_named(spec, "--arm");
    if (!kv) return unexpected(kv.error());
    digitised_arm arm;
    arm.name = kv->first;
    for (const auto& other : arms) {
      if (other.name == arm.name)
        return unexpected(usage_error(fmt::format("--arm '{}' is given twice", arm.name)));
    }
    std::string points = kv->second;
    std::string nar;
    if (const auto comma = points.rfind(','); comma != std::string::npos) {
      nar = points.substr(comma + 1);
      points = points.substr(0, comma);
    }
    auto curve = read_digitised_curve(points);
    if (!curve) return unexpected(curve.error());
    arm.curve = std::move(*curve);
    if (!nar.empty()) {
      auto table = read_at_risk(nar);
      if (!table) return unexpected(table.error());
      arm.at_risk = std::move(*table);
    }
    arms.push_back(std::move(arm));
  }
  auto assign = [&](const std::vector<std::string>& specs, std::string_view option,
                    auto&& set) -> expected<void> {
    for (const auto& spec : specs) {
      auto kv = split_named(spec, option);
      if (!kv) return unexpected(kv.error());
      auto x = named_count(kv->second, spec, option);
      if (!x) return unexpected(x.error());
      auto it = std::find_if(arms.begin(), arms.end(),
                             [&](const digitised_arm& d) { return d.name == kv->first; });
      if (it == arms.end())
        return unexpected(
            usage_error(fmt::format("{} '{}' names no arm given with --arm", option, kv->first)));
      set(*it, *x);
    }
    return {};
  };
  if (auto ok =
          assign(a.events, "--events", [](digitised_arm& d, double x) { d.total_events = x; });
      !ok)
    return unexpected(ok.error());
  if (auto ok = assign(a.n, "--n", [](digitised_arm& d, double x) { d.n = x; }); !ok)
    return unexpected(ok.error());
  return arms;
}

void add_curve_options(CLI::App* cmd, curve_args& a) {
  cmd->add_option("--arm", a.arms,
                  "An arm's digitised curve: NAME=POINTS.csv (columns time,survival) or "
                  "NAME=POINTS.csv,NAR.csv (with its numbers at risk: columns time,nar); "
                  "repeat per arm");
  cmd->add_option("--events", a.events, "Total events reported for an arm: NAME=N (repeatable)");
  cmd->add_option("--n", a.n,
                  "Patients at time 0 for an arm without an at-risk table: NAME=N (repeatable)");
}

void print_reconstruction(const std::vector<arm_reconstruction>& arms) {
  for (const auto& r : arms) fmt::print("{}", full_report(r));
}

int run_reconstruct(const km_reconstruct_args& args) {
  if (args.curves.arms.empty())
    return report_error(usage_error("give at least one --arm NAME=POINTS.csv[,NAR.csv]"));
  auto arms = load_arms(args.curves);
  if (!arms) return report_error(arms.error());
  std::vector<arm_reconstruction> rebuilt;
  for (const auto& a : *arms) {
    auto r = reconstruct_arm(a);
    if (!r) return report_error(r.error());
    rebuilt.push_back(std::move(*r));
  }
  const auto ipd = to_survival_data(rebuilt);
  if (auto ok = write_file_atomic(args.output, to_csv(ipd)); !ok) return report_error(ok.error());
  if (args.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : rebuilt) j.push_back(to_json(r));
    fmt::print("{}\n", nlohmann::json{{"output", args.output}, {"arms", j}}.dump(2));
  } else {
    print_reconstruction(rebuilt);
    fmt::print(stderr, "srma: wrote {} patients to {}\n", ipd.size(), args.output);
  }
  return exit_code::ok;
}

int run_hr(const km_hr_args& args) {
  const bool from_curves = !args.curves.arms.empty();
  if (from_curves == !args.ipd.empty())
    return report_error(usage_error(
        "give either a patient-data file (arm,time,event) or the arms' curves with --arm"));
  if (!args.append_to.empty() && args.study.empty())
    return report_error(usage_error("--append-to needs --study LABEL (the study's row)"));
  if (args.append_to.empty() && !args.study.empty())
    return report_error(usage_error("--study names the row written by --append-to FILE"));
  km_analysis_options o;
  auto ties = parse_cox_ties(args.ties);
  if (!ties)
    return report_error(
        usage_error(fmt::format("--ties '{}' is not one of: efron, breslow", args.ties)));
  o.cox.ties = *ties;
  o.cox.level = args.level / 100;
  o.km.level = args.level / 100;
  o.tau = args.tau;
  if (auto m = o.validate(); !m.empty()) return report_error(usage_error(m));

  km_analysis analysis;
  std::vector<arm_reconstruction> rebuilt;
  survival_data ipd;
  if (from_curves) {
    auto arms = load_arms(args.curves);
    if (!arms) return report_error(arms.error());
    auto r = analyse_curves(*arms, args.treatment, args.control, o);
    if (!r) return report_error(r.error());
    analysis = std::move(r->analysis);
    rebuilt = std::move(r->arms);
    ipd = std::move(r->ipd);
  } else {
    auto data = read_ipd(args.ipd);
    if (!data) return report_error(data.error());
    auto r = analyse_two_arms(*data, args.treatment, args.control, o);
    if (!r) return report_error(r.error());
    analysis = std::move(*r);
  }

  // The study row: read, update in memory, then write everything at the end.
  std::optional<csv_table> studies;
  study_row_action action = study_row_action::appended;
  if (!args.append_to.empty()) {
    if (std::filesystem::exists(args.append_to)) {
      auto t = read_csv(args.append_to);
      if (!t) return report_error(t.error());
      studies = std::move(*t);
    } else {
      studies = csv_table{};
      studies->source = args.append_to;
    }
    auto done = put_study_hr(*studies, args.study,
                             {.loghr = analysis.cox.loghr,
                              .se = analysis.cox.se,
                              .source = from_curves ? "km_reconstruction" : "ipd"},
                             args.replace);
    if (!done) {
      const auto& e = done.error();
      fmt::print(stderr, "srma: error: {}{}\n", e.what(),
                 e.id == errc::input_ambiguous_columns ? " (--replace overwrites them)" : "");
      return exit_code::input;
    }
    action = *done;
  }
  if (!args.ipd_out.empty()) {
    if (!from_curves)
      return report_error(usage_error("--ipd-out writes reconstructed patients: give --arm"));
    if (auto ok = write_file_atomic(args.ipd_out, to_csv(ipd)); !ok)
      return report_error(ok.error());
  }
  if (studies) {
    if (auto ok = write_csv(*studies, args.append_to); !ok) return report_error(ok.error());
  }

  if (args.json) {
    auto j = to_json(analysis);
    if (from_curves) {
      nlohmann::json r = nlohmann::json::array();
      for (const auto& a : rebuilt) r.push_back(to_json(a));
      j["reconstruction"] = std::move(r);
      j["source"] = "km_reconstruction";
    }
    fmt::print("{}\n", j.dump(2));
  } else {
    if (from_curves) print_reconstruction(rebuilt);
    fmt::print("{}", full_report(analysis));
  }
  if (studies) {
    const char* what = action == study_row_action::appended ? "appended to"
                       : action == study_row_action::filled ? "filled in"
                                                            : "replaced in";
    fmt::print(stderr, "srma: study '{}' {} {}\n", args.study, what, args.append_to);
  }
  return exit_code::ok;
}

// The digitised points of an arm, cleaned (percent scale, order, monotone) for the overlay.
expected<std::pair<std::string, clean_points>> load_digitised(const std::string& spec) {
  auto kv = split_named(spec, "--digitised");
  if (!kv) return unexpected(kv.error());
  auto curve = read_digitised_curve(kv->second);
  if (!curve) return unexpected(curve.error());
  auto clean = clean_curve(*curve);
  if (!clean) return unexpected(clean.error());
  return std::pair{kv->first, std::move(*clean)};
}

int run_plot(const km_plot_args& args) {
  const bool from_curves = !args.curves.arms.empty();
  if (from_curves == !args.ipd.empty())
    return report_error(usage_error(
        "give either a patient-data file (arm,time,event) or the arms' curves with --arm"));
  if (args.treatment.empty() != args.control.empty())
    return report_error(usage_error("give both --treatment and --control (or neither)"));
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  auto ties = parse_cox_ties(args.ties);
  if (!ties)
    return report_error(
        usage_error(fmt::format("--ties '{}' is not one of: efron, breslow", args.ties)));

  survival_data ipd;
  std::vector<std::pair<std::string, clean_points>> points;
  if (from_curves) {
    auto arms = load_arms(args.curves);
    if (!arms) return report_error(arms.error());
    std::vector<arm_reconstruction> rebuilt;
    for (const auto& a : *arms) {
      auto r = reconstruct_arm(a);
      if (!r) return report_error(r.error());
      auto clean = clean_curve(a.curve);
      if (!clean) return report_error(clean.error());
      points.emplace_back(a.name, std::move(*clean));
      rebuilt.push_back(std::move(*r));
    }
    ipd = to_survival_data(rebuilt);
  } else {
    auto data = read_ipd(args.ipd);
    if (!data) return report_error(data.error());
    ipd = std::move(*data);
  }
  for (const auto& spec : args.digitised) {
    auto d = load_digitised(spec);
    if (!d) return report_error(d.error());
    if (!ipd.arm_index(d->first))
      return report_error(
          usage_error(fmt::format("--digitised '{}' names no arm of the data (arms: {})", d->first,
                                  fmt::join(ipd.arm_names, ", "))));
    points.push_back(std::move(*d));
  }

  // With --treatment and --control the figure starts from the two-arm analysis through
  // plot::km_plot_from, as a report's [[km]] check figure does (src/run/km_studies.cpp), so both
  // draw the same curves and statistics; arms outside the analysis follow in the data's order.
  plot::km_plot_content content;
  if (!args.treatment.empty()) {
    km_analysis_options o;
    o.cox.ties = *ties;
    auto a = analyse_two_arms(ipd, args.treatment, args.control, o);
    if (!a) return report_error(a.error());
    content = plot::km_plot_from(*a);
  }
  const auto shown = [&](std::size_t i) {
    return std::any_of(content.arms.begin(), content.arms.end(),
                       [&](const plot::km_arm_curve& c) { return ipd.arm_index(c.name) == i; });
  };
  for (std::size_t i = 0; i < ipd.arm_names.size(); ++i) {
    if (shown(i)) continue;
    const auto sample = arm_of(ipd, i);
    auto km = kaplan_meier(sample.time, sample.event);
    if (!km) return report_error(km.error());
    content.arms.push_back({ipd.arm_names[i], std::move(*km), {}, {}});
  }
  for (auto& arm : content.arms) {
    for (const auto& [name, p] : points) {
      if (ipd.arm_index(name) != ipd.arm_index(arm.name)) continue;
      arm.digitised_time = p.time;
      arm.digitised_survival = p.survival;
    }
  }
  plot::km_plot_options o;
  o.ci_bands = args.ci;
  o.risk_table = !args.no_risk_table;
  o.censor_ticks = !args.no_censor_ticks;
  o.percent = args.percent;
  o.time_step = args.time_step;
  o.time_max = args.time_max;
  o.time_title = args.time_title;
  o.title = args.title;
  auto figure = plot::draw_km_plot(content, o);
  if (!figure) return report_error(figure.error());
  if (auto ok = plot::save(*figure, args.output, render); !ok) return report_error(ok.error());
  for (const auto& arm : content.arms) {
    if (arm.digitised_time.empty()) continue;
    const double d = max_vertical_distance(arm.curve.time, arm.curve.surv, arm.digitised_time,
                                           arm.digitised_survival);
    fmt::print(
        "{}: largest vertical distance between the Kaplan-Meier curve and the digitised "
        "points {:.4f}\n",
        arm.name, d);
  }
  fmt::print(stderr, "srma: wrote {}\n", args.output);
  return exit_code::ok;
}

}  // namespace

void add_km_command(CLI::App& app, std::function<int()>& action) {
  auto* km = app.add_subcommand(
      "km", "Hazard ratios from Kaplan-Meier curves: reconstruct patient data, fit, plot");
  km->require_subcommand(1);

  auto rec = std::make_shared<km_reconstruct_args>();
  auto* r = km->add_subcommand(
      "reconstruct",
      "Patient data (arm,time,event) from digitised Kaplan-Meier curves (Guyot et al. 2012)");
  add_curve_options(r, rec->curves);
  r->add_option("-o,--output", rec->output, "Patient data CSV to write (arm,time,event)")
      ->required();
  r->add_flag("--json", rec->json, "Diagnostics as JSON");
  r->callback([rec, &action] { action = [rec] { return run_reconstruct(*rec); }; });

  auto hr = std::make_shared<km_hr_args>();
  auto* h = km->add_subcommand(
      "hr", "Cox model, log-rank test, medians and RMST of two arms of patient data or curves");
  h->add_option("ipd", hr->ipd, "Patient data CSV (arm,time,event), e.g. from km reconstruct");
  add_curve_options(h, hr->curves);
  h->add_option("--treatment", hr->treatment, "Treatment (research) arm: HR = its hazard / control")
      ->required();
  h->add_option("--control", hr->control, "Control arm")->required();
  h->add_option("--ties", hr->ties, "Tied event times: efron (default, as R) or breslow");
  h->add_option("--tau", hr->tau, "Horizon of the restricted mean survival time");
  h->add_option("--level", hr->level, "Confidence level in percent (default 95)")
      ->check(CLI::Range(50.0, 99.99));
  h->add_flag("--json", hr->json, "Results as JSON");
  h->add_option("--append-to", hr->append_to,
                "Write the result as a study row (loghr, se, hr_source) into this study CSV");
  h->add_option("--study", hr->study, "Label of the study row written by --append-to");
  h->add_flag("--replace", hr->replace,
              "With --append-to: overwrite the study's effect values if it has some");
  h->add_option("--ipd-out", hr->ipd_out, "With --arm: also write the reconstructed patients");
  h->callback([hr, &action] { action = [hr] { return run_hr(*hr); }; });

  auto pl = std::make_shared<km_plot_args>();
  auto* p = km->add_subcommand(
      "plot", "Kaplan-Meier figure (SVG, PDF or PNG) with numbers at risk and digitised points");
  p->add_option("ipd", pl->ipd, "Patient data CSV (arm,time,event)");
  add_curve_options(p, pl->curves);
  p->add_option("--digitised", pl->digitised,
                "Points read off the published figure for an arm: ARM=POINTS.csv (repeatable)");
  p->add_option("--treatment", pl->treatment, "With --control: show the HR and log-rank p");
  p->add_option("--control", pl->control, "Control arm of the HR");
  p->add_option("--ties", pl->ties, "Tied event times of the Cox model: efron or breslow");
  p->add_option("-o,--output", pl->output, "Output file: .svg, .pdf or .png")->required();
  p->add_flag("--ci", pl->ci, "Draw pointwise 95% confidence bands");
  p->add_flag("--no-risk-table", pl->no_risk_table, "Leave out the numbers at risk");
  p->add_flag("--no-censor-ticks", pl->no_censor_ticks, "Leave out the censoring ticks");
  p->add_flag("--percent", pl->percent, "Label the survival axis in percent");
  p->add_option("--time-step", pl->time_step, "Distance between time breaks");
  p->add_option("--time-max", pl->time_max, "Right end of the time axis");
  p->add_option("--time-title", pl->time_title, "Time axis title (default \"Time\")");
  p->add_option("--title", pl->title, "Title above the figure");
  p->add_option("--dpi", pl->dpi, "PNG resolution in dots per inch (default 300)");
  p->callback([pl, &action] { action = [pl] { return run_plot(*pl); }; });
}

}  // namespace srma::cli
