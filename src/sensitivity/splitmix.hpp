// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"): one
// mixing step, used to derive independent seeds (per permutation, per GOSH block, per k-means
// start) from the user's seed. Private to the sensitivity layer.
#pragma once

#include <cstdint>

namespace srma::detail {

[[nodiscard]] inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace srma::detail
