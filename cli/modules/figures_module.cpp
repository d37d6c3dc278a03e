// srma-figures.so: the Cairo and Pango code of srma's figures as a module the srma program loads
// on first use (cli/figures.cpp, srma/plot/backend.hpp). It exports one function; linking it
// against srma::plot takes from that archive only what the table refers to (the renderer, the
// Pango measurer, the drawing's replay and the few srma utilities they use).
#include "srma/plot/backend.hpp"

// NOLINTNEXTLINE(readability-identifier-naming): a C symbol looked up by name
extern "C" __attribute__((visibility("default"))) const srma::plot::backend_functions*
srma_figures_backend() {
  return &srma::plot::linked_backend();
}
