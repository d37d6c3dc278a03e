#!/usr/bin/env bash
# Runs srma's pooling benchmarks and, when R with metafor is installed, the same fits in metafor,
# in one go, and prints the speed ratios (absolute times on shared machines are noisy; ratios
# measured in one run are what we report). Usage: tools/bench_compare.sh [build-dir] [k-list]
set -euo pipefail
build=${1:-build}
ks=${2:-100,1000}
with_perm=${3:-permtest}   # "none" skips metafor's ~10 s exact permutation test
cd "$(dirname "$0")/.."
[ -x "$build/bench/pool_bench" ] || cmake --build "$build" --target pool_bench >/dev/null
json=$(mktemp)
"$build/bench/pool_bench" --benchmark_filter='bm_pool_reml_k11|bm_pool_reml_k/' \
  --benchmark_min_time=0.5 --benchmark_format=json >"$json" 2>/dev/null
[ -x "$build/bench/sensitivity_bench" ] || cmake --build "$build" --target sensitivity_bench >/dev/null
json2=$(mktemp)
"$build/bench/sensitivity_bench" --benchmark_filter='bm_permtest_exact_k11' \
  --benchmark_format=json >"$json2" 2>/dev/null
srma_time() {  # seconds per iteration of benchmark $1 (from file $2, default the pool run)
  python3 -c "import json,sys; d=json.load(open('${2:-$json}'));
b=[x for x in d['benchmarks'] if x['name']=='$1'][0]
f={'ns':1e-9,'us':1e-6,'ms':1e-3,'s':1}[b['time_unit']]; print(b['real_time']*f)"
}
fmt_s() { python3 -c "print(f'{$1:.3g} s')"; }
echo "srma (Google Benchmark):"
echo "  REML + Q-profile CI + PI, BCG k = 11: $(fmt_s "$(srma_time bm_pool_reml_k11)")"
for k in 10 100 1000 10000 100000; do echo "  simulated k = $k: $(fmt_s "$(srma_time bm_pool_reml_k/$k)")"; done
echo "  exact permutation test, 2^11 REML refits: $(fmt_s "$(srma_time bm_permtest_exact_k11/real_time "$json2")")"
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(metafor)' >/dev/null 2>&1; then
  echo "metafor not installed: skipping the comparison"
else
echo "metafor $(Rscript -e 'cat(as.character(packageVersion("metafor")))' 2>/dev/null) (rma + confint + predict):"
Rscript tools/bench_metafor.R "$ks" "$with_perm" 2>/dev/null | tail -n +2 | while IFS=, read -r case k secs; do
  if [ "$case" = bcg11 ]; then s=$(srma_time bm_pool_reml_k11);
  elif [ "$case" = permtest11 ]; then s=$(srma_time bm_permtest_exact_k11/real_time "$json2"); else
    s=$(python3 - "$json" "$k" <<'PY'
import json, sys, math
d = json.load(open(sys.argv[1])); k = int(sys.argv[2])
pts = {int(x['name'].split('/')[1]): x['real_time'] * {'ns':1e-9,'us':1e-6,'ms':1e-3,'s':1}[x['time_unit']]
       for x in d['benchmarks'] if x['name'].startswith('bm_pool_reml_k/')}
if k in pts: print(pts[k])
else:  # interpolate on log-log between the nearest measured k
    ks = sorted(pts); lo = max([x for x in ks if x < k] or [ks[0]]); hi = min([x for x in ks if x > k] or [ks[-1]])
    if lo == hi: print(pts[lo] * k / lo)
    else:
        t = (math.log(k) - math.log(lo)) / (math.log(hi) - math.log(lo))
        print(math.exp(math.log(pts[lo]) + t * (math.log(pts[hi]) - math.log(pts[lo]))))
PY
)
  fi
  python3 -c "print(f'  {\"$case\"} k = {$k}: metafor {$secs:.4g} s, srma {$s:.3g} s, ratio {$secs/$s:,.0f}x')"
done
fi
rm -f "$json" "$json2"

# Survival: srma's Cox / two-arm analysis / reconstruction vs R survival on data of the same size.
[ -x "$build/bench/survival_bench" ] || cmake --build "$build" --target survival_bench >/dev/null
json3=$(mktemp)
"$build/bench/survival_bench" --benchmark_min_time=0.5 --benchmark_format=json >"$json3" 2>/dev/null
echo "srma survival (Google Benchmark):"
for n in 100 1000; do
  echo "  2 x $n patients: Cox $(fmt_s "$(srma_time bm_cox_efron/$n "$json3")"); Cox + log-rank + KM + medians + RMST $(fmt_s "$(srma_time bm_km_analysis/$n "$json3")"); Guyot reconstruction of both arms + Cox $(fmt_s "$(srma_time bm_reconstruct_and_cox/$n "$json3")")"
done
if command -v Rscript >/dev/null && Rscript -e 'library(survival)' >/dev/null 2>&1; then
  echo "R survival $(Rscript -e 'cat(as.character(packageVersion("survival")))' 2>/dev/null):"
  Rscript tools/bench_survival.R 100,1000 2>/dev/null | tail -n +2 | while IFS=, read -r case n secs; do
    if [ "$case" = cox ]; then s=$(srma_time bm_cox_efron/$n "$json3"); what="coxph";
    else s=$(srma_time bm_km_analysis/$n "$json3"); what="coxph + survdiff + survfit + summary"; fi
    python3 -c "print(f'  2 x {$n} patients, {\"$what\"}: R {$secs*1e3:.3g} ms, srma {$s*1e3:.3g} ms, ratio {$secs/$s:,.0f}x')"
  done
else
  echo "R survival not installed: skipping the survival comparison"
fi
rm -f "$json3"
