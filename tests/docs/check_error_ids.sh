#!/usr/bin/env bash
# Error ids are named constants (include/srma/util/error_ids.hpp), each documented in
# docs/error-codes.md and raised somewhere; the document lists no id without a constant; and no
# code writes an id as a string literal instead of using its constant.
# Usage: check_error_ids.sh SOURCE_DIR
set -euo pipefail
cd "$1"
header=include/srma/util/error_ids.hpp
status=0
# name id pairs from lines such as: inline constexpr char csv_empty[] = "srma.csv.E104";
pairs=$(sed -nE 's/^inline constexpr char ([a-z0-9_]+)\[\] = "(srma\.[a-z]+\.E[0-9]{3})";.*/\1 \2/p' "$header")
[ -n "$pairs" ] || { echo "no error ids found in $header"; exit 1; }
while read -r name id; do
  fam=${id#srma.}; fam=${fam%%.*}; num=${id##*.}
  # The document lists ids per family section as "| E123 |".
  if ! awk -v f="## srma.$fam" -v n="| $num |" 'index($0, f) == 1 {s = 1; next} /^## / {s = 0} s && index($0, n) == 1 {found = 1} END {exit !found}' docs/error-codes.md; then
    echo "undocumented error id: $id ($name)"; status=1
  fi
  if ! grep -rqE "errc::$name\b" src cli; then
    echo "never raised: $id (errc::$name is not used in src/ or cli/)"; status=1
  fi
done <<< "$pairs"
if [ "$(echo "$pairs" | awk '{print $2}' | sort | uniq -d)" != "" ]; then
  echo "an id has two names in $header:"; echo "$pairs" | awk '{print $2}' | sort | uniq -d; status=1
fi
for fam in $(grep -oE '^## srma\.[a-z]+' docs/error-codes.md | sed 's/## srma\.//'); do
  for num in $(awk -v f="## srma.$fam" 'index($0, f) == 1 {s = 1; next} /^## / {s = 0} s' docs/error-codes.md | grep -oE '^\| E[0-9]{3}' | tr -d '| '); do
    if ! grep -qE " srma\.$fam\.$num\$" <<< "$pairs"; then
      echo "documented but has no constant in $header: srma.$fam.$num"; status=1
    fi
  done
done
literals=$(grep -rnE '"srma\.[a-z]+\.E[0-9]{3}"' src cli --include='*.cpp' --include='*.hpp' || true)
if [ -n "$literals" ]; then
  echo "error ids written as string literals (use the srma::errc constants):"; echo "$literals"; status=1
fi
[ $status -eq 0 ] && echo "error ids: $(echo "$pairs" | wc -l) constants, all documented and raised"
exit $status
