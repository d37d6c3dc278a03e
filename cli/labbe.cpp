// srma labbe: the L'Abbé plot of a pooled analysis of 2x2 counts as SVG, PDF or PNG. Parsing and
// file handling only; the points come from srma::plot::labbe_data_from.
#include "srma/plot/labbe.hpp"

#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct labbe_args : analysis_args {
  std::string output;
  std::string title;
  double font_size = 9;
  double dpi = 150;
  figure_size_args size;
};

int run_labbe(labbe_args& args) {
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto r = pool_loaded(args, *studies);
  if (!r) return report_error(r.error());
  // The leading model: random effects unless --model common (or auto chose it).
  auto data = plot::labbe_data_from(*r, *studies, r->primary);
  if (!data) return report_error(data.error());
  plot::labbe_options o;
  o.title = args.title;
  o.font_size = args.font_size;
  if (auto ok = args.size.apply(args.dpi, o.width, o.height); !ok) return report_error(ok.error());
  auto fig = plot::draw_labbe(*data, o);
  if (!fig) return report_error(fig.error());
  if (auto w = plot::save(*fig, args.output, render); !w) return report_error(w.error());
  for (const auto& n : r->notes) fmt::print(stderr, "srma: note: {}\n", n);
  return exit_code::ok;
}

}  // namespace

void add_labbe_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<labbe_args>();
  auto* cmd = app.add_subcommand(
      "labbe",
      "L'Abbé plot (SVG, PDF or PNG) of 2x2 data: event rates treatment vs control, "
      "circle area by weight, lines of no effect and of the pooled OR, RR or RD");
  args->add_to(*cmd);
  args->add_method_to(*cmd);
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--title", args->title, "Title above the plot");
  cmd->add_option("--font-size", args->font_size, "Font size in points (default 9)")
      ->check(CLI::Range(4.0, 40.0));
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  args->size.add_to(*cmd, "L'Abbé plot: ");
  cmd->callback([args, &action] { action = [args] { return run_labbe(*args); }; });
}

}  // namespace srma::cli
