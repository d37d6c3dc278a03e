// SHA-256 of bytes as lower-case hex (private), through OpenSSL's EVP interface: reports record
// the hash of the plan and of every data file for reproducibility.
#pragma once

#include <string>
#include <string_view>

namespace srma::detail {

std::string sha256_hex(std::string_view bytes);

}  // namespace srma::detail
