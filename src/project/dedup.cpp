// De-duplication runs and pair verdicts in a review project.
#include "srma/project/dedup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "project_state.hpp"
#include "srma/project/records.hpp"

namespace srma::project {
namespace {

match_reason parse_reason(std::string_view text) {
  for (int i = 0; i <= static_cast<int>(match_reason::chained); ++i) {
    const auto r = static_cast<match_reason>(i);
    if (to_string(r) == text) return r;
  }
  return match_reason::weak_evidence;
}

// Union-find over project ids; the root of a set is its lowest id (the record kept).
struct id_sets {
  std::unordered_map<std::int64_t, std::int64_t> parent;
  std::int64_t find(std::int64_t x) {
    auto it = parent.find(x);
    if (it == parent.end()) return x;
    std::int64_t root = it->second;
    if (root != x) {
      root = find(root);
      parent[x] = root;
    }
    return root;
  }
  void join(std::int64_t a, std::int64_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent[a] = a;
    parent[b] = a;
  }
};

struct run_row {
  std::int64_t id = 0;
  std::string at;
  std::int64_t records = 0;
  std::int64_t last_record = 0;
  dedup_stats stats;
};

expected<std::optional<run_row>> last_run(const detail::database& db) {
  auto st = db.prepare(
      "SELECT id, at, records, last_record, candidate_pairs, duplicate_pairs, uncertain_pairs "
      "FROM dedup_run ORDER BY id DESC LIMIT 1");
  if (!st) return unexpected(st.error());
  auto row = st->step();
  if (!row) return unexpected(row.error());
  if (!*row) return std::optional<run_row>{};
  run_row r;
  r.id = st->integer(0);
  r.at = st->text(1);
  r.records = st->integer(2);
  r.last_record = st->integer(3);
  r.stats.records = static_cast<std::size_t>(r.records);
  r.stats.candidate_pairs = static_cast<std::size_t>(st->integer(4));
  r.stats.duplicate_pairs = static_cast<std::size_t>(st->integer(5));
  r.stats.uncertain_pairs = static_cast<std::size_t>(st->integer(6));
  return std::optional<run_row>(r);
}

expected<project_dedup> assemble(const detail::database& db) {
  project_dedup out;
  {
    auto st = db.prepare("SELECT COUNT(*) FROM record");
    if (!st) return unexpected(st.error());
    SRMA_PROJECT_TRY(st->step());
    out.records = st->integer(0);
  }
  auto run = last_run(db);
  if (!run) return unexpected(run.error());
  // The latest verdict per unordered pair.
  std::map<std::pair<std::int64_t, std::int64_t>, pair_verdict> verdicts;
  {
    auto st = db.prepare("SELECT a, b, verdict FROM pair_decision ORDER BY id");
    if (!st) return unexpected(st.error());
    for (auto row = st->step(); row && *row; row = st->step()) {
      auto a = st->integer(0);
      auto b = st->integer(1);
      if (b < a) std::swap(a, b);
      verdicts[{a, b}] = parse_pair_verdict(st->text(2)).value_or(pair_verdict::duplicate);
      ++out.verdicts;
    }
  }
  id_sets sets;
  std::set<std::int64_t> detached;
  std::vector<std::pair<std::int64_t, std::int64_t>> members;  // (record, kept) of the run
  std::unordered_map<std::int64_t, std::int64_t> run_kept;
  if (*run) {
    const auto& r = **run;
    out.run = r.id;
    out.at = r.at;
    out.run_records = r.records;
    out.stats = r.stats;
    auto st = db.prepare("SELECT record, kept FROM dedup_member WHERE run = ? ORDER BY record");
    if (!st) return unexpected(st.error());
    st->bind(1, r.id);
    for (auto row = st->step(); row && *row; row = st->step()) {
      members.emplace_back(st->integer(0), st->integer(1));
      run_kept[st->integer(0)] = st->integer(1);
    }
    for (const auto& [pair, v] : verdicts) {
      if (v != pair_verdict::distinct) continue;
      auto ka = run_kept.find(pair.first);
      auto kb = run_kept.find(pair.second);
      if (ka != run_kept.end() && kb != run_kept.end() && ka->second == kb->second) {
        detached.insert(pair.second);
      }
    }
    auto un =
        db.prepare("SELECT a, b, score, reason FROM dedup_uncertain WHERE run = ? ORDER BY a, b");
    if (!un) return unexpected(un.error());
    un->bind(1, r.id);
    for (auto row = un->step(); row && *row; row = un->step()) {
      project_uncertain_pair p;
      p.a = un->integer(0);
      p.b = un->integer(1);
      p.score = un->real(2);
      p.reason = parse_reason(un->text(3));
      if (auto it = verdicts.find({p.a, p.b}); it != verdicts.end()) p.verdict = it->second;
      out.uncertain.push_back(p);
    }
  }
  out.covers_all = out.run != 0 && out.run_records == out.records;
  for (const auto& [rec, kept] : members) {
    if (rec != kept && detached.count(rec) == 0) sets.join(rec, kept);
  }
  for (const auto& [pair, v] : verdicts) {
    if (v == pair_verdict::duplicate) sets.join(pair.first, pair.second);
  }
  std::map<std::int64_t, std::vector<std::int64_t>> by_root;
  for (const auto& [id, parent] : sets.parent) by_root[sets.find(id)].push_back(id);
  std::unordered_map<std::int64_t, std::string> source_of;
  {
    auto st =
        db.prepare("SELECT r.id, b.source FROM record r JOIN import_batch b ON b.id = r.batch");
    if (!st) return unexpected(st.error());
    for (auto row = st->step(); row && *row; row = st->step())
      source_of[st->integer(0)] = st->text(1);
  }
  std::map<std::pair<std::string, std::string>, std::size_t> by_source;
  for (auto& [root, ids] : by_root) {
    if (ids.size() < 2) continue;
    std::sort(ids.begin(), ids.end());
    // The record kept: the lowest id that a run kept (the run's choice: never an erratum in its
    // article's place, srma::notice_policy), else the lowest id; it goes first.
    auto keep = std::find_if(ids.begin(), ids.end(), [&](std::int64_t id) {
      auto it = run_kept.find(id);
      return it != run_kept.end() && it->second == id;
    });
    if (keep != ids.end()) std::rotate(ids.begin(), keep, keep + 1);
    for (const auto id : ids) out.kept_of[id] = ids.front();
    for (std::size_t i = 1; i < ids.size(); ++i) {
      ++by_source[{source_of[ids.front()], source_of[ids[i]]}];
    }
    out.removed += static_cast<std::int64_t>(ids.size()) - 1;
    out.groups.push_back(ids);
  }
  for (const auto& [key, n] : by_source) {
    out.removed_by_source.push_back({key.first, key.second, n});
  }
  return out;
}

}  // namespace

std::string_view to_string(pair_verdict v) {
  return v == pair_verdict::duplicate ? "duplicate" : "distinct";
}

std::optional<pair_verdict> parse_pair_verdict(std::string_view text) {
  if (text == "duplicate") return pair_verdict::duplicate;
  if (text == "distinct") return pair_verdict::distinct;
  return std::nullopt;
}

std::int64_t project_dedup::kept(std::int64_t id) const {
  auto it = kept_of.find(id);
  return it == kept_of.end() ? id : it->second;
}

std::vector<project_uncertain_pair> project_dedup::pending() const {
  std::vector<project_uncertain_pair> out;
  for (const auto& p : uncertain) {
    if (!p.verdict && kept(p.a) != kept(p.b)) out.push_back(p);
  }
  return out;
}

expected<project_dedup> run_dedup(review_project& project, const dedup_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::dedup_bad_options, msg);
  }
  auto records = load_records(project);
  if (!records) return unexpected(records.error());
  std::vector<bib_record> recs;
  std::vector<std::string> sources;
  recs.reserve(records->size());
  for (const auto& r : *records) {
    recs.push_back(r.record);
    sources.push_back(r.source);
  }
  auto result = deduplicate(recs, sources, options);
  if (!result) return unexpected(result.error());
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  const std::string at = detail::now_utc();
  const std::int64_t last = records->empty() ? 0 : records->back().id;
  {
    auto st = db.prepare(
        "INSERT INTO dedup_run (at, records, last_record, candidate_pairs, duplicate_pairs, "
        "uncertain_pairs, options) VALUES (?,?,?,?,?,?,?)");
    if (!st) return unexpected(st.error());
    st->bind(1, at)
        .bind(2, static_cast<std::int64_t>(records->size()))
        .bind(3, last)
        .bind(4, result->stats.candidate_pairs)
        .bind(5, result->stats.duplicate_pairs)
        .bind(6, result->stats.uncertain_pairs)
        .bind(7, fmt::format(
                     "max_block={} window={} notices={}", options.max_block, options.window,
                     options.notices == notice_policy::with_article ? "with-article" : "separate"));
    SRMA_PROJECT_TRY(st->run());
  }
  const std::int64_t run = db.last_insert_id();
  {
    auto st = db.prepare("INSERT INTO dedup_member (run, record, kept) VALUES (?,?,?)");
    if (!st) return unexpected(st.error());
    for (const auto& g : result->groups) {
      // The group's first member: the earliest imported, except that an erratum grouped with
      // its article (notice_policy::with_article) is never kept in the article's place.
      const std::int64_t kept = (*records)[g.front()].id;
      for (const auto i : g)
        SRMA_PROJECT_TRY(st->bind(1, run).bind(2, (*records)[i].id).bind(3, kept).run());
    }
  }
  {
    auto st = db.prepare(
        "INSERT OR IGNORE INTO dedup_uncertain (run, a, b, score, reason) VALUES (?,?,?,?,?)");
    if (!st) return unexpected(st.error());
    for (const auto& p : result->uncertain) {
      auto a = (*records)[p.a].id;
      auto b = (*records)[p.b].id;
      if (b < a) std::swap(a, b);
      SRMA_PROJECT_TRY(st->bind(1, run)
                           .bind(2, a)
                           .bind(3, b)
                           .bind(4, p.score)
                           .bind(5, to_string(p.reason))
                           .run());
    }
  }
  {
    auto st = db.prepare("INSERT INTO command_log (at, command, summary) VALUES (?, ?, ?)");
    if (!st) return unexpected(st.error());
    st->bind(1, at)
        .bind(2, "dedup")
        .bind(3, fmt::format("run {}: {} records, {} groups, {} removed, {} uncertain pairs", run,
                             records->size(), result->stats.groups, result->stats.removed,
                             result->uncertain.size()));
    SRMA_PROJECT_TRY(st->run());
  }
  auto state = assemble(db);
  if (!state) return unexpected(state.error());
  SRMA_PROJECT_TRY(tx->commit());
  return state;
}

expected<project_dedup> current_dedup(const review_project& project) {
  return assemble(project.state().db);
}

expected<project_dedup> record_pair_verdicts(review_project& project,
                                             const std::vector<pair_verdict_input>& verdicts,
                                             const std::string& reviewer) {
  if (reviewer.find_first_not_of(" \t") == std::string::npos) {
    return fail(errc::project_bad_option, "the reviewer's name is empty");
  }
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto exists = db.prepare("SELECT 1 FROM record WHERE id = ?");
  if (!exists) return unexpected(exists.error());
  auto ins =
      db.prepare("INSERT INTO pair_decision (a, b, verdict, reviewer, at) VALUES (?,?,?,?,?)");
  if (!ins) return unexpected(ins.error());
  const std::string at = detail::now_utc();
  for (const auto& v : verdicts) {
    if (v.a == v.b) {
      return fail(errc::project_bad_option,
                  fmt::format("a verdict pairs record {} with itself", v.a));
    }
    for (const auto id : {v.a, v.b}) {
      exists->bind(1, id);
      auto row = exists->step();
      if (!row) return unexpected(row.error());
      exists->reset();
      if (!*row) {
        return fail(errc::project_unknown_record,
                    fmt::format("record {} is not in the project", id));
      }
    }
    SRMA_PROJECT_TRY(ins->bind(1, std::min(v.a, v.b))
                         .bind(2, std::max(v.a, v.b))
                         .bind(3, to_string(v.verdict))
                         .bind(4, reviewer)
                         .bind(5, at)
                         .run());
  }
  auto state = assemble(db);
  if (!state) return unexpected(state.error());
  SRMA_PROJECT_TRY(tx->commit());
  return state;
}

}  // namespace srma::project
