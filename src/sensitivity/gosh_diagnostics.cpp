// GOSH diagnostics: k-means, DBSCAN and a Gaussian mixture on the (estimate, I^2) sample, and the
// studies whose presence drives a cluster (srma/sensitivity/gosh_diagnostics.hpp).
#include "srma/sensitivity/gosh_diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include "splitmix.hpp"
#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

using detail::splitmix64;

std::uint64_t cell_key(double x, double y, double eps) {
  const auto cx = static_cast<std::int64_t>(std::floor(x / eps));
  const auto cy = static_cast<std::int64_t>(std::floor(y / eps));
  return (static_cast<std::uint64_t>(cx) << 32) ^ (static_cast<std::uint64_t>(cy) & 0xffffffffull);
}

// k-means++ starts (Arthur & Vassilvitskii 2007) from a seeded stream: deterministic.
void kmeans_pp(std::span<const double> x, std::span<const double> y, std::size_t g,
               std::uint64_t seed, std::vector<double>& cx, std::vector<double>& cy) {
  const std::size_t n = x.size();
  std::uint64_t state = splitmix64(seed);
  auto uniform = [&] {
    state = splitmix64(state);
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  cx.clear();
  cy.clear();
  const auto first = std::min(n - 1, static_cast<std::size_t>(uniform() * static_cast<double>(n)));
  cx.push_back(x[first]);
  cy.push_back(y[first]);
  std::vector<double> d2(n, std::numeric_limits<double>::infinity());
  while (cx.size() < g) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double dx = x[i] - cx.back(), dy = y[i] - cy.back();
      d2[i] = std::min(d2[i], dx * dx + dy * dy);
      total += d2[i];
    }
    std::size_t pick = 0;
    if (total > 0) {
      double u = uniform() * total;
      for (pick = 0; pick + 1 < n; ++pick) {
        u -= d2[pick];
        if (u < 0) break;
      }
    } else {
      pick = cx.size() % n;  // every point coincides with a centre
    }
    cx.push_back(x[pick]);
    cy.push_back(y[pick]);
  }
}

// DBSCAN on a grid of eps cells: labels (-1 noise) and the core flags.
std::vector<int> dbscan(std::span<const double> x, std::span<const double> y, double eps,
                        std::size_t min_pts, std::vector<char>& core,
                        std::unordered_map<std::uint64_t, std::vector<std::uint32_t>>& grid) {
  const std::size_t n = x.size();
  grid.clear();
  for (std::size_t i = 0; i < n; ++i)
    grid[cell_key(x[i], y[i], eps)].push_back(static_cast<std::uint32_t>(i));
  const double e2 = eps * eps;
  auto neighbours = [&](std::size_t i, std::vector<std::uint32_t>& out) {
    out.clear();
    const auto cx = static_cast<std::int64_t>(std::floor(x[i] / eps));
    const auto cy = static_cast<std::int64_t>(std::floor(y[i] / eps));
    for (std::int64_t a = cx - 1; a <= cx + 1; ++a) {
      for (std::int64_t b = cy - 1; b <= cy + 1; ++b) {
        const auto key =
            (static_cast<std::uint64_t>(a) << 32) ^ (static_cast<std::uint64_t>(b) & 0xffffffffull);
        auto it = grid.find(key);
        if (it == grid.end()) continue;
        for (auto j : it->second) {
          const double dx = x[j] - x[i], dy = y[j] - y[i];
          if (dx * dx + dy * dy <= e2) out.push_back(j);
        }
      }
    }
  };
  core.assign(n, 0);
  std::vector<std::uint32_t> nb;
  for (std::size_t i = 0; i < n; ++i) {
    neighbours(i, nb);
    core[i] = nb.size() >= min_pts ? 1 : 0;
  }
  std::vector<int> label(n, -1);
  int next = 0;
  std::vector<std::uint32_t> queue;
  for (std::size_t i = 0; i < n; ++i) {
    if (!core[i] || label[i] >= 0) continue;
    label[i] = next;
    queue.assign(1, static_cast<std::uint32_t>(i));
    while (!queue.empty()) {
      const auto p = queue.back();
      queue.pop_back();
      neighbours(p, nb);
      for (auto j : nb) {
        if (label[j] >= 0) continue;
        label[j] = next;  // border points join the first cluster that reaches them
        if (core[j]) queue.push_back(j);
      }
    }
    ++next;
  }
  return label;
}

double gauss_density(double dx, double dy, double sxx, double sxy, double syy) {
  const double det = sxx * syy - sxy * sxy;
  const double q = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
  return std::exp(-0.5 * q) / (2 * std::numbers::pi * std::sqrt(det));
}

// Shares, per-cluster summaries and flags of one clustering of the points.
void summarise(gosh_clustering& c, const gosh_sample& s, std::size_t k,
               std::span<const double> share_all, const gosh_diagnostics_options& o) {
  int groups = 0;
  for (auto l : c.label) groups = std::max(groups, l + 1);
  c.clusters.assign(static_cast<std::size_t>(groups), {});
  for (auto& cl : c.clusters) cl.share.assign(k, 0);
  c.noise = 0;
  for (std::size_t p = 0; p < c.label.size(); ++p) {
    if (c.label[p] < 0) {
      ++c.noise;
      continue;
    }
    auto& cl = c.clusters[static_cast<std::size_t>(c.label[p])];
    ++cl.points;
    cl.mean_estimate += s.estimate[p];
    cl.mean_I2 += s.I2[p];
    for (std::size_t w = 0; w < s.words; ++w) {
      for (std::uint64_t b = s.masks[p * s.words + w]; b != 0; b &= b - 1) {
        cl.share[w * 64 + static_cast<std::size_t>(std::countr_zero(b))] += 1;
      }
    }
  }
  c.difference.assign(k, 0);
  const double total = static_cast<double>(c.label.size());
  for (auto& cl : c.clusters) {
    if (cl.points == 0) continue;
    const double np = static_cast<double>(cl.points);
    cl.mean_estimate /= np;
    cl.mean_I2 /= np;
    for (auto& v : cl.share) v /= np;
    if (np < o.min_cluster_share * total) continue;
    for (std::size_t i = 0; i < k; ++i) {
      c.difference[i] = std::max(c.difference[i], std::abs(cl.share[i] - share_all[i]));
    }
  }
  c.flagged.clear();
  for (std::size_t i = 0; i < k; ++i) {
    if (c.difference[i] >= o.flag_difference) c.flagged.push_back(i);
  }
}

}  // namespace

std::string_view to_string(gosh_cluster_method m) {
  switch (m) {
    case gosh_cluster_method::kmeans:
      return "kmeans";
    case gosh_cluster_method::dbscan:
      return "dbscan";
    case gosh_cluster_method::gmm:
      return "gmm";
  }
  return "kmeans";
}

std::optional<gosh_cluster_method> parse_gosh_cluster_method(std::string_view s) {
  std::string l(s);
  for (auto& ch : l) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (auto m :
       {gosh_cluster_method::kmeans, gosh_cluster_method::dbscan, gosh_cluster_method::gmm}) {
    if (l == to_string(m)) return m;
  }
  return std::nullopt;
}

std::string gosh_diagnostics_options::validate() const {
  if (kmeans_clusters < 1 || kmeans_clusters > 20) {
    return fmt::format("kmeans_clusters is {}, but must be between 1 and 20", kmeans_clusters);
  }
  if (gmm_components < 1 || gmm_components > 20) {
    return fmt::format("gmm_components is {}, but must be between 1 and 20", gmm_components);
  }
  if (!(dbscan_eps > 0) || !std::isfinite(dbscan_eps)) {
    return fmt::format("dbscan_eps is {:g}, but must be > 0", dbscan_eps);
  }
  if (dbscan_min_points < 1) return "dbscan_min_points is 0, but must be at least 1";
  if (max_points < 100)
    return fmt::format("max_points is {}, but must be at least 100", max_points);
  if (!(flag_difference > 0 && flag_difference <= 1)) {
    return fmt::format("flag_difference is {:g}, but must be in (0, 1]", flag_difference);
  }
  if (!(min_cluster_share >= 0 && min_cluster_share < 1)) {
    return fmt::format("min_cluster_share is {:g}, but must be in [0, 1)", min_cluster_share);
  }
  return {};
}

int gosh_clustering::assign(double estimate, double I2) const {
  const double x = (estimate - centre_e) / scale_e, y = (I2 - centre_i) / scale_i;
  switch (method) {
    case gosh_cluster_method::kmeans: {
      int best = -1;
      double bd = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < cx.size(); ++j) {
        const double d = (x - cx[j]) * (x - cx[j]) + (y - cy[j]) * (y - cy[j]);
        if (d < bd) {
          bd = d;
          best = static_cast<int>(j);
        }
      }
      return best;
    }
    case gosh_cluster_method::gmm: {
      int best = -1;
      double bp = -1;
      for (std::size_t j = 0; j < cx.size(); ++j) {
        const double p = weight[j] * gauss_density(x - cx[j], y - cy[j], sxx[j], sxy[j], syy[j]);
        if (p > bp) {
          bp = p;
          best = static_cast<int>(j);
        }
      }
      return best;
    }
    case gosh_cluster_method::dbscan: {
      const auto gx = static_cast<std::int64_t>(std::floor(x / eps));
      const auto gy = static_cast<std::int64_t>(std::floor(y / eps));
      int best = -1;
      double bd = eps * eps;
      for (std::int64_t a = gx - 1; a <= gx + 1; ++a) {
        for (std::int64_t b = gy - 1; b <= gy + 1; ++b) {
          const auto key = (static_cast<std::uint64_t>(a) << 32) ^
                           (static_cast<std::uint64_t>(b) & 0xffffffffull);
          auto it = grid.find(key);
          if (it == grid.end()) continue;
          for (auto j : it->second) {
            const double d = (x - cx[j]) * (x - cx[j]) + (y - cy[j]) * (y - cy[j]);
            if (d <= bd) {
              bd = d;
              best = core_label[j];
            }
          }
        }
      }
      return best;
    }
  }
  return -1;
}

const gosh_clustering& gosh_diagnostics::by(gosh_cluster_method m) const {
  switch (m) {
    case gosh_cluster_method::dbscan:
      return dbscan;
    case gosh_cluster_method::gmm:
      return gmm;
    case gosh_cluster_method::kmeans:
      break;
  }
  return kmeans;
}

std::vector<int> kmeans_lloyd(std::span<const double> x, std::span<const double> y,
                              std::vector<double>& cx, std::vector<double>& cy, int max_iter,
                              int* iterations) {
  const std::size_t n = x.size(), g = cx.size();
  std::vector<int> label(n, -1);
  std::vector<double> sx(g), sy(g);
  std::vector<std::size_t> cnt(g);
  int it = 0;
  for (; it < max_iter; ++it) {
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      int best = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < g; ++j) {
        const double d = (x[i] - cx[j]) * (x[i] - cx[j]) + (y[i] - cy[j]) * (y[i] - cy[j]);
        if (d < bd) {
          bd = d;
          best = static_cast<int>(j);
        }
      }
      if (label[i] != best) {
        label[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    std::fill(sx.begin(), sx.end(), 0.0);
    std::fill(sy.begin(), sy.end(), 0.0);
    std::fill(cnt.begin(), cnt.end(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto j = static_cast<std::size_t>(label[i]);
      sx[j] += x[i];
      sy[j] += y[i];
      ++cnt[j];
    }
    for (std::size_t j = 0; j < g; ++j) {
      if (cnt[j] == 0) continue;
      cx[j] = sx[j] / static_cast<double>(cnt[j]);
      cy[j] = sy[j] / static_cast<double>(cnt[j]);
    }
  }
  if (iterations) *iterations = it + 1;
  return label;
}

expected<gosh_diagnostics> diagnose_gosh(const gosh_sample& s, std::size_t k,
                                         const gosh_diagnostics_options& o) {
  if (auto msg = o.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  const std::size_t n = s.points();
  const std::size_t need = std::max({o.kmeans_clusters, o.gmm_components, std::size_t{2}});
  if (n < need) {
    return fail(
        errc::model_bad_options,
        fmt::format("GOSH diagnostics need at least {} fitted subsets, but there are {}", need, n));
  }
  gosh_diagnostics d;
  d.points = n;
  d.complete = s.complete;

  // z-scores over the sample (a constant coordinate keeps scale 1).
  double me = 0, mi = 0;
  for (std::size_t p = 0; p < n; ++p) {
    me += s.estimate[p];
    mi += s.I2[p];
  }
  me /= static_cast<double>(n);
  mi /= static_cast<double>(n);
  double ve = 0, vi = 0;
  for (std::size_t p = 0; p < n; ++p) {
    ve += (s.estimate[p] - me) * (s.estimate[p] - me);
    vi += (s.I2[p] - mi) * (s.I2[p] - mi);
  }
  const double se = ve > 0 ? std::sqrt(ve / static_cast<double>(n - 1)) : 1.0;
  const double si = vi > 0 ? std::sqrt(vi / static_cast<double>(n - 1)) : 1.0;
  std::vector<double> zx(n), zy(n);
  for (std::size_t p = 0; p < n; ++p) {
    zx[p] = (s.estimate[p] - me) / se;
    zy[p] = (s.I2[p] - mi) / si;
  }
  d.share.assign(k, 0);
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t w = 0; w < s.words; ++w) {
      for (std::uint64_t b = s.masks[p * s.words + w]; b != 0; b &= b - 1) {
        d.share[w * 64 + static_cast<std::size_t>(std::countr_zero(b))] += 1;
      }
    }
  }
  for (auto& v : d.share) v /= static_cast<double>(n);

  // The points clustered: all, or evenly spaced ones.
  std::vector<double> cxs, cys;
  const std::size_t step = (n + o.max_points - 1) / o.max_points;
  for (std::size_t p = 0; p < n; p += step) {
    cxs.push_back(zx[p]);
    cys.push_back(zy[p]);
  }
  d.clustered = cxs.size();
  if (step > 1) {
    d.notes.push_back(fmt::format(
        "the clusters were found from {} of the {} points (every {}th) and the others assigned to "
        "them",
        d.clustered, n, step));
  }
  auto init = [&](gosh_clustering& c, gosh_cluster_method m) {
    c.method = m;
    c.centre_e = me;
    c.scale_e = se;
    c.centre_i = mi;
    c.scale_i = si;
  };

  // k-means: Lloyd from k-means++ starts, the best of 5 seeded starts by within-cluster sum of
  // squares.
  {
    auto& c = d.kmeans;
    init(c, gosh_cluster_method::kmeans);
    const std::size_t g = std::min(o.kmeans_clusters, cxs.size());
    double best = std::numeric_limits<double>::infinity();
    for (std::uint64_t start = 0; start < 5; ++start) {
      std::vector<double> mx, my;
      kmeans_pp(cxs, cys, g, splitmix64(o.seed + start), mx, my);
      const auto lab = kmeans_lloyd(cxs, cys, mx, my, 100);
      double wss = 0;
      for (std::size_t p = 0; p < cxs.size(); ++p) {
        const auto j = static_cast<std::size_t>(lab[p]);
        wss += (cxs[p] - mx[j]) * (cxs[p] - mx[j]) + (cys[p] - my[j]) * (cys[p] - my[j]);
      }
      if (wss < best) {
        best = wss;
        c.cx = mx;
        c.cy = my;
      }
    }
  }

  // Gaussian mixture: EM from the k-means solution with g components, full covariances (a ridge
  // of 1e-6 keeps them positive definite), until the log-likelihood changes by less than 1e-8.
  {
    auto& c = d.gmm;
    init(c, gosh_cluster_method::gmm);
    const std::size_t g = std::min(o.gmm_components, cxs.size());
    const std::size_t m = cxs.size();
    std::vector<double> mx, my;
    kmeans_pp(cxs, cys, g, splitmix64(o.seed + 100), mx, my);
    const auto lab = kmeans_lloyd(cxs, cys, mx, my, 100);
    c.cx = mx;
    c.cy = my;
    c.weight.assign(g, 0);
    c.sxx.assign(g, 0);
    c.sxy.assign(g, 0);
    c.syy.assign(g, 0);
    constexpr double ridge = 1e-6;
    for (std::size_t p = 0; p < m; ++p) {
      const auto j = static_cast<std::size_t>(lab[p]);
      c.weight[j] += 1;
      c.sxx[j] += (cxs[p] - mx[j]) * (cxs[p] - mx[j]);
      c.sxy[j] += (cxs[p] - mx[j]) * (cys[p] - my[j]);
      c.syy[j] += (cys[p] - my[j]) * (cys[p] - my[j]);
    }
    for (std::size_t j = 0; j < g; ++j) {
      const double nj = std::max(c.weight[j], 1.0);
      c.sxx[j] = c.sxx[j] / nj + ridge;
      c.sxy[j] /= nj;
      c.syy[j] = c.syy[j] / nj + ridge;
      c.weight[j] = std::max(c.weight[j], 1.0) / static_cast<double>(m);
    }
    std::vector<double> resp(m * g);
    double ll_old = -std::numeric_limits<double>::infinity();
    int iter = 0;
    for (; iter < 500; ++iter) {
      double ll = 0;
      for (std::size_t p = 0; p < m; ++p) {
        double tot = 0;
        for (std::size_t j = 0; j < g; ++j) {
          const double v = c.weight[j] * gauss_density(cxs[p] - c.cx[j], cys[p] - c.cy[j], c.sxx[j],
                                                       c.sxy[j], c.syy[j]);
          resp[p * g + j] = v;
          tot += v;
        }
        tot = std::max(tot, std::numeric_limits<double>::min());
        for (std::size_t j = 0; j < g; ++j) resp[p * g + j] /= tot;
        ll += std::log(tot);
      }
      for (std::size_t j = 0; j < g; ++j) {
        double nj = 0, sx = 0, sy = 0;
        for (std::size_t p = 0; p < m; ++p) {
          nj += resp[p * g + j];
          sx += resp[p * g + j] * cxs[p];
          sy += resp[p * g + j] * cys[p];
        }
        if (nj < 1e-9) continue;  // an empty component keeps its parameters
        c.cx[j] = sx / nj;
        c.cy[j] = sy / nj;
        double a = 0, b = 0, e = 0;
        for (std::size_t p = 0; p < m; ++p) {
          const double dx = cxs[p] - c.cx[j], dy = cys[p] - c.cy[j];
          a += resp[p * g + j] * dx * dx;
          b += resp[p * g + j] * dx * dy;
          e += resp[p * g + j] * dy * dy;
        }
        c.sxx[j] = a / nj + ridge;
        c.sxy[j] = b / nj;
        c.syy[j] = e / nj + ridge;
        c.weight[j] = nj / static_cast<double>(m);
      }
      if (std::abs(ll - ll_old) <= 1e-8 * std::max(1.0, std::abs(ll))) break;
      ll_old = ll;
    }
    if (iter == 500) d.notes.push_back("the Gaussian mixture's EM stopped after 500 iterations");
  }

  // DBSCAN on the clustered points; its core points assign the others.
  {
    auto& c = d.dbscan;
    init(c, gosh_cluster_method::dbscan);
    c.eps = o.dbscan_eps;
    std::vector<char> core;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> all_grid;
    const auto lab = dbscan(cxs, cys, o.dbscan_eps, o.dbscan_min_points, core, all_grid);
    for (std::size_t p = 0; p < cxs.size(); ++p) {
      if (!core[p]) continue;
      c.grid[cell_key(cxs[p], cys[p], c.eps)].push_back(static_cast<std::uint32_t>(c.cx.size()));
      c.cx.push_back(cxs[p]);
      c.cy.push_back(cys[p]);
      c.core_label.push_back(lab[p]);
    }
  }

  for (auto* c : {&d.kmeans, &d.dbscan, &d.gmm}) {
    c->label.resize(n);
    for (std::size_t p = 0; p < n; ++p) c->label[p] = c->assign(s.estimate[p], s.I2[p]);
    summarise(*c, s, k, d.share, o);
  }
  for (std::size_t i = 0; i < k; ++i) {
    int votes = 0;
    for (const auto* c : {&d.kmeans, &d.dbscan, &d.gmm}) {
      votes += std::binary_search(c->flagged.begin(), c->flagged.end(), i) ? 1 : 0;
    }
    if (votes >= 2) d.flagged.push_back(i);
  }
  return d;
}

}  // namespace srma
