// Analysis plans: TOML (toml++, Debian's libtomlplusplus-dev) read into srma::plan with every key
// and type checked, so that a typo is an error with its line, never a silently ignored setting.
#include "srma/run/plan.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "srma/run/where.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/limits.hpp"
#include "srma/util/text.hpp"

namespace srma {
namespace {

// Reads the keys of one TOML table, checking types and remembering which keys were used.
class table_reader {
 public:
  table_reader(const toml::table& t, std::string name, const std::string& file)
      : t_(t), name_(std::move(name)), file_(file) {}

  int line() const { return static_cast<int>(t_.source().begin.line); }

  // Each getter: absent key -> leaves `out` alone; wrong type -> E704.
  expected<void> get(std::string_view key, std::string& out) {
    const toml::node* n = use(key);
    if (!n) return {};
    if (!n->is_string()) return wrong_type(key, *n, "a string");
    out = n->as_string()->get();
    return {};
  }
  expected<void> get(std::string_view key, double& out) {
    const toml::node* n = use(key);
    if (!n) return {};
    if (n->is_integer()) {
      out = static_cast<double>(n->as_integer()->get());
    } else if (n->is_floating_point()) {
      out = n->as_floating_point()->get();
    } else {
      return wrong_type(key, *n, "a number");
    }
    return {};
  }
  expected<void> get(std::string_view key, int& out) {
    const toml::node* n = use(key);
    if (!n) return {};
    if (!n->is_integer()) return wrong_type(key, *n, "an integer");
    out = static_cast<int>(n->as_integer()->get());
    return {};
  }
  expected<void> get(std::string_view key, std::uint64_t& out) {
    const toml::node* n = use(key);
    if (!n) return {};
    if (!n->is_integer() || n->as_integer()->get() < 0)
      return wrong_type(key, *n, "a non-negative integer");
    out = static_cast<std::uint64_t>(n->as_integer()->get());
    return {};
  }
  expected<void> get(std::string_view key, bool& out) {
    const toml::node* n = use(key);
    if (!n) return {};
    if (!n->is_boolean()) return wrong_type(key, *n, "true or false");
    out = n->as_boolean()->get();
    return {};
  }
  expected<void> get(std::string_view key, std::vector<std::string>& out) {
    const toml::node* n = use(key);
    if (!n) return {};
    if (n->is_string()) {  // a single string is a list of one
      out = {n->as_string()->get()};
      return {};
    }
    if (!n->is_array()) return wrong_type(key, *n, "a list of strings, e.g. [\"a\", \"b\"]");
    out.clear();
    for (const auto& e : *n->as_array()) {
      if (!e.is_string()) return wrong_type(key, e, "a list of strings, e.g. [\"a\", \"b\"]");
      out.push_back(e.as_string()->get());
    }
    return {};
  }
  expected<void> get(std::string_view key, std::vector<double>& out) {
    const toml::node* n = use(key);
    if (!n) return {};
    if (!n->is_array()) return wrong_type(key, *n, "a list of numbers, e.g. [90, 95, 99]");
    out.clear();
    for (const auto& e : *n->as_array()) {
      if (e.is_integer()) {
        out.push_back(static_cast<double>(e.as_integer()->get()));
      } else if (e.is_floating_point()) {
        out.push_back(e.as_floating_point()->get());
      } else {
        return wrong_type(key, e, "a list of numbers, e.g. [90, 95, 99]");
      }
    }
    return {};
  }
  template <typename T>
  expected<void> get(std::string_view key, std::optional<T>& out) {
    if (!t_.contains(key)) return {};
    T v{};
    auto r = get(key, v);
    if (!r) return r;
    out = v;
    return {};
  }

  bool has(std::string_view key) const { return t_.contains(key); }
  // Marks a key as read by the caller (a nested table read on its own).
  void skip(std::string_view key) { used_.insert(std::string(key)); }
  int line_of(std::string_view key) const {
    const toml::node* n = t_.get(key);
    return n ? static_cast<int>(n->source().begin.line) : line();
  }

  // An error about the value of `key` (E705).
  unexpected invalid(std::string_view key, const std::string& message) const {
    const toml::node* n = t_.get(key);
    return fail(errc::plan_bad_choice, fmt::format("{}: {} {}", where(key), key, message),
                {file_, n ? static_cast<int>(n->source().begin.line) : line(),
                 n ? static_cast<int>(n->source().begin.column) : 0});
  }

  // Unknown keys are errors (E703), listing the keys this table accepts.
  expected<void> finish(std::initializer_list<std::string_view> allowed) const {
    for (const auto& [k, v] : t_) {
      if (used_.count(std::string(k.str()))) continue;
      return fail(errc::plan_unknown_key,
                  fmt::format("unknown key '{}' in {}; the keys allowed there are: {}", k.str(),
                              name_, fmt::join(allowed, ", ")),
                  {file_, static_cast<int>(k.source().begin.line),
                   static_cast<int>(k.source().begin.column)});
    }
    return {};
  }

 private:
  const toml::node* use(std::string_view key) {
    used_.insert(std::string(key));
    return t_.get(key);
  }
  std::string where(std::string_view) const { return name_; }
  unexpected wrong_type(std::string_view key, const toml::node& n, std::string_view expect) const {
    return fail(errc::plan_wrong_type, fmt::format("{}: {} must be {}", name_, key, expect),
                {file_, static_cast<int>(n.source().begin.line),
                 static_cast<int>(n.source().begin.column)});
  }

  const toml::table& t_;
  std::string name_;
  const std::string& file_;
  std::set<std::string> used_;
};

#define SRMA_TRY(expr)                                        \
  do {                                                        \
    if (auto r_ = (expr); !r_) return unexpected(r_.error()); \
  } while (0)

const std::pair<analysis_type, std::string_view> k_types[] = {
    {analysis_type::pool, "pool"},
    {analysis_type::subgroup, "subgroup"},
    {analysis_type::subset, "subset"},
    {analysis_type::leave1out, "leave1out"},
    {analysis_type::cumulative, "cumulative"},
    {analysis_type::influence, "influence"},
    {analysis_type::bias, "bias"},
    {analysis_type::metareg, "metareg"},
    {analysis_type::gosh, "gosh"},
    {analysis_type::permtest, "permtest"},
    {analysis_type::labbe, "labbe"},
    {analysis_type::radial, "radial"},
    {analysis_type::qqnorm, "qqnorm"},
    {analysis_type::drapery, "drapery"}};

// Reads the model settings shared by [model] and each [[analysis]] into optionals.
struct model_keys {
  std::optional<std::string> model, tau2, ci, pi;
};

expected<void> read_model_keys(table_reader& r, model_keys& m) {
  SRMA_TRY(r.get("model", m.model));
  SRMA_TRY(r.get("tau2", m.tau2));
  SRMA_TRY(r.get("ci", m.ci));
  SRMA_TRY(r.get("pi", m.pi));
  return {};
}

template <typename E, typename Parse>
expected<void> parse_enum(table_reader& r, std::string_view key,
                          const std::optional<std::string>& v, Parse parse,
                          std::string_view choices, std::optional<E>& out) {
  if (!v) return {};
  auto e = parse(*v);
  if (!e) return r.invalid(key, fmt::format("is '{}'; expected one of: {}", *v, choices));
  out = *e;
  return {};
}

expected<plan_analysis> read_analysis(const toml::table& t, std::size_t index,
                                      const std::string& file) {
  table_reader r(t, fmt::format("[[analysis]] #{}", index + 1), file);
  plan_analysis a;
  a.line = r.line();
  std::string type;
  SRMA_TRY(r.get("type", type));
  if (type.empty()) {
    return fail(
        errc::plan_missing_key,
        fmt::format("[[analysis]] #{} has no type; expected type = one of: pool, subgroup, "
                    "subset, leave1out, cumulative, influence, bias, metareg, gosh, permtest, "
                    "labbe, radial, qqnorm, drapery",
                    index + 1),
        {file, a.line, 0});
  }
  const auto parsed = parse_analysis_type(type);
  if (parsed) a.type = *parsed;
  if (!parsed) {
    return r.invalid("type", fmt::format("is '{}'; expected one of: pool, subgroup, subset, "
                                         "leave1out, cumulative, influence, bias, metareg, gosh, "
                                         "permtest, labbe, radial, qqnorm, drapery",
                                         type));
  }
  SRMA_TRY(r.get("id", a.id));
  // The id becomes part of file names (figures, tables): it may not leave the output folder.
  if (r.has("id") && !limits::is_safe_id(a.id))
    return r.invalid("id", fmt::format("is '{}'; an id is 1 to {} letters, digits, '.', '_' or "
                                       "'-', starting with a letter or digit",
                                       detail::printable(a.id), limits::max_id_length));
  SRMA_TRY(r.get("title", a.title));
  SRMA_TRY(r.get("data", a.data));
  SRMA_TRY(r.get("where", a.where));
  a.where_line = r.line_of("where");
  model_keys mk;
  SRMA_TRY(read_model_keys(r, mk));
  SRMA_TRY(
      parse_enum(r, "model", mk.model, parse_model_choice, "common, random, both, auto", a.model));
  SRMA_TRY(parse_enum(r, "tau2", mk.tau2, parse_tau2_method, "DL, REML, ML, PM, HS, SJ, HE, EB",
                      a.tau2));
  SRMA_TRY(parse_enum(r, "ci", mk.ci, parse_ci_method, "z, hksj", a.ci));
  SRMA_TRY(parse_enum(r, "pi", mk.pi, parse_pi_method, "t, t2, z, test, none", a.pi));
  SRMA_TRY(r.get("common_tau2", a.common_tau2));
  std::optional<std::string> method;
  SRMA_TRY(r.get("method", method));
  SRMA_TRY(parse_enum(r, "method", method, parse_pooling_method, "iv, mh, peto", a.method));
  SRMA_TRY(r.get("prediction_interval", a.prediction_interval));
  std::optional<std::string> layout;
  SRMA_TRY(r.get("layout", layout));
  if (layout) {
    const bool forest = a.type == analysis_type::pool || a.type == analysis_type::subgroup ||
                        a.type == analysis_type::subset;
    if (!forest) {
      return r.invalid("layout", fmt::format("is '{}', but only the forest plots of pool, "
                                             "subgroup and subset analyses have a layout",
                                             *layout));
    }
    auto l = plot::parse_forest_layout(*layout);
    if (!l) {
      return r.invalid(
          "layout", fmt::format("is '{}'; expected one of: srma, revman5, jama, lancet", *layout));
    }
    a.layout = *l;
  }
  switch (a.type) {
    case analysis_type::subgroup:
      SRMA_TRY(r.get("by", a.by));
      if (a.by.empty()) {
        return fail(errc::plan_missing_key, "a subgroup analysis needs by = \"<column>\"",
                    {file, a.line, 0});
      }
      break;
    case analysis_type::subset:
      if (a.where.empty()) {
        return fail(errc::plan_missing_key,
                    "a subset analysis needs where = \"<condition>\", e.g. where = \"protocol == "
                    "'PTR+LR'\"",
                    {file, a.line, 0});
      }
      break;
    case analysis_type::cumulative:
      SRMA_TRY(r.get("order", a.order));
      break;
    case analysis_type::bias: {
      SRMA_TRY(r.get("funnel", a.funnel));
      SRMA_TRY(r.get("contours", a.contours));
      SRMA_TRY(r.get("egger_line", a.egger_line));
      std::optional<std::string> trimfill;
      SRMA_TRY(r.get("trimfill", trimfill));
      if (trimfill) {
        auto e = parse_trimfill_estimator(*trimfill);
        if (!e) return r.invalid("trimfill", fmt::format("is '{}'; expected L0 or R0", *trimfill));
        a.trimfill = *e;
      }
      for (double c : a.contours)
        if (!(c > 0 && c < 100)) return r.invalid("contours", "must lie between 0 and 100");
      break;
    }
    case analysis_type::metareg:
    case analysis_type::permtest:
      SRMA_TRY(r.get("mods", a.mods));
      SRMA_TRY(r.get("factors", a.factors));
      if (a.type == analysis_type::metareg && a.mods.empty()) {
        return fail(errc::plan_missing_key, "a metareg analysis needs mods = [\"<column>\", ...]",
                    {file, a.line, 0});
      }
      if (a.type == analysis_type::permtest) {
        std::uint64_t it = a.iterations;
        SRMA_TRY(r.get("iterations", it));
        if (it < limits::min_permutations || it > limits::max_permutations)
          return r.invalid("iterations",
                           fmt::format("is {}; it must lie between {} and {}", it,
                                       limits::min_permutations, limits::max_permutations));
        a.iterations = static_cast<std::size_t>(it);
        SRMA_TRY(r.get("exact", a.exact));
        SRMA_TRY(r.get("seed", a.seed));
      }
      break;
    case analysis_type::gosh: {
      std::uint64_t m = a.max_subsets;
      SRMA_TRY(r.get("max_subsets", m));
      if (m < 1 || m > limits::max_gosh_subsets)
        return r.invalid("max_subsets", fmt::format("is {}; it must lie between 1 and {}", m,
                                                    limits::max_gosh_subsets));
      a.max_subsets = static_cast<std::size_t>(m);
      SRMA_TRY(r.get("seed", a.seed));
      break;
    }
    case analysis_type::qqnorm:
      SRMA_TRY(r.get("seed", a.seed));
      break;
    case analysis_type::drapery: {
      std::optional<std::string> scale;
      SRMA_TRY(r.get("scale", scale));
      if (scale) {
        auto sc = plot::parse_drapery_scale(*scale);
        if (!sc) return r.invalid("scale", fmt::format("is '{}'; expected p or log", *scale));
        a.scale = *sc;
      }
      break;
    }
    default:
      break;
  }
  SRMA_TRY(r.finish(
      {"type",   "id",      "title",      "data",        "where",      "model",
       "tau2",   "ci",      "pi",         "common_tau2", "method",     "prediction_interval",
       "by",     "order",   "funnel",     "contours",    "egger_line", "trimfill",
       "mods",   "factors", "iterations", "exact",       "seed",       "max_subsets",
       "layout", "scale"}));
  if (!a.where.empty()) {
    auto w = parse_where(a.where);
    if (!w) {
      return unexpected(error{w.error().id, w.error().message, {file, a.where_line, 0}});
    }
  }
  return a;
}

}  // namespace

std::string_view analysis_type_name(analysis_type t) {
  for (const auto& [e, name] : k_types)
    if (e == t) return name;
  return "?";
}

std::string_view to_string(analysis_type t) { return analysis_type_name(t); }

std::optional<analysis_type> parse_analysis_type(std::string_view text) {
  for (const auto& [e, name] : k_types)
    if (detail::iequals(name, text)) return e;
  return std::nullopt;
}

std::string_view to_string(check_model m) {
  switch (m) {
    case check_model::common:
      return "common";
    case check_model::random:
      return "random";
    case check_model::primary:
      break;
  }
  return "primary";
}

std::optional<check_model> parse_check_model(std::string_view text) {
  for (auto m : {check_model::primary, check_model::common, check_model::random})
    if (detail::iequals(to_string(m), text)) return m;
  return std::nullopt;
}

std::string_view to_string(figure_sort s) {
  switch (s) {
    case figure_sort::effect:
      return "effect";
    case figure_sort::weight:
      return "weight";
    case figure_sort::year:
      return "year";
    case figure_sort::none:
      break;
  }
  return "none";
}

std::optional<figure_sort> parse_figure_sort(std::string_view text) {
  for (auto s : {figure_sort::none, figure_sort::effect, figure_sort::weight, figure_sort::year})
    if (detail::iequals(to_string(s), text)) return s;
  return std::nullopt;
}

std::string plan::resolve(const std::string& file) const {
  if (file.empty()) return file;
  std::filesystem::path p(file);
  if (p.is_absolute() || dir.empty()) return file;
  return (std::filesystem::path(dir) / p).lexically_normal().string();
}

expected<plan> parse_plan(std::string_view text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return fail(
        errc::plan_bad_toml, fmt::format("not valid TOML: {}", e.description()),
        {path, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column)});
  }
  plan p;
  p.path = path;
  p.dir = std::filesystem::path(path).parent_path().string();
  p.text = std::string(text);

  auto table_at = [&](std::string_view key) -> expected<const toml::table*> {
    const toml::node* n = root.get(key);
    if (!n) return static_cast<const toml::table*>(nullptr);
    if (!n->is_table()) {
      return fail(errc::plan_wrong_type, fmt::format("[{}] must be a table", key),
                  {path, static_cast<int>(n->source().begin.line), 0});
    }
    return n->as_table();
  };

  // [review]
  if (auto t = table_at("review"); !t) {
    return unexpected(t.error());
  } else if (*t) {
    table_reader r(**t, "[review]", path);
    SRMA_TRY(r.get("title", p.title));
    SRMA_TRY(r.get("authors", p.authors));
    SRMA_TRY(r.get("question", p.question));
    SRMA_TRY(r.get("citation", p.citation));
    SRMA_TRY(r.get("project", p.project));
    SRMA_TRY(r.finish({"title", "authors", "question", "citation", "project"}));
  }
  // [data]
  auto data_t = table_at("data");
  if (!data_t) return unexpected(data_t.error());
  if (!*data_t && p.project.empty()) {
    return fail(errc::plan_missing_key,
                "the plan has no [data] table; expected [data] with file = \"...\" (or "
                "[review] project = \"...\")",
                {path, 1, 0});
  }
  if (*data_t) {
    table_reader r(**data_t, "[data]", path);
    SRMA_TRY(r.get("file", p.data_file));
    if (p.data_file.empty() && p.project.empty()) {
      return fail(errc::plan_missing_key, "[data] needs file = \"<studies>.csv\"",
                  {path, r.line(), 0});
    }
    std::string measure, effect, missing = "exclude";
    SRMA_TRY(r.get("measure", measure));
    SRMA_TRY(r.get("measure_label", p.reading.measure_label));
    SRMA_TRY(r.get("effect", effect));
    SRMA_TRY(r.get("missing", missing));
    if (!measure.empty()) {
      auto m = parse_measure(measure);
      if (!m)
        return r.invalid("measure",
                         fmt::format("is '{}'; expected {}", measure, measure_codes_text()));
      p.reading.measure = *m;
    }
    if (!effect.empty()) {
      auto k = parse_input_kind(effect);
      if (!k) {
        return r.invalid("effect",
                         fmt::format("is '{}'; expected hr,lower,upper, loghr,se, yi,sei, "
                                     "yi,vi, oe,v, 2x2, means, proportion, correlation, rate, "
                                     "two_rates or hr_summaries",
                                     effect));
      }
      p.reading.kind = *k;
    }
    if (missing == "exclude") {
      p.reading.missing = missing_policy::exclude;
    } else if (missing == "error") {
      p.reading.missing = missing_policy::error;
    } else {
      return r.invalid("missing", fmt::format("is '{}'; expected exclude or error", missing));
    }
    SRMA_TRY(r.get("experimental", p.experimental));
    SRMA_TRY(r.get("control", p.control));
    SRMA_TRY(r.get("outcome", p.outcome));
    SRMA_TRY(r.finish({"file", "measure", "measure_label", "effect", "missing", "experimental",
                       "control", "outcome"}));
  }
  // [model]
  if (auto t = table_at("model"); !t) {
    return unexpected(t.error());
  } else {
    std::optional<std::string> preset;
    model_keys mk;
    std::optional<std::string> i2;
    std::optional<double> level, auto_i2;
    std::optional<bool> common_tau2;
    std::optional<std::string> method;
    if (*t) {
      table_reader r(**t, "[model]", path);
      SRMA_TRY(r.get("preset", preset));
      SRMA_TRY(r.get("method", method));
      SRMA_TRY(read_model_keys(r, mk));
      SRMA_TRY(r.get("i2", i2));
      SRMA_TRY(r.get("level", level));
      if (level && !(*level >= limits::min_level_percent && *level <= limits::max_level_percent))
        return r.invalid(
            "level",
            fmt::format("is {}; the level is in percent, between {} and {} ({})", *level,
                        limits::min_level_percent, limits::max_level_percent,
                        *level > 0 && *level < 1 ? fmt::format("level = {} for a {}% interval",
                                                               *level * 100, *level * 100)
                                                 : std::string("95 for a 95% interval")));
      SRMA_TRY(r.get("auto_i2", auto_i2));
      SRMA_TRY(r.get("common_tau2", common_tau2));
      SRMA_TRY(r.finish({"preset", "model", "tau2", "ci", "pi", "i2", "level", "auto_i2",
                         "common_tau2", "method"}));
      if (preset) {
        auto pr = parse_preset(*preset);
        if (!pr)
          return r.invalid(
              "preset", fmt::format("is '{}'; expected srma, metafor, meta or revman5", *preset));
        p.preset = *pr;
        p.model = preset_options(*pr);
        // Each tool's zero-cell rule for counts (docs/methods.md, "Zero cells").
        if (*pr == srma::preset::metafor) p.reading.zero_cells = escalc_zero_cells();
        if (*pr == srma::preset::revman5) p.reading.zero_cells = revman5_zero_cells();
      }
      std::optional<pooling_method> pm_method;
      SRMA_TRY(parse_enum(r, "method", method, parse_pooling_method, "iv, mh, peto", pm_method));
      if (pm_method) {
        p.model.method = *pm_method;
        p.method_given = true;
      }
      std::optional<model_choice> m;
      std::optional<tau2_method> tm;
      std::optional<ci_method> cm;
      std::optional<pi_method> pm;
      std::optional<i2_definition> id;
      SRMA_TRY(
          parse_enum(r, "model", mk.model, parse_model_choice, "common, random, both, auto", m));
      SRMA_TRY(parse_enum(r, "tau2", mk.tau2, parse_tau2_method, "DL, REML, ML, PM, HS, SJ, HE, EB",
                          tm));
      SRMA_TRY(parse_enum(r, "ci", mk.ci, parse_ci_method, "z, hksj", cm));
      SRMA_TRY(parse_enum(r, "pi", mk.pi, parse_pi_method, "t, t2, z, test, none", pm));
      SRMA_TRY(parse_enum(r, "i2", i2, parse_i2_definition, "Q, tau2", id));
      if (m) p.model.model = *m;
      if (tm) p.model.tau2 = *tm;
      if (cm) p.model.ci = *cm;
      if (pm) p.model.pi = *pm;
      if (id) p.model.i2 = *id;
      if (level) p.model.level = *level;
      if (auto_i2) p.model.auto_i2_threshold = *auto_i2;
      if (common_tau2) p.model.common_tau2 = *common_tau2;
      if (auto msg = p.model.validate(); !msg.empty()) {
        return fail(errc::plan_bad_choice, "[model]: " + msg, {path, r.line(), 0});
      }
    }
  }
  // [figures]
  if (auto t = table_at("figures"); !t) {
    return unexpected(t.error());
  } else if (*t) {
    table_reader r(**t, "[figures]", path);
    std::optional<std::vector<std::string>> formats;
    SRMA_TRY(r.get("formats", formats));
    if (formats) {
      p.formats.clear();
      for (const auto& f : *formats) {
        auto parsed = plot::parse_image_format(f);
        if (!parsed)
          return r.invalid("formats",
                           fmt::format("contains '{}'; expected svg, pdf and/or png", f));
        p.formats.push_back(*parsed);
      }
    }
    SRMA_TRY(r.get("dpi", p.dpi));
    if (!(p.dpi >= 30 && p.dpi <= 1200)) return r.invalid("dpi", "must lie between 30 and 1200");
    SRMA_TRY(r.get("columns", p.forest_columns));
    std::vector<std::string> favours;
    SRMA_TRY(r.get("favours", favours));
    if (!favours.empty()) {
      if (favours.size() != 2)
        return r.invalid("favours",
                         "must hold two labels, e.g. [\"Favours PTR\", \"Favours no PTR\"]");
      p.favours_left = favours[0];
      p.favours_right = favours[1];
    }
    std::optional<std::string> sort;
    SRMA_TRY(r.get("sort", sort));
    if (sort) {
      auto s = parse_figure_sort(*sort);
      if (!s)
        return r.invalid("sort",
                         fmt::format("is '{}'; expected none, effect, weight or year", *sort));
      p.sort = *s;
    }
    SRMA_TRY(r.finish({"formats", "dpi", "columns", "favours", "sort"}));
  }
  // [characteristics]
  if (auto t = table_at("characteristics"); !t) {
    return unexpected(t.error());
  } else if (*t) {
    table_reader r(**t, "[characteristics]", path);
    SRMA_TRY(r.get("columns", p.characteristics));
    SRMA_TRY(r.finish({"columns"}));
  }
  // [prisma]
  if (auto t = table_at("prisma"); !t) {
    return unexpected(t.error());
  } else if (*t) {
    table_reader r(**t, "[prisma]", path);
    SRMA_TRY(r.get("file", p.prisma_file));
    SRMA_TRY(r.finish({"file"}));
  }
  // [quality]
  if (auto t = table_at("quality"); !t) {
    return unexpected(t.error());
  } else if (*t) {
    table_reader r(**t, "[quality]", path);
    SRMA_TRY(r.get("nos", p.nos));
    SRMA_TRY(r.get("nos_high", p.nos_high));
    if (p.nos_high < 0 || p.nos_high > 9) return r.invalid("nos_high", "must lie between 0 and 9");
    SRMA_TRY(r.finish({"nos", "nos_high"}));
  }
  // [[analysis]]
  if (const toml::node* n = root.get("analysis")) {
    if (!n->is_array_of_tables()) {
      return fail(errc::plan_wrong_type, "analysis must be written as [[analysis]] tables",
                  {path, static_cast<int>(n->source().begin.line), 0});
    }
    const auto& arr = *n->as_array();
    std::map<std::string, int> counts;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      auto a = read_analysis(*arr[i].as_table(), i, path);
      if (!a) return unexpected(a.error());
      p.analyses.push_back(std::move(*a));
    }
    // Default ids: the type, numbered when it repeats ("subset-2").
    std::map<std::string, int> seen;
    for (auto& a : p.analyses) {
      if (a.id.empty()) {
        const std::string base(analysis_type_name(a.type));
        const int n_same = static_cast<int>(std::count_if(
            p.analyses.begin(), p.analyses.end(),
            [&](const plan_analysis& b) { return b.id.empty() && b.type == a.type; }));
        const int idx = ++counts[base];
        a.id = n_same > 1 || counts[base] > 1 ? fmt::format("{}-{}", base, idx) : base;
        if (a.type == analysis_type::pool && a.where.empty() && idx == 1) a.id = "overall";
      }
    }
    for (const auto& a : p.analyses) {
      if (++seen[a.id] > 1) {
        return fail(errc::plan_duplicate_id,
                    fmt::format("analysis id '{}' is used twice; ids must be unique", a.id),
                    {path, a.line, 0});
      }
    }
  }
  // [[check]]
  if (const toml::node* n = root.get("check")) {
    if (!n->is_array_of_tables()) {
      return fail(errc::plan_wrong_type, "check must be written as [[check]] tables",
                  {path, static_cast<int>(n->source().begin.line), 0});
    }
    const auto& arr = *n->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      table_reader r(*arr[i].as_table(), fmt::format("[[check]] #{}", i + 1), path);
      plan_check c;
      c.line = r.line();
      SRMA_TRY(r.get("analysis", c.analysis));
      std::optional<std::string> model;
      SRMA_TRY(r.get("model", model));
      SRMA_TRY(r.get("subgroup", c.subgroup));
      SRMA_TRY(r.get("estimate", c.estimate));
      SRMA_TRY(r.get("ci_lower", c.ci_lower));
      SRMA_TRY(r.get("ci_upper", c.ci_upper));
      SRMA_TRY(r.get("i2", c.i2));
      SRMA_TRY(r.get("decimals", c.decimals));
      SRMA_TRY(r.get("source", c.source));
      SRMA_TRY(r.finish({"analysis", "model", "subgroup", "estimate", "ci_lower", "ci_upper", "i2",
                         "decimals", "source"}));
      if (model) {
        auto m = parse_check_model(*model);
        if (!m)
          return r.invalid("model",
                           fmt::format("is '{}'; expected primary, common or random", *model));
        c.model = *m;
      }
      const bool known = std::any_of(p.analyses.begin(), p.analyses.end(),
                                     [&](const plan_analysis& a) { return a.id == c.analysis; });
      if (!known) {
        std::vector<std::string> ids;
        for (const auto& a : p.analyses) ids.push_back(a.id);
        return r.invalid("analysis", fmt::format("is '{}', which is not an analysis id of this "
                                                 "plan; the ids are: {}",
                                                 c.analysis, fmt::join(ids, ", ")));
      }
      p.checks.push_back(std::move(c));
    }
  }
  // [[km]] with its [[km.arm]] tables
  if (const toml::node* n = root.get("km")) {
    if (!n->is_array_of_tables()) {
      return fail(errc::plan_wrong_type, "km must be written as [[km]] tables",
                  {path, static_cast<int>(n->source().begin.line), 0});
    }
    const auto& arr = *n->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const auto& t = *arr[i].as_table();
      table_reader r(t, fmt::format("[[km]] #{}", i + 1), path);
      plan_km k;
      k.line = r.line();
      SRMA_TRY(r.get("study", k.study));
      SRMA_TRY(r.get("treatment", k.treatment));
      SRMA_TRY(r.get("control", k.control));
      std::string ties = "efron";
      SRMA_TRY(r.get("ties", ties));
      SRMA_TRY(r.get("tau", k.tau));
      SRMA_TRY(r.get("time_title", k.time_title));
      SRMA_TRY(r.get("time_step", k.time_step));
      const toml::node* arms = t.get("arm");
      r.skip("arm");  // read below, table by table
      SRMA_TRY(r.finish(
          {"study", "treatment", "control", "ties", "tau", "time_title", "time_step", "arm"}));
      for (const char* key : {"study", "treatment", "control"}) {
        if (!r.has(key))
          return fail(errc::plan_missing_key,
                      fmt::format("[[km]] #{} needs {} = \"...\" (keys: study, treatment, "
                                  "control, and one [[km.arm]] per arm)",
                                  i + 1, key),
                      {path, k.line, 0});
      }
      auto tie = parse_cox_ties(ties);
      if (!tie) return r.invalid("ties", fmt::format("is '{}'; expected efron or breslow", ties));
      k.ties = *tie;
      if (k.tau && !(*k.tau > 0)) return r.invalid("tau", "must be a number > 0");
      if (k.time_step && !(*k.time_step > 0)) return r.invalid("time_step", "must be a number > 0");
      if (!arms || !arms->is_array_of_tables()) {
        return fail(errc::plan_missing_key,
                    fmt::format("[[km]] #{} ({}) needs one [[km.arm]] table per arm, each with "
                                "name and points (and at_risk, events or n)",
                                i + 1, k.study),
                    {path, k.line, 0});
      }
      const auto& arm_arr = *arms->as_array();
      for (std::size_t j = 0; j < arm_arr.size(); ++j) {
        table_reader ar(*arm_arr[j].as_table(), fmt::format("[[km.arm]] #{} of {}", j + 1, k.study),
                        path);
        plan_km_arm a;
        a.line = ar.line();
        SRMA_TRY(ar.get("name", a.name));
        SRMA_TRY(ar.get("points", a.points));
        SRMA_TRY(ar.get("at_risk", a.at_risk));
        SRMA_TRY(ar.get("events", a.events));
        SRMA_TRY(ar.get("n", a.n));
        SRMA_TRY(ar.finish({"name", "points", "at_risk", "events", "n"}));
        if (a.name.empty() || a.points.empty())
          return fail(errc::plan_missing_key,
                      fmt::format("[[km.arm]] #{} of {} needs name = \"...\" and points = "
                                  "\"<time,survival>.csv\"",
                                  j + 1, k.study),
                      {path, a.line, 0});
        if (a.events && !(*a.events >= 0 && *a.events == std::floor(*a.events)))
          return ar.invalid("events", "must be a whole number >= 0");
        if (a.n && !(*a.n > 0 && *a.n == std::floor(*a.n)))
          return ar.invalid("n", "must be a whole number > 0");
        k.arms.push_back(std::move(a));
      }
      for (const auto* role : {&k.treatment, &k.control}) {
        const bool found = std::any_of(k.arms.begin(), k.arms.end(),
                                       [&](const plan_km_arm& a) { return a.name == *role; });
        if (!found)
          return r.invalid(
              role == &k.treatment ? "treatment" : "control",
              fmt::format("is '{}', which is not the name of a [[km.arm]] of {}", *role, k.study));
      }
      for (const auto& other : p.km) {
        if (other.study == k.study)
          return fail(errc::plan_duplicate_id,
                      fmt::format("[[km]] study '{}' is given twice (lines {} and {})", k.study,
                                  other.line, k.line),
                      {path, k.line, 0});
      }
      p.km.push_back(std::move(k));
    }
  }
  // Top level: only the known tables.
  for (const auto& [k, v] : root) {
    static const std::set<std::string, std::less<>> known = {
        "review", "data",    "model",    "figures", "characteristics",
        "prisma", "quality", "analysis", "check",   "km"};
    if (!known.count(k.str())) {
      return fail(
          errc::plan_unknown_key,
          fmt::format("unknown table or key '{}'; the plan's tables are: review, data, "
                      "model, figures, characteristics, prisma, quality, analysis, check, km",
                      k.str()),
          {path, static_cast<int>(k.source().begin.line),
           static_cast<int>(k.source().begin.column)});
    }
  }
  return p;
}

expected<plan> read_plan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::plan_unreadable, "cannot open the plan file (does it exist?)", {path, 0, 0});
  std::ostringstream s;
  s << in.rdbuf();
  return parse_plan(s.str(), path);
}

}  // namespace srma
