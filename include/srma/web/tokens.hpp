// File: srma/web/tokens.hpp
//
// Secrets of `srma serve`: random tokens (sign-in links, session ids, CSRF tokens) from OpenSSL's
// RAND_bytes, and their SHA-256 hashes (OpenSSL EVP), which are all the project stores.
//
// Example:
//
//   std::string token = srma::web::random_token();    // 43 characters, URL-safe
//   std::string stored = srma::web::sha256_hex(token);  // 64 hex digits
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace srma::web {

/// `bytes` random bytes as unpadded base64url text (safe in a URL and a cookie). Throws
/// std::runtime_error when the system's random source fails (never expected).
[[nodiscard]] std::string random_token(std::size_t bytes = 32);

/// The SHA-256 digest of `text` as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view text);

/// The sign-in link of a token: "http://HOST:PORT/signin?token=TOKEN".
[[nodiscard]] std::string sign_in_link(const std::string& host, int port, const std::string& token);

}  // namespace srma::web
