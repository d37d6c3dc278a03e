// String similarities for de-duplication (private to src/records): Jaro, Jaro-Winkler and the
// Levenshtein distance by Myers' bit-parallel algorithm. Strings are compared byte by byte;
// normalised fields (srma/records/normalize.hpp) are mostly ASCII, and a multi-byte letter
// counts the same on both sides.
//
// Example:
//
//   srma::detail::jaro_winkler("martha", "marhta");        // 0.9611
//   srma::detail::levenshtein_distance("kitten", "sitting");  // 3
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace srma::detail {

/// Jaro similarity (Jaro 1989, JASA 84:414; as in Winkler 1990): with m matching characters
/// (equal and no further apart than floor(max(|a|, |b|) / 2) - 1) and t half the number of
/// matched characters out of order,
///   jaro = (m / |a| + m / |b| + (m - t) / m) / 3,  and 0 when m = 0.
/// Two empty strings have similarity 1.
inline double jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  const std::size_t la = a.size();
  const std::size_t lb = b.size();
  const std::size_t window = std::max(la, lb) / 2 > 0 ? std::max(la, lb) / 2 - 1 : 0;
  thread_local std::vector<char> a_flag;
  thread_local std::vector<char> b_flag;
  a_flag.assign(la, 0);
  b_flag.assign(lb, 0);
  std::size_t m = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(lb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_flag[j] && a[i] == b[j]) {
        a_flag[i] = 1;
        b_flag[j] = 1;
        ++m;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  std::size_t out_of_order = 0;
  for (std::size_t i = 0, j = 0; i < la; ++i) {
    if (!a_flag[i]) continue;
    while (!b_flag[j]) ++j;
    if (a[i] != b[j]) ++out_of_order;
    ++j;
  }
  const double md = static_cast<double>(m);
  const double t = static_cast<double>(out_of_order) / 2.0;
  return (md / static_cast<double>(la) + md / static_cast<double>(lb) + (md - t) / md) / 3.0;
}

/// Jaro-Winkler similarity (Winkler 1990, Proc. Section on Survey Research Methods, ASA
/// 354-359): jw = jaro + l * p * (1 - jaro), with l the length of the common prefix (at most 4)
/// and p = 0.1, applied when jaro exceeds Winkler's boost threshold 0.7.
/// MARTHA/MARHTA 0.9611, DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.8133 (Winkler 1990, table).
inline double jaro_winkler(std::string_view a, std::string_view b, double prefix_scale = 0.1) {
  const double j = jaro(a, b);
  if (j <= 0.7) return j;
  std::size_t l = 0;
  while (l < 4 && l < a.size() && l < b.size() && a[l] == b[l]) ++l;
  return j + static_cast<double>(l) * prefix_scale * (1.0 - j);
}

/// Levenshtein distance (insertions, deletions, substitutions of bytes, each 1) by the
/// bit-parallel algorithm of Myers (1999, J ACM 46:395), in the block form of Hyyrö (2003,
/// Nordic J Computing 10:29): O(|a| * ceil(|b| / 64)) word operations for the pattern b, the
/// shorter string.
inline std::size_t levenshtein_distance(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);  // b, the pattern, is the shorter
  const std::size_t m = b.size();
  if (m == 0) return a.size();
  const std::size_t words = (m + 63) / 64;
  thread_local std::vector<std::uint64_t> peq;  // peq[c * words + w]: positions of byte c in b
  thread_local std::vector<std::uint64_t> vp;
  thread_local std::vector<std::uint64_t> vn;
  peq.assign(256 * words, 0);
  vp.assign(words, ~std::uint64_t{0});
  vn.assign(words, 0);
  for (std::size_t i = 0; i < m; ++i)
    peq[static_cast<unsigned char>(b[i]) * words + i / 64] |= std::uint64_t{1} << (i % 64);
  const std::uint64_t last = std::uint64_t{1} << ((m - 1) % 64);
  std::size_t dist = m;
  for (const char ch : a) {
    const std::uint64_t* eq = &peq[static_cast<unsigned char>(ch) * words];
    // Horizontal delta entering the top of the first block: +1 (row 0 is 0, 1, 2, ...).
    std::uint64_t hp_carry = 1;
    std::uint64_t hn_carry = 0;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t x = eq[w] | hn_carry;
      const std::uint64_t v_p = vp[w];
      const std::uint64_t v_n = vn[w];
      const std::uint64_t d0 = (((x & v_p) + v_p) ^ v_p) | x | v_n;
      std::uint64_t hp = v_n | ~(d0 | v_p);
      std::uint64_t hn = d0 & v_p;
      std::uint64_t hp_out = hp >> 63;
      std::uint64_t hn_out = hn >> 63;
      if (w + 1 == words) {
        hp_out = (hp & last) != 0 ? 1 : 0;
        hn_out = (hn & last) != 0 ? 1 : 0;
      }
      hp = (hp << 1) | hp_carry;
      hn = (hn << 1) | hn_carry;
      hp_carry = hp_out;
      hn_carry = hn_out;
      vp[w] = hn | ~(d0 | hp);
      vn[w] = hp & d0;
    }
    dist += hp_carry;
    dist -= hn_carry;
  }
  return dist;
}

/// 1 - distance / max(|a|, |b|): 1 for equal strings (also two empty ones), 0 for strings with
/// nothing in common.
inline double levenshtein_similarity(std::string_view a, std::string_view b) {
  const std::size_t n = std::max(a.size(), b.size());
  if (n == 0) return 1.0;
  return 1.0 - static_cast<double>(levenshtein_distance(a, b)) / static_cast<double>(n);
}

}  // namespace srma::detail
