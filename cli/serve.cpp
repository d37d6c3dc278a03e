// srma serve: the review team's web app on the project's own database (issue 16).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "srma/web/server.hpp"

namespace srma::cli {
namespace {

extern "C" void on_stop_signal(int /*signal*/) { srma::web::stop_server(); }

int run_serve(const srma::web::server_options& o) {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  auto done = srma::web::run_server(o, [&o](const std::string& url) {
    fmt::print("srma serve: {} on {}\n", o.project.string(), url);
    if (srma::web::is_loopback_host(o.host)) {
      fmt::print("Open {} and choose your name (only this machine can reach it).\n", url);
    } else {
      fmt::print("Reviewers sign in with the link `srma review reviewer add NAME` prints.\n");
    }
    fmt::print("Press Ctrl-C to stop.\n");
    std::fflush(stdout);
  });
  if (!done) return report_error(done.error());
  fmt::print("srma serve: stopped\n");
  return exit_code::ok;
}

}  // namespace

void add_serve_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<srma::web::server_options>();
  o->project = ".";
  auto* cmd = app.add_subcommand("serve", "The review team's web app on a review project");
  cmd->add_option("--project", o->project, "Project folder (default: the current folder)");
  cmd->add_option("--port", o->port, "Port (default 8080; 0: any free port)");
  cmd->add_option("--host", o->host,
                  "Address to listen on (default 127.0.0.1: this machine only; any other "
                  "address lets reviewers in by sign-in link only)");
  cmd->add_option("--max-body", o->max_body, "Largest request body in bytes (default 1 MiB)");
  cmd->add_option("--threads", o->threads, "Worker threads (default 64)");
  cmd->callback([&action, o] { action = [o] { return run_serve(*o); }; });
}

}  // namespace srma::cli
