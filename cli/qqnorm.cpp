// srma qqnorm: the normal QQ plot of a pooled analysis's standardized residuals, with metafor's
// simulated envelope, as SVG, PDF or PNG. Parsing and file handling only; the residuals and the
// envelope come from srma::plot::qqnorm_data_from.
#include "srma/plot/qqnorm.hpp"

#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct qqnorm_args : analysis_args {
  std::string output;
  std::string title;
  double font_size = 9;
  double dpi = 150;
  int reps = 1000;
  std::uint64_t seed = 1;
  bool no_envelope = false;
  bool no_smooth = false;
  bool bonferroni = false;
  figure_size_args size;
};

int run_qqnorm(qqnorm_args& args) {
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto r = pool_loaded(args, *studies);
  if (!r) return report_error(r.error());
  // The leading model: random effects unless --model common (or auto chose it).
  plot::qqnorm_envelope_options env;
  env.envelope = !args.no_envelope;
  env.reps = args.reps;
  env.smooth = !args.no_smooth;
  env.bonferroni = args.bonferroni;
  env.seed = args.seed;
  auto data = plot::qqnorm_data_from(*r, r->primary, env);
  if (!data) return report_error(data.error());
  plot::qqnorm_options o;
  o.title = args.title;
  o.font_size = args.font_size;
  if (auto ok = args.size.apply(args.dpi, o.width, o.height); !ok) return report_error(ok.error());
  auto fig = plot::draw_qqnorm(*data, o);
  if (!fig) return report_error(fig.error());
  if (auto w = plot::save(*fig, args.output, render); !w) return report_error(w.error());
  for (const auto& n : r->notes) fmt::print(stderr, "srma: note: {}\n", n);
  return exit_code::ok;
}

}  // namespace

void add_qqnorm_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<qqnorm_args>();
  auto* cmd = app.add_subcommand(
      "qqnorm",
      "Normal QQ plot (SVG, PDF or PNG) of the standardized residuals, with metafor's simulated "
      "pseudo-confidence envelope");
  args->add_to(*cmd);
  args->add_method_to(*cmd);
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--title", args->title, "Title above the plot");
  cmd->add_option("--font-size", args->font_size, "Font size in points (default 9)")
      ->check(CLI::Range(4.0, 40.0));
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  cmd->add_option("--reps", args->reps,
                  "Simulated replicates of the envelope (default 1000, as metafor)")
      ->check(CLI::Range(10, 100000));
  cmd->add_option("--seed", args->seed,
                  "Seed of the envelope's random draws (default 1): the same seed draws the same "
                  "envelope; it differs from R's only by the draws");
  cmd->add_flag("--no-envelope", args->no_envelope, "Leave the envelope out");
  cmd->add_flag("--no-smooth", args->no_smooth,
                "Draw the envelope's bounds as simulated, without the super smoother");
  cmd->add_flag("--bonferroni", args->bonferroni,
                "Bonferroni-corrected envelope (level/(2k) quantiles)");
  args->size.add_to(*cmd, "QQ plot: ");
  cmd->callback([args, &action] { action = [args] { return run_qqnorm(*args); }; });
}

}  // namespace srma::cli
