#!/usr/bin/env bash
# Every error id the code can raise is documented in docs/error-codes.md, and the document lists
# no id that the code never raises. Usage: check_error_ids.sh SOURCE_DIR
set -euo pipefail
cd "$1"
code=$(grep -rhoE 'srma\.[a-z]+\.E[0-9]{3}' src include cli | sort -u)
status=0
for id in $code; do
  fam=${id#srma.}; fam=${fam%%.*}; num=${id##*.}
  # The document lists ids per family section as "| E123 |".
  if ! awk -v f="## srma.$fam" -v n="| $num |" 'index($0, f) == 1 {s = 1; next} /^## / {s = 0} s && index($0, n) == 1 {found = 1} END {exit !found}' docs/error-codes.md; then
    echo "undocumented error id: $id"; status=1
  fi
done
for fam in $(grep -oE '^## srma\.[a-z]+' docs/error-codes.md | sed 's/## srma\.//'); do
  for num in $(awk -v f="## srma.$fam" 'index($0, f) == 1 {s = 1; next} /^## / {s = 0} s' docs/error-codes.md | grep -oE '^\| E[0-9]{3}' | tr -d '| '); do
    if ! grep -rqE "srma\.$fam\.$num" src include cli 2>/dev/null; then
      echo "documented but never raised: srma.$fam.$num"; status=1
    fi
  done
done
exit $status
