// Tests of srma/review/agreement.hpp: Po, Pe, Cohen's kappa with its Fleiss-Cohen-Everitt
// standard error and Wald limits, PABAK and the Landis & Koch labels, against R's psych package
// (tools/make_reference_agreement.R); kappa undefined when Pe = 1; every error message in full.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "srma/review/agreement.hpp"
#include "test_util.hpp"

namespace srma::review {
namespace {

using test::tol::estimate;

struct reference {
  agreement_table t;
  double level;
  double po, pe, kappa, se, lower, upper, pabak;
};

// Rscript tools/make_reference_agreement.R (R 4.2.2, psych 2.2.9):
//   x <- matrix(c(a, b, c, d), 2, 2, byrow = TRUE); r <- cohen.kappa(x, alpha = 1 - level)
//   r$kappa, sqrt(r$var.kappa), r$confid[1, 1], r$confid[1, 3]; Po, Pe, PABAK from the
//   proportions p <- x / sum(x): sum(diag(p)), sum(rowSums(p) * colSums(p)), 2 Po - 1.
const std::vector<reference>& references() {
  static const std::vector<reference> r = {
      // review.md §4 check vector: Po 0.960, Pe 0.923, kappa 0.4805, PABAK 0.920.
      {{20, 30, 10, 940},
       0.95,
       0.96,
       0.923,
       0.480519480519481,
       0.0698893142759298,
       0.343538941634457,
       0.617500019404504,
       0.92},
      {{40, 9, 6, 45},
       0.95,
       0.85,
       0.5008,
       0.699519230769231,
       0.0713936026999882,
       0.559590340750693,
       0.839448120787769,
       0.7},
      {{5, 20, 25, 10},
       0.95,
       0.25,
       0.5,
       -0.5,
       0.110239637961025,
       -0.716065720072343,
       -0.283934279927657,
       -0.5},
      {{3, 1, 2, 4},
       0.95,
       0.7,
       0.5,
       0.4,
       0.283971829588782,
       -0.156574558617958,
       0.956574558617957,
       0.4},
      {{20, 30, 10, 940},
       0.90,
       0.96,
       0.923,
       0.480519480519481,
       0.0698893142759298,
       0.365561788447566,
       0.595477172591395,
       0.92},
      {{40, 9, 6, 45},
       0.90,
       0.85,
       0.5008,
       0.699519230769231,
       0.0713936026999882,
       0.582087204427023,
       0.816951257111439,
       0.7},
      {{5, 20, 25, 10},
       0.90,
       0.25,
       0.5,
       -0.5,
       0.110239637961025,
       -0.681328068334009,
       -0.318671931665991,
       -0.5},
      {{3, 1, 2, 4},
       0.90,
       0.7,
       0.5,
       0.4,
       0.283971829588782,
       -0.067092093851153,
       0.867092093851153,
       0.4},
  };
  return r;
}

TEST(review_agreement_test, matches_psych_cohen_kappa) {
  for (const auto& ref : references()) {
    SCOPED_TRACE(testing::Message() << ref.t.a << "," << ref.t.b << "," << ref.t.c << "," << ref.t.d
                                    << " level " << ref.level);
    auto a = compute_agreement(ref.t, ref.level);
    ASSERT_TRUE(a) << a.error().what();
    EXPECT_EQ(a->n, ref.t.a + ref.t.b + ref.t.c + ref.t.d);
    EXPECT_EQ(a->level, ref.level);
    EXPECT_REL(a->observed, ref.po, estimate);
    EXPECT_REL(a->expected, ref.pe, estimate);
    EXPECT_REL(a->pabak, ref.pabak, estimate);
    ASSERT_TRUE(a->kappa && a->kappa_se && a->kappa_lower && a->kappa_upper);
    EXPECT_REL(*a->kappa, ref.kappa, estimate);
    EXPECT_REL(*a->kappa_se, ref.se, estimate);
    EXPECT_REL(*a->kappa_lower, ref.lower, estimate);
    EXPECT_REL(*a->kappa_upper, ref.upper, estimate);
  }
}

TEST(review_agreement_test, check_vector_of_review_md) {
  // review.md §4: a=20, b=30, c=10, d=940 -> Po 0.960, Pe 0.923, kappa 0.4805, PABAK 0.920
  // (by hand: Pe = (50·30 + 950·970) / 1000² = 0.923; kappa = 0.037 / 0.077 = 0.48052).
  auto a = compute_agreement({20, 30, 10, 940});
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_NEAR(a->observed, 0.960, 5e-4);
  EXPECT_NEAR(a->expected, 0.923, 5e-4);
  EXPECT_NEAR(*a->kappa, 0.4805, 5e-5);
  EXPECT_NEAR(a->pabak, 0.920, 5e-4);
  EXPECT_EQ(a->strength, "moderate");
  EXPECT_EQ(a->table.b, 30);
}

TEST(review_agreement_test, perfect_agreement_has_kappa_one_and_no_spread) {
  // psych 2.2.9 (tools/make_reference_agreement.R): cohen.kappa of 12,0,0,88 and of 1,0,0,1
  // gives kappa 1, var.kappa 0, limits 1 and 1; Pe = 0.12·0.12 + 0.88·0.88 = 0.7888.
  for (const auto& [t, pe] : std::vector<std::pair<agreement_table, double>>{
           {{12, 0, 0, 88}, 0.7888}, {{1, 0, 0, 1}, 0.5}}) {
    auto a = compute_agreement(t);
    ASSERT_TRUE(a) << a.error().what();
    EXPECT_EQ(a->observed, 1.0);
    EXPECT_REL(a->expected, pe, estimate);
    EXPECT_EQ(a->pabak, 1.0);
    ASSERT_TRUE(a->kappa);
    EXPECT_REL(*a->kappa, 1.0, estimate);
    EXPECT_NEAR(*a->kappa_se, 0.0, 1e-9);
    EXPECT_NEAR(*a->kappa_lower, 1.0, 1e-9);
    EXPECT_NEAR(*a->kappa_upper, 1.0, 1e-9);
    EXPECT_EQ(a->strength, "almost perfect");
  }
}

TEST(review_agreement_test, complete_disagreement_is_kappa_minus_one) {
  // psych 2.2.9 (tools/make_reference_agreement.R): 0,10,10,0 -> kappa -1, var.kappa 0.
  auto a = compute_agreement({0, 10, 10, 0});
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_EQ(a->observed, 0.0);
  EXPECT_REL(a->expected, 0.5, estimate);
  EXPECT_REL(*a->kappa, -1.0, estimate);
  EXPECT_NEAR(*a->kappa_se, 0.0, 1e-9);
  EXPECT_EQ(a->pabak, -1.0);
  EXPECT_EQ(a->strength, "poor");
}

TEST(review_agreement_test, kappa_undefined_when_chance_agreement_is_one) {
  // Every record in one cell: Pe = 1, kappa = 0/0 (psych 2.2.9 gives NaN), yet Po and PABAK are
  // 1: the reviewers agree on every record.
  for (const auto& t : {agreement_table{50, 0, 0, 0}, agreement_table{0, 0, 0, 7}}) {
    auto a = compute_agreement(t);
    ASSERT_TRUE(a) << a.error().what();
    EXPECT_EQ(a->observed, 1.0);
    EXPECT_EQ(a->expected, 1.0);
    EXPECT_EQ(a->pabak, 1.0);
    EXPECT_FALSE(a->kappa.has_value());
    EXPECT_FALSE(a->kappa_se.has_value());
    EXPECT_FALSE(a->kappa_lower.has_value());
    EXPECT_FALSE(a->kappa_upper.has_value());
    EXPECT_EQ(a->strength, "undefined");
  }
}

TEST(review_agreement_test, skewed_screening_has_high_po_and_modest_kappa) {
  // review.md §4: with few includes, Po is high while kappa is only moderate; PABAK follows Po.
  auto a = compute_agreement({20, 30, 10, 940});
  ASSERT_TRUE(a);
  EXPECT_GT(a->observed, 0.95);
  EXPECT_LT(*a->kappa, 0.5);
  EXPECT_GT(a->pabak, *a->kappa);
}

TEST(review_agreement_test, landis_koch_bands) {
  // Landis & Koch (1977), Biometrics 33:159-174, Table 1 (via review.md §4).
  EXPECT_EQ(landis_koch(-0.01), "poor");
  EXPECT_EQ(landis_koch(-1), "poor");
  EXPECT_EQ(landis_koch(0), "slight");
  EXPECT_EQ(landis_koch(0.20), "slight");
  EXPECT_EQ(landis_koch(0.2000000000000001), "slight");
  EXPECT_EQ(landis_koch(0.21), "fair");
  EXPECT_EQ(landis_koch(0.40), "fair");
  EXPECT_EQ(landis_koch(0.41), "moderate");
  EXPECT_EQ(landis_koch(0.60), "moderate");
  EXPECT_EQ(landis_koch(0.61), "substantial");
  EXPECT_EQ(landis_koch(0.80), "substantial");
  EXPECT_EQ(landis_koch(0.81), "almost perfect");
  EXPECT_EQ(landis_koch(1), "almost perfect");
  EXPECT_EQ(landis_koch(std::numeric_limits<double>::quiet_NaN()), "undefined");
  // The labels of the psych references: 0.70 substantial, 0.40 fair, -0.5 poor.
  EXPECT_EQ(compute_agreement({40, 9, 6, 45})->strength, "substantial");
  EXPECT_EQ(compute_agreement({3, 1, 2, 4})->strength, "fair");
  EXPECT_EQ(compute_agreement({5, 20, 25, 10})->strength, "poor");
}

TEST(review_agreement_test, swapping_reviewers_keeps_everything) {
  // Kappa, its SE and Po/Pe are symmetric in the two reviewers (b and c swap).
  auto x = compute_agreement({40, 9, 6, 45});
  auto y = compute_agreement({40, 6, 9, 45});
  ASSERT_TRUE(x && y);
  EXPECT_REL(*x->kappa, *y->kappa, estimate);
  EXPECT_REL(*x->kappa_se, *y->kappa_se, estimate);
  EXPECT_REL(x->expected, y->expected, estimate);
}

std::string error_of(const agreement_table& t, double level = 0.95) {
  auto a = compute_agreement(t, level);
  return a ? std::string("no error") : a.error().what();
}

TEST(review_agreement_test, errors_in_full) {
  EXPECT_EQ(error_of({0, 0, 0, 0}),
            "[srma.review.E630] agreement: the 2×2 table is empty (a + b + c + d = 0), but needs "
            "at least one record rated by both reviewers");
  EXPECT_EQ(
      error_of({5, -1, 0, 3}),
      "[srma.review.E631] agreement: cell b of the 2×2 table is -1, but a count must be >= 0");
  EXPECT_EQ(
      error_of({5, 1, 0, -3}),
      "[srma.review.E631] agreement: cell d of the 2×2 table is -3, but a count must be >= 0");
  EXPECT_EQ(error_of({5, 1, 0, 3}, 1.0),
            "[srma.review.E632] agreement: level is 1, but must lie strictly between 0 and 1");
  EXPECT_EQ(error_of({5, 1, 0, 3}, 0.0),
            "[srma.review.E632] agreement: level is 0, but must lie strictly between 0 and 1");
  EXPECT_EQ(error_of({5, 1, 0, 3}, std::nan("")),
            "[srma.review.E632] agreement: level is nan, but must lie strictly between 0 and 1");
}

}  // namespace
}  // namespace srma::review
