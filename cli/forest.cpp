// srma forest: a forest plot of a pooled analysis (or, with --by, of a subgroup analysis) as
// SVG, PDF or PNG. Parsing and file handling only; the rows come from srma::plot::forest_from.
#include "srma/plot/forest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/model/subgroup.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

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
  std::string layout;
};

/// The studies left out as not estimable (double-zero 2x2 tables), read again with the
/// double-zero tables kept so that their rows show their counts; an empty table when there are
/// none.
expected<study_table> not_estimable_studies(const forest_args& args, const study_table& studies) {
  study_table none;
  if (studies.excluded.empty() || studies.kind != input_kind::two_by_two) return none;
  auto ro = args.reading();
  if (!ro) return unexpected(ro.error());
  ro->zero_cells.double_zero = double_zero_policy::keep;
  ro->missing = missing_policy::exclude;
  auto all = read_studies(args.file, *ro);
  if (!all) return none;  // the analysed table stands; the rows are only left out
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < all->k(); ++i) {
    const bool excluded = std::any_of(
        studies.excluded.begin(), studies.excluded.end(),
        [&](const excluded_study& x) { return i < all->line.size() && x.line == all->line[i]; });
    if (!excluded) continue;
    auto value = [&](const char* name) {
      const int a = all->attribute_index(name);
      auto v = a < 0 ? std::nullopt
                     : detail::parse_double(all->attributes[static_cast<std::size_t>(a)][i]);
      return v ? *v : -1.0;
    };
    if (is_double_zero_2x2(value("events_t"), value("n_t"), value("events_c"), value("n_c")))
      rows.push_back(i);
  }
  return all->subset(rows);
}

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
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  // `--pi` alone asks for the prediction interval row with the preset's method.
  const bool show_pi = args.pi_opt->count() > 0;
  if (show_pi && args.pi.empty()) args.pi_opt->clear();

  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling_for(*studies);
  if (!options) return report_error(options.error());

  plot::forest_content content;
  content.columns = args.columns;
  if (!args.layout.empty()) {
    auto l = plot::parse_forest_layout(args.layout);
    if (!l) {
      return report_error({srma::errc::plot_bad_options,
                           fmt::format("--layout {}: unknown layout; expected srma, revman5, jama "
                                       "or lancet",
                                       args.layout),
                           {}});
    }
    content.layout = *l;
  } else if (detail::iequals(args.preset, "revman5")) {
    content.layout = plot::forest_layout::revman5;
  }
  content.prediction_interval = show_pi;
  content.heterogeneity = !args.no_stats;
  content.overall_test = !args.no_stats;
  content.sort_by(args.sort);

  expected<plot::forest_plot> fp = fail(srma::errc::plot_bad_data, "no analysis");
  std::vector<std::string> notes;
  // Double-zero studies as "Not estimable" rows, in subgroup forests too (in their subgroup).
  auto ne = not_estimable_studies(args, *studies);
  if (!ne) return report_error(ne.error());
  content.not_estimable = std::move(*ne);
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
  cmd->add_option("--layout", args->layout,
                  "Layout: srma (default), revman5 (RevMan 5's columns, totals and footer; the "
                  "default with --preset revman5), jama or lancet");
  cmd->add_option("--max-rows", args->max_rows,
                  "Split the plot over pages of at most N rows: one multi-page PDF, or numbered "
                  "SVG/PNG files (forest-1.svg, forest-2.svg, ...); 0: one page (default)");
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  args->size.add_to(*cmd);
  cmd->callback([args, &action] { action = [args] { return run_forest(*args); }; });
}

}  // namespace srma::cli
