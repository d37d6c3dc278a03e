// XML helpers shared by the PubMed XML and EndNote XML readers (pugixml).
#include "xml_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "import_detail.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::detail {
namespace {

void collect_text(pugi::xml_node node, std::string& out) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    const auto type = child.type();
    if (type == pugi::node_pcdata || type == pugi::node_cdata) {
      out += child.value();
    } else if (type == pugi::node_element) {
      collect_text(child, out);
    }
  }
}

// Markup inside running text: PubMed's <i>, <b>, <sup>, <sub>, <u>, MathML; EndNote's <style>.
bool is_inline(const char* name) {
  static constexpr const char* k_inline[] = {"i", "b", "u", "sup", "sub", "em", "strong", "style"};
  for (const char* n : k_inline)
    if (std::strcmp(name, n) == 0) return true;
  return std::strncmp(name, "mml:", 4) == 0 || std::strcmp(name, "math") == 0;
}

bool is_leaf(pugi::xml_node node) {
  bool has_elements = false;
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    const auto type = child.type();
    if ((type == pugi::node_pcdata || type == pugi::node_cdata) && !is_blank(child.value())) {
      return true;  // mixed content: the element is one value
    }
    if (type == pugi::node_element && !is_inline(child.name())) has_elements = true;
  }
  return !has_elements;
}

}  // namespace

expected<void> load_xml(pugi::xml_document& doc, std::string_view text, const std::string& source) {
  const auto result = doc.load_buffer(
      text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
  if (result) return {};
  const auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(result.offset, 0));
  const std::size_t at = std::min(offset, text.size());
  const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  const std::size_t from = line_start == std::string_view::npos || at == 0 ? 0 : line_start + 1;
  int line = 1;
  for (std::size_t i = 0; i < from; ++i)
    if (text[i] == '\n') ++line;
  int column = 1;  // in characters: count the UTF-8 lead bytes before the offset
  for (std::size_t i = from; i < at; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  // pugixml reports a file cut short as an element left open at (or just before) its end.
  if (at >= text.size() || text.find('<', at + 1) == std::string_view::npos) {
    return fail(errc::records_bad_xml,
                "the XML ends before its elements are closed: the file is truncated; expected a "
                "complete XML export",
                {source, line, column});
  }
  const bool mismatch = result.status == pugi::status_end_element_mismatch ||
                        result.status == pugi::status_bad_end_element;
  return fail(errc::records_bad_xml,
              fmt::format("the XML is not well-formed: {}{}; expected a complete XML export",
                          result.description(), mismatch ? " (is the file damaged?)" : ""),
              {source, line, column});
}

std::string xml_text(pugi::xml_node node) {
  std::string out;
  collect_text(node, out);
  return collapse_space(out);
}

void flatten_xml(pugi::xml_node node, const std::string& path,
                 std::vector<std::pair<std::string, std::string>>& out) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    out.emplace_back(path + "@" + a.name(), a.value());
  }
  if (is_leaf(node)) {
    std::string value = xml_text(node);
    if (!value.empty()) out.emplace_back(path, std::move(value));
    return;
  }
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    flatten_xml(child, path.empty() ? std::string(child.name()) : path + "/" + child.name(), out);
  }
}

std::size_t xml_offset(pugi::xml_node node) {
  const std::ptrdiff_t name_at = node.offset_debug();  // offset of the name, after '<'
  return name_at > 0 ? static_cast<std::size_t>(name_at - 1) : 0;
}

std::string_view xml_raw(std::string_view text, pugi::xml_node node) {
  const std::size_t start = std::min(xml_offset(node), text.size());
  const std::string close = std::string("</") + node.name() + ">";
  const std::size_t end = text.find(close, start);
  if (end == std::string_view::npos) {
    const std::size_t gt = text.find("/>", start);  // an empty element
    return text.substr(start, gt == std::string_view::npos ? 0 : gt + 2 - start);
  }
  return text.substr(start, end + close.size() - start);
}

}  // namespace srma::detail
