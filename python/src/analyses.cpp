// The analyses of a study table and their result objects (see analyses.hpp). Each function does
// what the matching CLI command does between reading the studies and printing (cli/pool.cpp,
// cli/sensitivity.cpp, cli/bias.cpp, cli/metareg.cpp, cli/gosh.cpp), so results are equal.
#include "analyses.hpp"

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <string>
#include <vector>

#include "convert.hpp"
#include "errors.hpp"
#include "fits.hpp"
#include "srma/model/pool.hpp"
#include "srma/model/pool_2x2.hpp"
#include "srma/plot/gosh_plot.hpp"
#include "srma/report/text_report.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::bindings {
namespace {

namespace py = pybind11;

// ---- Text reports: what the CLI prints without --json ------------------------------------------

template <typename Result>
std::string summary_of(const analysis<Result>& a) {
  return full_report(a.result);
}

// `srma pool` also lists the studies left out of the analysis (cli/pool.cpp).
template <>
std::string summary_of(const analysis<pool_result>& a) {
  std::string out = full_report(a.result);
  if (!a.studies.excluded.empty()) {
    out += "\nLeft out of the analysis\n";
    for (const auto& e : a.studies.excluded)
      out += fmt::format("  - {} (line {}): {}\n", e.study, e.line, e.reason);
  }
  return out;
}

// Binds analysis<Result> as `name` with json(), summary() and the study table.
template <typename Result>
void bind_analysis(py::module_& m, const char* name, const char* doc) {
  using A = analysis<Result>;
  py::class_<A>(m, name, doc)
      .def(
          "json", [](const A& a) { return to_python(json_of(a)); },
          "The result as the CLI's --json prints it (a dict)")
      .def("summary", &summary_of<Result>, "The result as the CLI prints it (text)")
      .def_readonly("studies", &A::studies, "The studies analysed");
}

// ---- GOSH: JSON-like dict and text of our own (the library has neither) -------------------------

std::string_view kind_name(model_kind k) { return k == model_kind::common ? "common" : "random"; }

py::dict gosh_json(const gosh_analysis& a) {
  const gosh_result& g = a.result;
  py::dict d;
  d["k"] = g.k;
  d["exact"] = g.exact;
  d["model"] = std::string(kind_name(g.model));
  d["tau2_method"] =
      g.model == model_kind::common ? std::string("none") : std::string(tau2_method_code(g.method));
  d["subsets"] = g.subsets();
  auto list_of = [](const std::vector<double>& x) {
    py::list out;
    for (double v : x) out.append(number(v));
    return out;
  };
  d["estimate"] = list_of(g.estimate);
  d["Q"] = list_of(g.Q);
  d["I2"] = list_of(g.I2);
  d["H2"] = list_of(g.H2);
  d["tau2"] = list_of(g.tau2);
  d["size"] = py::cast(g.size);
  d["input"] = to_python(input_json(a.studies));
  return d;
}

// What `srma gosh` prints (cli/gosh.cpp), without a highlighted study.
std::string gosh_summary(const gosh_analysis& a) {
  const gosh_result& r = a.result;
  plot::gosh_plot_options o;
  o.measure = a.studies.measure;
  std::size_t failed = 0;
  for (double e : r.estimate) failed += std::isfinite(e) ? 0 : 1;
  // The first line as srma gosh's text report (report/gosh_report.cpp) words it.
  const std::string model = r.model == model_kind::common ? std::string("common-effect model")
                                                          : fmt::format("random-effects model, {}",
                                                                        tau2_method_code(r.method));
  return fmt::format("GOSH: {} {} subsets of {} studies ({}).\n{}Suggested caption: {}\n",
                     r.exact ? "all" : "a random sample of", r.subsets(), r.k, model,
                     failed > 0 ? fmt::format("{} fits failed and are left out.\n", failed) : "",
                     plot::gosh_caption(r, o));
}

// Subset s contains study i: a (subsets x k) boolean numpy array.
py::array_t<bool> gosh_membership(const gosh_result& g) {
  py::array_t<bool> out({static_cast<py::ssize_t>(g.subsets()), static_cast<py::ssize_t>(g.k)});
  auto view = out.mutable_unchecked<2>();
  for (std::size_t s = 0; s < g.subsets(); ++s)
    for (std::size_t i = 0; i < g.k; ++i)
      view(static_cast<py::ssize_t>(s), static_cast<py::ssize_t>(i)) = g.contains(s, i);
  return out;
}

// ---- The analyses ------------------------------------------------------------------------------

// Meta-regression and permutation tests are about the random-effects model unless the
// common-effect model is asked (cli/metareg.cpp, regression_options).
pool_options regression_options(pool_options o) {
  if (o.model != model_choice::common) o.model = model_choice::random;
  return o;
}

// As the command line (cli/common.cpp, pooling_for): a preset's Mantel-Haenszel applies to 2x2
// counts only, a method given explicitly always; Peto leaves out tables without information.
py::object run_pool(const study_table& s, const pool_options& options,
                    const std::optional<std::string>& by, bool method_given) {
  pool_options o = options;
  if (!method_given && !has_2x2_counts(s)) o.method = pooling_method::inverse_variance;
  const study_table t = o.method == pooling_method::peto ? informative_for_peto(s) : s;
  if (by) {
    analysis<subgroup_analysis> a{t, {}};
    {
      py::gil_scoped_release release;
      a.result = unwrap(pool_subgroups(t, *by, o));
    }
    return py::cast(std::move(a));
  }
  analysis<pool_result> a{t, {}};
  {
    py::gil_scoped_release release;
    a.result = unwrap(pool_2x2(t, o));
  }
  return py::cast(std::move(a));
}

analysis<leave1out_result> run_leave1out(const study_table& s, const pool_options& o) {
  py::gil_scoped_release release;
  return {s, unwrap(leave1out(s, o))};
}

analysis<cumulative_result> run_cumulative(const study_table& s, const pool_options& o,
                                           const std::string& order) {
  py::gil_scoped_release release;
  return {s, unwrap(cumulative(s, order, o))};
}

analysis<influence_result> run_influence(const study_table& s, const pool_options& o) {
  py::gil_scoped_release release;
  return {s, unwrap(influence(s, o))};
}

analysis<bias_result> run_bias(const study_table& s, const pool_options& o,
                               const std::string& estimator, const std::optional<std::string>& side,
                               const std::optional<std::string>& n, double alpha) {
  bias_options b;
  const auto e = parse_trimfill_estimator(estimator);
  if (!e) raise(errc::cli_bad_value, fmt::format("estimator='{}': expected L0 or R0", estimator));
  b.estimator = *e;
  if (side) {
    b.side = parse_funnel_side(*side);
    if (!b.side)
      raise(errc::cli_bad_value, fmt::format("side='{}': expected left or right", *side));
  }
  b.sample_size_column = n.value_or("");
  b.alpha = alpha;
  py::gil_scoped_release release;
  return {s, unwrap(small_study_bias(s, o, b))};
}

analysis<metareg_result> run_metareg(const study_table& s, const pool_options& o,
                                     const std::vector<std::string>& mods,
                                     const std::vector<std::string>& factors) {
  py::gil_scoped_release release;
  const design_matrix design = unwrap(build_design(s, mods, factors));
  return {s, unwrap(metareg(s.yi, s.vi, design, regression_options(o)))};
}

analysis<permtest_result> run_permtest(const study_table& s, const pool_options& o,
                                       const std::vector<std::string>& mods,
                                       const std::vector<std::string>& factors,
                                       std::size_t iterations, bool exact, std::uint64_t seed,
                                       std::size_t max_exact) {
  permtest_options p;
  p.iterations = iterations;
  p.exact = exact;
  p.seed = seed;
  p.max_exact = max_exact;
  py::gil_scoped_release release;
  std::optional<design_matrix> design;
  if (!mods.empty()) design = unwrap(build_design(s, mods, factors));
  return {s, unwrap(permutation_test(s.yi, s.vi, design ? &*design : nullptr, regression_options(o),
                                     p))};
}

gosh_analysis run_gosh(const study_table& s, const pool_options& o, std::size_t max_subsets,
                       std::uint64_t seed) {
  gosh_options g;
  g.max_subsets = max_subsets;
  g.seed = seed;
  py::gil_scoped_release release;
  return {s, unwrap(gosh(s.yi, s.vi, o, g))};
}

}  // namespace

void register_analyses(py::module_& m) {
  bind_analysis<pool_result>(m, "PoolFit", "A pooled analysis (srma::pool_result)");
  bind_analysis<subgroup_analysis>(m, "SubgroupFit",
                                   "A subgroup analysis (srma::subgroup_analysis)");
  bind_analysis<leave1out_result>(m, "Leave1outFit", "A leave-one-out analysis");
  bind_analysis<cumulative_result>(m, "CumulativeFit", "A cumulative meta-analysis");
  bind_analysis<influence_result>(m, "InfluenceFit", "Influence diagnostics");
  bind_analysis<bias_result>(m, "BiasFit", "Small-study effects and publication bias");
  bind_analysis<metareg_result>(m, "MetaregFit", "A meta-regression");
  bind_analysis<permtest_result>(m, "PermtestFit", "A permutation test");
  py::class_<gosh_analysis>(m, "GoshFit", "A GOSH analysis (srma::gosh_result)")
      .def("json", &gosh_json, "k, exact, model, tau2_method, subsets and one list per statistic")
      .def("summary", &gosh_summary, "What `srma gosh` prints: the subsets and a caption")
      .def_readonly("studies", &gosh_analysis::studies)
      .def(
          "array",
          [](const gosh_analysis& a, const std::string& name) -> py::object {
            const gosh_result& g = a.result;
            if (name == "estimate") return to_numpy(g.estimate);
            if (name == "Q") return to_numpy(g.Q);
            if (name == "I2") return to_numpy(g.I2);
            if (name == "H2") return to_numpy(g.H2);
            if (name == "tau2") return to_numpy(g.tau2);
            if (name == "size")
              return py::array_t<std::uint32_t>(static_cast<py::ssize_t>(g.size.size()),
                                                g.size.data());
            throw py::key_error(name);
          },
          py::arg("name"), "One statistic per subset as a numpy array")
      .def(
          "membership", [](const gosh_analysis& a) { return gosh_membership(a.result); },
          "A (subsets x k) boolean array: subset s contains study i");

  m.def("pool", &run_pool, py::arg("studies"), py::arg("options"), py::arg("by") = py::none(),
        py::arg("method_given") = false);
  m.def("leave1out", &run_leave1out, py::arg("studies"), py::arg("options"));
  m.def("cumulative", &run_cumulative, py::arg("studies"), py::arg("options"),
        py::arg("order") = "");
  m.def("influence", &run_influence, py::arg("studies"), py::arg("options"));
  m.def("bias", &run_bias, py::arg("studies"), py::arg("options"), py::arg("estimator") = "L0",
        py::arg("side") = py::none(), py::arg("n") = py::none(), py::arg("alpha") = 0.05);
  m.def("metareg", &run_metareg, py::arg("studies"), py::arg("options"), py::arg("mods"),
        py::arg("factors") = std::vector<std::string>{});
  m.def("permutation_test", &run_permtest, py::arg("studies"), py::arg("options"),
        py::arg("mods") = std::vector<std::string>{},
        py::arg("factors") = std::vector<std::string>{}, py::arg("iterations") = 1000,
        py::arg("exact") = false, py::arg("seed") = 1, py::arg("max_exact") = 10'000'000);
  m.def("gosh", &run_gosh, py::arg("studies"), py::arg("options"),
        py::arg("max_subsets") = 1'000'000, py::arg("seed") = 1);
}

}  // namespace srma::bindings
