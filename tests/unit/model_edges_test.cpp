// Numerics at the edges (issue 15): pooling and every tau^2 estimator on data whose variances are
// far from 1 (1e-300 to 1e300), against metafor where metafor itself is right there, and by exact
// scale equivariance everywhere; and the check of the REML/ML likelihood for other maxima.
//
// Reference data: tests/validation/data/edges_*.csv, written by tools/make_reference_edges.R
// (metafor 3.8-1, metadat 1.2-0; its file comment gives every R call). Tolerances: 1e-6 relative
// (tol::estimate) against metafor for every estimator: the iterative ones (REML, ML, PM, EB) were
// run there with threshold = tol = 1e-12 c^2, so they agree to about 1e-10; scale equivariance is
// checked to 1e-9, since srma's tolerances scale with the data (tau2_control::rel_tol times the
// harmonic mean of v) and the paths at c and at 1 differ only by the rounding of y c and v c^2.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "srma/model/metareg.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/tau2.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

std::string data_path(const std::string& file) {
  return std::string(SRMA_TEST_DATA_DIR) + "/" + file;
}

// Splits one CSV line (double quotes around a field may hold commas; no doubled quotes here).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      out.push_back(field);
      field.clear();
    } else {
      field += ch;
    }
  }
  out.push_back(field);
  return out;
}

std::vector<std::vector<std::string>> read_rows(const std::string& file) {
  std::ifstream in(data_path(file));
  EXPECT_TRUE(in) << file;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(split_csv(line));
  }
  return rows;
}

double num(const std::string& s) {
  // strtod, not stod: stod throws on subnormal values (tiny154 has v = 1e-308).
  return s == "NA" ? std::numeric_limits<double>::quiet_NaN() : std::strtod(s.c_str(), nullptr);
}

struct dataset {
  std::vector<double> yi, vi;
};

dataset load(const std::string& name) {
  dataset d;
  for (const auto& r : read_rows("edges_" + name + ".csv")) {
    d.yi.push_back(num(r[1]));
    d.vi.push_back(num(r[2]));
  }
  return d;
}

// The data rescaled as in tools/make_reference_edges.R: yi * c and vi * c^2 (c^2 formed first, as
// R does, so the inputs are the same doubles).
dataset rescale(const dataset& d, double c) {
  dataset out;
  const double c2 = c * c;
  for (double y : d.yi) out.yi.push_back(y * c);
  for (double v : d.vi) out.vi.push_back(v * c2);
  return out;
}

// |a - e| <= rel * max(|e|, floor), NaN equals NaN (floor: the scale below which a value is 0).
::testing::AssertionResult close(double a, double e, double rel, double floor) {
  if (std::isnan(a) && std::isnan(e)) return ::testing::AssertionSuccess();
  const double scale = std::max(std::fabs(e), floor);
  if (std::fabs(a - e) <= rel * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << a << " vs expected " << e << " (rel "
                                       << std::fabs(a - e) / scale << " > " << rel << ")";
}

pool_options options_for(tau2_method m, bool hksj = false) {
  pool_options o;
  o.tau2 = m;
  o.ci = hksj ? ci_method::hksj : ci_method::z;
  return o;
}

expected<pool_result> fit(const dataset& d, tau2_method m, bool hksj = false) {
  return pool_effects(d.yi, d.vi, options_for(m, hksj), effect_measure::generic, std::nullopt);
}

// Every number of a pool_result at scale c equals the one at scale 1 times c^power.
void expect_equivariant(const pool_result& at_c, const pool_result& at_1, double c,
                        const std::string& what) {
  const double rel = 1e-9;
  const double c2 = c * c;
  // Values that are exactly 0 at scale 1 must be 0 (up to rounding at that scale) at scale c.
  const double f1 = 1e-12 * c, f2 = 1e-12 * c2;
  SCOPED_TRACE(what);
  EXPECT_TRUE(close(at_c.common.estimate, at_1.common.estimate * c, rel, f1));
  EXPECT_TRUE(close(at_c.common.se, at_1.common.se * c, rel, f1));
  EXPECT_TRUE(close(at_c.common.statistic, at_1.common.statistic, rel, 1e-12));
  EXPECT_TRUE(close(at_c.random.estimate, at_1.random.estimate * c, rel, f1));
  EXPECT_TRUE(close(at_c.random.se, at_1.random.se * c, rel, f1));
  EXPECT_TRUE(close(at_c.random.ci_lower, at_1.random.ci_lower * c, rel, f1));
  EXPECT_TRUE(close(at_c.random.ci_upper, at_1.random.ci_upper * c, rel, f1));
  EXPECT_TRUE(close(at_c.random.pi_lower, at_1.random.pi_lower * c, rel, f1));
  EXPECT_TRUE(close(at_c.random.pi_upper, at_1.random.pi_upper * c, rel, f1));
  EXPECT_TRUE(close(at_c.random.statistic, at_1.random.statistic, rel, 1e-12));
  EXPECT_TRUE(close(at_c.random.p, at_1.random.p, rel, 1e-300));
  const auto& h = at_c.heterogeneity;
  const auto& h1 = at_1.heterogeneity;
  EXPECT_TRUE(close(h.tau2, h1.tau2 * c2, rel, f2));
  EXPECT_TRUE(close(h.tau2_se, h1.tau2_se * c2, rel, f2));
  EXPECT_TRUE(close(h.tau2_ci_lower, h1.tau2_ci_lower * c2, rel, f2));
  EXPECT_TRUE(close(h.tau2_ci_upper, h1.tau2_ci_upper * c2, rel, f2));
  EXPECT_TRUE(close(h.typical_v, h1.typical_v * c2, rel, f2));
  EXPECT_TRUE(close(h.Q, h1.Q, rel, 1e-12));
  EXPECT_TRUE(close(h.p, h1.p, rel, 1e-300));
  EXPECT_TRUE(close(h.I2, h1.I2, rel, 1e-12));
  EXPECT_TRUE(close(h.H2, h1.H2, rel, 1e-12));
  EXPECT_TRUE(close(h.I2_tau2, h1.I2_tau2, rel, 1e-12));
  for (std::size_t i = 0; i < at_1.k; ++i) {
    EXPECT_TRUE(close(at_c.weight_common[i], at_1.weight_common[i], rel, 1e-12));
    EXPECT_TRUE(close(at_c.weight_random[i], at_1.weight_random[i], rel, 1e-12));
  }
  EXPECT_EQ(at_c.notes.size(), at_1.notes.size());
}

// Every row of edges_metafor.csv whose status is "ok": srma equals metafor 3.8-1's
// rma(yi * c, vi * c^2, method = M, control = list(threshold = 1e-12 c^2, tol = 1e-12 c^2,
// maxiter = 10000)) and rma(..., method = "EE") to 1e-6 (tol::estimate).
TEST(model_edges_test, matches_metafor_on_rescaled_and_tiny_variances) {
  std::map<std::string, dataset> sets;
  int compared = 0;
  for (const auto& row : read_rows("edges_metafor.csv")) {
    if (row[3] != "ok") continue;
    const std::string& name = row[0];
    if (!sets.count(name)) sets[name] = load(name);
    const double c = num(row[1]);
    const auto m = parse_tau2_method(row[2]);
    ASSERT_TRUE(m) << row[2];
    const auto d = rescale(sets[name], c);
    auto r = fit(d, *m);
    ASSERT_TRUE(r) << r.error().what();
    SCOPED_TRACE(name + " c = " + row[1] + " " + row[2]);
    const double rel = test::tol::estimate;
    EXPECT_TRUE(close(r->random.estimate, num(row[4]), rel, 1e-10 * c));
    EXPECT_TRUE(close(r->random.se, num(row[5]), rel, 1e-10 * c));
    EXPECT_TRUE(close(r->heterogeneity.tau2, num(row[6]), rel, 1e-10 * c * c));
    EXPECT_TRUE(close(r->heterogeneity.Q, num(row[7]), rel, 1e-10));
    EXPECT_TRUE(close(r->heterogeneity.I2_tau2, num(row[8]), rel, 1e-10));
    EXPECT_TRUE(close(r->common.estimate, num(row[9]), rel, 1e-10 * c));
    EXPECT_TRUE(close(r->common.se, num(row[10]), rel, 1e-10 * c));
    ++compared;
  }
  // 2 data sets x 7 scales x 8 estimators + tiny154, tiny100, bimodal x 8, less the 27 rows
  // where metafor fails (next test) and bimodal REML (metafor's local maximum; tested below).
  EXPECT_EQ(compared, 112 + 24 - 27 - 1);
}

// Where metafor is not scale equivariant (its REML, ML and EB on rescaled dat.bcg and
// dat.hackshaw1998, and HS on tiny154: sum w overflows), srma at scale c equals srma at scale 1
// rescaled, and on tiny154 it equals srma on tiny100 (the true values agree to about 1e-199).
TEST(model_edges_test, where_metafor_overflows_srma_is_scale_equivariant) {
  int checked = 0;
  for (const auto& row : read_rows("edges_metafor.csv")) {
    if (row[3] == "ok" || row[3] == "local_maximum") continue;
    EXPECT_EQ(row[3], "not_scale_equivariant");
    const std::string& name = row[0];
    const double c = num(row[1]);
    const auto m = parse_tau2_method(row[2]);
    ASSERT_TRUE(m);
    SCOPED_TRACE(name + " c = " + row[1] + " " + row[2]);
    if (name == "tiny154") {
      auto r = fit(load("tiny154"), *m);
      auto r100 = fit(load("tiny100"), *m);
      ASSERT_TRUE(r && r100);
      EXPECT_TRUE(close(r->heterogeneity.tau2, r100->heterogeneity.tau2, 1e-12, 1e-300));
      EXPECT_TRUE(close(r->random.estimate, r100->random.estimate, 1e-12, 1e-300));
      EXPECT_TRUE(close(r->random.se, r100->random.se, 1e-12, 1e-300));
      EXPECT_TRUE(close(r->heterogeneity.I2_tau2, r100->heterogeneity.I2_tau2, 1e-12, 1e-300));
      // metafor's HS at tiny100 (a row of the previous test): tau2 = 0.0301159766...
      EXPECT_GT(r->heterogeneity.tau2, 0.03);
    } else {
      const auto base = load(name);
      auto at_c = fit(rescale(base, c), *m);
      auto at_1 = fit(base, *m);
      ASSERT_TRUE(at_c && at_1);
      expect_equivariant(*at_c, *at_1, c, name);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 27);
}

// Scale equivariance over c = 1e-150, 1e-140, ..., 1e150 for every estimator, Wald and HKSJ:
// tau^2 and its CI scale by c^2, the estimates, SEs and intervals by c, and Q, I^2, H^2, z, p and
// the weights do not change.
TEST(model_edges_test, every_estimator_is_scale_equivariant_from_1e_150_to_1e150) {
  for (const std::string name : {"bcg", "hackshaw1998", "bimodal", "tiny100"}) {
    const auto base = load(name);
    for (tau2_method m : all_tau2_methods()) {
      for (bool hksj : {false, true}) {
        auto at_1 = fit(base, m, hksj);
        ASSERT_TRUE(at_1) << at_1.error().what();
        for (int e = -150; e <= 150; e += 10) {
          if (e == 0) continue;
          const double c = std::pow(10.0, e);
          // Only where every v c^2 is a normal double (tiny100's v = 1e-200 leave it for
          // c < 1e-50).
          const auto d = rescale(base, c);
          bool normal = true;
          for (double v : d.vi) normal = normal && std::isnormal(v) && v < 1e305;
          if (!normal) continue;
          auto at_c = fit(d, m, hksj);
          ASSERT_TRUE(at_c) << at_c.error().what();
          expect_equivariant(*at_c, *at_1, c,
                             name + " " + std::string(tau2_method_code(m)) + " c = 1e" +
                                 std::to_string(e) + (hksj ? " HKSJ" : ""));
        }
      }
    }
  }
}

// The example of issue 15: standard errors near 1e-154 (variances near 1e-308, weights near
// 1e308). Before, DL printed "0.00 [0.00, 0.00]", z = NA and I2 = Inf%. metafor 3.8-1,
// rma(yi, sei = sei, method = "DL") with sei = c(1, 2, 1.5, 3) * 1e-154: tau2 =
// 0.049394409937888212, estimate 0.17499999999999996, se 0.11112426595695492, QE
// = 5.437606837606837e+306, I2 = 100.
TEST(model_edges_test, standard_errors_near_1e_154_do_not_overflow_the_weights) {
  auto r = fit(load("tiny154"), tau2_method::dl);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_REL(r->heterogeneity.tau2, 0.049394409937888212, 1e-9);
  EXPECT_REL(r->random.estimate, 0.17499999999999996, 1e-9);
  EXPECT_REL(r->random.se, 0.11112426595695492, 1e-9);
  EXPECT_REL(r->heterogeneity.Q, 5.437606837606837e+306, 1e-9);
  EXPECT_EQ(r->heterogeneity.I2, 100.0);
  EXPECT_TRUE(std::isfinite(r->common.statistic));
  EXPECT_TRUE(std::isfinite(r->heterogeneity.tau2_ci_upper));
  double sum = 0;
  for (double w : r->weight_common) sum += w;
  EXPECT_REL(sum, 100.0, 1e-12);
}

// Variances spanning 1e-300 to 1e300 in one data set: every estimator gives finite results, and
// the studies with v = 1e300 get weight 0 in the common-effect fit (its estimate is that of the
// other three; sum w y / sum w with w = 1/v by hand: (0.1 + 0.5 / 4 + 0.3 / 2.25) / (1 + 1/4 +
// 1/2.25) = 0.19606557...).
TEST(model_edges_test, variances_from_1e_300_to_1e300_give_finite_results) {
  const std::vector<double> yi = {0.1, 0.5, 0.3, 1e140, -2e140};
  const std::vector<double> vi = {1e-300, 4e-300, 2.25e-300, 1e300, 3e300};
  for (tau2_method m : all_tau2_methods()) {
    auto r = pool_effects(yi, vi, options_for(m), effect_measure::generic, std::nullopt);
    ASSERT_TRUE(r) << tau2_method_code(m) << ": " << r.error().what();
    SCOPED_TRACE(std::string(tau2_method_code(m)));
    EXPECT_REL(r->common.estimate, (0.1 + 0.5 / 4 + 0.3 / 2.25) / (1 + 1 / 4.0 + 1 / 2.25), 1e-12);
    for (double x : {r->random.estimate, r->random.se, r->heterogeneity.tau2,
                     r->heterogeneity.tau2_se, r->heterogeneity.I2, r->heterogeneity.I2_tau2,
                     r->random.pi_lower, r->random.pi_upper, r->heterogeneity.tau2_ci_upper}) {
      EXPECT_TRUE(std::isfinite(x)) << x;
    }
    EXPECT_GE(r->heterogeneity.I2, 0.0);
    EXPECT_LE(r->heterogeneity.I2, 100.0);
  }
}

// The bimodal example (tests/validation/data/edges_bimodal.csv): five precise studies (v = 0.01)
// and three imprecise ones far apart. Its REML likelihood has two local maxima, at tau^2 =
// 0.020032284434514273 (log-likelihood -12.34018396076881, the larger) and 0.63309939280169214
// (-12.767814800177566) (R's uniroot() on the REML score between grid neighbours, tol = 1e-16;
// edges_bimodal_maxima.csv); metafor 3.8-1's rma(yi, vi, method = "REML") converges to the lower
// one, 0.63309939280431093.
TEST(model_edges_test, reml_returns_the_global_maximum_and_warns_of_the_other) {
  const auto d = load("bimodal");
  auto e = estimate_tau2(d.yi, d.vi, tau2_method::reml);
  ASSERT_TRUE(e) << e.error().what();
  EXPECT_REL(e->tau2, 0.020032284434514273, 1e-9);
  EXPECT_TRUE(e->moved_to_global_maximum);
  EXPECT_EQ(e->likelihood_maxima, 2);
  ASSERT_EQ(e->notes.size(), 2u);
  EXPECT_EQ(e->notes[0],
            "REML scoring converged to a local maximum at tau^2 = 0.633099 (log-likelihood "
            "-12.767815); the likelihood is higher at tau^2 = 0.0200323 (-12.340184), so tau^2 = "
            "0.0200323");
  EXPECT_EQ(e->notes[1],
            "the REML likelihood has 2 local maxima; the largest is at tau^2 = 0.0200323 "
            "(log-likelihood -12.340184); the other at tau^2 = 0.633099 (log-likelihood "
            "-12.767815)");
  // Without the check: metafor's answer, the lower maximum.
  auto plain = estimate_tau2(d.yi, d.vi, tau2_method::reml, {.profile_points = 0});
  ASSERT_TRUE(plain);
  EXPECT_REL(plain->tau2, 0.63309939280431093, 1e-8);
  EXPECT_TRUE(plain->notes.empty());
  // pool() carries both notes (the CLI prints them, --json lists them under "notes").
  auto r = fit(d, tau2_method::reml);
  ASSERT_TRUE(r);
  EXPECT_REL(r->heterogeneity.tau2, 0.020032284434514273, 1e-9);
  ASSERT_GE(r->notes.size(), 2u);
  EXPECT_EQ(r->notes[1], e->notes[1]);
}

// The same at the edges of the range: the check and the move scale with the data.
TEST(model_edges_test, the_bimodal_check_is_scale_equivariant) {
  const auto base = load("bimodal");
  for (double c : {1e-150, 1e-50, 1e50, 1e150}) {
    const auto d = rescale(base, c);
    auto e = estimate_tau2(d.yi, d.vi, tau2_method::reml);
    ASSERT_TRUE(e);
    EXPECT_TRUE(close(e->tau2, 0.020032284434514273 * c * c, 1e-9, 0)) << c;
    EXPECT_EQ(e->likelihood_maxima, 2) << c;
  }
}

// A unimodal likelihood gives no note: dat.bcg (REML and ML) and dat.hackshaw1998.
TEST(model_edges_test, a_unimodal_likelihood_gives_no_note) {
  for (const std::string name : {"bcg", "hackshaw1998"}) {
    const auto d = load(name);
    for (tau2_method m : {tau2_method::reml, tau2_method::ml}) {
      auto e = estimate_tau2(d.yi, d.vi, m);
      ASSERT_TRUE(e);
      EXPECT_EQ(e->likelihood_maxima, 1) << name;
      EXPECT_FALSE(e->moved_to_global_maximum);
      EXPECT_TRUE(e->notes.empty()) << name;
    }
  }
}

// The metafor-example of a maximum on the boundary plus one inside: y = (-1.02, -1.06, -2.82,
// 0.02, -0.57), v = (0.06, 0.013, 0.41, 1, 0.23). metafor 3.8-1 rma(method = "REML") warns
// "Fisher scoring algorithm may have gotten stuck at a local maximum. Setting tau^2 = 0."; the
// other maximum is at tau^2 = 0.311104978006 (optimize(), tol = 1e-12, on the grid neighbours).
TEST(model_edges_test, a_maximum_at_zero_and_one_inside_are_both_reported) {
  const std::vector<double> y = {-1.02, -1.06, -2.82, 0.02, -0.57};
  const std::vector<double> v = {0.060, 0.013, 0.410, 1.000, 0.230};
  auto e = estimate_tau2(y, v, tau2_method::reml);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->tau2, 0.0);
  EXPECT_TRUE(e->at_zero_by_ll_check);
  EXPECT_EQ(e->likelihood_maxima, 2);
  ASSERT_EQ(e->notes.size(), 2u);
  EXPECT_NE(e->notes[1].find("the REML likelihood has 2 local maxima; the largest is at tau^2 = "
                             "0 "),
            std::string::npos)
      << e->notes[1];
  EXPECT_NE(e->notes[1].find("the other at tau^2 = 0.311105"), std::string::npos) << e->notes[1];
}

// A meta-regression whose REML likelihood has two maxima (tools/make_reference_bimodal_metareg.R:
// the bimodal studies with a moderator x; optimize() on metafor's log-likelihood at fixed tau^2
// between grid neighbours: 0.016342258643580989 (-10.683686804933483) and 0.82555591146241036
// (-10.328200272811722, the larger, which metafor's REML also finds: 0.82555589917759276). The
// scan of the design [1, x] runs in one pass over the studies (regression_model::line_scores):
// it must find both, at any scale, and give the same as a design the closed form does not take
// ([x, 1]: the QR path, point by point).
TEST(model_edges_test, a_bimodal_meta_regression_is_found_by_the_scan) {
  std::vector<double> yi, vi, xv;
  for (const auto& r : read_rows("edges_bimodal_metareg.csv")) {
    yi.push_back(num(r[1]));
    vi.push_back(num(r[2]));
    xv.push_back(num(r[3]));
  }
  std::map<std::string, std::vector<double>> ref;
  for (const auto& r : read_rows("edges_bimodal_metareg_maxima.csv")) {
    ref[r[0]].push_back(num(r[1]));
  }
  ASSERT_EQ(ref["maximum"].size(), 2u);
  const std::size_t k = yi.size();
  for (bool swapped : {false, true}) {
    design_matrix x;
    x.rows = k;
    x.names = swapped ? std::vector<std::string>{"x", "intercept"}
                      : std::vector<std::string>{"intercept", "x"};
    for (int c = 0; c < 2; ++c) {
      for (std::size_t i = 0; i < k; ++i) x.values.push_back((c == 0) != swapped ? 1.0 : xv[i]);
    }
    for (std::size_t i = 0; i < k; ++i) x.used.push_back(i);
    for (double c : {1.0, 1e-100, 1e100}) {
      SCOPED_TRACE(fmt::format("{} c = {}", swapped ? "[x, 1]" : "[1, x]", c));
      std::vector<double> y, v;
      for (std::size_t i = 0; i < k; ++i) {
        y.push_back(yi[i] * c);
        v.push_back(vi[i] * (c * c));
      }
      auto r = metareg(y, v, x, options_for(tau2_method::reml));
      ASSERT_TRUE(r) << r.error().what();
      EXPECT_TRUE(close(r->tau2, ref["maximum"][1] * c * c, 1e-7, 0));
      EXPECT_TRUE(close(r->tau2, ref["metafor_reml"][0] * c * c, 1e-7, 0));
      bool noted = false;
      for (const auto& n : r->notes) {
        if (n.find("REML likelihood has 2 local maxima") != std::string::npos) {
          noted = true;
          EXPECT_NE(n.find(fmt::format("{:.6g}", ref["maximum"][0] * c * c)), std::string::npos)
              << n;
        }
      }
      EXPECT_TRUE(noted) << fmt::format("{}", fmt::join(r->notes, " | "));
    }
  }
}

// Meta-regression at the edges: dat.bcg's log risk ratios on a moderator equal to
// the study's index (an arbitrary design), rescaled by c: coefficients and their SEs scale by c,
// QE, QM, I^2, z and p do not change, tau^2 scales by c^2 (the fit uses weights s / (v + tau^2),
// src/model/metareg.cpp).
TEST(model_edges_test, meta_regression_is_scale_equivariant) {
  const auto base = load("bcg");
  const std::size_t k = base.yi.size();
  design_matrix x;
  x.rows = k;
  x.names = {"intercept", "index"};
  x.values.assign(k, 1.0);
  for (std::size_t i = 0; i < k; ++i) x.values.push_back(static_cast<double>(i));
  for (std::size_t i = 0; i < k; ++i) x.used.push_back(i);
  for (tau2_method m : {tau2_method::reml, tau2_method::dl, tau2_method::pm}) {
    for (bool hksj : {false, true}) {
      auto at_1 = metareg(base.yi, base.vi, x, options_for(m, hksj));
      ASSERT_TRUE(at_1) << at_1.error().what();
      for (double c : {1e-150, 1e-100, 1e100, 1e150}) {
        const auto d = rescale(base, c);
        auto at_c = metareg(d.yi, d.vi, x, options_for(m, hksj));
        ASSERT_TRUE(at_c) << at_c.error().what();
        SCOPED_TRACE(std::string(tau2_method_code(m)) + (hksj ? " HKSJ" : "") +
                     " c = " + std::to_string(std::log10(c)));
        for (std::size_t j = 0; j < 2; ++j) {
          const auto& a = at_c->coefficients[j];
          const auto& b = at_1->coefficients[j];
          EXPECT_TRUE(close(a.estimate, b.estimate * c, 1e-9, 1e-12 * c));
          EXPECT_TRUE(close(a.se, b.se * c, 1e-9, 1e-12 * c));
          EXPECT_TRUE(close(a.statistic, b.statistic, 1e-9, 1e-12));
          EXPECT_TRUE(close(a.p, b.p, 1e-9, 1e-300));
        }
        EXPECT_TRUE(close(at_c->QE, at_1->QE, 1e-9, 1e-12));
        EXPECT_TRUE(close(at_c->QM.statistic, at_1->QM.statistic, 1e-9, 1e-12));
        EXPECT_TRUE(close(at_c->I2, at_1->I2, 1e-9, 1e-12));
        EXPECT_TRUE(close(at_c->I2_tau2, at_1->I2_tau2, 1e-9, 1e-12));
        EXPECT_TRUE(close(at_c->tau2, at_1->tau2 * c * c, 1e-9, 1e-12 * c * c));
      }
    }
  }
}

TEST(model_edges_test, profile_points_are_validated) {
  EXPECT_EQ(tau2_control{.profile_points = 3}.validate(),
            "profile_points is 3, but must be 0 (no check) or from 8 to 10000");
  EXPECT_EQ(tau2_control{.profile_points = 0}.validate(), "");
}

}  // namespace
}  // namespace srma
