// PoolOptions and the keyword rules of every analysis (see options.hpp).
#include "options.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "errors.hpp"
#include "srma/model/tau2.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::bindings {
namespace {

namespace py = pybind11;

// Parses `value` with `parse`, or raises srma.cli.E401 naming the argument and the choices.
template <typename Parse>
auto parse_or_raise(Parse parse, const std::string& name, const std::string& value,
                    const char* choices) {
  auto parsed = parse(value);
  if (!parsed)
    raise(errc::cli_bad_value, fmt::format("{}='{}': expected {}", name, value, choices));
  return *parsed;
}

pool_options make_pool_options(
    const std::optional<std::string>& preset_arg, const std::optional<std::string>& model,
    const std::optional<std::string>& method, const std::optional<bool>& hksj,
    const std::optional<std::string>& pi, const std::optional<std::string>& i2, double level,
    double auto_i2, bool common_tau2, const std::optional<double>& rel_tol,
    const std::optional<int>& max_iter, const std::optional<std::string>& pooling) {
  const preset p = parse_or_raise(parse_preset, "preset", preset_arg.value_or("srma"),
                                  "srma, metafor, meta or revman5");
  pool_options o = preset_options(p);
  if (model) {
    o.model = parse_or_raise(parse_model_choice, "model", *model, "common, random, both or auto");
  }
  if (method) {
    o.tau2 =
        parse_or_raise(parse_tau2_method, "method", *method, "DL, REML, ML, PM, HS, SJ, HE or EB");
  }
  if (hksj) o.ci = *hksj ? ci_method::hksj : ci_method::z;
  if (pi) o.pi = parse_or_raise(parse_pi_method, "pi", *pi, "t, t2, z, test or none");
  if (i2) o.i2 = parse_or_raise(parse_i2_definition, "i2", *i2, "Q or tau2");
  o.level = level;
  o.auto_i2_threshold = auto_i2;
  o.common_tau2 = common_tau2;
  if (rel_tol) o.control.rel_tol = *rel_tol;
  if (max_iter) o.control.max_iter = *max_iter;
  if (pooling) {
    o.method = parse_or_raise(parse_pooling_method, "pooling", *pooling, "iv, mh or peto");
  }
  // Values out of range get the library's id for invalid options, as pool() would report them.
  if (auto msg = o.validate(); !msg.empty()) raise(errc::model_bad_options, msg);
  return o;
}

}  // namespace

effect_measure parse_measure_arg(const std::string& code) {
  return parse_or_raise(parse_measure, "measure", code, measure_codes_text().c_str());
}

read_options make_read_options(const std::optional<std::string>& measure,
                               const std::optional<std::string>& effect, double ci_level,
                               bool exclude_missing, const std::optional<std::string>& zero_cells,
                               const std::optional<std::string>& measure_label) {
  read_options r;
  if (measure) r.measure = parse_measure_arg(*measure);
  if (effect) {
    r.kind = parse_or_raise(parse_input_kind, "effect", *effect,
                            "hr,lower,upper, loghr,se, yi,sei, yi,vi, oe,v, 2x2 or means");
  }
  r.ci_level = ci_level;
  r.missing = exclude_missing ? missing_policy::exclude : missing_policy::error;
  // Each tool's zero-cell rule for counts, named by the tool (docs/methods.md, "Zero cells"); the
  // command line takes it from --preset.
  if (zero_cells) {
    const auto p =
        parse_or_raise(parse_preset, "zero_cells", *zero_cells, "srma, metafor, meta or revman5");
    if (p == preset::metafor) r.zero_cells = escalc_zero_cells();
    if (p == preset::revman5) r.zero_cells = revman5_zero_cells();
  }
  if (measure_label) r.measure_label = *measure_label;
  return r;
}

void register_options(py::module_& m) {
  py::class_<pool_options>(m, "PoolOptions",
                           "How to pool (srma::pool_options); made by pool_options(...).")
      .def_property_readonly(
          "model", [](const pool_options& o) { return std::string(model_choice_name(o.model)); })
      .def_property_readonly(
          "method", [](const pool_options& o) { return std::string(tau2_method_code(o.tau2)); })
      .def_property_readonly(
          "ci", [](const pool_options& o) { return std::string(ci_method_name(o.ci)); })
      .def_property_readonly(
          "pi", [](const pool_options& o) { return std::string(pi_method_name(o.pi)); })
      .def_property_readonly(
          "i2", [](const pool_options& o) { return std::string(i2_definition_name(o.i2)); })
      .def_property_readonly(
          "pooling", [](const pool_options& o) { return std::string(to_string(o.method)); },
          "Common-effect method for 2x2 counts: iv, mh or peto (the command line's --method)")
      .def_property_readonly(
          "counts", [](const pool_options& o) { return std::string(to_string(o.counts)); },
          "Whose rules the Mantel-Haenszel tables follow: metafor or revman5")
      .def_readonly("level", &pool_options::level)
      .def_readonly("auto_i2", &pool_options::auto_i2_threshold)
      .def_readonly("common_tau2", &pool_options::common_tau2)
      .def_property_readonly("rel_tol", [](const pool_options& o) { return o.control.rel_tol; })
      .def_property_readonly("max_iter", [](const pool_options& o) { return o.control.max_iter; })
      .def("__repr__", [](const pool_options& o) {
        return fmt::format(
            "PoolOptions(model='{}', method='{}', ci='{}', pi='{}', i2='{}', level={:g}, "
            "auto_i2={:g}, common_tau2={}, pooling='{}')",
            model_choice_name(o.model), tau2_method_code(o.tau2), ci_method_name(o.ci),
            pi_method_name(o.pi), i2_definition_name(o.i2), o.level, o.auto_i2_threshold,
            o.common_tau2 ? "True" : "False", to_string(o.method));
      });
  m.def("pool_options", &make_pool_options, py::kw_only(), py::arg("preset") = py::none(),
        py::arg("model") = py::none(), py::arg("method") = py::none(), py::arg("hksj") = py::none(),
        py::arg("pi") = py::none(), py::arg("i2") = py::none(), py::arg("level") = 95.0,
        py::arg("auto_i2") = 20.0, py::arg("common_tau2") = false, py::arg("rel_tol") = py::none(),
        py::arg("max_iter") = py::none(), py::arg("pooling") = py::none(),
        "The pooling options: the preset's defaults, then every option given (None: the "
        "preset's). Raises srma.Error (srma.cli.E401) for a value that is not accepted.");
}

}  // namespace srma::bindings
