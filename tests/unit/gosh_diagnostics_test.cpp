// GOSH diagnostics (srma/sensitivity/gosh_diagnostics.hpp): on the BCG trials with one injected
// outlying study every method names it; invariants of the clusterings; assign() agrees with the
// labels; the text and JSON name the flagged study.
#include "srma/sensitivity/gosh_diagnostics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "srma/report/gosh_report.hpp"
#include "srma/sensitivity/gosh_stream.hpp"

namespace srma {
namespace {

// dat.bcg log risk ratios and variances (metafor 3.8-1 escalc(measure = "RR"), rounded to 4
// decimals), plus an injected outlier: a precise study at yi = 3.
const std::vector<double> k_yi = {-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
                                  0.0120,  -0.4694, -1.3713, -0.3394, 0.4459,  -0.0173, 3.0};
const std::vector<double> k_vi = {0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230,
                                  0.0040, 0.0564, 0.0730, 0.0124, 0.5325, 0.0714, 0.01};

std::vector<std::string> labels() {
  std::vector<std::string> l;
  for (std::size_t i = 0; i < 13; ++i) l.push_back("BCG " + std::to_string(i + 1));
  l.push_back("Outlier");
  return l;
}

gosh_summary outlier_gosh() {
  pool_options o = preset_options(preset::metafor);
  o.model = model_choice::random;
  o.tau2 = tau2_method::dl;
  auto s = gosh_stream(k_yi, k_vi, o);
  EXPECT_TRUE(s) << s.error().what();
  return *s;
}

TEST(gosh_diagnostics_test, names_the_injected_outlier) {
  const auto s = outlier_gosh();
  ASSERT_EQ(s.subsets, 16383u);
  ASSERT_TRUE(s.sample.complete);
  auto d = diagnose_gosh(s.sample, s.k);
  ASSERT_TRUE(d) << d.error().what();
  // DBSCAN with dmetar's eps = 0.15 and 5 points finds the subsets with and without the outlier
  // density-connected here (small subsets bridge the two clouds), so it is not asked to flag it;
  // k-means and the mixture separate them, which is two of three methods.
  EXPECT_NEAR(d->share[13], 8192.0 / 16383.0, 1e-12);
  for (const auto* c : {&d->kmeans, &d->gmm}) {
    SCOPED_TRACE(std::string(to_string(c->method)));
    EXPECT_TRUE(std::find(c->flagged.begin(), c->flagged.end(), 13u) != c->flagged.end());
    // Half of all subsets contain the outlier; some cluster holds almost only subsets with it
    // or almost only subsets without it.
    EXPECT_GE(c->difference[13], 0.45);
  }
  ASSERT_FALSE(d->flagged.empty());
  EXPECT_TRUE(std::find(d->flagged.begin(), d->flagged.end(), 13u) != d->flagged.end());
  const auto text = full_report(s, &*d, labels());
  EXPECT_NE(text.find("flag Outlier"), std::string::npos) << text;
  const auto j = to_json(s, &*d, labels());
  const auto& flagged = j.at("diagnostics").at("flagged");
  EXPECT_NE(std::find(flagged.begin(), flagged.end(), "Outlier"), flagged.end());
  EXPECT_EQ(j.at("studies").size(), 14u);
  EXPECT_EQ(j.at("studies")[13].at("with").at("n").get<std::uint64_t>(), 8192u);
}

TEST(gosh_diagnostics_test, clusterings_are_consistent) {
  const auto s = outlier_gosh();
  auto d = diagnose_gosh(s.sample, s.k);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->kmeans.clusters.size(), 3u);
  EXPECT_EQ(d->gmm.clusters.size(), 2u);
  for (const auto* c : {&d->kmeans, &d->dbscan, &d->gmm}) {
    SCOPED_TRACE(std::string(to_string(c->method)));
    ASSERT_EQ(c->label.size(), s.sample.points());
    std::size_t total = c->noise;
    for (const auto& cl : c->clusters) {
      total += cl.points;
      for (double v : cl.share) {
        EXPECT_GE(v, 0);
        EXPECT_LE(v, 1);
      }
    }
    EXPECT_EQ(total, s.sample.points());
    for (std::size_t p = 0; p < c->label.size(); p += 97) {
      EXPECT_EQ(c->assign(s.sample.estimate[p], s.sample.I2[p]), c->label[p]);
      EXPECT_LT(c->label[p], static_cast<int>(c->clusters.size()));
    }
  }
  EXPECT_EQ(d->kmeans.noise, 0u);
  EXPECT_EQ(d->gmm.noise, 0u);
}

TEST(gosh_diagnostics_test, errors_and_names) {
  gosh_sample empty;
  EXPECT_EQ(diagnose_gosh(empty, 3).error().what(),
            "[srma.model.E300] GOSH diagnostics need at least 3 fitted subsets, but there are 0");
  gosh_diagnostics_options o;
  o.flag_difference = 0;
  EXPECT_EQ(o.validate(), "flag_difference is 0, but must be in (0, 1]");
  EXPECT_EQ(parse_gosh_cluster_method("DBSCAN"), gosh_cluster_method::dbscan);
  EXPECT_EQ(parse_gosh_cluster_method("ward"), std::nullopt);
  EXPECT_EQ(to_string(gosh_cluster_method::gmm), "gmm");
}

}  // namespace
}  // namespace srma
