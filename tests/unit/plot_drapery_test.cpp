// The drapery plot: p-value functions that peak at their estimates and cross alpha exactly at
// their CI bounds (study, pooled under z and Knapp-Hartung, prediction region), the drawing and
// its errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
#include "srma/plot/drapery.hpp"

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

pool_result bcg(bool hksj) {
  auto csv = parse_csv(k_bcg_csv, "bcg.csv");
  EXPECT_TRUE(csv);
  auto t = make_study_table(*csv, {.measure = effect_measure::risk_ratio});
  EXPECT_TRUE(t) << t.error().what();
  pool_options o;
  o.model = model_choice::both;
  if (hksj) o.ci = ci_method::hksj;
  auto r = pool(*t, o);
  EXPECT_TRUE(r) << r.error().what();
  return *r;
}

// Each curve equals alpha = 0.05 at its CI bounds and 1 at its estimate; elsewhere inside the
// CI it is above alpha, outside below (the p-value function's definition; independent of R).
void expect_crossings(const drapery_curve& c, double alpha, const std::string& what) {
  EXPECT_NEAR(drapery_p_value(c, c.lower), alpha, 1e-12) << what;
  EXPECT_NEAR(drapery_p_value(c, c.upper), alpha, 1e-12) << what;
  EXPECT_DOUBLE_EQ(drapery_p_value(c, c.estimate), 1.0) << what;
  const double half = (c.upper - c.lower) / 2;
  EXPECT_GT(drapery_p_value(c, c.lower + 1e-6 * half), alpha) << what;
  EXPECT_LT(drapery_p_value(c, c.lower - 1e-6 * half), alpha) << what;
  EXPECT_LT(drapery_p_value(c, c.upper + 1e-6 * half), alpha) << what;
  // Monotone on each side of the peak.
  EXPECT_GT(drapery_p_value(c, c.estimate - 0.1 * half), drapery_p_value(c, c.estimate - half));
  EXPECT_GT(drapery_p_value(c, c.estimate + 0.1 * half), drapery_p_value(c, c.estimate + half));
}

TEST(plot_drapery_test, curves_cross_alpha_at_the_ci_bounds_and_peak_at_the_estimates) {
  for (bool hksj : {false, true}) {
    const auto r = bcg(hksj);
    for (auto m : {model_kind::random, model_kind::common}) {
      auto data = drapery_data_from(r, m);
      ASSERT_TRUE(data) << data.error().what();
      ASSERT_EQ(data->studies.size(), 13U);
      for (std::size_t i = 0; i < 13; ++i) {
        const auto& c = data->studies[i];
        EXPECT_EQ(c.estimate, r.yi[i]);
        // The study's 95% CI: y -+ 1.959964 sqrt(v) (qnorm(0.975), R 4.2).
        EXPECT_NEAR(c.lower, r.yi[i] - 1.959963984540054 * std::sqrt(r.vi[i]), 1e-12);
        expect_crossings(c, 0.05, c.label);
      }
      // The pooled curve crosses at the model's own CI (t-based under Knapp-Hartung).
      const model_estimate& e = m == model_kind::common ? r.common : r.random;
      EXPECT_EQ(data->pooled.lower, e.ci_lower);
      EXPECT_EQ(data->pooled.upper, e.ci_upper);
      expect_crossings(data->pooled, 0.05, "pooled");
      if (m == model_kind::random) {
        ASSERT_TRUE(data->prediction.has_value());
        EXPECT_EQ(data->prediction->lower, r.random.pi_lower);
        expect_crossings(*data->prediction, 0.05, "prediction");
      } else {
        EXPECT_FALSE(data->prediction.has_value());
      }
    }
  }
}

TEST(plot_drapery_test, draws_every_curve_and_the_alpha_line) {
  auto data = drapery_data_from(bcg(false), model_kind::random);
  ASSERT_TRUE(data);
  for (auto scale : {drapery_scale::p_value, drapery_scale::log}) {
    drapery_options o;
    o.scale = scale;
    auto d = draw_drapery(*data, o);
    ASSERT_TRUE(d) << d.error().what();
    const auto& boxes = d->boxes();
    auto count = [&](std::string_view what) {
      return std::count_if(boxes.begin(), boxes.end(),
                           [&](const layout_box& b) { return b.what == what; });
    };
    EXPECT_EQ(count("study curve"), 13);
    EXPECT_EQ(count("pooled curve"), 1);
    EXPECT_EQ(count("alpha line"), 1);
    EXPECT_EQ(count("no effect"), 1);
    EXPECT_EQ(count("p = 0.05"), 1);
    EXPECT_EQ(count("95% CI"), 1);
    for (const auto& b : boxes) {
      EXPECT_GE(b.box.x, -1e-9) << b.what;
      EXPECT_LE(b.box.right(), d->width() + 1e-9) << b.what;
    }
    // All peaks at the same height (p = 1, the top of the panel).
    double top = -1;
    for (const auto& b : boxes) {
      if (b.what != "study curve" && b.what != "pooled curve") continue;
      if (top < 0) top = b.box.y;
      EXPECT_NEAR(b.box.y, top, 1e-9);
    }
  }
  drapery_options narrow;
  narrow.width = 255;  // 90 mm
  auto n = draw_drapery(*data, narrow);
  ASSERT_TRUE(n) << n.error().what();
  EXPECT_NEAR(n->width(), 255, 1e-9);
}

TEST(plot_drapery_test, errors_are_located) {
  drapery_data empty;
  auto d = draw_drapery(empty, {});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().what(), "[srma.plot.E507] no study to draw in the drapery plot");
  auto data = drapery_data_from(bcg(false), model_kind::random);
  ASSERT_TRUE(data);
  drapery_options o;
  o.x_min = -1;
  auto e = draw_drapery(*data, o);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what(),
            "[srma.plot.E504] the lower x limit -1 is not a value of the RR scale");
  drapery_options p;
  p.p_min = 0.5;
  auto f = draw_drapery(*data, p);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().what(),
            "[srma.plot.E504] the smallest p-value of the log axis is 0.5, but must be between "
            "1e-10 and 0.1");
  EXPECT_EQ(parse_drapery_scale("log"), drapery_scale::log);
  EXPECT_FALSE(parse_drapery_scale("z").has_value());
}

}  // namespace
}  // namespace srma::plot
