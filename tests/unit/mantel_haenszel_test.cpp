// Unit tests of Mantel-Haenszel pooling (srma/model/mantel_haenszel.hpp) and Peto's odds ratio
// (srma/model/peto.hpp): a two-table example computed by hand, zero-cell rules, and hostile
// input, each with its error id and full message. The metafor comparisons on published data are
// in tests/validation/mh_peto_test.cpp.
#include "srma/model/mantel_haenszel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "srma/model/peto.hpp"
#include "srma/util/error_ids.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

using test::tol::estimate;

// Two tables: 2/5 vs 1/5 (a, b, c, d = 2, 3, 1, 4; N = 10) and 3/6 vs 2/4 (3, 3, 2, 2; N = 10).
const std::vector<double> k_et{2, 3}, k_nt{5, 6}, k_ec{1, 2}, k_nc{5, 4};

template <typename T>
void expect_error(const expected<T>& r, const char* id, const std::string& message) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().id, id);
  EXPECT_EQ(r.error().message, message);
}

TEST(mantel_haenszel_test, odds_ratio_by_hand) {
  // By hand: R_i = a d/N = 0.8, 0.6; S_i = b c/N = 0.3, 0.6; OR = 1.4/0.9 = 14/9.
  // P_i = (a + d)/N = 0.6, 0.5; Q_i = 0.4, 0.5; sum P R = 0.78, sum (P S + Q R) = 1.1,
  // sum Q S = 0.42; var(log OR) = (0.78/1.96 + 1.1/1.26 + 0.42/0.81)/2 = 0.894746787603931.
  // Same in R 4.2.2, metafor 3.8-1: rma.mh(ai=c(2,3), n1i=c(5,6), ci=c(1,2), n2i=c(5,4)):
  // beta 0.4418328, se 0.9459106, QE 0.2565780.
  const auto r = pool_mantel_haenszel(k_et, k_nt, k_ec, k_nc);
  ASSERT_TRUE(r.has_value()) << r.error().what();
  EXPECT_REL(r->estimate.estimate, std::log(14.0 / 9.0), estimate);
  EXPECT_REL(r->estimate.se, std::sqrt(0.5 * (0.78 / 1.96 + 1.1 / 1.26 + 0.42 / 0.81)), estimate);
  EXPECT_REL(r->estimate.statistic, r->estimate.estimate / r->estimate.se, estimate);
  EXPECT_REL(r->estimate.ci_lower, r->estimate.estimate - 1.959963984540054 * r->estimate.se,
             estimate);
  // Weights S_i / sum S: 0.3/0.9 and 0.6/0.9.
  EXPECT_REL(r->weight[0], 100.0 / 3, estimate);
  EXPECT_REL(r->weight[1], 200.0 / 3, estimate);
  // Q: per-table log OR ln(8/3) and 0 with variances 1/2 + 1/3 + 1 + 1/4 = 25/12 and
  // 1/3 + 1/3 + 1/2 + 1/2 = 5/3, about ln(14/9); df 1.
  const double mu = std::log(14.0 / 9.0);
  const double q = std::pow(std::log(8.0 / 3.0) - mu, 2) / (25.0 / 12) + mu * mu / (5.0 / 3);
  EXPECT_REL(r->Q, q, estimate);
  EXPECT_EQ(r->Q_df, 1);
  EXPECT_EQ(r->I2, 0);  // Q < df
  EXPECT_REL(r->H2, q, estimate);
  // CMH: sum (a - n1 m/N) = 0.5 + 0; with correction (0.5 - 0.5)^2 = 0.
  EXPECT_EQ(r->cmh, 0);
  EXPECT_EQ(r->cochran, 0);
  EXPECT_EQ(r->k_pooled, 2u);
  EXPECT_EQ(r->k_q, 2u);
  EXPECT_TRUE(r->notes.empty());

  // Without correction: 0.25 / sum n1 n2 m (N - m)/(N^2 (N - 1)) = 0.25/(0.58333 + 0.66667)
  // = 0.2 (CMH); 0.25 / sum n1 n2 m (N - m)/N^3 = 0.25/1.125 = 2/9 (Cochran). metafor 3.8-1,
  // correct=FALSE: MH 0.2000000, CO 0.2222222.
  mh_options o;
  o.correct = false;
  const auto u = pool_mantel_haenszel(k_et, k_nt, k_ec, k_nc, o);
  ASSERT_TRUE(u.has_value());
  EXPECT_REL(u->cmh, 0.2, estimate);
  EXPECT_REL(u->cochran, 2.0 / 9.0, estimate);
}

TEST(mantel_haenszel_test, risk_ratio_and_difference_by_hand) {
  // RR: R = sum a n2/N = 1 + 1.2 = 2.2, S = sum c n1/N = 0.5 + 1.2 = 1.7;
  // var = ((25*3/100 - 2/10) + (24*5/100 - 6/10)) / (2.2 * 1.7) = 1.15/3.74.
  // metafor 3.8-1 rma.mh(..., measure="RR"): beta 0.2578291, se 0.5545148.
  const auto rr =
      pool_mantel_haenszel(k_et, k_nt, k_ec, k_nc, mh_options_metafor(effect_measure::risk_ratio));
  ASSERT_TRUE(rr.has_value());
  EXPECT_REL(rr->estimate.estimate, std::log(2.2 / 1.7), estimate);
  EXPECT_REL(rr->estimate.se, std::sqrt(1.15 / 3.74), estimate);
  EXPECT_TRUE(std::isnan(rr->cmh));
  EXPECT_TRUE(std::isnan(rr->tarone));

  // RD = sum (a n2 - c n1)/N / sum n1 n2/N = 0.5/4.9. Sato's variance (independent computation
  // in Python): 0.0468342272352506; metafor 3.8-1 rma.mh(..., measure="RD"): se 0.2164122.
  // Greenland-Robins: sum (a b n2^3 + c d n1^3)/(n1 n2 N^2) / 4.9^2
  // = ((750 + 500)/2500 + (576 + 864)/2400)/24.01 = 1.1/24.01 = 0.04581424406497292.
  const auto rd = pool_mantel_haenszel(k_et, k_nt, k_ec, k_nc,
                                       mh_options_metafor(effect_measure::risk_difference));
  ASSERT_TRUE(rd.has_value());
  EXPECT_REL(rd->estimate.estimate, 0.5 / 4.9, estimate);
  EXPECT_REL(rd->estimate.se, std::sqrt(0.0468342272352506), estimate);
  mh_options gr = mh_options_metafor(effect_measure::risk_difference);
  gr.rd_variance = mh_rd_variance::greenland_robins;
  const double gr_var = ((2.0 * 3 * 125 + 1.0 * 4 * 125) / (25.0 * 100) +
                         (3.0 * 3 * 64 + 2.0 * 2 * 216) / (24.0 * 100)) /
                        (4.9 * 4.9);
  EXPECT_REL(gr_var, 0.04581424406497292, 1e-12);
  const auto rd_gr = pool_mantel_haenszel(k_et, k_nt, k_ec, k_nc, gr);
  ASSERT_TRUE(rd_gr.has_value());
  EXPECT_REL(rd_gr->estimate.se, std::sqrt(gr_var), estimate);
  EXPECT_REL(rd_gr->estimate.estimate, 0.5 / 4.9, estimate);
}

TEST(mantel_haenszel_test, peto_by_hand) {
  // Table 1: m = 3 events, O - E = 2 - 5*3/10 = 0.5, V = 5*5*3*7/(100*9) = 0.583333;
  // table 2: m = 5, O - E = 3 - 6*5/10 = 0, V = 6*4*5*5/(100*9) = 0.666667.
  // log OR = 0.5/1.25 = 0.4, SE = 1/sqrt(1.25); Q = 0.25/0.583333 - 0.25/1.25 = 3/7 - 1/5 = 8/35.
  // metafor 3.8-1 rma.peto(ai=c(2,3), n1i=c(5,6), ci=c(1,2), n2i=c(5,4)): 0.4, 0.8944272,
  // QE 0.2285714.
  const auto r = pool_peto(k_et, k_nt, k_ec, k_nc);
  ASSERT_TRUE(r.has_value()) << r.error().what();
  EXPECT_REL(r->estimate.estimate, 0.4, estimate);
  EXPECT_REL(r->estimate.se, 1 / std::sqrt(1.25), estimate);
  EXPECT_REL(r->Q, 8.0 / 35.0, estimate);
  EXPECT_EQ(r->Q_df, 1);
  EXPECT_REL(r->v[0], 21.0 / 36.0, estimate);
  EXPECT_REL(r->weight[0], 100 * (21.0 / 36.0) / 1.25, estimate);
  EXPECT_REL(r->yi[0], 0.5 / (21.0 / 36.0), estimate);
  EXPECT_EQ(r->yi[1], 0);
}

TEST(mantel_haenszel_test, one_table_has_its_own_estimate_and_metafors_k1_heterogeneity) {
  // One table 2/5 vs 1/5: MH OR = a d / (b c) = 8/3 (its own OR).
  const std::vector<double> et{2}, nt{5}, ec{1}, nc{5};
  const auto r = pool_mantel_haenszel(et, nt, ec, nc);
  ASSERT_TRUE(r.has_value()) << r.error().what();
  EXPECT_REL(r->estimate.estimate, std::log(8.0 / 3.0), estimate);
  // RGB variance of one table is Woolf's: 1/a + 1/b + 1/c + 1/d = 2.083333.
  EXPECT_REL(r->estimate.se, std::sqrt(25.0 / 12.0), estimate);
  // metafor 3.8-1, rma.mh(ai=2, bi=3, ci=1, di=4) and rma.peto(...) at k = 1:
  // QE = 0, QEp = 1, I2 = 0, H2 = 1.
  EXPECT_EQ(r->Q, 0);
  EXPECT_EQ(r->Q_p, 1);
  EXPECT_EQ(r->I2, 0);
  EXPECT_EQ(r->H2, 1);
  EXPECT_EQ(r->Q_df, 0);
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_EQ(r->notes[0],
            "heterogeneity is not estimable: 1 table has an estimate of its own (Q = 0, I^2 = 0 "
            "by convention)");
  const auto p = pool_peto(et, nt, ec, nc);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->Q, 0);
  EXPECT_EQ(p->Q_p, 1);
  EXPECT_EQ(p->I2, 0);
  EXPECT_EQ(p->H2, 1);
}

TEST(mantel_haenszel_test, zero_cell_rules_metafor_and_revman5) {
  // Tables 2/5 vs 1/5, 0/8 vs 0/9 (double zero) and 0/6 vs 3/6 (single zero).
  const std::vector<double> et{2, 0, 0}, nt{5, 8, 6}, ec{1, 0, 3}, nc{5, 9, 6};
  const std::vector<std::string> labels{"A", "B", "C"};
  // metafor: exact sums. B adds nothing (a d = b c = 0); C adds R = 0, S = 6*3/12 = 1.5.
  // OR = 0.8 / (0.3 + 1.5).
  const auto m = pool_mantel_haenszel(et, nt, ec, nc, {}, labels);
  ASSERT_TRUE(m.has_value()) << m.error().what();
  EXPECT_REL(m->estimate.estimate, std::log(0.8 / 1.8), estimate);
  EXPECT_EQ(m->k_pooled, 3u);
  EXPECT_EQ(m->k_q, 2u);
  EXPECT_TRUE(m->in_pool[1]);
  EXPECT_FALSE(m->in_q[1]);
  EXPECT_EQ(m->weight[1], 0);
  EXPECT_TRUE(std::isnan(m->yi[1]));
  // C's Q estimate has 0.5 added (escalc): ln((0.5*3.5)/(6.5*3.5)) = ln(1/13).
  EXPECT_REL(m->yi[2], std::log(0.5 / 6.5), estimate);
  ASSERT_EQ(m->notes.size(), 1u);
  EXPECT_EQ(m->notes[0],
            "B: no events in either arm; kept in the Mantel-Haenszel sums (it adds nothing to "
            "them), left out of Q (it has no odds ratio of its own)");

  // RevMan 5: B is not estimable and left out; C becomes 0.5/6.5 vs 3.5/3.5 (N = 14):
  // R = 0.5*3.5/14 = 0.125, S = 6.5*3.5/14 = 1.625; OR = (0.8 + 0.125)/(0.3 + 1.625).
  const auto rv =
      pool_mantel_haenszel(et, nt, ec, nc, mh_options_revman5(effect_measure::odds_ratio), labels);
  ASSERT_TRUE(rv.has_value()) << rv.error().what();
  EXPECT_REL(rv->estimate.estimate, std::log(0.925 / 1.925), estimate);
  EXPECT_EQ(rv->k_pooled, 2u);
  EXPECT_FALSE(rv->in_pool[1]);
  EXPECT_TRUE(std::isnan(rv->weight[1]));
  EXPECT_TRUE(rv->corrected[2]);
  EXPECT_FALSE(rv->corrected[0]);
  ASSERT_EQ(rv->notes.size(), 2u);
  EXPECT_EQ(rv->notes[0], "0.5 added to every cell of the table with a zero cell: C");
  EXPECT_EQ(rv->notes[1],
            "B: no events in either arm, so its odds ratio is not estimable; left out of the "
            "Mantel-Haenszel estimate and Q");

  // RD keeps B in both conventions' sums; RevMan 5 also keeps it in Q with RD 0.
  const auto d = pool_mantel_haenszel(et, nt, ec, nc,
                                      mh_options_revman5(effect_measure::risk_difference), labels);
  ASSERT_TRUE(d.has_value()) << d.error().what();
  EXPECT_EQ(d->k_pooled, 3u);
  EXPECT_EQ(d->k_q, 3u);
  EXPECT_EQ(d->yi[1], 0);
  // C's RD from the counts as given: 0 - 0.5 (not 0.5/6.5 - 3.5/7 after correction).
  EXPECT_EQ(d->yi[2], -0.5);
  // Estimate from the counts as given: (2*5 - 1*5)/10 + 0 + (0 - 3*6)/12 over
  // 2.5 + 72/17 + 3.
  EXPECT_REL(d->estimate.estimate, (0.5 + 0 - 1.5) / (2.5 + 72.0 / 17 + 3), estimate);
}

TEST(mantel_haenszel_test, study_order_does_not_matter) {
  const std::vector<double> et{2, 0, 0, 7}, nt{5, 8, 6, 20}, ec{1, 0, 3, 4}, nc{5, 9, 6, 21};
  const std::vector<double> et2{7, 0, 2, 0}, nt2{20, 6, 5, 8}, ec2{4, 3, 1, 0}, nc2{21, 6, 5, 9};
  for (auto m :
       {effect_measure::odds_ratio, effect_measure::risk_ratio, effect_measure::risk_difference}) {
    for (const mh_options& o : {mh_options_metafor(m), mh_options_revman5(m)}) {
      const auto a = pool_mantel_haenszel(et, nt, ec, nc, o);
      const auto b = pool_mantel_haenszel(et2, nt2, ec2, nc2, o);
      ASSERT_TRUE(a.has_value() && b.has_value());
      EXPECT_REL(a->estimate.estimate, b->estimate.estimate, 1e-12);
      EXPECT_REL(a->estimate.se, b->estimate.se, 1e-12);
      EXPECT_REL(a->Q, b->Q, 1e-12);
      if (m == effect_measure::odds_ratio) {
        EXPECT_REL(a->tarone, b->tarone, 1e-12);
      }
    }
  }
}

// ---- hostile input ---------------------------------------------------------------------------

TEST(mantel_haenszel_test, hostile_tables) {
  const std::vector<double> ok{2, 3}, n{5, 6};
  expect_error(pool_mantel_haenszel(ok, std::vector<double>{5, 0}, ok, n), errc::input_bad_2x2,
               "n_t[1] is 0, but a group size must be > 0");
  expect_error(pool_mantel_haenszel(ok, n, std::vector<double>{12, 3}, n), errc::input_bad_2x2,
               "events_c[0] is 12, but events cannot exceed n_c[0] = 5");
  expect_error(pool_mantel_haenszel(std::vector<double>{-1, 3}, n, ok, n), errc::input_bad_2x2,
               "events_t[0] is -1, but counts must be whole numbers >= 0");
  expect_error(pool_mantel_haenszel(std::vector<double>{1.5, 3}, n, ok, n), errc::input_bad_2x2,
               "events_t[0] is 1.5, but counts must be whole numbers >= 0");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  expect_error(pool_mantel_haenszel(std::vector<double>{2, nan}, n, ok, n),
               errc::input_out_of_range, "events_t[1] is nan, but must be finite");
  expect_error(pool_mantel_haenszel(ok, std::vector<double>{5, 6, 7}, ok, n),
               errc::input_length_mismatch,
               "events_t has 2 values and n_t 3; they must have the same length");
  const std::vector<std::string> one_label{"A"};
  expect_error(pool_mantel_haenszel(ok, n, ok, n, {}, one_label), errc::input_length_mismatch,
               "events_t has 2 values and labels 1; they must have the same length");
  const std::vector<double> none;
  expect_error(pool_mantel_haenszel(none, none, none, none), errc::model_too_few_studies,
               "Mantel-Haenszel pooling needs at least one 2x2 table (k = 0)");
  // Peto runs the same checks.
  expect_error(pool_peto(ok, n, std::vector<double>{12, 3}, n), errc::input_bad_2x2,
               "events_c[0] is 12, but events cannot exceed n_c[0] = 5");
  expect_error(pool_peto(none, none, none, none), errc::model_too_few_studies,
               "Peto's method needs at least one 2x2 table (k = 0)");
}

TEST(mantel_haenszel_test, all_tables_double_zero) {
  // 0/10 vs 0/12 and 9/9 vs 4/4: no table informs an OR or RR.
  const std::vector<double> et{0, 9}, nt{10, 9}, ec{0, 4}, nc{12, 4};
  expect_error(pool_mantel_haenszel(et, nt, ec, nc), errc::model_too_few_studies,
               "the Mantel-Haenszel odds ratio is 0/0: no table has both an event in the "
               "treatment arm and a non-event in the control arm, and no table has both a "
               "non-event in the treatment arm and an event in the control arm");
  expect_error(pool_mantel_haenszel(et, nt, ec, nc, mh_options_revman5(effect_measure::odds_ratio)),
               errc::model_too_few_studies,
               "no table is left to pool: the odds ratio is not estimable in any of the 2 tables "
               "(no events in either arm, or events in everybody)");
  // RR: the all-event table has RR 1 and is estimable; both tables without events are not.
  const std::vector<double> z{0, 0}, nz{10, 12};
  expect_error(pool_mantel_haenszel(z, nz, z, nz, mh_options_metafor(effect_measure::risk_ratio)),
               errc::model_too_few_studies,
               "the Mantel-Haenszel risk ratio is 0/0: no table has an event");
  expect_error(pool_mantel_haenszel(z, nz, z, nz, mh_options_revman5(effect_measure::risk_ratio)),
               errc::model_too_few_studies,
               "no table is left to pool: the risk ratio is not estimable in any of the 2 tables "
               "(no events in either arm)");
  // RD with the counts as given (Sato): RD 0 with variance 0.
  expect_error(
      pool_mantel_haenszel(et, nt, ec, nc, mh_options_metafor(effect_measure::risk_difference)),
      errc::model_too_few_studies,
      "the Mantel-Haenszel risk difference has variance 0: every table has no events, or events "
      "in everybody, in both arms");
  // RevMan 5's RD: the corrected cells give a variance, the estimate is 0. Greenland-Robins:
  // table 1 corrected 0.5/11 vs 0.5/13 (N = 24): (0.5*10.5*13^3 + 0.5*12.5*11^3)/(11*13*24^2);
  // table 2: 9.5/10 vs 4.5/5 (N = 15): (9.5*0.5*125 + 4.5*0.5*1000)/(10*5*225); over
  // (sum n1 n2/N)^2 = (120/22 + 36/13)^2 (counts as given).
  const auto rd =
      pool_mantel_haenszel(et, nt, ec, nc, mh_options_revman5(effect_measure::risk_difference));
  ASSERT_TRUE(rd.has_value()) << rd.error().what();
  EXPECT_EQ(rd->estimate.estimate, 0);
  const double v = ((0.5 * 10.5 * 2197 + 0.5 * 12.5 * 1331) / (11.0 * 13 * 576) +
                    (9.5 * 0.5 * 125 + 4.5 * 0.5 * 1000) / (10.0 * 5 * 225)) /
                   std::pow(120.0 / 22 + 36.0 / 13, 2);
  EXPECT_REL(rd->estimate.se, std::sqrt(v), estimate);
  expect_error(pool_peto(et, nt, ec, nc), errc::model_too_few_studies,
               "Peto's odds ratio is not estimable: none of the 2 tables has both events and "
               "non-events");
}

TEST(mantel_haenszel_test, one_arm_never_has_events) {
  // No events in the treatment arms: MH OR and RR are 0, log -infinity.
  const std::vector<double> z{0, 0}, n{10, 12}, ec{3, 1};
  expect_error(pool_mantel_haenszel(z, n, ec, n), errc::model_too_few_studies,
               "the Mantel-Haenszel odds ratio is 0: no table has both an event in the treatment "
               "arm and a non-event in the control arm");
  expect_error(pool_mantel_haenszel(z, n, ec, n, mh_options_metafor(effect_measure::risk_ratio)),
               errc::model_too_few_studies,
               "the Mantel-Haenszel risk ratio is 0: no table has an event in the treatment arm");
  expect_error(pool_mantel_haenszel(ec, n, z, n, mh_options_metafor(effect_measure::risk_ratio)),
               errc::model_too_few_studies,
               "the Mantel-Haenszel risk ratio is infinite: no table has an event in the control "
               "arm");
  // With RevMan 5's correction both tables get 0.5 added, and the OR is finite.
  EXPECT_TRUE(pool_mantel_haenszel(z, n, ec, n, mh_options_revman5(effect_measure::odds_ratio))
                  .has_value());
}

TEST(mantel_haenszel_test, bad_options) {
  mh_options o;
  o.measure = effect_measure::hazard_ratio;
  EXPECT_EQ(o.validate(), "the Mantel-Haenszel method pools OR, RR or RD, not HR");
  expect_error(pool_mantel_haenszel(k_et, k_nt, k_ec, k_nc, o), errc::model_bad_options,
               "the Mantel-Haenszel method pools OR, RR or RD, not HR");
  o = mh_options{};
  o.level = 100;
  EXPECT_EQ(o.validate(), "the confidence level is 100, but must lie strictly between 0 and 100");
  o = mh_options_revman5(effect_measure::risk_difference);
  EXPECT_EQ(o.validate(), "");
  o.rd_variance = mh_rd_variance::sato;
  EXPECT_EQ(o.validate(),
            "Sato's variance of the risk difference is defined for the counts as given; with 0.5 "
            "added to tables with a zero cell use the Greenland-Robins variance");
  peto_options p;
  p.level = std::numeric_limits<double>::quiet_NaN();
  expect_error(pool_peto(k_et, k_nt, k_ec, k_nc, p), errc::model_bad_options,
               "the confidence level is nan, but must lie strictly between 0 and 100");
}

TEST(mantel_haenszel_test, option_names_round_trip) {
  for (auto z : {mh_zero_cells::none, mh_zero_cells::add_half})
    EXPECT_EQ(parse_mh_zero_cells(to_string(z)), z);
  for (auto d : {mh_double_zero::keep, mh_double_zero::drop})
    EXPECT_EQ(parse_mh_double_zero(to_string(d)), d);
  for (auto v : {mh_rd_variance::sato, mh_rd_variance::greenland_robins})
    EXPECT_EQ(parse_mh_rd_variance(to_string(v)), v);
  EXPECT_FALSE(parse_mh_zero_cells("half").has_value());
}

}  // namespace
}  // namespace srma
