// srma gosh: the GOSH plot (I^2 against the pooled estimate of every subset of the studies) as
// SVG, PDF or PNG, with a suggested caption on standard output. Parsing, progress and files only:
// the subsets come from srma::gosh and the figure from srma::plot::draw_gosh.
#include "srma/sensitivity/gosh.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/plot/gosh_plot.hpp"
#include "srma/plot/output.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/limits.hpp"

namespace srma::cli {
namespace {

struct gosh_args : analysis_args {
  std::string output;
  std::size_t max_subsets = 1'000'000;
  std::uint64_t seed = 1;
  std::string highlight;
  std::size_t bin_above = 20000;
  bool no_histograms = false;
  std::string title;
  double dpi = 150;
};

// The study --highlight names: a label (exact, else ignoring case), else a number 1..k.
expected<std::size_t> find_study(const study_table& s, const std::string& name) {
  for (std::size_t i = 0; i < s.k(); ++i) {
    if (s.study[i] == name) return i;
  }
  for (std::size_t i = 0; i < s.k(); ++i) {
    if (s.study[i].size() == name.size() &&
        std::equal(name.begin(), name.end(), s.study[i].begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return i;
    }
  }
  if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos &&
      name.size() < 10) {
    const auto n = std::stoul(name);
    if (n >= 1 && n <= s.k()) return n - 1;
  }
  return fail(srma::errc::cli_bad_value,
              fmt::format("--highlight '{}': no such study; expected a study label ({}) or a "
                          "number from 1 to {}",
                          name, fmt::join(s.study, ", "), s.k()));
}

int run_gosh(const gosh_args& args) {
  if (auto f = plot::format_from_path(args.output); !f) return report_error(f.error());
  const plot::render_options render{.dpi = args.dpi};
  if (auto msg = render.validate(); !msg.empty())
    return report_error({srma::errc::plot_bad_options, msg, {}});
  auto studies = load_studies(args);
  if (!studies) return report_error(studies.error());
  auto options = args.pooling();
  if (!options) return report_error(options.error());

  plot::gosh_plot_options o;
  o.measure = studies->measure;
  o.title = args.title;
  o.bin_above = args.bin_above;
  o.histograms = !args.no_histograms;
  if (!args.highlight.empty()) {
    auto i = find_study(*studies, args.highlight);
    if (!i) return report_error(i.error());
    o.highlight = *i;
    o.highlight_label = studies->study[*i];
  }

  gosh_options g;
  g.max_subsets = args.max_subsets;
  g.seed = args.seed;
  if (isatty(STDERR_FILENO)) {
    g.progress = [](std::size_t done, std::size_t total) {
      const int width = 40;
      const int filled = static_cast<int>(width * static_cast<double>(done) /
                                          static_cast<double>(std::max<std::size_t>(total, 1)));
      fmt::print(stderr, "\r[{:=<{}}{:<{}}] {}/{}", "", filled, "", width - filled, done, total);
      if (done == total) fmt::print(stderr, "\n");
    };
  }
  auto r = gosh(studies->yi, studies->vi, *options, g);
  if (!r) return report_error(r.error());
  auto figure = plot::draw_gosh(*r, o);
  if (!figure) return report_error(figure.error());
  if (auto ok = plot::save(*figure, args.output, render); !ok) return report_error(ok.error());
  fmt::print("GOSH: {} {} subsets of {} studies{}.\n", r->exact ? "all" : "a random sample of",
             r->subsets(), r->k,
             r->failed > 0 ? fmt::format("; {} fits failed and are not drawn", r->failed) : "");
  for (const auto& n : r->notes) fmt::print("Note: {}\n", n);
  fmt::print("Suggested caption: {}\n", plot::gosh_caption(*r, o));
  return exit_code::ok;
}

}  // namespace

void add_gosh_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<gosh_args>();
  auto* cmd = app.add_subcommand(
      "gosh",
      "GOSH plot (SVG, PDF or PNG): I^2 against the pooled estimate of every subset of studies");
  args->add_to(*cmd);
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--max-subsets", args->max_subsets,
                  "Fit every subset when there are at most this many (2^k - 1), else this many "
                  "random subsets (default 1000000, as metafor)")
      ->check(CLI::Range(std::size_t{1}, limits::max_gosh_subsets));
  cmd->add_option("--seed", args->seed, "Seed of the random subsets (default 1)");
  cmd->add_option("--highlight", args->highlight,
                  "Study whose subsets are drawn in red (the others in blue): its label or "
                  "number");
  cmd->add_option("--bin-above", args->bin_above,
                  "Draw subsets as points up to this many, else bin them (default 20000)")
      ->check(CLI::Range(std::size_t{1}, limits::max_gosh_subsets));
  cmd->add_flag("--no-histograms", args->no_histograms, "Leave out the marginal histograms");
  cmd->add_option("--title", args->title, "Title above the plot");
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  cmd->callback([args, &action] { action = [args] { return run_gosh(*args); }; });
}

}  // namespace srma::cli
