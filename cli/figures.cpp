// The srma program's figure backend (srma/plot/backend.hpp): Cairo and Pango live in a module,
// srma-figures.so, loaded the first time a command measures or renders text. Linked in, their 33
// shared libraries (GLib's type system among them) were loaded and initialised at every start,
// 13 of its 31 ms of CPU, also by the many commands that draw nothing.
//
// Defining srma::plot::backend() here replaces srma::plot's own definition at link time (it lives
// in an archive member of its own, src/plot/backend_linked.cpp, that nothing else refers to), so
// the program links none of the Cairo code; the module links it (cli/modules/figures_module.cpp).
//
// Where the module is looked for, in order: $SRMA_FIGURES_MODULE (a path; for tests and unusual
// installs), the program's folder (the build tree), and SRMA_MODULE_RELDIR from it (an
// installation: <prefix>/bin/srma and <prefix>/<libdir>/srma/srma-figures.so).
#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "srma/plot/backend.hpp"
#include "srma/util/error_ids.hpp"
#include "srma/util/version.hpp"

#ifndef SRMA_MODULE_RELDIR
#define SRMA_MODULE_RELDIR "../lib/srma"
#endif

namespace srma::plot {
namespace {

constexpr const char* k_module_name = "srma-figures.so";
constexpr const char* k_entry = "srma_figures_backend";

struct loaded {
  const backend_functions* functions = nullptr;
  srma::error error;
};

std::vector<std::filesystem::path> candidates() {
  std::vector<std::filesystem::path> out;
  if (const char* env = std::getenv("SRMA_FIGURES_MODULE"); env != nullptr && *env != '\0') {
    out.emplace_back(env);
    return out;  // asked for this one: no silent fallback to another
  }
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto dir = exe.parent_path();
    out.push_back(dir / k_module_name);
    out.push_back((dir / SRMA_MODULE_RELDIR / k_module_name).lexically_normal());
  }
  return out;
}

loaded load() {
  std::vector<std::string> tried;
  for (const auto& path : candidates()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      tried.push_back(fmt::format("{} (not found)", path.string()));
      continue;
    }
    // RTLD_LOCAL: the module's own copies of srma code stay private to it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      tried.push_back(
          fmt::format("{} ({})", path.string(), why != nullptr ? why : "dlopen failed"));
      continue;
    }
    using entry_fn = const backend_functions* (*)();
    auto entry = reinterpret_cast<entry_fn>(dlsym(handle, k_entry));  // NOLINT: dlsym's type
    const backend_functions* f = entry != nullptr ? entry() : nullptr;
    if (f == nullptr || f->version != k_backend_version || f->size != sizeof(backend_functions) ||
        f->srma_version == nullptr || std::strcmp(f->srma_version, version().data()) != 0) {
      tried.push_back(fmt::format("{} (from another build of srma{})", path.string(),
                                  f != nullptr && f->srma_version != nullptr
                                      ? fmt::format(": {}", f->srma_version)
                                      : std::string()));
      dlclose(handle);
      continue;
    }
    return {f, {}};  // kept loaded for the life of the process
  }
  loaded out;
  out.error = srma::error{errc::plot_no_backend,
                          fmt::format("figures need srma's figure module ({}, Cairo and Pango), "
                                      "which could not be loaded: tried {}",
                                      k_module_name, fmt::join(tried, "; ")),
                          {}};
  return out;
}

}  // namespace

const backend_functions& backend() {
  static const loaded module = load();
  if (module.functions == nullptr) throw backend_error(module.error);
  return *module.functions;
}

}  // namespace srma::plot
