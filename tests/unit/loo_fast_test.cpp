// The fits "without study i" from updated sums (src/sensitivity/loo_fast.hpp) against the plain
// refit they replace, pool_effects() on the other k - 1 studies, study by study: every estimator,
// Wald and HKSJ, random and common effects, on random data sets and on data built to break an
// "all but i" update (a study that dominates the sums, an outlier that carries most of Q, equal
// estimates, a large common offset, variances over nine decades, a likelihood with two maxima).
// A wrong update (a term not removed, the wrong centre, a stale tau^2) shows as a difference far
// above the tolerance: 1e-10 relative to max(|value|, unit), the unit the value's natural scale
// (the SE for estimates and bounds, the typical within-study variance for tau^2, 1 for Q, I^2,
// H^2, test statistics and p). The iterative estimators stop at a relative step of 1e-12 in the
// plain refit and 1e-13 here.
#include "sensitivity/loo_fast.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "srma/data/study_table.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/tau2.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"

namespace srma {
namespace {

// The tolerance, and a factor for a set whose tr P = sum w - sum w^2 / sum w cancels many digits
// (one study far more precise than the rest): the typical within-study variance (k - 1) / tr P,
// and with it I^2 and H^2 (tau^2-based) and the DL estimate, then carry a rounding error of about
// 1e-16 kappa in the plain refit as here, kappa = sum w / tr P (about 1e7 in the "dominant
// study" set below, 1 to 1000 in ordinary data).
constexpr double tol = 1e-10;
double tol_factor = 1;

::testing::AssertionResult close(double a, double b, double unit, const char* what) {
  if (std::isnan(a) && std::isnan(b)) return ::testing::AssertionSuccess();
  if (std::isinf(a) && a == b) return ::testing::AssertionSuccess();
  const double scale = std::max(std::fabs(b), unit);
  if (std::fabs(a - b) <= tol * tol_factor * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": " << a << " vs " << b << " (diff "
                                       << std::fabs(a - b) << ", scale " << scale << ")";
}

struct data_set {
  std::vector<double> yi, vi;
};

data_set draw(std::mt19937_64& rng, std::size_t k) {
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> z(0, 1);
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

pool_options options_for(tau2_method m, ci_method ci) {
  pool_options o;
  o.model = model_choice::both;
  o.tau2 = m;
  o.ci = ci;
  o.control.fallback = {};  // a plain refit that does not converge shows as an error
  return o;
}

const char* const k_hksj_note = "HKSJ: all estimates coincide, so the scaled SE is 0 (as metafor)";

struct tally {
  std::size_t fits = 0, fast = 0;
};

// Compares the fast fit of every study with the plain refit; counts the studies fitted fast.
void compare_all(const data_set& d, const pool_options& o, model_kind model, const std::string& ctx,
                 tally& count) {
  const std::size_t k = d.yi.size();
  auto full = pool_effects(d.yi, d.vi, o, effect_measure::generic, std::nullopt, false);
  ASSERT_TRUE(full.has_value()) << ctx << ": " << full.error().what();
  const double full_tau2 = model == model_kind::random ? full->heterogeneity.tau2 : 0.0;
  const detail::loo_fitter fitter(d.yi, d.vi, o, model, full_tau2);
  for (std::size_t i = 0; i < k; ++i) {
    const std::string where = ctx + ", without study " + std::to_string(i);
    std::vector<double> y, v;
    for (std::size_t j = 0; j < k; ++j) {
      if (j == i) continue;
      y.push_back(d.yi[j]);
      v.push_back(d.vi[j]);
    }
    auto plain = pool_effects(
        y, v, o, effect_measure::generic,
        model == model_kind::common ? std::optional<double>(0.0) : std::nullopt, false);
    long double s1 = 0, s2 = 0;
    for (double vj : v) {
      s1 += 1 / static_cast<long double>(vj);
      s2 += 1 / (static_cast<long double>(vj) * vj);
    }
    tol_factor = std::max(1.0, static_cast<double>(s1 / (s1 - s2 / s1)) * 1e-5);
    ++count.fits;
    const auto f = fitter.usable() ? fitter.fit(i) : std::nullopt;
    if (!f) continue;
    ++count.fast;
    ASSERT_TRUE(plain.has_value()) << where << ": the plain refit fails: " << plain.error().what();
    const auto& h = plain->heterogeneity;
    const model_estimate& e = model == model_kind::random
                                  ? static_cast<const model_estimate&>(plain->random)
                                  : plain->common;
    // A refit that noted anything but the HKSJ remark (other maxima, tau^2 set to 0 by the
    // likelihood check) must have been left to the plain refit.
    for (const auto& note : plain->notes) {
      if (model == model_kind::random) {
        EXPECT_EQ(note, k_hksj_note) << where;
      }
    }
    const bool plain_zero =
        model == model_kind::random && !plain->notes.empty() && plain->notes[0] == k_hksj_note;
    EXPECT_EQ(f->hksj_zero, plain_zero) << where;
    EXPECT_TRUE(close(f->tau2, model == model_kind::random ? h.tau2 : 0.0, h.typical_v, "tau2"))
        << where;
    EXPECT_TRUE(close(f->estimate.estimate, e.estimate, e.se, "estimate")) << where;
    EXPECT_TRUE(close(f->estimate.se, e.se, e.se, "se")) << where;
    EXPECT_TRUE(close(f->estimate.ci_lower, e.ci_lower, e.se, "ci_lower")) << where;
    EXPECT_TRUE(close(f->estimate.ci_upper, e.ci_upper, e.se, "ci_upper")) << where;
    EXPECT_TRUE(close(f->estimate.statistic, e.statistic, 1, "statistic")) << where;
    EXPECT_TRUE(close(f->estimate.p, e.p, 1, "p")) << where;
    EXPECT_TRUE(close(f->estimate.df, e.df, 1, "df")) << where;
    EXPECT_TRUE(close(f->Q, h.Q, 1, "Q")) << where;
    EXPECT_TRUE(close(f->Q_p, h.p, 1, "Q_p")) << where;
    EXPECT_TRUE(close(f->I2, h.I2, 100, "I2")) << where;
    EXPECT_TRUE(close(f->H2, h.H2, 1, "H2")) << where;
    const double i2t = model == model_kind::random ? h.I2_tau2 : 0.0;
    const double h2t = model == model_kind::random ? h.H2_tau2 : 1.0;
    EXPECT_TRUE(close(f->I2_tau2, i2t, 100, "I2_tau2")) << where;
    EXPECT_TRUE(close(f->H2_tau2, h2t, 1, "H2_tau2")) << where;
    const double tau2 = model == model_kind::random ? h.tau2 : 0.0;
    double sw = 0;
    for (double vj : v) sw += 1 / (vj + tau2);
    EXPECT_TRUE(close(f->sum_w, sw, 0, "sum_w")) << where;
    if (::testing::Test::HasFailure()) return;
  }
}

void compare_everything(const data_set& d, const std::string& name, tally& count,
                        bool with_hksj = true) {
  for (tau2_method m : all_tau2_methods()) {
    for (ci_method ci : {ci_method::z, ci_method::hksj}) {
      if (ci == ci_method::hksj && !with_hksj) continue;
      for (model_kind model : {model_kind::random, model_kind::common}) {
        const std::string ctx = name + ", " + std::string(tau2_method_code(m)) +
                                (ci == ci_method::hksj ? ", HKSJ" : ", Wald") +
                                (model == model_kind::random ? ", random" : ", common");
        compare_all(d, options_for(m, ci), model, ctx, count);
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

TEST(loo_fast_test, equals_the_plain_refit_on_random_data) {
  std::mt19937_64 rng(20261202);
  tally count;
  for (std::size_t s = 0; s < 120; ++s) {
    const std::size_t k = 3 + s % 38;
    compare_everything(draw(rng, k),
                       "set " + std::to_string(s) + " (k = " + std::to_string(k) + ")", count);
    if (HasFailure()) return;
  }
  // Larger k: the finer lattice near the full fit's tau^2 (k >= 50).
  for (std::size_t k : {60, 300}) {
    compare_everything(draw(rng, k), "k = " + std::to_string(k), count, false);
    if (HasFailure()) return;
  }
  // The test means something only if the fast path does the work: nearly every study of random
  // data is fitted from the sums (the rest, a likelihood with a flat stretch or two maxima, gets
  // the plain refit, compared by the other tests).
  EXPECT_GT(static_cast<double>(count.fast), 0.97 * static_cast<double>(count.fits))
      << count.fast << " of " << count.fits;
}

TEST(loo_fast_test, equals_the_plain_refit_on_data_that_break_updates) {
  std::mt19937_64 rng(7);
  std::vector<std::pair<std::string, data_set>> sets;
  {
    // One study far from the others carries nearly all of Q: Q without it cancels in the update.
    auto d = draw(rng, 12);
    d.yi[4] = 40;
    d.vi[4] = 0.001;
    sets.emplace_back("outlier", d);
  }
  {
    // One study a million times more precise than the others: its weight is nearly all of sum w.
    auto d = draw(rng, 15);
    d.vi[2] = 1e-9;
    sets.emplace_back("dominant study", d);
  }
  {
    // Equal estimates: Q = 0, tau^2 = 0, and HKSJ's residual sum vanishes.
    data_set d;
    for (int i = 0; i < 9; ++i) {
      d.yi.push_back(0.25);
      d.vi.push_back(0.01 * (i + 1));
    }
    sets.emplace_back("equal estimates", d);
  }
  {
    // Estimates near 1000 with a spread of 0.1: sums about a poor centre would cancel.
    auto d = draw(rng, 20);
    for (auto& y : d.yi) y = 1000 + 0.1 * y;
    for (auto& v : d.vi) v *= 0.01;
    sets.emplace_back("large offset", d);
  }
  {
    // Variances over nine decades.
    auto d = draw(rng, 25);
    std::uniform_real_distribution<double> u(0, 1);
    for (auto& v : d.vi) v = std::exp(std::log(1e-6) + u(rng) * std::log(1e9));
    sets.emplace_back("variances over nine decades", d);
  }
  {
    // Two studies only once one is left out.
    sets.emplace_back("k = 3", data_set{{0.1, 0.5, -0.3}, {0.02, 0.05, 0.03}});
  }
  tally count;
  for (const auto& [name, d] : sets) {
    compare_everything(d, name, count);
    if (HasFailure()) return;
  }
  EXPECT_GT(count.fast, count.fits / 2) << count.fast << " of " << count.fits;
}

data_set read_yi_vi(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  data_set d;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string label, y, v;
    std::getline(ss, label, ',');
    std::getline(ss, y, ',');
    std::getline(ss, v, ',');
    d.yi.push_back(std::stod(y));
    d.vi.push_back(std::stod(v));
  }
  return d;
}

// A REML likelihood with two maxima (tests/validation/data/edges_bimodal.csv, two clusters of
// precise studies): the plain refits without one study note the maxima and may move tau^2; those
// studies must be left to them, so leave1out() equals the plain refits notes and all.
TEST(loo_fast_test, a_likelihood_with_two_maxima_is_left_to_the_plain_refit) {
  auto d = read_yi_vi(std::string(SRMA_TEST_DATA_DIR) + "/edges_bimodal.csv");
  ASSERT_EQ(d.yi.size(), 8u);
  // Twice the studies, so that most fits without one study keep both clusters.
  const auto n = d.yi.size();
  for (std::size_t i = 0; i < n; ++i) {
    d.yi.push_back(d.yi[i] + 0.01);
    d.vi.push_back(d.vi[i] * 1.1);
  }
  pool_options o;
  o.model = model_choice::random;
  o.tau2 = tau2_method::reml;
  auto full = pool_effects(d.yi, d.vi, o, effect_measure::generic, std::nullopt, false);
  ASSERT_TRUE(full.has_value());
  const detail::loo_fitter fitter(d.yi, d.vi, o, model_kind::random, full->heterogeneity.tau2);
  std::size_t bimodal = 0;
  for (std::size_t i = 0; i < d.yi.size(); ++i) {
    std::vector<double> y, v;
    for (std::size_t j = 0; j < d.yi.size(); ++j) {
      if (j == i) continue;
      y.push_back(d.yi[j]);
      v.push_back(d.vi[j]);
    }
    auto plain = pool_effects(y, v, o, effect_measure::generic, std::nullopt, false);
    ASSERT_TRUE(plain.has_value());
    if (!plain->notes.empty()) {
      ++bimodal;
      EXPECT_FALSE(fitter.fit(i).has_value()) << "study " << i << ": " << plain->notes[0];
    }
  }
  EXPECT_GT(bimodal, 0u);  // the data do what they are for
  auto t = make_study_table(d.yi, d.vi);
  ASSERT_TRUE(t.has_value());
  auto l1o = leave1out(*t, o);
  ASSERT_TRUE(l1o.has_value());
  for (std::size_t i = 0; i < d.yi.size(); ++i) {
    std::vector<double> y, v;
    for (std::size_t j = 0; j < d.yi.size(); ++j) {
      if (j == i) continue;
      y.push_back(d.yi[j]);
      v.push_back(d.vi[j]);
    }
    auto plain = pool_effects(y, v, o, effect_measure::generic, std::nullopt, false);
    EXPECT_EQ(l1o->rows[i].notes, plain->notes) << "row " << i;
    EXPECT_TRUE(
        close(l1o->rows[i].tau2, plain->heterogeneity.tau2, plain->heterogeneity.typical_v, "tau2"))
        << "row " << i;
  }
}

// influence() end to end against its plain refits at k = 400 (REML, the default, and DL with
// HKSJ): the deletion statistics, and the diagnostics derived from them (absolute 1e-9 on their
// own scale: they are differences of nearly equal estimates over an SE).
TEST(loo_fast_test, influence_equals_plain_refits) {
  std::mt19937_64 rng(99);
  const auto d = draw(rng, 400);
  auto t = make_study_table(d.yi, d.vi);
  ASSERT_TRUE(t.has_value());
  for (auto [m, ci] :
       {std::pair{tau2_method::reml, ci_method::z}, std::pair{tau2_method::dl, ci_method::hksj}}) {
    pool_options o;
    o.model = model_choice::random;
    o.tau2 = m;
    o.ci = ci;
    auto inf = influence(*t, o);
    ASSERT_TRUE(inf.has_value());
    const double mu = inf->full.random.estimate;
    const double var_mu = inf->full.random.se * inf->full.random.se;
    for (std::size_t i = 0; i < d.yi.size(); ++i) {
      std::vector<double> y, v;
      for (std::size_t j = 0; j < d.yi.size(); ++j) {
        if (j == i) continue;
        y.push_back(d.yi[j]);
        v.push_back(d.vi[j]);
      }
      auto plain = pool_effects(y, v, o, effect_measure::generic, std::nullopt, false);
      ASSERT_TRUE(plain.has_value());
      const auto& s = inf->studies[i];
      const std::string where = std::string(tau2_method_code(m)) + ", study " + std::to_string(i);
      EXPECT_TRUE(
          close(s.tau2_del, plain->heterogeneity.tau2, plain->heterogeneity.typical_v, "tau2_del"))
          << where;
      EXPECT_TRUE(close(s.QE_del, plain->heterogeneity.Q, 1, "QE_del")) << where;
      const double mu_del = plain->random.estimate;
      const double var_del = plain->random.se * plain->random.se;
      EXPECT_TRUE(close(s.cov_r, var_del / var_mu, 1, "cov_r")) << where;
      EXPECT_TRUE(close(s.cook_d, (mu - mu_del) * (mu - mu_del) / var_mu, 1, "cook_d")) << where;
      EXPECT_TRUE(close(s.baujat_y, (mu_del - mu) * (mu_del - mu) / var_del, 1, "baujat_y"))
          << where;
      if (HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace srma
