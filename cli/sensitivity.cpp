// srma leave1out | cumulative | influence: sensitivity analyses of the pooled model, as text or
// JSON, and optionally as figures: the leave-one-out and cumulative forest plots (-o), the Baujat
// plot and the influence panels (--baujat, --plot). The statistics live in srma::core and the
// figures in srma::plot; this file parses, calls, writes and prints.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "srma/plot/baujat.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/influence_plot.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/refit_forest.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct sensitivity_args : analysis_args {
  bool json = false;
  std::string order;
  std::string output;  // leave1out, cumulative: the forest plot
  std::string baujat;  // influence: the Baujat plot
  std::string panels;  // influence: the influence panels
  std::string favours;
  std::string title;
  std::vector<double> xlim;  // leave1out, cumulative: the forest plot's axis
  figure_size_args size;
  double dpi = 150;
};

// The output files asked for, checked before any work: a known extension and a valid --dpi.
expected<void> check_outputs(const sensitivity_args& args) {
  for (const auto* path : {&args.output, &args.baujat, &args.panels}) {
    if (path->empty()) continue;
    if (auto f = plot::format_from_path(*path); !f) return unexpected(f.error());
  }
  const plot::render_options render{.dpi = args.dpi};
  if (auto msg = render.validate(); !msg.empty()) return fail(srma::errc::plot_bad_options, msg);
  return {};
}

// A forest plot of refits with the --title and --favours of the command line.
expected<plot::drawing> refit_figure(plot::forest_plot fp, const sensitivity_args& args) {
  if (!args.title.empty()) fp.options.title = args.title;
  if (auto f = fp.options.set_favours(args.favours); !f) return unexpected(f.error());
  if (!args.xlim.empty()) {
    fp.options.axis_min = args.xlim[0];
    fp.options.axis_max = args.xlim[1];
  }
  if (auto ok = args.size.apply(args.dpi, fp.options.width, fp.options.height); !ok) {
    return unexpected(ok.error());
  }
  return plot::draw_forest(fp.rows, fp.options);
}

template <typename Result>
std::vector<std::pair<std::string, expected<plot::drawing>>> figures_of(
    const Result& r, const sensitivity_args& args) {
  std::vector<std::pair<std::string, expected<plot::drawing>>> out;
  if constexpr (std::is_same_v<Result, leave1out_result>) {
    if (!args.output.empty())
      out.emplace_back(args.output, refit_figure(plot::leave1out_forest(r), args));
  } else if constexpr (std::is_same_v<Result, cumulative_result>) {
    if (!args.output.empty())
      out.emplace_back(args.output, refit_figure(plot::cumulative_forest(r), args));
  } else {
    if (!args.baujat.empty()) {
      plot::baujat_options o;
      o.title = args.title;
      if (auto ok = args.size.apply(args.dpi, o.width, o.height); !ok) {
        out.emplace_back(args.baujat, unexpected(ok.error()));
      } else {
        out.emplace_back(args.baujat, plot::draw_baujat(plot::baujat_points(r), o));
      }
    }
    if (!args.panels.empty()) {
      plot::influence_plot_options o;
      o.title = args.title;
      if (auto ok = args.size.apply(args.dpi, o.width, o.height); !ok) {
        out.emplace_back(args.panels, unexpected(ok.error()));
      } else {
        out.emplace_back(args.panels, plot::draw_influence(r, o));
      }
    }
  }
  return out;
}

// Loads, runs `analyse`, writes the figures asked for and prints its text or JSON; nothing is
// printed and no figure is written on error.
template <typename Analyse>
int run(const sensitivity_args& args, Analyse analyse) {
  if (auto ok = check_outputs(args); !ok) return report_error(ok.error());
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  // As srma pool: Mantel-Haenszel or Peto only for 2x2 counts (leave-one-out and cumulative
  // analyses then refit by that method; influence diagnostics refit inverse variance).
  auto options = args.pooling_for(*studies);
  if (!options) return report_error(options.error());
  auto r = analyse(*studies, *options);
  if (!r) return report_error(r.error());
  auto figures = figures_of(*r, args);
  for (const auto& [path, fig] : figures) {
    if (!fig) return report_error(fig.error());
  }
  const plot::render_options render{.dpi = args.dpi};
  for (const auto& [path, fig] : figures) {
    if (auto ok = plot::save(*fig, path, render); !ok) return report_error(ok.error());
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

CLI::App* add_command(CLI::App& app, const char* name, const char* help,
                      const std::shared_ptr<sensitivity_args>& args) {
  auto* cmd = app.add_subcommand(name, help);
  args->add_to(*cmd);
  cmd->add_flag("--json", args->json, "Print one JSON object (docs/json-schema.md)");
  return cmd;
}

void add_forest_options(CLI::App* cmd, sensitivity_args& args) {
  cmd->add_option("-o,--output", args.output,
                  "Also write the forest plot: .svg, .pdf or .png (text or JSON still printed)");
  cmd->add_option("--favours", args.favours,
                  "Labels under the axis, left|right of the reference line, e.g. "
                  "\"Favours vaccine|Favours control\"");
  cmd->add_option("--title", args.title, "Title above the figure");
  cmd->add_option("--xlim", args.xlim,
                  "Axis limits on the display scale, e.g. 0.5,1.5 (CIs beyond them end in arrows)")
      ->expected(2)
      ->delimiter(',');
  args.size.add_to(*cmd);
  cmd->add_option("--dpi", args.dpi, "PNG resolution in dots per inch (default 150)");
}

}  // namespace

void add_sensitivity_commands(CLI::App& app, std::function<int()>& action) {
  {
    auto args = std::make_shared<sensitivity_args>();
    auto* cmd = add_command(app, "leave1out",
                            "Leave-one-out analysis: the model refitted without each study", args);
    args->add_method_to(*cmd);
    add_forest_options(cmd, *args);
    cmd->callback([args, &action] {
      action = [args] {
        return run(*args,
                   [](const study_table& s, const pool_options& o) { return leave1out(s, o); });
      };
    });
  }
  {
    auto args = std::make_shared<sensitivity_args>();
    auto* cmd = add_command(app, "cumulative",
                            "Cumulative meta-analysis: studies added one at a time", args);
    cmd->add_option("--order", args->order,
                    "Column to order the studies by (e.g. year); default: input order");
    args->add_method_to(*cmd);
    add_forest_options(cmd, *args);
    cmd->callback([args, &action] {
      action = [args] {
        return run(*args, [&](const study_table& s, const pool_options& o) {
          return cumulative(s, args->order, o);
        });
      };
    });
  }
  {
    auto args = std::make_shared<sensitivity_args>();
    auto* cmd = add_command(app, "influence",
                            "Influence diagnostics (residuals, DFFITS, Cook's distance, ...) and "
                            "Baujat coordinates",
                            args);
    cmd->add_option("--baujat", args->baujat, "Also write the Baujat plot: .svg, .pdf or .png");
    cmd->add_option("--plot", args->panels,
                    "Also write the influence panels (one per diagnostic): .svg, .pdf or .png");
    cmd->add_option("--title", args->title, "Title above the figures");
    args->size.add_to(*cmd, "Figures: ");
    cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
    cmd->callback([args, &action] {
      action = [args] {
        return run(*args,
                   [](const study_table& s, const pool_options& o) { return influence(s, o); });
      };
    });
  }
}

}  // namespace srma::cli
