// RIS reader (EndNote, Embase.com, Ovid, Scopus, ...).
//
// A tag line matches `^[A-Z][A-Z0-9]  -( |$)` (RIS spec, https://www.refman.com/support/
// risformat_fields_02.asp); `TY  - ` opens a record and the full `ER  - ` tag closes it (a text
// line starting with "ER" once ended records in synthesisr, mjwestgate/synthesisr#16). Untagged
// lines inside a record continue the previous tag (joined by one space). Ovid puts a tag after
// `ER` (`NL  - `), which belongs to the closed record, and a record-number line ("3002. ") and a
// link line between records (mjwestgate/synthesisr#15): both are dropped and counted in a
// warning. Any other tag outside a record is an error, as is a record without `ER  - `.
//
// Example:
//
//   std::vector<std::string> warnings;
//   auto records = srma::detail::parse_ris(text, "embase.ris", warnings);
#include <fmt/format.h>

#include <array>

#include "import_detail.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::detail {
namespace {

// An ISBN has 10 or 13 digits (the last of ten may be X) before any qualifier such as
// "(Hardcover)"; an ISSN has 8.
bool looks_like_isbn(std::string_view v) {
  int digits = 0;
  for (char c : v) {
    if ((c >= '0' && c <= '9') || c == 'X' || c == 'x') {
      ++digits;
    } else if (c == '-' || c == ' ') {
      continue;
    } else {
      break;
    }
  }
  return digits == 10 || digits == 13;
}

// A two-character RIS tag as one number, for a switch over tags.
constexpr unsigned tag_code(std::string_view tag) {
  return static_cast<unsigned>(static_cast<unsigned char>(tag[0])) << 8 |
         static_cast<unsigned char>(tag[1]);
}

bool is_doi_link(std::string_view v) { return v.find("doi.org/10.") != std::string_view::npos; }

// The database segment of an Ovid link ("http://ovidsp.ovid.com/ovidweb.cgi?T=JS&...&D=medp&..."),
// letters only ("emed10" -> "emed"), or "".
std::string_view ovid_segment(std::string_view link) {
  if (link.find("ovid.com") == std::string_view::npos) return {};
  std::size_t at = link.find("&D=");
  if (at == std::string_view::npos) at = link.find("?D=");
  if (at == std::string_view::npos) return {};
  at += 3;
  std::size_t end = at;
  while (end < link.size() && link[end] >= 'a' && link[end] <= 'z') ++end;
  return link.substr(at, end - at);
}

// A readable name for an Ovid database segment.
std::string ovid_database(std::string_view segment) {
  if (segment.starts_with("med") || segment == "prem") return "Ovid MEDLINE";
  if (segment.starts_with("em")) return "Ovid Embase";
  if (segment == "cctr") return "Ovid CENTRAL";
  if (segment.starts_with("psyc")) return "Ovid PsycINFO";
  return "Ovid " + std::string(segment);
}

// Appends `value` to the "; "-separated `list` unless it is there already.
void add_distinct(std::string& list, std::string_view value) {
  std::string_view rest = list;
  while (!rest.empty()) {
    const std::size_t sep = rest.find("; ");
    if (rest.substr(0, sep) == value) return;
    if (sep == std::string_view::npos) break;
    rest.remove_prefix(sep + 2);
  }
  if (!list.empty()) list += "; ";
  list += value;
}

// Fills the named fields of `r` from its tags (docs/review.md, "Importing records").
void map_ris_fields(bib_record& r) {
  // Journal candidates, best first: JF (full), JO, T2 (secondary title; Ovid repeats the title
  // there for books), JA, J2, J1 (abbreviations).
  std::array<std::string_view, 6> journal{};
  std::string_view ovid;  // Ovid's database segment, from its links ("medp", "emed", ...)
  std::string_view ty, m3, py, y1, da, vl, is, sp, ep, doi, ab, n2, u2, an, id, c5, link_doi;
  std::string_view ti, t1, bt, st, t2;
  bool embase = false;
  for (const auto& [tag, value] : r.fields) {
    if (value.empty() || tag.size() != 2) continue;
    const std::string_view v = value;
    std::string_view* slot = nullptr;  // the first value of the tag wins
    switch (tag_code(tag)) {
      case tag_code("AU"):
      case tag_code("A1"):
        r.authors.push_back(value);
        break;
      case tag_code("TI"):
        slot = &ti;
        break;
      case tag_code("T1"):
        slot = &t1;
        break;
      case tag_code("BT"):
        slot = &bt;
        break;
      case tag_code("ST"):
        slot = &st;
        break;
      case tag_code("T2"):
        slot = &t2;
        break;
      case tag_code("JF"):
        slot = &journal[0];
        break;
      case tag_code("JO"):
        slot = &journal[1];
        break;
      case tag_code("JA"):
        slot = &journal[3];
        break;
      case tag_code("J2"):
        slot = &journal[4];
        break;
      case tag_code("J1"):
        slot = &journal[5];
        break;
      case tag_code("TY"):
        slot = &ty;
        break;
      case tag_code("M3"):
        slot = &m3;
        break;
      case tag_code("PY"):
        slot = &py;
        break;
      case tag_code("Y1"):
        slot = &y1;
        break;
      case tag_code("DA"):
        slot = &da;
        break;
      case tag_code("VL"):
        slot = &vl;
        break;
      case tag_code("IS"):
        slot = &is;
        break;
      case tag_code("SP"):
        slot = &sp;
        break;
      case tag_code("EP"):
        slot = &ep;
        break;
      case tag_code("DO"):
        slot = &doi;
        break;
      case tag_code("L2"):
      case tag_code("UR"):
        if (link_doi.empty() && is_doi_link(v)) link_doi = v;
        if (ovid.empty()) ovid = ovid_segment(v);
        if (v.find("www.embase.com/") != std::string_view::npos) embase = true;
        break;
      case tag_code("C5"):
        slot = &c5;
        break;
      case tag_code("U2"):
        slot = &u2;
        if (v.size() > 1 && v.front() == 'L' && all_digits(v.substr(1))) embase = true;
        break;
      case tag_code("AN"):
        slot = &an;
        break;
      case tag_code("ID"):
        slot = &id;
        break;
      case tag_code("SN"):
        if (r.isbn.empty() && looks_like_isbn(v)) r.isbn = value;
        break;
      case tag_code("AB"):
        slot = &ab;
        break;
      case tag_code("N2"):
        slot = &n2;
        break;
      case tag_code("DB"):
        add_distinct(r.database, v);
        break;
      default:
        break;
    }
    if (slot != nullptr && slot->empty()) *slot = v;
  }
  r.volume = std::string(vl);
  r.issue = std::string(is);
  r.doi = std::string(doi);
  r.title = std::string(!ti.empty() ? ti : !t1.empty() ? t1 : !bt.empty() ? bt : st);
  if (!t2.empty() && t2 != r.title) journal[2] = t2;
  for (auto j : journal) {
    if (!j.empty()) {
      r.journal = std::string(j);
      break;
    }
  }
  // Embase's M3 says "Article", "Conference Abstract", ...; elsewhere M3 is a subject class
  // (Ovid) or "Type of Work" (EndNote), so TY stays the type there. Embase records are known
  // by their L-number accession in U2 or their embase.com link.
  r.type = std::string(embase && !m3.empty() ? m3 : ty);
  r.year = std::string(!py.empty() ? py : !y1.empty() ? y1 : da);
  if (!sp.empty()) {
    r.pages = std::string(sp);
    if (!ep.empty() && sp.find('-') == std::string_view::npos && ep != sp) {
      r.pages += '-';
      r.pages += ep;
    }
  }
  // L2/UR are links: the DOI is the part after "doi.org/" (DO itself stays as given).
  if (r.doi.empty() && !link_doi.empty()) {
    r.doi = std::string(link_doi.substr(link_doi.find("doi.org/10.") + 8));
  }
  r.abstract = std::string(!ab.empty() ? ab : n2);
  // Ovid names no database in a tag, but its links do ("...ovidweb.cgi?...&D=medp&AN=..."):
  // in MEDLINE segments (med*, prem) ID is the PMID; elsewhere an accession number.
  const bool ovid_medline = ovid.starts_with("med") || ovid == "prem";
  if (!ovid.empty() && r.database.empty()) r.database = ovid_database(ovid);
  if (ovid_medline && all_digits(id) && id.size() <= 9) r.pmid = std::string(id);
  // Embase gives the PMID in C5 (present exactly for its MEDLINE records); elsewhere C5 is a
  // free custom field, so only digits count.
  if (r.pmid.empty() && all_digits(c5) && c5.size() <= 9) r.pmid = std::string(c5);
  if (r.pmid.empty() && all_digits(an) && an.size() <= 9 &&
      to_lower(r.database).find("medline") != std::string::npos) {
    r.pmid = std::string(an);
  }
  r.accession = std::string(!u2.empty() ? u2 : !an.empty() ? an : id);
  if (r.accession == r.pmid) r.accession.clear();
}

struct dropped_lines {
  int count = 0;
  int first_line = 0;
  std::string first_text;
  void add(int line, std::string_view text) {
    if (count++ == 0) {
      first_line = line;
      first_text = std::string(utf8_prefix(text, 60));
    }
  }
};

}  // namespace

expected<std::vector<bib_record>> parse_ris(std::string_view text, const std::string& source,
                                            std::vector<std::string>& warnings) {
  enum class state { outside, inside, after_er };
  const auto lines = split_lines(text);
  std::vector<bib_record> records;
  bib_record current;
  state st = state::outside;
  std::size_t start_offset = 0;
  std::size_t end_offset = 0;
  int last_end_line = 0;
  dropped_lines numbers, links, other;

  auto offset_of = [&](std::string_view line) {
    return static_cast<std::size_t>(line.data() - text.data());
  };
  auto close_record = [&] {
    current.raw = std::string(text.substr(start_offset, end_offset - start_offset));
    map_ris_fields(current);
    finish_record(current);
    records.push_back(std::move(current));
    current = bib_record{};
    st = state::outside;
  };

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const int lineno = static_cast<int>(i) + 1;
    std::string_view tag, value;
    const bool tagged = match_ris_tag(line, tag, value);
    if (st == state::inside) {
      if (tagged && tag == "TY") {
        return fail(errc::records_malformed,
                    fmt::format("tag 'TY' starts a new record, but the record that starts at line "
                                "{} has no 'ER  - ' line: every RIS record must end with 'ER  - '",
                                current.line),
                    {source, lineno, 1}, "TY");
      }
      end_offset = offset_of(line) + line.size();
      if (tagged && tag == "ER") {
        st = state::after_er;
        last_end_line = lineno;
      } else if (tagged) {
        current.fields.emplace_back(std::string(tag), std::string(value));
      } else if (!is_blank(line)) {
        // An untagged line continues the value of the previous tag.
        append_with_space(current.fields.back().second, line);
      }
      continue;
    }
    if (tagged && tag == "TY") {
      if (st == state::after_er) close_record();
      st = state::inside;
      current.line = lineno;
      start_offset = offset_of(line);
      end_offset = start_offset + line.size();
      current.fields.emplace_back("TY", std::string(value));
      continue;
    }
    if (tagged && st == state::after_er && tag != "ER") {
      // Ovid writes a tag after ER ("NL  - Drug Alcohol Depend"): it belongs to the closed record.
      current.fields.emplace_back(std::string(tag), std::string(value));
      end_offset = offset_of(line) + line.size();
      continue;
    }
    if (tagged) {
      const std::string before =
          last_end_line > 0 ? fmt::format(" (the record before ended at line {})", last_end_line)
                            : std::string(" (no record has started yet)");
      return fail(errc::records_malformed,
                  fmt::format("tag '{}' is outside any record{}: expected 'TY  - ' to start a "
                              "record before it",
                              tag, before),
                  {source, lineno, 1}, std::string(tag));
    }
    if (st == state::after_er) close_record();
    if (is_blank(line)) continue;
    if (is_ovid_record_number(line)) {
      numbers.add(lineno, trim_space(line));
    } else if (is_ovid_link(line)) {
      links.add(lineno, line);
    } else {
      other.add(lineno, line);
    }
  }
  if (st == state::inside) {
    return fail(errc::records_malformed,
                fmt::format("the record that starts here (tag 'TY') never ends: expected an "
                            "'ER  - ' line before the end of the file (line {})",
                            lines.size()),
                {source, current.line, 1}, "ER");
  }
  if (st == state::after_er) close_record();

  if (numbers.count > 0) {
    warnings.push_back(fmt::format("{}:{}: dropped {} Ovid record-number line{} ('{}' here)",
                                   source, numbers.first_line, numbers.count,
                                   numbers.count == 1 ? "" : "s", numbers.first_text));
  }
  if (links.count > 0) {
    warnings.push_back(fmt::format("{}:{}: dropped {} Ovid link line{} between records", source,
                                   links.first_line, links.count, links.count == 1 ? "" : "s"));
  }
  if (other.count > 0) {
    warnings.push_back(fmt::format(
        "{}:{}: dropped {} line{} of text outside any record (the first reads '{}')", source,
        other.first_line, other.count, other.count == 1 ? "" : "s", other.first_text));
  }
  return records;
}

}  // namespace srma::detail
