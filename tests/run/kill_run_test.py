#!/usr/bin/env python3
"""Atomic reports of `srma run` under SIGKILL (issue 15, item 5; docs/reliability.md).

    tests/run/kill_run_test.py SRMA_BINARY SOURCE_DIR [--cycles N] [--seed N] [--work DIR]

srma promises that a report folder (-o DIR) holds, at every moment, either the complete report of
one run or the complete report of another, never a mix: the report is built in a hidden folder
beside DIR and swapped in with one rename(2) (src/run/run.cpp, write_files), and a lock (flock)
beside DIR keeps two runs apart. This test writes two small plans with different outputs
(plan A: the BCG trials, one pooled analysis; plan B: Normand 1999, a pooled analysis and
leave-one-out, so B has files A lacks and every shared file differs), makes a reference report
of each, and then over and over:

  1. starts `srma run` of the plan whose report is not in DIR now (so old and new differ) and
     kills it with SIGKILL: on even cycles after a random delay drawn uniformly from
     [0, 1.1 T] (T the wall time of the last run that completed), on odd cycles the moment the
     hidden staging folder appears beside DIR plus 0-40 ms, which lands the kill while the
     report's files are written or during the swap;
  2. checks DIR: it holds exactly the files of the old report or of the new one, byte for byte
     (the marker file .srma-report included), and no *.tmp file; a run that finished before
     its kill must have exited 0 and left the new report;
  3. every third cycle, runs the other plan to completion: it must exit 0 (a lock left by a
     killed run must not block it: flock locks die with their process) and leave its reference
     report, and no staging folder (.DIR.srma-new-*, .DIR.srma-old-*) may remain beside DIR.

The number of cycles is --cycles, or the environment variable SRMA_KILL_RUN_CYCLES when set
(ctest runs 20, about 60 s on a loaded machine; docs/reliability.md records a run of 300). The
report at the end counts kills that left the old report, kills that left the new one (the swap
was done, the program not yet exited) and runs that finished before their kill.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAN_A = """[review]
title = "Kill test A"
[data]
file = "bcg.csv"
measure = "RR"
[figures]
formats = ["svg"]
[model]
model = "random"
[[analysis]]
type = "pool"
"""

PLAN_B = """[review]
title = "Kill test B"
[data]
file = "normand1999.csv"
measure = "MD"
[figures]
formats = ["svg"]
[model]
model = "random"
[[analysis]]
type = "pool"
[[analysis]]
type = "leave1out"
"""


class Failure(Exception):
    pass


def expect(cond: bool, what: str) -> None:
    if not cond:
        raise Failure(what)


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file under `folder` (relative path -> bytes), or None when it does not exist."""
    if not folder.exists():
        return None
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() or p.is_symlink():
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def describe(snap: dict[str, bytes] | None, refs: dict[str, dict[str, bytes]]) -> str:
    if snap is None:
        return "no folder"
    for name, ref in refs.items():
        if snap == ref:
            return f"report {name}"
    lines = [f"{len(snap)} files matching neither report:"]
    for name, ref in refs.items():
        missing = sorted(set(ref) - set(snap))
        extra = sorted(set(snap) - set(ref))
        differ = sorted(k for k in set(ref) & set(snap) if ref[k] != snap[k])
        lines.append(f"  vs {name}: missing {missing[:5]}, extra {extra[:5]}, differ {differ[:5]}")
    return "\n".join(lines)


def leftovers(parent: Path, name: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir()
                  if p.name.startswith(f".{name}.srma-new-") or p.name.startswith(f".{name}.srma-old-"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("srma")
    ap.add_argument("source_dir")
    ap.add_argument("--cycles", type=int, default=int(os.environ.get("SRMA_KILL_RUN_CYCLES", "20")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("SRMA_KILL_RUN_SEED", "15")))
    ap.add_argument("--work", help="work folder (default: a new temporary folder, removed after)")
    args = ap.parse_args()
    srma = str(Path(args.srma).resolve())
    src = Path(args.source_dir)
    rng = random.Random(args.seed)

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="srma-kill-run-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    plans = {}
    for name, text, data in (("A", PLAN_A, src / "examples/bcg/bcg.csv"),
                             ("B", PLAN_B, src / "examples/normand1999/normand1999.csv")):
        d = work / name
        d.mkdir()
        shutil.copy(data, d / data.name)
        (d / "plan.toml").write_text(text)
        plans[name] = d / "plan.toml"

    def run(plan: str, out: Path) -> tuple[subprocess.CompletedProcess, float]:
        t0 = time.monotonic()
        p = subprocess.run([srma, "run", str(plans[plan]), "-o", str(out)],
                           capture_output=True, text=True)
        return p, time.monotonic() - t0

    refs: dict[str, dict[str, bytes]] = {}
    last_time = 0.0
    for name in plans:
        p, t = run(name, work / f"ref-{name}")
        expect(p.returncode == 0, f"reference run of plan {name} failed:\n{p.stderr}")
        refs[name] = snapshot(work / f"ref-{name}")
        last_time = max(last_time, t)
    p, _ = run("A", work / "ref-A-again")
    expect(snapshot(work / "ref-A-again") == refs["A"], "two runs of plan A differ: not deterministic")
    shared = set(refs["A"]) & set(refs["B"])
    expect(set(refs["B"]) - set(refs["A"]) != set(), "plan B must have files plan A lacks")
    expect(all(refs["A"][k] != refs["B"][k] for k in shared), "a file shared by A and B is equal")

    out = work / "report"
    parent = out.parent
    current: str | None = None  # the report DIR holds (None: no folder yet)
    counts = {"old": 0, "new": 0, "finished": 0, "staging_seen": 0, "completed_runs": 0}
    try:
        for cycle in range(args.cycles):
            plan = "B" if current == "A" else "A"
            proc = subprocess.Popen([srma, "run", str(plans[plan]), "-o", str(out)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            t0 = time.monotonic()
            if cycle % 2 == 0:
                deadline = t0 + rng.uniform(0, 1.1 * last_time)
                while time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.002)
            else:
                # Kill once the staging folder exists (the report is being written), plus a
                # random 0-40 ms that moves the kill across the writes and the swap.
                while proc.poll() is None and time.monotonic() - t0 < 10 * last_time + 5:
                    if leftovers(parent, out.name):
                        counts["staging_seen"] += 1
                        time.sleep(rng.uniform(0, 0.04))
                        break
                    time.sleep(0.0005)
            finished = proc.poll() is not None
            if not finished:
                proc.send_signal(signal.SIGKILL)
            rc = proc.wait()
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            snap = snapshot(out)
            where = f"cycle {cycle} (plan {plan} over {current or 'nothing'})"
            if snap is not None:
                tmp = [k for k in snap if k.endswith(".tmp")]
                expect(not tmp, f"{where}: .tmp files left in the report folder: {tmp}")
            if finished and rc != -signal.SIGKILL:
                expect(rc == 0, f"{where}: the run ended with exit {rc} before its kill:\n{err}")
                expect(snap == refs[plan], f"{where}: finished run left {describe(snap, refs)}")
                counts["finished"] += 1
                current = plan
            elif snap == refs[plan]:
                counts["new"] += 1
                current = plan
            else:
                old = refs[current] if current else None
                expect(snap == old,
                       f"{where}: after SIGKILL the folder holds {describe(snap, refs)}")
                counts["old"] += 1
            if cycle % 3 == 2:
                plan = "B" if current == "A" else "A"
                p, t = run(plan, out)
                expect(p.returncode == 0,
                       f"cycle {cycle}: the run after a kill failed (exit {p.returncode}):\n"
                       f"{p.stderr}")
                snap = snapshot(out)
                expect(snap == refs[plan],
                       f"cycle {cycle}: the run after a kill left {describe(snap, refs)}")
                left = leftovers(parent, out.name)
                expect(not left, f"cycle {cycle}: staging folders left after a run: {left}")
                current = plan
                last_time = t
                counts["completed_runs"] += 1
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        print(f"work folder kept: {work}", file=sys.stderr)
        return 1
    print(f"{args.cycles} cycles: {counts['old']} kills left the old report, {counts['new']} the "
          f"new one (after the swap), {counts['finished']} runs finished before their kill; "
          f"{counts['staging_seen']} kills aimed at the writing of the staging folder; "
          f"{counts['completed_runs']} runs after kills completed; last run {last_time:.2f} s")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
