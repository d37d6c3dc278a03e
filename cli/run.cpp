// srma run PLAN.toml -o DIR: the whole review from its analysis plan, as a report.
#include "srma/run/run.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/run/plan.hpp"

namespace srma::cli {
namespace {

struct run_args {
  std::string plan;
  std::string output = "report";
  bool timestamp = false;
  bool allow_outside = false;
  bool force = false;
};

int run_run(const run_args& args) {
  auto p = read_plan(args.plan);
  if (!p) return report_error(p.error(), hint_style::plan);
  run_options o;
  o.output_dir = args.output;
  o.timestamp = args.timestamp;
  o.allow_outside = args.allow_outside;
  o.force = args.force;
  if (isatty(STDERR_FILENO)) {
    o.progress = [](std::string_view what, std::size_t done, std::size_t total) {
      const int width = 30;
      const int filled = static_cast<int>(width * static_cast<double>(done) /
                                          static_cast<double>(std::max<std::size_t>(total, 1)));
      fmt::print(stderr, "\r{:<18} [{:=<{}}{:<{}}] {}/{}", what, "", filled, "", width - filled,
                 done, total);
      if (done >= total) fmt::print(stderr, "\n");
    };
  }
  auto r = run_plan(*p, o);
  if (!r) return report_error(r.error(), hint_style::plan);
  for (const auto& w : r->warnings) fmt::print(stderr, "srma: warning: {}\n", w);
  std::fflush(stderr);
  std::size_t ran = 0;
  for (const auto& a : r->analyses) ran += a.ran ? 1 : 0;
  fmt::print("Report: {}\n", r->html_path);
  fmt::print("Also: {}, {}, figures/ and tables/ in {}\n", r->markdown_path, r->json_path,
             args.output);
  fmt::print("Analyses run: {} of {}\n", ran, r->analyses.size());
  for (const auto& a : r->analyses)
    if (!a.ran) fmt::print("  not run: {}: {}\n", a.id, a.reason);
  if (!r->checks.empty()) {
    std::size_t passed = 0, compared = 0;
    for (const auto& c : r->checks) {
      passed += c.passed ? 1 : 0;
      compared += c.published.empty() ? 0 : 1;
    }
    fmt::print("Published results reproduced: {} of {}{}\n", passed, r->checks.size(),
               compared < r->checks.size()
                   ? fmt::format(" ({} could not be compared)", r->checks.size() - compared)
                   : "");
    for (const auto& c : r->checks) {
      const std::string what =
          c.check.analysis + (c.check.subgroup.empty() ? "" : " / " + c.check.subgroup);
      if (c.published.empty()) {
        fmt::print("  n/a  {}: not compared ({})\n", what, c.reason);
      } else {
        fmt::print("  {} {}: published {}, srma {}{}\n", c.passed ? "ok  " : "DIFF", what,
                   c.published, c.reproduced, c.passed ? "" : " (" + c.reason + ")");
      }
    }
  }
  if (!r->headline.empty()) fmt::print("Main result: {}\n", r->headline);
  return exit_code::ok;
}

}  // namespace

void add_run_command(CLI::App& app, std::function<int()>& action) {
  auto args = std::make_shared<run_args>();
  auto* cmd = app.add_subcommand(
      "run",
      "Run an analysis plan (TOML) and write the report: HTML, Markdown, results.json, "
      "figures and tables");
  cmd->add_option("plan", args->plan, "The analysis plan, e.g. examples/pignon2000/plan.toml")
      ->required();
  cmd->add_option("-o,--output", args->output, "Folder for the report (default: report)");
  cmd->add_flag("--timestamp", args->timestamp,
                "Write the date and time into the report (the output is then no longer "
                "byte-identical between runs)");
  cmd->add_flag("--force", args->force,
                "Write the report into a folder that holds other files (they are left alone)");
  cmd->add_flag("--allow-outside", args->allow_outside,
                "Read data files that the plan names outside its own folder (refused by "
                "default: a plan may come from someone else)");
  cmd->callback([args, &action] { action = [args] { return run_run(*args); }; });
}

}  // namespace srma::cli
