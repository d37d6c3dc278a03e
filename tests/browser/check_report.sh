#!/usr/bin/env bash
# Opens the report of the bundled survival example in headless Chromium and checks that every
# figure renders (each inline SVG has a real size on the laid-out page), that no resource is
# missing (every link in the report points to a file that exists) and that a screenshot is not
# blank. Usage: check_report.sh SRMA_BINARY SOURCE_DIR WORK_DIR. Exit 77 (skipped) when Chromium is
# not installed; .ci/run installs it.
set -euo pipefail
srma=$1 src=$2 work=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "chromium not installed: skipping"; exit 77; fi
rm -rf "$work" && mkdir -p "$work"
"$srma" run "$src/examples/pignon2000/plan.toml" -o "$work/report" >/dev/null

# 1. Every href/src in the report resolves to an existing file.
missing=0
while read -r ref; do
  case "$ref" in http*|\#*|data:*) continue ;; esac
  if [ ! -e "$work/report/$ref" ]; then echo "missing resource: $ref"; missing=1; fi
done < <(grep -o '\(href\|src\)="[^"]*"' "$work/report/report.html" | sed 's/^[a-z]*="//; s/"$//')
[ $missing -eq 0 ] || exit 1

# 2. Lay the page out in Chromium and measure every figure.
cat > "$work/check.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>check</title></head><body>
<iframe id="r" src="report/report.html" style="width:1200px;height:800px"></iframe>
<pre id="out">PENDING</pre>
<script>
document.getElementById('r').addEventListener('load', function () {
  var out = [];
  try {
    var doc = this.contentDocument;
    var svgs = doc.querySelectorAll('figure svg');
    var bad = 0;
    svgs.forEach(function (s, i) {
      var b = s.getBoundingClientRect();
      var texts = s.querySelectorAll('text').length;
      if (!(b.width > 100 && b.height > 100 && texts > 0)) { bad++; out.push('figure ' + (i + 1) + ' ' + b.width + 'x' + b.height + ' texts ' + texts); }
    });
    var imgs = doc.images, broken = 0;
    for (var i = 0; i < imgs.length; i++) if (!imgs[i].complete || imgs[i].naturalWidth === 0) broken++;
    out.unshift((bad === 0 && broken === 0 && svgs.length > 0 ? 'SRMA-CHECK OK' : 'SRMA-CHECK FAIL') +
                ' figures=' + svgs.length + ' bad=' + bad + ' broken_images=' + broken);
  } catch (e) { out.unshift('SRMA-CHECK FAIL ' + e); }
  document.getElementById('out').textContent = out.join('\n');
});
</script></body></html>
HTML
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$work/profile" --allow-file-access-from-files)
dom=$(timeout 120 "$browser" "${flags[@]}" --virtual-time-budget=10000 --dump-dom "file://$work/check.html" 2>/dev/null)
result=$(printf '%s' "$dom" | grep -o 'SRMA-CHECK [A-Z]*[^<]*' | head -n 1)
echo "$result"
case "$result" in "SRMA-CHECK OK"*) ;; *) printf '%s\n' "$dom" | sed -n '/<pre id="out">/,/<\/pre>/p'; exit 1 ;; esac

# 3. A screenshot of the report is not blank.
timeout 120 "$browser" "${flags[@]}" --window-size=1200,2400 --screenshot="$work/report.png" \
  "file://$work/report/report.html" >/dev/null 2>&1
size=$(stat -c %s "$work/report.png")
echo "screenshot $work/report.png: $size bytes"
[ "$size" -gt 20000 ]
