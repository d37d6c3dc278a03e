#!/usr/bin/env bash
# Runs srma's pooling benchmarks and, when R with metafor is installed, the same fits in metafor,
# in one go, and prints the speed ratios (absolute times on shared machines are noisy; ratios
# measured in one run are what we report).
# Usage: tools/bench_compare.sh [build-dir] [k-list] [permtest|none] [gosh30|none]
set -euo pipefail
build=${1:-build}
ks=${2:-100,1000}
with_perm=${3:-permtest}   # "none" skips metafor's ~10 s exact permutation test and ~25 s REML GOSH
with_gosh30=${4:-gosh30}   # "none" skips srma's exhaustive GOSH of 30 studies (DL) and 24 (REML)
cd "$(dirname "$0")/.."
[ -x "$build/bench/pool_bench" ] || cmake --build "$build" --target pool_bench >/dev/null
json=$(mktemp)
"$build/bench/pool_bench" --benchmark_filter='bm_pool_reml_k11|bm_pool_reml_k/' \
  --benchmark_min_time=0.5 --benchmark_format=json >"$json" 2>/dev/null
[ -x "$build/bench/sensitivity_bench" ] || cmake --build "$build" --target sensitivity_bench >/dev/null
json2=$(mktemp)
"$build/bench/sensitivity_bench" \
  --benchmark_filter='bm_permtest_exact_k11|bm_gosh/12/' \
  --benchmark_format=json >"$json2" 2>/dev/null
# gosh_stream in a process of its own: after bm_gosh's large results were freed, glibc served its
# 1.8 MB sample from the top of the heap and trimmed it again after each call, so every call
# page-faulted it anew (62,000 faults in 93 calls, 7 ms a call instead of 0.9 ms on the VM we
# measure on). Since 2026-12-02 every benchmark keeps its freed memory
# (bench/support/steady_heap.cpp), which also ended that; the separate process stays.
json6=$(mktemp)
"$build/bench/sensitivity_bench" --benchmark_filter='bm_gosh_stream/16/0/0' \
  --benchmark_format=json >"$json6" 2>/dev/null
[ -x "$build/bench/batch_bench" ] || cmake --build "$build" --target batch_bench >/dev/null
json5=$(mktemp)
"$build/bench/batch_bench" --benchmark_filter='bm_batch/10000' --benchmark_format=json >"$json5" 2>/dev/null
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
echo "  GOSH, all 4,095 subsets of 12 studies (gosh(), every fit kept): DL $(fmt_s "$(srma_time bm_gosh/12/0/real_time "$json2")"), REML $(fmt_s "$(srma_time bm_gosh/12/1/real_time "$json2")")"
s_g16=$(srma_time bm_gosh_stream/16/0/0/real_time "$json6")
s_b4=$(srma_time bm_batch/10000/real_time "$json5")
echo "  GOSH, all 65,535 subsets of 16 studies, DL, streamed (gosh_stream(): histogram, per-study sums, sample): $(fmt_s "$s_g16")"
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(metafor)' >/dev/null 2>&1; then
  echo "metafor not installed: skipping the comparison"
else
echo "metafor $(Rscript -e 'cat(as.character(packageVersion("metafor")))' 2>/dev/null) (rma + confint + predict):"
Rscript tools/bench_metafor.R "$ks" "$with_perm" 2>/dev/null | tail -n +2 | while IFS=, read -r case k secs; do
  if [ "$case" = bcg11 ]; then s=$(srma_time bm_pool_reml_k11);
  elif [ "$case" = permtest11 ]; then s=$(srma_time bm_permtest_exact_k11/real_time "$json2");
  elif [ "$case" = gosh12dl ]; then s=$(srma_time bm_gosh/12/0/real_time "$json2");
  elif [ "$case" = gosh12reml ]; then s=$(srma_time bm_gosh/12/1/real_time "$json2"); else
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

# Issue 15: leave-one-out, influence diagnostics and the small-study tests, srma (Google
# Benchmark, the full fit included) against metafor on the same data in the same run.
json4=$(mktemp)
"$build/bench/sensitivity_bench" \
  --benchmark_filter='bm_leave1out_bcg|bm_influence_bcg|bm_bias_all|bm_leave1out/100/|bm_influence/100/' \
  --benchmark_min_time=0.5 --benchmark_format=json >"$json4" 2>/dev/null
sens_name() {  # the benchmark that times what metafor's case $1 (k = $2) times
  case "$1" in
    leave1out_bcg) echo bm_leave1out_bcg ;;
    influence_bcg) echo bm_influence_bcg ;;
    bias_bcg) echo bm_bias_all ;;
    *) echo "bm_$1/$2/real_time" ;;
  esac
}
echo "srma sensitivity and bias (Google Benchmark):"
for c in leave1out_bcg:13 influence_bcg:13 bias_bcg:13 leave1out:100 influence:100; do
  echo "  ${c%%:*} k = ${c##*:}: $(fmt_s "$(srma_time "$(sens_name "${c%%:*}" "${c##*:}")" "$json4")")"
done
if command -v Rscript >/dev/null && Rscript -e 'library(metafor)' >/dev/null 2>&1; then
  echo "metafor (leave1out, influence, regtest x2 + ranktest + trimfill + fsn x3, each with rma):"
  Rscript tools/bench_metafor.R 100 none sensitivity 2>/dev/null |
    grep -E '^(leave1out|influence|bias)' | while IFS=, read -r case k secs; do
      s=$(srma_time "$(sens_name "$case" "$k")" "$json4")
      python3 -c "print(f'  {\"$case\"} k = {$k}: metafor {$secs:.4g} s, srma {$s:.3g} s, ratio {$secs/$s:,.0f}x')"
    done
fi
rm -f "$json4"

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

# Issue 14: whole-process times (/usr/bin/time: wall seconds and peak memory) of srma on data
# written here, and metafor on the same files.
srma="$build/srma"
[ -x "$srma" ] || cmake --build "$build" --target srma_cli >/dev/null
data=$(mktemp -d)
python3 - "$data" <<'PY'
import random, sys, math
d = sys.argv[1]
random.seed(42)
with open(f"{d}/k1e6.csv", "w") as f:          # one meta-analysis of 10^6 studies
    f.write("yi,vi\n")
    for _ in range(10**6):
        v = random.uniform(0.01, 0.5)
        f.write(f"{-0.3 + random.gauss(0, math.sqrt(0.05)) + random.gauss(0, math.sqrt(v)):.6f},{v:.6f}\n")
for name, m in (("batch1e4", 10**4), ("batch1e5", 10**5)):   # m meta-analyses of 10 studies
    with open(f"{d}/{name}.csv", "w") as f:
        f.write("id,yi,vi\n")
        for j in range(m):
            mu = random.gauss(0, 0.3)
            for _ in range(10):
                v = random.uniform(0.01, 0.5)
                f.write(f"m{j},{mu + random.gauss(0, math.sqrt(0.05)) + random.gauss(0, math.sqrt(v)):.6f},{v:.6f}\n")
with open(f"{d}/gosh16.csv", "w") as f:         # 16 studies for exhaustive GOSH
    f.write("study,yi,vi\n")
    for i in range(16):
        v = random.uniform(0.01, 0.5)
        f.write(f"S{i+1},{-0.3 + random.gauss(0, math.sqrt(0.05)) + random.gauss(0, math.sqrt(v)):.6f},{v:.6f}\n")
# 30 studies: the 13 BCG trials (log risk ratios) and 17 simulated ones; the first 24 for REML.
bcg_y = [-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209, 0.0120, -0.4694,
         -1.3713, -0.3394, 0.4459, -0.0173]
bcg_v = [0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040, 0.0564, 0.0730,
         0.0124, 0.5325, 0.0714]
random.seed(30)
rows = [(f"BCG{i+1}", y, v) for i, (y, v) in enumerate(zip(bcg_y, bcg_v))]
for i in range(17):
    v = random.uniform(0.01, 0.5)
    rows.append((f"S{i+1}", -0.7 + random.gauss(0, math.sqrt(0.3)) + random.gauss(0, math.sqrt(v)), v))
for k in (24, 30):
    with open(f"{d}/gosh{k}.csv", "w") as f:
        f.write("study,yi,vi\n")
        for r in rows[:k]:
            f.write(f"{r[0]},{r[1]:.6f},{r[2]:.6f}\n")
PY
whole() {  # prints "seconds MB user-seconds" of the command, its output discarded
  /usr/bin/time -f "%e %M %U" -o "$data/time" "$@" >/dev/null 2>"$data/err" || true
  awk '{printf "%s %.0f %s", $1, $2 / 1024, $3}' "$data/time"
}
echo "srma whole process (wall seconds, peak memory):"
read -r t_file m_file _ <<<"$(whole "$srma" pool "$data/k1e6.csv" --model random)"
echo "  srma pool, 10^6 studies (yi,vi; REML, text report): ${t_file} s, ${m_file} MB"
read -r t_b4 m_b4 _ <<<"$(whole "$srma" batch "$data/batch1e4.csv" --id id --hksj --quiet --out "$data/b4.csv")"
echo "  srma batch, 10^4 meta-analyses of 10 studies (REML, Q-profile CI, HKSJ): ${t_b4} s, ${m_b4} MB"
read -r t_b5 m_b5 _ <<<"$(whole "$srma" batch "$data/batch1e5.csv" --id id --hksj --quiet --out "$data/b5.csv")"
echo "  srma batch, 10^5 meta-analyses of 10 studies: ${t_b5} s, ${m_b5} MB"
read -r t_g m_g _ <<<"$(whole "$srma" gosh "$data/gosh16.csv" --tau2 DL -o "$data/gosh.svg")"
echo "  srma gosh, all 65,535 subsets of 16 studies (DL, with its SVG figure): ${t_g} s, ${m_g} MB"
read -r t_v m_v _ <<<"$(whole "$srma" --version)"
echo "  srma --version (start-up alone): ${t_v} s, ${m_v} MB"
if [ "$with_gosh30" != none ]; then
  read -r t_30 m_30 u_30 <<<"$(whole "$srma" gosh "$data/gosh30.csv" --tau2 DL --max-subsets 1073741823 -o "$data/gosh30.svg")"
  echo "  srma gosh, all 1,073,741,823 subsets of 30 studies (DL, with its SVG figure): ${t_30} s wall, ${u_30} s CPU, ${m_30} MB; $(python3 -c "print(f'{$u_30 / 1073741823 * 1e9:.1f}')") ns of CPU per subset"
  read -r t_24 m_24 u_24 <<<"$(whole "$srma" gosh "$data/gosh24.csv" --tau2 REML --max-subsets 16777215 -o "$data/gosh24.svg")"
  echo "  srma gosh, all 16,777,215 subsets of 24 studies (REML, with its SVG figure): ${t_24} s wall, ${u_24} s CPU, ${m_24} MB"
fi
echo "  (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
if command -v Rscript >/dev/null && Rscript -e 'library(metafor)' >/dev/null 2>&1; then
  echo "metafor, the same files:"
  Rscript tools/bench_metafor.R 10 none scale "$data" 2>/dev/null | grep -E '^(batch|gosh16|gosh16whole),' |
    while IFS=, read -r case n secs; do
      if [ "$case" = batch ]; then
        python3 -c "print(f'  batch: rma(REML, knha) + confint + predict per meta-analysis {$secs*1e3:.3g} ms (loop over $n ids), 10^4: {$secs*1e4:.4g} s; srma $t_b4 s whole process, ratio {$secs*1e4/$t_b4:,.0f}x; srma in process (pool_batch, bm_batch/10000) {$s_b4*1e3:.3g} ms, ratio {$secs*1e4/$s_b4:,.0f}x')"
      elif [ "$case" = gosh16 ]; then
        python3 -c "print(f'  gosh16: gosh() {$secs:.3g} s; srma $t_g s whole process, ratio {$secs/$t_g:,.0f}x; srma in process (gosh_stream) {$s_g16*1e3:.3g} ms, ratio {$secs/$s_g16:,.0f}x')"
      else
        python3 -c "print(f'  gosh16, whole process (Rscript: load metafor, read the file, rma, gosh, plot to SVG) {$secs:.3g} s; srma $t_g s whole process, ratio {$secs/$t_g:,.0f}x')"
      fi
    done
  echo "  10^6-study file: metafor's rma() builds k x k matrices (cannot allocate at k = 10^5); not run"
else
  echo "metafor not installed: skipping the comparison"
fi
rm -rf "$data" "$json5" "$json6"
