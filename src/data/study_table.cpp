#include "srma/data/study_table.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <map>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

// One recognised set of effect columns. Each slot lists accepted names for that column.
struct column_set {
  input_kind kind;
  std::string_view label;
  std::vector<std::vector<std::string_view>> slots;
};

const std::vector<column_set>& column_sets() {
  static const std::vector<column_set> sets = {
      {input_kind::ratio_ci, "hr|or|rr,lower,upper", {{"hr", "or", "rr"}, {"lower"}, {"upper"}}},
      {input_kind::log_hr_se, "loghr,se", {{"loghr"}, {"se"}}},
      {input_kind::yi_sei, "yi,sei", {{"yi"}, {"sei"}}},
      {input_kind::yi_vi, "yi,vi", {{"yi"}, {"vi"}}},
      {input_kind::oe_v, "oe,v", {{"oe"}, {"v"}}},
      {input_kind::two_by_two,
       "events_t,n_t,events_c,n_c",
       {{"events_t"}, {"n_t"}, {"events_c"}, {"n_c"}}},
      {input_kind::means,
       "m1,sd1,n1,m2,sd2,n2",
       {{"m1"}, {"sd1"}, {"n1"}, {"m2"}, {"sd2"}, {"n2"}}},
  };
  return sets;
}

std::string accepted_sets_text() {
  std::string out;
  for (const auto& s : column_sets()) {
    if (!out.empty()) out += "; ";
    out += s.label;
  }
  return out;
}

// Column indices of `set` in `csv`: the first matching name per slot, -1 if missing. A slot with
// two present alternatives (both "hr" and "or") is reported through `clash`.
std::vector<int> locate(const csv_table& csv, const column_set& set, std::string* clash) {
  std::vector<int> idx;
  for (const auto& slot : set.slots) {
    int found = -1;
    for (auto name : slot) {
      int j = csv.find_column(name);
      if (j < 0) continue;
      if (found >= 0 && clash) {
        *clash = fmt::format("'{}' and '{}'", csv.header[found], csv.header[j]);
      }
      if (found < 0) found = j;
    }
    idx.push_back(found);
  }
  return idx;
}

bool complete(const std::vector<int>& idx) {
  for (int j : idx)
    if (j < 0) return false;
  return true;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " and " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

class row_reader {
 public:
  row_reader(const csv_table& csv, std::size_t row, bool decimal_comma)
      : csv_(csv), row_(row), decimal_comma_(decimal_comma) {}

  bool missing(int col) const { return detail::is_missing_token(field(col)); }

  expected<double> number(int col) const {
    const std::string& text = field(col);
    if (detail::is_missing_token(text)) {
      return fail(errc::input_missing_value,
                  fmt::format("column '{}' is empty: expected a number", csv_.header[col]),
                  csv_.where(row_, col));
    }
    auto v = detail::parse_double(text, decimal_comma_);
    if (!v) {
      return fail(errc::input_not_a_number,
                  fmt::format("column '{}' is '{}': expected a number", csv_.header[col], text),
                  csv_.where(row_, col));
    }
    return *v;
  }

  // A number that must be > 0 (SE, variance, ratio, CI bound, V).
  expected<double> positive(int col, std::string_view what) const {
    auto v = number(col);
    if (!v) return v;
    if (!(*v > 0)) {
      return fail(
          errc::input_out_of_range,
          fmt::format("column '{}' is {}, but {} must be > 0", csv_.header[col], field(col), what),
          csv_.where(row_, col));
    }
    return v;
  }

  const std::string& field(int col) const { return csv_.rows[row_].fields[col]; }
  error_location where(int col) const { return csv_.where(row_, col); }

 private:
  const csv_table& csv_;
  std::size_t row_;
  bool decimal_comma_;
};

// Maps a failure of the effect-size functions onto the row's location.
unexpected at_row(const error& e, error_location where) {
  return unexpected(error{e.id, e.message, std::move(where)});
}

}  // namespace

bool is_effect_column_name(std::string_view name) {
  if (detail::iequals(name, "ci_level")) return true;
  for (const auto& set : column_sets())
    for (const auto& slot : set.slots)
      for (auto n : slot)
        if (detail::iequals(n, name)) return true;
  return false;
}

std::string_view input_kind_columns(input_kind kind) {
  for (const auto& s : column_sets())
    if (s.kind == kind) return s.label;
  return "";
}

std::optional<input_kind> parse_input_kind(std::string_view text) {
  std::string t = detail::to_lower(detail::trim(text));
  if (t == "2x2") return input_kind::two_by_two;
  if (t == "means") return input_kind::means;
  if (t == "hr,lower,upper" || t == "or,lower,upper" || t == "rr,lower,upper" || t == "ratio")
    return input_kind::ratio_ci;
  for (const auto& s : column_sets())
    if (t == s.label) return s.kind;
  return std::nullopt;
}

int study_table::attribute_index(std::string_view name) const {
  for (std::size_t a = 0; a < attribute_names.size(); ++a)
    if (detail::iequals(attribute_names[a], name)) return static_cast<int>(a);
  return -1;
}

study_table study_table::subset(std::span<const std::size_t> rows) const {
  study_table out;
  out.source = source;
  out.measure = measure;
  out.kind = kind;
  out.attribute_names = attribute_names;
  out.attribute_columns = attribute_columns;
  out.attributes.resize(attributes.size());
  for (std::size_t r : rows) {
    out.study.push_back(study.at(r));
    out.yi.push_back(yi.at(r));
    out.vi.push_back(vi.at(r));
    out.line.push_back(line.at(r));
    if (!sample_size.empty()) out.sample_size.push_back(sample_size.at(r));
    for (std::size_t a = 0; a < attributes.size(); ++a)
      out.attributes[a].push_back(attributes[a][r]);
  }
  return out;
}

std::string read_options::validate() const {
  if (!(ci_level > 0 && ci_level < 100)) {
    return fmt::format("CI level is {}, but must lie between 0 and 100 (e.g. 95)", ci_level);
  }
  return {};
}

expected<study_table> make_study_table(const csv_table& csv, const read_options& options) {
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::input_bad_ci_level, msg);
  // 1. Which effect column set does the header hold?
  const column_set* chosen = nullptr;
  std::vector<int> cols;
  std::vector<const column_set*> found;
  std::vector<std::vector<int>> found_cols;
  for (const auto& set : column_sets()) {
    std::string clash;
    auto idx = locate(csv, set, &clash);
    if (!complete(idx)) continue;
    if (!clash.empty()) {
      return fail(errc::input_ambiguous_columns,
                  fmt::format("columns {} both name the ratio: keep one of them", clash),
                  {csv.source, csv.header_line, 0});
    }
    found.push_back(&set);
    found_cols.push_back(idx);
  }
  if (options.kind) {
    for (std::size_t s = 0; s < found.size(); ++s) {
      if (found[s]->kind == *options.kind) {
        chosen = found[s];
        cols = found_cols[s];
      }
    }
    if (!chosen) {
      return fail(errc::input_no_column_set,
                  fmt::format("the header has no complete column set '{}' (columns: {})",
                              input_kind_columns(*options.kind), fmt::join(csv.header, ", ")),
                  {csv.source, csv.header_line, 0});
    }
  } else if (found.size() == 1) {
    chosen = found[0];
    cols = found_cols[0];
  } else if (found.size() > 1) {
    std::vector<std::string> labels;
    for (auto* s : found) labels.emplace_back(s->label);
    return fail(
        errc::input_ambiguous_columns,
        fmt::format("the header holds several effect column sets ({})", fmt::join(labels, " / ")),
        {csv.source, csv.header_line, 0}, std::string(labels.front()));
  } else {
    // No complete set: say what is missing from the nearest one, if any effect column is present.
    std::string hint;
    std::size_t best_present = 0;
    for (const auto& set : column_sets()) {
      auto idx = locate(csv, set, nullptr);
      std::size_t present = 0;
      std::vector<std::string> missing;
      for (std::size_t s = 0; s < idx.size(); ++s) {
        if (idx[s] >= 0) {
          ++present;
        } else {
          std::string alts;
          for (auto n : set.slots[s]) alts += (alts.empty() ? "" : "|") + std::string(n);
          missing.push_back(alts);
        }
      }
      // "se"/"v"/"vi" alone are too generic to suggest a set; require an estimate-like column.
      if (present > best_present && idx[0] >= 0) {
        best_present = present;
        hint = fmt::format(" Found column(s) of '{}' but {} missing.", set.label,
                           quoted_list(missing) + (missing.size() == 1 ? " is" : " are"));
      }
    }
    return fail(errc::input_no_column_set,
                fmt::format("no recognised set of effect columns in the header ({}). Expected one "
                            "of: {}.{}",
                            fmt::join(csv.header, ", "), accepted_sets_text(), hint),
                {csv.source, csv.header_line, 0});
  }

  // 2. The effect measure.
  study_table out;
  out.source = csv.source;
  out.kind = chosen->kind;
  effect_measure measure = effect_measure::generic;
  auto conflict = [&](std::string_view allowed) -> unexpected {
    return fail(errc::input_measure_mismatch,
                fmt::format("measure {} does not fit the columns {}; this input allows {}",
                            measure_code(*options.measure), chosen->label, allowed),
                {csv.source, csv.header_line, 0});
  };
  switch (chosen->kind) {
    case input_kind::ratio_ci: {
      auto name = detail::to_lower(csv.header[cols[0]]);
      measure = name == "hr"   ? effect_measure::hazard_ratio
                : name == "or" ? effect_measure::odds_ratio
                               : effect_measure::risk_ratio;
      if (options.measure && *options.measure != measure) return conflict(measure_code(measure));
      break;
    }
    case input_kind::log_hr_se:
    case input_kind::oe_v:
      measure = effect_measure::hazard_ratio;
      if (options.measure && *options.measure != measure) return conflict("HR");
      break;
    case input_kind::yi_sei:
    case input_kind::yi_vi:
      measure = options.measure.value_or(effect_measure::generic);
      break;
    case input_kind::two_by_two:
      measure = options.measure.value_or(effect_measure::odds_ratio);
      if (measure != effect_measure::odds_ratio && measure != effect_measure::risk_ratio &&
          measure != effect_measure::risk_difference)
        return conflict("OR, RR or RD");
      break;
    case input_kind::means:
      measure = options.measure.value_or(effect_measure::mean_difference);
      if (measure != effect_measure::mean_difference &&
          measure != effect_measure::std_mean_difference)
        return conflict("MD or SMD");
      break;
  }
  out.measure = measure;

  // 3. Label, level and attribute columns.
  const int label_col = csv.find_column("study");
  const int level_col = chosen->kind == input_kind::ratio_ci ? csv.find_column("ci_level") : -1;
  std::vector<int> attr_cols;
  for (std::size_t j = 0; j < csv.header.size(); ++j) {
    const int c = static_cast<int>(j);
    bool used = c == label_col || c == level_col;
    for (int e : cols) used = used || e == c;
    if (!used) attr_cols.push_back(c);
  }
  for (int c : attr_cols) {
    out.attribute_names.push_back(csv.header[c]);
    out.attribute_columns.push_back(c + 1);
  }
  out.attributes.resize(attr_cols.size());
  if (label_col < 0) {
    out.notices.push_back(fmt::format(
        "{}: no 'study' column; studies are labelled by their line numbers", csv.source));
  }
  if (csv.rows.empty()) {
    return fail(errc::input_no_studies, "the file has a header but no studies",
                {csv.source, csv.header_line, 0});
  }

  const bool decimal_comma = csv.separator != ',';
  std::map<std::string, int> label_lines;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    row_reader row(csv, r, decimal_comma);
    const int line = csv.rows[r].line;
    std::string label;
    if (label_col >= 0) {
      label = std::string(detail::trim(row.field(label_col)));
      if (label.empty()) {
        return fail(errc::input_empty_label, "column 'study' is empty: every study needs a label",
                    row.where(label_col));
      }
    } else {
      label = fmt::format("Line {}", line);
    }
    if (auto it = label_lines.find(label); it != label_lines.end()) {
      return fail(errc::input_duplicate_label,
                  fmt::format("study label '{}' already used on line {}: labels must be unique",
                              label, it->second),
                  row.where(label_col >= 0 ? label_col : 0));
    }
    label_lines.emplace(label, line);

    // A row whose effect columns are all empty: an error unless the caller lets us exclude it.
    bool all_missing = true;
    for (int c : cols) all_missing = all_missing && row.missing(c);
    if (all_missing && options.missing == missing_policy::exclude) {
      out.excluded.push_back(
          {label, line, fmt::format("no estimate: columns {} are empty", chosen->label)});
      continue;
    }

    effect e;
    double n_total = 0;
    switch (chosen->kind) {
      case input_kind::ratio_ci: {
        auto ratio = row.positive(cols[0], "a ratio");
        if (!ratio) return unexpected(ratio.error());
        auto lower = row.positive(cols[1], "a CI bound of a ratio");
        if (!lower) return unexpected(lower.error());
        auto upper = row.positive(cols[2], "a CI bound of a ratio");
        if (!upper) return unexpected(upper.error());
        if (!(*lower < *upper)) {
          return fail(errc::input_out_of_range,
                      fmt::format("lower CI bound {} is not below the upper bound {}",
                                  row.field(cols[1]), row.field(cols[2])),
                      row.where(cols[1]));
        }
        double level = options.ci_level;
        if (level_col >= 0 && !row.missing(level_col)) {
          auto lv = row.number(level_col);
          if (!lv) return unexpected(lv.error());
          level = *lv < 1 ? *lv * 100 : *lv;  // accept 0.95 as well as 95
          if (!(level > 0 && level < 100)) {
            return fail(errc::input_bad_ci_level,
                        fmt::format("column 'ci_level' is {}: expected a level such as 95 or 0.95",
                                    row.field(level_col)),
                        row.where(level_col));
          }
        }
        if (*ratio < *lower || *ratio > *upper) {
          out.notices.push_back(fmt::format(
              "{}:{}: study '{}': the ratio {} lies outside its own CI [{}, {}]; check the "
              "extraction",
              csv.source, line, label, row.field(cols[0]), row.field(cols[1]), row.field(cols[2])));
        }
        e = effect_from_ratio_ci(*ratio, *lower, *upper, level);
        break;
      }
      case input_kind::log_hr_se:
      case input_kind::yi_sei:
      case input_kind::yi_vi: {
        auto y = row.number(cols[0]);
        if (!y) return unexpected(y.error());
        auto s = row.positive(
            cols[1], chosen->kind == input_kind::yi_vi ? "a variance" : "a standard error");
        if (!s) return unexpected(s.error());
        e.yi = *y;
        e.vi = chosen->kind == input_kind::yi_vi ? *s : *s * *s;
        break;
      }
      case input_kind::oe_v: {
        auto oe = row.number(cols[0]);
        if (!oe) return unexpected(oe.error());
        auto v = row.positive(cols[1], "the log-rank variance V");
        if (!v) return unexpected(v.error());
        e = effect_from_oe_v(*oe, *v);
        break;
      }
      case input_kind::two_by_two: {
        double c[4];
        for (int i = 0; i < 4; ++i) {
          auto v = row.number(cols[i]);
          if (!v) return unexpected(v.error());
          c[i] = *v;
          if (*v < 0) {
            return fail(errc::input_bad_2x2,
                        fmt::format("column '{}' is {}, but counts must be >= 0",
                                    csv.header[cols[i]], row.field(cols[i])),
                        row.where(cols[i]));
          }
        }
        for (int i : {0, 2}) {
          if (c[i] > c[i + 1]) {
            return fail(errc::input_bad_2x2,
                        fmt::format("column '{}' is {}, but events cannot exceed '{}' = {}",
                                    csv.header[cols[i]], row.field(cols[i]),
                                    csv.header[cols[i + 1]], row.field(cols[i + 1])),
                        row.where(cols[i]));
          }
          if (!(c[i + 1] > 0)) {
            return fail(errc::input_bad_2x2,
                        fmt::format("column '{}' is {}, but a group size must be > 0",
                                    csv.header[cols[i + 1]], row.field(cols[i + 1])),
                        row.where(cols[i + 1]));
          }
        }
        if (c[0] == 0 && c[2] == 0 && measure != effect_measure::risk_difference) {
          out.excluded.push_back({label, line,
                                  fmt::format("no events in either group: the {} is not estimable "
                                              "(the study adds no information on this scale)",
                                              measure_name(measure))});
          continue;
        }
        auto r2 = effect_from_2x2(c[0], c[1], c[2], c[3], measure);
        if (!r2) return at_row(r2.error(), row.where(cols[0]));
        e = *r2;
        n_total = c[1] + c[3];
        break;
      }
      case input_kind::means: {
        double v[6];
        for (int i = 0; i < 6; ++i) {
          auto x = (i == 0 || i == 3)
                       ? row.number(cols[i])
                       : row.positive(cols[i], i % 3 == 1 ? "an SD" : "a group size");
          if (!x) return unexpected(x.error());
          v[i] = *x;
        }
        auto rm = effect_from_means(v[0], v[1], v[2], v[3], v[4], v[5], measure);
        if (!rm) return at_row(rm.error(), row.where(cols[0]));
        e = *rm;
        n_total = v[2] + v[5];
        break;
      }
    }
    if (!std::isfinite(e.yi) || !std::isfinite(e.vi) || !(e.vi > 0)) {
      return fail(errc::input_out_of_range,
                  fmt::format("study '{}' gives a non-finite estimate or variance", label),
                  row.where(cols[0]));
    }
    out.study.push_back(label);
    out.yi.push_back(e.yi);
    out.vi.push_back(e.vi);
    out.line.push_back(line);
    if (n_total > 0) out.sample_size.push_back(n_total);
    for (std::size_t a = 0; a < attr_cols.size(); ++a) {
      out.attributes[a].push_back(row.field(attr_cols[a]));
    }
  }
  for (const auto& x : out.excluded) {
    out.notices.push_back(
        fmt::format("{}:{}: study '{}' left out: {}", csv.source, x.line, x.study, x.reason));
  }
  if (out.k() == 0) {
    return fail(errc::input_no_studies, "no study has an estimate to analyse",
                {csv.source, csv.header_line, 0});
  }
  return out;
}

expected<study_table> read_studies(const std::string& path, const read_options& options) {
  auto csv = read_csv(path);
  if (!csv) return unexpected(csv.error());
  return make_study_table(*csv, options);
}

expected<study_table> make_study_table(std::vector<double> yi, std::vector<double> vi,
                                       std::vector<std::string> labels, effect_measure measure) {
  if (yi.size() != vi.size() || (!labels.empty() && labels.size() != yi.size())) {
    return fail(errc::input_length_mismatch,
                fmt::format("yi, vi and labels differ in length ({}, {}, {})", yi.size(), vi.size(),
                            labels.size()));
  }
  if (yi.empty()) return fail(errc::input_no_studies, "no studies");
  study_table out;
  out.measure = measure;
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < yi.size(); ++i) {
    if (!std::isfinite(yi[i])) {
      return fail(errc::input_out_of_range,
                  fmt::format("yi[{}] is {}, but must be finite", i, yi[i]));
    }
    if (!std::isfinite(vi[i]) || !(vi[i] > 0)) {
      return fail(errc::input_out_of_range,
                  fmt::format("vi[{}] is {}, but must be finite and > 0", i, vi[i]));
    }
    std::string label = labels.empty() ? fmt::format("Study {}", i + 1) : labels[i];
    if (label.empty()) return fail(errc::input_empty_label, fmt::format("label {} is empty", i));
    if (!seen.emplace(label, i).second) {
      return fail(errc::input_duplicate_label,
                  fmt::format("study label '{}' is used twice", label));
    }
    out.study.push_back(std::move(label));
    out.line.push_back(0);
  }
  out.yi = std::move(yi);
  out.vi = std::move(vi);
  return out;
}

}  // namespace srma
