// The review project (srma/project/): the seed review's flow re-enacted from generated records,
// append-only storage, schema versions and the migration of a version 1 project, screening rules,
// records from other methods (PRISMA 2020's second column), the previous version of a review,
// extraction and NOS with two reviewers.
//
// Reference numbers: the seed review (Xiao et al. 2025, ../shared/seed/, PRISMA flow: 1525
// records from PubMed and Embase, 203 duplicates, 1282 excluded on title and abstract, 40 full
// texts assessed, 29 excluded as single-arm studies, 11 included). The split of the 1525 records
// between the two databases is not reported; 700 PubMed + 825 Embase is this test's choice.
#include "srma/project/project.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "project/project_state.hpp"
#include "project/sqlite.hpp"
#include "srma/io/csv.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/prisma.hpp"
#include "srma/project/dedup.hpp"
#include "srma/project/extraction.hpp"
#include "srma/project/prisma.hpp"
#include "srma/project/quality.hpp"
#include "srma/project/records.hpp"
#include "srma/project/screening.hpp"
#include "srma/project/tables.hpp"
#include "srma/review/prisma.hpp"
#include "srma/run/plan.hpp"
#include "srma/run/run.hpp"

namespace {

namespace fs = std::filesystem;
namespace pj = srma::project;

struct temp_dir {
  fs::path path;
  temp_dir() {
    path =
        fs::temp_directory_path() /
        ("srma_project_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
  }
  ~temp_dir() { fs::remove_all(path); }
};

// A generated article: random pseudo-words make titles, names and journals that share nothing
// by chance, so only the planted duplicates are duplicates.
struct article {
  std::string pmid, doi, title, journal, year, volume, first_page, last_page, abstract;
  std::vector<std::pair<std::string, std::string>> authors;  // surname, initials
};

class generator {
 public:
  explicit generator(unsigned seed) : rng_(seed) {}
  std::string word() {
    static const char* cons = "bcdfghklmnprstvz";
    static const char* vow = "aeiou";
    std::string w;
    const int syllables = 2 + static_cast<int>(rng_() % 3);
    for (int i = 0; i < syllables; ++i) {
      w += cons[rng_() % 16];
      w += vow[rng_() % 5];
    }
    return w;
  }
  std::string cap(std::string w) {
    w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
  }
  article make(int i) {
    article a;
    a.pmid = std::to_string(30000000 + i);
    a.doi = "10.5555/gen." + std::to_string(i);
    for (int k = 0; k < 9; ++k) a.title += (k == 0 ? cap(word()) : word()) + (k < 8 ? " " : ".");
    a.journal = "J " + cap(word()) + " " + cap(word());
    a.year = std::to_string(1995 + rng_() % 30);
    a.volume = std::to_string(1 + rng_() % 80);
    const int p = 1 + static_cast<int>(rng_() % 900);
    a.first_page = std::to_string(p);
    a.last_page = std::to_string(p + 5 + static_cast<int>(rng_() % 20));
    for (int k = 0; k < 3; ++k) {
      a.authors.emplace_back(cap(word()), std::string(1, static_cast<char>('A' + rng_() % 26)));
    }
    for (int k = 0; k < 30; ++k) a.abstract += word() + " ";
    return a;
  }

 private:
  std::mt19937 rng_;
};

std::string as_medline(const article& a) {
  std::string s = "\nPMID- " + a.pmid + "\nTI  - " + a.title + "\n";
  for (const auto& [sur, ini] : a.authors)
    s += "FAU - " + sur + ", " + ini + "\nAU  - " + sur + " " + ini + "\n";
  s += "DP  - " + a.year + " Mar\nTA  - " + a.journal + "\nJT  - " + a.journal + "\nVI  - " +
       a.volume + "\nPG  - " + a.first_page + "-" + a.last_page + "\nLID - " + a.doi +
       " [doi]\nAB  - " + a.abstract + "\n";
  return s;
}

std::string as_embase_ris(const article& a, int accession, bool in_medline) {
  std::string s =
      "TY  - JOUR\r\nM3  - Article\r\nY1  - " + a.year + "\r\nT1  - " + a.title + "\r\n";
  for (const auto& [sur, ini] : a.authors) s += "A1  - " + sur + ", " + ini + ".\r\n";
  s += "JF  - " + a.journal + "\r\nVL  - " + a.volume + "\r\nSP  - " + a.first_page + "\r\nEP  - " +
       a.last_page + "\r\nDO  - " + a.doi + "\r\nU2  - L" + std::to_string(accession) + "\r\n";
  if (in_medline) s += "C5  - " + a.pmid + "\r\nDB  - Medline\r\n";
  s += "DB  - Embase\r\nN2  - " + a.abstract + "\r\nER  - \r\n\r\n";
  return s;
}

// A generic RIS export (a reference manager's, a website's): no database accession number.
std::string as_plain_ris(const article& a) {
  std::string s = "TY  - JOUR\nTI  - " + a.title + "\n";
  for (const auto& [sur, ini] : a.authors) s += "AU  - " + sur + ", " + ini + ".\n";
  s += "PY  - " + a.year + "\nJO  - " + a.journal + "\nVL  - " + a.volume + "\nSP  - " +
       a.first_page + "\nEP  - " + a.last_page + "\nDO  - " + a.doi + "\nAB  - " + a.abstract +
       "\nER  - \n\n";
  return s;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// Raw SQL on the project's database, as a user with the sqlite3 shell could run it.
int raw_exec(const fs::path& db, const std::string& sql, std::string* message = nullptr) {
  sqlite3* h = nullptr;
  sqlite3_open(db.string().c_str(), &h);
  char* err = nullptr;
  const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
  if (message != nullptr && err != nullptr) *message = err;
  sqlite3_free(err);
  sqlite3_close(h);
  return rc;
}

std::vector<pj::vote_input> votes_for(const std::vector<std::int64_t>& ids,
                                      const std::function<pj::vote(std::int64_t)>& f) {
  std::vector<pj::vote_input> out;
  for (const auto id : ids) out.push_back({id, f(id), "", "", 0});
  return out;
}

TEST(ReviewProject, SeedFlowReEnactedFromRecordedDecisions) {
  temp_dir dir;
  auto p = pj::review_project::init(dir.path / "seed",
                                    {.title = "PTR in GEP-NET with liver metastases",
                                     .reasons = {"Single-arm study", "Wrong population"}});
  ASSERT_TRUE(p) << p.error().what();

  // 700 PubMed records; 825 Embase records, 203 of them the same articles as PubMed records.
  generator gen(20251);
  std::vector<article> arts;
  for (int i = 0; i < 1322; ++i) arts.push_back(gen.make(i));
  std::string nbib;
  for (int i = 0; i < 700; ++i) nbib += as_medline(arts[static_cast<std::size_t>(i)]);
  std::string ris;
  for (int i = 0; i < 203; ++i)
    ris += as_embase_ris(arts[static_cast<std::size_t>(i * 3)], 6000000 + i, true);
  for (int i = 700; i < 1322; ++i)
    ris += as_embase_ris(arts[static_cast<std::size_t>(i)], 6000000 + i, false);
  write(dir.path / "pubmed.nbib", nbib);
  write(dir.path / "embase.ris", ris);
  auto b1 = pj::import_records(*p, (dir.path / "pubmed.nbib").string(), {.source = "PubMed"});
  ASSERT_TRUE(b1) << b1.error().what();
  EXPECT_EQ(b1->format, srma::record_format::medline);
  EXPECT_EQ(b1->records, 700);
  auto b2 = pj::import_records(*p, (dir.path / "embase.ris").string(), {.source = "Embase"});
  ASSERT_TRUE(b2) << b2.error().what();
  EXPECT_EQ(b2->format, srma::record_format::ris);
  EXPECT_EQ(b2->records, 825);
  // The same file again is refused and imports nothing.
  auto again = pj::import_records(*p, (dir.path / "embase.ris").string(), {.source = "Embase"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().id, srma::errc::project_reimport);
  EXPECT_EQ(*pj::count_records(*p), 1525);

  // Screening before de-duplication is refused.
  auto early = pj::screening_queue(*p, pj::stage::title, "A");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().id, srma::errc::project_not_deduplicated);

  auto d = pj::run_dedup(*p);
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->removed, 203);
  EXPECT_EQ(d->groups.size(), 203u);
  ASSERT_EQ(d->removed_by_source.size(), 1u);
  EXPECT_EQ(d->removed_by_source[0].kept, "PubMed");
  EXPECT_EQ(d->removed_by_source[0].removed, "Embase");
  for (const auto& g : d->groups) {
    ASSERT_EQ(g.size(), 2u);
    EXPECT_LE(g[0], 700);  // the PubMed record (imported first) is kept
    EXPECT_GT(g[1], 700);
  }

  // Title and abstract: 40 records truly eligible. A marks 5 of them maybe and wrongly includes
  // 15 others; B wrongly includes 10 others and wrongly excludes 3 eligible ones.
  auto queue = pj::screening_queue(*p, pj::stage::title, "A");
  ASSERT_TRUE(queue) << queue.error().what();
  ASSERT_EQ(queue->size(), 1322u);
  std::vector<std::int64_t> ids;
  for (const auto& it : *queue) ids.push_back(it.record);
  std::mt19937 rng(7);
  std::vector<std::int64_t> shuffled = ids;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  const std::set<std::int64_t> eligible(shuffled.begin(), shuffled.begin() + 40);
  const std::set<std::int64_t> a_maybe(shuffled.begin(), shuffled.begin() + 5);
  const std::set<std::int64_t> b_misses(shuffled.begin() + 5, shuffled.begin() + 8);
  const std::set<std::int64_t> a_wrong(shuffled.begin() + 40, shuffled.begin() + 55);
  const std::set<std::int64_t> b_wrong(shuffled.begin() + 55, shuffled.begin() + 65);
  auto a_votes = votes_for(ids, [&](std::int64_t id) {
    if (a_maybe.count(id)) return pj::vote::maybe;
    return eligible.count(id) || a_wrong.count(id) ? pj::vote::include : pj::vote::exclude;
  });
  auto b_votes = votes_for(ids, [&](std::int64_t id) {
    if (b_misses.count(id)) return pj::vote::exclude;
    return eligible.count(id) || b_wrong.count(id) ? pj::vote::include : pj::vote::exclude;
  });
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title, a_votes, "A", pj::role::reviewer, "a.csv"));
  // B's queue still holds every record: A's votes are not B's.
  EXPECT_EQ(pj::screening_queue(*p, pj::stage::title, "B")->size(), 1322u);
  EXPECT_EQ(pj::screening_queue(*p, pj::stage::title, "A")->size(), 0u);
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title, b_votes, "B", pj::role::reviewer, "b.csv"));

  // Agreement from the arranged 2x2 table: both include 37 (40 − 3 B misses), A only 3 + 15,
  // B only 10, both exclude 1322 − 65.
  auto agr = pj::screening_agreement(*p, pj::stage::title);
  ASSERT_TRUE(agr);
  ASSERT_EQ(agr->size(), 1u);
  ASSERT_TRUE((*agr)[0].stats);
  EXPECT_EQ((*agr)[0].stats->table.a, 37);
  EXPECT_EQ((*agr)[0].stats->table.b, 18);
  EXPECT_EQ((*agr)[0].stats->table.c, 10);
  EXPECT_EQ((*agr)[0].stats->table.d, 1257);

  auto outcomes = pj::stage_outcomes(*p, pj::stage::title);
  ASSERT_TRUE(outcomes);
  auto st = pj::summarise(pj::stage::title, *outcomes);
  EXPECT_EQ(st.conflict, 28u);
  EXPECT_EQ(st.include, 37u);
  // The adjudicator settles every conflict by the truth; a non-conflict is refused.
  std::vector<pj::vote_input> adj;
  for (const auto& o : *outcomes) {
    if (o.result == pj::outcome::conflict) {
      adj.push_back(
          {o.record, eligible.count(o.record) ? pj::vote::include : pj::vote::exclude, "", "", 0});
    }
  }
  auto bad_adj =
      pj::record_votes(*p, pj::stage::title, {{shuffled[100], pj::vote::include, "", "", 3}}, "C",
                       pj::role::adjudicator, "c.csv");
  ASSERT_FALSE(bad_adj);
  EXPECT_EQ(bad_adj.error().id, srma::errc::project_not_eligible);
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title, adj, "C", pj::role::adjudicator, "c.csv"));

  // Full text: 29 single-arm studies excluded (one after a conflict on the reason), 11 included.
  std::vector<std::int64_t> ft(eligible.begin(), eligible.end());
  auto ftq = pj::screening_queue(*p, pj::stage::fulltext, "A");
  ASSERT_TRUE(ftq);
  ASSERT_EQ(ftq->size(), 40u);
  std::vector<pj::vote_input> fa;
  std::vector<pj::vote_input> fb;
  for (std::size_t i = 0; i < ft.size(); ++i) {
    const bool excluded = i < 29;
    fa.push_back({ft[i], excluded ? pj::vote::exclude : pj::vote::include,
                  excluded ? "single-arm study" : "", "", 0});
    fb.push_back({ft[i], excluded ? pj::vote::exclude : pj::vote::include,
                  excluded ? (i == 0 ? "Wrong population" : "Single-arm study") : "", "", 0});
  }
  // An exclusion without a reason is refused, and nothing of that sheet is stored.
  auto no_reason = fa;
  no_reason[3].reason = "";
  auto nr = pj::record_votes(*p, pj::stage::fulltext, no_reason, "A", pj::role::reviewer, "fa.csv");
  ASSERT_FALSE(nr);
  EXPECT_EQ(nr.error().id, srma::errc::project_bad_reason);
  EXPECT_EQ(pj::screening_queue(*p, pj::stage::fulltext, "A")->size(), 40u);
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::fulltext, fa, "A", pj::role::reviewer, "fa.csv"));
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::fulltext, fb, "B", pj::role::reviewer, "fb.csv"));
  auto ft_out = pj::stage_outcomes(*p, pj::stage::fulltext);
  ASSERT_TRUE(ft_out);
  EXPECT_EQ(pj::summarise(pj::stage::fulltext, *ft_out).conflict, 1u);
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::fulltext,
                               {{ft[0], pj::vote::exclude, "Single-arm study", "", 0}}, "C",
                               pj::role::adjudicator, "c2.csv"));

  auto flow = pj::derive_prisma(*p);
  ASSERT_TRUE(flow) << flow.error().what();
  EXPECT_TRUE(flow->complete());
  const auto& c = flow->counts;
  EXPECT_EQ(c.database_results, 1525);
  ASSERT_EQ(c.database_specific_results.size(), 2u);
  EXPECT_EQ(c.database_specific_results[0], (srma::review::named_count{"PubMed", 700}));
  EXPECT_EQ(c.database_specific_results[1], (srma::review::named_count{"Embase", 825}));
  EXPECT_EQ(c.duplicates, 203);
  EXPECT_EQ(c.records_screened, 1322);
  EXPECT_EQ(c.records_excluded, 1282);
  EXPECT_EQ(c.dbr_sought_reports, 40);
  EXPECT_EQ(c.dbr_notretrieved_reports, 0);
  EXPECT_EQ(c.dbr_assessed, 40);
  ASSERT_EQ(c.dbr_excluded.size(), 1u);
  EXPECT_EQ(c.dbr_excluded[0], (srma::review::named_count{"Single-arm study", 29}));
  EXPECT_EQ(c.new_reports, 11);
  EXPECT_EQ(c.new_studies, 11);
  EXPECT_TRUE(srma::review::check(srma::review::complete(c)).empty());
  // The article's diagram, drawn from these counts: every box of its figure 1 is there.
  auto fig = srma::plot::draw_prisma(c, {.complete = false});
  ASSERT_TRUE(fig) << fig.error().what();
  const std::string svg = srma::plot::render_svg(*fig);
  // (The diagram writes "n = " with no-break spaces and thousands with a comma.)
  for (const char* box : {"Databases (n = 1,525)", "PubMed (n = 700)", "Embase (n = 825)",
                          "(n = 203)", "Records screened (n = 1,322)",
                          "Records excluded (n = 1,282)", "Reports sought for retrieval (n = 40)",
                          "Single-arm study (n = 29)", "Studies included in review (n = 11)"}) {
    std::string text(box);
    text.replace(text.find("n = "), 4, "n\u00a0=\u00a0");
    EXPECT_NE(svg.find(text), std::string::npos) << box;
  }

  auto chk = pj::check(*p);
  ASSERT_TRUE(chk);
  EXPECT_TRUE(chk->ok()) << (chk->problems.empty() ? chk->integrity : chk->problems[0]);
  EXPECT_EQ(chk->records, 1525);
}

TEST(ReviewProject, NothingIsDeletedOrUpdated) {
  temp_dir dir;
  auto p = pj::review_project::init(dir.path);
  ASSERT_TRUE(p);
  write(dir.path / "one.nbib", as_medline(generator(1).make(1)));
  ASSERT_TRUE(pj::import_records(*p, (dir.path / "one.nbib").string(), {.source = "PubMed"}));
  ASSERT_TRUE(pj::run_dedup(*p));
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title, {{1, pj::vote::include, "", "", 0}}, "A",
                               pj::role::reviewer, "s"));
  const auto db = p->database_path();
  std::string msg;
  EXPECT_NE(raw_exec(db, "DELETE FROM decision", &msg), SQLITE_OK);
  EXPECT_NE(msg.find("append-only"), std::string::npos) << msg;
  EXPECT_NE(raw_exec(db, "UPDATE record SET title = 'x'"), SQLITE_OK);
  EXPECT_NE(raw_exec(db, "DELETE FROM import_batch"), SQLITE_OK);
  // Undo withdraws a vote by adding a row.
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title, {{1, pj::vote::undo, "", "", 0}}, "A",
                               pj::role::reviewer, "s"));
  auto o = pj::stage_outcomes(*p, pj::stage::title);
  ASSERT_TRUE(o);
  EXPECT_EQ((*o)[0].result, pj::outcome::unscreened);
  EXPECT_EQ(pj::check(*p)->decisions, 2);
}

// With notice_policy::with_article an erratum joins its article's group; imported first, it
// must still not be the record kept (screened) in the article's place, also after a person's
// verdict joins another record to the group.
TEST(ReviewProject, AnErratumImportedFirstIsNeverTheRecordKept) {
  temp_dir dir;
  auto p = pj::review_project::init(dir.path);
  ASSERT_TRUE(p);
  const std::string common =
      "AU  - O'Byrne, Paul M.\nAU  - FitzGerald, J. Mark\nPY  - 2018\nJO  - N Engl J Med\n"
      "VL  - 378\n";
  write(dir.path / "embase.ris",
        "TY  - JOUR\nTI  - Erratum: Inhaled Combined Budesonide-Formoterol as Needed in Mild "
        "Asthma\n" +
            common +
            "SP  - 2342\nDO  - 10.1056/NEJMx180018\nER  - \n\n"
            "TY  - JOUR\nTI  - Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma\n" +
            common +
            "SP  - 1865\nEP  - 1876\nDO  - 10.1056/NEJMoa1715274\nER  - \n\n"
            "TY  - JOUR\nTI  - Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma\n" +
            common + "SP  - 1865\nEP  - 1876\nER  - \n");
  ASSERT_TRUE(pj::import_records(*p, (dir.path / "embase.ris").string(), {.source = "Embase"}));
  srma::dedup_options options;
  options.notices = srma::notice_policy::with_article;
  auto d = pj::run_dedup(*p, options);
  ASSERT_TRUE(d) << d.error().what();
  // Records 1 (the erratum), 2 and 3 (the article twice): one group, record 2 kept.
  ASSERT_EQ(d->groups.size(), 1u);
  EXPECT_EQ(d->groups[0], (std::vector<std::int64_t>{2, 1, 3}));
  EXPECT_EQ(d->kept(1), 2);
  EXPECT_EQ(d->kept(3), 2);
  EXPECT_EQ(d->removed, 2);
  auto t = pj::stage_outcomes(*p, pj::stage::title);
  ASSERT_TRUE(t);
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ((*t)[0].record, 2);
  // By default the erratum is a record of its own, screened apart.
  auto apart = pj::run_dedup(*p);
  ASSERT_TRUE(apart);
  EXPECT_EQ(apart->groups, (std::vector<std::vector<std::int64_t>>{{2, 3}}));
}

TEST(ReviewProject, SchemaVersionsAndTampering) {
  temp_dir dir;
  {
    auto p = pj::review_project::init(dir.path);
    ASSERT_TRUE(p);
    auto twice = pj::review_project::init(dir.path);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().id, srma::errc::project_exists);
  }
  auto none = pj::review_project::open(dir.path / "nowhere");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().id, srma::errc::project_unreadable);
  const auto db = dir.path / pj::database_file_name;
  ASSERT_EQ(raw_exec(db, "PRAGMA user_version = 99"), SQLITE_OK);
  auto newer = pj::review_project::open(dir.path);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().id, srma::errc::project_newer);
  ASSERT_EQ(raw_exec(db, fmt::format("PRAGMA user_version = {}", pj::schema_version)), SQLITE_OK);
  // A batch claiming more records than it holds (a half-import) is found by check().
  ASSERT_EQ(raw_exec(db,
                     "INSERT INTO import_batch (file, source, kind, format, format_evidence, "
                     "encoding, content_hash, records, warnings, imported_at) VALUES "
                     "('x.ris','E','database','ris','','utf-8','h',5,'[]','now')"),
            SQLITE_OK);
  auto p = pj::review_project::open(dir.path);
  ASSERT_TRUE(p);
  auto chk = pj::check(*p);
  ASSERT_TRUE(chk);
  EXPECT_FALSE(chk->ok());
  ASSERT_FALSE(chk->problems.empty());
  EXPECT_NE(chk->problems[0].find("says 5 records but holds 0"), std::string::npos);
  EXPECT_EQ(chk->integrity, "ok");
  // Not a database at all.
  temp_dir other;
  fs::create_directories(other.path);
  write(other.path / pj::database_file_name, "this is not SQLite, just text of some length......");
  auto junk = pj::review_project::open(other.path);
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().id, srma::errc::project_corrupt);
}

TEST(ReviewProject, ExtractionQualityAndTablesFromTwoReviewers) {
  temp_dir dir;
  auto p = pj::review_project::init(dir.path, {.screeners = 1});
  ASSERT_TRUE(p);
  generator gen(3);
  std::string nbib;
  for (int i = 0; i < 3; ++i) nbib += as_medline(gen.make(i));
  write(dir.path / "r.nbib", nbib);
  ASSERT_TRUE(pj::import_records(*p, (dir.path / "r.nbib").string(), {.source = "PubMed"}));
  ASSERT_TRUE(pj::run_dedup(*p));
  // One screener suffices in this project.
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title,
                               {{1, pj::vote::include, "", "", 0},
                                {2, pj::vote::include, "", "", 0},
                                {3, pj::vote::include, "", "", 0}},
                               "A", pj::role::reviewer, "s"));
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::fulltext,
                               {{1, pj::vote::include, "", "", 0},
                                {2, pj::vote::include, "", "", 0},
                                {3, pj::vote::include, "", "", 0}},
                               "A", pj::role::reviewer, "s"));
  // Reports 1 and 2 are one study ("Smith 2010"); record 3 is another.
  std::vector<pj::extraction_entry> xa = {
      {1, "study", "Smith 2010", 2}, {1, "country", "USA", 2}, {1, "hr", "0.50", 2},
      {2, "study", "Smith 2010", 3}, {2, "grade", "G1", 3},    {3, "study", "Lee 2015", 4},
      {3, "hr", "0.71", 4}};
  std::vector<pj::extraction_entry> xb = xa;
  xb[2].value = "0.55";  // B read the HR differently
  ASSERT_TRUE(pj::record_extraction(*p, xa, "A", false, "xa.csv"));
  ASSERT_TRUE(pj::record_extraction(*p, xb, "B", false, "xb.csv"));
  auto state = pj::extraction_state(*p);
  ASSERT_TRUE(state);
  auto disc = state->discrepancies();
  ASSERT_EQ(disc.size(), 1u);
  EXPECT_EQ(disc[0].field, "hr");
  EXPECT_EQ(disc[0].values.at("A"), "0.50");
  EXPECT_EQ(disc[0].values.at("B"), "0.55");
  ASSERT_TRUE(pj::record_extraction(*p, {{1, "hr", "0.50", 2}}, "C", true, "consensus.csv"));
  EXPECT_TRUE(pj::extraction_state(*p)->discrepancies().empty());
  // Two reports of one study: PRISMA counts 3 reports, 2 studies.
  auto flow = pj::derive_prisma(*p);
  ASSERT_TRUE(flow);
  EXPECT_EQ(flow->counts.new_reports, 3);
  EXPECT_EQ(flow->counts.new_studies, 2);

  // NOS: A and B differ on item 8 of Smith 2010; consensus settles it.
  auto sheet = [](const std::string& o3_first) {
    srma::csv_table t;
    t.source = "nos.csv";
    t.header = {"record_id", "study", "s1", "s2", "s3", "s4", "c", "o1", "o2", "o3"};
    t.rows.push_back({{"1", "Smith 2010", "a", "a", "a", "a", "ab", "b", "a", o3_first}, 2});
    t.rows.push_back({{"3", "Lee 2015", "c", "a", "a", "b", "none", "b", "b", "d"}, 3});
    return t;
  };
  ASSERT_TRUE(pj::record_quality(*p, sheet("a"), "A", false));
  ASSERT_TRUE(pj::record_quality(*p, sheet("c"), "B", false));
  auto q = pj::quality_state(*p);
  ASSERT_TRUE(q);
  ASSERT_EQ(q->discrepancies.size(), 1u);
  EXPECT_EQ(q->discrepancies[0].item, srma::review::nos_item_id::o3);
  auto fix = sheet("a");
  fix.rows.pop_back();
  ASSERT_TRUE(pj::record_quality(*p, fix, "C", true));
  q = pj::quality_state(*p);
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->discrepancies.empty());
  // Stars (review.md §5): Smith 4 + 2 + 3 = 9; Lee S1 c (0) S2 a (1) S3 a (1) S4 b (0) = 2,
  // C none = 0, O b (1) b (0) d (0) = 1: total 3.
  auto analysis = pj::analysis_table(*p);
  ASSERT_TRUE(analysis);
  ASSERT_EQ(analysis->rows.size(), 2u);
  const auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(analysis->find_column(name));
  };
  EXPECT_EQ(analysis->rows[0].fields[0], "Smith 2010");
  EXPECT_EQ(analysis->rows[0].fields[col("hr")], "0.50");
  EXPECT_EQ(analysis->rows[0].fields[col("grade")], "G1");  // from the second report
  EXPECT_EQ(analysis->rows[0].fields[col("nos")], "9");
  EXPECT_EQ(analysis->rows[0].fields[col("quality")], "high");
  EXPECT_EQ(analysis->rows[0].fields[col("ahrq")], "Good");
  EXPECT_EQ(analysis->rows[1].fields[col("nos")], "3");
  EXPECT_EQ(analysis->rows[1].fields[col("nos_comparability")], "0");
  EXPECT_EQ(analysis->rows[1].fields[col("quality")], "low");
  EXPECT_EQ(analysis->rows[1].fields[col("ahrq")], "Poor");
  auto t1 = pj::table1(*p);
  ASSERT_TRUE(t1);
  EXPECT_EQ(t1->header.front(), "Study");
  EXPECT_NE(std::find(t1->header.begin(), t1->header.end(), "Country"), t1->header.end());
  EXPECT_EQ(std::find(t1->header.begin(), t1->header.end(), "Inclusion period"), t1->header.end());
}

TEST(ReviewProject, PlanTakesStudiesQualityAndCountsFromTheProject) {
  temp_dir dir;
  auto p = pj::review_project::init(dir.path / "proj", {.screeners = 1});
  ASSERT_TRUE(p);
  generator gen(11);
  std::string nbib;
  for (int i = 0; i < 4; ++i) nbib += as_medline(gen.make(i));
  write(dir.path / "r.nbib", nbib);
  ASSERT_TRUE(pj::import_records(*p, (dir.path / "r.nbib").string(), {.source = "PubMed"}));
  ASSERT_TRUE(pj::run_dedup(*p));
  std::vector<pj::vote_input> all = {{1, pj::vote::include, "", "", 0},
                                     {2, pj::vote::include, "", "", 0},
                                     {3, pj::vote::include, "", "", 0},
                                     {4, pj::vote::exclude, "", "", 0}};
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title, all, "A", pj::role::reviewer, "s"));
  all.pop_back();
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::fulltext, all, "A", pj::role::reviewer, "s"));
  // Hazard ratios of three made-up studies (values only need to be valid).
  ASSERT_TRUE(pj::record_extraction(*p,
                                    {{1, "study", "Ames 2001", 2},
                                     {1, "hr", "0.6", 2},
                                     {1, "lower", "0.4", 2},
                                     {1, "upper", "0.9", 2},
                                     {2, "study", "Berg 2005", 3},
                                     {2, "hr", "0.8", 3},
                                     {2, "lower", "0.6", 3},
                                     {2, "upper", "1.07", 3},
                                     {3, "study", "Cole 2010", 4},
                                     {3, "hr", "0.5", 4},
                                     {3, "lower", "0.3", 4},
                                     {3, "upper", "0.83", 4}},
                                    "A", true, "x.csv"));
  auto exported = pj::analysis_table(*p);
  ASSERT_TRUE(exported);
  ASSERT_TRUE(srma::write_csv(*exported, (dir.path / "studies.csv").string()));
  const std::string tail =
      "[data]\nmeasure = \"HR\"\n\n[[analysis]]\nid = \"main\"\ntype = \"pool\"\n";
  write(dir.path / "from_project.toml", "[review]\nproject = \"proj\"\n\n" + tail);
  write(dir.path / "from_file.toml",
        "[data]\nfile = \"studies.csv\"\nmeasure = \"HR\"\n\n[[analysis]]\nid = \"main\"\ntype = "
        "\"pool\"\n");
  auto results = [&](const std::string& plan_file, const std::string& out) {
    auto plan = srma::read_plan((dir.path / plan_file).string());
    EXPECT_TRUE(plan) << plan.error().what();
    srma::run_options o;
    o.output_dir = (dir.path / out).string();
    auto r = srma::run_plan(*plan, o);
    EXPECT_TRUE(r) << r.error().what();
    std::ifstream in(r->json_path);
    return nlohmann::json::parse(in);
  };
  const auto a = results("from_project.toml", "out1");
  const auto b = results("from_file.toml", "out2");
  ASSERT_TRUE(a.contains("prisma"));
  EXPECT_EQ(a["prisma"]["records_identified"], 4);
  EXPECT_EQ(a["prisma"]["records_excluded"], 1);
  EXPECT_EQ(a["prisma"]["studies_included"], 3);
  EXPECT_FALSE(b.contains("prisma"));
  // The pooled result from the project equals the one from its exported CSV.
  EXPECT_EQ(a["analyses"].dump(), b["analyses"].dump());
  // Without [data] file and without a project the plan is refused.
  auto none = srma::parse_plan("[[analysis]]\nid = \"main\"\ntype = \"pool\"\n", "p.toml");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().id, srma::errc::plan_missing_key);
}

TEST(ReviewProject, RecordNumbersOnSheets) {
  using srma::project::detail::parse_record_number;
  EXPECT_EQ(parse_record_number("12"), 12);
  EXPECT_EQ(parse_record_number(" #7 "), 7);
  for (const char* bad : {"", "#", "0", "-3", "1.5", "12a", "1 2", "99999999999999999999"}) {
    EXPECT_FALSE(parse_record_number(bad)) << bad;
  }
  auto csv = srma::parse_csv("record_id,decision\n3,include\nabc,exclude\n", "s.csv");
  ASSERT_TRUE(csv);
  auto sheet = pj::read_decision_sheet(*csv);
  ASSERT_FALSE(sheet);
  EXPECT_EQ(sheet.error().what(),
            "[srma.project.E667] s.csv:3:1: record_id is 'abc', but must be the project's record "
            "number");
}

// PRISMA 2020's second column. Imports, in this order (project ids in brackets):
//   PubMed      10 records [1-10]                         kind database
//   Websites     4 records [11-14]: 11 = PubMed 1          kind website
//   Reference    5 records [15-19]: 15 = PubMed 2,         kind citation
//   lists                           16 = website 12
//   Embase       3 records [20-22]: 20 = PubMed 3,         kind database (searched last)
//                                   21 = reference list 17
// Groups after de-duplication: {1, 11}, {2, 15}, {3, 20}, {12, 16}, {17, 21}. The rule of
// srma/project/prisma.hpp: a group with a database record is screened once on title and
// abstract, as its first database record (1, 2, 3 and 21: Embase's 21 although reference list's
// 17 came first); a group of other-method records only is one report sought via other methods
// (12).
TEST(ReviewProject, OtherMethodsColumnWithDuplicatesOfDatabaseRecords) {
  temp_dir dir;
  auto p = pj::review_project::init(
      dir.path,
      {.reasons = {"Single-arm study", "Wrong population", "Wrong comparator"}, .screeners = 1});
  ASSERT_TRUE(p) << p.error().what();
  generator gen(404);
  std::vector<article> arts;
  for (int i = 0; i < 17; ++i) arts.push_back(gen.make(i));
  auto file = [&](const std::string& name, const std::vector<int>& which, bool medline,
                  bool embase) {
    std::string text;
    int accession = 9100000;
    for (const int i : which) {
      const auto& a = arts[static_cast<std::size_t>(i)];
      text += medline  ? as_medline(a)
              : embase ? as_embase_ris(a, ++accession, false)
                       : as_plain_ris(a);
    }
    write(dir.path / name, text);
    return (dir.path / name).string();
  };
  using pj::source_kind;
  struct batch_spec {
    std::string file;
    std::string source;
    source_kind kind;
    std::int64_t records;
  };
  const std::vector<batch_spec> imports = {
      {file("pubmed.nbib", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, true, false), "PubMed",
       source_kind::database, 10},
      {file("web.ris", {0, 10, 11, 12}, false, false), "Trial websites", source_kind::website, 4},
      {file("refs.ris", {1, 10, 13, 14, 15}, false, false), "Reference lists",
       source_kind::citation, 5},
      {file("embase.ris", {2, 13, 16}, false, true), "Embase", source_kind::database, 3}};
  for (const auto& b : imports) {
    auto got = pj::import_records(*p, b.file, {.source = b.source, .kind = b.kind});
    ASSERT_TRUE(got) << got.error().what();
    EXPECT_EQ(got->records, b.records);
    EXPECT_EQ(got->kind, b.kind);
  }
  auto batches = pj::list_batches(*p);
  ASSERT_TRUE(batches);
  ASSERT_EQ(batches->size(), 4u);
  EXPECT_EQ((*batches)[2].kind, source_kind::citation);
  EXPECT_EQ((*pj::load_records(*p, {17}))[0].kind, source_kind::citation);
  auto d = pj::run_dedup(*p);
  ASSERT_TRUE(d) << d.error().what();
  const std::vector<std::vector<std::int64_t>> groups = {
      {1, 11}, {2, 15}, {3, 20}, {12, 16}, {17, 21}};
  EXPECT_EQ(d->groups, groups);

  // Title and abstract: the 12 records of databases kept after de-duplication (1-10, 21, 22).
  auto tq = pj::screening_queue(*p, pj::stage::title, "A");
  ASSERT_TRUE(tq) << tq.error().what();
  std::vector<std::int64_t> title_ids;
  for (const auto& it : *tq) title_ids.push_back(it.record);
  EXPECT_EQ(title_ids, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 21, 22}));
  // A title-stage vote on a report from other methods is refused, and nothing is stored.
  auto refused = [&](pj::stage s, std::int64_t id) {
    auto r = pj::record_votes(
        *p, s, {{1, pj::vote::include, "", "", 2}, {id, pj::vote::include, "", "", 3}}, "A",
        pj::role::reviewer, "s.csv");
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().what();
  };
  EXPECT_EQ(refused(pj::stage::title, 13),
            "[srma.project.E672] s.csv:3: record 13 came from a website (other methods): PRISMA "
            "2020 takes such records straight to retrieval, so it is screened at full text only, "
            "not on title and abstract");
  EXPECT_EQ(refused(pj::stage::title, 18),
            "[srma.project.E672] s.csv:3: record 18 came from citation searching (other "
            "methods): PRISMA 2020 takes such records straight to retrieval, so it is screened at "
            "full text only, not on title and abstract");
  EXPECT_EQ(refused(pj::stage::title, 17),
            "[srma.project.E672] s.csv:3: record 17 is not screened: it was removed as a "
            "duplicate of record 21, which is screened with the databases and registers");
  EXPECT_EQ(refused(pj::stage::title, 16),
            "[srma.project.E672] s.csv:3: record 16 is not screened: it was removed as a "
            "duplicate of record 12");
  EXPECT_EQ(pj::check(*p)->decisions, 0);

  // Include 1, 2, 21, 22; exclude the other 8.
  const std::set<std::int64_t> title_in = {1, 2, 21, 22};
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title,
                               votes_for(title_ids,
                                         [&](std::int64_t id) {
                                           return title_in.count(id) ? pj::vote::include
                                                                     : pj::vote::exclude;
                                         }),
                               "A", pj::role::reviewer, "title.csv"));

  // Full text: the 4 included on title and abstract and the 5 reports sought via other methods
  // (12, 13, 14, 18, 19), in id order.
  auto fq = pj::screening_queue(*p, pj::stage::fulltext, "A");
  ASSERT_TRUE(fq);
  std::vector<std::int64_t> full_ids;
  for (const auto& it : *fq) full_ids.push_back(it.record);
  EXPECT_EQ(full_ids, (std::vector<std::int64_t>{1, 2, 12, 13, 14, 18, 19, 21, 22}));
  EXPECT_EQ(refused(pj::stage::fulltext, 17),
            "[srma.project.E672] s.csv:3: record 17 is not screened: it was removed as a "
            "duplicate of record 21, which is screened with the databases and registers");

  // Databases and registers decided, other methods not yet: those are open, never counted.
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::fulltext,
                               {{1, pj::vote::include, "", "", 2},
                                {2, pj::vote::exclude, "Wrong comparator", "", 3},
                                {21, pj::vote::unavailable, "", "", 4},
                                {22, pj::vote::include, "", "", 5}},
                               "A", pj::role::reviewer, "full_dbr.csv"));
  auto half = pj::derive_prisma(*p);
  ASSERT_TRUE(half) << half.error().what();
  EXPECT_EQ(
      half->open,
      (std::vector<std::string>{"5 records from other methods without a full-text decision"}));
  EXPECT_EQ(half->counts.other_sought_reports, 5);
  EXPECT_EQ(half->counts.other_notretrieved_reports, 0);
  EXPECT_TRUE(half->counts.other_excluded.empty());
  EXPECT_EQ(half->counts.new_reports, 2);  // 1 and 22 only

  ASSERT_TRUE(pj::record_votes(*p, pj::stage::fulltext,
                               {{12, pj::vote::include, "", "", 2},
                                {13, pj::vote::unavailable, "", "", 3},
                                {14, pj::vote::exclude, "wrong population", "", 4},
                                {18, pj::vote::exclude, "Single-arm study", "", 5},
                                {19, pj::vote::include, "", "", 6}},
                               "A", pj::role::reviewer, "full_other.csv"));
  // Reports 1 and 19 are one study: 4 reports of 3 studies.
  ASSERT_TRUE(pj::record_extraction(*p,
                                    {{1, "study", "Ames 2001", 2},
                                     {12, "study", "Cole 2010", 3},
                                     {19, "study", "Ames 2001", 4},
                                     {22, "study", "Berg 2005", 5}},
                                    "A", true, "x.csv"));

  auto flow = pj::derive_prisma(*p);
  ASSERT_TRUE(flow) << flow.error().what();
  EXPECT_TRUE(flow->open.empty()) << flow->open.front();
  const auto& c = flow->counts;
  // Identification, counted as imported: databases 10 + 3 = 13; websites 4; citations 5.
  EXPECT_EQ(c.database_results, 13);
  EXPECT_EQ(c.database_specific_results,
            (std::vector<srma::review::named_count>{{"PubMed", 10}, {"Embase", 3}}));
  EXPECT_FALSE(c.register_results);
  EXPECT_EQ(c.website_results, 4);
  EXPECT_FALSE(c.organisation_results);
  EXPECT_EQ(c.citations_results, 5);
  // Duplicates: database records removed, 20 (of 3) only = 1; screened 13 − 1 = 12.
  EXPECT_EQ(c.duplicates, 1);
  EXPECT_EQ(c.records_screened, 12);
  // Title: 12 − 4 included = 8 excluded; 4 sought, 21 not retrieved: 4 − 1 = 3 assessed, of
  // which 2 (Wrong comparator) excluded.
  EXPECT_EQ(c.records_excluded, 8);
  EXPECT_EQ(c.dbr_sought_reports, 4);
  EXPECT_EQ(c.dbr_notretrieved_reports, 1);
  EXPECT_EQ(c.dbr_assessed, 3);
  EXPECT_EQ(c.dbr_excluded, (std::vector<srma::review::named_count>{{"Wrong comparator", 1}}));
  // Other methods: 4 + 5 = 9 records; 11, 15, 17 are already in the databases' flow and 16
  // duplicates 12, so 9 − 3 − 1 = 5 reports sought (12, 13, 14, 18, 19); 13 not retrieved:
  // 5 − 1 = 4 assessed; 14 and 18 excluded.
  EXPECT_EQ(flow->other_in_database_flow, 3);
  EXPECT_EQ(flow->other_duplicates, 1);
  EXPECT_EQ(c.other_sought_reports, 5);
  EXPECT_EQ(c.other_notretrieved_reports, 1);
  EXPECT_EQ(c.other_assessed, 4);
  EXPECT_EQ(c.other_excluded, (std::vector<srma::review::named_count>{{"Single-arm study", 1},
                                                                      {"Wrong population", 1}}));
  // Included: 1 and 22 (databases) + 12 and 19 (other methods) = 4 reports; "Ames 2001" (1, 19),
  // "Cole 2010", "Berg 2005" = 3 studies. Both columns: assessed 3 + 4 = 7 = excluded 1 + 2 +
  // included 4.
  EXPECT_EQ(c.new_reports, 4);
  EXPECT_EQ(c.new_studies, 3);
  EXPECT_FALSE(c.previous_studies);
  EXPECT_FALSE(c.total_studies);
  EXPECT_EQ(c.notes,
            (std::vector<std::string>{
                "records from other methods not sought again: 3 already found in "
                "databases or registers, 1 duplicating other records from other methods"}));
  EXPECT_TRUE(srma::review::check(srma::review::complete(c)).empty());
  auto chk = pj::check(*p);
  ASSERT_TRUE(chk);
  EXPECT_TRUE(chk->ok()) << (chk->problems.empty() ? chk->integrity : chk->problems[0]);

  // The diagram has the second column.
  auto fig = srma::plot::draw_prisma(c, {.complete = false});
  ASSERT_TRUE(fig) << fig.error().what();
  const std::string svg = srma::plot::render_svg(*fig);
  for (const char* box : {"Identification of studies via other methods", "Websites (n = 4)",
                          "Citation searching (n = 5)", "Single-arm study (n = 1)",
                          "Studies included in review (n = 3)"}) {
    std::string text(box);
    if (auto at = text.find("n = "); at != std::string::npos) text.replace(at, 4, "n\u00a0=\u00a0");
    EXPECT_NE(svg.find(text), std::string::npos) << box;
  }

  // A title vote slipped in behind the library's back is found by check().
  ASSERT_EQ(raw_exec(p->database_path(),
                     "INSERT INTO decision (record, stage, reviewer, role, vote, reason, note, "
                     "source, line, at) VALUES (13, 'title', 'Z', 'reviewer', 'exclude', '', '', "
                     "'sql', 0, 'now')"),
            SQLITE_OK);
  chk = pj::check(*p);
  ASSERT_TRUE(chk);
  EXPECT_EQ(chk->problems,
            (std::vector<std::string>{"decision 22 is a title/abstract vote on record 13, which "
                                      "came from other methods (website) and is screened at full "
                                      "text only"}));
}

// The previous version of a review: an event, the latest one counts, withdrawn by a later event.
TEST(ReviewProject, PreviousVersionOfTheReview) {
  temp_dir dir;
  auto p = pj::review_project::init(dir.path, {.screeners = 1});
  ASSERT_TRUE(p);
  generator gen(5);
  std::string nbib;
  for (int i = 0; i < 3; ++i) nbib += as_medline(gen.make(i));
  write(dir.path / "r.nbib", nbib);
  ASSERT_TRUE(pj::import_records(*p, (dir.path / "r.nbib").string(), {.source = "PubMed"}));
  ASSERT_TRUE(pj::run_dedup(*p));
  const std::vector<pj::vote_input> all = {{1, pj::vote::include, "", "", 0},
                                           {2, pj::vote::include, "", "", 0},
                                           {3, pj::vote::exclude, "", "", 0}};
  ASSERT_TRUE(pj::record_votes(*p, pj::stage::title, all, "A", pj::role::reviewer, "t"));
  ASSERT_TRUE(
      pj::record_votes(*p, pj::stage::fulltext, {all[0], all[1]}, "A", pj::role::reviewer, "f"));
  auto counts = [&] {
    auto f = pj::derive_prisma(*p);
    EXPECT_TRUE(f) << f.error().what();
    return f->counts;
  };
  // A new review: no previous boxes, no totals; 2 reports of 2 studies included.
  auto c = counts();
  EXPECT_FALSE(c.previous_studies);
  EXPECT_FALSE(c.previous_reports);
  EXPECT_FALSE(c.total_studies);
  EXPECT_FALSE(c.total_reports);
  EXPECT_EQ(c.new_studies, 2);
  // No counts to withdraw yet.
  auto none = pj::withdraw_previous_review(*p);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().id, srma::errc::project_bad_option);

  ASSERT_TRUE(pj::record_previous_review(*p, {.studies = 7, .reports = 9, .note = "v1, fig. 1"}));
  auto v = pj::current_previous_review(*p);
  ASSERT_TRUE(v && *v);
  EXPECT_EQ((*v)->note, "v1, fig. 1");
  c = counts();
  // total = previous + new: 7 + 2 = 9 studies, 9 + 2 = 11 reports.
  EXPECT_EQ(c.previous_studies, 7);
  EXPECT_EQ(c.previous_reports, 9);
  EXPECT_EQ(c.total_studies, 9);
  EXPECT_EQ(c.total_reports, 11);
  EXPECT_TRUE(srma::review::check(srma::review::complete(c)).empty());
  auto fig = srma::plot::draw_prisma(c, {.complete = false});
  ASSERT_TRUE(fig);
  // The diagram's words, its lines joined by spaces (long box texts wrap).
  const std::string svg = srma::plot::render_svg(*fig);
  std::string words;
  for (auto at = svg.find("<text"); at != std::string::npos; at = svg.find("<text", at + 1)) {
    const auto begin = svg.find('>', at) + 1;
    words += svg.substr(begin, svg.find('<', begin) - begin) + " ";
  }
  for (const char* box : {"Previous studies", "Identification of new studies via databases",
                          "Studies included in previous version of review (n\u00a0=\u00a07)",
                          "New studies included in review (n\u00a0=\u00a02)",
                          "Total studies included in review (n\u00a0=\u00a09)",
                          "Reports of total included studies (n\u00a0=\u00a011)"}) {
    EXPECT_NE(words.find(box), std::string::npos) << box << " in: " << words;
  }

  // Withdrawn: a new review's diagram again.
  ASSERT_TRUE(pj::withdraw_previous_review(*p, "not an update after all"));
  EXPECT_FALSE(*pj::current_previous_review(*p));
  c = counts();
  EXPECT_FALSE(c.previous_studies);
  EXPECT_FALSE(c.total_studies);
  // Set again: the latest event counts (5 + 2 = 7 studies, 6 + 2 = 8 reports).
  ASSERT_TRUE(pj::record_previous_review(*p, {.studies = 5, .reports = 6}));
  // Refused, and nothing stored: fewer reports than studies, a negative count.
  auto bad = pj::record_previous_review(*p, {.studies = 5, .reports = 4});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().id, srma::errc::project_bad_option);
  EXPECT_NE(bad.error().message.find("previous version: reports is 4, but must be at least "
                                     "studies (5): every study has at least one report"),
            std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(pj::record_previous_review(*p, {.studies = -1, .reports = 0}));
  c = counts();
  EXPECT_EQ(c.total_studies, 7);
  EXPECT_EQ(c.total_reports, 8);
  // Append-only, and the table refuses a count that is not one.
  const auto db = p->database_path();
  EXPECT_NE(raw_exec(db, "DELETE FROM previous_review"), SQLITE_OK);
  EXPECT_NE(raw_exec(db, "UPDATE previous_review SET studies = 1"), SQLITE_OK);
  EXPECT_NE(raw_exec(db,
                     "INSERT INTO previous_review (action, studies, reports, note, at) "
                     "VALUES ('set', NULL, 3, '', 'now')"),
            SQLITE_OK);
  auto chk = pj::check(*p);
  ASSERT_TRUE(chk);
  EXPECT_TRUE(chk->ok()) << (chk->problems.empty() ? chk->integrity : chk->problems[0]);
}

// A project written by the srma of schema version 1 (tests/data/review/v1/project.sql, a dump of
// it) opens, is migrated to the current version with every row and id kept, and takes the new
// kinds of source.
TEST(ReviewProject, MigratesVersion1Project) {
  temp_dir dir;
  fs::create_directories(dir.path);
  std::ifstream in(std::string(SRMA_SOURCE_DIR) + "/tests/data/review/v1/project.sql");
  ASSERT_TRUE(in);
  const std::string dump((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto db = dir.path / pj::database_file_name;
  std::string msg;
  ASSERT_EQ(raw_exec(db, dump, &msg), SQLITE_OK) << msg;
  // Version 1 as written: the old kinds only.
  EXPECT_NE(raw_exec(db,
                     "INSERT INTO import_batch (file, source, kind, format, format_evidence, "
                     "encoding, content_hash, records, warnings, imported_at) VALUES "
                     "('x','X','citation','ris','','utf-8','h',0,'[]','now')"),
            SQLITE_OK);
  auto p = pj::review_project::open(dir.path);
  ASSERT_TRUE(p) << p.error().what();
  EXPECT_EQ(p->settings().schema, pj::schema_version);
  EXPECT_EQ(p->settings().title, "A version 1 project");
  auto chk = pj::check(*p);
  ASSERT_TRUE(chk);
  EXPECT_TRUE(chk->ok()) << (chk->problems.empty() ? chk->integrity : chk->problems[0]);
  EXPECT_EQ(chk->schema, pj::schema_version);  // migrated to the current version
  EXPECT_EQ(chk->records, 5);
  EXPECT_EQ(chk->batches, 2);
  EXPECT_EQ(chk->decisions, 7);
  // Rows and ids as they were (the file's comment lists what it holds).
  auto recs = pj::load_records(*p);
  ASSERT_TRUE(recs);
  ASSERT_EQ(recs->size(), 5u);
  EXPECT_EQ((*recs)[0].record.pmid, "36981204");
  EXPECT_EQ((*recs)[3].source, "Embase");
  EXPECT_EQ((*recs)[3].kind, pj::source_kind::database);
  // The flow of the version 1 project: 5 records − 1 duplicate = 4 screened; 1 excluded, 3
  // sought; 1 not retrieved, 2 assessed; 1 excluded (Single-arm study), 1 included.
  auto flow = pj::derive_prisma(*p);
  ASSERT_TRUE(flow) << flow.error().what();
  const auto& c = flow->counts;
  EXPECT_EQ(c.database_results, 5);
  EXPECT_EQ(c.duplicates, 1);
  EXPECT_EQ(c.records_screened, 4);
  EXPECT_EQ(c.records_excluded, 1);
  EXPECT_EQ(c.dbr_sought_reports, 3);
  EXPECT_EQ(c.dbr_notretrieved_reports, 1);
  EXPECT_EQ(c.dbr_assessed, 2);
  EXPECT_EQ(c.dbr_excluded, (std::vector<srma::review::named_count>{{"Single-arm study", 1}}));
  EXPECT_EQ(c.new_reports, 1);
  EXPECT_FALSE(c.other_sought_reports);
  // The rebuilt table keeps its guards; the new kinds are accepted, unknown ones are not.
  EXPECT_NE(raw_exec(db, "DELETE FROM import_batch"), SQLITE_OK);
  EXPECT_NE(raw_exec(db, "UPDATE import_batch SET kind = 'website'"), SQLITE_OK);
  EXPECT_NE(raw_exec(db,
                     "INSERT INTO import_batch (file, source, kind, format, format_evidence, "
                     "encoding, content_hash, records, warnings, imported_at) VALUES "
                     "('x','X','handsearch','ris','','utf-8','h',0,'[]','now')"),
            SQLITE_OK);
  generator gen(77);
  write(dir.path / "refs.ris", as_plain_ris(gen.make(1)));
  auto b = pj::import_records(*p, (dir.path / "refs.ris").string(),
                              {.source = "Reference lists", .kind = pj::source_kind::citation});
  ASSERT_TRUE(b) << b.error().what();
  EXPECT_EQ(b->id, 3);
  EXPECT_EQ(b->first_record, 6);
  ASSERT_TRUE(pj::record_previous_review(*p, {.studies = 2, .reports = 2}));
  // Opening it again changes nothing.
  auto again = pj::review_project::open(dir.path);
  ASSERT_TRUE(again);
  EXPECT_EQ(pj::check(*again)->records, 6);
  auto v = pj::current_previous_review(*again);
  ASSERT_TRUE(v && *v);
  EXPECT_EQ((*v)->studies, 2);
  EXPECT_EQ((*v)->reports, 2);
}

}  // namespace

namespace cache_test {

// A project of `n` generated articles from one database, de-duplicated (nothing to merge).
pj::review_project small_project(const fs::path& dir, int n, unsigned seed) {
  auto p = pj::review_project::init(dir, {.title = "Cache", .reasons = {"Wrong population"}});
  EXPECT_TRUE(p) << p.error().what();
  generator gen(seed);
  std::string ris;
  for (int i = 0; i < n; ++i) ris += as_plain_ris(gen.make(i));
  write(dir / "a.ris", ris);
  EXPECT_TRUE(pj::import_records(*p, (dir / "a.ris").string(), {.source = "Embase"}));
  EXPECT_TRUE(pj::run_dedup(*p));
  return std::move(*p);
}

}  // namespace cache_test

// A vote checks its record against the record flow kept from the last call (flow.hpp). What
// another connection adds (records, a de-duplication run, a pair verdict) must be seen at once.
TEST(ReviewProject, VotesSeeWhatAnotherConnectionImportedAndMerged) {
  temp_dir dir;
  auto p = cache_test::small_project(dir.path / "p", 4, 11);
  const pj::vote_input first{1, pj::vote::include, "", "", 0};
  ASSERT_TRUE(pj::record_votes(p, pj::stage::title, {first}, "A", pj::role::reviewer, "t"));
  auto other = pj::review_project::open(dir.path / "p");
  ASSERT_TRUE(other) << other.error().what();
  // Another connection imports two records: screening waits for de-duplication ...
  generator gen(12);
  write(dir.path / "b.ris", as_plain_ris(gen.make(100)) + as_plain_ris(gen.make(101)));
  ASSERT_TRUE(pj::import_records(*other, (dir.path / "b.ris").string(), {.source = "PubMed"}));
  const pj::vote_input fifth{5, pj::vote::exclude, "", "", 0};
  auto early = pj::record_votes(p, pj::stage::title, {fifth}, "A", pj::role::reviewer, "t");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().id, srma::errc::project_not_deduplicated);
  // ... and after it the new records are screened through the first connection.
  ASSERT_TRUE(pj::run_dedup(*other));
  auto later = pj::record_votes(p, pj::stage::title, {fifth}, "A", pj::role::reviewer, "t");
  ASSERT_TRUE(later) << later.error().what();
  EXPECT_EQ(later->recorded, 1U);
  // A person's verdict on the other connection merges records 2 and 6: record 6 is then a
  // removed duplicate, refused at the title stage with the reason.
  ASSERT_TRUE(pj::record_pair_verdicts(*other, {{2, 6, pj::pair_verdict::duplicate}}, "C"));
  const pj::vote_input sixth{6, pj::vote::include, "", "", 0};
  auto merged = pj::record_votes(p, pj::stage::title, {sixth}, "A", pj::role::reviewer, "t");
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().id, srma::errc::project_not_eligible);
  EXPECT_NE(merged.error().message.find("duplicate of record 2"), std::string::npos)
      << merged.error().message;
}

// A rolled-back transaction can take back rows that the kept flow was derived from; a later row
// may then get the same id (SQLite reuses the largest rowid + 1). The flow must not survive that.
TEST(ReviewProject, KeptRecordFlowDoesNotOutliveARollback) {
  temp_dir dir;
  auto p = cache_test::small_project(dir.path / "p", 4, 13);
  const auto& db = p.state().db;
  {
    auto tx = srma::project::detail::transaction::begin(db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(
        db.exec("INSERT INTO pair_decision (a, b, verdict, reviewer, at) VALUES "
                "(1, 2, 'duplicate', 'X', 'now')"));
    // Inside the transaction record 2 is a duplicate of record 1.
    const pj::vote_input two{2, pj::vote::include, "", "", 0};
    auto inside = pj::record_votes(p, pj::stage::title, {two}, "A", pj::role::reviewer, "t");
    ASSERT_FALSE(inside);
    EXPECT_EQ(inside.error().id, srma::errc::project_not_eligible);
  }  // rolled back
  // The same id now says records 3 and 4 are duplicates; record 2 stands on its own again.
  ASSERT_TRUE(pj::record_pair_verdicts(p, {{3, 4, pj::pair_verdict::duplicate}}, "X"));
  const pj::vote_input two{2, pj::vote::include, "", "", 0};
  auto after = pj::record_votes(p, pj::stage::title, {two}, "A", pj::role::reviewer, "t");
  ASSERT_TRUE(after) << after.error().what();
  const pj::vote_input four{4, pj::vote::include, "", "", 0};
  auto dup = pj::record_votes(p, pj::stage::title, {four}, "A", pj::role::reviewer, "t");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().id, srma::errc::project_not_eligible);
}

// record_votes_together: one commit, each call on its own. A call that fails stores none of its
// votes (its savepoint is rolled back), the calls around it stand, each with its own summary.
TEST(ReviewProject, VotesTogetherFailAloneAndCommitOnce) {
  temp_dir dir;
  auto p = cache_test::small_project(dir.path / "p", 5, 17);
  std::vector<pj::vote_call> calls;
  calls.push_back(
      {pj::stage::title, {{1, pj::vote::include, "", "", 0}}, "A", pj::role::reviewer, "web"});
  // Record 2 is fine, record 42 does not exist: the whole call fails, record 2 included.
  calls.push_back({pj::stage::title,
                   {{2, pj::vote::exclude, "", "", 0}, {42, pj::vote::exclude, "", "", 0}},
                   "B",
                   pj::role::reviewer,
                   "web"});
  calls.push_back({pj::stage::title,
                   {{1, pj::vote::include, "", "", 0}, {3, pj::vote::maybe, "", "", 0}},
                   "B",
                   pj::role::reviewer,
                   "web"});
  // A's vote again, the same as the standing one stored by the first call: not stored twice.
  calls.push_back(
      {pj::stage::title, {{1, pj::vote::include, "", "", 0}}, "A", pj::role::reviewer, "web"});
  auto out = pj::record_votes_together(p, calls);
  ASSERT_EQ(out.size(), 4U);
  ASSERT_TRUE(out[0]) << out[0].error().what();
  EXPECT_EQ(out[0]->recorded, 1U);
  ASSERT_FALSE(out[1]);
  EXPECT_EQ(out[1].error().id, srma::errc::project_unknown_record);
  ASSERT_TRUE(out[2]) << out[2].error().what();
  EXPECT_EQ(out[2]->recorded, 2U);
  EXPECT_EQ(out[2]->maybe, 1U);
  ASSERT_TRUE(out[3]) << out[3].error().what();
  EXPECT_EQ(out[3]->recorded, 0U);
  EXPECT_EQ(out[3]->unchanged, 1U);
  // Read back through a second connection: A on 1, B on 1 and 3, nothing of the failed call.
  auto other = pj::review_project::open(dir.path / "p");
  ASSERT_TRUE(other);
  auto outcomes = pj::stage_outcomes(*other, pj::stage::title);
  ASSERT_TRUE(outcomes) << outcomes.error().what();
  ASSERT_EQ(outcomes->size(), 5U);
  EXPECT_EQ((*outcomes)[0].votes.size(), 2U);
  EXPECT_EQ((*outcomes)[0].result, pj::outcome::include);
  EXPECT_TRUE((*outcomes)[1].votes.empty());
  ASSERT_EQ((*outcomes)[2].votes.size(), 1U);
  EXPECT_EQ((*outcomes)[2].votes[0].reviewer, "B");
  // Three calls stored their command-log line; the failed one did not.
  auto log = other->state().db.prepare("SELECT count(*) FROM command_log WHERE command = ?");
  ASSERT_TRUE(log);
  log->bind(1, "screen");
  auto row = log->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(log->integer(0), 3);
}
