// srma drapery: the drapery plot (p-value functions of the studies and the pooled estimate) of a
// pooled analysis as SVG, PDF or PNG. Parsing and file handling only; the curves come from
// srma::plot::drapery_data_from.
#include "srma/plot/drapery.hpp"

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct drapery_args : analysis_args {
  std::string output;
  std::string title;
  std::string scale = "p";
  std::vector<double> xlim;
  double font_size = 9;
  double dpi = 150;
  bool no_prediction = false;
  figure_size_args size;
};

int run_drapery(drapery_args& args) {
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  plot::drapery_options o;
  if (auto s = plot::parse_drapery_scale(args.scale)) {
    o.scale = *s;
  } else {
    return report_error(
        {errc::cli_bad_value, fmt::format("--scale {}: expected p or log", args.scale), {}});
  }
  if (!args.xlim.empty()) {
    o.x_min = args.xlim[0];
    o.x_max = args.xlim[1];
  }
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto r = pool_loaded(args, *studies);
  if (!r) return report_error(r.error());
  // The leading model: random effects unless --model common (or auto chose it).
  auto data = plot::drapery_data_from(*r, r->primary);
  if (!data) return report_error(data.error());
  o.title = args.title;
  o.font_size = args.font_size;
  o.prediction = !args.no_prediction;
  if (auto ok = args.size.apply(args.dpi, o.width, o.height); !ok) return report_error(ok.error());
  auto fig = plot::draw_drapery(*data, o);
  if (!fig) return report_error(fig.error());
  if (auto w = plot::save(*fig, args.output, render); !w) return report_error(w.error());
  for (const auto& n : r->notes) fmt::print(stderr, "srma: note: {}\n", n);
  return exit_code::ok;
}

}  // namespace

void add_drapery_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<drapery_args>();
  auto* cmd = app.add_subcommand(
      "drapery",
      "Drapery plot (SVG, PDF or PNG): p-value functions of each study and of the pooled "
      "estimate, crossing p = 0.05 at their 95% CIs (Rücker & Schwarzer 2020)");
  args->add_to(*cmd);
  args->add_method_to(*cmd);
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--title", args->title, "Title above the plot");
  cmd->add_option("--scale", args->scale,
                  "y axis: p (p-values 0 to 1, default) or log (p on a log axis down to 0.001)");
  cmd->add_option("--xlim", args->xlim, "Effect axis limits on the display scale, e.g. 0.1,10")
      ->expected(2)
      ->delimiter(',');
  cmd->add_flag("--no-prediction", args->no_prediction,
                "Leave out the shaded prediction region of the random-effects model");
  cmd->add_option("--font-size", args->font_size, "Font size in points (default 9)")
      ->check(CLI::Range(4.0, 40.0));
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  args->size.add_to(*cmd, "Drapery plot: ");
  cmd->callback([args, &action] { action = [args] { return run_drapery(*args); }; });
}

}  // namespace srma::cli
