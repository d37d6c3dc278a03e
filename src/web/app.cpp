// The web app of `srma serve`: sign-in, sessions, CSRF, pages and the JSON API over the project
// layer's own calls (no second implementation of screening, de-duplication or extraction).
#include "srma/web/app.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "assets.hpp"
#include "srma/project/dedup.hpp"
#include "srma/project/extraction.hpp"
#include "srma/project/prisma.hpp"
#include "srma/project/quality.hpp"
#include "srma/project/records.hpp"
#include "srma/project/reviewers.hpp"
#include "srma/project/screening.hpp"
#include "srma/review/nos_items.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/web/analysis.hpp"
#include "srma/web/tokens.hpp"

namespace srma::web {
namespace pj = srma::project;
using nlohmann::json;

namespace {

// Content-Security-Policy of every response: nothing from elsewhere, no inline script or style.
constexpr char csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

response json_response(const json& body, int status = 200) {
  response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

response error_response(int status, const std::string& id, const std::string& message) {
  return json_response({{"error", {{"id", id}, {"message", message}}}}, status);
}

response from_error(const error& e) {
  // Errors of the project layer are about the data asked for: 422 (a stale page, a record no
  // longer at the stage); the web's own ids carry their status.
  return error_response(422, e.id, e.message);
}

response redirect(const std::string& to) {
  response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers["Location"] = to;
  return r;
}

std::string cookie_value(const raw_request& req, std::string_view name) {
  auto it = req.headers.find("cookie");
  if (it == req.headers.end()) return {};
  std::string_view all = it->second;
  while (!all.empty()) {
    const auto semi = all.find(';');
    std::string_view part = all.substr(0, semi);
    all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
  }
  return {};
}

std::string header_value(const raw_request& req, const std::string& name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? std::string() : it->second;
}

// Constant-time comparison of two secrets.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

std::string cookie_for(const std::string& session_id) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", session_cookie, session_id);
}

json item_json(const pj::screening_item& i) {
  return {{"record", i.record},   {"label", i.label}, {"title", i.title},
          {"authors", i.authors}, {"year", i.year},   {"journal", i.journal},
          {"doi", i.doi},         {"pmid", i.pmid},   {"abstract", i.abstract}};
}

json record_json(const pj::stored_record& r) {
  const auto& b = r.record;
  std::string authors;
  for (const auto& a : b.authors) authors += (authors.empty() ? "" : "; ") + a;
  return {{"record", r.id},       {"label", r.label()}, {"source", r.source},
          {"title", b.title},     {"authors", authors}, {"year", b.year},
          {"journal", b.journal}, {"volume", b.volume}, {"pages", b.pages},
          {"doi", b.doi},         {"pmid", b.pmid},     {"abstract", b.abstract}};
}

json summary_json(const pj::stage_status& s) {
  json reasons = json::array();
  for (const auto& [name, n] : s.reasons) reasons.push_back({{"reason", name}, {"count", n}});
  return {{"stage", pj::to_string(s.s)},  {"records", s.records},   {"unscreened", s.unscreened},
          {"pending", s.pending},         {"include", s.include},   {"exclude", s.exclude},
          {"unavailable", s.unavailable}, {"conflict", s.conflict}, {"reasons", reasons}};
}

json keywords_json(const pj::screening_keywords& k) {
  return {{"include", k.include}, {"exclude", k.exclude}};
}

std::optional<json> parse_body(const raw_request& req) {
  auto j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string string_field(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> int_field(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

const std::map<std::string, std::string>& pages() {
  static const std::map<std::string, std::string> all = {{"/screen", "screen.html"},
                                                         {"/conflicts", "conflicts.html"},
                                                         {"/dedup", "dedup.html"},
                                                         {"/extract", "extract.html"},
                                                         {"/analysis", "analysis.html"}};
  return all;
}

}  // namespace

struct web_app::impl {
  pj::review_project& project;
  app_options options;
  std::mutex mutex;  // one call on the project at a time (one SQLite connection)

  // Group commit of votes. Each vote request queues its call; whoever then holds `mutex` stores
  // every queued call in one transaction (record_votes_together: one savepoint per call, one
  // commit, one disk sync) and hands each request its own result. Votes that arrive while a
  // commit is on disk go together in the next one, so 20 reviewers pressing keys at once cost
  // about one sync per batch instead of one each; a vote is answered only after its commit.
  struct queued_vote {
    pj::vote_call call;
    std::optional<expected<pj::vote_summary>> result;
  };
  std::mutex queue_mutex;
  std::vector<queued_vote*> vote_queue;
  expected<pj::vote_summary> store_vote(pj::vote_call call);

  struct session {
    std::string name;
    pj::role r = pj::role::reviewer;
    std::string csrf;
    std::string hash;
  };

  impl(pj::review_project& p, app_options o) : project(p), options(o) {}

  response handle(const raw_request& req);
  response route(const raw_request& req);
  response serve_asset(const std::string& name) const;
  response sign_in_with_token(const std::string& token);
  response open_session(const std::string& name, pj::sign_in_method how, const std::string& go_to);
  std::optional<session> current_session(const raw_request& req);
  response api(const raw_request& req, const session& s);

  response get_status(const session& s);
  response get_queue(const raw_request& req, const session& s);
  response post_vote(const json& body, const session& s, pj::role as);
  response get_conflicts(const raw_request& req, const session& s);
  response post_keyword(const json& body, const session& s);
  response get_dedup();
  response post_dedup(const json& body, const session& s);
  response get_extraction(const session& s);
  response post_extraction(const json& body, const session& s);
  response get_quality(const session& s);
  response post_quality(const json& body, const session& s);
  response get_prisma();
};

web_app::web_app(pj::review_project& project, app_options options)
    : impl_(std::make_unique<impl>(project, options)) {}
web_app::~web_app() = default;

response web_app::handle(const raw_request& req) {
  response r;
  try {
    r = impl_->handle(req);
  } catch (const std::exception& e) {
    r = error_response(500, "internal", fmt::format("internal error: {}", e.what()));
  }
  r.headers["Content-Security-Policy"] = csp;
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.headers["X-Frame-Options"] = "DENY";
  r.headers["Referrer-Policy"] = "no-referrer";
  r.headers["Cache-Control"] = "no-store";
  return r;
}

response web_app::impl::handle(const raw_request& req) {
  if (req.body.size() > options.max_body) {
    return error_response(413, errc::web_too_large,
                          fmt::format("the request body has {} bytes, but at most {} are accepted",
                                      req.body.size(), options.max_body));
  }
  if (req.method != "GET" && req.method != "POST" && req.method != "PUT" && req.method != "HEAD") {
    return error_response(405, errc::web_bad_request,
                          fmt::format("method {} is not used by this app", req.method));
  }
  return route(req);
}

response web_app::impl::serve_asset(const std::string& name) const {
  const auto* a = detail::find_asset(name);
  if (a == nullptr) {
    return error_response(404, errc::web_not_found, fmt::format("no asset '{}'", name));
  }
  response r;
  r.content_type = std::string(detail::content_type_of(name));
  r.body = std::string(a->bytes);
  return r;
}

response web_app::impl::open_session(const std::string& name, pj::sign_in_method how,
                                     const std::string& go_to) {
  const auto id = random_token();
  const auto csrf = random_token();
  std::scoped_lock lock(mutex);
  if (auto ok = pj::store_session(project, sha256_hex(id), name, csrf, how); !ok) {
    return from_error(ok.error());
  }
  response r = go_to.empty() ? json_response({{"ok", true}, {"name", name}}) : redirect(go_to);
  r.headers["Set-Cookie"] = cookie_for(id);
  return r;
}

response web_app::impl::sign_in_with_token(const std::string& token) {
  std::optional<pj::reviewer_account> who;
  {
    std::scoped_lock lock(mutex);
    auto used = pj::use_sign_in_token(project, sha256_hex(token));
    if (!used) return from_error(used.error());
    who = *used;
  }
  if (!who) {
    response r = serve_asset("signin.html");
    r.status = 403;
    r.headers["X-Srma-Error"] = errc::web_bad_token;
    return r;
  }
  return open_session(who->name, pj::sign_in_method::token, "/screen");
}

std::optional<web_app::impl::session> web_app::impl::current_session(const raw_request& req) {
  const auto id = cookie_value(req, session_cookie);
  if (id.empty()) return std::nullopt;
  const auto hash = sha256_hex(id);
  std::scoped_lock lock(mutex);
  auto found = pj::find_session(project, hash);
  if (!found || !*found) return std::nullopt;
  const auto& rec = **found;
  // A session opened by name at the machine is valid only while names may be chosen.
  if (rec.how == pj::sign_in_method::local && !options.local_sign_in) return std::nullopt;
  return session{rec.who.name, rec.who.r, rec.csrf_token, hash};
}

// The host a request was addressed to, without the port ("127.0.0.1", "localhost", "::1").
static std::string host_name(const raw_request& req) {
  std::string host = header_value(req, "host");
  if (!host.empty() && host.front() == '[') return host.substr(1, host.find(']') - 1);
  return host.substr(0, host.find(':'));
}

response web_app::impl::route(const raw_request& req) {
  const std::string& path = req.path;
  // On the local binding a page of another site must not reach the app through a name that
  // resolves to 127.0.0.1 (DNS rebinding): there, choosing a name signs anyone in.
  if (options.local_sign_in && req.headers.count("host") != 0) {
    const auto host = host_name(req);
    if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
      return error_response(403, errc::web_forbidden,
                            fmt::format("this server answers only to 127.0.0.1 and localhost, "
                                        "not to '{}'",
                                        host));
    }
  }
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (get && path.rfind("/assets/", 0) == 0) return serve_asset(path.substr(8));
  if (get && path == "/favicon.ico") return serve_asset("favicon.svg");

  // Sign-in: the token link, the page, and (at the machine only) choosing a name.
  if (get && path == "/signin") {
    auto t = req.query.find("token");
    if (t != req.query.end()) return sign_in_with_token(t->second);
    return serve_asset("signin.html");
  }
  if (get && path == "/api/signin") {
    json names = json::array();
    if (options.local_sign_in) {
      std::scoped_lock lock(mutex);
      auto all = pj::list_reviewers(project);
      if (!all) return from_error(all.error());
      for (const auto& a : *all) names.push_back({{"name", a.name}, {"role", pj::to_string(a.r)}});
    }
    return json_response({{"local", options.local_sign_in}, {"reviewers", names}});
  }
  if (req.method == "POST" && path == "/api/signin") {
    if (!options.local_sign_in) {
      return error_response(403, errc::web_forbidden,
                            "this server is not bound to 127.0.0.1 only: sign in with the link "
                            "`srma review reviewer add NAME` printed");
    }
    // A page of another site cannot sign the visitor in: the browser names the origin.
    const auto site = header_value(req, "sec-fetch-site");
    if (!site.empty() && site != "same-origin" && site != "none") {
      return error_response(403, errc::web_forbidden, "sign-in from another site");
    }
    auto body = parse_body(req);
    if (!body) return error_response(400, errc::web_bad_request, "the body is not a JSON object");
    const auto name = string_field(*body, "name");
    {
      std::scoped_lock lock(mutex);
      auto who = pj::find_reviewer(project, name);
      if (!who) return from_error(who.error());
      if (!*who) {
        return error_response(403, errc::web_forbidden,
                              fmt::format("'{}' is not a reviewer of this project", name));
      }
    }
    return open_session(name, pj::sign_in_method::local, "");
  }

  auto s = current_session(req);
  if (path == "/") return redirect(s ? "/screen" : "/signin");
  if (get) {
    if (auto page = pages().find(path); page != pages().end()) {
      if (!s) return redirect("/signin");
      return serve_asset(page->second);
    }
  }
  if (path.rfind("/api/", 0) != 0) {
    return error_response(404, errc::web_not_found, fmt::format("no page at {}", path));
  }
  if (!s) {
    return error_response(401, errc::web_not_signed_in,
                          "sign in first (the link from `srma review reviewer add NAME`)");
  }
  if (!get && !same_secret(header_value(req, csrf_header), s->csrf)) {
    return error_response(403, errc::web_csrf,
                          "a change without this session's CSRF token (X-CSRF-Token header)");
  }
  return api(req, *s);
}

response web_app::impl::api(const raw_request& req, const session& s) {
  const std::string& path = req.path;
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (path.rfind("/api/analysis/", 0) == 0) {
    request inner{req.method, path, req.body, req.query, s.name};
    std::scoped_lock lock(mutex);
    return handle_analysis(project, inner);
  }
  if (get && path == "/api/me") {
    return json_response({{"name", s.name},
                          {"role", pj::to_string(s.r)},
                          {"csrf", s.csrf},
                          {"title", project.settings().title}});
  }
  if (get && path == "/api/status") return get_status(s);
  if (get && path == "/api/queue") return get_queue(req, s);
  if (get && path == "/api/conflicts") return get_conflicts(req, s);
  if (get && path == "/api/dedup") return get_dedup();
  if (get && path == "/api/extraction") return get_extraction(s);
  if (get && path == "/api/quality") return get_quality(s);
  if (get && path == "/api/prisma") return get_prisma();
  if (get) return error_response(404, errc::web_not_found, fmt::format("no API at {}", path));

  if (path == "/api/signout") {
    std::scoped_lock lock(mutex);
    if (auto ok = pj::end_session(project, s.hash); !ok) return from_error(ok.error());
    response r = json_response({{"ok", true}});
    r.headers["Set-Cookie"] =
        fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", session_cookie);
    return r;
  }
  auto body = parse_body(req);
  if (!body) return error_response(400, errc::web_bad_request, "the body is not a JSON object");
  if (path == "/api/vote") return post_vote(*body, s, pj::role::reviewer);
  if (path == "/api/adjudicate") {
    if (s.r != pj::role::adjudicator) {
      return error_response(403, errc::web_forbidden, "only an adjudicator settles conflicts");
    }
    return post_vote(*body, s, pj::role::adjudicator);
  }
  if (path == "/api/keywords") return post_keyword(*body, s);
  if (path == "/api/dedup") return post_dedup(*body, s);
  if (path == "/api/extraction") return post_extraction(*body, s);
  if (path == "/api/quality") return post_quality(*body, s);
  return error_response(404, errc::web_not_found, fmt::format("no API at {}", path));
}

response web_app::impl::get_status(const session& s) {
  std::scoped_lock lock(mutex);
  json stages = json::array();
  for (auto st : {pj::stage::title, pj::stage::fulltext}) {
    auto out = pj::stage_outcomes(project, st);
    if (!out) return from_error(out.error());
    stages.push_back(summary_json(pj::summarise(st, *out)));
  }
  auto kw = pj::list_keywords(project);
  if (!kw) return from_error(kw.error());
  return json_response({{"title", project.settings().title},
                        {"screeners", project.settings().screeners},
                        {"reasons", project.settings().reasons},
                        {"keywords", keywords_json(*kw)},
                        {"stages", stages},
                        {"you", s.name}});
}

response web_app::impl::get_queue(const raw_request& req, const session& s) {
  auto st_it = req.query.find("stage");
  auto st = pj::parse_stage(st_it == req.query.end() ? "title" : st_it->second);
  if (!st) return error_response(400, errc::web_bad_request, "stage must be title or fulltext");
  std::size_t limit = 50;
  if (auto l = req.query.find("limit"); l != req.query.end()) {
    try {
      limit = std::clamp<std::size_t>(std::stoul(l->second), 1, 1000);
    } catch (const std::exception&) {
      return error_response(400, errc::web_bad_request, "limit must be a whole number");
    }
  }
  std::scoped_lock lock(mutex);
  // Only the reviewer's own queue: records without their standing vote, never others' votes.
  auto q = pj::screening_queue(project, *st, s.name);
  if (!q) return from_error(q.error());
  json items = json::array();
  for (std::size_t i = 0; i < q->size() && i < limit; ++i) items.push_back(item_json((*q)[i]));
  return json_response({{"stage", pj::to_string(*st)}, {"remaining", q->size()}, {"items", items}});
}

expected<pj::vote_summary> web_app::impl::store_vote(pj::vote_call call) {
  queued_vote mine{std::move(call), std::nullopt};
  {
    std::scoped_lock q(queue_mutex);
    vote_queue.push_back(&mine);
  }
  std::scoped_lock lock(mutex);
  // A request that held `mutex` before us may have stored this vote with its batch already.
  std::vector<queued_vote*> batch;
  {
    std::scoped_lock q(queue_mutex);
    if (mine.result) return std::move(*mine.result);
    batch.swap(vote_queue);
  }
  std::vector<pj::vote_call> calls;
  calls.reserve(batch.size());
  for (auto* v : batch) calls.push_back(std::move(v->call));
  auto results = pj::record_votes_together(project, calls);
  {
    std::scoped_lock q(queue_mutex);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
  }
  return std::move(*mine.result);
}

response web_app::impl::post_vote(const json& body, const session& s, pj::role as) {
  auto st = pj::parse_stage(string_field(body, "stage"));
  auto v = pj::parse_vote(string_field(body, "vote"));
  auto record = int_field(body, "record");
  if (!st || !v || !record) {
    return error_response(400, errc::web_bad_request,
                          "a vote needs stage (title, fulltext), record (a number) and vote "
                          "(include, exclude, maybe, unavailable, undo)");
  }
  pj::vote_input in;
  in.record = *record;
  in.v = *v;
  in.reason = string_field(body, "reason");
  in.note = string_field(body, "note");
  auto done = store_vote({*st, {in}, s.name, as, "srma serve"});
  if (!done) return from_error(done.error());
  return json_response({{"ok", true},
                        {"recorded", done->recorded},
                        {"unchanged", done->unchanged},
                        {"record", *record},
                        {"vote", pj::to_string(*v)}});
}

response web_app::impl::get_conflicts(const raw_request& req, const session& s) {
  if (s.r != pj::role::adjudicator) {
    // Blinding: reviewers never see each other's votes; only the adjudicator does.
    return error_response(403, errc::web_forbidden,
                          "conflicts show every reviewer's votes: for the adjudicator only");
  }
  auto st_it = req.query.find("stage");
  auto st = pj::parse_stage(st_it == req.query.end() ? "title" : st_it->second);
  if (!st) return error_response(400, errc::web_bad_request, "stage must be title or fulltext");
  std::scoped_lock lock(mutex);
  auto out = pj::stage_outcomes(project, *st);
  if (!out) return from_error(out.error());
  std::vector<std::int64_t> ids;
  std::vector<const pj::record_outcome*> open;
  for (const auto& o : *out) {
    if (o.result == pj::outcome::conflict || o.adjudication) {
      ids.push_back(o.record);
      open.push_back(&o);
    }
  }
  auto recs = pj::load_records(project, ids);
  if (!recs) return from_error(recs.error());
  json conflicts = json::array();
  for (std::size_t i = 0; i < open.size(); ++i) {
    json votes = json::array();
    for (const auto& v : open[i]->votes) {
      votes.push_back(
          {{"reviewer", v.reviewer}, {"vote", pj::to_string(v.v)}, {"reason", v.reason}});
    }
    json entry = record_json((*recs)[i]);
    entry["votes"] = votes;
    entry["outcome"] = pj::to_string(open[i]->result);
    if (open[i]->adjudication) {
      entry["adjudication"] = {{"reviewer", open[i]->adjudication->reviewer},
                               {"vote", pj::to_string(open[i]->adjudication->v)},
                               {"reason", open[i]->adjudication->reason}};
    }
    conflicts.push_back(entry);
  }
  auto agree = pj::screening_agreement(project, *st);
  if (!agree) return from_error(agree.error());
  json pairs = json::array();
  for (const auto& p : *agree) {
    json j = {{"first", p.first}, {"second", p.second}};
    if (p.stats) {
      j["n"] = p.stats->n;
      j["observed"] = p.stats->observed;
      j["kappa"] = p.stats->kappa ? json(*p.stats->kappa) : json(nullptr);
      j["kappa_lower"] = p.stats->kappa_lower ? json(*p.stats->kappa_lower) : json(nullptr);
      j["kappa_upper"] = p.stats->kappa_upper ? json(*p.stats->kappa_upper) : json(nullptr);
      j["strength"] = std::string(p.stats->strength);
    }
    pairs.push_back(j);
  }
  return json_response({{"stage", pj::to_string(*st)},
                        {"conflicts", conflicts},
                        {"agreement", pairs},
                        {"reasons", project.settings().reasons}});
}

response web_app::impl::post_keyword(const json& body, const session& s) {
  const auto list = string_field(body, "list");
  const auto action = string_field(body, "action");
  if ((list != "include" && list != "exclude") || (action != "add" && action != "remove")) {
    return error_response(400, errc::web_bad_request,
                          "a keyword change needs list (include, exclude), action (add, remove) "
                          "and word");
  }
  std::scoped_lock lock(mutex);
  auto kw = pj::change_keyword(project, string_field(body, "word"), list == "include",
                               action == "add", s.name);
  if (!kw) return from_error(kw.error());
  return json_response({{"ok", true}, {"keywords", keywords_json(*kw)}});
}

response web_app::impl::get_dedup() {
  std::scoped_lock lock(mutex);
  auto d = pj::current_dedup(project);
  if (!d) return from_error(d.error());
  const auto pending = d->pending();
  std::vector<std::int64_t> ids;
  for (const auto& p : pending) {
    ids.push_back(p.a);
    ids.push_back(p.b);
  }
  auto recs = pj::load_records(project, ids);
  if (!recs) return from_error(recs.error());
  json pairs = json::array();
  for (std::size_t i = 0; i < pending.size(); ++i) {
    pairs.push_back({{"a", record_json((*recs)[2 * i])},
                     {"b", record_json((*recs)[2 * i + 1])},
                     {"score", pending[i].score},
                     {"reason", std::string(to_string(pending[i].reason))}});
  }
  return json_response({{"run", d->run},
                        {"covers_all", d->covers_all},
                        {"removed", d->removed},
                        {"uncertain", d->uncertain.size()},
                        {"pairs", pairs}});
}

response web_app::impl::post_dedup(const json& body, const session& s) {
  auto a = int_field(body, "a");
  auto b = int_field(body, "b");
  auto v = pj::parse_pair_verdict(string_field(body, "verdict"));
  if (!a || !b || !v) {
    return error_response(400, errc::web_bad_request,
                          "a verdict needs a, b (record numbers) and verdict (duplicate, "
                          "distinct)");
  }
  std::scoped_lock lock(mutex);
  // The same call as `srma review dedup --review`: one verdict, one transaction.
  auto after = pj::record_pair_verdicts(project, {{*a, *b, *v}}, s.name);
  if (!after) return from_error(after.error());
  return json_response({{"ok", true}, {"removed", after->removed}});
}

response web_app::impl::get_extraction(const session& s) {
  std::scoped_lock lock(mutex);
  auto state = pj::extraction_state(project);
  if (!state) return from_error(state.error());
  const bool adjudicator = s.r == pj::role::adjudicator;
  json form = json::array();
  for (const auto& f : state->form) form.push_back({{"name", f.name}, {"label", f.label}});
  json studies = json::array();
  for (const auto& st : state->studies) {
    json mine = json::object();
    json final_values = json::object();
    json discrepant = json::array();
    json filled_by = json::object();
    for (const auto& [name, v] : st.fields) {
      if (auto it = v.by_extractor.find(s.name); it != v.by_extractor.end())
        mine[name] = it->second;
      if (auto f = v.final_value()) final_values[name] = *f;
      if (v.discrepant()) discrepant.push_back(name);
      filled_by[name] = v.by_extractor.size();
    }
    studies.push_back({{"record", st.record},
                       {"label", st.label},
                       {"title", st.title},
                       {"mine", mine},
                       {"final", final_values},
                       {"filled_by", filled_by},
                       {"discrepant", discrepant}});
  }
  json disc = json::array();
  for (const auto& d : state->discrepancies()) {
    json j = {{"record", d.record}, {"study", d.study}, {"field", d.field}};
    // The values themselves only for the adjudicator: extractors stay blind to each other.
    if (adjudicator) j["values"] = d.values;
    disc.push_back(j);
  }
  return json_response({{"form", form}, {"studies", studies}, {"discrepancies", disc}});
}

response web_app::impl::post_extraction(const json& body, const session& s) {
  auto record = int_field(body, "record");
  auto values = body.find("values");
  if (!record || values == body.end() || !values->is_object()) {
    return error_response(400, errc::web_bad_request,
                          "extraction needs record (a number) and values (field: text)");
  }
  const bool consensus = body.value("consensus", false);
  if (consensus && s.r != pj::role::adjudicator) {
    return error_response(403, errc::web_forbidden, "only an adjudicator records consensus values");
  }
  std::vector<pj::extraction_entry> entries;
  for (const auto& [field, v] : values->items()) {
    if (!v.is_string()) {
      return error_response(400, errc::web_bad_request,
                            fmt::format("the value of '{}' is not text", field));
    }
    if (v.get<std::string>().empty()) continue;
    entries.push_back({*record, field, v.get<std::string>(), 0});
  }
  std::scoped_lock lock(mutex);
  auto form = pj::extraction_form(project);
  if (!form) return from_error(form.error());
  for (const auto& e : entries) {
    if (std::none_of(form->begin(), form->end(),
                     [&](const auto& f) { return f.name == e.field; })) {
      return error_response(400, errc::web_bad_request,
                            fmt::format("'{}' is not a field of the extraction form", e.field));
    }
  }
  auto n = pj::record_extraction(project, entries, s.name, consensus, "srma serve");
  if (!n) return from_error(n.error());
  return json_response({{"ok", true}, {"stored", *n}});
}

response web_app::impl::get_quality(const session& s) {
  std::scoped_lock lock(mutex);
  auto q = pj::quality_state(project);
  if (!q) return from_error(q.error());
  const bool adjudicator = s.r == pj::role::adjudicator;
  json items = json::array();
  for (const auto item : review::all_nos_items()) {
    items.push_back({{"id", std::string(review::to_string(item))},
                     {"name", std::string(review::nos_item_name(item))},
                     {"stars", review::nos_item_max_stars(item)}});
  }
  // The reviewer's own answers, as the library's sheet for them gives them.
  const auto sheet = pj::quality_sheet(*q, s.name);
  json studies = json::array();
  for (std::size_t i = 0; i < q->records.size(); ++i) {
    json mine = json::object();
    if (i < sheet.rows.size()) {
      for (std::size_t c = 2; c < sheet.header.size() && c < sheet.rows[i].fields.size(); ++c) {
        if (!sheet.rows[i].fields[c].empty()) mine[sheet.header[c]] = sheet.rows[i].fields[c];
      }
    }
    json final_answers = json::object();
    json total = nullptr;
    if (i < q->final_table.studies.size()) {
      const auto& f = q->final_table.studies[i];
      for (const auto item : review::all_nos_items()) {
        if (f.answers.answered(item)) {
          final_answers[std::string(review::to_string(item))] = f.answers.of(item);
        }
      }
    }
    studies.push_back({{"record", q->records[i]},
                       {"label", q->labels[i]},
                       {"mine", mine},
                       {"final", final_answers}});
  }
  json disc = json::array();
  for (const auto& d : q->discrepancies) {
    json j = {
        {"record", d.record}, {"study", d.study}, {"item", std::string(review::to_string(d.item))}};
    if (adjudicator) j["answers"] = d.answers;
    disc.push_back(j);
  }
  return json_response({{"items", items}, {"studies", studies}, {"discrepancies", disc}});
}

response web_app::impl::post_quality(const json& body, const session& s) {
  auto record = int_field(body, "record");
  auto answers = body.find("answers");
  if (!record || answers == body.end() || !answers->is_object()) {
    return error_response(400, errc::web_bad_request,
                          "NOS answers need record (a number) and answers (item: letter)");
  }
  const bool consensus = body.value("consensus", false);
  if (consensus && s.r != pj::role::adjudicator) {
    return error_response(403, errc::web_forbidden, "only an adjudicator records consensus");
  }
  // The same sheet `srma review nos import` reads, with one row: the library parses the answers.
  csv_table sheet;
  sheet.source = "web";
  sheet.header = {"record_id"};
  csv_row row;
  row.line = 2;
  row.fields.push_back(std::to_string(*record));
  for (const auto item : review::all_nos_items()) {
    const std::string id(review::to_string(item));
    sheet.header.push_back(id);
    auto it = answers->find(id);
    row.fields.push_back(it != answers->end() && it->is_string() ? it->get<std::string>() : "");
  }
  sheet.rows.push_back(row);
  std::scoped_lock lock(mutex);
  auto n = pj::record_quality(project, sheet, s.name, consensus);
  if (!n) return from_error(n.error());
  return json_response({{"ok", true}, {"stored", *n}});
}

response web_app::impl::get_prisma() {
  std::scoped_lock lock(mutex);
  auto flow = pj::derive_prisma(project);
  if (!flow) return from_error(flow.error());
  json counts = json::object();
  for (const auto box : review::all_prisma_boxes()) {
    if (review::is_prisma_list(box)) continue;
    if (auto v = flow->counts.count(box)) counts[std::string(review::prisma_box_id(box))] = *v;
  }
  return json_response({{"counts", counts}, {"open", flow->open}});
}

}  // namespace srma::web
