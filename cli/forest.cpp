// srma forest: a forest plot of a pooled analysis (or, with --by, of a subgroup analysis) as
// SVG, PDF or PNG. Parsing and file handling only; the rows come from srma::plot::forest_from.
#include "srma/plot/forest.hpp"

#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct forest_args : analysis_args {
  std::string output;
  std::string by;
  std::vector<std::string> columns;
  std::string sort = "none";
  std::string title;
  std::string favours;
  std::vector<double> xlim;
  std::optional<double> ref;
  std::optional<std::string> xlab;
  std::optional<int> decimals;
  double font_size = 9;
  double dpi = 150;
  figure_size_args size;
  bool no_stats = false;
  std::size_t max_rows = 0;
};

expected<void> apply_plot_options(const forest_args& args, plot::forest_options& o) {
  if (!args.title.empty()) o.title = args.title;
  if (auto f = o.set_favours(args.favours); !f) return f;
  if (!args.xlim.empty()) {
    o.axis_min = args.xlim[0];
    o.axis_max = args.xlim[1];
  }
  if (args.ref) o.reference = *args.ref;
  if (args.xlab) o.axis_title = *args.xlab;
  if (args.decimals) o.decimals = *args.decimals;
  o.font_size = args.font_size;
  o.max_rows = args.max_rows;
  return args.size.apply(args.dpi, o.width, o.height);
}

int run_forest(forest_args& args) {
  if (auto f = plot::format_from_path(args.output); !f) return report_error(f.error());
  const plot::render_options render{.dpi = args.dpi};
  if (auto msg = render.validate(); !msg.empty())
    return report_error({srma::errc::plot_bad_options, msg, {}});
  // `--pi` alone asks for the prediction interval row with the preset's method.
  const bool show_pi = args.pi_opt->count() > 0;
  if (show_pi && args.pi.empty()) args.pi_opt->clear();

  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling_for(*studies);
  if (!options) return report_error(options.error());

  plot::forest_content content;
  content.columns = args.columns;
  content.prediction_interval = show_pi;
  content.heterogeneity = !args.no_stats;
  content.overall_test = !args.no_stats;
  content.sort_by(args.sort);

  expected<plot::forest_plot> fp = fail(srma::errc::plot_bad_data, "no analysis");
  std::vector<std::string> notes;
  if (!args.by.empty()) {
    auto s = pool_subgroups(*studies, args.by, *options);
    if (!s) return report_error(s.error());
    notes = s->notes;
    fp = plot::forest_from(*s, *studies, content);
  } else {
    auto r = pool_2x2(*studies, *options);
    if (!r) return report_error(r.error());
    notes = r->notes;
    fp = plot::forest_from(*r, *studies, content);
  }
  if (!fp) return report_error(fp.error());
  if (auto ok = apply_plot_options(args, fp->options); !ok) return report_error(ok.error());
  auto pages = plot::draw_forest_pages(fp->rows, fp->options);
  if (!pages) return report_error(pages.error());
  auto written = plot::save_pages(*pages, args.output, render);
  if (!written) return report_error(written.error());
  if (pages->size() > 1) {
    fmt::print(stderr, "srma: note: {} pages of at most {} rows: {}\n", pages->size(),
               args.max_rows, fmt::join(*written, ", "));
  }
  for (const auto& n : notes) fmt::print(stderr, "srma: note: {}\n", n);
  return exit_code::ok;
}

}  // namespace

void add_forest_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<forest_args>();
  auto* cmd =
      app.add_subcommand("forest",
                         "Forest plot (SVG, PDF or PNG): studies, summary diamonds, heterogeneity; "
                         "subgroups with --by");
  args->add_to(*cmd);
  args->add_method_to(*cmd);
  // Here --pi also works without a value: it adds the prediction interval row.
  args->pi_opt->expected(0, 1);
  args->pi_opt->description(
      "Add the prediction interval row; optionally its method: t (t, k-1 df; default), t2, z, "
      "test, none. Write --pi=METHOD or put the CSV file first");
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--by", args->by, "Column that defines subgroups: a block per subgroup");
  cmd->add_option("--columns", args->columns,
                  "Extra columns from the CSV shown left of the plot, e.g. year,n_resected")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--sort", args->sort,
                  "Order of the studies: none (input order; default), effect, weight, or a "
                  "column such as year");
  cmd->add_option("--title", args->title, "Title above the plot");
  cmd->add_option("--favours", args->favours,
                  "Labels under the axis, left|right of the reference line, e.g. "
                  "\"Favours resection|Favours no resection\"");
  cmd->add_option("--xlim", args->xlim,
                  "Axis limits on the display scale, e.g. 0.1,10 (CIs beyond them end in arrows)")
      ->expected(2)
      ->delimiter(',');
  cmd->add_option("--ref", args->ref,
                  "Reference line (display scale; default 1 for ratios, else 0)");
  cmd->add_option("--xlab", args->xlab,
                  "Axis title (default e.g. \"Risk ratio (log scale)\"; \"\" for none)");
  cmd->add_option("--decimals", args->decimals,
                  "Decimals of estimates and CIs (default 2 for ratios; 2 to 4 for other measures, "
                  "as the narrowest CI needs)")
      ->check(CLI::Range(0, 6));
  cmd->add_option("--font-size", args->font_size, "Font size in points (default 9)")
      ->check(CLI::Range(4.0, 40.0));
  cmd->add_flag("--no-stats", args->no_stats, "Leave out the heterogeneity and test lines");
  cmd->add_option("--max-rows", args->max_rows,
                  "Split the plot over pages of at most N rows: one multi-page PDF, or numbered "
                  "SVG/PNG files (forest-1.svg, forest-2.svg, ...); 0: one page (default)");
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  args->size.add_to(*cmd);
  cmd->callback([args, &action] { action = [args] { return run_forest(*args); }; });
}

}  // namespace srma::cli
