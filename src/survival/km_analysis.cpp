// The two-arm analysis of patient data (Cox, log-rank, Kaplan-Meier, RMST) and the route from
// digitised curves to it. The statistics are in cox.cpp, logrank.cpp and kaplan_meier.cpp; this
// file only looks up the arms and collects the results.
#include "srma/survival/km_analysis.hpp"

#include <fmt/format.h>

#include <cmath>

#include "srma/util/error_ids.hpp"

namespace srma {

std::string km_analysis_options::validate() const {
  if (auto m = cox.validate(); !m.empty()) return m;
  if (auto m = km.validate(); !m.empty()) return m;
  if (tau && !(std::isfinite(*tau) && *tau > 0))
    return fmt::format("tau is {}, but must be a finite number > 0", *tau);
  return {};
}

namespace {

std::string arm_list(const survival_data& data) {
  std::string out;
  for (const auto& a : data.arm_names) {
    if (!out.empty()) out += ", ";
    out += fmt::format("'{}'", a);
  }
  return out;
}

expected<std::size_t> find_arm(const survival_data& data, std::string_view name,
                               std::string_view role) {
  if (auto a = data.arm_index(name)) return *a;
  return fail(errc::survival_unknown_arm,
              fmt::format("the {} arm '{}' is not in the data; its arms are {}", role, name,
                          arm_list(data)),
              {data.source, 0, 0}, std::string(name));
}

}  // namespace

expected<km_analysis> analyse_two_arms(const survival_data& data, std::string_view treatment,
                                       std::string_view control,
                                       const km_analysis_options& options) {
  if (auto m = options.validate(); !m.empty()) return fail(errc::survival_bad_options, m);
  auto t = find_arm(data, treatment, "treatment");
  if (!t) return unexpected(t.error());
  auto c = find_arm(data, control, "control");
  if (!c) return unexpected(c.error());
  if (*t == *c)
    return fail(errc::survival_unknown_arm,
                fmt::format("the treatment and the control arm are the same arm ('{}')",
                            data.arm_names[*t]),
                {data.source, 0, 0}, std::string(control));
  km_analysis out;
  out.treatment = data.arm_names[*t];
  out.control = data.arm_names[*c];
  out.options = options;
  auto cox = cox_two_arm(data, *t, *c, options.cox);
  if (!cox) return unexpected(cox.error());
  out.cox = *cox;
  auto lr = logrank_two_arm(data, *t, *c);
  if (!lr) return unexpected(lr.error());
  out.logrank = *lr;
  for (const std::size_t a : {*t, *c}) {
    const auto sample = arm_of(data, a);
    auto km = kaplan_meier(sample.time, sample.event, options.km);
    if (!km) return unexpected(km.error());
    km_arm_summary s;
    s.name = data.arm_names[a];
    s.n = sample.time.size();
    for (int e : sample.event) s.events += static_cast<std::size_t>(e);
    if (options.tau) {
      auto r = restricted_mean(*km, *options.tau);
      if (!r) return unexpected(r.error());
      s.rmst = *r;
    }
    s.curve = std::move(*km);
    out.arms.push_back(std::move(s));
  }
  return out;
}

expected<km_from_curves> analyse_curves(std::span<const digitised_arm> arms,
                                        std::string_view treatment, std::string_view control,
                                        const km_analysis_options& options,
                                        const reconstruct_options& rebuild) {
  km_from_curves out;
  for (const auto& a : arms) {
    auto r = reconstruct_arm(a, rebuild);
    if (!r) return unexpected(r.error());
    out.arms.push_back(std::move(*r));
  }
  out.ipd = to_survival_data(out.arms);
  auto analysis = analyse_two_arms(out.ipd, treatment, control, options);
  if (!analysis) return unexpected(analysis.error());
  out.analysis = std::move(*analysis);
  return out;
}

}  // namespace srma
