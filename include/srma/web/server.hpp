// File: srma/web/server.hpp
//
// `srma serve`: the web app (srma/web/app.hpp) on cpp-httplib, listening on 127.0.0.1 unless told
// otherwise, until stop_server() is called (the command calls it on Ctrl-C or SIGTERM), after
// which requests in progress finish and the project is closed.
//
// Example:
//
//   auto ok = srma::web::run_server({.project = "nets-review", .port = 8080},
//                                   [](const std::string& url) { std::cout << url << '\n'; });
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "srma/util/expected.hpp"

namespace srma::web {

struct server_options {
  std::filesystem::path project;  ///< the project folder
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0: any free port (the address printed says which)
  std::size_t max_body = std::size_t{1} << 20U;
  /// Worker threads. cpp-httplib keeps a browser's keep-alive connection on one worker, so
  /// there should be more workers than browsers open at once (each reviewer holds one or two).
  int threads = 64;
  [[nodiscard]] std::string validate() const;
};

/// True when `host` is the local loopback address only (127.0.0.1, ::1, localhost), where the
/// person at the machine may sign in by choosing a name.
[[nodiscard]] bool is_loopback_host(const std::string& host);

/// Opens the project, listens, calls `on_listening` with the address to open, and serves until
/// stop_server(). Errors: those of review_project::open, srma.web.E956 (cannot listen).
expected<void> run_server(const server_options& options,
                          const std::function<void(const std::string& url)>& on_listening);

/// Asks the running server to stop (safe from a signal handler's thread via a flag polled by a
/// watcher thread; see src/web/server.cpp).
void stop_server();

}  // namespace srma::web
