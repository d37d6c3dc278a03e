// Two-stage screening: queues, sheets, votes, outcomes and agreement.
#include "srma/project/screening.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "flow.hpp"
#include "project_state.hpp"
#include "srma/project/records.hpp"

namespace srma::project {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool is_blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

// A vote row as stored.
struct vote_row {
  std::int64_t record = 0;
  std::string who;
  role r = role::reviewer;
  vote v = vote::include;
  std::string reason;
};

// Standing votes: the latest vote per (record, person, role) read from `st` (rows ordered by id:
// record, reviewer, role, vote, reason); an undo removes the standing vote.
expected<std::map<std::int64_t, std::vector<vote_row>>> latest_votes(detail::statement& st) {
  std::map<std::tuple<std::int64_t, std::string, int>, vote_row> latest;
  auto row = st.step();
  for (; row && *row; row = st.step()) {
    vote_row v;
    v.record = st.integer(0);
    v.who = st.text(1);
    v.r = st.text(2) == "adjudicator" ? role::adjudicator : role::reviewer;
    v.v = parse_vote(st.text(3)).value_or(vote::undo);
    v.reason = st.text(4);
    latest[{v.record, v.who, static_cast<int>(v.r)}] = v;
  }
  if (!row) return unexpected(row.error());
  std::map<std::int64_t, std::vector<vote_row>> out;
  for (auto& [key, v] : latest) {
    if (v.v != vote::undo) out[v.record].push_back(std::move(v));
  }
  return out;
}

// Standing votes at a stage, every record.
expected<std::map<std::int64_t, std::vector<vote_row>>> standing_votes(const detail::database& db,
                                                                       stage s) {
  auto st = db.prepare(
      "SELECT record, reviewer, role, vote, reason FROM decision WHERE stage = ? ORDER BY id");
  if (!st) return unexpected(st.error());
  st->bind(1, to_string(s));
  return latest_votes(*st);
}

// Standing votes of one record at a stage (index decision_by_stage): what a vote on one record
// needs, without reading the stage's other decisions.
class record_votes_reader {
 public:
  static expected<record_votes_reader> prepare(const detail::database& db) {
    auto st = db.prepare(
        "SELECT record, reviewer, role, vote, reason FROM decision WHERE stage = ? AND "
        "record = ? ORDER BY id");
    if (!st) return unexpected(st.error());
    return record_votes_reader(std::move(*st));
  }
  expected<std::vector<vote_row>> of(stage s, std::int64_t record) {
    st_.bind(1, to_string(s)).bind(2, record);
    auto m = latest_votes(st_);
    st_.reset();
    if (!m) return unexpected(m.error());
    auto it = m->find(record);
    return it == m->end() ? std::vector<vote_row>{} : std::move(it->second);
  }

 private:
  explicit record_votes_reader(detail::statement st) : st_(std::move(st)) {}
  detail::statement st_;
};

bool counts_as_include(vote v) { return v == vote::include || v == vote::maybe; }

record_outcome decide(std::int64_t record, const std::vector<vote_row>* rows, stage s,
                      int screeners) {
  record_outcome o;
  o.record = record;
  if (rows == nullptr) {
    o.result = outcome::unscreened;
    return o;
  }
  for (const auto& v : *rows) {
    if (v.r == role::adjudicator) {
      o.adjudication = standing_vote{v.who, v.v, v.reason};
    } else {
      o.votes.push_back({v.who, v.v, v.reason});
    }
  }
  std::sort(o.votes.begin(), o.votes.end(),
            [](const auto& a, const auto& b) { return a.reviewer < b.reviewer; });
  auto result_of = [](vote v) {
    switch (v) {
      case vote::include:
      case vote::maybe:
        return outcome::include;
      case vote::exclude:
        return outcome::exclude;
      case vote::unavailable:
        return outcome::unavailable;
      case vote::undo:
        break;
    }
    return outcome::pending;
  };
  if (o.adjudication) {
    o.result = result_of(o.adjudication->v);
    if (o.result == outcome::exclude) o.reason = o.adjudication->reason;
    return o;
  }
  if (o.votes.empty()) {
    o.result = outcome::unscreened;
    return o;
  }
  if (static_cast<int>(o.votes.size()) < screeners) {
    o.result = outcome::pending;
    return o;
  }
  const auto& first = o.votes.front();
  bool agree = true;
  for (const auto& v : o.votes) {
    if (result_of(v.v) != result_of(first.v)) agree = false;
    if (s == stage::fulltext && v.v == vote::exclude && v.reason != first.reason) agree = false;
  }
  if (!agree) {
    o.result = outcome::conflict;
    return o;
  }
  o.result = result_of(first.v);
  if (o.result == outcome::exclude) o.reason = first.reason;
  return o;
}

// Records at a stage: the title stage screens the databases-and-registers column (flow.hpp); the
// full-text stage screens the records included there on title and abstract and every report
// sought via other methods (PRISMA 2020 takes those straight to retrieval).
expected<std::vector<std::int64_t>> stage_records(const review_project& project, stage s,
                                                  const detail::record_flow& flow) {
  if (s == stage::title) return flow.title;
  auto votes = standing_votes(project.state().db, stage::title);
  if (!votes) return unexpected(votes.error());
  std::vector<std::int64_t> out = flow.other;
  for (const auto id : flow.title) {
    auto it = votes->find(id);
    const auto o = decide(id, it == votes->end() ? nullptr : &it->second, stage::title,
                          project.settings().screeners);
    if (o.result == outcome::include) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Whether record `id` is screened at stage `s` (the same rule as stage_records, for one record).
expected<bool> is_at_stage(const review_project& project, stage s, const detail::record_flow& flow,
                           record_votes_reader& reader, std::int64_t id) {
  const bool titled = std::binary_search(flow.title.begin(), flow.title.end(), id);
  if (s == stage::title) return titled;
  if (std::binary_search(flow.other.begin(), flow.other.end(), id)) return true;
  if (!titled) return false;
  auto rows = reader.of(stage::title, id);
  if (!rows) return unexpected(rows.error());
  const auto o =
      decide(id, rows->empty() ? nullptr : &*rows, stage::title, project.settings().screeners);
  return o.result == outcome::include;
}

std::string_view method_words(source_kind k) {
  switch (k) {
    case source_kind::website:
      return "a website";
    case source_kind::organisation:
      return "an organisation";
    case source_kind::citation:
      return "citation searching";
    case source_kind::database:
    case source_kind::trial_register:
      break;
  }
  return "a database or register";
}

// Why `id` is not among the records at stage `s`.
std::string not_at_stage(const detail::record_flow& flow, stage s, std::int64_t id) {
  const auto rep = flow.stands_for(id);
  if (rep != id) {
    return fmt::format("record {} is not screened: it was removed as a duplicate of record {}{}",
                       id, rep,
                       flow.from_other_method(id) && !flow.from_other_method(rep)
                           ? ", which is screened with the databases and registers"
                           : "");
  }
  if (flow.from_other_method(id)) {
    return fmt::format(
        "record {} came from {} (other methods): PRISMA 2020 takes such records straight to "
        "retrieval, so it is screened at full text only, not on title and abstract",
        id, method_words(flow.kind.at(id)));
  }
  return s == stage::title ? fmt::format("record {} is not screened on title and abstract", id)
                           : fmt::format(
                                 "record {} is not at the full-text stage: it was not "
                                 "included on title and abstract",
                                 id);
}

}  // namespace

std::string_view to_string(stage s) { return s == stage::title ? "title" : "fulltext"; }

std::string_view to_string(vote v) {
  switch (v) {
    case vote::include:
      return "include";
    case vote::exclude:
      return "exclude";
    case vote::maybe:
      return "maybe";
    case vote::unavailable:
      return "unavailable";
    case vote::undo:
      return "undo";
  }
  return "?";
}

std::string_view to_string(role r) { return r == role::reviewer ? "reviewer" : "adjudicator"; }

std::string_view to_string(outcome o) {
  switch (o) {
    case outcome::unscreened:
      return "unscreened";
    case outcome::pending:
      return "pending";
    case outcome::include:
      return "include";
    case outcome::exclude:
      return "exclude";
    case outcome::unavailable:
      return "unavailable";
    case outcome::conflict:
      return "conflict";
  }
  return "?";
}

std::optional<stage> parse_stage(std::string_view text) {
  const auto t = lower(trim(text));
  if (t == "title" || t == "title-abstract" || t == "title/abstract" || t == "ta" ||
      t == "abstract") {
    return stage::title;
  }
  if (t == "fulltext" || t == "full-text" || t == "full text" || t == "ft") return stage::fulltext;
  return std::nullopt;
}

std::optional<vote> parse_vote(std::string_view text) {
  const auto t = lower(trim(text));
  if (t == "include" || t == "included" || t == "yes" || t == "y") return vote::include;
  if (t == "exclude" || t == "excluded" || t == "no" || t == "n") return vote::exclude;
  if (t == "maybe" || t == "?" || t == "unsure") return vote::maybe;
  if (t == "unavailable" || t == "not retrieved" || t == "not-retrieved") return vote::unavailable;
  if (t == "undo") return vote::undo;
  return std::nullopt;
}

expected<std::vector<screening_item>> screening_queue(const review_project& project, stage s,
                                                      const std::string& reviewer) {
  if (is_blank(reviewer)) return fail(errc::project_bad_option, "the reviewer's name is empty");
  auto flow = detail::record_flow_of(project, "before screening");
  if (!flow) return unexpected(flow.error());
  auto ids = stage_records(project, s, **flow);
  if (!ids) return unexpected(ids.error());
  auto votes = standing_votes(project.state().db, s);
  if (!votes) return unexpected(votes.error());
  std::vector<std::int64_t> undecided;
  for (const auto id : *ids) {
    bool voted = false;
    if (auto it = votes->find(id); it != votes->end()) {
      for (const auto& v : it->second) {
        if (v.who == reviewer && v.r == role::reviewer) voted = true;
      }
    }
    if (!voted) undecided.push_back(id);
  }
  auto records = load_records(project, undecided);
  if (!records) return unexpected(records.error());
  std::vector<screening_item> out;
  out.reserve(records->size());
  for (const auto& r : *records) {
    screening_item item;
    item.record = r.id;
    item.label = r.label();
    item.title = r.record.title;
    for (std::size_t i = 0; i < r.record.authors.size(); ++i) {
      if (i > 0) item.authors += "; ";
      item.authors += r.record.authors[i];
    }
    item.year = r.record.year;
    item.journal = r.record.journal;
    item.doi = r.record.doi;
    item.pmid = r.record.pmid;
    item.abstract = r.record.abstract;
    out.push_back(std::move(item));
  }
  return out;
}

expected<decision_sheet> read_decision_sheet(const csv_table& csv) {
  decision_sheet sheet;
  sheet.file = csv.source;
  int id_col = csv.find_column("record_id");
  if (id_col < 0) id_col = csv.find_column("id");
  const int decision_col = csv.find_column("decision");
  const int reason_col = csv.find_column("reason");
  const int note_col = csv.find_column("note");
  const int stage_col = csv.find_column("stage");
  if (id_col < 0 || decision_col < 0) {
    return fail(errc::project_bad_sheet,
                fmt::format("the sheet needs the columns record_id and decision; it has {}",
                            fmt::join(csv.header, ", ")),
                {csv.source, csv.header_line, 0});
  }
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    auto cell = [&](int c) -> std::string {
      return c >= 0 && static_cast<std::size_t>(c) < row.fields.size()
                 ? trim(row.fields[static_cast<std::size_t>(c)])
                 : std::string();
    };
    const std::string id_text = cell(id_col);
    const std::string decision_text = cell(decision_col);
    if (stage_col >= 0 && !cell(stage_col).empty()) {
      auto st = parse_stage(cell(stage_col));
      if (!st) {
        return fail(errc::project_bad_sheet,
                    fmt::format("stage is '{}', but must be title or fulltext", cell(stage_col)),
                    csv.where(i, static_cast<std::size_t>(stage_col)));
      }
      if (sheet.sheet_stage && *sheet.sheet_stage != *st) {
        return fail(errc::project_bad_sheet, "the sheet mixes the title and full-text stages",
                    csv.where(i, static_cast<std::size_t>(stage_col)));
      }
      sheet.sheet_stage = st;
    }
    if (id_text.empty() && decision_text.empty()) continue;
    auto number = detail::sheet_record_number(csv, i, id_col);
    if (!number) return unexpected(number.error());
    const std::int64_t id = *number;
    if (decision_text.empty()) {
      ++sheet.blank;
      continue;
    }
    auto v = parse_vote(decision_text);
    if (!v) {
      return fail(errc::project_bad_sheet,
                  fmt::format("decision is '{}', but must be include, exclude, maybe, "
                              "unavailable or undo",
                              decision_text),
                  csv.where(i, static_cast<std::size_t>(decision_col)));
    }
    sheet.votes.push_back({id, *v, cell(reason_col), cell(note_col), row.line});
  }
  return sheet;
}

expected<vote_summary> record_votes(review_project& project, stage s,
                                    const std::vector<vote_input>& votes, const std::string& who,
                                    role r, const std::string& source) {
  if (is_blank(who)) return fail(errc::project_bad_option, "the reviewer's name is empty");
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto flow_or = detail::record_flow_of(project, "before screening");
  if (!flow_or) return unexpected(flow_or.error());
  const detail::record_flow& flow = **flow_or;
  // Each vote reads its own record's standing votes (before any vote of this call is stored:
  // a record appears once per call), not the whole stage: one vote costs O(log n).
  auto reader = record_votes_reader::prepare(db);
  if (!reader) return unexpected(reader.error());
  const auto& reasons = project.settings().reasons;
  const int screeners = project.settings().screeners;
  auto exists = db.prepare("SELECT 1 FROM record WHERE id = ?");
  if (!exists) return unexpected(exists.error());
  auto ins = db.prepare(
      "INSERT INTO decision (record, stage, reviewer, role, vote, reason, note, source, line, at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?)");
  if (!ins) return unexpected(ins.error());
  vote_summary summary;
  summary.s = s;
  const std::string at = detail::now_utc();
  std::set<std::int64_t> seen;
  for (const auto& v : votes) {
    const error_location where{source, v.line, 0};
    exists->bind(1, v.record);
    auto row = exists->step();
    if (!row) return unexpected(row.error());
    exists->reset();
    if (!*row) {
      return fail(errc::project_unknown_record,
                  fmt::format("record {} is not in the project", v.record), where);
    }
    if (!seen.insert(v.record).second) {
      return fail(errc::project_bad_sheet,
                  fmt::format("record {} has two decisions on this sheet", v.record), where);
    }
    auto eligible = is_at_stage(project, s, flow, *reader, v.record);
    if (!eligible) return unexpected(eligible.error());
    if (!*eligible) {
      return fail(errc::project_not_eligible, not_at_stage(flow, s, v.record), where);
    }
    if (s == stage::fulltext && v.v == vote::maybe) {
      return fail(errc::project_bad_sheet,
                  fmt::format("record {}: maybe is a title-stage vote; at full text decide "
                              "include, exclude or unavailable",
                              v.record),
                  where);
    }
    if (s == stage::title && v.v == vote::unavailable) {
      return fail(errc::project_bad_sheet,
                  fmt::format("record {}: unavailable (report not retrieved) is a full-text vote",
                              v.record),
                  where);
    }
    std::string reason;
    if (s == stage::fulltext && v.v == vote::exclude) {
      auto it = std::find_if(reasons.begin(), reasons.end(), [&](const std::string& known) {
        return lower(known) == lower(v.reason);
      });
      if (v.reason.empty() || it == reasons.end()) {
        return fail(errc::project_bad_reason,
                    fmt::format("record {}: a full-text exclusion needs a reason from the "
                                "project's list ({}){}",
                                v.record, fmt::join(reasons, "; "),
                                v.reason.empty() ? "" : fmt::format(", not '{}'", v.reason)),
                    where);
      }
      reason = *it;
    }
    auto standing = reader->of(s, v.record);
    if (!standing) return unexpected(standing.error());
    const std::vector<vote_row>* rows = standing->empty() ? nullptr : &*standing;
    if (r == role::adjudicator) {
      const auto o = decide(v.record, rows, s, screeners);
      bool screened_it = false;
      if (rows != nullptr) {
        for (const auto& x : *rows) {
          if (x.who == who && x.r == role::reviewer) screened_it = true;
        }
      }
      if (screened_it) {
        return fail(errc::project_bad_option,
                    fmt::format("record {}: {} screened this record, so cannot adjudicate it",
                                v.record, who),
                    where);
      }
      if (o.result != outcome::conflict && !o.adjudication) {
        return fail(errc::project_not_eligible,
                    fmt::format("record {} is not in conflict at the {} stage (it is {})", v.record,
                                to_string(s), to_string(o.result)),
                    where);
      }
    }
    // A vote equal to the standing one is not stored again.
    bool same = false;
    if (rows != nullptr) {
      for (const auto& x : *rows) {
        if (x.who == who && x.r == r && x.v == v.v && x.reason == reason) same = true;
      }
    }
    if (same) {
      ++summary.unchanged;
      continue;
    }
    SRMA_PROJECT_TRY(ins->bind(1, v.record)
                         .bind(2, to_string(s))
                         .bind(3, who)
                         .bind(4, to_string(r))
                         .bind(5, to_string(v.v))
                         .bind(6, reason)
                         .bind(7, v.note)
                         .bind(8, source)
                         .bind(9, v.line)
                         .bind(10, at)
                         .run());
    ++summary.recorded;
    switch (v.v) {
      case vote::include:
        ++summary.include;
        break;
      case vote::exclude:
        ++summary.exclude;
        break;
      case vote::maybe:
        ++summary.maybe;
        break;
      case vote::unavailable:
        ++summary.unavailable;
        break;
      case vote::undo:
        ++summary.undo;
        break;
    }
  }
  auto log = db.prepare("INSERT INTO command_log (at, command, summary) VALUES (?, ?, ?)");
  if (!log) return unexpected(log.error());
  log->bind(1, at)
      .bind(2, r == role::reviewer ? "screen" : "adjudicate")
      .bind(3, fmt::format("{} stage, {} ({}): {} votes from {}", to_string(s), who, to_string(r),
                           summary.recorded, source));
  SRMA_PROJECT_TRY(log->run());
  SRMA_PROJECT_TRY(tx->commit());
  return summary;
}

std::vector<expected<vote_summary>> record_votes_together(review_project& project,
                                                          const std::vector<vote_call>& calls) {
  std::vector<expected<vote_summary>> out;
  out.reserve(calls.size());
  auto tx = detail::transaction::begin(project.state().db);
  if (!tx) {
    for (std::size_t i = 0; i < calls.size(); ++i) out.emplace_back(unexpected(tx.error()));
    return out;
  }
  // record_votes opens its own transaction: inside this one it nests as a savepoint.
  for (const auto& c : calls)
    out.push_back(record_votes(project, c.s, c.votes, c.who, c.r, c.source));
  if (auto ok = tx->commit(); !ok) {
    for (auto& r : out) r = unexpected(ok.error());
  }
  return out;
}

expected<std::vector<record_outcome>> stage_outcomes(const review_project& project, stage s) {
  auto flow = detail::record_flow_of(project, "before screening");
  if (!flow) return unexpected(flow.error());
  auto ids = stage_records(project, s, **flow);
  if (!ids) return unexpected(ids.error());
  auto votes = standing_votes(project.state().db, s);
  if (!votes) return unexpected(votes.error());
  std::vector<record_outcome> out;
  out.reserve(ids->size());
  for (const auto id : *ids) {
    auto it = votes->find(id);
    out.push_back(
        decide(id, it == votes->end() ? nullptr : &it->second, s, project.settings().screeners));
  }
  return out;
}

stage_status summarise(stage s, const std::vector<record_outcome>& outcomes) {
  stage_status st;
  st.s = s;
  st.records = outcomes.size();
  std::map<std::string, std::size_t> reasons;
  for (const auto& o : outcomes) {
    switch (o.result) {
      case outcome::unscreened:
        ++st.unscreened;
        break;
      case outcome::pending:
        ++st.pending;
        break;
      case outcome::include:
        ++st.include;
        break;
      case outcome::exclude:
        ++st.exclude;
        if (s == stage::fulltext) ++reasons[o.reason];
        break;
      case outcome::unavailable:
        ++st.unavailable;
        break;
      case outcome::conflict:
        ++st.conflict;
        break;
    }
  }
  st.reasons.assign(reasons.begin(), reasons.end());
  return st;
}

expected<std::vector<pair_agreement>> screening_agreement(const review_project& project, stage s,
                                                          double level) {
  auto outcomes = stage_outcomes(project, s);
  if (!outcomes) return unexpected(outcomes.error());
  // Reviewers' include/exclude per record.
  std::map<std::string, std::unordered_map<std::int64_t, bool>> calls;
  for (const auto& o : *outcomes) {
    for (const auto& v : o.votes) {
      if (v.v == vote::unavailable) continue;
      calls[v.reviewer][o.record] = counts_as_include(v.v);
    }
  }
  std::vector<pair_agreement> out;
  for (auto i = calls.begin(); i != calls.end(); ++i) {
    for (auto j = std::next(i); j != calls.end(); ++j) {
      review::agreement_table t;
      for (const auto& [record, first] : i->second) {
        auto k = j->second.find(record);
        if (k == j->second.end()) continue;
        const bool second = k->second;
        if (first && second) ++t.a;
        if (first && !second) ++t.b;
        if (!first && second) ++t.c;
        if (!first && !second) ++t.d;
      }
      pair_agreement p{i->first, j->first, std::nullopt};
      if (t.a + t.b + t.c + t.d > 0) {
        auto stats = review::compute_agreement(t, level);
        if (!stats) return unexpected(stats.error());
        p.stats = *stats;
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace srma::project
