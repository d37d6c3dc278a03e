// Shared test helpers: tolerance classes (STYLE.md, habit 6) and relative comparisons.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace srma::test {

/// Tolerance classes: relative unless the reference is 0 (then absolute).
namespace tol {
inline constexpr double estimate = 1e-6;  ///< Closed-form and converged iterative statistics.
inline constexpr double tau2_ci = 1e-4;   ///< Q-profile bounds (metafor's uniroot tolerance).
}  // namespace tol

/// |actual - expected| <= rel * max(|expected|, floor); NaN equals NaN.
inline ::testing::AssertionResult near_rel(double actual, double expected, double rel,
                                           double floor = 1e-8) {
  if (std::isnan(expected) && std::isnan(actual)) return ::testing::AssertionSuccess();
  const double scale = std::max(std::fabs(expected), floor);
  if (std::fabs(actual - expected) <= rel * scale) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "actual " << actual << " vs expected " << expected << " (rel diff "
         << std::fabs(actual - expected) / scale << " > " << rel << ")";
}

}  // namespace srma::test

#define EXPECT_REL(actual, expected, rel) \
  EXPECT_TRUE(::srma::test::near_rel((actual), (expected), (rel)))
