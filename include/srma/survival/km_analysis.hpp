// File: srma/survival/km_analysis.hpp
//
// Everything `srma km hr` reports for two arms of patient data in one value: the Cox model (HR,
// Wald CI, Wald, likelihood-ratio and score tests), the log-rank test, and per arm the
// Kaplan-Meier curve with its median and, when a horizon tau is given, the restricted mean
// survival time. Also the one-step route from digitised curves to that analysis (Guyot
// reconstruction of each arm, then the fit), which `srma run` uses for a plan's [[km]] studies.
//
// Example:
//
//   auto d = srma::read_ipd("ipd.csv");
//   auto a = srma::analyse_two_arms(*d, "Pembrolizumab", "Placebo", {.tau = 24});
//   if (a) fmt::print("HR {:.3f}, log-rank p {:.2g}\n", a->cox.hr, a->logrank.p);
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "srma/survival/cox.hpp"
#include "srma/survival/ipd.hpp"
#include "srma/survival/kaplan_meier.hpp"
#include "srma/survival/km_reconstruct.hpp"
#include "srma/survival/logrank.hpp"
#include "srma/util/expected.hpp"

namespace srma {

/// One arm of a two-arm analysis.
struct km_arm_summary {
  std::string name;
  std::size_t n = 0;
  std::size_t events = 0;
  km_curve curve;                   ///< Kaplan-Meier estimate with its median and CI.
  std::optional<rmst_result> rmst;  ///< To km_analysis_options::tau, when given.
};

struct km_analysis_options {
  cox_options cox;                             ///< Ties and the level of the HR's CI.
  km_options km;                               ///< Level and scale of the curves' and medians' CIs.
  std::optional<double> tau;                   ///< Horizon of the RMST; none: not computed.
  [[nodiscard]] std::string validate() const;  ///< "" when usable.
};

/// Treatment first, then control.
struct km_analysis {
  std::string treatment;
  std::string control;
  cox_result cox;
  logrank_result logrank;
  std::vector<km_arm_summary> arms;  ///< [0] treatment, [1] control.
  km_analysis_options options;
};

/// Cox, log-rank and Kaplan-Meier for the arms named `treatment` and `control` (matched as
/// survival_data::arm_index does). Errors: srma.survival.E902 (an arm not in the data, with the
/// arms there listed; the same arm twice), those of cox_two_arm, logrank_two_arm, kaplan_meier
/// and restricted_mean, srma.survival.E907 (options).
[[nodiscard]] expected<km_analysis> analyse_two_arms(const survival_data& data,
                                                     std::string_view treatment,
                                                     std::string_view control,
                                                     const km_analysis_options& options = {});

/// Digitised curves to an analysis: each arm reconstructed (reconstruct_arm), then
/// analyse_two_arms on the reconstructed patients.
struct km_from_curves {
  std::vector<arm_reconstruction> arms;  ///< In the order given.
  survival_data ipd;
  km_analysis analysis;
};
[[nodiscard]] expected<km_from_curves> analyse_curves(std::span<const digitised_arm> arms,
                                                      std::string_view treatment,
                                                      std::string_view control,
                                                      const km_analysis_options& options = {},
                                                      const reconstruct_options& rebuild = {});

}  // namespace srma
