// Single statistics on arrays (see tests.hpp). The single tests return the library's JSON forms
// (srma/report/json.hpp), the same objects as in the bias JSON.
#include "tests.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "convert.hpp"
#include "errors.hpp"
#include "srma/bias/fail_safe_n.hpp"
#include "srma/bias/rank_test.hpp"
#include "srma/bias/regression_test.hpp"
#include "srma/bias/trim_and_fill.hpp"
#include "srma/model/qprofile.hpp"
#include "srma/model/tau2.hpp"
#include "srma/report/json.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::bindings {
namespace {

namespace py = pybind11;

py::object egger(py::handle yi, py::handle vi, const pool_options& o, bool mixed) {
  const auto y = to_doubles(yi, "yi");
  const auto v = to_doubles(vi, "vi");
  return to_python(to_json(unwrap(egger_test(y, v, o, mixed))));
}

py::object peters(py::handle yi, py::handle vi, py::handle n, const pool_options& o, bool mixed) {
  const auto y = to_doubles(yi, "yi");
  const auto v = to_doubles(vi, "vi");
  const auto sizes = to_doubles(n, "n");
  return to_python(to_json(unwrap(peters_test(y, v, sizes, o, mixed))));
}

// As the "begg" object of the bias JSON.
py::object begg(py::handle yi, py::handle vi) {
  const auto y = to_doubles(yi, "yi");
  const auto v = to_doubles(vi, "vi");
  return to_python(to_json(unwrap(begg_test(y, v))));
}

// As the "trimfill" object of the bias JSON.
py::object trimfill(py::handle yi, py::handle vi, const pool_options& o,
                    const std::string& estimator, const std::optional<std::string>& side) {
  const auto y = to_doubles(yi, "yi");
  const auto v = to_doubles(vi, "vi");
  const auto e = parse_trimfill_estimator(estimator);
  if (!e) raise(errc::cli_bad_value, fmt::format("estimator='{}': expected L0 or R0", estimator));
  std::optional<funnel_side> s;
  if (side) {
    s = parse_funnel_side(*side);
    if (!s) raise(errc::cli_bad_value, fmt::format("side='{}': expected left or right", *side));
  }
  return to_python(to_json(unwrap(trim_and_fill(y, v, o, *e, s))));
}

// As the "failsafe" object of the bias JSON.
py::object failsafe(py::handle yi, py::handle vi, double alpha) {
  const auto y = to_doubles(yi, "yi");
  const auto v = to_doubles(vi, "vi");
  return to_python(to_json(unwrap(failsafe_n(y, v, alpha))));
}

// The iteration control (the library validates it: srma.model.E300).
tau2_control control_of(const std::optional<double>& rel_tol, const std::optional<int>& max_iter) {
  tau2_control c;
  if (rel_tol) c.rel_tol = *rel_tol;
  if (max_iter) c.max_iter = *max_iter;
  return c;
}

py::dict tau2(py::handle yi, py::handle vi, const std::string& method,
              const std::optional<double>& rel_tol, const std::optional<int>& max_iter) {
  const auto y = to_doubles(yi, "yi");
  const auto v = to_doubles(vi, "vi");
  const auto m = parse_tau2_method(method);
  if (!m) {
    raise(errc::cli_bad_value,
          fmt::format("method='{}': expected DL, REML, ML, PM, HS, SJ, HE or EB", method));
  }
  const tau2_control c = control_of(rel_tol, max_iter);
  const tau2_estimate e = unwrap(estimate_tau2(y, v, *m, c));
  py::dict d;
  d["method"] = std::string(tau2_method_code(*m));
  d["tau2"] = number(e.tau2);
  d["se"] = number(e.se);
  d["iterations"] = e.iterations;
  d["at_zero_by_ll_check"] = e.at_zero_by_ll_check;
  d["notes"] = py::cast(e.notes);
  return d;
}

py::dict qprofile(py::handle yi, py::handle vi, double level, const std::optional<double>& rel_tol,
                  const std::optional<int>& max_iter) {
  const auto y = to_doubles(yi, "yi");
  const auto v = to_doubles(vi, "vi");
  const tau2_interval ci = unwrap(qprofile_tau2_ci(y, v, level, control_of(rel_tol, max_iter)));
  py::dict d;
  d["level"] = level;
  d["lower"] = number(ci.lower);
  d["upper"] = number(ci.upper);
  d["null_set"] = ci.null_set;
  return d;
}

}  // namespace

void register_tests(py::module_& m) {
  m.def("egger_test", &egger, py::arg("yi"), py::arg("vi"), py::arg("options"),
        py::arg("mixed") = false);
  m.def("peters_test", &peters, py::arg("yi"), py::arg("vi"), py::arg("n"), py::arg("options"),
        py::arg("mixed") = false);
  m.def("begg_test", &begg, py::arg("yi"), py::arg("vi"));
  m.def("trim_and_fill", &trimfill, py::arg("yi"), py::arg("vi"), py::arg("options"),
        py::arg("estimator") = "L0", py::arg("side") = py::none());
  m.def("failsafe_n", &failsafe, py::arg("yi"), py::arg("vi"), py::arg("alpha") = 0.05);
  m.def("estimate_tau2", &tau2, py::arg("yi"), py::arg("vi"), py::arg("method") = "REML",
        py::arg("rel_tol") = py::none(), py::arg("max_iter") = py::none());
  m.def("qprofile_tau2_ci", &qprofile, py::arg("yi"), py::arg("vi"), py::arg("level") = 95.0,
        py::arg("rel_tol") = py::none(), py::arg("max_iter") = py::none());
}

}  // namespace srma::bindings
