// File: srma/web/app.hpp
//
// The web app of `srma serve` as a function from a raw request to a response, without a socket:
// sign-in (a one-time token, or choosing a name when the server listens on 127.0.0.1 only),
// sessions by cookie, a CSRF token on every POST, the size limit, the pages and their JSON API
// (screening, conflicts, de-duplication, extraction and quality; analysis through
// srma/web/analysis.hpp). Every change goes through the project layer's own calls
// (record_votes, record_pair_verdicts, record_extraction, record_quality), each one transaction
// committed before the response says OK. One mutex serialises the calls on the project.
//
// Example:
//
//   auto p = srma::project::review_project::open("nets-review");
//   srma::web::web_app app(*p, {.local_sign_in = true});
//   auto res = app.handle({.method = "GET", .path = "/api/me"});
//   // res.status == 401 (no session): body {"error": {"id": "srma.web.E950", ...}}
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "srma/project/project.hpp"
#include "srma/web/http.hpp"

namespace srma::web {

/// How the app lets people in.
struct app_options {
  /// Sign in by choosing a name (the person at the machine): only when the server listens on
  /// 127.0.0.1. Otherwise only a sign-in token lets anyone in.
  bool local_sign_in = true;
  /// Largest request body accepted, in bytes.
  std::size_t max_body = std::size_t{1} << 20U;
};

/// A request as it arrives, before any check.
struct raw_request {
  std::string method;  ///< "GET", "POST"
  std::string path;    ///< without the query string
  std::string body;
  std::map<std::string, std::string> query;    ///< decoded parameters
  std::map<std::string, std::string> headers;  ///< names in lower case ("cookie", ...)
};

/// The name of the session cookie.
inline constexpr char session_cookie[] = "srma_session";
/// The header every POST carries with the session's CSRF token.
inline constexpr char csrf_header[] = "x-csrf-token";

/// The app. Thread-safe: handle() may be called from many threads at once.
class web_app {
 public:
  web_app(project::review_project& project, app_options options);
  ~web_app();
  web_app(const web_app&) = delete;
  web_app& operator=(const web_app&) = delete;

  /// Answers one request. Never throws; every response carries the security headers
  /// (Content-Security-Policy "default-src 'self'", X-Frame-Options, nosniff, no-store).
  [[nodiscard]] response handle(const raw_request& req);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace srma::web
