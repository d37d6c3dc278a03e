// Refits that fail never abort an analysis (issue 12 item 1): leave-one-out, cumulative,
// influence, permutation tests and GOSH give a failed refit NaN (NA) with a note naming the row,
// and count it; permutation tests say what their p-values are computed over.
//
// Failures are provoked with a tight iteration limit and no fallback estimator. The oracle of each
// test is independent of the analysis: a row must be NA exactly when the same fit, done directly
// with estimate_tau2() or metareg() on that row's studies, fails.
//
// Data: the first 8 trials of metadat's dat.nielweise2007 as log odds ratios (escalc(measure =
// "OR"), metafor 3.8-1, sprintf("%.17g")) and their total sample sizes n1i + n2i.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "srma/model/metareg.hpp"
#include "srma/model/tau2.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"
#include "srma/sensitivity/cumulative.hpp"
#include "srma/sensitivity/gosh.hpp"
#include "srma/sensitivity/influence.hpp"
#include "srma/sensitivity/leave1out.hpp"
#include "srma/sensitivity/permtest.hpp"

namespace srma {
namespace {

const std::vector<double> y8 = {-1.9632265990667737, -1.3940765015619454,  -1.6062068918526542,
                                -2.715742546725366,  -0.14864834168736696, -1.055730561184844,
                                -1.0928485839513593, -1.372688709064112};
const std::vector<double> v8 = {2.3030316011555585, 1.3878391472868217,  0.62134182412917149,
                                2.1487181763043832, 0.38013849829145119, 1.2677166857579227,
                                1.3448608065909242, 1.5407256571640133};
const std::vector<double> n8 = {233, 79, 403, 266, 308, 237, 351, 113};

study_table studies8() {
  return make_study_table(y8, v8,
                          {"Bach", "George", "Maki", "Raad", "Heard", "Collin", "Hannan", "Marik"})
      .value();
}

// ML with at most 8 iterations and no fallback: the fit of all 8 trials converges, some refits
// do not (found by trying; the tests below do not depend on which).
pool_options tight(tau2_method m, int max_iter) {
  pool_options o = preset_options(preset::metafor);
  o.model = model_choice::random;
  o.tau2 = m;
  o.control.max_iter = max_iter;
  o.control.fallback = {};
  return o;
}

bool fits(std::span<const double> y, std::span<const double> v, const pool_options& o) {
  return y.size() < 2 || estimate_tau2(y, v, o.tau2, o.control).has_value();
}

TEST(refit_failure_test, leave1out_gives_failed_refits_na_rows_with_notes) {
  const auto o = tight(tau2_method::ml, 8);
  auto r = leave1out(studies8(), o);
  ASSERT_TRUE(r) << r.error().what();
  ASSERT_EQ(r->rows.size(), 8u);
  std::size_t expected_failed = 0;
  std::vector<std::string> failed_labels;
  for (std::size_t i = 0; i < 8; ++i) {
    std::vector<double> y, v;
    for (std::size_t j = 0; j < 8; ++j) {
      if (j == i) continue;
      y.push_back(y8[j]);
      v.push_back(v8[j]);
    }
    const bool ok = fits(y, v, o);
    const auto& row = r->rows[i];
    EXPECT_EQ(row.fitted, ok) << "row " << i + 1;
    EXPECT_EQ(row.k, 7u);
    EXPECT_EQ(std::isnan(row.estimate.estimate), !ok);
    EXPECT_EQ(std::isnan(row.tau2), !ok);
    if (!ok) {
      ++expected_failed;
      failed_labels.push_back(row.label);
    }
  }
  ASSERT_GT(expected_failed, 0u) << "no refit failed: pick a tighter iteration limit";
  EXPECT_EQ(r->failed, expected_failed);
  ASSERT_EQ(r->notes.size(), expected_failed);
  EXPECT_EQ(r->notes[0].rfind("without '" + failed_labels[0] + "' (row ", 0), 0u) << r->notes[0];
  EXPECT_NE(r->notes[0].find("the refit failed, so its row is NA: [srma.model.E303]"),
            std::string::npos);
  // JSON: fitted false and null numbers; the text report says NA and prints the notes.
  const auto j = to_json(*r);
  EXPECT_EQ(j.at("failed"), expected_failed);
  bool seen_null = false;
  for (const auto& row : j.at("leave1out")) {
    if (row.at("fitted") == false) {
      EXPECT_TRUE(row.at("estimate").is_null());
      EXPECT_TRUE(row.at("tau2").is_null());
      seen_null = true;
    }
  }
  EXPECT_TRUE(seen_null);
  const std::string text = full_report(*r);
  EXPECT_NE(text.find("[NA, NA]"), std::string::npos) << text;
  EXPECT_NE(text.find("Note: without '" + failed_labels[0] + "'"), std::string::npos) << text;
}

TEST(refit_failure_test, cumulative_gives_failed_refits_na_rows_with_notes) {
  const auto o = tight(tau2_method::ml, 8);
  auto r = cumulative(studies8(), "", o);
  ASSERT_TRUE(r) << r.error().what();
  ASSERT_EQ(r->rows.size(), 8u);
  std::size_t expected_failed = 0;
  for (std::size_t j = 0; j < 8; ++j) {
    const std::span<const double> y(y8.data(), j + 1), v(v8.data(), j + 1);
    const bool ok = fits(y, v, o);
    EXPECT_EQ(r->rows[j].fitted, ok) << "step " << j + 1;
    EXPECT_EQ(r->rows[j].k, j + 1);
    EXPECT_EQ(std::isnan(r->rows[j].estimate.p), !ok);
    if (!ok) ++expected_failed;
  }
  ASSERT_GT(expected_failed, 0u);
  EXPECT_EQ(r->failed, expected_failed);
  ASSERT_EQ(r->notes.size(), expected_failed);
  EXPECT_NE(r->notes[0].find("(step "), std::string::npos) << r->notes[0];
}

// Without the limit nothing fails, and a refit that needed the fallback says so.
TEST(refit_failure_test, a_fallback_in_a_refit_is_named) {
  pool_options o = tight(tau2_method::ml, 8);
  o.control.fallback = {tau2_method::dl};
  auto r = cumulative(studies8(), "", o);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->failed, 0u);
  std::size_t fell_back = 0;
  for (const auto& row : r->rows) fell_back += row.method == tau2_method::dl ? 1 : 0;
  ASSERT_GT(fell_back, 0u);
  ASSERT_EQ(r->notes.size(), fell_back);
  EXPECT_NE(r->notes[0].find("tau^2 is estimated by DL instead (the fallback)"), std::string::npos)
      << r->notes[0];
}

TEST(refit_failure_test, influence_gives_failed_fits_na_diagnostics) {
  const auto o = tight(tau2_method::ml, 8);
  auto r = influence(studies8(), o);
  ASSERT_TRUE(r) << r.error().what();
  std::size_t failed = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const auto& s = r->studies[i];
    EXPECT_EQ(std::isnan(s.rstudent), !s.fitted);
    EXPECT_EQ(std::isnan(s.cook_d), !s.fitted);
    EXPECT_FALSE(std::isnan(s.hat));     // from the full fit
    EXPECT_FALSE(std::isnan(s.weight));  // from the full fit
    failed += s.fitted ? 0 : 1;
  }
  EXPECT_GT(failed, 0u);
  EXPECT_EQ(r->failed, failed);
  EXPECT_EQ(r->notes.size(), failed);
  EXPECT_EQ(to_json(*r).at("failed"), failed);
}

// The common-effect model needs no tau^2: its refits cannot fail for want of convergence.
TEST(refit_failure_test, common_effect_refits_do_not_estimate_tau2) {
  pool_options o = tight(tau2_method::ml, 8);
  o.model = model_choice::common;
  auto r = cumulative(studies8(), "", o);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->failed, 0u);
  for (const auto& row : r->rows) EXPECT_EQ(row.tau2, 0.0);
}

// Exact test on 6 trials regressed on n (6! = 720 orders), REML with at most 24 iterations: the
// observed fit converges, some permutations do not. As metafor's permutest (mean(..., na.rm =
// TRUE)) they are left out of the p-values, which are over the others; the test recomputes them.
TEST(refit_failure_test, exact_permutation_test_counts_failed_refits) {
  const std::size_t k = 6;
  const std::vector<double> y(y8.begin(), y8.begin() + k), v(v8.begin(), v8.begin() + k);
  design_matrix d;
  d.rows = k;
  d.names = {"intercept", "n"};
  d.values.assign(k, 1.0);
  d.values.insert(d.values.end(), n8.begin(), n8.begin() + k);
  const pool_options o = tight(tau2_method::reml, 24);
  auto r = permutation_test(y, v, &d, o, {.exact = true});
  ASSERT_TRUE(r) << r.error().what();

  // Independent recount: every order of the moderator, fitted with metareg().
  auto observed = metareg(y, v, d, o);
  ASSERT_TRUE(observed);
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::size_t total = 0, failed = 0, reach = 0;
  do {
    design_matrix p = d;
    for (std::size_t i = 0; i < k; ++i) p.values[k + i] = n8[order[i]];
    ++total;
    auto f = metareg(y, v, p, o);
    if (!f) {
      ++failed;
      continue;
    }
    if (f->QM.statistic >= observed->QM.statistic - tol) ++reach;
  } while (std::next_permutation(order.begin(), order.end()));
  ASSERT_GT(failed, 0u) << "no refit failed: pick a tighter iteration limit";
  EXPECT_EQ(r->iterations, total);
  EXPECT_EQ(r->failed, failed);
  EXPECT_EQ(r->used, total - failed);
  EXPECT_DOUBLE_EQ(r->p, static_cast<double>(reach) / static_cast<double>(total - failed));
  const std::string text = full_report(*r);
  EXPECT_NE(text.find(std::to_string(failed) +
                      " of the 720 refits failed and are left out: the "
                      "p-values are over the " +
                      std::to_string(total - failed) + " permutations whose refit succeeded"),
            std::string::npos)
      << text;
  const auto j = to_json(*r);
  EXPECT_EQ(j.at("failed"), failed);
  EXPECT_EQ(j.at("used"), total - failed);
}

// Random test: as metafor, a permutation whose refit fails is replaced by a new random one, so
// the p-values stay over all `iterations`; the failures are counted.
TEST(refit_failure_test, random_permutation_test_redraws_failed_refits) {
  const std::size_t k = 6;
  const std::vector<double> y(y8.begin(), y8.begin() + k), v(v8.begin(), v8.begin() + k);
  design_matrix d;
  d.rows = k;
  d.names = {"intercept", "n"};
  d.values.assign(k, 1.0);
  d.values.insert(d.values.end(), n8.begin(), n8.begin() + k);
  permtest_options p;
  p.iterations = 200;
  p.seed = 3;
  auto r = permutation_test(y, v, &d, tight(tau2_method::reml, 24), p);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_FALSE(r->exact);
  EXPECT_GT(r->failed, 0u);
  EXPECT_EQ(r->used, 200u);
  EXPECT_EQ(r->iterations, 200u);
  EXPECT_NE(full_report(*r).find("replaced by new random permutations: the p-values are over 200 "
                                 "permutations"),
            std::string::npos)
      << full_report(*r);
  // Same seed, no failures possible: the draws that did not fail are the same permutations.
  auto clean = permutation_test(y, v, &d, tight(tau2_method::reml, 1000), p);
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->failed, 0u);
}

// GOSH: failed fits stay NaN (as metafor's gosh()), are counted, and the first is named.
TEST(refit_failure_test, gosh_counts_failed_fits) {
  const auto o = tight(tau2_method::reml, 10);
  auto g = gosh(y8, v8, o);
  ASSERT_TRUE(g) << g.error().what();
  std::size_t failed = 0;
  for (std::size_t s = 0; s < g->subsets(); ++s) {
    std::vector<double> y, v;
    for (std::size_t i = 0; i < 8; ++i) {
      if (!g->contains(s, i)) continue;
      y.push_back(y8[i]);
      v.push_back(v8[i]);
    }
    const bool ok = fits(y, v, o);
    EXPECT_EQ(std::isnan(g->estimate[s]), !ok) << "subset " << s;
    failed += ok ? 0 : 1;
  }
  ASSERT_GT(failed, 0u);
  EXPECT_EQ(g->failed, failed);
  ASSERT_FALSE(g->notes.empty());
  EXPECT_EQ(g->notes[0].rfind(std::to_string(failed) + " of 255 fits failed and are NaN", 0), 0u)
      << g->notes[0];
}

}  // namespace
}  // namespace srma
