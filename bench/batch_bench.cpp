// Batch pooling (Google Benchmark): one meta-analysis of 10 studies as a batch pools it (REML,
// Q-profile tau^2 CI, HKSJ), and a whole batch of 10^4 such meta-analyses read from a file on
// all cores. The 10^5 target and metafor's loop over rma(): tools/bench_compare.sh.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "srma/model/batch.hpp"

namespace {

// `m` meta-analyses of 10 studies: mu ~ N(0, 0.3^2), tau^2 = 0.05, v ~ U(0.01, 0.5).
std::string batch_text(std::size_t m) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> n01(0.0, 1.0);
  std::uniform_real_distribution<double> uv(0.01, 0.5);
  std::string text = "id,yi,vi\n";
  for (std::size_t j = 0; j < m; ++j) {
    const double mu = 0.3 * n01(rng);
    for (int i = 0; i < 10; ++i) {
      const double v = uv(rng);
      text += fmt::format("m{},{:.6f},{:.6f}\n", j,
                          mu + std::sqrt(0.05) * n01(rng) + std::sqrt(v) * n01(rng), v);
    }
  }
  return text;
}

srma::batch_options options() {
  srma::batch_options o;
  o.id_column = "id";
  o.pooling.tau2 = srma::tau2_method::reml;
  o.pooling.ci = srma::ci_method::hksj;
  return o;
}

void bm_pool_one_k10(benchmark::State& state) {
  auto csv = srma::parse_csv_compact(batch_text(1), "b.csv");
  const auto o = options();
  for (auto _ : state) benchmark::DoNotOptimize(srma::pool_one(*csv, "m0", o));
}
BENCHMARK(bm_pool_one_k10)->Unit(benchmark::kMicrosecond);

// The same with the header analysed once, as pool_batch reads its meta-analyses.
void bm_pool_one_k10_prepared(benchmark::State& state) {
  auto csv = srma::parse_csv_compact(batch_text(1), "b.csv");
  const auto o = options();
  srma::study_table_maker maker(o.reading);
  maker.prepare(*csv);
  for (auto _ : state) benchmark::DoNotOptimize(srma::pool_one(*csv, "m0", o, maker));
}
BENCHMARK(bm_pool_one_k10_prepared)->Unit(benchmark::kMicrosecond);

void bm_batch(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("srma_batch_bench_" + std::to_string(getpid()) + ".csv");
  std::ofstream(path, std::ios::binary) << batch_text(static_cast<std::size_t>(state.range(0)));
  const auto o = options();
  for (auto _ : state) {
    std::size_t n = 0;
    auto s = srma::pool_batch(
        path.string(), o, [&](std::span<const srma::batch_result> rows) -> srma::expected<void> {
          n += rows.size();
          return {};
        });
    benchmark::DoNotOptimize(n);
    if (!s) state.SkipWithError(s.error().what().c_str());
  }
  std::filesystem::remove(path);
}
BENCHMARK(bm_batch)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
