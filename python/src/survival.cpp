// Patient data, Kaplan-Meier, the two-arm analysis and Guyot reconstruction (see survival.hpp).
// Each function does what cli/km.cpp does between reading its arguments and printing, so the
// results equal the CLI's: km_hr gives `srma km hr --json` and its text, km_reconstruct the
// "arms" of `srma km reconstruct --json` and the patients it writes.
#include "survival.hpp"

#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convert.hpp"
#include "errors.hpp"
#include "srma/io/csv.hpp"
#include "srma/io/file.hpp"
#include "srma/report/json.hpp"
#include "srma/report/text_report.hpp"
#include "srma/util/error_ids.hpp"

namespace srma::bindings {
namespace {

namespace py = pybind11;

// ---- Arrays from Python, checked with the element's index --------------------------------------
//
// The library checks data built in memory too, but names a patient or a point by number; these
// checks come first so that a None or NaN in a Python array is reported as `name[i]`, as
// to_doubles' callers do for study data.

// Follow-up times: finite and >= 0 (the library's wording, srma.survival.E901).
std::vector<double> times_of(py::handle values, const char* who) {
  auto t = to_doubles(values, "time");
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!std::isfinite(t[i]) || t[i] < 0) {
      raise(errc::survival_bad_ipd,
            fmt::format("{}: time[{}] is {}, but must be a finite number >= 0", who, i, t[i]));
    }
  }
  return t;
}

// Event indicators: 1 (event) or 0 (censored); booleans are accepted.
std::vector<int> events_of(py::handle values, const char* who) {
  const auto x = to_doubles(values, "event");
  std::vector<int> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] != 0 && x[i] != 1) {
      raise(
          errc::survival_bad_ipd,
          fmt::format("{}: event[{}] is {}, but must be 1 (event) or 0 (censored)", who, i, x[i]));
    }
    out[i] = static_cast<int>(x[i]);
  }
  return out;
}

// Arm labels: strings (or anything with a str(), such as the numbers 1 and 2), trimmed as the
// CSV reader trims them; None, NaN and empty labels are errors.
std::vector<std::string> labels_of(py::handle values, const char* who) {
  if (values.is_none()) throw py::type_error("arm is None; expected a sequence of arm labels");
  if (py::isinstance<py::str>(values) || py::isinstance<py::bytes>(values)) {
    throw py::type_error("arm is a string; expected a sequence of arm labels (one per patient)");
  }
  if (!py::hasattr(values, "__iter__")) {
    throw py::type_error(
        "arm: expected a sequence of arm labels (list, numpy array, pandas "
        "Series)");
  }
  std::vector<std::string> out;
  std::size_t i = 0;
  for (py::handle x : values) {
    bool missing = x.is_none();
    if (!missing && py::isinstance<py::float_>(x)) missing = std::isnan(x.cast<double>());
    if (missing) {
      raise(errc::survival_bad_ipd, fmt::format("{}: arm[{}] is missing ({}), but must name an arm",
                                                who, i, std::string(py::str(x))));
    }
    std::string label = py::str(x);
    const auto first = label.find_first_not_of(" \t\r\n");
    const auto last = label.find_last_not_of(" \t\r\n");
    label = first == std::string::npos ? std::string() : label.substr(first, last - first + 1);
    if (label.empty()) {
      raise(errc::survival_bad_ipd,
            fmt::format("{}: arm[{}] is empty, but must name an arm", who, i));
    }
    out.push_back(std::move(label));
    ++i;
  }
  return out;
}

// ---- Patient data ------------------------------------------------------------------------------

patient_data ipd_from_file(const std::string& path) { return {unwrap(read_ipd(path)), {}, {}}; }

patient_data ipd_from_text(const std::string& text, const std::string& source) {
  const csv_table csv = unwrap(parse_csv(text, source));
  return {unwrap(make_survival_data(csv)), {}, {}};
}

patient_data ipd_from_arrays(py::handle arm, py::handle time, py::handle event) {
  constexpr const char* who = "ipd_from_arrays";
  const auto labels = labels_of(arm, who);
  const auto t = times_of(time, who);
  const auto e = events_of(event, who);
  if (labels.size() != t.size() || t.size() != e.size()) {
    raise(errc::survival_bad_ipd,
          fmt::format("{}: arm has {} values, time {} and event {}; they must have the same "
                      "length",
                      who, labels.size(), t.size(), e.size()));
  }
  if (t.empty()) raise(errc::survival_bad_ipd, fmt::format("{}: no patients", who));
  patient_data d;
  for (std::size_t i = 0; i < t.size(); ++i) d.data.add(labels[i], t[i], e[i]);
  return d;
}

std::size_t arm_named(const survival_data& d, const std::string& name) {
  if (auto a = d.arm_index(name)) return *a;
  std::string arms;
  for (const auto& n : d.arm_names) arms += fmt::format("{}'{}'", arms.empty() ? "" : ", ", n);
  raise(errc::survival_unknown_arm,
        fmt::format("the arm '{}' is not in the data; its arms are {}", name, arms));
}

py::array_t<int> int_array(const std::vector<int>& x) {
  py::array_t<int> a(static_cast<py::ssize_t>(x.size()));
  std::copy(x.begin(), x.end(), a.mutable_data());
  return a;
}

// ---- Kaplan-Meier ------------------------------------------------------------------------------

km_conf_type conf_type_of(const std::string& text) {
  const auto t = parse_km_conf_type(text);
  if (!t) {
    raise(errc::cli_bad_value, fmt::format("conf_type='{}': expected log, log-log or plain", text));
  }
  return *t;
}

km_curve km_of(py::handle time, py::handle event, double level, const std::string& conf_type) {
  constexpr const char* who = "kaplan_meier";
  const km_options o{.level = level, .conf_type = conf_type_of(conf_type)};
  const auto t = times_of(time, who);
  const auto e = events_of(event, who);
  py::gil_scoped_release release;
  return unwrap(kaplan_meier(t, e, o));
}

// A JSON form of its own (the CLI prints no single curve): the counts, the options, the median
// with its CI and the curve as one list per column of R's survfit.
nlohmann::json km_json(const km_curve& c) {
  auto num = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); };
  auto list = [&](const std::vector<double>& x) {
    nlohmann::json out = nlohmann::json::array();
    for (double v : x) out.push_back(num(v));
    return out;
  };
  // Counts as integers, as the arms of `srma km hr --json` give them.
  return {{"n", static_cast<std::size_t>(c.n)},
          {"events", static_cast<std::size_t>(c.events)},
          {"level", c.options.level},
          {"conf_type", std::string(to_string(c.options.conf_type))},
          {"median",
           {{"estimate", num(c.median.estimate)},
            {"lower", num(c.median.lower)},
            {"upper", num(c.median.upper)}}},
          {"time", list(c.time)},
          {"n_risk", list(c.n_risk)},
          {"n_event", list(c.n_event)},
          {"n_censor", list(c.n_censor)},
          {"surv", list(c.surv)},
          {"std_err", list(c.std_err)},
          {"lower", list(c.lower)},
          {"upper", list(c.upper)}};
}

// A time or a median as the km hr report writes it: 4 significant digits, NR when not reached.
std::string time_text(double x) {
  return std::isfinite(x) ? fmt::format("{:.4g}", x) : std::string("NR");
}

std::string km_summary(const km_curve& c) {
  const auto& m = c.median;
  std::string out = fmt::format(
      "Kaplan-Meier estimate ({:g}% CIs, {} scale): n = {:g}, events = {:g}\n"
      "  median {} ({:g}% CI {} to {})\n",
      100 * c.options.level, to_string(c.options.conf_type), c.n, c.events, time_text(m.estimate),
      100 * c.options.level, time_text(m.lower), time_text(m.upper));
  if (!std::isfinite(m.estimate) || !std::isfinite(m.lower) || !std::isfinite(m.upper))
    out += "  NR: not reached (the curve or its confidence limit stays above 0.5).\n";
  return out;
}

py::object km_array(const km_curve& c, const std::string& name) {
  if (name == "time") return to_numpy(c.time);
  if (name == "n_risk") return to_numpy(c.n_risk);
  if (name == "n_event") return to_numpy(c.n_event);
  if (name == "n_censor") return to_numpy(c.n_censor);
  if (name == "surv") return to_numpy(c.surv);
  if (name == "std_err") return to_numpy(c.std_err);
  if (name == "lower") return to_numpy(c.lower);
  if (name == "upper") return to_numpy(c.upper);
  throw py::key_error(name);
}

// S(t) at a number (a float) or at each of an array-like of times (a numpy array).
py::object survival_at(const km_curve& c, const py::object& t) {
  if (py::isinstance<py::float_>(t) || py::isinstance<py::int_>(t))
    return py::float_(c.survival_at(t.cast<double>()));
  const auto times = to_doubles(t, "t");
  std::vector<double> s(times.size());
  for (std::size_t i = 0; i < times.size(); ++i) s[i] = c.survival_at(times[i]);
  return to_numpy(s);
}

// ---- Two arms (srma km hr) ---------------------------------------------------------------------

cox_ties ties_of(const std::string& text) {
  const auto t = parse_cox_ties(text);
  if (!t) raise(errc::cli_bad_value, fmt::format("ties='{}': expected efron or breslow", text));
  return *t;
}

km_hr_fit run_km_hr(const patient_data& ipd, const std::string& treatment,
                    const std::string& control, const std::string& ties, std::optional<double> tau,
                    double level) {
  km_analysis_options o;
  o.cox.ties = ties_of(ties);
  o.cox.level = level;
  o.km.level = level;
  o.tau = tau;
  py::gil_scoped_release release;
  return {ipd, unwrap(analyse_two_arms(ipd.data, treatment, control, o))};
}

// As run_hr in cli/km.cpp: curves rebuilt from digitised points add their reconstruction.
nlohmann::json km_hr_json(const km_hr_fit& f) {
  nlohmann::json j = to_json(f.analysis);
  if (!f.ipd.reconstruction.empty()) {
    nlohmann::json r = nlohmann::json::array();
    for (const auto& a : f.ipd.reconstruction) r.push_back(to_json(a));
    j["reconstruction"] = std::move(r);
    j["source"] = "km_reconstruction";
  }
  return j;
}

std::string reconstruction_text(const std::vector<arm_reconstruction>& arms) {
  std::string out;
  for (const auto& r : arms) out += full_report(r);
  return out;
}

std::string km_hr_summary(const km_hr_fit& f) {
  return reconstruction_text(f.ipd.reconstruction) + full_report(f.analysis);
}

// ---- Digitised curves and numbers at risk ------------------------------------------------------

digitised_curve curve_from_arrays(py::handle time, py::handle survival, const std::string& arm) {
  const auto t = to_doubles(time, "time");
  const auto s = to_doubles(survival, "survival");
  const std::string who = fmt::format("points of arm '{}'", arm);
  if (t.size() != s.size()) {
    raise(errc::survival_bad_points,
          fmt::format("{}: time has {} values and survival {}; they must have the same length", who,
                      t.size(), s.size()));
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!std::isfinite(t[i]) || t[i] < 0) {
      raise(errc::survival_bad_points,
            fmt::format("{}: time[{}] is {}, but must be a finite number >= 0", who, i, t[i]));
    }
    if (!(s[i] >= 0 && s[i] <= 100)) {
      raise(errc::survival_bad_points,
            fmt::format("{}: survival[{}] is {}, but must be a number from 0 to 1 (or from 0 to "
                        "100 as a percentage)",
                        who, i, s[i]));
    }
  }
  if (t.size() < 2) {
    raise(errc::survival_bad_points, fmt::format("{}: {} point{}, but a curve needs at least two",
                                                 who, t.size(), t.size() == 1 ? "" : "s"));
  }
  digitised_curve c;
  c.time = t;
  c.survival = s;
  c.line.assign(t.size(), 0);
  return c;
}

at_risk_table at_risk_from_arrays(py::handle time, py::handle n, const std::string& arm) {
  const auto t = to_doubles(time, "time");
  const auto k = to_doubles(n, "n");
  const std::string who = fmt::format("numbers at risk of arm '{}'", arm);
  if (t.size() != k.size()) {
    raise(errc::survival_bad_at_risk,
          fmt::format("{}: time has {} values and n {}; they must have the same length", who,
                      t.size(), k.size()));
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!std::isfinite(t[i]) || t[i] < 0) {
      raise(errc::survival_bad_at_risk,
            fmt::format("{}: time[{}] is {}, but must be a finite number >= 0", who, i, t[i]));
    }
    if (!std::isfinite(k[i]) || k[i] < 0 || k[i] != std::floor(k[i])) {
      raise(errc::survival_bad_at_risk,
            fmt::format("{}: n[{}] is {}, but must be a whole number >= 0", who, i, k[i]));
    }
  }
  at_risk_table a;
  a.time = t;
  a.n = k;
  a.line.assign(t.size(), 0);
  return a;
}

// An error of an arm given in memory has no file to point to; say which arm it is about.
[[noreturn]] void raise_for_arm(srma::error e, const std::string& arm, bool in_memory) {
  if (in_memory && e.where.file.empty() && !e.message.starts_with(arm + ":"))
    e.message = fmt::format("arm '{}': {}", arm, e.message);
  throw raised_error(std::move(e));
}

// The reconstruction of `srma km reconstruct`: each arm rebuilt in the order given, the points
// cleaned for the figure, and the patients of all arms as one data set.
patient_data run_reconstruct(const py::list& arms, int max_adjustments) {
  if (arms.empty()) {
    raise(errc::cli_bad_value,
          "arms is empty; expected at least one arm {\"name\", \"points\", ...}");
  }
  std::vector<digitised_arm> given;
  std::vector<bool> in_memory;
  for (std::size_t i = 0; i < arms.size(); ++i) {
    const auto spec = arms[i].cast<py::dict>();
    digitised_arm a;
    a.name = spec["name"].cast<std::string>();
    if (a.name.empty()) raise(errc::cli_bad_value, fmt::format("arms[{}]: the name is empty", i));
    for (const auto& other : given) {
      if (other.name == a.name) {
        raise(errc::cli_bad_value,
              fmt::format("arms[{}]: the arm '{}' is given twice; each arm needs its own name", i,
                          a.name));
      }
    }
    a.curve = spec["points"].cast<digitised_curve>();
    if (!spec["at_risk"].is_none()) a.at_risk = spec["at_risk"].cast<at_risk_table>();
    if (!spec["events"].is_none()) a.total_events = spec["events"].cast<double>();
    if (!spec["n"].is_none()) a.n = spec["n"].cast<double>();
    in_memory.push_back(a.curve.source.empty() && (!a.at_risk || a.at_risk->source.empty()));
    given.push_back(std::move(a));
  }
  const reconstruct_options options{.max_adjustments = max_adjustments};
  py::gil_scoped_release release;
  patient_data out;
  for (std::size_t i = 0; i < given.size(); ++i) {
    auto r = reconstruct_arm(given[i], options);
    if (!r) raise_for_arm(std::move(r).error(), given[i].name, in_memory[i]);
    auto clean = clean_curve(given[i].curve);
    if (!clean) raise_for_arm(std::move(clean).error(), given[i].name, in_memory[i]);
    out.digitised.emplace_back(given[i].name, std::move(*clean));
    out.reconstruction.push_back(std::move(*r));
  }
  out.data = to_survival_data(out.reconstruction);
  return out;
}

// What `srma km reconstruct --json` prints, without "output" (no file is written here).
nlohmann::json reconstruction_json(const patient_data& d) {
  nlohmann::json arms = nlohmann::json::array();
  for (const auto& r : d.reconstruction) arms.push_back(to_json(r));
  return {{"arms", std::move(arms)}};
}

// The reconstruction of `srma km reconstruct`: a result object around the rebuilt patients.
struct reconstruction_fit {
  patient_data ipd;
};

// ---- Bindings ----------------------------------------------------------------------------------

void bind_patient_data(py::module_& m) {
  py::class_<patient_data>(m, "SurvivalData",
                           "Individual patient data (srma::survival_data): one row per patient "
                           "with its arm, follow-up time and event (1) or censoring (0). Made "
                           "by srma.read_ipd, srma.ipd_from_arrays or a reconstruction.")
      .def_property_readonly(
          "arm_names", [](const patient_data& d) { return d.data.arm_names; },
          "The arms, in order of first appearance")
      .def_property_readonly(
          "arm",
          [](const patient_data& d) {
            std::vector<int> a(d.data.arm.begin(), d.data.arm.end());
            return int_array(a);
          },
          "Arm of each patient: an index into arm_names (numpy array)")
      .def_property_readonly(
          "arm_labels",
          [](const patient_data& d) {
            std::vector<std::string> out;
            out.reserve(d.data.arm.size());
            for (std::size_t a : d.data.arm) out.push_back(d.data.arm_names[a]);
            return out;
          },
          "Arm label of each patient (a list)")
      .def_property_readonly(
          "time", [](const patient_data& d) { return to_numpy(d.data.time); },
          "Follow-up time of each patient (numpy array)")
      .def_property_readonly(
          "event", [](const patient_data& d) { return int_array(d.data.event); },
          "1 = event, 0 = censored, per patient (numpy array)")
      .def_property_readonly(
          "line", [](const patient_data& d) { return d.data.line; },
          "Source line of each patient (0: built in memory)")
      .def_property_readonly(
          "source", [](const patient_data& d) { return d.data.source; },
          "The file the data came from ('' when built in memory)")
      .def_property_readonly(
          "reconstructed", [](const patient_data& d) { return !d.reconstruction.empty(); },
          "True when the patients were rebuilt from digitised curves")
      .def("__len__", [](const patient_data& d) { return d.data.size(); })
      .def(
          "arm_data",
          [](const patient_data& d, const std::string& name) {
            const auto s = arm_of(d.data, arm_named(d.data, name));
            return py::make_tuple(to_numpy(s.time), int_array(s.event));
          },
          py::arg("name"), "(time, event) of the patients of one arm, as numpy arrays")
      .def(
          "to_csv",
          [](const patient_data& d, const py::object& path) -> py::object {
            const std::string text = to_csv(d.data);
            if (path.is_none()) return py::str(text);
            const auto file = py::module_::import("os").attr("fspath")(path).cast<std::string>();
            unwrap(write_file_atomic(file, text));
            return py::none();
          },
          py::arg("path") = py::none(),
          "CSV text arm,time,event (times in full precision), as `srma km reconstruct -o` "
          "writes it; with a path, writes the file and returns None")
      .def("__repr__", [](const patient_data& d) {
        std::string arms;
        for (std::size_t a = 0; a < d.data.arm_names.size(); ++a) {
          const auto s = arm_of(d.data, a);
          std::size_t events = 0;
          for (int e : s.event) events += static_cast<std::size_t>(e);
          arms += fmt::format("{}{} ({} patients, {} events)", a == 0 ? "" : ", ",
                              d.data.arm_names[a], s.time.size(), events);
        }
        return fmt::format("<srma.SurvivalData: {}{}{}>", arms,
                           d.reconstruction.empty() ? "" : ", reconstructed",
                           d.data.source.empty() ? "" : fmt::format(", from '{}'", d.data.source));
      });
}

void bind_kaplan_meier(py::module_& m) {
  py::class_<km_curve>(m, "KaplanMeierFit",
                       "A Kaplan-Meier estimate (srma::km_curve) with Greenwood SEs, pointwise "
                       "CIs and the median, as R's survfit")
      .def(
          "json", [](const km_curve& c) { return to_python(km_json(c)); },
          "n, events, level, conf_type, median {estimate, lower, upper} and one list per column "
          "of the curve (time, n_risk, n_event, n_censor, surv, std_err, lower, upper)")
      .def("summary", &km_summary, "n, events and the median with its CI (text)")
      .def("array", &km_array, py::arg("name"), "One column of the curve as a numpy array")
      .def(
          "rmst",
          [](const km_curve& c, double tau) {
            const rmst_result r = unwrap(restricted_mean(c, tau));
            return py::make_tuple(r.rmst, r.se);
          },
          py::arg("tau"), "The restricted mean survival time to tau and its SE: (rmst, se)")
      .def("survival_at", &survival_at, py::arg("t"),
           "S(t) at a time (a float) or at each of several times (a numpy array)");
  m.def("kaplan_meier", &km_of, py::arg("time"), py::arg("event"), py::kw_only(),
        py::arg("level") = 0.95, py::arg("conf_type") = "log",
        "The Kaplan-Meier estimate of one sample (as R's survfit).");
}

void bind_km_hr(py::module_& m) {
  py::class_<km_hr_fit>(m, "KmHrFit",
                        "The two-arm analysis of `srma km hr`: Cox model, log-rank test, "
                        "medians and RMST")
      .def(
          "json", [](const km_hr_fit& f) { return to_python(km_hr_json(f)); },
          "The result as `srma km hr --json` prints it (a dict)")
      .def("summary", &km_hr_summary, "The result as `srma km hr` prints it (text)")
      .def_readonly("ipd", &km_hr_fit::ipd, "The patient data analysed")
      .def(
          "curve",
          [](const km_hr_fit& f, std::size_t i) {
            if (i >= f.analysis.arms.size()) throw py::index_error("arm index must be 0 or 1");
            return f.analysis.arms[i].curve;
          },
          py::arg("i"), "The Kaplan-Meier fit of arm i (0: treatment, 1: control)");
  m.def("km_hr", &run_km_hr, py::arg("ipd"), py::arg("treatment"), py::arg("control"),
        py::kw_only(), py::arg("ties") = "efron", py::arg("tau") = py::none(),
        py::arg("level") = 0.95,
        "Cox model, log-rank test and Kaplan-Meier of two arms, as `srma km hr`.");
}

void bind_reconstruction(py::module_& m) {
  py::class_<digitised_curve>(m, "DigitisedCurve", "Points read off a Kaplan-Meier figure")
      .def_readonly("source", &digitised_curve::source)
      .def_property_readonly("time", [](const digitised_curve& c) { return to_numpy(c.time); })
      .def_property_readonly("survival",
                             [](const digitised_curve& c) { return to_numpy(c.survival); });
  py::class_<at_risk_table>(m, "AtRiskTable", "Numbers at risk printed under a figure")
      .def_readonly("source", &at_risk_table::source)
      .def_property_readonly("time", [](const at_risk_table& a) { return to_numpy(a.time); })
      .def_property_readonly("n", [](const at_risk_table& a) { return to_numpy(a.n); });
  m.def(
      "read_digitised_curve",
      [](const std::string& path) { return unwrap(read_digitised_curve(path)); }, py::arg("path"),
      "Reads digitised points (columns time, survival).");
  m.def(
      "parse_digitised_curve",
      [](const std::string& text, const std::string& source) {
        return unwrap(make_digitised_curve(unwrap(parse_csv(text, source))));
      },
      py::arg("text"), py::arg("source"), "Digitised points from CSV text.");
  m.def("digitised_curve_from_arrays", &curve_from_arrays, py::arg("time"), py::arg("survival"),
        py::arg("arm"), "Digitised points from arrays (checked, naming the index).");
  m.def(
      "read_at_risk", [](const std::string& path) { return unwrap(read_at_risk(path)); },
      py::arg("path"), "Reads numbers at risk (columns time, nar).");
  m.def(
      "parse_at_risk",
      [](const std::string& text, const std::string& source) {
        return unwrap(make_at_risk_table(unwrap(parse_csv(text, source))));
      },
      py::arg("text"), py::arg("source"), "Numbers at risk from CSV text.");
  m.def("at_risk_from_arrays", &at_risk_from_arrays, py::arg("time"), py::arg("n"), py::arg("arm"),
        "Numbers at risk from arrays (checked, naming the index).");

  py::class_<reconstruction_fit>(m, "ReconstructionFit",
                                 "Patient data rebuilt from digitised curves (Guyot et al. 2012), "
                                 "as `srma km reconstruct`")
      .def(
          "json", [](const reconstruction_fit& f) { return to_python(reconstruction_json(f.ipd)); },
          "{\"arms\": [...]} as `srma km reconstruct --json` prints it (without \"output\")")
      .def(
          "summary",
          [](const reconstruction_fit& f) { return reconstruction_text(f.ipd.reconstruction); },
          "What `srma km reconstruct` prints (text)")
      .def_readonly("ipd", &reconstruction_fit::ipd, "The reconstructed patients");
  m.def(
      "km_reconstruct",
      [](const py::list& arms, int max_adjustments) {
        return reconstruction_fit{run_reconstruct(arms, max_adjustments)};
      },
      py::arg("arms"), py::kw_only(), py::arg("max_adjustments") = 1000,
      "Reconstructs each arm: arms is a list of dicts {name, points (DigitisedCurve), at_risk "
      "(AtRiskTable or None), events, n}.");
}

}  // namespace

void register_survival(py::module_& m) {
  bind_patient_data(m);
  m.def("read_ipd", &ipd_from_file, py::arg("path"),
        "Reads patient data (columns arm, time, event) from a CSV file.");
  m.def("parse_ipd", &ipd_from_text, py::arg("text"), py::arg("source"),
        "Patient data from CSV text; `source` names it in error messages.");
  m.def("ipd_from_arrays", &ipd_from_arrays, py::arg("arm"), py::arg("time"), py::arg("event"),
        "Patient data from one arm label, time and event per patient.");
  bind_kaplan_meier(m);
  bind_km_hr(m);
  bind_reconstruction(m);
}

}  // namespace srma::bindings
