// Benchmarks of the analyses that refit the model many times: exact permutation test (2^11 sign
// flips of 11 studies, metafor's permutest(exact = TRUE)), leave-one-out, influence and
// trim-and-fill. tools/bench_compare.sh times the same calls in metafor.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "srma/bias/small_study_bias.hpp"
#include "srma/sensitivity/gosh.hpp"
#include "srma/sensitivity/gosh_stream.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"

namespace {

// dat.bcg log risk ratios (escalc "RR").
const std::vector<double> k_yi = {-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
                                  0.0120,  -0.4694, -1.3713, -0.3394, 0.4459,  -0.0173};
const std::vector<double> k_vi = {0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230,
                                  0.0040, 0.0564, 0.0730, 0.0124, 0.5325, 0.0714};

srma::study_table simulated(std::size_t k) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uv(0.01, 0.5);
  std::normal_distribution<double> n01;
  std::vector<double> y, v;
  for (std::size_t i = 0; i < k; ++i) {
    v.push_back(uv(rng));
    y.push_back(-0.3 + std::sqrt(0.05) * n01(rng) + std::sqrt(v.back()) * n01(rng));
  }
  return *srma::make_study_table(y, v);
}

// permutest(rma(yi, vi), exact = TRUE) on the first 11 BCG trials: 2048 REML refits.
void bm_permtest_exact_k11(benchmark::State& state) {
  std::vector<double> y(k_yi.begin(), k_yi.begin() + 11), v(k_vi.begin(), k_vi.begin() + 11);
  auto o = srma::preset_options(srma::preset::metafor);
  o.model = srma::model_choice::random;
  srma::permtest_options p;
  p.exact = true;
  for (auto _ : state) {
    auto r = srma::permutation_test(y, v, nullptr, o, p);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_permtest_exact_k11)->Unit(benchmark::kMillisecond)->UseRealTime();

void bm_leave1out(benchmark::State& state) {
  const auto t = simulated(static_cast<std::size_t>(state.range(0)));
  const auto o = srma::preset_options(srma::preset::metafor);
  for (auto _ : state) {
    auto r = srma::leave1out(t, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_leave1out)
    ->Arg(13)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

void bm_influence(benchmark::State& state) {
  const auto t = simulated(static_cast<std::size_t>(state.range(0)));
  const auto o = srma::preset_options(srma::preset::metafor);
  for (auto _ : state) {
    auto r = srma::influence(t, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_influence)
    ->Arg(13)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

// leave1out(rma(yi, vi)) and influence(rma(yi, vi)) on the 13 BCG trials, as
// tools/bench_metafor.R times them in metafor (the full fit included).
void bm_leave1out_bcg(benchmark::State& state) {
  auto t = *srma::make_study_table(k_yi, k_vi);
  const auto o = srma::preset_options(srma::preset::metafor);
  for (auto _ : state) {
    auto r = srma::leave1out(t, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_leave1out_bcg)->Unit(benchmark::kMicrosecond);

void bm_influence_bcg(benchmark::State& state) {
  auto t = *srma::make_study_table(k_yi, k_vi);
  const auto o = srma::preset_options(srma::preset::metafor);
  for (auto _ : state) {
    auto r = srma::influence(t, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_influence_bcg)->Unit(benchmark::kMicrosecond);

void bm_bias_all(benchmark::State& state) {
  auto t = *srma::make_study_table(k_yi, k_vi);
  const auto o = srma::preset_options(srma::preset::metafor);
  for (auto _ : state) {
    auto r = srma::small_study_bias(t, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_bias_all)->Unit(benchmark::kMicrosecond);

// gosh(): all 2^k - 1 subsets, every fit kept; DL in the vectorised kernel (8 subsets at a time),
// REML refits each subset.
void bm_gosh(benchmark::State& state) {
  const auto t = simulated(static_cast<std::size_t>(state.range(0)));
  auto o = srma::preset_options(srma::preset::metafor);
  o.tau2 = state.range(1) ? srma::tau2_method::reml : srma::tau2_method::dl;
  state.SetLabel(state.range(1) ? "REML" : "DL");
  for (auto _ : state) {
    auto r = srma::gosh(t.yi, t.vi, o);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_gosh)
    ->Args({12, 0})
    ->Args({12, 1})
    ->Args({19, 0})
    ->Args({19, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// gosh_stream(): all 2^k - 1 subsets aggregated on the fly (histogram, per-study sums, a sample
// of 10^5 fits), nothing kept per subset; k = 20 DL exhaustive is 1,048,575 subsets; k = 16 DL is
// tools/bench_compare.sh's in-process counterpart of metafor's gosh() on 16 studies.
void bm_gosh_stream(benchmark::State& state) {
  const auto t = simulated(static_cast<std::size_t>(state.range(0)));
  auto o = srma::preset_options(srma::preset::metafor);
  o.tau2 = state.range(1) ? srma::tau2_method::reml : srma::tau2_method::dl;
  state.SetLabel(state.range(1) ? "REML" : "DL");
  srma::gosh_stream_options g;
  g.max_subsets = std::uint64_t{1} << 40;
  if (state.range(2) > 0) g.threads = static_cast<unsigned>(state.range(2));  // 0: all cores
  for (auto _ : state) {
    auto r = srma::gosh_stream(t.yi, t.vi, o, g);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * ((std::int64_t{1} << state.range(0)) - 1));
}
BENCHMARK(bm_gosh_stream)
    ->Args({16, 0, 0})
    ->Args({16, 0, 1})
    ->Args({20, 0, 0})
    ->Args({16, 1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
