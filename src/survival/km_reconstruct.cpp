// Reconstruction of individual patient data from a digitised Kaplan-Meier curve (Guyot, Ades,
// Ouwens & Welton, BMC Med Res Methodol 2012;12:9): reading the points and the numbers at risk,
// cleaning the points, the algorithm itself with a guard for each known pitfall
// (docs/methods.md, "Patient data from Kaplan-Meier curves"), and its diagnostics.
//
// Example:
//
//   srma::digitised_arm arm{.name = "Placebo", .curve = *srma::read_digitised_curve("pbo.csv"),
//                           .at_risk = *srma::read_at_risk("pbo_nar.csv")};
//   auto r = srma::reconstruct_arm(arm);  // r->time, r->event: one entry per patient
//
// Notation (as in the paper): points k = 0..nt-1 with times t[k] and survival S[k] after
// cleaning (t non-decreasing, S non-increasing, (t[0], S[0]) = (0, 1)); numbers at risk n_i at
// times T_i; lower_i = the first point with t >= T_i. Interval i holds the points
// [lower_i, lower_{i+1}) (half-open ranges throughout, so an interval with one point needs no
// special case). Counts (at risk n^, events d, censored c) are whole numbers held as integers, so
// no rounding error accumulates; the only rounding is Guyot's round(), done as R does it.
//
// Departures from the published code (docs/methods.md, "Where srma departs from the published
// code", gives the measured effect of each):
//   - by default the censoring of interval i is spread evenly over the at-risk interval
//     [T_i, T_{i+1}) itself, not over [t[lower_i], t[lower_{i+1}]], so patients can be censored
//     between T_i and the interval's first point ("pre" censoring); censoring_span::points gives
//     Guyot's spacing;
//   - an at-risk interval without points gets a point at its start on the level of the curve
//     there, so its count is used (Guyot's code fails on it);
//   - patients at risk after the last point extend the curve flat to the last such at-risk time
//     (Guyot's code drops those counts and censors everyone left at the last point);
//   - in the last interval, without a total of events, the censoring extrapolated from the
//     earlier intervals is replaced by the count whose rebuilt curve fits the points best when
//     the extrapolated count cannot follow the points' drops.
#include "srma/survival/km_reconstruct.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <numeric>
#include <optional>
#include <utility>

#include "srma/util/error_ids.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

using count_t = std::int64_t;

// A survival value above this marks the whole column as percentages (cleaning_log::scale).
constexpr double k_percent_threshold = 1.5;
// Distances (and sums of squared distances) closer than this count as equal.
constexpr double k_misfit_tie = 1e-12;
// A rebuilt curve further than this from a point is reported in the warnings (pitfall 6).
constexpr double k_error_warning = 0.05;

// R's round(x) for digits = 0, which Guyot's code uses: IEC 60559 round half to even
// (round(0.5) = 0, round(1.5) = 2, round(2.5) = 2 in R 4.2). Written out instead of
// std::nearbyint so that it does not depend on the floating-point rounding mode.
double round_half_even(double x) {
  const double f = std::floor(x);
  const double diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return std::fmod(f, 2.0) == 0 ? f : f + 1;
}

count_t to_count(double x) { return static_cast<count_t>(round_half_even(x)); }

bool is_whole(double x) { return std::isfinite(x) && x == std::floor(x); }

// The first of `names` present in the header (case-insensitive), or -1.
int find_any(const csv_table& csv, std::initializer_list<std::string_view> names) {
  for (auto name : names)
    if (int c = csv.find_column(name); c >= 0) return c;
  return -1;
}

std::string_view field_of(const csv_row& row, int c) {
  const auto i = static_cast<std::size_t>(c);
  return i < row.fields.size() ? detail::trim(row.fields[i]) : std::string_view();
}

int line_of(const std::vector<int>& lines, std::size_t i) {
  return i < lines.size() ? lines[i] : 0;
}

// "18, 21" / "18" for warnings.
std::string join_numbers(const std::vector<double>& xs) {
  std::string out;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (i > 0) out += i + 1 == xs.size() ? " and " : ", ";
    out += fmt::format("{:g}", xs[i]);
  }
  return out;
}

// ---- Kaplan-Meier of the reconstructed patients -------------------------------------------------

struct km_steps {
  std::vector<double> time;  // event times, increasing
  std::vector<double> surv;  // S just after each
};

// Product-limit estimate of one sample: at each distinct event time S *= 1 - d / n, with n the
// patients whose time is >= that time (a censoring tied with events is still at risk, as in R).
km_steps product_limit(const std::vector<double>& time, const std::vector<int>& event) {
  std::vector<std::size_t> order(time.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  km_steps km;
  double s = 1;
  std::size_t i = 0;
  const std::size_t n = order.size();
  while (i < n) {
    const double t = time[order[i]];
    std::size_t j = i;
    count_t d = 0;
    while (j < n && time[order[j]] == t) d += event[order[j++]];
    if (d > 0) {
      s *= 1 - static_cast<double>(d) / static_cast<double>(n - i);
      km.time.push_back(t);
      km.surv.push_back(s);
    }
    i = j;
  }
  return km;
}

struct worst_point {
  double distance = 0;
  double time = 0;
};

worst_point farthest_point(std::span<const double> km_time, std::span<const double> km_surv,
                           std::span<const double> t, std::span<const double> s) {
  worst_point w;
  const std::size_t nk = std::min(km_time.size(), km_surv.size());
  const auto kt = km_time.first(nk);
  for (std::size_t j = 0; j < std::min(t.size(), s.size()); ++j) {
    // S(t) = value of the last step at or before t; S(t-) = of the last step strictly before.
    const auto at =
        static_cast<std::size_t>(std::upper_bound(kt.begin(), kt.end(), t[j]) - kt.begin());
    const auto before =
        static_cast<std::size_t>(std::lower_bound(kt.begin(), kt.end(), t[j]) - kt.begin());
    const double s_at = at == 0 ? 1.0 : km_surv[at - 1];
    const double s_before = before == 0 ? 1.0 : km_surv[before - 1];
    const double dist = std::min(std::abs(s_at - s[j]), std::abs(s_before - s[j]));
    if (dist > w.distance) w = {dist, t[j]};
  }
  return w;
}

// ---- Guyot's algorithm --------------------------------------------------------------------------

// One at-risk time in use: its time, the count printed, the count the algorithm aims for (the
// printed one, lowered when the curve's drops need more events than it allows) and lower_i.
struct nar_row {
  double time = 0;
  count_t reported = 0;
  count_t target = 0;
  std::size_t lower = 0;
};

// The working arrays of the algorithm for one arm (Guyot's n.hat, d, cen, KM.hat).
class guyot_state {
 public:
  guyot_state(std::span<const double> t, std::span<const double> s)
      : t_(t),
        s_(s),
        nhat_(t.size() + 1, 0),
        d_(t.size(), 0),
        cen_(t.size(), 0),
        pre_(t.size(), 0),
        km_(t.size(), 1.0) {}

  // Spreads c censorings evenly over (from, to): c_j = from + j (to - from) / (c + 1), j = 1..c.
  // One before t[lo] leaves before point lo (pre_[lo]); the others are counted into the bins
  // (t[k], t[k+1]], k in [lo, end), the last one open to `to` (R's hist(): right-closed bins, so
  // a censoring time equal to a point counts toward the earlier point; bins of zero width, from
  // both corners of a drop at one time, get none). Guyot's spacing is from = t[lo], to = t[end].
  void spread(std::size_t lo, std::size_t end, double from, double to, count_t c) {
    std::fill(cen_.begin() + static_cast<std::ptrdiff_t>(lo),
              cen_.begin() + static_cast<std::ptrdiff_t>(end), count_t{0});
    pre_[lo] = 0;
    if (c <= 0 || !(to > from)) return;
    const double width = to - from;
    const auto c1 = static_cast<double>(c + 1);
    std::size_t k = lo;
    for (count_t j = 1; j <= c; ++j) {
      const double x = from + static_cast<double>(j) * width / c1;
      if (x < t_[lo] || end <= lo) {
        ++pre_[lo];
        continue;
      }
      while (k + 1 < end && x > t_[k + 1]) ++k;
      ++cen_[k];
    }
  }

  // Events at points lo..hi given n_start at risk at the interval's start (pre_[lo] of them
  // censored before point lo) and the curve's value km_start at the last event before lo: d_k =
  // round(n^_k (1 - S_k / KM^_last)), KM^_k = KM^_last (1 - d_k / n^_k), n^_{k+1} = n^_k - d_k -
  // c_k. Guards: d in [0, n^_k] (a point above the rebuilt curve gives no negative events), no
  // events once the curve or the risk set is empty, and censoring cut so that n^ never goes below
  // 0. Returns n^ after hi; `km_end` is KM^ at the last event.
  count_t run_events(std::size_t lo, std::size_t hi, count_t n_start, double km_start,
                     double& km_end) {
    pre_[lo] = std::min(pre_[lo], n_start);
    nhat_[lo] = n_start - pre_[lo];
    double km_last = km_start;
    for (std::size_t k = lo; k <= hi; ++k) {
      const count_t nk = nhat_[k];
      count_t dk = 0;
      if (nk > 0 && km_last > 0) {
        const double x = static_cast<double>(nk) * (1 - s_[k] / km_last);
        dk = std::clamp(to_count(x), count_t{0}, nk);
      }
      d_[k] = dk;
      km_[k] = nk > 0 ? km_last * (1 - static_cast<double>(dk) / static_cast<double>(nk)) : km_last;
      count_t next = nk - dk - cen_[k];
      if (next < 0) {
        cen_[k] = nk - dk;
        next = 0;
      }
      nhat_[k + 1] = next;
      if (dk != 0) km_last = km_[k];
    }
    km_end = km_last;
    return nhat_[hi + 1];
  }

  count_t events(std::size_t lo, std::size_t end) const {
    return std::accumulate(d_.begin() + static_cast<std::ptrdiff_t>(lo),
                           d_.begin() + static_cast<std::ptrdiff_t>(end), count_t{0});
  }
  // Censored at points lo..end-1, before them included.
  count_t censored(std::size_t lo, std::size_t end) const {
    const auto a = static_cast<std::ptrdiff_t>(lo);
    const auto b = static_cast<std::ptrdiff_t>(end);
    return std::accumulate(cen_.begin() + a, cen_.begin() + b, count_t{0}) +
           std::accumulate(pre_.begin() + a, pre_.begin() + b, count_t{0});
  }

  std::vector<count_t>& cen() { return cen_; }
  std::vector<count_t>& pre() { return pre_; }
  std::vector<count_t>& nhat() { return nhat_; }
  const std::vector<count_t>& d() const { return d_; }
  // Sum of squared distances between the rebuilt curve and the points lo..end-1.
  double misfit(std::size_t lo, std::size_t end) const {
    double m = 0;
    for (std::size_t k = lo; k < end; ++k) m += (km_[k] - s_[k]) * (km_[k] - s_[k]);
    return m;
  }

  // Whether the rebuilt curve follows the points lo..end-1 as closely as whole events allow:
  // within half of one patient's step, KM^_last / (2 n^), of each point, n^ being the number at
  // risk there or, once nobody is left, at the last point that had someone (n_start at first).
  bool follows_points(std::size_t lo, std::size_t end, count_t n_start, double km_start) const {
    double km_last = km_start;
    double half_step = n_start > 0 ? km_last / (2 * static_cast<double>(n_start)) : 0;
    for (std::size_t k = lo; k < end; ++k) {
      if (nhat_[k] > 0) half_step = km_last / (2 * static_cast<double>(nhat_[k]));
      if (std::abs(km_[k] - s_[k]) > half_step + k_misfit_tie) return false;
      if (d_[k] != 0) km_last = km_[k];
    }
    return true;
  }

 private:
  std::span<const double> t_;
  std::span<const double> s_;
  std::vector<count_t> nhat_;
  std::vector<count_t> d_;
  std::vector<count_t> cen_;
  std::vector<count_t> pre_;  // censored in (T_i, t[lower_i]), indexed by lower_i
  std::vector<double> km_;
};

// A censoring count tried in an adjustment loop and the count it gave (n^ at the next at-risk
// time, or the total of events).
struct trial {
  count_t censored = 0;
  count_t result = 0;
};

bool tried(const std::vector<trial>& trials, count_t c) {
  return std::any_of(trials.begin(), trials.end(), [c](const trial& x) { return x.censored == c; });
}

// ---- Inputs -------------------------------------------------------------------------------------

error_location at_row(const at_risk_table& table, std::size_t i) {
  return {table.source, line_of(table.line, i), 0};
}

// Checks an at-risk table given in memory (the reader checks the same per cell).
expected<void> check_at_risk(const at_risk_table& table) {
  if (table.time.size() != table.n.size()) {
    return fail(errc::survival_bad_at_risk,
                fmt::format("the at-risk table has {} times and {} counts; they must have the "
                            "same length",
                            table.time.size(), table.n.size()),
                {table.source, 0, 0});
  }
  if (table.time.empty()) {
    return fail(errc::survival_bad_at_risk, "the at-risk table has no rows", {table.source, 0, 0});
  }
  for (std::size_t i = 0; i < table.time.size(); ++i) {
    if (!std::isfinite(table.time[i]) || table.time[i] < 0) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("time {} of the at-risk table is {}, but must be a finite number "
                              ">= 0",
                              i + 1, table.time[i]),
                  at_row(table, i), "time");
    }
    if (!is_whole(table.n[i]) || table.n[i] < 0) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("the number at risk at {} is {}, but must be a whole number >= 0",
                              table.time[i], table.n[i]),
                  at_row(table, i), "nar");
    }
    if (i > 0 && !(table.time[i] > table.time[i - 1])) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("at-risk time {} follows {}, but times must increase", table.time[i],
                              table.time[i - 1]),
                  at_row(table, i), "time");
    }
    if (i > 0 && table.n[i] > table.n[i - 1]) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("{} at risk at {}, but only {} at {}: the number at risk cannot "
                              "grow",
                              table.n[i], table.time[i], table.n[i - 1], table.time[i - 1]),
                  at_row(table, i), "nar");
    }
  }
  return {};
}

}  // namespace

// ---- Reading ------------------------------------------------------------------------------------

expected<digitised_curve> make_digitised_curve(const csv_table& csv) {
  const error_location header{csv.source, csv.header_line, 0};
  const int c_time = find_any(csv, {"time"});
  const int c_surv = find_any(csv, {"survival", "surv", "s"});
  if (c_time < 0 || c_surv < 0) {
    const char* what = c_time < 0 ? "time" : "survival";
    return fail(
        errc::survival_bad_points,
        fmt::format("no column '{}': digitised points need the columns time, survival", what),
        header, what);
  }
  const bool decimal_comma = csv.separator != ',';
  digitised_curve curve;
  curve.source = csv.source;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const auto& row = csv.rows[r];
    const std::string_view t_text = field_of(row, c_time);
    const auto t = detail::parse_double(t_text, decimal_comma);
    if (!t || *t < 0) {
      return fail(errc::survival_bad_points,
                  fmt::format("time is '{}', but must be a finite number >= 0", t_text),
                  csv.where(r, static_cast<std::size_t>(c_time)), "time");
    }
    const std::string_view s_text = field_of(row, c_surv);
    const auto s = detail::parse_double(s_text, decimal_comma);
    if (!s || *s < 0 || *s > 100) {
      return fail(errc::survival_bad_points,
                  fmt::format("survival is '{}', but must be a number from 0 to 1 (or from 0 to "
                              "100 as a percentage)",
                              s_text),
                  csv.where(r, static_cast<std::size_t>(c_surv)), "survival");
    }
    curve.time.push_back(*t);
    curve.survival.push_back(*s);
    curve.line.push_back(row.line);
  }
  if (curve.time.size() < 2) {
    return fail(errc::survival_bad_points,
                fmt::format("{} point{}, but a curve needs at least two", curve.time.size(),
                            curve.time.size() == 1 ? "" : "s"),
                header);
  }
  return curve;
}

expected<digitised_curve> read_digitised_curve(const std::string& path) {
  auto csv = read_csv(path);
  if (!csv) return unexpected(csv.error());
  return make_digitised_curve(*csv);
}

expected<at_risk_table> make_at_risk_table(const csv_table& csv) {
  const error_location header{csv.source, csv.header_line, 0};
  const int c_time = find_any(csv, {"time"});
  const int c_n = find_any(csv, {"nar", "n", "n_risk", "at_risk"});
  if (c_time < 0 || c_n < 0) {
    const char* what = c_time < 0 ? "time" : "nar";
    return fail(errc::survival_bad_at_risk,
                fmt::format("no column '{}': numbers at risk need the columns time, nar", what),
                header, what);
  }
  if (csv.rows.empty()) {
    return fail(errc::survival_bad_at_risk,
                "no numbers at risk: the table has a header but no rows", header);
  }
  const bool decimal_comma = csv.separator != ',';
  at_risk_table table;
  table.source = csv.source;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const auto& row = csv.rows[r];
    const auto where_t = csv.where(r, static_cast<std::size_t>(c_time));
    const auto where_n = csv.where(r, static_cast<std::size_t>(c_n));
    const std::string_view t_text = field_of(row, c_time);
    const auto t = detail::parse_double(t_text, decimal_comma);
    if (!t || *t < 0) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("time is '{}', but must be a finite number >= 0", t_text), where_t,
                  "time");
    }
    if (!table.time.empty() && !(*t > table.time.back())) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("time is {}, but must be greater than the time before it ({} on "
                              "line {})",
                              *t, table.time.back(), table.line.back()),
                  where_t, "time");
    }
    const std::string_view n_text = field_of(row, c_n);
    const auto n = detail::parse_double(n_text, decimal_comma);
    if (!n || !is_whole(*n) || *n < 0) {
      return fail(
          errc::survival_bad_at_risk,
          fmt::format("the number at risk is '{}', but must be a whole number >= 0", n_text),
          where_n, "nar");
    }
    if (!table.n.empty() && *n > table.n.back()) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("the number at risk is {}, but must not exceed the one before it "
                              "({} at time {}, line {})",
                              *n, table.n.back(), table.time.back(), table.line.back()),
                  where_n, "nar");
    }
    table.time.push_back(*t);
    table.n.push_back(*n);
    table.line.push_back(row.line);
  }
  return table;
}

expected<at_risk_table> read_at_risk(const std::string& path) {
  auto csv = read_csv(path);
  if (!csv) return unexpected(csv.error());
  return make_at_risk_table(*csv);
}

std::string_view to_string(censoring_span s) {
  return s == censoring_span::points ? "points" : "at-risk-interval";
}

std::optional<censoring_span> parse_censoring_span(std::string_view text) {
  for (auto s : {censoring_span::at_risk_interval, censoring_span::points})
    if (detail::iequals(text, to_string(s))) return s;
  return std::nullopt;
}

std::string_view to_string(survival_scale s) {
  return s == survival_scale::percent ? "percent" : "fraction";
}

// ---- Cleaning -----------------------------------------------------------------------------------

std::vector<std::string> cleaning_log::messages() const {
  std::vector<std::string> out;
  const auto plural = [](std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  if (scale == survival_scale::percent) {
    out.push_back("survival read as percentages (a value above 1.5) and divided by 100");
  }
  if (reordered) out.push_back("points sorted by time");
  if (clamped > 0) {
    out.push_back(fmt::format("{} moved into range (survival into [0, 1], times below 0 to 0)",
                              plural(clamped, "value", "values")));
  }
  if (duplicates_dropped > 0) {
    out.push_back(
        fmt::format("{} dropped", plural(duplicates_dropped, "repeated point", "repeated points")));
  }
  if (made_monotone > 0) {
    out.push_back(
        fmt::format("{} above an earlier point lowered to it, so that the curve does "
                    "not rise",
                    plural(made_monotone, "point", "points")));
  }
  if (start_added) out.push_back("the start (0, 1) added");
  return out;
}

expected<clean_points> clean_curve(const digitised_curve& curve) {
  if (curve.time.size() != curve.survival.size()) {
    return fail(errc::survival_bad_points,
                fmt::format("the curve has {} times and {} survival values; they must have the "
                            "same length",
                            curve.time.size(), curve.survival.size()),
                {curve.source, 0, 0});
  }
  const std::size_t n = curve.time.size();
  if (n == 0) return fail(errc::survival_bad_points, "the curve has no points", {curve.source});
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(curve.time[i]) || !std::isfinite(curve.survival[i])) {
      return fail(errc::survival_bad_points,
                  fmt::format("point {} is ({}, {}), but time and survival must be finite numbers",
                              i + 1, curve.time[i], curve.survival[i]),
                  {curve.source, line_of(curve.line, i), 0});
    }
  }
  clean_points out;
  cleaning_log& log = out.log;
  log.points_in = n;

  // 1. Percent scale.
  const bool percent = std::any_of(curve.survival.begin(), curve.survival.end(),
                                   [](double s) { return s > k_percent_threshold; });
  log.scale = percent ? survival_scale::percent : survival_scale::fraction;
  std::vector<std::pair<double, double>> p(n);
  for (std::size_t i = 0; i < n; ++i)
    p[i] = {curve.time[i], percent ? curve.survival[i] / 100 : curve.survival[i]};

  // 2. Time order; points at one time from the top of a drop to its bottom.
  const auto before = [](const auto& a, const auto& b) {
    return a.first < b.first || (a.first == b.first && a.second > b.second);
  };
  if (!std::is_sorted(p.begin(), p.end(), before)) {
    log.reordered = true;
    std::stable_sort(p.begin(), p.end(), before);
  }

  // 3. Clamp into range (a clamped negative time can put a point before others at 0: re-sort).
  for (auto& [t, s] : p) {
    if (t < 0) {
      t = 0;
      ++log.clamped;
    }
    if (s < 0 || s > 1) {
      s = std::clamp(s, 0.0, 1.0);
      ++log.clamped;
    }
  }
  if (log.clamped > 0) std::stable_sort(p.begin(), p.end(), before);

  // 4. Exact duplicates.
  const auto last = std::unique(p.begin(), p.end());
  log.duplicates_dropped = static_cast<std::size_t>(p.end() - last);
  p.erase(last, p.end());

  // 5. Non-increasing by a running minimum: a point above an earlier one is read as a click
  // slightly off the curve and lowered to it (pitfall 1: Guyot's d < 0).
  for (std::size_t i = 1; i < p.size(); ++i) {
    if (p[i].second > p[i - 1].second) {
      p[i].second = p[i - 1].second;
      ++log.made_monotone;
    }
  }

  // 6. The start (0, 1).
  if (!(p.front().first == 0 && p.front().second == 1)) {
    p.insert(p.begin(), {0.0, 1.0});
    log.start_added = true;
  }

  out.time.reserve(p.size());
  out.survival.reserve(p.size());
  for (const auto& [t, s] : p) {
    out.time.push_back(t);
    out.survival.push_back(s);
  }
  log.points_out = p.size();
  if (out.time.back() <= 0) {
    return fail(errc::survival_bad_points,
                "every point lies at time 0, but a curve needs points after its start",
                {curve.source, line_of(curve.line, 0), 0});
  }
  return out;
}

// ---- Options ------------------------------------------------------------------------------------

std::string reconstruct_options::validate() const {
  if (max_adjustments < 1) {
    return fmt::format("max_adjustments is {}, but must be >= 1", max_adjustments);
  }
  return {};
}

// ---- Distance between a curve and points --------------------------------------------------------

double max_vertical_distance(std::span<const double> km_time, std::span<const double> km_surv,
                             std::span<const double> t, std::span<const double> s) {
  return farthest_point(km_time, km_surv, t, s).distance;
}

// ---- Reconstruction -----------------------------------------------------------------------------

expected<arm_reconstruction> reconstruct_arm(const digitised_arm& arm,
                                             const reconstruct_options& options) {
  if (auto msg = options.validate(); !msg.empty()) {
    return fail(errc::survival_bad_options, fmt::format("reconstruction options: {}", msg));
  }
  auto cleaned = clean_curve(arm.curve);
  if (!cleaned) return unexpected(std::move(cleaned).error());
  // The points the algorithm runs on: the cleaned points plus, below, a point at the last
  // at-risk time with patients left when it lies after them, and one at the start of each
  // at-risk interval that holds none (the curve is flat there). Diagnostics use the cleaned
  // points only.
  std::vector<double> t = cleaned->time;
  std::vector<double> s = cleaned->survival;
  const std::string arm_label = arm.name.empty() ? std::string("the arm") : arm.name;

  arm_reconstruction out;
  out.name = arm.name;
  out.cleaning = cleaned->log;
  auto& warnings = out.warnings;

  // ---- Numbers at risk in use (pitfalls 2 and 5) ------------------------------------------------
  std::vector<nar_row> rows;
  if (arm.at_risk) {
    const at_risk_table& table = *arm.at_risk;
    if (auto ok = check_at_risk(table); !ok) return unexpected(ok.error());
    if (table.time.front() > t.front()) {
      return fail(errc::survival_bad_at_risk,
                  fmt::format("the first at-risk time is {}, but must be {} (the start of the "
                              "curve): the number of patients at the start is needed",
                              table.time.front(), t.front()),
                  at_row(table, 0), "time");
    }
    if (table.n.front() < 1) {
      return fail(errc::survival_bad_at_risk,
                  "no patients at risk at the start, but the curve needs at least one",
                  at_row(table, 0), "nar");
    }
    if (arm.n && *arm.n != table.n.front()) {
      warnings.push_back(fmt::format("n = {} was ignored: the at-risk table starts with {}", *arm.n,
                                     table.n.front()));
    }
    // Patients at risk after the last point: they were followed beyond it, so the curve goes on,
    // flat (a drop would have been digitised), at least to the last at-risk time with patients
    // left; a point there lets those counts be used instead of censoring everyone left at the last
    // point (reconstructKM likewise keeps them at risk to the last at-risk time).
    const double last_point = t.back();
    for (std::size_t i = table.time.size(); i-- > 0;) {
      if (table.time[i] <= last_point) break;
      if (table.n[i] > 0) {
        warnings.push_back(fmt::format(
            "{} patient{} at risk at {:g}, after the last point (time {:g}): the curve was "
            "extended flat to {:g}",
            table.n[i], table.n[i] == 1 ? " is" : "s are", table.time[i], last_point,
            table.time[i]));
        t.push_back(table.time[i]);
        s.push_back(s.back());
        break;
      }
    }
    std::vector<double> beyond;
    for (std::size_t i = 0; i < table.time.size(); ++i) {
      if (table.time[i] > t.back()) {
        beyond.push_back(table.time[i]);
        continue;
      }
      // An at-risk interval [T_i, T_i+1) without points (pitfall 2): the curve is flat over it at
      // the level of the last point before it (in Guyot's reading a drop happens at the point
      // that shows it), so a point (T_i, that level) is added and the count at T_i is used,
      // instead of merging the interval away with its count. On the added point no event falls.
      const double next = i + 1 < table.time.size() ? table.time[i + 1] : t.back() + 1;
      auto lower =
          static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), table.time[i]) - t.begin());
      if (lower == t.size() || !(t[lower] < next)) {
        const auto at = static_cast<std::ptrdiff_t>(lower);
        const double level = s[lower - 1];  // lower >= 1: t[0] = 0 <= T_i < t[lower]
        t.insert(t.begin() + at, table.time[i]);
        s.insert(s.begin() + at, level);
      }
      const auto n = static_cast<count_t>(table.n[i]);
      rows.push_back({table.time[i], n, n, lower});
    }
    if (!beyond.empty()) {
      warnings.push_back(fmt::format(
          "the number{} at risk at {} lie{} after the last point (time {:g}) and {} not used",
          beyond.size() == 1 ? "" : "s", join_numbers(beyond), beyond.size() == 1 ? "s" : "",
          t.back(), beyond.size() == 1 ? "was" : "were"));
    }
  } else {
    if (!arm.n) {
      return fail(errc::survival_bad_options,
                  fmt::format("{}: neither an at-risk table nor the number of patients n is "
                              "given, but one of them is needed",
                              arm_label),
                  {}, "n");
    }
    if (!is_whole(*arm.n) || *arm.n < 1) {
      return fail(errc::survival_bad_options,
                  fmt::format("{}: n is {}, but must be a whole number >= 1", arm_label, *arm.n),
                  {}, "n");
    }
    const auto n = static_cast<count_t>(*arm.n);
    rows.push_back({t.front(), n, n, 0});
  }
  const std::size_t nt = t.size();
  const count_t n0 = rows.front().reported;
  std::optional<count_t> total_events;
  if (arm.total_events) {
    const double e = *arm.total_events;
    if (!is_whole(e) || e < 0 || e > static_cast<double>(n0)) {
      return fail(errc::survival_bad_options,
                  fmt::format("{}: the total of events is {}, but must be a whole number from 0 "
                              "to the {} patients at the start",
                              arm_label, e, n0),
                  {}, "events");
    }
    total_events = static_cast<count_t>(e);
  }

  // ---- Intervals 1..L-1 (Guyot 2012, steps 1-3) -------------------------------------------------
  guyot_state g(t, s);
  const std::size_t n_int = rows.size();
  double km_last = 1;  // KM^ at the last point with an event so far
  const auto interval_name = [&](std::size_t i) {
    return i + 1 < n_int ? fmt::format("[{:g}, {:g})", rows[i].time, rows[i + 1].time)
                         : fmt::format("[{:g}, {:g}]", rows[i].time, t.back());
  };
  for (std::size_t i = 0; i + 1 < n_int; ++i) {
    const std::size_t lo = rows[i].lower;
    const std::size_t next = rows[i + 1].lower;  // = upper_i + 1
    const count_t n_i = rows[i].target;
    const count_t target = rows[i + 1].target;
    const bool guyot = options.span == censoring_span::points;
    const double from = guyot ? t[lo] : rows[i].time;
    const double to = guyot ? t[next] : rows[i + 1].time;
    // First guess: the censoring that would leave n_{i+1} at risk if the curve's drop applied to
    // everyone: round(n_i S[lower_{i+1}] / S[lower_i] - n_{i+1}).
    count_t c =
        s[lo] > 0
            ? to_count(static_cast<double>(n_i) * s[next] / s[lo] - static_cast<double>(target))
            : 0;
    std::vector<trial> trials;
    bool capped = false;
    while (true) {
      c = std::max<count_t>(c, 0);
      g.spread(lo, next, from, to, c);
      double km_end = 0;
      const count_t at_next = g.run_events(lo, next - 1, n_i, km_last, km_end);
      trials.push_back({c, at_next});
      if (at_next == target || (at_next < target && c == 0)) break;
      // Guyot's update: too many at risk -> more censoring, too few -> less.
      const count_t c_next = std::max<count_t>(c + at_next - target, 0);
      if (tried(trials, c_next) || static_cast<int>(trials.size()) >= options.max_adjustments) {
        capped = !tried(trials, c_next);
        // A cycle (c and c + 1 straddle the target through the rounding of events) or the
        // bound: keep the closest count at or above the target, whose excess is censored at the
        // end of the interval below; failing that, the largest count below it.
        const auto better = [target](const trial& x, const trial& y) {
          if ((x.result >= target) != (y.result >= target)) return x.result >= target;
          return x.result >= target ? x.result < y.result : x.result > y.result;
        };
        c = std::min_element(trials.begin(), trials.end(), better)->censored;
        break;
      }
      c = c_next;
    }
    g.spread(lo, next, from, to, c);
    double km_end = 0;
    count_t at_next = g.run_events(lo, next - 1, n_i, km_last, km_end);
    if (capped) {
      warnings.push_back(fmt::format(
          "the censoring in the at-risk interval {} was adjusted {} times (max_adjustments) "
          "without matching the number at risk at its end; the closest fit was kept",
          interval_name(i), options.max_adjustments));
    }
    if (at_next > target) {
      // Censor the excess just before the next at-risk time: it leaves after the interval's
      // last event, so no event changes.
      g.cen()[next - 1] += at_next - target;
      g.nhat()[next] = target;
      at_next = target;
    }
    // Fewer at risk than printed even without censoring: the drops need more events than the
    // table allows. Carry on from the reconstruction's count (Guyot's step 3); the at-risk check
    // reports the difference.
    rows[i + 1].target = at_next;
    km_last = km_end;
  }

  // ---- Last interval (section 2.3) --------------------------------------------------------------
  const std::size_t lo = rows.back().lower;
  const std::size_t hi = nt - 1;
  const count_t n_last = rows.back().target;
  // The censoring of the last interval is spread over (from, to): from its at-risk time (or,
  // as Guyot, its first point) to the last point.
  const bool guyot = options.span == censoring_span::points;
  const double from = guyot ? t[lo] : rows.back().time;
  const double to = t[hi];
  count_t c = 0;
  if (n_int > 1) {
    // The censoring rate per unit time of the earlier intervals, over this one's span:
    // min(round(sum c_i (to - from) / span_before), n_L), span_before = T_L - T_1 (or, as Guyot,
    // t[upper_{L-1}] - t[lower_1]).
    const double span_before = guyot ? t[lo - 1] - t[0] : rows.back().time - rows.front().time;
    if (span_before > 0 && to > from) {
      const auto rate = static_cast<double>(g.censored(0, lo)) / span_before;
      c = std::min(to_count(rate * (to - from)), n_last);
    }
  } else if (!total_events) {
    warnings.push_back(fmt::format(
        "{}: no numbers at risk after the start and no total of events: no censoring was "
        "assumed before the last point, so the hazard ratio may be biased (Guyot et al. 2012 "
        "advise giving at least one of the two)",
        arm_label));
  } else {
    warnings.push_back(
        fmt::format("{}: no numbers at risk after the start: censoring was spread evenly over the "
                    "follow-up so that the events total the {} reported",
                    arm_label, *total_events));
  }
  const auto run_last = [&](count_t cens) {
    g.spread(lo, hi, from, to, cens);
    double km_end = 0;
    g.run_events(lo, hi, n_last, km_last, km_end);
    return g.events(0, nt);
  };
  count_t events = run_last(c);
  if (!total_events && n_int > 1 && to > from && n_last > 0 &&
      !g.follows_points(lo, nt, n_last, km_last)) {
    // The censoring extrapolated from the earlier intervals does not fit this one's drops: the
    // rebuilt curve misses a point by more than whole events allow, typically because the
    // assumed censoring left too few at risk (or nobody) for a later drop. In a tail the rate is
    // rarely the earlier one (lower under drop-out, higher under administrative censoring). The
    // size of a drop tells how many were at risk (one event among n lowers S by S / n), so the
    // count from 0 to n_L whose rebuilt curve lies closest to the points (least squares) is taken
    // instead; among equally close counts, the one nearest the extrapolated count.
    const count_t extrapolated = c;
    double best = g.misfit(lo, nt);
    for (count_t x = 0; x <= n_last; ++x) {
      run_last(x);
      const double m = g.misfit(lo, nt);
      const bool closer = m < best - k_misfit_tie;
      const bool as_close_nearer =
          m <= best + k_misfit_tie && std::abs(x - extrapolated) < std::abs(c - extrapolated);
      if (closer || as_close_nearer) {
        best = m;
        c = x;
      }
    }
    events = run_last(c);
    if (c != extrapolated) {
      warnings.push_back(fmt::format(
          "after {:g} the censoring rate of the earlier intervals ({} censored) does not fit the "
          "drops of the curve; {} censored were assumed, the count whose curve lies closest to "
          "the points",
          rows.back().time, extrapolated, c));
    }
  }
  if (total_events) {
    const count_t before_last = g.events(0, lo);
    if (n_int > 1 && before_last >= *total_events) {
      // The reported total is reached before the last at-risk time: no events or censoring
      // after it (Guyot's rule); everyone left is censored at the last point.
      std::fill(g.cen().begin() + static_cast<std::ptrdiff_t>(lo), g.cen().end(), count_t{0});
      g.pre()[lo] = 0;
      double km_end = 0;
      g.run_events(lo, hi, n_last, 0.0, km_end);  // KM^ = 0 stops every event
      events = g.events(0, nt);
      warnings.push_back(fmt::format(
          "the {} events before {:g} already reach the reported total of {}: no events were "
          "placed after {:g}",
          before_last, rows.back().time, *total_events, rows.back().time));
    } else if (to > from) {
      // Adjust the last interval's censoring until the events total D: c += sum d - D.
      std::vector<trial> trials{{c, events}};
      bool capped = false;
      while (events != *total_events && !(events < *total_events && c == 0)) {
        const count_t c_next = std::max<count_t>(c + events - *total_events, 0);
        if (tried(trials, c_next) || static_cast<int>(trials.size()) >= options.max_adjustments) {
          capped = !tried(trials, c_next);
          const auto best =
              std::min_element(trials.begin(), trials.end(), [&](const trial& a, const trial& b) {
                return std::abs(a.result - *total_events) < std::abs(b.result - *total_events);
              });
          c = best->censored;
          events = run_last(c);
          break;
        }
        c = c_next;
        events = run_last(c);
        trials.push_back({c, events});
      }
      if (capped) {
        warnings.push_back(fmt::format(
            "the censoring after {:g} was adjusted {} times (max_adjustments) without matching "
            "the reported total of events; the closest fit was kept",
            rows.back().time, options.max_adjustments));
      }
    }
  }

  // ---- Patients ---------------------------------------------------------------------------------
  const auto& d = g.d();
  const auto& cen = g.cen();
  out.time.reserve(static_cast<std::size_t>(n0));
  out.event.reserve(static_cast<std::size_t>(n0));
  for (std::size_t k = 0; k < nt; ++k) {
    out.time.insert(out.time.end(), static_cast<std::size_t>(d[k]), t[k]);
    out.event.insert(out.event.end(), static_cast<std::size_t>(d[k]), 1);
  }
  // Censored before an interval's first point: at the midpoint of (T_i, t[lower_i]).
  for (const auto& r : rows) {
    const count_t pre = g.pre()[r.lower];
    out.time.insert(out.time.end(), static_cast<std::size_t>(pre), (r.time + t[r.lower]) / 2);
    out.event.insert(out.event.end(), static_cast<std::size_t>(pre), 0);
  }
  // Censored in bin k at its midpoint; in the last bin of an interval, at the midpoint of
  // (t[k], T_{i+1}) so that they are no longer at risk at the next at-risk time (as the table
  // counts them). Cox, log-rank and KM depend only on the order of censorings and events, which
  // both placements keep.
  std::size_t next_row = 1;
  for (std::size_t k = 0; k + 1 < nt; ++k) {
    if (cen[k] == 0) continue;
    while (next_row < n_int && rows[next_row].lower <= k) ++next_row;
    double right = t[k + 1];
    if (next_row < n_int && rows[next_row].lower == k + 1)
      right = std::min(right, rows[next_row].time);
    out.time.insert(out.time.end(), static_cast<std::size_t>(cen[k]), (t[k] + right) / 2);
    out.event.insert(out.event.end(), static_cast<std::size_t>(cen[k]), 0);
  }
  const auto placed = static_cast<count_t>(out.time.size());
  if (placed < n0) {
    out.time.insert(out.time.end(), static_cast<std::size_t>(n0 - placed), t.back());
    out.event.insert(out.event.end(), static_cast<std::size_t>(n0 - placed), 0);
  }

  // ---- Diagnostics ------------------------------------------------------------------------------
  out.events = static_cast<double>(g.events(0, nt));
  if (total_events) out.events_reported = static_cast<double>(*total_events);
  std::vector<double> sorted = out.time;
  std::sort(sorted.begin(), sorted.end());
  std::string mismatches;
  for (const auto& r : rows) {
    const auto at_risk =
        static_cast<double>(sorted.end() - std::lower_bound(sorted.begin(), sorted.end(), r.time));
    out.at_risk.push_back({r.time, static_cast<double>(r.reported), at_risk});
    if (at_risk != static_cast<double>(r.reported)) {
      mismatches += fmt::format("{}at {:g}: {} reported, {} rebuilt",
                                mismatches.empty() ? "" : "; ", r.time, r.reported, at_risk);
    }
  }
  if (!mismatches.empty()) {
    warnings.push_back(fmt::format(
        "numbers at risk not matched ({}): the curve's drops need more events than the table "
        "leaves room for",
        mismatches));
  }
  if (total_events && out.events != static_cast<double>(*total_events)) {
    warnings.push_back(
        fmt::format("{} events rebuilt, but {} reported", out.events, *total_events));
  }
  const km_steps km = product_limit(out.time, out.event);
  const worst_point worst = farthest_point(km.time, km.surv, cleaned->time, cleaned->survival);
  out.max_abs_error = worst.distance;
  if (worst.distance > k_error_warning) {
    warnings.push_back(fmt::format(
        "the rebuilt curve lies {:.3f} from the point at time {:g} (more than {}): check the "
        "points and the numbers at risk around it",
        worst.distance, worst.time, k_error_warning));
  }
  return out;
}

survival_data to_survival_data(std::span<const arm_reconstruction> arms) {
  survival_data data;
  std::size_t total = 0;
  for (const auto& a : arms) total += a.time.size();
  data.arm.reserve(total);
  data.time.reserve(total);
  data.event.reserve(total);
  data.line.reserve(total);
  for (std::size_t a = 0; a < arms.size(); ++a) {
    data.arm_names.push_back(arms[a].name.empty() ? fmt::format("arm {}", a + 1) : arms[a].name);
    const std::size_t n = std::min(arms[a].time.size(), arms[a].event.size());
    for (std::size_t i = 0; i < n; ++i) {
      data.arm.push_back(a);
      data.time.push_back(arms[a].time[i]);
      data.event.push_back(arms[a].event[i]);
      data.line.push_back(0);
    }
  }
  return data;
}

}  // namespace srma
