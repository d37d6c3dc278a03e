// File: tests/fuzz/replay_main.cpp
//
// Replays the fuzz targets' corpora without libFuzzer or clang: a plain main() that feeds every
// file of the folders (and files) named on its command line to one target, in sorted order.
// Built with the normal compiler as one program for every target (each target's
// LLVMFuzzerTestOneInput is renamed srma_fuzz_<target> by a compile definition, and
// fuzz_targets.inc, written by CMake, lists them), and registered in ctest as
// fuzz.replay.<target>, so every committed seed and crash input runs on every build and under
// the sanitizer pass.
//
// Example:
//
//   build/tests/fuzz/fuzz_replay csv tests/fuzz/corpus/csv
//   // csv: replayed 143 inputs
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define SRMA_FUZZ_TARGET(name) extern "C" int srma_fuzz_##name(const std::uint8_t*, std::size_t);
#include "fuzz_targets.inc"
#undef SRMA_FUZZ_TARGET

namespace {
struct fuzz_target {
  std::string_view name;
  int (*run)(const std::uint8_t*, std::size_t);
};
constexpr fuzz_target k_targets[] = {
#define SRMA_FUZZ_TARGET(name) {#name, srma_fuzz_##name},
#include "fuzz_targets.inc"
#undef SRMA_FUZZ_TARGET
};
}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const fuzz_target* target = nullptr;
  for (const auto& t : k_targets) {
    if (argc > 1 && t.name == argv[1]) target = &t;
  }
  if (target == nullptr) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET FILE_OR_FOLDER...; targets:");
    for (const auto& t : k_targets) std::fprintf(stderr, " %s", std::string(t.name).c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(arg)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
    } else if (fs::is_regular_file(arg, ec)) {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", argv[i]);
      return 2;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "replay: no input files (an empty corpus replays nothing)\n");
    return 2;
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
      std::fprintf(stderr, "replay: cannot read %s\n", f.string().c_str());
      return 2;
    }
    // A copy in its own allocation, so that ASan catches a read past the end as libFuzzer does.
    std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
    target->run(copy.data(), copy.size());
  }
  std::printf("%s: replayed %zu inputs\n", argv[1], files.size());
  return 0;
}
