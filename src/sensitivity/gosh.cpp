// GOSH (metafor's gosh.rma) as a stream: every subset fitted, Gray-code enumeration with O(1)
// updates of the common-effect / DerSimonian-Laird sums, fixed chunks of subsets spread over
// threads, aggregation on the fly (srma/sensitivity/gosh_stream.hpp). gosh() collects every fit
// through the same stream, each written straight to its place in metafor's order.
//
// The exact enumeration under the common-effect and DL models runs in the vectorised kernel of
// gosh_kernel.cpp (8 subsets at a time); ML and REML refit each subset with gosh_scoring.cpp's
// allocation-free copy of the model layer's Fisher scoring; every other case (random subsets,
// the other tau^2 estimators, ML/REML that need the fallback) goes one subset at a time through
// engine::fit and engine::record below, which define what the kernel computes.
//
// Determinism whatever the number of threads: chunks are fixed by the number of subsets alone;
// integer aggregates (histograms, counts, minima) are merged in any order; the sums of doubles
// are kept per chunk and merged in chunk order; the sample keeps the fits with the smallest
// hash of their index (bottom-k sampling), which does not depend on who fitted them.
//
// Per-study sums over the subsets that contain study i cost O(1) per subset in the Gray-code
// walk: a running total T of the chunk's fits is kept, and when bit i flips the fits since its
// last flip (T minus T at that flip) go to study i's "with" sums if the bit was set. "Without"
// is the total minus "with".
#include "srma/sensitivity/gosh.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "gosh_kernel.hpp"
#include "gosh_scoring.hpp"
#include "splitmix.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/model/tau2.hpp"
#include "srma/sensitivity/gosh_stream.hpp"
#include "srma/util/check.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"

namespace srma {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t k_none = detail::k_gosh_none;

struct fit_row {
  double estimate = k_nan, Q = k_nan, I2 = k_nan, H2 = k_nan, tau2 = k_nan;
};

// Sums of the common-effect model over a subset, on y centred at `shift` to limit cancellation
// in Q = sum w y^2 - (sum w y)^2 / sum w.
struct sums {
  double s1 = 0, s2 = 0, sy = 0, syy = 0;
  std::size_t m = 0;
  void add(double w, double y, double sign) {
    s1 += sign * w;
    s2 += sign * w * w;
    sy += sign * w * y;
    syy += sign * w * y * y;
  }
};

// metafor's I^2/H^2 for one fit: Q-based for EE, tau^2-based otherwise.
[[gnu::always_inline]] inline void heterogeneity(fit_row& r, const sums& s, bool common,
                                                 double tau2) {
  const double m = static_cast<double>(s.m);
  if (s.m < 2) {
    r.Q = 0;
    r.I2 = 0;
    r.H2 = 1;
    r.tau2 = 0;
    return;
  }
  r.Q = std::max(0.0, s.syy - s.sy * s.sy / s.s1);
  if (common) {
    r.I2 = r.Q > 0 ? std::max(0.0, 100 * (r.Q - (m - 1)) / r.Q) : 0.0;
    r.H2 = r.Q / (m - 1);
    r.tau2 = 0;
  } else {
    const double vt = (m - 1) / (s.s1 - s.s2 / s.s1);
    r.tau2 = tau2;
    r.I2 = 100 * tau2 / (vt + tau2);
    r.H2 = tau2 / vt + 1;
  }
}

using detail::chunk_result;
using detail::gray;
using detail::moments_acc;
using detail::sample_item;
using detail::splitmix64;
using detail::thread_state;

gosh_moments finish(const moments_acc& a, double shift) {
  gosh_moments m;
  m.n = a.n;
  if (a.n == 0) {
    m.mean_estimate = m.sd_estimate = m.mean_I2 = m.sd_I2 = k_nan;
    return m;
  }
  const double nd = static_cast<double>(a.n);
  m.mean_estimate = shift + a.se / nd;
  m.mean_I2 = a.si / nd;
  if (a.n < 2) {
    m.sd_estimate = m.sd_I2 = k_nan;
  } else {
    m.sd_estimate = std::sqrt(std::max(0.0, (a.see - a.se * a.se / nd) / (nd - 1)));
    m.sd_I2 = std::sqrt(std::max(0.0, (a.sii - a.si * a.si / nd) / (nd - 1)));
  }
  return m;
}

class engine {
 public:
  engine(std::span<const double> yi, std::span<const double> vi, const pool_options& options,
         const gosh_stream_options& go)
      : yi_(yi), vi_(vi), options_(options), go_(go), k_(yi.size()), words_((k_ + 63) / 64) {
    common_ = options.model == model_choice::common;
    fast_dl_ = !common_ && options.tau2 == tau2_method::dl;
    // Every subset is fitted as metafor's gosh() fits it: ML/REML by Fisher scoring alone, without
    // the scan for other likelihood maxima (tau2_control::profile_points) that a single pool does:
    // the scan costs about 4 times the fit, and GOSH makes up to 2^30 of them.
    fit_control_ = options.control;
    fit_control_.profile_points = 0;
    const double total = k_ < 64 ? std::ldexp(1.0, static_cast<int>(k_)) - 1 : INFINITY;
    exact_ = total <= static_cast<double>(go.max_subsets);
    n_ = exact_ ? (std::uint64_t{1} << k_) - 1 : go.max_subsets;
    // Centre y (Q is shift invariant) at the common-effect mean of all studies.
    double sw = 0, swy = 0;
    for (std::size_t i = 0; i < k_; ++i) {
      sw += 1 / vi[i];
      swy += yi[i] / vi[i];
    }
    shift_ = swy / sw;
    yc_.resize(k_);
    w_.resize(k_);
    for (std::size_t i = 0; i < k_; ++i) {
      yc_[i] = yi[i] - shift_;
      w_[i] = 1 / vi[i];
    }
    // Histogram bounds: every estimate is a weighted mean of the yi with positive weights.
    const auto [lo, hi] = std::minmax_element(yi.begin(), yi.end());
    x_lo_ = *lo;
    x_hi_ = *hi;
    if (!(x_hi_ > x_lo_)) {
      x_lo_ -= 0.5;
      x_hi_ += 0.5;
    }
    sx_ = static_cast<double>(go.bins_x) / (x_hi_ - x_lo_);
    if (go.highlight) highlight_ = *go.highlight;
    sy_ = static_cast<double>(go.bins_y) / 100.0;
    chunk_ = exact_ ? (std::uint64_t{1} << 14) : 4096;
    // The common-effect and DL fits of the exact enumeration go through the vectorised kernel
    // (gosh_kernel.hpp): 8 subsets at a time.
    use_kernel_ = exact_ && (common_ || fast_dl_) && k_ < 64;
    scoring_ = !common_ && (options.tau2 == tau2_method::reml || options.tau2 == tau2_method::ml);
    if (scoring_) {
      for (double v : vi) log_v_.push_back(std::log(v));
    }
    if (use_kernel_) {
      auto& s = setup_;
      s.k = k_;
      s.common = common_;
      s.v.assign(vi.begin(), vi.end());
      s.yc = yc_;
      s.w = w_;
      for (std::size_t i = 0; i < k_; ++i) {
        s.ww.push_back(w_[i] * w_[i]);
        s.wy.push_back(w_[i] * yc_[i]);
        s.wyy.push_back(w_[i] * yc_[i] * yc_[i]);
      }
      s.shift = shift_;
      s.x_lo = x_lo_;
      s.x_scale = sx_;
      s.i2_scale = sy_;
      s.bins_x = go.bins_x;
      s.bins_y = go.bins_y;
      s.highlight = highlight_;
      s.sample_seed = sample_seed_;
      s.sample_size = go.sample_size;
      s.sink = static_cast<bool>(go.sink);
    }
    chunks_ = (n_ + chunk_ - 1) / chunk_;
    if (!exact_) {
      // Subset sizes ~ Binomial(k, 1/2) restricted to 1..k (metafor): cumulative probabilities.
      cdf_.assign(k_ + 1, 0);
      const double kd = static_cast<double>(k_);
      double acc = 0;
      for (std::size_t m = 1; m <= k_; ++m) {
        const double md = static_cast<double>(m);
        acc += std::exp(std::lgamma(kd + 1) - std::lgamma(md + 1) - std::lgamma(kd - md + 1) -
                        kd * std::log(2.0));
        cdf_[m] = acc;
      }
      for (auto& c : cdf_) c /= acc;
    }
  }

  [[nodiscard]] bool exact() const { return exact_; }

  // gosh(): every fit of the exact enumeration straight into its arrays (no sink).
  void set_direct(const detail::direct_output* d) {
    direct_ = d;
    setup_.direct = d;
  }
  [[nodiscard]] std::uint64_t subsets() const { return n_; }
  [[nodiscard]] double shift() const { return shift_; }

  expected<gosh_summary> run();

  // Random subset r (bits set in `mask`, which has words_ words); returns its size.
  std::size_t draw(std::uint64_t r, std::uint64_t* mask, std::vector<std::size_t>& idx) const {
    std::uint64_t state =
        splitmix64(go_.seed * 0x9E3779B97F4A7C15ull) ^ (r * 0xD1B54A32D192ED03ull);
    auto next = [&] {
      state += 0x9E3779B97F4A7C15ull;
      return splitmix64(state);
    };
    const double u = static_cast<double>(next() >> 11) * 0x1.0p-53;
    std::size_t m =
        static_cast<std::size_t>(std::upper_bound(cdf_.begin() + 1, cdf_.end(), u) - cdf_.begin());
    m = std::clamp<std::size_t>(m, 1, k_);
    idx.resize(k_);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::fill_n(mask, words_, 0);
    for (std::size_t j = 0; j < m; ++j) {
      // Lemire's multiply-shift on 32 random bits: a uniform draw from j .. k - 1 (k < 2^32).
      const auto span = static_cast<std::uint64_t>(k_ - j);
      const auto pick = j + static_cast<std::size_t>(((next() >> 32) * span) >> 32);
      std::swap(idx[j], idx[pick]);
      mask[idx[j] / 64] |= std::uint64_t{1} << (idx[j] % 64);
    }
    return m;
  }

  // Fits the subset `mask` given its common-effect sums; the estimate is centred (add shift_).
  void fit(const std::uint64_t* mask, const sums& s, fit_row& r, thread_state& ts) const {
    // One division by sum w, reused (the common-effect and DL fast paths).
    const double inv = 1 / s.s1;
    if (s.m < 2) {  // one study: metafor's k = 1 values under either model
      r.estimate = s.sy * inv;
      r.Q = 0;
      r.I2 = 0;
      r.H2 = 1;
      r.tau2 = 0;
      return;
    }
    const double m1 = static_cast<double>(s.m - 1);
    if (common_) {
      r.estimate = s.sy * inv;
      r.Q = std::max(0.0, s.syy - s.sy * s.sy * inv);
      r.I2 = r.Q > 0 ? std::max(0.0, 100 * (r.Q - m1) / r.Q) : 0.0;
      r.H2 = r.Q / m1;
      r.tau2 = 0;
      return;
    }
    if (fast_dl_) {
      const double q = std::max(0.0, s.syy - s.sy * s.sy * inv);
      const double c = s.s1 - s.s2 * inv;
      const double tau2 = std::max(0.0, (q - m1) / c);
      r.estimate = tau2 == 0 ? s.sy * inv : weighted_mean(mask, tau2);
      r.Q = q;
      r.tau2 = tau2;
      const double vt = m1 / c;
      r.I2 = 100 * tau2 / (vt + tau2);
      // metafor's DL fast path reports H^2 = Q/(k-1), which differs from the tau^2-based value
      // (tau^2/v~ + 1) only when Q < k - 1 truncates tau^2 at 0; matched for comparability.
      r.H2 = q / m1;
      return;
    }
    ts.y.clear();
    ts.v.clear();
    ts.log_v.clear();
    for_each_member(mask, [&](std::size_t i) {
      ts.y.push_back(yc_[i]);
      ts.v.push_back(vi_[i]);
      if (scoring_) ts.log_v.push_back(log_v_[i]);
    });
    double tau2 = 0;
    // ML and REML: the allocation-free copy of the model layer's scoring (gosh_scoring.hpp);
    // when it does not converge, estimate_tau2 applies the fallback and says so.
    std::optional<double> scored;
    if (scoring_) {
      ts.work.resize(ts.y.size());
      scored = detail::gosh_scoring_tau2(ts.y, ts.v, ts.log_v, options_.tau2 == tau2_method::reml,
                                         fit_control_, ts.work);
    }
    if (scored) {
      tau2 = *scored;
    } else {
      intercept_model m(ts.y, ts.v);
      auto est = estimate_tau2(m, options_.tau2, fit_control_);
      if (!est) return;  // a failed fit stays NaN, as metafor's (counted by the caller)
      tau2 = est->tau2;
      if (est->fell_back) ++ts.fell_back;
    }
    r.estimate = tau2 == 0 ? s.sy * inv : weighted_mean(mask, tau2);
    heterogeneity(r, s, false, tau2);
  }

  // sum w* y / sum w* with w* = 1 / (v + tau^2) over the subset: O(subset size).
  double weighted_mean(const std::uint64_t* mask, double tau2) const {
    // Two accumulators: half the latency chain of the additions.
    double a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    bool odd = false;
    for_each_member(mask, [&](std::size_t i) {
      const double wj = 1 / (vi_[i] + tau2);
      if (odd) {
        a1 += wj;
        b1 += wj * yc_[i];
      } else {
        a0 += wj;
        b0 += wj * yc_[i];
      }
      odd = !odd;
    });
    return (b0 + b1) / (a0 + a1);
  }

  // Adds fit `index` to the per-thread aggregates and the chunk's running sums.
  void record(std::uint64_t index, const std::uint64_t* mask, std::size_t m, const fit_row& r,
              thread_state& ts, moments_acc& running, chunk_result& cr) const {
    if (direct_ != nullptr) {
      direct_->put(mask[0], r.estimate + shift_, r.Q, r.I2, r.H2, r.tau2);
    } else if (go_.sink) {
      auto& b = cr.block;
      b.masks.insert(b.masks.end(), mask, mask + words_);
      b.size.push_back(static_cast<std::uint32_t>(m));
      b.estimate.push_back(r.estimate + shift_);
      b.Q.push_back(r.Q);
      b.I2.push_back(r.I2);
      b.H2.push_back(r.H2);
      b.tau2.push_back(r.tau2);
    }
    if (!(std::isfinite(r.estimate) && std::isfinite(r.I2))) {
      ++ts.failed;
      ts.first_failed = std::min(ts.first_failed, index);
      return;
    }
    running.add(r.estimate, r.I2);
    const double e = r.estimate + shift_;
    ts.e_min = std::min(ts.e_min, e);
    ts.e_max = std::max(ts.e_max, e);
    ts.i_min = std::min(ts.i_min, r.I2);
    ts.i_max = std::max(ts.i_max, r.I2);
    const auto ix = static_cast<std::size_t>(
        std::clamp((e - x_lo_) * sx_, 0.0, static_cast<double>(go_.bins_x - 1)));
    const auto iy =
        static_cast<std::size_t>(std::clamp(r.I2 * sy_, 0.0, static_cast<double>(go_.bins_y - 1)));
    const std::size_t cell = iy * go_.bins_x + ix;
    if (++ts.since_flush == std::numeric_limits<std::uint32_t>::max()) ts.flush_histogram();
    ++ts.hist32[cell];
    if (highlight_ != k_none && ((mask[highlight_ / 64] >> (highlight_ % 64)) & 1u)) {
      ++ts.with32[cell];
    }
    if (full_ != nullptr) {
      full_->put(index, mask, m, e, r.I2);
    } else if (go_.sample_size > 0) {
      ts.offer(splitmix64(index ^ sample_seed_), index, mask, words_, m, e, r.I2, go_.sample_size);
    }
  }

  void run_exact_chunk(std::uint64_t c, thread_state& ts, chunk_result& cr) const {
    const std::uint64_t first = c * chunk_ + 1, last = std::min(n_, (c + 1) * chunk_);
    if (use_kernel_) {
      detail::exact_chunk(setup_, first, last, ts, cr);
      return;
    }
    sums s;
    std::uint64_t g = gray(first);
    for (std::size_t i = 0; i < k_; ++i) {
      if ((g >> i) & 1u) {
        s.add(w_[i], yc_[i], 1);
        ++s.m;
      }
    }
    moments_acc running;
    std::vector<moments_acc> at_flip(k_);
    for (std::uint64_t t = first;; ++t) {
      fit_row r;
      fit(&g, s, r, ts);
      record(t - 1, &g, s.m, r, ts, running, cr);
      if (t == last) break;
      const std::uint64_t g_next = gray(t + 1);
      const std::uint64_t flip = g ^ g_next;
      const auto i = static_cast<std::size_t>(std::countr_zero(flip));
      if (g & flip) cr.with[i].add_difference(running, at_flip[i]);  // study i leaves
      at_flip[i] = running;
      if (g_next & flip) {
        s.add(w_[i], yc_[i], 1);
        ++s.m;
      } else {
        s.add(w_[i], yc_[i], -1);
        --s.m;
      }
      g = g_next;
    }
    for (std::size_t i = 0; i < k_; ++i) {
      if ((g >> i) & 1u) cr.with[i].add_difference(running, at_flip[i]);
    }
    cr.all = running;
    cr.fits = last - first + 1;
  }

  void run_random_chunk(std::uint64_t c, thread_state& ts, chunk_result& cr) const {
    const std::uint64_t first = c * chunk_, last = std::min(n_, (c + 1) * chunk_);
    std::vector<std::uint64_t> mask(words_);
    moments_acc running;
    for (std::uint64_t r = first; r < last; ++r) {
      draw(r, mask.data(), ts.idx);
      sums s;
      for_each_member(mask.data(), [&](std::size_t i) {
        s.add(w_[i], yc_[i], 1);
        ++s.m;
      });
      fit_row row;
      fit(mask.data(), s, row, ts);
      const std::uint64_t before = running.n;
      record(r, mask.data(), s.m, row, ts, running, cr);
      if (running.n != before) {
        for_each_member(mask.data(), [&](std::size_t i) { cr.with[i].add(row.estimate, row.I2); });
      }
    }
    cr.all = running;
    cr.fits = last - first;
  }

  // Calls f(i) for each study i in subset `mask`, visiting set bits only.
  template <typename F>
  void for_each_member(const std::uint64_t* mask, F&& f) const {
    for (std::size_t word = 0; word < words_; ++word) {
      for (std::uint64_t b = mask[word]; b != 0; b &= b - 1) {
        f(word * 64 + static_cast<std::size_t>(std::countr_zero(b)));
      }
    }
  }

  // The members of enumeration index `index` (study numbers from 1).
  std::vector<std::size_t> members_of(std::uint64_t index) const {
    std::vector<std::uint64_t> mask(words_);
    std::vector<std::size_t> idx;
    if (exact_) {
      mask[0] = gray(index + 1);
    } else {
      draw(index, mask.data(), idx);
    }
    std::vector<std::size_t> out;
    for_each_member(mask.data(), [&](std::size_t i) { out.push_back(i); });
    return out;
  }

 private:
  std::span<const double> yi_, vi_;
  const pool_options& options_;
  tau2_control fit_control_;
  const gosh_stream_options& go_;
  std::size_t k_, words_;
  bool common_ = false, fast_dl_ = false, exact_ = true, use_kernel_ = false, scoring_ = false;
  std::vector<double> log_v_;
  detail::exact_setup setup_;
  const detail::direct_output* direct_ = nullptr;
  detail::full_sample* full_ = nullptr;
  std::uint64_t n_ = 0, chunk_ = 1, chunks_ = 1;
  double shift_ = 0, x_lo_ = 0, x_hi_ = 1, sx_ = 1, sy_ = 1;
  std::uint64_t sample_seed_ = 0x5EEDull;
  std::size_t highlight_ = k_none;
  std::vector<double> yc_, w_, cdf_;
};

expected<gosh_summary> engine::run() {
  gosh_summary out;
  out.k = k_;
  out.exact = exact_;
  out.model = common_ ? model_kind::common : model_kind::random;
  out.method = options_.tau2;
  out.subsets = n_;
  out.highlight = go_.highlight;

  // No more subsets than the sample holds: every fit goes to its place in it (no hashing, no
  // bottom-k selection; the same sample).
  std::optional<detail::full_sample> full;
  if (go_.sample_size > 0 && n_ <= go_.sample_size) {
    full.emplace(static_cast<std::size_t>(n_), words_);
    full_ = &*full;
    setup_.full = full_;
  }

  // Threads only for work that repays them: each new thread allocates its state in a malloc
  // arena of its own, given back and page-faulted anew at every call, which cost more than the
  // 65,535 subsets of k = 16 take in the vectorised kernel on one thread (7.7 ms on two threads
  // against 0.9 ms on one, on the VM we measure on). Work in units of one kernel fit (about
  // 10 ns): a fit offered to the bottom-k sample or written out (gosh(), --out) costs about 8,
  // a refit about 32; threads from 2^20 units (about 10 ms).
  const bool stored = (go_.sample_size > 0 && n_ > go_.sample_size) || go_.sink || direct_;
  const std::uint64_t work = use_kernel_ ? (stored ? n_ << 3 : n_) : n_ << 5;
  const unsigned requested = go_.threads > 0
                                 ? go_.threads
                                 : (work < (std::uint64_t{1} << 20) ? 1u : detail::worker_count());
  const auto workers =
      static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, requested), chunks_));
  std::vector<thread_state> states(workers);
  for (auto& ts : states) {
    ts.hist32.assign(go_.bins_x * go_.bins_y, 0);
    if (go_.highlight) {
      ts.with32.assign(go_.bins_x * go_.bins_y, 0);
    }
  }

  // Sums of doubles, merged in chunk order; the sink gets the blocks in the same order.
  std::mutex mu;
  std::map<std::uint64_t, chunk_result> pending;
  std::uint64_t next_merge = 0;
  moments_acc total;
  std::vector<moments_acc> total_with(k_);
  std::atomic<bool> stop{false};
  std::atomic<bool> sink_failed{false};
  std::atomic<std::uint64_t> next_chunk{0}, done{0};

  auto merge = [&](std::uint64_t c, chunk_result&& cr) {
    std::lock_guard lock(mu);
    pending.emplace(c, std::move(cr));
    while (!pending.empty() && pending.begin()->first == next_merge) {
      auto& p = pending.begin()->second;
      total.add(p.all);
      for (std::size_t i = 0; i < k_; ++i) total_with[i].add(p.with[i]);
      out.done += p.fits;
      if (go_.sink && !sink_failed.load()) {
        if (!go_.sink(p.block)) {
          sink_failed = true;
          stop = true;
        }
      }
      pending.erase(pending.begin());
      ++next_merge;
    }
  };

  const auto caller = std::this_thread::get_id();
  auto last_progress = std::chrono::steady_clock::now();
  auto worker = [&](unsigned w) {
    thread_state& ts = states[w];
    for (;;) {
      if (stop.load(std::memory_order_relaxed)) return;
      if (go_.cancel && go_.cancel->load(std::memory_order_relaxed)) {
        stop = true;
        return;
      }
      const std::uint64_t c = next_chunk.fetch_add(1);
      if (c >= chunks_) return;
      chunk_result cr;
      cr.with.resize(k_);
      if (go_.sink) {
        cr.block.words = words_;
        cr.block.first = c * chunk_;
      }
      if (exact_) {
        run_exact_chunk(c, ts, cr);
      } else {
        run_random_chunk(c, ts, cr);
      }
      const std::uint64_t d = done.fetch_add(cr.fits) + cr.fits;
      merge(c, std::move(cr));
      if (go_.progress && std::this_thread::get_id() == caller) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress > std::chrono::milliseconds(100)) {
          last_progress = now;
          go_.progress(d, n_);
        }
      }
    }
  };
  {
    std::vector<std::thread> threads;
    for (unsigned w = 1; w < workers; ++w) threads.emplace_back(worker, w);
    worker(0);
    for (auto& t : threads) t.join();
  }
  out.interrupted = go_.cancel && go_.cancel->load() && out.done < n_;
  out.stopped = sink_failed.load();
  if (go_.progress && !out.interrupted && !out.stopped) go_.progress(n_, n_);

  // Order-free aggregates.
  auto& h = out.histogram;
  h.x_lo = x_lo_;
  h.x_hi = x_hi_;
  h.nx = go_.bins_x;
  h.ny = go_.bins_y;
  h.count.assign(h.nx * h.ny, 0);
  if (go_.highlight) h.with.assign(h.nx * h.ny, 0);
  double e_min = INFINITY, e_max = -INFINITY, i_min = INFINITY, i_max = -INFINITY;
  std::uint64_t first_failed = k_none;
  std::vector<sample_item> items;
  for (std::size_t w = 0; w < states.size(); ++w) {
    auto& ts = states[w];
    ts.compact(go_.sample_size, words_);
    for (std::size_t c = 0; c < ts.hist.size(); ++c) h.count[c] += ts.hist[c];
    for (std::size_t c = 0; c < ts.hist_with.size(); ++c) h.with[c] += ts.hist_with[c];
    for (std::size_t c = 0; c < ts.hist32.size(); ++c) h.count[c] += ts.hist32[c];
    for (std::size_t c = 0; c < ts.with32.size(); ++c) h.with[c] += ts.with32[c];
    e_min = std::min(e_min, ts.e_min);
    e_max = std::max(e_max, ts.e_max);
    i_min = std::min(i_min, ts.i_min);
    i_max = std::max(i_max, ts.i_max);
    out.failed += ts.failed;
    out.fell_back += ts.fell_back;
    first_failed = std::min(first_failed, ts.first_failed);
    // Slots of thread w are numbered after those of the threads before it.
    for (const auto& it : ts.cand) items.push_back({it.key, it.index, it.slot + (w << 40)});
  }
  out.estimate_min = std::isfinite(e_min) ? e_min : k_nan;
  out.estimate_max = std::isfinite(e_max) ? e_max : k_nan;
  out.I2_min = std::isfinite(i_min) ? i_min : k_nan;
  out.I2_max = std::isfinite(i_max) ? i_max : k_nan;

  // The sample: the smallest keys over all threads, then in enumeration order.
  if (items.size() > go_.sample_size) {
    std::nth_element(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(go_.sample_size),
                     items.end());
    items.resize(go_.sample_size);
  }
  std::sort(items.begin(), items.end(),
            [](const sample_item& a, const sample_item& b) { return a.index < b.index; });
  auto& smp = out.sample;
  smp.words = words_;
  if (full) {
    // The fitted places, moved to the front in order; the arrays then become the sample's.
    smp.index.reserve(full->e.size());
    std::size_t kept = 0;
    for (std::size_t t = 0; t < full->e.size(); ++t) {
      if (std::isnan(full->e[t])) continue;
      if (kept != t) {
        std::copy_n(&full->masks[t * words_], words_, &full->masks[kept * words_]);
        full->size[kept] = full->size[t];
        full->e[kept] = full->e[t];
        full->i2[kept] = full->i2[t];
      }
      smp.index.push_back(t);
      ++kept;
    }
    full->masks.resize(kept * words_);
    full->size.resize(kept);
    full->e.resize(kept);
    full->i2.resize(kept);
    smp.masks = std::move(full->masks);
    smp.size = std::move(full->size);
    smp.estimate = std::move(full->e);
    smp.I2 = std::move(full->i2);
  } else {
    smp.index.reserve(items.size());
    smp.masks.reserve(items.size() * words_);
    smp.size.reserve(items.size());
    smp.estimate.reserve(items.size());
    smp.I2.reserve(items.size());
  }
  for (const auto& it : items) {
    const auto& ts = states[it.slot >> 40];
    const std::size_t slot = it.slot & ((std::size_t{1} << 40) - 1);
    smp.index.push_back(it.index);
    smp.masks.insert(smp.masks.end(), &ts.masks[slot * words_], &ts.masks[slot * words_] + words_);
    smp.size.push_back(ts.size[slot]);
    smp.estimate.push_back(ts.e[slot]);
    smp.I2.push_back(ts.i2[slot]);
  }
  smp.complete = smp.points() == out.done - out.failed;

  out.all = finish(total, shift_);
  out.studies.resize(k_);
  for (std::size_t i = 0; i < k_; ++i) {
    out.studies[i].with = finish(total_with[i], shift_);
    out.studies[i].without = finish(total.minus(total_with[i]), shift_);
  }

  // Notes: failed fits (the first refitted to say why) and fallbacks.
  if (out.failed > 0) {
    std::vector<double> y, v;
    std::vector<std::size_t> members;
    for (auto i : members_of(first_failed)) {
      y.push_back(yi_[i]);
      v.push_back(vi_[i]);
      members.push_back(i + 1);
    }
    intercept_model m(y, v);
    auto est = estimate_tau2(m, options_.tau2, fit_control_);
    out.notes.push_back(fmt::format(
        "{} of {} fits failed and are NaN (as in metafor's gosh()); the first, studies {}: {}",
        out.failed, out.done, fmt::join(members, ", "),
        est ? std::string("(no error on refitting)") : est.error().what()));
  }
  if (out.fell_back > 0) {
    std::vector<std::string_view> order;
    for (auto m : options_.control.fallback) order.push_back(tau2_method_code(m));
    out.notes.push_back(fmt::format(
        "{} of {} fits took tau^2 from a fallback estimator (order: {}) because {} did not "
        "converge",
        out.fell_back, out.done, fmt::join(order, ", "), tau2_method_code(options_.tau2)));
  }
  return out;
}

expected<void> check_inputs(std::span<const double> yi, std::span<const double> vi,
                            const pool_options& options, const gosh_stream_options& go) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  if (yi.size() < 2) return fail(errc::model_too_few_studies, "GOSH needs at least 2 studies");
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (auto msg = go.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (go.highlight && *go.highlight >= yi.size()) {
    return fail(errc::model_bad_options,
                fmt::format("the highlighted study is number {}, but there are {} studies",
                            *go.highlight + 1, yi.size()));
  }
  return {};
}

}  // namespace

std::string gosh_options::validate() const {
  if (max_subsets < 1) return "max_subsets is 0, but at least one subset must be fitted";
  return {};
}

std::string gosh_stream_options::validate() const {
  if (auto msg = gosh_options::validate(); !msg.empty()) return msg;
  if (bins_x < 1 || bins_y < 1 || bins_x > 4096 || bins_y > 4096) {
    return fmt::format("the histogram has {} x {} bins, but each must be between 1 and 4096",
                       bins_x, bins_y);
  }
  return {};
}

expected<gosh_summary> gosh_stream(std::span<const double> yi, std::span<const double> vi,
                                   const pool_options& options, const gosh_stream_options& gopts) {
  if (auto ok = check_inputs(yi, vi, options, gopts); !ok) return unexpected(ok.error());
  engine e(yi, vi, options, gopts);
  return e.run();
}

namespace {

void resize_fits(gosh_result& out, std::size_t n) {
  out.masks.assign(n * out.words, 0);
  out.size.resize(n);
  for (auto* v : {&out.estimate, &out.Q, &out.I2, &out.H2, &out.tau2}) v->resize(n);
}

}  // namespace

expected<gosh_result> gosh(std::span<const double> yi, std::span<const double> vi,
                           const pool_options& options, const gosh_options& gopts) {
  gosh_stream_options so;
  static_cast<gosh_options&>(so) = gopts;
  so.bins_x = so.bins_y = 1;
  so.sample_size = 0;
  if (auto ok = check_inputs(yi, vi, options, so); !ok) return unexpected(ok.error());
  const std::size_t k = yi.size();
  const std::size_t words = (k + 63) / 64;
  // The exact enumeration (as the engine decides it): every fit goes straight to its place.
  const bool exact =
      k < 64 && std::ldexp(1.0, static_cast<int>(k)) - 1 <= static_cast<double>(gopts.max_subsets);
  gosh_result placed;  // exact: every fit at its place
  gosh_fit_block all;  // otherwise: every fit, in enumeration order
  placed.words = all.words = words;
  std::optional<detail::exact_positions> place;
  detail::direct_output direct;
  if (exact) {
    place.emplace(k);
    resize_fits(placed, (std::size_t{1} << k) - 1);
    direct = {&*place,         placed.masks.data(), placed.size.data(), placed.estimate.data(),
              placed.Q.data(), placed.I2.data(),    placed.H2.data(),   placed.tau2.data()};
  } else {
    so.sink = [&](const gosh_fit_block& b) {
      all.masks.insert(all.masks.end(), b.masks.begin(), b.masks.end());
      all.size.insert(all.size.end(), b.size.begin(), b.size.end());
      all.estimate.insert(all.estimate.end(), b.estimate.begin(), b.estimate.end());
      all.Q.insert(all.Q.end(), b.Q.begin(), b.Q.end());
      all.I2.insert(all.I2.end(), b.I2.begin(), b.I2.end());
      all.H2.insert(all.H2.end(), b.H2.begin(), b.H2.end());
      all.tau2.insert(all.tau2.end(), b.tau2.begin(), b.tau2.end());
      return true;
    };
  }
  engine e(yi, vi, options, so);
  if (exact) e.set_direct(&direct);
  auto s = e.run();
  if (!s) return unexpected(s.error());
  auto describe = [&](gosh_result& r) {
    r.k = s->k;
    r.exact = s->exact;
    r.interrupted = s->interrupted;
    r.model = s->model;
    r.method = s->method;
    r.words = words;
    r.failed = static_cast<std::size_t>(s->failed);
    r.fell_back = static_cast<std::size_t>(s->fell_back);
    r.notes = s->notes;
  };
  if (exact && s->done == s->subsets) {
    describe(placed);
    return placed;
  }
  gosh_result out;
  describe(out);
  if (exact) {
    // Stopped early: the fits done are the first `done` of the enumeration (subset gray(t + 1)).
    const auto done = static_cast<std::size_t>(s->done);
    all.masks.resize(done);
    all.size.resize(done);
    for (auto* v : {&all.estimate, &all.Q, &all.I2, &all.H2, &all.tau2}) v->resize(done);
    for (std::size_t t = 0; t < done; ++t) {
      const std::size_t p = (*place)(detail::gray(t + 1));
      all.masks[t] = placed.masks[p];
      all.size[t] = placed.size[p];
      all.estimate[t] = placed.estimate[p];
      all.Q[t] = placed.Q[p];
      all.I2[t] = placed.I2[p];
      all.H2[t] = placed.H2[p];
      all.tau2[t] = placed.tau2[p];
    }
  }

  // Random subsets, or an exact enumeration stopped early: by subset size, then in enumeration
  // order (a counting sort on the size).
  const std::size_t n = all.fits();
  std::vector<std::size_t> start(k + 2, 0), pos(n);
  for (auto m : all.size) ++start[m + 1];
  for (std::size_t m = 1; m < start.size(); ++m) start[m] += start[m - 1];
  for (std::size_t t = 0; t < n; ++t) pos[t] = start[all.size[t]]++;
  resize_fits(out, n);
  for (std::size_t t = 0; t < n; ++t) {
    const std::size_t p = pos[t];
    std::copy_n(&all.masks[t * out.words], out.words, &out.masks[p * out.words]);
    out.size[p] = all.size[t];
    out.estimate[p] = all.estimate[t];
    out.Q[p] = all.Q[t];
    out.I2[p] = all.I2[t];
    out.H2[p] = all.H2[t];
    out.tau2[p] = all.tau2[t];
  }
  return out;
}

}  // namespace srma
