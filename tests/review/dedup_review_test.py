#!/usr/bin/env python3
"""`srma review dedup --review` (issue 11, item 3): a person settles the uncertain pairs one by one.

    tests/review/dedup_review_test.py SRMA_BINARY

Two pairs of records that agree in title, authors, journal, year and volume but not in pages
(srma lists such pairs as uncertain, reason pages_differ: docs/review.md, "Rules") are imported.
Checked:
  1. an answer that is not y/n/s/q is asked again, not taken as "skip";
  2. "y" groups the pair at once; end of input stops the session and keeps what was answered;
  3. a later session sees only the pair still open, and "n" settles it as distinct;
  4. every verdict is written as it is given: the process killed (SIGKILL) while it waits for the
     second answer leaves the first verdict in the project and the second pair open.
Exits non-zero at the first mismatch.
"""
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

RECORD = """TY  - JOUR
TI  - {title}
AU  - {a1}
AU  - {a2}
PY  - {year}
JO  - {journal}
VL  - {volume}
SP  - {sp}
EP  - {ep}
ER  - 
"""
PAIRS = [
    dict(title="Eculizumab in atypical haemolytic uraemic syndrome: outcomes of a national cohort",
         a1="Smith, John", a2="Doe, Jane", year=2015, journal="Kidney International", volume=88,
         pages=[(100, 110), (200, 210)]),
    dict(title="Primary tumour resection in small intestinal neuroendocrine tumours with liver "
               "metastases", a1="Brown, Anna", a2="Green, Paul", year=2019,
         journal="Annals of Surgery", volume=270, pages=[(50, 58), (150, 158)]),
]


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def ok(msg):
    print(f"ok: {msg}")


def run(srma, *args, stdin=""):
    r = subprocess.run([srma, *args], input=stdin, capture_output=True, text=True, timeout=60)
    return r


def fresh_project(srma, work, name):
    ris = os.path.join(work, f"{name}.ris")
    with open(ris, "w", encoding="utf-8") as f:
        for p in PAIRS:
            for sp, ep in p["pages"]:
                f.write(RECORD.format(sp=sp, ep=ep, **p) + "\n")
    proj = os.path.join(work, name)
    for args in (["review", "init", proj], ["review", "import", ris, "--source", "Embase",
                                             "--project", proj]):
        r = run(srma, *args)
        if r.returncode != 0:
            fail(f"{' '.join(args)}: {r.stderr}")
    return proj


def dedup_json(srma, proj):
    r = run(srma, "review", "dedup", "--json", "--project", proj)
    if r.returncode != 0:
        fail(f"dedup --json: {r.stderr}")
    d = json.loads(r.stdout)
    return d["groups"], [u[:2] for u in d["uncertain"]]


def main():
    if len(sys.argv) != 2:
        print("usage: dedup_review_test.py SRMA_BINARY", file=sys.stderr)
        return 2
    srma = os.path.realpath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="srma-dedup-review.") as work:
        proj = fresh_project(srma, work, "p")
        groups, uncertain = dedup_json(srma, proj)
        # Records are numbered #1..#4 in file order; each pair differs only in its pages.
        if groups != [] or uncertain != [["#1", "#2"], ["#3", "#4"]]:
            fail(f"before review: groups {groups}, uncertain {uncertain}")
        ok("two uncertain pairs, no group")

        r = run(srma, "review", "dedup", "--review", "--project", proj, stdin="y\n")
        if r.returncode == 0 or "--reviewer" not in r.stderr:
            fail(f"--review without --reviewer: rc {r.returncode}, {r.stderr!r}")
        ok("--review needs --reviewer")

        # 1 and 2: "maybe" is asked again; "y" settles pair 1; input ends at pair 2.
        r = run(srma, "review", "dedup", "--review", "--reviewer", "C", "--project", proj,
                stdin="maybe\ny\n")
        if r.returncode != 0:
            fail(f"review session 1: rc {r.returncode}: {r.stderr}")
        if "'maybe' is not an answer: type y, n, s or q." not in r.stdout:
            fail(f"an invalid answer was not asked again:\n{r.stdout}")
        if r.stdout.count("Same article?") != 3:  # pair 1 twice, pair 2 once
            fail(f"expected 3 questions:\n{r.stdout}")
        if "Recorded 1 verdicts by C; 1 records removed as duplicates now." not in r.stdout:
            fail(f"session 1 summary:\n{r.stdout}")
        groups, uncertain = dedup_json(srma, proj)
        if groups != [["#1", "#2"]] or uncertain != [["#3", "#4"]]:
            fail(f"after session 1: groups {groups}, uncertain {uncertain}")
        ok("an invalid answer is asked again; 'y' grouped pair 1; pair 2 still open")

        # 3: the next session shows only pair 2; "n" settles it.
        r = run(srma, "review", "dedup", "--review", "--reviewer", "C", "--project", proj,
                stdin="n\n")
        if "Pair 1 of 1" not in r.stdout or "[3]" not in r.stdout or "[1]" in r.stdout:
            fail(f"session 2 should show only records 3 and 4:\n{r.stdout}")
        groups, uncertain = dedup_json(srma, proj)
        if groups != [["#1", "#2"]] or uncertain != []:
            fail(f"after session 2: groups {groups}, uncertain {uncertain}")
        r = run(srma, "review", "dedup", "--review", "--reviewer", "C", "--project", proj)
        if "No uncertain pairs await a verdict." not in r.stdout:
            fail(f"session 3:\n{r.stdout}")
        st = run(srma, "review", "status", "--project", proj).stdout
        if "de-duplication: 1 removed, 0 pairs await a verdict" not in st:
            fail(f"status:\n{st}")
        ok("'n' settled pair 2 as distinct; nothing left to review")

        # 4: SIGKILL while the second question waits: the first verdict is already stored.
        proj2 = fresh_project(srma, work, "k")
        dedup_json(srma, proj2)
        proc = subprocess.Popen([srma, "review", "dedup", "--review", "--reviewer", "C",
                                 "--project", proj2], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)
        proc.stdin.write(b"y\n")
        proc.stdin.flush()
        seen = ""
        deadline = time.time() + 30
        while "Pair 2 of 2" not in seen or not seen.rstrip().endswith("[q]uit:"):
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if time.time() > deadline:
                proc.kill()
                fail(f"the second question never came:\n{seen}")
            if ready:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    fail(f"srma ended before the second question:\n{seen}")
                seen += chunk.decode("utf-8")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        groups, uncertain = dedup_json(srma, proj2)
        if groups != [["#1", "#2"]] or uncertain != [["#3", "#4"]]:
            fail(f"after SIGKILL: groups {groups}, uncertain {uncertain}")
        chk = run(srma, "review", "check", "--project", proj2)
        if chk.returncode != 0:
            fail(f"review check after SIGKILL: {chk.stdout}{chk.stderr}")
        ok("killed at the second question: the first verdict is kept, the project checks clean")
    print("dedup review: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
