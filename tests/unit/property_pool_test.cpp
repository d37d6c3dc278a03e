// Property tests of pooling (issue 15): invariances that must hold for every input, checked on
// thousands of random data sets drawn with fixed seeds (the same sets on every run).
//
// - the order of the studies does not change any number (every tau^2 estimator);
// - each study given twice leaves the common-effect estimate and halves its variance;
// - yi -> a yi + b (vi -> a^2 vi) maps the estimate, CI and PI by the same map (the bounds swap
//   when a < 0), scales tau^2 by a^2 and leaves Q, I^2, H^2 and p unchanged (every estimator);
// - labels do not affect any number;
// - row i of leave-one-out equals a fresh pool without study i;
// - the last row of a cumulative analysis equals the pool of all studies.
//
// Tolerance: 1e-9 relative to max(|value|, unit), with the unit the natural scale of the value
// (the SE for estimates and bounds, the typical within-study variance for tau^2, 1 for Q, I^2
// and p), so that values that should be 0 are compared absolutely on their own scale. Closed-form
// estimators agree to rounding (~1e-15); the iterative ones (ML, REML, PM, EB) stop at a relative
// step of 1e-12 (tau2_control::rel_tol), which 1e-9 leaves room for. The references are the
// same library's results on the transformed input, so no external number is needed (an
// independent computation by definition of each property).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/tau2.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/leave1out.hpp"

namespace srma {
namespace {

constexpr double rel = 1e-9;

// |a - b| <= rel * max(|b|, unit); NaN equals NaN.
::testing::AssertionResult close(double a, double b, double unit, const char* what) {
  if (std::isnan(a) && std::isnan(b)) return ::testing::AssertionSuccess();
  if (std::isinf(a) && a == b) return ::testing::AssertionSuccess();
  const double scale = std::max(std::fabs(b), unit);
  if (std::fabs(a - b) <= rel * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": " << a << " vs " << b << " (diff "
                                       << std::fabs(a - b) << ", scale " << scale << ")";
}

struct data_set {
  std::vector<double> yi, vi;
};

// k studies from a random-effects model: vi log-uniform over three decades, tau^2 zero in a
// third of the sets (so that the estimators' boundary at 0 is reached), mean in [-2, 2].
data_set draw(std::mt19937_64& rng, std::size_t k_min = 2, std::size_t k_max = 25) {
  std::uniform_int_distribution<std::size_t> k_dist(k_min, k_max);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> z(0, 1);
  const std::size_t k = k_dist(rng);
  const double mu = 4 * u(rng) - 2;
  const double tau2 = u(rng) < 1.0 / 3 ? 0.0 : 0.5 * u(rng);
  data_set d;
  for (std::size_t i = 0; i < k; ++i) {
    const double v = std::exp(std::log(1e-3) + u(rng) * std::log(1e3));
    d.vi.push_back(v);
    d.yi.push_back(mu + z(rng) * std::sqrt(v + tau2));
  }
  return d;
}

pool_options options_for(tau2_method m, ci_method ci = ci_method::z) {
  pool_options o;
  o.model = model_choice::both;
  o.tau2 = m;
  o.ci = ci;
  o.pi = pi_method::t_k1;
  // No fallback: a failure of the requested estimator shows as an error, not as another
  // estimator's numbers.
  o.control.fallback = {};
  return o;
}

pool_result must_pool(const data_set& d, const pool_options& o,
                      const std::vector<std::string>& labels = {}) {
  auto t = make_study_table(d.yi, d.vi, labels);
  EXPECT_TRUE(t.has_value()) << t.error().what();
  auto r = pool(*t, o);
  EXPECT_TRUE(r.has_value()) << r.error().what();
  return *r;
}

// The common-effect and the random-effects estimates of two pools, side by side.
using estimate_pair = std::pair<const model_estimate*, const model_estimate*>;
std::array<estimate_pair, 2> estimate_pairs(const pool_result& a, const pool_result& b) {
  return {estimate_pair{&a.common, &b.common}, estimate_pair{&a.random, &b.random}};
}

// Every number of a pool (estimates, intervals, heterogeneity), compared with `close`.
void expect_same(const pool_result& a, const pool_result& b, const std::string& ctx) {
  const double tv = std::max(b.heterogeneity.typical_v, 1e-300);
  for (const auto& e : estimate_pairs(a, b)) {
    const double se = e.second->se;
    EXPECT_TRUE(close(e.first->estimate, e.second->estimate, se, "estimate")) << ctx;
    EXPECT_TRUE(close(e.first->se, e.second->se, se, "se")) << ctx;
    EXPECT_TRUE(close(e.first->ci_lower, e.second->ci_lower, se, "ci_lower")) << ctx;
    EXPECT_TRUE(close(e.first->ci_upper, e.second->ci_upper, se, "ci_upper")) << ctx;
    EXPECT_TRUE(close(e.first->p, e.second->p, 1, "p")) << ctx;
  }
  const double se = b.random.se;
  EXPECT_TRUE(close(a.random.pi_lower, b.random.pi_lower, se, "pi_lower")) << ctx;
  EXPECT_TRUE(close(a.random.pi_upper, b.random.pi_upper, se, "pi_upper")) << ctx;
  const auto& ha = a.heterogeneity;
  const auto& hb = b.heterogeneity;
  EXPECT_TRUE(close(ha.Q, hb.Q, 1, "Q")) << ctx;
  EXPECT_TRUE(close(ha.I2, hb.I2, 1, "I2")) << ctx;
  EXPECT_TRUE(close(ha.H2, hb.H2, 1, "H2")) << ctx;
  EXPECT_TRUE(close(ha.tau2, hb.tau2, tv, "tau2")) << ctx;
  EXPECT_TRUE(close(ha.I2_tau2, hb.I2_tau2, 1, "I2_tau2")) << ctx;
}

std::string context(const char* property, std::size_t set, tau2_method m) {
  return std::string(property) + ", set " + std::to_string(set) + ", " +
         std::string(tau2_method_code(m));
}

TEST(property_pool_test, study_order_does_not_change_any_number) {
  std::mt19937_64 rng(20261201);
  for (std::size_t s = 0; s < 1000; ++s) {
    const auto d = draw(rng);
    std::vector<std::size_t> perm(d.yi.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    data_set p;
    for (std::size_t i : perm) {
      p.yi.push_back(d.yi[i]);
      p.vi.push_back(d.vi[i]);
    }
    for (tau2_method m : all_tau2_methods()) {
      const auto o = options_for(m, s % 2 == 0 ? ci_method::z : ci_method::hksj);
      const auto a = must_pool(p, o);
      const auto b = must_pool(d, o);
      expect_same(a, b, context("order", s, m));
      // The weights follow their studies.
      for (std::size_t j = 0; j < perm.size(); ++j) {
        EXPECT_TRUE(close(a.weight_common[j], b.weight_common[perm[j]], 1, "weight_common"))
            << context("order", s, m);
        EXPECT_TRUE(close(a.weight_random[j], b.weight_random[perm[j]], 1, "weight_random"))
            << context("order", s, m);
      }
      if (HasFailure()) return;
    }
  }
}

TEST(property_pool_test, each_study_twice_keeps_common_estimate_and_halves_its_variance) {
  std::mt19937_64 rng(151);
  for (std::size_t s = 0; s < 1000; ++s) {
    const auto d = draw(rng, 1, 40);
    data_set twice = d;
    twice.yi.insert(twice.yi.end(), d.yi.begin(), d.yi.end());
    twice.vi.insert(twice.vi.end(), d.vi.begin(), d.vi.end());
    pool_options o = options_for(tau2_method::dl);
    o.model = model_choice::common;
    const auto a = must_pool(twice, o);
    const auto b = must_pool(d, o);
    const std::string ctx = "twice, set " + std::to_string(s);
    EXPECT_TRUE(close(a.common.estimate, b.common.estimate, b.common.se, "estimate")) << ctx;
    EXPECT_TRUE(close(a.common.se * a.common.se, 0.5 * b.common.se * b.common.se,
                      b.common.se * b.common.se, "variance"))
        << ctx;
    if (HasFailure()) return;
  }
}

TEST(property_pool_test, affine_map_of_yi_maps_estimates_and_scales_tau2) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t s = 0; s < 1000; ++s) {
    const auto d = draw(rng);
    // |a| log-uniform in [0.1, 10], either sign; b in [-5, 5].
    const double a = (u(rng) < 0.5 ? -1 : 1) * std::exp(std::log(0.1) + u(rng) * std::log(100.0));
    const double b = 10 * u(rng) - 5;
    data_set t;
    for (std::size_t i = 0; i < d.yi.size(); ++i) {
      t.yi.push_back(a * d.yi[i] + b);
      t.vi.push_back(a * a * d.vi[i]);
    }
    for (tau2_method m : all_tau2_methods()) {
      const auto o = options_for(m, s % 2 == 0 ? ci_method::z : ci_method::hksj);
      const auto rt = must_pool(t, o);
      const auto r0 = must_pool(d, o);
      const std::string ctx = context("affine", s, m) + ", a = " + std::to_string(a);
      for (const auto& e : estimate_pairs(rt, r0)) {
        const auto& x = *e.first;
        const auto& y = *e.second;
        const double unit = std::fabs(a) * y.se;
        EXPECT_TRUE(close(x.estimate, a * y.estimate + b, unit, "estimate")) << ctx;
        EXPECT_TRUE(close(x.se, std::fabs(a) * y.se, unit, "se")) << ctx;
        const double lo = a * (a > 0 ? y.ci_lower : y.ci_upper) + b;
        const double hi = a * (a > 0 ? y.ci_upper : y.ci_lower) + b;
        EXPECT_TRUE(close(x.ci_lower, lo, unit, "ci_lower")) << ctx;
        EXPECT_TRUE(close(x.ci_upper, hi, unit, "ci_upper")) << ctx;
        // Only the null hypothesis moves with b, so p is compared on the untranslated map.
      }
      const double unit = std::fabs(a) * r0.random.se;
      const double plo = a * (a > 0 ? r0.random.pi_lower : r0.random.pi_upper) + b;
      const double phi = a * (a > 0 ? r0.random.pi_upper : r0.random.pi_lower) + b;
      EXPECT_TRUE(close(rt.random.pi_lower, plo, unit, "pi_lower")) << ctx;
      EXPECT_TRUE(close(rt.random.pi_upper, phi, unit, "pi_upper")) << ctx;
      const auto& ht = rt.heterogeneity;
      const auto& h0 = r0.heterogeneity;
      EXPECT_TRUE(close(ht.tau2, a * a * h0.tau2, a * a * h0.typical_v, "tau2")) << ctx;
      EXPECT_TRUE(close(ht.Q, h0.Q, 1, "Q")) << ctx;
      EXPECT_TRUE(close(ht.I2, h0.I2, 1, "I2")) << ctx;
      EXPECT_TRUE(close(ht.I2_tau2, h0.I2_tau2, 1, "I2_tau2")) << ctx;
      EXPECT_TRUE(close(ht.H2, h0.H2, 1, "H2")) << ctx;
      EXPECT_TRUE(close(ht.p, h0.p, 1, "Q p")) << ctx;
      if (HasFailure()) return;
    }
  }
}

TEST(property_pool_test, scale_alone_keeps_p_values) {
  // yi -> a yi (b = 0) keeps every test statistic's |value| and so every p-value.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t s = 0; s < 500; ++s) {
    const auto d = draw(rng);
    const double a = (u(rng) < 0.5 ? -1 : 1) * std::exp(std::log(0.1) + u(rng) * std::log(100.0));
    data_set t;
    for (std::size_t i = 0; i < d.yi.size(); ++i) {
      t.yi.push_back(a * d.yi[i]);
      t.vi.push_back(a * a * d.vi[i]);
    }
    for (tau2_method m : all_tau2_methods()) {
      const auto o = options_for(m);
      const auto rt = must_pool(t, o);
      const auto r0 = must_pool(d, o);
      const std::string ctx = context("scale", s, m);
      EXPECT_TRUE(close(rt.common.p, r0.common.p, 1, "common p")) << ctx;
      EXPECT_TRUE(close(rt.random.p, r0.random.p, 1, "random p")) << ctx;
      if (HasFailure()) return;
    }
  }
}

TEST(property_pool_test, labels_do_not_affect_numbers) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> ch(0x20, 0x7e);
  for (std::size_t s = 0; s < 1000; ++s) {
    const auto d = draw(rng);
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < d.yi.size(); ++i) {
      std::string l = "S" + std::to_string(i) + " ";
      const int n = ch(rng) % 40;
      for (int c = 0; c < n; ++c) l += static_cast<char>(ch(rng));
      labels.push_back(l + "\xc3\xa9");  // and a non-ASCII letter
    }
    const auto o = options_for(s % 2 == 0 ? tau2_method::reml : tau2_method::dl);
    const auto a = must_pool(d, o, labels);
    const auto b = must_pool(d, o);
    // Identical arithmetic on identical numbers: compared exactly (tolerance 0).
    EXPECT_EQ(std::memcmp(&a.random.estimate, &b.random.estimate, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&a.random.se, &b.random.se, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&a.heterogeneity.tau2, &b.heterogeneity.tau2, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&a.heterogeneity.Q, &b.heterogeneity.Q, sizeof(double)), 0);
    expect_same(a, b, "labels, set " + std::to_string(s));
    if (HasFailure()) return;
  }
}

TEST(property_pool_test, leave_one_out_row_equals_a_fresh_pool_without_the_study) {
  std::mt19937_64 rng(11);
  for (std::size_t s = 0; s < 300; ++s) {
    const auto d = draw(rng, 3, 15);
    const tau2_method m = all_tau2_methods()[s % all_tau2_methods().size()];
    const auto o = options_for(m);
    auto t = make_study_table(d.yi, d.vi);
    ASSERT_TRUE(t.has_value());
    auto l1o = leave1out(*t, o);
    ASSERT_TRUE(l1o.has_value()) << l1o.error().what();
    ASSERT_EQ(l1o->rows.size(), d.yi.size());
    for (std::size_t i = 0; i < d.yi.size(); ++i) {
      data_set without;
      for (std::size_t j = 0; j < d.yi.size(); ++j) {
        if (j == i) continue;
        without.yi.push_back(d.yi[j]);
        without.vi.push_back(d.vi[j]);
      }
      const auto fresh = must_pool(without, o);
      const auto& row = l1o->rows[i];
      const model_estimate& e = l1o->model == model_kind::random
                                    ? static_cast<const model_estimate&>(fresh.random)
                                    : fresh.common;
      const std::string ctx = context("leave1out", s, m) + ", row " + std::to_string(i);
      ASSERT_TRUE(row.fitted) << ctx;
      EXPECT_EQ(row.k, d.yi.size() - 1) << ctx;
      EXPECT_TRUE(close(row.estimate.estimate, e.estimate, e.se, "estimate")) << ctx;
      EXPECT_TRUE(close(row.estimate.se, e.se, e.se, "se")) << ctx;
      EXPECT_TRUE(close(row.estimate.ci_lower, e.ci_lower, e.se, "ci_lower")) << ctx;
      EXPECT_TRUE(close(row.estimate.ci_upper, e.ci_upper, e.se, "ci_upper")) << ctx;
      EXPECT_TRUE(close(row.Q, fresh.heterogeneity.Q, 1, "Q")) << ctx;
      EXPECT_TRUE(close(row.I2, fresh.heterogeneity.I2, 1, "I2")) << ctx;
      EXPECT_TRUE(close(row.tau2, fresh.heterogeneity.tau2, fresh.heterogeneity.typical_v, "tau2"))
          << ctx;
      if (HasFailure()) return;
    }
  }
}

TEST(property_pool_test, cumulative_last_row_equals_the_full_pool) {
  std::mt19937_64 rng(13);
  for (std::size_t s = 0; s < 1000; ++s) {
    const auto d = draw(rng, 2, 20);
    const tau2_method m = all_tau2_methods()[s % all_tau2_methods().size()];
    const auto o = options_for(m);
    auto t = make_study_table(d.yi, d.vi);
    ASSERT_TRUE(t.has_value());
    auto cum = cumulative(*t, "", o);
    ASSERT_TRUE(cum.has_value()) << cum.error().what();
    const auto full = must_pool(d, o);
    const auto& row = cum->rows.back();
    const model_estimate& e = cum->model == model_kind::random
                                  ? static_cast<const model_estimate&>(full.random)
                                  : full.common;
    const std::string ctx = context("cumulative", s, m);
    ASSERT_TRUE(row.fitted) << ctx;
    EXPECT_EQ(row.k, d.yi.size()) << ctx;
    EXPECT_TRUE(close(row.estimate.estimate, e.estimate, e.se, "estimate")) << ctx;
    EXPECT_TRUE(close(row.estimate.se, e.se, e.se, "se")) << ctx;
    EXPECT_TRUE(close(row.estimate.ci_lower, e.ci_lower, e.se, "ci_lower")) << ctx;
    EXPECT_TRUE(close(row.estimate.ci_upper, e.ci_upper, e.se, "ci_upper")) << ctx;
    EXPECT_TRUE(close(row.Q, full.heterogeneity.Q, 1, "Q")) << ctx;
    EXPECT_TRUE(close(row.tau2, full.heterogeneity.tau2, full.heterogeneity.typical_v, "tau2"))
        << ctx;
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace srma
