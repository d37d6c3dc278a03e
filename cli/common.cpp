#include "common.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "srma/model/pool_2x2.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/limits.hpp"

namespace srma::cli {

namespace {

// Library messages speak of data and options; the command line adds which of its flags changes
// the outcome, from the error id and the value the error is about (error::subject). A plan
// (srma run) names the same choices by its own keys (docs/plan.md), so its errors get the plan
// key instead.
std::string option_hint(const error& e, hint_style style) {
  const bool plan = style == hint_style::plan;
  if (e.id == errc::input_ambiguous_columns && !e.subject.empty()) {
    return plan ? fmt::format("; choose one with effect = \"{}\" in [data]", e.subject)
                : fmt::format("; choose one with --effect, e.g. --effect {}", e.subject);
  }
  if (e.id == errc::input_measure_mismatch) return plan ? " (measure in [data])" : " (--measure)";
  if (e.id == errc::input_bad_moderator && !e.subject.empty()) {
    return plan ? fmt::format(" (factors = [\"{}\"])", e.subject)
                : fmt::format(" (--factor {})", e.subject);
  }
  if (e.id == errc::model_too_many_permutations) return plan ? " (iterations = N)" : " (--iter N)";
  return {};
}

}  // namespace

int report_error(const error& e, hint_style style) {
  fmt::print(stderr, "srma: error: {}{}\n", e.what(), option_hint(e, style));
  const auto fam = e.family();
  if (fam == "csv" || fam == "input" || fam == "plan" || fam == "review" || fam == "survival" ||
      fam == "project")
    return exit_code::input;
  if (fam == "model") return exit_code::model;
  if (fam == "output" || fam == "plot") return exit_code::output;
  if (fam == "cli") return exit_code::usage;
  return exit_code::internal;
}

namespace {

// Checks a named value when the command line is read, not later: otherwise
// `srma forest --pi data.csv` takes data.csv as the --pi value and reports only that FILE is
// missing.
template <class Parse>
CLI::Validator named_value(Parse parse, const std::string& expected) {
  return CLI::Validator(
      [parse, expected](std::string& s) {
        return parse(s) ? std::string() : fmt::format("got '{}'; {}", s, expected);
      },
      "NAME");
}

}  // namespace

void analysis_args::add_to(CLI::App& app) {
  app.add_option("file", file, "CSV file with one row per study")->required();
  app.add_option("--measure", measure,
                 "Effect measure: HR, OR, RR, RD, MD, SMD, SMDH, ROM, PR, PLN, PLO, PAS, PFT, COR, "
                 "ZCOR, IR, IRLN, IRR, IRD or GEN (default: from the columns; OR for 2x2 counts, "
                 "MD for means, PLO for events,n, ZCOR for ri,ni, IRLN for events,time, IRR for "
                 "two rates)");
  app.add_option("--measure-label", measure_label,
                 "Name of a generic effect (GEN) in reports and figures, e.g. \"log response "
                 "ratio\" (default: effect)");
  app.add_option("--effect", effect,
                 "Which effect columns to use when several sets are present: "
                 "hr,lower,upper | loghr,se | yi,sei | yi,vi | oe,v | 2x2 | means | proportion | "
                 "correlation | rate | two_rates | hr_summaries (each row its own hazard-ratio "
                 "set)");
  model_opt = app.add_option("--model", model, "common | random | both | auto (default: both)")
                  ->check(named_value(parse_model_choice, "expected common, random, both or auto"));
  app.add_option("--auto-i2", auto_i2,
                 "I^2 threshold (percent) of --model auto: below it the common-effect model")
      ->check(CLI::Range(0.0, 100.0));
  tau2_opt =
      app.add_option("--tau2", tau2, "tau^2 estimator: REML (default), DL, ML, PM, HS, SJ, HE, EB")
          ->check(named_value(parse_tau2_method,
                              "unknown estimator; expected DL, REML, ML, PM, HS, SJ, HE or EB"));
  hksj_opt =
      app.add_flag("--hksj", hksj, "Hartung-Knapp-Sidik-Jonkman CI for the mean (t, k-1 df)");
  pi_opt = app.add_option("--pi", pi,
                          "Prediction interval: t (t, k-1 df; default), t2 (k-2 df), z, test "
                          "(z, or t under --hksj: metafor), none")
               ->check(named_value(parse_pi_method, "expected t, t2, z, test or none"));
  i2_opt =
      app.add_option("--i2", i2, "I^2 used in summaries and by --model auto: Q (default) or tau2")
          ->check(named_value(parse_i2_definition, "expected Q or tau2"));
  app.add_option("--level", level, "Confidence level in percent (95 for a 95% interval)")
      ->check(CLI::Range(limits::min_level_percent, limits::max_level_percent));
  app.add_option("--preset", preset,
                 "Defaults of another tool: metafor, meta, revman5 (srma: the default)");
  app.add_flag("--common-tau2", common_tau2, "With --by: one tau^2 shared by all subgroups");
  app.add_flag("--exclude-missing", exclude_missing,
               "Leave out (and list) studies whose effect columns are all empty, instead of "
               "stopping with an error");
}

void analysis_args::add_method_to(CLI::App& app) {
  method_opt =
      app.add_option("--method", method,
                     "Common-effect method for 2x2 counts: iv (inverse variance; default), mh "
                     "(Mantel-Haenszel: OR, RR, RD; revman5's default) or peto (Peto's OR)")
          ->check(named_value(parse_pooling_method, "expected iv, mh or peto"));
}

expected<read_options> analysis_args::reading() const {
  read_options r;
  if (!measure.empty()) {
    auto m = parse_measure(measure);
    if (!m) {
      return fail(
          srma::errc::cli_bad_value,
          fmt::format("--measure {}: unknown measure; expected {}", measure, measure_codes_text()));
    }
    r.measure = *m;
  }
  if (!effect.empty()) {
    auto k = parse_input_kind(effect);
    if (!k) {
      return fail(srma::errc::cli_bad_value,
                  fmt::format("--effect {}: unknown column set; expected hr,lower,upper, loghr,se, "
                              "yi,sei, yi,vi, oe,v, 2x2, means, proportion, correlation, rate, "
                              "two_rates or hr_summaries",
                              effect));
    }
    r.kind = *k;
  }
  r.missing = exclude_missing ? missing_policy::exclude : missing_policy::error;
  r.measure_label = measure_label;
  // Each tool's zero-cell rule for counts (docs/methods.md, "Zero cells").
  if (auto p = parse_preset(preset); p == srma::preset::metafor) {
    r.zero_cells = escalc_zero_cells();
  } else if (p == srma::preset::revman5) {
    r.zero_cells = revman5_zero_cells();
  }
  return r;
}

expected<pool_options> analysis_args::pooling() const {
  auto p = parse_preset(preset);
  if (!p) {
    return fail(srma::errc::cli_bad_value,
                fmt::format("--preset {}: unknown preset; expected srma, metafor, meta or revman5",
                            preset));
  }
  pool_options o = preset_options(*p);
  if (model_opt && model_opt->count()) {
    auto m = parse_model_choice(model);
    if (!m) {
      return fail(srma::errc::cli_bad_value,
                  fmt::format("--model {}: expected common, random, both or auto", model));
    }
    o.model = *m;
  }
  if (tau2_opt && tau2_opt->count()) {
    auto t = parse_tau2_method(tau2);
    if (!t) {
      return fail(srma::errc::cli_bad_value,
                  fmt::format("--tau2 {}: unknown estimator; expected DL, REML, ML, PM, HS, SJ, HE "
                              "or EB",
                              tau2));
    }
    o.tau2 = *t;
  }
  if (hksj) o.ci = ci_method::hksj;
  if (pi_opt && pi_opt->count()) {
    auto m = parse_pi_method(pi);
    if (!m) {
      return fail(srma::errc::cli_bad_value,
                  fmt::format("--pi {}: expected t, t2, z, test or none", pi));
    }
    o.pi = *m;
  }
  if (i2_opt && i2_opt->count()) {
    auto d = parse_i2_definition(i2);
    if (!d) return fail(srma::errc::cli_bad_value, fmt::format("--i2 {}: expected Q or tau2", i2));
    o.i2 = *d;
  }
  if (method_opt && method_opt->count()) {
    auto m = parse_pooling_method(method);
    if (!m) {
      return fail(srma::errc::cli_bad_value,
                  fmt::format("--method {}: expected iv, mh or peto", method));
    }
    o.method = *m;
  }
  o.level = level;
  o.auto_i2_threshold = auto_i2;
  o.common_tau2 = common_tau2;
  if (auto msg = o.validate(); !msg.empty()) return fail(srma::errc::cli_bad_value, msg);
  return o;
}

expected<pool_options> analysis_args::pooling_for(study_table& studies) const {
  auto o = pooling();
  if (!o) return o;
  const bool explicit_method = method_opt && method_opt->count();
  if (!explicit_method && !has_2x2_counts(studies)) o->method = pooling_method::inverse_variance;
  if (o->method == pooling_method::peto) {
    const std::size_t before = studies.excluded.size();
    studies = informative_for_peto(studies);
    for (std::size_t i = before; i < studies.excluded.size(); ++i) {
      const auto& e = studies.excluded[i];
      fmt::print(stderr, "srma: note: {}:{}: study '{}' left out: {}\n", studies.source, e.line,
                 e.study, e.reason);
    }
  }
  return o;
}

void figure_size_args::add_to(CLI::App& app, const std::string& prefix) {
  app.add_option("--width", width,
                 prefix +
                     "total width, e.g. 180mm, 7in, 18cm, 500pt (default: follows the content; "
                     "the figure shrinks its panel, wraps long labels and titles and then "
                     "uses smaller type, down to 6 pt, to fit)");
  app.add_option("--height", height,
                 prefix + "total height, e.g. 120mm (default: follows the content)");
  app.add_option("--size", size,
                 prefix + "journal column width: single (88 mm) or double (180 mm)");
}

expected<void> figure_size_args::apply(double dpi, double& w, double& h) const {
  if (!size.empty()) {
    auto j = plot::journal_width(size);
    if (!j) return unexpected(j.error());
    w = *j;
  }
  if (!width.empty()) {
    auto v = plot::parse_length(width, dpi);
    if (!v) return unexpected(v.error());
    w = *v;
  }
  if (!height.empty()) {
    auto v = plot::parse_length(height, dpi);
    if (!v) return unexpected(v.error());
    h = *v;
  }
  return {};
}

expected<study_table> load_studies(const analysis_args& args,
                                   std::optional<std::vector<std::string>> attributes) {
  auto ro = args.reading();
  if (!ro) return unexpected(ro.error());
  ro->attributes = std::move(attributes);
  auto t = read_studies(args.file, *ro);
  if (!t) return t;
  for (const auto& n : t->notices) fmt::print(stderr, "srma: note: {}\n", n);
  return t;
}

expected<pool_result> pool_loaded(const analysis_args& args, study_table& studies) {
  auto options = args.pooling_for(studies);
  if (!options) return unexpected(options.error());
  return pool_2x2(studies, *options);
}

expected<plot::render_options> figure_render(const std::string& output, double dpi) {
  if (auto f = plot::format_from_path(output); !f) return unexpected(f.error());
  const plot::render_options render{.dpi = dpi};
  if (auto msg = render.validate(); !msg.empty())
    return srma::fail(srma::errc::plot_bad_options, msg);
  return render;
}

}  // namespace srma::cli
