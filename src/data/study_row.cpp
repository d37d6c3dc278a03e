// put_study_hr: a computed hazard ratio as a row of a study CSV table.
#include "srma/data/study_row.hpp"

#include <fmt/format.h>

#include <cmath>

#include "srma/data/study_table.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

// Shortest text that reads back as the same double.
std::string exact(double x) { return fmt::format("{}", x); }

// A column whose value means the row already has an effect: the effect columns of every set
// except those only single-group, correlation and rate input use (n, ri, ni, time, time_t,
// time_c), which beside a hazard ratio are characteristics such as the number of patients.
bool holds_effect(std::string_view name) {
  for (std::string_view other : {"n", "ri", "ni", "time", "time_t", "time_c"})
    if (detail::iequals(name, other)) return false;
  return is_effect_column_name(name);
}

int ensure_column(csv_table& t, std::string_view name) {
  if (int c = t.find_column(name); c >= 0) return c;
  t.header.emplace_back(name);
  for (auto& r : t.rows) r.fields.emplace_back();
  return static_cast<int>(t.header.size()) - 1;
}

}  // namespace

expected<study_row_action> put_study_hr(csv_table& table, std::string_view study,
                                        const study_hr& hr, bool allow_replace) {
  if (!std::isfinite(hr.loghr))
    return fail(errc::input_out_of_range,
                fmt::format("ln HR of '{}' is {}, but must be finite", study, hr.loghr));
  if (!(std::isfinite(hr.se) && hr.se > 0))
    return fail(errc::input_out_of_range,
                fmt::format("SE of ln HR of '{}' is {}, but must be finite and > 0", study, hr.se));
  if (detail::trim(study).empty()) return fail(errc::input_empty_label, "the study label is empty");
  if (table.header.empty()) table.header = {"study"};
  const int label_col = table.find_column("study");
  if (label_col < 0) {
    if (!table.rows.empty())
      return fail(errc::input_no_column_set,
                  "the study table has no 'study' column to find or add the study by",
                  {table.source, table.header_line, 0});
    table.header.insert(table.header.begin(), "study");
  }
  const auto lc = static_cast<std::size_t>(table.find_column("study"));
  // The row of this study, if any (labels compare after trimming, as make_study_table reads them).
  int found = -1;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (detail::trim(table.rows[r].fields[lc]) != detail::trim(study)) continue;
    if (found >= 0)
      return fail(errc::input_duplicate_label,
                  fmt::format("study '{}' is on lines {} and {}", study,
                              table.rows[static_cast<std::size_t>(found)].line, table.rows[r].line),
                  table.where(r, lc), std::string(study));
    found = static_cast<int>(r);
  }
  study_row_action action = study_row_action::appended;
  if (found >= 0) {
    const auto& row = table.rows[static_cast<std::size_t>(found)];
    std::string filled;
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      if (holds_effect(table.header[c]) && !detail::trim(row.fields[c]).empty())
        filled += (filled.empty() ? "" : ", ") + table.header[c];
    }
    if (!filled.empty() && !allow_replace)
      return fail(errc::input_ambiguous_columns,
                  fmt::format("study '{}' on line {} already has effect values ({}); "
                              "nothing was changed",
                              study, row.line, filled),
                  {table.source, row.line, 0});
    action = filled.empty() ? study_row_action::filled : study_row_action::replaced;
  }
  // A table that reports ratios with CIs (and no loghr, se) gets the 95% Wald CI written in
  // full precision, which reads back as the same ln HR and SE; otherwise loghr and se are used.
  const bool ci_table = table.find_column("hr") >= 0 && table.find_column("lower") >= 0 &&
                        table.find_column("upper") >= 0 && table.find_column("loghr") < 0 &&
                        table.find_column("se") < 0;
  std::size_t loghr_col = 0, se_col = 0;
  if (!ci_table) {
    loghr_col = static_cast<std::size_t>(ensure_column(table, "loghr"));
    se_col = static_cast<std::size_t>(ensure_column(table, "se"));
  }
  const auto src_col = static_cast<std::size_t>(ensure_column(table, "hr_source"));
  if (found < 0) {
    csv_row row;
    row.fields.assign(table.header.size(), std::string());
    row.fields[lc] = std::string(detail::trim(study));
    row.line = table.rows.empty() ? table.header_line + 1 : table.rows.back().line + 1;
    table.rows.push_back(std::move(row));
    found = static_cast<int>(table.rows.size()) - 1;
  }
  auto& fields = table.rows[static_cast<std::size_t>(found)].fields;
  if (action == study_row_action::replaced) {
    for (std::size_t c = 0; c < table.header.size(); ++c)
      if (holds_effect(table.header[c])) fields[c].clear();
  }
  if (!ci_table) {
    fields[loghr_col] = exact(hr.loghr);
    fields[se_col] = exact(hr.se);
  }
  fields[src_col] = hr.source;
  const int h = table.find_column("hr");
  const int l = table.find_column("lower");
  const int u = table.find_column("upper");
  if (h >= 0 && l >= 0 && u >= 0) {
    constexpr double z = 1.959963984540054;  // Phi^-1(0.975)
    fields[static_cast<std::size_t>(h)] = exact(std::exp(hr.loghr));
    fields[static_cast<std::size_t>(l)] = exact(std::exp(hr.loghr - z * hr.se));
    fields[static_cast<std::size_t>(u)] = exact(std::exp(hr.loghr + z * hr.se));
    for (const char* level : {"level", "ci_level"}) {
      if (int c = table.find_column(level); c >= 0) fields[static_cast<std::size_t>(c)] = "95";
    }
  }
  return action;
}

}  // namespace srma
