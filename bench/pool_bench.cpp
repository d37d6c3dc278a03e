// Benchmarks of pooling (Google Benchmark). Compare with metafor through tools/bench_compare.sh,
// which runs these and the same fits in R in one go and reports ratios.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "srma/model/pool.hpp"
#include "srma/model/tau2.hpp"

namespace {

// dat.bcg log risk ratios (escalc "RR"), k = 13; the first 11 are used for the k = 11 case.
const std::vector<double> k_bcg_yi = {-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
                                      0.0120,  -0.4694, -1.3713, -0.3394, 0.4459,  -0.0173};
const std::vector<double> k_bcg_vi = {0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230,
                                      0.0040, 0.0564, 0.0730, 0.0124, 0.5325, 0.0714};

struct simulated {
  std::vector<double> yi, vi;
};

// Random-effects data: mu = -0.3, tau^2 = 0.05, v ~ U(0.01, 0.5); fixed seed.
simulated simulate(std::size_t k, unsigned seed = 42) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uv(0.01, 0.5);
  std::normal_distribution<double> n01(0.0, 1.0);
  simulated s;
  for (std::size_t i = 0; i < k; ++i) {
    const double v = uv(rng);
    s.vi.push_back(v);
    s.yi.push_back(-0.3 + std::sqrt(0.05) * n01(rng) + std::sqrt(v) * n01(rng));
  }
  return s;
}

// One REML random-effects pool with everything rma() + confint() + predict() report, k = 11.
void bm_pool_reml_k11(benchmark::State& state) {
  std::vector<double> yi(k_bcg_yi.begin(), k_bcg_yi.begin() + 11);
  std::vector<double> vi(k_bcg_vi.begin(), k_bcg_vi.begin() + 11);
  const auto opts = srma::preset_options(srma::preset::metafor);
  for (auto _ : state) {
    auto r = srma::pool(yi, vi, opts);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_pool_reml_k11);

// The same fit by each estimator (k = 13, BCG).
void bm_pool_estimator(benchmark::State& state) {
  auto opts = srma::preset_options(srma::preset::metafor);
  opts.tau2 = srma::all_tau2_methods()[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(std::string(srma::tau2_method_code(opts.tau2)));
  for (auto _ : state) {
    auto r = srma::pool(k_bcg_yi, k_bcg_vi, opts);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_pool_estimator)->DenseRange(0, 7);

// REML pool (with Q-profile CI) as k grows: O(k).
void bm_pool_reml_k(benchmark::State& state) {
  const auto s = simulate(static_cast<std::size_t>(state.range(0)));
  const auto opts = srma::preset_options(srma::preset::metafor);
  for (auto _ : state) {
    auto r = srma::pool(s.yi, s.vi, opts);
    benchmark::DoNotOptimize(r);
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(bm_pool_reml_k)
    ->RangeMultiplier(10)
    ->Range(10, 100000)
    ->Arg(5000)
    ->Unit(benchmark::kMicrosecond)
    ->Complexity(benchmark::oN);

// tau^2 alone by REML at k = 100,000.
void bm_tau2_reml_100k(benchmark::State& state) {
  const auto s = simulate(100000);
  for (auto _ : state) {
    auto r = srma::estimate_tau2(s.yi, s.vi, srma::tau2_method::reml);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(bm_tau2_reml_100k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
