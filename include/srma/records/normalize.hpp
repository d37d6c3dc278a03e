// File: srma/records/normalize.hpp
//
// Normalisation of bibliographic fields for matching (de-duplication, srma/records/dedup.hpp):
// two spellings of the same title, author, page range or DOI that databases write differently
// become the same string. The results are keys for comparison, never for display or storage
// (bib_record keeps every value as given). All functions are pure and thread-safe.
//
// What is removed or unified (review.md §2; ASySD's formatting step, Hair et al. 2023):
//   text     Unicode NFKC, case folding, diacritics stripped (utf8proc); letters without a
//            decomposition transliterated (ø o, æ ae, ß ss, ł l); Greek letters spelled out
//            (β beta); markup (<i>, <sub>) and character references (&amp;, &#946;) decoded;
//            apostrophes dropped (O'Byrne obyrne), and a "?" between letters, which stands for
//            a letter an export could not encode ("fran?aises"); every other punctuation mark,
//            dash variant (MEDLINE "--", Embase " - ", en and em dashes) and run of white space
//            one space.
//   title    text, then a leading English article (a, an, the) dropped.
//   author   "last initials": "O'Byrne, Paul M", "O'Byrne PM" and "Paul M. O'Byrne" all give
//            "obyrne pm"; particles and hyphens join the last name ("Le Quintrec" lequintrec).
//   pages    "1865-76" gives "1865-1876"; "pp. 742-8; discussion 748-9" gives "742-748".
//   DOI      "https://doi.org/10.1016/0376-8716%2876%2990010-7", "doi:10.1016/..." and
//            "10.1016/0376-8716(76)90010-7 [doi]" all give "10.1016/0376-8716(76)90010-7".
//
// Example:
//
//   srma::normalize_title("The <i>BCG</i> vaccine &amp; tuberculosis -- a meta-analysis")
//     // "bcg vaccine tuberculosis a meta analysis"
//   srma::normalize_author("Fremeaux-Bacchi, Véronique")   // "fremeauxbacchi v"
//   srma::normalize_pages("1844-59")                          // "1844-1859"
//   srma::normalize_doi("https://dx.doi.org/10.1056/NEJMoa1715274")  // "10.1056/nejmoa1715274"
#pragma once

#include <string>
#include <string_view>

namespace srma {

/// Text for matching: markup and character references decoded, NFKC, case folded, diacritics
/// stripped, apostrophes dropped, a "?" or U+FFFD between two letters dropped (a letter lost in
/// an export: "fran?aises" gives "franaises"), every other run of punctuation, symbols and white
/// space one space, trimmed. Letters and digits of every script are kept. Invalid UTF-8 bytes are
/// read as Windows-1252 (the usual encoding of old exports).
///
/// **Example**: `normalize_text("Hémolytic–Uremic  Syndrome&nbsp;(aHUS)")` is
/// `"hemolytic uremic syndrome ahus"`.
[[nodiscard]] std::string normalize_text(std::string_view text);

/// A title for matching: `normalize_text`, then a leading "a", "an" or "the" dropped (as
/// EndNote's duplicate search does).
///
/// **Example**: `normalize_title("The effect of X.")` is `"effect of x"`.
[[nodiscard]] std::string normalize_title(std::string_view title);

/// One author name as "last initials" (last name with spaces, hyphens and apostrophes removed,
/// then the initials of the given names, lower case), or "" for an empty or anonymous author
/// ("Anonymous", "[Anonymous]", "et al."). Reads "Last, Given" (RIS, EndNote, BibTeX), MEDLINE's
/// "Last IN" (initials in capitals after the last name) and "Given Last"; drops the suffixes Jr,
/// Sr, II, III, IV.
///
/// **Example**: `normalize_author("Zipfel, P. F.")`, `normalize_author("Zipfel PF")` and
/// `normalize_author("Peter F. Zipfel")` are all `"zipfel pf"`.
[[nodiscard]] std::string normalize_author(std::string_view author);

/// A page range as "first-last" with the last page written in full ("1865-76" gives
/// "1865-1876", "S11-5" gives "s11-s15"), or the first page alone ("945-945" gives "945"; a
/// last page that is no page, as in "527-32.e1", is dropped). Only the first range of a list
/// counts ("119-27; quiz 128" and "233-8+230-5" give "119-127" and "233-238"); "pp." and "p."
/// are dropped. Text that is not a page range, or names a month (a spreadsheet turned "5-13"
/// into "13-May"), comes back as `normalize_text` of it.
[[nodiscard]] std::string normalize_pages(std::string_view pages);

/// A DOI in lower case without resolver prefixes (https://doi.org/, http://dx.doi.org/, doi:),
/// with percent-escapes decoded (%28 is "("), trailing punctuation and a "[doi]" suffix removed;
/// "" unless the result has the form "10.<registrant>/<suffix>". Of several DOIs in one field
/// the first is taken.
[[nodiscard]] std::string normalize_doi(std::string_view doi);

/// The first run of four digits from 1000 to 2999 ("2019 Jan 28", "1975-1976//"), or "".
[[nodiscard]] std::string normalize_year(std::string_view year);

}  // namespace srma
