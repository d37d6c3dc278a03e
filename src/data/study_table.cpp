#include "srma/data/study_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "srma/data/hr_from_summary.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

// The input of make_study_table, a csv_table or a compact_csv, read through one interface
// (fields as views, so a compact file is never expanded into a string per field).
class cells {
 public:
  explicit cells(const csv_table& t)
      : source(t.source),
        header(t.header),
        header_line(t.header_line),
        separator(t.separator),
        table_(&t) {}
  explicit cells(const compact_csv& c)
      : source(c.source),
        header(c.header),
        header_line(c.header_line),
        separator(c.separator),
        compact_(&c) {}

  const std::string& source;
  const std::vector<std::string>& header;
  int header_line;
  char separator;

  [[nodiscard]] std::size_t rows() const { return table_ ? table_->rows.size() : compact_->rows(); }
  [[nodiscard]] int line(std::size_t row) const {
    return table_ ? table_->rows[row].line : compact_->lines[row];
  }
  [[nodiscard]] std::string_view field(std::size_t row, int column) const {
    return table_ ? std::string_view(table_->rows[row].fields[static_cast<std::size_t>(column)])
                  : compact_->field(row, static_cast<std::size_t>(column));
  }
  [[nodiscard]] int find_column(std::string_view name) const {
    return table_ ? table_->find_column(name) : compact_->find_column(name);
  }
  [[nodiscard]] error_location where(std::size_t row, std::size_t column) const {
    return {source, line(row), static_cast<int>(column) + 1};
  }

 private:
  const csv_table* table_ = nullptr;
  const compact_csv* compact_ = nullptr;
};

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
      {input_kind::proportion, "events,n", {{"events"}, {"n"}}},
      {input_kind::correlation, "ri,ni", {{"ri"}, {"ni"}}},
      {input_kind::rate, "events,time", {{"events"}, {"time"}}},
      {input_kind::two_rates,
       "events_t,time_t,events_c,time_c",
       {{"events_t"}, {"time_t"}, {"events_c"}, {"time_c"}}},
  };
  return sets;
}

// "column 'x' is empty", or, for a token that marks a missing value ("NA", "NaN", "."),
// "column 'x' holds 'NaN', which marks a missing value": a literal NaN is not an empty cell.
std::string missing_number(const std::string& column, std::string_view text) {
  const auto t = detail::trim(text);
  if (t.empty()) return fmt::format("column '{}' is empty: expected a number", column);
  return fmt::format("column '{}' holds '{}', which marks a missing value: expected a number",
                     column, detail::printable(t));
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
std::vector<int> locate(const cells& csv, const column_set& set, std::string* clash) {
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
  row_reader(const cells& csv, std::size_t row, bool decimal_comma)
      : csv_(csv), row_(row), decimal_comma_(decimal_comma) {}

  bool missing(int col) const { return detail::is_missing_token(field(col)); }

  expected<double> number(int col) const {
    const std::string_view text = field(col);
    if (detail::is_missing_token(text)) {
      return fail(errc::input_missing_value, missing_number(csv_.header[col], text),
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

  std::string_view field(int col) const { return csv_.field(row_, col); }
  error_location where(int col) const { return csv_.where(row_, col); }
  const std::string& name(int col) const { return csv_.header[col]; }
  bool decimal_comma() const { return decimal_comma_; }

 private:
  const cells& csv_;
  std::size_t row_;
  bool decimal_comma_;
};

// Maps a failure of the effect-size functions onto the row's location.
unexpected at_row(const error& e, error_location where) {
  return unexpected(error{e.id, e.message, std::move(where)});
}

// The labels of a file's rows. A label used on several rows is kept on each, numbered in file
// order ("Smith 1990 (1)", "Smith 1990 (2)"; a number is skipped when the result is another
// row's label), with a notice: two trials of one first author and year are common in real
// reviews. Without a 'study' column rows are labelled "Line <line>".
class label_book {
 public:
  label_book(const cells& csv, int label_col) : label_col_(label_col) {
    if (label_col < 0) return;
    // Labels sorted (file order among equals): duplicates are neighbours, and the notices come
    // in label order. No string per row: a file of 10^6 studies has 10^6 labels.
    std::vector<std::pair<std::string_view, int>> sorted;
    sorted.reserve(csv.rows());
    for (std::size_t r = 0; r < csv.rows(); ++r) {
      const std::string_view l = detail::trim(csv.field(r, label_col));
      if (l.empty()) continue;
      sorted.emplace_back(l, csv.line(r));
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::set<std::string> all;  // every label, built only when some label is used twice
    for (std::size_t i = 0; i < sorted.size();) {
      std::size_t j = i + 1;
      while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
      if (j - i >= 2) {
        if (all.empty()) {
          for (const auto& [l, line] : sorted) all.emplace(l);
        }
        const std::string label(sorted[i].first);
        std::vector<int> at;
        std::vector<std::string> shown;
        int number = 0;
        for (std::size_t m = i; m < j; ++m) {
          std::string candidate;
          do {
            candidate = fmt::format("{} ({})", label, ++number);
          } while (all.count(candidate) > 0);
          all.insert(candidate);
          renamed_[sorted[m].second] = candidate;
          at.push_back(sorted[m].second);
          shown.push_back("'" + candidate + "'");
        }
        notices_.push_back(
            fmt::format("{}: study label '{}' is used on lines {}; the studies are shown as {}",
                        csv.source, label, fmt::join(at, ", "), fmt::join(shown, ", ")));
      }
      i = j;
    }
  }

  // The label of a row (an empty label is an error); `as_given` gets the file's label.
  expected<std::string> label(const row_reader& row, int line, std::string* as_given) const {
    if (label_col_ < 0) {
      // "Line <line>" without a format call: a batch labels ten studies per meta-analysis,
      // and fmt::format here was a tenth of reading them.
      char buf[32] = "Line ";
      const auto end = std::to_chars(buf + 5, buf + sizeof buf, line).ptr;
      as_given->assign(buf, end);
      return *as_given;
    }
    *as_given = std::string(detail::trim(row.field(label_col_)));
    if (as_given->empty()) {
      return fail(errc::input_empty_label, "column 'study' is empty: every study needs a label",
                  row.where(label_col_));
    }
    if (auto it = renamed_.find(line); it != renamed_.end()) return it->second;
    return *as_given;
  }

  [[nodiscard]] bool renamed() const { return !renamed_.empty(); }
  [[nodiscard]] const std::vector<std::string>& notices() const { return notices_; }

 private:
  int label_col_;
  std::map<int, std::string> renamed_;  // by line
  std::vector<std::string> notices_;
};

// Room for the attribute columns of every row, text included: one allocation per column.
void reserve_attributes(study_table& out, const cells& csv, const std::vector<int>& attr_cols) {
  for (std::size_t a = 0; a < attr_cols.size(); ++a) {
    std::size_t bytes = 0;
    for (std::size_t r = 0; r < csv.rows(); ++r) bytes += csv.field(r, attr_cols[a]).size();
    out.attributes[a].reserve(csv.rows(), bytes);
  }
}

// Every column but the label as study attributes: the columns `used` does not hold first (file
// order), then those it holds (file order), so effect columns can be moderators too. When
// `options.attributes` names the columns to keep, only those (and, with `keep_used`, the
// columns of `used`: the counts Mantel-Haenszel and Peto pool from).
std::vector<int> attribute_order(const cells& csv, int label_col, const std::vector<int>& used,
                                 const read_options& options, bool keep_used) {
  auto wanted = [&](int c, bool is_used) {
    if (!options.attributes || (keep_used && is_used)) return true;
    const auto& name = csv.header[static_cast<std::size_t>(c)];
    return std::any_of(options.attributes->begin(), options.attributes->end(),
                       [&](const std::string& n) { return detail::iequals(n, name); });
  };
  std::vector<int> out;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t j = 0; j < csv.header.size(); ++j) {
      const int c = static_cast<int>(j);
      if (c == label_col) continue;
      const bool is_used = std::find(used.begin(), used.end(), c) != used.end();
      if (is_used == (pass == 1) && wanted(c, is_used)) out.push_back(c);
    }
  }
  return out;
}

// The names of `cols` in file order.
std::vector<std::string> column_names(const cells& csv, std::vector<int> cols) {
  std::sort(cols.begin(), cols.end());
  std::vector<std::string> out;
  for (int c : cols) out.push_back(csv.header[static_cast<std::size_t>(c)]);
  return out;
}

// Notices of duplicate labels and of excluded rows; label_as_given is kept only when some
// label was changed.
void finish_notices(study_table& out, const cells& csv, const label_book& labels) {
  for (const auto& n : labels.notices()) out.notices.push_back(n);
  for (const auto& x : out.excluded) {
    out.notices.push_back(
        fmt::format("{}:{}: study '{}' left out: {}", csv.source, x.line, x.study, x.reason));
  }
  if (!labels.renamed()) out.label_as_given.clear();
}

// ---------------------------------------------------------------------------------------------
// Hazard ratios: several column sets per file, chosen row by row (Tierney et al. 2007, Trials
// 8:16; Parmar, Torri & Stewart 1998). The conversions are in hr_from_summary.cpp; here each row
// is validated column by column, so every error names the cell it is about.

// The most reliable first (Tierney 2007; /work/shared/methods/survival.md section 0).
constexpr std::array<hr_method, 8> k_hr_sets = {
    hr_method::ci,
    hr_method::loghr_se,
    hr_method::oe_v,
    hr_method::observed_expected,
    hr_method::logrank_chisq,
    hr_method::p_value,
    hr_method::p_events,
    hr_method::p_arm_events,
};

std::string_view hr_set_label(hr_method m) {
  switch (m) {
    case hr_method::ci:
      return "hr,lower,upper";
    case hr_method::loghr_se:
      return "loghr,se";
    case hr_method::oe_v:
      return "oe,v";
    case hr_method::observed_expected:
      return "o_t,e_t,o_c,e_c";
    case hr_method::logrank_chisq:
      return "chisq,v|oe,direction";
    case hr_method::p_value:
      return "hr,p";
    case hr_method::p_events:
      return "p,events,n_t,n_c,direction";
    case hr_method::p_arm_events:
      return "p,events_t,events_c,direction";
    case hr_method::km_reconstruction:
    case hr_method::ipd:
      break;
  }
  return "";
}

// The input kind of a file whose studies all come by route m, when there is one.
std::optional<input_kind> legacy_kind(hr_method m) {
  if (m == hr_method::ci) return input_kind::ratio_ci;
  if (m == hr_method::loghr_se) return input_kind::log_hr_se;
  if (m == hr_method::oe_v) return input_kind::oe_v;
  return std::nullopt;
}

// A set's label in messages: the older input-kind label where one exists, so single-set files
// read as before.
std::string set_label(hr_method m) {
  if (auto k = legacy_kind(m)) return std::string(input_kind_columns(*k));
  return std::string(hr_set_label(m));
}

// Column names that only hazard-ratio sets use (beyond the older sets' names).
constexpr std::array<std::string_view, 10> k_hr_only_columns = {
    "level", "o_t", "e_t", "o_c", "e_c", "chisq", "direction", "p", "p_test", "events"};

// The columns of a hazard-ratio file (-1 when absent).
struct hr_columns {
  int hr = -1, lower = -1, upper = -1, level = -1, loghr = -1, se = -1, oe = -1, v = -1;
  int o_t = -1, e_t = -1, o_c = -1, e_c = -1, chisq = -1, direction = -1;
  int p = -1, p_test = -1, events = -1, n_t = -1, n_c = -1, events_t = -1, events_c = -1;
  int source = -1;
};

hr_columns locate_hr_columns(const cells& csv) {
  hr_columns c;
  c.hr = csv.find_column("hr");
  c.lower = csv.find_column("lower");
  c.upper = csv.find_column("upper");
  c.level = csv.find_column("level");
  if (c.level < 0) c.level = csv.find_column("ci_level");
  c.loghr = csv.find_column("loghr");
  c.se = csv.find_column("se");
  c.oe = csv.find_column("oe");
  c.v = csv.find_column("v");
  c.o_t = csv.find_column("o_t");
  c.e_t = csv.find_column("e_t");
  c.o_c = csv.find_column("o_c");
  c.e_c = csv.find_column("e_c");
  c.chisq = csv.find_column("chisq");
  c.direction = csv.find_column("direction");
  c.p = csv.find_column("p");
  c.p_test = csv.find_column("p_test");
  c.events = csv.find_column("events");
  c.n_t = csv.find_column("n_t");
  c.n_c = csv.find_column("n_c");
  c.events_t = csv.find_column("events_t");
  c.events_c = csv.find_column("events_c");
  c.source = csv.find_column("hr_source");
  return c;
}

// The columns of set m that the header has, in the order of its label.
std::vector<int> set_columns(hr_method m, const hr_columns& c) {
  std::vector<int> cols;
  switch (m) {
    case hr_method::ci:
      cols = {c.hr, c.lower, c.upper};
      break;
    case hr_method::loghr_se:
      cols = {c.loghr, c.se};
      break;
    case hr_method::oe_v:
      cols = {c.oe, c.v};
      break;
    case hr_method::observed_expected:
      cols = {c.o_t, c.e_t, c.o_c, c.e_c};
      break;
    case hr_method::logrank_chisq:
      cols = {c.chisq, c.v, c.oe, c.direction};
      break;
    case hr_method::p_value:
      cols = {c.hr, c.p};
      break;
    case hr_method::p_events:
      cols = {c.p, c.events, c.n_t, c.n_c, c.direction};
      break;
    case hr_method::p_arm_events:
      cols = {c.p, c.events_t, c.events_c, c.direction};
      break;
    case hr_method::km_reconstruction:
    case hr_method::ipd:
      break;
  }
  std::erase(cols, -1);
  return cols;
}

bool set_present(hr_method m, const hr_columns& c) {
  if (m == hr_method::logrank_chisq)
    return c.chisq >= 0 && (c.oe >= 0 || (c.v >= 0 && c.direction >= 0));
  const auto cols = set_columns(m, c);
  const std::size_t want = m == hr_method::ci                                                  ? 3
                           : m == hr_method::observed_expected || m == hr_method::p_arm_events ? 4
                           : m == hr_method::p_events                                          ? 5
                                                                                               : 2;
  return cols.size() == want;
}

bool filled(const row_reader& row, int col) { return col >= 0 && !row.missing(col); }

bool set_filled(hr_method m, const hr_columns& c, const row_reader& row) {
  if (m == hr_method::logrank_chisq) {
    return filled(row, c.chisq) &&
           (filled(row, c.oe) || (filled(row, c.v) && filled(row, c.direction)));
  }
  for (int col : set_columns(m, c))
    if (!filled(row, col)) return false;
  return true;
}

bool set_touched(hr_method m, const hr_columns& c, const row_reader& row) {
  for (int col : set_columns(m, c))
    if (filled(row, col)) return true;
  return false;
}

// The columns a row must fill to use set m, in order (for the log-rank chi-square: chisq with
// V and the direction when the row has begun those or has no O - E column, else chisq with O - E).
std::vector<int> set_required(hr_method m, const hr_columns& c, const row_reader& row) {
  if (m == hr_method::logrank_chisq) {
    const bool with_v =
        c.v >= 0 && c.direction >= 0 && (c.oe < 0 || filled(row, c.v) || filled(row, c.direction));
    if (with_v) return {c.chisq, c.v, c.direction};
    return {c.chisq, c.oe};
  }
  return set_columns(m, c);
}

// A reported number and the range of values that round to it: half a unit of its last written
// digit, but at least half a unit of its second significant digit (so "0.0264" is taken as
// 0.0264 +- 0.0005, like "0.026"; "0.03" as +- 0.005; "1.1" as +- 0.05). Counts are exact.
struct reported {
  double x = 0, lo = 0, hi = 0;
};

double rounding_half_width(std::string_view text, double x) {
  text = detail::trim(text);
  while (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  int exponent = 0;
  if (auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    const auto tail = text.substr(e + 1);
    if (auto v = detail::parse_double(tail)) exponent = static_cast<int>(*v);
    text = text.substr(0, e);
  }
  int decimals = 0;
  if (auto dot = text.find_first_of(".,"); dot != std::string_view::npos)
    decimals = static_cast<int>(text.size() - dot - 1);
  const double written = 0.5 * std::pow(10.0, exponent - decimals);
  if (x == 0 || !std::isfinite(x)) return written;
  const double second_digit = 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(x))) - 1);
  return std::max(written, second_digit);
}

reported rounded(const row_reader& row, int col, double x) {
  const double h = rounding_half_width(row.field(col), x);
  return {x, x - h, x + h};
}

reported exact(double x) { return {x, x, x}; }

// One set's reading of a row: the conversion, its z = ln HR / SE and the range of z over the
// rounding of the reported numbers (evaluated at the corners of the box of rounded inputs).
struct set_eval {
  hr_method method = hr_method::ci;
  hr_summary s;
  double z = 0, z_lo = 0, z_hi = 0;
  std::vector<std::string> notes;
};

template <class F>
void set_z_range(set_eval& e, const std::vector<reported>& in, F f) {
  e.z = e.s.loghr / e.s.se;
  e.z_lo = e.z;
  e.z_hi = e.z;
  std::vector<double> x(in.size());
  for (unsigned mask = 0; mask < (1u << in.size()); ++mask) {
    for (std::size_t i = 0; i < in.size(); ++i) x[i] = (mask >> i) & 1u ? in[i].hi : in[i].lo;
    const double z = f(x);
    if (std::isnan(z)) continue;
    e.z_lo = std::min(e.z_lo, z);
    e.z_hi = std::max(e.z_hi, z);
  }
}

// Contradiction between two sets of one row: their z ranges neither overlap nor come within 5%
// of the larger |z| (room for a log-rank or score p beside a Wald CI, the small inconsistency
// Tierney 2007 accepts).
bool contradicts(const set_eval& a, const set_eval& b) {
  const double gap = std::max(a.z_lo, b.z_lo) - std::min(a.z_hi, b.z_hi);
  return gap > 0.05 * std::max(std::fabs(a.z), std::fabs(b.z));
}

expected<hr_direction> read_direction(const row_reader& row, int col) {
  auto d = parse_hr_direction(row.field(col));
  if (!d) {
    return fail(errc::input_out_of_range,
                fmt::format("column '{}' is '{}': expected favours_treatment or favours_control "
                            "(or treatment, research, control)",
                            row.name(col), detail::trim(row.field(col))),
                row.where(col));
  }
  return *d;
}

// A two-sided p-value strictly between 0 and 1, or a bound "< x" (used as x: the SE is then
// overstated, which is conservative; Tierney 2007).
expected<reported> read_p(const row_reader& row, int col, std::vector<std::string>& notes) {
  const std::string_view text = detail::trim(row.field(col));
  std::string_view number = text;
  bool bound = false;
  if (!number.empty() && number.front() == '<') {
    bound = true;
    number.remove_prefix(1);
    if (!number.empty() && number.front() == '=') number.remove_prefix(1);
    number = detail::trim(number);
  } else if (!number.empty() && number.front() == '>') {
    return fail(errc::input_out_of_range,
                fmt::format("column '{}' is '{}': a lower bound on p says nothing about the size "
                            "of the effect; give the p-value or another column set",
                            row.name(col), text),
                row.where(col));
  }
  auto p = detail::parse_double(number, row.decimal_comma());
  if (!p) {
    return fail(errc::input_not_a_number,
                fmt::format("column '{}' is '{}': expected a number (a two-sided p-value, or a "
                            "bound such as < 0.001)",
                            row.name(col), text),
                row.where(col));
  }
  if (!(*p > 0 && *p < 1)) {
    return fail(errc::input_out_of_range,
                fmt::format("column '{}' is {}, but a p-value must lie strictly between 0 and 1 "
                            "(p = 0 or 1 says nothing about the size of the effect)",
                            row.name(col), text),
                row.where(col));
  }
  const double h = rounding_half_width(number, *p);
  if (bound) {
    notes.push_back(fmt::format("p {} was used as p = {}, which overstates the SE (conservative)",
                                text, number));
    return reported{*p, std::numeric_limits<double>::min(), *p};
  }
  return reported{*p, *p - h, std::min(*p + h, 1.0)};
}

// A count of events that must be > 0 (a p-value route needs events in both arms).
expected<double> read_events(const row_reader& row, int col) {
  return row.positive(col, "a number of events");
}

double sign_of(hr_direction d) { return d == hr_direction::favours_research ? -1.0 : 1.0; }

// `check_only`: the set only checks the row's chosen set, so an HR of 1 beside a p-value (no SE,
// but a z of 0 up to rounding) is compared instead of refused.
expected<set_eval> evaluate_set(hr_method m, const row_reader& row, const hr_columns& c,
                                double default_level, bool check_only = false) {
  set_eval e;
  e.method = m;
  auto adopt = [&](expected<hr_summary> s, int col) -> expected<void> {
    if (!s) return at_row(s.error(), row.where(col));
    for (auto& n : s->notes) e.notes.push_back(std::move(n));
    s->notes.clear();
    e.s = std::move(*s);
    return {};
  };
  switch (m) {
    case hr_method::ci: {
      auto ratio = row.positive(c.hr, "a ratio");
      if (!ratio) return unexpected(ratio.error());
      auto lower = row.positive(c.lower, "a CI bound of a ratio");
      if (!lower) return unexpected(lower.error());
      auto upper = row.positive(c.upper, "a CI bound of a ratio");
      if (!upper) return unexpected(upper.error());
      if (!(*lower < *upper)) {
        return fail(errc::input_out_of_range,
                    fmt::format("lower CI bound {} is not below the upper bound {}",
                                row.field(c.lower), row.field(c.upper)),
                    row.where(c.lower));
      }
      double level = default_level;
      if (filled(row, c.level)) {
        auto lv = row.number(c.level);
        if (!lv) return unexpected(lv.error());
        level = *lv < 1 ? *lv * 100 : *lv;  // accept 0.95 as well as 95
        if (!(level > 0 && level < 100)) {
          return fail(errc::input_bad_ci_level,
                      fmt::format("column '{}' is {}: expected a level such as 95 or 0.95",
                                  row.name(c.level), row.field(c.level)),
                      row.where(c.level));
        }
      }
      const double zl = detail::qnorm_upper((1 - level / 100) / 2);
      if (*ratio < *lower || *ratio > *upper) {
        // Kept as a warning (the estimate and SE still follow from the numbers as given).
        e.notes.push_back(
            fmt::format("the ratio {} lies outside its own CI [{}, {}]; check the extraction",
                        row.field(c.hr), row.field(c.lower), row.field(c.upper)));
        // Parmar eq. 7, as hr_from_ci, which refuses an HR outside its CI.
        auto s =
            hr_from_loghr_se(std::log(*ratio), (std::log(*upper) - std::log(*lower)) / (2 * zl));
        if (auto ok = adopt(std::move(s), c.hr); !ok) return unexpected(ok.error());
        e.s.method = hr_method::ci;
      } else if (auto ok = adopt(hr_from_ci(*ratio, *lower, *upper, level), c.hr); !ok) {
        return unexpected(ok.error());
      }
      set_z_range(e,
                  {rounded(row, c.hr, *ratio), rounded(row, c.lower, *lower),
                   rounded(row, c.upper, *upper)},
                  [zl](const std::vector<double>& x) {
                    return std::log(x[0]) / ((std::log(x[2]) - std::log(x[1])) / (2 * zl));
                  });
      break;
    }
    case hr_method::loghr_se: {
      auto y = row.number(c.loghr);
      if (!y) return unexpected(y.error());
      auto se = row.positive(c.se, "a standard error");
      if (!se) return unexpected(se.error());
      if (auto ok = adopt(hr_from_loghr_se(*y, *se), c.loghr); !ok) return unexpected(ok.error());
      set_z_range(e, {rounded(row, c.loghr, *y), rounded(row, c.se, *se)},
                  [](const std::vector<double>& x) { return x[0] / x[1]; });
      break;
    }
    case hr_method::oe_v: {
      auto oe = row.number(c.oe);
      if (!oe) return unexpected(oe.error());
      auto v = row.positive(c.v, "the log-rank variance V");
      if (!v) return unexpected(v.error());
      if (auto ok = adopt(hr_from_oe_v(*oe, *v), c.oe); !ok) return unexpected(ok.error());
      set_z_range(e, {rounded(row, c.oe, *oe), rounded(row, c.v, *v)},
                  [](const std::vector<double>& x) { return x[0] / std::sqrt(x[1]); });
      break;
    }
    case hr_method::observed_expected: {
      double x[4];
      const int cols[4] = {c.o_t, c.e_t, c.o_c, c.e_c};
      for (int i = 0; i < 4; ++i) {
        auto v = row.positive(
            cols[i], i % 2 == 0 ? "an observed number of events" : "an expected number of events");
        if (!v) return unexpected(v.error());
        x[i] = *v;
      }
      if (auto ok = adopt(hr_from_observed_expected(x[0], x[1], x[2], x[3]), c.o_t); !ok)
        return unexpected(ok.error());
      // Parmar eq. 3 and 5; observed counts are exact, expected numbers rounded.
      set_z_range(e,
                  {exact(x[0]), rounded(row, c.e_t, x[1]), exact(x[2]), rounded(row, c.e_c, x[3])},
                  [](const std::vector<double>& v) {
                    return std::log((v[0] / v[1]) / (v[2] / v[3])) / std::sqrt(1 / v[1] + 1 / v[3]);
                  });
      break;
    }
    case hr_method::logrank_chisq: {
      auto chisq = row.number(c.chisq);
      if (!chisq) return unexpected(chisq.error());
      if (!(*chisq >= 0)) {
        return fail(errc::input_out_of_range,
                    fmt::format("column '{}' is {}, but a chi-square must be >= 0",
                                row.name(c.chisq), row.field(c.chisq)),
                    row.where(c.chisq));
      }
      std::optional<hr_direction> dir;
      if (filled(row, c.direction)) {
        auto d = read_direction(row, c.direction);
        if (!d) return unexpected(d.error());
        dir = *d;
      }
      std::optional<double> oe;
      if (filled(row, c.oe)) {
        auto o = row.number(c.oe);
        if (!o) return unexpected(o.error());
        oe = *o;
      }
      if (oe && dir && *oe != 0 && (*oe < 0) != (*dir == hr_direction::favours_research)) {
        return fail(errc::input_out_of_range,
                    fmt::format("column '{}' is '{}', but O - E = {} (column '{}') favours the {} "
                                "arm",
                                row.name(c.direction), detail::trim(row.field(c.direction)),
                                row.field(c.oe), row.name(c.oe),
                                *oe < 0 ? "research (treatment)" : "control"),
                    row.where(c.direction));
      }
      if (filled(row, c.v) && (dir || oe)) {
        auto v = row.positive(c.v, "the log-rank variance V");
        if (!v) return unexpected(v.error());
        const hr_direction d =
            dir ? *dir : (*oe < 0 ? hr_direction::favours_research : hr_direction::favours_control);
        if (auto ok = adopt(hr_from_logrank_chisq(*chisq, *v, d), c.chisq); !ok)
          return unexpected(ok.error());
      } else {
        if (*chisq == 0) {
          return fail(errc::input_out_of_range,
                      fmt::format("column '{}' is {}: with O - E alone a chi-square of 0 gives "
                                  "no variance; give V (column 'v')",
                                  row.name(c.chisq), row.field(c.chisq)),
                      row.where(c.chisq));
        }
        if (*oe == 0) {
          return fail(errc::input_out_of_range,
                      fmt::format("column '{}' is {}, but a chi-square of {} needs O - E != 0",
                                  row.name(c.oe), row.field(c.oe), row.field(c.chisq)),
                      row.where(c.oe));
        }
        if (auto ok = adopt(hr_from_logrank_chisq_oe(*chisq, *oe), c.chisq); !ok)
          return unexpected(ok.error());
      }
      // |z| = sqrt(chi^2), the sign from the direction.
      const double sign = e.s.loghr < 0 ? -1.0 : 1.0;
      set_z_range(e, {rounded(row, c.chisq, *chisq)},
                  [sign](const std::vector<double>& x) { return sign * std::sqrt(x[0]); });
      break;
    }
    case hr_method::p_value: {
      auto ratio = row.positive(c.hr, "a ratio");
      if (!ratio) return unexpected(ratio.error());
      if (*ratio == 1 && check_only) {
        // The sign of z is unknown: z lies within +-|z| of the p-value, rounding included.
        auto p = read_p(row, c.p, e.notes);
        if (!p) return unexpected(p.error());
        e.z_hi = detail::qnorm_upper(p->lo / 2);
        e.z_lo = -e.z_hi;
        e.z = 0;
        return e;
      }
      if (*ratio == 1) {
        return fail(errc::input_out_of_range,
                    fmt::format("column '{}' is {}: an HR of 1 with a p-value gives no standard "
                                "error (0 / 0); give its CI",
                                row.name(c.hr), row.field(c.hr)),
                    row.where(c.hr));
      }
      auto p = read_p(row, c.p, e.notes);
      if (!p) return unexpected(p.error());
      if (filled(row, c.p_test)) {
        const std::string t = detail::to_lower(detail::trim(row.field(c.p_test)));
        if (t == "logrank" || t == "log-rank" || t == "log_rank") {
          e.notes.push_back(
              "the p-value is a log-rank test's beside the HR of a model: a small "
              "inconsistency, accepted (Tierney 2007)");
        } else if (t != "wald") {
          return fail(errc::input_out_of_range,
                      fmt::format("column '{}' is '{}': expected logrank or wald",
                                  row.name(c.p_test), detail::trim(row.field(c.p_test))),
                      row.where(c.p_test));
        }
      }
      if (auto ok = adopt(hr_from_p(*ratio, p->x), c.p); !ok) return unexpected(ok.error());
      set_z_range(e, {rounded(row, c.hr, *ratio), *p}, [](const std::vector<double>& x) {
        return (std::log(x[0]) < 0 ? -1.0 : 1.0) * detail::qnorm_upper(x[1] / 2);
      });
      break;
    }
    case hr_method::p_events:
    case hr_method::p_arm_events: {
      auto p = read_p(row, c.p, e.notes);
      if (!p) return unexpected(p.error());
      auto d = read_direction(row, c.direction);
      if (!d) return unexpected(d.error());
      if (m == hr_method::p_events) {
        auto events = read_events(row, c.events);
        if (!events) return unexpected(events.error());
        auto nt = row.positive(c.n_t, "a group size");
        if (!nt) return unexpected(nt.error());
        auto nc = row.positive(c.n_c, "a group size");
        if (!nc) return unexpected(nc.error());
        if (*events > *nt + *nc) {
          return fail(errc::input_out_of_range,
                      fmt::format("column '{}' is {}, but events cannot exceed the {} patients "
                                  "randomised ('{}' + '{}')",
                                  row.name(c.events), row.field(c.events), *nt + *nc,
                                  row.name(c.n_t), row.name(c.n_c)),
                      row.where(c.events));
        }
        if (auto ok = adopt(hr_from_p_events(p->x, *events, *nt, *nc, *d), c.p); !ok)
          return unexpected(ok.error());
      } else {
        auto et = read_events(row, c.events_t);
        if (!et) return unexpected(et.error());
        auto ec = read_events(row, c.events_c);
        if (!ec) return unexpected(ec.error());
        for (auto [ev, n, x] :
             {std::tuple{c.events_t, c.n_t, *et}, std::tuple{c.events_c, c.n_c, *ec}}) {
          if (!filled(row, n)) continue;
          auto size = row.positive(n, "a group size");
          if (!size) return unexpected(size.error());
          if (x > *size) {
            return fail(errc::input_out_of_range,
                        fmt::format("column '{}' is {}, but events cannot exceed '{}' = {}",
                                    row.name(ev), row.field(ev), row.name(n), row.field(n)),
                        row.where(ev));
          }
        }
        if (auto ok = adopt(hr_from_p_arm_events(p->x, *et, *ec, *d), c.p); !ok)
          return unexpected(ok.error());
      }
      const double sign = sign_of(*d);
      set_z_range(e, {*p}, [sign](const std::vector<double>& x) {
        return sign * detail::qnorm_upper(x[0] / 2);
      });
      break;
    }
    case hr_method::km_reconstruction:
    case hr_method::ipd:
      break;  // not column sets: only named by hr_source
  }
  return e;
}

// How a hazard-ratio file is read: its sets (most reliable first) and the columns they consume.
struct hr_plan {
  hr_columns cols;
  std::vector<hr_method> sets;
  std::vector<int> consumed;
  std::optional<input_kind> forced;  ///< The kind the caller chose (one set only).
};

hr_plan make_hr_plan(const hr_columns& c, std::vector<hr_method> sets,
                     std::optional<input_kind> forced) {
  hr_plan plan;
  plan.cols = c;
  plan.sets = std::move(sets);
  plan.forced = forced;
  auto use = [&](int col) {
    if (col >= 0 &&
        std::find(plan.consumed.begin(), plan.consumed.end(), col) == plan.consumed.end())
      plan.consumed.push_back(col);
  };
  for (auto m : plan.sets) {
    for (int col : set_columns(m, c)) use(col);
    if (m == hr_method::ci) use(c.level);
    if (m == hr_method::p_value || m == hr_method::p_events || m == hr_method::p_arm_events)
      use(c.p_test);
    if (m == hr_method::p_arm_events) {
      use(c.n_t);
      use(c.n_c);
    }
  }
  use(c.source);
  return plan;
}

// Decides whether `csv` is read as hazard ratios. `found`: the complete older column sets.
expected<std::optional<hr_plan>> hr_route(const cells& csv, const read_options& options,
                                          const std::vector<const column_set*>& found,
                                          const std::vector<std::vector<int>>& found_cols) {
  const hr_columns c = locate_hr_columns(csv);
  std::vector<hr_method> present;
  for (auto m : k_hr_sets)
    if (set_present(m, c)) present.push_back(m);
  using plan_or_none = std::optional<hr_plan>;
  if (present.empty()) return plan_or_none();
  if (options.measure && *options.measure != effect_measure::hazard_ratio) return plan_or_none();
  if (std::find(present.begin(), present.end(), hr_method::ci) != present.end() &&
      csv.find_column("level") >= 0 && csv.find_column("ci_level") >= 0) {
    return fail(errc::input_ambiguous_columns,
                "columns 'level' and 'ci_level' both give the CI level: keep one of them",
                {csv.source, csv.header_line, 0});
  }
  if (options.kind) {
    if (*options.kind == input_kind::hr_summaries)
      return plan_or_none(make_hr_plan(c, present, std::nullopt));
    std::optional<hr_method> m;
    if (*options.kind == input_kind::ratio_ci && c.hr >= 0) m = hr_method::ci;
    if (*options.kind == input_kind::log_hr_se) m = hr_method::loghr_se;
    if (*options.kind == input_kind::oe_v) m = hr_method::oe_v;
    if (m && std::find(present.begin(), present.end(), *m) != present.end())
      return plan_or_none(make_hr_plan(c, {*m}, options.kind));
    return plan_or_none();  // another set chosen: read as before
  }
  // Other effect sets beside the hazard-ratio ones: say so rather than guess. Under --measure HR
  // 2x2 counts, means and OR/RR columns cannot be meant; yi, vi|sei could be a log HR. Arm
  // counts (events_t, n_t, events_c, n_c) beside a column only hazard ratios use (hr, loghr, oe,
  // o_t, ..., chisq, hr_source) are the counts of a hazard-ratio file, not a 2x2 table; beside
  // p and direction alone they are ambiguous.
  bool hr_only_column = false;
  for (int col : {c.hr, c.loghr, c.oe, c.o_t, c.e_t, c.o_c, c.e_c, c.chisq, c.source})
    hr_only_column = hr_only_column || col >= 0;
  std::vector<std::string> labels;
  bool other = false, only_counts_or_means = true;
  for (std::size_t s = 0; s < found.size(); ++s) {
    labels.emplace_back(found[s]->label);
    const auto k = found[s]->kind;
    const bool is_hr =
        k == input_kind::log_hr_se || k == input_kind::oe_v ||
        (k == input_kind::ratio_ci && detail::iequals(csv.header[found_cols[s][0]], "hr"));
    if (is_hr) continue;
    const bool yi = k == input_kind::yi_sei || k == input_kind::yi_vi;
    if (options.measure && !yi) continue;
    if ((k == input_kind::two_by_two || k == input_kind::proportion || k == input_kind::rate ||
         k == input_kind::two_rates) &&
        hr_only_column)
      continue;
    other = true;
    if (yi) only_counts_or_means = false;
  }
  if (other) {
    bool newer = false;
    for (auto m : present) {
      if (!legacy_kind(m)) {
        labels.emplace_back(hr_set_label(m));
        newer = true;
      }
    }
    return fail(
        errc::input_ambiguous_columns,
        fmt::format("the header holds several effect column sets ({}){}", fmt::join(labels, " / "),
                    newer && only_counts_or_means
                        ? " (with --measure HR the hazard-ratio sets are read, row by row)"
                        : ""),
        {csv.source, csv.header_line, 0}, labels.front());
  }
  return plan_or_none(make_hr_plan(c, present, std::nullopt));
}

unexpected contradiction(const row_reader& row, const hr_columns& c, const set_eval& chosen,
                         const set_eval& other) {
  const auto mine = set_columns(chosen.method, c);
  const auto theirs = set_columns(other.method, c);
  int col = theirs.front();
  for (int t : theirs) {
    if (std::find(mine.begin(), mine.end(), t) == mine.end()) {
      col = t;
      break;
    }
  }
  return fail(
      errc::input_out_of_range,
      fmt::format("column '{}' is {}, but the row's {} give z = {:.2f} (two-sided p = {:.2g}) "
                  "and its {} give z = {:.2f}: expected values that agree within the "
                  "rounding of the reported numbers",
                  row.name(col), detail::trim(row.field(col)), hr_set_label(chosen.method),
                  chosen.z, detail::p_two_sided_z(chosen.z), hr_set_label(other.method), other.z),
      row.where(col));
}

expected<study_table> make_hr_table(const cells& csv, const read_options& options,
                                    const hr_plan& plan) {
  const hr_columns& c = plan.cols;
  study_table out;
  out.source = csv.source;
  out.measure = effect_measure::hazard_ratio;
  out.kind = plan.forced.value_or(input_kind::hr_summaries);
  const int label_col = csv.find_column("study");
  const std::vector<int> attr_cols = attribute_order(csv, label_col, plan.consumed, options, false);
  out.effect_columns = column_names(csv, plan.consumed);
  for (int col : attr_cols) {
    out.attribute_names.push_back(csv.header[col]);
    out.attribute_columns.push_back(col + 1);
  }
  out.attributes.resize(attr_cols.size());
  reserve_attributes(out, csv, attr_cols);
  if (label_col < 0) {
    out.notices.push_back(fmt::format(
        "{}: no 'study' column; studies are labelled by their line numbers", csv.source));
  }
  if ((csv.rows() == 0)) {
    return fail(errc::input_no_studies, "the file has a header but no studies",
                {csv.source, csv.header_line, 0});
  }
  std::vector<std::string> labels;
  for (auto m : plan.sets) labels.push_back(set_label(m));

  const bool decimal_comma = csv.separator != ',';
  const label_book labels_of(csv, label_col);
  std::vector<hr_method> routes;  // the set each analysed row used
  for (std::size_t r = 0; r < csv.rows(); ++r) {
    row_reader row(csv, r, decimal_comma);
    const int line = csv.line(r);
    std::string as_given;
    auto read = labels_of.label(row, line, &as_given);
    if (!read) return unexpected(read.error());
    std::string label = std::move(*read);

    // The sets this row fills, most reliable first.
    std::vector<hr_method> full;
    for (auto m : plan.sets)
      if (set_filled(m, c, row)) full.push_back(m);
    if (full.empty()) {
      const hr_method* partial = nullptr;
      for (const auto& m : plan.sets) {
        if (set_touched(m, c, row)) {
          partial = &m;
          break;
        }
      }
      if (!partial) {
        if (options.missing == missing_policy::exclude) {
          out.excluded.push_back(
              {label, line,
               fmt::format("no estimate: columns {} are empty", fmt::join(labels, " / "))});
          continue;
        }
        if (plan.sets.size() == 1) {
          auto v = row.number(set_required(plan.sets[0], c, row).front());
          return unexpected(v.error());
        }
        return fail(errc::input_missing_value,
                    fmt::format("the row fills none of the hazard-ratio column sets ({}): "
                                "expected the numbers of one of them",
                                fmt::join(labels, "; ")),
                    row.where(set_columns(plan.sets[0], c).front()));
      }
      std::vector<std::string> empty;
      for (int col : set_required(*partial, c, row))
        if (!filled(row, col)) empty.push_back(csv.header[col]);
      if (!empty.empty() && options.missing == missing_policy::exclude) {
        out.excluded.push_back(
            {label, line,
             fmt::format("incomplete estimate: {} of {} {} empty", quoted_list(empty),
                         set_label(*partial), empty.size() == 1 ? "is" : "are")});
        continue;
      }
      for (int col : set_required(*partial, c, row)) {
        if (filled(row, col)) continue;
        return fail(errc::input_missing_value,
                    fmt::format("{}{}", missing_number(csv.header[col], row.field(col)),
                                plan.sets.size() == 1
                                    ? std::string()
                                    : fmt::format(" to complete {}", hr_set_label(*partial))),
                    row.where(col));
      }
    }

    auto chosen = evaluate_set(full.front(), row, c, options.ci_level);
    if (!chosen) return unexpected(chosen.error());
    for (std::size_t i = 1; i < full.size(); ++i) {
      auto other = evaluate_set(full[i], row, c, options.ci_level, true);
      if (!other) return unexpected(other.error());
      if (contradicts(*chosen, *other)) return contradiction(row, c, *chosen, *other);
    }
    std::string source(to_string(full.front()));
    if (filled(row, c.source)) {
      const auto text = detail::trim(row.field(c.source));
      auto m = parse_hr_method(text);
      if (!m) {
        std::vector<std::string_view> names;
        for (auto k : k_hr_sets) names.push_back(to_string(k));
        names.push_back(to_string(hr_method::km_reconstruction));
        names.push_back(to_string(hr_method::ipd));
        return fail(errc::input_out_of_range,
                    fmt::format("column '{}' is '{}': expected the name of a route ({})",
                                csv.header[c.source], text, fmt::join(names, ", ")),
                    row.where(c.source));
      }
      source = std::string(to_string(*m));
    }
    for (const auto& n : chosen->notes) {
      out.notices.push_back(fmt::format("{}:{}: study '{}': {}", csv.source, line, label, n));
    }
    const hr_summary& s = chosen->s;
    // Routes through the SE keep vi = SE^2, routes through V keep vi = 1/V (as the older readers).
    const bool via_se = full.front() == hr_method::ci || full.front() == hr_method::loghr_se ||
                        full.front() == hr_method::p_value;
    const double vi = via_se ? s.se * s.se : 1 / s.v;
    if (!std::isfinite(s.loghr) || !std::isfinite(vi) || !(vi > 0)) {
      return fail(errc::input_out_of_range,
                  fmt::format("study '{}' gives a non-finite estimate or variance", label),
                  row.where(set_columns(full.front(), c).front()));
    }
    out.study.push_back(label);
    out.label_as_given.push_back(as_given);
    out.yi.push_back(s.loghr);
    out.vi.push_back(vi);
    out.line.push_back(line);
    out.hr_source.push_back(source);
    out.o_minus_e.push_back(s.o_minus_e);
    out.v.push_back(s.v);
    routes.push_back(full.front());
    for (std::size_t a = 0; a < attr_cols.size(); ++a) {
      out.attributes[a].push_back(row.field(attr_cols[a]));
    }
  }
  finish_notices(out, csv, labels_of);
  if (out.k() == 0) {
    return fail(errc::input_no_studies, "no study has an estimate to analyse",
                {csv.source, csv.header_line, 0});
  }
  // One older route for every study: the file reads as that input kind, as before.
  if (!plan.forced) {
    const hr_method first = routes.front();
    bool one = legacy_kind(first).has_value();
    for (std::size_t i = 0; i < routes.size() && one; ++i)
      one = routes[i] == first && out.hr_source[i] == to_string(first);
    if (one) out.kind = *legacy_kind(first);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Counts and measures of the column sets that are not hazard ratios.

bool is_count_kind(input_kind k) {
  return k == input_kind::two_by_two || k == input_kind::proportion || k == input_kind::rate ||
         k == input_kind::two_rates;
}

effect_measure default_measure(input_kind k) {
  switch (k) {
    case input_kind::two_by_two:
      return effect_measure::odds_ratio;
    case input_kind::means:
      return effect_measure::mean_difference;
    case input_kind::proportion:
      return effect_measure::proportion_logit;
    case input_kind::correlation:
      return effect_measure::fisher_z;
    case input_kind::rate:
      return effect_measure::incidence_rate_log;
    case input_kind::two_rates:
      return effect_measure::rate_ratio;
    default:
      return effect_measure::generic;
  }
}

std::string_view allowed_measures(input_kind k) {
  switch (k) {
    case input_kind::two_by_two:
      return "OR, RR or RD";
    case input_kind::means:
      return "MD, SMD, SMDH or ROM";
    case input_kind::proportion:
      return "PR, PLN, PLO, PAS or PFT";
    case input_kind::correlation:
      return "COR or ZCOR";
    case input_kind::rate:
      return "IR or IRLN";
    case input_kind::two_rates:
      return "IRR or IRD";
    case input_kind::log_hr_se:
    case input_kind::oe_v:
      return "HR";
    default:
      return "any measure";
  }
}

// Whether measure m can be computed from column set k (yi sets take any measure; a ratio with
// its CI takes HR, OR or RR, as its column names).
bool kind_fits(input_kind k, effect_measure m) {
  using em = effect_measure;
  switch (k) {
    case input_kind::yi_sei:
    case input_kind::yi_vi:
      return true;
    case input_kind::ratio_ci:
      return m == em::hazard_ratio || m == em::odds_ratio || m == em::risk_ratio;
    case input_kind::log_hr_se:
    case input_kind::oe_v:
    case input_kind::hr_summaries:
      return m == em::hazard_ratio;
    case input_kind::two_by_two:
      return m == em::odds_ratio || m == em::risk_ratio || m == em::risk_difference;
    case input_kind::means:
      return m == em::mean_difference || m == em::std_mean_difference ||
             m == em::std_mean_difference_h || m == em::ratio_of_means;
    case input_kind::proportion:
      return m == em::proportion || m == em::proportion_log || m == em::proportion_logit ||
             m == em::proportion_arcsine || m == em::proportion_ft;
    case input_kind::correlation:
      return m == em::correlation || m == em::fisher_z;
    case input_kind::rate:
      return m == em::incidence_rate || m == em::incidence_rate_log;
    case input_kind::two_rates:
      return m == em::rate_ratio || m == em::rate_difference;
  }
  return false;
}

// A count of people or events: a whole number >= 0. "1.234" in a file with ';' separators is
// one thousand two hundred and thirty-four written with a thousands separator, not 1.234
// (issue 15, item 3).
expected<double> read_count(const row_reader& row, int col) {
  auto v = row.number(col);
  if (!v) return v;
  if (*v < 0) {
    return fail(
        errc::input_bad_2x2,
        fmt::format("column '{}' is {}, but counts must be >= 0", row.name(col), row.field(col)),
        row.where(col));
  }
  if (*v != std::floor(*v)) {
    return fail(
        errc::input_bad_2x2,
        fmt::format(
            "column '{}' is {}, but counts must be whole numbers{}", row.name(col), row.field(col),
            row.decimal_comma() ? " (write thousands without a separator: 1234, not 1.234)" : ""),
        row.where(col));
  }
  return v;
}

// Events no more than the group size, and a group size > 0.
std::optional<unexpected> events_within(const row_reader& row, int events_col, int n_col,
                                        double events, double n) {
  if (events > n) {
    return fail(
        errc::input_bad_2x2,
        fmt::format("column '{}' is {}, but events cannot exceed '{}' = {}", row.name(events_col),
                    row.field(events_col), row.name(n_col), row.field(n_col)),
        row.where(events_col));
  }
  if (!(n > 0)) {
    return fail(errc::input_bad_2x2,
                fmt::format("column '{}' is {}, but a group size must be > 0", row.name(n_col),
                            row.field(n_col)),
                row.where(n_col));
  }
  return std::nullopt;
}

// Why a double-zero study is left out.
std::string double_zero_reason(bool no_events, effect_measure m, const zero_cell_rule& rule) {
  const std::string what =
      no_events ? "no events in either group" : "every participant had the event in both groups";
  if (rule.double_zero == double_zero_policy::drop) {
    return what +
           ": left out by the zero-cell rule (double-zero studies dropped, escalc's "
           "drop00 = TRUE)";
  }
  return fmt::format("{}: the {} is not estimable (the study adds no information on this scale)",
                     what, measure_name(m));
}

// The one set of `found` that `measure` fits, or -1.
int fitting_set(const std::vector<const column_set*>& found,
                std::optional<effect_measure> measure) {
  if (!measure || found.size() < 2) return -1;
  int fit = -1;
  for (std::size_t s = 0; s < found.size(); ++s) {
    if (!kind_fits(found[s]->kind, *measure)) continue;
    if (fit >= 0) return -1;
    fit = static_cast<int>(s);
  }
  return fit;
}

}  // namespace

bool is_effect_column_name(std::string_view name) {
  if (detail::iequals(name, "ci_level")) return true;
  for (auto n : k_hr_only_columns)
    if (detail::iequals(n, name)) return true;
  for (const auto& set : column_sets())
    for (const auto& slot : set.slots)
      for (auto n : slot)
        if (detail::iequals(n, name)) return true;
  return false;
}

std::string_view input_kind_columns(input_kind kind) {
  if (kind == input_kind::hr_summaries) return "hr_summaries";
  for (const auto& s : column_sets())
    if (s.kind == kind) return s.label;
  return "";
}

std::optional<input_kind> parse_input_kind(std::string_view text) {
  std::string t = detail::to_lower(detail::trim(text));
  if (t == "2x2") return input_kind::two_by_two;
  if (t == "means") return input_kind::means;
  if (t == "hr_summaries") return input_kind::hr_summaries;
  if (t == "proportion" || t == "proportions") return input_kind::proportion;
  if (t == "correlation" || t == "correlations") return input_kind::correlation;
  if (t == "rate") return input_kind::rate;
  if (t == "two_rates" || t == "rates") return input_kind::two_rates;
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
  out.measure_label = measure_label;
  out.zero_cells = zero_cells;
  out.effect_columns = effect_columns;
  out.attribute_names = attribute_names;
  out.attribute_columns = attribute_columns;
  out.attributes.resize(attributes.size());
  for (std::size_t r : rows) {
    out.study.push_back(study.at(r));
    if (!label_as_given.empty()) out.label_as_given.push_back(label_as_given.at(r));
    if (!zero_cell_corrected.empty()) out.zero_cell_corrected.push_back(zero_cell_corrected.at(r));
    out.yi.push_back(yi.at(r));
    out.vi.push_back(vi.at(r));
    out.line.push_back(line.at(r));
    if (!sample_size.empty()) out.sample_size.push_back(sample_size.at(r));
    if (!hr_source.empty()) out.hr_source.push_back(hr_source.at(r));
    if (!o_minus_e.empty()) out.o_minus_e.push_back(o_minus_e.at(r));
    if (!v.empty()) out.v.push_back(v.at(r));
    for (std::size_t a = 0; a < attributes.size(); ++a)
      out.attributes[a].push_back(attributes[a][r]);
  }
  return out;
}

std::string read_options::validate() const {
  if (!(ci_level > 0 && ci_level < 100)) {
    return fmt::format("CI level is {}, but must lie between 0 and 100 (e.g. 95)", ci_level);
  }
  return zero_cells.validate();
}

display_context study_table::display() const { return display_context_from_vi(measure, vi); }

namespace {

// What make_table decides from the header and the options alone, before it reads a row: the
// column set (or the hazard-ratio plan), the measure and the label, level and attribute
// columns. A batch of meta-analyses that share one header makes this once (study_table_maker).
struct table_plan {
  std::optional<hr_plan> hr;  // set: the rows are read by make_hr_table
  const column_set* chosen = nullptr;
  std::vector<int> cols;
  effect_measure measure = effect_measure::generic;
  bool counts = false;
  int label_col = -1;
  int level_col = -1;
  std::vector<int> attr_cols;
  std::vector<std::string> effect_columns;
};

expected<table_plan> plan_table(const cells& csv, const read_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(options.zero_cells.validate().empty() ? errc::input_bad_ci_level
                                                      : errc::input_bad_zero_cells,
                msg);
  }
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
  // Hazard ratios: every hazard-ratio set the header holds, chosen row by row.
  {
    auto route = hr_route(csv, options, found, found_cols);
    if (!route) return unexpected(route.error());
    if (*route) {
      table_plan plan;
      plan.hr = std::move(**route);
      return plan;
    }
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
  } else if (auto fit = fitting_set(found, options.measure); fit >= 0) {
    // Several sets, but the measure fits one only (e.g. IRR beside 2x2 counts).
    chosen = found[static_cast<std::size_t>(fit)];
    cols = found_cols[static_cast<std::size_t>(fit)];
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
    case input_kind::hr_summaries:
      break;  // not in column_sets(): read by make_hr_table
    default:
      measure = options.measure.value_or(default_measure(chosen->kind));
      if (!kind_fits(chosen->kind, measure)) return conflict(allowed_measures(chosen->kind));
      break;
  }
  // 3. Label, level and attribute columns.
  table_plan plan;
  plan.chosen = chosen;
  plan.cols = std::move(cols);
  plan.measure = measure;
  plan.counts = is_count_kind(chosen->kind);
  plan.label_col = csv.find_column("study");
  plan.level_col = chosen->kind == input_kind::ratio_ci ? csv.find_column("ci_level") : -1;
  std::vector<int> used = plan.cols;
  if (plan.level_col >= 0) used.push_back(plan.level_col);
  plan.attr_cols = attribute_order(csv, plan.label_col, used, options, plan.counts);
  plan.effect_columns = column_names(csv, used);
  return plan;
}

// make_table's reading of the rows by `plan` (made by plan_table from the same header and
// options).
expected<study_table> fill_table(const cells& csv, const read_options& options,
                                 const table_plan& plan) {
  if (plan.hr) return make_hr_table(csv, options, *plan.hr);
  const column_set* const chosen = plan.chosen;
  const std::vector<int>& cols = plan.cols;
  const effect_measure measure = plan.measure;
  const bool counts = plan.counts;
  const int label_col = plan.label_col;
  const int level_col = plan.level_col;
  const std::vector<int>& attr_cols = plan.attr_cols;
  study_table out;
  out.source = csv.source;
  out.kind = chosen->kind;
  out.measure = measure;
  out.measure_label = options.measure_label;
  if (counts) out.zero_cells = options.zero_cells;
  out.effect_columns = plan.effect_columns;
  for (int c : attr_cols) {
    out.attribute_names.push_back(csv.header[c]);
    out.attribute_columns.push_back(c + 1);
  }
  out.attributes.resize(attr_cols.size());
  if (label_col < 0) {
    out.notices.push_back(fmt::format(
        "{}: no 'study' column; studies are labelled by their line numbers", csv.source));
  }
  if ((csv.rows() == 0)) {
    return fail(errc::input_no_studies, "the file has a header but no studies",
                {csv.source, csv.header_line, 0});
  }

  // 4. Each row. Counts are validated here and computed after every row is read: the zero-cell
  // rule "if0all" corrects every study when any has a zero cell.
  struct pending {
    int line = 0;
    std::size_t row = 0;
    double x[4] = {0, 0, 0, 0};
    effect e;
    double n_total = 0;
  };
  // Rows of counts wait in `rows` for the second pass; other rows are finished at once, their
  // errors of the second kind (a non-finite estimate) kept until the first pass is through, so
  // the errors come in the same order either way.
  std::vector<pending> rows;
  bool any_zero = false;
  const zero_cell_rule& rule = options.zero_cells;
  const bool decimal_comma = csv.separator != ',';
  const label_book labels_of(csv, label_col);
  const bool keep_given = labels_of.renamed();  // else label_as_given stays empty
  out.study.reserve(csv.rows());
  out.yi.reserve(csv.rows());
  out.vi.reserve(csv.rows());
  out.line.reserve(csv.rows());
  reserve_attributes(out, csv, attr_cols);
  if (counts) rows.reserve(csv.rows());
  std::optional<unexpected> deferred;
  // The second pass for one row: its effect from the counts, the check of the result, and the
  // study's entries in `out` (its label is out.study[s] already).
  auto finish_row = [&](pending& p, std::size_t s) -> std::optional<unexpected> {
    row_reader row(csv, p.row, decimal_comma);
    if (counts) {
      expected<effect> rc = effect{};
      switch (chosen->kind) {
        case input_kind::two_by_two:
          rc = effect_from_2x2(p.x[0], p.x[1], p.x[2], p.x[3], measure, rule, any_zero);
          break;
        case input_kind::proportion:
          rc = effect_from_proportion(p.x[0], p.x[1], measure, rule, any_zero);
          break;
        case input_kind::rate:
          rc = effect_from_rate(p.x[0], p.x[1], measure, rule, any_zero);
          break;
        default:  // two_rates
          rc = effect_from_rates(p.x[0], p.x[1], p.x[2], p.x[3], measure, rule, any_zero);
          break;
      }
      if (!rc) return at_row(rc.error(), row.where(cols[0]));
      p.e = *rc;
    }
    if (!std::isfinite(p.e.yi) || !std::isfinite(p.e.vi) || !(p.e.vi > 0)) {
      return fail(errc::input_out_of_range,
                  fmt::format("study '{}' gives a non-finite estimate or variance{}", out.study[s],
                              counts && p.e.zero_cell_corrected == false
                                  ? " (a zero count without a zero-cell correction)"
                                  : ""),
                  row.where(cols[0]));
    }
    out.yi.push_back(p.e.yi);
    out.vi.push_back(p.e.vi);
    out.line.push_back(p.line);
    if (p.n_total > 0) out.sample_size.push_back(p.n_total);
    if (counts) out.zero_cell_corrected.push_back(p.e.zero_cell_corrected);
    for (std::size_t a = 0; a < attr_cols.size(); ++a) {
      out.attributes[a].push_back(row.field(attr_cols[a]));
    }
    return std::nullopt;
  };
  for (std::size_t r = 0; r < csv.rows(); ++r) {
    row_reader row(csv, r, decimal_comma);
    pending p;
    p.line = csv.line(r);
    p.row = r;
    std::string as_given;
    auto read = labels_of.label(row, p.line, &as_given);
    if (!read) return unexpected(read.error());
    std::string label = std::move(*read);
    const int line = p.line;

    // A row whose effect columns are empty or incomplete: an error unless the caller lets us
    // exclude it.
    std::vector<std::string> empty;
    for (int c : cols)
      if (row.missing(c)) empty.push_back(csv.header[c]);
    if (!empty.empty() && options.missing == missing_policy::exclude) {
      out.excluded.push_back(
          {label, line,
           empty.size() == cols.size()
               ? fmt::format("no estimate: columns {} are empty", chosen->label)
               : fmt::format("incomplete estimate: {} of {} {} empty", quoted_list(empty),
                             chosen->label, empty.size() == 1 ? "is" : "are")});
      continue;
    }

    effect& e = p.e;
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
        for (int i = 0; i < 4; ++i) {
          auto v = read_count(row, cols[i]);
          if (!v) return unexpected(v.error());
          p.x[i] = *v;
        }
        for (int i : {0, 2}) {
          if (auto bad = events_within(row, cols[i], cols[i + 1], p.x[i], p.x[i + 1])) return *bad;
        }
        if (is_double_zero_2x2(p.x[0], p.x[1], p.x[2], p.x[3]) &&
            drops_double_zero(rule, measure)) {
          out.excluded.push_back({label, line, double_zero_reason(p.x[0] == 0, measure, rule)});
          continue;
        }
        any_zero = any_zero || p.x[0] == 0 || p.x[2] == 0 || p.x[0] == p.x[1] || p.x[2] == p.x[3];
        p.n_total = p.x[1] + p.x[3];
        break;
      }
      case input_kind::proportion: {
        for (int i = 0; i < 2; ++i) {
          auto v = read_count(row, cols[i]);
          if (!v) return unexpected(v.error());
          p.x[i] = *v;
        }
        if (auto bad = events_within(row, cols[0], cols[1], p.x[0], p.x[1])) return *bad;
        any_zero = any_zero || p.x[0] == 0 || p.x[0] == p.x[1];
        p.n_total = p.x[1];
        break;
      }
      case input_kind::correlation: {
        auto ri = row.number(cols[0]);
        if (!ri) return unexpected(ri.error());
        const bool z = measure == effect_measure::fisher_z;
        if (!(*ri >= -1 && *ri <= 1) || (z && std::fabs(*ri) == 1)) {
          return fail(errc::input_out_of_range,
                      fmt::format("column '{}' is {}, but a correlation must lie {}",
                                  row.name(cols[0]), row.field(cols[0]),
                                  z && std::fabs(*ri) == 1
                                      ? "strictly between -1 and 1 for Fisher's z (ZCOR), which "
                                        "is infinite at -1 and 1"
                                      : "between -1 and 1"),
                      row.where(cols[0]));
        }
        auto ni = row.positive(cols[1], "a sample size");
        if (!ni) return unexpected(ni.error());
        if (!(*ni > (z ? 3 : 1))) {
          return fail(
              errc::input_out_of_range,
              fmt::format("column '{}' is {}, but {}", row.name(cols[1]), row.field(cols[1]),
                          z ? "Fisher's z needs a sample size > 3 (its variance is "
                              "1/(n - 3))"
                            : "a correlation needs a sample size > 1 (its variance is "
                              "(1 - r^2)^2/(n - 1))"),
              row.where(cols[1]));
        }
        auto rc = effect_from_correlation(*ri, *ni, measure);
        if (!rc) return at_row(rc.error(), row.where(cols[0]));
        e = *rc;
        p.n_total = *ni;
        break;
      }
      case input_kind::rate: {
        auto x = read_count(row, cols[0]);
        if (!x) return unexpected(x.error());
        auto t = row.positive(cols[1], "a person-time");
        if (!t) return unexpected(t.error());
        p.x[0] = *x;
        p.x[1] = *t;
        any_zero = any_zero || *x == 0;
        break;
      }
      case input_kind::two_rates: {
        for (int i = 0; i < 4; ++i) {
          auto v = i % 2 == 0 ? read_count(row, cols[i]) : row.positive(cols[i], "a person-time");
          if (!v) return unexpected(v.error());
          p.x[i] = *v;
        }
        if (p.x[0] == 0 && p.x[2] == 0 && drops_double_zero(rule, measure)) {
          out.excluded.push_back({label, line, double_zero_reason(true, measure, rule)});
          continue;
        }
        any_zero = any_zero || p.x[0] == 0 || p.x[2] == 0;
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
        if (measure == effect_measure::ratio_of_means) {
          for (int i : {0, 3}) {
            if (v[i] > 0) continue;
            return fail(errc::input_bad_means,
                        fmt::format("column '{}' is {}, but a ratio of means (ROM) needs means "
                                    "> 0",
                                    row.name(cols[i]), row.field(cols[i])),
                        row.where(cols[i]));
          }
        }
        auto rm = effect_from_means(v[0], v[1], v[2], v[3], v[4], v[5], measure);
        if (!rm) return at_row(rm.error(), row.where(cols[0]));
        e = *rm;
        p.n_total = v[2] + v[5];
        break;
      }
      case input_kind::hr_summaries:
        break;
    }
    out.study.push_back(std::move(label));
    if (keep_given) out.label_as_given.push_back(std::move(as_given));
    if (counts) {
      rows.push_back(p);
    } else if (!deferred) {
      // Past a deferred error `out` is no longer in step; only errors of the first pass matter.
      deferred = finish_row(p, out.study.size() - 1);
    }
  }
  if (deferred) return *deferred;
  for (std::size_t s = 0; s < rows.size(); ++s) {
    if (auto bad = finish_row(rows[s], s)) return *bad;
  }
  finish_notices(out, csv, labels_of);
  if (out.k() == 0) {
    return fail(errc::input_no_studies, "no study has an estimate to analyse",
                {csv.source, csv.header_line, 0});
  }
  return out;
}

expected<study_table> make_table(const cells& csv, const read_options& options) {
  auto plan = plan_table(csv, options);
  if (!plan) return unexpected(plan.error());
  return fill_table(csv, options, *plan);
}

}  // namespace

struct study_table_maker::impl {
  read_options options;
  // The header the plan is for, and where its errors point.
  std::string source;
  std::vector<std::string> header;
  int header_line = 0;
  expected<table_plan> plan = table_plan{};
  bool planned = false;
};

study_table_maker::study_table_maker(read_options options) : impl_(std::make_unique<impl>()) {
  impl_->options = std::move(options);
}
study_table_maker::~study_table_maker() = default;
study_table_maker::study_table_maker(study_table_maker&&) noexcept = default;
study_table_maker& study_table_maker::operator=(study_table_maker&&) noexcept = default;

void study_table_maker::prepare(const compact_csv& csv) {
  impl_->source = csv.source;
  impl_->header = csv.header;
  impl_->header_line = csv.header_line;
  impl_->plan = plan_table(cells(csv), impl_->options);
  impl_->planned = true;
}

expected<study_table> study_table_maker::make(const compact_csv& csv) const {
  const impl& m = *impl_;
  // Another header (or none prepared): the plain path, so the result never depends on the cache.
  if (!m.planned || csv.header != m.header || csv.source != m.source ||
      csv.header_line != m.header_line) {
    return make_table(cells(csv), m.options);
  }
  if (!m.plan) return unexpected(m.plan.error());
  return fill_table(cells(csv), m.options, *m.plan);
}

expected<study_table> make_study_table(const csv_table& csv, const read_options& options) {
  return make_table(cells(csv), options);
}

expected<study_table> make_study_table(const compact_csv& csv, const read_options& options) {
  return make_table(cells(csv), options);
}

expected<study_table> read_studies(const std::string& path, const read_options& options) {
  auto csv = read_csv_compact(path);
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
