// srma::plot's backend(): the Cairo functions linked in (srma/plot/backend.hpp). In a file of its
// own so that a program that defines backend() itself (the srma program loads the Cairo code as
// a module) links neither this nor the Cairo code it refers to.
#include "srma/plot/backend.hpp"

namespace srma::plot {

const backend_functions& backend() { return linked_backend(); }

}  // namespace srma::plot
