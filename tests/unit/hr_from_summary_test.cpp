// Hazard ratios from published summaries (srma/data/hr_from_summary.hpp). Expected values are
// computed independently of srma's Boost.Math quantiles with Python's statistics.NormalDist
// (Python 3.11), from the formulas of Parmar et al. 1998 and Tierney et al. 2007; each test gives
// the expression. KEYNOTE-189 (Gandhi et al. 2018, NEJM 378:2078): OS HR 0.49, 95% CI 0.38-0.64.
#include "srma/data/hr_from_summary.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "srma/util/error_ids.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

using test::tol::estimate;

TEST(hr_from_summary_test, hr_with_ci_keynote189) {
  auto s = hr_from_ci(0.49, 0.38, 0.64);
  ASSERT_TRUE(s) << s.error().what();
  // se = (log(0.64) - log(0.38)) / (2 * NormalDist().inv_cdf(0.975))
  EXPECT_REL(s->se, 0.13298635274556314, estimate);
  EXPECT_REL(s->loghr, std::log(0.49), estimate);
  EXPECT_REL(s->v, 56.54391166615215, estimate);            // 1 / se**2
  EXPECT_REL(s->o_minus_e, -40.335593047202906, estimate);  // log(0.49) / se**2
  EXPECT_EQ(s->method, hr_method::ci);
  EXPECT_TRUE(s->notes.empty());  // halves 0.2542 and 0.2671 differ by < 10%
  // A 90% CI of the same limits is wider in SE units: z = NormalDist().inv_cdf(0.95).
  auto s90 = hr_from_ci(0.49, 0.38, 0.64, 90);
  ASSERT_TRUE(s90);
  EXPECT_REL(s90->se, 0.1584630130887221, estimate);
}

TEST(hr_from_summary_test, asymmetric_ci_is_noted) {
  auto s = hr_from_ci(0.5, 0.4, 0.9);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->notes.size(), 1u);
  EXPECT_NE(s->notes[0].find("asymmetric"), std::string::npos);
}

TEST(hr_from_summary_test, hr_with_p_value) {
  auto s = hr_from_p(0.72, 0.0032);
  ASSERT_TRUE(s) << s.error().what();
  // abs(log(0.72)) / NormalDist().inv_cdf(1 - 0.0032 / 2)
  EXPECT_REL(s->se, 0.11143881030164034, estimate);
  EXPECT_REL(s->loghr, std::log(0.72), estimate);
  EXPECT_EQ(s->method, hr_method::p_value);
  // Round trip: the p-value of ln HR / SE is the one given.
  auto back = hr_from_ci(0.72, std::exp(s->loghr - 1.959963984540054 * s->se),
                         std::exp(s->loghr + 1.959963984540054 * s->se));
  ASSERT_TRUE(back);
  EXPECT_REL(back->se, s->se, 1e-9);
}

TEST(hr_from_summary_test, logrank_forms) {
  auto oe = hr_from_oe_v(-8.5, 20.2);
  ASSERT_TRUE(oe);
  EXPECT_REL(oe->loghr, -0.42079207920792083, estimate);  // -8.5 / 20.2
  EXPECT_REL(oe->se, 0.2224970797449924, estimate);       // 1 / sqrt(20.2)
  EXPECT_REL(oe->o_minus_e, -8.5, estimate);
  auto obs = hr_from_observed_expected(30, 40, 50, 40);
  ASSERT_TRUE(obs);
  EXPECT_REL(obs->loghr, -0.5108256237659907, estimate);  // log((30/40) / (50/40))
  EXPECT_REL(obs->se, 0.22360679774997896, estimate);     // sqrt(1/40 + 1/40)
  auto chi = hr_from_logrank_chisq(6.25, 12.0, hr_direction::favours_research);
  ASSERT_TRUE(chi);
  EXPECT_REL(chi->loghr, -0.7216878364870323, estimate);  // -sqrt(6.25 * 12) / 12
  EXPECT_REL(chi->o_minus_e, -std::sqrt(6.25 * 12.0), estimate);
  auto chi_up = hr_from_logrank_chisq(6.25, 12.0, hr_direction::favours_control);
  ASSERT_TRUE(chi_up);
  EXPECT_REL(chi_up->loghr, -chi->loghr, estimate);
}

TEST(hr_from_summary_test, reported_log_hr_and_chisq_with_o_minus_e) {
  auto r = hr_from_loghr_se(-0.41, 0.21);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, hr_method::loghr_se);
  EXPECT_REL(r->v, 1 / (0.21 * 0.21), estimate);              // 1 / se**2
  EXPECT_REL(r->o_minus_e, -0.41 / (0.21 * 0.21), estimate);  // ln HR / se**2
  // V = (O - E)**2 / chisq = 21**2 / 6.64; ln HR = -21 / V; SE = 1 / sqrt(V)
  auto c = hr_from_logrank_chisq_oe(6.64, -21.0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->method, hr_method::logrank_chisq);
  EXPECT_REL(c->v, 66.41566265060241, estimate);
  EXPECT_REL(c->loghr, -0.3161904761904762, estimate);
  EXPECT_REL(c->se, 0.1227057021592869, estimate);
  EXPECT_EQ(hr_from_logrank_chisq_oe(0, -21).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_logrank_chisq_oe(6.64, 0).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_loghr_se(0.1, 0).error().id, errc::input_out_of_range);
}

TEST(hr_from_summary_test, directions_parse_in_several_spellings) {
  for (auto t : {"favours_research", "favours_treatment", "Favours treatment", "favors-research",
                 "treatment", "RESEARCH"})
    EXPECT_EQ(parse_hr_direction(t), hr_direction::favours_research) << t;
  for (auto t : {"favours_control", "favors control", "Control"})
    EXPECT_EQ(parse_hr_direction(t), hr_direction::favours_control) << t;
  EXPECT_FALSE(parse_hr_direction("up"));
  EXPECT_FALSE(parse_hr_direction(""));
  for (auto d : {hr_direction::favours_research, hr_direction::favours_control})
    EXPECT_EQ(parse_hr_direction(to_string(d)), d);
}

TEST(hr_from_summary_test, p_value_with_event_counts) {
  // V = 120 * 100 * 200 / 300**2; ln HR = -NormalDist().inv_cdf(0.99) * sqrt(V) / V
  auto s = hr_from_p_events(0.02, 120, 100, 200, hr_direction::favours_research);
  ASSERT_TRUE(s) << s.error().what();
  EXPECT_REL(s->loghr, -0.4504953286822602, estimate);
  EXPECT_REL(s->se, 0.19364916731037085, estimate);
  EXPECT_EQ(s->method, hr_method::p_events);
  // V = 40 * 60 / 100; ln HR = +NormalDist().inv_cdf(0.99) * sqrt(V) / V
  auto a = hr_from_p_arm_events(0.02, 40, 60, hr_direction::favours_control);
  ASSERT_TRUE(a);
  EXPECT_REL(a->loghr, 0.4748637713007076, estimate);
  EXPECT_REL(a->se, 0.20412414523193154, estimate);
}

TEST(hr_from_summary_test, every_route_agrees_with_its_log_rank_form) {
  for (auto s : {hr_from_ci(0.8, 0.6, 1.1), hr_from_p(1.3, 0.2), hr_from_oe_v(3, 15),
                 hr_from_p_events(0.5, 80, 50, 50, hr_direction::favours_control)}) {
    ASSERT_TRUE(s);
    EXPECT_REL(s->o_minus_e, s->v * s->loghr, 1e-12);
    EXPECT_REL(s->se, 1 / std::sqrt(s->v), 1e-12);
    auto again = hr_from_oe_v(s->o_minus_e, s->v);
    ASSERT_TRUE(again);
    EXPECT_REL(again->loghr, s->loghr, 1e-12);
  }
}

TEST(hr_from_summary_test, impossible_inputs_are_errors) {
  EXPECT_EQ(hr_from_ci(0.5, 0.6, 0.4).error().what(),
            "[srma.input.E205] HR 0.5 (0.6, 0.4): the lower limit must be below the upper");
  EXPECT_EQ(hr_from_ci(0.9, 0.4, 0.8).error().what(),
            "[srma.input.E205] HR 0.9 lies outside its CI (0.4, 0.8)");
  EXPECT_EQ(hr_from_ci(0.5, 0, 0.8).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_ci(0.5, 0.4, 0.8, 0.95 - 1).error().id, errc::input_bad_ci_level);
  EXPECT_EQ(hr_from_p(0.7, 0).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_p(0.7, 1).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_p(1, 0.5).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_oe_v(1, 0).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_observed_expected(0, 4, 5, 6).error().id, errc::input_out_of_range);
  EXPECT_EQ(hr_from_logrank_chisq(-1, 3, hr_direction::favours_research).error().id,
            errc::input_out_of_range);
  EXPECT_EQ(hr_from_p_events(0.05, 300, 100, 100, hr_direction::favours_research).error().what(),
            "[srma.input.E205] 300 events among 200 randomised patients");
  EXPECT_EQ(hr_from_p_arm_events(0.05, 0, 10, hr_direction::favours_research).error().id,
            errc::input_out_of_range);
}

TEST(hr_from_summary_test, method_names_round_trip) {
  for (auto m : {hr_method::ci, hr_method::loghr_se, hr_method::oe_v, hr_method::observed_expected,
                 hr_method::logrank_chisq, hr_method::p_value, hr_method::p_events,
                 hr_method::p_arm_events, hr_method::km_reconstruction, hr_method::ipd})
    EXPECT_EQ(parse_hr_method(to_string(m)), m);
  EXPECT_FALSE(parse_hr_method("digitiser"));
}

}  // namespace
}  // namespace srma
