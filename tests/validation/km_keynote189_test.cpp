// KEYNOTE-189 overall survival (Gandhi et al., NEJM 2018;378:2078-92, Figure 1A): patient data
// rebuilt from the digitised curves and the numbers at risk of both arms (Guyot 2012), then the
// two-arm Cox model. The points are those distributed with R's reconstructKM package (vignette
// data); tests/validation/data/km/keynote189/README.md gives the sources of every number below.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "srma/survival/cox.hpp"
#include "srma/survival/km_reconstruct.hpp"

namespace {

std::string km_data(const std::string& file) {
  return std::string(SRMA_TEST_DATA_DIR) + "/km/keynote189/" + file;
}

srma::digitised_arm load_arm(const std::string& name, const std::string& stem) {
  srma::digitised_arm arm;
  arm.name = name;
  auto curve = srma::read_digitised_curve(km_data(stem + "_clicks.csv"));
  EXPECT_TRUE(curve.has_value()) << (curve ? "" : curve.error().what());
  if (curve) arm.curve = *curve;
  auto nar = srma::read_at_risk(km_data(stem + "_NAR.csv"));
  EXPECT_TRUE(nar.has_value()) << (nar ? "" : nar.error().what());
  if (nar) arm.at_risk = *nar;
  return arm;
}

struct rebuilt {
  std::vector<srma::arm_reconstruction> arms;
  srma::cox_result cox;
};

rebuilt rebuild_keynote189(srma::censoring_span span = srma::censoring_span::at_risk_interval) {
  rebuilt r;
  srma::reconstruct_options rebuild;
  rebuild.span = span;
  for (const auto& [name, stem] :
       {std::pair{"Pembrolizumab", "kn189_pembro"}, std::pair{"Placebo", "kn189_pbo"}}) {
    auto arm = srma::reconstruct_arm(load_arm(name, stem), rebuild);
    EXPECT_TRUE(arm.has_value()) << (arm ? "" : arm.error().what());
    if (arm) r.arms.push_back(*arm);
  }
  if (r.arms.size() != 2) return r;
  const auto ipd = srma::to_survival_data(r.arms);
  auto fit = srma::cox_two_arm(ipd, 0, 1);  // Efron ties
  EXPECT_TRUE(fit.has_value()) << (fit ? "" : fit.error().what());
  if (fit) r.cox = *fit;
  return r;
}

// reconstructKM (format_raw_tabs + KM_reconstruct on these points) followed by
// survival::coxph(Surv(time, status) ~ arm) with Efron ties: HR 0.4967 (0.3837-0.6431), the HR
// its vignette prints (data/km/keynote189/README.md). Published (Gandhi 2018): 0.49 (0.38-0.64).
constexpr double k_reconstructkm_hr = 0.4967;
// The criterion: within 2% of reconstructKM's HR on the log scale.
constexpr double k_loghr_tolerance = 0.02;

TEST(km_keynote189_test, cox_hr_matches_reconstructkm) {
  const auto r = rebuild_keynote189();
  ASSERT_EQ(r.arms.size(), 2U);
  std::printf(
      "KEYNOTE-189 rebuilt: HR %.4f (%.4f-%.4f), events %g / %g, n %zu / %zu, "
      "max |KM - points| %.4f / %.4f\n",
      r.cox.hr, r.cox.ci_lower, r.cox.ci_upper, r.arms[0].events, r.arms[1].events,
      r.arms[0].time.size(), r.arms[1].time.size(), r.arms[0].max_abs_error,
      r.arms[1].max_abs_error);
  EXPECT_LE(std::abs(r.cox.loghr - std::log(k_reconstructkm_hr)), k_loghr_tolerance)
      << "HR " << r.cox.hr;
  // The published CI: the rebuilt data carry about as much information as the trial's.
  EXPECT_NEAR(r.cox.ci_lower, 0.3837, 0.02);
  EXPECT_NEAR(r.cox.ci_upper, 0.6431, 0.03);
}

// The rebuilt patients written as CSV (17 significant digits) and refitted with R 4.2.2,
// survival 3.5-3: coxph(Surv(time, event) ~ I(arm == "Pembrolizumab"), ties = "efron"); the
// same for the patients rebuilt with Guyot's spacing (data/km/keynote189/README.md).
TEST(km_keynote189_test, cox_fit_of_the_rebuilt_patients_matches_r) {
  auto r = rebuild_keynote189();
  ASSERT_EQ(r.arms.size(), 2U);
  EXPECT_NEAR(r.cox.loghr, -0.696251, 1e-6);
  EXPECT_NEAR(r.cox.se, 0.131726, 1e-6);
  r = rebuild_keynote189(srma::censoring_span::points);
  ASSERT_EQ(r.arms.size(), 2U);
  EXPECT_NEAR(r.cox.loghr, -0.699648, 1e-6);
  EXPECT_NEAR(r.cox.se, 0.131747, 1e-6);
  EXPECT_LE(std::abs(r.cox.loghr - std::log(k_reconstructkm_hr)), k_loghr_tolerance);
  EXPECT_EQ(r.arms[0].events, 126);
  EXPECT_EQ(r.arms[1].events, 107);
}

TEST(km_keynote189_test, numbers_at_risk_matched_at_every_time_used) {
  const auto r = rebuild_keynote189();
  ASSERT_EQ(r.arms.size(), 2U);
  for (const auto& arm : r.arms) {
    // Numbers at risk every 3 months from 0 to 21; the points end at 15.2 (pembrolizumab) and
    // 15.1 months (placebo), but 18 and 8 patients are still at risk at 18 months: the curves
    // are extended flat to 18, so 0, 3, ..., 18 are used, and 21 (0 at risk) is left out with a
    // warning.
    ASSERT_EQ(arm.at_risk.size(), 7U) << arm.name;
    for (std::size_t i = 0; i < arm.at_risk.size(); ++i) {
      const auto& c = arm.at_risk[i];
      EXPECT_EQ(c.time, 3.0 * static_cast<double>(i)) << arm.name;
      EXPECT_EQ(c.reconstructed, c.reported) << arm.name << " at " << c.time;
    }
    bool extended_warned = false;
    bool dropped_warned = false;
    for (const auto& w : arm.warnings) {
      if (w.find("the curve was extended flat to 18") != std::string::npos) extended_warned = true;
      if (w.find("at risk at 21 lies after") != std::string::npos) dropped_warned = true;
    }
    EXPECT_TRUE(extended_warned) << arm.name;
    EXPECT_TRUE(dropped_warned) << arm.name;
    for (const auto& w : arm.warnings) std::printf("%s: %s\n", arm.name.c_str(), w.c_str());
    // Every patient accounted for: 410 and 206 randomised (Gandhi 2018).
    EXPECT_EQ(arm.time.size(), static_cast<std::size_t>(arm.at_risk.front().reported));
    // The rebuilt curve follows the points to within one patient's step in the tail.
    EXPECT_LT(arm.max_abs_error, 0.02) << arm.name;
  }
}

}  // namespace
