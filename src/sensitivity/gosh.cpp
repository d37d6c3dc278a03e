// GOSH (metafor's gosh.rma): every subset fitted, Gray-code enumeration with O(1) updates of the
// common-effect / DerSimonian-Laird sums, parallel over chunks.
#include "srma/sensitivity/gosh.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string_view>
#include <thread>

#include "srma/model/linear_model.hpp"
#include "srma/model/tau2.hpp"
#include "srma/util/check.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"

namespace srma {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

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
void heterogeneity(fit_row& r, const sums& s, bool common, double tau2) {
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

}  // namespace

std::string gosh_options::validate() const {
  if (max_subsets < 1) return "max_subsets is 0, but at least one subset must be fitted";
  return {};
}

expected<gosh_result> gosh(std::span<const double> yi, std::span<const double> vi,
                           const pool_options& options, const gosh_options& gopts) {
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  const std::size_t k = yi.size();
  if (k < 2) return fail(errc::model_too_few_studies, "GOSH needs at least 2 studies");
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (auto msg = gopts.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  gosh_result out;
  out.k = k;
  out.model = options.model == model_choice::common ? model_kind::common : model_kind::random;
  out.method = options.tau2;
  out.words = (k + 63) / 64;
  const bool common = out.model == model_kind::common;
  const bool fast_dl = !common && options.tau2 == tau2_method::dl;
  const double total = k < 64 ? std::ldexp(1.0, static_cast<int>(k)) - 1 : INFINITY;
  out.exact = total <= static_cast<double>(gopts.max_subsets);
  const std::size_t n = out.exact ? static_cast<std::size_t>(total) : gopts.max_subsets;

  // Centre y (Q is shift invariant) at the common-effect mean of all studies.
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < k; ++i) {
    sw += 1 / vi[i];
    swy += yi[i] / vi[i];
  }
  const double shift = swy / sw;
  std::vector<double> yc(k), w(k);
  for (std::size_t i = 0; i < k; ++i) {
    yc[i] = yi[i] - shift;
    w[i] = 1 / vi[i];
  }

  // Output order: by subset size, then by mask (metafor: expand.grid order, then a stable sort by
  // k). Each generated subset j gets its final position pos[j] before any fit, so that the fits
  // write their results in place.
  out.masks.assign(n * out.words, 0);
  out.size.resize(n);
  for (auto* v : {&out.estimate, &out.Q, &out.I2, &out.H2, &out.tau2}) v->resize(n);
  std::vector<std::size_t> pos(n);
  std::vector<std::size_t> start(k + 2, 0);
  auto prefix_sums = [&] {
    for (std::size_t m = 1; m < start.size(); ++m) start[m] += start[m - 1];
  };
  std::vector<std::uint64_t> drawn;  // random subsets' masks, in the order drawn
  if (out.exact) {
    // Subset j is mask gray(j + 1) (the enumeration below walks a Gray code), so mask m is subset
    // gray^-1(m) - 1. A counting sort on the size, visiting masks in increasing order, gives every
    // position in O(n) without comparisons.
    auto inverse_gray = [](std::uint64_t g) {
      for (std::uint64_t s = 1; s < 64; s <<= 1) g ^= g >> s;
      return g;
    };
    for (std::uint64_t m = 1; m <= n; ++m) ++start[static_cast<std::size_t>(std::popcount(m)) + 1];
    prefix_sums();
    for (std::uint64_t m = 1; m <= n; ++m) {
      pos[static_cast<std::size_t>(inverse_gray(m) - 1)] =
          start[static_cast<std::size_t>(std::popcount(m))]++;
    }
  } else {
    // Random subsets: size m ~ Binomial(k, 1/2) restricted to 1..k, then m studies at random
    // (metafor), each subset from its own seeded stream; stable in the order drawn.
    std::vector<double> pm(k + 1);
    const double kd = static_cast<double>(k);
    for (std::size_t m = 1; m <= k; ++m) {
      const double md = static_cast<double>(m);
      pm[m] = std::exp(std::lgamma(kd + 1) - std::lgamma(md + 1) - std::lgamma(kd - md + 1) -
                       kd * std::log(2.0));
    }
    drawn.assign(n * out.words, 0);
    std::vector<std::uint32_t> sizes(n);
    detail::parallel_for(n, [&](std::size_t r) {
      std::mt19937_64 rng(gopts.seed * 0x9E3779B97F4A7C15ull + r);
      std::discrete_distribution<std::size_t> size_dist(pm.begin(), pm.end());
      const std::size_t m = size_dist(rng);
      std::vector<std::size_t> idx(k);
      std::iota(idx.begin(), idx.end(), 0);
      std::uint64_t* mask = &drawn[r * out.words];
      for (std::size_t j = 0; j < m; ++j) {
        std::uniform_int_distribution<std::size_t> pick(j, k - 1);
        std::swap(idx[j], idx[pick(rng)]);
        mask[idx[j] / 64] |= std::uint64_t{1} << (idx[j] % 64);
      }
      sizes[r] = static_cast<std::uint32_t>(m);
    });
    for (auto m : sizes) ++start[m + 1];
    prefix_sums();
    for (std::size_t r = 0; r < n; ++r) pos[r] = start[sizes[r]]++;
  }

  // Calls f(i) for each study i in subset `mask`, visiting set bits only: a test of every bit
  // would mispredict about half the time on subsets that are random bit patterns.
  auto for_each_member = [&](const std::uint64_t* mask, auto&& f) {
    for (std::size_t word = 0; word < out.words; ++word) {
      for (std::uint64_t b = mask[word]; b != 0; b &= b - 1) {
        f(word * 64 + static_cast<std::size_t>(std::countr_zero(b)));
      }
    }
  };

  std::atomic<std::size_t> fell_back{0};

  // Fits subset `mask` given its common-effect sums.
  auto finish = [&](const std::uint64_t* mask, const sums& s, fit_row& r) {
    if (common || s.m < 2) {
      r.estimate = shift + s.sy / s.s1;
      heterogeneity(r, s, true, 0);
      if (!common) {  // a single study under random effects: tau^2 = 0, metafor's k = 1 values
        r.I2 = 0;
        r.H2 = 1;
      }
      return;
    }
    double tau2 = 0;
    if (fast_dl) {
      const double q = std::max(0.0, s.syy - s.sy * s.sy / s.s1);
      tau2 = std::max(0.0, (q - static_cast<double>(s.m - 1)) / (s.s1 - s.s2 / s.s1));
    } else {
      // Per-thread buffers: no allocation per subset.
      thread_local std::vector<double> y, v;
      y.clear();
      v.clear();
      for_each_member(mask, [&](std::size_t i) {
        y.push_back(yc[i]);
        v.push_back(vi[i]);
      });
      intercept_model m(y, v);
      auto est = estimate_tau2(m, options.tau2, options.control);
      if (!est) return;  // a failed fit stays NaN, as metafor's (counted below)
      tau2 = est->tau2;
      if (est->fell_back) fell_back.fetch_add(1, std::memory_order_relaxed);
    }
    double a = 0, ay = 0;
    for_each_member(mask, [&](std::size_t i) {
      const double wj = 1 / (vi[i] + tau2);
      a += wj;
      ay += wj * yc[i];
    });
    r.estimate = shift + ay / a;
    heterogeneity(r, s, false, tau2);
    // metafor's DL fast path reports H^2 = Q/(k-1), which differs from the tau^2-based value
    // (tau^2/v~ + 1) only when Q < k - 1 truncates tau^2 at 0; matched here for comparability.
    if (fast_dl) r.H2 = r.Q / static_cast<double>(s.m - 1);
  };

  // Stores the fit of subset j at its position.
  auto store = [&](std::size_t j, const std::uint64_t* mask, const sums& s) {
    fit_row r;
    finish(mask, s, r);
    const std::size_t p = pos[j];
    std::copy_n(mask, out.words, &out.masks[p * out.words]);
    out.size[p] = static_cast<std::uint32_t>(s.m);
    out.estimate[p] = r.estimate;
    out.Q[p] = r.Q;
    out.I2[p] = r.I2;
    out.H2[p] = r.H2;
    out.tau2[p] = r.tau2;
  };

  std::atomic<std::size_t> done{0};
  const auto caller = std::this_thread::get_id();
  auto last = std::chrono::steady_clock::now();
  auto report = [&](std::size_t add) {
    const std::size_t d = done.fetch_add(add) + add;
    if (gopts.progress && std::this_thread::get_id() == caller) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last > std::chrono::milliseconds(100)) {
        last = now;
        gopts.progress(d, n);
      }
    }
  };

  if (out.exact) {
    // Subsets j = t - 1 for t = 1 .. n in Gray-code order within chunks of consecutive t: gray is
    // a bijection on [0, 2^k), and consecutive t map to masks that differ in one bit, so the
    // common-effect sums are updated in O(1) from one subset to the next.
    constexpr std::size_t chunk = 4096;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    detail::parallel_for(
        chunks,
        [&](std::size_t c) {
          const std::uint64_t first = c * chunk + 1,
                              last_mask = std::min<std::uint64_t>(n, (c + 1) * chunk);
          sums s;
          std::uint64_t g = first ^ (first >> 1);
          for (std::size_t i = 0; i < k; ++i)
            if ((g >> i) & 1u) {
              s.add(w[i], yc[i], 1);
              ++s.m;
            }
          for (std::uint64_t t = first;; ++t) {
            store(static_cast<std::size_t>(t - 1), &g, s);
            if (t == last_mask) break;
            const std::uint64_t g_next = (t + 1) ^ ((t + 1) >> 1);
            const std::uint64_t flip = g ^ g_next;
            const auto i = static_cast<std::size_t>(std::countr_zero(flip));
            if (g_next & flip) {
              s.add(w[i], yc[i], 1);
              ++s.m;
            } else {
              s.add(w[i], yc[i], -1);
              --s.m;
            }
            g = g_next;
          }
          report(static_cast<std::size_t>(last_mask - first + 1));
        },
        2);
  } else {
    detail::parallel_for(n, [&](std::size_t r) {
      const std::uint64_t* mask = &drawn[r * out.words];
      sums s;
      for_each_member(mask, [&](std::size_t i) {
        s.add(w[i], yc[i], 1);
        ++s.m;
      });
      store(r, mask, s);
      if (r % 1024 == 0) report(1024);
    });
  }
  if (gopts.progress) gopts.progress(n, n);

  // Failed fits are the NaN estimates; the first one is refitted to say why it failed.
  out.fell_back = fell_back.load();
  std::size_t first_failed = n;
  for (std::size_t s = 0; s < n; ++s) {
    if (std::isnan(out.estimate[s])) {
      ++out.failed;
      first_failed = std::min(first_failed, s);
    }
  }
  if (out.failed > 0) {
    std::vector<double> y, v;
    std::vector<std::size_t> members;
    for_each_member(&out.masks[first_failed * out.words], [&](std::size_t i) {
      y.push_back(yi[i]);
      v.push_back(vi[i]);
      members.push_back(i + 1);
    });
    intercept_model m(y, v);
    auto est = estimate_tau2(m, options.tau2, options.control);
    out.notes.push_back(fmt::format(
        "{} of {} fits failed and are NaN (as in metafor's gosh()); the first, studies {}: {}",
        out.failed, n, fmt::join(members, ", "),
        est ? std::string("(no error on refitting)") : est.error().what()));
  }
  if (out.fell_back > 0) {
    std::vector<std::string_view> order;
    for (auto m : options.control.fallback) order.push_back(tau2_method_code(m));
    out.notes.push_back(fmt::format(
        "{} of {} fits took tau^2 from a fallback estimator (order: {}) because {} did not "
        "converge",
        out.fell_back, n, fmt::join(order, ", "), tau2_method_code(options.tau2)));
  }
  return out;
}

}  // namespace srma
