// The normal QQ plot: residuals, quantiles and the envelope against metafor 3.8-1's
// qqnorm.rma.uni (tests/validation/data/qqnorm_*.csv, written by tools/make_reference_qqnorm.R),
// the seeded envelope, the drawing and its errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "plot/qqnorm_envelope.hpp"
#include "srma/io/csv.hpp"
#include "srma/model/pool.hpp"
#include "srma/plot/qqnorm.hpp"

namespace srma::plot {
namespace {

std::string data_file(const char* name) { return std::string(SRMA_TEST_DATA_DIR) + "/" + name; }

/// One data set and model of qqnorm_reference.csv.
struct reference_case {
  std::vector<std::string> study;
  std::vector<double> yi, vi, z, q;
  double tau2 = 0;
};

std::map<std::string, reference_case> read_reference() {
  auto csv = read_csv(data_file("qqnorm_reference.csv"));
  EXPECT_TRUE(csv) << csv.error().what();
  std::map<std::string, reference_case> out;
  if (!csv) return out;
  auto col = [&](const char* name) { return static_cast<std::size_t>(csv->find_column(name)); };
  for (const auto& row : csv->rows) {
    auto& c = out[row.fields[col("dataset")] + "/" + row.fields[col("model")]];
    c.study.push_back(row.fields[col("study")]);
    c.yi.push_back(std::stod(row.fields[col("yi")]));
    c.vi.push_back(std::stod(row.fields[col("vi")]));
    c.z.push_back(std::stod(row.fields[col("z")]));
    c.q.push_back(std::stod(row.fields[col("q")]));
    c.tau2 = std::stod(row.fields[col("tau2")]);
  }
  return out;
}

pool_result pooled(const reference_case& c) {
  study_table t;
  t.study = c.study;
  t.yi = c.yi;
  t.vi = c.vi;
  t.line.assign(c.yi.size(), 0);
  pool_options o;
  o.model = model_choice::both;
  auto r = pool(t, o);
  EXPECT_TRUE(r) << r.error().what();
  return *r;
}

void expect_rel(double actual, double expected, const std::string& what) {
  // 1e-6 relative (STYLE.md, tol::estimate), absolute below 1e-8.
  EXPECT_NEAR(actual, expected, 1e-6 * std::max(std::abs(expected), 1e-2)) << what;
}

// Residuals and quantiles: rma(yi, vi, method = "REML" | "FE"), rstandard(fit)$z and
// qqnorm(z)$x, metafor 3.8-1 (tools/make_reference_qqnorm.R) on dat.bcg (RR, k = 13) and
// dat.hackshaw1998 (OR, k = 37).
TEST(plot_qqnorm_test, residuals_and_quantiles_match_metafor) {
  const auto ref = read_reference();
  ASSERT_EQ(ref.size(), 4U);
  for (const auto& [name, c] : ref) {
    const auto r = pooled(c);
    const model_kind m = name.ends_with("/random") ? model_kind::random : model_kind::common;
    if (m == model_kind::random) expect_rel(r.heterogeneity.tau2, c.tau2, name + " tau2");
    auto data = qqnorm_data_from(r, m, {.envelope = false});
    ASSERT_TRUE(data) << data.error().what();
    ASSERT_EQ(data->points.size(), c.z.size()) << name;
    for (const auto& p : data->points) {
      const auto i = static_cast<std::size_t>(std::find(c.study.begin(), c.study.end(), p.label) -
                                              c.study.begin());
      ASSERT_LT(i, c.study.size()) << p.label;
      expect_rel(p.residual, c.z[i], name + " z " + p.label);
      expect_rel(p.theoretical, c.q[i], name + " q " + p.label);
    }
    // Sorted by residual, quantiles increasing.
    for (std::size_t i = 1; i < data->points.size(); ++i) {
      EXPECT_LE(data->points[i - 1].residual, data->points[i].residual);
      EXPECT_LT(data->points[i - 1].theoretical, data->points[i].theoretical);
    }
  }
}

// Given R's draws, srma's envelope is R's: qqnorm.rma.uni's steps with set.seed(20261202) and
// reps = 40 on the bcg REML fit (tools/make_reference_qqnorm.R, metafor 3.8-1): bounds before
// and after supsmu(bass = 0).
TEST(plot_qqnorm_test, envelope_from_r_draws_matches_metafor) {
  auto csv = read_csv(data_file("qqnorm_envelope.csv"));
  ASSERT_TRUE(csv) << csv.error().what();
  std::map<std::string, std::vector<double>> kinds;
  for (const auto& row : csv->rows) kinds[row.fields[0]].push_back(std::stod(row.fields[3]));
  const auto ref = read_reference();
  const auto r = pooled(ref.at("bcg/random"));
  std::vector<double> w;
  for (double v : r.vi) w.push_back(1 / (v + r.heterogeneity.tau2));
  ASSERT_EQ(kinds["draw"].size(), 13U * 40U);
  std::vector<double> lower, upper;
  detail::envelope_bounds(w, kinds["draw"], 0.05, false, lower, upper);
  ASSERT_EQ(lower.size(), 13U);
  const auto q = detail::normal_rank_quantiles(13);
  for (std::size_t i = 0; i < 13; ++i) {
    // Tolerance: the draws round-trip through 17 digits; tau^2 agrees to 1e-9.
    EXPECT_NEAR(lower[i], kinds["lower"][i], 1e-9) << i;
    EXPECT_NEAR(upper[i], kinds["upper"][i], 1e-9) << i;
    EXPECT_NEAR(q[i], kinds["x"][i], 1e-12) << i;
  }
  const auto sl = detail::super_smoother(q, lower);
  const auto su = detail::super_smoother(q, upper);
  for (std::size_t i = 0; i < 13; ++i) {
    EXPECT_NEAR(sl[i], kinds["lower_smooth"][i], 1e-9) << i;
    EXPECT_NEAR(su[i], kinds["upper_smooth"][i], 1e-9) << i;
  }
}

// quantile(c(1, 2, 4, 8), c(0.025, 0.5, 0.975)) in R 4.2 (type 7): 1.075, 3, 7.7.
TEST(plot_qqnorm_test, type7_quantiles) {
  const std::vector<double> x{1, 2, 4, 8};
  EXPECT_NEAR(detail::quantile_type7(x, 0.025), 1.075, 1e-12);
  EXPECT_NEAR(detail::quantile_type7(x, 0.5), 3, 1e-12);
  EXPECT_NEAR(detail::quantile_type7(x, 0.975), 7.7, 1e-12);
}

TEST(plot_qqnorm_test, seeded_envelope_is_reproducible_and_covers_the_points) {
  const auto ref = read_reference();
  const auto r = pooled(ref.at("hackshaw1998/random"));
  auto a = qqnorm_data_from(r, model_kind::random, {.seed = 7});
  auto b = qqnorm_data_from(r, model_kind::random, {.seed = 7});
  auto c = qqnorm_data_from(r, model_kind::random, {.seed = 8});
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->envelope_lower, b->envelope_lower);
  EXPECT_EQ(a->envelope_upper, b->envelope_upper);
  EXPECT_NE(a->envelope_lower, c->envelope_lower);
  // The envelope of (I - H) e for standard normal e: below the line at the low end, above it at
  // the high end, lower < upper everywhere; with 1000 replicates the bounds of two seeds agree
  // closely (Monte Carlo error of a 2.5% quantile, well under 0.2 here).
  const std::size_t k = a->points.size();
  for (std::size_t i = 0; i < k; ++i) {
    EXPECT_LT(a->envelope_lower[i], a->envelope_upper[i]);
    EXPECT_NEAR(a->envelope_lower[i], c->envelope_lower[i], 0.2);
  }
  EXPECT_LT(a->envelope_upper.front(), 0);
  EXPECT_GT(a->envelope_lower.back(), 0);
}

TEST(plot_qqnorm_test, draws_points_line_and_envelope) {
  const auto ref = read_reference();
  auto data = qqnorm_data_from(pooled(ref.at("bcg/random")), model_kind::random, {});
  ASSERT_TRUE(data);
  auto d = draw_qqnorm(*data, {});
  ASSERT_TRUE(d) << d.error().what();
  const auto& boxes = d->boxes();
  auto count = [&](std::string_view what) {
    return std::count_if(boxes.begin(), boxes.end(),
                         [&](const layout_box& b) { return b.what == what; });
  };
  EXPECT_EQ(count("study"), 13);
  EXPECT_EQ(count("identity line"), 1);
  EXPECT_EQ(count("envelope"), 2);
  for (const auto& b : boxes) {
    EXPECT_GE(b.box.x, -1e-9) << b.what;
    EXPECT_LE(b.box.right(), d->width() + 1e-9) << b.what;
  }
  qqnorm_options o;
  o.width = 255;  // 90 mm
  auto narrow = draw_qqnorm(*data, o);
  ASSERT_TRUE(narrow) << narrow.error().what();
  EXPECT_NEAR(narrow->width(), 255, 1e-9);
}

TEST(plot_qqnorm_test, errors_are_located) {
  qqnorm_data empty;
  auto d = draw_qqnorm(empty, {});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().what(), "[srma.plot.E507] no study to draw in the QQ plot");
  pool_result one;
  one.yi = {0.1};
  one.vi = {0.2};
  one.study = {"A"};
  auto e = qqnorm_data_from(one, model_kind::common, {});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what(), "[srma.plot.E507] the QQ plot needs at least 2 studies; there are 1");
  auto f = qqnorm_data_from(one, model_kind::common, {.reps = 5});
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().what(),
            "[srma.plot.E504] envelope replicates are 5, but must be between 10 and 100000");
  qqnorm_data bad;
  bad.points = {{"A", 0, 1}};
  bad.envelope_lower = {0, 1};
  bad.envelope_upper = {0, 1};
  auto g = draw_qqnorm(bad, {});
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().what(),
            "[srma.plot.E507] QQ plot: the envelope has 2 and 2 values for 1 points");
}

}  // namespace
}  // namespace srma::plot
