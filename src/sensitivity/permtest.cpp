// Permutation tests (metafor's permutest.rma.uni), parallel and with per-permutation RNG streams.
// Failed refits as metafor: left out of the exact test's p-values, drawn again in the random
// test; counted either way (permtest_result::failed).
#include "srma/sensitivity/permtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <thread>

#include "splitmix.hpp"
#include "srma/model/linear_model.hpp"
#include "srma/model/tau2.hpp"
#include "srma/util/check.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/parallel.hpp"

namespace srma {
namespace {

using detail::splitmix64;

// Statistics of one fit: intercept-only z/t, or per-coefficient z/t and QM.
struct fit_stats {
  std::vector<double> coef_stat;
  double qm = 0;
  bool fell_back = false;  // tau^2 came from a fallback estimator
};

// A random permutation whose refit fails is replaced by the next one of its own stream, at most
// this many times (metafor draws again without a limit).
constexpr int k_max_draws = 100;

double count_ge(const std::vector<double>& perm, double observed, double tol) {
  std::size_t n = 0, c = 0;
  for (double x : perm) {
    if (std::isnan(x)) continue;
    ++n;
    if (x >= observed - tol) ++c;
  }
  return n ? static_cast<double>(c) / static_cast<double>(n) : std::nan("");
}

// The z (or t) statistic of the intercept-only model on (y, v): the whole refit a permutation
// needs, without building a pool_result (allocation-free apart from the estimator's notes).
expected<double> intercept_statistic(std::span<const double> y, std::span<const double> v,
                                     const pool_options& options, bool common, bool& fell_back) {
  double tau2 = 0;
  if (!common && y.size() >= 2) {
    intercept_model m(y, v);
    auto est = estimate_tau2(m, options.tau2, options.control);
    if (!est) return unexpected(est.error());
    tau2 = est->tau2;
    fell_back = est->fell_back;
  }
  double sw = 0, swy = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double w = 1 / (v[i] + tau2);
    sw += w;
    swy += w * y[i];
  }
  const double mu = swy / sw;
  double var = 1 / sw;
  if (!common && options.ci == ci_method::hksj && y.size() >= 2) {
    double rss = 0;
    for (std::size_t i = 0; i < y.size(); ++i) rss += (y[i] - mu) * (y[i] - mu) / (v[i] + tau2);
    var *= rss <= std::numeric_limits<double>::epsilon() ? 0.0
                                                         : rss / static_cast<double>(y.size() - 1);
  }
  return mu / std::sqrt(var);
}

}  // namespace

std::string permtest_options::validate() const {
  if (iterations < 1) return "iterations is 0, but at least one permutation is needed";
  if (max_exact < 1) return "max_exact is 0, but must be at least 1";
  return {};
}

expected<permtest_result> permutation_test(std::span<const double> yi, std::span<const double> vi,
                                           const design_matrix* design, const pool_options& options,
                                           const permtest_options& perm) {
  // yi and vi of the whole table a design with dropped studies was built from: take its studies.
  std::vector<double> y_kept, v_kept;
  if (design && yi.size() != design->rows && !design->dropped.empty()) {
    if (auto ok = design_studies(yi, vi, *design, y_kept, v_kept); !ok)
      return unexpected(ok.error());
    yi = y_kept;
    vi = v_kept;
  }
  if (auto ok = check_effects(yi, vi); !ok) return unexpected(ok.error());
  if (auto msg = options.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  if (auto msg = perm.validate(); !msg.empty()) return fail(errc::model_bad_options, msg);
  const std::size_t k = yi.size();
  if (design && design->rows != k) {
    return fail(errc::input_length_mismatch,
                fmt::format("the design has {} rows for {} studies", design->rows, k));
  }
  if (k < 2)
    return fail(errc::model_too_few_studies, "a permutation test needs at least 2 studies");
  const bool common = options.model == model_choice::common;
  const std::size_t p = design ? design->cols() : 1;

  auto fit = [&](std::span<const double> y, const design_matrix* d) -> expected<fit_stats> {
    fit_stats s;
    if (!d) {
      auto z = intercept_statistic(y, vi, options, common, s.fell_back);
      if (!z) return unexpected(z.error());
      s.coef_stat = {*z};
    } else {
      auto r = metareg(y, vi, *d, options, metareg_output::coefficients);
      if (!r) return unexpected(r.error());
      for (const auto& c : r->coefficients) s.coef_stat.push_back(c.statistic);
      s.qm = r->QM.statistic;
      s.fell_back = !common && r->method != options.tau2;
    }
    return s;
  };

  auto observed = fit(yi, design);
  if (!observed) return unexpected(observed.error());

  // Distinct rows of the design: permuting identical rows gives the same data (metafor counts
  // distinct permutations of the multiset of rows for its exact test).
  std::vector<std::size_t> row_class(k, 0);
  double exact_count = 0;
  if (!design) {
    exact_count = std::ldexp(1.0, static_cast<int>(std::min<std::size_t>(k, 1000)));
  } else {
    std::map<std::vector<double>, std::size_t> classes;
    std::vector<double> mult;
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> row;
      for (std::size_t j = 0; j < p; ++j) row.push_back(design->at(i, j));
      auto [it, inserted] = classes.emplace(row, classes.size());
      row_class[i] = it->second;
    }
    // k! / prod(m_c!) in logs.
    double lg = std::lgamma(static_cast<double>(k) + 1);
    std::vector<double> counts(classes.size(), 0);
    for (auto c : row_class) counts[c] += 1;
    for (double m : counts) lg -= std::lgamma(m + 1);
    exact_count = std::round(std::exp(lg));
  }
  permtest_result out;
  out.seed = perm.seed;
  if (design) out.notes = design->notes;
  out.exact = perm.exact || exact_count <= static_cast<double>(perm.iterations);
  if (out.exact && exact_count > static_cast<double>(perm.max_exact)) {
    if (perm.exact) {
      return fail(errc::model_too_many_permutations,
                  fmt::format("an exact permutation test needs {:.3g} refits, more than the limit "
                              "of {}; use random permutations instead",
                              exact_count, perm.max_exact));
    }
    out.exact = false;
  }
  const std::size_t n = out.exact ? static_cast<std::size_t>(exact_count) : perm.iterations;
  out.iterations = n;

  // Enumerate exact row orders up front (distinct permutations of the class sequence).
  std::vector<std::vector<std::size_t>> orders;
  if (out.exact && design) {
    std::vector<std::size_t> seq(row_class);
    std::sort(seq.begin(), seq.end());
    do {
      orders.push_back(seq);
    } while (std::next_permutation(seq.begin(), seq.end()));
  }
  // Representative original row of each class, to rebuild designs from class sequences.
  std::vector<std::size_t> class_row;
  if (design) {
    class_row.assign(*std::max_element(row_class.begin(), row_class.end()) + 1, 0);
    for (std::size_t i = k; i-- > 0;) class_row[row_class[i]] = i;
  }

  std::vector<std::vector<double>> stats(n);
  std::vector<double> qm(n, std::nan(""));
  std::atomic<std::size_t> done{0}, failed{0}, fell_back{0};
  const auto caller = std::this_thread::get_id();
  auto last_report = std::chrono::steady_clock::now();
  detail::parallel_for(n, [&](std::size_t it) {
    std::vector<double> y(yi.begin(), yi.end());
    std::vector<std::size_t> rows(k);
    design_matrix d;
    if (design) d = *design;
    // Exact permutation `it`, or the observed data (it = 0 of a random test), or the next
    // random permutation of this stream.
    std::mt19937_64 rng(splitmix64(perm.seed ^ splitmix64(it)));
    const bool random = !out.exact && it > 0;
    auto next = [&] {
      if (!design) {
        y.assign(yi.begin(), yi.end());
        for (std::size_t i = 0; i < k; ++i) {
          const bool flip = out.exact ? ((it >> i) & 1u) != 0 : random && (rng() & 1u) != 0;
          if (flip) y[i] = -y[i];
        }
        return;
      }
      if (out.exact) {
        for (std::size_t i = 0; i < k; ++i) rows[i] = class_row[orders[it][i]];
      } else {
        std::iota(rows.begin(), rows.end(), 0);
        if (random) std::shuffle(rows.begin(), rows.end(), rng);
      }
      for (std::size_t j = 0; j < p; ++j)
        for (std::size_t i = 0; i < k; ++i) d.values[j * k + i] = design->at(rows[i], j);
    };
    for (int draw = 0; draw < (random ? k_max_draws : 1); ++draw) {
      next();
      auto r = fit(y, design ? &d : nullptr);
      if (r) {
        stats[it] = std::move(r->coef_stat);
        qm[it] = r->qm;
        if (r->fell_back) fell_back.fetch_add(1, std::memory_order_relaxed);
        break;
      }
      failed.fetch_add(1, std::memory_order_relaxed);
    }
    const std::size_t finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
    if (perm.progress && std::this_thread::get_id() == caller) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_report > std::chrono::milliseconds(100)) {
        last_report = now;
        perm.progress(finished, n);
      }
    }
  });
  if (perm.progress) perm.progress(n, n);

  out.failed = failed.load();
  out.fell_back = fell_back.load();
  out.used = static_cast<std::size_t>(
      std::count_if(stats.begin(), stats.end(), [](const auto& s) { return !s.empty(); }));
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  out.names = design ? design->names : std::vector<std::string>{"intercept"};
  for (std::size_t j = 0; j < p; ++j) {
    std::vector<double> col;
    for (const auto& s : stats) col.push_back(s.empty() ? std::nan("") : std::fabs(s[j]));
    out.coefficient_p.push_back(count_ge(col, std::fabs(observed->coef_stat[j]), tol));
  }
  if (design && p > 1) {
    out.observed_statistic = observed->qm;
    out.p = count_ge(qm, observed->qm, tol);
  } else {
    out.observed_statistic = observed->coef_stat[0];
    out.p = out.coefficient_p[0];
  }
  return out;
}

}  // namespace srma
