// A plan's [[km]] studies: parsing (srma/run/plan.hpp) and what `srma run` does with them
// (reconstruct, fit, write the study's row, report the check figure).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "srma/data/study_table.hpp"
#include "srma/run/plan.hpp"
#include "srma/run/run.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

namespace fs = std::filesystem;

const std::string k_km = std::string(SRMA_TEST_DATA_DIR) + "/km/keynote189/";

std::string km_plan(const std::string& extra = "") {
  return R"([data]
file = "studies.csv"
measure = "HR"

[[km]]
study = "KEYNOTE-189"
treatment = "Pembrolizumab"
control = "Placebo"
tau = 12
time_title = "Months"
time_step = 3
)" + extra +
         R"(
[[km.arm]]
name = "Pembrolizumab"
points = ")" +
         k_km + R"(kn189_pembro_clicks.csv"
at_risk = ")" +
         k_km + R"(kn189_pembro_NAR.csv"

[[km.arm]]
name = "Placebo"
points = ")" +
         k_km + R"(kn189_pbo_clicks.csv"
at_risk = ")" +
         k_km + R"(kn189_pbo_NAR.csv"
events = 107

[[analysis]]
type = "pool"
)";
}

TEST(plan_km_test, reads_studies_and_arms) {
  auto p = parse_plan(km_plan(), "plan.toml");
  ASSERT_TRUE(p) << p.error().what();
  ASSERT_EQ(p->km.size(), 1u);
  const auto& k = p->km[0];
  EXPECT_EQ(k.study, "KEYNOTE-189");
  EXPECT_EQ(k.treatment, "Pembrolizumab");
  EXPECT_EQ(k.ties, cox_ties::efron);
  EXPECT_EQ(k.tau, 12);
  EXPECT_EQ(k.time_title, "Months");
  ASSERT_EQ(k.arms.size(), 2u);
  EXPECT_EQ(k.arms[1].name, "Placebo");
  EXPECT_EQ(k.arms[1].events, 107);
  EXPECT_FALSE(k.arms[0].events);
  EXPECT_EQ(k.line, 5);
}

TEST(plan_km_test, errors_name_the_line_and_key) {
  auto unknown = parse_plan(km_plan("colour = \"red\"\n"), "plan.toml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().id, errc::plan_unknown_key);
  EXPECT_EQ(unknown.error().where.line, 12);  // the first line after time_step
  auto ties = parse_plan(km_plan("ties = \"exact\"\n"), "plan.toml");
  ASSERT_FALSE(ties);
  EXPECT_EQ(ties.error().id, errc::plan_bad_choice);
  EXPECT_NE(ties.error().message.find("efron or breslow"), std::string::npos);

  std::string wrong_arm = km_plan();
  wrong_arm.replace(wrong_arm.find("control = \"Placebo\""), 19, "control = \"Chemo\"");
  auto arm = parse_plan(wrong_arm, "plan.toml");
  ASSERT_FALSE(arm);
  EXPECT_EQ(arm.error().id, errc::plan_bad_choice);
  EXPECT_NE(arm.error().message.find("'Chemo'"), std::string::npos);

  auto no_arms = parse_plan(
      "[data]\nfile = \"s.csv\"\n[[km]]\nstudy = \"X\"\ntreatment = "
      "\"A\"\ncontrol = \"B\"\n",
      "plan.toml");
  ASSERT_FALSE(no_arms);
  EXPECT_EQ(no_arms.error().id, errc::plan_missing_key);
  EXPECT_EQ(no_arms.error().where.line, 3);

  auto no_study = parse_plan("[data]\nfile = \"s.csv\"\n[[km]]\ntreatment = \"A\"\n", "plan.toml");
  ASSERT_FALSE(no_study);
  EXPECT_EQ(no_study.error().id, errc::plan_missing_key);

  std::string events = km_plan();
  events.replace(events.find("events = 107"), 12, "events = -3");
  auto ev = parse_plan(events, "plan.toml");
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().id, errc::plan_bad_choice);

  std::string twice = km_plan();
  const auto km_start = twice.find("[[km]]");
  const auto km_end = twice.find("[[analysis]]");
  twice.insert(km_end, twice.substr(km_start, km_end - km_start));
  auto dup = parse_plan(twice, "plan.toml");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().id, errc::plan_duplicate_id);
}

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("srma_plan_km_test_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(plan_km_test, run_pools_the_reconstructed_study_with_the_others) {
  const auto dir = scratch("run");
  // Two trials with reported OS HRs (Paz-Ares 2018 NEJM 379:2040, KEYNOTE-407: 0.64 (0.49-0.85);
  // Socinski 2018 NEJM 378:2288, IMpower150: 0.78 (0.64-0.96)); KEYNOTE-189 from its curves.
  std::ofstream(dir / "studies.csv") << "study,hr,lower,upper,year\n"
                                        "KEYNOTE-407,0.64,0.49,0.85,2018\n"
                                        "IMpower150,0.78,0.64,0.96,2018\n"
                                        "KEYNOTE-189,,,,2018\n";
  std::ofstream(dir / "plan.toml") << km_plan();
  auto p = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(p) << p.error().what();
  auto r = run_plan(*p, {.output_dir = (dir / "out").string(), .allow_outside = true});
  ASSERT_TRUE(r) << r.error().what();
  const auto json = nlohmann::json::parse(slurp(dir / "out" / "results.json"));
  ASSERT_TRUE(json.contains("km"));
  const auto& km = json.at("km")[0];
  EXPECT_EQ(km.at("study"), "KEYNOTE-189");

  // The study's row is exactly the Cox fit of the same reconstruction done by the library.
  std::vector<digitised_arm> arms(2);
  arms[0].name = "Pembrolizumab";
  arms[0].curve = *read_digitised_curve(k_km + "kn189_pembro_clicks.csv");
  arms[0].at_risk = *read_at_risk(k_km + "kn189_pembro_NAR.csv");
  arms[1].name = "Placebo";
  arms[1].curve = *read_digitised_curve(k_km + "kn189_pbo_clicks.csv");
  arms[1].at_risk = *read_at_risk(k_km + "kn189_pbo_NAR.csv");
  arms[1].total_events = 107;
  auto direct = analyse_curves(arms, "Pembrolizumab", "Placebo", {.tau = 12});
  ASSERT_TRUE(direct) << direct.error().what();
  EXPECT_EQ(km.at("analysis").at("loghr").get<double>(), direct->analysis.cox.loghr);
  EXPECT_EQ(km.at("analysis").at("se").get<double>(), direct->analysis.cox.se);
  // Published KEYNOTE-189 OS HR 0.49 (0.38-0.64), Gandhi et al. NEJM 2018;378:2078.
  EXPECT_NEAR(direct->analysis.cox.hr, 0.49, 0.01);

  const auto& pooled = json.at("analyses")[0].at("result");
  EXPECT_EQ(pooled.at("k"), 3);
  bool found = false;
  for (const auto& s : pooled.at("studies")) {
    if (s.at("study") != "KEYNOTE-189") continue;
    found = true;
    // The row went through the CSV as an HR with its 95% CI written in full precision.
    EXPECT_NEAR(s.at("yi").get<double>(), direct->analysis.cox.loghr, 1e-12);
    EXPECT_NEAR(s.at("vi").get<double>(), direct->analysis.cox.se * direct->analysis.cox.se, 1e-12);
  }
  EXPECT_TRUE(found);
  // The check figure is in the report, and the method is cited.
  EXPECT_TRUE(fs::exists(dir / "out" / "figures" / "figure-1-km-keynote-189.svg"));
  const std::string md = slurp(dir / "out" / "report.md");
  EXPECT_NE(md.find("Hazard ratios from Kaplan-Meier curves"), std::string::npos);
  EXPECT_NE(md.find("Guyot"), std::string::npos);
  // Table 1 names each study's route, since they differ.
  EXPECT_NE(md.find("| KEYNOTE-189 | 2018 | Kaplan-Meier curves (reconstructed) |"),
            std::string::npos);
  EXPECT_NE(md.find("| IMpower150 | 2018 | HR with CI |"), std::string::npos);
  // The input file is not modified.
  EXPECT_EQ(slurp(dir / "studies.csv").find("hr_source"), std::string::npos);
}

TEST(plan_km_test, run_refuses_a_study_that_already_has_an_estimate) {
  const auto dir = scratch("clash");
  std::ofstream(dir / "studies.csv") << "study,hr,lower,upper\nKEYNOTE-189,0.49,0.38,0.64\n"
                                        "Other,0.8,0.6,1.1\n";
  std::ofstream(dir / "plan.toml") << km_plan();
  auto p = read_plan((dir / "plan.toml").string());
  ASSERT_TRUE(p);
  auto r = run_plan(*p, {.output_dir = (dir / "out").string(), .allow_outside = true});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, errc::input_ambiguous_columns);
  EXPECT_NE(r.error().message.find("[[km]] KEYNOTE-189"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "out" / "report.html"));
}

}  // namespace
}  // namespace srma
