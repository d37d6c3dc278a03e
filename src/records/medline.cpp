// PubMed MEDLINE (.nbib) reader.
//
// A tag is 2-4 capital letters left-justified in four columns, then "- " (`^[A-Z]{2,4} {0,2}- `);
// continuation lines are indented by six spaces (joined by one space, whatever trailing space
// the line before has); `PMID- ` starts a record, and a blank line ends it
// (https://www.nlm.nih.gov/bsd/mms/medlineelements.html). Files start with a blank line, and a
// one-record download has no blank line at all (mjwestgate/revtools#37): neither matters here,
// because records are found by their `PMID- ` line, never by blank lines. Tags repeat (`FAU`,
// `AU`, `AD`, `PT`, `AID`, ...); all stay in `fields` (massimoaria/bibliometrix#111).
//
// Example:
//
//   std::vector<std::string> warnings;
//   auto records = srma::detail::parse_medline(text, "pubmed.nbib", warnings);
#include <fmt/format.h>

#include "import_detail.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::detail {
namespace {

// Fills the named fields of `r` from its tags (docs/review.md, "Importing records").
void map_medline_fields(bib_record& r) {
  std::vector<std::string> full_names, short_names;  // FAU (+ CN) and AU (+ CN), in order
  bool any_fau = false;
  std::string_view ti, bti, jt, ta;
  for (const auto& [tag, value] : r.fields) {
    if (value.empty()) continue;
    const std::string_view v = value;
    auto first = [&](std::string_view& slot) {
      if (slot.empty()) slot = v;
    };
    if (tag == "PMID") {
      if (r.pmid.empty()) r.pmid = value;
    } else if (tag == "FAU") {
      any_fau = true;
      full_names.push_back(value);
    } else if (tag == "AU") {
      short_names.push_back(value);
    } else if (tag == "CN") {  // corporate author ("ALTS Group")
      full_names.push_back(value);
      short_names.push_back(value);
    } else if (tag == "TI") {
      first(ti);
    } else if (tag == "BTI") {
      first(bti);
    } else if (tag == "DP") {
      if (r.year.empty()) r.year = value;
    } else if (tag == "JT") {
      first(jt);
    } else if (tag == "TA") {
      first(ta);
    } else if (tag == "VI") {
      if (r.volume.empty()) r.volume = value;
    } else if (tag == "IP") {
      if (r.issue.empty()) r.issue = value;
    } else if (tag == "PG") {
      if (r.pages.empty()) r.pages = value;
    } else if (tag == "AB") {
      if (r.abstract.empty()) r.abstract = value;
    } else if (tag == "LID" || tag == "AID") {
      // "10.1371/journal.pone.0209483 [doi]"; other kinds end in [pii], [pmc], ...
      if (r.doi.empty() && v.ends_with("[doi]")) {
        r.doi = std::string(trim_space(v.substr(0, v.size() - 5)));
      }
    } else if (tag == "PT") {
      if (!r.type.empty()) r.type += "; ";
      r.type += value;
    } else if (tag == "ISBN") {
      if (r.isbn.empty()) r.isbn = value;
    }
  }
  r.authors = any_fau ? std::move(full_names) : std::move(short_names);
  r.title = std::string(!ti.empty() ? ti : bti);
  // A chapter of a book has no journal; its book title stands in, as RIS's T2 does.
  r.journal = std::string(!jt.empty() ? jt : !ta.empty() ? ta : (!ti.empty() ? bti : ""));
}

}  // namespace

expected<std::vector<bib_record>> parse_medline(std::string_view text, const std::string& source,
                                                std::vector<std::string>& /*warnings*/) {
  enum class state { before_first, inside, after_blank };
  const auto lines = split_lines(text);
  std::vector<bib_record> records;
  bib_record current;
  state st = state::before_first;
  std::size_t start_offset = 0;
  std::size_t end_offset = 0;
  int blank_line = 0;

  auto offset_of = [&](std::string_view line) {
    return static_cast<std::size_t>(line.data() - text.data());
  };
  auto close_record = [&] {
    current.raw = std::string(text.substr(start_offset, end_offset - start_offset));
    map_medline_fields(current);
    finish_record(current);
    records.push_back(std::move(current));
    current = bib_record{};
  };

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const int lineno = static_cast<int>(i) + 1;
    if (is_blank(line)) {
      if (st == state::inside) {
        st = state::after_blank;
        blank_line = lineno;
      }
      continue;
    }
    std::string_view tag, value;
    if (match_medline_tag(line, tag, value)) {
      if (tag == "PMID") {
        if (value.empty()) {
          return fail(errc::records_malformed,
                      "tag 'PMID' has no number: expected 'PMID- ' followed by the PubMed id",
                      {source, lineno, 1}, "PMID");
        }
        if (st != state::before_first) close_record();
        st = state::inside;
        current.line = lineno;
        start_offset = offset_of(line);
        end_offset = start_offset + line.size();
        current.fields.emplace_back("PMID", std::string(value));
        continue;
      }
      if (st == state::before_first) {
        return fail(errc::records_malformed,
                    fmt::format("tag '{}' comes before any 'PMID- ' line: every MEDLINE record "
                                "starts with 'PMID- '",
                                tag),
                    {source, lineno, 1}, std::string(tag));
      }
      if (st == state::after_blank) {
        return fail(errc::records_malformed,
                    fmt::format("tag '{}' follows the blank line (line {}) that ended the record "
                                "of PMID {}: expected 'PMID- ' to start a new record",
                                tag, blank_line, current.fields.front().second),
                    {source, lineno, 1}, std::string(tag));
      }
      current.fields.emplace_back(std::string(tag), std::string(value));
      end_offset = offset_of(line) + line.size();
      continue;
    }
    if (line.front() == ' ' && st == state::inside) {
      append_with_space(current.fields.back().second, line);
      end_offset = offset_of(line) + line.size();
      continue;
    }
    const std::string where = st == state::inside ? fmt::format(" (in the value of tag '{}')",
                                                                current.fields.back().first)
                                                  : std::string(" (outside any record)");
    return fail(errc::records_malformed,
                fmt::format("this line is neither a tag ('TI  - ', 'PMID- ') nor a continuation "
                            "indented by six spaces{}",
                            where),
                {source, lineno, 1},
                st == state::inside ? current.fields.back().first : std::string());
  }
  if (st != state::before_first) close_record();
  return records;
}

}  // namespace srma::detail
