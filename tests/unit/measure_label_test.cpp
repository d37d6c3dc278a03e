// A generic effect's own name (issue 12 item 4: "generic effects with their own display label")
// from the read options through the pooled result into the text report and the JSON.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/funnel.hpp"
#include "srma/plot/output.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"

namespace srma {
namespace {

study_table read(const std::string& label) {
  read_options o;
  o.measure_label = label;
  auto csv = parse_csv("study,yi,vi\nA,0.10,0.02\nB,0.30,0.05\nC,0.25,0.04\n", "lrr.csv");
  EXPECT_TRUE(csv);
  auto t = make_study_table(*csv, o);
  EXPECT_TRUE(t) << t.error().what();
  return *t;
}

TEST(measure_label_test, a_generic_effect_is_named_in_reports_and_json) {
  const auto t = read("log response ratio");
  EXPECT_EQ(t.measure, effect_measure::generic);
  EXPECT_EQ(t.measure_label, "log response ratio");
  auto r = pool(t, pool_options{});
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->measure_label, "log response ratio");
  const std::string full = full_report(*r);
  EXPECT_NE(full.find("Meta-analysis of 3 studies: log response ratio (as given)"),
            std::string::npos)
      << full;
  EXPECT_NE(brief_report(*r).find("the pooled log response ratio was"), std::string::npos)
      << brief_report(*r);
  EXPECT_EQ(to_json(*r).at("measure_label"), "log response ratio");
  // Subsets (subgroups, leave-one-out) keep the name.
  const std::vector<std::size_t> rows = {0, 2};
  EXPECT_EQ(t.subset(rows).measure_label, "log response ratio");
}

TEST(measure_label_test, without_a_name_a_generic_effect_is_an_effect) {
  auto r = pool(read(""), pool_options{});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->measure_label.empty());
  EXPECT_NE(full_report(*r).find("Meta-analysis of 3 studies: effect (as given)"),
            std::string::npos);
  EXPECT_NE(brief_report(*r).find("the pooled effect was"), std::string::npos);
  EXPECT_FALSE(to_json(*r).contains("measure_label"));
}

}  // namespace
}  // namespace srma

namespace srma {
namespace {

// Issue 14 item 4: the text table of a very large file lists its first and last ten studies and
// says how many it leaves out (listing 10^6 rows cost most of srma pool's time and memory).
TEST(full_report_test, a_very_large_study_table_is_abridged_and_says_so) {
  const std::size_t k = max_listed_studies + 1;
  std::vector<double> yi(k), vi(k, 0.1);
  for (std::size_t i = 0; i < k; ++i) yi[i] = 0.001 * static_cast<double>(i % 97);
  auto r = pool(yi, vi, pool_options{});
  ASSERT_TRUE(r);
  const std::string text = full_report(*r);
  EXPECT_NE(
      text.find(fmt::format("\u2026 {} studies not listed (--json lists every study)", k - 20)),
      std::string::npos);
  EXPECT_NE(text.find("Study 10 "), std::string::npos);
  EXPECT_EQ(text.find("Study 11 "), std::string::npos);
  EXPECT_NE(text.find(fmt::format("Study {} ", k)), std::string::npos);
  // At the limit every study is listed.
  std::vector<double> y2(yi.begin(), yi.end() - 1), v2(vi.begin(), vi.end() - 1);
  auto r2 = pool(y2, v2, pool_options{});
  ASSERT_TRUE(r2);
  const std::string all = full_report(*r2);
  EXPECT_EQ(all.find("not listed"), std::string::npos);
  EXPECT_NE(all.find("Study 2500 "), std::string::npos);
}

}  // namespace
}  // namespace srma

namespace srma {
namespace {

// The figures title a generic effect's axis by its name (forest and funnel).
TEST(measure_label_test, figures_title_the_axis_by_the_effects_name) {
  const auto t = read("log response ratio");
  auto r = pool(t, pool_options{});
  ASSERT_TRUE(r);
  auto rows = plot::forest_from(*r, t);
  ASSERT_TRUE(rows) << rows.error().what();
  EXPECT_EQ(rows->options.axis_title, "log response ratio");
  auto fig = plot::draw_forest(rows->rows, rows->options);
  ASSERT_TRUE(fig);
  EXPECT_NE(plot::render_svg(*fig).find(">log response ratio<"), std::string::npos);
  EXPECT_EQ(plot::funnel_defaults(*r).axis_title, "log response ratio");
  // Without a name the default title stays.
  auto plain = pool(read(""), pool_options{});
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plot::funnel_defaults(*plain).axis_title.has_value());
}

}  // namespace
}  // namespace srma
