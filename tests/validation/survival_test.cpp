// Kaplan-Meier, Cox and log-rank against R's survival package on its own data sets (lung, lung in
// whole months for heavy ties, veteran, colon deaths). tools/make_reference_survival.R (R 4.2.2,
// survival 3.5-3) wrote the patient data (tests/validation/data/survival/<name>.csv) and R's
// results (<name>.json; every case records its exact R call in "r_call"); see the README there.
//
// Every number is compared to 1e-6 relative, or 1e-9 absolute when |R| < 1e-3 (tiny p-values).
// A null in the JSON (R's NA, or std.err = Inf once S = 0) must be NaN or Inf in srma.
//
// Cox: R's coefficient is only as converged as its eps (relative change of the log-likelihood;
// 1e-9 by default), and near the optimum l is flat to second order, so R's default fit can sit
// ~1e-8 from the root of the score: on lung, coef -0.53102353761951 with U = -8.5e-8, where one
// more Newton step gives -0.53102354000577 (R's own eps = 1e-12 fit: -0.53102354000577, U =
// -4e-14). srma polishes with Newton steps judged by U, so it agrees with R's eps = 1e-12 fits to
// 5e-10 (the LR chi-square, a difference of log-likelihoods) and with the default fits to 5e-9
// (coefficient) and 5e-8 (Wald p); 1e-6 covers both with a wide margin. KM curves, medians,
// RMST and the log-rank test agree with R to 1e-11.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "srma/survival/cox.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/survival/kaplan_meier.hpp"
#include "srma/survival/logrank.hpp"
#include "test_util.hpp"

namespace srma {
namespace {

constexpr double rel_tol = 1e-6;
constexpr double abs_floor = 1e-3;  // rel_tol * abs_floor = 1e-9 absolute near zero

std::string data_path(std::string_view file) {
  return std::string(SRMA_TEST_DATA_DIR) + "/survival/" + std::string(file);
}

nlohmann::json load(std::string_view name) {
  const std::string path = data_path(std::string(name) + ".json");
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path
                  << " (regenerate with Rscript tools/make_reference_survival.R)";
    return nullptr;
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    ADD_FAILURE() << path << ": " << e.what();
    return nullptr;
  }
}

// One number against R's: null means R printed NA (or Inf), so srma must not be finite.
::testing::AssertionResult matches(double actual, const nlohmann::json& expected) {
  if (expected.is_null()) {
    if (!std::isfinite(actual)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "srma " << actual << " vs R NA";
  }
  return test::near_rel(actual, expected.get<double>(), rel_tol, abs_floor);
}

void check_vector(const std::string& what, const std::vector<double>& actual,
                  const nlohmann::json& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_TRUE(matches(actual[i], expected[i])) << what << "[" << i << "]";
  }
}

struct counts {
  std::size_t cox = 0, logrank = 0, km = 0, numbers = 0;
};

// Fills `c` (ASSERT_* needs a void function).
void check_dataset(std::string_view name, counts& c) {
  const auto ref = load(name);
  if (ref.is_null()) return;
  auto data = read_ipd(data_path(ref.at("csv").get<std::string>()));
  if (!data) {
    ADD_FAILURE() << data.error().what();
    return;
  }

  for (const auto& k : ref.at("cox")) {
    const std::string label = std::string(name) + " cox " + k.at("name").get<std::string>();
    SCOPED_TRACE(label + ": " + k.at("r_call").get<std::string>());
    const auto t = data->arm_index(k.at("treatment").get<std::string>());
    const auto ctl = data->arm_index(k.at("control").get<std::string>());
    ASSERT_TRUE(t && ctl) << label;
    cox_options o;
    o.ties = *parse_cox_ties(k.at("ties").get<std::string>());
    auto fit = cox_two_arm(*data, *t, *ctl, o);
    ASSERT_TRUE(fit) << fit.error().what();
    const auto& e = k.at("expected");
    const std::pair<const char*, double> values[] = {
        {"loghr", fit->loghr},
        {"se", fit->se},
        {"hr", fit->hr},
        {"ci_lower", fit->ci_lower},
        {"ci_upper", fit->ci_upper},
        {"wald_chisq", fit->wald_chisq},
        {"wald_p", fit->wald_p},
        {"lr_chisq", fit->lr_chisq},
        {"lr_p", fit->lr_p},
        {"score_chisq", fit->score_chisq},
        {"score_p", fit->score_p},
        {"loglik0", fit->loglik0},
        {"loglik", fit->loglik},
    };
    for (const auto& [key, value] : values) {
      EXPECT_TRUE(matches(value, e.at(key))) << label << " " << key;
      ++c.numbers;
    }
    EXPECT_EQ(fit->n, e.at("n").get<std::size_t>()) << label;
    EXPECT_EQ(fit->events, e.at("events").get<std::size_t>()) << label;
    ++c.cox;
  }

  for (const auto& k : ref.at("logrank")) {
    const std::string label = std::string(name) + " logrank " + k.at("name").get<std::string>();
    SCOPED_TRACE(label + ": " + k.at("r_call").get<std::string>());
    const auto t = data->arm_index(k.at("treatment").get<std::string>());
    const auto ctl = data->arm_index(k.at("control").get<std::string>());
    ASSERT_TRUE(t && ctl) << label;
    auto lr = logrank_two_arm(*data, *t, *ctl);
    ASSERT_TRUE(lr) << lr.error().what();
    const auto& e = k.at("expected");
    const std::pair<const char*, double> values[] = {
        {"observed_treatment", lr->observed_treatment},
        {"expected_treatment", lr->expected_treatment},
        {"observed_control", lr->observed_control},
        {"expected_control", lr->expected_control},
        {"o_minus_e", lr->o_minus_e},
        {"v", lr->v},
        {"chisq", lr->chisq},
        {"p", lr->p},
        {"peto_loghr", lr->peto_loghr},
    };
    for (const auto& [key, value] : values) {
      EXPECT_TRUE(matches(value, e.at(key))) << label << " " << key;
      ++c.numbers;
    }
    ++c.logrank;
  }

  for (const auto& k : ref.at("km")) {
    const std::string label = std::string(name) + " km " + k.at("name").get<std::string>();
    SCOPED_TRACE(label + ": " + k.at("r_call").get<std::string>());
    const auto a = data->arm_index(k.at("arm").get<std::string>());
    ASSERT_TRUE(a) << label;
    const auto sample = arm_of(*data, *a);
    km_options o;
    o.conf_type = *parse_km_conf_type(k.at("conf_type").get<std::string>());
    o.level = k.at("level").get<double>();
    auto km = kaplan_meier(sample.time, sample.event, o);
    ASSERT_TRUE(km) << km.error().what();
    const auto& e = k.at("expected");
    EXPECT_EQ(km->n, e.at("n").get<double>()) << label;
    EXPECT_EQ(km->events, e.at("events").get<double>()) << label;
    check_vector(label + " time", km->time, e.at("time"));
    check_vector(label + " n_risk", km->n_risk, e.at("n_risk"));
    check_vector(label + " n_event", km->n_event, e.at("n_event"));
    check_vector(label + " n_censor", km->n_censor, e.at("n_censor"));
    check_vector(label + " surv", km->surv, e.at("surv"));
    check_vector(label + " std_err", km->std_err, e.at("std_err"));
    check_vector(label + " lower", km->lower, e.at("lower"));
    check_vector(label + " upper", km->upper, e.at("upper"));
    c.numbers += 8 * km->time.size();
    EXPECT_TRUE(matches(km->median.estimate, e.at("median"))) << label << " median";
    EXPECT_TRUE(matches(km->median.lower, e.at("median_lower"))) << label << " median_lower";
    EXPECT_TRUE(matches(km->median.upper, e.at("median_upper"))) << label << " median_upper";
    c.numbers += 3;
    for (const auto& r : k.at("rmst")) {
      const double tau = r.at("tau").get<double>();
      auto m = restricted_mean(*km, tau);
      ASSERT_TRUE(m) << m.error().what();
      EXPECT_TRUE(matches(m->rmst, r.at("rmst"))) << label << " rmst, tau = " << tau;
      EXPECT_TRUE(matches(m->se, r.at("se"))) << label << " se(rmst), tau = " << tau;
      c.numbers += 2;
    }
    ++c.km;
  }
}

// The counts guard against a reference file that silently lost its cases.
TEST(survival_test, lung_matches_r_survival) {
  counts c;
  check_dataset("lung", c);
  EXPECT_EQ(c.cox, 4u);
  EXPECT_EQ(c.logrank, 1u);
  EXPECT_EQ(c.km, 2u);
}

TEST(survival_test, lung_in_whole_months_heavy_ties_matches_r_survival) {
  counts c;
  check_dataset("lung_months", c);
  EXPECT_EQ(c.cox, 4u);
  EXPECT_EQ(c.logrank, 1u);
  EXPECT_EQ(c.km, 2u);
}

TEST(survival_test, veteran_matches_r_survival_all_ci_types) {
  counts c;
  check_dataset("veteran", c);
  EXPECT_EQ(c.cox, 4u);
  EXPECT_EQ(c.logrank, 1u);
  EXPECT_EQ(c.km, 8u);  // 2 arms x (log, log-log, plain, log at 90%)
}

TEST(survival_test, colon_deaths_matches_r_survival_two_comparisons) {
  counts c;
  check_dataset("colon", c);
  EXPECT_EQ(c.cox, 8u);
  EXPECT_EQ(c.logrank, 2u);
  EXPECT_EQ(c.km, 3u);
}

}  // namespace
}  // namespace srma
