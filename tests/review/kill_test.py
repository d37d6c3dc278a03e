#!/usr/bin/env python3
"""Durability of the review project when a command is killed (issue 11).

    tests/review/kill_test.py SRMA_BINARY FIXTURE_DIR [--rounds N] [--records N] [--seed N]

srma promises that every mutating command is one transaction, so that a program killed half-way
leaves the project as it was before the command (include/srma/project/project.hpp). This test
starts such commands and kills them with SIGKILL after a random delay, over and over:

  - `srma review import` of a generated Embase-like RIS file (--records records, 2000 by default);
  - `srma review dedup` of everything imported so far;
  - `srma review screen import` of a big sheet: a new reviewer's votes on every record to screen.

After each kill it first runs `srma review check` (must exit 0 with "all invariants hold"), then
opens the SQLite file read-only to verify:

  - every import batch holds exactly the records it says, all batches of generated files hold
    --records records, and the project holds the fixture files' records plus whole generated
    batches; `srma review status` lists the same batches;
  - the killed command took effect entirely or not at all: the batch is there with all its
    records or absent; the de-duplication run is there or not; the reviewer's votes are all
    there or none;
  - every vote that an earlier completed `screen import` reported as recorded is still there,
    unchanged.

Then it runs the killed command again: it must succeed, except an import whose kill came after
its commit, which must fail with srma.project.E666 (content imported before) and import nothing.
The project starts with the fixture files pubmed.nbib and embase.ris of FIXTURE_DIR.

The delay before the kill is drawn uniformly from 0 to max(300 ms, 1.1 T), where T is the time
the same kind of command last took when run to completion, so that kills land before, during
and after the commit even on a slow machine (an import of 3000 records reads and parses for the
first quarter of its time, writes its transaction in the next 40%, and checkpoints the WAL into
the database on closing in the rest). Every other cycle of the three commands instead kills each
command the moment its transaction has written to the WAL file (polled every 0.5 ms), which
lands the kill inside the transaction or just after its commit (--no-on-write: random delays
only). The report counts the kills that
landed before the commit (nothing of the command stored; how many of them came while the
transaction was writing, i.e. the WAL file had grown), after it (everything stored, the program
not yet exited), and the commands that finished before their kill was due.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("tumour resection liver pancreas surgery outcome survival cohort enucleation metastases "
         "lymph node laparoscopic robotic hepatectomy recurrence endoscopic somatostatin analogue "
         "imaging octreotide insulinoma gastrinoma duodenal gastric rectal appendiceal carcinoid "
         "syndrome fibrosis debulking transplantation chemotherapy everolimus sunitinib lanreotide "
         "quality life complication fistula morbidity mortality staging grading biopsy").split()
NAMES = ("Smith Jones Brown Garcia Muller Rossi Dubois Tanaka Kim Chen Nowak Silva Hansen Ahmed "
         "Khan Fischer Becker Moreau Lindqvist Andersson").split()


class Failure(Exception):
    pass


def expect(cond: bool, what: str) -> None:
    if not cond:
        raise Failure(what)


def generate_ris(path: Path, n: int, file_no: int, rng: random.Random) -> None:
    """n Embase-like RIS records (CRLF), distinct from each other and from every other file."""
    lines = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(10)).capitalize()
        rec = [("TY", "JOUR"), ("M3", "Article"), ("Y1", str(rng.randint(2000, 2024))),
               ("T1", f"{title}: series {file_no}, report {i}")]
        rec += [("A1", f"{rng.choice(NAMES)} {rng.choice('ABCDEFGHJKLMNPRST')}.")
                for _ in range(rng.randint(1, 6))]
        rec += [("JF", f"Journal of {rng.choice(WORDS).capitalize()} Research"),
                ("VL", str(rng.randint(1, 300))), ("IS", str(rng.randint(1, 12))),
                ("SP", str(rng.randint(1, 3000))),
                ("N2", " ".join(rng.choice(WORDS) for _ in range(60))),
                ("DO", f"10.5555/gen.{file_no}.{i}"), ("U2", f"L9{file_no:03d}{i:06d}"),
                ("DB", "Embase")]
        lines += [f"{tag}  - {value}" for tag, value in rec] + ["ER  - ", ""]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))


class Project:
    def __init__(self, srma: str, folder: Path):
        self.srma = srma
        self.dir = folder
        self.db = folder / "review.srma.sqlite"

    def argv(self, *args: str) -> list[str]:
        return [self.srma, "review", *args, "--project", str(self.dir)]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.argv(*args), capture_output=True, text=True, timeout=300)

    def run_ok(self, *args: str) -> subprocess.CompletedProcess:
        r = self.run(*args)
        expect(r.returncode == 0,
               f"'srma review {' '.join(args)}' exited with {r.returncode}:\n{r.stdout}{r.stderr}")
        return r

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()


class Killer:
    """Starts a command, kills it after a random delay, and says whether it finished first."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.duration: dict[str, float] = {}  # last full run of each kind, seconds

    def draw_delay(self, kind: str) -> float:
        return self.rng.uniform(0.0, max(0.3, 1.1 * self.duration.get(kind, 0.0)))

    def run_and_kill(self, kind: str, argv: list[str], wal: Path,
                     on_write: bool) -> tuple[bool, float, bool]:
        """Runs argv and kills it after a random delay, or (on_write) as soon as its transaction
        has written to the WAL. Returns (finished before the kill, delay, the WAL had grown when
        the kill came)."""
        delay = self.draw_delay(kind)
        wal_before = wal.stat().st_size if wal.exists() else 0

        def wal_size() -> int:
            try:
                return wal.stat().st_size
            except FileNotFoundError:
                return 0

        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wal_grew = False
        finished = False
        if on_write:
            while p.poll() is None and time.monotonic() - t0 < 300:
                if wal_size() > wal_before:
                    break
                time.sleep(0.0005)
            delay = time.monotonic() - t0
            finished = p.poll() is not None
        else:
            try:
                p.wait(timeout=delay)
                finished = True
            except subprocess.TimeoutExpired:
                pass
        if not finished:
            wal_grew = wal_size() > wal_before
            p.send_signal(signal.SIGKILL)
        out, err = p.communicate()
        if not finished and p.returncode == 0:
            finished = True  # it exited between the end of the wait and the kill
        if finished:
            expect(p.returncode == 0, f"{kind} exited with {p.returncode}:\n{out}{err}")
        else:
            expect(p.returncode == -signal.SIGKILL,
                   f"{kind} ended with {p.returncode}, not by SIGKILL:\n{out}{err}")
        return finished, delay, wal_grew

    def timed(self, kind: str, fn, full: bool = True):
        """Runs fn; when it does the command's whole work, its time sets the next delays."""
        t0 = time.monotonic()
        r = fn()
        if full:
            self.duration[kind] = time.monotonic() - t0
        return r


class State:
    """What completed commands stored, to compare with the database after every kill."""

    def __init__(self, fixture_records: int, per_file: int):
        self.fixture_records = fixture_records
        self.per_file = per_file
        self.generated_batches = 0  # generated files whose import committed
        self.votes: dict[str, set[tuple[int, str]]] = {}  # reviewer -> {(record, vote)}


def verify(project: Project, state: State, label: str) -> None:
    """The project passes `check`, holds whole batches only, and keeps every recorded vote."""
    r = project.run("check")
    expect(r.returncode == 0 and "all invariants hold" in r.stdout,
           f"{label}: `srma review check` exited with {r.returncode}:\n{r.stdout}{r.stderr}")
    m = re.search(r": (\d+) records in (\d+) batches, (\d+) decisions", r.stdout)
    expect(m is not None, f"{label}: cannot read the totals of `check`:\n{r.stdout}")
    records, batches, decisions = map(int, m.groups())

    rows = project.query("SELECT b.id, b.file, b.records, (SELECT COUNT(*) FROM record r "
                         "WHERE r.batch = b.id) FROM import_batch b ORDER BY b.id")
    for bid, file, said, held in rows:
        expect(said == held, f"{label}: batch {bid} ({file}) says {said} records, holds {held}")
        if file.endswith(".ris") and "gen_" in file:
            expect(held == state.per_file, f"{label}: batch {bid} holds {held} of "
                   f"{state.per_file} generated records")
    expect(len(rows) == batches and sum(r[3] for r in rows) == records,
           f"{label}: check counts {records} records in {batches} batches; the database "
           f"{sum(r[3] for r in rows)} in {len(rows)}")
    n_total = project.query("SELECT COUNT(*) FROM record")[0][0]
    expect(n_total == records, f"{label}: {n_total} records in the database, check says {records}")
    want = state.fixture_records + state.per_file * state.generated_batches
    expect(records == want and batches == 2 + state.generated_batches,
           f"{label}: {records} records in {batches} batches, expected the fixtures' "
           f"{state.fixture_records} plus {state.generated_batches} whole batches of "
           f"{state.per_file} = {want}")
    status = project.run_ok("status").stdout
    listed = re.findall(r"^  batch (\d+): (\d+) records from ", status, re.M)
    expect([(int(a), int(b)) for a, b in listed] == [(r[0], r[3]) for r in rows],
           f"{label}: `status` lists batches {listed}, the database {[(r[0], r[3]) for r in rows]}")

    for reviewer, votes in state.votes.items():
        stored = set(project.query(
            "SELECT record, vote FROM decision WHERE stage = 'title' AND role = 'reviewer' AND "
            "reviewer = ?", (reviewer,)))
        expect(stored == votes, f"{label}: {reviewer}'s {len(votes)} recorded votes: "
               f"{len(votes - stored)} missing, {len(stored - votes)} unexpected")
    n_dec = project.query("SELECT COUNT(*) FROM decision")[0][0]
    expect(n_dec == decisions,
           f"{label}: {n_dec} decisions in the database, check says {decisions}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("srma")
    ap.add_argument("fixtures")
    ap.add_argument("--rounds", type=int, default=12, help="commands to kill (default 12)")
    ap.add_argument("--records", type=int, default=2000,
                    help="records per generated file (default 2000)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--no-on-write", dest="on_write", action="store_false",
                    help="only random delays (by default every other cycle of the three "
                    "commands kills each as soon as its transaction writes to the WAL)")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(time.time() * 1000) % 1_000_000
    rng = random.Random(seed)
    print(f"kill test: seed {seed} (rerun with --seed {seed}), {a.rounds} rounds, "
          f"{a.records} records per generated file", flush=True)
    fixtures = Path(a.fixtures).resolve()
    work = Path(tempfile.mkdtemp(prefix="srma-review-kill."))
    project = Project(str(Path(a.srma).resolve()), work / "proj")
    killer = Killer(rng)
    counts = {"before commit": 0, "after commit": 0, "finished first": 0}
    mid_write = 0  # kills before the commit that came while the WAL was growing
    per_kind: dict[str, dict[str, int]] = {}
    t_start = time.monotonic()
    try:
        subprocess.run([project.srma, "review", "init", str(project.dir)], check=True,
                       capture_output=True)
        n_fix = 0
        for name, source in (("pubmed.nbib", "PubMed"), ("embase.ris", "Embase")):
            out = project.run_ok("import", str(fixtures / name), "--source", source).stdout
            n_fix += int(re.search(r"Imported (\d+) records", out).group(1))
        state = State(n_fix, a.records)
        removed_at_start = json.loads(project.run_ok("dedup", "--json").stdout)["removed"]
        verify(project, state, "start")
        wal = project.db.with_name(project.db.name + "-wal")

        def check_first(label: str) -> None:
            # The first program to open the project after the kill is `srma review check`.
            r = project.run("check")
            expect(r.returncode == 0 and "all invariants hold" in r.stdout,
                   f"{label}: `srma review check` right after the kill exited with "
                   f"{r.returncode}:\n{r.stdout}{r.stderr}")

        kinds = ["import", "dedup", "screen"]
        for rnd in range(a.rounds):
            kind = kinds[rnd % 3]
            # Every other cycle of the three commands kills each as soon as it writes.
            on_write = a.on_write and (rnd // 3) % 2 == 1
            label = f"round {rnd + 1} ({kind}{', killed on writing' if on_write else ''})"
            if kind == "import":
                path = work / f"gen_{state.generated_batches + 1:03d}.ris"
                generate_ris(path, a.records, state.generated_batches + 1, rng)
                argv = project.argv("import", str(path), "--source", "Generated")
                finished, delay, wal_grew = killer.run_and_kill(kind, argv, wal, on_write)
                check_first(label)
                present = project.query("SELECT records FROM import_batch WHERE file = ?",
                                        (str(path),))
                committed = bool(present)
                if committed:
                    state.generated_batches += 1
                verify(project, state, label)
                r = killer.timed(kind, lambda: project.run("import", str(path), "--source",
                                                           "Generated"), full=not committed)
                if committed:
                    expect(r.returncode == 3 and "srma.project.E666" in r.stderr,
                           f"{label}: re-import after a committed import gave {r.returncode}:\n"
                           f"{r.stdout}{r.stderr}")
                else:
                    expect(r.returncode == 0 and f"Imported {a.records} records" in r.stdout,
                           f"{label}: re-import gave {r.returncode}:\n{r.stdout}{r.stderr}")
                    state.generated_batches += 1
                rerun = "E666" if committed else "imported"
            elif kind == "dedup":
                runs_before = project.query("SELECT COUNT(*) FROM dedup_run")[0][0]
                finished, delay, wal_grew = killer.run_and_kill(kind, project.argv("dedup"), wal,
                                                                on_write)
                check_first(label)
                runs_after = project.query("SELECT COUNT(*) FROM dedup_run")[0][0]
                expect(runs_after in (runs_before, runs_before + 1),
                       f"{label}: {runs_after - runs_before} new de-duplication runs")
                committed = runs_after == runs_before + 1
                if committed:
                    n = project.query("SELECT records FROM dedup_run ORDER BY id DESC LIMIT 1")
                    n_rec = project.query("SELECT COUNT(*) FROM record")[0][0]
                    expect(n[0][0] == n_rec, f"{label}: the run compared {n[0][0]} of {n_rec}")
                verify(project, state, label)
                r = killer.timed(kind, lambda: project.run("dedup", "--json"))
                expect(r.returncode == 0, f"{label}: dedup again gave {r.returncode}:\n{r.stderr}")
                removed = json.loads(r.stdout)["removed"]
                expect(removed == removed_at_start,
                       f"{label}: {removed} records removed as duplicates, {removed_at_start} "
                       "before (the generated records duplicate nothing)")
                rerun = "ran"
            else:
                reviewer = f"R{rnd + 1:02d}"
                sheet = work / f"{reviewer}.csv"
                project.run_ok("screen", "export", "--reviewer", reviewer, "-o", str(sheet))
                with open(sheet, newline="", encoding="utf-8") as f:
                    rows = list(csv.reader(f))
                header, body = rows[0], rows[1:]
                expect(len(body) > 1000, f"{label}: only {len(body)} records to screen")
                col = header.index("decision")
                votes = set()
                for row in body:
                    row[col] = rng.choice(["include", "exclude", "maybe"])
                    votes.add((int(row[0]), row[col]))
                with open(sheet, "w", newline="", encoding="utf-8") as f:
                    csv.writer(f, lineterminator="\n").writerows([header] + body)
                argv = project.argv("screen", "import", str(sheet), "--reviewer", reviewer)
                finished, delay, wal_grew = killer.run_and_kill(kind, argv, wal, on_write)
                check_first(label)
                n = project.query("SELECT COUNT(*) FROM decision WHERE reviewer = ?",
                                  (reviewer,))[0][0]
                expect(n in (0, len(votes)),
                       f"{label}: {n} of {len(votes)} votes of {reviewer} stored (half a sheet)")
                committed = n == len(votes)
                if committed:
                    state.votes[reviewer] = votes
                verify(project, state, label)
                r = killer.timed(kind, lambda: project.run("screen", "import", str(sheet),
                                                           "--reviewer", reviewer),
                                 full=not committed)
                want = (f"Recorded 0 reviewer votes by {reviewer}" if committed else
                        f"Recorded {len(votes)} reviewer votes by {reviewer}")
                expect(r.returncode == 0 and want in r.stdout,
                       f"{label}: importing the sheet again gave {r.returncode}, expected "
                       f"'{want}':\n{r.stdout}{r.stderr}")
                state.votes[reviewer] = votes
                rerun = "0 new votes" if committed else f"{len(votes)} votes"
            verify(project, state, label + ", after the rerun")
            where = ("finished first" if finished else
                     "after commit" if committed else "before commit")
            counts[where] += 1
            per_kind.setdefault(kind, {}).setdefault(where, 0)
            per_kind[kind][where] += 1
            if where == "before commit" and wal_grew:
                mid_write += 1
                where += " (the WAL had grown: killed while writing)"
            full = killer.duration.get(kind)
            full_text = f"{1000 * full:.0f} ms" if full is not None else "not measured yet"
            print(f"{label}: {'killed after' if not finished else 'kill due at'} "
                  f"{1000 * delay:.0f} ms (last full run {full_text}): {where}; "
                  f"check passed; rerun: {rerun}", flush=True)
        print(f"kills before commit: {counts['before commit']} ({mid_write} of them while the "
              f"transaction was writing), after commit: {counts['after commit']}; commands that "
              f"finished before their kill: {counts['finished first']}")
        for kind, c in per_kind.items():
            print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
        n = project.query("SELECT COUNT(*) FROM record")[0][0]
        print(f"PASS: {a.rounds} rounds in {time.monotonic() - t_start:.1f} s; the project holds "
              f"{n} records in {2 + state.generated_batches} batches and "
              f"{sum(len(v) for v in state.votes.values())} votes")
        return 0
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        print(f"(seed {seed}; work folder {work} kept)", file=sys.stderr)
        a.keep = True
        return 1
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
