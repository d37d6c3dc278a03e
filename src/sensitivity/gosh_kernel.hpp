// The pieces of the GOSH stream (gosh.cpp) shared with its vectorised kernel (gosh_kernel.cpp):
// the per-thread and per-chunk aggregates, and the kernel that fits every subset of a chunk of the
// exact enumeration under the common-effect and DerSimonian-Laird models. Private to the
// sensitivity layer.
//
// The kernel works on blocks of 8 consecutive subsets t = 8a .. 8a + 7 of the Gray-code order
// (subset gray(t), gray(x) = x ^ (x >> 1), bit i = study i). Within such a block the bits from 3
// up are those of gray(a) (gray(t) >> 3 = (t >> 3) ^ (t >> 4)) and so the same for all 8
// subsets: only studies 0, 1 and 2 differ, and lane r holds subset (gray(a) << 3) |
// (gray(r) ^ ((a & 1) << 2)). The sums of the common-effect model over studies 3.. are updated in
// O(1) per block (one study flips between gray(a) and gray(a + 1)); those over studies 0..2 come
// from two tables of 8 lanes (one per parity of a). Everything else (Q, tau^2, I^2, H^2, the
// random-effects weights 1/(v_i + tau^2) and estimate, the histogram cells, the sample keys) is
// computed for the 8 subsets at once, lane by lane, with GCC's vector extensions: one source
// compiled for AVX-512 (8 lanes in one register), AVX2 (two registers of 4) and the x86-64
// baseline SSE2 (four of 2), chosen at run time (__builtin_cpu_supports). Each lane performs the
// same operations in the same order on every path, and the file is compiled without contraction
// into fused multiply-adds (-ffp-contract=off), so the three paths give bitwise the same results.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "srma/sensitivity/gosh_stream.hpp"

namespace srma::detail {

inline constexpr std::uint64_t k_gosh_none = std::numeric_limits<std::uint64_t>::max();

[[nodiscard]] inline std::uint64_t gray(std::uint64_t t) { return t ^ (t >> 1); }

// Count and sums of the centred estimate e and of I^2 over a set of fits.
struct moments_acc {
  std::uint64_t n = 0;
  double se = 0, see = 0, si = 0, sii = 0;
  void add(double e, double i) {
    ++n;
    se += e;
    see += e * e;
    si += i;
    sii += i * i;
  }
  void add(const moments_acc& o) {
    n += o.n;
    se += o.se;
    see += o.see;
    si += o.si;
    sii += o.sii;
  }
  void add_difference(const moments_acc& a, const moments_acc& b) {
    n += a.n - b.n;
    se += a.se - b.se;
    see += a.see - b.see;
    si += a.si - b.si;
    sii += a.sii - b.sii;
  }
  [[nodiscard]] moments_acc minus(const moments_acc& o) const {
    return {n - o.n, se - o.se, see - o.see, si - o.si, sii - o.sii};
  }
};

// What one chunk contributes to the sums of doubles (merged in chunk order), and its fits for
// the sink.
struct chunk_result {
  std::uint64_t fits = 0;
  moments_acc all;
  std::vector<moments_acc> with;  // per study
  gosh_fit_block block;
};

struct sample_item {
  std::uint64_t key = 0, index = 0;
  std::size_t slot = 0;  // where its mask, size, estimate and I^2 are kept
  bool operator<(const sample_item& o) const {
    return key != o.key ? key < o.key : index < o.index;
  }
};

// Sums over the 8 lanes of a block, lane by lane (the kernel's running sums and per-study sums).
struct lane_moments {
  alignas(64) std::int64_t n[8] = {};
  alignas(64) double se[8] = {}, see[8] = {}, si[8] = {}, sii[8] = {};
};

// Aggregates whose merge does not depend on order: one per thread.
struct thread_state {
  // Counts since the last flush into the 64-bit histogram (allocated at the first flush, which
  // only a thread that fits 2^32 subsets reaches): half the cache footprint.
  std::vector<std::uint32_t> hist32, with32;
  std::vector<std::uint64_t> hist, hist_with;
  std::uint64_t since_flush = 0;
  double e_min = std::numeric_limits<double>::infinity();
  double e_max = -std::numeric_limits<double>::infinity();
  double i_min = std::numeric_limits<double>::infinity();
  double i_max = -std::numeric_limits<double>::infinity();
  std::uint64_t failed = 0, first_failed = k_gosh_none, fell_back = 0;
  // Bottom-k sample: candidates below the threshold (the m-th smallest (key, index) at the last
  // compaction), compacted to the m smallest when they reach 2m: O(1) amortised per fit.
  std::vector<sample_item> cand;
  sample_item threshold{k_gosh_none, k_gosh_none, 0};
  std::vector<std::uint64_t> masks;
  std::vector<std::uint32_t> size;
  std::vector<double> e, i2;
  std::vector<double> y, v, log_v, work;  // refit buffers
  std::vector<std::size_t> idx;
  std::vector<lane_moments> with_lanes, at_flip_lanes;  // the kernel's per-study sums

  void flush_histogram() {
    hist.resize(hist32.size());
    hist_with.resize(with32.size());
    for (std::size_t c = 0; c < hist32.size(); ++c) hist[c] += std::exchange(hist32[c], 0);
    for (std::size_t c = 0; c < with32.size(); ++c) hist_with[c] += std::exchange(with32[c], 0);
    since_flush = 0;
  }

  // Offers fit `index` (key = its hash) to the bottom-k sample of size m.
  void offer(std::uint64_t key, std::uint64_t index, const std::uint64_t* mask, std::size_t words,
             std::size_t subset_size, double estimate, double I2, std::size_t m) {
    const sample_item item{key, index, cand.size()};
    if (!(item < threshold)) return;
    if (cand.capacity() == 0) {  // room for 2m (up to 2^21) at once: no copies as they grow
      const std::size_t room = std::min<std::size_t>(2 * m, std::size_t{1} << 21);
      cand.reserve(room);
      masks.reserve(room * words);
      size.reserve(room);
      e.reserve(room);
      i2.reserve(room);
    }
    cand.push_back(item);
    masks.insert(masks.end(), mask, mask + words);
    size.push_back(static_cast<std::uint32_t>(subset_size));
    e.push_back(estimate);
    i2.push_back(I2);
    if (cand.size() >= 2 * m) compact(m, words);
  }

  // Keeps the m smallest candidates and moves their data to the front (through buffers kept
  // from one compaction to the next: no allocation once they have grown).
  void compact(std::size_t m, std::size_t words) {
    if (cand.size() <= m) return;
    std::nth_element(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(m - 1), cand.end());
    threshold = cand[m - 1];
    cand.resize(m);
    spare_masks_.resize(m * words);
    spare_size_.resize(m);
    spare_e_.resize(m);
    spare_i2_.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t s = cand[j].slot;
      std::copy_n(&masks[s * words], words, &spare_masks_[j * words]);
      spare_size_[j] = size[s];
      spare_e_[j] = e[s];
      spare_i2_[j] = i2[s];
      cand[j].slot = j;
    }
    masks.swap(spare_masks_);
    size.swap(spare_size_);
    e.swap(spare_e_);
    i2.swap(spare_i2_);
  }

 private:
  std::vector<std::uint64_t> spare_masks_;
  std::vector<std::uint32_t> spare_size_;
  std::vector<double> spare_e_, spare_i2_;
};

/// Where gosh() puts the fit of subset `mask` of the exact enumeration: by subset size, then by
/// mask (metafor: expand.grid order, then a stable sort by k). The subsets of fewer studies come
/// first, and among the C(k, m) subsets of m studies, masks in increasing order are the
/// m-combinations in colexicographic order, whose rank is sum_j C(c_j, j) over the members
/// c_1 < ... < c_m numbered from 0 (the combinatorial number system; Knuth, TAOCP 7.2.1.3).
class exact_positions {
 public:
  explicit exact_positions(std::size_t k) : k_(k), binom_((k + 1) * (k + 1), 0), start_(k + 2, 0) {
    for (std::size_t n = 0; n <= k; ++n) {
      binom_[n * (k + 1)] = 1;
      for (std::size_t j = 1; j <= n; ++j) {
        binom_[n * (k + 1) + j] = binom_[(n - 1) * (k + 1) + j - 1] + binom_[(n - 1) * (k + 1) + j];
      }
    }
    for (std::size_t m = 1; m <= k; ++m) start_[m + 1] = start_[m] + binom_[k * (k + 1) + m];
  }
  [[nodiscard]] std::size_t operator()(std::uint64_t mask) const {
    std::uint64_t r = start_[static_cast<std::size_t>(std::popcount(mask))];
    std::size_t j = 1;
    for (std::uint64_t b = mask; b != 0; b &= b - 1, ++j) {
      r += binom_[static_cast<std::size_t>(std::countr_zero(b)) * (k_ + 1) + j];
    }
    return static_cast<std::size_t>(r);
  }

 private:
  std::size_t k_;
  std::vector<std::uint64_t> binom_, start_;  // binom_[n (k + 1) + j] = C(n, j); 0 for j > n
};

/// gosh()'s arrays, filled in place: fit of subset `mask` at `place(mask)`.
struct direct_output {
  const exact_positions* place = nullptr;
  std::uint64_t* masks = nullptr;
  std::uint32_t* size = nullptr;
  double *estimate = nullptr, *Q = nullptr, *I2 = nullptr, *H2 = nullptr, *tau2 = nullptr;
  void put(std::uint64_t mask, double e, double q, double i2, double h2, double t2) const {
    const std::size_t p = (*place)(mask);
    masks[p] = mask;
    size[p] = static_cast<std::uint32_t>(std::popcount(mask));
    estimate[p] = e;
    Q[p] = q;
    I2[p] = i2;
    H2[p] = h2;
    tau2[p] = t2;
  }
};

/// The sample when it holds every fit (no more subsets than the sample size): fit `index` at
/// position `index`, written by whichever thread fits it; NaN estimates mark the places of failed
/// or unfitted subsets.
struct full_sample {
  std::size_t words = 1;
  std::vector<std::uint64_t> masks;
  std::vector<std::uint32_t> size;
  std::vector<double> e, i2;
  full_sample(std::size_t n, std::size_t w)
      : words(w),
        masks(n * w),
        size(n),
        e(n, std::numeric_limits<double>::quiet_NaN()),
        i2(n, std::numeric_limits<double>::quiet_NaN()) {}
  void put(std::uint64_t index, const std::uint64_t* mask, std::size_t m, double estimate,
           double I2) {
    const auto at = static_cast<std::size_t>(index);
    std::copy_n(mask, words, &masks[at * words]);
    size[at] = static_cast<std::uint32_t>(m);
    e[at] = estimate;
    i2[at] = I2;
  }
};

/// What the exact kernel needs, fixed for a run (k < 64: one mask word).
struct exact_setup {
  std::size_t k = 0;
  bool common = false;  ///< Common-effect model, else DerSimonian-Laird.
  // Per study: v, centred y, w = 1/v and the terms w^2, w y, w y^2 of the sums (as
  // gosh.cpp's sums::add forms them).
  std::vector<double> v, yc, w, ww, wy, wyy;
  double shift = 0;              ///< Added to the centred estimates.
  double x_lo = 0, x_scale = 1;  ///< Histogram cell of estimate e: (e - x_lo) * x_scale.
  double i2_scale = 1;           ///< ... of I^2: I^2 * i2_scale.
  std::size_t bins_x = 1, bins_y = 1;
  std::size_t highlight = k_gosh_none;
  std::uint64_t sample_seed = 0;
  std::size_t sample_size = 0;
  bool sink = false;  ///< Fill chunk_result::block.
  /// Else, when set, put every fit in gosh()'s arrays.
  const direct_output* direct = nullptr;
  /// When set, every finite fit goes there instead of the bottom-k sample.
  full_sample* full = nullptr;
};

/// Code paths of the kernel.
enum class gosh_isa { sse2, avx2, avx512 };

/// The best path this CPU runs (AVX-512F+DQ, else AVX2, else SSE2), unless forced.
[[nodiscard]] gosh_isa gosh_kernel_isa();
/// Forces a path (tests compare them); std::nullopt restores the choice by CPU. A path the CPU
/// cannot run is not chosen: the best one below it is.
void force_gosh_kernel_isa(std::optional<gosh_isa> isa);

/// Fits subsets gray(t), t = first .. last (1 <= first <= last < 2^k; enumeration index t - 1),
/// as gosh.cpp's engine::fit and engine::record do one at a time: adds them to `ts` (histogram,
/// ranges, failures, sample) and to `cr` (running sums of the chunk: all, per study; with
/// setup.sink every fit into cr.block; with setup.direct into gosh()'s arrays).
void exact_chunk(const exact_setup& setup, std::uint64_t first, std::uint64_t last,
                 thread_state& ts, chunk_result& cr);

}  // namespace srma::detail
