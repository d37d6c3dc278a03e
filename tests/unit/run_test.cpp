#include "srma/run/run.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/plot/qqnorm.hpp"

namespace srma {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("srma_run_test_" + name);
  fs::remove_all(d);
  return d;
}

std::string example(const std::string& rel) { return std::string(SRMA_SOURCE_DIR) + "/" + rel; }

// The bundled survival example reproduces its published result: Pignon et al. 2000 (Lancet
// 355:949, abstract): pooled HR of death 0.90 (95% CI 0.85-0.94) with the fixed-effect model.
TEST(run_test, pignon2000_example_reproduces_the_published_hazard_ratio) {
  auto plan = read_plan(example("examples/pignon2000/plan.toml"));
  ASSERT_TRUE(plan) << plan.error().what();
  const auto out = scratch("pignon");
  auto r = run_plan(*plan, {.output_dir = out.string()});
  ASSERT_TRUE(r) << r.error().what();
  ASSERT_EQ(r->checks.size(), 1u);
  EXPECT_TRUE(r->checks[0].passed) << r->checks[0].published << " vs " << r->checks[0].reproduced;
  EXPECT_EQ(r->checks[0].reproduced, "0.90, 0.85, 0.94");
  for (const auto& a : r->analyses) EXPECT_TRUE(a.ran) << a.id << ": " << a.reason;
  EXPECT_EQ(r->headline,
            "HR 0.90 (95% CI 0.85\u20130.94; p < 0.001), common-effect model, 65 studies");

  const auto json = nlohmann::json::parse(slurp(out / "results.json"));
  EXPECT_EQ(json.at("checks")[0].at("passed"), true);
  const auto& overall = json.at("analyses")[0];
  EXPECT_EQ(overall.at("id"), "overall");
  // One source of truth: results.json holds exactly srma::pool()'s numbers (themselves validated
  // against metafor in tests/validation/pignon2000_test.cpp).
  auto studies = read_studies(example("examples/pignon2000/pignon2000.csv"));
  ASSERT_TRUE(studies);
  auto pooled = pool(*studies, plan->model);
  ASSERT_TRUE(pooled);
  EXPECT_EQ(overall.at("result").at("common").at("estimate").get<double>(),
            pooled->common.estimate);
  EXPECT_EQ(overall.at("result").at("random").at("ci_upper").get<double>(),
            pooled->random.ci_upper);

  // Every figure exists in all three formats and is inline in the HTML.
  const std::string html = slurp(out / "report.html");
  std::size_t figures = 0;
  for (const auto& f : fs::directory_iterator(out / "figures"))
    if (f.path().extension() == ".svg") ++figures;
  EXPECT_GE(figures, 4u);
  std::size_t inline_svgs = 0;
  for (std::size_t pos = 0; (pos = html.find("<svg", pos)) != std::string::npos; ++pos)
    ++inline_svgs;
  EXPECT_EQ(inline_svgs, figures);
  for (const auto& f : fs::directory_iterator(out / "figures")) {
    const auto stem = f.path().stem();
    EXPECT_TRUE(fs::exists(out / "figures" / (stem.string() + ".pdf"))) << stem;
    EXPECT_TRUE(fs::exists(out / "figures" / (stem.string() + ".png"))) << stem;
  }
  // Self-contained: no script, stylesheet or image fetched from elsewhere.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org"));  // only XML namespaces
  EXPECT_TRUE(fs::exists(out / "report.md"));
}

TEST(run_test, two_runs_write_byte_identical_files) {
  auto plan = read_plan(example("examples/pignon2000/plan.toml"));
  ASSERT_TRUE(plan);
  const auto a = scratch("twice_a"), b = scratch("twice_b");
  auto ra = run_plan(*plan, {.output_dir = a.string()});
  auto rb = run_plan(*plan, {.output_dir = b.string()});
  ASSERT_TRUE(ra && rb);
  ASSERT_EQ(ra->files, rb->files);
  for (const auto& f : ra->files) EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
}

TEST(run_test, studies_without_estimates_are_listed_with_how_to_enter_them) {
  const auto dir = scratch("missing");
  fs::create_directories(dir);
  std::ofstream(dir / "studies.csv") << "study,year,location,hr,lower,upper\n"
                                        "Bettini 2009,2009,Pancreatic,,,\n"
                                        "Gangi 2020,2020,Gastrointestinal,,,\n";
  std::ofstream(dir / "plan.toml") << "[data]\nfile = \"studies.csv\"\n[[analysis]]\ntype = "
                                      "\"pool\"\n[[analysis]]\ntype = \"subgroup\"\nby = "
                                      "\"location\"\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  auto r = run_plan(*plan, {.output_dir = (dir / "report").string()});
  ASSERT_TRUE(r) << r.error().what();
  for (const auto& a : r->analyses) {
    EXPECT_FALSE(a.ran);
    EXPECT_NE(a.reason.find("none of the 2 studies in studies.csv has an estimate yet"),
              std::string::npos)
        << a.reason;
  }
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0],
            "studies.csv: 2 of 2 studies have no estimate and are not analysed: Bettini 2009 "
            "(line 2), Gangi 2020 (line 3). Enter each study's estimate in studies.csv: the hazard "
            "ratio and its 95% CI in columns hr, lower, upper (or log HR and SE in loghr, se; or "
            "log-rank O-E and variance in oe, v), then run the plan again.");
  const std::string md = slurp(dir / "report" / "report.md");
  EXPECT_NE(md.find("Bettini 2009 (studies.csv line 2): no estimate"), std::string::npos);
  EXPECT_NE(md.find("columns hr, lower, upper"), std::string::npos);
  EXPECT_NE(md.find("| Bettini 2009 | 2009 | Pancreatic |"), std::string::npos);  // Table 1
}

TEST(run_test, a_filter_on_a_missing_column_stops_the_run_without_output) {
  const auto dir = scratch("bad_where");
  fs::create_directories(dir);
  std::ofstream(dir / "studies.csv") << "study,yi,vi,group\nA,0.1,0.1,x\nB,0.2,0.1,y\n";
  std::ofstream(dir / "plan.toml") << "[data]\nfile = \"studies.csv\"\n[[analysis]]\ntype = "
                                      "\"subset\"\nwhere = \"protocol == 'a'\"\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan);
  auto r = run_plan(*plan, {.output_dir = (dir / "report").string()});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, "srma.plan.E708");
  EXPECT_FALSE(fs::exists(dir / "report"));
}

// Issue 15, item 1: `file = "../x.csv"` or an absolute path was read silently (and its first
// line quoted in messages). Files outside the plan's folder, also through a link, are refused
// unless the user allows them; nothing is written.
TEST(run_test, files_outside_the_plans_folder_are_refused_unless_allowed) {
  const auto root = scratch("outside");
  const auto dir = root / "plan";
  fs::create_directories(dir);
  std::ofstream(root / "secret.csv") << "study,yi,vi\nA,0.1,0.1\nB,0.2,0.1\n";
  std::ofstream(dir / "inside.csv") << "study,yi,vi\nA,0.1,0.1\nB,0.2,0.1\n";
  auto run_with = [&](const std::string& data_line, bool allow) {
    std::ofstream(dir / "plan.toml", std::ios::trunc)
        << "[data]\n"
        << data_line << "\n[[analysis]]\ntype = \"pool\"\n";
    auto plan = read_plan((dir / "plan.toml").string());
    EXPECT_TRUE(plan);
    fs::remove_all(dir / "report");
    return run_plan(*plan, {.output_dir = (dir / "report").string(), .allow_outside = allow});
  };
  for (const std::string line :
       {"file = \"../secret.csv\"", "file = \"/etc/passwd\"", "file = \"sub/../../secret.csv\""}) {
    auto r = run_with(line, false);
    ASSERT_FALSE(r) << line;
    EXPECT_EQ(r.error().id, "srma.plan.E710") << line;
    EXPECT_NE(r.error().message.find("lies outside the plan's folder"), std::string::npos);
    EXPECT_EQ(r.error().message.find("study,yi"), std::string::npos);  // no content quoted
    EXPECT_FALSE(fs::exists(dir / "report")) << line;
  }
  // A link inside the folder that leads out is outside too.
  fs::create_symlink(root / "secret.csv", dir / "link.csv");
  auto linked = run_with("file = \"link.csv\"", false);
  ASSERT_FALSE(linked);
  EXPECT_EQ(linked.error().id, "srma.plan.E710");
  // Allowed by the user, the same plans run; files inside need nothing.
  EXPECT_TRUE(run_with("file = \"../secret.csv\"", true));
  EXPECT_TRUE(run_with("file = \"inside.csv\"", false));
  EXPECT_TRUE(run_with("file = \"./sub/../inside.csv\"", false));
}

// Issue 15, item 6: a [[check]] naming a subgroup of an analysis without subgroups passed on
// the overall estimate; a subgroup that a subgroup analysis does not have fails as well.
TEST(run_test, a_check_of_a_subgroup_that_does_not_exist_fails) {
  const auto dir = scratch("check_subgroup");
  fs::create_directories(dir);
  std::ofstream(dir / "studies.csv") << "study,yi,vi,g\nA,0.1,0.1,x\nB,0.2,0.1,x\nC,0.3,0.2,y\n"
                                        "D,0.4,0.1,y\n";
  std::ofstream(dir / "plan.toml")
      << "[data]\nfile = \"studies.csv\"\n[model]\nmodel = \"common\"\n"
         "[[analysis]]\ntype = \"pool\"\n[[analysis]]\ntype = \"subgroup\"\nby = \"g\"\n"
         "[[check]]\nanalysis = \"overall\"\nsubgroup = \"x\"\nestimate = 0.24\n"
         "[[check]]\nanalysis = \"subgroup\"\nsubgroup = \"z\"\nestimate = 0.24\n"
         "[[check]]\nanalysis = \"subgroup\"\nsubgroup = \"x\"\nestimate = 0.15\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  auto r = run_plan(*plan, {.output_dir = (dir / "report").string()});
  ASSERT_TRUE(r) << r.error().what();
  ASSERT_EQ(r->checks.size(), 3u);
  EXPECT_FALSE(r->checks[0].passed);
  EXPECT_EQ(r->checks[0].reason,
            "analysis 'overall' has no subgroups, so subgroup 'x' cannot be checked");
  EXPECT_FALSE(r->checks[1].passed);
  EXPECT_EQ(r->checks[1].reason, "subgroup 'z' not found");
  // Subgroup x: common effect of 0.1 and 0.2 with equal variances, (0.1 + 0.2) / 2 = 0.15.
  EXPECT_TRUE(r->checks[2].passed) << r->checks[2].reproduced;
}

// Issue 15, item 6: report.md did not escape the plan's title (HTML, a heading, a link could be
// injected through it).
TEST(run_test, the_plans_title_is_plain_text_in_report_md) {
  const auto dir = scratch("md_title");
  fs::create_directories(dir);
  std::ofstream(dir / "studies.csv") << "study,yi,vi\nA,0.1,0.1\nB,0.2,0.1\n";
  std::ofstream(dir / "plan.toml")
      << "[review]\ntitle = \"<script>x</script> *PTR*\\n# Not a heading [link](http://e.x)\"\n"
         "[data]\nfile = \"studies.csv\"\n[[analysis]]\ntype = \"pool\"\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  ASSERT_TRUE(run_plan(*plan, {.output_dir = (dir / "report").string()}));
  const std::string md = slurp(dir / "report" / "report.md");
  EXPECT_EQ(md.substr(0, md.find('\n')),
            "# \\<script\\>x\\</script\\> \\*PTR\\* \\# Not a heading [link]\\(http://e.x)");
  const std::string html = slurp(dir / "report" / "report.html");
  EXPECT_EQ(html.find("<script>x"), std::string::npos);
}

// Issue 15, item 5: a second run into one folder left the first run's files there; user files
// were overwritten without a word; two runs at once mixed. Now the report is swapped in whole,
// a folder of other files needs --force, and a second writer is refused while one writes.
TEST(run_test, a_report_folder_is_replaced_whole_and_other_folders_need_force) {
  const auto dir = scratch("swap");
  fs::create_directories(dir);
  std::ofstream(dir / "studies.csv") << "study,yi,vi,g\nA,0.1,0.1,x\nB,0.2,0.1,x\nC,0.3,0.2,y\n";
  auto run_plan_text = [&](const std::string& analyses, const fs::path& out, bool force) {
    std::ofstream(dir / "plan.toml", std::ios::trunc)
        << "[data]\nfile = \"studies.csv\"\n[figures]\nformats = [\"svg\"]\n"
        << analyses;
    auto plan = read_plan((dir / "plan.toml").string());
    EXPECT_TRUE(plan) << plan.error().what();
    return run_plan(*plan, {.output_dir = out.string(), .force = force});
  };
  const std::string two = "[[analysis]]\ntype = \"pool\"\n[[analysis]]\ntype = \"leave1out\"\n";
  const std::string one = "[[analysis]]\ntype = \"pool\"\n";
  const fs::path out = dir / "report";
  ASSERT_TRUE(run_plan_text(two, out, false));
  auto leave1out_files = [&] {
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(out))
      if (e.path().filename().string().find("leave1out") != std::string::npos) ++n;
    return n;
  };
  EXPECT_GT(leave1out_files(), 0);
  EXPECT_TRUE(fs::exists(out / ".srma-report"));
  // The second run's report has no leave-one-out analysis: none of its files stay behind.
  ASSERT_TRUE(run_plan_text(one, out, false));
  EXPECT_EQ(leave1out_files(), 0);
  EXPECT_TRUE(fs::exists(out / "report.html"));
  // No temporary folder is left beside it.
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".srma-new-"), std::string::npos) << e.path();

  // A folder with a file srma did not write: refused, the file untouched; --force writes beside it.
  const fs::path mine = dir / "mine";
  fs::create_directories(mine);
  std::ofstream(mine / "report.html") << "my own notes";
  auto refused = run_plan_text(one, mine, false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().what(),
            "[srma.output.E803] " + mine.string() +
                ": the folder holds files srma did not write (report.html); name a new or empty "
                "folder, or add --force to write the report into it");
  EXPECT_EQ(slurp(mine / "report.html"), "my own notes");
  std::ofstream(mine / "keep.txt") << "keep";
  ASSERT_TRUE(run_plan_text(one, mine, true));
  EXPECT_EQ(slurp(mine / "keep.txt"), "keep");
  EXPECT_NE(slurp(mine / "report.html"), "my own notes");

  // An empty folder is fine; a stale folder of a killed run is cleared away.
  const fs::path empty = dir / "empty";
  fs::create_directories(empty);
  fs::create_directories(dir / ".empty.srma-new-999999");
  ASSERT_TRUE(run_plan_text(one, empty, false));
  EXPECT_FALSE(fs::exists(dir / ".empty.srma-new-999999"));

  // While another run holds the report's lock, a second run is refused and changes nothing.
  const int fd = ::open((dir / ".report.srma-lock").c_str(), O_CREAT | O_RDWR, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto busy = run_plan_text(two, out, false);
  ::close(fd);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().id, "srma.output.E802");
  EXPECT_EQ(leave1out_files(), 0);
}

// A data error found while running an analysis names the data and the plan entry that asked.
TEST(run_test, a_data_error_in_an_analysis_names_the_plan_entry_and_writes_nothing) {
  const auto dir = scratch("bad_moderator");
  fs::create_directories(dir);
  std::ofstream(dir / "studies.csv")
      << "study,yi,vi,year\nA,0.1,0.1,2001\nB,0.2,0.1,2003\nC,0.5,0.2,2002\nD,0.3,0.1,2005\n";
  std::ofstream(dir / "plan.toml") << "[data]\nfile = \"studies.csv\"\n\n[[analysis]]\n"
                                      "type = \"metareg\"\nmods = [\"yaer\"]\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  auto r = run_plan(*plan, {.output_dir = (dir / "report").string()});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, "srma.input.E215");
  const std::string data = (dir / "studies.csv").string();
  const std::string plan_file = (dir / "plan.toml").string();
  EXPECT_EQ(r.error().what(),
            "[srma.input.E215] " + data +
                ": no moderator column 'yaer'; the columns available are: year, yi, vi (analysis "
                "'metareg' at " +
                plan_file + ":4)");
  EXPECT_FALSE(fs::exists(dir / "report"));
}

// Issue 12 item 6: [model] method and an [[analysis]] method pool the 2x2 tables as the library
// call with that method does, and the methods paragraph names both. The numbers of pool_2x2
// itself are validated against rma.mh/rma.peto in tests/validation/pool_2x2_test.cpp.
TEST(run_test, plan_and_analysis_methods_pool_2x2_tables_and_are_named_in_the_methods) {
  const auto dir = scratch("method");
  fs::create_directories(dir);
  fs::copy_file(std::string(SRMA_SOURCE_DIR) + "/tests/validation/data/pool2x2_li2007.csv",
                dir / "li2007.csv");
  std::ofstream(dir / "plan.toml")
      << "[data]\nfile = \"li2007.csv\"\nmeasure = \"OR\"\n[model]\nmethod = \"mh\"\n"
         "[[analysis]]\ntype = \"pool\"\n"
         "[[analysis]]\ntype = \"pool\"\nid = \"peto\"\nmethod = \"peto\"\n"
         "[[analysis]]\ntype = \"pool\"\nid = \"iv\"\ntitle = \"Inverse variance\"\n"
         "method = \"iv\"\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  ASSERT_EQ(plan->analyses.size(), 3u);
  EXPECT_FALSE(plan->analyses[0].method.has_value());
  EXPECT_EQ(plan->analyses[1].method, pooling_method::peto);
  auto r = run_plan(*plan, {.output_dir = (dir / "report").string()});
  ASSERT_TRUE(r) << r.error().what();
  const auto json = nlohmann::json::parse(slurp(dir / "report" / "results.json"));
  auto studies = read_studies((dir / "li2007.csv").string(), plan->reading);
  ASSERT_TRUE(studies) << studies.error().what();
  auto expect = [&](std::size_t i, pooling_method m, const study_table& t) {
    pool_options o = plan->model;
    o.method = m;
    auto fit = pool_2x2(t, o);
    ASSERT_TRUE(fit) << fit.error().what();
    const auto& got = json.at("analyses")[i].at("result").at("common");
    EXPECT_EQ(got.at("estimate").get<double>(), fit->common.estimate) << i;
    EXPECT_EQ(got.at("se").get<double>(), fit->common.se) << i;
  };
  expect(0, pooling_method::mantel_haenszel, *studies);
  expect(1, pooling_method::peto, informative_for_peto(*studies));
  expect(2, pooling_method::inverse_variance, *studies);
  // The three differ (else the test could not tell the methods apart).
  const auto est = [&](std::size_t i) {
    return json.at("analyses")[i].at("result").at("common").at("estimate").get<double>();
  };
  EXPECT_NE(est(0), est(1));
  EXPECT_NE(est(0), est(2));
  const std::string md = slurp(dir / "report" / "report.md");
  EXPECT_NE(md.find("by the Mantel-Haenszel method"), std::string::npos);
  EXPECT_NE(md.find("The analysis 'peto' pooled the tables by Peto's one-step method"),
            std::string::npos);
  EXPECT_NE(md.find("The analysis 'Inverse variance' pooled the tables with inverse-variance "
                    "weights instead."),
            std::string::npos);
  // A method that is not one of the choices names the key.
  std::ofstream(dir / "bad.toml") << "[data]\nfile = \"li2007.csv\"\n[[analysis]]\ntype = "
                                     "\"pool\"\nmethod = \"MH2\"\n";
  auto bad = read_plan((dir / "bad.toml").string());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().id, "srma.plan.E705");
  EXPECT_NE(bad.error().message.find("method"), std::string::npos) << bad.error().message;
}

}  // namespace
// Issue 13: the newer figures as plan analyses and a forest plot's layout. Each figure lands in
// figures/ in the three formats and inline in the report like the other figures; the numbers in
// results.json are those of the library call (itself validated in plot_*_test.cpp).
TEST(run_test, figure_analyses_and_forest_layouts_are_drawn_into_the_report) {
  const auto dir = scratch("figures");
  fs::create_directories(dir);
  fs::copy_file(example("tests/validation/data/bcg.csv"), dir / "bcg.csv");
  std::ofstream(dir / "plan.toml")
      << "[data]\nfile = \"bcg.csv\"\nmeasure = \"RR\"\n"
         "[[analysis]]\ntype = \"pool\"\nlayout = \"revman5\"\n"
         "[[analysis]]\ntype = \"subgroup\"\nby = \"alloc\"\nlayout = \"lancet\"\n"
         "[[analysis]]\ntype = \"labbe\"\n"
         "[[analysis]]\ntype = \"radial\"\n"
         "[[analysis]]\ntype = \"qqnorm\"\nseed = 7\n"
         "[[analysis]]\ntype = \"drapery\"\nscale = \"log\"\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  ASSERT_EQ(plan->analyses.size(), 6u);
  EXPECT_EQ(plan->analyses[0].layout, plot::forest_layout::revman5);
  EXPECT_EQ(plan->analyses[1].layout, plot::forest_layout::lancet);
  EXPECT_FALSE(plan->analyses[2].layout);
  EXPECT_EQ(plan->analyses[2].type, analysis_type::labbe);
  EXPECT_EQ(plan->analyses[4].seed, 7u);
  EXPECT_EQ(plan->analyses[5].scale, plot::drapery_scale::log);
  const auto out = dir / "report";
  auto r = run_plan(*plan, {.output_dir = out.string()});
  ASSERT_TRUE(r) << r.error().what();
  for (const auto& a : r->analyses) EXPECT_TRUE(a.ran) << a.id << ": " << a.reason;
  // Figures are numbered in report order (the drapery plot beside the overall effect).
  const std::vector<std::string> stems = {"figure-1-overall-forest", "figure-2-drapery-drapery",
                                          "figure-3-labbe-labbe",    "figure-4-radial-radial",
                                          "figure-5-qqnorm-qqnorm",  "figure-6-subgroup-forest"};
  for (const auto& stem : stems) {
    for (const char* ext : {".svg", ".pdf", ".png"}) {
      EXPECT_TRUE(fs::exists(out / "figures" / (stem + ext))) << stem << ext;
    }
  }
  const std::string html = slurp(out / "report.html");
  const std::string md = slurp(out / "report.md");
  // The layouts: RevMan 5's headings and the Lancet's raised decimal point.
  const std::string forest = slurp(out / "figures" / "figure-1-overall-forest.svg");
  EXPECT_NE(forest.find("Study or Subgroup"), std::string::npos);
  EXPECT_NE(forest.find("Total (95% CI)"), std::string::npos);
  EXPECT_NE(slurp(out / "figures" / "figure-6-subgroup-forest.svg").find("\u00b7"),
            std::string::npos);
  for (const char* words :
       {"L'Abb\u00e9 plot", "radial (Galbraith) plot", "normal quantiles", "p-value function"}) {
    EXPECT_NE(md.find(words), std::string::npos) << words;
  }
  // Inline in the HTML like every other figure.
  std::size_t inline_svgs = 0;
  for (std::size_t pos = 0; (pos = html.find("<svg", pos)) != std::string::npos; ++pos)
    ++inline_svgs;
  std::size_t figures = 0;
  for (const auto& f : fs::directory_iterator(out / "figures"))
    if (f.path().extension() == ".svg") ++figures;
  EXPECT_EQ(inline_svgs, figures);
  // results.json: the QQ plot's residuals are the library's, with the plan's seed.
  const auto json = nlohmann::json::parse(slurp(out / "results.json"));
  const nlohmann::json* qq = nullptr;
  for (const auto& a : json.at("analyses"))
    if (a.at("id") == "qqnorm") qq = &a;
  ASSERT_NE(qq, nullptr);
  auto studies = read_studies((dir / "bcg.csv").string(), plan->reading);
  ASSERT_TRUE(studies);
  auto pooled = pool(*studies, plan->model);
  ASSERT_TRUE(pooled);
  auto data = plot::qqnorm_data_from(*pooled, pooled->primary, {.seed = 7});
  ASSERT_TRUE(data);
  EXPECT_EQ(qq->at("qqnorm").at("seed"), 7);
  EXPECT_EQ(qq->at("qqnorm").at("points")[0].at("residual").get<double>(),
            data->points[0].residual);
}

TEST(run_test, unknown_layouts_and_scales_are_located_plan_errors) {
  const auto dir = scratch("bad_layout");
  fs::create_directories(dir);
  auto error_of = [&](const std::string& analysis) {
    std::ofstream(dir / "plan.toml", std::ios::trunc)
        << "[data]\nfile = \"studies.csv\"\n\n[[analysis]]\n"
        << analysis;
    auto plan = read_plan((dir / "plan.toml").string());
    EXPECT_FALSE(plan);
    return plan ? std::string() : plan.error().what();
  };
  const std::string file = (dir / "plan.toml").string();
  EXPECT_EQ(error_of("type = \"pool\"\nlayout = \"bmj\"\n"),
            "[srma.plan.E705] " + file +
                ":6:10: [[analysis]] #1: layout is 'bmj'; expected one of: srma, revman5, jama, "
                "lancet");
  EXPECT_EQ(error_of("type = \"radial\"\nlayout = \"revman5\"\n"),
            "[srma.plan.E705] " + file +
                ":6:10: [[analysis]] #1: layout is 'revman5', but only the forest plots of pool, "
                "subgroup and subset analyses have a layout");
  EXPECT_EQ(error_of("type = \"drapery\"\nscale = \"z\"\n"),
            "[srma.plan.E705] " + file + ":6:9: [[analysis]] #1: scale is 'z'; expected p or log");
  EXPECT_EQ(error_of("type = \"qq\"\n"),
            "[srma.plan.E705] " + file +
                ":5:8: [[analysis]] #1: type is 'qq'; expected one of: pool, subgroup, subset, "
                "leave1out, cumulative, influence, bias, metareg, gosh, permtest, labbe, radial, "
                "qqnorm, drapery");
}

// preset = "revman5" draws RevMan 5's forest layout unless an analysis names another, as
// `srma forest --preset revman5` does.
TEST(run_test, the_revman5_preset_chooses_revman5_forests_unless_a_layout_is_given) {
  const auto dir = scratch("preset_layout");
  fs::create_directories(dir);
  fs::copy_file(example("tests/validation/data/bcg.csv"), dir / "bcg.csv");
  std::ofstream(dir / "plan.toml") << "[data]\nfile = \"bcg.csv\"\nmeasure = \"RR\"\n"
                                      "[model]\npreset = \"revman5\"\n"
                                      "[[analysis]]\ntype = \"pool\"\n"
                                      "[[analysis]]\ntype = \"subset\"\nid = \"srma_look\"\n"
                                      "where = \"year > 1950\"\nlayout = \"srma\"\n";
  auto plan = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(plan) << plan.error().what();
  auto r = run_plan(*plan, {.output_dir = (dir / "report").string()});
  ASSERT_TRUE(r) << r.error().what();
  std::string revman, own;
  for (const auto& f : fs::directory_iterator(dir / "report" / "figures")) {
    const auto name = f.path().filename().string();
    if (f.path().extension() != ".svg") continue;
    if (name.find("overall-forest") != std::string::npos) revman = slurp(f.path());
    if (name.find("srma_look-forest") != std::string::npos) own = slurp(f.path());
  }
  ASSERT_FALSE(revman.empty());
  ASSERT_FALSE(own.empty());
  EXPECT_NE(revman.find("Study or Subgroup"), std::string::npos);
  EXPECT_NE(revman.find("Test for overall effect"), std::string::npos);
  EXPECT_EQ(own.find("Study or Subgroup"), std::string::npos);
}

}  // namespace srma
