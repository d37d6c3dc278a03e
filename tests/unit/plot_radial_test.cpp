// The radial (Galbraith) plot: points and slope against metafor's radial(), drawing, errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
#include "srma/plot/radial.hpp"

namespace srma::plot {
namespace {

// dat.bcg from metadat (13 trials) as 2x2 counts.
constexpr const char* k_bcg_csv =
    "study,events_t,n_t,events_c,n_c\n"
    "Aronson 1948,4,123,11,139\n"
    "Ferguson & Simes 1949,6,306,29,303\n"
    "Rosenthal et al 1960,3,231,11,220\n"
    "Hart & Sutherland 1977,62,13598,248,12867\n"
    "Frimodt-Moller et al 1973,33,5069,47,5808\n"
    "Stein & Aronson 1953,180,1541,372,1451\n"
    "Vandiviere et al 1973,8,2545,10,629\n"
    "TPT Madras 1980,505,88391,499,88391\n"
    "Coetzee & Berjak 1968,29,7499,45,7277\n"
    "Rosenthal et al 1961,17,1716,65,1665\n"
    "Comstock et al 1974,186,50634,141,27338\n"
    "Comstock & Webster 1969,5,2498,3,2341\n"
    "Comstock et al 1976,27,16913,29,17854\n";

pool_result bcg_reml() {
  auto csv = parse_csv(k_bcg_csv, "bcg.csv");
  EXPECT_TRUE(csv);
  auto t = make_study_table(*csv, {.measure = effect_measure::risk_ratio});
  EXPECT_TRUE(t) << t.error().what();
  pool_options o;
  o.model = model_choice::random;
  auto r = pool(*t, o);
  EXPECT_TRUE(r) << r.error().what();
  return *r;
}

TEST(plot_radial_test, points_and_slope_match_metafor) {
  const auto r = bcg_reml();
  auto data = radial_data_from(r, model_kind::random);
  ASSERT_TRUE(data) << data.error().what();
  ASSERT_EQ(data->points.size(), 13U);
  // metafor 3.8-1: dat <- escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg);
  // r <- rma(yi, vi, data=dat); s <- radial(r): s$x[1:3], s$y[1:3]; r$b; r$tau2.
  const double x[] = {1.251146016, 1.403276323, 1.171526323};
  const double z[] = {-1.112658333, -2.224738366, -1.579303179};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(data->points[static_cast<std::size_t>(i)].x, x[i], 1e-6 * x[i]);
    EXPECT_NEAR(data->points[static_cast<std::size_t>(i)].z, z[i], 1e-6 * std::abs(z[i]));
  }
  EXPECT_NEAR(data->estimate, -0.7145323484, 1e-6);
  EXPECT_NEAR(data->tau2, 0.313243326, 1e-6);
  // Common effect: tau^2 = 0, x = 1/sqrt(v).
  auto common = radial_data_from(r, model_kind::common);
  ASSERT_TRUE(common);
  EXPECT_EQ(common->tau2, 0);
  EXPECT_NEAR(common->points[0].x, 1 / std::sqrt(r.vi[0]), 1e-12);
}

TEST(plot_radial_test, draws_points_lines_and_band) {
  const auto r = bcg_reml();
  auto data = radial_data_from(r, model_kind::random);
  ASSERT_TRUE(data);
  auto d = draw_radial(*data, {});
  ASSERT_TRUE(d) << d.error().what();
  const auto& boxes = d->boxes();
  auto count = [&](std::string_view what) {
    return std::count_if(boxes.begin(), boxes.end(),
                         [&](const layout_box& b) { return b.what == what; });
  };
  EXPECT_EQ(count("study"), 13);
  EXPECT_EQ(count("estimate line"), 1);
  EXPECT_EQ(count("band"), 2);
  // Every point lies inside the panel: no mark outside the canvas.
  for (const auto& b : boxes) {
    EXPECT_GE(b.box.x, -1e-9) << b.what;
    EXPECT_LE(b.box.right(), d->width() + 1e-9) << b.what;
  }
}

TEST(plot_radial_test, errors_are_located) {
  radial_data empty;
  auto d = draw_radial(empty, {});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().what(), "[srma.plot.E507] no study to draw in the radial plot");
  radial_data bad;
  bad.points = {{"A", 0, 1}};
  auto e = draw_radial(bad, {});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what(),
            "[srma.plot.E507] radial point 1 ('A'): x = 0, z = 1; x must be positive and both "
            "finite");
  radial_options o;
  o.font_size = 2;
  auto f = draw_radial(*radial_data_from(bcg_reml(), model_kind::common), o);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().what(), "[srma.plot.E504] font size is 2, but must be between 4 and 40");
}

}  // namespace
}  // namespace srma::plot
