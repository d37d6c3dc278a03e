#include "included.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "srma/project/records.hpp"
#include "srma/project/screening.hpp"

namespace srma::project::detail {
namespace {

// "Zuber, J" -> "Zuber"; "Paul M O'Byrne" -> "O'Byrne" (a name without a comma ends with the
// surname); "" -> "Anonymous".
std::string surname(const std::string& author) {
  auto comma = author.find(',');
  std::string s = comma != std::string::npos ? author.substr(0, comma) : author;
  if (comma == std::string::npos) {
    // MEDLINE's AU form "Zuber J" puts initials last: keep the first word then.
    const auto space = s.find_last_of(' ');
    if (space != std::string::npos) {
      const std::string last = s.substr(space + 1);
      const bool initials =
          !last.empty() && last.size() <= 3 && std::all_of(last.begin(), last.end(), [](char c) {
            return std::isupper(static_cast<unsigned char>(c)) != 0 || c == '.';
          });
      s = initials ? s.substr(0, space) : last;
    }
  }
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "Anonymous";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

expected<std::vector<included_report>> included_reports(const review_project& project) {
  auto outcomes = stage_outcomes(project, stage::fulltext);
  if (!outcomes) return unexpected(outcomes.error());
  std::vector<std::int64_t> ids;
  for (const auto& o : *outcomes) {
    if (o.result == outcome::include) ids.push_back(o.record);
  }
  auto records = load_records(project, ids);
  if (!records) return unexpected(records.error());
  std::vector<included_report> out;
  for (const auto& r : *records) {
    const auto& b = r.record;
    out.push_back(
        {r.id, b.title,
         fmt::format("{} {}", surname(b.authors.empty() ? std::string() : b.authors.front()),
                     b.year.empty() ? "n.d." : b.year)});
  }
  return out;
}

}  // namespace srma::project::detail
