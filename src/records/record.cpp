// Names of the record formats.
#include "srma/records/record.hpp"

#include <array>

namespace srma {
namespace {

constexpr std::array<std::pair<record_format, std::string_view>, 5> k_formats = {{
    {record_format::ris, "ris"},
    {record_format::medline, "medline"},
    {record_format::pubmed_xml, "pubmed_xml"},
    {record_format::endnote_xml, "endnote_xml"},
    {record_format::csv, "csv"},
}};

}  // namespace

std::string_view to_string(record_format f) {
  for (const auto& [e, name] : k_formats)
    if (e == f) return name;
  return "ris";
}

std::optional<record_format> parse_record_format(std::string_view text) {
  for (const auto& [e, name] : k_formats)
    if (name == text) return e;
  return std::nullopt;
}

}  // namespace srma
