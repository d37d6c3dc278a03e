#include "srma/util/expected.hpp"

#include <fmt/format.h>

namespace srma {

std::string error::what() const {
  std::string place;
  if (!where.file.empty()) {
    place = where.file;
    if (where.line > 0) place += fmt::format(":{}", where.line);
    if (where.line > 0 && where.column > 0) place += fmt::format(":{}", where.column);
    place += ": ";
  } else if (where.line > 0) {
    place = fmt::format("line {}: ", where.line);
  }
  return fmt::format("[{}] {}{}", id, place, message);
}

std::string error::family() const {
  // "srma.<family>.E123"
  const auto first = id.find('.');
  const auto second = id.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return "";
  return id.substr(first + 1, second - first - 1);
}

}  // namespace srma
