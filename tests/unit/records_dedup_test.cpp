// Tests of srma/records/normalize.hpp and srma/records/dedup.hpp: normalisation of every field
// kind, the string similarities against published reference values, hand-made records for each
// rule (what must merge, what must stay apart, what a person must see), the chaining guard,
// removals per source pair, determinism, scale of the blocking, and the errors in full.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "records/dedup_similarity.hpp"
#include "srma/records/dedup.hpp"
#include "srma/records/normalize.hpp"

namespace srma {
namespace {

bib_record article(std::string id, std::string title, std::vector<std::string> authors,
                   std::string year, std::string journal, std::string volume, std::string pages,
                   std::string doi = {}) {
  bib_record r;
  r.id = std::move(id);
  r.title = std::move(title);
  r.authors = std::move(authors);
  r.year = std::move(year);
  r.journal = std::move(journal);
  r.volume = std::move(volume);
  r.pages = std::move(pages);
  r.doi = std::move(doi);
  return r;
}

// A real article (O'Byrne et al., N Engl J Med 2018;378:1865-76) as PubMed gives it.
bib_record nejm_medline() {
  return article("29768149", "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.",
                 {"O'Byrne PM", "FitzGerald JM", "Bateman ED", "Barnes PJ"}, "2018",
                 "The New England journal of medicine", "378", "1865-1876",
                 "10.1056/NEJMoa1715274");
}

const record_comparison& expect_decision(const record_comparison& c, match_decision d,
                                         match_reason r) {
  EXPECT_EQ(to_string(c.decision), to_string(d));
  EXPECT_EQ(to_string(c.reason), to_string(r));
  return c;
}

// ---- Normalisation ----------------------------------------------------------------------------

TEST(records_dedup_test, normalize_text_decodes_folds_and_strips) {
  EXPECT_EQ(normalize_text("Hémolytic–Uremic  Syndrome&nbsp;(aHUS)"),
            "hemolytic uremic syndrome ahus");
  // Markup inside a word leaves no gap; character references, numeric and named.
  EXPECT_EQ(normalize_text("a fast-acting &#946;<sub>2</sub>-agonist"),
            "a fast acting beta2 agonist");
  EXPECT_EQ(normalize_text("<i>In vivo</i> &amp; <b>in vitro</b>"), "in vivo in vitro");
  EXPECT_EQ(normalize_text("Plattformökonomie, Ærø, Straße, Łódź, Øresund"),
            "plattformokonomie aero strasse lodz oresund");
  // Curly and straight apostrophes are dropped, not turned into a gap.
  EXPECT_EQ(normalize_text("Why women don’t run"), normalize_text("Why women don't run"));
  EXPECT_EQ(normalize_text("Why women don't run"), "why women dont run");
  // NFKC: the ligature and the full-width digits.
  EXPECT_EQ(normalize_text("ﬁbrosis in ２０１９"), "fibrosis in 2019");
  // Other scripts are kept (case folded, marks stripped).
  EXPECT_EQ(normalize_text("ЗАЙНЯТІСТЬ"), "заинятість");
  // Invalid UTF-8 is read as Windows-1252 (Latin-1 exports): "Mu\xf1oz" is "Muñoz".
  EXPECT_EQ(normalize_text("Mu\xf1oz caf\xe9"), "munoz cafe");
  EXPECT_EQ(normalize_text(""), "");
  EXPECT_EQ(normalize_text(" -- ; "), "");
  // A '<' that opens no tag is text (punctuation).
  EXPECT_EQ(normalize_text("p < 0.05"), "p 0 05");
  // A question mark (or U+FFFD) between letters stands for a letter an export could not encode
  // (respiratory set, id_0000090: "Annales fran?aises d'anesth?sie et de r?animation"); a
  // question mark that ends a word stays punctuation.
  EXPECT_EQ(normalize_text("Annales fran?aises d'anesth?sie"), "annales franaises danesthsie");
  EXPECT_EQ(normalize_text("Multic\xEF\xBF\xBDntrico"), "multicntrico");
  EXPECT_EQ(normalize_text("Does it work? Yes"), "does it work yes");
}

TEST(records_dedup_test, normalize_title_unifies_database_spellings) {
  // MEDLINE writes a dash as "--", Embase as " - " (review.md §1.1): the same title either way.
  EXPECT_EQ(normalize_title("Asthma--a randomized trial"),
            normalize_title("Asthma - a randomized trial"));
  EXPECT_EQ(normalize_title("Asthma—A Randomized Trial."), "asthma a randomized trial");
  EXPECT_EQ(normalize_title("The effect of X."), "effect of x");
  EXPECT_EQ(normalize_title("An Approach"), "approach");
  EXPECT_EQ(normalize_title("A"), "a");  // only an article: kept
  EXPECT_EQ(normalize_title("Theory of mind"), "theory of mind");
}

TEST(records_dedup_test, normalize_author_gives_last_name_and_initials) {
  for (const char* form : {"Zipfel, P. F.", "Zipfel PF", "Peter F. Zipfel", "Zipfel, Peter F",
                           "ZIPFEL PF", "Zipfel, P.F."})
    EXPECT_EQ(normalize_author(form), "zipfel pf") << form;
  EXPECT_EQ(normalize_author("O'Byrne, Paul M"), "obyrne pm");
  EXPECT_EQ(normalize_author("O'Byrne PM"), "obyrne pm");
  EXPECT_EQ(normalize_author("Le Quintrec, M."), "lequintrec m");
  EXPECT_EQ(normalize_author("Le Quintrec M"), "lequintrec m");
  EXPECT_EQ(normalize_author("Fremeaux-Bacchi, Véronique"), "fremeauxbacchi v");
  EXPECT_EQ(normalize_author("Cong, Ying-Ying"), "cong yy");
  EXPECT_EQ(normalize_author("Almås, Ingvild"), "almas i");
  EXPECT_EQ(normalize_author("Wright Jr, T C"), "wright tc");
  EXPECT_EQ(normalize_author("Wright, Jr"), "wright");
  EXPECT_EQ(normalize_author("Smith, John, Jr."), "smith j");
  EXPECT_EQ(normalize_author("Wright"), "wright");
  EXPECT_EQ(normalize_author("Anonymous"), "");
  EXPECT_EQ(normalize_author("[Anonymous]"), "");
  EXPECT_EQ(normalize_author("et al."), "");
  EXPECT_EQ(normalize_author("  "), "");
}

TEST(records_dedup_test, normalize_pages_writes_ranges_in_full) {
  EXPECT_EQ(normalize_pages("1865-76"), "1865-1876");
  EXPECT_EQ(normalize_pages("1865-1876"), "1865-1876");
  EXPECT_EQ(normalize_pages("1865–76"), "1865-1876");  // en dash
  EXPECT_EQ(normalize_pages("376 -- 383"), "376-383");
  EXPECT_EQ(normalize_pages("pp. 742-8; discussion 748-9"), "742-748");
  EXPECT_EQ(normalize_pages("119-27; quiz 128"), "119-127");
  EXPECT_EQ(normalize_pages("233-8+230-5"), "233-238");
  EXPECT_EQ(normalize_pages("S11-5"), "s11-s15");
  EXPECT_EQ(normalize_pages("e0209483"), "e0209483");
  EXPECT_EQ(normalize_pages("945-945"), "945");
  EXPECT_EQ(normalize_pages("0945"), "945");
  EXPECT_EQ(normalize_pages("527-32.e1"), "527");  // the last page is no page
  // Spreadsheet dates ("5-13" read as 13 May) and other text are not page ranges.
  EXPECT_EQ(normalize_pages("13-May"), "13 may");
  EXPECT_EQ(normalize_pages("Suppl-29"), "suppl 29");
  EXPECT_EQ(normalize_pages(""), "");
}

TEST(records_dedup_test, normalize_doi_takes_every_form_to_one) {
  const std::string expected = "10.1016/0376-8716(76)90010-7";
  for (const char* form :
       {"http://dx.doi.org/10.1016/0376-8716%2876%2990010-7",
        "https://doi.org/10.1016/0376-8716(76)90010-7", "doi:10.1016/0376-8716(76)90010-7",
        "DOI: 10.1016/0376-8716(76)90010-7.", "10.1016/0376-8716(76)90010-7 [doi]",
        "10.1016/0376-8716(76)90010-7", "(doi: 10.1016/0376-8716(76)90010-7)",
        "https://www.doi.org/10.1016/0376-8716(76)90010-7"})
    EXPECT_EQ(normalize_doi(form), expected) << form;
  EXPECT_EQ(normalize_doi("https://doi.org/10.1056/NEJMoa1715274"), "10.1056/nejmoa1715274");
  // Of two DOIs the first; things that are no DOI give "".
  EXPECT_EQ(normalize_doi("10.1000/a 10.1000/b"), "10.1000/a");
  EXPECT_EQ(normalize_doi("not a doi"), "");
  EXPECT_EQ(normalize_doi("10.12/x"), "");  // registrant code too short
  EXPECT_EQ(normalize_doi("10.1000/"), "");
}

TEST(records_dedup_test, normalize_year_takes_the_first_four_digits) {
  EXPECT_EQ(normalize_year("2019 Jan 28"), "2019");
  EXPECT_EQ(normalize_year("1975-1976//"), "1975");
  EXPECT_EQ(normalize_year("c2001"), "2001");
  EXPECT_EQ(normalize_year("12345"), "");
  EXPECT_EQ(normalize_year("0999"), "");
  EXPECT_EQ(normalize_year(""), "");
}

// ---- String similarities ----------------------------------------------------------------------

TEST(records_dedup_test, jaro_winkler_matches_winklers_reference_values) {
  using detail::jaro;
  using detail::jaro_winkler;
  // Winkler (1990), Proc. Section on Survey Research Methods, ASA, table of examples (4
  // decimals), and the exact fractions behind them:
  // MARTHA/MARHTA: m = 6, t = 1, jaro = (1 + 1 + 5/6) / 3 = 17/18, prefix 3.
  EXPECT_NEAR(jaro("MARTHA", "MARHTA"), 17.0 / 18.0, 1e-12);
  EXPECT_NEAR(jaro_winkler("MARTHA", "MARHTA"), 17.0 / 18.0 + 0.3 * (1.0 / 18.0), 1e-12);
  EXPECT_NEAR(jaro_winkler("MARTHA", "MARHTA"), 0.9611, 5e-5);
  // DWAYNE/DUANE: m = 4, t = 0, jaro = (4/6 + 4/5 + 1) / 3 = 37/45, prefix 1.
  EXPECT_NEAR(jaro("DWAYNE", "DUANE"), 37.0 / 45.0, 1e-12);
  EXPECT_NEAR(jaro_winkler("DWAYNE", "DUANE"), 0.84, 1e-12);
  // DIXON/DICKSONX: m = 4, t = 0, jaro = (4/5 + 4/8 + 1) / 3 = 23/30, prefix 2.
  EXPECT_NEAR(jaro("DIXON", "DICKSONX"), 23.0 / 30.0, 1e-12);
  EXPECT_NEAR(jaro_winkler("DIXON", "DICKSONX"), 0.8133, 5e-5);
  // Symmetric; identical 1; nothing in common 0; both empty 1.
  EXPECT_DOUBLE_EQ(jaro_winkler("DUANE", "DWAYNE"), jaro_winkler("DWAYNE", "DUANE"));
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "abc"), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("", "a"), 0.0);
  // Below the boost threshold 0.7 no prefix bonus: jaro("ab", "ba") = 0 (window 0).
  EXPECT_DOUBLE_EQ(jaro_winkler("ab", "ba"), 0.0);
}

// The textbook O(nm) dynamic programme, to check the bit-parallel distance.
std::size_t levenshtein_dp(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

TEST(records_dedup_test, levenshtein_bit_parallel_equals_dynamic_programme) {
  using detail::levenshtein_distance;
  EXPECT_EQ(levenshtein_distance("kitten", "sitting"), 3u);  // Levenshtein's classic example
  EXPECT_EQ(levenshtein_distance("", "abc"), 3u);
  EXPECT_EQ(levenshtein_distance("abc", ""), 3u);
  EXPECT_EQ(levenshtein_distance("", ""), 0u);
  EXPECT_DOUBLE_EQ(detail::levenshtein_similarity("kitten", "sitting"), 1.0 - 3.0 / 7.0);
  // Random strings over a small alphabet, lengths across the 64- and 128-bit block borders.
  std::mt19937 rng(7);
  for (int round = 0; round < 400; ++round) {
    auto make = [&](std::size_t n) {
      std::string s(n, 'a');
      for (auto& c : s) c = static_cast<char>('a' + rng() % 4);
      return s;
    };
    const std::string a = make(rng() % 200);
    std::string b = a;
    const int edits = static_cast<int>(rng() % 30);
    for (int e = 0; e < edits && !b.empty(); ++e) {
      const std::size_t at = rng() % b.size();
      switch (rng() % 3) {
        case 0:
          b[at] = static_cast<char>('a' + rng() % 4);
          break;
        case 1:
          b.erase(at, 1);
          break;
        default:
          b.insert(at, 1, static_cast<char>('a' + rng() % 4));
      }
    }
    if (round % 5 == 0) b = make(rng() % 200);  // unrelated strings too
    ASSERT_EQ(levenshtein_distance(a, b), levenshtein_dp(a, b)) << a << " / " << b;
  }
}

// ---- Pairs of records -------------------------------------------------------------------------

TEST(records_dedup_test, same_article_from_pubmed_and_embase_is_a_duplicate) {
  // Embase: authors with full names, title in title case without the final period, the journal
  // abbreviated, the page range abbreviated, the DOI as a URL.
  const auto embase =
      article("L2000851227", "Inhaled combined budesonide–formoterol as needed in mild asthma",
              {"O'Byrne, Paul M.", "FitzGerald, J. Mark", "Bateman, Eric D.", "Barnes, Peter J."},
              "2018", "N Engl J Med", "378", "1865-76", "https://doi.org/10.1056/NEJMoa1715274");
  const auto c = compare_records(nejm_medline(), embase);
  expect_decision(c, match_decision::duplicate, match_reason::none);
  EXPECT_DOUBLE_EQ(*c.title, 1.0);
  EXPECT_DOUBLE_EQ(*c.authors, 1.0);
  EXPECT_DOUBLE_EQ(*c.journal, 0.95);  // an abbreviation of the other
  EXPECT_EQ(*c.year_difference, 0);
  EXPECT_TRUE(c.strong);
  // Weights title 3, authors 2, DOI 2, year 1, pages 1, volume 1, journal 1 (no abstracts): all
  // similarities 1 but the journal's 0.95.
  EXPECT_DOUBLE_EQ(c.score, 1.0 - 0.05 / 11.0);
}

TEST(records_dedup_test, medline_and_embase_dashes_diacritics_and_initials_merge) {
  const auto medline =
      article("1", "Hemolytic-uremic syndrome--a review of eculizumab therapy.",
              {"Fremeaux-Bacchi V", "Loirat C"}, "2011", "Pediatr Nephrol", "26", "1001-9");
  const auto embase = article("2", "Hémolytic uremic syndrome - A review of eculizumab therapy",
                              {"Frémeaux-Bacchi, Véronique", "Loirat, Chantal"}, "2011",
                              "Pediatric Nephrology", "26", "1001-1009");
  expect_decision(compare_records(medline, embase), match_decision::duplicate, match_reason::none);
}

TEST(records_dedup_test, erratum_never_merges_with_its_article) {
  auto erratum = nejm_medline();
  erratum.id = "e1";
  erratum.title = "Erratum: Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma";
  erratum.pages = "2342";
  erratum.doi = "10.1056/NEJMx180018";
  expect_decision(compare_records(nejm_medline(), erratum), match_decision::distinct,
                  match_reason::notice_and_article);
  // Also when only the type says so, and with everything else equal.
  auto notice = nejm_medline();
  notice.type = "Erratum";
  expect_decision(compare_records(nejm_medline(), notice), match_decision::distinct,
                  match_reason::notice_and_article);
  // Web of Science's correction title "<title> (vol 378, pg 1865, 2018)".
  auto wos = nejm_medline();
  wos.title += " (vol 378, pg 1865, 2018)";
  expect_decision(compare_records(nejm_medline(), wos), match_decision::distinct,
                  match_reason::notice_and_article);
  // But Ovid's note "[Erratum appears in ...]" marks the article, not a notice.
  auto noted = nejm_medline();
  noted.title += "[Erratum appears in N Engl J Med. 2018 Jun 14;378(24):2342]";
  expect_decision(compare_records(nejm_medline(), noted), match_decision::duplicate,
                  match_reason::none);
  const std::vector<bib_record> records = {nejm_medline(), erratum};
  const auto result = deduplicate(records);
  EXPECT_TRUE(result.groups.empty());
  EXPECT_TRUE(result.uncertain.empty());
}

TEST(records_dedup_test, erratum_joins_its_article_only_when_asked_and_is_never_kept) {
  // NEJM's erratum to O'Byrne 2018 (N Engl J Med 2018;378:2342 per the MEDLINE note), with its
  // own DOI and page and only the first author, as Embase lists such notices.
  auto erratum =
      article("e1",
              "Erratum: Inhaled Combined Budesonide-Formoterol as Needed in Mild "
              "Asthma",
              {"O'Byrne, P. M."}, "2018", "N Engl J Med", "378", "2342", "10.1056/NEJMx180018");
  constexpr auto with = notice_policy::with_article;
  expect_decision(compare_records(nejm_medline(), erratum, with), match_decision::duplicate,
                  match_reason::none);
  // A year later is still its notice; two years later, another journal, or other authors not.
  auto late = erratum;
  late.year = "2019";
  expect_decision(compare_records(nejm_medline(), late, with), match_decision::duplicate,
                  match_reason::none);
  late.year = "2020";
  expect_decision(compare_records(nejm_medline(), late, with), match_decision::distinct,
                  match_reason::notice_and_article);
  auto elsewhere = erratum;
  elsewhere.journal = "Lancet Respiratory Medicine";
  expect_decision(compare_records(nejm_medline(), elsewhere, with), match_decision::distinct,
                  match_reason::notice_and_article);
  auto others = erratum;
  others.authors = {"Smith, J."};
  expect_decision(compare_records(nejm_medline(), others, with), match_decision::distinct,
                  match_reason::notice_and_article);
  // A retraction notice is never grouped away: readers of the article must see it.
  auto retraction = erratum;
  retraction.title = "Retraction: Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma";
  retraction.doi = "10.1056/NEJMc1900001";
  retraction.pages = "1190";
  expect_decision(compare_records(nejm_medline(), retraction, with), match_decision::distinct,
                  match_reason::notice_and_article);

  // In a group the article comes first (the record kept) even when the notice is read first.
  auto embase = nejm_medline();
  embase.id = "L2000851227";
  embase.authors = {"O'Byrne, Paul M.", "FitzGerald, J. Mark", "Bateman, Eric D.",
                    "Barnes, Peter J."};
  const std::vector<bib_record> records = {erratum, nejm_medline(), retraction, embase};
  dedup_options options;
  options.notices = with;
  const auto grouped = deduplicate(records, options);
  ASSERT_EQ(grouped.groups.size(), 1u);
  EXPECT_EQ(grouped.groups[0], (std::vector<std::size_t>{1, 3, 0}));
  // By default the notice stays a record of its own.
  const auto apart = deduplicate(records);
  ASSERT_EQ(apart.groups.size(), 1u);
  EXPECT_EQ(apart.groups[0], (std::vector<std::size_t>{1, 3}));
}

TEST(records_dedup_test, shared_doi_joins_a_title_with_an_inserted_phrase) {
  // digital_work (bib-dedupe's labels): an export wrote the character "…" of the title as its
  // Unicode name. Letter similarity of the two titles is 0.82, under the 0.85 a shared DOI needs;
  // every word of the shorter title is in the longer.
  const auto spelt =
      article("4006721",
              "Flexible, Self-Determined horizontal ellipsis and Unhealthy? An Empirical Study on "
              "Somatic Health Among Crowdworkers",
              {"Schlicher, Katharina D.", "Schulte, Julian", "Reimann, Mareike"}, "2021",
              "Frontiers in Psychology", "12", "", "10.3389/fpsyg.2021.724966");
  auto plain = spelt;
  plain.id = "2006722";
  plain.title =
      "Flexible, Self-Determined\u2026 and Unhealthy? An Empirical Study on Somatic Health Among "
      "Crowdworkers";
  plain.authors = {"Schlicher, K.D.", "Schulte, J.", "Reimann, M."};
  const auto c = compare_records(spelt, plain);
  EXPECT_LT(*c.title, 0.85);
  expect_decision(c, match_decision::duplicate, match_reason::none);
  // Without the shared DOI the same titles are only shown to a person.
  auto no_doi = plain;
  no_doi.doi.clear();
  auto spelt_no_doi = spelt;
  spelt_no_doi.doi.clear();
  EXPECT_NE(compare_records(spelt_no_doi, no_doi).decision, match_decision::duplicate);
  // Nor is a title whose words are a small part of the other's, from its middle.
  auto heading = plain;
  heading.title = "An Empirical Study on Somatic Health";
  EXPECT_NE(compare_records(spelt, heading).decision, match_decision::duplicate);
}

TEST(records_dedup_test, preprint_and_article_are_for_a_person) {
  auto preprint = nejm_medline();
  preprint.journal = "medRxiv";
  preprint.volume.clear();
  preprint.pages.clear();
  preprint.doi = "10.1101/2017.12.01.17310001";
  preprint.year = "2017";
  expect_decision(compare_records(nejm_medline(), preprint), match_decision::uncertain,
                  match_reason::preprint_and_article);
  // Also when the type says preprint and the journal is empty.
  auto typed = nejm_medline();
  typed.type = "Preprint";
  typed.journal.clear();
  typed.doi.clear();
  expect_decision(compare_records(nejm_medline(), typed), match_decision::uncertain,
                  match_reason::preprint_and_article);
  const std::vector<bib_record> records = {nejm_medline(), preprint};
  const auto result = deduplicate(records);
  EXPECT_TRUE(result.groups.empty());
  ASSERT_EQ(result.uncertain.size(), 1u);
  EXPECT_EQ(result.uncertain[0].a, 0u);
  EXPECT_EQ(result.uncertain[0].b, 1u);
  EXPECT_EQ(result.uncertain[0].reason, match_reason::preprint_and_article);
}

TEST(records_dedup_test, a_shared_doi_alone_is_no_proof) {
  // A book's DOI given for one of its chapters: same DOI, other title, other authors.
  auto chapter = nejm_medline();
  chapter.title = "Bronchodilators in chronic obstructive pulmonary disease";
  chapter.authors = {"Smith, A.", "Jones, B."};
  const auto c = compare_records(nejm_medline(), chapter);
  EXPECT_NE(c.decision, match_decision::duplicate);
  expect_decision(c, match_decision::uncertain, match_reason::authors_differ);
  // Same DOI, titles that differ a little more than typing explains, no other field: uncertain.
  const auto a = article("a", "Sleep and memory consolidation in adolescents", {"Lee, K."}, "2020",
                         "", "", "", "10.1000/xyz123");
  const auto b = article("b", "Sleep, memory and learning in adolescent students", {"Lee, K."},
                         "2020", "", "", "", "doi:10.1000/XYZ123");
  expect_decision(compare_records(a, b), match_decision::uncertain, match_reason::weak_evidence);
}

TEST(records_dedup_test, contradictions_leave_at_most_an_uncertain_pair) {
  auto later = nejm_medline();
  later.year = "2021";
  later.doi.clear();
  later.pages.clear();
  later.volume.clear();
  expect_decision(compare_records(nejm_medline(), later), match_decision::uncertain,
                  match_reason::year_differs);
  auto other_doi = nejm_medline();
  other_doi.doi = "10.1056/NEJMoa9999999";
  expect_decision(compare_records(nejm_medline(), other_doi), match_decision::uncertain,
                  match_reason::doi_differs);
  auto other_pages = nejm_medline();
  other_pages.pages = "2020-2031";
  other_pages.doi.clear();
  expect_decision(compare_records(nejm_medline(), other_pages), match_decision::uncertain,
                  match_reason::pages_differ);
  // Overlapping page ranges are no contradiction ("1876" is the last page of "1865-76").
  auto last_page = nejm_medline();
  last_page.pages = "1876";
  expect_decision(compare_records(nejm_medline(), last_page), match_decision::duplicate,
                  match_reason::none);
  // Two contradictions settle it: distinct, not listed.
  auto two = other_pages;
  two.year = "2015";
  expect_decision(compare_records(nejm_medline(), two), match_decision::distinct,
                  match_reason::none);
}

TEST(records_dedup_test, numbers_in_titles_tell_parts_and_follow_ups_apart) {
  const auto part1 = article("1", "Screening for cervical cancer, part 1: cytology", {"Arbyn, M"},
                             "2006", "Vaccine", "24", "78-89");
  auto part2 = part1;
  part2.title = "Screening for cervical cancer, part 2: cytology";
  expect_decision(compare_records(part1, part2), match_decision::uncertain,
                  match_reason::title_numbers_differ);
  // Roman and Arabic numerals, and thousands written with a space, are the same numbers.
  auto roman = part1;
  roman.title = "Screening for cervical cancer, part I: cytology";
  expect_decision(compare_records(part1, roman), match_decision::duplicate, match_reason::none);
  const auto cohort = article("3", "A study of 10 000 women in Guanacaste", {"Bratti, M C"}, "2004",
                              "Rev Panam Salud Publica", "15", "75-89");
  auto cohort2 = cohort;
  cohort2.title = "A study of 10000 women in Guanacaste.";
  expect_decision(compare_records(cohort, cohort2), match_decision::duplicate, match_reason::none);
}

TEST(records_dedup_test, names_as_databases_write_them_agree) {
  const auto a = article("a", "Cost-effectiveness of HPV testing for cervical cancer screening",
                         {"Andres-Gamboa, O", "Chicaiza, L", "Garcia-Molina, M", "Diaz, J"}, "2008",
                         "Salud Publica de Mexico", "50", "276-285");
  auto b = a;
  b.authors = {"Andres, Gamboa O", "Chicaiza, L", "Garcia, Molina M", "Diaz, J"};
  EXPECT_DOUBLE_EQ(*compare_records(a, b).authors, 1.0);
  // Corporate authors are set aside: a person and a study group are no disagreement.
  auto c = a;
  c.authors = {"ALTS Group"};
  EXPECT_FALSE(compare_records(a, c).authors.has_value());
  // Different people with the same last name do not agree.
  auto d = a;
  d.authors = {"Andres-Gamboa, X", "Chicaiza, Q", "Garcia-Molina, Z", "Diaz, Y"};
  EXPECT_DOUBLE_EQ(*compare_records(a, d).authors, 0.0);
}

TEST(records_dedup_test, one_abstract_given_at_two_meetings_is_two_records) {
  // The same title, authors and abstract in the supplements of two journals, with page numbers
  // of different kinds: the journals contradict, so a person decides.
  auto a = article("562", "Comparison of linagliptin, sitagliptin and liraglutide effects",
                   {"Agdauletova S.", "Hausding M.", "Mader M.", "Daiber A."}, "2013",
                   "Free Radical Biology and Medicine", "65", "S67");
  a.abstract = std::string(40, 'x') +
               " Gliptins (dipeptidyl peptidase-4 inhibitors) are a new "
               "class of antidiabetic drugs; their effects on vascular function were compared in "
               "diabetic rats.";
  auto b = a;
  b.authors = {"Mader M.", "Hausding M.", "Daiber A."};
  b.journal = "Journal of Vascular Research";
  b.volume = "50";
  b.pages = "45";
  expect_decision(compare_records(a, b), match_decision::uncertain, match_reason::journal_differs);
  // With the same first page the differing names are taken for two spellings of one journal.
  b.pages = "S67";
  b.volume = "65";
  expect_decision(compare_records(a, b), match_decision::duplicate, match_reason::none);
}

TEST(records_dedup_test, translated_titles_merge_on_authors_journal_volume_and_page_range) {
  // MEDLINE translates a French title into English in brackets; another database gives the
  // English title of the paper itself (records modelled on the respiratory set, id_0000088 and
  // id_0000089): the titles have little in common, the place in the journal is the same.
  const auto english =
      article("88",
              "Antibiotic prophylaxis in pulmonary surgery. A controlled double- blind study of "
              "amoxicillin-clavulanic acid versus cefamandole",
              {"Train, M.", "Soulard, D.", "Bouyer, L.", "Bizouarn, P."}, "1994",
              "Ann Fr Anesth Reanim", "13", "280-284");
  auto medline = english;
  medline.id = "89";
  medline.title =
      "[Comparison of amoxicillin and cefamandole in the prevention of bronchopulmonary "
      "infection after lung surgery]";
  medline.journal = "Annales Francaises d Anesthesie et de Reanimation";
  const auto c = compare_records(english, medline);
  expect_decision(c, match_decision::duplicate, match_reason::none);
  EXPECT_LT(*c.title, 0.6);
  // A title in German and one in English, neither in brackets (digital_work, id_2002416 and
  // id_0002417): the languages differ.
  const auto german =
      article("g", "Review-Artikel: Zum aktuellen Stand des Plattformkapitalismus.",
              {"Heiland, Heiner"}, "2018", "Industrielle Beziehungen", "25", "128 -- 139");
  auto translated = german;
  translated.title = "Review article: The current situation of platform capitalism";
  translated.authors = {"Heiland, H."};
  expect_decision(compare_records(german, translated), match_decision::duplicate,
                  match_reason::none);
  // The first page alone is not enough: an abstract and another abstract on its page.
  auto one_page = medline;
  one_page.pages = "280";
  auto english_one_page = english;
  english_one_page.pages = "280";
  EXPECT_NE(compare_records(english_one_page, one_page).decision, match_decision::duplicate);
  // Unlike titles in one language are two articles, even where an index gave them the same
  // volume and pages (digital_work, id_3001679 and id_0001680): not even shown.
  const auto first =
      article("p1",
              "Big Data Analytics in Human Resource Management: Automated "
              "Decision-Making Processes",
              {"Durlauf, Maria"}, "2019", "Psychosociological Issues in Human Resource Management",
              "7", "54-59");
  auto second = first;
  second.title = "The Commodification of Digital Labor in the Gig Economy: Online Outsourcing";
  expect_decision(compare_records(first, second), match_decision::distinct, match_reason::none);
}

TEST(records_dedup_test, a_second_title_in_brackets_or_after_original_is_compared_too) {
  // digital_work id_2000018 (English title, German title in brackets) and id_3006779 (German).
  const auto both =
      article("a",
              "Crowdwork: Applying a relational inequality theory [Arbeiten in der Crowd: "
              "Perspektiven der Theorie relationaler Ungleichheiten in Arbeitsorganisationen]",
              {"Abendroth, A.-K.", "Reimann, M."}, "2020", "Industrielle Beziehungen", "27", "");
  const auto german = article("b",
                              "Arbeiten in der Crowd: Perspektiven der Theorie relationaler "
                              "Ungleichheiten in Arbeitsorganisationen",
                              {"Abendroth, Anja-Kristin", "Reimann, Mareike"}, "2020",
                              "Industrielle Beziehungen", "27", "");
  const auto c = compare_records(both, german);
  EXPECT_DOUBLE_EQ(*c.title, 1.0);
  expect_decision(c, match_decision::duplicate, match_reason::none);
  // Ovid's "<ORIGINAL>" (respiratory id_0000229): the title in the original language follows.
  auto ovid = article("o",
                      "Antibiotic and antiseptic prophylaxis in thoracic surgery. A randomized "
                      "study. <ORIGINAL> PROPHYLAXIE ANTIBIOTIQUE ET ANTISEPTIQUE EN CHIRURGIE "
                      "THORACIQUE. ETUDE CONTROLEE",
                      {"Regnard, J. F."}, "1989", "Pathol Biol", "37", "");
  auto french = ovid;
  french.title =
      "Prophylaxie antibiotique et antiseptique en chirurgie thoracique. Etude controlee";
  EXPECT_DOUBLE_EQ(*compare_records(ovid, french).title, 1.0);
  // Notes in brackets are no second title.
  auto noted = nejm_medline();
  noted.title += " [Research Support, Non-U.S. Gov't]";
  auto other = nejm_medline();
  other.title = "Research support non US govt";
  EXPECT_LT(*compare_records(noted, other).title, 0.5);
}

TEST(records_dedup_test, two_notices_about_one_article_merge) {
  // Embase titles an erratum "<title> (<journal> (<year>) <volume> (<pages>))", Web of Science
  // "<title> (vol <volume>, pg <page>, <year>)" (haematology, id_0000057 and id_0000058): two
  // records of one notice, and neither is the article.
  const auto embase =
      article("57",
              "Eculizumab for atypical hemolytic-uremic syndrome (New England "
              "Journal of Medicine (2009) 360 (542-544))",
              {"Philipp, T."}, "2009", "New England Journal of Medicine.", "360", "2487-2487");
  auto wos = embase;
  wos.id = "58";
  wos.title = "Eculizumab for Atypical Hemolytic-Uremic Syndrome (vol 360, pg 542, 2009)";
  wos.journal = "New England Journal of Medicine";
  expect_decision(compare_records(embase, wos), match_decision::duplicate, match_reason::none);
  const auto original =
      article("63", "Eculizumab for Atypical Hemolytic–Uremic Syndrome",
              {"Nürnberger, Jens", "Philipp, Thomas"}, "2009", "New Engl J Med", "360", "542-544");
  expect_decision(compare_records(embase, original), match_decision::distinct,
                  match_reason::notice_and_article);
  // "Erratum:" before the title, the citation cut off (haematology, id_0000020 and id_0000021).
  auto cut = wos;
  cut.title = "Erratum: Eculizumab for atypical hemolytic-uremic syndrome (The New England J";
  expect_decision(compare_records(cut, wos), match_decision::duplicate, match_reason::none);
}

TEST(records_dedup_test, journal_names_in_their_many_forms_agree) {
  auto a = nejm_medline();
  auto b = nejm_medline();
  auto journal = [&](const char* x, const char* y) {
    a.journal = x;
    b.journal = y;
    return *compare_records(a, b).journal;
  };
  // Parallel titles, a subtitle the abbreviation keeps, a name in brackets (respiratory set).
  EXPECT_DOUBLE_EQ(journal("Ai zheng = Aizheng = Chinese journal of cancer",
                           "Chinese Journal of "
                           "Cancer"),
                   1.0);
  EXPECT_DOUBLE_EQ(journal("Clinical Medicine Insights: Circulatory, Respiratory and Pulmonary "
                           "Medicine",
                           "Clin Med Insights Circ Respir Pulm Med"),
                   0.95);
  EXPECT_DOUBLE_EQ(journal("Gan to Kagaku Ryoho [Japanese Journal of Cancer & Chemotherapy]",
                           "Japanese journal of cancer and chemotherapy"),
                   1.0);
  EXPECT_DOUBLE_EQ(journal("PLoS ONE [Electronic Resource]", "PLoS ONE"), 1.0);
  // Embase's "<journal>.Conference: <meeting>" (haematology, id_0000167 and id_0000168).
  EXPECT_DOUBLE_EQ(journal("Journal of Thrombosis and Haemostasis.Conference: 23rd Congress of "
                           "the International Society on Thrombosis and Haemostasis",
                           "23rd Congress of the International Society on Thrombosis and "
                           "Haemostasis"),
                   1.0);
  // An acronym of the other's words (stop words aside).
  EXPECT_DOUBLE_EQ(journal("ICIS : Transforming Society with Digital Innovation",
                           "International Conference on Information Systems"),
                   0.95);
  // A name inside the other is neither agreement nor contradiction.
  EXPECT_DOUBLE_EQ(journal("Praxis", "Schweizerische Rundschau fur Medizin Praxis"), 0.7);
  EXPECT_LT(journal("Lancet", "Journal of Hepatology"), 0.5);
}

TEST(records_dedup_test, page_ranges_a_database_wrote_differently) {
  // A section letter one database drops (haematology, id_0000149 and id_0000150, Nephron
  // Clinical Practice c37-c42), here with the years one apart as in those records.
  const auto with_letter =
      article("149", "Haemolytic uraemic syndrome", {"Kavanagh, D.", "Goodship, T."}, "2011",
              "Nephron", "118", "c37-c42");
  auto without = with_letter;
  without.year = "2010";
  without.journal = "Nephron - Clinical Practice.";
  without.pages = "37-42";
  expect_decision(compare_records(with_letter, without), match_decision::duplicate,
                  match_reason::none);
  // A range whose last page is before its first has a typing error in one page: no
  // contradiction (haematology, id_0000196 and id_0000197).
  const auto typo =
      article("196", "Disease recurrence in paediatric renal transplantation",
              {"Cochat, P.", "Fargue, S."}, "2009", "Pediatric Nephrology", "24", "2297-2108");
  auto right = typo;
  right.pages = "2097-2108";
  expect_decision(compare_records(typo, right), match_decision::duplicate, match_reason::none);
  // ... but other pages still differ.
  right.pages = "1097-1108";
  expect_decision(compare_records(typo, right), match_decision::uncertain,
                  match_reason::pages_differ);
}

TEST(records_dedup_test, garbled_author_lists_need_title_year_and_three_fields) {
  // "Lee, Y. C. Gary" split into "Gary," by an export (respiratory, id_0000642 and id_0000643):
  // half of the shorter list found. The title, year, volume, page range and journal agree.
  const auto a =
      article("642",
              "Management of malignant pleural effusions: questions that need "
              "answers",
              {"Davies, H. E.", "Lee, Y. C."}, "2013", "Curr Opin Pulm Med", "19", "374-379");
  auto b = a;
  b.authors = {"Davies, Helen E.", "Gary,"};
  b.journal = "Current Opinion in Pulmonary Medicine";
  const auto c = compare_records(a, b);
  EXPECT_DOUBLE_EQ(*c.authors, 0.5);
  expect_decision(c, match_decision::duplicate, match_reason::none);
  // With only the first page and the journal the authors must agree: a person decides.
  b.pages = "374";
  b.volume.clear();
  expect_decision(compare_records(a, b), match_decision::uncertain, match_reason::weak_evidence);
}

TEST(records_dedup_test, a_typing_error_in_a_number_inside_a_word_is_no_other_part) {
  // "p6INK4a" for "p16(INK4a)" (cytology_screening, id_0000908 and id_0000909), with the same
  // volume and page range.
  const auto typo = article("908",
                            "p6INK4a Expression does not predict the outcome of cervical "
                            "intraepithelial neoplasia grade 1",
                            {"Guedes, A C", "Brenna, S M F"}, "2007",
                            "International Journal of Gynecological Cancer", "17", "1099-1103");
  auto right = typo;
  right.title =
      "p16(INK4a) Expression does not predict the outcome of cervical intraepithelial "
      "neoplasia grade 1";
  expect_decision(compare_records(typo, right), match_decision::duplicate, match_reason::none);
  // Without the page range the numbers still differ.
  right.pages = "1099";
  expect_decision(compare_records(typo, right), match_decision::uncertain,
                  match_reason::title_numbers_differ);
}

TEST(records_dedup_test, a_preprint_doi_with_a_named_venue_is_the_venue_paper) {
  // SSRN keeps copies of conference papers; a database gave the ICIS paper with the copy's DOI
  // (digital_work, id_1006976 and id_2006977).
  auto paper = article("p",
                       "Gender Wage Gap in Online Gig Economy and Gender Differences in Job "
                       "Preferences",
                       {"Liang, Chen", "Hong, Yili", "Gu, Bin"}, "2018",
                       "International Conference on Information Systems", "", "1--17");
  auto copy = paper;
  copy.doi = "10.2139/SSRN.3266249";
  expect_decision(compare_records(paper, copy), match_decision::duplicate, match_reason::none);
  // Without a venue the DOI makes it a preprint.
  copy.journal.clear();
  expect_decision(compare_records(paper, copy), match_decision::uncertain,
                  match_reason::preprint_and_article);
}

TEST(records_dedup_test, a_record_without_a_title_is_shown_not_merged) {
  auto untitled = nejm_medline();
  untitled.title.clear();
  untitled.doi.clear();
  const auto c = compare_records(nejm_medline(), untitled);
  expect_decision(c, match_decision::uncertain, match_reason::weak_evidence);
  EXPECT_TRUE(c.strong);  // the coordinates agree: it may stay in a group its title vouches for
  EXPECT_FALSE(c.title.has_value());
}

TEST(records_dedup_test, editorials_of_one_title_in_each_issue_stay_apart) {
  std::vector<bib_record> records;
  for (int issue = 1; issue <= 4; ++issue) {
    auto r = article(std::to_string(issue), "Editor's Comments", {"Weber, Ron"}, "2002",
                     "MIS Quarterly", "26", "");
    r.issue = std::to_string(issue);
    records.push_back(r);
  }
  const auto result = deduplicate(records);
  EXPECT_TRUE(result.groups.empty());
  EXPECT_TRUE(result.uncertain.empty());  // a short title with a contradiction: settled
}

// ---- Groups -----------------------------------------------------------------------------------

TEST(records_dedup_test, groups_are_connected_components_sorted) {
  auto a = nejm_medline();
  auto b = nejm_medline();
  b.id = "b";
  b.title = "INHALED COMBINED BUDESONIDE-FORMOTEROL AS NEEDED IN MILD ASTHMA";
  auto c = nejm_medline();
  c.id = "c";
  c.doi = "doi:10.1056/nejmoa1715274";
  c.authors = {"O'Byrne, P. M.", "FitzGerald, J. M.", "Bateman, E. D.", "Barnes, P. J."};
  const auto other =
      article("x", "Tiotropium in asthma poorly controlled with standard therapy",
              {"Kerstjens HA", "Engel M"}, "2012", "N Engl J Med", "367", "1198-207");
  const std::vector<bib_record> records = {other, a, other, b, c};
  const auto result = deduplicate(records);
  ASSERT_EQ(result.groups.size(), 2u);
  EXPECT_EQ(result.groups[0], (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(result.groups[1], (std::vector<std::size_t>{1, 3, 4}));
  EXPECT_EQ(result.stats.records, 5u);
  EXPECT_EQ(result.stats.groups, 2u);
  EXPECT_EQ(result.stats.removed, 3u);
  EXPECT_EQ(result.stats.duplicate_pairs, 4u);
  EXPECT_EQ(result.stats.guard_removals, 0u);
  EXPECT_TRUE(result.uncertain.empty());
}

TEST(records_dedup_test, chaining_guard_keeps_conflicting_records_apart) {
  // A and C give different DOIs; B gives none and matches each. Union-find alone would put all
  // three in one group; the guard keeps the representative (B, two links) with A (first of the
  // two by index) and lists the group {A, B} against C once, by its best pair B-C (chained).
  auto a = nejm_medline();
  a.id = "A";
  a.doi = "10.1000/first";
  auto b = nejm_medline();
  b.id = "B";
  b.doi.clear();
  auto c = nejm_medline();
  c.id = "C";
  c.doi = "10.1000/second";
  const std::vector<bib_record> records = {a, b, c};
  const auto result = deduplicate(records);
  ASSERT_EQ(result.groups.size(), 1u);
  EXPECT_EQ(result.groups[0], (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(result.stats.guard_removals, 1u);
  ASSERT_EQ(result.uncertain.size(), 1u);
  EXPECT_EQ(result.uncertain[0].a, 1u);
  EXPECT_EQ(result.uncertain[0].b, 2u);
  EXPECT_EQ(result.uncertain[0].reason, match_reason::chained);
  EXPECT_DOUBLE_EQ(result.uncertain[0].score, compare_records(b, c).score);
  // A-C directly: the DOIs differ.
  expect_decision(compare_records(a, c), match_decision::uncertain, match_reason::doi_differs);
}

TEST(records_dedup_test, removals_are_counted_per_source_pair) {
  auto b = nejm_medline();
  b.title = "Inhaled combined budesonide-formoterol as needed in mild asthma";
  auto c = nejm_medline();
  c.authors = {"O'Byrne, Paul M", "FitzGerald, J Mark", "Bateman, Eric D", "Barnes, Peter J"};
  const auto other =
      article("x", "Tiotropium in asthma poorly controlled with standard therapy",
              {"Kerstjens HA", "Engel M"}, "2012", "N Engl J Med", "367", "1198-207");
  auto other2 = other;
  other2.doi = "https://doi.org/10.1056/NEJMoa1208606";
  const std::vector<bib_record> records = {nejm_medline(), other, b, c, other2};
  const std::vector<std::string> sources = {"MEDLINE", "MEDLINE", "Embase", "MEDLINE", "Embase"};
  const auto result = deduplicate(records, sources);
  ASSERT_TRUE(result) << result.error().what();
  ASSERT_EQ(result->groups.size(), 2u);
  ASSERT_EQ(result->removed_by_source.size(), 2u);
  EXPECT_EQ(result->removed_by_source[0].kept, "MEDLINE");
  EXPECT_EQ(result->removed_by_source[0].removed, "Embase");
  EXPECT_EQ(result->removed_by_source[0].count, 2u);
  EXPECT_EQ(result->removed_by_source[1].kept, "MEDLINE");
  EXPECT_EQ(result->removed_by_source[1].removed, "MEDLINE");
  EXPECT_EQ(result->removed_by_source[1].count, 1u);
}

TEST(records_dedup_test, errors_are_reported_in_full) {
  const std::vector<bib_record> records = {nejm_medline(), nejm_medline()};
  const std::vector<std::string> one = {"MEDLINE"};
  const auto mismatch = deduplicate(records, one);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(std::string(mismatch.error().what()),
            "[srma.input.E213] records has 2 values and sources 1; they must have the same "
            "length");
  const std::vector<std::string> two = {"MEDLINE", "Embase"};
  dedup_options bad;
  bad.max_block = 1;
  EXPECT_EQ(bad.validate(), "max_block is 1, but must be at least 2");
  const auto invalid = deduplicate(records, two, bad);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(std::string(invalid.error().what()),
            "[srma.review.E640] deduplicate: max_block is 1, but must be at least 2");
  dedup_options no_window;
  no_window.window = 0;
  EXPECT_EQ(no_window.validate(), "window is 0, but must be at least 1");
  EXPECT_EQ(dedup_options{}.validate(), "");
  // The plain overload takes the nearest valid options instead.
  EXPECT_EQ(deduplicate(records, bad).groups.size(), 1u);
}

TEST(records_dedup_test, empty_and_single_inputs) {
  const auto none = deduplicate(std::vector<bib_record>{});
  EXPECT_TRUE(none.groups.empty());
  EXPECT_TRUE(none.uncertain.empty());
  EXPECT_EQ(none.stats.records, 0u);
  const std::vector<bib_record> one = {nejm_medline()};
  const auto single = deduplicate(one);
  EXPECT_TRUE(single.groups.empty());
  EXPECT_EQ(single.stats.records, 1u);
  // Records with no fields at all are never duplicates of each other.
  const std::vector<bib_record> blank(5);
  const auto blanks = deduplicate(blank);
  EXPECT_TRUE(blanks.groups.empty());
  EXPECT_TRUE(blanks.uncertain.empty());
}

// Many records: distinct articles plus perturbed copies, with a fixed seed.
std::vector<bib_record> many_records(std::size_t distinct, std::size_t copies) {
  static const std::vector<std::string> words = {
      "asthma",   "budesonide", "trial",   "children", "cohort", "risk",      "screening",
      "cervical", "cancer",     "outcome", "therapy",  "effect", "mortality", "pleural",
      "effusion", "infection",  "adults",  "surgery",  "review", "dose",      "placebo"};
  std::mt19937 rng(11);
  std::vector<bib_record> out;
  for (std::size_t k = 0; k < distinct; ++k) {
    std::string title;
    for (int w = 0; w < 9; ++w) title += (w ? " " : "") + words[rng() % words.size()];
    title += " " + std::to_string(k);  // every article its own number: no two alike
    out.push_back(article("r" + std::to_string(k), title,
                          {"Author" + std::to_string(rng() % 500) + ", A", "Second, B"},
                          std::to_string(1990 + rng() % 30),
                          "Journal " + std::to_string(rng() % 40), std::to_string(1 + rng() % 90),
                          std::to_string(1 + rng() % 3000)));
  }
  for (std::size_t k = 0; k < copies; ++k) {
    auto c = out[rng() % distinct];
    c.id += "-copy" + std::to_string(k);
    for (auto& ch : c.title) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    c.title += ".";
    out.push_back(c);
  }
  return out;
}

TEST(records_dedup_test, output_does_not_depend_on_order_threads_or_runs) {
  const auto records = many_records(600, 200);
  dedup_options serial;
  serial.parallel = false;
  const auto first = deduplicate(records);
  const auto second = deduplicate(records);
  const auto one_thread = deduplicate(records, serial);
  EXPECT_EQ(first.groups, second.groups);
  EXPECT_EQ(first.groups, one_thread.groups);
  ASSERT_EQ(first.uncertain.size(), one_thread.uncertain.size());
  for (std::size_t k = 0; k < first.uncertain.size(); ++k) {
    EXPECT_EQ(first.uncertain[k].a, one_thread.uncertain[k].a);
    EXPECT_EQ(first.uncertain[k].b, one_thread.uncertain[k].b);
  }
  EXPECT_GT(first.groups.size(), 100u);
  for (const auto& g : first.groups) EXPECT_TRUE(std::is_sorted(g.begin(), g.end()));
  EXPECT_TRUE(std::is_sorted(first.groups.begin(), first.groups.end()));
  // Shuffled input gives the same groups of record ids.
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937(3));
  std::vector<bib_record> shuffled;
  for (auto i : order) shuffled.push_back(records[i]);
  const auto again = deduplicate(shuffled);
  auto id_groups = [](const dedup_result& r, const std::vector<bib_record>& recs) {
    std::vector<std::vector<std::string>> out;
    for (const auto& g : r.groups) {
      std::vector<std::string> ids;
      for (auto i : g) ids.push_back(recs[i].id);
      std::sort(ids.begin(), ids.end());
      out.push_back(ids);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(id_groups(first, records), id_groups(again, shuffled));
}

TEST(records_dedup_test, blocking_keeps_the_work_near_linear) {
  // Every copy is found (recall 1 on exact-but-for-case copies) and the pairs compared stay a
  // small multiple of the records.
  const auto records = many_records(3000, 1000);
  const auto result = deduplicate(records);
  // Each group is an article with its copies, so the records removed are the copies.
  EXPECT_EQ(result.stats.removed, 1000u);
  for (const auto& g : result.groups)
    for (auto i : g) EXPECT_EQ(records[i].id.substr(0, records[i].id.find('-')), records[g[0]].id);
  EXPECT_LT(result.stats.candidate_pairs, 10u * records.size());
  // A DOI shared by 300 chapters of one book is one huge block: compared within a window only.
  std::vector<bib_record> book;
  for (int k = 0; k < 300; ++k)
    book.push_back(article("ch" + std::to_string(k),
                           "Chapter on topic " + std::to_string(k * 7919 % 1000) + " of medicine",
                           {"Editor, E"}, "2020", "Textbook of Medicine", "", "", "10.1000/book"));
  dedup_options options;
  const auto chapters = deduplicate(book, options);
  EXPECT_TRUE(chapters.groups.empty());
  EXPECT_LE(chapters.stats.candidate_pairs, book.size() * options.window);
}

TEST(records_dedup_test, to_string_names_every_decision_and_reason) {
  EXPECT_EQ(to_string(match_decision::distinct), "distinct");
  EXPECT_EQ(to_string(match_decision::uncertain), "uncertain");
  EXPECT_EQ(to_string(match_decision::duplicate), "duplicate");
  EXPECT_EQ(to_string(match_reason::none), "none");
  EXPECT_EQ(to_string(match_reason::weak_evidence), "weak_evidence");
  EXPECT_EQ(to_string(match_reason::notice_and_article), "notice_and_article");
  EXPECT_EQ(to_string(match_reason::comment_and_article), "comment_and_article");
  EXPECT_EQ(to_string(match_reason::preprint_and_article), "preprint_and_article");
  EXPECT_EQ(to_string(match_reason::conference_and_article), "conference_and_article");
  EXPECT_EQ(to_string(match_reason::year_differs), "year_differs");
  EXPECT_EQ(to_string(match_reason::pmid_differs), "pmid_differs");
  EXPECT_EQ(to_string(match_reason::doi_differs), "doi_differs");
  EXPECT_EQ(to_string(match_reason::volume_differs), "volume_differs");
  EXPECT_EQ(to_string(match_reason::pages_differ), "pages_differ");
  EXPECT_EQ(to_string(match_reason::title_numbers_differ), "title_numbers_differ");
  EXPECT_EQ(to_string(match_reason::issue_differs), "issue_differs");
  EXPECT_EQ(to_string(match_reason::authors_differ), "authors_differ");
  EXPECT_EQ(to_string(match_reason::journal_differs), "journal_differs");
  EXPECT_EQ(to_string(match_reason::chained), "chained");
}

}  // namespace
}  // namespace srma
