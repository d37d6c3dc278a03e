// Newcastle–Ottawa Scale for cohort studies: scores from study columns, quality classes and the
// AHRQ standard (review.md §5).
#include "srma/review/nos.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma::review {
namespace {

constexpr std::string_view k_total_col = "nos";
constexpr std::string_view k_selection_col = "nos_selection";
constexpr std::string_view k_comparability_col = "nos_comparability";
constexpr std::string_view k_outcome_col = "nos_outcome";

struct domain {
  std::string_view name;  // in messages about in-memory scores
  int max;
};
constexpr domain k_selection{"selection", 4};
constexpr domain k_comparability{"comparability", 2};
constexpr domain k_outcome{"outcome", 3};
constexpr domain k_total{"total", 9};

// One NOS column of the input: its name as written, 1-based column number, one value per study.
struct column {
  std::string name;
  int number = 0;
  std::vector<std::string> values;
};

// The input of both readers, whatever it came from.
struct nos_input {
  std::string source;
  int header_line = 0;
  std::vector<std::string> study;
  std::vector<int> line;
  std::array<std::optional<column>, 4> columns;  // total, selection, comparability, outcome
};

// "7" -> 7; "" / NA -> nullopt; anything else that is not a whole number -> error.
struct parsed_int {
  std::optional<int> value;
  bool ok = true;
};
parsed_int parse_stars(std::string_view s) {
  s = detail::trim(s);
  if (detail::is_missing_token(s)) return {};
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return {std::nullopt, false};
  return {v, true};
}

std::string range_text(const domain& d) { return fmt::format("0–{}", d.max); }

expected<nos_table> read_scores(const nos_input& in, const nos_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::nos_bad_thresholds, fmt::format("invalid NOS options: {}", msg));
  }
  if (std::none_of(in.columns.begin(), in.columns.end(),
                   [](const auto& c) { return c.has_value(); })) {
    return fail(errc::nos_no_columns,
                fmt::format("no NOS column: expected '{}' (total) and/or '{}', '{}', '{}'",
                            k_total_col, k_selection_col, k_comparability_col, k_outcome_col),
                {in.source, in.header_line, 0});
  }
  const std::array<const domain*, 4> domains = {&k_total, &k_selection, &k_comparability,
                                                &k_outcome};
  nos_table out;
  out.source = in.source;
  out.options = options;
  for (std::size_t i = 0; i < in.study.size(); ++i) {
    std::array<std::optional<int>, 4> v;
    for (std::size_t d = 0; d < 4; ++d) {
      const auto& col = in.columns[d];
      if (!col) continue;
      const error_location where{in.source, in.line[i], col->number};
      const auto p = parse_stars(col->values[i]);
      if (!p.ok) {
        return fail(errc::nos_not_whole,
                    fmt::format("column '{}' is '{}', but must be a whole number of stars ({})",
                                col->name, detail::trim(col->values[i]), range_text(*domains[d])),
                    where);
      }
      if (p.value && (*p.value < 0 || *p.value > domains[d]->max)) {
        return fail(errc::nos_out_of_range,
                    fmt::format("column '{}' is {}, but must be {}", col->name, *p.value,
                                range_text(*domains[d])),
                    where);
      }
      v[d] = p.value;
    }
    if (v[0] && v[1] && v[2] && v[3] && *v[0] != *v[1] + *v[2] + *v[3]) {
      return fail(errc::nos_total_mismatch,
                  fmt::format("column '{}' is {}, but {} + {} + {} = {} + {} + {} = {}",
                              in.columns[0]->name, *v[0], in.columns[1]->name, in.columns[2]->name,
                              in.columns[3]->name, *v[1], *v[2], *v[3], *v[1] + *v[2] + *v[3]),
                  {in.source, in.line[i], in.columns[0]->number});
    }
    auto score = make_nos_score(v[1], v[2], v[3], v[0]);
    if (!score) return unexpected(std::move(score).error());  // ranges were checked above
    nos_study s;
    s.study = in.study[i];
    s.line = in.line[i];
    s.score = *score;
    s.quality = s.score.quality(options);
    s.ahrq = s.score.ahrq();
    out.studies.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string_view to_string(nos_class c) {
  switch (c) {
    case nos_class::high:
      return "high";
    case nos_class::moderate:
      return "moderate";
    case nos_class::low:
      return "low";
    case nos_class::unknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(ahrq_standard s) {
  switch (s) {
    case ahrq_standard::good:
      return "Good";
    case ahrq_standard::fair:
      return "Fair";
    case ahrq_standard::poor:
      return "Poor";
    case ahrq_standard::unknown:
      break;
  }
  return "unknown";
}

std::optional<nos_class> parse_nos_class(std::string_view text) {
  for (auto c : {nos_class::high, nos_class::moderate, nos_class::low, nos_class::unknown})
    if (detail::iequals(to_string(c), text)) return c;
  return std::nullopt;
}

std::optional<ahrq_standard> parse_ahrq_standard(std::string_view text) {
  for (auto a :
       {ahrq_standard::good, ahrq_standard::fair, ahrq_standard::poor, ahrq_standard::unknown})
    if (detail::iequals(to_string(a), text)) return a;
  return std::nullopt;
}

std::string nos_options::validate() const {
  if (high_from < 1 || high_from > 9) {
    return fmt::format("high_from is {}, but must be 1–9", high_from);
  }
  if (moderate_from && (*moderate_from < 1 || *moderate_from >= high_from)) {
    return fmt::format("moderate_from is {}, but must be 1–{} (below high_from = {})",
                       *moderate_from, high_from - 1, high_from);
  }
  return "";
}

nos_class nos_score::quality(const nos_options& options) const {
  if (!total) return nos_class::unknown;
  if (*total >= options.high_from) return nos_class::high;
  if (options.moderate_from && *total >= *options.moderate_from) return nos_class::moderate;
  return nos_class::low;
}

ahrq_standard nos_score::ahrq() const {
  if (!selection || !comparability || !outcome) return ahrq_standard::unknown;
  const int s = *selection, c = *comparability, o = *outcome;
  if (s >= 3 && c >= 1 && o >= 2) return ahrq_standard::good;
  if (s == 2 && c >= 1 && o >= 2) return ahrq_standard::fair;
  return ahrq_standard::poor;
}

expected<nos_score> make_nos_score(std::optional<int> selection, std::optional<int> comparability,
                                   std::optional<int> outcome, std::optional<int> total) {
  const std::array<std::pair<const domain*, std::optional<int>>, 4> parts = {{
      {&k_selection, selection},
      {&k_comparability, comparability},
      {&k_outcome, outcome},
      {&k_total, total},
  }};
  for (const auto& [d, v] : parts) {
    if (v && (*v < 0 || *v > d->max)) {
      return fail(errc::nos_out_of_range,
                  fmt::format("NOS {} is {}, but must be {}", d->name, *v, range_text(*d)));
    }
  }
  nos_score s{selection, comparability, outcome, total, false};
  if (selection && comparability && outcome) {
    const int sum = *selection + *comparability + *outcome;
    if (total && *total != sum) {
      return fail(errc::nos_total_mismatch,
                  fmt::format("NOS total is {}, but selection + comparability + outcome = "
                              "{} + {} + {} = {}",
                              *total, *selection, *comparability, *outcome, sum));
    }
    if (!total) {
      s.total = sum;
      s.total_from_domains = true;
    }
  }
  return s;
}

std::size_t nos_table::count(nos_class c) const {
  return static_cast<std::size_t>(std::count_if(
      studies.begin(), studies.end(), [&](const nos_study& s) { return s.quality == c; }));
}

expected<nos_table> nos_from_studies(const study_table& studies, const nos_options& options) {
  nos_input in;
  in.source = studies.source;
  in.study = studies.study;
  in.line = studies.line;
  in.line.resize(studies.study.size(), 0);
  const std::array<std::string_view, 4> names = {k_total_col, k_selection_col, k_comparability_col,
                                                 k_outcome_col};
  for (std::size_t d = 0; d < 4; ++d) {
    const int a = studies.attribute_index(names[d]);
    if (a < 0) continue;
    const auto ua = static_cast<std::size_t>(a);
    in.columns[d] =
        column{studies.attribute_names[ua],
               ua < studies.attribute_columns.size() ? studies.attribute_columns[ua] : 0,
               studies.attributes[ua].to_strings()};
  }
  return read_scores(in, options);
}

expected<nos_table> nos_from_csv(const csv_table& csv, const nos_options& options) {
  nos_input in;
  in.source = csv.source;
  in.header_line = csv.header_line;
  const int label_col = csv.find_column("study");
  if (label_col < 0) {
    return fail(errc::nos_no_study_column, "no 'study' column: every study needs a label",
                {csv.source, csv.header_line, 0});
  }
  const auto lc = static_cast<std::size_t>(label_col);
  std::map<std::string, int> seen;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    std::string label{detail::trim(csv.rows[r].fields[lc])};
    if (label.empty()) {
      return fail(errc::nos_empty_label, "column 'study' is empty: every study needs a label",
                  csv.where(r, lc));
    }
    if (auto it = seen.find(label); it != seen.end()) {
      return fail(errc::nos_duplicate_label,
                  fmt::format("study label '{}' is used twice (lines {} and {})", label, it->second,
                              csv.rows[r].line),
                  csv.where(r, lc));
    }
    seen.emplace(label, csv.rows[r].line);
    in.study.push_back(std::move(label));
    in.line.push_back(csv.rows[r].line);
  }
  const std::array<std::string_view, 4> names = {k_total_col, k_selection_col, k_comparability_col,
                                                 k_outcome_col};
  for (std::size_t d = 0; d < 4; ++d) {
    const int c = csv.find_column(names[d]);
    if (c < 0) continue;
    const auto uc = static_cast<std::size_t>(c);
    column col{csv.header[uc], c + 1, {}};
    for (const auto& row : csv.rows) col.values.push_back(row.fields[uc]);
    in.columns[d] = std::move(col);
  }
  return read_scores(in, options);
}

}  // namespace srma::review
