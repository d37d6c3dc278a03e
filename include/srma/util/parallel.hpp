// File: srma/util/parallel.hpp
//
// Installed because layers above util use it, but not API: it lives in namespace srma::detail
// (STYLE.md, habit 1) and may change without notice.
//
// parallel_for: runs body(i) for i in [0, n) on the machine's cores. Work that is
// independent per index (refits in leave-one-out, influence, permutations, GOSH subsets) uses it;
// below `min_parallel` items it runs inline, where threads would cost more than they save.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace srma::detail {

/// Number of worker threads to use (hardware concurrency, at least 1).
inline unsigned worker_count() { return std::max(1u, std::thread::hardware_concurrency()); }

template <typename Body>
void parallel_for(std::size_t n, Body&& body, std::size_t min_parallel = 64) {
  // Small n first: hardware_concurrency() reads a file under /sys on every call (glibc's
  // get_nprocs), which costs more than a small loop of refits.
  const unsigned workers = n < min_parallel ? 1 : worker_count();
  if (workers == 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  const std::size_t chunk = std::max<std::size_t>(1, n / (workers * 16));
  auto run = [&] {
    for (;;) {
      const std::size_t start = next.fetch_add(chunk);
      if (start >= n) return;
      const std::size_t end = std::min(n, start + chunk);
      for (std::size_t i = start; i < end; ++i) body(i);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < workers; ++t) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
}

}  // namespace srma::detail
