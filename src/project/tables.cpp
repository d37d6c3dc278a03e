// Table 1 and the analysis table from final extraction values and NOS answers.
#include "srma/project/tables.hpp"

#include <fmt/format.h>

#include <map>

#include "srma/project/extraction.hpp"
#include "srma/project/quality.hpp"
#include "srma/util/text.hpp"

namespace srma::project {
namespace {

struct study_row {
  std::string label;
  std::map<std::string, std::string> values;
  const review::nos_item_study* nos = nullptr;
};

// One row per study label, in order of first appearance; later reports fill empty cells.
expected<std::pair<std::vector<form_field>, std::vector<study_row>>> merged_rows(
    const review_project& project, const review::nos_options& options, quality_state_t& quality) {
  auto state = extraction_state(project);
  if (!state) return unexpected(state.error());
  auto q = quality_state(project, options);
  if (!q) return unexpected(q.error());
  quality = std::move(*q);
  std::vector<study_row> rows;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < state->studies.size(); ++i) {
    const auto& s = state->studies[i];
    auto [it, fresh] = index.emplace(s.label, rows.size());
    if (fresh) rows.push_back({s.label, {}, &quality.final_table.studies[i]});
    auto& row = rows[it->second];
    for (const auto& f : state->form) {
      const auto v = s.value(f.name);
      if (!v.empty() && row.values[f.name].empty()) row.values[f.name] = v;
    }
    if (row.nos != nullptr && !row.nos->score.total && quality.final_table.studies[i].score.total) {
      row.nos = &quality.final_table.studies[i];
    }
  }
  return std::pair{state->form, std::move(rows)};
}

std::string get(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

std::string opt(const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); }

}  // namespace

expected<csv_table> table1(const review_project& project, const review::nos_options& options) {
  quality_state_t quality;
  auto merged = merged_rows(project, options, quality);
  if (!merged) return unexpected(merged.error());
  const auto& [form, rows] = *merged;
  csv_table t;
  t.header = {"Study"};
  std::vector<std::string> used;
  for (const auto& f : form) {
    if (f.name == "study") continue;
    bool any = false;
    for (const auto& r : rows) any = any || !get(r.values, f.name).empty();
    if (any) {
      used.push_back(f.name);
      t.header.push_back(f.label);
    }
  }
  t.header.emplace_back("NOS");
  t.header.emplace_back("Quality");
  for (const auto& r : rows) {
    csv_row row;
    row.fields.push_back(r.label);
    for (const auto& name : used) row.fields.push_back(get(r.values, name));
    row.fields.push_back(r.nos != nullptr ? opt(r.nos->score.total) : std::string());
    row.fields.emplace_back(r.nos != nullptr && r.nos->score.total
                                ? review::to_string(r.nos->quality)
                                : std::string_view());
    t.rows.push_back(std::move(row));
  }
  return t;
}

expected<csv_table> analysis_table(const review_project& project,
                                   const review::nos_options& options) {
  quality_state_t quality;
  auto merged = merged_rows(project, options, quality);
  if (!merged) return unexpected(merged.error());
  const auto& [form, rows] = *merged;
  csv_table t;
  t.header = {"study"};
  for (const auto& f : form) {
    if (f.name != "study") t.header.push_back(f.name);
  }
  for (const char* c :
       {"nos", "nos_selection", "nos_comparability", "nos_outcome", "quality", "ahrq"}) {
    t.header.emplace_back(c);
  }
  for (const auto& r : rows) {
    csv_row row;
    row.fields.push_back(r.label);
    for (const auto& f : form) {
      if (f.name != "study") row.fields.push_back(get(r.values, f.name));
    }
    const bool known = r.nos != nullptr;
    row.fields.push_back(known ? opt(r.nos->score.total) : "");
    row.fields.push_back(known ? opt(r.nos->score.selection) : "");
    row.fields.push_back(known ? opt(r.nos->score.comparability) : "");
    row.fields.push_back(known ? opt(r.nos->score.outcome) : "");
    row.fields.emplace_back(known && r.nos->score.total ? review::to_string(r.nos->quality)
                                                        : std::string_view());
    row.fields.emplace_back(known && r.nos->ahrq != review::ahrq_standard::unknown
                                ? review::to_string(r.nos->ahrq)
                                : std::string_view());
    t.rows.push_back(std::move(row));
  }
  // Columns no study filled say nothing: leave them out (the study column stays).
  std::vector<bool> keep(t.header.size(), false);
  keep[0] = true;
  for (const auto& r : t.rows) {
    for (std::size_t j = 1; j < r.fields.size(); ++j) keep[j] = keep[j] || !r.fields[j].empty();
  }
  csv_table out;
  for (std::size_t j = 0; j < t.header.size(); ++j) {
    if (keep[j]) out.header.push_back(t.header[j]);
  }
  for (const auto& r : t.rows) {
    csv_row row;
    row.line = r.line;
    for (std::size_t j = 0; j < r.fields.size(); ++j) {
      if (keep[j]) row.fields.push_back(r.fields[j]);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::string format_table(const csv_table& table, std::string_view format, std::string_view title) {
  auto md = [](std::string_view s) {
    std::string out;
    for (const char c : s) {
      if (c == '|')
        out += "\\|";
      else if (c == '\n')
        out += ' ';
      else
        out += c;
    }
    return out;
  };
  std::string out;
  if (format == "md") {
    if (!title.empty()) out += fmt::format("**{}**\n\n", md(title));
    out += "|";
    for (const auto& h : table.header) out += " " + md(h) + " |";
    out += "\n|";
    for (std::size_t j = 0; j < table.header.size(); ++j) out += "---|";
    out += "\n";
    for (const auto& r : table.rows) {
      out += "|";
      for (const auto& f : r.fields) out += " " + md(f) + " |";
      out += "\n";
    }
    return out;
  }
  out += fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>\n"
      "<style>body{{font-family:'DejaVu Sans',sans-serif;font-size:10pt}}table{{border-collapse:"
      "collapse}}th,td{{border-top:1px solid #888;border-bottom:1px solid #888;padding:3px 8px;"
      "text-align:left}}th{{background:#f0f0f0}}</style></head><body>\n<table>\n<caption>{0}"
      "</caption>\n<thead><tr>",
      srma::detail::escape_xml(title.empty() ? std::string_view("Table 1") : title));
  for (const auto& h : table.header) out += "<th>" + srma::detail::escape_xml(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : table.rows) {
    out += "<tr>";
    for (const auto& f : r.fields) out += "<td>" + srma::detail::escape_xml(f) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</body></html>\n";
  return out;
}

}  // namespace srma::project
