#include "srma/util/version.hpp"

namespace srma {

std::string_view version() { return SRMA_VERSION; }

}  // namespace srma
