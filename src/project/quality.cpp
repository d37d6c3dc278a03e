// Newcastle–Ottawa answers per reviewer, consensus and the final table.
#include "srma/project/quality.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "included.hpp"
#include "project_state.hpp"
#include "srma/project/extraction.hpp"

namespace srma::project {
namespace {

struct item_values {
  std::map<std::string, std::string> by_reviewer;
  std::optional<std::string> consensus;
  [[nodiscard]] std::optional<std::string> final_value() const {
    if (consensus) return consensus;
    if (by_reviewer.empty()) return std::nullopt;
    const auto& first = by_reviewer.begin()->second;
    for (const auto& [who, v] : by_reviewer) {
      if (v != first) return std::nullopt;
    }
    return first;
  }
};

}  // namespace

expected<quality_state_t> quality_state(const review_project& project,
                                        const review::nos_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::nos_bad_thresholds, msg);
  }
  quality_state_t out;
  out.options = options;
  auto extraction = extraction_state(project);  // for the study labels
  if (!extraction) return unexpected(extraction.error());
  std::map<std::int64_t, std::size_t> index;
  for (const auto& s : extraction->studies) {
    index[s.record] = out.records.size();
    out.records.push_back(s.record);
    out.labels.push_back(s.label);
  }
  std::vector<std::array<item_values, 8>> items(out.records.size());
  std::set<std::string> reviewers;
  auto st = project.state().db.prepare(
      "SELECT record, item, reviewer, role, answer FROM quality_answer ORDER BY id");
  if (!st) return unexpected(st.error());
  for (auto row = st->step(); row && *row; row = st->step()) {
    auto it = index.find(st->integer(0));
    if (it == index.end()) continue;
    auto& v = items[it->second][static_cast<std::size_t>(st->integer(1) - 1)];
    if (st->text(3) == "consensus") {
      v.consensus = st->text(4);
    } else {
      v.by_reviewer[st->text(2)] = st->text(4);
      reviewers.insert(st->text(2));
    }
  }
  out.final_table.source = project.database_path().string();
  out.final_table.options = options;
  for (const auto& who : reviewers) {
    auto& t = out.by_reviewer[who];
    t.source = who;
    t.options = options;
  }
  for (std::size_t i = 0; i < out.records.size(); ++i) {
    review::nos_answers final_answers;
    std::map<std::string, review::nos_answers> per;
    for (const auto item : review::all_nos_items()) {
      const auto k = review::nos_item_index(item);
      const auto& v = items[i][k];
      final_answers.answer[k] = v.final_value().value_or("");
      for (const auto& [who, a] : v.by_reviewer) per[who].answer[k] = a;
      if (!v.consensus && !v.final_value() && v.by_reviewer.size() > 1) {
        out.discrepancies.push_back({out.records[i], out.labels[i], item, v.by_reviewer});
      }
    }
    out.final_table.studies.push_back(
        review::make_nos_item_study(out.labels[i], final_answers, options));
    for (const auto& [who, a] : per) {
      out.by_reviewer[who].studies.push_back(
          review::make_nos_item_study(out.labels[i], a, options));
    }
  }
  return out;
}

csv_table quality_sheet(const quality_state_t& state, const std::string& who) {
  csv_table t;
  t.header = {"record_id", "study"};
  for (const auto item : review::all_nos_items()) t.header.emplace_back(review::to_string(item));
  const review::nos_item_table* mine = nullptr;
  if (auto it = state.by_reviewer.find(who); it != state.by_reviewer.end()) mine = &it->second;
  for (std::size_t i = 0; i < state.records.size(); ++i) {
    csv_row row;
    row.fields = {std::to_string(state.records[i]), state.labels[i]};
    const review::nos_item_study* s = nullptr;
    if (mine != nullptr) {
      for (const auto& x : mine->studies) {
        if (x.study == state.labels[i]) s = &x;
      }
    }
    for (const auto item : review::all_nos_items()) {
      row.fields.push_back(s != nullptr ? s->answers.of(item) : std::string());
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

expected<std::size_t> record_quality(review_project& project, const csv_table& csv,
                                     const std::string& who, bool consensus) {
  if (who.find_first_not_of(" \t") == std::string::npos) {
    return fail(errc::project_bad_option, "the reviewer's name is empty");
  }
  const int id_col = csv.find_column("record_id");
  if (id_col < 0) {
    return fail(errc::project_bad_sheet, "a quality sheet needs a record_id column",
                {csv.source, csv.header_line, 0});
  }
  std::array<int, 8> cols{};
  for (const auto item : review::all_nos_items()) {
    const int c = csv.find_column(review::to_string(item));
    if (c < 0) {
      return fail(errc::project_bad_sheet,
                  fmt::format("a quality sheet needs the columns s1, s2, s3, s4, c, o1, o2, o3; "
                              "'{}' is missing",
                              review::to_string(item)),
                  {csv.source, csv.header_line, 0});
    }
    cols[review::nos_item_index(item)] = c;
  }
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto state = quality_state(project);
  if (!state) return unexpected(state.error());
  auto ins = db.prepare(
      "INSERT INTO quality_answer (record, item, reviewer, role, answer, source, line, at) "
      "VALUES (?,?,?,?,?,?,?,?)");
  if (!ins) return unexpected(ins.error());
  // Standing answers, to skip repeats.
  std::map<std::pair<std::int64_t, std::size_t>, std::string> standing;
  {
    auto st = db.prepare(
        "SELECT record, item, answer FROM quality_answer WHERE reviewer = ? AND role = ? ORDER BY "
        "id");
    if (!st) return unexpected(st.error());
    st->bind(1, who).bind(2, consensus ? "consensus" : "reviewer");
    for (auto row = st->step(); row && *row; row = st->step()) {
      standing[{st->integer(0), static_cast<std::size_t>(st->integer(1))}] = st->text(2);
    }
  }
  const auto at = detail::now_utc();
  std::size_t stored = 0;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    auto number = detail::sheet_record_number(csv, i, id_col);
    if (!number) return unexpected(number.error());
    const std::int64_t id = *number;
    if (std::find(state->records.begin(), state->records.end(), id) == state->records.end()) {
      return fail(errc::project_not_eligible,
                  fmt::format("record {} is not a study included at full text", id),
                  csv.where(i, static_cast<std::size_t>(id_col)));
    }
    for (const auto item : review::all_nos_items()) {
      const auto k = review::nos_item_index(item);
      const auto col = static_cast<std::size_t>(cols[k]);
      auto answer = review::parse_nos_answer(item, row.fields[col]);
      if (!answer) {
        auto e = answer.error();
        e.where = csv.where(i, col);
        return unexpected(std::move(e));
      }
      if (answer->empty()) continue;
      auto it = standing.find({id, k + 1});
      if (it != standing.end() && it->second == *answer) continue;
      SRMA_PROJECT_TRY(ins->bind(1, id)
                           .bind(2, static_cast<std::int64_t>(k + 1))
                           .bind(3, who)
                           .bind(4, consensus ? "consensus" : "reviewer")
                           .bind(5, *answer)
                           .bind(6, csv.source)
                           .bind(7, row.line)
                           .bind(8, at)
                           .run());
      ++stored;
    }
  }
  auto log = db.prepare("INSERT INTO command_log (at, command, summary) VALUES (?, ?, ?)");
  if (!log) return unexpected(log.error());
  log->bind(1, at)
      .bind(2, "quality")
      .bind(3, fmt::format("{} NOS answers by {}{} from {}", stored, who,
                           consensus ? " (consensus)" : "", csv.source));
  SRMA_PROJECT_TRY(log->run());
  SRMA_PROJECT_TRY(tx->commit());
  return stored;
}

}  // namespace srma::project
