// Benchmarks of the survival layer (Google Benchmark): the Cox model, the log-rank test and
// Kaplan-Meier curves of two arms, and Guyot reconstruction of both arms from their curves plus
// the Cox fit (what `srma km hr --arm ...` does), for 2 x n patients. tools/bench_compare.sh
// runs these and R survival's coxph + survdiff + survfit on data of the same size in one go.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "srma/survival/cox.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/survival/km_reconstruct.hpp"
#include "srma/survival/logrank.hpp"

namespace {

// Two arms of n patients: exponential event times (control hazard 0.1, HR 0.7), uniform
// censoring on (0, 30), administrative end at 24; times rounded to 0.01 (some ties).
srma::survival_data simulate(std::size_t n, unsigned seed = 7) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  srma::survival_data d;
  for (int arm = 0; arm < 2; ++arm) {
    const double rate = arm == 0 ? 0.07 : 0.1;
    for (std::size_t i = 0; i < n; ++i) {
      const double t = -std::log(1 - u(rng)) / rate;
      const double c = std::min(30 * u(rng), 24.0);
      d.add(arm == 0 ? "Treatment" : "Control", std::round(std::min(t, c) * 100) / 100,
            t <= c ? 1 : 0);
    }
  }
  return d;
}

// The digitised form of each arm: both corners of every drop of its Kaplan-Meier curve, and the
// numbers at risk every 3 time units.
std::vector<srma::digitised_arm> digitise(const srma::survival_data& d) {
  std::vector<srma::digitised_arm> out;
  for (std::size_t a = 0; a < d.arm_names.size(); ++a) {
    const auto s = srma::arm_of(d, a);
    const auto km = srma::kaplan_meier(s.time, s.event);
    srma::digitised_arm arm;
    arm.name = d.arm_names[a];
    arm.curve.time = {0};
    arm.curve.survival = {1};
    double prev = 1;
    for (std::size_t i = 0; i < km->time.size(); ++i) {
      if (km->n_event[i] == 0) continue;
      arm.curve.time.insert(arm.curve.time.end(), {km->time[i], km->time[i]});
      arm.curve.survival.insert(arm.curve.survival.end(), {prev, km->surv[i]});
      prev = km->surv[i];
    }
    srma::at_risk_table nar;
    for (double t = 0; t <= km->time.back(); t += 3) {
      double n = 0;
      for (double x : s.time) n += x >= t ? 1 : 0;
      nar.time.push_back(t);
      nar.n.push_back(n);
    }
    arm.at_risk = nar;
    out.push_back(std::move(arm));
  }
  return out;
}

void bm_cox_efron(benchmark::State& state) {
  const auto d = simulate(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(srma::cox_two_arm(d, 0, 1));
}
BENCHMARK(bm_cox_efron)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

// Everything `srma km hr` computes on patient data: Cox, log-rank, two KM curves with medians.
void bm_km_analysis(benchmark::State& state) {
  const auto d = simulate(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(srma::analyse_two_arms(d, "Treatment", "Control", {.tau = 12}));
}
BENCHMARK(bm_km_analysis)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

// Guyot reconstruction of both arms from their digitised curves, then the Cox fit.
void bm_reconstruct_and_cox(benchmark::State& state) {
  const auto d = simulate(static_cast<std::size_t>(state.range(0)));
  const auto arms = digitise(d);
  state.counters["points"] =
      static_cast<double>(arms[0].curve.time.size() + arms[1].curve.time.size());
  for (auto _ : state) {
    std::vector<srma::arm_reconstruction> rebuilt;
    for (const auto& a : arms) rebuilt.push_back(*srma::reconstruct_arm(a));
    const auto ipd = srma::to_survival_data(rebuilt);
    benchmark::DoNotOptimize(srma::cox_two_arm(ipd, 0, 1));
  }
}
BENCHMARK(bm_reconstruct_and_cox)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
