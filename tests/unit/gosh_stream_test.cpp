// Streaming GOSH (srma/sensitivity/gosh_stream.hpp): every aggregate equals the one recomputed
// from gosh()'s full list of fits (the independent oracle: plain loops over every subset), the
// result does not depend on the number of threads, the sink sees every fit in Gray-code order,
// and cancelling or a refusing sink stops at whole blocks.
#include "srma/sensitivity/gosh_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <map>
#include <random>

#include "sensitivity/gosh_kernel.hpp"
#include "sensitivity/gosh_scoring.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/model/tau2.hpp"
#include "srma/sensitivity/gosh.hpp"

namespace srma {
namespace {

struct data {
  std::vector<double> yi, vi;
};

data simulated(std::size_t k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uv(0.01, 0.5);
  std::normal_distribution<double> n01;
  data d;
  for (std::size_t i = 0; i < k; ++i) {
    d.vi.push_back(uv(rng));
    d.yi.push_back(-0.3 + std::sqrt(0.08) * n01(rng) + std::sqrt(d.vi.back()) * n01(rng));
  }
  return d;
}

pool_options model(bool common, tau2_method m = tau2_method::dl) {
  pool_options o = preset_options(preset::metafor);
  o.model = common ? model_choice::common : model_choice::random;
  o.tau2 = m;
  return o;
}

bool near(double a, double b, double rel = 1e-9) {
  return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}

// The summary of the full list of fits, by plain loops.
void expect_matches_full(const gosh_summary& s, const gosh_result& g,
                         const gosh_stream_options& so) {
  ASSERT_EQ(s.done, g.subsets());
  EXPECT_EQ(s.failed, g.failed);
  double lo = INFINITY, hi = -INFINITY, ilo = INFINITY, ihi = -INFINITY;
  std::vector<std::uint64_t> count(so.bins_x * so.bins_y, 0);
  const double x_lo = s.histogram.x_lo, x_hi = s.histogram.x_hi;
  for (std::size_t t = 0; t < g.subsets(); ++t) {
    lo = std::min(lo, g.estimate[t]);
    hi = std::max(hi, g.estimate[t]);
    ilo = std::min(ilo, g.I2[t]);
    ihi = std::max(ihi, g.I2[t]);
    const auto ix = static_cast<std::size_t>(
        std::clamp((g.estimate[t] - x_lo) / (x_hi - x_lo) * static_cast<double>(so.bins_x), 0.0,
                   static_cast<double>(so.bins_x - 1)));
    const auto iy = static_cast<std::size_t>(std::clamp(
        g.I2[t] / 100 * static_cast<double>(so.bins_y), 0.0, static_cast<double>(so.bins_y - 1)));
    ++count[iy * so.bins_x + ix];
  }
  EXPECT_DOUBLE_EQ(s.estimate_min, lo);
  EXPECT_DOUBLE_EQ(s.estimate_max, hi);
  EXPECT_DOUBLE_EQ(s.I2_min, ilo);
  EXPECT_DOUBLE_EQ(s.I2_max, ihi);
  // Bounds known before streaming hold every estimate (up to rounding: a single study's
  // estimate is shift + (yi - shift), which may differ from yi in the last bit; binning clamps).
  EXPECT_LE(x_lo, lo + 1e-12 * std::max(1.0, std::abs(lo)));
  EXPECT_GE(x_hi, hi - 1e-12 * std::max(1.0, std::abs(hi)));
  EXPECT_EQ(s.histogram.count, count);
  for (std::size_t i = 0; i < g.k; ++i) {
    double n1 = 0, e1 = 0, e2 = 0, i1 = 0, n0 = 0, f1 = 0, j1 = 0;
    for (std::size_t t = 0; t < g.subsets(); ++t) {
      if (g.contains(t, i)) {
        ++n1;
        e1 += g.estimate[t];
        e2 += g.estimate[t] * g.estimate[t];
        i1 += g.I2[t];
      } else {
        ++n0;
        f1 += g.estimate[t];
        j1 += g.I2[t];
      }
    }
    const auto& st = s.studies[i];
    SCOPED_TRACE("study " + std::to_string(i));
    EXPECT_EQ(st.with.n, static_cast<std::uint64_t>(n1));
    EXPECT_EQ(st.without.n, static_cast<std::uint64_t>(n0));
    EXPECT_TRUE(near(st.with.mean_estimate, e1 / n1)) << st.with.mean_estimate << " " << e1 / n1;
    EXPECT_TRUE(near(st.with.mean_I2, i1 / n1)) << st.with.mean_I2 << " " << i1 / n1;
    EXPECT_TRUE(near(st.without.mean_estimate, f1 / n0));
    EXPECT_TRUE(near(st.without.mean_I2, j1 / n0));
    const double sd = std::sqrt((e2 - e1 * e1 / n1) / (n1 - 1));
    EXPECT_TRUE(near(st.with.sd_estimate, sd, 1e-7)) << st.with.sd_estimate << " " << sd;
  }
}

TEST(gosh_stream_test, aggregates_equal_those_of_every_fit) {
  const auto d = simulated(11, 3);
  for (auto [common, method] : {std::pair{true, tau2_method::dl}, std::pair{false, tau2_method::dl},
                                std::pair{false, tau2_method::reml}}) {
    SCOPED_TRACE(common ? "EE" : std::string(tau2_method_code(method)));
    const auto o = model(common, method);
    gosh_stream_options so;
    so.bins_x = 40;
    so.bins_y = 20;
    auto s = gosh_stream(d.yi, d.vi, o, so);
    auto g = gosh(d.yi, d.vi, o);
    ASSERT_TRUE(s && g);
    EXPECT_TRUE(s->exact);
    EXPECT_EQ(s->subsets, 2047u);
    expect_matches_full(*s, *g, so);
    // 2047 subsets fit in the sample: it holds every fit, in enumeration order (fit t is subset
    // gray(t + 1)), with the values of the full list.
    EXPECT_TRUE(s->sample.complete);
    ASSERT_EQ(s->sample.points(), 2047u);
    std::map<std::uint64_t, std::size_t> at;
    for (std::size_t t = 0; t < g->subsets(); ++t) at[g->masks[t]] = t;
    for (std::size_t p = 0; p < s->sample.points(); ++p) {
      const std::uint64_t t = s->sample.index[p];
      EXPECT_EQ(t, p);
      ASSERT_EQ(s->sample.masks[p], (t + 1) ^ ((t + 1) >> 1));
      EXPECT_EQ(s->sample.size[p], g->size[at[s->sample.masks[p]]]);
      EXPECT_EQ(s->sample.estimate[p], g->estimate[at[s->sample.masks[p]]]);
      EXPECT_EQ(s->sample.I2[p], g->I2[at[s->sample.masks[p]]]);
    }
  }
}

TEST(gosh_stream_test, same_result_whatever_the_number_of_threads) {
  // 2^17 - 1 subsets: eight chunks of 2^14; and 50,000 random subsets of 40 studies.
  const auto d17 = simulated(17, 5);
  const auto d40 = simulated(40, 6);
  for (const auto* d : {&d17, &d40}) {
    std::vector<gosh_summary> runs;
    for (unsigned threads : {1u, 2u, 3u}) {
      gosh_stream_options so;
      so.threads = threads;
      so.max_subsets = 200'000;
      so.sample_size = 1000;
      so.highlight = 2;
      if (d == &d40) so.max_subsets = 50'000;
      auto s = gosh_stream(d->yi, d->vi, model(false), so);
      ASSERT_TRUE(s) << s.error().what();
      runs.push_back(std::move(*s));
    }
    for (std::size_t r = 1; r < runs.size(); ++r) {
      EXPECT_EQ(runs[r].histogram.count, runs[0].histogram.count);
      EXPECT_EQ(runs[r].histogram.with, runs[0].histogram.with);
      EXPECT_EQ(runs[r].sample.index, runs[0].sample.index);
      EXPECT_EQ(runs[r].sample.estimate, runs[0].sample.estimate);
      EXPECT_EQ(runs[r].all.mean_estimate, runs[0].all.mean_estimate);  // bitwise
      for (std::size_t i = 0; i < runs[0].studies.size(); ++i) {
        EXPECT_EQ(runs[r].studies[i].with.mean_estimate, runs[0].studies[i].with.mean_estimate);
        EXPECT_EQ(runs[r].studies[i].without.sd_I2, runs[0].studies[i].without.sd_I2);
      }
    }
    EXPECT_EQ(runs[0].sample.points(), 1000u);
    EXPECT_FALSE(runs[0].sample.complete);
  }
}

TEST(gosh_stream_test, sink_sees_every_fit_in_gray_code_order) {
  const auto d = simulated(16, 7);
  std::uint64_t next = 0;
  bool order_ok = true;
  gosh_stream_options so;
  so.threads = 2;
  so.sink = [&](const gosh_fit_block& b) {
    order_ok = order_ok && b.first == next;
    for (std::size_t i = 0; i < b.fits(); ++i) {
      const std::uint64_t t = b.first + i + 1;
      order_ok = order_ok && b.masks[i] == (t ^ (t >> 1)) &&
                 b.size[i] == static_cast<std::uint32_t>(std::popcount(b.masks[i]));
    }
    next += b.fits();
    return true;
  };
  auto s = gosh_stream(d.yi, d.vi, model(false), so);
  ASSERT_TRUE(s);
  EXPECT_TRUE(order_ok);
  EXPECT_EQ(next, 65535u);
  EXPECT_FALSE(s->interrupted);
}

TEST(gosh_stream_test, cancel_and_refusing_sink_stop_at_whole_blocks) {
  const auto d = simulated(18, 8);  // 16 chunks
  std::atomic<bool> cancel{false};
  std::uint64_t seen = 0;
  gosh_stream_options so;
  so.threads = 1;
  so.cancel = &cancel;
  so.sink = [&](const gosh_fit_block& b) {
    seen += b.fits();
    cancel = true;  // as SIGINT would, after the first block
    return true;
  };
  auto s = gosh_stream(d.yi, d.vi, model(false), so);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->interrupted);
  EXPECT_EQ(s->done, seen);
  EXPECT_EQ(s->done, 16384u);
  EXPECT_LT(s->done, s->subsets);

  gosh_stream_options refuse;
  refuse.threads = 1;
  refuse.sink = [](const gosh_fit_block&) { return false; };
  auto r = gosh_stream(d.yi, d.vi, model(false), refuse);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->stopped);
  EXPECT_FALSE(r->interrupted);
  EXPECT_LT(r->done, r->subsets);
}

TEST(gosh_stream_test, max_subsets_is_64_bit) {
  gosh_options o;
  o.max_subsets = (std::uint64_t{1} << 30) - 1;
  EXPECT_TRUE(o.validate().empty());
  // k = 30 would be exact with this limit; k = 12 certainly is.
  const auto d = simulated(12, 9);
  gosh_stream_options so;
  so.max_subsets = std::uint64_t{1} << 40;
  auto s = gosh_stream(d.yi, d.vi, model(true), so);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->exact);
  EXPECT_EQ(s->subsets, 4095u);
}

// Every subset's fit from the kernel against the formulas applied to that subset alone, with
// two-pass sums (metafor's gosh() with DL uses the same closed forms): k = 2 and 3 (blocks with
// fewer than 3 low studies), 12 (one chunk) and 15 (two chunks, a block split between them).
TEST(gosh_stream_test, kernel_matches_plain_formulas_for_every_subset) {
  for (std::size_t k : {2u, 3u, 12u, 15u}) {
    const auto d = simulated(k, 20 + k);
    for (bool common : {true, false}) {
      SCOPED_TRACE("k = " + std::to_string(k) + (common ? " EE" : " DL"));
      auto g = gosh(d.yi, d.vi, model(common));
      ASSERT_TRUE(g) << g.error().what();
      ASSERT_EQ(g->subsets(), (std::size_t{1} << k) - 1);
      std::size_t bad = 0;
      for (std::size_t s = 0; s < g->subsets(); ++s) {
        std::vector<double> y, v;
        for (std::size_t i = 0; i < k; ++i) {
          if (g->contains(s, i)) {
            y.push_back(d.yi[i]);
            v.push_back(d.vi[i]);
          }
        }
        const double m = static_cast<double>(y.size());
        double sw = 0, swy = 0, sw2 = 0;
        for (std::size_t j = 0; j < y.size(); ++j) {
          sw += 1 / v[j];
          swy += y[j] / v[j];
          sw2 += 1 / (v[j] * v[j]);
        }
        const double mean = swy / sw;
        double q = 0;
        for (std::size_t j = 0; j < y.size(); ++j) q += (y[j] - mean) * (y[j] - mean) / v[j];
        double est = mean, tau2 = 0, i2 = 0, h2 = 1;
        if (y.size() == 1) {
          q = 0;
        } else if (common) {
          i2 = q > 0 ? std::max(0.0, 100 * (q - (m - 1)) / q) : 0.0;
          h2 = q / (m - 1);
        } else {
          const double c = sw - sw2 / sw;
          tau2 = std::max(0.0, (q - (m - 1)) / c);
          double a = 0, b = 0;
          for (std::size_t j = 0; j < y.size(); ++j) {
            a += 1 / (v[j] + tau2);
            b += y[j] / (v[j] + tau2);
          }
          est = b / a;
          i2 = 100 * tau2 / ((m - 1) / c + tau2);
          h2 = q / (m - 1);
        }
        const bool same = g->size[s] == y.size() && near(g->estimate[s], est, 1e-11) &&
                          near(g->Q[s], q, 1e-10) && near(g->tau2[s], tau2, 1e-10) &&
                          near(g->I2[s], i2, 1e-10) && near(g->H2[s], h2, 1e-10);
        if (!same && ++bad <= 3) {
          ADD_FAILURE() << "subset " << s << ": estimate " << g->estimate[s] << " vs " << est
                        << ", Q " << g->Q[s] << " vs " << q << ", tau2 " << g->tau2[s] << " vs "
                        << tau2 << ", I2 " << g->I2[s] << " vs " << i2;
        }
      }
      EXPECT_EQ(bad, 0u);
    }
  }
}

// The kernel's code paths (those this CPU runs; a path it cannot run falls back to the next one
// down) give bitwise the same fits and aggregates: the same operations lane by lane, no fused
// multiply-adds.
TEST(gosh_stream_test, kernel_paths_give_the_same_bits) {
  const auto d = simulated(17, 30);
  for (bool common : {true, false}) {
    SCOPED_TRACE(common ? "EE" : "DL");
    std::vector<gosh_result> fits;
    std::vector<gosh_summary> sums;
    for (auto isa : {detail::gosh_isa::sse2, detail::gosh_isa::avx2, detail::gosh_isa::avx512}) {
      detail::force_gosh_kernel_isa(isa);
      auto g = gosh(d.yi, d.vi, model(common));
      gosh_stream_options so;
      so.highlight = 1;
      so.sample_size = 500;
      so.threads = 2;
      auto s = gosh_stream(d.yi, d.vi, model(common), so);
      ASSERT_TRUE(g && s);
      fits.push_back(std::move(*g));
      sums.push_back(std::move(*s));
    }
    detail::force_gosh_kernel_isa(std::nullopt);
    for (std::size_t r = 1; r < fits.size(); ++r) {
      EXPECT_EQ(fits[r].estimate, fits[0].estimate);
      EXPECT_EQ(fits[r].Q, fits[0].Q);
      EXPECT_EQ(fits[r].I2, fits[0].I2);
      EXPECT_EQ(fits[r].H2, fits[0].H2);
      EXPECT_EQ(fits[r].tau2, fits[0].tau2);
      EXPECT_EQ(sums[r].histogram.count, sums[0].histogram.count);
      EXPECT_EQ(sums[r].histogram.with, sums[0].histogram.with);
      EXPECT_EQ(sums[r].sample.index, sums[0].sample.index);
      EXPECT_EQ(sums[r].sample.estimate, sums[0].sample.estimate);
      EXPECT_EQ(sums[r].all.mean_estimate, sums[0].all.mean_estimate);
      EXPECT_EQ(sums[r].all.sd_I2, sums[0].all.sd_I2);
      EXPECT_EQ(sums[r].estimate_min, sums[0].estimate_min);
      EXPECT_EQ(sums[r].I2_max, sums[0].I2_max);
      for (std::size_t i = 0; i < d.yi.size(); ++i) {
        EXPECT_EQ(sums[r].studies[i].with.mean_estimate, sums[0].studies[i].with.mean_estimate);
        EXPECT_EQ(sums[r].studies[i].with.sd_I2, sums[0].studies[i].with.sd_I2);
        EXPECT_EQ(sums[r].studies[i].without.n, sums[0].studies[i].without.n);
      }
    }
  }
}

// A study whose terms overflow (v = 1e-160: w^2 = 1e320 is beyond the largest double) makes the
// DL fits of the subsets that hold it and another study NaN (I^2 = 0 / 0): counted as failed, left
// out of the aggregates, the same on every path. The sums start again without it when it leaves
// (inf - inf would make every later fit of the chunk NaN), so the other subsets are fitted right.
TEST(gosh_stream_test, kernel_counts_overflowing_fits_as_failed) {
  const std::vector<double> y = {-0.2, 0.1, 0.4, -0.3, 0.05, 0.25},
                            v = {0.1, 0.2, 0.1, 0.3, 1e-160, 0.2};
  std::vector<double> means;
  for (auto isa : {detail::gosh_isa::sse2, detail::gosh_isa::avx2, detail::gosh_isa::avx512}) {
    detail::force_gosh_kernel_isa(isa);
    auto s = gosh_stream(y, v, model(false));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->failed, 31u);  // the 2^5 - 1 subsets with study 5 and at least one other
    EXPECT_EQ(s->all.n, 32u);
    EXPECT_EQ(s->studies[4].with.n, 1u);
    means.push_back(s->all.mean_I2);
  }
  detail::force_gosh_kernel_isa(std::nullopt);
  EXPECT_TRUE(std::isfinite(means[0]));
  EXPECT_EQ(means[1], means[0]);
  EXPECT_EQ(means[2], means[0]);
  // The subsets without study 5 against the formulas (Q by two passes).
  auto g = gosh(y, v, model(false));
  ASSERT_TRUE(g);
  for (std::size_t t = 0; t < g->subsets(); ++t) {
    if (g->contains(t, 4) || g->size[t] < 2) continue;
    double sw = 0, swy = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (g->contains(t, i)) {
        sw += 1 / v[i];
        swy += y[i] / v[i];
      }
    }
    double q = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (g->contains(t, i)) q += (y[i] - swy / sw) * (y[i] - swy / sw) / v[i];
    }
    EXPECT_TRUE(near(g->Q[t], q, 1e-10)) << "subset " << t << ": " << g->Q[t] << " vs " << q;
  }
}

// gosh() stopped early (here from its progress callback, which runs on the calling thread after
// 100 ms) returns the fits done, the first `done` of the enumeration, ordered by size and then in
// enumeration order, each with its own values (checked against single REML fits).
TEST(gosh_stream_test, gosh_stopped_early_returns_the_fits_done) {
  const auto d = simulated(20, 40);
  const auto o = model(false, tau2_method::reml);
  std::atomic<bool> cancel{false};
  gosh_options go;
  go.max_subsets = std::uint64_t{1} << 20;
  go.threads = 1;
  go.cancel = &cancel;
  go.progress = [&](std::uint64_t, std::uint64_t) { cancel = true; };
  auto g = gosh(d.yi, d.vi, o, go);
  ASSERT_TRUE(g) << g.error().what();
  ASSERT_TRUE(g->interrupted);  // 2^20 REML fits take well over 100 ms
  const std::size_t done = g->subsets();
  ASSERT_GT(done, 0u);
  ASSERT_LT(done, (std::size_t{1} << 20) - 1);
  EXPECT_EQ(done % 16384, 0u);  // whole chunks
  std::vector<std::uint64_t> expected;
  for (std::uint64_t t = 0; t < done; ++t) expected.push_back((t + 1) ^ ((t + 1) >> 1));
  std::stable_sort(expected.begin(), expected.end(), [](std::uint64_t a, std::uint64_t b) {
    return std::popcount(a) < std::popcount(b);
  });
  EXPECT_EQ(g->masks, expected);
  std::mt19937_64 rng(1);
  for (int r = 0; r < 20; ++r) {
    const std::size_t s = rng() % done;
    std::vector<double> y, v;
    for (std::size_t i = 0; i < 20; ++i) {
      if (g->contains(s, i)) {
        y.push_back(d.yi[i]);
        v.push_back(d.vi[i]);
      }
    }
    EXPECT_EQ(g->size[s], y.size());
    if (y.size() < 2) continue;
    auto c = o.control;
    c.profile_points = 0;  // as GOSH fits its subsets (metafor's gosh())
    auto t = estimate_tau2(y, v, tau2_method::reml, c);
    ASSERT_TRUE(t);
    double a = 0, b = 0;
    for (std::size_t j = 0; j < y.size(); ++j) {
      a += 1 / (v[j] + t->tau2);
      b += y[j] / (v[j] + t->tau2);
    }
    EXPECT_TRUE(near(g->tau2[s], t->tau2, 1e-8)) << g->tau2[s] << " " << t->tau2;
    EXPECT_TRUE(near(g->estimate[s], b / a, 1e-8)) << g->estimate[s] << " " << b / a;
  }
}

// GOSH's allocation-free ML/REML scoring (src/sensitivity/gosh_scoring.cpp) repeats the model
// layer's arithmetic: bitwise the same tau^2 as estimate_tau2 without the profile scan, on random
// subsets of data at three scales and of the first 8 trials of dat.nielweise2007 (whose scoring
// oscillates and needs the step halving), and the same verdict when scoring does not converge.
TEST(gosh_stream_test, scoring_copy_gives_the_bits_of_estimate_tau2) {
  std::vector<data> sets;
  for (double scale : {1.0, 1e-3, 1e3}) {
    auto d = simulated(20, 50);
    for (auto& v : d.vi) v *= scale;
    for (auto& y : d.yi) y *= std::sqrt(scale);
    sets.push_back(d);
  }
  sets.push_back(
      {{-1.9632265990667737, -1.3940765015619454, -1.6062068918526542, -2.715742546725366,
        -0.14864834168736696, -1.055730561184844, -1.0928485839513593, -1.372688709064112},
       {2.3030316011555585, 1.3878391472868217, 0.62134182412917149, 2.1487181763043832,
        0.38013849829145119, 1.2677166857579227, 1.3448608065909242, 1.5407256571640133}});
  std::mt19937_64 rng(3);
  std::size_t compared = 0, unconverged = 0, zero = 0;
  for (const auto& d : sets) {
    const std::size_t k = d.yi.size();
    for (bool reml : {true, false}) {
      for (int max_iter : {1000, 6}) {
        tau2_control c;
        c.profile_points = 0;
        c.max_iter = max_iter;
        c.fallback = {};
        for (int r = 0; r < 400; ++r) {
          std::uint64_t mask = rng() & ((std::uint64_t{1} << k) - 1);
          if (std::popcount(mask) < 2) continue;
          std::vector<double> y, v, lv;
          for (std::size_t i = 0; i < k; ++i) {
            if ((mask >> i) & 1u) {
              y.push_back(d.yi[i]);
              v.push_back(d.vi[i]);
              lv.push_back(std::log(d.vi[i]));
            }
          }
          std::vector<double> work(y.size());
          const auto a = detail::gosh_scoring_tau2(y, v, lv, reml, c, work);
          const auto b =
              estimate_tau2(intercept_model(y, v), reml ? tau2_method::reml : tau2_method::ml, c);
          ASSERT_EQ(a.has_value(), b.has_value()) << "mask " << mask;
          ++compared;
          if (!a) {
            ++unconverged;
            continue;
          }
          zero += *a == 0;
          EXPECT_EQ(*a, b->tau2) << "mask " << mask << (reml ? " REML" : " ML");
        }
      }
    }
  }
  EXPECT_GT(compared, 5000u);
  EXPECT_GT(unconverged, 0u);  // the 6-iteration runs reach the non-convergence path
  EXPECT_GT(zero, 0u);
}

TEST(gosh_stream_test, options_errors) {
  const auto d = simulated(5, 10);
  gosh_stream_options so;
  so.bins_x = 0;
  EXPECT_EQ(gosh_stream(d.yi, d.vi, model(false), so).error().what(),
            "[srma.model.E300] the histogram has 0 x 100 bins, but each must be between 1 and "
            "4096");
  so = {};
  so.highlight = 5;
  EXPECT_EQ(gosh_stream(d.yi, d.vi, model(false), so).error().what(),
            "[srma.model.E300] the highlighted study is number 6, but there are 5 studies");
}

}  // namespace
}  // namespace srma
