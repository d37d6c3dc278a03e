// PubMed XML reader (efetch retmode=xml: PubmedArticleSet of PubmedArticle and
// PubmedBookArticle), through pugixml.
//
// Element names follow NLM's DTD (http://www.nlm.nih.gov/bsd/licensee/elements_descriptions.html).
// Titles and abstracts are mixed content (<i>, <sub>, <sup>, MathML): their text nodes are
// concatenated. A structured abstract has several <AbstractText Label="..."> parts, joined as
// "LABEL: text LABEL: text". The date is <PubDate><Year> or <MedlineDate>2019 Jan-Feb</...>; the
// DOI is in <ELocationID EIdType="doi"> and/or <ArticleId IdType="doi">; corporate authors are
// <CollectiveName>.
//
// Example:
//
//   std::vector<std::string> warnings;
//   auto records = srma::detail::parse_pubmed_xml(text, "pubmed.xml", warnings);
#include <fmt/format.h>

#include <cstring>

#include "import_detail.hpp"
#include "srma/util/error_ids.hpp"
#include "xml_util.hpp"

namespace srma::detail {
namespace {

bool is_record(pugi::xml_node n) {
  return std::strcmp(n.name(), "PubmedArticle") == 0 ||
         std::strcmp(n.name(), "PubmedBookArticle") == 0;
}

std::string abstract_of(pugi::xml_node abstract) {
  std::string out;
  for (pugi::xml_node part : abstract.children("AbstractText")) {
    const std::string text = xml_text(part);
    const char* label = part.attribute("Label").value();
    if (*label != '\0') {
      append_with_space(out, std::string(label) + ": " + text);
    } else {
      append_with_space(out, text);
    }
  }
  return out;
}

void add_authors(pugi::xml_node list, std::vector<std::string>& out) {
  for (pugi::xml_node a : list.children("Author")) {
    if (auto collective = a.child("CollectiveName")) {
      out.push_back(xml_text(collective));
      continue;
    }
    std::string name = xml_text(a.child("LastName"));
    std::string given = xml_text(a.child("ForeName"));
    if (given.empty()) given = xml_text(a.child("Initials"));
    if (!given.empty()) {
      if (name.empty()) {
        name = given;
      } else {
        name += ", ";
        name += given;
      }
    }
    if (!name.empty()) out.push_back(std::move(name));
  }
}

// The author list with Type="authors" (or without a Type); editors are not authors.
pugi::xml_node author_list(pugi::xml_node parent) {
  for (pugi::xml_node list : parent.children("AuthorList")) {
    const char* type = list.attribute("Type").value();
    if (*type == '\0' || std::strcmp(type, "authors") == 0) return list;
  }
  return {};
}

std::string year_of(pugi::xml_node pub_date) {
  if (auto y = pub_date.child("Year")) return xml_text(y);
  return xml_text(pub_date.child("MedlineDate"));  // "1998 Dec-1999 Jan"; finish_record cuts it
}

std::string doi_in(pugi::xml_node id_list) {
  for (pugi::xml_node id : id_list.children("ArticleId")) {
    if (std::strcmp(id.attribute("IdType").value(), "doi") == 0) return xml_text(id);
  }
  return {};
}

std::string article_id(pugi::xml_node id_list, const char* kind) {
  for (pugi::xml_node id : id_list.children("ArticleId")) {
    if (std::strcmp(id.attribute("IdType").value(), kind) == 0) return xml_text(id);
  }
  return {};
}

void join_types(pugi::xml_node list, std::string& out) {
  for (pugi::xml_node t : list.children("PublicationType")) {
    if (!out.empty()) out += "; ";
    out += xml_text(t);
  }
}

void map_article(pugi::xml_node rec, bib_record& r) {
  const pugi::xml_node citation = rec.child("MedlineCitation");
  const pugi::xml_node article = citation.child("Article");
  const pugi::xml_node journal = article.child("Journal");
  const pugi::xml_node issue = journal.child("JournalIssue");
  r.pmid = xml_text(citation.child("PMID"));
  r.title = xml_text(article.child("ArticleTitle"));
  if (r.title.empty()) r.title = xml_text(article.child("VernacularTitle"));
  r.abstract = abstract_of(article.child("Abstract"));
  add_authors(author_list(article), r.authors);
  r.year = year_of(issue.child("PubDate"));
  if (r.year.empty()) r.year = xml_text(article.child("ArticleDate").child("Year"));
  r.journal = xml_text(journal.child("Title"));
  if (r.journal.empty()) r.journal = xml_text(journal.child("ISOAbbreviation"));
  if (r.journal.empty())
    r.journal = xml_text(citation.child("MedlineJournalInfo").child("MedlineTA"));
  r.volume = xml_text(issue.child("Volume"));
  r.issue = xml_text(issue.child("Issue"));
  const pugi::xml_node pagination = article.child("Pagination");
  r.pages = xml_text(pagination.child("MedlinePgn"));
  if (r.pages.empty()) {
    r.pages = xml_text(pagination.child("StartPage"));
    const std::string end = xml_text(pagination.child("EndPage"));
    if (!end.empty()) r.pages += "-" + end;
  }
  for (pugi::xml_node e : article.children("ELocationID")) {
    if (std::strcmp(e.attribute("EIdType").value(), "doi") == 0 &&
        std::strcmp(e.attribute("ValidYN").value(), "N") != 0) {
      r.doi = xml_text(e);
      break;
    }
  }
  if (r.doi.empty()) r.doi = doi_in(rec.child("PubmedData").child("ArticleIdList"));
  join_types(article.child("PublicationTypeList"), r.type);
}

void map_book(pugi::xml_node rec, bib_record& r) {
  const pugi::xml_node doc = rec.child("BookDocument");
  const pugi::xml_node book = doc.child("Book");
  r.pmid = xml_text(doc.child("PMID"));
  const std::string book_title = xml_text(book.child("BookTitle"));
  r.title = xml_text(doc.child("ArticleTitle"));
  if (r.title.empty()) {
    r.title = book_title;
  } else {
    r.journal = book_title;  // a chapter: the book stands where a journal would
  }
  r.abstract = abstract_of(doc.child("Abstract"));
  pugi::xml_node authors = author_list(doc);
  if (!authors) authors = author_list(book);
  add_authors(authors, r.authors);
  r.year = year_of(book.child("PubDate"));
  r.volume = xml_text(book.child("Volume"));
  r.isbn = xml_text(book.child("Isbn"));
  const pugi::xml_node ids = doc.child("ArticleIdList");
  r.doi = doi_in(ids);
  if (r.doi.empty()) r.doi = doi_in(rec.child("PubmedBookData").child("ArticleIdList"));
  r.accession = article_id(ids, "bookaccession");  // NCBI Bookshelf "NBK..."
  join_types(doc, r.type);  // BookDocument holds its PublicationType elements directly
  if (r.type.empty()) r.type = "Book";
}

}  // namespace

expected<std::vector<bib_record>> parse_pubmed_xml(std::string_view text, const std::string& source,
                                                   std::vector<std::string>& /*warnings*/) {
  pugi::xml_document doc;
  if (auto ok = load_xml(doc, text, source); !ok) return unexpected(ok.error());
  const pugi::xml_node root = doc.document_element();
  std::vector<pugi::xml_node> nodes;
  if (is_record(root)) {
    nodes.push_back(root);
  } else if (std::strcmp(root.name(), "PubmedArticleSet") == 0) {
    for (pugi::xml_node n = root.first_child(); n; n = n.next_sibling())
      if (n.type() == pugi::node_element && is_record(n)) nodes.push_back(n);
  } else {
    return fail(
        errc::records_unknown_format,
        fmt::format("the root element is <{}>, but PubMed XML has <PubmedArticleSet>", root.name()),
        {source, 0, 0});
  }
  const auto starts = line_starts(text);
  std::vector<bib_record> records;
  records.reserve(nodes.size());
  for (pugi::xml_node n : nodes) {
    bib_record r;
    const std::size_t at = xml_offset(n);
    r.line = line_of_offset(starts, at);
    r.raw = std::string(xml_raw(text, n));
    if (std::strcmp(n.name(), "PubmedArticle") == 0) {
      map_article(n, r);
    } else {
      map_book(n, r);
    }
    flatten_xml(n, "", r.fields);
    finish_record(r);
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace srma::detail
