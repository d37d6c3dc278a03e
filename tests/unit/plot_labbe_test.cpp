// The L'Abbé plot: rates from the 2x2 counts, the pooled-effect curve, errors for other data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
#include "srma/plot/labbe.hpp"

namespace srma::plot {
namespace {

constexpr const char* k_csv =
    "study,events_t,n_t,events_c,n_c\n"
    "Aronson 1948,4,123,11,139\n"
    "Ferguson & Simes 1949,6,306,29,303\n"
    "Rosenthal et al 1960,3,231,11,220\n"
    "Stein & Aronson 1953,180,1541,372,1451\n";

TEST(plot_labbe_test, rates_weights_and_drawing) {
  auto csv = parse_csv(k_csv, "bcg4.csv");
  ASSERT_TRUE(csv);
  auto t = make_study_table(*csv, {.measure = effect_measure::odds_ratio});
  ASSERT_TRUE(t) << t.error().what();
  auto r = pool(*t, {});
  ASSERT_TRUE(r);
  auto data = labbe_data_from(*r, *t, model_kind::random);
  ASSERT_TRUE(data) << data.error().what();
  ASSERT_EQ(data->points.size(), 4U);
  // Independent computation: 11/139 and 4/123 (Aronson 1948).
  EXPECT_NEAR(data->points[0].control_rate, 11.0 / 139, 1e-15);
  EXPECT_NEAR(data->points[0].treatment_rate, 4.0 / 123, 1e-15);
  EXPECT_NEAR(data->points[0].weight, r->weight_random[0], 1e-12);
  EXPECT_NEAR(data->estimate, r->random.estimate, 1e-15);
  auto d = draw_labbe(*data, {});
  ASSERT_TRUE(d) << d.error().what();
  const auto& boxes = d->boxes();
  auto count = [&](std::string_view what) {
    return std::count_if(boxes.begin(), boxes.end(),
                         [&](const layout_box& b) { return b.what == what; });
  };
  EXPECT_EQ(count("study"), 4);
  EXPECT_EQ(count("no effect"), 1);
  EXPECT_EQ(count("pooled effect"), 1);
}

TEST(plot_labbe_test, needs_2x2_counts) {
  auto csv = parse_csv("study,yi,vi\nA,0.1,0.04\nB,0.3,0.05\n", "gen.csv");
  ASSERT_TRUE(csv);
  auto t = make_study_table(*csv, {});
  ASSERT_TRUE(t);
  auto r = pool(*t, {});
  ASSERT_TRUE(r);
  auto data = labbe_data_from(*r, *t, model_kind::random);
  ASSERT_FALSE(data);
  EXPECT_EQ(data.error().what(),
            "[srma.plot.E507] the L'Abbé plot needs 2x2 counts (events_t, n_t, events_c, n_c) "
            "pooled as OR, RR or RD; gen.csv has yi,vi (effect)");
}

}  // namespace
}  // namespace srma::plot
