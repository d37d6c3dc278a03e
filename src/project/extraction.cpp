// Extraction form, values per extractor, consensus and discrepancies.
#include "srma/project/extraction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "included.hpp"
#include "project_state.hpp"

namespace srma::project {
namespace {

bool valid_name(std::string_view n) {
  if (n.empty() || std::isalpha(static_cast<unsigned char>(n.front())) == 0) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

}  // namespace

const std::vector<form_field>& default_form() {
  static const std::vector<form_field> form = {
      {"study", "Study"},
      {"country", "Country"},
      {"period", "Inclusion period"},
      {"design", "Design"},
      {"resected", "Resected"},
      {"total", "Total"},
      {"location", "Primary location"},
      {"burden", "Liver tumour burden"},
      {"grade", "Grade"},
      {"protocol", "Protocol"},
      {"hr", "HR"},
      {"lower", "Lower 95% CI"},
      {"upper", "Upper 95% CI"},
  };
  return form;
}

expected<std::vector<form_field>> extraction_form(const review_project& project) {
  std::vector<form_field> form = default_form();
  auto st = project.state().db.prepare("SELECT name, label FROM form_field ORDER BY id");
  if (!st) return unexpected(st.error());
  for (auto row = st->step(); row && *row; row = st->step()) {
    const auto name = st->text(0);
    if (std::none_of(form.begin(), form.end(), [&](const auto& f) { return f.name == name; })) {
      form.push_back({name, st->text(1)});
    }
  }
  return form;
}

expected<std::vector<form_field>> add_form_fields(review_project& project,
                                                  const std::vector<form_field>& fields) {
  for (const auto& f : fields) {
    if (!valid_name(f.name)) {
      return fail(errc::project_bad_form,
                  fmt::format("'{}' is not a field name: use letters, digits and _, starting "
                              "with a letter",
                              f.name));
    }
  }
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto form = extraction_form(project);
  if (!form) return unexpected(form.error());
  auto ins =
      db.prepare("INSERT INTO form_field (name, label, position, added_at) VALUES (?,?,?,?)");
  if (!ins) return unexpected(ins.error());
  const auto at = detail::now_utc();
  for (const auto& f : fields) {
    if (std::any_of(form->begin(), form->end(), [&](const auto& g) { return g.name == f.name; })) {
      continue;
    }
    SRMA_PROJECT_TRY(ins->bind(1, f.name)
                         .bind(2, f.label.empty() ? f.name : f.label)
                         .bind(3, static_cast<std::int64_t>(form->size()))
                         .bind(4, at)
                         .run());
    form->push_back(f);
  }
  SRMA_PROJECT_TRY(tx->commit());
  return extraction_form(project);
}

std::optional<std::string> field_values::final_value() const {
  if (consensus) return consensus;
  if (by_extractor.empty()) return std::nullopt;
  const auto& first = by_extractor.begin()->second;
  for (const auto& [who, v] : by_extractor) {
    if (v != first) return std::nullopt;
  }
  return first;
}

std::string extracted_study::value(const std::string& field) const {
  auto it = fields.find(field);
  if (it == fields.end()) return {};
  return it->second.final_value().value_or("");
}

std::vector<extraction_discrepancy> extraction_state_t::discrepancies() const {
  std::vector<extraction_discrepancy> out;
  for (const auto& s : studies) {
    for (const auto& f : form) {
      auto it = s.fields.find(f.name);
      if (it != s.fields.end() && it->second.discrepant()) {
        out.push_back({s.record, s.label, f.name, it->second.by_extractor});
      }
    }
  }
  return out;
}

expected<extraction_state_t> extraction_state(const review_project& project) {
  extraction_state_t out;
  auto form = extraction_form(project);
  if (!form) return unexpected(form.error());
  out.form = std::move(*form);
  auto included = detail::included_reports(project);
  if (!included) return unexpected(included.error());
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : *included) {
    index[r.record] = out.studies.size();
    extracted_study s;
    s.record = r.record;
    s.title = r.title;
    s.label = r.default_label;
    out.studies.push_back(std::move(s));
  }
  auto st = project.state().db.prepare(
      "SELECT record, field, extractor, role, value FROM extraction ORDER BY id");
  if (!st) return unexpected(st.error());
  for (auto row = st->step(); row && *row; row = st->step()) {
    auto it = index.find(st->integer(0));
    if (it == index.end()) continue;  // a report no longer included keeps its rows, unused
    auto& fv = out.studies[it->second].fields[st->text(1)];
    if (st->text(3) == "consensus") {
      fv.consensus = st->text(4);
    } else {
      fv.by_extractor[st->text(2)] = st->text(4);
    }
  }
  for (auto& s : out.studies) {
    if (auto v = s.value("study"); !v.empty()) s.label = v;
  }
  return out;
}

expected<std::vector<extraction_entry>> read_extraction_sheet(const csv_table& csv,
                                                              const std::vector<form_field>& form) {
  int id_col = csv.find_column("record_id");
  if (id_col < 0) {
    return fail(errc::project_bad_sheet, "an extraction sheet needs a record_id column",
                {csv.source, csv.header_line, 0});
  }
  std::vector<std::pair<int, std::string>> fields;
  for (std::size_t j = 0; j < csv.header.size(); ++j) {
    const auto& h = csv.header[j];
    if (static_cast<int>(j) == id_col || h == "study_label" || h == "title") continue;
    auto it = std::find_if(form.begin(), form.end(), [&](const auto& f) { return f.name == h; });
    if (it == form.end()) {
      return fail(errc::project_bad_form,
                  fmt::format("column '{}' is not a field of the extraction form (add it with "
                              "`srma review form --add {}`)",
                              h, h),
                  {csv.source, csv.header_line, static_cast<int>(j) + 1});
    }
    fields.emplace_back(static_cast<int>(j), h);
  }
  std::vector<extraction_entry> out;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    auto number = detail::sheet_record_number(csv, i, id_col);
    if (!number) return unexpected(number.error());
    const std::int64_t id = *number;
    for (const auto& [col, name] : fields) {
      std::string v = row.fields[static_cast<std::size_t>(col)];
      const auto b = v.find_first_not_of(" \t");
      if (b == std::string::npos) continue;
      v = v.substr(b, v.find_last_not_of(" \t") - b + 1);
      out.push_back({id, name, v, row.line});
    }
  }
  return out;
}

expected<std::size_t> record_extraction(review_project& project,
                                        const std::vector<extraction_entry>& entries,
                                        const std::string& who, bool consensus,
                                        const std::string& source) {
  if (who.find_first_not_of(" \t") == std::string::npos) {
    return fail(errc::project_bad_option, "the extractor's name is empty");
  }
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto state = extraction_state(project);
  if (!state) return unexpected(state.error());
  std::map<std::int64_t, const extracted_study*> by_record;
  for (const auto& s : state->studies) by_record[s.record] = &s;
  auto ins = db.prepare(
      "INSERT INTO extraction (record, field, extractor, role, value, source, line, at) "
      "VALUES (?,?,?,?,?,?,?,?)");
  if (!ins) return unexpected(ins.error());
  const auto at = detail::now_utc();
  std::size_t stored = 0;
  for (const auto& e : entries) {
    auto it = by_record.find(e.record);
    if (it == by_record.end()) {
      return fail(errc::project_not_eligible,
                  fmt::format("record {} is not a study included at full text", e.record),
                  {source, e.line, 0});
    }
    const auto f = it->second->fields.find(e.field);
    if (f != it->second->fields.end()) {
      if (consensus && f->second.consensus == e.value) continue;
      if (!consensus) {
        auto w = f->second.by_extractor.find(who);
        if (w != f->second.by_extractor.end() && w->second == e.value) continue;
      }
    }
    SRMA_PROJECT_TRY(ins->bind(1, e.record)
                         .bind(2, e.field)
                         .bind(3, who)
                         .bind(4, consensus ? "consensus" : "extractor")
                         .bind(5, e.value)
                         .bind(6, source)
                         .bind(7, e.line)
                         .bind(8, at)
                         .run());
    ++stored;
  }
  auto log = db.prepare("INSERT INTO command_log (at, command, summary) VALUES (?, ?, ?)");
  if (!log) return unexpected(log.error());
  log->bind(1, at)
      .bind(2, "extract")
      .bind(3, fmt::format("{} values by {}{} from {}", stored, who,
                           consensus ? " (consensus)" : "", source));
  SRMA_PROJECT_TRY(log->run());
  SRMA_PROJECT_TRY(tx->commit());
  return stored;
}

csv_table extraction_sheet(const extraction_state_t& state, const std::string& who) {
  csv_table t;
  t.header = {"record_id", "study_label", "title"};
  for (const auto& f : state.form) t.header.push_back(f.name);
  for (const auto& s : state.studies) {
    csv_row row;
    row.fields = {std::to_string(s.record), s.label, s.title};
    for (const auto& f : state.form) {
      std::string v;
      if (auto it = s.fields.find(f.name); it != s.fields.end()) {
        if (auto w = it->second.by_extractor.find(who); w != it->second.by_extractor.end()) {
          v = w->second;
        }
      }
      row.fields.push_back(v);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace srma::project
