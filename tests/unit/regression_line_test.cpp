// The closed form of the design [1, x] in regression_model (src/model/regression_model.hpp:
// Gram-Schmidt on two columns, centred sums) against the Householder QR path it replaces for
// that design. The QR path is reached by giving the same design with its columns swapped, [x, 1]:
// the projection P, and so every functional, does not depend on the order of the columns. Compared
// at 1e-10 relative to the magnitude of each quantity: every functional at several tau^2 (with the
// V terms), the unweighted fit, log det X'WX, and tau^2 by every estimator; on random designs,
// an uncentred year moderator with one study a thousand times more precise than the rest (the
// case that made the QR necessary: the normal equations lost 5 digits there), and a moderator
// that is nearly constant (1 + 1e-6 u, condition number about 1e6: without its second centring
// the closed form's Fisher scoring did not converge there; at 1 + 1e-8 u the two paths differ by
// about 1e-9, the error of either, 1e-16 times the condition number).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "model/regression_model.hpp"
#include "srma/model/tau2.hpp"

namespace srma {
namespace {

::testing::AssertionResult close(double a, double b, double unit, const std::string& what) {
  const double scale = std::max({std::fabs(a), std::fabs(b), unit});
  if (std::fabs(a - b) <= 1e-10 * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": " << a << " vs " << b << " (diff "
                                       << std::fabs(a - b) << ", scale " << scale << ")";
}

struct design {
  std::vector<double> y, v, x;
};

Eigen::MatrixXd columns(const std::vector<double>& x, bool intercept_first) {
  const auto n = static_cast<Eigen::Index>(x.size());
  Eigen::MatrixXd m(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) {
    m(i, intercept_first ? 0 : 1) = 1.0;
    m(i, intercept_first ? 1 : 0) = x[static_cast<std::size_t>(i)];
  }
  return m;
}

void compare(const design& d, const std::string& name) {
  const detail::regression_model line(d.y, d.v, columns(d.x, true));
  const detail::regression_model qr(d.y, d.v, columns(d.x, false));
  auto same = [&](const projection_stats& a, const projection_stats& b, const std::string& at) {
    // Traces and sums of (scaled) weights are O(k); quadratic forms are compared on their own
    // scale and that of the traces.
    const double unit = std::fabs(a.sum_a) + std::fabs(a.tr_pp);
    EXPECT_TRUE(close(a.scale, b.scale, 0, at + " scale"));
    EXPECT_TRUE(close(a.sum_a, b.sum_a, unit, at + " sum_a"));
    EXPECT_TRUE(close(a.sum_a2, b.sum_a2, unit, at + " sum_a2"));
    EXPECT_TRUE(close(a.rss, b.rss, 0, at + " rss"));
    EXPECT_TRUE(close(a.ypp_y, b.ypp_y, 0, at + " ypp_y"));
    EXPECT_TRUE(close(a.tr_p, b.tr_p, unit, at + " tr_p"));
    EXPECT_TRUE(close(a.tr_pp, b.tr_pp, unit, at + " tr_pp"));
    EXPECT_TRUE(close(a.tr_pv, b.tr_pv, unit, at + " tr_pv"));
    EXPECT_TRUE(close(a.tr_pvp, b.tr_pvp, unit, at + " tr_pvp"));
    EXPECT_TRUE(close(a.tr_pvpv, b.tr_pvpv, unit, at + " tr_pvpv"));
  };
  same(line.unweighted(true), qr.unweighted(true), name + ", unweighted");
  for (double tau2 : {0.0, 1e-4, 0.01, 0.3, 10.0}) {
    const std::string at = name + ", tau2 = " + std::to_string(tau2);
    same(line.scaled_at(tau2, true), qr.scaled_at(tau2, true), at);
    EXPECT_TRUE(close(line.logdet_xwx(tau2), qr.logdet_xwx(tau2), 1, at + " logdet"));
    if (::testing::Test::HasFailure()) return;
  }
  for (tau2_method m : all_tau2_methods()) {
    auto a = estimate_tau2(line, m);
    auto b = estimate_tau2(qr, m);
    ASSERT_EQ(a.has_value(), b.has_value()) << name << " " << tau2_method_code(m);
    if (!a) continue;
    EXPECT_TRUE(close(a->tau2, b->tau2, line.typical_v(),
                      name + " tau2 " + std::string(tau2_method_code(m))));
    EXPECT_TRUE(
        close(a->se, b->se, line.typical_v(), name + " se " + std::string(tau2_method_code(m))));
    EXPECT_EQ(a->notes, b->notes) << name << " " << tau2_method_code(m);
  }
}

TEST(regression_line_test, equals_the_qr_path) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> z(0, 1);
  for (int s = 0; s < 200; ++s) {
    const std::size_t k = 3 + static_cast<std::size_t>(s % 40);
    design d;
    const double slope = 2 * u(rng) - 1, tau2 = u(rng) < 0.3 ? 0.0 : 0.3 * u(rng);
    for (std::size_t i = 0; i < k; ++i) {
      d.v.push_back(std::exp(std::log(1e-3) + u(rng) * std::log(1e3)));
      d.x.push_back(s % 2 == 0 ? std::sqrt(d.v.back()) : 4 * u(rng) - 2);  // Egger's sei, or any
      d.y.push_back(0.2 + slope * d.x.back() + z(rng) * std::sqrt(d.v.back() + tau2));
    }
    compare(d, "set " + std::to_string(s));
    if (HasFailure()) return;
  }
}

TEST(regression_line_test, equals_the_qr_path_on_ill_conditioned_designs) {
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> z(0, 1);
  design year, flat;
  for (int i = 0; i < 20; ++i) {
    // Publication years near 1990, one trial far more precise than the others.
    year.v.push_back(i == 3 ? 1e-4 : 0.05 + 0.2 * u(rng));
    year.x.push_back(1980 + std::floor(20 * u(rng)));
    year.y.push_back(0.01 * (year.x.back() - 1990) + z(rng) * std::sqrt(year.v.back() + 0.02));
    // A moderator that hardly varies: 1 + 1e-6 u.
    flat.v.push_back(0.01 + 0.1 * u(rng));
    flat.x.push_back(1 + 1e-6 * u(rng));
    flat.y.push_back(z(rng) * std::sqrt(flat.v.back() + 0.05));
  }
  compare(year, "year moderator");
  compare(flat, "nearly constant moderator");
}

}  // namespace
}  // namespace srma
