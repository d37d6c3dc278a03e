// Newcastle–Ottawa Scale for cohort studies item by item: answers, stars, domain subtotals, the
// CSV reader and the comparison of two reviewers' sheets (review.md §5).
#include "srma/review/nos_items.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::review {
namespace {

struct item_info {
  nos_item_id id;
  std::string_view code;
  std::string_view column;  // the column name besides itemN
  std::string_view name;
  nos_domain domain;
  std::string_view letters;  // the item's options
  std::string_view starred;  // the options that earn a star
};

constexpr std::array<item_info, 8> k_items = {{
    {nos_item_id::s1, "S1", "s1", "Representativeness of the exposed cohort", nos_domain::selection,
     "abcd", "ab"},
    {nos_item_id::s2, "S2", "s2", "Selection of the non-exposed cohort", nos_domain::selection,
     "abc", "a"},
    {nos_item_id::s3, "S3", "s3", "Ascertainment of exposure", nos_domain::selection, "abcd", "ab"},
    {nos_item_id::s4, "S4", "s4", "Outcome of interest not present at start of study",
     nos_domain::selection, "ab", "a"},
    {nos_item_id::c, "C", "c", "Comparability of cohorts on the basis of the design or analysis",
     nos_domain::comparability, "ab", "ab"},
    {nos_item_id::o1, "O1", "o1", "Assessment of outcome", nos_domain::outcome, "abcd", "ab"},
    {nos_item_id::o2, "O2", "o2", "Follow-up long enough for outcomes to occur",
     nos_domain::outcome, "ab", "a"},
    {nos_item_id::o3, "O3", "o3", "Adequacy of follow-up of cohorts", nos_domain::outcome, "abcd",
     "ab"},
}};

const item_info& info(nos_item_id item) { return k_items[nos_item_index(item)]; }

constexpr std::string_view k_none = "none";

// What an item accepts, for error messages: "a, b, c or d", or C's subsets.
std::string expectation(nos_item_id item) {
  if (item == nos_item_id::c) {
    return "a, b, both (ab, a+b) or none (none, -, 0); empty or NA when not answered";
  }
  const auto letters = info(item).letters;
  std::string out;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (i > 0) out += i + 1 == letters.size() ? " or " : ", ";
    out += letters[i];
  }
  return out + "; empty or NA when not answered";
}

// The normalised answer, or nullopt when `raw` is not valid for `item`.
std::optional<std::string> normalise(nos_item_id item, std::string_view raw) {
  const std::string_view t = detail::trim(raw);
  if (detail::is_missing_token(t)) return std::string();
  const std::string s = detail::to_lower(t);
  if (item != nos_item_id::c) {
    if (s.size() == 1 && info(item).letters.find(s[0]) != std::string_view::npos) return s;
    return std::nullopt;
  }
  if (s == k_none || s == "-" || s == "0") return std::string(k_none);
  bool a = false, b = false;
  for (char ch : s) {
    if (ch == '+' || ch == ',' || ch == ';' || ch == '/' || ch == '&' || ch == ' ') continue;
    if (ch != 'a' && ch != 'b') return std::nullopt;
    bool& seen = ch == 'a' ? a : b;
    if (seen) return std::nullopt;  // "aa"
    seen = true;
  }
  if (!a && !b) return std::nullopt;  // separators only
  return std::string(a ? "a" : "") + (b ? "b" : "");
}

}  // namespace

const std::array<nos_item_id, 8>& all_nos_items() {
  static constexpr std::array<nos_item_id, 8> items = {
      nos_item_id::s1, nos_item_id::s2, nos_item_id::s3, nos_item_id::s4,
      nos_item_id::c,  nos_item_id::o1, nos_item_id::o2, nos_item_id::o3};
  return items;
}

std::size_t nos_item_index(nos_item_id item) { return static_cast<std::size_t>(item); }

std::string_view to_string(nos_item_id item) { return info(item).code; }

std::optional<nos_item_id> parse_nos_item_id(std::string_view text) {
  text = detail::trim(text);
  for (const auto& it : k_items) {
    if (detail::iequals(text, it.code) ||
        detail::iequals(text, fmt::format("item{}", nos_item_index(it.id) + 1))) {
      return it.id;
    }
  }
  return std::nullopt;
}

std::string_view nos_item_name(nos_item_id item) { return info(item).name; }

nos_domain nos_item_domain(nos_item_id item) { return info(item).domain; }

int nos_item_max_stars(nos_item_id item) { return item == nos_item_id::c ? 2 : 1; }

std::string_view to_string(nos_domain domain) {
  switch (domain) {
    case nos_domain::selection:
      return "Selection";
    case nos_domain::comparability:
      return "Comparability";
    case nos_domain::outcome:
      break;
  }
  return "Outcome";
}

expected<std::string> parse_nos_answer(nos_item_id item, std::string_view raw) {
  auto n = normalise(item, raw);
  if (!n) {
    return fail(errc::nos_items_bad_answer,
                fmt::format("NOS item {} is '{}', but must be {}", to_string(item),
                            detail::trim(raw), expectation(item)));
  }
  return std::move(*n);
}

expected<nos_answers> parse_nos_answers(const std::array<std::string_view, 8>& raw) {
  nos_answers out;
  for (auto item : all_nos_items()) {
    auto a = parse_nos_answer(item, raw[nos_item_index(item)]);
    if (!a) return unexpected(std::move(a).error());
    out.answer[nos_item_index(item)] = std::move(*a);
  }
  return out;
}

int nos_item_stars(nos_item_id item, std::string_view normalised_answer) {
  if (item == nos_item_id::c) {
    if (normalised_answer == "ab") return 2;
    return normalised_answer == "a" || normalised_answer == "b" ? 1 : 0;
  }
  return normalised_answer.size() == 1 &&
                 info(item).starred.find(normalised_answer[0]) != std::string_view::npos
             ? 1
             : 0;
}

nos_score nos_stars(const nos_answers& answers) {
  std::array<std::optional<int>, 3> domain;  // selection, comparability, outcome
  std::array<bool, 3> complete = {true, true, true};
  for (auto item : all_nos_items()) {
    const auto d = static_cast<std::size_t>(nos_item_domain(item));
    if (!answers.answered(item)) {
      complete[d] = false;
      continue;
    }
    domain[d] = domain[d].value_or(0) + nos_item_stars(item, answers.of(item));
  }
  for (std::size_t d = 0; d < 3; ++d) {
    if (!complete[d]) domain[d].reset();
  }
  // The subtotals are in range by construction (at most 4, 2 and 3 stars), so this cannot fail.
  auto s = make_nos_score(domain[0], domain[1], domain[2], std::nullopt);
  return s ? *s : nos_score{};
}

nos_item_study make_nos_item_study(std::string study, nos_answers answers,
                                   const nos_options& options) {
  nos_item_study s;
  s.study = std::move(study);
  s.answers = std::move(answers);
  s.score = nos_stars(s.answers);
  s.quality = s.score.quality(options);
  s.ahrq = s.score.ahrq();
  return s;
}

expected<nos_item_table> nos_items_from_csv(const csv_table& csv, const nos_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::nos_bad_thresholds, fmt::format("invalid NOS options: {}", msg));
  }
  const int label_col = csv.find_column("study");
  if (label_col < 0) {
    return fail(errc::nos_no_study_column, "no 'study' column: every study needs a label",
                {csv.source, csv.header_line, 0});
  }
  // The column of each item, under either of its names.
  std::array<int, 8> col{};
  std::vector<std::string> missing;
  for (const auto& it : k_items) {
    const std::string alt = fmt::format("item{}", nos_item_index(it.id) + 1);
    const int short_col = csv.find_column(it.column);
    const int long_col = csv.find_column(alt);
    if (short_col >= 0 && long_col >= 0) {
      const auto [first, second] = std::minmax(short_col, long_col);
      return fail(errc::nos_items_ambiguous_column,
                  fmt::format("NOS item {} is given twice, in columns '{}' and '{}': keep one",
                              it.code, csv.header[static_cast<std::size_t>(first)],
                              csv.header[static_cast<std::size_t>(second)]),
                  {csv.source, csv.header_line, second + 1});
    }
    col[nos_item_index(it.id)] = std::max(short_col, long_col);
    if (short_col < 0 && long_col < 0) missing.push_back(fmt::format("'{}'", it.column));
  }
  if (!missing.empty()) {
    return fail(errc::nos_items_missing_columns,
                fmt::format("no column for NOS item{} {}: expected 'study' and one column per "
                            "item, 's1', 's2', 's3', 's4', 'c', 'o1', 'o2', 'o3' (or 'item1' to "
                            "'item8')",
                            missing.size() > 1 ? "s" : "", fmt::join(missing, ", ")),
                {csv.source, csv.header_line, 0});
  }
  nos_item_table out;
  out.source = csv.source;
  out.options = options;
  const auto lc = static_cast<std::size_t>(label_col);
  std::map<std::string, int> seen;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const auto& row = csv.rows[r];
    std::string label{detail::trim(row.fields[lc])};
    if (label.empty()) {
      return fail(errc::nos_empty_label, "column 'study' is empty: every study needs a label",
                  csv.where(r, lc));
    }
    if (auto it = seen.find(label); it != seen.end()) {
      return fail(errc::nos_duplicate_label,
                  fmt::format("study label '{}' is used twice (lines {} and {})", label, it->second,
                              row.line),
                  csv.where(r, lc));
    }
    seen.emplace(label, row.line);
    nos_answers answers;
    for (auto item : all_nos_items()) {
      const auto c = static_cast<std::size_t>(col[nos_item_index(item)]);
      auto a = normalise(item, row.fields[c]);
      if (!a) {
        return fail(errc::nos_items_bad_answer,
                    fmt::format("column '{}' (NOS item {}) is '{}', but must be {}", csv.header[c],
                                to_string(item), detail::trim(row.fields[c]), expectation(item)),
                    csv.where(r, c));
      }
      answers.answer[nos_item_index(item)] = std::move(*a);
    }
    auto s = make_nos_item_study(std::move(label), std::move(answers), options);
    s.line = row.line;
    out.studies.push_back(std::move(s));
  }
  return out;
}

nos_table to_nos_table(const nos_item_table& table) {
  nos_table out;
  out.source = table.source;
  out.options = table.options;
  for (const auto& s : table.studies) {
    out.studies.push_back({s.study, s.line, s.score, s.quality, s.ahrq});
  }
  return out;
}

std::vector<nos_item_difference> compare_nos_answers(const nos_item_table& first,
                                                     const nos_item_table& second) {
  std::map<std::string_view, const nos_item_study*> in_second;
  for (const auto& s : second.studies) in_second.emplace(s.study, &s);
  std::set<std::string_view> in_first;
  std::vector<nos_item_difference> out;
  const nos_answers none;
  auto compare = [&](const std::string& study, const nos_answers& a, const nos_answers& b) {
    for (auto item : all_nos_items()) {
      if (a.of(item) != b.of(item)) out.push_back({study, item, a.of(item), b.of(item)});
    }
  };
  for (const auto& s : first.studies) {
    in_first.insert(s.study);
    const auto it = in_second.find(s.study);
    compare(s.study, s.answers, it == in_second.end() ? none : it->second->answers);
  }
  for (const auto& s : second.studies) {
    if (in_first.count(s.study) == 0) compare(s.study, none, s.answers);
  }
  return out;
}

}  // namespace srma::review
