#include "srma/run/plan.hpp"

#include <gtest/gtest.h>

#include "srma/util/error_ids.hpp"

namespace srma {
namespace {

const char* k_plan = R"([review]
title = "Primary tumour resection"

[data]
file = "studies.csv"
measure = "HR"
experimental = "PTR"
control = "no PTR"

[model]
model = "auto"
auto_i2 = 20
tau2 = "DL"

[figures]
formats = ["svg", "png"]
favours = ["Favours PTR", "Favours no PTR"]

[[analysis]]
type = "pool"

[[analysis]]
type = "subgroup"
by = "location"

[[analysis]]
type = "subset"
where = "protocol == 'PTR+LR'"

[[analysis]]
type = "bias"
contours = [90, 95, 99]

[[check]]
analysis = "overall"
estimate = 0.48
ci_lower = 0.43
ci_upper = 0.55
)";

std::string error_of(const std::string& text) {
  auto p = parse_plan(text, "dir/plan.toml");
  return p ? std::string("no error") : p.error().what();
}

TEST(plan_test, reads_every_table) {
  auto p = parse_plan(k_plan, "dir/plan.toml");
  ASSERT_TRUE(p) << p.error().what();
  EXPECT_EQ(p->title, "Primary tumour resection");
  EXPECT_EQ(p->resolve(p->data_file), "dir/studies.csv");
  EXPECT_EQ(p->reading.measure, effect_measure::hazard_ratio);
  EXPECT_EQ(p->reading.missing, missing_policy::exclude);
  EXPECT_EQ(p->model.model, model_choice::auto_i2);
  EXPECT_EQ(p->model.tau2, tau2_method::dl);
  EXPECT_EQ(p->formats,
            (std::vector<plot::image_format>{plot::image_format::svg, plot::image_format::png}));
  EXPECT_EQ(p->favours_left, "Favours PTR");
  ASSERT_EQ(p->analyses.size(), 4u);
  EXPECT_EQ(p->analyses[0].id, "overall");
  EXPECT_EQ(p->analyses[1].id, "subgroup");
  EXPECT_EQ(p->analyses[1].by, "location");
  EXPECT_EQ(p->analyses[2].id, "subset");
  EXPECT_EQ(p->analyses[2].where, "protocol == 'PTR+LR'");
  EXPECT_EQ(p->analyses[3].contours, (std::vector<double>{90, 95, 99}));
  EXPECT_EQ(p->analyses[0].line, 19);
  ASSERT_EQ(p->checks.size(), 1u);
  EXPECT_EQ(p->checks[0].model, check_model::primary);
  EXPECT_DOUBLE_EQ(*p->checks[0].estimate, 0.48);
}

TEST(plan_test, repeated_types_get_numbered_ids) {
  auto p = parse_plan(
      "[data]\nfile='a.csv'\n[[analysis]]\ntype='subset'\nwhere='a==1'\n[[analysis]]\n"
      "type='subset'\nwhere='a==2'\n[[analysis]]\ntype='pool'\n[[analysis]]\ntype='pool'\n",
      "p.toml");
  ASSERT_TRUE(p) << p.error().what();
  EXPECT_EQ(p->analyses[0].id, "subset-1");
  EXPECT_EQ(p->analyses[1].id, "subset-2");
  EXPECT_EQ(p->analyses[2].id, "overall");
  EXPECT_EQ(p->analyses[3].id, "pool-2");
}

TEST(plan_test, unknown_keys_and_wrong_types_name_the_line) {
  EXPECT_EQ(
      error_of("[data]\nfile = \"a.csv\"\nmesure = \"HR\"\n"),
      "[srma.plan.E703] dir/plan.toml:3:1: unknown key 'mesure' in [data]; the keys allowed "
      "there are: file, measure, measure_label, effect, missing, experimental, control, outcome");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[model]\nauto_i2 = \"20\"\n"),
            "[srma.plan.E704] dir/plan.toml:4:11: [model]: auto_i2 must be a number");
  EXPECT_EQ(
      error_of("[data]\nfile = \"a.csv\"\n[[analysis]]\ntype = \"pool\"\nby = 3\n"),
      "[srma.plan.E703] dir/plan.toml:5:1: unknown key 'by' in [[analysis]] #1; the keys "
      "allowed there are: type, id, title, data, where, model, tau2, ci, pi, common_tau2, method, "
      "prediction_interval, by, order, funnel, contours, egger_line, trimfill, mods, "
      "factors, iterations, exact, seed, max_subsets, layout, scale");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[extras]\nx = 1\n"),
            "[srma.plan.E703] dir/plan.toml:3:2: unknown table or key 'extras'; the plan's "
            "tables are: review, data, model, figures, characteristics, prisma, quality, "
            "analysis, check, km");
}

TEST(plan_test, invalid_values_and_missing_keys) {
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[model]\ntau2 = \"XL\"\n"),
            "[srma.plan.E705] dir/plan.toml:4:8: [model]: tau2 is 'XL'; expected one of: DL, "
            "REML, ML, PM, HS, SJ, HE, EB");
  EXPECT_EQ(error_of("[review]\ntitle = \"x\"\n"),
            "[srma.plan.E706] dir/plan.toml:1: the plan has no [data] table; expected [data] "
            "with file = \"...\" (or [review] project = \"...\")");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[[analysis]]\ntype = \"subgroup\"\n"),
            "[srma.plan.E706] dir/plan.toml:3: a subgroup analysis needs by = \"<column>\"");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[[analysis]]\ntype = \"forest\"\n"),
            "[srma.plan.E705] dir/plan.toml:4:8: [[analysis]] #1: type is 'forest'; expected one "
            "of: pool, subgroup, subset, leave1out, cumulative, influence, bias, metareg, gosh, "
            "permtest, labbe, radial, qqnorm, drapery");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[[analysis]]\ntype = \"pool\"\nid = \"x\"\n"
                     "[[analysis]]\ntype = \"leave1out\"\nid = \"x\"\n"),
            "[srma.plan.E709] dir/plan.toml:6: analysis id 'x' is used twice; ids must be unique");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[[analysis]]\ntype = \"pool\"\n[[check]]\n"
                     "analysis = \"overal\"\nestimate = 1\n"),
            "[srma.plan.E705] dir/plan.toml:6:12: [[check]] #1: analysis is 'overal', which is "
            "not an analysis id of this plan; the ids are: overall");
}

// Issue 15, items 1 and 2: an id becomes part of file names, so `id = "x/../../../victim"`
// overwrote a file beside the plan and a NUL chose the exact name; `max_subsets = 0` crashed
// GOSH and `iterations = 1e12` ran out of memory. Each is now a located error, with the same
// bounds as the command line (srma/util/limits.hpp).
TEST(plan_test, ids_and_bounds_that_would_escape_or_crash_are_errors) {
  const std::string head = "[data]\nfile = \"a.csv\"\n[[analysis]]\n";
  EXPECT_EQ(error_of(head + "type = \"pool\"\nid = \"x/../../../victim\"\n"),
            "[srma.plan.E705] dir/plan.toml:5:6: [[analysis]] #1: id is 'x/../../../victim'; an "
            "id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  // The NUL is shown, not echoed raw.
  EXPECT_EQ(error_of(head + "type = \"pool\"\nid = \"x\\u0000y\"\n"),
            "[srma.plan.E705] dir/plan.toml:5:6: [[analysis]] #1: id is 'x\\x00y'; an id is 1 "
            "to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  for (const char* bad : {"..", ".hidden", "", "a b", "/etc/passwd", "a\\\\b"})
    EXPECT_NE(error_of(head + "type = \"pool\"\nid = \"" + bad + "\"\n"), "no error") << bad;
  EXPECT_EQ(
      error_of(head + "type = \"pool\"\nid = \"" + std::string(65, 'a') + "\"\n").substr(0, 36),
      "[srma.plan.E705] dir/plan.toml:5:6: ");
  EXPECT_EQ(error_of(head + "type = \"pool\"\nid = \"Main_analysis-2.b\"\n"), "no error");
  EXPECT_EQ(error_of(head + "type = \"gosh\"\nmax_subsets = 0\n"),
            "[srma.plan.E705] dir/plan.toml:5:15: [[analysis]] #1: max_subsets is 0; it must lie "
            "between 1 and 1099511627776");
  EXPECT_EQ(error_of(head + "type = \"gosh\"\nmax_subsets = 2000000000000\n"),
            "[srma.plan.E705] dir/plan.toml:5:15: [[analysis]] #1: max_subsets is 2000000000000; "
            "it must lie between 1 and 1099511627776");
  EXPECT_EQ(error_of(head + "type = \"permtest\"\niterations = 1000000000000\n"),
            "[srma.plan.E705] dir/plan.toml:5:14: [[analysis]] #1: iterations is 1000000000000; "
            "it must lie between 2 and 100000000");
  EXPECT_EQ(error_of(head + "type = \"permtest\"\niterations = 1\n"),
            "[srma.plan.E705] dir/plan.toml:5:14: [[analysis]] #1: iterations is 1; it must lie "
            "between 2 and 100000000");
}

// Issue 15, item 3: `level = 0.95` gave a "0.95% CI" without a word.
TEST(plan_test, a_level_given_as_a_fraction_is_an_error_that_says_percent) {
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[model]\nlevel = 0.95\n"),
            "[srma.plan.E705] dir/plan.toml:4:9: [model]: level is 0.95; the level is in percent, "
            "between 1 and 99.99 (level = 95 for a 95% interval)");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[model]\nlevel = 100.0\n"),
            "[srma.plan.E705] dir/plan.toml:4:9: [model]: level is 100; the level is in percent, "
            "between 1 and 99.99 (95 for a 95% interval)");
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[model]\nlevel = 90.0\n"), "no error");
}

TEST(plan_test, where_and_toml_syntax_errors) {
  EXPECT_EQ(error_of("[data]\nfile = \"a.csv\"\n[[analysis]]\ntype = \"subset\"\n"
                     "where = \"protocol = = 'x'\"\n"),
            "[srma.plan.E707] dir/plan.toml:5: where \"protocol = = 'x'\": at character 12, "
            "expected a column name, a quoted text or a number but found '=='");
  const auto e = error_of("[data]\nfile = \"a.csv\n");
  EXPECT_EQ(e.substr(0, 36), "[srma.plan.E702] dir/plan.toml:2:14:");
  EXPECT_EQ(read_plan("/nonexistent/plan.toml").error().id, "srma.plan.E701");
}

TEST(plan_test, plan_choices_are_enums_with_one_name_each) {
  for (auto t :
       {analysis_type::pool, analysis_type::subgroup, analysis_type::subset,
        analysis_type::leave1out, analysis_type::cumulative, analysis_type::influence,
        analysis_type::bias, analysis_type::metareg, analysis_type::gosh, analysis_type::permtest})
    EXPECT_EQ(parse_analysis_type(to_string(t)), t);
  for (auto m : {check_model::primary, check_model::common, check_model::random})
    EXPECT_EQ(parse_check_model(to_string(m)), m);
  for (auto s : {figure_sort::none, figure_sort::effect, figure_sort::weight, figure_sort::year})
    EXPECT_EQ(parse_figure_sort(to_string(s)), s);
  for (auto f : {plot::image_format::svg, plot::image_format::pdf, plot::image_format::png})
    EXPECT_EQ(plot::parse_image_format(to_string(f)), f);
  EXPECT_FALSE(parse_analysis_type("forest"));
  EXPECT_FALSE(parse_figure_sort("alphabetical"));
  auto p = parse_plan(R"([data]
file = "x.csv"
[figures]
formats = ["PNG"]
sort = "Weight"
[[analysis]]
type = "bias"
trimfill = "r0"
)",
                      "plan.toml");
  ASSERT_TRUE(p) << p.error().what();
  EXPECT_EQ(p->formats, std::vector<plot::image_format>{plot::image_format::png});
  EXPECT_EQ(p->sort, figure_sort::weight);
  EXPECT_EQ(p->analyses[0].trimfill, trimfill_estimator::r0);
  auto bad = parse_plan(
      "[data]\nfile = \"x.csv\"\n[[analysis]]\ntype = \"bias\"\ntrimfill = \"L1\"\n", "plan.toml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().id, errc::plan_bad_choice);
}

}  // namespace
}  // namespace srma
