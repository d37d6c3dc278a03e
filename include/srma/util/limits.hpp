// File: srma/util/limits.hpp
//
// Bounds that the command line and plans share (issue 15, "bounds from one place"): a plan's
// `max_subsets = 0` or `iterations = 1e12` is refused with the same limits as `--max-subsets`
// and `--iter`, and an analysis id, which becomes part of file names, is restricted to
// characters that are safe in every file system and cannot leave the output folder.
#pragma once

#include <cstddef>
#include <string_view>

namespace srma::limits {

/// GOSH: subsets fitted (exactly, when 2^k - 1 is at most this, else at random). The fits are
/// streamed, so memory does not limit this: 2^40 (k = 40 exhaustively, about 10^12 fits).
inline constexpr std::size_t max_gosh_subsets = std::size_t{1} << 40;
/// Permutation tests: random permutations.
inline constexpr std::size_t min_permutations = 2;
inline constexpr std::size_t max_permutations = 100'000'000;
/// Confidence levels, in percent: 95 for a 95% interval. A level under 1 is refused
/// rather than read as 0.95% (a plan's `level = 0.95` meant 95%).
inline constexpr double min_level_percent = 1.0;
inline constexpr double max_level_percent = 99.99;
/// Files read whole into memory (study CSVs): at most this many bytes. `srma pool /dev/zero`
/// used to grow without limit.
inline constexpr std::size_t max_input_bytes = std::size_t{1} << 30;  // 1 GiB
/// One field (cell) of a CSV file, a study label for example: at most this many bytes as written
/// in the file. A 500 MB label used to take 8.7 GB as it was copied from reader to table to report.
inline constexpr std::size_t max_field_bytes = std::size_t{1} << 24;  // 16 MiB
/// Analysis ids: at most this many characters.
inline constexpr std::size_t max_id_length = 64;

/// True when `id` may name an analysis (and so be part of file names): 1 to max_id_length
/// ASCII letters, digits, '.', '_' or '-', starting with a letter or digit. No path separator,
/// no "..", no NUL, no space, nothing a shell or a file system reads specially.
[[nodiscard]] constexpr bool is_safe_id(std::string_view id) {
  if (id.empty() || id.size() > max_id_length) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(id.front())) return false;
  for (char c : id)
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

}  // namespace srma::limits
