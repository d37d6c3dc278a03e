#!/usr/bin/env bash
# File: python/run_tests.sh
#
# Builds srma for Python and runs its tests, offline: pip builds the extension (the srma C++
# libraries and the pybind11 bindings, through python/setup.py and python/CMakeLists.txt) and
# installs it into a temporary folder, then pytest runs python/tests against that folder. Nothing
# is installed into the system and nothing is downloaded. Exits 0 when every test passes, and
# also (with a message) when pybind11 is not installed.
#
# Needs, on Debian 12, the project's build dependencies (scripts/setup) and:
#   apt-get install -y pybind11-dev python3-dev python3-numpy python3-pip python3-pytest \
#                      python3-setuptools           # python3-pandas: optional (DataFrame tests)
#
# Example:
#
#   python/run_tests.sh                  # from anywhere
#   SRMA_CLI=build/srma python/run_tests.sh -k side_by_side
#
# Environment:
#   PYTHON                      interpreter (default /usr/bin/python3, the one Debian's packages
#                               are installed for; else python3 on PATH)
#   CMAKE_BUILD_PARALLEL_LEVEL  compile jobs (default 2)
#   SRMA_PY_BUILD_DIR           CMake build folder (default python/build/cmake-<python tag>, kept
#                               between runs so that a rerun compiles only what changed; delete it
#                               for a clean build)
#   SRMA_CLI                    the srma program for the side-by-side tests (default
#                               /work/main/build/srma; those tests are skipped when it is absent)
# Arguments are passed on to pytest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
start=$(date +%s)

if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

# pybind11's CMake package: Debian's pybind11-dev, or the pybind11 Python package.
have_pybind11() {
  local dir
  for dir in /usr/lib/cmake/pybind11 /usr/share/cmake/pybind11 /usr/local/lib/cmake/pybind11 \
             /usr/local/share/cmake/pybind11; do
    [[ -f "$dir/pybind11Config.cmake" ]] && return 0
  done
  "$PYTHON" -c 'import pybind11, os, sys; sys.exit(not os.path.isdir(pybind11.get_cmake_dir()))' \
    2>/dev/null
}
if ! have_pybind11; then
  echo "python bindings: skipped, pybind11 not installed"
  exit 0
fi

# Everything else is required: say what is missing instead of failing halfway.
missing=()
for module in pip setuptools wheel numpy pytest; do
  "$PYTHON" -c "import $module" 2>/dev/null || missing+=("python3-$module")
done
if ((${#missing[@]})); then
  echo "python bindings: $PYTHON lacks ${missing[*]}; install them with apt-get" >&2
  exit 1
fi

export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
tag="$("$PYTHON" -c 'import sys; print(sys.implementation.cache_tag)')"  # e.g. cpython-311
export SRMA_PY_BUILD_DIR="${SRMA_PY_BUILD_DIR:-$here/build/cmake-$tag}"

site="$(mktemp -d "${TMPDIR:-/tmp}/srma-python.XXXXXX")"
trap 'rm -rf "$site"' EXIT

echo "python bindings: building with $PYTHON ($CMAKE_BUILD_PARALLEL_LEVEL jobs, CMake folder" \
     "$SRMA_PY_BUILD_DIR; the first build compiles the C++ library and takes minutes)"
# --no-deps: numpy comes from Debian; with --target pip would otherwise want its own copy.
"$PYTHON" -m pip install --no-build-isolation --no-index --no-deps --quiet \
  --disable-pip-version-check --root-user-action=ignore --target "$site" "$here"
built=$(date +%s)
echo "python bindings: built and installed in $((built - start)) s; testing"

cd "$root"
PYTHONPATH="$site" "$PYTHON" -m pytest "$here/tests" -q -p no:cacheprovider "$@"
end=$(date +%s)
echo "python bindings: passed in $((end - start)) s (build $((built - start)) s, tests" \
     "$((end - built)) s)"
