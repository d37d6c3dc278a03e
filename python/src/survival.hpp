// File: python/src/survival.hpp
//
// The survival layer in Python: patient data (`SurvivalData`: read from an arm,time,event CSV,
// parsed from CSV text, or built from arrays), the Kaplan-Meier estimate of one sample
// (`KaplanMeierFit`), the two-arm analysis of `srma km hr` (`KmHrFit`: Cox model, log-rank test,
// medians and RMST), and Guyot reconstruction of patient data from digitised curves
// (`ReconstructionFit`, as `srma km reconstruct`). Results have json() (a dict equal to the
// CLI's --json output where the CLI has one) and summary() (the CLI's text). The Kaplan-Meier
// figure is drawn in plots.cpp from the types declared here.
//
// Example (Python):
//
//   d = srma._srma.read_ipd("tests/validation/data/survival/lung.csv")
//   fit = srma._srma.km_hr(d, "female", "male", ties="efron", tau=None, level=0.95)
//   fit.json()["hr"], fit.summary()
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <utility>
#include <vector>

#include "srma/survival/ipd.hpp"
#include "srma/survival/km_analysis.hpp"
#include "srma/survival/km_reconstruct.hpp"

namespace srma::bindings {

/// Patient data as Python holds them: the library's survival_data and, when they were rebuilt
/// from digitised curves, each arm's reconstruction and cleaned points. With these, a two-arm
/// analysis reports the reconstruction as `srma km hr --arm ...` does, and the figure overlays
/// the points as `srma km plot --arm ...` does.
struct patient_data {
  survival_data data;
  std::vector<arm_reconstruction> reconstruction;               ///< Empty: not rebuilt.
  std::vector<std::pair<std::string, clean_points>> digitised;  ///< (arm, cleaned points).
};

/// The two-arm analysis of `srma km hr` with the patient data it ran on.
struct km_hr_fit {
  patient_data ipd;
  km_analysis analysis;
};

/// Binds SurvivalData, KaplanMeierFit, KmHrFit, DigitisedCurve, AtRiskTable, ReconstructionFit
/// and the functions that make them (read_ipd, parse_ipd, ipd_from_arrays, kaplan_meier, km_hr,
/// the curve and at-risk readers, km_reconstruct).
void register_survival(pybind11::module_& m);

}  // namespace srma::bindings
