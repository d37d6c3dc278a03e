#!/usr/bin/env bash
# Runs the browser test of the analysis page of srma serve (analysis.mjs) in headless Chromium.
# Usage: analysis.sh SRMA_BINARY SOURCE_DIR WORK_DIR
# Exit 77 (skipped, with the reason) when Chromium, Node.js or playwright-core (npm ci in
# tests/browser) is missing. Screenshots: WORK_DIR/screenshots/analysis*.png.
set -euo pipefail
srma=$1 src=$2 work=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "skipped: chromium is not installed (apt-get install chromium)"; exit 77; fi
if ! command -v node >/dev/null; then echo "skipped: Node.js is not installed (apt-get install nodejs npm)"; exit 77; fi
if [ ! -d "$src/tests/browser/node_modules/playwright-core" ]; then
  echo "skipped: playwright-core is not installed (run npm ci in tests/browser)"; exit 77
fi
CHROMIUM="$browser" exec node "$src/tests/browser/analysis.mjs" "$srma" "$src" "$work"
