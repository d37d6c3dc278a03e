// Private XML helpers of the PubMed and EndNote XML readers: loading with located errors, the
// text of mixed content, every element flattened into (path, value) pairs, the raw text of one
// element.
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "srma/util/expected.hpp"

namespace srma::detail {

/// Parses `text` (UTF-8) into `doc`, keeping white-space-only text so mixed content keeps its
/// spaces. Errors: srma.review.E624 with the line and column of the problem.
expected<void> load_xml(pugi::xml_document& doc, std::string_view text, const std::string& source);

/// All text inside `node` (text nodes and CDATA of every descendant, in document order), white
/// space collapsed: `a fast-acting &#946;<sub>2</sub>-agonist` -> "a fast-acting β2-agonist".
std::string xml_text(pugi::xml_node node);

/// Appends (path, value) for every attribute (`path@name`) and every leaf element of `node`
/// (an element with text of its own, or whose children are only inline markup such as <sub>,
/// <i> or EndNote's <style>), with paths relative to `node` joined by '/'.
void flatten_xml(pugi::xml_node node, const std::string& path,
                 std::vector<std::pair<std::string, std::string>>& out);

/// The text of element `node` as in the file, from its '<' to the end of its closing tag.
std::string_view xml_raw(std::string_view text, pugi::xml_node node);

/// Byte offset of element `node`'s '<' in the parsed text.
std::size_t xml_offset(pugi::xml_node node);

}  // namespace srma::detail
