// The files of web/assets/, built into the binary (src/web/embed_assets.cmake writes their bytes).
#pragma once

#include <string_view>
#include <vector>

namespace srma::web::detail {

struct embedded_asset {
  std::string_view name;   ///< "app.js"
  std::string_view bytes;  ///< the file's content
};

/// Every asset, by name in byte order.
[[nodiscard]] const std::vector<embedded_asset>& embedded_assets();

/// The asset called `name`, or nullptr.
[[nodiscard]] const embedded_asset* find_asset(std::string_view name);

/// The content type of a file name by its extension ("text/html; charset=utf-8", ...).
[[nodiscard]] std::string_view content_type_of(std::string_view name);

}  // namespace srma::web::detail
