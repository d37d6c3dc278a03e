// File: python/src/plots.hpp
//
// Figures through include/srma/plot/: forest plots of a pooled analysis, a subgroup analysis, a
// leave-one-out or a cumulative analysis; the funnel plot (optionally contour-enhanced, with
// Egger's line and trim-and-fill's studies); the GOSH plot. Each returns a `Drawing` that can be
// written as SVG, PDF or PNG. The options follow the CLI's (cli/forest.cpp, cli/funnel.cpp,
// cli/gosh.cpp), so `srma.forest(fit, "f.svg", title=...)` draws what `srma forest ... --title`
// draws.
//
// Example (Python):
//
//   d = srma._srma.forest_plot(fit, columns=["year"], pi=True)
//   d.save("forest.png", dpi=300)
#pragma once

#include <pybind11/pybind11.h>

namespace srma::bindings {

/// Binds `Drawing`, forest_plot, funnel_plot, gosh_plot and gosh_caption.
void register_plots(pybind11::module_& m);

}  // namespace srma::bindings
