// The exact GOSH kernel for the common-effect and DerSimonian-Laird models: 8 subsets of the
// Gray-code order at a time (see gosh_kernel.hpp for the blocks and lanes). The formulas are those
// of gosh.cpp's engine::fit, one lane per subset:
//   inv = 1 / sum w,  Q = max(0, sum w y^2 - (sum w y)^2 inv),  m1 = m - 1,
//   common effect: estimate = sum w y inv, I^2 = max(0, 100 (Q - m1) / Q) (0 when Q = 0),
//                  H^2 = Q / m1, tau^2 = 0;
//   DL (DerSimonian & Laird 1986): C = sum w - sum w^2 inv, tau^2 = max(0, (Q - m1) / C),
//                  estimate = sum w* y / sum w* with w* = 1 / (v + tau^2) (sum w y inv when
//                  tau^2 = 0), I^2 = 100 tau^2 / (m1 / C + tau^2), H^2 = Q / m1 (metafor's DL);
//   one study: estimate = y, Q = 0, I^2 = 0, H^2 = 1, tau^2 = 0.
// Only the order of the additions differs from the one-at-a-time code (the sums over studies 0..2
// are added to those over the others, and sum w* runs in one accumulator over the members in
// increasing order), so results agree to rounding.
//
// This file is compiled with -ffp-contract=off (no fused multiply-adds, which AVX2 and AVX-512
// would otherwise allow and SSE2 does not) and -Wno-psabi (GCC warns that the small inline helpers
// taking 32- and 64-byte vectors would pass them differently without AVX; they never leave this
// file and are always inlined).
#include "gosh_kernel.hpp"

#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>

#include "splitmix.hpp"

namespace srma::detail {
namespace {

// GCC vector types of L doubles (and of the integers of the same width) for the three paths.
template <int L>
struct lanes;
template <>
struct lanes<8> {
  typedef double d __attribute__((vector_size(64)));
  typedef std::int64_t l __attribute__((vector_size(64)));
  typedef std::uint64_t u __attribute__((vector_size(64)));
  typedef std::int32_t i __attribute__((vector_size(32)));
};
template <>
struct lanes<4> {
  typedef double d __attribute__((vector_size(32)));
  typedef std::int64_t l __attribute__((vector_size(32)));
  typedef std::uint64_t u __attribute__((vector_size(32)));
  typedef std::int32_t i __attribute__((vector_size(16)));
};
template <>
struct lanes<2> {
  typedef double d __attribute__((vector_size(16)));
  typedef std::int64_t l __attribute__((vector_size(16)));
  typedef std::uint64_t u __attribute__((vector_size(16)));
  typedef std::int32_t i __attribute__((vector_size(8)));
};

template <typename V, typename T>
[[gnu::always_inline]] inline V load(const T* p) {
  V x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

template <typename V, typename T>
[[gnu::always_inline]] inline void store(T* p, const V& x) {
  std::memcpy(p, &x, sizeof x);
}

// std::max(0.0, x) lane by lane (0 for NaN, as std::max).
template <typename D>
[[gnu::always_inline]] inline D max0(D x) {
  const D zero = {};
  return zero < x ? x : zero;
}

// std::clamp(x, 0.0, hi) lane by lane, for finite x.
template <typename D>
[[gnu::always_inline]] inline D clamp0(D x, D hi) {
  const D zero = {};
  const D upper = hi < x ? hi : x;
  return x < zero ? zero : upper;
}

template <int L, typename VL>
[[gnu::always_inline]] inline bool any(VL x) {
  std::int64_t r = 0;
  for (int j = 0; j < L; ++j) r |= x[j];
  return r != 0;
}

// The kernel for L lanes per vector (8 / L vectors per block of 8 subsets).
template <int L>
[[gnu::always_inline]] inline void run_chunk(const exact_setup& s, std::uint64_t first,
                                             std::uint64_t last, thread_state& ts,
                                             chunk_result& cr) {
  using vd = typename lanes<L>::d;
  using vl = typename lanes<L>::l;
  using vu = typename lanes<L>::u;
  using vi = typename lanes<L>::i;
  constexpr int halves = 8 / L;
  const std::size_t k = s.k;
  const std::size_t low = std::min<std::size_t>(k, 3);
  const vd zero = {};

  // Studies 0..2 by lane, for each parity p of the block: lane r holds gray(r) ^ (p << 2).
  alignas(64) double t_s1[2][8] = {}, t_s2[2][8] = {}, t_sy[2][8] = {}, t_syy[2][8] = {},
                     t_m[2][8] = {};
  alignas(64) std::int64_t t_in[2][3][8] = {};  // -1 where the lane holds study i
  for (int p = 0; p < 2; ++p) {
    for (int r = 0; r < 8; ++r) {
      const std::uint64_t lo = gray(static_cast<std::uint64_t>(r)) ^ (std::uint64_t(p) << 2);
      for (std::size_t i = 0; i < low; ++i) {
        if (!((lo >> i) & 1u)) continue;
        t_s1[p][r] += s.w[i];
        t_s2[p][r] += s.ww[i];
        t_sy[p][r] += s.wy[i];
        t_syy[p][r] += s.wyy[i];
        t_m[p][r] += 1;
        t_in[p][i][r] = -1;
      }
    }
  }

  // Sums over studies 3.. of the first block's subsets, then updated as one study flips per block.
  std::uint64_t a = first >> 3;
  const std::uint64_t a_end = last >> 3;
  std::uint64_t common = gray(a);  // bit j: study 3 + j
  double c1 = 0, c2 = 0, cy = 0, cyy = 0, cm = 0;
  auto sum_common = [&] {
    c1 = c2 = cy = cyy = cm = 0;
    for (std::uint64_t b = common; b != 0; b &= b - 1) {
      const std::size_t i = 3 + static_cast<std::size_t>(std::countr_zero(b));
      c1 += s.w[i];
      c2 += s.ww[i];
      cy += s.wy[i];
      cyy += s.wyy[i];
      cm += 1;
    }
  };
  sum_common();

  // Running sums of the chunk's fits, lane by lane; per study the sums of the fits that hold it:
  // studies 0..2 added block by block, studies 3.. through the running sums at their flips
  // (gosh.cpp's file comment).
  vl run_n[halves] = {};
  vd run_e[halves] = {}, run_ee[halves] = {}, run_i[halves] = {}, run_ii[halves] = {};
  vl low_n[3][halves] = {};
  vd low_e[3][halves] = {}, low_ee[3][halves] = {}, low_i[3][halves] = {}, low_ii[3][halves] = {};
  ts.with_lanes.assign(k, lane_moments{});
  ts.at_flip_lanes.assign(k, lane_moments{});
  vd e_min[halves], e_max[halves], i_min[halves], i_max[halves];
  for (int h = 0; h < halves; ++h) {
    e_min[h] = zero + ts.e_min;
    e_max[h] = zero + ts.e_max;
    i_min[h] = zero + ts.i_min;
    i_max[h] = zero + ts.i_max;
  }

  const std::uint64_t fits = last - first + 1;
  gosh_fit_block& blk = cr.block;
  if (s.sink) {
    blk.masks.resize(fits);
    blk.size.resize(fits);
    for (auto* col : {&blk.estimate, &blk.Q, &blk.I2, &blk.H2, &blk.tau2}) col->resize(fits);
  }
  const double bx_hi = static_cast<double>(s.bins_x - 1);
  const double by_hi = static_cast<double>(s.bins_y - 1);
  const auto bins_x = static_cast<std::int32_t>(s.bins_x);
  alignas(64) static constexpr std::int64_t k_all[8] = {-1, -1, -1, -1, -1, -1, -1, -1};

  for (;; ++a) {
    const int p = static_cast<int>(a & 1u);
    const std::uint64_t t0 = a << 3;
    // Lanes outside first..last (the chunk's first and last blocks) are left out.
    alignas(64) std::int64_t valid_part[8];
    const std::int64_t* valid = k_all;
    if (t0 < first || t0 + 7 > last) {
      for (int j = 0; j < 8; ++j) {
        valid_part[j] = (t0 + j >= first && t0 + j <= last) ? -1 : 0;
      }
      valid = valid_part;
    }
    if (ts.since_flush > std::numeric_limits<std::uint32_t>::max() - 8) ts.flush_histogram();
    ts.since_flush += 8;

    alignas(64) double o_est[8], o_q[8], o_i2[8], o_h2[8], o_tau2[8], o_m[8];
    alignas(64) std::int64_t o_ok[8];
    alignas(64) std::int32_t o_cell[8];
    for (int h = 0; h < halves; ++h) {
      const int o = h * L;
      const vd s1 = c1 + load<vd>(&t_s1[p][o]);
      const vd s2 = c2 + load<vd>(&t_s2[p][o]);
      const vd sy = cy + load<vd>(&t_sy[p][o]);
      const vd syy = cyy + load<vd>(&t_syy[p][o]);
      const vd m = cm + load<vd>(&t_m[p][o]);
      const vd m1 = m - 1.0;
      const vd inv = 1.0 / s1;
      const vd q = max0(syy - sy * sy * inv);
      vd est = sy * inv, i2, h2 = q / m1, tau2 = zero;
      if (s.common) {
        // max(0, 100 (Q - m1) / Q), 0 when Q = 0: there the quotient is -inf or NaN (one
        // study), which max0 turns into 0.
        i2 = max0(100.0 * (q - m1) / q);
      } else {
        const vd c = s1 - s2 * inv;
        tau2 = max0((q - m1) / c);
        const vl none = {}, all = none - 1;
        if (any<L>(tau2 > zero ? all : none)) {
          vd sw = zero, swy = zero;
          for (std::size_t i = 0; i < low; ++i) {
            const vd w = 1.0 / (s.v[i] + tau2);
            const vd wi = load<vl>(&t_in[p][i][o]) ? w : zero;
            sw += wi;
            swy += wi * s.yc[i];
          }
          for (std::uint64_t b = common; b != 0; b &= b - 1) {
            const std::size_t i = 3 + static_cast<std::size_t>(std::countr_zero(b));
            const vd w = 1.0 / (s.v[i] + tau2);
            sw += w;
            swy += w * s.yc[i];
          }
          est = tau2 == zero ? est : swy / sw;
        }
        const vd vt = m1 / c;
        i2 = 100.0 * tau2 / (vt + tau2);
      }
      // One study: metafor's k = 1 values under either model.
      //
      // (Each selection below has one comparison as its condition: GCC 12 compiles that to
      // vector code, but splits the conjunction of two comparisons, or a comparison kept as a
      // value, into scalar ones.)
      est = m < 2.0 ? sy * inv : est;
      const vd q_out = m < 2.0 ? zero : q;
      i2 = m < 2.0 ? zero : i2;
      h2 = m < 2.0 ? zero + 1.0 : h2;
      tau2 = m < 2.0 ? zero : tau2;

      const vd e = est + s.shift;
      // Finite estimate and I^2 (0 x is 0 for finite x, NaN otherwise) in a lane to be fitted.
      const vl none = {};
      const vl ok = est * 0.0 + i2 * 0.0 == zero ? load<vl>(&valid[o]) : none;
      run_n[h] -= ok;
      const vd e_ok = ok ? est : zero;
      const vd i_ok = ok ? i2 : zero;
      run_e[h] += e_ok;
      run_ee[h] += e_ok * e_ok;
      run_i[h] += i_ok;
      run_ii[h] += i_ok * i_ok;
      for (std::size_t i = 0; i < low; ++i) {
        const vl in = ok & load<vl>(&t_in[p][i][o]);
        const vd ei = in ? est : zero;
        const vd ii = in ? i2 : zero;
        low_n[i][h] -= in;
        low_e[i][h] += ei;
        low_ee[i][h] += ei * ei;
        low_i[i][h] += ii;
        low_ii[i][h] += ii * ii;
      }
      const vd inf = zero + std::numeric_limits<double>::infinity();
      const vd e_lo = ok ? e : inf, e_hi = ok ? e : -inf, i_lo = ok ? i2 : inf,
               i_hi = ok ? i2 : -inf;
      e_min[h] = e_lo < e_min[h] ? e_lo : e_min[h];
      e_max[h] = e_max[h] < e_hi ? e_hi : e_max[h];
      i_min[h] = i_lo < i_min[h] ? i_lo : i_min[h];
      i_max[h] = i_max[h] < i_hi ? i_hi : i_max[h];
      const vd fx = clamp0(ok ? (e - s.x_lo) * s.x_scale : zero, zero + bx_hi);
      const vd fy = clamp0(i_ok * s.i2_scale, zero + by_hi);
      const vi cell = __builtin_convertvector(fy, vi) * bins_x + __builtin_convertvector(fx, vi);
      store(&o_cell[o], cell);
      store(&o_ok[o], ok);
      store(&o_est[o], e);
      store(&o_i2[o], i2);
      if (s.sink || s.direct != nullptr) {
        store(&o_q[o], q_out);
        store(&o_h2[o], h2);
        store(&o_tau2[o], tau2);
        store(&o_m[o], m);
      }
    }

    // Per lane: histogram, failures, the sample and the sink.
    const std::uint64_t high = common << 3;
    const bool hl_common = s.highlight >= 3 && s.highlight < 64 && ((high >> s.highlight) & 1u);
    for (int j = 0; j < 8; ++j) {
      const std::uint64_t t = t0 + static_cast<std::uint64_t>(j);
      if (!valid[j]) continue;
      const std::uint64_t mask =
          high | (gray(static_cast<std::uint64_t>(j)) ^ (std::uint64_t(p) << 2));
      if (s.direct != nullptr) {
        s.direct->put(mask, o_est[j], o_q[j], o_i2[j], o_h2[j], o_tau2[j]);
      } else if (s.sink) {
        const std::uint64_t at = t - first;
        blk.masks[at] = mask;
        blk.size[at] = static_cast<std::uint32_t>(std::popcount(mask));
        blk.estimate[at] = o_est[j];
        blk.Q[at] = o_q[j];
        blk.I2[at] = o_i2[j];
        blk.H2[at] = o_h2[j];
        blk.tau2[at] = o_tau2[j];
      }
      if (!o_ok[j]) {
        ++ts.failed;
        ts.first_failed = std::min(ts.first_failed, t - 1);
        continue;
      }
      const auto cell = static_cast<std::size_t>(o_cell[j]);
      ++ts.hist32[cell];
      if (hl_common || (s.highlight < 3 && t_in[p][s.highlight][j])) ++ts.with32[cell];
    }
    if (s.full != nullptr) {
      for (int j = 0; j < 8; ++j) {
        if (!o_ok[j]) continue;
        const std::uint64_t mask =
            high | (gray(static_cast<std::uint64_t>(j)) ^ (std::uint64_t(p) << 2));
        s.full->put(t0 + static_cast<std::uint64_t>(j) - 1, &mask,
                    static_cast<std::size_t>(std::popcount(mask)), o_est[j], o_i2[j]);
      }
    } else if (s.sample_size > 0) {
      alignas(64) std::uint64_t key[8];
      if constexpr (L == 8) {
        const vu lane = {0, 1, 2, 3, 4, 5, 6, 7};
        vu x = ((t0 - 1) + lane) ^ s.sample_seed;
        // splitmix64 (splitmix.hpp), lane by lane.
        x += 0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        x ^= x >> 31;
        store(key, x);
      } else {
        for (int j = 0; j < 8; ++j) {
          key[j] = splitmix64((t0 + static_cast<std::uint64_t>(j) - 1) ^ s.sample_seed);
        }
      }
      // Most blocks have no key at or below the sample's threshold: one vector test.
      const std::uint64_t bar = ts.threshold.key;
      vl hit = {};
      for (int h = 0; h < halves; ++h) {
        const vl none = {};
        hit |= load<vu>(&key[h * L]) <= bar ? load<vl>(&o_ok[h * L]) : none;
      }
      for (int j = 0; j < 8 && any<L>(hit); ++j) {
        if (!o_ok[j] || key[j] > bar) continue;
        const std::uint64_t mask =
            high | (gray(static_cast<std::uint64_t>(j)) ^ (std::uint64_t(p) << 2));
        ts.offer(key[j], t0 + static_cast<std::uint64_t>(j) - 1, &mask, 1,
                 static_cast<std::size_t>(std::popcount(mask)), o_est[j], o_i2[j], s.sample_size);
      }
    }

    if (a == a_end) break;
    // The next block: study 3 + j joins or leaves; when it leaves, the fits since it joined are
    // those that held it.
    const std::uint64_t next = gray(a + 1);
    const std::uint64_t flip = common ^ next;
    const std::size_t i = 3 + static_cast<std::size_t>(std::countr_zero(flip));
    lane_moments& at = ts.at_flip_lanes[i];
    if (common & flip) {
      lane_moments& wi = ts.with_lanes[i];
      for (int h = 0; h < halves; ++h) {
        const int o = h * L;
        store(&wi.n[o], load<vl>(&wi.n[o]) + (run_n[h] - load<vl>(&at.n[o])));
        store(&wi.se[o], load<vd>(&wi.se[o]) + (run_e[h] - load<vd>(&at.se[o])));
        store(&wi.see[o], load<vd>(&wi.see[o]) + (run_ee[h] - load<vd>(&at.see[o])));
        store(&wi.si[o], load<vd>(&wi.si[o]) + (run_i[h] - load<vd>(&at.si[o])));
        store(&wi.sii[o], load<vd>(&wi.sii[o]) + (run_ii[h] - load<vd>(&at.sii[o])));
      }
    }
    for (int h = 0; h < halves; ++h) {
      const int o = h * L;
      store(&at.n[o], run_n[h]);
      store(&at.se[o], run_e[h]);
      store(&at.see[o], run_ee[h]);
      store(&at.si[o], run_i[h]);
      store(&at.sii[o], run_ii[h]);
    }
    const double sign = (next & flip) ? 1.0 : -1.0;
    c1 += sign * s.w[i];
    c2 += sign * s.ww[i];
    cy += sign * s.wy[i];
    cyy += sign * s.wyy[i];
    cm += sign;
    common = next;
    // A study whose terms overflow leaves inf - inf behind: start the sums again without it.
    if (!std::isfinite(c1 + c2 + cy + cyy)) sum_common();
  }

  // Studies still in the last subset: the fits since they joined.
  lane_moments running;
  for (int h = 0; h < halves; ++h) {
    const int o = h * L;
    store(&running.n[o], run_n[h]);
    store(&running.se[o], run_e[h]);
    store(&running.see[o], run_ee[h]);
    store(&running.si[o], run_i[h]);
    store(&running.sii[o], run_ii[h]);
  }
  auto reduce = [](const lane_moments& x) {
    moments_acc m;
    for (int j = 0; j < 8; ++j) {
      m.n += static_cast<std::uint64_t>(x.n[j]);
      m.se += x.se[j];
      m.see += x.see[j];
      m.si += x.si[j];
      m.sii += x.sii[j];
    }
    return m;
  };
  for (std::uint64_t b = common; b != 0; b &= b - 1) {
    const std::size_t i = 3 + static_cast<std::size_t>(std::countr_zero(b));
    lane_moments& wi = ts.with_lanes[i];
    const lane_moments& at = ts.at_flip_lanes[i];
    for (int j = 0; j < 8; ++j) {
      wi.n[j] += running.n[j] - at.n[j];
      wi.se[j] += running.se[j] - at.se[j];
      wi.see[j] += running.see[j] - at.see[j];
      wi.si[j] += running.si[j] - at.si[j];
      wi.sii[j] += running.sii[j] - at.sii[j];
    }
  }
  for (std::size_t i = 0; i < low; ++i) {
    lane_moments x;
    for (int h = 0; h < halves; ++h) {
      const int o = h * L;
      store(&x.n[o], low_n[i][h]);
      store(&x.se[o], low_e[i][h]);
      store(&x.see[o], low_ee[i][h]);
      store(&x.si[o], low_i[i][h]);
      store(&x.sii[o], low_ii[i][h]);
    }
    cr.with[i] = reduce(x);
  }
  for (std::size_t i = 3; i < k; ++i) cr.with[i] = reduce(ts.with_lanes[i]);
  cr.all = reduce(running);
  cr.fits = fits;
  for (int h = 0; h < halves; ++h) {
    for (int j = 0; j < L; ++j) {
      ts.e_min = std::min(ts.e_min, e_min[h][j]);
      ts.e_max = std::max(ts.e_max, e_max[h][j]);
      ts.i_min = std::min(ts.i_min, i_min[h][j]);
      ts.i_max = std::max(ts.i_max, i_max[h][j]);
    }
  }
}

[[gnu::target("avx512f,avx512dq,avx512vl,avx512bw")]] void chunk_avx512(const exact_setup& s,
                                                                        std::uint64_t first,
                                                                        std::uint64_t last,
                                                                        thread_state& ts,
                                                                        chunk_result& cr) {
  run_chunk<8>(s, first, last, ts, cr);
}

[[gnu::target("avx2")]] void chunk_avx2(const exact_setup& s, std::uint64_t first,
                                        std::uint64_t last, thread_state& ts, chunk_result& cr) {
  run_chunk<4>(s, first, last, ts, cr);
}

void chunk_sse2(const exact_setup& s, std::uint64_t first, std::uint64_t last, thread_state& ts,
                chunk_result& cr) {
  run_chunk<2>(s, first, last, ts, cr);
}

gosh_isa cpu_isa() {
  static const gosh_isa best = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw")) {
      return gosh_isa::avx512;
    }
    if (__builtin_cpu_supports("avx2")) return gosh_isa::avx2;
    return gosh_isa::sse2;
  }();
  return best;
}

std::atomic<int> g_forced{-1};

}  // namespace

gosh_isa gosh_kernel_isa() {
  const gosh_isa best = cpu_isa();
  const int forced = g_forced.load(std::memory_order_relaxed);
  if (forced < 0) return best;
  return static_cast<gosh_isa>(std::min(forced, static_cast<int>(best)));
}

void force_gosh_kernel_isa(std::optional<gosh_isa> isa) {
  g_forced.store(isa ? static_cast<int>(*isa) : -1, std::memory_order_relaxed);
}

void exact_chunk(const exact_setup& setup, std::uint64_t first, std::uint64_t last,
                 thread_state& ts, chunk_result& cr) {
  switch (gosh_kernel_isa()) {
    case gosh_isa::avx512:
      chunk_avx512(setup, first, last, ts, cr);
      return;
    case gosh_isa::avx2:
      chunk_avx2(setup, first, last, ts, cr);
      return;
    case gosh_isa::sse2:
      chunk_sse2(setup, first, last, ts, cr);
      return;
  }
}

}  // namespace srma::detail
