#include "srma/model/pool_options.hpp"

#include <fmt/format.h>

#include <cmath>

#include "srma/util/text.hpp"

namespace srma {

std::string pool_options::validate() const {
  if (!(level > 0 && level < 100) || !std::isfinite(level)) {
    return fmt::format("the confidence level is {}, but must lie strictly between 0 and 100",
                       level);
  }
  if (!(auto_i2_threshold >= 0 && auto_i2_threshold <= 100)) {
    return fmt::format("the I^2 threshold of the auto rule is {}, but must lie in [0, 100]",
                       auto_i2_threshold);
  }
  // One rule for the iteration control, wherever it is used (tau2_control::validate).
  if (auto msg = control.validate(); !msg.empty()) return "iteration control: " + msg;
  return "";
}

// Each preset fixes the estimator, the CI for the mean, the I^2 definition used in summaries
// and the PI distribution; everything else keeps srma's defaults. docs/presets.md lists them.
pool_options preset_options(preset p) {
  pool_options o;
  switch (p) {
    case preset::srma:
      break;
    case preset::metafor:  // rma(): REML, test = "z", tau^2-based I^2, predict(): z (t under knha)
      o.tau2 = tau2_method::reml;
      o.ci = ci_method::z;
      o.i2 = i2_definition::tau2_based;
      o.pi = pi_method::follow_test;
      break;
    case preset::meta:  // meta 8.x: REML, classic CI, Q-based I^2, PI t(k-1)
      o.tau2 = tau2_method::reml;
      o.ci = ci_method::z;
      o.i2 = i2_definition::q_based;
      o.pi = pi_method::t_k1;
      break;
    case preset::revman5:  // RevMan 5: DL, Wald z, Q-based I^2, no PI; MH for 2x2 counts
      o.method = pooling_method::mantel_haenszel;
      o.counts = count_convention::revman5;
      o.tau2 = tau2_method::dl;
      o.ci = ci_method::z;
      o.i2 = i2_definition::q_based;
      o.pi = pi_method::none;
      break;
  }
  return o;
}

namespace {

template <typename E, std::size_t N>
std::optional<E> parse_in(const std::pair<E, std::string_view> (&table)[N], std::string_view s) {
  for (const auto& [e, name] : table)
    if (detail::iequals(name, s)) return e;
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name_in(const std::pair<E, std::string_view> (&table)[N], E e) {
  for (const auto& [x, name] : table)
    if (x == e) return name;
  return "?";
}

const std::pair<preset, std::string_view> k_presets[] = {{preset::srma, "srma"},
                                                         {preset::metafor, "metafor"},
                                                         {preset::meta, "meta"},
                                                         {preset::revman5, "revman5"}};
const std::pair<model_choice, std::string_view> k_models[] = {{model_choice::common, "common"},
                                                              {model_choice::random, "random"},
                                                              {model_choice::both, "both"},
                                                              {model_choice::auto_i2, "auto"}};
const std::pair<ci_method, std::string_view> k_ci[] = {{ci_method::z, "z"},
                                                       {ci_method::hksj, "hksj"}};
const std::pair<pi_method, std::string_view> k_pi[] = {{pi_method::follow_test, "test"},
                                                       {pi_method::z, "z"},
                                                       {pi_method::t_k1, "t"},
                                                       {pi_method::t_k2, "t2"},
                                                       {pi_method::none, "none"}};
const std::pair<pooling_method, std::string_view> k_methods[] = {
    {pooling_method::inverse_variance, "iv"},
    {pooling_method::mantel_haenszel, "mh"},
    {pooling_method::peto, "peto"},
    {pooling_method::inverse_variance, "inverse-variance"},
    {pooling_method::mantel_haenszel, "mantel-haenszel"}};
const std::pair<count_convention, std::string_view> k_counts[] = {
    {count_convention::metafor, "metafor"}, {count_convention::revman5, "revman5"}};
const std::pair<i2_definition, std::string_view> k_i2[] = {{i2_definition::q_based, "Q"},
                                                           {i2_definition::tau2_based, "tau2"}};

}  // namespace

std::optional<preset> parse_preset(std::string_view name) { return parse_in(k_presets, name); }
std::string_view preset_name(preset p) { return name_in(k_presets, p); }
std::optional<model_choice> parse_model_choice(std::string_view name) {
  return parse_in(k_models, name);
}
std::string_view model_choice_name(model_choice m) { return name_in(k_models, m); }
std::string_view ci_method_name(ci_method m) { return name_in(k_ci, m); }
std::optional<ci_method> parse_ci_method(std::string_view name) { return parse_in(k_ci, name); }
std::string_view pi_method_name(pi_method m) { return name_in(k_pi, m); }
std::optional<pi_method> parse_pi_method(std::string_view name) { return parse_in(k_pi, name); }
std::string_view i2_definition_name(i2_definition d) { return name_in(k_i2, d); }
std::optional<i2_definition> parse_i2_definition(std::string_view name) {
  return parse_in(k_i2, name);
}

std::string_view to_string(pooling_method m) { return name_in(k_methods, m); }
std::optional<pooling_method> parse_pooling_method(std::string_view name) {
  return parse_in(k_methods, name);
}
std::string_view to_string(count_convention c) { return name_in(k_counts, c); }

}  // namespace srma
