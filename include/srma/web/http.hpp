// File: srma/web/http.hpp
//
// A request and a response of `srma serve`, as plain values, so that each page's handler is a pure
// function of the project and the request, testable without a socket. The server (src/web) turns
// cpp-httplib's requests into these after it has checked the session, the CSRF token and the size,
// and fills `reviewer` with the signed-in reviewer's name.
//
// Example:
//
//   srma::web::request req{.method = "GET", .path = "/api/analysis/pool"};
//   req.query["tau2"] = "reml";
//   srma::web::response res = srma::web::handle_analysis(project, req);
//   // res.status == 200, res.content_type == "application/json"
#pragma once

#include <map>
#include <string>

namespace srma::web {

/// A request after sign-in, CSRF and size checks.
struct request {
  std::string method;                        ///< "GET", "POST"
  std::string path;                          ///< "/api/analysis/pool" (no query string)
  std::string body;                          ///< the request body (JSON for POSTs of the pages)
  std::map<std::string, std::string> query;  ///< query parameters, decoded
  std::string reviewer;                      ///< the signed-in reviewer's name
};

/// What a handler answers.
struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  ///< extra headers (Content-Disposition, ...)
};

}  // namespace srma::web
