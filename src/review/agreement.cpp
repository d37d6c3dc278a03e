// Agreement of two reviewers on a 2×2 table of include/exclude votes: Po, Pe, Cohen's kappa with
// the Fleiss-Cohen-Everitt standard error, PABAK and the Landis & Koch label (review.md §4).
#include "srma/review/agreement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "srma/util/distributions.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::review {

std::string_view landis_koch(double kappa) {
  if (std::isnan(kappa)) return "undefined";
  // The bands are written with two decimals (0.00–0.20, 0.21–0.40, ...); a kappa computed as
  // 0.2000000000000001 from a table whose exact kappa is 0.2 still counts as "slight".
  constexpr double eps = 1e-12;
  if (kappa < 0) return "poor";
  if (kappa <= 0.20 + eps) return "slight";
  if (kappa <= 0.40 + eps) return "fair";
  if (kappa <= 0.60 + eps) return "moderate";
  if (kappa <= 0.80 + eps) return "substantial";
  return "almost perfect";
}

expected<agreement> compute_agreement(const agreement_table& t, double level) {
  if (!(level > 0 && level < 1)) {
    return fail(
        errc::agreement_bad_level,
        fmt::format("agreement: level is {}, but must lie strictly between 0 and 1", level));
  }
  const std::array<std::pair<char, long>, 4> cells = {
      {{'a', t.a}, {'b', t.b}, {'c', t.c}, {'d', t.d}}};
  for (const auto& [name, v] : cells) {
    if (v < 0) {
      return fail(errc::agreement_negative_count,
                  fmt::format("agreement: cell {} of the 2×2 table is {}, but a count must be >= 0",
                              name, v));
    }
  }
  agreement r;
  r.table = t;
  r.level = level;
  r.n = t.a + t.b + t.c + t.d;
  if (r.n == 0) {
    return fail(errc::agreement_empty,
                "agreement: the 2×2 table is empty (a + b + c + d = 0), but needs at least one "
                "record rated by both reviewers");
  }
  const double n = static_cast<double>(r.n);
  // Proportions: rows are reviewer 1 (include, exclude), columns reviewer 2.
  const double p11 = static_cast<double>(t.a) / n, p12 = static_cast<double>(t.b) / n;
  const double p21 = static_cast<double>(t.c) / n, p22 = static_cast<double>(t.d) / n;
  const double r1 = p11 + p12, r2 = p21 + p22;  // reviewer 1's include and exclude shares
  const double c1 = p11 + p21, c2 = p12 + p22;  // reviewer 2's
  const double po = p11 + p22;
  const double pe = r1 * c1 + r2 * c2;
  r.observed = po;
  r.expected = pe;
  r.pabak = 2 * po - 1;
  // Pe = 1 exactly when r1·c2 + r2·c1 = 0, i.e. when every record is in cell a or every record
  // is in cell d; decided on the counts, not on a rounded Pe.
  const bool undefined = t.b == 0 && t.c == 0 && (t.a == 0 || t.d == 0);
  if (undefined) {
    r.expected = 1;
    return r;
  }
  const double kappa = (po - pe) / (1 - pe);
  // Large-sample variance of kappa (Fleiss, Cohen & Everitt 1969, Psychol Bull 72:323-327),
  // as R's psych::cohen.kappa computes it (psych 2.2.9, `Vark` in cohen.kappa1):
  //   var = 1 / (n (1 - Pe)^4) * { sum_i p_ii [(1 - Pe) - (p_i. + p_.i)(1 - Po)]^2
  //                               + (1 - Po)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
  //                               - (Po Pe - 2 Pe + Po)^2 }
  // where p_i. are row (reviewer 1) and p_.j column (reviewer 2) shares. The sum can round to a
  // tiny negative number when Po = 1 (exactly 0 in exact arithmetic); it is clamped to 0, as
  // psych does.
  const double q = 1 - pe, qo = 1 - po;
  const double diag = p11 * std::pow(q - (r1 + c1) * qo, 2) + p22 * std::pow(q - (r2 + c2) * qo, 2);
  const double off = qo * qo * (p12 * std::pow(c1 + r2, 2) + p21 * std::pow(c2 + r1, 2));
  const double last = std::pow(po * pe - 2 * pe + po, 2);
  const double var = std::max(0.0, (diag + off - last) / (n * std::pow(q, 4)));
  const double se = std::sqrt(var);
  const double z = detail::qnorm_upper((1 - level) / 2);
  r.kappa = kappa;
  r.kappa_se = se;
  r.kappa_lower = kappa - z * se;
  r.kappa_upper = kappa + z * se;
  r.strength = landis_koch(kappa);
  return r;
}

}  // namespace srma::review
