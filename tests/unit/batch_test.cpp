// srma/model/batch.hpp: a batch pools each meta-analysis exactly as one `srma pool` of a file
// holding only its rows (read_studies + pool_2x2, the library calls behind srma pool), in input
// order, and the shards of a batch concatenate to the whole batch.
#include "srma/model/batch.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include "srma/model/pool_2x2.hpp"

namespace srma {
namespace {

namespace fs = std::filesystem;

fs::path temp_path(const std::string& name) {
  return fs::temp_directory_path() / ("srma_batch_test_" + std::to_string(getpid()) + "_" + name);
}

// A long-format file: `ids` meta-analyses of 1 to 15 studies (yi, vi simulated), one id with a
// negative variance (fails), written with an extra column and the id in the middle.
struct batch_file {
  std::string path;
  std::vector<std::string> ids;
  std::vector<std::string> rows_of;  // the CSV lines of each id
  std::string header = "x,trial,yi,vi";
};

batch_file make_file(int ids, unsigned seed) {
  batch_file f;
  f.path = temp_path("in_" + std::to_string(seed) + ".csv").string();
  std::mt19937 gen(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.01, 0.3);
  std::uniform_int_distribution<int> kdist(1, 15);
  std::ofstream out(f.path);
  out << f.header << "\n";
  for (int m = 0; m < ids; ++m) {
    const std::string id = "t" + std::to_string(m);
    const int k = kdist(gen);
    const double mu = 0.3 * z(gen);
    const double tau = 0.3 * u(gen) * 3;
    std::string rows;
    for (int i = 0; i < k; ++i) {
      const double vi = u(gen);
      const double yi = mu + tau * z(gen) + std::sqrt(vi) * z(gen);
      const bool bad = m == 7 && i == 1;
      rows += fmt::format("{},{},{:.6f},{:.6f}\n", i, id, yi, bad ? -vi : vi);
    }
    out << rows;
    f.ids.push_back(id);
    f.rows_of.push_back(rows);
  }
  return f;
}

std::vector<batch_result> run(const std::string& path, const batch_options& o,
                              batch_summary* summary = nullptr,
                              const std::atomic<bool>* stop = nullptr) {
  std::vector<batch_result> all;
  batch_control c;
  c.stop = stop;
  auto s = pool_batch(
      path, o,
      [&](std::span<const batch_result> rows) -> expected<void> {
        all.insert(all.end(), rows.begin(), rows.end());
        return {};
      },
      c);
  EXPECT_TRUE(s) << s.error().what();
  if (s && summary) *summary = *s;
  return all;
}

// Equal doubles, NaN equal to NaN (k = 1 has no tau^2 CI, no PI).
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

batch_options reml_hksj() {
  batch_options o;
  o.id_column = "trial";
  o.pooling.tau2 = tau2_method::reml;
  o.pooling.ci = ci_method::hksj;
  o.chunk = 37;  // many steps
  return o;
}

TEST(batch_test, equals_single_runs_of_each_meta_analysis_exactly) {
  const auto f = make_file(300, 1);
  const auto o = reml_hksj();
  batch_summary summary;
  const auto results = run(f.path, o, &summary);
  ASSERT_EQ(results.size(), f.ids.size());
  EXPECT_EQ(summary.analyses, 300u);
  EXPECT_FALSE(summary.interrupted);
  std::size_t failed = 0;
  for (std::size_t m = 0; m < f.ids.size(); ++m) {
    SCOPED_TRACE(f.ids[m]);
    const auto& r = results[m];
    EXPECT_EQ(r.id, f.ids[m]);
    // The oracle: a file of this meta-analysis alone, read and pooled as srma pool does.
    const auto one = temp_path("one.csv");
    std::ofstream(one) << f.header << "\n" << f.rows_of[m];
    auto studies = read_studies(one.string(), o.reading);
    fs::remove(one);
    if (!studies) {
      ASSERT_TRUE(r.failure.has_value());
      EXPECT_EQ(r.failure->id, studies.error().id);
      ++failed;
      continue;
    }
    auto p = pool_2x2(*studies, o.pooling);
    if (!p) {
      ASSERT_TRUE(r.failure.has_value());
      EXPECT_EQ(r.failure->id, p.error().id);
      ++failed;
      continue;
    }
    ASSERT_FALSE(r.failure.has_value()) << r.failure->what();
    EXPECT_EQ(r.k, p->k);
    EXPECT_EQ(r.model, p->primary);
    // Exactly equal: the same arithmetic on the same numbers.
    const auto& e = p->primary_estimate();
    const auto& h = p->heterogeneity;
    EXPECT_TRUE(same(r.estimate, e.estimate));
    EXPECT_TRUE(same(r.se, e.se));
    EXPECT_TRUE(same(r.ci_lower, e.ci_lower));
    EXPECT_TRUE(same(r.ci_upper, e.ci_upper));
    if (p->primary == model_kind::random) {
      EXPECT_TRUE(same(r.pi_lower, p->random.pi_lower));
      EXPECT_TRUE(same(r.pi_upper, p->random.pi_upper));
    }
    EXPECT_TRUE(same(r.tau2, h.tau2));
    EXPECT_TRUE(same(r.tau2_ci_lower, h.tau2_ci_lower));
    EXPECT_TRUE(same(r.tau2_ci_upper, h.tau2_ci_upper));
    EXPECT_TRUE(same(r.Q, h.Q));
    EXPECT_TRUE(same(r.I2, p->reported_i2()));
    EXPECT_TRUE(std::isfinite(r.estimate));
  }
  EXPECT_GE(failed, 1u);  // t7 has a negative variance
  EXPECT_EQ(summary.failed, failed);
  ASSERT_TRUE(results[7].failure.has_value());
  EXPECT_EQ(results[7].failure->id, "srma.input.E205");
  fs::remove(f.path);
}

TEST(batch_test, shards_concatenate_to_the_whole_batch) {
  const auto f = make_file(120, 2);
  auto o = reml_hksj();
  const auto whole = run(f.path, o);
  std::string want;
  for (const auto& r : whole) want += batch_csv_row(r);
  for (std::size_t n : {2u, 3u, 7u, 200u}) {
    std::string got;
    std::size_t count = 0;
    for (std::size_t s = 1; s <= n; ++s) {
      o.shard = s;
      o.shards = n;
      for (const auto& r : run(f.path, o)) {
        got += batch_csv_row(r);
        ++count;
      }
    }
    EXPECT_EQ(count, whole.size()) << n << " shards";
    EXPECT_EQ(got, want) << n << " shards";
  }
  fs::remove(f.path);
}

TEST(batch_test, csv_numbers_read_back_to_the_same_doubles) {
  const auto f = make_file(20, 3);
  const auto results = run(f.path, reml_hksj());
  for (const auto& r : results) {
    if (r.failure) continue;
    const std::string row = batch_csv_row(r);
    // id,k,estimate,...: the third field is the estimate.
    const auto a = row.find(',', row.find(',') + 1);
    const auto b = row.find(',', a + 1);
    EXPECT_EQ(std::stod(row.substr(a + 1, b - a - 1)), r.estimate) << row;
  }
  EXPECT_EQ(batch_csv_header("trial"),
            "trial,k,estimate,se,ci_lower,ci_upper,pi_lower,pi_upper,tau2,tau2_ci_lower,"
            "tau2_ci_upper,Q,I2,model,notes,error\n");
  ASSERT_TRUE(results[7].failure.has_value());
  const std::string failed = batch_csv_row(results[7]);
  EXPECT_EQ(failed.substr(0, 6), "t7,NA,");
  EXPECT_NE(failed.find("[srma.input.E205]"), std::string::npos) << failed;
  const std::string json = batch_json_line(results[7], "trial");
  EXPECT_EQ(json.substr(0, 35), "{\"trial\":\"t7\",\"k\":null,\"estimate\":n") << json;
  fs::remove(f.path);
}

// Every field of a result row as written: shortest round-trip numbers, NA for NaN, Inf and -Inf,
// an id, notes and an error quoted where CSV needs it (written by hand: what batch_csv_row()
// wrote before it formatted into one buffer, for the same result).
TEST(batch_test, csv_row_fields_exactly) {
  batch_result r;
  r.id = "trial \"7\", arm 2";
  r.k = 12;
  r.model = model_kind::common;
  r.estimate = -0.1;
  r.se = 1.0 / 3;
  r.ci_lower = -1e-300;
  r.ci_upper = 12345678901234567.0;
  r.pi_lower = -std::numeric_limits<double>::infinity();
  r.pi_upper = std::numeric_limits<double>::infinity();
  r.tau2 = 0;
  r.Q = 3.5e-5;
  r.I2 = 100;
  r.notes = {"first, with a comma", "second"};
  EXPECT_EQ(batch_csv_row(r),
            "\"trial \"\"7\"\", arm 2\",12,-0.1,0.3333333333333333,-1e-300,1.2345678901234568e+16,"
            "-Inf,Inf,0,NA,NA,3.5e-05,100,common,\"first, with a comma | second\",\n");
  batch_result f;
  f.id = "x";
  f.failure = error{"srma.input.E205", "bad, very", {}, {}};
  EXPECT_EQ(batch_csv_row(f),
            "x,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,,\"[srma.input.E205] bad, very\"\n");
}

TEST(batch_test, rows_of_an_id_must_be_together) {
  const auto path = temp_path("apart.csv");
  std::ofstream(path) << "trial,yi,vi\na,0.1,0.1\na,0.2,0.1\nb,0.1,0.1\na,0.3,0.1\n";
  batch_options o;
  o.id_column = "trial";
  auto s = pool_batch(path.string(), o,
                      [](std::span<const batch_result>) -> expected<void> { return {}; });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().what(), "[srma.input.E218] " + path.string() +
                                  ":5:1: the rows of 'a' are not together: it comes back after "
                                  "other ids (its first row is on line 2); sort the file by "
                                  "column 'trial'");
  o.id_column = "study_id";
  s = pool_batch(path.string(), o,
                 [](std::span<const batch_result>) -> expected<void> { return {}; });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().what(), "[srma.input.E218] " + path.string() +
                                  ":1: no column 'study_id' to name the meta-analyses (columns: "
                                  "trial, yi, vi)");
  fs::remove(path);
}

TEST(batch_test, a_stop_request_ends_after_a_whole_step) {
  const auto f = make_file(100, 4);
  auto o = reml_hksj();
  o.chunk = 10;
  std::atomic<bool> stop{true};
  batch_summary summary;
  const auto results = run(f.path, o, &summary, &stop);
  EXPECT_TRUE(summary.interrupted);
  EXPECT_EQ(results.size(), 10u);
  EXPECT_EQ(summary.analyses, 10u);
  fs::remove(f.path);
}

}  // namespace
}  // namespace srma
