// Normalisation of bibliographic fields for matching (srma/records/normalize.hpp): markup and
// character references, Unicode through utf8proc (NFKC, case folding, marks stripped, lumping of
// dash and quote variants), punctuation, author names, page ranges and DOIs.
#include "srma/records/normalize.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace srma {
namespace {

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
char ascii_lower(char c) { return is_ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

void append_utf8(std::string& out, std::int32_t cp) {
  std::array<utf8proc_uint8_t, 4> buf{};
  const auto n = utf8proc_encode_char(cp, buf.data());
  out.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(n));
}

// Windows-1252 code points of the bytes 0x80-0x9F (0 = undefined there); other bytes of an
// invalid UTF-8 sequence are read as Latin-1, which Windows-1252 extends.
constexpr std::array<std::int32_t, 32> k_cp1252 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// `text` as valid UTF-8: bytes that do not start a valid sequence are read as Windows-1252.
std::string repair_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      out += text[i++];
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n > 0) {
      out.append(text.substr(i, static_cast<std::size_t>(n)));
      i += static_cast<std::size_t>(n);
    } else {
      const auto b = static_cast<unsigned char>(text[i++]);
      std::int32_t mapped = b;
      if (b >= 0x80 && b <= 0x9F) mapped = k_cp1252[b - 0x80] != 0 ? k_cp1252[b - 0x80] : 0xFFFD;
      append_utf8(out, mapped);
    }
  }
  return out;
}

struct named_entity {
  std::string_view name;
  std::int32_t cp;
};

// The character references that occur in exported titles and abstracts (HTML 4 names of the
// Latin-1 punctuation, dashes, quotes and the Greek letters); numeric references are decoded in
// general.
constexpr std::array<named_entity, 58> k_entities = {{
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},     {"ndash", 0x2013},  {"mdash", 0x2014},
    {"minus", 0x2212},  {"hyphen", 0x2010}, {"lsquo", 0x2018},  {"rsquo", 0x2019},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"laquo", 0xAB},    {"raquo", 0xBB},
    {"hellip", 0x2026}, {"middot", 0xB7},   {"times", 0xD7},    {"plusmn", 0xB1},
    {"deg", 0xB0},      {"le", 0x2264},     {"ge", 0x2265},     {"thinsp", 0x2009},
    {"shy", 0xAD},      {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},
    {"micro", 0xB5},    {"szlig", 0xDF},    {"alpha", 0x3B1},   {"beta", 0x3B2},
    {"gamma", 0x3B3},   {"delta", 0x3B4},   {"epsilon", 0x3B5}, {"zeta", 0x3B6},
    {"eta", 0x3B7},     {"theta", 0x3B8},   {"iota", 0x3B9},    {"kappa", 0x3BA},
    {"lambda", 0x3BB},  {"mu", 0x3BC},      {"nu", 0x3BD},      {"xi", 0x3BE},
    {"omicron", 0x3BF}, {"pi", 0x3C0},      {"rho", 0x3C1},     {"sigma", 0x3C3},
    {"tau", 0x3C4},     {"upsilon", 0x3C5}, {"phi", 0x3C6},     {"chi", 0x3C7},
    {"psi", 0x3C8},     {"omega", 0x3C9},   {"Delta", 0x394},   {"Omega", 0x3A9},
    {"Sigma", 0x3A3},   {"Gamma", 0x393},
}};

// Decodes "&name;", "&#123;" and "&#x1F;" at `text[i]` (which is '&'); returns the code point and
// sets `len` to the reference's length, or returns -1 when it is not a reference.
std::int32_t decode_reference(std::string_view text, std::size_t i, std::size_t& len) {
  const auto semi = text.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 10 || semi == i + 1) return -1;
  const auto body = text.substr(i + 1, semi - i - 1);
  len = semi - i + 1;
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const auto digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return -1;
    std::int32_t cp = 0;
    for (char c : digits) {
      int d = -1;
      if (is_ascii_digit(c)) d = c - '0';
      if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) return -1;
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) return -1;
    }
    return utf8proc_codepoint_valid(cp) ? cp : -1;
  }
  for (const auto& e : k_entities)
    if (e.name == body) return e.cp;
  return -1;
}

// Tags that style text inside a word ("H<sub>2</sub>O", "<i>in vivo</i>"): removed without a
// trace. Other tags (<p>, <br/>, <AbstractText>) separate words.
bool is_inline_tag(std::string_view name) {
  static constexpr std::array<std::string_view, 16> k_inline = {
      "i",    "b", "u",    "em",    "strong", "sub", "sup", "sc",
      "span", "a", "font", "small", "tt",     "inf", "scp", "mml:math"};
  std::string lower;
  for (char c : name) lower += ascii_lower(c);
  return std::find(k_inline.begin(), k_inline.end(), lower) != k_inline.end();
}

// Removes markup tags and decodes character references.
std::string decode_markup(std::string_view text) {
  if (text.find_first_of("<&") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '&') {
      std::size_t len = 0;
      const auto cp = decode_reference(text, i, len);
      if (cp >= 0) {
        append_utf8(out, cp);
        i += len;
        continue;
      }
    } else if (c == '<') {
      // A tag: '<', optional '/', a name of letters, digits, ':' or '-', then anything up to '>'
      // on the same line within 200 characters.
      std::size_t j = i + 1;
      if (j < text.size() && text[j] == '/') ++j;
      const std::size_t name_start = j;
      while (j < text.size() && (is_ascii_alpha(text[j]) || is_ascii_digit(text[j]) ||
                                 text[j] == ':' || text[j] == '-'))
        ++j;
      const auto close = text.find('>', j);
      if (j > name_start && is_ascii_alpha(text[name_start]) && close != std::string_view::npos &&
          close - i < 200 && text.substr(j, close - j).find_first_of("<\n") == std::string::npos &&
          (j == close || text[j] == ' ' || text[j] == '/')) {
        if (!is_inline_tag(text.substr(name_start, j - name_start))) out += ' ';
        i = close + 1;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

// Letters that Unicode does not decompose into a base letter and a mark, written in Latin letters
// (as library catalogues romanise them), and the Greek letters spelled out ("β-agonist" and
// "beta-agonist" are the same word). Code points are those after case folding.
std::string_view transliterate(std::int32_t cp) {
  switch (cp) {
    case 0xF8:  // ø
      return "o";
    case 0xE6:  // æ
      return "ae";
    case 0x153:  // œ
      return "oe";
    case 0x142:  // ł
      return "l";
    case 0x111:  // đ
    case 0xF0:   // ð
      return "d";
    case 0xFE:  // þ
      return "th";
    case 0x131:  // dotless i
      return "i";
    case 0x3B1:
      return "alpha";
    case 0x3B2:
    case 0x3D0:  // beta symbol
      return "beta";
    case 0x3B3:
      return "gamma";
    case 0x3B4:
      return "delta";
    case 0x3B5:
    case 0x3F5:
      return "epsilon";
    case 0x3B6:
      return "zeta";
    case 0x3B7:
      return "eta";
    case 0x3B8:
    case 0x3D1:
      return "theta";
    case 0x3B9:
      return "iota";
    case 0x3BA:
    case 0x3F0:
      return "kappa";
    case 0x3BB:
      return "lambda";
    case 0x3BC:
      return "mu";
    case 0x3BD:
      return "nu";
    case 0x3BE:
      return "xi";
    case 0x3BF:
      return "omicron";
    case 0x3C0:
    case 0x3D6:
      return "pi";
    case 0x3C1:
    case 0x3F1:
      return "rho";
    case 0x3C2:
    case 0x3C3:
      return "sigma";
    case 0x3C4:
      return "tau";
    case 0x3C5:
      return "upsilon";
    case 0x3C6:
    case 0x3D5:
      return "phi";
    case 0x3C7:
      return "chi";
    case 0x3C8:
      return "psi";
    case 0x3C9:
      return "omega";
    default:
      return {};
  }
}

bool is_apostrophe(std::int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x2BC || cp == 0x60 || cp == 0xB4;
}

struct free_deleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }  // NOLINT: utf8proc mallocs
};

std::string trim_copy(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

bool is_name_suffix(std::string_view lower_word) {
  return lower_word == "jr" || lower_word == "sr" || lower_word == "ii" || lower_word == "iii" ||
         lower_word == "iv" || lower_word == "2nd" || lower_word == "3rd";
}

// Initials of given names: the first letter of each name ("Paul M" pm, "Jean-Pierre" jp,
// "A.W." aw); a word of two or three capitals in a name that also has small letters is a run of
// initials (MEDLINE "PM", "CBJ").
std::string initials_of(std::string_view given, bool capitals_are_initials) {
  std::string out;
  std::size_t i = 0;
  while (i < given.size()) {
    while (i < given.size() && (given[i] == ' ' || given[i] == '.' || given[i] == '-' ||
                                given[i] == '\t' || given[i] == ','))
      ++i;
    const std::size_t start = i;
    while (i < given.size() && !(given[i] == ' ' || given[i] == '.' || given[i] == '-' ||
                                 given[i] == '\t' || given[i] == ','))
      ++i;
    if (i == start) continue;
    const auto word = given.substr(start, i - start);
    if (is_name_suffix(normalize_text(word))) continue;  // "Wright, Jr", "Smith, John Jr."
    const bool all_caps = word.size() <= 3 && std::all_of(word.begin(), word.end(),
                                                          [](char c) { return is_ascii_upper(c); });
    if (capitals_are_initials && all_caps && word.size() > 1) {
      for (char c : word) out += ascii_lower(c);
      continue;
    }
    const auto norm = normalize_text(word);
    if (norm.empty()) continue;
    // The first character of the normalised word (one UTF-8 sequence).
    std::size_t n = 1;
    while (n < norm.size() && (static_cast<unsigned char>(norm[n]) & 0xC0) == 0x80) ++n;
    out.append(norm, 0, n);
  }
  return out;
}

std::string strip_spaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

// Page token: up to two letters, digits, up to two letters ("s11", "e0209483", "123a").
struct page_token {
  std::string prefix, digits, suffix;
};

bool parse_page_token(std::string_view t, page_token& out) {
  std::size_t i = 0;
  while (i < t.size() && is_ascii_lower(t[i])) ++i;
  const std::size_t p = i;
  while (i < t.size() && is_ascii_digit(t[i])) ++i;
  const std::size_t d = i;
  while (i < t.size() && is_ascii_lower(t[i])) ++i;
  if (i != t.size() || d == p || p > 2 || i - d > 2) return false;
  out.prefix = std::string(t.substr(0, p));
  out.digits = std::string(t.substr(p, d - p));
  out.suffix = std::string(t.substr(d));
  return true;
}

bool is_letter_cp(std::int32_t cp) {
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
         cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_LO;
}

// The next code point of `p` (n bytes) is a letter.
bool is_letter_after(const utf8proc_uint8_t* p, utf8proc_ssize_t n) {
  utf8proc_int32_t cp = 0;
  return utf8proc_iterate(p, n, &cp) > 0 && is_letter_cp(cp);
}

// The last code point written to `out` is a letter.
bool is_letter_before(const std::string& out) {
  std::size_t start = out.size();
  while (start > 0 && (static_cast<unsigned char>(out[start - 1]) & 0xC0) == 0x80) --start;
  if (start == 0) return false;
  --start;
  utf8proc_int32_t cp = 0;
  return utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(out.data() + start),
                          static_cast<utf8proc_ssize_t>(out.size() - start), &cp) > 0 &&
         is_letter_cp(cp);
}

}  // namespace

std::string normalize_text(std::string_view text) {
  const std::string decoded = repair_utf8(decode_markup(text));
  utf8proc_uint8_t* mapped_raw = nullptr;
  const auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
      UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(decoded.data()),
                              static_cast<utf8proc_ssize_t>(decoded.size()), &mapped_raw, options);
  const std::unique_ptr<utf8proc_uint8_t, free_deleter> mapped(mapped_raw);
  if (n < 0) return {};  // cannot happen: the input was repaired to valid UTF-8

  std::string out;
  out.reserve(static_cast<std::size_t>(n));
  bool pending_space = false;
  const utf8proc_uint8_t* p = mapped.get();
  utf8proc_ssize_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) break;
    i += len;
    if (is_apostrophe(cp)) continue;
    // A question mark or replacement character between two letters stands for a letter an
    // export could not encode ("fran?aises", "anesth?sie"): dropped, so that the word stays one.
    if ((cp == '?' || cp == 0xFFFD) && !out.empty() && !pending_space && i < n &&
        is_letter_after(p + i, n - i) && is_letter_before(out))
      continue;
    const auto cat = utf8proc_category(cp);
    const bool keep = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
                      cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
                      cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND ||
                      cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
    if (!keep) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    if (const auto t = transliterate(cp); !t.empty())
      out += t;
    else
      append_utf8(out, cp);
  }
  return out;
}

std::string normalize_title(std::string_view title) {
  std::string t = normalize_text(title);
  for (std::string_view article : {"the ", "a ", "an "}) {
    if (t.size() > article.size() && t.compare(0, article.size(), article) == 0) {
      t.erase(0, article.size());
      break;
    }
  }
  return t;
}

std::string normalize_author(std::string_view author) {
  const std::string a = trim_copy(author);
  if (a.empty()) return {};
  const std::string lower_all = normalize_text(a);
  if (lower_all.empty() || lower_all == "anonymous" || lower_all == "anon" ||
      lower_all == "et al" || lower_all == "unknown" || lower_all == "na")
    return {};
  const bool has_lower = std::any_of(a.begin(), a.end(), is_ascii_lower) ||
                         std::any_of(a.begin(), a.end(), [](char c) {
                           return (static_cast<unsigned char>(c) & 0x80) != 0;
                         });

  std::string last;
  std::string given;
  if (const auto comma = a.find(','); comma != std::string::npos) {
    last = a.substr(0, comma);
    given = a.substr(comma + 1);
    // "Smith, Jr, John" (BibTeX's von Last, Jr, First) and "Smith, John, Jr."
    if (const auto c2 = given.find(','); c2 != std::string::npos) {
      const auto first_part = normalize_text(given.substr(0, c2));
      if (is_name_suffix(first_part))
        given = given.substr(c2 + 1);
      else
        given = given.substr(0, c2);
    }
  } else {
    auto words = split_words(a);
    while (words.size() > 1 && is_name_suffix(normalize_text(words.back()))) words.pop_back();
    if (words.size() == 1) {
      last = std::string(words[0]);
    } else {
      const auto tail = words.back();
      const bool medline_initials = tail.size() <= 3 &&
                                    std::all_of(tail.begin(), tail.end(), is_ascii_upper) &&
                                    (has_lower || tail.size() <= 2);
      if (medline_initials) {  // MEDLINE "O'Byrne PM", "Le Quintrec M"
        for (std::size_t k = 0; k + 1 < words.size(); ++k) {
          if (k > 0) last += ' ';
          last += words[k];
        }
        std::string out = strip_spaces(normalize_text(last));
        if (out.empty()) return {};
        out += ' ';
        for (char c : tail) out += ascii_lower(c);
        return out;
      }
      last = std::string(tail);  // "Paul M. O'Byrne"
      for (std::size_t k = 0; k + 1 < words.size(); ++k) {
        if (k > 0) given += ' ';
        given += words[k];
      }
    }
  }
  {
    const std::string norm_last = normalize_text(last);
    auto lw = split_words(norm_last);
    while (lw.size() > 1 && is_name_suffix(lw.back())) lw.pop_back();
    std::string joined;
    for (auto w : lw) joined += w;
    last = joined;
  }
  if (last.empty()) return {};
  const std::string ini = initials_of(given, has_lower);
  return ini.empty() ? last : last + ' ' + ini;
}

std::string normalize_pages(std::string_view pages) {
  // Unify dashes (en, em, minus, hyphen, figure dash) to '-' before anything else.
  std::string s;
  s.reserve(pages.size());
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const auto b = static_cast<unsigned char>(pages[i]);
    if (b == 0xE2 && i + 2 < pages.size()) {
      const auto b1 = static_cast<unsigned char>(pages[i + 1]);
      const auto b2 = static_cast<unsigned char>(pages[i + 2]);
      if ((b1 == 0x80 && b2 >= 0x90 && b2 <= 0x95) || (b1 == 0x88 && b2 == 0x92)) {
        s += '-';
        i += 2;
        continue;
      }
    }
    s += ascii_lower(pages[i]);
  }
  std::string_view v = s;
  auto skip_space = [&] {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  };
  skip_space();
  for (std::string_view prefix : {"pages", "pp.", "pp", "p."}) {
    if (v.size() > prefix.size() && v.substr(0, prefix.size()) == prefix &&
        !is_ascii_alpha(v[prefix.size()])) {
      v.remove_prefix(prefix.size());
      skip_space();
      break;
    }
  }
  v = v.substr(0, std::min({v.find(';'), v.find(','), v.find('+')}));
  // Split at the first run of dashes (with optional spaces around it).
  std::string first_text;
  std::string last_text;
  const auto dash = v.find('-');
  if (dash == std::string_view::npos) {
    first_text = trim_copy(v);
  } else {
    first_text = trim_copy(v.substr(0, dash));
    auto rest = v.substr(dash);
    while (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
    last_text = trim_copy(rest);
  }
  // A month name means a spreadsheet read the range as a date ("5-13" became "13-May"): the
  // pages are lost.
  for (std::string_view month :
       {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})
    if (first_text.find(month) != std::string::npos || last_text.find(month) != std::string::npos)
      return normalize_text(pages);
  page_token first;
  page_token last;
  if (!parse_page_token(first_text, first)) return normalize_text(pages);
  // A last page that is no page ("527-32.e1"): the first page alone.
  if (!last_text.empty() && !parse_page_token(last_text, last)) last_text.clear();
  // Leading zeros carry no information ("e0209483" keeps them: they are part of an article
  // number only when a letter precedes them, and then both records write them).
  if (first.prefix.empty())
    while (first.digits.size() > 1 && first.digits.front() == '0') first.digits.erase(0, 1);
  std::string out = first.prefix + first.digits + first.suffix;
  if (last_text.empty()) return out;
  if (last.prefix.empty()) {
    while (last.digits.size() > 1 && last.digits.front() == '0') last.digits.erase(0, 1);
    last.prefix = first.prefix;
  }
  // Abbreviated last page ("1865-76"): take the missing leading digits from the first page.
  if (last.prefix == first.prefix && last.digits.size() < first.digits.size())
    last.digits = first.digits.substr(0, first.digits.size() - last.digits.size()) + last.digits;
  const std::string last_full = last.prefix + last.digits + last.suffix;
  if (last_full == out) return out;  // "945-945" is page 945
  return out + '-' + last_full;
}

std::string normalize_doi(std::string_view doi) {
  std::string s;
  s.reserve(doi.size());
  for (std::size_t i = 0; i < doi.size(); ++i) {
    if (doi[i] == '%' && i + 2 < doi.size() &&
        std::isxdigit(static_cast<unsigned char>(doi[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(doi[i + 2]))) {
      s += static_cast<char>(std::stoi(std::string(doi.substr(i + 1, 2)), nullptr, 16));
      i += 2;
      continue;
    }
    s += ascii_lower(doi[i]);
  }
  // The DOI starts at "10." that begins the field or follows a separator (a resolver URL's "/",
  // "doi:", white space).
  std::size_t start = std::string::npos;
  for (std::size_t pos = s.find("10."); pos != std::string::npos; pos = s.find("10.", pos + 1)) {
    if (pos == 0 ||
        !(is_ascii_alpha(s[pos - 1]) || is_ascii_digit(s[pos - 1]) || s[pos - 1] == '.')) {
      start = pos;
      break;
    }
  }
  if (start == std::string::npos) return {};
  std::string d = s.substr(start);
  if (const auto end = d.find_first_of(" \t\r\n"); end != std::string::npos) d.erase(end);
  if (const auto tag = d.find("[doi]"); tag != std::string::npos) d.erase(tag);
  while (!d.empty() && (d.back() == '.' || d.back() == ',' || d.back() == ';' || d.back() == ':'))
    d.pop_back();
  // A closing bracket without its opening one belongs to the text around the DOI.
  while (!d.empty() && (d.back() == ')' || d.back() == ']')) {
    const char open = d.back() == ')' ? '(' : '[';
    if (std::count(d.begin(), d.end(), open) >= std::count(d.begin(), d.end(), d.back())) break;
    d.pop_back();
  }
  // 10.<4 to 9 digits, maybe with .sub-registrants>/<suffix>
  const auto slash = d.find('/');
  if (slash == std::string::npos || slash + 1 >= d.size() || slash < 7) return {};
  for (std::size_t k = 3; k < slash; ++k)
    if (!is_ascii_digit(d[k]) && d[k] != '.') return {};
  return d;
}

std::string normalize_year(std::string_view year) {
  for (std::size_t i = 0; i + 4 <= year.size(); ++i) {
    if (!is_ascii_digit(year[i]) || (i > 0 && is_ascii_digit(year[i - 1]))) continue;
    std::size_t j = i;
    while (j < year.size() && is_ascii_digit(year[j])) ++j;
    if (j - i == 4 && (year[i] == '1' || year[i] == '2')) return std::string(year.substr(i, 4));
    i = j;
  }
  return {};
}

}  // namespace srma
