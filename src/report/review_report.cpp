// Text reports of the review tables (srma/report/text_report.hpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "srma/report/text_report.hpp"

namespace srma {

using review::nos_class;
using review::nos_options;
using review::nos_study;
using review::nos_table;

namespace {

std::string class_rule(nos_class c, const nos_options& o) {
  switch (c) {
    case nos_class::high:
      return fmt::format("total ≥ {}", o.high_from);
    case nos_class::moderate:
      return fmt::format("total {}–{}", *o.moderate_from, o.high_from - 1);
    case nos_class::low:
      return fmt::format("total < {}", o.moderate_from.value_or(o.high_from));
    case nos_class::unknown:
      break;
  }
  return "no total";
}

std::string cell(const std::optional<int>& v) { return v ? std::to_string(*v) : "NA"; }

}  // namespace

std::string brief_report(const nos_table& res) {
  std::vector<std::string> parts;
  std::vector<nos_class> classes = {nos_class::high};
  if (res.options.moderate_from) classes.push_back(nos_class::moderate);
  classes.push_back(nos_class::low);
  if (res.count(nos_class::unknown) > 0) classes.push_back(nos_class::unknown);
  for (auto c : classes) {
    parts.push_back(
        fmt::format("{} {} ({})", res.count(c), to_string(c), class_rule(c, res.options)));
  }
  return fmt::format("Newcastle–Ottawa Scale (cohort studies), {} {}: {}\n", res.studies.size(),
                     res.studies.size() == 1 ? "study" : "studies", fmt::join(parts, ", "));
}

std::string full_report(const nos_table& res) {
  std::size_t w = 5;  // "study"
  for (const auto& s : res.studies) w = std::max(w, s.study.size());
  std::string out = brief_report(res);
  out += fmt::format("{:<{}}  {:>9}  {:>13}  {:>7}  {:>5}  {:<8}  {}\n", "study", w, "selection",
                     "comparability", "outcome", "total", "quality", "AHRQ");
  for (const auto& s : res.studies) {
    // Pad by code points, not bytes, so labels with accents line up.
    const auto n = static_cast<std::size_t>(
        std::count_if(s.study.begin(), s.study.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
    out += fmt::format("{}{}  {:>9}  {:>13}  {:>7}  {:>5}  {:<8}  {}\n", s.study,
                       std::string(w > n ? w - n : 0, ' '), cell(s.score.selection),
                       cell(s.score.comparability), cell(s.score.outcome),
                       cell(s.score.total) + (s.score.total_from_domains ? "*" : ""),
                       to_string(s.quality), to_string(s.ahrq));
  }
  if (std::any_of(res.studies.begin(), res.studies.end(),
                  [](const nos_study& s) { return s.score.total_from_domains; })) {
    out += "* total = selection + comparability + outcome\n";
  }
  return out;
}

}  // namespace srma
