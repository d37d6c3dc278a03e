// File: srma/web/http.hpp
//
// The request and response of `srma serve` as plain values, so that each page's handler can be
// called and tested without a socket (the server turns cpp-httplib's objects into these).
//
// Example:
//
//   srma::web::request req{.method = "GET", .path = "/api/analysis/studies"};
//   srma::web::response res = srma::web::handle_analysis(project, req);
//   // res.status == 200, res.content_type == "application/json"
#pragma once

#include <map>
#include <string>

namespace srma::web {

/// One HTTP request, after sign-in, CSRF and size checks.
struct request {
  std::string method;                        ///< "GET", "POST", "PUT", ...
  std::string path;                          ///< e.g. "/api/analysis/run" (no query string)
  std::string body;                          ///< the request body as sent
  std::map<std::string, std::string> query;  ///< decoded query parameters
  std::string reviewer;                      ///< the signed-in reviewer's name
};

/// One HTTP response.
struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  ///< extra headers (e.g. Content-Disposition)
};

}  // namespace srma::web
