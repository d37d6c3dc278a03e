// Rounding as R's round() does it (half to even), shared by the rank test and trim-and-fill
// (private to the bias layer).
#pragma once

#include <cfenv>
#include <cmath>

namespace srma::detail {

/// x rounded to the nearest integer, ties to even (IEEE 754 default, as R's round(x)).
inline double round_half_even(double x) {
  const int mode = std::fegetround();
  std::fesetround(FE_TONEAREST);
  const double r = std::nearbyint(x);
  std::fesetround(mode);
  return r;
}

}  // namespace srma::detail
