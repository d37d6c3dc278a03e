// The review team of `srma serve`: accounts, hashed sign-in tokens and sessions, keywords.
#include "srma/project/reviewers.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "project_state.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::project {
namespace {

bool usable_name(const std::string& name) {
  if (name.empty() || name.size() > 200) return false;
  if (name.find_first_not_of(" \t") == std::string::npos) return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

role role_of(const std::string& text) {
  return text == "adjudicator" ? role::adjudicator : role::reviewer;
}

reviewer_account account_of(const detail::statement& st, int first) {
  reviewer_account a;
  a.id = st.integer(first);
  a.name = st.text(first + 1);
  a.r = role_of(st.text(first + 2));
  a.added_at = st.text(first + 3);
  return a;
}

expected<std::int64_t> reviewer_id(const detail::database& db, const std::string& name) {
  auto st = db.prepare("SELECT id FROM reviewer WHERE name = ?");
  if (!st) return unexpected(st.error());
  st->bind(1, name);
  auto row = st->step();
  if (!row) return unexpected(row.error());
  if (!*row) {
    return fail(
        errc::project_bad_option,
        fmt::format("'{}' is not a reviewer of this project (srma review reviewer add)", name));
  }
  return st->integer(0);
}

}  // namespace

expected<reviewer_account> add_reviewer(review_project& project, const std::string& name, role r) {
  if (!usable_name(name)) {
    return fail(errc::project_bad_option,
                "a reviewer's name must be 1 to 200 characters without control characters");
  }
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto ins = db.prepare(
      "INSERT INTO reviewer (name, role, added_at) VALUES (?, ?, ?) ON CONFLICT (name) DO "
      "NOTHING");
  if (!ins) return unexpected(ins.error());
  SRMA_PROJECT_TRY(ins->bind(1, name).bind(2, to_string(r)).bind(3, detail::now_utc()).run());
  SRMA_PROJECT_TRY(tx->commit());
  auto found = find_reviewer(project, name);
  if (!found) return unexpected(found.error());
  return **found;
}

expected<std::vector<reviewer_account>> list_reviewers(const review_project& project) {
  auto st = project.state().db.prepare("SELECT id, name, role, added_at FROM reviewer ORDER BY id");
  if (!st) return unexpected(st.error());
  std::vector<reviewer_account> out;
  for (;;) {
    auto row = st->step();
    if (!row) return unexpected(row.error());
    if (!*row) break;
    out.push_back(account_of(*st, 0));
  }
  return out;
}

expected<std::optional<reviewer_account>> find_reviewer(const review_project& project,
                                                        const std::string& name) {
  auto st =
      project.state().db.prepare("SELECT id, name, role, added_at FROM reviewer WHERE name = ?");
  if (!st) return unexpected(st.error());
  st->bind(1, name);
  auto row = st->step();
  if (!row) return unexpected(row.error());
  if (!*row) return std::optional<reviewer_account>();
  return std::optional<reviewer_account>(account_of(*st, 0));
}

expected<void> store_sign_in_token(review_project& project, const std::string& name,
                                   const std::string& token_hash) {
  if (token_hash.empty()) return fail(errc::project_bad_option, "an empty sign-in token hash");
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto id = reviewer_id(db, name);
  if (!id) return unexpected(id.error());
  auto ins =
      db.prepare("INSERT INTO sign_in_token (reviewer, token_hash, issued_at) VALUES (?, ?, ?)");
  if (!ins) return unexpected(ins.error());
  SRMA_PROJECT_TRY(ins->bind(1, *id).bind(2, token_hash).bind(3, detail::now_utc()).run());
  return tx->commit();
}

expected<std::optional<reviewer_account>> use_sign_in_token(review_project& project,
                                                            const std::string& token_hash) {
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto st = db.prepare(
      "SELECT t.id, r.id, r.name, r.role, r.added_at FROM sign_in_token t "
      "JOIN reviewer r ON r.id = t.reviewer "
      "WHERE t.token_hash = ? AND NOT EXISTS (SELECT 1 FROM sign_in_token_use u "
      "WHERE u.token = t.id)");
  if (!st) return unexpected(st.error());
  st->bind(1, token_hash);
  auto row = st->step();
  if (!row) return unexpected(row.error());
  if (!*row) return std::optional<reviewer_account>();
  const std::int64_t token = st->integer(0);
  auto who = account_of(*st, 1);
  st->reset();
  auto use = db.prepare("INSERT INTO sign_in_token_use (token, used_at) VALUES (?, ?)");
  if (!use) return unexpected(use.error());
  SRMA_PROJECT_TRY(use->bind(1, token).bind(2, detail::now_utc()).run());
  SRMA_PROJECT_TRY(tx->commit());
  return std::optional<reviewer_account>(std::move(who));
}

expected<void> store_session(review_project& project, const std::string& session_hash,
                             const std::string& name, const std::string& csrf_token,
                             sign_in_method how) {
  if (session_hash.empty() || csrf_token.empty()) {
    return fail(errc::project_bad_option, "an empty session hash or CSRF token");
  }
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto id = reviewer_id(db, name);
  if (!id) return unexpected(id.error());
  auto ins = db.prepare(
      "INSERT INTO web_session (session_hash, reviewer, csrf_token, how, opened_at) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!ins) return unexpected(ins.error());
  SRMA_PROJECT_TRY(ins->bind(1, session_hash)
                       .bind(2, *id)
                       .bind(3, csrf_token)
                       .bind(4, how == sign_in_method::token ? "token" : "local")
                       .bind(5, detail::now_utc())
                       .run());
  return tx->commit();
}

expected<std::optional<session_record>> find_session(const review_project& project,
                                                     const std::string& session_hash) {
  auto st = project.state().db.prepare(
      "SELECT s.id, s.csrf_token, s.how, r.id, r.name, r.role, r.added_at FROM web_session s "
      "JOIN reviewer r ON r.id = s.reviewer WHERE s.session_hash = ? AND NOT EXISTS "
      "(SELECT 1 FROM web_session_end e WHERE e.session = s.id)");
  if (!st) return unexpected(st.error());
  st->bind(1, session_hash);
  auto row = st->step();
  if (!row) return unexpected(row.error());
  if (!*row) return std::optional<session_record>();
  session_record s;
  s.id = st->integer(0);
  s.csrf_token = st->text(1);
  s.how = st->text(2) == "local" ? sign_in_method::local : sign_in_method::token;
  s.who = account_of(*st, 3);
  return std::optional<session_record>(std::move(s));
}

expected<void> end_session(review_project& project, const std::string& session_hash) {
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto ins = db.prepare(
      "INSERT OR IGNORE INTO web_session_end (session, ended_at) "
      "SELECT id, ? FROM web_session WHERE session_hash = ?");
  if (!ins) return unexpected(ins.error());
  SRMA_PROJECT_TRY(ins->bind(1, detail::now_utc()).bind(2, session_hash).run());
  return tx->commit();
}

expected<screening_keywords> list_keywords(const review_project& project) {
  // The latest action on each (list, word) counts; a word stands at the place it was first added.
  auto st = project.state().db.prepare(
      "SELECT k.list, k.word FROM keyword k WHERE k.action = 'add' AND k.id = "
      "(SELECT MAX(id) FROM keyword l WHERE l.list = k.list AND l.word = k.word) "
      "ORDER BY (SELECT MIN(id) FROM keyword f WHERE f.list = k.list AND f.word = k.word)");
  if (!st) return unexpected(st.error());
  screening_keywords out;
  for (;;) {
    auto row = st->step();
    if (!row) return unexpected(row.error());
    if (!*row) break;
    (st->text(0) == "include" ? out.include : out.exclude).push_back(st->text(1));
  }
  return out;
}

expected<screening_keywords> change_keyword(review_project& project, const std::string& word,
                                            bool include_list, bool add, const std::string& who) {
  if (!usable_name(word) || !usable_name(who)) {
    return fail(errc::project_bad_option,
                "a keyword and the name of who changes it must be 1 to 200 characters without "
                "control characters");
  }
  const auto& db = project.state().db;
  auto tx = detail::transaction::begin(db);
  if (!tx) return unexpected(tx.error());
  auto ins = db.prepare(
      "INSERT INTO keyword (word, list, action, by_reviewer, at) VALUES (?, ?, ?, ?, ?)");
  if (!ins) return unexpected(ins.error());
  SRMA_PROJECT_TRY(ins->bind(1, word)
                       .bind(2, include_list ? "include" : "exclude")
                       .bind(3, add ? "add" : "remove")
                       .bind(4, who)
                       .bind(5, detail::now_utc())
                       .run());
  SRMA_PROJECT_TRY(tx->commit());
  return list_keywords(project);
}

}  // namespace srma::project
