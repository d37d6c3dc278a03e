// srma prisma: the PRISMA 2020 flow diagram of a PRISMA2020-app CSV file as SVG, PDF or PNG. The
// counts (completed where boxes follow from the others) go to standard output, the
// inconsistencies that review::check() finds to standard error. Parsing and files only: the
// counts come from srma::review and the figure from srma::plot::draw_prisma.
#include "srma/plot/prisma.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/plot/output.hpp"
#include "srma/review/prisma.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::cli {
namespace {

struct prisma_args {
  std::string file;
  std::string output;
  std::string title;
  bool as_given = false;
  double font_size = 9;
  double dpi = 150;
};

// The counts as a two-column list in the template's order; derived boxes are marked.
std::string counts_text(const review::prisma_counts& c) {
  std::string out =
      fmt::format("PRISMA 2020 counts{}\n", c.source.empty() ? std::string() : ": " + c.source);
  std::size_t width = 0;
  for (auto b : review::all_prisma_boxes())
    width = std::max(width, review::prisma_box_id(b).size());
  for (auto b : review::all_prisma_boxes()) {
    const auto n = c.count(b);
    out += fmt::format("  {:<{}}  {:>6}{}\n", review::prisma_box_id(b), width,
                       n ? std::to_string(*n) : std::string("?"),
                       c.is_derived(b) ? "  (derived)" : "");
    if (review::is_prisma_list(b)) {
      for (const auto& e : c.list(b)) out += fmt::format("      {}: {}\n", e.name, e.n);
    }
  }
  if (!c.derived.empty()) {
    out += "Derived from the other boxes:\n";
    for (const auto& d : c.derived) out += fmt::format("  {}\n", d.explanation);
  }
  return out;
}

int run_prisma(const prisma_args& args) {
  const auto rendered = figure_render(args.output, args.dpi);
  if (!rendered) return report_error(rendered.error());
  const plot::render_options& render = *rendered;
  auto counts = review::read_prisma_csv(args.file);
  if (!counts) return report_error(counts.error());
  const auto full = args.as_given ? *counts : review::complete(*counts);
  plot::prisma_options o;
  o.title = args.title;
  o.complete = false;  // already done (or not wanted)
  o.font_size = args.font_size;
  auto figure = plot::draw_prisma(full, o);
  if (!figure) return report_error(figure.error());
  if (auto ok = plot::save(*figure, args.output, render); !ok) return report_error(ok.error());
  fmt::print("{}", counts_text(full));
  for (const auto& n : full.notes) fmt::print(stderr, "srma: note: {}\n", n);
  for (const auto& issue : review::check(full)) {
    fmt::print(stderr, "srma: warning: {}\n", issue.message);
  }
  return exit_code::ok;
}

}  // namespace

void add_prisma_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<prisma_args>();
  auto* cmd = app.add_subcommand(
      "prisma", "PRISMA 2020 flow diagram (SVG, PDF or PNG) from a PRISMA2020-app CSV file");
  cmd->add_option("file", args->file, "CSV file of the PRISMA2020 app (columns data, n, ...)")
      ->required();
  cmd->add_option("-o,--output", args->output, "Output file: .svg, .pdf or .png")->required();
  cmd->add_option("--title", args->title, "Title above the diagram");
  cmd->add_flag("--as-given", args->as_given,
                "Draw the counts as given: do not fill the boxes that follow from the others");
  cmd->add_option("--font-size", args->font_size, "Font size in points (default 9)")
      ->check(CLI::Range(4.0, 40.0));
  cmd->add_option("--dpi", args->dpi, "PNG resolution in dots per inch (default 150)");
  cmd->callback([args, &action] { action = [args] { return run_prisma(*args); }; });
}

}  // namespace srma::cli
