// Looking up the embedded assets and their content types.
#include "assets.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace srma::web::detail {

const embedded_asset* find_asset(std::string_view name) {
  const auto& all = embedded_assets();
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& a) { return a.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::string_view content_type_of(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> types = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [ext, type] : types) {
    if (name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace srma::web::detail
