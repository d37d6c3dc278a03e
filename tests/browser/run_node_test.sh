#!/usr/bin/env bash
# Runs one browser test of srma serve (a .mjs file in tests/browser) in headless Chromium.
# Usage: run_node_test.sh TEST.mjs SRMA_BINARY SOURCE_DIR WORK_DIR
# Exit 77 (skipped, with the reason) when Chromium, Node.js or playwright-core (npm ci in
# tests/browser) is missing. Screenshots go to WORK_DIR/screenshots/.
set -euo pipefail
test=$1 srma=$2 src=$3 work=$4
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "skipped: chromium is not installed (apt-get install chromium)"; exit 77; fi
if ! command -v node >/dev/null; then echo "skipped: Node.js is not installed (apt-get install nodejs npm)"; exit 77; fi
if [ ! -d "$src/tests/browser/node_modules/playwright-core" ]; then
  echo "skipped: playwright-core is not installed (run npm ci in tests/browser)"; exit 77
fi
CHROMIUM="$browser" exec node "$src/tests/browser/$test" "$srma" "$src" "$work"
