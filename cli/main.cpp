// srma: systematic review and meta-analysis from the command line.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <functional>

#include "commands.hpp"
#include "common.hpp"
#include "srma/plot/backend.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"
#include "srma/util/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"srma: systematic review and meta-analysis, end to end", "srma"};
  app.set_version_flag("--version", std::string(srma::version()));
  app.require_subcommand(1);
  std::function<int()> action;
  srma::cli::add_pool_command(app, action);
  srma::cli::add_forest_command(app, action);
  srma::cli::add_radial_command(app, action);
  srma::cli::add_labbe_command(app, action);
  srma::cli::add_qqnorm_command(app, action);
  srma::cli::add_drapery_command(app, action);
  srma::cli::add_funnel_command(app, action);
  srma::cli::add_sensitivity_commands(app, action);
  srma::cli::add_bias_command(app, action);
  srma::cli::add_metareg_commands(app, action);
  srma::cli::add_run_command(app, action);
  srma::cli::add_gosh_command(app, action);
  srma::cli::add_prisma_command(app, action);
  srma::cli::add_km_command(app, action);
  srma::cli::add_review_command(app, action);
  srma::cli::add_batch_command(app, action);
  srma::cli::add_serve_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // As every other error: "srma: error: [id] message", the argument shown, never raw bytes.
    fmt::print(stderr, "srma: error: [{}] {}\nRun with --help for more information.\n",
               srma::errc::cli_usage, srma::detail::printable(e.what(), 2000));
    return srma::cli::exit_code::usage;
  }
  try {
    return action ? action() : srma::cli::exit_code::usage;
  } catch (const srma::plot::backend_error& e) {
    // The figure module could not be loaded (cli/figures.cpp): a figure was asked for, so the
    // command fails as any other output error does, before it writes anything.
    return srma::cli::report_error(e.error());
  } catch (const std::exception& e) {
    fmt::print(stderr, "srma: internal error: {}\n", e.what());
    return srma::cli::exit_code::internal;
  }
}
