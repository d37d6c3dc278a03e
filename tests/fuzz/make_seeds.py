#!/usr/bin/env python3
"""Seed inputs for the fuzz targets of tests/fuzz/ (docs/reliability.md).

    tests/fuzz/make_seeds.py SOURCE_DIR OUT_DIR

Writes OUT_DIR/<target>/ for every target: the repository's own example and test files of the
kind the target reads, plus small hand-written inputs for the corners (quotes, separators, BOM,
empty cells, NA, huge and tiny numbers). Targets whose first byte is a selector (studies, nos,
records) get each file with a few selector bytes in front. The committed corpus
tests/fuzz/corpus/<target>/ is these seeds merged (-merge=1) with what fuzzing found, so it keeps
only inputs that add coverage. Files over 64 KB are left out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MAX = 64 * 1024


def repo_files(src: Path, patterns: list[str]) -> list[Path]:
    out = subprocess.run(["git", "-C", str(src), "ls-files", *patterns], check=True,
                         capture_output=True, text=True).stdout.split()
    return [src / p for p in out if (src / p).stat().st_size <= MAX]


CSV_CORNERS = [
    b"a,b\n1,2\n", b"a;b\n1,5;2\n", b"a\tb\n1\t2\n", b"\xef\xbb\xbfa,b\r\n1,2\r\n",
    b'a,b\n"x,""y""",2\n', b'a,b\n"unterminated,2\n', b'a,b\n"x"y,2\n', b"a,a\n1,2\n",
    b",b\n1,2\n", b"a,b\n1\n", b"a,b\n1,2,3\n", b"\n\n\na,b\n\n1,2\n", b"a,b\n\xff\xfe,2\n",
    b"", b"a\n", b'"a\nb",c\n1,2\n',
]
STUDY_CORNERS = [
    b"study,yi,vi\nA,0.1,0.01\nB,-0.2,0.02\nC,NA,0.1\n",
    b"study,yi,sei\nA,1e300,1e-154\nB,-1e-300,1e154\n",
    b"study,hr,lower,upper\nA,0.8,0.6,1.1\nB,1.2,0.9,1.6\n",
    b"study,loghr,se\nA,-0.2,0.1\n",
    b"study,oe,v\nA,-3.2,12.5\n",
    b"study,events_t,n_t,events_c,n_c\nA,0,10,0,12\nB,4,10,2,12\nC,1.5,10,2,12\n",
    b"study;events_t;n_t;events_c;n_c\nA;4;1.234;2;12\n",
    b"study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,5.1,1.2,20,4.8,1.1,22\n",
    b"study,events,n\nA,0,10\nB,10,10\n",
    b"study,ri,ni\nA,0.99999,10\nB,-1,5\n",
    b"study,events,time\nA,3,120.5\nB,0,10\n",
    b"study,events_t,time_t,events_c,time_c\nA,3,100,5,110\n",
    b"study,p,events_t,events_c,direction,n_t,n_c\nA,0.03,20,30,favours treatment,100,100\n",
    b"study,yi,vi,subgroup,year\nA,0.1,0.01,x,1990\nA,0.2,0.01,y,NaN\n",
]
PLAN = b"""title = "t"
data = "studies.csv"
[model]
measure = "RR"
tau2 = "REML"
level = 95
[[analysis]]
type = "pool"
id = "main"
[[analysis]]
type = "subgroup"
by = "alloc"
[[analysis]]
type = "gosh"
max_subsets = 100
[[analysis]]
type = "subset"
where = "ablat > 40 and not (alloc == 'random')"
[[check]]
analysis = "main"
estimate = 0.49
"""
WHERES = [b"protocol == 'PTR+LR'", b"location != \"Pancreatic\" and year >= 2015",
          b"not (design == 'prospective' or nos < 7)",
          b"location in ('Pancreatic', 'Gastrointestinal')", b"ablat > 40", b"ablat > 'NR'",
          b"year >= 1995 && design != 'x' || !(alloc == 'random')", b"alloc == ''",
          b"design in ()", b"((((year > 1))))", b"year == 1e308", b"year < -1e-308"]
PRISMA_CORNERS = [
    b"data,n\ndatabase_results,1525\nregister_results,NA\nduplicates,\"1,200\"\n",
    b"data,n\ndatabase_specific_results,\"Medline, 300; Embase, 1,225\"\n",
    b"data,n\ndbr_excluded,\"Reason1, xxx; Reason2, xxx\"\n",
    b"data,n\ndatabase_results,-1\n", b"data,n\ndatabase_results,1\ndatabase_results,2\n",
]
NOS_CORNERS = [
    b"study,selection,comparability,outcome,nos\nA,4,2,3,9\nB,,,,5\nC,NA,1,2,\nD,5,0,0,5\n",
    b"study,nos\nA,7\nA,8\n", b"study,nos\n,7\n", b"study,nos_selection\nA,2.5\n",
]
KM_CORNERS = [b"time,survival\n0,1\n1,0.9\n2,0.8\n", b"time,surv\n0,100\n1,95\n0.5,97\n",
              b"time,s\n0,1\n1,1.2\n", b"time,survival\n-1,1\n", b"t,x\n1,2\n"]
NAR_CORNERS = [b"time,nar\n0,100\n6,80\n12,50\n", b"time,n\n0,10\n6,11\n", b"time,at_risk\n0,1.5\n",
               b"time,n_risk\n0,10\n0,9\n"]
IPD_CORNERS = [b"arm,time,event\nA,1,1\nA,2,0\nB,3,1\nB,3,1\n", b"group,time,status\nA,0,0\n",
               b"arm,time,event\n,1,1\n", b"arm,time,event\nA,-1,2\n", b"arm,time,event\nA,inf,1\n"]
RECORD_CORNERS = [b"TY  - JOUR\nTI  - A trial\nER  - \n", b"PMID- 1\nTI  - x\n  continued\n",
                  b"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle/></PubmedArticleSet>",
                  b"<xml><records><record><titles><title>t</title></titles></record></records></xml>",
                  b"Title,Authors,Year\nA trial,Smith J,2001\n", b"PK\x03\x04", b"\x1f\x8b", b"%PDF-1.4"]
DECISION_CORNERS = [
    b"record_id,title,decision,reason,note,stage\n1,A,include,,,title\n2,B,exclude,wrong design,,title\n3,C,,,,\n",
    b"id,decision\n1,yes\n2,n\n3,?\n4,undo\n5,unavailable\n",
    b"record_id,decision,stage\n1,include,title\n2,include,fulltext\n",
    b"record_id,decision\nx,include\n", b"record_id,decision\n99999999999999999999,include\n",
    b"record_id,decision\n1,perhaps\n",
]
EXTRACTION_CORNERS = [
    b"record_id,study_label,title,study,country,hr,lower,upper\n1,A,T,Smith 2001,Italy,0.8,0.6,1.1\n",
    b"record_id,hr\n1,\n2,0.5\n", b"record_id,unknown_field\n1,x\n", b"hr\n0.5\n",
    b"record_id,HR,Country\n1,0.7,France\n",
]


def write(out: Path, target: str, name: str, data: bytes) -> None:
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    if len(data) <= MAX:
        (d / name).write_bytes(data)


def main() -> int:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    csvs = repo_files(src, ["*.csv"])
    for i, f in enumerate(csvs):
        data = f.read_bytes()
        write(out, "csv", f"repo{i}.csv", data)
        for sel in (0, 3, 20, 0x80 | 20):
            write(out, "studies", f"repo{i}_{sel}.csv", bytes([sel]) + data)
        if "nos" in data.split(b"\n", 1)[0].decode("utf-8", "replace"):
            write(out, "nos", f"repo{i}.csv", b"\x01" + data)
        if "prisma" in f.name.lower():
            write(out, "prisma", f"repo{i}.csv", data)
        if "clicks" in f.name or "points" in f.name:
            write(out, "km_points", f"repo{i}.csv", data)
        if "NAR" in f.name:
            write(out, "at_risk", f"repo{i}.csv", data)
        if "survival/" in str(f) or f.name == "ipd.csv":
            write(out, "ipd", f"repo{i}.csv", data)
    for i, c in enumerate(CSV_CORNERS):
        write(out, "csv", f"corner{i}.csv", c)
    for i, c in enumerate(STUDY_CORNERS):
        for sel in (20, 0x80 | 20, 2, 5):
            write(out, "studies", f"corner{i}_{sel}.csv", bytes([sel]) + c)
    for i, f in enumerate(repo_files(src, ["*.toml"])):
        if f.name == "plan.toml":
            write(out, "plan", f"repo{i}.toml", f.read_bytes())
    write(out, "plan", "corner.toml", PLAN)
    write(out, "plan", "bad_id.toml", PLAN.replace(b'"main"', b'"x/../../victim"'))
    for i, w in enumerate(WHERES):
        write(out, "where", f"w{i}.txt", w)
    for i, c in enumerate(PRISMA_CORNERS):
        write(out, "prisma", f"corner{i}.csv", c)
    for i, c in enumerate(NOS_CORNERS):
        for sel in (0, 1, 2 | (30 << 2)):
            write(out, "nos", f"corner{i}_{sel}.csv", bytes([sel]) + c)
    for i, c in enumerate(KM_CORNERS):
        write(out, "km_points", f"corner{i}.csv", c)
    for i, c in enumerate(NAR_CORNERS):
        write(out, "at_risk", f"corner{i}.csv", c)
    for i, c in enumerate(IPD_CORNERS):
        write(out, "ipd", f"corner{i}.csv", c)
    recs = repo_files(src, ["tests/data/records/*", "tests/data/review/e2e/*.ris",
                            "tests/data/review/e2e/*.nbib"])
    for i, f in enumerate(recs):
        data = f.read_bytes()[:16384]  # the first records are enough for coverage
        write(out, "records", f"repo{i}", b"5" + data)  # '5' % 6 == 5: detect the format
    for i, c in enumerate(RECORD_CORNERS):
        for sel in range(6):
            write(out, "records", f"corner{i}_{sel}", bytes([sel]) + c)
    for i, c in enumerate(DECISION_CORNERS):
        write(out, "decision_sheet", f"corner{i}.csv", c)
    for i, c in enumerate(EXTRACTION_CORNERS):
        write(out, "extraction_sheet", f"corner{i}.csv", c)
    return 0


if __name__ == "__main__":
    sys.exit(main())
