// srma metareg | permtest: meta-regression and permutation tests, as text or JSON; metareg also
// writes the bubble plot of a one-moderator regression (--bubble).
#include "srma/model/metareg.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <memory>
#include <optional>

#include "commands.hpp"
#include "common.hpp"
#include "srma/plot/bubble.hpp"
#include "srma/plot/output.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"
#include "srma/sensitivity/permtest.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/limits.hpp"

namespace srma::cli {
namespace {

struct metareg_args : analysis_args {
  bool json = false;
  std::vector<std::string> mods;
  std::vector<std::string> factors;
  std::string missing = "drop";  // a missing_moderator name, checked when parsed
  std::size_t iterations = 1000;
  bool exact = false;
  std::uint64_t seed = 1;
  std::string bubble;  // metareg: the bubble plot
  bool bubble_labels = false;
  bool bubble_pi = false;
  std::optional<std::string> xlab;
  std::optional<std::string> ylab;
  std::vector<double> xlim;
  std::vector<double> ylim;
  figure_size_args size;
  std::string title;
  double dpi = 150;
};

// The --missing policy (checked by CLI11 when parsed).
missing_moderator missing_of(const metareg_args& args) {
  return parse_missing_moderator(args.missing).value_or(missing_moderator::drop);
}

// Meta-regression is about the random-effects model unless the common-effect model is asked.
pool_options regression_options(pool_options o) {
  if (o.model != model_choice::common) o.model = model_choice::random;
  return o;
}

int run_metareg(const metareg_args& args) {
  const plot::render_options render{.dpi = args.dpi};
  if (!args.bubble.empty()) {
    if (auto f = plot::format_from_path(args.bubble); !f) return report_error(f.error());
    if (auto msg = render.validate(); !msg.empty())
      return report_error({srma::errc::plot_bad_options, msg, {}});
  }
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling();
  if (!options) return report_error(options.error());
  auto design = build_design(*studies, args.mods, args.factors, missing_of(args));
  if (!design) return report_error(design.error());
  for (const auto& n : design->notes) fmt::print(stderr, "srma: warning: {}\n", n);
  if (!args.bubble.empty()) {
    if (auto ok = plot::check_bubble_design(*design); !ok) return report_error(ok.error());
  }
  auto r = metareg(studies->yi, studies->vi, *design, regression_options(*options));
  if (!r) return report_error(r.error());
  if (!args.bubble.empty()) {
    // The bubble plot shows the studies of the regression (those with every moderator).
    const study_table kept = design->dropped.empty() ? *studies : studies->subset(design->used);
    auto data = plot::bubble_from(*r, *design, kept);
    if (!data) return report_error(data.error());
    plot::bubble_options o;
    o.title = args.title;
    o.labels = args.bubble_labels;
    o.prediction_band = args.bubble_pi;
    if (args.xlab) o.x_title = *args.xlab;
    if (args.ylab) o.y_title = *args.ylab;
    if (!args.xlim.empty()) {
      o.x_min = args.xlim[0];
      o.x_max = args.xlim[1];
    }
    if (!args.ylim.empty()) {
      o.y_min = args.ylim[0];
      o.y_max = args.ylim[1];
    }
    if (auto ok = args.size.apply(args.dpi, o.width, o.height); !ok) {
      return report_error(ok.error());
    }
    auto figure = plot::draw_bubble(*data, o);
    if (!figure) return report_error(figure.error());
    if (auto ok = plot::save(*figure, args.bubble, render); !ok) return report_error(ok.error());
  }
  if (args.json) {
    auto j = to_json(*r);
    j["input"] = input_json(*studies);
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("{}", full_report(*r));
  }
  return exit_code::ok;
}

int run_permtest(const metareg_args& args) {
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling();
  if (!options) return report_error(options.error());
  std::optional<design_matrix> design;
  if (!args.mods.empty()) {
    auto d = build_design(*studies, args.mods, args.factors, missing_of(args));
    if (!d) return report_error(d.error());
    for (const auto& n : d->notes) fmt::print(stderr, "srma: warning: {}\n", n);
    design = std::move(*d);
  }
  permtest_options p;
  p.iterations = args.iterations;
  p.exact = args.exact;
  p.seed = args.seed;
  if (isatty(STDERR_FILENO)) {
    p.progress = [](std::size_t done, std::size_t total) {
      const int width = 40;
      const int filled = static_cast<int>(width * static_cast<double>(done) /
                                          static_cast<double>(std::max<std::size_t>(total, 1)));
      fmt::print(stderr, "\r[{:=<{}}{:<{}}] {}/{}", "", filled, "", width - filled, done, total);
      if (done == total) fmt::print(stderr, "\n");
    };
  }
  auto r = permutation_test(studies->yi, studies->vi, design ? &*design : nullptr,
                            regression_options(*options), p);
  if (!r) return report_error(r.error());
  if (args.json) {
    auto j = to_json(*r);
    j["input"] = input_json(*studies);
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("{}", full_report(*r));
  }
  return exit_code::ok;
}

void add_mods(CLI::App* cmd, metareg_args& args, bool required) {
  auto* o = cmd->add_option("--mods", args.mods,
                            "Moderator columns, comma separated (categorical when any value is "
                            "not a number)")
                ->delimiter(',');
  if (required) o->required();
  cmd->add_option("--factor", args.factors,
                  "Moderators to treat as categorical even if numeric (comma separated)")
      ->delimiter(',');
  cmd->add_option("--missing", args.missing,
                  "A study without a value for a moderator: drop (leave it out with a warning, "
                  "as metafor; default) or error")
      ->check(CLI::Validator(
          [](std::string& s) {
            return parse_missing_moderator(s) ? std::string()
                                              : fmt::format("got '{}'; expected drop or error", s);
          },
          "NAME"));
}

}  // namespace

void add_metareg_commands(CLI::App& app, std::function<int()>& action) {
  {
    auto args = std::make_shared<metareg_args>();
    auto* cmd = app.add_subcommand("metareg", "Mixed-effects meta-regression");
    args->add_to(*cmd);
    add_mods(cmd, *args, true);
    cmd->add_flag("--json", args->json, "Print one JSON object (docs/json-schema.md)");
    cmd->add_option("--bubble", args->bubble,
                    "Also write the bubble plot (one continuous moderator): .svg, .pdf or .png");
    cmd->add_flag("--labels", args->bubble_labels, "Bubble plot: label the studies");
    cmd->add_flag("--pi-band", args->bubble_pi, "Bubble plot: add the prediction band");
    cmd->add_option("--title", args->title, "Bubble plot: title above the figure");
    cmd->add_option("--xlab", args->xlab,
                    "Bubble plot: x axis title (default: the moderator's name; \"\" for none)");
    cmd->add_option("--ylab", args->ylab,
                    "Bubble plot: y axis title (default e.g. \"Risk ratio (log scale)\")");
    cmd->add_option("--xlim", args->xlim, "Bubble plot: moderator axis limits, e.g. 10,60")
        ->expected(2)
        ->delimiter(',');
    cmd->add_option("--ylim", args->ylim,
                    "Bubble plot: effect axis limits on the display scale, e.g. 0.1,2")
        ->expected(2)
        ->delimiter(',');
    args->size.add_to(*cmd, "Bubble plot: ");
    cmd->add_option("--dpi", args->dpi, "Bubble plot: PNG resolution (default 150)");
    cmd->callback([args, &action] { action = [args] { return run_metareg(*args); }; });
  }
  {
    auto args = std::make_shared<metareg_args>();
    auto* cmd = app.add_subcommand(
        "permtest", "Permutation test of the pooled effect or of meta-regression coefficients");
    args->add_to(*cmd);
    add_mods(cmd, *args, false);
    cmd->add_option("--iter", args->iterations, "Random permutations (default 1000)")
        ->check(CLI::Range(limits::min_permutations, limits::max_permutations));
    cmd->add_flag("--exact", args->exact, "Enumerate every permutation");
    cmd->add_option("--seed", args->seed, "Seed of the random permutations (default 1)");
    cmd->add_flag("--json", args->json, "Print one JSON object (docs/json-schema.md)");
    cmd->callback([args, &action] { action = [args] { return run_permtest(*args); }; });
  }
}

}  // namespace srma::cli
