// Tests of the analysis page's handler (srma/web/analysis.hpp), called without a socket: the study
// table (read, edited, pasted, refused with a located error), the pooled result against
// `srma pool --json` on the same table and against metafor, the figures, PRISMA, downloads, the
// report, malformed requests, and the time a typical review takes.
//
// The table: the seed review's Table 1 (examples/gepnet-ptr/studies.csv, Xiao et al. 2025) with
// ILLUSTRATIVE hazard ratios (the article gives the study HRs only in its figures), chosen with
// some heterogeneity so that the tau^2 estimators differ.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/project/project.hpp"
#include "srma/report/json.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/web/analysis.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using srma::web::request;
using srma::web::response;

// Illustrative hr, lower, upper per study of examples/gepnet-ptr/studies.csv, in its order.
const double k_hr[] = {0.42, 0.38, 0.45, 0.75, 0.22, 0.52, 0.55, 0.50, 0.85, 0.40, 0.33};
const double k_lower[] = {0.18, 0.21, 0.25, 0.52, 0.10, 0.43, 0.47, 0.42, 0.47, 0.34, 0.18};
const double k_upper[] = {0.98, 0.69, 0.81, 1.08, 0.48, 0.63, 0.65, 0.60, 1.54, 0.47, 0.60};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The seed table with the illustrative estimates, as CSV text.
std::string seed_csv() {
  auto t = srma::read_csv(std::string(SRMA_SOURCE_DIR) + "/examples/gepnet-ptr/studies.csv");
  EXPECT_TRUE(t.has_value());
  const int hr = t->find_column("hr");
  const int lo = t->find_column("lower");
  const int up = t->find_column("upper");
  for (std::size_t i = 0; i < t->rows.size(); ++i) {
    t->rows[i].fields[hr] = fmt::format("{}", k_hr[i]);
    t->rows[i].fields[lo] = fmt::format("{}", k_lower[i]);
    t->rows[i].fields[up] = fmt::format("{}", k_upper[i]);
  }
  return srma::format_csv(*t);
}

// The same table as tab-separated text, as a spreadsheet copies it.
std::string seed_tsv() {
  auto t = srma::parse_csv(seed_csv(), "seed");
  t->separator = '\t';
  return srma::format_csv(*t);
}

// The srma program beside this test binary (build/tests/srma_tests -> build/srma).
fs::path srma_program() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return self.parent_path().parent_path() / "srma";
}

std::string run_program(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// Every number equal to a relative 1e-12, every other value equal; `skip` keys are left out.
void expect_same_json(const json& a, const json& b, const std::string& where = "$") {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    EXPECT_LE(std::abs(x - y), 1e-12 * std::max(1.0, std::abs(y))) << where;
    return;
  }
  ASSERT_EQ(a.type_name(), std::string(b.type_name())) << where;
  if (a.is_object()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    for (const auto& [k, v] : b.items()) {
      ASSERT_TRUE(a.contains(k)) << where << "." << k;
      expect_same_json(a.at(k), v, where + "." + k);
    }
  } else if (a.is_array()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    for (std::size_t i = 0; i < a.size(); ++i)
      expect_same_json(a[i], b[i], where + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_EQ(a, b) << where;
  }
}

// Whether some number in `j` equals `x` (to a relative 1e-12).
bool holds_number(const json& j, double x) {
  if (j.is_number()) return std::abs(j.get<double>() - x) <= 1e-12 * std::max(1.0, std::abs(x));
  if (j.is_object() || j.is_array()) {
    for (const auto& v : j) {
      if (holds_number(v, x)) return true;
    }
  }
  return false;
}

class web_analysis_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("srma-web-analysis-{}-{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto p = srma::project::review_project::init(dir_, {.title = "PTR in GEP-NETs"});
    ASSERT_TRUE(p.has_value()) << p.error().what();
    project_ = std::make_unique<srma::project::review_project>(std::move(*p));
  }
  void TearDown() override {
    project_.reset();
    fs::remove_all(dir_);
  }

  response call(const std::string& method, const std::string& path, const std::string& body = {},
                std::map<std::string, std::string> query = {}) {
    return srma::web::handle_analysis(*project_,
                                      request{method, path, body, std::move(query), "ann"});
  }
  static json body_of(const response& r) { return json::parse(r.body); }
  void store_seed() {
    auto r = call("POST", "/api/analysis/studies", json{{"text", seed_csv()}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json run(const json& options) {
    auto r = call("POST", "/api/analysis/run", options.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  }

  fs::path dir_;
  std::unique_ptr<srma::project::review_project> project_;
};

TEST_F(web_analysis_test, options_come_from_the_library) {
  auto r = call("GET", "/api/analysis/options");
  ASSERT_EQ(r.status, 200);
  const json j = body_of(r);
  const auto& tau2 = j["tau2"];
  EXPECT_NE(std::find(tau2.begin(), tau2.end(), "REML"), tau2.end());
  EXPECT_NE(std::find(tau2.begin(), tau2.end(), "DL"), tau2.end());
  EXPECT_EQ(j["defaults"]["model"], "auto");
  // The seed review's rule (Xiao et al. 2025, section 2.4): random effects from I^2 = 20%.
  EXPECT_EQ(j["defaults"]["auto_i2"], 20.0);
}

TEST_F(web_analysis_test, a_new_project_gives_its_own_empty_table) {
  auto r = call("GET", "/api/analysis/studies");
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = body_of(r);
  EXPECT_EQ(j["source"], "project");
  EXPECT_EQ(j["columns"], json::array({"study"}));
  EXPECT_TRUE(j["rows"].empty());
}

TEST_F(web_analysis_test, an_edited_table_is_stored_as_csv_and_read_back) {
  const json table = {{"columns", {"study", "hr", "lower", "upper", "year"}},
                      {"rows",
                       {{"A 2001", "0.5", "0.3", "0.9", 2001},
                        {"B 2002", "0.7", "0.5", "1.1", nullptr},
                        {"C 2003", "", "", "", "2003"}}}};
  auto r = call("POST", "/api/analysis/studies", table.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const fs::path file = dir_ / srma::web::edited_table_path;
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(read_text(file),
            "study,hr,lower,upper,year\nA 2001,0.5,0.3,0.9,2001\nB 2002,0.7,0.5,1.1,\n"
            "C 2003,,,,2003\n");
  const json j = body_of(call("GET", "/api/analysis/studies"));
  EXPECT_EQ(j["source"], "edited");
  EXPECT_EQ(j["rows"][1], json::array({"B 2002", "0.7", "0.5", "1.1", ""}));
  // C 2003 has no estimate yet: stored, and listed as left out of the analysis.
  EXPECT_EQ(j["check"]["k"], 2);
  ASSERT_EQ(j["check"]["excluded"].size(), 1u);
  EXPECT_EQ(j["check"]["excluded"][0]["study"], "C 2003");

  auto reset = call("POST", "/api/analysis/studies/reset");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(body_of(reset)["source"], "project");
  EXPECT_FALSE(fs::exists(file));
}

TEST_F(web_analysis_test, a_paste_from_a_spreadsheet_is_tab_separated_text) {
  auto r = call("PUT", "/api/analysis/studies", seed_tsv());
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = body_of(r);
  EXPECT_EQ(j["columns"][0], "study");
  EXPECT_EQ(j["columns"].size(), 18u);  // examples/gepnet-ptr/studies.csv has 18 columns
  EXPECT_EQ(j["rows"].size(), 11u);
  EXPECT_EQ(j["rows"][1][2], "Italy, United Kingdom and Germany");  // a comma inside a cell
  EXPECT_EQ(j["check"]["k"], 11);
  // Stored as comma-separated CSV whatever the paste used.
  auto stored = srma::read_csv((dir_ / srma::web::edited_table_path).string());
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->separator, ',');
}

// The seed review's table as the example gives it: Table 1 with empty hr, lower, upper. It is
// stored (the estimates are entered later); the analysis says that no study has an estimate yet.
TEST_F(web_analysis_test, a_table_without_estimates_yet_is_stored) {
  const std::string text =
      read_text(fs::path(SRMA_SOURCE_DIR) / "examples" / "gepnet-ptr" / "studies.csv");
  auto r = call("POST", "/api/analysis/studies", text);
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = body_of(r);
  EXPECT_EQ(j["rows"].size(), 11u);
  EXPECT_FALSE(j["check"]["ok"]);
  EXPECT_EQ(j["check"]["error"]["id"], srma::errc::input_no_studies);
  auto run = call("POST", "/api/analysis/run", "{}");
  EXPECT_EQ(run.status, 422);
  EXPECT_EQ(body_of(run)["error"]["id"], srma::errc::input_no_studies);
  // Only Table 1's columns, no effect columns at all: stored too.
  auto r2 = call("POST", "/api/analysis/studies", "study,year\nBettini 2009,2009\n");
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(body_of(r2)["check"]["error"]["id"], srma::errc::input_no_column_set);
}

TEST_F(web_analysis_test, a_bad_cell_is_refused_naming_row_and_column_and_nothing_is_stored) {
  store_seed();
  const std::string before = read_text(dir_ / srma::web::edited_table_path);
  auto t = srma::parse_csv(seed_csv(), "seed");
  t->rows[3].fields[t->find_column("hr")] = "0,75x";  // row 4: Tao 2017
  t->separator = '\t';
  auto r = call("POST", "/api/analysis/studies", srma::format_csv(*t));
  ASSERT_EQ(r.status, 422) << r.body;
  const json e = body_of(r)["error"];
  EXPECT_EQ(e["id"], srma::errc::web_bad_table);
  EXPECT_EQ(e["row"], 4);
  EXPECT_EQ(e["column"], "hr");
  EXPECT_EQ(e["cause"]["id"], srma::errc::input_not_a_number);
  EXPECT_EQ(e["message"].get<std::string>().rfind("row 4 (Tao 2017), column 'hr': ", 0), 0u)
      << e["message"];
  EXPECT_EQ(read_text(dir_ / srma::web::edited_table_path), before);

  // A row with a field too many: located by row, nothing stored.
  auto r2 = call("POST", "/api/analysis/studies", "study\thr\tlower\tupper\nA\t0.5\t0.3\t0.9\t7\n");
  ASSERT_EQ(r2.status, 422) << r2.body;
  EXPECT_EQ(body_of(r2)["error"]["id"], srma::errc::web_bad_table);
  EXPECT_EQ(body_of(r2)["error"]["row"], 1);
  EXPECT_EQ(body_of(r2)["error"]["cause"]["id"], srma::errc::csv_field_count);
  // A CI bound of a ratio that is not positive.
  auto r3 = call("POST", "/api/analysis/studies", "study,hr,lower,upper\nA,0.5,0.3,-0.9\n");
  ASSERT_EQ(r3.status, 422) << r3.body;
  EXPECT_EQ(body_of(r3)["error"]["row"], 1);
  EXPECT_EQ(body_of(r3)["error"]["column"], "upper");
  EXPECT_EQ(body_of(r3)["error"]["cause"]["id"], srma::errc::input_out_of_range);
  EXPECT_EQ(read_text(dir_ / srma::web::edited_table_path), before);
}

TEST_F(web_analysis_test, malformed_requests_get_their_error_ids) {
  struct bad_case {
    std::string method, path, body;
    int status;
    const char* id;
  };
  const std::vector<bad_case> cases = {
      {"POST", "/api/analysis/studies", R"({"columns": 3})", 400, srma::errc::web_bad_request},
      {"POST", "/api/analysis/studies", R"({"columns": ["a","b"], "rows": [["1"]]})", 400,
       srma::errc::web_bad_request},
      {"POST", "/api/analysis/studies", R"({"columns": ["a"], "rows": [[{"x": 1}]]})", 400,
       srma::errc::web_bad_request},
      {"POST", "/api/analysis/studies", "{not json", 400, srma::errc::web_bad_request},
      {"POST", "/api/analysis/studies", "study,hr\n\"A,0.5\n", 422, srma::errc::web_bad_table},
      {"POST", "/api/analysis/run", "[1, 2", 400, srma::errc::web_bad_request},
      {"POST", "/api/analysis/run", R"({"tau2": "XX"})", 400, srma::errc::web_bad_request},
      {"POST", "/api/analysis/run", R"({"level": 120})", 400, srma::errc::web_bad_request},
      {"POST", "/api/analysis/run", R"({"hksj": "maybe"})", 400, srma::errc::web_bad_request},
      {"POST", "/api/analysis/run", R"({"tau": "DL"})", 400, srma::errc::web_bad_request},
      {"POST", "/api/analysis/run", R"({"model": ["auto"]})", 400, srma::errc::web_bad_request},
      {"GET", "/api/analysis/run", "", 405, srma::errc::web_method_not_allowed},
      {"DELETE", "/api/analysis/studies", "", 405, srma::errc::web_method_not_allowed},
      {"GET", "/api/analysis/nothing", "", 404, srma::errc::web_not_found},
      {"GET", "/api/other", "", 404, srma::errc::web_not_found},
      {"GET", "/api/analysis/download/forest.gif", "", 404, srma::errc::web_not_found},
      {"GET", "/api/analysis/download/report/../../review.srma.sqlite", "", 404,
       srma::errc::web_not_found},
      {"GET", "/api/analysis/download/report/%2e%2e/x", "", 404, srma::errc::web_not_found},
  };
  for (const auto& c : cases) {
    auto r = call(c.method, c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.path << " " << c.body << ": " << r.body;
    ASSERT_EQ(r.content_type, "application/json");
    EXPECT_EQ(body_of(r)["error"]["id"], c.id) << c.path << " " << c.body;
  }
  auto r = call("POST", "/api/analysis/run", R"({"tau2": "XX"})");
  EXPECT_EQ(body_of(r)["error"]["message"],
            "option 'tau2' is 'XX'; expected DL, REML, ML, PM, HS, SJ, HE or EB");
  // No estimates in the project yet: the library says so (422), the page shows it.
  auto none = call("POST", "/api/analysis/run", "{}");
  EXPECT_EQ(none.status, 422) << none.body;
}

// The numbers of the page are those of `srma pool --json` on the same table (the whole JSON but
// the input file's name), for each tau^2 estimator, HKSJ, the auto rule and subgroups.
TEST_F(web_analysis_test, run_equals_srma_pool_json_on_the_same_table) {
  const fs::path program = srma_program();
  if (!fs::exists(program)) GTEST_SKIP() << "no srma program at " << program;
  store_seed();
  const fs::path csv = dir_ / "seed.csv";
  std::ofstream(csv) << seed_csv();
  struct variant {
    json options;
    std::string flags;
  };
  const std::vector<variant> variants = {
      {{{"tau2", "DL"}, {"model", "auto"}}, "--tau2 DL --model auto"},
      {{{"tau2", "REML"}, {"model", "both"}}, "--tau2 REML --model both"},
      {{{"tau2", "PM"}, {"model", "random"}, {"hksj", true}}, "--tau2 PM --model random --hksj"},
      {{{"tau2", "SJ"}, {"level", 90}, {"pi", "t2"}}, "--tau2 SJ --level 90 --pi t2"},
      {{{"tau2", "EB"}, {"i2", "tau2"}, {"auto_i2", 60}, {"model", "auto"}},
       "--tau2 EB --i2 tau2 --auto-i2 60 --model auto"},
      {{{"tau2", "ML"}, {"by", "location"}}, "--tau2 ML --by location"},
      {{{"preset", "metafor"}}, "--preset metafor"},
  };
  for (const auto& v : variants) {
    const json page = run(v.options);
    const std::string out = run_program(fmt::format("'{}' pool '{}' --json --exclude-missing {}",
                                                    program.string(), csv.string(), v.flags));
    json cli = json::parse(out, nullptr, false);
    ASSERT_FALSE(cli.is_discarded()) << v.flags << ": " << out;
    json mine = page["result"];
    ASSERT_TRUE(mine["input"].contains("source"));
    mine["input"].erase("source");
    cli["input"].erase("source");
    SCOPED_TRACE(v.flags);
    expect_same_json(mine, cli);
  }
}

// The same numbers against metafor 3.8-1 (Debian r-cran-metafor), with
//   yi <- log(hr); sei <- (log(upper) - log(lower)) / (2 * qnorm(0.975))
// on the illustrative table above: rma(yi, sei = sei, method = M), the iterative estimators with
// tight control (metafor's defaults stop REML at a tau^2 change of 1e-5 and PM at uniroot's
// tolerance of about 1e-4): control = list(threshold = 1e-12, maxiter = 1000) for REML,
// control = list(tol = 1e-14) for PM.
TEST_F(web_analysis_test, run_matches_metafor_for_each_estimator) {
  store_seed();
  struct ref {
    const char* tau2;
    double b, se, tau2_value;
  };
  // b, se, tau2 as printed by sprintf("%.12f") in R.
  const ref refs[] = {{"DL", -0.713438068758, 0.076277985790, 0.027737201689},
                      {"REML", -0.713494079852, 0.076419102217, 0.027907000847},
                      {"PM", -0.720966733993, 0.092305719180, 0.050474036023},
                      {"SJ", -0.729009546584, 0.107801915036, 0.079174541357},
                      {"HS", -0.711248107776, 0.070028685571, 0.020740617117}};
  for (const auto& r : refs) {
    const json j = run({{"tau2", r.tau2}, {"model", "random"}})["result"];
    SCOPED_TRACE(r.tau2);
    // The references carry 12 decimals.
    EXPECT_NEAR(j["random"]["estimate"].get<double>(), r.b, 1e-11);
    EXPECT_NEAR(j["random"]["se"].get<double>(), r.se, 1e-11);
    EXPECT_NEAR(j["heterogeneity"]["tau2"].get<double>(), r.tau2_value, 1e-11);
  }
  // rma(yi, sei=sei, method="EE"): b = -0.7127391762, Q = 23.5002355642, I2 (Q-based) =
  // (Q - 10) / Q = 57.447235%: the seed review's rule picks random effects (I^2 >= 20%) ...
  const json a = run({{"model", "auto"}})["result"];
  EXPECT_EQ(a["model"]["primary"], "random");
  EXPECT_NEAR(a["heterogeneity"]["I2"].get<double>(), 57.447235, 1e-6);
  EXPECT_NEAR(a["common"]["estimate"].get<double>(), -0.7127391762, 1e-9);
  // ... and a threshold of 60% the common effect.
  EXPECT_EQ(run({{"model", "auto"}, {"auto_i2", 60}})["result"]["model"]["primary"], "common");
}

TEST_F(web_analysis_test, run_answers_with_both_figures_and_a_changed_estimator_changes_them) {
  store_seed();
  const json dl = run({{"tau2", "DL"}, {"favours", "Favours PTR|Favours no PTR"}});
  const json sj = run({{"tau2", "SJ"}, {"favours", "Favours PTR|Favours no PTR"}});
  for (const json* j : {&dl, &sj}) {
    EXPECT_NE((*j)["forest_svg"].get<std::string>().find("<svg"), std::string::npos);
    EXPECT_NE((*j)["funnel_svg"].get<std::string>().find("<svg"), std::string::npos);
    EXPECT_NE((*j)["forest_svg"].get<std::string>().find("Favours PTR"), std::string::npos);
    EXPECT_EQ((*j)["table"], "edited");
  }
  EXPECT_NE(dl["forest_svg"], sj["forest_svg"]);
  // Subgroups: one block per location in the forest plot.
  const json by = run({{"by", "location"}});
  EXPECT_EQ(by["result"]["subgroups"].size(), 3u);  // Pancreatic, Gastrointestinal, GEP
  EXPECT_NE(by["forest_svg"].get<std::string>().find("Gastrointestinal"), std::string::npos);
}

TEST_F(web_analysis_test, a_label_with_markup_stays_text_in_the_svg) {
  auto r = call("POST", "/api/analysis/studies",
                "study,hr,lower,upper\n<script>alert(1)</script>,0.5,0.3,0.9\n"
                "\"B & <b>C</b>\",0.7,0.5,1.1\n");
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = run(json::object());
  const std::string svg = j["forest_svg"];
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("B &amp; &lt;b&gt;C&lt;/b&gt;"), std::string::npos);
}

// Issue 16, item 6: "in well under 100 ms for a typical review" (k = 11, the seed review's
// table): the whole answer (reading the stored table, pooling, both figures as SVG, JSON).
TEST_F(web_analysis_test, a_typical_review_answers_in_well_under_100_ms) {
  store_seed();
  (void)run({{"tau2", "REML"}});  // fonts and Pango's caches are loaded once per process
  std::vector<double> ms;
  const char* estimators[] = {"DL", "REML", "PM", "SJ", "ML", "EB", "HS", "HE"};
  for (int i = 0; i < 24; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = call("POST", "/api/analysis/run", json{{"tau2", estimators[i % 8]}}.dump());
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    ASSERT_EQ(r.status, 200);
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms[ms.size() / 2];
  const double worst = ms.back();
  std::printf("[ timing ] POST /api/analysis/run, k = 11: median %.2f ms, max %.2f ms (24 runs)\n",
              median, worst);
  EXPECT_LT(median, 50.0);
  EXPECT_LT(worst, 100.0);
}

TEST_F(web_analysis_test, prisma_comes_live_from_the_project) {
  auto r = call("GET", "/api/analysis/prisma");
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = body_of(r);
  EXPECT_NE(j["svg"].get<std::string>().find("<svg"), std::string::npos);
  EXPECT_NE(j["svg"].get<std::string>().find("Identification"), std::string::npos);
  EXPECT_TRUE(j["counts"].is_object());
}

TEST_F(web_analysis_test, downloads_of_figures_tables_and_results) {
  store_seed();
  const std::map<std::string, std::string> q = {{"tau2", "DL"}, {"model", "random"}};
  auto get = [&](const std::string& name) {
    return call("GET", "/api/analysis/download/" + name, "", q);
  };
  auto svg = get("forest.svg");
  ASSERT_EQ(svg.status, 200) << svg.body;
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  EXPECT_EQ(svg.headers["Content-Disposition"], "attachment; filename=\"forest.svg\"");
  EXPECT_EQ(svg.body, run({{"tau2", "DL"}, {"model", "random"}})["forest_svg"]);
  EXPECT_EQ(get("forest.png").body.substr(0, 4), "\x89PNG");
  EXPECT_EQ(get("funnel.pdf").body.substr(0, 5), "%PDF-");
  EXPECT_EQ(get("funnel.svg").content_type, "image/svg+xml");
  EXPECT_EQ(get("prisma.png").body.substr(0, 4), "\x89PNG");
  EXPECT_EQ(get("studies.csv").body, seed_csv());
  auto xlsx = get("studies.xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");  // a zip container (Office Open XML)
  const json results = json::parse(get("results.json").body);
  EXPECT_EQ(results["random"]["tau2_method"], "DL");
  // Nothing left behind in the project folder but the edited table.
  for (const auto& e : fs::directory_iterator(dir_ / "analysis"))
    EXPECT_EQ(e.path().filename().string().rfind(".download-", 0), std::string::npos);
}

TEST_F(web_analysis_test, the_report_is_an_index_of_files_from_srma_run) {
  store_seed();
  auto r = call("GET", "/api/analysis/download/report", "",
                {{"tau2", "DL"}, {"by", "location"}, {"favours", "Favours PTR|Favours no PTR"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = body_of(r);
  EXPECT_EQ(j["html"], "report.html");
  std::vector<std::string> paths;
  for (const auto& f : j["files"]) paths.push_back(f["path"]);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "report.html"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "results.json"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "plan/plan.toml"), paths.end());
  auto html = call("GET", "/api/analysis/download/report/report.html");
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("Gastrointestinal"), std::string::npos);
  auto plan = call("GET", "/api/analysis/download/report/plan/plan.toml");
  ASSERT_EQ(plan.status, 200);
  EXPECT_NE(plan.body.find("tau2 = \"DL\""), std::string::npos);
  EXPECT_NE(plan.body.find("by = \"location\""), std::string::npos);
  // The report's pooled result is the page's (the same table and options).
  auto results = call("GET", "/api/analysis/download/report/results.json");
  ASSERT_EQ(results.status, 200);
  const json page = run({{"tau2", "DL"}})["result"];
  EXPECT_TRUE(holds_number(json::parse(results.body), page["random"]["estimate"].get<double>()))
      << page["random"]["estimate"];
}

// The whole report as one zip: every file of the index under srma-report/, byte for byte the
// files the index serves, plus the plan and table; read back with libzip itself.
TEST_F(web_analysis_test, the_report_downloads_as_one_zip_of_the_same_files) {
  store_seed();
  const std::map<std::string, std::string> q = {{"tau2", "REML"}, {"by", "location"}};
  auto r = call("GET", "/api/analysis/download/report.zip", "", q);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/zip");
  EXPECT_NE(r.headers["Content-Disposition"].find("srma-report.zip"), std::string::npos);
  ASSERT_GT(r.body.size(), 4U);
  EXPECT_EQ(r.body.substr(0, 4), std::string("PK\x03\x04", 4));  // a local file header
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(r.body.data(), r.body.size(), 0, &err);
  ASSERT_NE(src, nullptr);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  ASSERT_NE(z, nullptr) << zip_error_strerror(&err);
  std::map<std::string, std::string> files;
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    ASSERT_EQ(zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st), 0);
    std::string bytes(static_cast<std::size_t>(st.size), '\0');
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(zip_fread(f, bytes.data(), st.size), static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    files[st.name] = bytes;
  }
  zip_close(z);
  // The same report's index: every file is in the archive with the bytes served one by one.
  const json idx = body_of(call("GET", "/api/analysis/download/report", "", q));
  ASSERT_FALSE(idx["files"].empty());
  EXPECT_EQ(files.size(), idx["files"].size());
  for (const auto& f : idx["files"]) {
    const std::string path = f["path"];
    auto it = files.find("srma-report/" + path);
    ASSERT_NE(it, files.end()) << path;
    if (path.size() > 5 && path.substr(path.size() - 5) == ".html") continue;  // dated text
    auto one = call("GET", "/api/analysis/download/report/" + path);
    ASSERT_EQ(one.status, 200) << path;
    EXPECT_EQ(it->second, one.body) << path;
  }
  EXPECT_NE(files["srma-report/plan/plan.toml"].find("tau2 = \"REML\""), std::string::npos);
  EXPECT_NE(files["srma-report/report.html"].find("Gastrointestinal"), std::string::npos);
}

}  // namespace
