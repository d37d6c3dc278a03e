// Individual patient data (arm, time, event): building it from a CSV table with every value
// checked and located at file:line:column, writing it back as CSV, and selecting one arm.
//
// Example:
//
//   auto d = srma::read_ipd("ipd.csv");  // arm,time,event
//   auto a = srma::arm_of(*d, *d->arm_index("Placebo"));
#include "srma/survival/ipd.hpp"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {

std::optional<std::size_t> survival_data::arm_index(std::string_view name) const {
  for (std::size_t a = 0; a < arm_names.size(); ++a)
    if (arm_names[a] == name) return a;
  for (std::size_t a = 0; a < arm_names.size(); ++a)
    if (detail::iequals(arm_names[a], name)) return a;
  return std::nullopt;
}

void survival_data::add(std::string_view arm_name, double t, int status) {
  std::size_t a = arm_names.size();
  // Exact match only: "A" and "a" read from a file are two arms as well.
  for (std::size_t i = 0; i < arm_names.size(); ++i) {
    if (arm_names[i] == arm_name) {
      a = i;
      break;
    }
  }
  if (a == arm_names.size()) arm_names.emplace_back(arm_name);
  arm.push_back(a);
  time.push_back(t);
  event.push_back(status);
  line.push_back(0);
}

namespace {

// The first of `names` present in the header (case-insensitive), or -1.
int find_any(const csv_table& csv, std::initializer_list<std::string_view> names) {
  for (auto name : names)
    if (int c = csv.find_column(name); c >= 0) return c;
  return -1;
}

}  // namespace

expected<survival_data> make_survival_data(const csv_table& csv) {
  const int c_arm = find_any(csv, {"arm", "group"});
  const int c_time = find_any(csv, {"time"});
  const int c_event = find_any(csv, {"event", "status"});
  const error_location header{csv.source, csv.header_line, 0};
  for (const auto& [col, what] : {std::pair{c_arm, "arm (or group)"}, std::pair{c_time, "time"},
                                  std::pair{c_event, "event (or status)"}}) {
    if (col < 0) {
      return fail(
          errc::survival_bad_ipd,
          fmt::format("no column '{}': patient data need the columns arm, time, event", what),
          header, what);
    }
  }
  if (csv.rows.empty()) {
    return fail(errc::survival_bad_ipd, "no patients: the table has a header but no rows", header);
  }
  survival_data d;
  d.source = csv.source;
  const std::size_t n = csv.rows.size();
  d.arm.reserve(n);
  d.time.reserve(n);
  d.event.reserve(n);
  d.line.reserve(n);
  for (std::size_t r = 0; r < n; ++r) {
    const auto& fields = csv.rows[r].fields;
    const auto field = [&](int c) -> std::string_view {
      return static_cast<std::size_t>(c) < fields.size() ? std::string_view(fields[c])
                                                         : std::string_view();
    };
    const std::string_view label = detail::trim(field(c_arm));
    if (label.empty()) {
      return fail(errc::survival_bad_ipd, "the arm label is empty, but must name an arm",
                  csv.where(r, static_cast<std::size_t>(c_arm)), "arm");
    }
    const std::string_view t_text = detail::trim(field(c_time));
    const auto t = detail::parse_double(t_text);
    if (!t || !(*t >= 0)) {
      return fail(errc::survival_bad_ipd,
                  fmt::format("time is '{}', but must be a finite number >= 0", t_text),
                  csv.where(r, static_cast<std::size_t>(c_time)), "time");
    }
    const std::string_view e_text = detail::trim(field(c_event));
    const auto e = detail::parse_double(e_text);
    if (!e || (*e != 0 && *e != 1)) {
      return fail(errc::survival_bad_ipd,
                  fmt::format("event is '{}', but must be 1 (event) or 0 (censored)", e_text),
                  csv.where(r, static_cast<std::size_t>(c_event)), "event");
    }
    d.add(label, *t, static_cast<int>(*e));
    d.line.back() = csv.rows[r].line;
  }
  return d;
}

expected<survival_data> read_ipd(const std::string& path) {
  auto csv = read_csv(path);
  if (!csv) return unexpected(csv.error());
  return make_survival_data(*csv);
}

std::string to_csv(const survival_data& data) {
  std::string out = "arm,time,event\n";
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::size_t a = i < data.arm.size() ? data.arm[i] : 0;
    const std::string_view name =
        a < data.arm_names.size() ? std::string_view(data.arm_names[a]) : std::string_view();
    out += format_csv_field(name);
    // fmt's "{}" prints the shortest form that reads back to the same double.
    out += fmt::format(",{},{}\n", data.time[i], i < data.event.size() ? data.event[i] : 0);
  }
  return out;
}

arm_sample arm_of(const survival_data& data, std::size_t a) {
  arm_sample s;
  const std::size_t n = std::min({data.arm.size(), data.time.size(), data.event.size()});
  for (std::size_t i = 0; i < n; ++i) {
    if (data.arm[i] != a) continue;
    s.time.push_back(data.time[i]);
    s.event.push_back(data.event[i]);
  }
  return s;
}

}  // namespace srma
