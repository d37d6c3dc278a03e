// srma.Studies and its readers (see studies.hpp).
#include "studies.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "convert.hpp"
#include "errors.hpp"
#include "options.hpp"
#include "srma/io/csv.hpp"
#include "srma/report/json.hpp"

namespace srma::bindings {
namespace {

namespace py = pybind11;

study_table from_text(const std::string& text, const std::string& source,
                      const std::optional<std::string>& measure,
                      const std::optional<std::string>& effect, double ci_level,
                      bool exclude_missing, const std::optional<std::string>& zero_cells,
                      const std::optional<std::string>& measure_label) {
  const auto options =
      make_read_options(measure, effect, ci_level, exclude_missing, zero_cells, measure_label);
  const csv_table csv = unwrap(parse_csv(text, source));
  return unwrap(make_study_table(csv, options));
}

study_table from_file(const std::string& path, const std::optional<std::string>& measure,
                      const std::optional<std::string>& effect, double ci_level,
                      bool exclude_missing, const std::optional<std::string>& zero_cells,
                      const std::optional<std::string>& measure_label) {
  return unwrap(read_studies(path, make_read_options(measure, effect, ci_level, exclude_missing,
                                                     zero_cells, measure_label)));
}

study_table from_arrays(py::handle yi, py::handle vi,
                        const std::optional<std::vector<std::string>>& labels,
                        const std::optional<std::string>& measure) {
  auto y = to_doubles(yi, "yi");
  auto v = to_doubles(vi, "vi");
  const effect_measure m = measure ? parse_measure_arg(*measure) : effect_measure::generic;
  return unwrap(
      make_study_table(std::move(y), std::move(v), labels.value_or(std::vector<std::string>{}), m));
}

// The attribute columns as {name: [value per study]}, in file order.
py::dict attributes_of(const study_table& t) {
  py::dict out;
  for (std::size_t a = 0; a < t.attribute_names.size(); ++a)
    out[py::str(t.attribute_names[a])] = py::cast(t.attributes[a].to_strings());
  return out;
}

}  // namespace

void register_studies(py::module_& m) {
  py::class_<study_table>(m, "Studies",
                          "The studies of a meta-analysis (srma::study_table): a label, yi and vi "
                          "per study on the analysis scale, and every other input column as an "
                          "attribute. Made by srma.read_studies, or from a DataFrame or arrays.")
      .def_property_readonly("k", &study_table::k, "Number of studies")
      .def("__len__", &study_table::k)
      .def_readonly("source", &study_table::source, "File the studies came from")
      .def_readonly("measure_label", &study_table::measure_label,
                    "Name of a generic effect (GEN) in reports and figures; '' for 'effect'")
      .def_property_readonly(
          "measure", [](const study_table& t) { return std::string(measure_code(t.measure)); },
          "Effect measure code: GEN, HR, OR, RR, RD, MD or SMD")
      .def_property_readonly(
          "input", [](const study_table& t) { return std::string(input_kind_columns(t.kind)); },
          "The effect columns read, e.g. 'events_t,n_t,events_c,n_c'")
      .def_readonly("study", &study_table::study, "Study labels")
      .def_property_readonly(
          "yi", [](const study_table& t) { return to_numpy(t.yi); },
          "Estimates on the analysis scale (log for ratio measures), a numpy array")
      .def_property_readonly(
          "vi", [](const study_table& t) { return to_numpy(t.vi); },
          "Sampling variances, a numpy array")
      .def_property_readonly(
          "sample_size",
          [](const study_table& t) -> py::object {
            if (t.sample_size.empty()) return py::none();
            return to_numpy(t.sample_size);
          },
          "Total sample size per study (2x2 and means input), else None")
      .def_readonly("line", &study_table::line, "Source line of each study (0: built in memory)")
      .def_readonly("attribute_names", &study_table::attribute_names,
                    "The other input columns, in file order")
      .def_property_readonly("attributes", &attributes_of,
                             "The other input columns as {name: [text per study]}")
      .def_property_readonly(
          "excluded", [](const study_table& t) { return to_python(input_json(t)["excluded"]); },
          "Input rows left out of the analysis, with the reason")
      .def_readonly("notices", &study_table::notices, "Warnings about the input")
      .def(
          "input_json", [](const study_table& t) { return to_python(input_json(t)); },
          "The 'input' object of the CLI's JSON: {source, measure, input, excluded, notices}")
      .def(
          "subset",
          [](const study_table& t, const std::vector<std::size_t>& rows) {
            for (std::size_t r : rows) {
              if (r >= t.k()) {
                throw py::index_error(
                    fmt::format("study index {} is out of range (k = {})", r, t.k()));
              }
            }
            return t.subset(rows);
          },
          py::arg("rows"), "The studies at 0-based positions `rows`, in that order")
      .def("__repr__", [](const study_table& t) {
        return fmt::format("<srma.Studies: {} stud{}, measure {}, input {}{}>", t.k(),
                           t.k() == 1 ? "y" : "ies", measure_code(t.measure),
                           input_kind_columns(t.kind),
                           t.source.empty() ? "" : fmt::format(", from '{}'", t.source));
      });

  m.def("read_studies", &from_file, py::arg("path"), py::kw_only(), py::arg("measure") = py::none(),
        py::arg("effect") = py::none(), py::arg("ci_level") = 95.0,
        py::arg("exclude_missing") = false, py::arg("zero_cells") = py::none(),
        py::arg("measure_label") = py::none(),
        "Reads the studies of a CSV file as `srma pool FILE` does.");
  m.def("parse_studies", &from_text, py::arg("text"), py::arg("source"), py::kw_only(),
        py::arg("measure") = py::none(), py::arg("effect") = py::none(), py::arg("ci_level") = 95.0,
        py::arg("exclude_missing") = false, py::arg("zero_cells") = py::none(),
        py::arg("measure_label") = py::none(),
        "Reads the studies of CSV text; `source` names it in error messages.");
  m.def("studies_from_arrays", &from_arrays, py::arg("yi"), py::arg("vi"), py::kw_only(),
        py::arg("labels") = py::none(), py::arg("measure") = py::none(),
        "Studies from effects on the analysis scale and their sampling variances.");
}

}  // namespace srma::bindings
