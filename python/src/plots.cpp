// Forest, funnel, GOSH and Kaplan-Meier figures (see plots.hpp).
#include "plots.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"
#include "fits.hpp"
#include "srma/bias/regression_test.hpp"
#include "srma/bias/trim_and_fill.hpp"
#include "srma/plot/forest.hpp"
#include "srma/plot/forest_rows.hpp"
#include "srma/plot/funnel.hpp"
#include "srma/plot/gosh_plot.hpp"
#include "srma/plot/km_plot.hpp"
#include "srma/plot/output.hpp"
#include "srma/plot/refit_forest.hpp"
#include "srma/util/error_ids.hpp"
#include "survival.hpp"

namespace srma::bindings {
namespace {

namespace py = pybind11;

// The look of a figure shared by the forest and funnel plots: the CLI's --title, --xlim, --xlab,
// --font-size, --width, --height (and --dpi for lengths in pixels).
struct look {
  std::string title;
  std::optional<std::pair<double, double>> xlim;
  std::optional<std::string> xlab;
  double font_size = 9;
  py::object width = py::none();
  py::object height = py::none();
  double dpi = 150;
};

void check_font_size(double size) {
  if (!(size >= 4 && size <= 40)) {
    raise(errc::plot_bad_options,
          fmt::format("font_size is {:g}, but must be between 4 and 40 points", size));
  }
}

// A length in points: a number (points) or text with a unit ("7in", "180mm", "500pt", "1200px").
double length_of(const py::object& value, double dpi, const char* name) {
  if (py::isinstance<py::str>(value))
    return unwrap(plot::parse_length(value.cast<std::string>(), dpi));
  const double x = value.cast<double>();
  if (!(x > 0) || !std::isfinite(x)) {
    raise(errc::plot_bad_options, fmt::format("{} is {:g} points, but must be > 0", name, x));
  }
  return x;
}

// The favours labels from "left|right" (as the CLI's --favours) or a pair of strings.
void set_favours(const py::object& favours, plot::forest_options& o) {
  if (favours.is_none()) return;
  if (py::isinstance<py::str>(favours)) {
    unwrap(o.set_favours(favours.cast<std::string>()));
    return;
  }
  const auto pair = favours.cast<std::vector<std::string>>();
  if (pair.size() != 2) {
    raise(errc::plot_bad_options,
          fmt::format("favours has {} labels; expected two (left, right)", pair.size()));
  }
  o.favours_left = pair[0];
  o.favours_right = pair[1];
}

void check_dpi(double dpi) {
  const plot::render_options render{.dpi = dpi};
  if (auto msg = render.validate(); !msg.empty()) raise(errc::plot_bad_options, msg);
}

// ---- Forest plots ------------------------------------------------------------------------------

plot::forest_content content_of(const std::vector<std::string>& columns, const std::string& sort,
                                bool pi, bool stats) {
  plot::forest_content c;
  c.columns = columns;
  c.prediction_interval = pi;
  c.heterogeneity = stats;
  c.overall_test = stats;
  c.sort_by(sort);  // a column name is checked by forest_from (E503)
  return c;
}

// As apply_plot_options in cli/forest.cpp.
plot::drawing draw(plot::forest_plot fp, const look& l, const py::object& favours,
                   std::optional<double> ref, std::optional<int> decimals) {
  check_dpi(l.dpi);
  check_font_size(l.font_size);
  auto& o = fp.options;
  if (!l.title.empty()) o.title = l.title;
  set_favours(favours, o);
  if (l.xlim) {
    o.axis_min = l.xlim->first;
    o.axis_max = l.xlim->second;
  }
  if (ref) o.reference = *ref;
  if (l.xlab) o.axis_title = *l.xlab;
  if (decimals) {
    if (*decimals < 0 || *decimals > 6) {
      raise(errc::plot_bad_options, fmt::format("decimals is {}, but must be 0 to 6", *decimals));
    }
    o.decimals = *decimals;
  }
  o.font_size = l.font_size;
  if (!l.width.is_none()) o.width = length_of(l.width, l.dpi, "width");
  if (!l.height.is_none()) o.height = length_of(l.height, l.dpi, "height");
  return unwrap(plot::draw_forest(fp.rows, o));
}

// The forest plot of any fit: pooled, subgroups (rows from forest_from, with the content
// options), leave-one-out or cumulative (rows from refit_forest.hpp; content options do not
// apply there and are refused).
plot::drawing forest_plot(const py::object& fit, const std::vector<std::string>& columns,
                          const std::string& sort, bool pi, bool stats, const std::string& title,
                          const py::object& favours,
                          const std::optional<std::pair<double, double>>& xlim,
                          std::optional<double> ref, const std::optional<std::string>& xlab,
                          std::optional<int> decimals, double font_size, const py::object& width,
                          const py::object& height, double dpi) {
  const look l{title, xlim, xlab, font_size, width, height, dpi};
  const plot::forest_content content = content_of(columns, sort, pi, stats);
  if (py::isinstance<analysis<pool_result>>(fit)) {
    const auto& a = fit.cast<const analysis<pool_result>&>();
    return draw(unwrap(plot::forest_from(a.result, a.studies, content)), l, favours, ref, decimals);
  }
  if (py::isinstance<analysis<subgroup_analysis>>(fit)) {
    const auto& a = fit.cast<const analysis<subgroup_analysis>&>();
    return draw(unwrap(plot::forest_from(a.result, a.studies, content)), l, favours, ref, decimals);
  }
  const bool refit = py::isinstance<analysis<leave1out_result>>(fit) ||
                     py::isinstance<analysis<cumulative_result>>(fit);
  if (refit && (!columns.empty() || sort != "none" || pi || !stats)) {
    raise(errc::plot_bad_options,
          "columns, sort, pi and stats apply to forest plots of a pooled or subgroup analysis, "
          "not of a leave-one-out or cumulative analysis");
  }
  if (py::isinstance<analysis<leave1out_result>>(fit)) {
    return draw(plot::leave1out_forest(fit.cast<const analysis<leave1out_result>&>().result), l,
                favours, ref, decimals);
  }
  if (py::isinstance<analysis<cumulative_result>>(fit)) {
    return draw(plot::cumulative_forest(fit.cast<const analysis<cumulative_result>&>().result), l,
                favours, ref, decimals);
  }
  throw py::type_error(
      "forest(): expected the result of srma.pool, srma.leave1out or srma.cumulative");
}

// ---- Funnel plot (as cli/funnel.cpp) ------------------------------------------------------------

plot::drawing funnel_plot(const analysis<pool_result>& a, const std::vector<double>& contours,
                          bool pseudo_ci, bool egger, const std::optional<std::string>& trimfill,
                          const std::string& title,
                          const std::optional<std::pair<double, double>>& xlim,
                          std::optional<double> se_max, const std::optional<std::string>& xlab,
                          double font_size, const py::object& width, const py::object& height,
                          double dpi) {
  check_dpi(dpi);
  check_font_size(font_size);
  const pool_result& r = a.result;
  plot::funnel_options o = plot::funnel_defaults(r);
  o.contours = contours;
  o.pseudo_ci = pseudo_ci;
  o.title = title;
  if (xlim) {
    o.axis_min = xlim->first;
    o.axis_max = xlim->second;
  }
  o.se_max = se_max;
  if (xlab) o.axis_title = *xlab;
  o.font_size = font_size;
  if (!width.is_none()) o.width = length_of(width, dpi, "width");
  if (!height.is_none()) o.height = length_of(height, dpi, "height");
  // Egger's line and trim-and-fill around the model the analysis leads with.
  pool_options model = r.options;
  model.model = r.primary == model_kind::common ? model_choice::common : model_choice::random;
  if (egger) {
    const regression_test e = unwrap(egger_test(a.studies.yi, a.studies.vi, model, false));
    o.line = plot::funnel_line{e.limit_estimate, e.bias, "Egger regression"};
  }
  auto points = plot::funnel_points(r);
  if (trimfill) {
    const auto est = parse_trimfill_estimator(*trimfill);
    if (!est)
      raise(errc::cli_bad_value, fmt::format("trimfill='{}': expected L0 or R0", *trimfill));
    const trimfill_result tf = unwrap(trim_and_fill(a.studies.yi, a.studies.vi, model, *est));
    o.adjusted = tf.estimate.estimate;
    for (std::size_t i = 0; i < tf.filled_yi.size(); ++i) {
      points.push_back(
          {tf.filled_yi[i], std::sqrt(tf.filled_vi[i]), true, fmt::format("Filled {}", i + 1)});
    }
  }
  return unwrap(plot::draw_funnel(points, o));
}

// ---- GOSH plot (as cli/gosh.cpp) ----------------------------------------------------------------

// The study `highlight` names: a label (exact, else ignoring case) or a 0-based index.
std::optional<std::size_t> highlighted(const study_table& s, const py::object& highlight) {
  if (highlight.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(highlight)) {
    const auto name = highlight.cast<std::string>();
    for (std::size_t i = 0; i < s.k(); ++i)
      if (s.study[i] == name) return i;
    auto lower = [](std::string x) {
      for (auto& c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return x;
    };
    for (std::size_t i = 0; i < s.k(); ++i)
      if (lower(s.study[i]) == lower(name)) return i;
    raise(errc::cli_bad_value,
          fmt::format("highlight='{}': no such study; expected a study label ({}) or an index "
                      "from 0 to {}",
                      name, fmt::join(s.study, ", "), s.k() - 1));
  }
  const auto i = highlight.cast<long long>();
  if (i < 0 || static_cast<std::size_t>(i) >= s.k()) {
    raise(errc::cli_bad_value,
          fmt::format("highlight={}: expected an index from 0 to {}", i, s.k() - 1));
  }
  return static_cast<std::size_t>(i);
}

plot::gosh_plot_options gosh_options_of(const gosh_analysis& a, const py::object& highlight,
                                        const std::string& title, std::size_t bin_above,
                                        bool histograms) {
  plot::gosh_plot_options o;
  o.measure = a.studies.measure;
  o.title = title;
  o.bin_above = bin_above;
  o.histograms = histograms;
  if (auto i = highlighted(a.studies, highlight)) {
    o.highlight = *i;
    o.highlight_label = a.studies.study[*i];
  }
  return o;
}

plot::drawing gosh_plot(const gosh_analysis& a, const py::object& highlight,
                        const std::string& title, std::size_t bin_above, bool histograms) {
  return unwrap(
      plot::draw_gosh(a.result, gosh_options_of(a, highlight, title, bin_above, histograms)));
}

// ---- Kaplan-Meier figure (as run_plot in cli/km.cpp)
// ---------------------------------------------

// The figure's layers, axes and sizes, as the CLI's km plot options (plus those it leaves at
// their defaults).
struct km_look {
  bool ci = false;
  bool risk_table = true;
  bool censor_ticks = true;
  bool digitised_points = true;
  bool legend = true;
  bool statistics = true;
  bool percent = false;
  std::optional<double> time_step;
  std::optional<double> time_max;
  std::string time_title;
  std::string survival_title;
  std::string risk_table_title;
  std::string title;
  double font_size = 9;
  py::object width = py::none();
  py::object height = py::none();
  double dpi = 300;
};

// The figure of patient data or of a two-arm analysis: one curve per arm (the analysis' two arms
// first, treatment then control), the points digitised for an arm overlaid (those of a
// reconstruction, then those given in `digitised`, which win), and the HR and log-rank p when
// there are two arms to compare.
plot::drawing km_plot(const py::object& source, const std::optional<std::string>& treatment,
                      const std::optional<std::string>& control,
                      const std::vector<std::pair<std::string, digitised_curve>>& digitised,
                      const std::string& ties, const km_look& l) {
  check_dpi(l.dpi);
  if (treatment.has_value() != control.has_value()) {
    raise(errc::cli_bad_value, "give both treatment and control (or neither)");
  }
  const auto tie_rule = parse_cox_ties(ties);
  if (!tie_rule)
    raise(errc::cli_bad_value, fmt::format("ties='{}': expected efron or breslow", ties));

  std::optional<km_analysis> analysis;
  const patient_data* ipd = nullptr;
  if (py::isinstance<km_hr_fit>(source)) {
    if (treatment) {
      throw py::type_error(
          "km_plot(): treatment and control are those of the analysis; give them only with "
          "patient data");
    }
    const auto& fit = source.cast<const km_hr_fit&>();
    ipd = &fit.ipd;
    analysis = fit.analysis;
  } else if (py::isinstance<patient_data>(source)) {
    ipd = &source.cast<const patient_data&>();
  } else {
    throw py::type_error("km_plot(): expected srma.SurvivalData or the result of srma.km_hr");
  }
  const survival_data& data = ipd->data;

  std::vector<std::pair<std::string, clean_points>> points = ipd->digitised;
  for (const auto& [name, curve] : digitised) {
    if (!data.arm_index(name)) {
      std::string arms;
      for (const auto& n : data.arm_names)
        arms += fmt::format("{}'{}'", arms.empty() ? "" : ", ", n);
      raise(errc::survival_unknown_arm,
            fmt::format("digitised: the arm '{}' is not in the data; its arms are {}", name, arms));
    }
    points.emplace_back(name, unwrap(clean_curve(curve)));
  }

  km_options km;
  plot::km_plot_content content;
  std::vector<std::size_t> order;
  if (treatment) {
    km_analysis_options o;
    o.cox.ties = *tie_rule;
    py::gil_scoped_release release;
    analysis = unwrap(analyse_two_arms(data, *treatment, *control, o));
  }
  if (analysis) {
    km = analysis->options.km;
    content.cox = analysis->cox;
    content.logrank = analysis->logrank;
    content.treatment = analysis->treatment;
    content.control = analysis->control;
    order = {*data.arm_index(analysis->treatment), *data.arm_index(analysis->control)};
  }
  for (std::size_t i = 0; i < data.arm_names.size(); ++i)
    if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
  for (const std::size_t i : order) {
    const auto sample = arm_of(data, i);
    plot::km_arm_curve arm{
        data.arm_names[i], unwrap(kaplan_meier(sample.time, sample.event, km)), {}, {}};
    for (const auto& [name, p] : points) {
      if (data.arm_index(name) != i) continue;
      arm.digitised_time = p.time;
      arm.digitised_survival = p.survival;
    }
    content.arms.push_back(std::move(arm));
  }

  plot::km_plot_options o;
  o.ci_bands = l.ci;
  o.risk_table = l.risk_table;
  o.censor_ticks = l.censor_ticks;
  o.digitised_points = l.digitised_points;
  o.legend = l.legend;
  o.statistics = l.statistics;
  o.percent = l.percent;
  o.time_step = l.time_step;
  o.time_max = l.time_max;
  o.time_title = l.time_title;
  o.survival_title = l.survival_title;
  o.risk_table_title = l.risk_table_title;
  o.title = l.title;
  o.font_size = l.font_size;
  if (!l.width.is_none()) o.width = length_of(l.width, l.dpi, "width");
  if (!l.height.is_none()) o.height = length_of(l.height, l.dpi, "height");
  py::gil_scoped_release release;
  return unwrap(plot::draw_km_plot(content, o));
}

// ---- Output ------------------------------------------------------------------------------------

py::bytes render_as(const plot::drawing& d, const std::string& format, double dpi) {
  check_dpi(dpi);
  const auto f = unwrap(plot::format_from_path("figure." + format));
  std::string bytes;
  {
    py::gil_scoped_release release;
    bytes = unwrap(plot::render(d, f, {.dpi = dpi}));
  }
  return py::bytes(bytes);
}

void save_as(const plot::drawing& d, const std::string& path, double dpi) {
  check_dpi(dpi);
  py::gil_scoped_release release;
  unwrap(plot::save(d, path, {.dpi = dpi}));
}

}  // namespace

void register_plots(py::module_& m) {
  py::class_<plot::drawing>(m, "Drawing",
                            "A finished figure in memory; save() writes SVG, PDF or PNG by the "
                            "file's extension")
      .def_property_readonly("width", &plot::drawing::width, "Width in points")
      .def_property_readonly("height", &plot::drawing::height, "Height in points")
      .def_property_readonly("title", &plot::drawing::title)
      .def("svg", &plot::render_svg, "The SVG text (deterministic; real <text> elements)")
      .def("_repr_svg_", &plot::render_svg)
      .def("render", &render_as, py::arg("format"), py::arg("dpi") = 150.0,
           "The bytes of the figure as 'svg', 'pdf' or 'png'")
      .def("save", &save_as, py::arg("path"), py::arg("dpi") = 150.0,
           "Writes the figure; the format follows the extension (.svg, .pdf, .png)")
      .def("__repr__", [](const plot::drawing& d) {
        return fmt::format("<srma.Drawing {:g} x {:g} pt>", d.width(), d.height());
      });

  m.def("forest_plot", &forest_plot, py::arg("fit"), py::kw_only(),
        py::arg("columns") = std::vector<std::string>{}, py::arg("sort") = "none",
        py::arg("pi") = false, py::arg("stats") = true, py::arg("title") = "",
        py::arg("favours") = py::none(), py::arg("xlim") = py::none(), py::arg("ref") = py::none(),
        py::arg("xlab") = py::none(), py::arg("decimals") = py::none(), py::arg("font_size") = 9.0,
        py::arg("width") = py::none(), py::arg("height") = py::none(), py::arg("dpi") = 150.0);
  m.def("funnel_plot", &funnel_plot, py::arg("fit"), py::kw_only(),
        py::arg("contours") = std::vector<double>{}, py::arg("pseudo_ci") = true,
        py::arg("egger") = false, py::arg("trimfill") = py::none(), py::arg("title") = "",
        py::arg("xlim") = py::none(), py::arg("se_max") = py::none(), py::arg("xlab") = py::none(),
        py::arg("font_size") = 9.0, py::arg("width") = py::none(), py::arg("height") = py::none(),
        py::arg("dpi") = 150.0);
  m.def("gosh_plot", &gosh_plot, py::arg("fit"), py::kw_only(), py::arg("highlight") = py::none(),
        py::arg("title") = "", py::arg("bin_above") = 20000, py::arg("histograms") = true);
  m.def(
      "gosh_caption",
      [](const gosh_analysis& a, const py::object& highlight) {
        return plot::gosh_caption(a.result, gosh_options_of(a, highlight, "", 20000, true));
      },
      py::arg("fit"), py::arg("highlight") = py::none());
  m.def(
      "km_plot",
      [](const py::object& source, const std::optional<std::string>& treatment,
         const std::optional<std::string>& control,
         const std::vector<std::pair<std::string, digitised_curve>>& digitised,
         const std::string& ties, bool ci, bool risk_table, bool censor_ticks,
         bool digitised_points, bool legend, bool statistics, bool percent,
         std::optional<double> time_step, std::optional<double> time_max,
         const std::string& time_title, const std::string& survival_title,
         const std::string& risk_table_title, const std::string& title, double font_size,
         const py::object& width, const py::object& height, double dpi) {
        const km_look l{ci,       risk_table, censor_ticks,   digitised_points,
                        legend,   statistics, percent,        time_step,
                        time_max, time_title, survival_title, risk_table_title,
                        title,    font_size,  width,          height,
                        dpi};
        return km_plot(source, treatment, control, digitised, ties, l);
      },
      py::arg("source"), py::kw_only(), py::arg("treatment") = py::none(),
      py::arg("control") = py::none(),
      py::arg("digitised") = std::vector<std::pair<std::string, digitised_curve>>{},
      py::arg("ties") = "efron", py::arg("ci") = false, py::arg("risk_table") = true,
      py::arg("censor_ticks") = true, py::arg("digitised_points") = true, py::arg("legend") = true,
      py::arg("statistics") = true, py::arg("percent") = false, py::arg("time_step") = py::none(),
      py::arg("time_max") = py::none(), py::arg("time_title") = "Time",
      py::arg("survival_title") = "Survival probability",
      py::arg("risk_table_title") = "Number at risk", py::arg("title") = "",
      py::arg("font_size") = 9.0, py::arg("width") = py::none(), py::arg("height") = py::none(),
      py::arg("dpi") = 300.0);
}

}  // namespace srma::bindings
