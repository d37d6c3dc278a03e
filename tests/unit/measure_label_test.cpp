// A generic effect's own name (issue 12 item 4: "generic effects with their own display label")
// from the read options through the pooled result into the text report and the JSON.
#include <gtest/gtest.h>

#include "srma/data/study_table.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
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
