// Guyot reconstruction validated by simulation, with known truth (docs/methods.md, "Patient data
// from Kaplan-Meier curves"; issue 10, item 6): two-arm trials are simulated, their
// Kaplan-Meier curves are "digitised", each arm is rebuilt from its points and its numbers at
// risk, and the Cox fit and the curves of the rebuilt patients are compared with those of the
// true patients.
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
// the end of each curve, as Guyot et al. (2012) advise. Two digitisations are tested:
//   - exact: those clicks as they are;
//   - realistic: every click gets Gaussian noise with SD 0.5% of the axis range in time and in
//     survival; 5% of the clicks are lost, 3% clicked twice, 2% of clicks land 0.03 above the
//     curve, and a quarter of the trials give survival in percent.
// Why this noise is realistic, not harsh: 0.5% of an axis is about 3-5 pixels of a figure 600-
// 1000 pixels wide, the order of a line's width and of the reading error reported for manual
// digitisers; and the clicks as a whole are no further from the true curves than manual
// digitisation is in the one study that measured it on simulated curves of 25-1000 patients
// (Zhang et al., SurvdigitizeR, BMC Med Res Methodol 2024;24:147: RMSE at 100 times 0.014 for
// trained researchers, 0.012 automated). Here the digitised points, read as a step function,
// have a mean RMSE of 0.0101 on the 200 trials below (0.0106 over 5000 trials on other seeds).
//
// Criteria (the rebuilt data with the numbers at risk):
//   - HR: |ln HR(rebuilt) - ln HR(true patients)| <= 0.05, Cox with Efron ties;
//   - curves, "within 0.02 of the true ones" read as the largest vertical distance between the
//     rebuilt and the true Kaplan-Meier curve (as IPDfromKM's max absolute error, Liu et al.,
//     BMC Med Res Methodol 2021;21:111, measures it against the points), where the figure still
//     carries information: on 201 equally spaced times t from 0 to the last time at which at
//     least 10 true patients remain at risk (the 10th largest follow-up time). A vertical step
//     read a little early or late must not count as a vertical error of its full height (Guyot
//     et al. compare survival probabilities at fixed times, which has the same problem next to
//     a step), so the rebuilt curve is allowed a shift in time of up to delta = 1% of the x
//     axis (twice the SD of the time noise; also the width of a merged drop): the distance at t
//     is 0 when S_true(t) lies between S_rebuilt(t + delta) and S_rebuilt(t - delta), else the
//     distance to the nearer of the two. The larger of the two arms' distances must be <= 0.02.
//     The same distance is computed for the digitised points themselves, read as a step
//     function (the best a reconstruction could do without knowing the truth).
//   - also printed: the mean RMSE at 100 equally spaced times from 0 to each arm's last
//     follow-up, Zhang et al.'s measure.
// The target is both criteria in >= 95% of 200 trials.
//
// Measured (200 trials on the seeds below; 5000 trials on seeds 21-25 in brackets):
//   - exact clicks: HR 98.5% [97.4%], curves 99.0% [99.8%]: both met;
//   - realistic clicks: HR 97.0% [95.1%, 95% CI 94.5-95.7%]: met, just (100% from 800
//     patients on, 93% [87%] below 200, where one event more or less in an arm of 20 moves ln HR
//     by more than 0.05); curves 65.0% [58.6%]: NOT met, and no reconstruction can meet it: the
//     digitised points themselves are within 0.02 of the true curve in only 66.0% [61.8%] of the
//     trials (below 200 patients in 25% [29%]). With a step of 1/20 or more (an arm of 20
//     patients, or any tail of the range, which runs down to 10 at risk), a click whose time
//     error exceeds the 1% tolerance (5% of clicks) or a lost bottom corner (the drop moves to
//     the next click) is an error above 0.02 in the points themselves. What the reconstruction
//     adds is small: the rebuilt curve is within 0.01 of the points' own distance in 99.5%
//     [97.4%] of the trials, and its mean RMSE, 0.0111 [0.0117], is below that of manual
//     digitisation (0.014).
// Asserted: the target where it is met (exact clicks: both; realistic clicks: HR, overall and
// from 200 patients on); for the curves with realistic clicks, that the reconstruction stays
// within 0.01 of the points' own distance in >= 95% of trials, that its mean RMSE stays below
// 0.014, and the measured rates as floors (so that a change that makes them worse fails). The
// rates are also printed with the total of events added and with n and the total of events
// only (no at-risk table); those are not asserted.
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

// The curve criterion of the banner for one arm: `curve` against the true curve.
double curve_distance(const km_curve& truth, const km_curve& curve, const arm_sample& a,
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
    const double hi = curve.survival_at(t - delta);
    const double lo = curve.survival_at(t + delta);
    const double dist = s > hi ? s - hi : s < lo ? lo - s : 0;
    worst = std::max(worst, dist);
  }
  return worst;
}

// Zhang et al.'s (2024) measure: RMSE at 100 equally spaced times from 0 to the last follow-up.
double rmse_100(const km_curve& truth, const km_curve& curve, const arm_sample& a) {
  const double t_end = *std::max_element(a.time.begin(), a.time.end());
  double sum = 0;
  constexpr int k_times = 100;
  for (int g = 0; g < k_times; ++g) {
    const double t = t_end * g / (k_times - 1);
    const double e = curve.survival_at(t) - truth.survival_at(t);
    sum += e * e;
  }
  return std::sqrt(sum / k_times);
}

// The digitised points as a step function (each point's value from its time on), which is
// what the figure tells without any reconstruction.
km_curve step_function_of(const digitised_curve& c) {
  km_curve km;
  auto clean = clean_curve(c);
  EXPECT_TRUE(clean.has_value()) << (clean ? "" : clean.error().what());
  if (!clean) return km;
  km.time = clean->time;
  km.surv = clean->survival;
  return km;
}

enum class route { at_risk, at_risk_and_events, events_only };

struct outcome {
  bool ok = false;
  double dloghr = 0;
  double curve = 0;   // worse of the two arms
  double points = 0;  // the same for the digitised points
  double rmse = 0;    // mean of the two arms
  double rmse_points = 0;
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
    const km_curve points = step_function_of(curves[a]);
    o.curve = std::max(o.curve, curve_distance(*km_t, *km_r, t, f));
    o.points = std::max(o.points, curve_distance(*km_t, points, t, f));
    o.rmse += rmse_100(*km_t, *km_r, t) / 2;
    o.rmse_points += rmse_100(*km_t, points, t) / 2;
  }
  o.ok = true;
  return o;
}

struct tally {
  int trials = 0, hr_ok = 0, curve_ok = 0, points_ok = 0, near_points = 0, nar_ok = 0;
  double worst_dloghr = 0, worst_curve = 0, sum_rmse = 0, sum_rmse_points = 0;
  void add(const outcome& o) {
    ++trials;
    hr_ok += o.ok && o.dloghr <= 0.05;
    curve_ok += o.ok && o.curve <= 0.02;
    points_ok += o.ok && o.points <= 0.02;
    near_points += o.ok && o.curve <= o.points + 0.01;
    nar_ok += o.ok && o.nar_matched;
    worst_dloghr = std::max(worst_dloghr, o.ok ? o.dloghr : INFINITY);
    worst_curve = std::max(worst_curve, o.ok ? o.curve : INFINITY);
    sum_rmse += o.ok ? o.rmse : 1;
    sum_rmse_points += o.ok ? o.rmse_points : 1;
  }
  [[nodiscard]] double rate(int k) const { return trials ? static_cast<double>(k) / trials : 0; }
  [[nodiscard]] double mean_rmse() const { return trials ? sum_rmse / trials : 0; }
  [[nodiscard]] double mean_rmse_points() const { return trials ? sum_rmse_points / trials : 0; }
  void print(const char* label) const {
    std::printf(
        "%-34s %3d trials: |d ln HR| <= 0.05 in %5.1f%% (worst %.3f); curves <= 0.02 in "
        "%5.1f%% (worst %.3f); at-risk matched in %5.1f%%\n",
        label, trials, 100 * rate(hr_ok), worst_dloghr, 100 * rate(curve_ok), worst_curve,
        100 * rate(nar_ok));
    std::printf(
        "%-34s     the points themselves <= 0.02 in %5.1f%%; rebuilt within 0.01 of the points' "
        "distance in %5.1f%%; mean RMSE rebuilt %.4f, points %.4f\n",
        "", 100 * rate(points_ok), 100 * rate(near_points), mean_rmse(), mean_rmse_points());
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
// Zhang et al. 2024 (banner): mean RMSE of manual digitisation by trained researchers.
constexpr double k_manual_rmse = 0.014;

TEST(km_simulation_test, exact_clicks_meet_both_criteria) {
  const simulation sim = simulate_trials(20261130, false);
  sim.print("Exact clicks (corners of every visible drop):");
  EXPECT_GE(sim.with_nar.rate(sim.with_nar.hr_ok), k_target);
  EXPECT_GE(sim.with_nar.rate(sim.with_nar.curve_ok), k_target);
}

TEST(km_simulation_test, realistic_clicks) {
  const simulation sim = simulate_trials(20261201, true);
  sim.print("Realistic clicks (noise, lost, repeated and stray clicks, percent):");
  const tally& all = sim.with_nar;
  // The HR target, overall (97.0% here, 95.1% in 5000 trials on seeds 21-25) and from 200
  // patients on (99.2% here).
  EXPECT_GE(all.rate(all.hr_ok), k_target);
  EXPECT_GE(sim.from_200.rate(sim.from_200.hr_ok), k_target);
  // The curves: the reconstruction adds at most 0.01 to the points' own distance from the true
  // curve (99.5% here, 97.4% in 5000 trials), and is closer to the truth than manual
  // digitisation (mean RMSE 0.0111 here, 0.0117 in 5000 trials).
  EXPECT_GE(all.rate(all.near_points), k_target);
  EXPECT_LT(all.mean_rmse(), k_manual_rmse);
  // Measured floors below the target (banner): curves within 0.02 in 65.0% of trials (the
  // points themselves in 66.0%), 100% from 800 patients (92.9% in 5000 trials); HR below 200
  // patients 93.0% (87.1% in 5000 trials).
  EXPECT_GE(all.rate(all.curve_ok), 0.60);
  EXPECT_GE(all.rate(all.curve_ok), all.rate(all.points_ok) - 0.05);
  EXPECT_GE(sim.large.rate(sim.large.curve_ok), 0.90);
  EXPECT_GE(sim.small.rate(sim.small.hr_ok), 0.85);
}

}  // namespace
}  // namespace srma
