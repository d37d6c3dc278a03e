// srma funnel: a funnel plot (optionally contour-enhanced) of a pooled analysis as SVG, PDF or
// PNG. Parsing and file handling only; the drawing comes from srma::plot::draw_funnel.
#include "srma/plot/funnel.hpp"

#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/bias/small_study_bias.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/plot/output.hpp"
#include "srma/report/format.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct funnel_args : analysis_args {
  std::string output;
  std::vector<double> contours;
  bool no_pseudo_ci = false;
  std::string title;
  std::vector<double> xlim;
  std::optional<double> se_max;
  std::optional<std::string> xlab;
  double font_size = 9;
  double dpi = 150;
  figure_size_args size;
  bool egger = false;
  std::string trimfill;  // "" (off), "L0" or "R0"
};

int run_funnel(const funnel_args& args) {
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto r = pool_loaded(args, *studies);
  if (!r) return report_error(r.error());

  plot::funnel_options o = plot::funnel_defaults(*r);
  o.contours = args.contours;
  o.pseudo_ci = !args.no_pseudo_ci;
  o.title = args.title;
  if (!args.xlim.empty()) {
    o.axis_min = args.xlim[0];
    o.axis_max = args.xlim[1];
  }
  o.se_max = args.se_max;
  if (args.xlab) o.axis_title = *args.xlab;
  o.font_size = args.font_size;
  if (auto ok = args.size.apply(args.dpi, o.width, o.height); !ok) return report_error(ok.error());
  // Optional small-study statistics drawn on the funnel (computed by srma::core, bias.hpp).
  pool_options model = r->options;
  model.model = r->primary == model_kind::common ? model_choice::common : model_choice::random;
  std::vector<std::string> summary;
  if (args.egger) {
    auto e = egger_test(studies->yi, studies->vi, model, /*mixed=*/false);
    if (!e) return report_error(e.error());
    o.line = plot::funnel_line{e->limit_estimate, e->bias, "Egger regression"};
    summary.push_back(
        fmt::format("Egger's test: bias {} (SE {}), t = {}, df = {:g}, {}; limit estimate {}",
                    format_fixed(e->bias, 3), format_fixed(e->se, 3), format_fixed(e->statistic, 2),
                    e->df, format_p_clause(e->p),
                    format_effect_ci(r->measure, e->limit_estimate, e->limit_ci_lower,
                                     e->limit_ci_upper, r->level)));
  }
  auto points = plot::funnel_points(*r);
  if (!args.trimfill.empty()) {
    const auto est = parse_trimfill_estimator(args.trimfill);
    if (!est) {
      return report_error({srma::errc::cli_bad_value,
                           fmt::format("--trimfill {}: expected L0 or R0", args.trimfill),
                           {}});
    }
    auto tf = trim_and_fill(studies->yi, studies->vi, model, *est);
    if (!tf) return report_error(tf.error());
    o.adjusted = tf->estimate.estimate;
    for (std::size_t i = 0; i < tf->filled_yi.size(); ++i) {
      points.push_back(
          {tf->filled_yi[i], std::sqrt(tf->filled_vi[i]), true, fmt::format("Filled {}", i + 1)});
    }
    summary.push_back(
        fmt::format("Trim-and-fill ({}): {} stud{} imputed on the {} side; adjusted estimate {}",
                    to_string(*est), tf->k0, tf->k0 == 1 ? "y" : "ies", to_string(tf->side),
                    format_effect_ci(r->measure, tf->estimate.estimate, tf->estimate.ci_lower,
                                     tf->estimate.ci_upper, r->level)));
  }
  auto figure = plot::draw_funnel(points, o);
  if (!figure) return report_error(figure.error());
  if (auto ok = plot::save(*figure, args.output, render); !ok) return report_error(ok.error());
  for (const auto& n : r->notes) fmt::print(stderr, "srma: note: {}\n", n);
  for (const auto& line : summary) fmt::print("{}\n", line);
  return exit_code::ok;
}

}  // namespace

void add_funnel_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<funnel_args>();
  auto* cmd =
      app.add_subcommand("funnel",
                         "Funnel plot (SVG, PDF or PNG): effect against standard error, pseudo CI, "
                         "significance contours");
  args->add_to(*cmd);
  args->add_method_to(*cmd);
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--contours", args->contours,
                  "Contour-enhanced funnel: shade the significance regions around the null at "
                  "these levels, e.g. 90,95,99")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_flag("--no-pseudo-ci", args->no_pseudo_ci,
                "Leave out the pseudo confidence region around the pooled estimate");
  cmd->add_flag("--egger", args->egger,
                "Draw Egger's regression line (and print the test): effect = limit + bias x SE");
  cmd->add_option("--trimfill", args->trimfill,
                  "Add the studies imputed by trim-and-fill (open circles) with estimator L0 or "
                  "R0, and print the adjusted estimate");
  cmd->add_option("--title", args->title, "Title above the plot");
  cmd->add_option("--xlim", args->xlim, "Effect axis limits on the display scale, e.g. 0.1,10")
      ->expected(2)
      ->delimiter(',');
  cmd->add_option("--se-max", args->se_max, "Bottom of the standard error axis");
  cmd->add_option("--xlab", args->xlab,
                  "Effect axis title (default e.g. \"Risk ratio (log scale)\"; \"\" for none)");
  cmd->add_option("--font-size", args->font_size, "Font size in points (default 9)")
      ->check(CLI::Range(4.0, 40.0));
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  args->size.add_to(*cmd);
  cmd->callback([args, &action] { action = [args] { return run_funnel(*args); }; });
}

}  // namespace srma::cli
