// srma serve's request handling without a socket (srma/web/app.hpp): sign-in by token and by
// name, sessions, CSRF, blinding, the size limit, security headers, and that a decision the app
// confirms is committed to the project's database.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "srma/project/dedup.hpp"
#include "srma/project/project.hpp"
#include "srma/project/records.hpp"
#include "srma/project/reviewers.hpp"
#include "srma/project/screening.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/web/app.hpp"
#include "srma/web/tokens.hpp"

namespace {

namespace fs = std::filesystem;
namespace pj = srma::project;
namespace web = srma::web;
using nlohmann::json;

struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() /
           ("srma_web_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
  }
  ~temp_dir() { fs::remove_all(path); }
};

// Three unrelated articles; the second is titled with a script tag (shown as text by the page).
constexpr char three_records[] =
    "TY  - JOUR\nTI  - Everolimus in pancreatic neuroendocrine tumours\nAU  - Quarles, Ann\n"
    "PY  - 2011\nJO  - Oncology Letters\nAB  - A trial of everolimus.\nER  - \n"
    "TY  - JOUR\nTI  - <script>alert(1)</script>\nAU  - Vantongeren, Bert\nPY  - 2015\n"
    "JO  - Journal of Odd Titles\nAB  - Nothing here.\nER  - \n"
    "TY  - JOUR\nTI  - Hip fracture surgery timing in older adults\nAU  - Wojcik, Celia\n"
    "PY  - 2019\nJO  - Bone Reports\nAB  - Surgery within 48 hours.\nER  - \n";

struct fixture {
  temp_dir dir;
  pj::review_project project;

  static pj::review_project make(const temp_dir& d) {
    auto p = pj::review_project::init(d.path, {.title = "Web test"});
    EXPECT_TRUE(p) << (p ? "" : p.error().what());
    std::ofstream(d.path / "three.ris") << three_records;
    auto b = pj::import_records(*p, (d.path / "three.ris").string(), {.source = "Embase"});
    EXPECT_TRUE(b) << (b ? "" : b.error().what());
    EXPECT_TRUE(pj::run_dedup(*p));
    EXPECT_TRUE(pj::add_reviewer(*p, "Ana", pj::role::reviewer));
    EXPECT_TRUE(pj::add_reviewer(*p, "Ben", pj::role::reviewer));
    EXPECT_TRUE(pj::add_reviewer(*p, "Cleo", pj::role::adjudicator));
    return std::move(*p);
  }
  fixture() : project(make(dir)) {}
};

web::raw_request get(const std::string& path, const std::string& cookie = {}) {
  web::raw_request r{.method = "GET", .path = path};
  if (!cookie.empty()) r.headers["cookie"] = cookie;
  return r;
}

web::raw_request post(const std::string& path, const json& body, const std::string& cookie = {},
                      const std::string& csrf = {}) {
  web::raw_request r{.method = "POST", .path = path, .body = body.dump()};
  if (!cookie.empty()) r.headers["cookie"] = cookie;
  if (!csrf.empty()) r.headers[web::csrf_header] = csrf;
  return r;
}

std::string error_id(const web::response& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return {};
  return j["error"]["id"].get<std::string>();
}

// "srma_session=ID; Path=/; ..." -> "srma_session=ID"
std::string cookie_of(const web::response& r) {
  auto it = r.headers.find("Set-Cookie");
  if (it == r.headers.end()) return {};
  return it->second.substr(0, it->second.find(';'));
}

struct signed_in {
  std::string cookie, csrf;
};

signed_in sign_in_by_name(web::web_app& app, const std::string& name) {
  auto r = app.handle(post("/api/signin", {{"name", name}}));
  EXPECT_EQ(r.status, 200) << r.body;
  signed_in s{cookie_of(r), {}};
  auto me = app.handle(get("/api/me", s.cookie));
  EXPECT_EQ(me.status, 200) << me.body;
  s.csrf = json::parse(me.body)["csrf"].get<std::string>();
  return s;
}

TEST(web_tokens_test, sha256_matches_the_fips_test_vector) {
  // FIPS 180-2, appendix B.1: SHA-256("abc").
  EXPECT_EQ(web::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(web_tokens_test, random_tokens_are_long_url_safe_and_differ) {
  const auto a = web::random_token();
  const auto b = web::random_token();
  EXPECT_EQ(a.size(), 43U);  // 32 bytes = 256 bits in base64url without padding: ceil(256 / 6)
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(web::sign_in_link("127.0.0.1", 8080, "abc"), "http://127.0.0.1:8080/signin?token=abc");
}

TEST(web_app_test, without_a_session_pages_redirect_and_the_api_refuses) {
  fixture f;
  web::web_app app(f.project, {});
  auto page = app.handle(get("/screen"));
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.headers["Location"], "/signin");
  auto me = app.handle(get("/api/me"));
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(error_id(me), srma::errc::web_not_signed_in);
  auto forged = app.handle(get("/api/me", "srma_session=not-a-session"));
  EXPECT_EQ(forged.status, 401);
  auto vote =
      app.handle(post("/api/vote", {{"stage", "title"}, {"record", 1}, {"vote", "include"}}));
  EXPECT_EQ(vote.status, 401);
}

TEST(web_app_test, a_sign_in_token_works_once_and_gives_a_strict_cookie) {
  fixture f;
  const auto token = web::random_token();
  ASSERT_TRUE(pj::store_sign_in_token(f.project, "Ana", web::sha256_hex(token)));
  web::web_app app(f.project, {.local_sign_in = false});
  web::raw_request with_token = get("/signin");
  with_token.query["token"] = token;
  auto r = app.handle(with_token);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers["Location"], "/screen");
  const auto set_cookie = r.headers["Set-Cookie"];
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  const auto cookie = cookie_of(r);
  auto me = app.handle(get("/api/me", cookie));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["name"], "Ana");
  // Used once: the same link again lets nobody in.
  auto again = app.handle(with_token);
  EXPECT_EQ(again.status, 403);
  EXPECT_EQ(again.headers["X-Srma-Error"], srma::errc::web_bad_token);
  EXPECT_TRUE(cookie_of(again).empty());
  // Only the hash is stored: the token itself appears nowhere in the database file.
  std::ifstream db(f.project.database_path(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(token), std::string::npos);
}

TEST(web_app_test, choosing_a_name_only_on_the_local_binding) {
  fixture f;
  {
    web::web_app remote(f.project, {.local_sign_in = false});
    auto r = remote.handle(post("/api/signin", {{"name", "Ana"}}));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_id(r), srma::errc::web_forbidden);
    EXPECT_TRUE(cookie_of(r).empty());
    auto names = json::parse(remote.handle(get("/api/signin")).body);
    EXPECT_FALSE(names["local"].get<bool>());
    EXPECT_TRUE(names["reviewers"].empty());
  }
  web::web_app local(f.project, {.local_sign_in = true});
  auto names = json::parse(local.handle(get("/api/signin")).body);
  EXPECT_EQ(names["reviewers"].size(), 3U);
  auto unknown = local.handle(post("/api/signin", {{"name", "Mallory"}}));
  EXPECT_EQ(unknown.status, 403);
  auto cross_site = post("/api/signin", {{"name", "Ana"}});
  cross_site.headers["sec-fetch-site"] = "cross-site";
  EXPECT_EQ(local.handle(cross_site).status, 403);
  const auto s = sign_in_by_name(local, "Ana");
  // A session opened by name is not valid on a server bound to another address.
  web::web_app remote(f.project, {.local_sign_in = false});
  EXPECT_EQ(remote.handle(get("/api/me", s.cookie)).status, 401);
}

TEST(web_app_test, every_post_needs_the_sessions_csrf_token) {
  fixture f;
  web::web_app app(f.project, {});
  const auto s = sign_in_by_name(app, "Ana");
  const json vote = {{"stage", "title"}, {"record", 1}, {"vote", "include"}};
  auto none = app.handle(post("/api/vote", vote, s.cookie));
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(error_id(none), srma::errc::web_csrf);
  auto wrong = app.handle(post("/api/vote", vote, s.cookie, web::random_token()));
  EXPECT_EQ(wrong.status, 403);
  // Another reviewer's token is not this session's.
  const auto other = sign_in_by_name(app, "Ben");
  EXPECT_EQ(app.handle(post("/api/vote", vote, s.cookie, other.csrf)).status, 403);
  auto outcomes = pj::stage_outcomes(f.project, pj::stage::title);
  ASSERT_TRUE(outcomes);
  EXPECT_TRUE((*outcomes)[0].votes.empty());  // none of the refused votes was stored
  auto ok = app.handle(post("/api/vote", vote, s.cookie, s.csrf));
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST(web_app_test, a_confirmed_vote_is_in_the_database_for_another_connection) {
  fixture f;
  web::web_app app(f.project, {});
  const auto s = sign_in_by_name(app, "Ana");
  auto ok = app.handle(post("/api/vote", {{"stage", "title"}, {"record", 2}, {"vote", "exclude"}},
                            s.cookie, s.csrf));
  ASSERT_EQ(ok.status, 200) << ok.body;
  // A second connection (another process would see the same) reads the committed vote.
  auto other = pj::review_project::open(f.dir.path);
  ASSERT_TRUE(other);
  auto outcomes = pj::stage_outcomes(*other, pj::stage::title);
  ASSERT_TRUE(outcomes);
  ASSERT_EQ((*outcomes)[1].votes.size(), 1U);
  EXPECT_EQ((*outcomes)[1].votes[0].reviewer, "Ana");
  EXPECT_EQ((*outcomes)[1].votes[0].v, pj::vote::exclude);
  // Ana's queue no longer holds record 2; undo brings it back.
  auto q = json::parse(app.handle(get("/api/queue", s.cookie)).body);
  EXPECT_EQ(q["remaining"], 2);
  ASSERT_EQ(app.handle(post("/api/vote", {{"stage", "title"}, {"record", 2}, {"vote", "undo"}},
                            s.cookie, s.csrf))
                .status,
            200);
  q = json::parse(app.handle(get("/api/queue", s.cookie)).body);
  EXPECT_EQ(q["remaining"], 3);
  // The record titled with a script tag comes back as the same text (the page shows it as text).
  EXPECT_EQ(q["items"][1]["title"], "<script>alert(1)</script>");
}

TEST(web_app_test, reviewers_are_blind_to_each_other_and_the_adjudicator_settles) {
  fixture f;
  web::web_app app(f.project, {});
  const auto ana = sign_in_by_name(app, "Ana");
  const auto ben = sign_in_by_name(app, "Ben");
  const auto cleo = sign_in_by_name(app, "Cleo");
  auto vote = [&](const signed_in& s, int record, const char* v) {
    return app.handle(
        post("/api/vote", {{"stage", "title"}, {"record", record}, {"vote", v}}, s.cookie, s.csrf));
  };
  ASSERT_EQ(vote(ana, 1, "include").status, 200);
  // Ben's queue still holds record 1, and nothing in it carries Ana's vote.
  auto q = app.handle(get("/api/queue", ben.cookie));
  EXPECT_EQ(json::parse(q.body)["remaining"], 3);
  EXPECT_EQ(q.body.find("Ana"), std::string::npos);
  ASSERT_EQ(vote(ben, 1, "exclude").status, 200);
  // Conflicts name both votes: for the adjudicator only.
  auto refused = app.handle(get("/api/conflicts", ana.cookie));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(error_id(refused), srma::errc::web_forbidden);
  EXPECT_EQ(refused.body.find("exclude"), std::string::npos);
  auto c = app.handle(get("/api/conflicts", cleo.cookie));
  ASSERT_EQ(c.status, 200) << c.body;
  auto cj = json::parse(c.body);
  ASSERT_EQ(cj["conflicts"].size(), 1U);
  EXPECT_EQ(cj["conflicts"][0]["record"], 1);
  EXPECT_EQ(cj["conflicts"][0]["votes"].size(), 2U);
  // A reviewer cannot adjudicate; the adjudicator can.
  const json settle = {{"stage", "title"}, {"record", 1}, {"vote", "include"}};
  EXPECT_EQ(app.handle(post("/api/adjudicate", settle, ana.cookie, ana.csrf)).status, 403);
  ASSERT_EQ(app.handle(post("/api/adjudicate", settle, cleo.cookie, cleo.csrf)).status, 200);
  auto outcomes = pj::stage_outcomes(f.project, pj::stage::title);
  ASSERT_TRUE(outcomes);
  EXPECT_EQ((*outcomes)[0].result, pj::outcome::include);
  // The counts per stage move with it (summarise of stage_outcomes).
  auto status = json::parse(app.handle(get("/api/status", ana.cookie)).body);
  EXPECT_EQ(status["stages"][0]["include"], 1);
  EXPECT_EQ(status["stages"][0]["conflict"], 0);
}

TEST(web_app_test, size_limit_security_headers_assets_and_unknown_paths) {
  fixture f;
  web::web_app app(f.project, {.max_body = 2048});
  const auto s = sign_in_by_name(app, "Ana");
  auto big = post("/api/vote", {{"note", std::string(4096, 'x')}}, s.cookie, s.csrf);
  auto r = app.handle(big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(error_id(r), srma::errc::web_too_large);
  auto js = app.handle(get("/assets/app.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers["Content-Security-Policy"].rfind("default-src 'self'", 0), 0U);
  EXPECT_EQ(js.headers["X-Content-Type-Options"], "nosniff");
  auto missing = app.handle(get("/assets/nothing.js"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_id(missing), srma::errc::web_not_found);
  EXPECT_EQ(app.handle(get("/api/nothing", s.cookie)).status, 404);
  auto bad =
      app.handle(post("/api/vote", {{"stage", "title"}, {"vote", "perhaps"}}, s.cookie, s.csrf));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_id(bad), srma::errc::web_bad_request);
  // Every page is served with the same headers; no inline script in any of them.
  auto page = app.handle(get("/screen", s.cookie));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
}

TEST(web_app_test, signing_out_ends_the_session) {
  fixture f;
  web::web_app app(f.project, {});
  const auto s = sign_in_by_name(app, "Ana");
  ASSERT_EQ(app.handle(post("/api/signout", json::object(), s.cookie, s.csrf)).status, 200);
  EXPECT_EQ(app.handle(get("/api/me", s.cookie)).status, 401);
}

TEST(web_app_test, dedup_extraction_and_quality_go_through_the_project_calls) {
  fixture f;
  web::web_app app(f.project, {});
  const auto ana = sign_in_by_name(app, "Ana");
  auto d = app.handle(get("/api/dedup", ana.cookie));
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_TRUE(json::parse(d.body)["pairs"].empty());  // three unrelated articles
  // A verdict on two records is stored as `srma review dedup --review` stores it.
  auto v = app.handle(
      post("/api/dedup", {{"a", 1}, {"b", 3}, {"verdict", "distinct"}}, ana.cookie, ana.csrf));
  ASSERT_EQ(v.status, 200) << v.body;
  auto state = pj::current_dedup(f.project);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->verdicts, 1);
  // Extraction of a study not included is refused by the library (E672), as from the CLI.
  auto x = app.handle(post("/api/extraction", {{"record", 1}, {"values", {{"country", "NL"}}}},
                           ana.cookie, ana.csrf));
  EXPECT_EQ(x.status, 422);
  EXPECT_EQ(error_id(x), srma::errc::project_not_eligible);
  auto consensus = app.handle(post("/api/extraction",
                                   {{"record", 1}, {"values", json::object()}, {"consensus", true}},
                                   ana.cookie, ana.csrf));
  EXPECT_EQ(consensus.status, 403);
  EXPECT_EQ(app.handle(get("/api/extraction", ana.cookie)).status, 200);
  EXPECT_EQ(app.handle(get("/api/quality", ana.cookie)).status, 200);
}

TEST(web_app_test, keywords_are_the_teams_and_the_latest_action_counts) {
  fixture f;
  web::web_app app(f.project, {});
  const auto ana = sign_in_by_name(app, "Ana");
  const auto ben = sign_in_by_name(app, "Ben");
  auto change = [&](const signed_in& s, const char* word, const char* list, const char* action) {
    return app.handle(post("/api/keywords", {{"word", word}, {"list", list}, {"action", action}},
                           s.cookie, s.csrf));
  };
  ASSERT_EQ(change(ana, "everolimus", "include", "add").status, 200);
  ASSERT_EQ(change(ben, "hip", "exclude", "add").status, 200);
  ASSERT_EQ(change(ben, "trial", "include", "add").status, 200);
  ASSERT_EQ(change(ana, "trial", "include", "remove").status, 200);
  EXPECT_EQ(change(ana, "x", "neither", "add").status, 400);
  EXPECT_EQ(change(ana, "", "include", "add").status, 422);  // an empty word: srma.project.E671
  // Ben sees Ana's keyword: keywords belong to the team, not to one reviewer.
  auto status = json::parse(app.handle(get("/api/status", ben.cookie)).body);
  EXPECT_EQ(status["keywords"]["include"], json::array({"everolimus"}));
  EXPECT_EQ(status["keywords"]["exclude"], json::array({"hip"}));
  // Added again after its removal, a word stands again.
  ASSERT_EQ(change(ben, "trial", "include", "add").status, 200);
  auto kw = pj::list_keywords(f.project);
  ASSERT_TRUE(kw);
  EXPECT_EQ(kw->include, (std::vector<std::string>{"everolimus", "trial"}));
}

TEST(web_app_test, reviewer_accounts_keep_their_role_and_refuse_bad_names) {
  fixture f;
  auto again = pj::add_reviewer(f.project, "Ana", pj::role::adjudicator);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->r, pj::role::reviewer);  // added before as a reviewer: the role stays
  auto bad = pj::add_reviewer(f.project, "Eve\n", pj::role::reviewer);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().id, srma::errc::project_bad_option);
  EXPECT_FALSE(pj::store_sign_in_token(f.project, "Nobody", web::sha256_hex("t")));
  auto all = pj::list_reviewers(f.project);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[2].name, "Cleo");
  EXPECT_EQ((*all)[2].r, pj::role::adjudicator);
  // The project's own check knows the new append-only tables and their guards.
  auto chk = pj::check(f.project);
  ASSERT_TRUE(chk);
  EXPECT_TRUE(chk->ok()) << (chk->problems.empty() ? chk->integrity : chk->problems[0]);
}

TEST(web_app_test, the_local_binding_answers_only_to_loopback_host_names) {
  fixture f;
  web::web_app local(f.project, {.local_sign_in = true});
  // DNS rebinding: a page of evil.example whose name resolves to 127.0.0.1.
  auto rebound = post("/api/signin", {{"name", "Ana"}});
  rebound.headers["host"] = "evil.example:8080";
  auto r = local.handle(rebound);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_id(r), srma::errc::web_forbidden);
  EXPECT_TRUE(cookie_of(r).empty());
  for (const char* host : {"127.0.0.1:8080", "localhost:8080", "[::1]:8080"}) {
    auto ok = post("/api/signin", {{"name", "Ana"}});
    ok.headers["host"] = host;
    EXPECT_EQ(local.handle(ok).status, 200) << host;
  }
  // Bound to another address, names are refused anyway and any host name may be used.
  web::web_app remote(f.project, {.local_sign_in = false});
  auto page = get("/signin");
  page.headers["host"] = "review.example.org:8080";
  EXPECT_EQ(remote.handle(page).status, 200);
}

}  // namespace

// Votes from many reviewers at once go through the group commit (several requests' votes in one
// transaction): every request gets its own answer, a vote that is refused (here: a record that
// does not exist) refuses only itself, and every confirmed vote is in the database afterwards.
TEST(web_app_test, votes_arriving_together_are_each_answered_and_all_stored) {
  fixture f;
  web::web_app app(f.project, {});
  const auto ana = sign_in_by_name(app, "Ana");
  const auto ben = sign_in_by_name(app, "Ben");
  constexpr int rounds = 40;
  std::atomic<int> ok{0}, refused{0}, wrong{0};
  auto voter = [&](const signed_in& s, int salt) {
    for (int i = 0; i < rounds; ++i) {
      const int record = i % 7 == salt ? 99 : 1 + (i + salt) % 3;  // 99: not in the project
      const char* v = (i + salt) % 2 == 0 ? "include" : "exclude";
      auto r = app.handle(post("/api/vote", {{"stage", "title"}, {"record", record}, {"vote", v}},
                               s.cookie, s.csrf));
      if (record == 99) {
        const bool named = error_id(r) == srma::errc::project_unknown_record;
        (r.status == 422 && named ? refused : wrong)++;
      } else {
        (r.status == 200 ? ok : wrong)++;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(voter, t % 2 == 0 ? ana : ben, t);
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(ok.load() + refused.load(), 4 * rounds);
  EXPECT_GT(refused.load(), 0);
  // Each answered vote is a row; the refused ones are not (another connection reads them).
  auto other = pj::review_project::open(f.dir.path);
  ASSERT_TRUE(other);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open((f.dir.path / "review.srma.sqlite").string().c_str(), &h), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, "SELECT count(*), count(DISTINCT record) FROM decision", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const int rows = sqlite3_column_int(st, 0);
  const int records = sqlite3_column_int(st, 1);
  sqlite3_finalize(st);
  sqlite3_close(h);
  // A vote equal to the reviewer's standing vote is answered but not stored again, so rows can
  // be fewer than answers; never more, and never on record 99.
  EXPECT_LE(rows, ok.load());
  EXPECT_GT(rows, 0);
  EXPECT_LE(records, 3);
  auto outcomes = pj::stage_outcomes(*other, pj::stage::title);
  ASSERT_TRUE(outcomes) << outcomes.error().what();
  for (const auto& o : *outcomes) EXPECT_EQ(o.votes.size(), 2U) << "record " << o.record;
}
