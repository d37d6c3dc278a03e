// PRISMA 2020 counts: the PRISMA2020 app's CSV file, completion of boxes that follow from the
// others, and the consistency checks (review.md §3).
#include "srma/review/prisma.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <map>
#include <variant>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::review {
namespace {

struct box_info {
  prisma_box box;
  std::string_view id;
  std::string_view label;
  std::optional<long> prisma_counts::*scalar;
  std::vector<named_count> prisma_counts::*list;
};

using pc = prisma_counts;

// In the order of the PRISMA2020 app's template (inst/extdata/PRISMA.csv).
const std::array<box_info, 28> k_boxes = {{
    {prisma_box::previous_studies, "previous_studies",
     "studies included in previous version of review", &pc::previous_studies, nullptr},
    {prisma_box::previous_reports, "previous_reports",
     "reports of studies included in previous version of review", &pc::previous_reports, nullptr},
    {prisma_box::database_results, "database_results", "records from databases",
     &pc::database_results, nullptr},
    {prisma_box::database_specific_results, "database_specific_results", "records per database",
     nullptr, &pc::database_specific_results},
    {prisma_box::register_results, "register_results", "records from registers",
     &pc::register_results, nullptr},
    {prisma_box::register_specific_results, "register_specific_results", "records per register",
     nullptr, &pc::register_specific_results},
    {prisma_box::website_results, "website_results", "records from websites", &pc::website_results,
     nullptr},
    {prisma_box::organisation_results, "organisation_results", "records from organisations",
     &pc::organisation_results, nullptr},
    {prisma_box::citations_results, "citations_results", "records from citation searching",
     &pc::citations_results, nullptr},
    {prisma_box::duplicates, "duplicates", "duplicate records removed", &pc::duplicates, nullptr},
    {prisma_box::excluded_automatic, "excluded_automatic",
     "records marked as ineligible by automation tools", &pc::excluded_automatic, nullptr},
    {prisma_box::excluded_other, "excluded_other", "records removed for other reasons",
     &pc::excluded_other, nullptr},
    {prisma_box::records_screened, "records_screened", "records screened", &pc::records_screened,
     nullptr},
    {prisma_box::records_excluded, "records_excluded", "records excluded", &pc::records_excluded,
     nullptr},
    {prisma_box::dbr_sought_reports, "dbr_sought_reports", "reports sought for retrieval",
     &pc::dbr_sought_reports, nullptr},
    {prisma_box::dbr_notretrieved_reports, "dbr_notretrieved_reports", "reports not retrieved",
     &pc::dbr_notretrieved_reports, nullptr},
    {prisma_box::other_sought_reports, "other_sought_reports",
     "reports sought for retrieval via other methods", &pc::other_sought_reports, nullptr},
    {prisma_box::other_notretrieved_reports, "other_notretrieved_reports",
     "reports not retrieved via other methods", &pc::other_notretrieved_reports, nullptr},
    {prisma_box::dbr_assessed, "dbr_assessed", "reports assessed for eligibility",
     &pc::dbr_assessed, nullptr},
    {prisma_box::dbr_excluded, "dbr_excluded", "reports excluded", nullptr, &pc::dbr_excluded},
    {prisma_box::other_assessed, "other_assessed",
     "reports assessed for eligibility via other methods", &pc::other_assessed, nullptr},
    {prisma_box::other_excluded, "other_excluded", "reports excluded via other methods", nullptr,
     &pc::other_excluded},
    {prisma_box::new_studies, "new_studies", "new studies included in review", &pc::new_studies,
     nullptr},
    {prisma_box::new_reports, "new_reports", "reports of new included studies", &pc::new_reports,
     nullptr},
    {prisma_box::total_studies, "total_studies", "total studies included in review",
     &pc::total_studies, nullptr},
    {prisma_box::total_reports, "total_reports", "reports of total included studies",
     &pc::total_reports, nullptr},
    {prisma_box::total_studies_ma, "total_studies_ma", "studies included in meta-analysis",
     &pc::total_studies_ma, nullptr},
    {prisma_box::total_reports_ma, "total_reports_ma",
     "reports of studies included in meta-analysis", &pc::total_reports_ma, nullptr},
}};

const box_info& info(prisma_box box) {
  for (const auto& b : k_boxes)
    if (b.box == box) return b;
  return k_boxes.front();  // unreachable: every enumerator is in the table
}

// ---- reading ----------------------------------------------------------------------------------

// The largest count read: no review screens 10^12 records, and with it no sum of counts (a list's
// entries, the flow's checks: at most a few million terms) can overflow a long, which counts up
// to LONG_MAX did (UBSan, fuzz run of 2026-12-02: two entries of 7.4e18 in one list).
constexpr long k_max_count = 1'000'000'000'000;

// A whole field as a count: digits, optionally grouped by commas in threes ("1,525"), at most
// k_max_count.
std::optional<long> parse_count(std::string_view s) {
  s = detail::trim(s);
  if (s.empty()) return std::nullopt;
  const auto first_comma = s.find(',');
  if (first_comma != std::string_view::npos &&
      (first_comma == 0 || first_comma > 3 || (s.size() - first_comma) % 4 != 0)) {
    return std::nullopt;
  }
  std::string digits;
  for (std::size_t j = 0; j < s.size(); ++j) {
    const bool comma_place =
        first_comma != std::string_view::npos && j >= first_comma && (j - first_comma) % 4 == 0;
    if (comma_place != (s[j] == ',')) return std::nullopt;
    if (comma_place) continue;
    if (s[j] < '0' || s[j] > '9') return std::nullopt;
    digits += s[j];
  }
  long value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  if (value > k_max_count) return std::nullopt;
  return value;
}

bool is_placeholder(std::string_view s) { return detail::iequals(detail::trim(s), "xxx"); }

struct list_error {
  std::string message;
};

// "Name, n; Name, n" -> entries. Returns the list, or the reason it is malformed.
std::variant<std::vector<named_count>, list_error> parse_list(std::string_view text) {
  std::vector<std::string_view> entries;
  std::size_t start = 0;
  while (true) {
    const auto semi = text.find(';', start);
    entries.push_back(detail::trim(text.substr(
        start, semi == std::string_view::npos ? std::string_view::npos : semi - start)));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  if (entries.size() > 1 && entries.back().empty()) entries.pop_back();  // trailing ';'
  std::vector<named_count> out;
  // A bare count (no name) is one unnamed entry, as the PRISMA2020 app reads it.
  if (entries.size() == 1) {
    if (auto n = parse_count(entries[0])) {
      out.push_back({"", *n});
      return out;
    }
  }
  for (auto entry : entries) {
    if (entry.empty()) {
      return list_error{fmt::format(
          "list '{}' has an empty entry; write 'name, n' entries separated by '; '", text)};
    }
    std::optional<long> n;
    std::size_t split = std::string_view::npos;
    for (auto comma = entry.find(','); comma != std::string_view::npos;
         comma = entry.find(',', comma + 1)) {
      if ((n = parse_count(entry.substr(comma + 1)))) {
        split = comma;
        break;
      }
    }
    if (split == std::string_view::npos) {
      const auto last = entry.rfind(',');
      if (last == std::string_view::npos) {
        return list_error{fmt::format(
            "entry '{}' of list '{}' has no count; write 'name, n' (e.g. 'Wrong design, 12')",
            entry, text)};
      }
      return list_error{fmt::format(
          "entry '{}' of list '{}' does not end in a count: '{}' is not a non-negative integer",
          entry, text, detail::trim(entry.substr(last + 1)))};
    }
    const auto name = detail::trim(entry.substr(0, split));
    if (name.empty()) {
      return list_error{fmt::format("entry '{}' of list '{}' has no name", entry, text)};
    }
    for (const auto& prev : out) {
      if (prev.name == name) {
        return list_error{fmt::format("'{}' appears twice in list '{}'", name, text)};
      }
    }
    out.push_back({std::string(name), *n});
  }
  return out;
}

// True when every entry's count is the template's placeholder "xxx".
bool is_placeholder_list(std::string_view text) {
  bool any = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto semi = text.find(';', start);
    if (semi == std::string_view::npos) semi = text.size();
    const auto entry = detail::trim(text.substr(start, semi - start));
    if (!entry.empty()) {
      const auto comma = entry.rfind(',');
      if (comma == std::string_view::npos || !is_placeholder(entry.substr(comma + 1))) return false;
      any = true;
    }
    start = semi + 1;
  }
  return any;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string unknown_id_message(std::string_view id) {
  std::string_view best;
  std::size_t best_d = 3;  // suggest only close spellings
  for (const auto& b : k_boxes) {
    const auto d = edit_distance(id, b.id);
    if (d < best_d) {
      best_d = d;
      best = b.id;
    }
  }
  if (!best.empty()) return fmt::format("unknown field id '{}' (did you mean '{}'?)", id, best);
  std::vector<std::string_view> ids;
  for (const auto& b : k_boxes) ids.push_back(b.id);
  return fmt::format("unknown field id '{}'; the PRISMA2020 field ids are {}", id,
                     fmt::join(ids, ", "));
}

// ---- sums -------------------------------------------------------------------------------------

bool known(const prisma_counts& c, prisma_box b) { return c.count(b).has_value(); }

// An unknown box that counts as 0: it is left out of the diagram (see complete()).
bool absent(const prisma_counts& c, prisma_box b) {
  if (known(c, b)) return false;
  using enum prisma_box;
  auto any_known = [&](std::initializer_list<prisma_box> boxes) {
    return std::any_of(boxes.begin(), boxes.end(), [&](prisma_box x) { return known(c, x); });
  };
  switch (b) {
    case database_results:
      return !known(c, database_specific_results) &&
             any_known({register_results, register_specific_results});
    case register_results:
      return !known(c, register_specific_results) &&
             any_known({database_results, database_specific_results});
    case duplicates:
    case excluded_automatic:
    case excluded_other:
      return any_known({duplicates, excluded_automatic, excluded_other});
    case previous_studies:
    case previous_reports:
      return !any_known({previous_studies, previous_reports});
    case other_sought_reports:
    case other_notretrieved_reports:
    case other_assessed:
    case other_excluded:
      return !any_known({website_results, organisation_results, citations_results,
                         other_sought_reports, other_notretrieved_reports, other_assessed,
                         other_excluded});
    default:
      return false;
  }
}

// Σ whole = Σ parts; `target` is the box the messages are about.
struct equation {
  std::vector<prisma_box> whole;
  std::vector<prisma_box> parts;
  prisma_box target;
  bool target_only = false;  // derive only `target`
};

const std::vector<equation>& equations() {
  using enum prisma_box;
  static const std::vector<equation> eqs = {
      {{database_results}, {database_specific_results}, database_results, true},
      {{register_results}, {register_specific_results}, register_results, true},
      {{database_results, register_results},
       {records_screened, duplicates, excluded_automatic, excluded_other},
       records_screened,
       true},
      {{records_screened}, {records_excluded, dbr_sought_reports}, dbr_sought_reports},
      {{dbr_sought_reports}, {dbr_notretrieved_reports, dbr_assessed}, dbr_assessed},
      {{other_sought_reports}, {other_notretrieved_reports, other_assessed}, other_assessed},
      {{dbr_assessed, other_assessed}, {dbr_excluded, other_excluded, new_reports}, new_reports},
      {{total_studies}, {previous_studies, new_studies}, total_studies},
      {{total_reports}, {previous_reports, new_reports}, total_reports},
  };
  return eqs;
}

// "PubMed 800, Embase 725": the named entries of a list box ("" when none is named).
std::string items_text(const prisma_counts& c, prisma_box b) {
  std::vector<std::string> items;
  for (const auto& e : c.list(b))
    if (!e.name.empty()) items.push_back(fmt::format("{} {}", e.name, e.n));
  return fmt::format("{}", fmt::join(items, ", "));
}

// "29 reports excluded (Single-arm study 29)" / "1525 records from databases"
std::string term_text(const prisma_counts& c, prisma_box b) {
  const long n = *c.count(b);
  const auto items = items_text(c, b);
  if (items.empty()) return fmt::format("{} {}", n, prisma_box_label(b));
  return fmt::format("{} {} ({})", n, prisma_box_label(b), items);
}

// "records excluded (1282)" / "reports excluded (29: Single-arm study 29)"
std::string box_text(const prisma_counts& c, prisma_box b) {
  const long n = *c.count(b);
  const auto items = items_text(c, b);
  if (items.empty()) return fmt::format("{} ({})", prisma_box_label(b), n);
  return fmt::format("{} ({}: {})", prisma_box_label(b), n, items);
}

struct signed_term {
  prisma_box box;
  bool plus;
};

// The known terms that give `target`, with signs: the other side added, its own side subtracted.
std::vector<signed_term> terms_for(const prisma_counts& c, const equation& e, prisma_box target) {
  const bool in_whole = std::find(e.whole.begin(), e.whole.end(), target) != e.whole.end();
  const auto& same = in_whole ? e.whole : e.parts;
  const auto& other = in_whole ? e.parts : e.whole;
  std::vector<signed_term> out;
  for (auto b : other)
    if (known(c, b)) out.push_back({b, true});
  for (auto b : same)
    if (b != target && known(c, b)) out.push_back({b, false});
  return out;
}

long evaluate(const prisma_counts& c, const std::vector<signed_term>& terms) {
  long v = 0;
  for (const auto& t : terms) v += t.plus ? *c.count(t.box) : -*c.count(t.box);
  return v;
}

std::string expression(const prisma_counts& c, const std::vector<signed_term>& terms) {
  std::string s;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) {
      s += terms[i].plus ? " + " : " − ";
    } else if (!terms[i].plus) {
      s += "−";
    }
    s += term_text(c, terms[i].box);
  }
  return s;
}

// Known terms of one side, described for an "exceed" message.
std::string side_text(const prisma_counts& c, const std::vector<prisma_box>& side, long sum) {
  std::vector<prisma_box> k;
  for (auto b : side)
    if (known(c, b)) k.push_back(b);
  if (k.size() == 1) return box_text(c, k[0]);
  std::vector<std::string> parts;
  for (auto b : k) parts.push_back(term_text(c, b));
  return fmt::format("{} = {}", fmt::join(parts, " + "), sum);
}

}  // namespace

// ---- public -----------------------------------------------------------------------------------

const std::vector<prisma_box>& all_prisma_boxes() {
  static const std::vector<prisma_box> boxes = [] {
    std::vector<prisma_box> v;
    for (const auto& b : k_boxes) v.push_back(b.box);
    return v;
  }();
  return boxes;
}

std::string_view prisma_box_id(prisma_box box) { return info(box).id; }
std::string_view prisma_box_label(prisma_box box) { return info(box).label; }
bool is_prisma_list(prisma_box box) { return info(box).list != nullptr; }

std::optional<prisma_box> parse_prisma_box(std::string_view id) {
  for (const auto& b : k_boxes)
    if (detail::iequals(b.id, id)) return b.box;
  return std::nullopt;
}

std::optional<long> prisma_counts::count(prisma_box box) const {
  const auto& i = info(box);
  if (i.scalar != nullptr) return this->*i.scalar;
  const auto& l = this->*i.list;
  if (l.empty()) return std::nullopt;
  long sum = 0;
  for (const auto& e : l) sum += e.n;
  return sum;
}

const std::vector<named_count>& prisma_counts::list(prisma_box box) const {
  static const std::vector<named_count> none;
  const auto& i = info(box);
  return i.list != nullptr ? this->*i.list : none;
}

void prisma_counts::set(prisma_box box, std::optional<long> value) {
  const auto& i = info(box);
  if (i.scalar != nullptr) this->*i.scalar = value;
}

bool prisma_counts::is_derived(prisma_box box) const {
  return std::any_of(derived.begin(), derived.end(),
                     [&](const prisma_derivation& d) { return d.box == box; });
}

expected<prisma_counts> read_prisma_csv(const std::string& path) {
  auto csv = read_csv(path);
  if (!csv) return unexpected(std::move(csv).error());
  return make_prisma_counts(*csv);
}

expected<prisma_counts> make_prisma_counts(const csv_table& csv) {
  const int data_col = csv.find_column("data");
  const int n_col = csv.find_column("n");
  for (auto [col, name] : {std::pair{data_col, "data"}, std::pair{n_col, "n"}}) {
    if (col < 0) {
      return fail(errc::prisma_missing_columns,
                  fmt::format("no column '{}': a PRISMA2020 counts file has the columns "
                              "data,node,box,description,boxtext,tooltips,url,n",
                              name),
                  {csv.source, csv.header_line, 0});
    }
  }
  prisma_counts out;
  out.source = csv.source;
  std::map<prisma_box, int> seen;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const auto& row = csv.rows[r];
    const auto id = detail::trim(row.fields[static_cast<std::size_t>(data_col)]);
    if (detail::is_missing_token(id)) continue;  // title boxes
    if (detail::iequals(id, "identification") || detail::iequals(id, "screening") ||
        detail::iequals(id, "included")) {
      continue;  // the blue side labels
    }
    const auto box = parse_prisma_box(id);
    if (!box) {
      return fail(errc::prisma_unknown_field, unknown_id_message(id),
                  csv.where(r, static_cast<std::size_t>(data_col)));
    }
    if (auto it = seen.find(*box); it != seen.end()) {
      return fail(errc::prisma_duplicate_field,
                  fmt::format("field '{}' appears twice (lines {} and {}); keep one row per field",
                              prisma_box_id(*box), it->second, row.line),
                  csv.where(r, static_cast<std::size_t>(data_col)));
    }
    seen.emplace(*box, row.line);
    const std::string_view text = detail::trim(row.fields[static_cast<std::size_t>(n_col)]);
    if (detail::is_missing_token(text)) continue;
    const auto& i = info(*box);
    if (i.list != nullptr) {
      if (is_placeholder_list(text)) {
        out.notes.push_back(
            fmt::format("{}:{}: {} still holds the template's placeholder '{}'; read as unknown",
                        csv.source, row.line, i.id, text));
        continue;
      }
      auto parsed = parse_list(text);
      if (auto* err = std::get_if<list_error>(&parsed)) {
        return fail(errc::prisma_bad_list, fmt::format("{}: {}", i.id, err->message),
                    csv.where(r, static_cast<std::size_t>(n_col)));
      }
      out.*i.list = std::get<std::vector<named_count>>(std::move(parsed));
    } else {
      auto n = parse_count(text);
      if (!n) {
        return fail(errc::prisma_bad_count,
                    fmt::format("count '{}' for {} is not a non-negative integer (write a whole "
                                "number such as 1525, or NA when the box is not reported)",
                                text, i.id),
                    csv.where(r, static_cast<std::size_t>(n_col)));
      }
      out.*i.scalar = *n;
    }
  }
  return out;
}

prisma_counts complete(prisma_counts c) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& e : equations()) {
      std::vector<prisma_box> unknown;
      for (const auto* side : {&e.whole, &e.parts})
        for (auto b : *side)
          if (!known(c, b) && !absent(c, b)) unknown.push_back(b);
      if (unknown.size() != 1) continue;
      const auto b = unknown.front();
      if (is_prisma_list(b) || (e.target_only && b != e.target)) continue;
      const auto terms = terms_for(c, e, b);
      const long v = evaluate(c, terms);
      if (v < 0) continue;  // inconsistent input: left to check()
      c.set(b, v);
      // A single added term is a plain copy: "total studies ... = new studies ... = 11".
      const auto how = terms.size() == 1 && terms[0].plus && !is_prisma_list(terms[0].box)
                           ? std::string(prisma_box_label(terms[0].box))
                           : expression(c, terms);
      c.derived.push_back({b, v, fmt::format("{} = {} = {}", prisma_box_label(b), how, v)});
      changed = true;
    }
  }
  return c;
}

std::vector<prisma_issue> check(const prisma_counts& c) {
  std::vector<prisma_issue> issues;
  for (auto b : all_prisma_boxes()) {
    if (is_prisma_list(b)) {
      for (const auto& e : c.list(b)) {
        if (e.n < 0) {
          issues.push_back({{b},
                            fmt::format("{}: '{}' is {}, but a count must be ≥ 0",
                                        prisma_box_label(b), e.name, e.n)});
        }
      }
    } else if (auto n = c.count(b); n && *n < 0) {
      issues.push_back(
          {{b}, fmt::format("{} is {}, but a count must be ≥ 0", prisma_box_label(b), *n)});
    }
  }

  for (const auto& e : equations()) {
    std::vector<prisma_box> boxes;
    bool whole_known = true, parts_known = true;
    long whole = 0, parts = 0;
    for (auto b : e.whole) {
      if (known(c, b)) {
        whole += *c.count(b);
        boxes.push_back(b);
      } else if (!absent(c, b)) {
        whole_known = false;
      }
    }
    for (auto b : e.parts) {
      if (known(c, b)) {
        parts += *c.count(b);
        boxes.push_back(b);
      } else if (!absent(c, b)) {
        parts_known = false;
      }
    }
    if (whole_known && parts_known) {
      if (whole == parts || !known(c, e.target)) continue;
      const auto terms = terms_for(c, e, e.target);
      const long expected_value = evaluate(c, terms);
      const long actual = *c.count(e.target);
      std::string message;
      if (terms.size() == 1 && terms[0].plus && is_prisma_list(terms[0].box)) {
        message = fmt::format("{} do not add up: {} ({}) sum to {}, but {} is {}",
                              prisma_box_label(e.target), prisma_box_label(terms[0].box),
                              items_text(c, terms[0].box), expected_value,
                              prisma_box_label(e.target), actual);
      } else if (terms.size() == 1 && terms[0].plus) {
        message =
            fmt::format("{} differ from {}", box_text(c, e.target), box_text(c, terms[0].box));
      } else {
        message =
            fmt::format("{} do not add up: {} = {}, but {} is {}", prisma_box_label(e.target),
                        expression(c, terms), expected_value, prisma_box_label(e.target), actual);
      }
      issues.push_back({boxes, std::move(message)});
    } else if (whole_known && !boxes.empty() && parts > whole) {
      issues.push_back({boxes, fmt::format("{} exceed {}", side_text(c, e.parts, parts),
                                           side_text(c, e.whole, whole))});
    } else if (parts_known && !boxes.empty() && whole > parts) {
      issues.push_back({boxes, fmt::format("{} exceed {}", side_text(c, e.whole, whole),
                                           side_text(c, e.parts, parts))});
    }
  }

  using enum prisma_box;
  const std::array<std::pair<prisma_box, prisma_box>, 4> study_report = {{
      {previous_studies, previous_reports},
      {new_studies, new_reports},
      {total_studies, total_reports},
      {total_studies_ma, total_reports_ma},
  }};
  for (auto [s, r] : study_report) {
    const auto ns = c.count(s), nr = c.count(r);
    if (ns && nr && *ns > *nr) {
      issues.push_back({{s, r},
                        fmt::format("{} exceed {}: every study has at least one report",
                                    box_text(c, s), box_text(c, r))});
    }
  }
  // The meta-analysis includes at most the studies (reports) included in the review.
  const std::array<std::array<prisma_box, 3>, 2> ma = {{
      {total_studies_ma, total_studies, new_studies},
      {total_reports_ma, total_reports, new_reports},
  }};
  for (const auto& [m, total, fresh] : ma) {
    auto reference = known(c, total) ? total : fresh;
    if (!known(c, total) && !absent(c, m == total_studies_ma ? previous_studies : previous_reports))
      continue;
    const auto nm = c.count(m), nt = c.count(reference);
    if (nm && nt && *nm > *nt) {
      issues.push_back(
          {{m, reference}, fmt::format("{} exceed {}", box_text(c, m), box_text(c, reference))});
    }
  }
  return issues;
}

}  // namespace srma::review
