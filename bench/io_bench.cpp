// Reading study files (Google Benchmark): the CSV tokenizer into a csv_table and into a
// compact_csv, and read_studies (compact reading + study table), on a simulated yi,vi file.
// Whole-process times of `srma pool` on 10^6 and 10^7 studies: tools/bench_compare.sh.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "srma/data/study_table.hpp"
#include "srma/io/compact_csv.hpp"
#include "srma/io/csv.hpp"

namespace {

std::string yi_vi_text(std::size_t k) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> n01(0.0, 1.0);
  std::uniform_real_distribution<double> uv(0.01, 0.5);
  std::string text = "yi,vi\n";
  for (std::size_t i = 0; i < k; ++i)
    text += fmt::format("{:.6f},{:.6f}\n", -0.3 + n01(rng), uv(rng));
  return text;
}

void bm_parse_csv(benchmark::State& state) {
  const auto text = yi_vi_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(srma::parse_csv(text, "b.csv"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(bm_parse_csv)->Arg(100000)->Unit(benchmark::kMillisecond);

void bm_parse_csv_compact(benchmark::State& state) {
  const auto text = yi_vi_text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(srma::parse_csv_compact(text, "b.csv"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(bm_parse_csv_compact)->Arg(100000)->Unit(benchmark::kMillisecond);

void bm_read_studies(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("srma_io_bench_" + std::to_string(getpid()) + ".csv");
  const auto text = yi_vi_text(static_cast<std::size_t>(state.range(0)));
  std::ofstream(path, std::ios::binary) << text;
  for (auto _ : state) benchmark::DoNotOptimize(srma::read_studies(path.string()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  std::filesystem::remove(path);
}
BENCHMARK(bm_read_studies)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
