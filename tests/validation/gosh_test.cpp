// Validation of GOSH against metafor 3.8-1's gosh() on the first 8 BCG trials (255 subsets) for the
// common-effect, DerSimonian-Laird (metafor's fast path; srma's Gray-code updates) and REML models.
// Reference: tests/validation/data/gosh_bcg8.json from tools/make_reference_gosh.R.
#include "srma/sensitivity/gosh.hpp"

#include <gtest/gtest.h>

#include "srma/sensitivity/gosh_diagnostics.hpp"
#include "validation/reference.hpp"

namespace srma {
namespace {

TEST(gosh_test, every_subset_matches_metafor) {
  const auto ref = test::load_reference("gosh_bcg8.json");
  ASSERT_FALSE(ref.is_null());
  const auto yi = ref.at("yi").get<std::vector<double>>();
  const auto vi = ref.at("vi").get<std::vector<double>>();
  ASSERT_EQ(ref.at("cases").size(), 3u);
  for (const auto& c : ref.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    pool_options o = preset_options(preset::metafor);
    const std::string m = c.at("tau2").get<std::string>();
    if (m == "EE") {
      o.model = model_choice::common;
    } else {
      o.model = model_choice::random;
      o.tau2 = *parse_tau2_method(m);
    }
    auto g = gosh(yi, vi, o);
    ASSERT_TRUE(g) << g.error().what();
    const auto& subsets = c.at("subsets");
    ASSERT_EQ(g->subsets(), subsets.size()) << name;
    EXPECT_TRUE(g->exact);
    for (std::size_t s = 0; s < subsets.size(); ++s) {
      const auto& e = subsets[s];
      SCOPED_TRACE(name + " subset " + std::to_string(s));
      ASSERT_EQ(g->masks[s], e.at("mask").get<std::uint64_t>());
      EXPECT_EQ(g->size[s], e.at("k").get<std::uint32_t>());
      // Q from running sums: absolute tolerance on the scale of Q for near-zero values.
      EXPECT_TRUE(test::near_rel(g->Q[s], e.at("Q").get<double>(), test::tol::estimate, 1e-7));
      EXPECT_TRUE(test::near_rel(g->I2[s], e.at("I2").get<double>(), test::tol::estimate, 1e-6));
      EXPECT_TRUE(test::near_rel(g->H2[s], e.at("H2").get<double>(), test::tol::estimate));
      EXPECT_TRUE(
          test::near_rel(g->tau2[s], e.at("tau2").get<double>(), test::tol::estimate, 1e-9));
      EXPECT_TRUE(
          test::near_rel(g->estimate[s], e.at("estimate").get<double>(), test::tol::estimate));
    }
  }
}

TEST(gosh_test, random_subsets_are_reproducible_and_sized_1_to_k) {
  std::vector<double> y(30), v(30);
  for (std::size_t i = 0; i < 30; ++i) {
    y[i] = 0.1 * static_cast<double>(i % 7) - 0.3;
    v[i] = 0.05 + 0.01 * static_cast<double>(i % 5);
  }
  auto o = preset_options(preset::metafor);
  o.tau2 = tau2_method::dl;
  gosh_options go;
  go.max_subsets = 5000;
  go.seed = 7;
  auto a = gosh(y, v, o, go);
  auto b = gosh(y, v, o, go);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->exact);
  EXPECT_EQ(a->subsets(), 5000u);
  EXPECT_EQ(a->estimate, b->estimate);
  for (auto s : a->size) {
    EXPECT_GE(s, 1u);
    EXPECT_LE(s, 30u);
  }
}

// The k-means step of the GOSH diagnostics against R 4.2.2's kmeans(algorithm = "Lloyd") from the
// same starting centres: tests/validation/data/gosh_kmeans.json from
// tools/make_reference_gosh_diagnostics.R. Same labels, centres to 1e-12, same iteration count.
TEST(gosh_test, kmeans_lloyd_matches_r) {
  const auto ref = test::load_reference("gosh_kmeans.json");
  ASSERT_FALSE(ref.is_null());
  const auto x = ref.at("x").get<std::vector<double>>();
  const auto y = ref.at("y").get<std::vector<double>>();
  auto cx = ref.at("start_x").get<std::vector<double>>();
  auto cy = ref.at("start_y").get<std::vector<double>>();
  int iterations = 0;
  const auto label = kmeans_lloyd(x, y, cx, cy, 100, &iterations);
  EXPECT_EQ(label, ref.at("cluster").get<std::vector<int>>());
  EXPECT_EQ(iterations, ref.at("iterations").get<int>());
  const auto rx = ref.at("centre_x").get<std::vector<double>>();
  const auto ry = ref.at("centre_y").get<std::vector<double>>();
  ASSERT_EQ(cx.size(), rx.size());
  for (std::size_t j = 0; j < rx.size(); ++j) {
    EXPECT_TRUE(test::near_rel(cx[j], rx[j], 1e-12, 1e-12)) << cx[j] << " " << rx[j];
    EXPECT_TRUE(test::near_rel(cy[j], ry[j], 1e-12, 1e-12)) << cy[j] << " " << ry[j];
  }
}

}  // namespace
}  // namespace srma
