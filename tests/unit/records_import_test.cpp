// Tests of srma/records/import.hpp: every format on fixture files written in the exact forms of
// the exports (tests/data/records/README.md says which quirk each one carries), decoding, format
// detection with its evidence, and located errors that leave no partial result.
//
// Expected values are read off the fixture files themselves (they are small and hand-written);
// line numbers count the file's physical lines from 1.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "srma/records/import.hpp"

namespace {

using srma::bib_record;
using srma::record_file;
using srma::record_format;

const std::string k_dir = SRMA_SOURCE_DIR "/tests/data/records/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Parses fixture `name` with its bare name as source, so messages are short and stable.
srma::expected<record_file> parse_fixture(const std::string& name,
                                          std::optional<record_format> format = {}) {
  return srma::parse_records(slurp(k_dir + name), name, format);
}

record_file must_parse(const std::string& name) {
  auto f = parse_fixture(name);
  EXPECT_TRUE(f.has_value()) << (f ? "" : f.error().what());
  return f ? *f : record_file{};
}

std::string error_of(const srma::expected<record_file>& f) {
  return f.has_value() ? std::string("(no error)") : f.error().what();
}

int count_field(const bib_record& r, const std::string& tag) {
  int n = 0;
  for (const auto& [t, v] : r.fields) n += t == tag ? 1 : 0;
  return n;
}

std::string field(const bib_record& r, const std::string& tag) {
  for (const auto& [t, v] : r.fields)
    if (t == tag) return v;
  return "(absent)";
}

using strings = std::vector<std::string>;

// ---- RIS ----------------------------------------------------------------------------------------

TEST(records_import_test, embase_ris_maps_embase_tags) {
  const record_file f = must_parse("embase.ris");
  EXPECT_EQ(f.format, record_format::ris);
  EXPECT_EQ(f.encoding, "utf-8");
  EXPECT_EQ(f.format_evidence, "line 1 is 'TY  - JOUR' and line 23 'ER  -': RIS tags");
  EXPECT_TRUE(f.warnings.empty());
  ASSERT_EQ(f.records.size(), 3u);

  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 1);
  EXPECT_EQ(a.id, "38339656");  // C5, the PMID of Embase's MEDLINE records
  EXPECT_EQ(a.pmid, "38339656");
  EXPECT_EQ(a.accession, "L643471147");  // U2
  EXPECT_EQ(a.doi, "10.3390/s24030938");
  EXPECT_EQ(a.title,
            "PUFchain 3.0: Hardware-Assisted Distributed Ledger for Robust Authentication in "
            "Healthcare Cyber-Physical Systems");
  EXPECT_EQ(a.authors, (strings{"Bathalapalli, V.K.V.V.", "Mohanty, S.P.", "Kougianos, E."}));
  EXPECT_EQ(a.year, "2024");
  EXPECT_EQ(a.journal, "Sensors (Basel, Switzerland)");  // JF before JO
  EXPECT_EQ(a.volume, "24");
  EXPECT_EQ(a.issue, "3");
  EXPECT_EQ(a.type, "Article");  // M3
  EXPECT_EQ(a.database, "Medline");
  EXPECT_EQ(a.isbn, "");  // SN 1424-8220 is an ISSN
  EXPECT_EQ(a.abstract,
            "This article presents a hardware-assisted distributed ledger for device and data "
            "security in smart healthcare.");
  EXPECT_EQ(a.fields.size(), 22u);  // every tag from TY to N2, A1 three times
  EXPECT_EQ(count_field(a, "A1"), 3);
  EXPECT_EQ(field(a, "U3"), "2024-02-19");
  EXPECT_TRUE(a.raw.starts_with("TY  - JOUR\nM3  - Article\n"));  // CRLF read as LF
  EXPECT_TRUE(a.raw.ends_with("ER  - "));

  const bib_record& b = f.records[1];
  EXPECT_EQ(b.line, 25);
  EXPECT_EQ(b.type, "Conference Abstract");
  EXPECT_EQ(b.database, "Embase; Medline");  // DB twice
  EXPECT_EQ(b.pages, "2970-2981");           // SP + EP
  EXPECT_EQ(b.journal, "IEEE Transactions on Biomedical Engineering");
  EXPECT_EQ(count_field(b, "SN"), 2);

  const bib_record& c = f.records[2];  // no DB, no C5, no DO, no JF
  EXPECT_EQ(c.type, "Review");         // still Embase: its U2 is an L-number
  EXPECT_EQ(c.database, "");
  EXPECT_EQ(c.pmid, "");
  EXPECT_EQ(c.doi, "10.2147/MDER.S392999");  // from the L2 link
  EXPECT_EQ(c.id, "10.2147/MDER.S392999");
  EXPECT_EQ(c.journal, "Med. Devices Evid. Res.");
  EXPECT_EQ(c.pages, "1-13");
}

TEST(records_import_test, ovid_ris_drops_numbers_and_links_with_warnings) {
  const record_file f = must_parse("ovid.ris");
  EXPECT_EQ(f.format, record_format::ris);
  EXPECT_EQ(f.format_evidence, "line 2 is 'TY  - JOUR' and line 12 'ER  -': RIS tags");
  ASSERT_EQ(f.records.size(), 4u);
  EXPECT_EQ(f.warnings, (strings{"ovid.ris:1: dropped 4 Ovid record-number lines ('3001.' here)",
                                 "ovid.ris:14: dropped 4 Ovid link lines between records"}));

  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.title, "Substance abuse: Pharmacologic and developmental perspectives.");
  EXPECT_EQ(a.journal, "");   // T2 repeats the title of this book: not a journal
  EXPECT_EQ(a.type, "JOUR");  // Ovid's M3 is a subject class, not a type
  EXPECT_EQ(a.year, "1988");  // Y1 "1988//"
  EXPECT_EQ(a.isbn, "0-398-05484-3 (Hardcover)");
  EXPECT_EQ(a.accession, "1988-98335-000");  // ID, in PsycINFO (D=psyc3 in the L2 link)
  EXPECT_EQ(a.pmid, "");
  EXPECT_EQ(a.id, "1988-98335-000");
  EXPECT_EQ(a.database, "Ovid PsycINFO");
  EXPECT_TRUE(a.raw.ends_with("ER  -  "));

  const bib_record& b = f.records[1];
  EXPECT_EQ(b.line, 17);
  EXPECT_EQ(b.year, "1975");                                               // Y1 "1975-1976//"
  EXPECT_EQ(b.doi, "http://dx.doi.org/10.1016/0376-8716%2876%2990010-7");  // DO as given
  EXPECT_EQ(count_field(b, "DO"), 2);
  EXPECT_EQ(b.pages, "445-447");
  EXPECT_EQ(b.journal, "Drug and Alcohol Dependence");
  EXPECT_EQ(b.authors, (strings{"Pollock, Steven H"}));
  // NL after ER belongs to the closed record, in its fields and its raw text.
  EXPECT_EQ(b.fields.back(), (std::pair<std::string, std::string>{"NL", "Drug Alcohol Depend"}));
  EXPECT_TRUE(b.raw.ends_with("ER  -  \nNL  - Drug Alcohol Depend"));
  EXPECT_EQ(field(b, "KW"), "*Drug Therapy");

  const bib_record& c = f.records[2];
  EXPECT_EQ(c.authors, (strings{"Jacobs, Barry L", "Trulson, Michael E", "Stern, Warren C"}));
  EXPECT_EQ(field(c, "NL"), "Science");

  const bib_record& d = f.records[3];  // Ovid MEDLINE (D=medp): ID is the PMID
  EXPECT_EQ(d.line, 58);
  EXPECT_EQ(d.pmid, "30439442");
  EXPECT_EQ(d.id, "30439442");
  EXPECT_EQ(d.accession, "");
  EXPECT_EQ(d.database, "Ovid MEDLINE");
  EXPECT_EQ(d.journal, "Toxicon : official journal of the International Society on Toxinology");
  EXPECT_EQ(d.doi, "https://dx.doi.org/10.1016/j.toxicon.2018.11.007");
  EXPECT_EQ(count_field(d, "SN"), 2);
}

TEST(records_import_test, ris_continuation_lines_join_and_er_in_text_does_not_end_a_record) {
  const record_file f = must_parse("generic.ris");
  ASSERT_EQ(f.records.size(), 1u);
  const bib_record& r = f.records[0];
  EXPECT_EQ(r.title, "New insights into postrenal transplant hemolytic uremic syndrome");
  EXPECT_EQ(r.abstract,
            "Complement dysregulation drives the disease. The abstract wraps here and the ER "
            "stress response is discussed on a line that starts with ER.");
  EXPECT_EQ(r.doi, "10.1038/nrneph.2010.155");  // after the "ER stress" line: same record
  EXPECT_EQ(r.journal, "Nat Rev Nephrol");      // T2
  EXPECT_EQ(r.pages, "23-35");
  EXPECT_EQ(r.authors, (strings{"Zuber, J.", "Le Quintrec, M."}));
  EXPECT_EQ(r.id, "10.1038/nrneph.2010.155");
}

TEST(records_import_test, ris_line_ends_crlf_lf_and_cr_alike) {
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    const std::string text = "TY  - JOUR" + eol + "TI  - A title" + eol + "that wraps" + eol +
                             "PY  - 2001" + eol + "ER  - " + eol;
    auto f = srma::parse_records(text, "x.ris");
    ASSERT_TRUE(f) << f.error().what();
    ASSERT_EQ(f->records.size(), 1u);
    EXPECT_EQ(f->records[0].title, "A title that wraps");
    EXPECT_EQ(f->records[0].year, "2001");
    EXPECT_EQ(f->records[0].raw, "TY  - JOUR\nTI  - A title\nthat wraps\nPY  - 2001\nER  - ");
  }
}

// ---- MEDLINE
// -------------------------------------------------------------------------------------

TEST(records_import_test, medline_nbib_starting_with_a_blank_line) {
  const record_file f = must_parse("pubmed.nbib");
  EXPECT_EQ(f.format, record_format::medline);
  EXPECT_EQ(f.format_evidence,
            "line 2 is 'PMID- 30689646', followed by tags OWN, STAT, DCOM: MEDLINE");
  ASSERT_EQ(f.records.size(), 2u);
  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.id, "30689646");
  EXPECT_EQ(a.pmid, "30689646");
  // The continuation line after "A " (a trailing space) joins with one space.
  EXPECT_EQ(a.title,
            "Ecosystem services changes between 2000 and 2015 in the Loess Plateau, China: A "
            "response to ecological restoration.");
  EXPECT_EQ(a.authors, (strings{"Wu, Dan", "Zou, Changxin"}));  // FAU preferred over AU
  EXPECT_EQ(a.doi, "10.1371/journal.pone.0209483");             // LID ... [doi]
  EXPECT_EQ(a.year, "2019");
  EXPECT_EQ(a.journal, "PloS one");  // JT
  EXPECT_EQ(a.volume, "14");
  EXPECT_EQ(a.issue, "1");
  EXPECT_EQ(a.pages, "e0209483");
  EXPECT_EQ(a.type, "Journal Article; Research Support, Non-U.S. Gov't");
  EXPECT_EQ(a.abstract,
            "Ecological restoration has been implemented on the Loess Plateau since 1999. "
            "Ecosystem services changed markedly between 2000 and 2015.");
  EXPECT_EQ(count_field(a, "IS"), 2);
  EXPECT_EQ(count_field(a, "AID"), 2);
  EXPECT_EQ(count_field(a, "AU"), 2);
  EXPECT_TRUE(a.raw.starts_with("PMID- 30689646\nOWN - NLM\n"));
  EXPECT_TRUE(a.raw.ends_with("doi: 10.1371/journal.pone.0209483."));

  const bib_record& b = f.records[1];
  EXPECT_EQ(b.line, 38);
  EXPECT_EQ(b.year, "2011");  // DP "2011 Jan"
  EXPECT_EQ(b.authors,
            (strings{"Zuber, Julien", "Le Quintrec, Moglie", "French Study Group for aHUS/C3G"}));
  EXPECT_EQ(b.journal, "Nature reviews. Nephrology");
  EXPECT_TRUE(b.raw.ends_with("IP  - 1"));
}

TEST(records_import_test, medline_one_record_without_blank_lines_or_final_line_end) {
  const record_file f = must_parse("pubmed_one.nbib");
  ASSERT_EQ(f.records.size(), 1u);
  const bib_record& r = f.records[0];
  EXPECT_EQ(r.line, 1);
  EXPECT_EQ(r.authors, (strings{"O'Byrne PM", "FitzGerald JM"}));  // AU when there is no FAU
  EXPECT_EQ(r.doi, "10.1056/NEJMoa1715274");                       // AID ... [doi]
  EXPECT_EQ(r.year, "2018");
  EXPECT_TRUE(r.raw.ends_with("AID - 10.1056/NEJMoa1715274 [doi]"));
}

// ---- PubMed XML
// ----------------------------------------------------------------------------------

TEST(records_import_test, pubmed_xml_mixed_content_structured_abstract_medline_date_book) {
  const record_file f = must_parse("pubmed.xml");
  EXPECT_EQ(f.format, record_format::pubmed_xml);
  EXPECT_EQ(f.format_evidence, "XML with root element <PubmedArticleSet>");
  ASSERT_EQ(f.records.size(), 3u);

  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 4);
  EXPECT_EQ(a.id, "29768149");
  EXPECT_EQ(a.title, "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.");
  EXPECT_EQ(a.abstract,
            "BACKGROUND: In mild asthma, a fast-acting \u03b22-agonist may be used as needed. "
            "METHODS: A 52-week, double-blind trial.");
  EXPECT_EQ(a.authors, (strings{"O'Byrne, Paul M", "FitzGerald, J Mark"}));
  EXPECT_EQ(a.year, "2018");
  EXPECT_EQ(a.journal, "The New England journal of medicine");
  EXPECT_EQ(a.volume, "378");
  EXPECT_EQ(a.issue, "20");
  EXPECT_EQ(a.pages, "1865-1876");
  EXPECT_EQ(a.doi, "10.1056/NEJMoa1715274");  // ELocationID
  EXPECT_EQ(a.type, "Journal Article; Randomized Controlled Trial");
  EXPECT_EQ(field(a, "MedlineCitation@Owner"), "NLM");
  EXPECT_EQ(field(a, "MedlineCitation/PMID@Version"), "1");
  EXPECT_EQ(field(a, "MedlineCitation/Article/ArticleTitle"), a.title);
  EXPECT_TRUE(a.raw.starts_with("<PubmedArticle>"));
  EXPECT_TRUE(a.raw.ends_with("</PubmedArticle>"));

  const bib_record& b = f.records[1];
  EXPECT_EQ(b.line, 22);
  EXPECT_EQ(b.title, "Outcomes of 99mTc scanning: a multicentre cohort.");
  EXPECT_EQ(b.year, "1998");  // <MedlineDate>1998 Dec-1999 Jan</MedlineDate>
  EXPECT_EQ(b.pages, "101-109");
  EXPECT_EQ(b.doi, "10.9999/example.1998.101");                        // only in ArticleIdList
  EXPECT_EQ(b.authors, (strings{"Smith, J", "Example Trial Group"}));  // CollectiveName

  const bib_record& c = f.records[2];
  EXPECT_EQ(c.line, 36);
  EXPECT_EQ(c.pmid, "20301409");
  EXPECT_EQ(c.title, "Atypical Hemolytic-Uremic Syndrome");
  EXPECT_EQ(c.journal, "GeneReviews\u00ae");
  EXPECT_EQ(c.authors, (strings{"Noris, Marina"}));  // not the editors
  EXPECT_EQ(c.year, "1993");
  EXPECT_EQ(c.accession, "NBK1367");
  EXPECT_EQ(c.type, "Review");
  EXPECT_EQ(c.abstract, "CLINICAL CHARACTERISTICS: Atypical HUS is defined by the triad.");
}

// ---- EndNote XML
// ---------------------------------------------------------------------------------

TEST(records_import_test, endnote_xml_styles_and_fields) {
  const record_file f = must_parse("endnote.xml");
  EXPECT_EQ(f.format, record_format::endnote_xml);
  EXPECT_EQ(f.format_evidence, "XML with root element <xml> holding <records>");
  ASSERT_EQ(f.records.size(), 2u);
  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 1);  // EndNote writes the whole file on one line
  EXPECT_EQ(a.authors, (strings{"Zuber, J.", "Le Quintrec, M."}));
  EXPECT_EQ(a.title, "New insights into postrenal transplant hemolytic uremic syndrome");
  EXPECT_EQ(a.journal, "Nature Reviews Nephrology");  // periodical/full-title
  EXPECT_EQ(a.year, "2011");
  EXPECT_EQ(a.pages, "23-35");
  EXPECT_EQ(a.volume, "7");
  EXPECT_EQ(a.issue, "1");
  EXPECT_EQ(a.doi, "10.1038/nrneph.2010.155");  // electronic-resource-num
  EXPECT_EQ(a.pmid, "21079656");                // accession-num of a record from Medline (NLM)
  EXPECT_EQ(a.accession, "");
  EXPECT_EQ(a.id, "21079656");
  EXPECT_EQ(a.type, "Journal Article");  // ref-type name
  EXPECT_EQ(a.database, "Medline");
  EXPECT_EQ(a.isbn, "1759-5061");
  EXPECT_EQ(a.abstract, "Complement dysregulation drives the disease.");
  EXPECT_EQ(field(a, "rec-number"), "12");
  EXPECT_EQ(field(a, "ref-type@name"), "Journal Article");
  EXPECT_EQ(field(a, "dates/pub-dates/date"), "Jan");
  EXPECT_TRUE(a.raw.starts_with("<record><database"));
  EXPECT_TRUE(a.raw.ends_with("</record>"));

  const bib_record& b = f.records[1];
  EXPECT_EQ(b.type, "Book Section");
  EXPECT_EQ(b.authors, (strings{"Noris, Marina"}));  // secondary authors are editors
  EXPECT_EQ(b.journal, "GeneReviews");               // titles/secondary-title
  EXPECT_EQ(b.accession, "L2003456789");
  EXPECT_EQ(b.id, "L2003456789");
  EXPECT_EQ(b.year, "2007");
}

// ---- CSV ----------------------------------------------------------------------------------------

TEST(records_import_test, scopus_csv_with_bom) {
  const record_file f = must_parse("scopus.csv");
  EXPECT_EQ(f.format, record_format::csv);
  EXPECT_EQ(f.encoding, "utf-8 with BOM");
  EXPECT_EQ(f.format_evidence,
            "line 1 is a header row of 21 columns with a title column ('Title'), as Scopus "
            "exports: CSV");
  ASSERT_EQ(f.records.size(), 3u);
  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.authors, (strings{"Zuber J.", "Le Quintrec M.", "Sberro-Soussan R."}));
  EXPECT_EQ(a.title, "New insights into postrenal transplant hemolytic uremic syndrome");
  EXPECT_EQ(a.year, "2011");
  EXPECT_EQ(a.journal, "Nature Reviews Nephrology");  // Source title
  EXPECT_EQ(a.pages, "23-35");                        // Page start + Page end
  EXPECT_EQ(a.pmid, "21079656");
  EXPECT_EQ(a.id, "21079656");
  EXPECT_EQ(a.accession, "2-s2.0-78650726431");  // EID
  EXPECT_EQ(a.type, "Review");
  EXPECT_EQ(a.database, "Scopus");  // Source
  EXPECT_EQ(a.abstract, "Complement dysregulation, with \"quotes\", drives the disease.");
  EXPECT_EQ(field(a, "Cited by"), "74");
  EXPECT_EQ(field(a, "Art. No."), "(absent)");  // empty cells are not kept
  EXPECT_TRUE(a.raw.starts_with("\"Zuber J.; Le Quintrec M.;"));

  EXPECT_EQ(f.records[1].authors, (strings{"Zipfel P.F.", "Skerka C."}));  // older ", " form
  EXPECT_TRUE(f.records[2].authors.empty());  // "[No author name available]"
  EXPECT_EQ(f.records[2].id, "2-s2.0-85063000000");
  EXPECT_EQ(f.records[2].pages, "");
}

TEST(records_import_test, web_of_science_tab_delimited) {
  const record_file f = must_parse("wos.txt");
  EXPECT_EQ(f.format, record_format::csv);
  EXPECT_EQ(f.format_evidence,
            "line 1 is a header row of 17 columns with a title column ('TI'), as Web of Science "
            "exports: CSV");
  ASSERT_EQ(f.records.size(), 2u);
  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.authors, (strings{"Zuber, Julien", "Le Quintrec, Moglie"}));  // AF before AU
  EXPECT_EQ(a.journal, "NATURE REVIEWS NEPHROLOGY");
  EXPECT_EQ(a.pages, "23-35");  // BP + EP
  EXPECT_EQ(a.doi, "10.1038/nrneph.2010.155");
  EXPECT_EQ(a.pmid, "21079656");
  EXPECT_EQ(a.accession, "WOS:000285617900007");
  EXPECT_EQ(a.id, "21079656");  // ID is Keywords Plus in WoS, never the record id
  EXPECT_EQ(field(a, "ID"), "FACTOR-H; COMPLEMENT");
  EXPECT_EQ(a.type, "Review");  // DT
  const bib_record& b = f.records[1];
  EXPECT_EQ(b.title, "\"Atypical\" hemolytic-uremic syndrome: a review");  // no quoting in WoS
  EXPECT_EQ(b.id, "10.1056/NEJMra0902814");
  EXPECT_EQ(b.line, 3);
}

TEST(records_import_test, embase_csv_with_query_preamble) {
  const record_file f = must_parse("embase.csv");
  EXPECT_EQ(f.format, record_format::csv);
  EXPECT_EQ(f.format_evidence,
            "line 4 is a header row of 16 columns with a title column ('Title'), as Embase "
            "exports, after a search-query preamble ending with a dashed line (line 2): CSV");
  EXPECT_EQ(f.warnings, (strings{"embase.csv:1: skipped the search-query preamble before the "
                                 "header (lines 1-2, up to the dashed line)"}));
  ASSERT_EQ(f.records.size(), 2u);
  const bib_record& a = f.records[0];
  EXPECT_EQ(a.line, 5);
  EXPECT_EQ(a.authors, (strings{"Smith J.", "Jones K.L.", "van der Berg A."}));
  EXPECT_EQ(a.journal, "Journal of Knee Surgery");  // Source title, not the Source citation
  EXPECT_EQ(a.year, "2020");
  EXPECT_EQ(a.pages, "456-463");  // First Page + Last Page
  EXPECT_EQ(a.pmid, "31234567");  // Medline PMID
  EXPECT_EQ(a.accession, "L2004123456");
  EXPECT_EQ(a.type, "Article");
  EXPECT_EQ(a.doi, "10.1055/s-0039-1678594");
  EXPECT_EQ(field(a, "ISSN"), "1538-8506,1938-2480");
  const bib_record& b = f.records[1];  // a registry record: no authors, an LNCT id
  EXPECT_EQ(b.line, 6);
  EXPECT_TRUE(b.authors.empty());
  EXPECT_EQ(b.id, "LNCT07498166");
}

TEST(records_import_test, csv_id_column_becomes_the_id_and_authors_split_on_and) {
  const std::string text =
      "\"ID\",\"title\",\"year\",\"author\",\"pages\",\"volume\",\"number\",\"ENTRYTYPE\","
      "\"journal\"\n"
      "\"id_0000001\",\"New insights\",2011,\"Zuber, J and Le Quintrec, M and Group, ALTS\","
      "\"23-35\",7,1,\"article\",\"Nat Rev Nephrol\"\n";
  auto f = srma::parse_records(text, "records.csv");
  ASSERT_TRUE(f) << f.error().what();
  ASSERT_EQ(f->records.size(), 1u);
  const bib_record& r = f->records[0];
  EXPECT_EQ(r.id, "id_0000001");
  EXPECT_EQ(r.authors, (strings{"Zuber, J", "Le Quintrec, M", "Group, ALTS"}));
  EXPECT_EQ(r.type, "article");
  EXPECT_EQ(r.issue, "1");
  EXPECT_EQ(f->format_evidence,
            "line 1 is a header row of 9 columns with a title column ('title'), as bib-dedupe "
            "exports: CSV");
}

// ---- encodings ----------------------------------------------------------------------------------

TEST(records_import_test, windows_1252_is_read_with_a_warning_naming_the_line) {
  const record_file f = must_parse("windows1252.ris");
  EXPECT_EQ(f.encoding, "windows-1252");
  EXPECT_EQ(f.warnings,
            (strings{"windows1252.ris:3: not valid UTF-8 (byte 0xE9 is the first such byte): "
                     "bytes that are not UTF-8 were read as Windows-1252 (Latin-1); check "
                     "accented letters, or save the file as UTF-8"}));
  ASSERT_EQ(f.records.size(), 1u);
  EXPECT_EQ(f.records[0].authors, (strings{"Fr\u00e9meaux-Bacchi, V."}));
  EXPECT_EQ(f.records[0].title, "Atypical hemolytic uremic syndrome: the patient\u2019s view");
}

TEST(records_import_test, utf16_with_byte_order_mark) {
  const std::u16string text = u"TY  - JOUR\r\nTI  - Fr\u00e9meaux \U0001F600\r\nER  - \r\n";
  for (const bool le : {true, false}) {
    std::string bytes = le ? "\xFF\xFE" : "\xFE\xFF";
    for (char16_t u : text) {
      const char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
      bytes += le ? lo : hi;
      bytes += le ? hi : lo;
    }
    auto f = srma::parse_records(bytes, "u16.ris");
    ASSERT_TRUE(f) << f.error().what();
    EXPECT_EQ(f->encoding, le ? "utf-16le" : "utf-16be");
    ASSERT_EQ(f->records.size(), 1u);
    EXPECT_EQ(f->records[0].title, "Fr\u00e9meaux \U0001F600");
  }
}

TEST(records_import_test, mixed_file_keeps_its_utf8_and_reads_the_rest_as_windows_1252) {
  // "é" in UTF-8 on line 2, a Windows-1252 en dash (0x96) on line 3.
  const std::string bytes =
      "TY  - JOUR\nAU  - Fr\xC3\xA9meaux, V.\nTI  - HUS \x96 a review\nER  - \n";
  auto f = srma::parse_records(bytes, "mixed.ris");
  ASSERT_TRUE(f) << f.error().what();
  EXPECT_EQ(f->records[0].authors, (strings{"Fr\u00e9meaux, V."}));
  EXPECT_EQ(f->records[0].title, "HUS \u2013 a review");
  ASSERT_EQ(f->warnings.size(), 1u);
  EXPECT_TRUE(f->warnings[0].starts_with("mixed.ris:3: not valid UTF-8 (byte 0x96"));
}

// ---- detection ----------------------------------------------------------------------------------

TEST(records_import_test, detection_by_content) {
  using srma::detect_record_format;
  EXPECT_EQ(detect_record_format("TY  - JOUR\nER  - \n"), record_format::ris);
  EXPECT_EQ(detect_record_format("\xEF\xBB\xBF\r\n3002. \r\nTY  - JOUR\r\n"), record_format::ris);
  EXPECT_EQ(detect_record_format("\n\nPMID- 1\nOWN - NLM\n"), record_format::medline);
  EXPECT_EQ(detect_record_format("<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [\n"
                                 "<!ENTITY x \"y\">]>\n<PubmedArticleSet>"),
            record_format::pubmed_xml);
  EXPECT_EQ(detect_record_format("<?xml version=\"1.0\"?><xml><records><record>"),
            record_format::endnote_xml);
  EXPECT_EQ(detect_record_format("Title;Authors;Year\nA;B;2001\n"), record_format::csv);
  // Containing "PMID" is no evidence: a CSV with a PMID column, an RIS record quoting a PMID.
  EXPECT_EQ(detect_record_format("title,PMID\nA trial,123\n"), record_format::csv);
  EXPECT_EQ(detect_record_format("TY  - JOUR\nAB  - see\nPMID- 123\nER  - \n"), record_format::ris);
  EXPECT_EQ(detect_record_format("hello\nworld\n"), std::nullopt);
  EXPECT_EQ(detect_record_format("<html><body>PMID- 1</body></html>"), std::nullopt);
  EXPECT_EQ(detect_record_format(""), std::nullopt);
  // Damaged files are still recognised, so their parser can say where they are damaged.
  EXPECT_EQ(detect_record_format("AU  - Orphan\nTY  - JOUR\nER  - \n"), record_format::ris);
  EXPECT_EQ(detect_record_format("OWN - NLM\nPMID- 1\n"), record_format::medline);
}

TEST(records_import_test, explain_states_the_evidence) {
  auto e = srma::explain_record_format("3002. \nTY  - JOUR\nTI  - x\nER  -  \n");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->format, record_format::ris);
  EXPECT_EQ(e->evidence, "line 2 is 'TY  - JOUR' and line 4 'ER  -': RIS tags");
  e = srma::explain_record_format("AU  - Orphan\nTY  - JOUR\nER  - \n");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->evidence,
            "2 'TY  - '/'ER  - ' lines in the first 3 lines, though the first tag is not 'TY': "
            "RIS");
}

TEST(records_import_test, format_given_by_the_caller) {
  auto f = parse_fixture("generic.ris", record_format::ris);
  ASSERT_TRUE(f) << f.error().what();
  EXPECT_EQ(f->format_evidence, "given, and line 1 is 'TY  - JOUR' and line 15 'ER  -': RIS tags");
  EXPECT_EQ(error_of(parse_fixture("generic.ris", record_format::medline)),
            "[srma.review.E621] generic.ris: the file was given as medline, but it is ris (line 1 "
            "is 'TY  - JOUR' and line 15 'ER  -': RIS tags)");
}

// ---- errors: located, and nothing of the file imported ---------------------------------------

TEST(records_import_test, ris_without_er_at_the_end) {
  EXPECT_EQ(error_of(parse_fixture("missing_er.ris")),
            "[srma.review.E622] missing_er.ris:5:1: the record that starts here (tag 'TY') never "
            "ends: expected an 'ER  - ' line before the end of the file (line 7)");
}

TEST(records_import_test, ris_without_er_before_the_next_record) {
  auto f = parse_fixture("no_er_before_ty.ris");
  EXPECT_EQ(error_of(f),
            "[srma.review.E622] no_er_before_ty.ris:5:1: tag 'TY' starts a new record, but the "
            "record that starts at line 1 has no 'ER  - ' line: every RIS record must end with "
            "'ER  - '");
  EXPECT_EQ(f.error().subject, "TY");
}

TEST(records_import_test, ris_tag_line_outside_any_record) {
  auto f = parse_fixture("stray_tag.ris");
  EXPECT_EQ(error_of(f),
            "[srma.review.E622] stray_tag.ris:5:1: tag 'AU' is outside any record (the record "
            "before ended at line 3): expected 'TY  - ' to start a record before it");
  EXPECT_EQ(f.error().id, srma::errc::records_malformed);
  EXPECT_EQ(error_of(srma::parse_records("AU  - Early\nTY  - JOUR\nER  - \n", "early.ris")),
            "[srma.review.E622] early.ris:1:1: tag 'AU' is outside any record (no record has "
            "started yet): expected 'TY  - ' to start a record before it");
}

TEST(records_import_test, medline_tag_line_outside_any_record) {
  EXPECT_EQ(error_of(parse_fixture("stray_tag.nbib")),
            "[srma.review.E622] stray_tag.nbib:5:1: tag 'AU' follows the blank line (line 4) that "
            "ended the record of PMID 111: expected 'PMID- ' to start a new record");
  EXPECT_EQ(error_of(srma::parse_records("OWN - NLM\nPMID- 1\n", "x.nbib")),
            "[srma.review.E622] x.nbib:1:1: tag 'OWN' comes before any 'PMID- ' line: every "
            "MEDLINE record starts with 'PMID- '");
  EXPECT_EQ(error_of(srma::parse_records("PMID- 1\nTI  - A\nnot indented\n", "x.nbib")),
            "[srma.review.E622] x.nbib:3:1: this line is neither a tag ('TI  - ', 'PMID- ') nor a "
            "continuation indented by six spaces (in the value of tag 'TI')");
}

TEST(records_import_test, broken_xml_is_located) {
  EXPECT_EQ(error_of(parse_fixture("mismatched.xml")),
            "[srma.review.E624] mismatched.xml:26:33: the XML is not well-formed: Start-end tags "
            "mismatch (is the file damaged?); expected a complete XML export");
  auto truncated = parse_fixture("broken.xml");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().id, srma::errc::records_bad_xml);
  EXPECT_EQ(truncated.error().what(),
            "[srma.review.E624] broken.xml:27:43: the XML ends before its elements are closed: "
            "the file is truncated; expected a complete XML export");
}

TEST(records_import_test, binary_empty_and_unknown_inputs) {
  EXPECT_EQ(error_of(parse_fixture("garbage.bin")),
            "[srma.review.E623] garbage.bin:1: the file is binary (a NUL byte at byte 7), not "
            "exported records");
  EXPECT_EQ(error_of(srma::parse_records("", "empty.ris")),
            "[srma.review.E623] empty.ris: the file is empty: expected exported records (RIS, "
            "MEDLINE, XML or CSV)");
  EXPECT_EQ(error_of(srma::parse_records(" \r\n\n", "blank.ris")),
            "[srma.review.E623] blank.ris: the file is empty: expected exported records (RIS, "
            "MEDLINE, XML or CSV)");
  EXPECT_EQ(error_of(srma::parse_records(std::string("PK\x03\x04rest", 8), "refs.zip")),
            "[srma.review.E623] refs.zip: the file is a ZIP archive (or an .xlsx/.docx file), not "
            "exported records: unpack or export the records as text (RIS, MEDLINE, XML or CSV) "
            "first");
  EXPECT_EQ(error_of(srma::parse_records("\nhello world\n", "notes.txt")),
            "[srma.review.E621] notes.txt:2: cannot tell the format of the records: expected RIS "
            "('TY  - ' lines), MEDLINE ('PMID- ' lines), PubMed XML, EndNote XML, or CSV with a "
            "title column; the first line reads 'hello world'");
  EXPECT_EQ(error_of(srma::parse_records("TY - JOUR\nER - \n", "onespace.ris")),
            "[srma.review.E621] onespace.ris:1: cannot tell the format of the records: expected "
            "RIS ('TY  - ' lines), MEDLINE ('PMID- ' lines), PubMed XML, EndNote XML, or CSV "
            "with a title column; the first line reads 'TY - JOUR'; RIS tags need two spaces "
            "before the dash ('TY  - ')");
  EXPECT_EQ(error_of(srma::parse_records("just text\n", "x.ris", record_format::ris)),
            "[srma.review.E623] x.ris: the file holds no record: expected a record from 'TY  - ' "
            "to 'ER  - '");
}

TEST(records_import_test, read_records_reads_files_and_reports_missing_ones) {
  auto f = srma::read_records(k_dir + "ovid.ris");
  ASSERT_TRUE(f) << f.error().what();
  EXPECT_EQ(f->source, k_dir + "ovid.ris");
  EXPECT_EQ(f->records.size(), 4u);
  auto missing = srma::read_records(k_dir + "no_such_file.ris");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().what(), "[srma.review.E623] " + k_dir +
                                        "no_such_file.ris: cannot open the file for reading "
                                        "(does it exist?)");
  auto folder = srma::read_records(k_dir);
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().id, srma::errc::records_unreadable);
}

// Every fixture parses or fails as a whole: an error never comes with records.
TEST(records_import_test, every_fixture_is_all_or_nothing) {
  int ok = 0, failed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(k_dir)) {
    if (entry.path().extension() == ".md") continue;
    auto f = srma::read_records(entry.path().string());
    if (f) {
      ++ok;
      EXPECT_FALSE(f->records.empty()) << entry.path();
      for (const auto& r : f->records) {
        EXPECT_GT(r.line, 0) << entry.path();
        EXPECT_FALSE(r.raw.empty()) << entry.path();
        EXPECT_FALSE(r.fields.empty()) << entry.path();
      }
    } else {
      ++failed;
      EXPECT_EQ(f.error().family(), "review") << f.error().what();
    }
  }
  EXPECT_EQ(ok, 11);
  EXPECT_EQ(failed, 7);
}

// ---- scale --------------------------------------------------------------------------------------

TEST(records_import_test, fifty_thousand_ris_records) {
  std::string text;
  for (int i = 0; i < 50000; ++i) {
    text += "TY  - JOUR\nM3  - Article\nY1  - 2020\nVL  - 12\nIS  - 3\nSP  - 100\nEP  - 110\n";
    text += "JF  - Journal of Repeated Examples\nU2  - L" + std::to_string(600000000 + i) + "\n";
    text += "DB  - Embase\nDO  - 10.1000/example." + std::to_string(i) + "\n";
    text += "A1  - Smith, J.\nA1  - Jones, K.\nA1  - Brown, L.\n";
    text += "T1  - A randomised trial of an intervention, report number " + std::to_string(i) +
            "\nKW  - human\nKW  - randomized controlled trial\n";
    text += "N2  - " + std::string(600, 'a') + "\nER  - \n\n";
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto f = srma::parse_records(text, "big.ris");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(f) << f.error().what();
  EXPECT_EQ(f->records.size(), 50000u);
  EXPECT_EQ(f->records.back().doi, "10.1000/example.49999");
  RecordProperty("seconds", std::to_string(seconds));
  // About 0.3 s in a Release build (docs/review.md); the bound only catches quadratic slips
  // under sanitizers and Debug builds.
  EXPECT_LT(seconds, 30.0) << text.size() << " bytes";
}

// ---- the benchmark exports (../shared, absent in CI) ------------------------------------------

TEST(records_import_test, benchmark_record_counts) {
  const std::string root = SRMA_SOURCE_DIR "/../shared/benchmarks/dedup/";
  // Record counts from ../shared/benchmarks/README.md (bib-dedupe data sets).
  const std::vector<std::pair<std::string, std::size_t>> sets = {{"haematology", 1415},
                                                                 {"respiratory", 1988},
                                                                 {"cytology_screening", 1856},
                                                                 {"digital_work", 7159}};
  if (!std::filesystem::exists(root + "haematology/records.csv")) {
    GTEST_SKIP() << "benchmark data not present: " << root;
  }
  for (const auto& [name, count] : sets) {
    auto f = srma::read_records(root + name + "/records.csv");
    ASSERT_TRUE(f) << f.error().what();
    EXPECT_EQ(f->format, record_format::csv) << name;
    EXPECT_EQ(f->records.size(), count) << name;
    for (const auto& r : f->records) {
      EXPECT_TRUE(r.id.starts_with("id_")) << name << ": " << r.id;
      if (!r.id.starts_with("id_")) break;
    }
  }
  auto h = srma::read_records(root + "haematology/records.csv");
  ASSERT_TRUE(h);
  const bib_record& r = h->records[0];
  EXPECT_EQ(r.id, "id_0000001");
  EXPECT_EQ(r.title, "New insights into postrenal transplant hemolytic uremic syndrome.");
  EXPECT_EQ(r.authors.size(), 6u);  // "Zuber, J and Le Quintrec, M and ..."
  EXPECT_EQ(r.authors[0], "Zuber, J");
  EXPECT_EQ(r.year, "2011");
  EXPECT_EQ(r.journal, "Nat Rev Nephrol");
}

}  // namespace
