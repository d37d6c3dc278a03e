#include "srma/util/text.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace srma::detail {

std::optional<double> parse_double(std::string_view s, bool decimal_comma) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::string buf;
  if (decimal_comma && s.find(',') != std::string_view::npos) {
    if (s.find('.') != std::string_view::npos) return std::nullopt;  // "1.234,5" is ambiguous
    buf.assign(s);
    std::replace(buf.begin(), buf.end(), ',', '.');
    s = buf;
  }
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double value = 0;
  const auto* first = s.data();
  const auto* last = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace srma::detail
