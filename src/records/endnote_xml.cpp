// EndNote XML reader (File > Export > XML: <xml><records><record>...), through pugixml.
//
// Every value may be wrapped in <style face=... font=... size=...> elements (several when the
// formatting changes inside a title); the text of all of them is concatenated. Authors are
// contributors/authors/author; the title titles/title; the journal periodical/full-title, else
// titles/secondary-title; the DOI electronic-resource-num; the PMID accession-num when the record
// came from PubMed (remote-database-name or -provider naming PubMed, MEDLINE or NLM).
//
// Example:
//
//   std::vector<std::string> warnings;
//   auto records = srma::detail::parse_endnote_xml(text, "library.xml", warnings);
#include <fmt/format.h>

#include <cstring>

#include "import_detail.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"
#include "xml_util.hpp"

namespace srma::detail {
namespace {

std::string first_text(std::initializer_list<pugi::xml_node> nodes) {
  for (pugi::xml_node n : nodes) {
    std::string t = xml_text(n);
    if (!t.empty()) return t;
  }
  return {};
}

bool names_pubmed(std::string_view s) {
  const std::string l = to_lower(s);
  return l.find("pubmed") != std::string::npos || l.find("medline") != std::string::npos ||
         l.find("nlm") != std::string::npos;
}

void map_record(pugi::xml_node rec, bib_record& r) {
  const pugi::xml_node titles = rec.child("titles");
  const pugi::xml_node periodical = rec.child("periodical");
  for (pugi::xml_node a : rec.child("contributors").child("authors").children("author")) {
    std::string name = xml_text(a);
    if (!name.empty()) r.authors.push_back(std::move(name));
  }
  r.title = xml_text(titles.child("title"));
  r.journal =
      first_text({periodical.child("full-title"), titles.child("secondary-title"),
                  periodical.child("abbr-1"), rec.child("alt-periodical").child("full-title")});
  r.year = xml_text(rec.child("dates").child("year"));
  r.volume = xml_text(rec.child("volume"));
  r.issue = xml_text(rec.child("number"));
  r.pages = xml_text(rec.child("pages"));
  r.abstract = xml_text(rec.child("abstract"));
  r.isbn = xml_text(rec.child("isbn"));
  r.doi = xml_text(rec.child("electronic-resource-num"));
  r.type = rec.child("ref-type").attribute("name").value();
  r.database = xml_text(rec.child("remote-database-name"));
  const std::string provider = xml_text(rec.child("remote-database-provider"));
  const std::string accession = xml_text(rec.child("accession-num"));
  if (all_digits(accession) && accession.size() <= 9 &&
      (names_pubmed(r.database) || names_pubmed(provider))) {
    r.pmid = accession;
  } else {
    r.accession = accession;
  }
}

}  // namespace

expected<std::vector<bib_record>> parse_endnote_xml(std::string_view text,
                                                    const std::string& source,
                                                    std::vector<std::string>& /*warnings*/) {
  pugi::xml_document doc;
  if (auto ok = load_xml(doc, text, source); !ok) return unexpected(ok.error());
  const pugi::xml_node root = doc.document_element();
  const pugi::xml_node list = root.child("records");
  if (std::strcmp(root.name(), "xml") != 0 || !list) {
    return fail(errc::records_unknown_format,
                fmt::format("the root element is <{}>{}, but EndNote XML has <xml><records>",
                            root.name(), list ? "" : " without <records>"),
                {source, 0, 0});
  }
  const auto starts = line_starts(text);
  std::vector<bib_record> records;
  for (pugi::xml_node n : list.children("record")) {
    bib_record r;
    r.line = line_of_offset(starts, xml_offset(n));
    r.raw = std::string(xml_raw(text, n));
    map_record(n, r);
    flatten_xml(n, "", r.fields);
    finish_record(r);
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace srma::detail
