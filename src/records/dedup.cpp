// De-duplication of bibliographic records (srma/records/dedup.hpp): features per record,
// blocking keys, pair comparison and rules, groups with the chaining guard.
#include "srma/records/dedup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dedup_similarity.hpp"
#include "srma/records/normalize.hpp"
#include "srma/util/check.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"

namespace srma {
namespace {

using detail::jaro_winkler;
using detail::levenshtein_similarity;

// ---- Thresholds of the rules (review.md §2.1; ASySD's identify_true_matches uses the same
// scale: title > 0.9 or 0.95, author > 0.75 or 0.9, journal > 0.9). ---------------------------
constexpr double k_title_certain = 0.95;    // titles that agree (a few typing differences)
constexpr double k_title_close = 0.90;      // titles that agree up to small wording changes
constexpr double k_title_similar = 0.85;    // similar enough to show a person
constexpr double k_title_translated = 0.6;  // titles of a record without authors that the
                                            // journal, volume and page range place together
constexpr double k_authors_ok = 0.75;       // most of the shorter author list found in the other
constexpr double k_authors_strong = 0.90;
constexpr double k_authors_differ = 0.5;   // below: the author lists disagree
constexpr double k_field_agrees = 0.90;    // journal, abstract
constexpr double k_journal_differs = 0.5;  // journal names with less in common are different
constexpr std::size_t k_short_title = 30;  // letters; shorter titles ("Editorial") say little
constexpr std::size_t k_abstract_letters = 500;
constexpr std::size_t k_min_abstract = 100;
// Components up to this size are checked pair by pair for contradictions inside a group.
constexpr std::size_t k_guard_all_pairs = 200;

// The language of a title, as far as its function words tell (language_of).
enum class title_language { unknown, english, other };

// The kind of publication a record is, from its type, title, journal and DOI.
enum class record_kind { article, notice, comment, preprint, conference };

struct author_key {
  std::string last;                // last name, its parts joined ("lequintrec")
  std::string initials;            // of the given names ("pm")
  std::string main;                // longest part of the last name ("quintrec"), at least 3 letters
  std::vector<std::string> words;  // every word of the name with at least 3 letters
};

// A journal or meeting name as compared: its key (journal_key) and the key's words.
struct journal_name {
  std::string key;
  std::vector<std::string> words;
};

// Everything a comparison needs, computed once per record.
struct features {
  std::string title;             // normalised title
  std::string title_key;         // normalised title without spaces
  std::string second_title_key;  // the title in another language the record also gives, or ""
  title_language language = title_language::unknown;
  bool bracketed = false;  // the whole title in square brackets: translated by the database
  std::vector<std::string> title_numbers;
  std::vector<std::string> title_part_numbers;  // only the numbers that are words of their own
  std::vector<author_key> authors;
  int year = 0;
  std::string journal;  // normalised, parentheses and stop words removed, words joined by ' '
  // Every name the journal field gives (journal_names): the main one first.
  std::vector<journal_name> journal_names;
  std::string volume;        // first run of digits
  std::string issue;         // first run of digits
  std::string first_page;    // "s11", "1865", "e0209483"
  std::string last_page;     // "1876" of "1865-1876"; "" without a last page
  std::string first_digits;  // the digits of the first and last page ("37" of "c37")
  std::string last_digits;
  bool page_range_invalid = false;  // the last page is before the first ("2297-2108")
  std::string page_text;            // the pages as normalised text, when they are not a page range
  long first_number = -1;           // first and last page of a plain numeric range ("1865-1876")
  long last_number = -1;
  bool page_letter = false;
  bool page_article_number = false;  // six or more digits: an article number, not a page
  std::string doi;
  std::string pmid;
  std::string isbn;
  std::string abstract_key;  // normalised, no spaces, first 500 bytes
  record_kind kind = record_kind::article;
  bool retraction = false;       // a notice that retracts or expresses concern (never merged)
  bool journal_type = false;     // the type says journal article
  bool conference_type = false;  // the type says conference paper or abstract
  int filled = 0;                // number of fields given (to choose a representative)
};

bool contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}
bool starts_with(std::string_view s, std::string_view what) {
  return s.size() >= what.size() && s.substr(0, what.size()) == what;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::string without_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != ' ') out += c;
  return out;
}

std::string digits_of(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

std::string first_digit_run(std::string_view s, std::size_t max_len) {
  std::size_t i = 0;
  while (i < s.size() && !(s[i] >= '0' && s[i] <= '9')) ++i;
  std::size_t j = i;
  while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
  if (j == i || j - i > max_len) return {};
  auto run = s.substr(i, j - i);
  while (run.size() > 1 && run.front() == '0') run.remove_prefix(1);
  return std::string(run);
}

// Numbers in a title: runs of digits (leading zeros dropped) and roman numerals II-XX written as
// words, plus "I" after part, phase, type, stage, grade, class, study or trial; sorted. Two
// records whose titles carry different numbers report different things ("Part 1" and "Part 2",
// "5-year" and "10-year follow-up").
std::vector<std::string> title_numbers(std::string_view title, bool standalone_only = false) {
  static constexpr std::array<std::string_view, 20> k_roman = {
      "i",  "ii",  "iii",  "iv",  "v",  "vi",  "vii",  "viii",  "ix",  "x",
      "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
  std::vector<std::string> out;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < title.size();) {
    if (is_digit(title[i])) {
      // Digit groups of thousands ("10 000", "10,000" and "10000" are one number).
      std::string run;
      std::size_t j = i;
      while (true) {
        while (j < title.size() && is_digit(title[j])) run += title[j++];
        if (j + 4 <= title.size() && title[j] == ' ' && is_digit(title[j + 1]) &&
            is_digit(title[j + 2]) && is_digit(title[j + 3]) &&
            (j + 4 == title.size() || !is_digit(title[j + 4])) && run.size() <= 3) {
          ++j;
          continue;
        }
        break;
      }
      while (run.size() > 1 && run.front() == '0') run.erase(0, 1);
      // A number inside a word ("p16ink4a", "h1n1") names a thing; standalone_only skips it.
      const bool in_word = (i > 0 && title[i - 1] != ' ') || (j < title.size() && title[j] != ' ');
      if (!(standalone_only && in_word)) out.push_back(std::move(run));
      i = j;
    } else {
      ++i;
    }
  }
  const auto words = words_of(title);
  for (std::size_t w = 0; w < words.size(); ++w) {
    const auto it = std::find(k_roman.begin(), k_roman.end(), words[w]);
    if (it == k_roman.end()) continue;
    const auto value = static_cast<int>(it - k_roman.begin()) + 1;
    // "v" and "x" alone are letters more often than numerals ("vitamin A v. B", "factor X"), and
    // "i" is a numeral only after a word that numbers things.
    if (value == 5 || value == 10) continue;
    if (value == 1) {
      if (w == 0) continue;
      const auto prev = words[w - 1];
      if (!(prev == "part" || prev == "phase" || prev == "type" || prev == "stage" ||
            prev == "grade" || prev == "class" || prev == "study" || prev == "trial"))
        continue;
    }
    out.push_back(std::to_string(value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Position of `what` (lower-case ASCII) in `s`, ignoring case; npos when absent.
std::size_t find_ascii_ci(std::string_view s, std::string_view what) {
  if (what.empty() || s.size() < what.size()) return std::string_view::npos;
  for (std::size_t i = 0; i + what.size() <= s.size(); ++i) {
    std::size_t k = 0;
    while (k < what.size() && std::tolower(static_cast<unsigned char>(s[i + k])) == what[k]) ++k;
    if (k == what.size()) return i;
  }
  return std::string_view::npos;
}

bool is_journal_stop_word(std::string_view w) {
  static constexpr std::array<std::string_view, 20> k_stop = {
      "the", "of",  "and", "in", "for", "on", "de", "la", "le", "und",
      "der", "die", "des", "du", "et",  "y",  "a",  "an", "to", "official"};
  return std::find(k_stop.begin(), k_stop.end(), w) != k_stop.end();
}

// Journal name for matching: text in parentheses dropped ("BMJ (Clinical research ed.)"), only
// the part before " = " or " : " (parallel titles, subtitles), stop words removed, and for
// conference series the words that number or date a meeting ("25th", "2019", "Proceedings",
// "Annual").
std::string journal_key(std::string_view journal, bool keep_subtitle = false) {
  std::string j;
  int depth = 0;
  for (char c : journal) {
    if (c == '(' || c == '[') {
      ++depth;
      continue;
    }
    if (c == ')' || c == ']') {
      depth = std::max(0, depth - 1);
      continue;
    }
    if (depth == 0) j += c;
  }
  for (std::string_view sep : {" = ", " : ", ": "}) {
    if (keep_subtitle && sep != " = ") continue;
    if (const auto pos = j.find(sep); pos != std::string::npos && pos > 0) j.erase(pos);
  }
  const std::string norm = normalize_text(j);
  std::string out;
  for (auto w : words_of(norm)) {
    if (is_journal_stop_word(w) || w == "proceedings" || w == "proc" || w == "annual" ||
        std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// The names a journal field gives, each as a journal_key: the whole field first; then, when
// there are several, each parallel title ("Ai zheng = Aizheng = Chinese journal of cancer"),
// the name with its subtitle ("Clinical Medicine Insights: Circulatory, Respiratory and
// Pulmonary Medicine", abbreviated from all of it), a name in square brackets ("Gan to Kagaku
// Ryoho [Japanese Journal of Cancer & Chemotherapy]"), and Embase's journal and meeting of a
// conference abstract ("Pediatric Nephrology.Conference: 44th Annual Scientific Meeting of the
// European Society for Paediatric Nephrology").
std::vector<journal_name> journal_names_of(std::string_view journal) {
  std::vector<std::string> keys{journal_key(journal)};
  auto add = [&](std::string key) {
    if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end())
      keys.push_back(std::move(key));
  };
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto pos = journal.find(" = ", start);
    parts.push_back(journal.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 3;
  }
  for (auto part : parts) {
    const auto conf = find_ascii_ci(part, "conference:");
    if (conf != std::string_view::npos && conf > 0) {
      add(journal_key(part.substr(0, conf)));
      add(journal_key(part.substr(conf + 11)));
    }
    if (parts.size() > 1) add(journal_key(part));
    if (part.find(':') != std::string_view::npos) add(journal_key(part, true));
    const auto open = part.find('[');
    const auto close = part.find(']', open);
    if (open != std::string_view::npos && close != std::string_view::npos) {
      std::string inside = journal_key(part.substr(open + 1, close - open - 1));
      if (inside != "electronic resource") add(std::move(inside));
    }
  }
  std::vector<journal_name> out;
  if (keys.front().empty()) return out;
  for (auto& k : keys) {
    journal_name n;
    for (auto w : words_of(k)) n.words.emplace_back(w);
    n.key = std::move(k);
    out.push_back(std::move(n));
  }
  return out;
}

bool type_is(std::string_view type_lower, std::initializer_list<std::string_view> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](std::string_view p) { return contains(type_lower, p); });
}

// Where the last parenthesised group of a title starts, when the title ends in it (closed, or
// cut off before its closing parenthesis); npos when the title does not end in a group.
std::size_t trailing_group(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '.' || t.back() == '"')) t.remove_suffix(1);
  std::vector<std::size_t> open;
  std::size_t last_closed = std::string_view::npos;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '(') {
      open.push_back(i);
    } else if (t[i] == ')' && !open.empty()) {
      if (open.size() == 1) last_closed = open.front();
      open.pop_back();
    }
  }
  if (!open.empty()) return open.front();
  if (!t.empty() && t.back() == ')') return last_closed;
  return std::string_view::npos;
}

// Embase titles a correction "<title> (<journal> (<year>) <volume> (<issue>) (<pages>))": a year
// in parentheses followed by a number inside the group that ends the title.
bool has_embase_citation(std::string_view title) {
  const auto g = trailing_group(title);
  if (g == std::string_view::npos) return false;
  const auto inside = title.substr(g + 1);
  for (std::size_t i = 0; i + 8 <= inside.size(); ++i) {
    if (inside[i] != '(' || inside[i + 5] != ')') continue;
    const auto year = inside.substr(i + 1, 4);
    if (!std::all_of(year.begin(), year.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    if (year[0] != '1' && year[0] != '2') continue;
    if (inside[i + 6] == ' ' && inside[i + 7] >= '0' && inside[i + 7] <= '9') return true;
  }
  return false;
}

// The title of the article a notice is about, to compare two notices: without the citation
// after it (Web of Science's "(vol 360, pg 542, 2009)", Embase's "(New England Journal of
// Medicine (2009) 360 (542-544))", also when cut off) and without the words before it
// ("Erratum:", "Correction to", "Notice of retraction:").
std::string notice_subject(std::string_view title) {
  std::string_view t = title;
  if (const auto g = trailing_group(t); g != std::string_view::npos && g >= 20) {
    const auto group = t.substr(g);
    const bool cut_off = group.find(')') == std::string_view::npos;
    if (cut_off ||
        std::any_of(group.begin(), group.end(), [](char c) { return c >= '0' && c <= '9'; }))
      t = t.substr(0, g);
  }
  const std::string norm = normalize_title(t);
  static constexpr std::array<std::string_view, 20> k_notice_words = {
      "erratum",     "errata",     "corrigendum", "corrigenda", "correction",
      "corrections", "author",     "authors",     "publisher",  "publishers",
      "notice",      "retraction", "retracted",   "expression", "concern",
      "of",          "to",         "for",         "on",         "article"};
  const auto words = words_of(norm);
  std::size_t skip = 0;
  while (skip < words.size() && skip < 4 &&
         std::find(k_notice_words.begin(), k_notice_words.end(), words[skip]) !=
             k_notice_words.end())
    ++skip;
  std::string out;
  for (std::size_t w = skip; w < words.size(); ++w) {
    if (!out.empty()) out += ' ';
    out += words[w];
  }
  return out;
}

// A notice that retracts an article, withdraws it or expresses concern about it: readers of the
// article must see it, so it is never grouped away with the article.
bool is_retraction(const bib_record& r) {
  const std::string type = lower_ascii(r.type);
  if (type_is(type, {"retract", "concern", "withdraw"})) return true;
  const std::string head = lower_ascii(r.title.substr(0, 60));
  std::string_view t = head;
  while (!t.empty() && (t.front() == ' ' || t.front() == '[' || t.front() == '"'))
    t.remove_prefix(1);
  for (std::string_view p : {"retraction", "retracted", "notice of retraction",
                             "expression of concern", "withdrawn", "withdrawal"})
    if (starts_with(t, p)) return true;
  return false;
}

record_kind kind_of(const bib_record& r, std::string_view title_norm, std::string_view doi,
                    std::string_view journal_norm) {
  const std::string type = lower_ascii(r.type);
  const std::string raw_title = lower_ascii(r.title.substr(0, 60));
  std::string_view t = raw_title;
  while (!t.empty() && (t.front() == ' ' || t.front() == '[' || t.front() == '"'))
    t.remove_prefix(1);
  // Notices about another publication: they share its title but are other records.
  if (type_is(type, {"errat", "corrig", "retract", "correction"})) return record_kind::notice;
  for (std::string_view p :
       {"erratum", "errata", "corrigendum", "corrigenda", "correction:", "correction to ",
        "correction for ", "corrections", "author correction", "publisher correction",
        "publisher's note", "retraction", "retracted", "notice of retraction",
        "expression of concern", "withdrawn:"})
    if (starts_with(t, p)) return record_kind::notice;
  {
    const auto words = words_of(title_norm);
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (words[w] == "erratum" || words[w] == "corrigendum") return record_kind::notice;
      // Web of Science titles a correction "<title> (vol 360, pg 542, 2009)".
      if (words[w] == "vol" && w + 2 < words.size() && words[w + 2] == "pg")
        return record_kind::notice;
    }
  }
  if (has_embase_citation(r.title)) return record_kind::notice;
  if (type_is(type, {"comment"})) return record_kind::comment;
  for (std::string_view p :
       {"re:", "re ", "reply", "in reply", "response to", "author reply", "authors reply",
        "authors' reply", "comment on", "comments on", "commentary on"})
    if (starts_with(t, p)) return record_kind::comment;
  if (type_is(type, {"preprint", "posted content", "posted_content"})) return record_kind::preprint;
  for (std::string_view p : {"medrxiv", "biorxiv", "arxiv", "ssrn", "research square",
                             "researchsquare", "preprints", "chemrxiv", "psyarxiv"})
    if (contains(journal_norm, p)) return record_kind::preprint;
  // DOI prefixes of preprint servers: bioRxiv/medRxiv (10.1101/ + digits), Research Square,
  // SSRN, arXiv, Preprints.org; unless the record names a journal or meeting that is no
  // preprint server (SSRN keeps copies of papers published elsewhere, and a database may give
  // the paper with the copy's DOI).
  if (journal_norm.empty() &&
      ((starts_with(doi, "10.1101/") && doi.size() > 8 && doi[8] >= '0' && doi[8] <= '9') ||
       starts_with(doi, "10.21203/rs.") || starts_with(doi, "10.2139/ssrn") ||
       starts_with(doi, "10.48550/arxiv") || starts_with(doi, "10.20944/preprints")))
    return record_kind::preprint;
  return record_kind::article;
}

// A corporate author ("ALTS Group", "ASCUS-LSIL Triage Study", "WHO Collaborating Centre"):
// databases list it, or leave it out, or put it first, so it is not compared as a person.
bool is_corporate_author(std::string_view name) {
  static constexpr std::array<std::string_view, 24> k_words = {
      "group",         "study",     "studies",    "consortium",  "collaboration", "collaborative",
      "investigators", "committee", "society",    "association", "team",          "network",
      "trial",         "trialists", "working",    "force",       "organization",  "organisation",
      "institute",     "council",   "foundation", "centre",      "center",        "program"};
  const std::string n = normalize_text(name);
  const auto words = words_of(n);
  return std::any_of(words.begin(), words.end(), [](std::string_view w) {
    return std::find(k_words.begin(), k_words.end(), w) != k_words.end();
  });
}

// A text in square brackets after a title that is the title in another language ("Crowdwork:
// Applying a relational inequality theory [Arbeiten in der Crowd: Perspektiven ...]"), not a
// note: five words or more, not starting with a word of the notes databases write there
// ("[Erratum appears in ...]", "[Review] [108 refs]", "[Epub ahead of print]", "[Research
// Support, Non-U.S. Gov't]", "[Abstract No. 0535]").
bool is_bracket_translation(std::string_view inside) {
  const std::string norm = normalize_text(inside);
  const auto words = words_of(norm);
  if (words.size() < 5) return false;
  static constexpr std::array<std::string_view, 24> k_note_words = {
      "erratum",    "errata",    "comment",    "comments",   "see",        "retracted",
      "retraction", "published", "update",     "updated",    "corrected",  "reprint",
      "review",     "abstract",  "article",    "note",       "commentary", "electronic",
      "epub",       "research",  "randomized", "randomised", "letter",     "editorial"};
  return std::find(k_note_words.begin(), k_note_words.end(), words[0]) == k_note_words.end();
}

// The title without the notes databases append in square brackets: Ovid's "[Erratum appears
// in ...]", "[Review] [108 refs]", "[Spanish]", Embase's "[1]"; also a note cut off before its
// closing bracket. A title that is all in brackets (a translated title) is kept. A title in
// another language in the last brackets goes to `translation` (when given).
std::string strip_title_notes(std::string_view title, std::string* translation = nullptr) {
  // MEDLINE marks a corrected word with "[corrected]" inside the title.
  std::string owned(title);
  for (std::size_t pos = owned.find("[corrected]"); pos != std::string::npos;
       pos = owned.find("[corrected]"))
    owned.erase(pos, 11);
  std::string_view t = owned;
  // Quotes around the whole title (some exports quote every field).
  while (!t.empty() && (t.front() == '"' || t.front() == ' ')) t.remove_prefix(1);
  while (true) {
    while (!t.empty() && (t.back() == '"' || t.back() == ' ')) t.remove_suffix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '.' || t.back() == ','))
      t.remove_suffix(1);
    // The record notes of the CRD databases (DARE, NHS EED, HTA) and Embase's "(multiple
    // letters)", also cut off before the closing parenthesis.
    if (const auto paren = t.rfind('('); paren != std::string_view::npos && paren > 0) {
      const std::string note = lower_ascii(t.substr(paren + 1));
      bool is_note = false;
      for (std::string_view n : {"structured abstract", "brief record", "provisional abstract",
                                 "project record", "multiple letters"})
        if (note.size() >= 6 &&
            (starts_with(n, note.substr(0, note.find(')'))) || starts_with(note, n)))
          is_note = true;
      if (is_note) {
        t = t.substr(0, paren);
        continue;
      }
    }
    const auto open = t.rfind('[');
    if (open == std::string_view::npos || open == 0) return std::string(t);
    if (t.back() != ']' && t.find(']', open) != std::string_view::npos) return std::string(t);
    const auto before = t.substr(0, open);
    if (before.find_first_not_of(" .[") == std::string_view::npos) return std::string(t);
    if (translation != nullptr && translation->empty() && t.back() == ']') {
      const auto inside = t.substr(open + 1, t.size() - open - 2);
      if (is_bracket_translation(inside)) *translation = std::string(inside);
    }
    t = before;
  }
}

// The language of a normalised title, as far as its function words tell: English, another
// language, or unknown (no function word, or as many of each).
title_language language_of(std::string_view title) {
  static constexpr std::array<std::string_view, 18> k_english = {
      "the", "of",  "and",   "for",     "with",  "on",     "to",     "by",     "from",
      "is",  "are", "after", "between", "among", "versus", "during", "within", "an"};
  // Function words of German, French, Spanish, Italian, Portuguese and Dutch that are no English
  // words.
  static constexpr std::array<std::string_view, 62> k_other = {
      "der",   "und",  "fur", "mit",   "von",   "zur",   "zum", "bei", "eine",  "einer", "des",
      "dem",   "den",  "auf", "nach",  "uber",  "le",    "les", "et",  "dans",  "pour",  "avec",
      "une",   "du",   "aux", "sur",   "chez",  "par",   "el",  "los", "las",   "del",   "y",
      "con",   "para", "por", "una",   "sobre", "entre", "il",  "gli", "della", "delle", "dei",
      "degli", "di",   "nel", "nella", "os",    "dos",   "em",  "com", "uma",   "um",    "na",
      "het",   "een",  "en",  "van",   "voor",  "bij",   "op"};
  int english = 0;
  int other = 0;
  for (auto w : words_of(title)) {
    if (std::find(k_english.begin(), k_english.end(), w) != k_english.end()) ++english;
    if (std::find(k_other.begin(), k_other.end(), w) != k_other.end()) ++other;
  }
  // Titles in other scripts (Cyrillic, Chinese ...) keep their letters after normalisation.
  std::size_t non_ascii = 0;
  for (char c : title) non_ascii += (static_cast<unsigned char>(c) & 0x80) != 0 ? 1 : 0;
  if (non_ascii * 2 > title.size()) return title_language::other;
  if (english > other) return title_language::english;
  if (other > english) return title_language::other;
  return title_language::unknown;
}

features make_features(const bib_record& r) {
  features f;
  // Ovid and Embase give the title in the original language after "<ORIGINAL>"; databases put a
  // translation in brackets after the title. Either is the record's second title.
  std::string_view raw_title = r.title;
  std::string second_title;
  if (const auto pos = find_ascii_ci(raw_title, "<original>"); pos != std::string_view::npos) {
    second_title = std::string(raw_title.substr(pos + 10));
    raw_title = raw_title.substr(0, pos);
  }
  std::string translation;
  std::string title = normalize_title(strip_title_notes(raw_title, &translation));
  if (!translation.empty()) second_title = translation;
  if (!second_title.empty()) {
    f.second_title_key = without_spaces(normalize_title(strip_title_notes(second_title)));
    if (f.second_title_key.size() < 20) f.second_title_key.clear();
  }
  f.title = title;
  f.title_key = without_spaces(title);
  f.title_numbers = title_numbers(title);
  f.title_part_numbers = title_numbers(title, true);
  f.language = language_of(title);
  {
    // MEDLINE puts a title it translated into English in square brackets.
    std::string_view t = raw_title;
    while (!t.empty() && (t.front() == ' ' || t.front() == '"')) t.remove_prefix(1);
    f.bracketed = !t.empty() && t.front() == '[';
  }
  for (const auto& a : r.authors) {
    if (f.authors.size() >= 30) break;
    const std::string n = normalize_author(a);
    if (n.empty() || is_corporate_author(a)) continue;
    const auto sp = n.find(' ');
    author_key k;
    k.last = n.substr(0, sp);
    if (sp != std::string::npos) k.initials = n.substr(sp + 1);
    const std::string words = normalize_text(a);
    for (auto w : words_of(words)) {
      if (w.size() < 3) continue;
      k.words.emplace_back(w);
      if (w.size() > k.main.size() && contains(k.last, w)) k.main = std::string(w);
    }
    f.authors.push_back(std::move(k));
  }
  const std::string year = normalize_year(r.year);
  f.year = year.empty() ? 0 : std::stoi(year);
  f.journal_names = journal_names_of(r.journal);
  if (!f.journal_names.empty()) f.journal = f.journal_names.front().key;
  // A volume with a closing bracket before any opening one ("1)") is a fragment of a field an
  // export cut ("61 (10 SUPPL. 1)"), not a volume.
  if (const auto close = r.volume.find(')');
      close == std::string::npos || r.volume.find('(') < close)
    f.volume = first_digit_run(r.volume, 6);
  f.issue = first_digit_run(r.issue, 4);
  {
    const std::string pages = normalize_pages(r.pages);
    const std::string first = pages.substr(0, pages.find('-'));
    // A first page is letters (at most two), digits, letters (at most two); anything else
    // ("t-8", "01 jun": dates a spreadsheet made of page ranges) is no page.
    std::size_t i = 0;
    while (i < first.size() && first[i] >= 'a' && first[i] <= 'z') ++i;
    const std::size_t p = i;
    while (i < first.size() && first[i] >= '0' && first[i] <= '9') ++i;
    const std::size_t d = i;
    while (i < first.size() && first[i] >= 'a' && first[i] <= 'z') ++i;
    if (!(i == first.size() && d > p && p <= 2 && i - d <= 2))
      f.page_text = normalize_text(r.pages);
    if (i == first.size() && d > p && p <= 2 && i - d <= 2) {
      f.first_page = first;
      f.page_letter = p > 0;
      f.page_article_number = d - p >= 6;
      f.first_digits = first.substr(p, d - p);
      if (const auto dash = pages.find('-'); dash != std::string::npos) {
        f.last_page = pages.substr(dash + 1);
        f.last_digits = digits_of(f.last_page);
      }
      if (p == 0 && d == i && d <= 5) {
        f.first_number = std::stol(first);
        const std::string& last = f.last_page.empty() ? first : f.last_page;
        const bool numeric =
            !last.empty() && last.size() <= 5 &&
            std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
        f.last_number = numeric ? std::max(f.first_number, std::stol(last)) : f.first_number;
        // "2297-2108": a typing error in one of the two pages.
        f.page_range_invalid = numeric && std::stol(last) < f.first_number;
      }
    }
  }
  f.doi = normalize_doi(r.doi);
  f.pmid = first_digit_run(r.pmid, 9);
  // The first ISBN of the field: a token of 10 or 13 digits (the last may be X) once hyphens
  // are dropped. ISSNs (8 digits), which some exports put there, are no ISBN.
  for (std::size_t i = 0; i < r.isbn.size() && f.isbn.empty();) {
    std::string token;
    while (i < r.isbn.size() &&
           (std::isalnum(static_cast<unsigned char>(r.isbn[i])) || r.isbn[i] == '-')) {
      if (r.isbn[i] != '-') token += r.isbn[i] == 'x' ? 'X' : r.isbn[i];
      ++i;
    }
    ++i;
    const bool digits = !token.empty() && std::all_of(token.begin(), token.end() - 1, [](char c) {
      return c >= '0' && c <= '9';
    }) && ((token.back() >= '0' && token.back() <= '9') || token.back() == 'X');
    if (digits && (token.size() == 10 || token.size() == 13)) f.isbn = token;
  }
  {
    std::string a = without_spaces(normalize_text(r.abstract.substr(0, 4 * k_abstract_letters)));
    if (a.size() > k_abstract_letters) a.resize(k_abstract_letters);
    if (a.size() >= k_min_abstract) f.abstract_key = std::move(a);
  }
  f.kind = kind_of(r, title, f.doi, f.journal);
  if (f.kind == record_kind::notice) f.retraction = is_retraction(r);
  if (f.kind == record_kind::notice) {
    // Two notices about one article are compared by the article's title.
    title = notice_subject(strip_title_notes(raw_title));
    f.title = title;
    f.title_key = without_spaces(title);
    f.title_numbers = title_numbers(title);
    f.title_part_numbers = title_numbers(title, true);
  }
  const std::string type = lower_ascii(r.type);
  f.conference_type =
      type_is(type, {"conf", "proceed", "meeting", "congress", "symposium", "cpaper"});
  f.journal_type = !f.conference_type && type_is(type, {"jour", "article"});
  f.filled = !f.title_key.empty() + !f.authors.empty() + (f.year != 0) + !f.journal.empty() +
             !f.volume.empty() + !f.first_page.empty() + !f.doi.empty() + !f.pmid.empty() +
             !f.abstract_key.empty() + !f.isbn.empty();
  return f;
}

// ---- Field similarities ---------------------------------------------------------------------

// One title is the start of the other: cut by a database after at least 40 letters, or the
// main title without its subtitle (at least 20 letters, ending at a word's end). Or it is the
// end of the other, which has a section heading before it ("Medical progress: ..."; at least
// 20 letters, from a word's start).
bool title_is_prefix(const features& a, const features& b) {
  const bool a_shorter = a.title_key.size() <= b.title_key.size();
  const auto& shorter = a_shorter ? a.title_key : b.title_key;
  const auto& longer = a_shorter ? b.title_key : a.title_key;
  if (shorter.size() >= 40 && shorter.size() < longer.size() && starts_with(longer, shorter))
    return true;
  const auto& s = a_shorter ? a.title : b.title;
  const auto& l = a_shorter ? b.title : a.title;
  if (shorter.size() < 20 || l.size() <= s.size()) return false;
  return (starts_with(l, s) && l[s.size()] == ' ') ||
         (l.compare(l.size() - s.size(), s.size(), s) == 0 && l[l.size() - s.size() - 1] == ' ');
}

// Titles: Levenshtein similarity of the normalised titles without spaces ("post-treatment",
// "post treatment" and "posttreatment" are one word). A title that is the start of the other
// (title_is_prefix) counts 0.9.
double title_similarity(const features& a, const features& b, bool* by_containment = nullptr) {
  double s = levenshtein_similarity(a.title_key, b.title_key);
  if (s < 0.9 && title_is_prefix(a, b)) {
    s = 0.9;
    if (by_containment != nullptr) *by_containment = true;
  }
  // A record that also gives its title in another language ("English title [German title]",
  // "English title <ORIGINAL> French title"): the other record may give only that one.
  double second = 0;
  if (s < 1.0 && !a.second_title_key.empty())
    second = levenshtein_similarity(a.second_title_key, b.title_key);
  if (s < 1.0 && !b.second_title_key.empty())
    second = std::max(second, levenshtein_similarity(a.title_key, b.second_title_key));
  if (second > s) {
    s = second;
    if (by_containment != nullptr) *by_containment = false;
  }
  return s;
}

bool has_word(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// Two names agree when
//  - the last names agree (equal; one the start or end of the other, as "Quintrec" and
//    "Le Quintrec", "Andres" and "Andres-Gamboa"; the same main part, as "van Graaf" and "van der
//    Graaf"; Jaro-Winkler at least 0.92, for transliteration and typing variants such as
//    "Yeshayahu" and "Yeshaaiahu") and the first initial of one is among the initials of the
//    other ("Austin RM" and "Austin M"), where both have initials; or
//  - a database split a compound name differently: the last name (or its main part) of one is a
//    word of the other ("Parry, Dilworth H" and "Dilworth, HP"; "Goicoechea de, Jorge E" and
//    "de Jorge, EG"); or
//  - family and given names are swapped, as happens with Chinese names ("Tong H", "Hua T").
bool names_agree(const author_key& x, const author_key& y) {
  const bool initials_ok = x.initials.empty() || y.initials.empty() ||
                           contains(y.initials, x.initials.substr(0, 1)) ||
                           contains(x.initials, y.initials.substr(0, 1));
  const auto& s = x.last.size() <= y.last.size() ? x.last : y.last;
  const auto& l = x.last.size() <= y.last.size() ? y.last : x.last;
  const bool last_agree =
      x.last == y.last ||
      (s.size() >= 4 && (starts_with(l, s) || l.compare(l.size() - s.size(), s.size(), s) == 0)) ||
      (x.main.size() >= 4 && x.main == y.main) || jaro_winkler(x.last, y.last) >= 0.92;
  if (last_agree) return initials_ok;
  if ((x.last.size() >= 4 && has_word(y.words, x.last)) ||
      (y.last.size() >= 4 && has_word(x.words, y.last)) ||
      (x.main.size() >= 4 && has_word(y.words, x.main)) ||
      (y.main.size() >= 4 && has_word(x.words, y.main)))
    return true;
  return !x.initials.empty() && !y.initials.empty() && x.last[0] == y.initials[0] &&
         y.last[0] == x.initials[0] && x.initials.size() == 1 && y.initials.size() == 1;
}

// Authors: the share of the first ten names of the shorter list that occur among the first 30 of
// the other. Order is not required: databases cut lists and move consortia around.
double author_similarity(const features& a, const features& b) {
  const auto& s = a.authors.size() <= b.authors.size() ? a.authors : b.authors;
  const auto& l = a.authors.size() <= b.authors.size() ? b.authors : a.authors;
  const std::size_t n = std::min<std::size_t>(s.size(), 10);
  std::size_t found = 0;
  std::vector<char> used(l.size(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    // Same position first, then anywhere.
    if (i < l.size() && !used[i] && names_agree(s[i], l[i])) {
      used[i] = 1;
      ++found;
      continue;
    }
    for (std::size_t j = 0; j < l.size(); ++j) {
      if (!used[j] && names_agree(s[i], l[j])) {
        used[j] = 1;
        ++found;
        break;
      }
    }
  }
  return static_cast<double>(found) / static_cast<double>(n);
}

bool is_meeting_word(std::string_view w) {
  return w == "conference" || w == "symposium" || w == "workshop" || w == "congress" ||
         w == "meeting";
}

// The words of `s` in order among those of `l` (each the start of a word of `l`), beginning
// with l[from].
bool words_in_order(const std::vector<std::string>& s, const std::vector<std::string>& l,
                    std::size_t from, bool anchored) {
  std::size_t j = from;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool found = false;
    while (j < l.size()) {
      const bool prefix = starts_with(l[j], s[i]);
      if (i == 0 && anchored && j > from) return false;
      ++j;
      if (prefix) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

// Each word of `s` is a word of `l`, in the same order.
bool words_contained(const std::vector<std::string>& s, const std::vector<std::string>& l) {
  std::size_t j = 0;
  for (const auto& w : s) {
    while (j < l.size() && l[j] != w) ++j;
    if (j == l.size()) return false;
    ++j;
  }
  return true;
}

// Journals: equal keys 1; one an abbreviation of the other (each word of the shorter name is
// the start of a word of the longer, in order, beginning with the first: "Nat Rev Nephrol" and
// "Nature Reviews Nephrology", "Lancet Oncology" and "The Lancet Oncology") 0.95; for meetings
// (both names have "conference", "symposium", ...) the shorter name of at least three words
// may start anywhere in the longer, after an acronym or ordinal ("ECIS - European Conference
// on Information Systems") 0.95; else the Levenshtein similarity of the keys.
//
// An acronym of the other name's words ("ICIS" and "International Conference on Information
// Systems", "BMJ" and "British Medical Journal") also counts 0.95. A name all of whose words
// occur in order in the other ("Praxis" and "Schweizerische Rundschau fur Medizin Praxis")
// counts at least 0.7: neither agreeing nor differing.
double name_similarity(const journal_name& a, const journal_name& b) {
  if (a.key == b.key) return 1.0;
  const auto& s = a.words.size() <= b.words.size() ? a.words : b.words;
  const auto& l = a.words.size() <= b.words.size() ? b.words : a.words;
  if (!s.empty() &&
      (words_in_order(s, l, 0, true) || (s.size() == l.size() && words_in_order(l, s, 0, true))))
    return 0.95;
  if (s.size() >= 3 && std::any_of(s.begin(), s.end(), is_meeting_word) &&
      std::any_of(l.begin(), l.end(), is_meeting_word))
    for (std::size_t from = 1; from + s.size() <= l.size(); ++from)
      if (l[from] == s[0] && words_in_order(s, l, from, true)) return 0.95;
  if (s.size() == 1 && l.size() >= 3 && s[0].size() == l.size()) {
    std::string initials;
    for (const auto& w : l) initials += w[0];
    if (initials == s[0]) return 0.95;
  }
  double sim = levenshtein_similarity(a.key, b.key);
  if (sim < 0.7 && !s.empty() && s.size() < l.size() &&
      std::any_of(s.begin(), s.end(), [](const std::string& w) { return w.size() >= 5; }) &&
      words_contained(s, l))
    sim = 0.7;
  return sim;
}

// The best agreement of any name of one record with any name of the other.
double journal_similarity(const features& a, const features& b) {
  if (a.journal == b.journal) return 1.0;
  double best = 0;
  for (const auto& x : a.journal_names)
    for (const auto& y : b.journal_names) {
      best = std::max(best, name_similarity(x, y));
      if (best >= 1.0) return best;
    }
  return best;
}

// Every word of the shorter title is a word of the longer, which has at most a quarter more
// (and one): a phrase inserted or lost ("Flexible, Self-Determined horizontal ellipsis and
// Unhealthy?", where an export spelt out the character "…"; a subtitle cut). Letter-level
// similarity punishes such an insertion by its length. Titles of four words or fewer are not
// judged so.
bool title_words_contained(const features& a, const features& b) {
  auto wa = words_of(a.title);
  auto wb = words_of(b.title);
  if (wa.size() > wb.size()) std::swap(wa, wb);
  if (wa.size() < 5 || 4 * wb.size() > 5 * wa.size() + 4) return false;
  std::sort(wa.begin(), wa.end());
  std::sort(wb.begin(), wb.end());
  return std::includes(wb.begin(), wb.end(), wa.begin(), wa.end());
}

// ---- The rules ------------------------------------------------------------------------------

enum class tri { unknown, agree, differ };

record_comparison compare_features(const features& a, const features& b, notice_policy notices) {
  record_comparison c;
  const bool has_title = !a.title_key.empty() && !b.title_key.empty();
  const bool has_authors = !a.authors.empty() && !b.authors.empty();
  bool title_contained = false;  // one title the start or end of the other, else unlike
  const double t = has_title ? title_similarity(a, b, &title_contained) : 0.0;
  const double au = has_authors ? author_similarity(a, b) : 0.0;
  if (has_title) c.title = t;
  if (has_authors) c.authors = au;
  double journal = 0;
  if (!a.journal.empty() && !b.journal.empty()) {
    journal = journal_similarity(a, b);
    c.journal = journal;
  }
  double abstract = 0;
  if (!a.abstract_key.empty() && !b.abstract_key.empty()) {
    const std::size_t n = std::min(a.abstract_key.size(), b.abstract_key.size());
    abstract = levenshtein_similarity(std::string_view(a.abstract_key).substr(0, n),
                                      std::string_view(b.abstract_key).substr(0, n));
    c.abstract = abstract;
  }
  int ydiff = -1;
  if (a.year != 0 && b.year != 0) {
    ydiff = std::abs(a.year - b.year);
    c.year_difference = ydiff;
  }
  auto compare_exact = [](const std::string& x, const std::string& y) {
    if (x.empty() || y.empty()) return tri::unknown;
    return x == y ? tri::agree : tri::differ;
  };
  const tri doi = compare_exact(a.doi, b.doi);
  const tri pmid = compare_exact(a.pmid, b.pmid);
  const tri isbn = a.isbn.size() == b.isbn.size() ? compare_exact(a.isbn, b.isbn) : tri::unknown;
  // Pages: an article number ("e0209483", "106482") and a page number are different kinds of
  // locator; only locators of one kind are compared.
  tri pages = compare_exact(a.first_page, b.first_page);
  // Page text that is not a page range but the same on both ("21-Apr", a spreadsheet's reading
  // of "4-21") locates the article as well.
  if (pages == tri::unknown && !a.page_text.empty() && a.page_text == b.page_text)
    pages = tri::agree;
  // Both ends of a range agree: the range locates one article.
  bool range_agrees = pages == tri::agree && !a.last_page.empty() && a.last_page == b.last_page &&
                      !a.page_range_invalid;
  // A section letter one database drops ("c37-c42" and "37-42" in Nephron Clinical Practice):
  // both ends of the range have the same digits.
  if (pages == tri::differ && a.page_letter != b.page_letter && !a.last_digits.empty() &&
      a.first_digits == b.first_digits && a.last_digits == b.last_digits &&
      a.first_digits != a.last_digits) {
    pages = tri::agree;
    range_agrees = true;
  }
  if (pages == tri::differ &&
      (a.page_letter != b.page_letter || a.page_article_number != b.page_article_number))
    pages = tri::unknown;
  // A range whose last page is before its first ("2297-2108" and "2097-2108") has a typing
  // error in one page: the first pages say nothing.
  if (pages == tri::differ && (a.page_range_invalid || b.page_range_invalid) &&
      !a.last_page.empty() && a.last_page == b.last_page)
    pages = tri::unknown;
  // Page 1 starts every article of journals that paginate each article on its own.
  if (pages == tri::agree && a.first_number == 1) pages = tri::unknown;
  // Overlapping ranges ("488" and "487-488", "567-569" and "569") neither agree nor differ:
  // databases give the first page, the last, or the range.
  if (pages == tri::differ && a.first_number >= 0 && b.first_number >= 0 &&
      std::max(a.first_number, b.first_number) <= std::min(a.last_number, b.last_number))
    pages = tri::unknown;
  // Volumes: a volume that is the record's own year (some exports put the year there) says
  // nothing.
  tri volume = compare_exact(a.volume, b.volume);
  if (volume == tri::differ &&
      (a.volume == std::to_string(a.year) || b.volume == std::to_string(b.year)))
    volume = tri::unknown;
  const bool journal_agrees = c.journal && journal >= k_field_agrees;
  // A volume number says something only within one journal: it neither corroborates nor
  // contradicts when the journal names disagree ("Annals of Internal Medicine" 155 and "ACP
  // Journal Club" 155).
  const bool journals_differ = c.journal && journal < k_journal_differs;
  // ... unless the whole page range agrees too: volume and range locate one article, and the
  // names are two names of one journal ("Revista Brasileira de Fisioterapia" and "Brazilian
  // Journal of Physical Therapy").
  if (journals_differ && !(range_agrees && volume == tri::agree)) volume = tri::unknown;
  // The same volume and page range: the article's place in its journal.
  const bool locator = range_agrees && volume == tri::agree;
  const bool abstract_agrees = c.abstract && abstract >= k_field_agrees;

  // Score: weighted mean of what both records have.
  {
    double sum = 0;
    double weight = 0;
    auto add = [&](double w, double s) {
      sum += w * s;
      weight += w;
    };
    if (has_title) add(3, t);
    if (has_authors) add(2, au);
    if (doi != tri::unknown) add(2, doi == tri::agree ? 1 : 0);
    if (c.abstract) add(2, abstract);
    if (ydiff >= 0) add(1, std::max(0.0, 1.0 - ydiff / 2.0));
    if (pages != tri::unknown) add(1, pages == tri::agree ? 1 : 0);
    if (volume != tri::unknown) add(1, volume == tri::agree ? 1 : 0);
    if (c.journal) add(1, journal);
    c.score = weight > 0 ? sum / weight : 0;
  }

  // A notice and an article: an erratum or correction joins its article (notice_policy), when
  // the notice's subject title (its own title without "Erratum:" and the citation) agrees, the
  // authors agree (a notice often names only the first), it appeared in the same journal and at
  // most a year later, and no number in the titles differs. Its own DOI, volume and pages differ
  // from the article's by nature. A retraction, or any other notice, stays apart.
  if ((a.kind == record_kind::notice) != (b.kind == record_kind::notice)) {
    const features& notice = a.kind == record_kind::notice ? a : b;
    const bool joins =
        notices == notice_policy::with_article && !notice.retraction && has_title &&
        t >= k_title_certain && std::min(a.title_key.size(), b.title_key.size()) >= k_short_title &&
        a.title_numbers == b.title_numbers && (!has_authors || au >= k_authors_strong) &&
        ydiff >= 0 && ydiff <= 1 && c.journal && journal >= k_field_agrees;
    c.decision = joins ? match_decision::duplicate : match_decision::distinct;
    c.reason = joins ? match_reason::none : match_reason::notice_and_article;
    c.strong = joins;
    return c;
  }

  // The first contradiction, in the order of the evidence's weight.
  match_reason contradiction = match_reason::none;
  int contradictions = 0;
  auto contradict = [&](bool cond, match_reason r) {
    if (!cond) return;
    ++contradictions;
    if (contradiction == match_reason::none) contradiction = r;
  };
  const bool kinds_differ =
      (a.kind != b.kind && (a.kind == record_kind::comment || b.kind == record_kind::comment ||
                            a.kind == record_kind::preprint || b.kind == record_kind::preprint)) ||
      (a.conference_type && b.journal_type) || (b.conference_type && a.journal_type);
  contradict(a.kind != b.kind && (a.kind == record_kind::comment || b.kind == record_kind::comment),
             match_reason::comment_and_article);
  contradict(
      a.kind != b.kind && (a.kind == record_kind::preprint || b.kind == record_kind::preprint),
      match_reason::preprint_and_article);
  contradict((a.conference_type && b.journal_type) || (b.conference_type && a.journal_type),
             match_reason::conference_and_article);
  contradict(ydiff > 1, match_reason::year_differs);
  contradict(pmid == tri::differ, match_reason::pmid_differs);
  contradict(doi == tri::differ, match_reason::doi_differs);
  contradict(volume == tri::differ, match_reason::volume_differs);
  contradict(pages == tri::differ, match_reason::pages_differ);
  // Without pages, the issue locates an article within its volume: editorials with one title in
  // every issue differ only there. Where a page is given, an issue that differs is taken for an
  // export's numbering (supplements, record numbers in the number field).
  contradict(a.first_page.empty() && b.first_page.empty() && pages != tri::agree &&
                 !a.issue.empty() && !b.issue.empty() && a.issue != b.issue,
             match_reason::issue_differs);
  // Numbers are compared only where both titles are complete (not when one is the start or the
  // end of the other).
  // Where the volume and the whole page range agree, a number inside a word that differs in
  // titles that otherwise agree is a typing error ("p6INK4a" and "p16(INK4a)"); a number of its
  // own ("part 2", "5-year") still tells two reports apart.
  contradict(has_title && a.title_numbers != b.title_numbers && !title_is_prefix(a, b) &&
                 !(locator && t >= k_title_certain && a.title_part_numbers == b.title_part_numbers),
             match_reason::title_numbers_differ);
  contradict(has_authors && au < k_authors_differ, match_reason::authors_differ);
  // Journal names vary (translations, abbreviations), so names with little in common
  // contradict only where no page agrees: the same abstract given at two meetings is two records.
  contradict(journals_differ && pages != tri::agree, match_reason::journal_differs);
  // ... a weak one, which settles a pair as distinct (below) only with first pages that differ:
  // two journals and two places in them.
  if (journals_differ && pages == tri::unknown) --contradictions;

  // Corroborating fields, each independent of the title and the authors.
  // The last page of a range counts beside the first: both ends agreeing place an article more
  // surely than a first page alone.
  const int support = (pages == tri::agree) + range_agrees + (volume == tri::agree) +
                      (doi == tri::agree) + (pmid == tri::agree) + (isbn == tri::agree) +
                      journal_agrees + abstract_agrees;
  const bool short_title =
      has_title && std::min(a.title_key.size(), b.title_key.size()) < k_short_title;
  // Same year: 0; a year apart (online first, print later) or a year missing needs one more
  // corroborating field.
  const int year_need = ydiff == 0 ? 0 : 1;
  const bool authors_ok = has_authors && au >= k_authors_ok;
  const bool authors_strong = has_authors && au >= k_authors_strong;
  // The same authors, year, volume and first page in the same journal (or with the same DOI or
  // PMID) locate one article; but without agreeing titles (one missing, one translated) such a
  // pair is only shown to a person, as in ASySD, whose rules all need a title: on the benchmark
  // sets, merging on these coordinates alone joined different abstracts printed on one page of
  // a supplement and different articles an index gave the same pages. It is a strong link
  // inside a group.
  // One title translated: in brackets where the other is not (MEDLINE's mark), or the two in
  // different languages.
  const bool translated =
      has_title && (a.bracketed != b.bracketed ||
                    (a.language != b.language && a.language != title_language::unknown &&
                     b.language != title_language::unknown));
  const bool coordinates = authors_strong && ydiff == 0 && pages == tri::agree && !a.page_letter &&
                           volume == tri::agree &&
                           (journal_agrees || doi == tri::agree || pmid == tri::agree);
  const bool duplicate_evidence =
      (has_title && t >= k_title_certain && authors_ok && support >= 1 + year_need + short_title) ||
      (has_title && t >= k_title_certain && !has_authors && ydiff == 0 &&
       support >= 2 + short_title) ||
      (has_title && t >= k_title_close && authors_strong && ydiff == 0 &&
       support >= 2 + short_title) ||
      // A shared DOI or PMID with similar titles ("Hyred: Hybrid Job Recommendation System" and
      // "HYbrid Job Recommendation system"), the same authors and year, and one more field.
      ((doi == tri::agree || pmid == tri::agree) && has_title &&
       (t >= k_title_similar || title_words_contained(a, b)) && authors_strong && ydiff == 0 &&
       support >= 2 + short_title) ||
      // Titles that agree, the same year and three corroborating fields (pages, volume and
      // journal, say): author lists an export garbled ("Davies, Helen E.; Gary," for "Davies
      // HE, Lee YCG"; "Ornskov" read as "Omskov") need only not contradict.
      (has_title && t >= k_title_certain && !short_title && ydiff == 0 && support >= 3) ||
      // The same authors, year, journal, volume and whole page range (first and last page), with
      // titles that are alike or one a translation ("[Comparison of amoxicillin and cefamandole
      // ...]" and "Antibiotic prophylaxis in pulmonary surgery ..."): one article. (Different
      // titles in one language are not enough: an index gave two articles of one author the
      // same pages.)
      (locator && ydiff == 0 && c.journal && !journals_differ && has_title &&
       (authors_strong || !has_authors) && (t >= k_title_translated || translated));
  c.strong = contradiction == match_reason::none &&
             ((has_title && t >= k_title_close && (authors_ok || !has_authors)) || coordinates);
  if (duplicate_evidence && contradiction == match_reason::none) {
    c.decision = match_decision::duplicate;
    return c;
  }
  // Similar enough to show a person. A title that is only the start or the end of the other
  // ("Atypical hemolytic uremic syndrome" and "Atypical hemolytic uremic syndrome (HUS) with
  // hypocomplementemia ...") says little unless the authors agree too; coordinates shared by
  // titles that are unlike and in one language are abstracts printed on one page.
  const bool similar =
      duplicate_evidence ||
      (has_title && t >= k_title_similar && !(has_authors && au < 0.3) &&
       (!title_contained || !has_authors || authors_ok)) ||
      (has_title && t >= 0.7 && abstract_agrees) || doi == tri::agree || pmid == tri::agree ||
      (coordinates && (!has_title || t >= k_title_translated || translated)) ||
      (!has_title && authors_ok && pages == tri::agree && (volume == tri::agree || ydiff == 0));
  // A preprint, comment or conference record and an article differ in DOI, volume and pages
  // because they are different kinds: only the titles' numbers and the authors count against
  // them beyond the kind.
  if (kinds_differ)
    contradictions = 1 + (has_title && a.title_numbers != b.title_numbers) +
                     (has_authors && au < k_authors_differ);
  // Two contradictions settle a pair as distinct ("Editorial Notes" of other years with other
  // DOIs); so does one for a short title, whose similarity says little.
  if (similar && (contradictions >= 2 || (short_title && contradictions >= 1))) return c;
  if (similar) {
    c.decision = match_decision::uncertain;
    c.reason = contradiction == match_reason::none ? match_reason::weak_evidence : contradiction;
  }
  return c;
}

// ---- Blocking -------------------------------------------------------------------------------

std::uint64_t hash_key(char kind, std::string_view text) {
  // FNV-1a, 64 bit, over the kind letter and the text.
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL;
  };
  mix(static_cast<unsigned char>(kind));
  for (char c : text) mix(static_cast<unsigned char>(c));
  return h;
}

// Exact keys: records that share one are compared.
void blocking_keys(const features& f, std::vector<std::uint64_t>& keys) {
  keys.clear();
  if (!f.doi.empty()) keys.push_back(hash_key('d', f.doi));
  if (!f.pmid.empty()) keys.push_back(hash_key('p', f.pmid));
  constexpr std::size_t k_title_part = 30;
  if (f.title_key.size() >= 12) {
    keys.push_back(hash_key('t', std::string_view(f.title_key).substr(0, k_title_part)));
    if (f.title_key.size() > k_title_part)
      keys.push_back(
          hash_key('u', std::string_view(f.title_key).substr(f.title_key.size() - k_title_part)));
  }
  const std::string first_author = f.authors.empty() ? std::string() : f.authors[0].last;
  const std::string year = f.year != 0 ? std::to_string(f.year) : std::string();
  if (!first_author.empty() && !year.empty() && !f.first_page.empty())
    keys.push_back(hash_key('a', first_author + '|' + year + '|' + f.first_page));
  if (!first_author.empty() && !year.empty() && !f.volume.empty())
    keys.push_back(hash_key('b', first_author + '|' + year + '|' + f.volume));
  if (!f.volume.empty() && !f.first_page.empty())
    keys.push_back(hash_key('v', f.volume + '|' + f.first_page));
  if (!f.isbn.empty() && !f.first_page.empty())
    keys.push_back(hash_key('i', f.isbn + '|' + f.first_page));
  if (!f.abstract_key.empty())
    keys.push_back(hash_key('s', std::string_view(f.abstract_key).substr(0, 60)));
}

std::vector<std::uint64_t> candidate_pairs(const std::vector<features>& feats,
                                           const dedup_options& options) {
  const std::size_t n = feats.size();
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
  entries.reserve(n * 8);
  std::vector<std::uint64_t> keys;
  for (std::size_t i = 0; i < n; ++i) {
    blocking_keys(feats[i], keys);
    for (auto k : keys) entries.emplace_back(k, static_cast<std::uint32_t>(i));
  }
  std::sort(entries.begin(), entries.end());
  std::vector<std::uint64_t> pairs;
  auto add = [&](std::uint32_t i, std::uint32_t j) {
    if (i == j) return;
    if (i > j) std::swap(i, j);
    pairs.push_back((static_cast<std::uint64_t>(i) << 32) | j);
  };
  std::vector<std::uint32_t> block;
  for (std::size_t s = 0; s < entries.size();) {
    std::size_t e = s;
    while (e < entries.size() && entries[e].first == entries[s].first) ++e;
    block.clear();
    for (std::size_t k = s; k < e; ++k) block.push_back(entries[k].second);
    block.erase(std::unique(block.begin(), block.end()), block.end());
    if (block.size() <= options.max_block) {
      for (std::size_t x = 0; x < block.size(); ++x)
        for (std::size_t y = x + 1; y < block.size(); ++y) add(block[x], block[y]);
    } else {
      // Sorted neighbourhood (Hernández & Stolfo 1995): order by title, compare neighbours.
      std::sort(block.begin(), block.end(), [&](std::uint32_t x, std::uint32_t y) {
        if (feats[x].title_key != feats[y].title_key)
          return feats[x].title_key < feats[y].title_key;
        return x < y;
      });
      for (std::size_t x = 0; x < block.size(); ++x)
        for (std::size_t y = x + 1; y < block.size() && y <= x + options.window; ++y)
          add(block[x], block[y]);
    }
    s = e;
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

// ---- Groups ---------------------------------------------------------------------------------

struct union_find {
  std::vector<std::size_t> parent;
  explicit union_find(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  void unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (a > b) std::swap(a, b);
    parent[b] = a;
  }
};

std::uint64_t pair_code(std::size_t a, std::size_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

// Contradictions of identity, which no export's formatting explains: different DOIs or PMIDs,
// years more than one apart, different numbers in the titles, a notice, comment or preprint
// against an article. (Pages, volumes and issues are written too differently to veto a member
// that the representative vouches for.)
bool identity_conflict(const record_comparison& c) {
  if (c.decision == match_decision::duplicate) return false;
  switch (c.reason) {
    case match_reason::notice_and_article:
    case match_reason::comment_and_article:
    case match_reason::preprint_and_article:
    case match_reason::year_differs:
    case match_reason::pmid_differs:
    case match_reason::doi_differs:
    case match_reason::title_numbers_differ:
      return true;
    default:
      return false;
  }
}

struct grouping {
  const std::vector<features>& feats;
  const std::unordered_set<std::uint64_t>& certain;
  std::vector<std::vector<std::size_t>>& groups;
  std::vector<uncertain_pair>& demoted;
  std::size_t& guard_removals;
  notice_policy notices;

  record_comparison compare(std::size_t x, std::size_t y) const {
    return compare_features(feats[x], feats[y], notices);
  }

  // Splits one connected component (sorted) into groups. The representative is the member with
  // the most duplicate links, then the most fields, then the lowest index. Members join it in
  // that order when they are a duplicate or a strong match of the representative and, in
  // components of up to k_guard_all_pairs members, have no identity conflict with a member
  // already in the group (A-B-C with B linked to both is not one group when A and C have
  // different DOIs).
  void split(const std::vector<std::size_t>& members) {
    if (members.size() < 2) return;
    if (members.size() == 2) {
      groups.push_back(members);
      return;
    }
    struct ranked {
      std::size_t index;
      std::size_t links;
      int filled;
    };
    std::vector<ranked> order;
    for (auto m : members) {
      std::size_t links = 0;
      for (auto o : members)
        if (o != m && certain.count(pair_code(m, o))) ++links;
      order.push_back({m, links, feats[m].filled});
    }
    std::sort(order.begin(), order.end(), [](const ranked& x, const ranked& y) {
      if (x.links != y.links) return x.links > y.links;
      if (x.filled != y.filled) return x.filled > y.filled;
      return x.index < y.index;
    });
    const std::size_t rep = order[0].index;
    const bool all_pairs = members.size() <= k_guard_all_pairs;
    std::vector<std::size_t> kept{rep};
    std::vector<std::size_t> out;
    for (std::size_t k = 1; k < order.size(); ++k) {
      const std::size_t m = order[k].index;
      bool ok = certain.count(pair_code(m, rep)) > 0;
      if (!ok) {
        const auto cmp = compare(m, rep);
        ok = cmp.decision == match_decision::duplicate || cmp.strong;
      }
      for (std::size_t j = 1; ok && all_pairs && j < kept.size(); ++j)
        ok = !identity_conflict(compare(m, kept[j]));
      (ok ? kept : out).push_back(m);
    }
    std::sort(kept.begin(), kept.end());
    std::sort(out.begin(), out.end());
    if (kept.size() >= 2) groups.push_back(kept);
    if (out.empty()) return;
    guard_removals += out.size();
    // The links from the members taken out to the group become uncertain pairs.
    for (auto o : out)
      for (auto k : kept)
        if (certain.count(pair_code(o, k))) {
          const auto cmp = compare(std::min(o, k), std::max(o, k));
          demoted.push_back({std::min(o, k), std::max(o, k), cmp.score, match_reason::chained});
        }
    // The members taken out form groups among themselves by their own duplicate links.
    union_find uf(out.size());
    for (std::size_t x = 0; x < out.size(); ++x)
      for (std::size_t y = x + 1; y < out.size(); ++y)
        if (certain.count(pair_code(out[x], out[y]))) uf.unite(x, y);
    std::unordered_map<std::size_t, std::vector<std::size_t>> parts;
    for (std::size_t x = 0; x < out.size(); ++x) parts[uf.find(x)].push_back(out[x]);
    std::vector<std::vector<std::size_t>> sorted_parts;
    for (auto& [root, part] : parts) sorted_parts.push_back(std::move(part));
    std::sort(sorted_parts.begin(), sorted_parts.end());
    for (const auto& part : sorted_parts) split(part);
  }
};

dedup_options valid_options(const dedup_options& o) {
  dedup_options v = o;
  v.max_block = std::max<std::size_t>(2, v.max_block);
  v.window = std::max<std::size_t>(1, v.window);
  return v;
}

}  // namespace

std::string_view to_string(match_decision d) {
  switch (d) {
    case match_decision::distinct:
      return "distinct";
    case match_decision::uncertain:
      return "uncertain";
    case match_decision::duplicate:
      return "duplicate";
  }
  return "distinct";
}

std::string_view to_string(match_reason r) {
  switch (r) {
    case match_reason::none:
      return "none";
    case match_reason::weak_evidence:
      return "weak_evidence";
    case match_reason::notice_and_article:
      return "notice_and_article";
    case match_reason::comment_and_article:
      return "comment_and_article";
    case match_reason::preprint_and_article:
      return "preprint_and_article";
    case match_reason::conference_and_article:
      return "conference_and_article";
    case match_reason::year_differs:
      return "year_differs";
    case match_reason::pmid_differs:
      return "pmid_differs";
    case match_reason::doi_differs:
      return "doi_differs";
    case match_reason::volume_differs:
      return "volume_differs";
    case match_reason::pages_differ:
      return "pages_differ";
    case match_reason::title_numbers_differ:
      return "title_numbers_differ";
    case match_reason::issue_differs:
      return "issue_differs";
    case match_reason::chained:
      return "chained";
    case match_reason::journal_differs:
      return "journal_differs";
    case match_reason::authors_differ:
      return "authors_differ";
  }
  return "none";
}

std::string dedup_options::validate() const {
  if (max_block < 2) return fmt::format("max_block is {}, but must be at least 2", max_block);
  if (window < 1) return "window is 0, but must be at least 1";
  return {};
}

record_comparison compare_records(const bib_record& a, const bib_record& b, notice_policy notices) {
  return compare_features(make_features(a), make_features(b), notices);
}

dedup_result deduplicate(std::span<const bib_record> records, const dedup_options& options_in) {
  const dedup_options options = valid_options(options_in);
  const std::size_t n = records.size();
  dedup_result result;
  result.stats.records = n;
  if (n < 2) return result;

  std::vector<features> feats(n);
  auto featurize = [&](std::size_t i) { feats[i] = make_features(records[i]); };
  if (options.parallel)
    detail::parallel_for(n, featurize, 256);
  else
    for (std::size_t i = 0; i < n; ++i) featurize(i);

  const std::vector<std::uint64_t> pairs = candidate_pairs(feats, options);
  result.stats.candidate_pairs = pairs.size();

  struct pair_outcome {
    match_decision decision = match_decision::distinct;
    match_reason reason = match_reason::none;
    double score = 0;
  };
  std::vector<pair_outcome> outcomes(pairs.size());
  auto score_pair = [&](std::size_t k) {
    const auto i = static_cast<std::size_t>(pairs[k] >> 32);
    const auto j = static_cast<std::size_t>(pairs[k] & 0xFFFFFFFFu);
    const auto cmp = compare_features(feats[i], feats[j], options.notices);
    outcomes[k] = {cmp.decision, cmp.reason, cmp.score};
  };
  if (options.parallel)
    detail::parallel_for(pairs.size(), score_pair, 512);
  else
    for (std::size_t k = 0; k < pairs.size(); ++k) score_pair(k);

  union_find uf(n);
  std::unordered_set<std::uint64_t> certain;
  std::vector<uncertain_pair> uncertain;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto i = static_cast<std::size_t>(pairs[k] >> 32);
    const auto j = static_cast<std::size_t>(pairs[k] & 0xFFFFFFFFu);
    if (outcomes[k].decision == match_decision::duplicate) {
      certain.insert(pairs[k]);
      uf.unite(i, j);
      ++result.stats.duplicate_pairs;
    } else if (outcomes[k].decision == match_decision::uncertain) {
      uncertain.push_back({i, j, outcomes[k].score, outcomes[k].reason});
    }
  }

  // Components in order of their smallest member; members ascending.
  std::unordered_map<std::size_t, std::vector<std::size_t>> components;
  for (std::size_t i = 0; i < n; ++i) {
    components[uf.find(i)].push_back(i);
  }
  std::vector<std::vector<std::size_t>> comps;
  for (auto& [root, members] : components)
    if (members.size() >= 2) comps.push_back(std::move(members));
  std::sort(comps.begin(), comps.end());
  grouping g{feats,          certain, result.groups, uncertain, result.stats.guard_removals,
             options.notices};
  for (const auto& comp : comps) g.split(comp);
  // Members ascending, notices after the rest: the first member is the one kept, and a
  // notice is never kept in place of its article.
  for (auto& grp : result.groups)
    std::sort(grp.begin(), grp.end(), [&](std::size_t x, std::size_t y) {
      const bool nx = feats[x].kind == record_kind::notice;
      const bool ny = feats[y].kind == record_kind::notice;
      return nx != ny ? ny : x < y;
    });
  std::sort(result.groups.begin(), result.groups.end());

  // Uncertain pairs inside one final group are settled. The rest are listed once per pair of
  // groups (a record in no group is a group of its own): the pair of records with the highest
  // score, the lowest indices on ties. A person decides about groups, not about each member.
  std::vector<std::size_t> cluster(n);
  std::iota(cluster.begin(), cluster.end(), std::size_t{0});
  for (const auto& grp : result.groups)
    for (auto m : grp) cluster[m] = grp.front();
  std::map<std::pair<std::size_t, std::size_t>, uncertain_pair> best;
  for (const auto& u : uncertain) {
    auto key = std::minmax(cluster[u.a], cluster[u.b]);
    if (key.first == key.second) continue;
    auto [it, inserted] = best.try_emplace({key.first, key.second}, u);
    const auto& b = it->second;
    if (!inserted &&
        (u.score > b.score || (u.score == b.score && std::tie(u.a, u.b) < std::tie(b.a, b.b))))
      it->second = u;
  }
  for (const auto& [key, u] : best) result.uncertain.push_back(u);
  std::sort(result.uncertain.begin(), result.uncertain.end(),
            [](const uncertain_pair& x, const uncertain_pair& y) {
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });
  result.stats.uncertain_pairs = result.uncertain.size();
  result.stats.groups = result.groups.size();
  for (const auto& grp : result.groups) result.stats.removed += grp.size() - 1;
  return result;
}

expected<dedup_result> deduplicate(std::span<const bib_record> records,
                                   std::span<const std::string> sources,
                                   const dedup_options& options) {
  if (auto ok = check_same_length("records", records.size(), "sources", sources.size()); !ok)
    return unexpected(ok.error());
  if (const auto problem = options.validate(); !problem.empty())
    return fail(errc::dedup_bad_options, "deduplicate: " + problem);
  dedup_result result = deduplicate(records, options);
  std::map<std::pair<std::string, std::string>, std::size_t> counts;
  for (const auto& grp : result.groups)
    for (std::size_t k = 1; k < grp.size(); ++k) ++counts[{sources[grp[0]], sources[grp[k]]}];
  for (const auto& [key, count] : counts)
    result.removed_by_source.push_back({key.first, key.second, count});
  return result;
}

}  // namespace srma
