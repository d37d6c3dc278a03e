// Guyot reconstruction validated by simulation, with known truth (docs/methods.md, "Patient data
// from Kaplan-Meier curves"): two-arm trials are simulated, their Kaplan-Meier curves are
// "digitised", each arm is rebuilt from its points and its numbers at risk, and the Cox fit and
// the curves of the rebuilt patients are compared with those of the true patients.
//
// Each trial draws (one seeded std::mt19937_64, whose output the standard fixes; the
// distributions are written out below because std:: distributions differ between standard
// libraries):
//   - 50 to 2000 patients (log-uniform), allocation 1:1 or 2:1 (research:control);
//   - HR 0.5, 0.7, 1.0 or 1.3; control median 6-24 months; exponential, or Weibull with shape
//     0.7 or 1.5 (proportional hazards: the research arm's cumulative hazard is HR times the
//     control arm's);
//   - administrative censoring (uniform accrual over 6-24 months, analysis 12-36 months after
//     the last entry) or uniform censoring on (0, 24-60 months).
// The figure: x axis from 0 to the last follow-up time rounded up to 6 months, y axis 0-1,
// numbers at risk every 3, 6 or 12 months (6-12 times). The digitiser clicks the top and the
// bottom of every visible drop (events closer than 0.5% of the x axis merge into one drop) and
// the end of each curve. Two digitisations are tested:
//   - exact: those clicks as they are;
//   - realistic: every click gets Gaussian noise with SD 0.5% of the axis range in time and in
//     survival; 5% of the clicks are lost, 3% clicked twice, 2% of clicks land 0.03 above the
//     curve, and a quarter of the trials give survival in percent.
//
// Criteria (the rebuilt data with the numbers at risk):
//   - HR: |ln HR(rebuilt) - ln HR(true patients)| <= 0.05, Cox with Efron ties;
//   - curves: for each arm, on 201 equally spaced times t from 0 to the last time at which at
//     least 10 true patients remain at risk (the 10th largest follow-up time), the distance
//     between the rebuilt curve and the true one, allowing the rebuilt curve a shift in time of
//     up to delta = 1% of the x axis (twice the SD of the time noise; also the width of a
//     merged drop): 0 when S_true(t) lies between S_rebuilt(t + delta) and
//     S_rebuilt(t - delta), else the distance to the nearer of the two. The larger of the two
//     arms' distances must be <= 0.02.
// The target is both criteria in >= 95% of 200 trials. Measured on these seeds (and on 1000
// trials, docs/methods.md): with exact clicks both are met. With realistic clicks the HR
// criterion is met for trials of 200 patients or more, but not below (about 77%: a lost corner
// or one patient's censoring misplaced moves ln HR of an arm of 20 by more than 0.05; even exact
// clicks give only 87% there), and the curve criterion is not met (about 60%: the clicks' own
// time errors and lost corners move drops of up to 1/20 by more than the tolerance). Those rates
// are asserted as measured floors, so that a change that makes them worse fails; they are not
// the target. The achieved rates are printed, also for reconstructions with the total of events
// added and with n and the total of events only (no at-risk table), which are not asserted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "srma/survival/cox.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/survival/kaplan_meier.hpp"
#include "srma/survival/km_reconstruct.hpp"

namespace srma {
namespace {

// ---- Random numbers -----------------------------------------------------------------------------

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : engine_(seed) {}
  /// Uniform on [0, 1): the top 53 bits of one 64-bit draw.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// Exp(1) by inversion; 1 - u lies in (0, 1].
  double exponential() { return -std::log(1 - uniform()); }
  /// Standard normal by Box-Muller (one of the pair).
  double normal() {
    const double r = std::sqrt(-2 * std::log(1 - uniform()));
    return r * std::cos(2 * std::numbers::pi * uniform());
  }
  bool chance(double p) { return uniform() < p; }
  template <typename T>
  T pick(const std::vector<T>& xs) {
    const auto i = static_cast<std::size_t>(uniform() * static_cast<double>(xs.size()));
    return xs[std::min(i, xs.size() - 1)];
  }

 private:
  std::mt19937_64 engine_;
};

// ---- Trials -------------------------------------------------------------------------------------

enum class censoring { administrative, uniform };

struct scenario {
  int n = 0;
  int ratio = 1;  // research : control = ratio : 1
  double hr = 1;
  double median = 12;  // control arm, months
  double shape = 1;    // Weibull shape (1: exponential)
  censoring cens = censoring::administrative;
  double accrual = 12, follow_up = 24, cens_max = 36;
};

scenario draw_scenario(random_source& rng) {
  scenario s;
  s.n = static_cast<int>(std::lround(std::exp(std::log(50.0) + rng.uniform() * std::log(40.0))));
  s.ratio = rng.chance(0.5) ? 1 : 2;
  s.hr = rng.pick(std::vector<double>{0.5, 0.7, 1.0, 1.3});
  s.median = rng.uniform(6, 24);
  s.shape = rng.pick(std::vector<double>{1.0, 1.0, 0.7, 1.5});
  s.cens = rng.chance(0.5) ? censoring::administrative : censoring::uniform;
  s.accrual = rng.uniform(6, 24);
  s.follow_up = rng.uniform(12, 36);
  s.cens_max = rng.uniform(24, 60);
  return s;
}

// Arm 0 research, arm 1 control. Control cumulative hazard H(t) = lambda t^k with lambda =
// ln 2 / median^k; research HR * H(t). An event time is (E / (HR lambda))^(1/k), E ~ Exp(1).
survival_data simulate(const scenario& s, random_source& rng) {
  survival_data d;
  d.arm_names = {"research", "control"};
  const int n_research =
      static_cast<int>(std::lround(s.n * static_cast<double>(s.ratio) / (s.ratio + 1)));
  const double lambda = std::log(2.0) / std::pow(s.median, s.shape);
  for (int i = 0; i < s.n; ++i) {
    const std::size_t arm = i < n_research ? 0 : 1;
    const double h = arm == 0 ? s.hr * lambda : lambda;
    const double t_event = std::pow(rng.exponential() / h, 1 / s.shape);
    const double t_cens = s.cens == censoring::administrative
                              ? s.accrual + s.follow_up - rng.uniform(0, s.accrual)
                              : rng.uniform(0, s.cens_max);
    d.arm.push_back(arm);
    d.time.push_back(std::min(t_event, t_cens));
    d.event.push_back(t_event <= t_cens ? 1 : 0);
    d.line.push_back(0);
  }
  return d;
}

// ---- The figure and its digitisation ------------------------------------------------------------

struct figure {
  double x_max = 0;     // x axis range [0, x_max]
  double nar_step = 0;  // numbers at risk every nar_step
};

figure figure_of(const survival_data& d) {
  figure f;
  const double last = *std::max_element(d.time.begin(), d.time.end());
  f.x_max = 6 * std::ceil(last / 6);
  f.nar_step = f.x_max <= 36 ? 3 : f.x_max <= 72 ? 6 : 12;
  return f;
}

at_risk_table at_risk_of(const arm_sample& a, const figure& f) {
  at_risk_table table;
  for (double t = 0; t <= f.x_max + 1e-9; t += f.nar_step) {
    const auto n = std::count_if(a.time.begin(), a.time.end(), [t](double x) { return x >= t; });
    table.time.push_back(t);
    table.n.push_back(static_cast<double>(n));
  }
  return table;
}

// The corners of every visible drop of the true curve and its end, read with errors.
digitised_curve digitise(const km_curve& km, double t_end, const figure& f, bool percent,
                         bool noisy, random_source& rng) {
  const double merge = 0.005 * f.x_max;
  std::vector<std::pair<double, double>> exact;
  double s_before = 1;
  std::size_t i = 0;
  const std::size_t n = km.time.size();
  while (i < n) {
    if (km.n_event[i] == 0) {
      ++i;
      continue;
    }
    // A drop: this event time and all event times within `merge` of it.
    const double t0 = km.time[i];
    double t1 = t0, s_after = km.surv[i];
    std::size_t j = i + 1;
    while (j < n && km.time[j] - t0 <= merge) {
      if (km.n_event[j] > 0) {
        t1 = km.time[j];
        s_after = km.surv[j];
      }
      ++j;
    }
    exact.emplace_back(t0, s_before);
    exact.emplace_back(t1, s_after);
    s_before = s_after;
    i = j;
  }
  if (exact.empty() || t_end > exact.back().first) exact.emplace_back(t_end, s_before);

  digitised_curve c;
  const double sd_t = 0.005 * f.x_max;
  const double sd_s = 0.005;
  const auto add = [&](double t, double s) {
    c.time.push_back(t);
    c.survival.push_back(percent ? 100 * s : s);
  };
  for (const auto& [t, s] : exact) {
    if (!noisy) {
      add(t, s);
      continue;
    }
    if (rng.chance(0.05)) continue;  // lost
    const double tn = t + sd_t * rng.normal();
    const double sn = s + sd_s * rng.normal();
    add(tn, sn);
    if (rng.chance(0.03)) add(tn, sn);         // clicked twice
    if (rng.chance(0.02)) add(tn, sn + 0.03);  // a stray click above the curve
  }
  return c;
}

// ---- Criteria -----------------------------------------------------------------------------------

// The curve criterion of the banner for one arm.
double curve_distance(const km_curve& truth, const km_curve& rebuilt, const arm_sample& a,
                      const figure& f) {
  std::vector<double> times = a.time;
  std::sort(times.begin(), times.end(), std::greater<>());
  if (times.size() < 10) return 0;
  const double t_last = times[9];  // the 10th largest: at least 10 at risk up to it
  const double delta = 0.01 * f.x_max;
  double worst = 0;
  constexpr int k_grid = 200;
  for (int g = 0; g <= k_grid; ++g) {
    const double t = t_last * g / k_grid;
    const double s = truth.survival_at(t);
    const double hi = rebuilt.survival_at(t - delta);
    const double lo = rebuilt.survival_at(t + delta);
    const double dist = s > hi ? s - hi : s < lo ? lo - s : 0;
    worst = std::max(worst, dist);
  }
  return worst;
}

enum class route { at_risk, at_risk_and_events, events_only };

struct outcome {
  bool ok = false;
  double dloghr = 0;
  double curve = 0;  // worse of the two arms
  bool nar_matched = true;
};

outcome rebuild(const survival_data& truth, const cox_result& true_fit,
                const std::vector<digitised_curve>& curves, const figure& f, route how) {
  outcome o;
  std::vector<arm_reconstruction> arms;
  for (std::size_t a = 0; a < 2; ++a) {
    const arm_sample sample = arm_of(truth, a);
    digitised_arm arm;
    arm.name = truth.arm_names[a];
    arm.curve = curves[a];
    const double events =
        static_cast<double>(std::count(sample.event.begin(), sample.event.end(), 1));
    if (how == route::events_only) {
      arm.n = static_cast<double>(sample.time.size());
    } else {
      arm.at_risk = at_risk_of(sample, f);
    }
    if (how != route::at_risk) arm.total_events = events;
    auto r = reconstruct_arm(arm);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().what());
    if (!r) return o;
    for (const auto& c : r->at_risk) o.nar_matched = o.nar_matched && c.reconstructed == c.reported;
    arms.push_back(*r);
  }
  const survival_data ipd = to_survival_data(arms);
  auto fit = cox_two_arm(ipd, 0, 1);
  if (!fit) return o;  // e.g. no events left in an arm: counted as a failure
  o.dloghr = std::abs(fit->loghr - true_fit.loghr);
  for (std::size_t a = 0; a < 2; ++a) {
    const arm_sample t = arm_of(truth, a);
    const arm_sample r = arm_of(ipd, a);
    auto km_t = kaplan_meier(t.time, t.event);
    auto km_r = kaplan_meier(r.time, r.event);
    if (!km_t || !km_r) return o;
    o.curve = std::max(o.curve, curve_distance(*km_t, *km_r, t, f));
  }
  o.ok = true;
  return o;
}

struct tally {
  int trials = 0, hr_ok = 0, curve_ok = 0, nar_ok = 0;
  double worst_dloghr = 0, worst_curve = 0;
  void add(const outcome& o) {
    ++trials;
    hr_ok += o.ok && o.dloghr <= 0.05;
    curve_ok += o.ok && o.curve <= 0.02;
    nar_ok += o.ok && o.nar_matched;
    worst_dloghr = std::max(worst_dloghr, o.ok ? o.dloghr : INFINITY);
    worst_curve = std::max(worst_curve, o.ok ? o.curve : INFINITY);
  }
  [[nodiscard]] double rate(int k) const { return trials ? static_cast<double>(k) / trials : 0; }
  void print(const char* label) const {
    std::printf(
        "%-34s %3d trials: |d ln HR| <= 0.05 in %5.1f%% (worst %.3f); curves <= 0.02 in "
        "%5.1f%% (worst %.3f); at-risk matched in %5.1f%%\n",
        label, trials, 100 * rate(hr_ok), worst_dloghr, 100 * rate(curve_ok), worst_curve,
        100 * rate(nar_ok));
  }
};

// The 200 trials of one digitisation, tallied overall and by size.
struct simulation {
  tally with_nar, with_nar_events, events_only;
  tally small, medium, large;  // with_nar by size: < 200, 200-799, >= 800 patients
  tally from_200;              // with_nar, >= 200 patients

  void print(const char* title) const {
    std::printf("%s\n", title);
    with_nar.print("numbers at risk:");
    small.print("  of which < 200 patients:");
    medium.print("  of which 200-799 patients:");
    large.print("  of which >= 800 patients:");
    with_nar_events.print("numbers at risk + total events:");
    events_only.print("n + total events (no table):");
  }
};

simulation simulate_trials(std::uint64_t seed, bool noisy) {
  random_source rng(seed);
  constexpr int k_trials = 200;
  simulation sim;
  for (int rep = 0; rep < k_trials; ++rep) {
    const scenario s = draw_scenario(rng);
    const survival_data truth = simulate(s, rng);
    const auto true_fit = cox_two_arm(truth, 0, 1);
    EXPECT_TRUE(true_fit.has_value()) << rep << ": " << true_fit.error().what();
    if (!true_fit) continue;
    const figure f = figure_of(truth);
    const bool percent = noisy && rng.chance(0.25);
    std::vector<digitised_curve> curves;
    for (std::size_t a = 0; a < 2; ++a) {
      const arm_sample sample = arm_of(truth, a);
      auto km = kaplan_meier(sample.time, sample.event);
      EXPECT_TRUE(km.has_value()) << rep;
      if (!km) return sim;
      const double t_end = *std::max_element(sample.time.begin(), sample.time.end());
      curves.push_back(digitise(*km, t_end, f, percent, noisy, rng));
    }
    const outcome o = rebuild(truth, *true_fit, curves, f, route::at_risk);
    sim.with_nar.add(o);
    (s.n < 200 ? sim.small : s.n < 800 ? sim.medium : sim.large).add(o);
    if (s.n >= 200) sim.from_200.add(o);
    sim.with_nar_events.add(rebuild(truth, *true_fit, curves, f, route::at_risk_and_events));
    sim.events_only.add(rebuild(truth, *true_fit, curves, f, route::events_only));
  }
  return sim;
}

constexpr double k_target = 0.95;

TEST(km_simulation_test, exact_clicks_meet_both_criteria) {
  const simulation sim = simulate_trials(20261130, false);
  sim.print("Exact clicks (corners of every visible drop):");
  EXPECT_GE(sim.with_nar.rate(sim.with_nar.hr_ok), k_target);
  EXPECT_GE(sim.with_nar.rate(sim.with_nar.curve_ok), k_target);
}

TEST(km_simulation_test, realistic_clicks) {
  const simulation sim = simulate_trials(20261201, true);
  sim.print("Realistic clicks (noise, lost, repeated and stray clicks, percent):");
  // The target, met for trials of 200 patients or more (100% of 129 here; 99.4% in 1000
  // trials on another seed).
  EXPECT_GE(sim.from_200.rate(sim.from_200.hr_ok), k_target);
  // Measured floors below the target (see the banner). 200 trials on this seed give: HR 92.5%
  // overall and 79% below 200 patients; curves 65% overall, 100% from 800 patients (93% in 1000
  // trials on another seed).
  EXPECT_GE(sim.with_nar.rate(sim.with_nar.hr_ok), 0.85);
  EXPECT_GE(sim.small.rate(sim.small.hr_ok), 0.70);
  EXPECT_GE(sim.with_nar.rate(sim.with_nar.curve_ok), 0.55);
  EXPECT_GE(sim.large.rate(sim.large.curve_ok), 0.90);
}

}  // namespace
}  // namespace srma
