#!/usr/bin/env bash
# The srma program and its figure module (cli/figures.cpp, srma/plot/backend.hpp):
#  1. the program itself needs no Cairo, Pango or GLib library (they come with the module);
#  2. figures are drawn through the module (PNG, PDF and SVG, whose layout measures text);
#  3. without the module a figure command fails with srma.plot.E509 and exit code 5, writes no
#     file, and commands that draw nothing still work;
#  4. a module that is not srma's (no srma_figures_backend) is refused the same way.
# Usage: figure_module_test.sh SRMA SOURCE_DIR WORK_DIR
set -euo pipefail
srma=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

needed=$(objdump -p "$srma" | awk '/NEEDED/ {print $2}')
if grep -Eq 'cairo|pango|glib|gobject|fontconfig|harfbuzz' <<<"$needed"; then
  fail "the srma program links figure libraries itself: $(grep -E 'cairo|pango|glib|gobject|fontconfig|harfbuzz' <<<"$needed" | tr '\n' ' ')"
fi
echo "ok: the program needs $(wc -l <<<"$needed") shared libraries, none of Cairo, Pango or GLib"

prisma="$src/examples/gepnet-ptr/prisma.csv"
for ext in png pdf svg; do
  "$srma" prisma "$prisma" -o "$work/prisma.$ext" >/dev/null
  [ -s "$work/prisma.$ext" ] || fail "no $ext written"
done
head -c 8 "$work/prisma.png" | od -An -c | grep -q 'P   N   G' || fail "prisma.png is not a PNG"
head -c 5 "$work/prisma.pdf" | grep -q '%PDF-' || fail "prisma.pdf is not a PDF"
echo "ok: PNG, PDF and SVG drawn through the module"

status=0
SRMA_FIGURES_MODULE="$work/missing.so" "$srma" prisma "$prisma" -o "$work/none.png" \
  >/dev/null 2>"$work/missing.err" || status=$?
[ "$status" = 5 ] || fail "exit code $status without the module (expected 5)"
grep -q '^srma: error: \[srma.plot.E509\] figures need srma.s figure module' "$work/missing.err" ||
  fail "unexpected message: $(cat "$work/missing.err")"
grep -q "$work/missing.so (not found)" "$work/missing.err" || fail "the path tried is not named"
[ ! -e "$work/none.png" ] || fail "a file was written without the module"
SRMA_FIGURES_MODULE="$work/missing.so" "$srma" pool "$src/examples/pignon2000/pignon2000.csv" \
  >/dev/null 2>&1 || fail "srma pool needs the figure module"
echo "ok: without the module: E509, exit 5, no file; pool still runs"

# A shared library that is not srma's module: refused, named, nothing written.
other=$(ldd "$srma" | awk '/libfmt/ {print $3}')
status=0
SRMA_FIGURES_MODULE="$other" "$srma" prisma "$prisma" -o "$work/other.svg" \
  >/dev/null 2>"$work/other.err" || status=$?
[ "$status" = 5 ] || fail "exit code $status with a foreign module (expected 5)"
grep -q "srma.plot.E509" "$work/other.err" || fail "unexpected message: $(cat "$work/other.err")"
[ ! -e "$work/other.svg" ] || fail "a file was written with a foreign module"
echo "ok: a library that is not srma's module is refused"
