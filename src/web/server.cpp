// `srma serve` on cpp-httplib: turns its requests into srma::web::raw_request for the web app.
#include "srma/web/server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <thread>

#include "srma/project/project.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/web/app.hpp"

namespace srma::web {
namespace {

std::atomic<bool> stop_requested{false};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

raw_request to_raw(const httplib::Request& in) {
  raw_request r;
  r.method = in.method;
  r.path = in.path;
  r.body = in.body;
  for (const auto& [k, v] : in.params) r.query.emplace(k, v);
  for (const auto& [k, v] : in.headers) r.headers.emplace(lower(k), v);
  return r;
}

void write(const response& res, httplib::Response& out) {
  out.status = res.status;
  for (const auto& [k, v] : res.headers) out.set_header(k, v);
  out.set_content(res.body, res.content_type);
}

}  // namespace

std::string server_options::validate() const {
  if (port < 0 || port > 65535) return fmt::format("port is {}, but must be 0 to 65535", port);
  if (host.empty()) return "host is empty";
  if (max_body < 1024) return "the request size limit must be at least 1024 bytes";
  if (threads < 1) return "threads must be at least 1";
  return {};
}

bool is_loopback_host(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

void stop_server() { stop_requested = true; }

expected<void> run_server(const server_options& options,
                          const std::function<void(const std::string& url)>& on_listening) {
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::web_cannot_listen, msg);
  auto project = project::review_project::open(options.project);
  if (!project) return unexpected(project.error());
  web_app app(*project,
              {.local_sign_in = is_loopback_host(options.host), .max_body = options.max_body});
  httplib::Server server;
  const auto threads = static_cast<std::size_t>(options.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  // A connection gives its worker back after 100 requests, so that no browser keeps one for
  // ever while others wait for a worker.
  server.set_keep_alive_max_count(100);
  // Replies go out at once: without TCP_NODELAY, Nagle and delayed ACKs hold each small response
  // on a kept-alive connection for about 40 ms (measured: 42 ms vs 2.3 ms per request).
  server.set_tcp_nodelay(true);
  server.set_keep_alive_timeout(2);
  auto handler = [&app](const httplib::Request& in, httplib::Response& out) {
    write(app.handle(to_raw(in)), out);
  };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  // Bodies above the limit: httplib answers 413 itself; say why in the same JSON as the app.
  server.set_error_handler([&options](const httplib::Request&, httplib::Response& out) {
    if (out.status == 413) {
      out.set_content(fmt::format(R"({{"error":{{"id":"{}","message":"the request body is )"
                                  R"(larger than the {} bytes accepted"}}}})",
                                  errc::web_too_large, options.max_body),
                      "application/json");
    }
  });
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) {
      return fail(errc::web_cannot_listen, fmt::format("cannot listen on {}", options.host));
    }
  } else if (!server.bind_to_port(options.host, port)) {
    return fail(errc::web_cannot_listen,
                fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                            options.host, port));
  }
  stop_requested = false;
  std::thread watcher([&server] {
    while (!stop_requested) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.stop();
  });
  const bool v6 = options.host.find(':') != std::string::npos;
  on_listening(fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", options.host, v6 ? "]" : "", port));
  // listen_after_bind returns when stop() is called, after the requests in progress finish.
  server.listen_after_bind();
  stop_requested = true;
  watcher.join();
  return {};
}

}  // namespace srma::web
