// The bundled examples (examples/*/plan.toml) run and, where a published result exists, reproduce
// it. Pignon 2000 is covered by run_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "srma/run/run.hpp"

namespace srma {
namespace {

namespace fs = std::filesystem;

expected<run_summary> run_example(const std::string& name, nlohmann::json* results = nullptr) {
  auto plan = read_plan(std::string(SRMA_SOURCE_DIR) + "/examples/" + name + "/plan.toml");
  if (!plan) return unexpected(plan.error());
  const fs::path out = fs::temp_directory_path() / ("srma_example_" + name);
  fs::remove_all(out);
  auto r = run_plan(*plan, {.output_dir = out.string()});
  if (r && results) {
    std::ifstream in(out / "results.json");
    *results = nlohmann::json::parse(in);
  }
  return r;
}

// Viechtbauer 2010 (J Stat Softw 36(3), sections 3.4-3.5): RR 0.49 (0.34-0.70), I² 92.22%.
TEST(examples_test, bcg_reproduces_metafors_published_output) {
  auto r = run_example("bcg");
  ASSERT_TRUE(r) << r.error().what();
  for (const auto& a : r->analyses) EXPECT_TRUE(a.ran) << a.id << ": " << a.reason;
  ASSERT_EQ(r->checks.size(), 1u);
  EXPECT_TRUE(r->checks[0].passed) << r->checks[0].published << " vs " << r->checks[0].reproduced;
}

TEST(examples_test, normand1999_means_example_runs) {
  auto r = run_example("normand1999");
  ASSERT_TRUE(r) << r.error().what();
  for (const auto& a : r->analyses) EXPECT_TRUE(a.ran) << a.id << ": " << a.reason;
  EXPECT_EQ(r->headline.substr(0, 9), "MD -15.11");
}

// The seed review: no study-level estimates are available (they are only in the article's
// figures), so no analysis runs; the report still gives PRISMA (Xiao et al. 2025: 1525 records,
// 203 duplicates, 1282 excluded, 40 assessed, 29 excluded, 11 included), Table 1 and NOS.
TEST(examples_test, gepnet_ptr_reports_missing_estimates_and_what_it_can) {
  nlohmann::json j;
  auto r = run_example("gepnet-ptr", &j);
  ASSERT_TRUE(r) << r.error().what();
  ASSERT_EQ(r->analyses.size(), 5u);
  for (const auto& a : r->analyses) {
    EXPECT_FALSE(a.ran) << a.id;
    EXPECT_NE(a.reason.find("has an estimate yet"), std::string::npos) << a.reason;
  }
  for (const auto& c : r->checks) {
    EXPECT_FALSE(c.passed);
    EXPECT_TRUE(c.published.empty());  // not compared: nothing was invented
  }
  EXPECT_EQ(j.at("prisma").at("records_identified"), 1525);
  EXPECT_EQ(j.at("prisma").at("records_screened"), 1322);
  EXPECT_EQ(j.at("prisma").at("studies_included"), 11);
  EXPECT_TRUE(j.at("prisma").at("issues").empty());
  ASSERT_EQ(j.at("nos").size(), 11u);
  for (const auto& s : j.at("nos")) EXPECT_EQ(s.at("quality"), "high");
  ASSERT_EQ(r->warnings.size(), 2u);  // studies.csv and ptr_lr.csv
  EXPECT_NE(r->warnings[0].find("11 of 11 studies have no estimate"), std::string::npos);
}

}  // namespace
}  // namespace srma
