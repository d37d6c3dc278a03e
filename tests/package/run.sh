#!/usr/bin/env bash
# The package test (issue 9; STYLE.md, habit 11): installs srma into a scratch prefix and builds
# and runs programs that use it the ways a user would, as fmt and nlohmann/json test their own
# packages.
#
# Usage: tests/package/run.sh SRMA_SOURCE_DIR BUILD_DIR [SRMA_BUILD_TREE]
#
#   1. srma is configured (Release, shared libraries on, no tests or benchmarks) and built in
#      BUILD_DIR/srma, or, given SRMA_BUILD_TREE, that already-built tree is used instead (ctest
#      passes srma's own build to save time; it must have been configured with shared libraries and
#      install rules, and without sanitizers). Then `cmake --install` into BUILD_DIR/staging,
#      moved to BUILD_DIR/prefix: everything below also shows that the prefix is relocatable.
#   2. The prefix holds the umbrella header, the static and shared core library, the CLI and the
#      package configuration; the umbrella header includes every core and report header and no
#      figure or plan header; libsrma_core.so needs no Cairo, Pango, toml++ or OpenSSL.
#   3. Consumers (tests/package/*), each configured, built and run:
#      - find_package/: find_package(srma COMPONENTS core) with CMAKE_DISABLE_FIND_PACKAGE_PkgConfig,
#        _tomlplusplus and _OpenSSL ON, static and shared; the pooled BCG estimates equal metafor's
#        (tests/validation/data/bcg.json, case bcg_RR_REML_z) to a relative 1e-6; neither link line
#        nor the shared program's loaded libraries mention cairo, pango, toml or ssl/crypto.
#      - plot/: find_package(srma COMPONENTS plot), static and shared; each writes an SVG forest
#        plot that starts with <?xml or <svg and shows the studies.
#      - add_subdirectory/: srma as a sub-project (no CLI, tests, figures, plans or install rules;
#        also configured with PkgConfig and toml++ disabled); same BCG check.
#      - examples/cpp/ built on its own against the prefix; its ctest compares the output with
#        the committed golden file.
#      - components/: what find_package(srma ...) defines for each request, and that it fails,
#        with a message saying why, for a component whose dependency is disabled or missing (the
#        control that shows the disabled-dependency check above can fail), an unknown component
#        and an incompatible version.
#   4. A statistics-only install (no figures, plans, CLI or shared libraries; configured where
#      Cairo, toml++, OpenSSL and CLI11 cannot be found) holds no figure or plan header or
#      library; examples/cpp builds against it; find_package says which components it lacks.
# Exits 0 when every check passes, else 1 with a message naming the failed check.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 SRMA_SOURCE_DIR BUILD_DIR [SRMA_BUILD_TREE]" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
reuse=${3:-}
here="$src/tests/package"
prefix="$work/prefix"
jobs=$(nproc 2>/dev/null || echo 2)
bcg_csv="$src/tests/validation/data/bcg.csv"
bcg_json="$src/tests/validation/data/bcg.json"
start=$SECONDS
checks=0

fail() {
  echo "package: FAILED: $*" >&2
  exit 1
}
pass() {
  checks=$((checks + 1))
  echo "package: ok: $*"
}
# run_logged LOG CMD...: runs CMD with its output in LOG; on failure shows the log's tail.
run_logged() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "'$*' failed (full log: $log)"
  fi
}
cache_value() {  # cache_value BUILD_TREE NAME: the value of NAME in BUILD_TREE/CMakeCache.txt
  sed -n "s/^$2:[A-Z]*=//p" "$1/CMakeCache.txt" | head -n 1
}
is_on() {
  case "${1^^}" in ON | TRUE | YES | Y | 1) return 0 ;; *) return 1 ;; esac
}
configure_consumer() {  # configure_consumer NAME SOURCE_DIR CMAKE_ARGS...
  local name=$1 dir=$2
  shift 2
  rm -rf "${work:?}/$name"
  run_logged "$work/$name.configure.log" cmake -S "$dir" -B "$work/$name" \
    -DCMAKE_BUILD_TYPE=Release "$@"
}
build_consumer() {  # build_consumer NAME
  run_logged "$work/$1.build.log" cmake --build "$work/$1" -j"$jobs"
}
# check_bcg NAME OUTPUT: every "<key> <value>" line of OUTPUT (keys as in bcg.json's "expected")
# equals metafor's value for rma(yi, vi, method="REML", test="z") on dat.bcg, measure RR
# (tests/validation/data/bcg.json, case bcg_RR_REML_z; metafor 3.8-1) to a relative 1e-6.
check_bcg() {
  local name=$1 output=$2
  python3 - "$bcg_json" "$output" "$name" <<'PY' || fail "$name: estimates differ from metafor"
import json, sys
ref_file, output, name = sys.argv[1:4]
case = next(c for c in json.load(open(ref_file))["cases"] if c["name"] == "bcg_RR_REML_z")
compared = 0
for line in output.splitlines():
    key, value = line.split(" ", 1)
    if key == "version":
        continue
    want = case["expected"]
    for part in key.split("."):
        want = want[part]
    got = float(value)
    if abs(got - want) > 1e-6 * max(abs(want), 1e-300):
        print(f"{name}: {key} = {got!r}, metafor (bcg.json, bcg_RR_REML_z): {want!r}")
        sys.exit(1)
    compared += 1
if compared < 4:
    print(f"{name}: only {compared} values printed:\n{output}")
    sys.exit(1)
PY
}
# no_figure_libraries WHAT TEXT: TEXT (a link line or ldd output) names no Cairo, Pango, toml++ or
# OpenSSL library.
no_figure_libraries() {
  local bad
  bad=$(grep -oiE '[^ /]*(cairo|pango|toml|ssl|crypto)[^ ]*' <<<"$2" | sort -u | tr '\n' ' ' || true)
  [ -z "$bad" ] || fail "$1 mentions $bad"
}

# ---- 1. Build and install srma -----------------------------------------------------------------
tree="$work/srma"
if [ -n "$reuse" ]; then
  [ -f "$reuse/CMakeCache.txt" ] || fail "$reuse is not a CMake build tree"
  is_on "$(cache_value "$reuse" SRMA_BUILD_SHARED)" || fail "$reuse was configured without SRMA_BUILD_SHARED"
  is_on "$(cache_value "$reuse" SRMA_INSTALL)" || fail "$reuse was configured without SRMA_INSTALL"
  ! is_on "$(cache_value "$reuse" SRMA_SANITIZE)" || fail "$reuse is a sanitizer build"
  tree=$(cd "$reuse" && pwd)
  echo "package: using the built tree $tree"
else
  echo "package: building srma in $tree"
  run_logged "$work/srma.configure.log" cmake -S "$src" -B "$tree" -DCMAKE_BUILD_TYPE=Release \
    -DSRMA_BUILD_TESTS=OFF -DSRMA_BUILD_BENCH=OFF -DSRMA_BUILD_SHARED=ON
  run_logged "$work/srma.build.log" cmake --build "$tree" -j"$jobs"
fi
# Installed elsewhere and then moved, so that every consumer below also shows the prefix is
# relocatable (no file may hold the path it was installed to).
staging="$work/staging"
rm -rf "$prefix" "$staging"
run_logged "$work/install.log" cmake --install "$tree" --prefix "$staging"
mv "$staging" "$prefix"
stale=$(grep -rl "$staging" "$prefix" || true)
[ -z "$stale" ] || fail "installed files hold the install path $staging: $stale"
pass "cmake --install, then moved to $prefix"

# ---- 2. What the prefix holds ------------------------------------------------------------------
libdir=lib
for f in include/srma/srma.hpp include/srma/model/pool.hpp "$libdir/libsrma_core.a" \
  "$libdir/libsrma_core.so" bin/srma "$libdir/cmake/srma/srmaConfig.cmake" \
  "$libdir/cmake/srma/srmaConfigVersion.cmake"; do
  [ -e "$prefix/$f" ] || fail "the prefix has no $f"
done
[ -x "$prefix/bin/srma" ] || fail "$prefix/bin/srma is not executable"
version=$("$prefix/bin/srma" --version 2>&1) || fail "the installed CLI does not run: $version"
pass "the prefix holds the headers, libsrma_core.a/.so, bin/srma ($version) and srmaConfig.cmake"
# The installed program finds its figure module (lib/srma/srma-figures.so) relative to itself,
# also after the prefix was moved.
[ -e "$prefix/$libdir/srma/srma-figures.so" ] || fail "the prefix has no $libdir/srma/srma-figures.so"
"$prefix/bin/srma" prisma "$src/examples/gepnet-ptr/prisma.csv" -o "$work/installed_prisma.png" \
  >/dev/null 2>"$work/installed_prisma.err" ||
  fail "the installed CLI cannot draw: $(cat "$work/installed_prisma.err")"
pass "the installed CLI draws a PNG through lib/srma/srma-figures.so"

if find "$prefix/include" -name '*.cpp' -o -path '*/detail/*' | grep -q .; then
  fail "the prefix holds sources or private headers: $(find "$prefix/include" -name '*.cpp' -o -path '*/detail/*')"
fi
umbrella="$prefix/include/srma/srma.hpp"
while read -r h; do
  rel=${h#"$prefix/include/"}
  case "$rel" in
    srma/srma.hpp) ;;
    srma/plot/* | srma/run/* | srma/records/* | srma/project/* | srma/web/*)
      ! grep -q "#include \"$rel\"" "$umbrella" || fail "srma/srma.hpp includes $rel (figures, plans, the review project and the web app stay out)" ;;
    *) grep -q "^#include \"$rel\"" "$umbrella" || fail "srma/srma.hpp does not include $rel" ;;
  esac
done < <(find "$prefix/include/srma" -name '*.hpp' | sort)
pass "srma/srma.hpp includes every core and report header and no plot, run, records, project or web header"

needed=$(readelf -d "$prefix/$libdir/libsrma_core.so" | grep NEEDED) || fail "readelf failed on libsrma_core.so"
no_figure_libraries "libsrma_core.so's NEEDED entries" "$needed"
pass "libsrma_core.so needs no Cairo, Pango, toml++ or OpenSSL"

# ---- 3. Consumers ------------------------------------------------------------------------------
without_figure_deps=(-DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON
                     -DCMAKE_DISABLE_FIND_PACKAGE_tomlplusplus=ON
                     -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON)

# find_package(srma COMPONENTS core), with the figure and plan dependencies made unfindable.
configure_consumer core "$here/find_package" -DCMAKE_PREFIX_PATH="$prefix" "${without_figure_deps[@]}"
found_dir=$(cache_value "$work/core" srma_DIR)
[ "$found_dir" = "$prefix/$libdir/cmake/srma" ] || fail "the core consumer found srma in '$found_dir', not in $prefix"
build_consumer core
for kind in static shared; do
  out=$("$work/core/pool_bcg_$kind" "$bcg_csv") || fail "pool_bcg_$kind exited with $?"
  check_bcg "pool_bcg_$kind (find_package, $kind library)" "$out"
  link=$(cat "$work/core/CMakeFiles/pool_bcg_$kind.dir/link.txt")
  no_figure_libraries "the link line of pool_bcg_$kind" "$link"
done
grep -q 'libsrma_core\.a' "$work/core/CMakeFiles/pool_bcg_static.dir/link.txt" ||
  fail "pool_bcg_static does not link libsrma_core.a"
loaded=$(ldd "$work/core/pool_bcg_shared") || fail "ldd pool_bcg_shared failed"
grep -q "libsrma_core\.so\.0 => $prefix/$libdir/libsrma_core\.so\.0" <<<"$loaded" ||
  fail "pool_bcg_shared does not load libsrma_core.so from the prefix:
$loaded"
no_figure_libraries "the libraries pool_bcg_shared loads" "$loaded"
pass "find_package(srma COMPONENTS core) without PkgConfig, toml++ and OpenSSL: static and shared build, run and match metafor"

# find_package(srma COMPONENTS plot): a forest plot as SVG.
configure_consumer plot "$here/plot" -DCMAKE_PREFIX_PATH="$prefix"
build_consumer plot
for kind in static shared; do
  svg="$work/plot/forest_$kind.svg"
  rm -f "$svg"
  "$work/plot/forest_bcg_$kind" "$bcg_csv" "$svg" >/dev/null || fail "forest_bcg_$kind exited with $?"
  [ -s "$svg" ] || fail "forest_bcg_$kind wrote no $svg"
  head -c 5 "$svg" | grep -qE '^(<\?xml|<svg)' || fail "$svg starts with '$(head -c 20 "$svg")', not <?xml or <svg"
  grep -q '</svg>' "$svg" || fail "$svg is not a complete SVG document"
  for label in "Aronson 1948" "Comstock et al 1976" "BCG vaccine against tuberculosis"; do
    grep -qF ">$label<" "$svg" || fail "$svg has no text '$label'"
  done
done
grep -q "libsrma_plot\.so\.0 => $prefix/$libdir/" <<<"$(ldd "$work/plot/forest_bcg_shared")" ||
  fail "forest_bcg_shared does not load libsrma_plot.so from the prefix"
pass "find_package(srma COMPONENTS plot): static and shared write an SVG forest plot"

# srma as a sub-project.
configure_consumer subdir "$here/add_subdirectory" -DSRMA_SOURCE_DIR="$src" "${without_figure_deps[@]}"
build_consumer subdir
out=$("$work/subdir/pool_bcg_subdir" "$bcg_csv") || fail "pool_bcg_subdir exited with $?"
check_bcg "pool_bcg_subdir (add_subdirectory)" "$out"
no_figure_libraries "the link line of pool_bcg_subdir" "$(cat "$work/subdir/CMakeFiles/pool_bcg_subdir.dir/link.txt")"
pass "add_subdirectory(srma) builds only the statistics; the consumer runs and matches metafor"

# The C++ example on its own, against the installed package.
configure_consumer examples "$src/examples/cpp" -DCMAKE_PREFIX_PATH="$prefix"
build_consumer examples
run_logged "$work/examples.ctest.log" ctest --test-dir "$work/examples" --output-on-failure
grep -q "100% tests passed" "$work/examples.ctest.log" || fail "examples/cpp: no test ran"
pass "examples/cpp builds against the prefix and its output equals the golden file"

# What find_package(srma ...) defines, and when it must fail. Configure only.
n_comp=0
components() {  # components EXPECT_RC MESSAGE_REGEX CMAKE_ARGS...
  local want_rc=$1 regex=$2 rc=0
  shift 2
  n_comp=$((n_comp + 1))
  local dir="$work/components/$n_comp"
  rm -rf "$dir"
  cmake -S "$here/components" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" "$@" >"$dir.log" 2>&1 || rc=$?
  if [ "$want_rc" = 0 ] && [ $rc -ne 0 ]; then
    tail -n 20 "$dir.log" >&2
    fail "components check $n_comp ($*) failed to configure (log: $dir.log)"
  elif [ "$want_rc" != 0 ] && [ $rc -eq 0 ]; then
    fail "components check $n_comp ($*) configured, but it must fail (log: $dir.log)"
  fi
  grep -qE "$regex" "$dir.log" || fail "components check $n_comp ($*): no message matching '$regex' (log: $dir.log)"
}
mkdir -p "$work/components"
components 0 "checks passed" "-DREQUEST=0.1;COMPONENTS;core" "${without_figure_deps[@]}" \
  "-DEXPECT=srma::core;srma::core_shared" "-DEXPECT_FOUND=core" \
  "-DEXPECT_ABSENT=srma::report;srma::plot;srma::run;PkgConfig::CAIRO;tomlplusplus::tomlplusplus"
components 0 "checks passed" "-DREQUEST=0.1;REQUIRED;COMPONENTS;report" "${without_figure_deps[@]}" \
  "-DEXPECT=srma::core;srma::report;srma::report_shared" "-DEXPECT_ABSENT=srma::plot;srma::run"
components 0 "checks passed" "-DREQUEST=0.1.0" \
  "-DEXPECT=srma::core;srma::report;srma::plot;srma::project;srma::project_shared;srma::run;srma::run_shared" \
  "-DEXPECT_FOUND=core;report;plot;project;run"
components 0 "checks passed" "-DREQUEST=COMPONENTS;project" -DCMAKE_DISABLE_FIND_PACKAGE_tomlplusplus=ON \
  "-DEXPECT=srma::core;srma::report;srma::project" "-DEXPECT_FOUND=project" \
  "-DEXPECT_ABSENT=srma::plot;srma::run;PkgConfig::CAIRO"
components 1 "dependency pugixml could not be found" "-DREQUEST=COMPONENTS;project" -DCMAKE_DISABLE_FIND_PACKAGE_pugixml=ON
components 0 "checks passed" "-DREQUEST=COMPONENTS;core;OPTIONAL_COMPONENTS;holography" \
  "-DEXPECT=srma::core" "-DEXPECT_FOUND=core" "-DEXPECT_NOT_FOUND=holography"
components 1 "dependency PkgConfig could not be found" "-DREQUEST=COMPONENTS;plot" -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON
PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH='' \
  components 1 "component 'plot' needs the pkg-config modules cairo, cairo-svg" "-DREQUEST=COMPONENTS;plot"
components 1 "dependency tomlplusplus could not be found" "-DREQUEST=COMPONENTS;run" -DCMAKE_DISABLE_FIND_PACKAGE_tomlplusplus=ON
components 1 "unknown component 'holography'" "-DREQUEST=COMPONENTS;core;holography"
components 1 "srmaConfig\.cmake, version: 0\.1\.0" "-DREQUEST=0.2;COMPONENTS;core"
components 1 "srmaConfig\.cmake, version: 0\.1\.0" "-DREQUEST=1.0;COMPONENTS;core"
pass "find_package(srma ...): $n_comp requests define what they should or fail with the reason"

# ---- 4. A statistics-only install ------------------------------------------------------------
# srma configured without figures, plans, CLI and shared libraries, on a machine where Cairo
# (pkg-config), toml++, OpenSSL and CLI11 cannot be found: it builds and installs core and report
# only, leaves the figure and plan headers out, and the umbrella header and examples/cpp work
# against it.
core_tree="$work/srma-core-only"
core_prefix="$work/prefix-core-only"
run_logged "$work/srma-core-only.configure.log" cmake -S "$src" -B "$core_tree" \
  -DCMAKE_BUILD_TYPE=Release -DSRMA_BUILD_PLOT=OFF -DSRMA_BUILD_RUN=OFF -DSRMA_BUILD_CLI=OFF \
  -DSRMA_BUILD_PROJECT=OFF \
  -DSRMA_BUILD_TESTS=OFF -DSRMA_BUILD_BENCH=OFF -DSRMA_BUILD_SHARED=OFF \
  "${without_figure_deps[@]}" -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON
run_logged "$work/srma-core-only.build.log" cmake --build "$core_tree" -j"$jobs"
rm -rf "$core_prefix"
run_logged "$work/install-core-only.log" cmake --install "$core_tree" --prefix "$core_prefix"
for f in include/srma/srma.hpp include/srma/report/text_report.hpp "$libdir/libsrma_core.a" \
  "$libdir/libsrma_report.a"; do
  [ -e "$core_prefix/$f" ] || fail "the statistics-only prefix has no $f"
done
for f in include/srma/plot include/srma/run include/srma/records "$libdir/libsrma_plot.a" \
  "$libdir/libsrma_project.a" "$libdir/libsrma_core.so" bin/srma; do
  [ ! -e "$core_prefix/$f" ] || fail "the statistics-only prefix holds $f"
done
configure_consumer examples-core-only "$src/examples/cpp" -DCMAKE_PREFIX_PATH="$core_prefix" \
  "${without_figure_deps[@]}"
build_consumer examples-core-only
run_logged "$work/examples-core-only.ctest.log" ctest --test-dir "$work/examples-core-only" --output-on-failure
grep -q "100% tests passed" "$work/examples-core-only.ctest.log" || fail "examples/cpp (statistics-only prefix): no test ran"
prefix=$core_prefix  # for the components checks
components 0 "checks passed" "-DREQUEST=0.1" "${without_figure_deps[@]}" \
  "-DEXPECT=srma::core;srma::report" "-DEXPECT_FOUND=core;report" \
  "-DEXPECT_ABSENT=srma::core_shared;srma::report_shared;srma::plot;srma::run"
components 1 "this srma was built without component 'plot' \\(built: core, report\\)" "-DREQUEST=COMPONENTS;plot"
components 1 "component 'run' needs 'plot', which this srma was built without" "-DREQUEST=COMPONENTS;report;run"
components 0 "checks passed" "-DREQUEST=COMPONENTS;report;OPTIONAL_COMPONENTS;plot" \
  "-DEXPECT=srma::report" "-DEXPECT_FOUND=report" "-DEXPECT_NOT_FOUND=plot" "-DEXPECT_ABSENT=srma::plot"
pass "a statistics-only install (core, report; static only) without Cairo, toml++, OpenSSL or CLI11; examples/cpp builds against it"

echo "package: all $checks checks passed in $((SECONDS - start)) s"
