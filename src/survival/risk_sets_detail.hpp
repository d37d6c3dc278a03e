// Private to the survival layer: the checks of patient data that cox.cpp, logrank.cpp and
// kaplan_meier.cpp share, and the two-arm risk-set table both the Cox model and the log-rank
// test are computed from.
//
// For each distinct event time t_j the table holds n1_j, n0_j (at risk, time >= t_j) and d1_j,
// d0_j (events at t_j) of the treatment (1) and control (0) arm. Building it costs one sort,
// O(n log n); every later pass over it is O(number of event times).
//
// Example:
//
//   auto table = detail::two_arm_risk_sets(data, t, c, "cox_two_arm");
//   if (!table) return unexpected(table.error());
//   for (const auto& r : table->rows) u += r.d1 - r.d() * r.n1 / r.n();
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/survival/ipd.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/expected.hpp"

namespace srma::detail {

/// Where patient `i` came from: its source line when known, else nothing (the message names
/// the index).
inline error_location patient_location(const survival_data& data, std::size_t i) {
  error_location where;
  where.file = data.source;
  if (i < data.line.size() && data.line[i] > 0) where.line = data.line[i];
  return where;
}

/// Times finite and >= 0, events 0 or 1, for `n` patients given as spans. `who` names the
/// calling function in messages. srma.survival.E901 on the first bad value.
inline expected<void> check_times_events(std::string_view who, std::span<const double> time,
                                         std::span<const int> event) {
  if (time.size() != event.size()) {
    return fail(errc::survival_bad_ipd,
                fmt::format("{}: time has {} values and event {}; they must have the same length",
                            who, time.size(), event.size()));
  }
  for (std::size_t i = 0; i < time.size(); ++i) {
    if (!std::isfinite(time[i]) || time[i] < 0) {
      return fail(
          errc::survival_bad_ipd,
          fmt::format("{}: time[{}] is {}, but must be a finite number >= 0", who, i, time[i]));
    }
    if (event[i] != 0 && event[i] != 1) {
      return fail(errc::survival_bad_ipd,
                  fmt::format("{}: event[{}] is {}, but must be 1 (event) or 0 (censored)", who, i,
                              event[i]));
    }
  }
  return {};
}

/// The vectors of `data` have one entry per patient and the arm indices are valid.
inline expected<void> check_survival_data(std::string_view who, const survival_data& data) {
  const std::size_t n = data.time.size();
  if (data.arm.size() != n || data.event.size() != n) {
    return fail(errc::survival_bad_ipd,
                fmt::format("{}: the patient data hold {} arms, {} times and {} events; they "
                            "must have one of each per patient",
                            who, data.arm.size(), n, data.event.size()));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (data.arm[i] >= data.arm_names.size()) {
      return fail(errc::survival_bad_ipd,
                  fmt::format("{}: patient {} has arm index {}, but there are {} arm names", who, i,
                              data.arm[i], data.arm_names.size()),
                  patient_location(data, i));
    }
    if (!std::isfinite(data.time[i]) || data.time[i] < 0) {
      return fail(errc::survival_bad_ipd,
                  fmt::format("{}: time of patient {} is {}, but must be a finite number >= 0", who,
                              i, data.time[i]),
                  patient_location(data, i));
    }
    if (data.event[i] != 0 && data.event[i] != 1) {
      return fail(errc::survival_bad_ipd,
                  fmt::format("{}: event of patient {} is {}, but must be 1 (event) or 0 "
                              "(censored)",
                              who, i, data.event[i]),
                  patient_location(data, i));
    }
  }
  return {};
}

/// Two valid, distinct arm indices (srma.survival.E902).
inline expected<void> check_two_arms(std::string_view who, const survival_data& data,
                                     std::size_t treatment, std::size_t control) {
  const std::size_t k = data.arm_names.size();
  for (std::size_t a : {treatment, control}) {
    if (a >= k) {
      return fail(errc::survival_unknown_arm,
                  fmt::format("{}: arm index {} is out of range; the data have {} arm{}", who, a, k,
                              k == 1 ? "" : "s"));
    }
  }
  if (treatment == control) {
    return fail(errc::survival_unknown_arm,
                fmt::format("{}: treatment and control are the same arm ('{}'); two different "
                            "arms are needed",
                            who, data.arm_names[treatment]),
                {}, data.arm_names[treatment]);
  }
  return {};
}

/// R's survival:::aeqSurv, which coxph, survdiff and survfit apply by default (timefix = TRUE):
/// neighbouring distinct times y_k < y_{k+1} are tied when y_{k+1} - y_k <= sqrt(DBL_EPSILON),
/// absolutely or relative to the mean of the distinct |y|, and every time of a tied run becomes
/// the run's first. `t` must be sorted; it is changed in place. Without this, times such as 3
/// and 3 + 1e-9 (floating-point noise in computed times) would count as two event times.
inline void merge_near_ties(std::vector<double>& t) {
  constexpr double tol = 1.4901161193847656e-08;  // sqrt(.Machine$double.eps)
  double sum = 0;
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i == 0 || t[i] != t[i - 1]) {
      sum += std::fabs(t[i]);
      ++distinct;
    }
  }
  if (distinct < 2) return;
  const double mean = sum / static_cast<double>(distinct);
  double prev = t[0];  // the previous distinct time as given
  double cut = t[0];   // the time its tied run is reported at
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i] != prev) {
      const double dy = t[i] - prev;
      prev = t[i];
      if (!(dy <= tol || dy / mean <= tol)) cut = t[i];
    }
    t[i] = cut;
  }
}

/// One distinct event time of the two-arm table.
struct risk_set_row {
  double time = 0;
  double n1 = 0, n0 = 0;  ///< at risk (time >= t) in the treatment and control arm
  double d1 = 0, d0 = 0;  ///< events at t
  [[nodiscard]] double n() const { return n1 + n0; }
  [[nodiscard]] double d() const { return d1 + d0; }
};

struct risk_set_table {
  std::vector<risk_set_row> rows;  ///< event times, increasing
  std::size_t n = 0;               ///< patients of the two arms
  std::size_t n1 = 0, n0 = 0;
  double events1 = 0, events0 = 0;
};

/// Checks `data` and the two arms, then builds the table, with near-ties merged as R does
/// (merge_near_ties).
inline expected<risk_set_table> two_arm_risk_sets(const survival_data& data, std::size_t treatment,
                                                  std::size_t control, std::string_view who) {
  if (auto ok = check_survival_data(who, data); !ok) return unexpected(ok.error());
  if (auto ok = check_two_arms(who, data, treatment, control); !ok) return unexpected(ok.error());

  struct patient {
    double time;
    bool treated;
    bool event;
  };
  std::vector<patient> p;
  p.reserve(data.size());
  risk_set_table out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.arm[i] != treatment && data.arm[i] != control) continue;
    const bool treated = data.arm[i] == treatment;
    p.push_back({data.time[i], treated, data.event[i] == 1});
    (treated ? out.n1 : out.n0) += 1;
  }
  out.n = p.size();
  std::sort(p.begin(), p.end(), [](const patient& a, const patient& b) { return a.time < b.time; });
  {
    std::vector<double> t(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) t[i] = p[i].time;
    merge_near_ties(t);
    for (std::size_t i = 0; i < p.size(); ++i) p[i].time = t[i];
  }

  // Walk the times upwards; everyone not yet passed is at risk (time >= t).
  double left1 = static_cast<double>(out.n1);
  double left0 = static_cast<double>(out.n0);
  for (std::size_t i = 0; i < p.size();) {
    risk_set_row row;
    row.time = p[i].time;
    row.n1 = left1;
    row.n0 = left0;
    std::size_t j = i;
    for (; j < p.size() && p[j].time == row.time; ++j) {
      if (p[j].treated) {
        left1 -= 1;
        if (p[j].event) row.d1 += 1;
      } else {
        left0 -= 1;
        if (p[j].event) row.d0 += 1;
      }
    }
    if (row.d() > 0) {
      out.events1 += row.d1;
      out.events0 += row.d0;
      out.rows.push_back(row);
    }
    i = j;
  }
  return out;
}

}  // namespace srma::detail
