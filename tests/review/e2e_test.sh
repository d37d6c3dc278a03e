#!/usr/bin/env bash
# End-to-end test of `srma review` (issue 11): a small review of neuroendocrine tumour surgery
# run through the command line as two reviewers and an adjudicator would run it.
#
#   tests/review/e2e_test.sh SRMA_BINARY FIXTURE_DIR
#
# FIXTURE_DIR is tests/data/review/e2e (see make_fixtures.py there). Every expected number is
# derived in this script from the fixture files and from the decisions it arranges (PLAN below),
# never copied from srma's output: records per source are counted in the files, the duplicate
# pairs are the five the fixtures were written to contain, outcomes follow review.md §4 (maybe =
# include; a conflict goes to the adjudicator), Cohen's kappa is (Po - Pe) / (1 - Pe) of the
# 2x2 table of the arranged votes, and each PRISMA box is counted from the arranged outcomes.
# After the databases' full texts, citation searching (citations.ris, kind citation) adds
# PRISMA 2020's second column: its records go straight to full text, and those the databases
# found too are not sought again (srma/project/prisma.hpp); then the previous version of the
# review is recorded, withdrawn and recorded again, so the last diagram is an updated review's.
# Then the included studies are extracted by two extractors (two fields differ, settled by a
# consensus entry), scored on the Newcastle-Ottawa Scale item by item by two reviewers and a
# consensus, and written as Table 1 (CSV, Excel) and as the analysis CSV that `srma pool` pools;
# the expected values, stars, totals and the common-effect estimate are computed here from
# extract_plan.json (section 7).
#
# Prints each check; exits non-zero at the first mismatch. SRMA_KEEP_WORK=1 keeps the work folder.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 SRMA_BINARY FIXTURE_DIR" >&2
  exit 2
fi
SRMA=$(realpath "$1")
FIX=$(realpath "$2")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/srma-review-e2e.XXXXXX")
if [[ -n ${SRMA_KEEP_WORK:-} ]]; then
  echo "work folder (kept): $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
cd "$WORK"
P="$WORK/proj"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }

# run_ok NAME CMD...: runs CMD, which must exit 0; its output goes to NAME.out / NAME.err.
run_ok() {
  local name=$1
  shift
  local rc=0
  "$@" >"$name.out" 2>"$name.err" || rc=$?
  if [[ $rc -ne 0 ]]; then
    cat "$name.out" "$name.err" >&2
    fail "$name: '$*' exited with $rc, expected 0"
  fi
}

# run_fail NAME RC TEXT CMD...: CMD must exit with RC and print TEXT (fixed string) on stderr.
run_fail() {
  local name=$1 want_rc=$2 text=$3
  shift 3
  local rc=0
  "$@" >"$name.out" 2>"$name.err" || rc=$?
  if [[ $rc -ne $want_rc ]]; then
    cat "$name.out" "$name.err" >&2
    fail "$name: '$*' exited with $rc, expected $want_rc"
  fi
  grep -qF -- "$text" "$name.err" || {
    cat "$name.err" >&2
    fail "$name: stderr does not contain '$text'"
  }
  ok "$name: exit $rc, stderr has '$text'"
}

# expect_in FILE TEXT: FILE contains the fixed string TEXT.
expect_in() {
  grep -qF -- "$2" "$1" || {
    cat "$1" >&2
    fail "$1 does not contain '$2'"
  }
  ok "$1 contains '$2'"
}

# The project's totals from `srma review check`: "records batches decisions".
totals() {
  "$SRMA" review check --project "$P" >totals.out 2>totals.err ||
    { cat totals.out totals.err >&2; fail "review check failed"; }
  sed -n 's/.*: \([0-9]*\) records in \([0-9]*\) batches, \([0-9]*\) decisions$/\1 \2 \3/p' \
    totals.out
}

# expect_totals WHAT "R B D": the totals are unchanged / as given.
expect_totals() {
  local got
  got=$(totals)
  [[ "$got" == "$2" ]] || fail "$1: records/batches/decisions are '$got', expected '$2'"
  ok "$1: records/batches/decisions are $2 (check passes)"
}

# ---- the decisions this script arranges, by each record's own id (its label) -------------------
# PubMed records are labelled by PMID; Embase records by PMID (C5) if they have one, else DOI,
# else Embase accession (srma/records/record.hpp, bib_record::id).
cat >plan.json <<'EOF'
{
  "duplicate_pairs": [
    ["36981204", "36981204"],
    ["36544871", "10.5555/hpb.2022.11.004"],
    ["37455012", "37455012"],
    ["37801133", "L2026543210"],
    ["37660291", "10.5555/ejnmmi.2023.3980"]
  ],
  "not_duplicates": ["35594420", "L2019876001"],
  "reasons": ["Single-arm study", "Wrong comparator", "Wrong population", "Wrong outcome"],
  "title": {
    "A": {"36981204": "include", "36544871": "include", "37455012": "include",
          "36102350": "maybe", "37801133": "include", "36330718": "include",
          "37660291": "include", "37122908": "maybe",
          "35872209": "include", "35870011": "include",
          "36789455": "exclude",
          "35120477": "exclude", "35594420": "exclude", "37019866": "exclude",
          "35988102": "exclude", "L2019876001": "exclude", "L641234567": "exclude",
          "L638112233": "exclude", "10.5555/sjs.2023.85": "exclude", "36799012": "exclude",
          "L2024778899": "exclude"},
    "B": {"36981204": "include", "36544871": "include", "37455012": "include",
          "36102350": "include", "37801133": "include", "36330718": "maybe",
          "37660291": "include", "37122908": "include",
          "35872209": "exclude", "35870011": "exclude",
          "36789455": "include",
          "35120477": "exclude", "35594420": "exclude", "37019866": "exclude",
          "35988102": "exclude", "L2019876001": "exclude", "L641234567": "exclude",
          "L638112233": "exclude", "10.5555/sjs.2023.85": "exclude", "36799012": "exclude",
          "L2024778899": "exclude"},
    "C": {"35872209": "include", "35870011": "include", "36789455": "exclude"}
  },
  "fulltext": {
    "A": {"35872209": ["unavailable", ""],
          "37455012": ["exclude", "Single-arm study"],
          "36102350": ["include", ""],
          "37801133": ["exclude", "Single-arm study"],
          "36330718": ["exclude", "Single-arm study"],
          "37660291": ["exclude", "Wrong comparator"],
          "36981204": ["include", ""], "36544871": ["include", ""],
          "37122908": ["include", ""], "35870011": ["include", ""]},
    "B": {"35872209": ["unavailable", ""],
          "37455012": ["exclude", "Wrong comparator"],
          "36102350": ["exclude", "Wrong population"],
          "37801133": ["exclude", "Single-arm study"],
          "36330718": ["exclude", "single-arm study"],
          "37660291": ["exclude", "Wrong comparator"],
          "36981204": ["include", ""], "36544871": ["include", ""],
          "37122908": ["include", ""], "35870011": ["include", ""]},
    "C": {"37455012": ["exclude", "Single-arm study"], "36102350": ["include", ""]}
  },
  "citations": {
    "source": "Reference lists",
    "in_database_flow": [["37122908", "10.5555/jamasurg.2023.0412"],
                         ["10.5555/sjs.2023.85", "10.5555/sjs.2023.85"]],
    "duplicate_pairs": [["10.5555/pan.2021.1302", "10.5555/pan.2021.1302"]]
  },
  "fulltext_other": {
    "A": {"10.5555/pan.2021.1302": ["include", ""],
          "10.5555/dsu.2022.140": ["exclude", "Wrong population"],
          "10.5555/hpb.2021.s410": ["unavailable", ""],
          "10.5555/cvir.2022.1120": ["include", ""]},
    "B": {"10.5555/pan.2021.1302": ["include", ""],
          "10.5555/dsu.2022.140": ["exclude", "Wrong population"],
          "10.5555/hpb.2021.s410": ["unavailable", ""],
          "10.5555/cvir.2022.1120": ["exclude", "Wrong comparator"]},
    "C": {"10.5555/cvir.2022.1120": ["exclude", "Wrong comparator"]}
  },
  "previous": {"studies": 9, "reports": 11}
}
EOF

# ---- helpers in Python: fill sheets, derive expected outcomes, check JSON ----------------------
# Checks and CSV helpers both Python scripts below use.
cat >e2e_common.py <<'EOF'
import csv, sys


def ok(msg):
    print("ok: " + msg)


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def expect(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, expected {want!r}")
    ok(f"{what} = {want!r}")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + rows)
EOF

cat >h.py <<'EOF'
import collections, csv, json, sys
from e2e_common import ok, fail, expect, read_csv, write_csv

plan = json.load(open("plan.json"))
INCLUDE = {"include", "maybe"}



def title_outcomes():
    """Outcome per label at title/abstract: adjudication, else the agreed vote (maybe = include)."""
    a, b, c = plan["title"]["A"], plan["title"]["B"], plan["title"]["C"]
    out = {}
    for label in a:
        ia, ib = a[label] in INCLUDE, b[label] in INCLUDE
        if label in c:
            if ia == ib:
                fail(f"plan: {label} is adjudicated but not in conflict")
            out[label] = "include" if c[label] in INCLUDE else "exclude"
        elif ia != ib:
            fail(f"plan: {label} is in conflict and not adjudicated")
        else:
            out[label] = "include" if ia else "exclude"
    return out


def fulltext_outcomes(key="fulltext"):
    """(outcome, reason) per label at full text (same reason, or both unavailable, agree);
    key "fulltext_other" for the reports from citation searching."""
    a, b, c = plan[key]["A"], plan[key]["B"], plan[key]["C"]
    canon = {r.lower(): r for r in plan["reasons"]}
    out = {}
    for label in a:
        (va, ra), (vb, rb) = a[label], b[label]
        agree = va == vb and (va != "exclude" or ra.lower() == rb.lower())
        if label in c:
            if agree:
                fail(f"plan: {label} is adjudicated at full text but not in conflict")
            v, r = c[label]
        elif not agree:
            fail(f"plan: {label} is in conflict at full text and not adjudicated")
        else:
            v, r = va, ra
        out[label] = (v, canon[r.lower()] if v == "exclude" else "")
    return out


def table(stage):
    """The 2x2 table of A (first) and B (second): include/maybe against exclude; unavailable
    votes left out (review.md §4). At full text both columns' reports."""
    a, b = dict(plan[stage]["A"]), dict(plan[stage]["B"])
    if stage == "fulltext":
        a.update(plan["fulltext_other"]["A"])
        b.update(plan["fulltext_other"]["B"])
    vote = (lambda x: x) if stage == "title" else (lambda x: x[0])
    t = [0, 0, 0, 0]
    for label in a:
        va, vb = vote(a[label]), vote(b[label])
        if "unavailable" in (va, vb):
            continue
        ia, ib = va in INCLUDE, vb in INCLUDE
        t[(0 if ia else 2) + (0 if ib else 1)] += 1
    return t


def kappa(t):
    a, b, c, d = t
    n = a + b + c + d
    po = (a + d) / n
    pe = ((a + b) * (a + c) + (c + d) * (b + d)) / n**2
    return po, pe, (po - pe) / (1 - pe)


def cmd_fill(sheet, out, stage, who, note_prefix="", expect_labels="yes", drop_reason=""):
    """Fills the decision (and reason, note) of every row of `sheet` from the plan."""
    header, rows = read_csv(sheet)
    col = {name: i for i, name in enumerate(header)}
    votes = plan[stage][who]
    labels = [r[col["label"]] for r in rows]
    if expect_labels == "yes" and sorted(labels) != sorted(votes):
        fail(f"{sheet}: records {sorted(labels)} differ from the plan's {sorted(votes)}")
    for r in rows:
        v = votes[r[col["label"]]]
        vote, reason = (v, "") if isinstance(v, str) else v
        if r[col["label"]] == drop_reason:
            reason = ""
        r[col["decision"]] = vote
        if "reason" in col:
            r[col["reason"]] = reason
        if "note" in col and note_prefix:
            r[col["note"]] = f"{note_prefix}-{r[col['label']]}"
    write_csv(out, header, rows)
    ok(f"{out}: {len(rows)} decisions of {who} at {stage} filled in from the plan")


def cmd_sheet_labels(sheet, want_json):
    header, rows = read_csv(sheet)
    labels = sorted(r[header.index("label")] for r in rows)
    expect(f"{sheet} records", labels, sorted(json.loads(want_json)))


def cmd_blind(sheet, other_prefix):
    """A reviewer's sheet holds no other reviewer's decisions, reasons or notes."""
    header, rows = read_csv(sheet)
    expect(f"{sheet} columns", header,
           ["record_id", "stage", "label", "title", "authors", "year", "journal", "doi", "pmid",
            "abstract", "decision", "reason", "note"])
    for r in rows:
        for name in ("decision", "reason", "note"):
            if r[header.index(name)] != "":
                fail(f"{sheet}: record {r[0]} has {name} '{r[header.index(name)]}' already")
    text = open(sheet, encoding="utf-8").read()
    if other_prefix in text:
        fail(f"{sheet} contains another reviewer's note ({other_prefix})")
    ok(f"{sheet}: {len(rows)} rows, decision/reason/note empty, no '{other_prefix}' note")


def cmd_record_ids(sheet, want_json):
    header, rows = read_csv(sheet)
    expect(f"{sheet} record ids", [int(r[0]) for r in rows], json.loads(want_json))


def cmd_conflicts(sheet, stage):
    header, rows = read_csv(sheet)
    labels = sorted(r[header.index("label")] for r in rows)
    expect(f"{sheet}: records in conflict at {stage}", labels, sorted(plan[stage]["C"]))
    for r in rows:
        label = r[header.index("label")]
        votes = r[header.index("votes")]
        for who in ("A", "B"):
            v = plan[stage][who][label]
            vote, reason = (v, "") if isinstance(v, str) else v
            want = f"{who}: {vote}" + (f" ({reason})" if reason and vote == "exclude" else "")
            if want.lower() not in votes.lower():
                fail(f"{sheet}: votes of {label} are '{votes}', expected to show '{want}'")
        if r[header.index("decision")] != "":
            fail(f"{sheet}: {label} has a decision already")
    ok(f"{sheet}: each conflict shows both reviewers' votes and no decision")


def cmd_dedup(path, with_citations="no"):
    d = json.load(open(path))
    groups = sorted(tuple(g) for g in d["groups"])
    pairs = plan["duplicate_pairs"]
    if with_citations == "yes":
        pairs = pairs + plan["citations"]["in_database_flow"] + plan["citations"]["duplicate_pairs"]
    expect("dedup groups (kept first)", groups, sorted(tuple(p) for p in pairs))
    grouped = {x for g in d["groups"] for x in g}
    for label in plan["not_duplicates"]:
        if label in grouped:
            fail(f"dedup merged {label} (an erratum and its article must stay apart)")
    ok(f"dedup: {plan['not_duplicates']} (erratum and its article) are in no group")
    expect("dedup uncertain pairs", d["uncertain"], [])
    expect("dedup removed", d["removed"], len(pairs))
    if with_citations == "no":
        expect("dedup removed_by_source", d["removed_by_source"],
               [{"kept": "PubMed", "removed": "Embase", "count": len(plan["duplicate_pairs"])}])


def cmd_agreement(path):
    got = {x["stage"]: x for x in json.load(open(path))}
    expect("agreement stages", sorted(got), ["fulltext", "title"])
    for stage in ("title", "fulltext"):
        g = got[stage]
        t = table(stage)
        po, pe, k = kappa(t)
        expect(f"{stage} reviewers", (g["first"], g["second"]), ("A", "B"))
        expect(f"{stage} 2x2 table [a, b, c, d]", g["table"], t)
        expect(f"{stage} n", g["n"], sum(t))
        for name, got_v, want_v in (("Po", g["percent_agreement"], po),
                                    ("Pe", g["expected_agreement"], pe),
                                    ("kappa", g["kappa"], k), ("PABAK", g["pabak"], 2 * po - 1)):
            if abs(got_v - want_v) > 1e-9:
                fail(f"{stage} {name} is {got_v}, expected {want_v} (from the table {t})")
            ok(f"{stage} {name} = {got_v:.6f} (independently {want_v:.6f})")


def cmd_prisma(path, n_pubmed, n_embase, n_citations, previous):
    c = json.load(open(path))
    n_pubmed, n_embase, n_citations = int(n_pubmed), int(n_embase), int(n_citations)
    dups = len(plan["duplicate_pairs"])
    title = title_outcomes()
    full = fulltext_outcomes()
    other = fulltext_outcomes("fulltext_other")
    sought = sorted(l for l, o in title.items() if o == "include")
    expect("full-text plan covers the title inclusions", sorted(full), sought)
    reasons = collections.Counter(r for v, r in full.values() if v == "exclude")
    n_unavailable = sum(v == "unavailable" for v, _ in full.values())
    n_included = sum(v == "include" for v, _ in full.values())
    # Citation searching: every record counts as identified; those the databases found too, and
    # the second copy of a record listed twice, are not sought again.
    cit = plan["citations"]
    o_sought = n_citations - len(cit["in_database_flow"]) - len(cit["duplicate_pairs"])
    expect("citation plan covers the reports sought via other methods", len(other), o_sought)
    o_reasons = collections.Counter(r for v, r in other.values() if v == "exclude")
    o_unavailable = sum(v == "unavailable" for v, _ in other.values())
    o_included = sum(v == "include" for v, _ in other.values())
    # No study field was extracted: every included report is its own study.
    new = n_included + o_included
    want = {
        "database_results": n_pubmed + n_embase,
        "duplicates": dups,
        "records_screened": n_pubmed + n_embase - dups,
        "records_excluded": sum(o == "exclude" for o in title.values()),
        "dbr_sought_reports": len(sought),
        "dbr_notretrieved_reports": n_unavailable,
        "dbr_assessed": len(sought) - n_unavailable,
        "citations_results": n_citations,
        "website_results": None,
        "organisation_results": None,
        "other_sought_reports": o_sought,
        "other_notretrieved_reports": o_unavailable,
        "other_assessed": o_sought - o_unavailable,
        "new_studies": new,
        "new_reports": new,
        "excluded_automatic": 0,
        "excluded_other": 0,
        "register_results": None,
        "open": [],
        "other_not_sought": {"in_database_flow": len(cit["in_database_flow"]),
                             "duplicates": len(cit["duplicate_pairs"])},
    }
    p = plan["previous"]
    want.update({"previous_studies": p["studies"], "previous_reports": p["reports"],
                 "total_studies": p["studies"] + new, "total_reports": p["reports"] + new}
                if previous == "yes" else
                {"previous_studies": None, "previous_reports": None, "total_studies": None,
                 "total_reports": None})
    for key, value in want.items():
        expect(f"prisma {key}", c[key], value)
    expect("prisma database_specific_results", c["database_specific_results"],
           [{"name": "PubMed", "n": n_pubmed}, {"name": "Embase", "n": n_embase}])
    expect("prisma dbr_excluded (by reason)",
           sorted((e["name"], e["n"]) for e in c["dbr_excluded"]), sorted(reasons.items()))
    expect("prisma other_excluded (by reason)",
           sorted((e["name"], e["n"]) for e in c["other_excluded"]), sorted(o_reasons.items()))
    expect("prisma sum: assessed - excluded = included (both columns)",
           c["dbr_assessed"] + c["other_assessed"]
           - sum(e["n"] for e in c["dbr_excluded"] + c["other_excluded"]), c["new_reports"])
    expect("prisma sum: screened - excluded = sought",
           c["records_screened"] - c["records_excluded"], c["dbr_sought_reports"])


def cmd_outcome_counts(stage):
    """Prints 'include exclude unavailable' expected at a stage."""
    if stage == "title":
        o = title_outcomes().values()
        print(sum(x == "include" for x in o), sum(x == "exclude" for x in o), 0)
    else:
        o = [v for v, _ in fulltext_outcomes().values()]
        o += [v for v, _ in fulltext_outcomes("fulltext_other").values()]
        print(sum(x == "include" for x in o), sum(x == "exclude" for x in o),
              sum(x == "unavailable" for x in o), len(o))


def cmd_labels(stage, who):
    print(json.dumps(sorted(plan[stage][who])))


def cmd_title_included():
    print(json.dumps(sorted(l for l, o in title_outcomes().items() if o == "include")))


def cmd_included():
    """The reports included at full text (both columns): the studies to extract and score."""
    out = {**fulltext_outcomes(), **fulltext_outcomes("fulltext_other")}
    print(json.dumps(sorted(l for l, (v, _) in out.items() if v == "include")))


def cmd_vote_summary(stage, who):
    """The counts `screen import` reports for a reviewer's sheet from the plan."""
    n = collections.Counter((x if isinstance(x, str) else x[0]) for x in plan[stage][who].values())
    print(", ".join(f"{n[v]} {v}" for v in ("include", "exclude", "maybe", "unavailable", "undo")))


globals()["cmd_" + sys.argv[1].replace("-", "_")](*sys.argv[2:])
EOF
h() { python3 h.py "$@"; }

# The numbers of records in the fixture files, counted directly.
N_PUBMED=$(grep -c '^PMID- ' "$FIX/pubmed.nbib")
N_EMBASE=$(grep -c $'^TY  - ' "$FIX/embase.ris")
N_CIT=$(grep -c '^TY  - ' "$FIX/citations.ris")
N_ALL=$((N_PUBMED + N_EMBASE))
ok "fixtures hold $N_PUBMED PubMed, $N_EMBASE Embase and $N_CIT citation-searching records"

# ---- 1. init, import ---------------------------------------------------------------------------
echo "== init and import"
reason_args=()
while IFS= read -r r; do reason_args+=(--reason "$r"); done < <(
  python3 -c 'import json; print("\n".join(json.load(open("plan.json"))["reasons"]))')
run_ok init "$SRMA" review init "$P" --title "Surgery for neuroendocrine tumours" \
  "${reason_args[@]}"
expect_in init.out "2 screeners per record; 4 exclusion reasons"
run_ok reasons "$SRMA" review reasons --project "$P"
expect_in reasons.out "Single-arm study"

run_ok import_pubmed "$SRMA" review import "$FIX/pubmed.nbib" --source PubMed --project "$P"
expect_in import_pubmed.out \
  "Imported $N_PUBMED records from $FIX/pubmed.nbib as batch 1 (source PubMed, database)"
expect_in import_pubmed.out "format: medline (line 2 is 'PMID- "
run_ok import_embase "$SRMA" review import "$FIX/embase.ris" --source Embase --project "$P"
expect_in import_embase.out \
  "Imported $N_EMBASE records from $FIX/embase.ris as batch 2 (source Embase, database)"
expect_in import_embase.out "format: ris (line 1 is 'TY  - JOUR'"
expect_totals "after two imports" "$N_ALL 2 0"

echo "== imports that must fail and import nothing"
run_fail reimport 3 \
  "[srma.project.E666] $FIX/pubmed.nbib: this content was imported before, as batch 1" \
  "$SRMA" review import "$FIX/pubmed.nbib" --source PubMed --project "$P"
expect_in reimport.err "nothing was imported"
# Where each broken file goes wrong (make_fixtures.py): found here from the files themselves.
line_of() { grep -n -- "$2" "$1" | tail -n 1 | cut -d: -f1; }
tr_nbib=$(wc -l <"$FIX/pubmed_truncated.nbib")
tr_nbib=$((tr_nbib + 1)) # the last line ("FA") has no newline
bad_nbib=$(line_of "$FIX/pubmed_corrupt.nbib" '^TI  -[^ ]')
tr_ris=$(line_of "$FIX/embase_truncated.ris" $'^TY  - ')
bad_ris=$(line_of "$FIX/embase_corrupt.ris" '^TY - JOUR')
bad_ris=$((bad_ris + 1)) # the first tag after the broken TY line
run_fail truncated_nbib 3 "[srma.review.E622] $FIX/pubmed_truncated.nbib:$tr_nbib:1:" \
  "$SRMA" review import "$FIX/pubmed_truncated.nbib" --source PubMed --project "$P"
run_fail corrupt_nbib 3 "[srma.review.E622] $FIX/pubmed_corrupt.nbib:$bad_nbib:1:" \
  "$SRMA" review import "$FIX/pubmed_corrupt.nbib" --source PubMed --project "$P"
run_fail truncated_ris 3 "[srma.review.E622] $FIX/embase_truncated.ris:$tr_ris:1: the record \
that starts here (tag 'TY') never ends" \
  "$SRMA" review import "$FIX/embase_truncated.ris" --source Embase --project "$P"
run_fail corrupt_ris 3 \
  "[srma.review.E622] $FIX/embase_corrupt.ris:$bad_ris:1: tag 'M3' is outside any record" \
  "$SRMA" review import "$FIX/embase_corrupt.ris" --source Embase --project "$P"
expect_totals "after the failed imports" "$N_ALL 2 0"
run_ok status0 "$SRMA" review status --project "$P"
[[ $(grep -c '^  batch ' status0.out) -eq 2 ]] || fail "status lists other than 2 batches"
expect_in status0.out "batch 1: $N_PUBMED records from $FIX/pubmed.nbib (PubMed, medline)"
expect_in status0.out "batch 2: $N_EMBASE records from $FIX/embase.ris (Embase, ris)"
expect_in status0.out "not de-duplicated yet"

# ---- 2. de-duplication -------------------------------------------------------------------------
echo "== dedup"
run_fail screen_before_dedup 3 "srma.project.E669" \
  "$SRMA" review screen export --reviewer A -o early.csv --project "$P"
run_ok dedup "$SRMA" review dedup --json --project "$P"
h dedup dedup.out
N_DUP=$(python3 -c 'import json; print(len(json.load(open("plan.json"))["duplicate_pairs"]))')
N_SCREEN=$((N_ALL - N_DUP))

# ---- 3. title/abstract screening by A and B ----------------------------------------------------
echo "== title/abstract screening"
run_ok export_a "$SRMA" review screen export --reviewer A -o a_title.csv --html a_title.html \
  --project "$P"
expect_in export_a.out \
  "Wrote $N_SCREEN records for A to screen at title/abstract to a_title.csv and a_title.html"
[[ -s a_title.html ]] || fail "a_title.html is empty"
h sheet-labels a_title.csv "$(h labels title A)"
# The records kept are the first imported of each pair: PubMed's 1..N_PUBMED and the Embase
# records after the first N_DUP (the fixture puts its duplicates first); project ids count
# records in import order (srma/project/records.hpp).
kept_ids=$(python3 -c "print(list(range(1, $N_PUBMED + 1)) + \
  list(range($N_PUBMED + $N_DUP + 1, $N_ALL + 1)))")
h record-ids a_title.csv "$kept_ids"

# Errors first: nothing may be recorded.
h fill a_title.csv a_bad.csv title A
python3 - <<'EOF'
import csv
rows = list(csv.reader(open("a_bad.csv", newline="")))
rows[3][rows[0].index("decision")] = "perhaps"  # data row 3 = line 4 (no field spans lines)
csv.writer(open("a_bad.csv", "w", newline=""), lineterminator="\n").writerows(rows)
EOF
dec_col=$(($(head -n 1 a_title.csv | tr ',' '\n' | grep -n '^decision$' | cut -d: -f1)))
run_fail unknown_decision 3 "[srma.project.E667] a_bad.csv:4:$dec_col: decision is 'perhaps'" \
  "$SRMA" review screen import a_bad.csv --reviewer A --project "$P"
expect_totals "after a sheet with an unknown decision" "$N_ALL 2 0"
removed_id=$((N_PUBMED + 1)) # the first Embase record, a duplicate of a PubMed record
printf 'record_id,decision\n1,include\n%s,include\n' "$removed_id" >dup_vote.csv
run_fail vote_on_duplicate 3 "[srma.project.E672] dup_vote.csv:3: record $removed_id is not \
screened: it was removed as a duplicate" \
  "$SRMA" review screen import dup_vote.csv --reviewer A --stage title --project "$P"
expect_totals "after a vote on a removed duplicate" "$N_ALL 2 0"

h fill a_title.csv a_title_done.csv title A NOTE-OF-A
run_ok import_a "$SRMA" review screen import a_title_done.csv --reviewer A --project "$P"
expect_in import_a.out \
  "Recorded $N_SCREEN reviewer votes by A at title/abstract: $(h vote-summary title A)"
expect_totals "after A's title votes" "$N_ALL 2 $N_SCREEN"
run_ok export_a2 "$SRMA" review screen export --reviewer A -o a_title_again.csv --project "$P"
expect_in export_a2.out "Wrote 0 records for A"

run_ok export_b "$SRMA" review screen export --reviewer B -o b_title.csv --html b_title.html \
  --project "$P"
expect_in export_b.out "Wrote $N_SCREEN records for B"
h blind b_title.csv NOTE-OF-A
if grep -q 'NOTE-OF-A\|Reviewer: <b>A</b>' b_title.html; then
  fail "b_title.html shows A's notes or names A as the reviewer"
fi
expect_in b_title.html "Reviewer: <b>B</b>"
h fill b_title.csv b_title_done.csv title B NOTE-OF-B
run_ok import_b "$SRMA" review screen import b_title_done.csv --reviewer B --project "$P"
expect_in import_b.out "Recorded $N_SCREEN reviewer votes by B at title/abstract"
run_ok import_b_again "$SRMA" review screen import b_title_done.csv --reviewer B --project "$P"
expect_in import_b_again.out "Recorded 0 reviewer votes by B at title/abstract: 0 include, \
0 exclude, 0 maybe, 0 unavailable, 0 undo; $N_SCREEN unchanged"
expect_totals "after B's title votes (the second import stores nothing)" \
  "$N_ALL 2 $((2 * N_SCREEN))"

echo "== title/abstract conflicts, adjudicated by C"
N_TC=$(python3 -c 'import json; print(len(json.load(open("plan.json"))["title"]["C"]))')
run_ok conflicts_t "$SRMA" review screen conflicts --stage title --project "$P"
expect_in conflicts_t.out "$N_TC conflicts at title/abstract"
run_ok conflicts_t_o "$SRMA" review screen conflicts --stage title -o c_title.csv --project "$P"
h conflicts c_title.csv title
h fill c_title.csv c_by_a.csv title C
run_fail adjudicator_screened 3 "srma.project.E671" \
  "$SRMA" review adjudicate c_by_a.csv --reviewer A --project "$P"
expect_totals "after A tried to adjudicate" "$N_ALL 2 $((2 * N_SCREEN))"
h fill c_title.csv c_title_done.csv title C
run_ok adjudicate_t "$SRMA" review adjudicate c_title_done.csv --reviewer C --project "$P"
expect_in adjudicate_t.out "Recorded $N_TC adjudicator votes by C at title/abstract"
run_ok conflicts_t2 "$SRMA" review screen conflicts --stage title --project "$P"
expect_in conflicts_t2.out "0 conflicts at title/abstract"

# ---- 4. full text ------------------------------------------------------------------------------
echo "== full-text screening"
N_FT=$(python3 -c 'import json; print(len(json.load(open("plan.json"))["fulltext"]["A"]))')
run_ok export_fa "$SRMA" review screen export --stage fulltext --reviewer A -o a_full.csv \
  --project "$P"
expect_in export_fa.out "Wrote $N_FT records for A to screen at full text"
h sheet-labels a_full.csv "$(h title-included)"
h fill a_full.csv a_full_noreason.csv fulltext A "" yes 37455012
run_fail exclusion_without_reason 3 "srma.project.E670" \
  "$SRMA" review screen import a_full_noreason.csv --reviewer A --project "$P"
expect_in exclusion_without_reason.err \
  "a full-text exclusion needs a reason from the project's list"
DEC_T=$((2 * N_SCREEN + N_TC))
expect_totals "after a full-text exclusion without a reason" "$N_ALL 2 $DEC_T"
h fill a_full.csv a_full_done.csv fulltext A NOTE-OF-A
run_ok import_fa "$SRMA" review screen import a_full_done.csv --reviewer A --project "$P"
expect_in import_fa.out \
  "Recorded $N_FT reviewer votes by A at full text: $(h vote-summary fulltext A)"
run_ok export_fb "$SRMA" review screen export --stage fulltext --reviewer B -o b_full.csv \
  --project "$P"
h blind b_full.csv NOTE-OF-A
h fill b_full.csv b_full_done.csv fulltext B NOTE-OF-B
run_ok import_fb "$SRMA" review screen import b_full_done.csv --reviewer B --project "$P"
expect_in import_fb.out "Recorded $N_FT reviewer votes by B at full text"

N_FC=$(python3 -c 'import json; print(len(json.load(open("plan.json"))["fulltext"]["C"]))')
run_ok conflicts_f "$SRMA" review screen conflicts --stage fulltext -o c_full.csv --project "$P"
expect_in conflicts_f.out "Wrote $N_FC conflicts at full text to c_full.csv"
h conflicts c_full.csv fulltext
h fill c_full.csv c_full_done.csv fulltext C
run_ok adjudicate_f "$SRMA" review adjudicate c_full_done.csv --reviewer C --project "$P"
expect_in adjudicate_f.out "Recorded $N_FC adjudicator votes by C at full text"
DEC_ALL=$((DEC_T + 2 * N_FT + N_FC))
expect_totals "after full-text screening" "$N_ALL 2 $DEC_ALL"

# ---- 5. citation searching: PRISMA 2020's other methods ---------------------------------------
echo "== citation searching"
run_fail bad_kind 2 "--kind is 'handsearch', but must be database, register, website, \
organisation or citation" \
  "$SRMA" review import "$FIX/citations.ris" --source "Reference lists" --kind handsearch \
  --project "$P"
run_ok import_cit "$SRMA" review import "$FIX/citations.ris" --source "Reference lists" \
  --kind citation --project "$P"
expect_in import_cit.out \
  "Imported $N_CIT records from $FIX/citations.ris as batch 3 (source Reference lists, citation)"
N_REC=$((N_ALL + N_CIT))
expect_totals "after the citation import" "$N_REC 3 $DEC_ALL"
run_fail fulltext_before_dedup 3 "srma.project.E669" \
  "$SRMA" review screen export --stage fulltext --reviewer A -o early.csv --project "$P"
run_ok dedup2 "$SRMA" review dedup --json --project "$P"
h dedup dedup2.out yes
# A title/abstract vote on a record from citation searching is refused: the record found only
# there (the third of citations.ris, project id N_ALL + 3) goes straight to full text.
cit_id=$((N_ALL + 3))
printf 'record_id,decision\n%s,include\n' "$cit_id" >cit_title.csv
run_fail title_vote_on_citation 3 "[srma.project.E672] cit_title.csv:2: record $cit_id came from \
citation searching (other methods): PRISMA 2020 takes such records straight to retrieval, so it \
is screened at full text only, not on title and abstract" \
  "$SRMA" review screen import cit_title.csv --reviewer A --stage title --project "$P"
expect_totals "after a title vote on a citation record" "$N_REC 3 $DEC_ALL"
run_ok export_ca "$SRMA" review screen export --stage fulltext --reviewer A -o a_cit.csv \
  --project "$P"
N_FO=$(python3 -c 'import json; print(len(json.load(open("plan.json"))["fulltext_other"]["A"]))')
expect_in export_ca.out "Wrote $N_FO records for A to screen at full text"
h sheet-labels a_cit.csv "$(h labels fulltext_other A)"
h fill a_cit.csv a_cit_done.csv fulltext_other A
run_ok import_ca "$SRMA" review screen import a_cit_done.csv --reviewer A --project "$P"
expect_in import_ca.out \
  "Recorded $N_FO reviewer votes by A at full text: $(h vote-summary fulltext_other A)"
run_ok export_cb "$SRMA" review screen export --stage fulltext --reviewer B -o b_cit.csv \
  --project "$P"
h sheet-labels b_cit.csv "$(h labels fulltext_other B)"
h fill b_cit.csv b_cit_done.csv fulltext_other B
run_ok import_cb "$SRMA" review screen import b_cit_done.csv --reviewer B --project "$P"
N_FOC=$(python3 -c 'import json; print(len(json.load(open("plan.json"))["fulltext_other"]["C"]))')
run_ok conflicts_fo "$SRMA" review screen conflicts --stage fulltext -o c_cit.csv --project "$P"
expect_in conflicts_fo.out "Wrote $N_FOC conflicts at full text to c_cit.csv"
h conflicts c_cit.csv fulltext_other
h fill c_cit.csv c_cit_done.csv fulltext_other C
run_ok adjudicate_fo "$SRMA" review adjudicate c_cit_done.csv --reviewer C --project "$P"
DEC_ALL=$((DEC_ALL + 2 * N_FO + N_FOC))
expect_totals "after the citation reports' full texts" "$N_REC 3 $DEC_ALL"

# ---- 6. status, agreement, PRISMA, check -------------------------------------------------------
echo "== status"
run_ok status "$SRMA" review status --project "$P"
expect_in status.out "batch 3: $N_CIT records from $FIX/citations.ris (Reference lists, ris, citation)"
N_REMOVED=$(python3 -c 'import json; p = json.load(open("plan.json")); c = p["citations"]
print(len(p["duplicate_pairs"]) + len(c["in_database_flow"]) + len(c["duplicate_pairs"]))')
expect_in status.out "de-duplication: $N_REMOVED removed, 0 pairs await a verdict"
read -r ti te _ < <(h outcome-counts title)
open_none="0 in conflict, 0 awaiting a second reviewer, 0 unscreened"
expect_in status.out \
  "title/abstract: $N_SCREEN records; $ti included, $te excluded, 0 unavailable, $open_none"
read -r f_inc f_exc f_una f_all < <(h outcome-counts fulltext)
expect_in status.out \
  "full text: $f_all records; $f_inc included, $f_exc excluded, $f_una unavailable, $open_none"

echo "== agreement"
run_ok agreement "$SRMA" review agreement --json --project "$P"
h agreement agreement.out

echo "== PRISMA"
run_ok prisma "$SRMA" review prisma --json --project "$P"
h prisma prisma.out "$N_PUBMED" "$N_EMBASE" "$N_CIT" no
[[ ! -s prisma.err ]] || { cat prisma.err >&2; fail "prisma warned: the counts should add up"; }
ok "prisma printed no warning"

echo "== the previous version of the review"
read -r PREV_S PREV_R < <(python3 -c 'import json; p = json.load(open("plan.json"))["previous"]
print(p["studies"], p["reports"])')
run_ok previous_none "$SRMA" review previous --project "$P"
expect_in previous_none.out "No previous version of the review is recorded"
run_fail previous_bad 3 "[srma.project.E671]" \
  "$SRMA" review previous --studies "$PREV_R" --reports "$PREV_S" --project "$P"
expect_in previous_bad.err "every study has at least one report"
run_fail previous_half 2 "give both --studies and --reports" \
  "$SRMA" review previous --studies "$PREV_S" --project "$P"
run_ok previous "$SRMA" review previous --studies "$PREV_S" --reports "$PREV_R" \
  --note "first version, figure 1" --project "$P"
expect_in previous.out "Recorded the previous version of the review: $PREV_S studies in \
$PREV_R reports (first version, figure 1)"
run_ok prisma_prev "$SRMA" review prisma --json --project "$P"
h prisma prisma_prev.out "$N_PUBMED" "$N_EMBASE" "$N_CIT" yes
run_ok previous_undo "$SRMA" review previous --undo --project "$P"
expect_in previous_undo.out "Withdrew the previous version's counts"
run_ok prisma_undone "$SRMA" review prisma --json --project "$P"
h prisma prisma_undone.out "$N_PUBMED" "$N_EMBASE" "$N_CIT" no
run_fail previous_undo_again 3 "no counts of a previous version are recorded" \
  "$SRMA" review previous --undo --project "$P"
run_ok previous_again "$SRMA" review previous --studies "$PREV_S" --reports "$PREV_R" \
  --project "$P"
run_ok prisma_again "$SRMA" review prisma --json --project "$P"
h prisma prisma_again.out "$N_PUBMED" "$N_EMBASE" "$N_CIT" yes
[[ ! -s prisma_again.err ]] || { cat prisma_again.err >&2; fail "prisma warned"; }
ok "prisma of the updated review printed no warning"
run_ok prisma_svg "$SRMA" review prisma -o prisma.svg --project "$P"
run_ok prisma_png "$SRMA" review prisma -o prisma.png --project "$P"
if [[ ! -s prisma.svg ]] || ! grep -q '<svg' prisma.svg; then
  fail "prisma.svg is missing, empty or not SVG"
fi
ok "prisma.svg: $(wc -c <prisma.svg) bytes of SVG"
# The updated review's layout with the second column (the diagram writes "n = " with no-break
# spaces).
NB=$(printf '\302\240')
read -r o_sought < <(python3 -c 'import json; print(json.load(open("prisma_again.out"))["other_sought_reports"])')
for text in "Previous studies" "Identification of new studies via other methods" \
  "Citation searching (n${NB}=${NB}$N_CIT)" "Reports sought for retrieval (n${NB}=${NB}$o_sought)" \
  "Total studies included in review"; do
  expect_in prisma.svg "$text"
done
# `srma prisma FILE` draws the same diagram from the same counts in the PRISMA2020 app's CSV form.
python3 - <<'PY'
import csv, json
d = json.load(open("prisma_again.out"))
rows = [["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]]
for key, v in d.items():
    if key in ("open", "other_not_sought"):
        continue
    if isinstance(v, list):
        n = "; ".join(f"{e['name']}, {e['n']}" for e in v) if v else "NA"
    else:
        n = "NA" if v is None else str(v)
    rows.append([key, "", "", "", "", "", "", n])
csv.writer(open("prisma_counts.csv", "w", newline=""), lineterminator="\n").writerows(rows)
PY
run_ok prisma_file "$SRMA" prisma prisma_counts.csv -o prisma_file.svg
cmp -s prisma.svg prisma_file.svg ||
  fail "srma prisma on the counts as a PRISMA2020 CSV draws another diagram than srma review prisma"
ok "srma prisma on the same counts (PRISMA2020 CSV) draws the same SVG"
[[ -s prisma.png && $(head -c 8 prisma.png | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
  fail "prisma.png is missing, empty or not PNG"
ok "prisma.png: $(wc -c <prisma.png) bytes of PNG"

echo "== check"
run_ok check "$SRMA" review check --project "$P"
expect_in check.out "$N_REC records in 3 batches, $DEC_ALL decisions"
expect_in check.out "SQLite integrity check: ok"
expect_in check.out "all invariants hold"

echo "== a --stage that contradicts the sheet's stage column"
# A title sheet imported with --stage fulltext must be refused, not recorded at the title stage
# under the option's nose (`screen import --help`: "--stage ... default: the sheet's stage
# column").
run_ok export_d "$SRMA" review screen export --reviewer D -o d_title.csv --project "$P"
python3 - <<'PY'
import csv
rows = list(csv.reader(open("d_title.csv", newline="")))
rows[1][rows[0].index("decision")] = "include"
csv.writer(open("d_title.csv", "w", newline=""), lineterminator="\n").writerows(rows[:2])
PY
rc=0
"$SRMA" review screen import d_title.csv --reviewer D --stage fulltext --project "$P" \
  >stage_mismatch.out 2>stage_mismatch.err || rc=$?
if [[ $rc -eq 0 ]]; then
  cat stage_mismatch.out >&2
  fail "a title sheet imported with --stage fulltext was accepted (exit 0) instead of refused"
fi
ok "stage_mismatch: exit $rc ($(cat stage_mismatch.err))"
expect_totals "after a sheet whose stage contradicts --stage" "$N_REC 3 $DEC_ALL"

# ---- 7. extraction, Newcastle-Ottawa Scale, Table 1, the analysis CSV ---------------------------
# The studies are the reports included at full text (both columns). Two extractors fill the form;
# B's sheet differs from A's in exactly the fields of "B_differs" (a year typo, a transposed
# count); C settles those by a consensus entry, one agreeing with A and one with neither (so the
# final value can only come from the consensus). NOS: two reviewers item by item, B writing one
# C answer in another spelling ("a+b", the same answer as A's "ab") and differing on two items
# that C settles. Stars, totals, classes (high from 6, else low: the seed review's threshold)
# and AHRQ standards are computed here from the items with the rules of
# srma/review/nos_items.hpp and srma/review/nos.hpp.
cat >extract_plan.json <<'EOF'
{
  "form_add": ["year:Year"],
  "fields": ["study", "country", "period", "design", "resected", "total", "location", "hr",
             "lower", "upper", "year"],
  "A": {
    "36981204": {"study": "Lindqvist 2023", "country": "Sweden", "period": "2005-2019",
                 "design": "Retrospective cohort", "resected": "56", "total": "112",
                 "location": "Small intestine", "hr": "0.62", "lower": "0.41", "upper": "0.94",
                 "year": "2023"},
    "36544871": {"study": "Moreau 2023", "country": "France", "period": "2010-2020",
                 "design": "Retrospective cohort", "resected": "35", "total": "77",
                 "location": "Pancreas", "hr": "0.81", "lower": "0.52", "upper": "1.26",
                 "year": "2023"},
    "36102350": {"study": "Andersson 2022", "country": "Sweden", "period": "2012-2020",
                 "design": "Registry cohort", "resected": "140", "total": "391",
                 "location": "Pancreas", "hr": "0.55", "lower": "0.33", "upper": "0.92",
                 "year": "2022"},
    "37122908": {"study": "Thompson 2023", "country": "USA", "period": "2004-2017",
                 "design": "Database cohort", "resected": "1210", "total": "3327",
                 "location": "Pancreas", "hr": "0.70", "lower": "0.58", "upper": "0.85",
                 "year": "2023"},
    "35870011": {"study": "Silva 2022", "country": "Brazil", "period": "2008-2021",
                 "design": "Retrospective cohort", "resected": "24", "total": "51",
                 "location": "Duodenum", "hr": "0.95", "lower": "0.60", "upper": "1.50",
                 "year": "2022"},
    "10.5555/pan.2021.1302": {"study": "Lindgren 2021", "country": "Norway",
                 "period": "2000-2018", "design": "Two-centre cohort", "resected": "44",
                 "total": "90", "location": "Pancreas", "year": "2021"}
  },
  "B_differs": {"37122908": {"year": "2032"}, "36981204": {"resected": "65"}},
  "consensus": {"37122908": {"year": "2023"}, "36981204": {"resected": "58"}},
  "nos_A": {
    "36981204": ["a", "a", "a", "a", "ab", "a", "a", "a"],
    "36544871": ["b", "a", "b", "a", "a", "b", "a", "c"],
    "36102350": ["c", "a", "a", "b", "a", "a", "a", "d"],
    "37122908": ["a", "b", "a", "a", "none", "a", "a", "b"],
    "35870011": ["b", "a", "c", "a", "b", "b", "a", "a"],
    "10.5555/pan.2021.1302": ["c", "a", "b", "a", "a", "c", "a", "c"]
  },
  "nos_B_differs": {"36981204": {"C": "a+b"}, "36544871": {"O3": "a"},
                    "37122908": {"C": "a"}},
  "nos_consensus": {"36544871": {"O3": "c"}, "37122908": {"C": "b"}},
  "high_from": 6
}
EOF

cat >x.py <<'EOF'
import csv, json, math, sys, zipfile
from e2e_common import ok, fail, expect, read_csv, write_csv

xp = json.load(open("extract_plan.json"))
ITEMS = ["S1", "S2", "S3", "S4", "C", "O1", "O2", "O3"]
# Letters earning a star (srma/review/nos_items.hpp); C earns one per letter of a and b.
STAR = {"S1": "ab", "S2": "a", "S3": "ab", "S4": "a", "O1": "ab", "O2": "a", "O3": "ab"}



def record_ids():
    """label -> project record id, from the full-text screening sheets (record_id, label)."""
    out = {}
    for sheet in ("a_full.csv", "a_cit.csv"):
        header, rows = read_csv(sheet)
        for r in rows:
            out[r[header.index("label")]] = int(r[header.index("record_id")])
    return out


def studies():
    """The included reports in record order (the order of srma's sheets and tables)."""
    ids = record_ids()
    return sorted(xp["A"], key=lambda l: ids[l])


def values(who):
    """Each extractor's values per label; "final": consensus over the common value."""
    out = {l: dict(v) for l, v in xp["A"].items()}
    if who in ("B", "final"):
        for l, d in xp["B_differs"].items():
            out[l].update(d)
    if who == "final":
        for l, d in xp["consensus"].items():
            out[l].update(d)
    return out


def norm(item, a):
    a = a.strip().lower()
    if item == "C" and a not in ("none",):
        a = "".join(sorted(c for c in a if c in "ab"))
    return a


def answers(who):
    out = {l: dict(zip(ITEMS, v)) for l, v in xp["nos_A"].items()}
    if who in ("B", "final"):
        for l, d in xp["nos_B_differs"].items():
            out[l].update(d)
    if who == "final":
        for l, d in xp["nos_consensus"].items():
            out[l].update(d)
    return {l: {i: norm(i, a) for i, a in v.items()} for l, v in out.items()}


def stars(item, a):
    if item == "C":
        return 0 if a == "none" else len(a)
    return 1 if a in STAR[item] else 0


def score(ans):
    s = sum(stars(i, ans[i]) for i in ITEMS[:4])
    c = stars("C", ans["C"])
    o = sum(stars(i, ans[i]) for i in ITEMS[5:])
    t = s + c + o
    quality = "high" if t >= xp["high_from"] else "low"
    ahrq = ("Good" if s >= 3 and c >= 1 and o >= 2 else
            "Fair" if s == 2 and c >= 1 and o >= 2 else "Poor")
    return s, c, o, t, quality, ahrq


def cmd_fill_extract(sheet, out, who):
    header, rows = read_csv(sheet)
    expect(f"{sheet} columns", header, ["record_id", "study_label", "title"] + FORM())
    ids = record_ids()
    expect(f"{sheet} record ids", [int(r[0]) for r in rows], [ids[l] for l in studies()])
    by_id = {ids[l]: l for l in studies()}
    for r in rows:
        if any(r[3:]):
            fail(f"{sheet}: record {r[0]} has values already (another extractor's?)")
    vals = values(who) if who != "consensus" else xp["consensus"]
    for r in rows:
        v = vals.get(by_id[int(r[0])], {})
        for j, name in enumerate(header):
            if j >= 3:
                r[j] = v.get(name, "")
    write_csv(out, header, rows)
    n = sum(1 for r in rows for x in r[3:] if x)
    ok(f"{out}: {n} values of {who} filled in from the plan")
    print(n, file=open(out + ".n", "w"))


def FORM():
    return [line.split()[0] for line in open("form.out").read().splitlines()[1:]]


def LABELS():
    return {line.split()[0]: line.split(None, 1)[1] for line in
            open("form.out").read().splitlines()[1:]}


def cmd_discrepancies(path):
    lines = open(path).read().splitlines()
    ids = record_ids()
    a, b = values("A"), values("B")
    want = []
    for l in studies():
        for f in FORM():
            if a[l].get(f, "") != b[l].get(f, ""):
                want.append(f"  #{ids[l]} {a[l]['study']} / {f}: A: '{a[l][f]}'; B: '{b[l][f]}'")
    expect("the fields the plan makes differ", len(want), len(xp["B_differs"]))
    expect("discrepancies header", lines[0], f"{len(want)} extraction discrepancies")
    expect("discrepancies listed", sorted(lines[1:]), sorted(want))


def cmd_fill_nos(sheet, out, who):
    header, rows = read_csv(sheet)
    expect(f"{sheet} columns", header, ["record_id", "study"] + ITEMS)
    ids = record_ids()
    expect(f"{sheet} record ids", [int(r[0]) for r in rows], [ids[l] for l in studies()])
    expect(f"{sheet} study labels", [r[1] for r in rows],
           [values("final")[l]["study"] for l in studies()])
    by_id = {ids[l]: l for l in studies()}
    if who == "consensus":
        src = xp["nos_consensus"]
    else:
        src = {l: dict(zip(ITEMS, v)) for l, v in xp["nos_A"].items()}
        if who == "B":
            for l, d in xp["nos_B_differs"].items():
                src[l].update(d)
    n = 0
    for r in rows:
        if any(r[2:]):
            fail(f"{sheet}: record {r[0]} has answers already (another reviewer's?)")
        for j, item in enumerate(ITEMS):
            r[2 + j] = src.get(by_id[int(r[0])], {}).get(item, "")
            n += r[2 + j] != ""
    write_csv(out, header, rows)
    ok(f"{out}: {n} NOS answers of {who} filled in from the plan")
    print(n, file=open(out + ".n", "w"))


def cmd_nos_warnings(path):
    """The stderr of `srma review nos` before the consensus: one warning per differing item."""
    ids = record_ids()
    a, b = answers("A"), answers("B")
    want = []
    for l in studies():
        for i in ITEMS:
            if a[l][i] != b[l][i]:
                want.append(f"srma: warning: NOS discrepancy, #{ids[l]} "
                            f"{values('final')[l]['study']} item {i}: A: {a[l][i]}; B: {b[l][i]}")
    expect("NOS items the reviewers answer differently", len(want), len(xp["nos_consensus"]))
    expect("NOS discrepancy warnings", sorted(open(path).read().splitlines()), sorted(want))


def cmd_nos_table(path):
    header, rows = read_csv(path)
    expect("nos.csv columns", header, ["study"] + ITEMS +
           ["selection", "comparability", "outcome", "total", "quality", "ahrq"])
    fin, vals = answers("final"), values("final")
    want = []
    for l in studies():
        s, c, o, t, q, ah = score(fin[l])
        want.append([vals[l]["study"]] + [f"{fin[l][i]} ({stars(i, fin[l][i])}*)" for i in ITEMS]
                    + [str(s), str(c), str(o), str(t), q, ah])
    expect("nos.csv rows (answers, stars, subtotals, total, class, AHRQ)", rows, want)
    classes = sorted({score(fin[l])[4] for l in studies()})
    expect("the plan's studies reach both classes", classes, ["high", "low"])


def used_fields():
    vals = values("final")
    return [f for f in FORM() if f != "study" and any(vals[l].get(f) for l in studies())]


def cmd_table1(path):
    header, rows = read_csv(path)
    labels = LABELS()
    used = used_fields()
    expect("table1 columns", header, ["Study"] + [labels[f] for f in used] + ["NOS", "Quality"])
    vals, fin = values("final"), answers("final")
    want = [[vals[l]["study"]] + [vals[l].get(f, "") for f in used]
            + [str(score(fin[l])[3]), score(fin[l])[4]] for l in studies()]
    expect("table1 rows (consensus values, NOS totals and classes)", rows, want)


def cmd_xlsx(path):
    data = open(path, "rb").read()
    expect(f"{path} starts like a zip", data[:4], b"PK\x03\x04")
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    # The consensus count that neither extractor wrote, stored as a number.
    v = xp["consensus"]["36981204"]["resected"]
    if f"<v>{v}</v>" not in sheet:
        fail(f"{path}: sheet1.xml has no cell holding the consensus value {v}")
    ok(f"{path}: sheet1.xml holds the consensus value {v} as a number")


def cmd_analysis(path):
    header, rows = read_csv(path)
    used = used_fields()
    nos_cols = ["nos", "nos_selection", "nos_comparability", "nos_outcome", "quality", "ahrq"]
    expect("studies.csv columns", header, ["study"] + used + nos_cols)
    vals, fin = values("final"), answers("final")
    want = []
    for l in studies():
        s, c, o, t, q, ah = score(fin[l])
        want.append([vals[l]["study"]] + [vals[l].get(f, "") for f in used]
                    + [str(t), str(s), str(c), str(o), q, ah])
    expect("studies.csv rows", rows, want)


def cmd_early(path):
    """Before the consensus the analysis CSV leaves the disputed cells empty."""
    header, rows = read_csv(path)
    vals = values("A")
    by_study = {r[0]: r for r in rows}
    for l, d in xp["B_differs"].items():
        for f in d:
            expect(f"{path}: {vals[l]['study']} / {f} while disputed",
                   by_study[vals[l]["study"]][header.index(f)], "")


def cmd_pool(path):
    """k and the common-effect estimate, computed here from hr, lower, upper: log HR with
    se = (log upper - log lower) / (2 z_0.975), inverse-variance weights."""
    d = json.load(open(path))
    vals = values("final")
    with_data = [vals[l] for l in studies() if vals[l].get("hr")]
    expect("pool k (included studies with hr, lower, upper)", d["k"], len(with_data))
    expect("pool measure", d["measure"], "HR")
    z = 1.959963984540054  # qnorm(0.975)
    y = [math.log(float(v["hr"])) for v in with_data]
    w = [1 / ((math.log(float(v["upper"])) - math.log(float(v["lower"]))) / (2 * z)) ** 2
         for v in with_data]
    est = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    q = sum(wi * (yi - est) ** 2 for wi, yi in zip(w, y))
    for name, got, want in (("common estimate (log HR)", d["common"]["estimate"], est),
                            ("common se", d["common"]["se"], 1 / math.sqrt(sum(w))),
                            ("Q", d["heterogeneity"]["Q"], q)):
        if abs(got - want) > 1e-9:
            fail(f"pool {name} is {got}, expected {want} (inverse-variance, computed here)")
        ok(f"pool {name} = {got:.9f} (independently {want:.9f})")


globals()["cmd_" + sys.argv[1].replace("-", "_")](*sys.argv[2:])
EOF
x() { python3 x.py "$@"; }

echo "== extraction"
N_INC=$(h included | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
run_ok form0 "$SRMA" review form --project "$P"
N_FORM=$(($(wc -l <form0.out) - 1))
run_ok form "$SRMA" review form --add year:Year --project "$P"
expect_in form.out "Extraction form ($((N_FORM + 1)) fields):"
expect_in form.out "  year             Year"
run_ok export_xa "$SRMA" review extract export --reviewer A -o a_x.csv --project "$P"
expect_in export_xa.out "Wrote the extraction sheet of A for $N_INC studies to a_x.csv"
x fill-extract a_x.csv a_x_done.csv A
# A column that is not a field of the form: refused, nothing stored.
sed '1s/,year$/,n_patients/' a_x_done.csv >a_x_bad.csv
run_fail extract_unknown_field 3 "[srma.project.E673] a_x_bad.csv:1:" \
  "$SRMA" review extract import a_x_bad.csv --reviewer A --project "$P"
expect_in extract_unknown_field.err "column 'n_patients' is not a field of the extraction form"
run_ok import_xa "$SRMA" review extract import a_x_done.csv --reviewer A --project "$P"
expect_in import_xa.out "Recorded $(cat a_x_done.csv.n) values by A"
run_ok export_xb "$SRMA" review extract export --reviewer B -o b_x.csv --project "$P"
x fill-extract b_x.csv b_x_done.csv B # also checks that B's sheet shows none of A's values
run_ok import_xb "$SRMA" review extract import b_x_done.csv --reviewer B --project "$P"
N_XD=$(python3 -c 'import json; print(len(json.load(open("extract_plan.json"))["B_differs"]))')
expect_in import_xb.out "Recorded $(cat b_x_done.csv.n) values by B"
expect_in import_xb.out "$N_XD discrepancies: srma review extract discrepancies"
run_ok discrepancies "$SRMA" review extract discrepancies --project "$P"
x discrepancies discrepancies.out
run_ok export_analysis_early "$SRMA" review export-analysis -o early.csv --project "$P"
expect_in export_analysis_early.err \
  "$N_XD extracted values are left empty because the extractors disagree"
x early early.csv
run_ok export_xc "$SRMA" review extract export --reviewer C -o c_x.csv --project "$P"
x fill-extract c_x.csv c_x_done.csv consensus
run_ok import_xc "$SRMA" review extract import c_x_done.csv --reviewer C --consensus \
  --project "$P"
expect_in import_xc.out "Recorded $N_XD values by C (consensus)"
run_ok discrepancies2 "$SRMA" review extract discrepancies --project "$P"
expect_in discrepancies2.out "0 extraction discrepancies"

echo "== Newcastle-Ottawa Scale"
run_ok export_na "$SRMA" review nos export --reviewer A -o a_nos.csv --project "$P"
expect_in export_na.out "Wrote the NOS sheet of A for $N_INC studies to a_nos.csv"
x fill-nos a_nos.csv a_nos_done.csv A
run_ok import_na "$SRMA" review nos import a_nos_done.csv --reviewer A --project "$P"
expect_in import_na.out "Recorded $(cat a_nos_done.csv.n) NOS answers by A"
run_ok export_nb "$SRMA" review nos export --reviewer B -o b_nos.csv --project "$P"
x fill-nos b_nos.csv b_nos_done.csv B
run_ok import_nb "$SRMA" review nos import b_nos_done.csv --reviewer B --project "$P"
expect_in import_nb.out "Recorded $(cat b_nos_done.csv.n) NOS answers by B"
run_ok nos_open "$SRMA" review nos --project "$P"
x nos-warnings nos_open.err
run_ok export_nc "$SRMA" review nos export --reviewer C -o c_nos.csv --project "$P"
x fill-nos c_nos.csv c_nos_done.csv consensus
run_ok import_nc "$SRMA" review nos import c_nos_done.csv --reviewer C --consensus --project "$P"
expect_in import_nc.out "Recorded $(cat c_nos_done.csv.n) NOS answers by C (consensus)"
run_ok nos "$SRMA" review nos -o nos.csv --figure nos.png --project "$P"
[[ ! -s nos.err ]] || { cat nos.err >&2; fail "nos warned after the consensus"; }
ok "nos printed no warning after the consensus"
x nos-table nos.csv
[[ -s nos.png && $(head -c 8 nos.png | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
  fail "nos.png is missing, empty or not PNG"
ok "nos.png: $(wc -c <nos.png) bytes of PNG"

echo "== Table 1 and the analysis CSV"
run_ok table1_csv "$SRMA" review table1 -o t.csv --project "$P"
expect_in table1_csv.out "Wrote Table 1 ($N_INC studies) to t.csv"
x table1 t.csv
run_ok table1_xlsx "$SRMA" review table1 -o t.xlsx --project "$P"
x xlsx t.xlsx
run_ok export_analysis "$SRMA" review export-analysis -o studies.csv --project "$P"
[[ ! -s export_analysis.err ]] || { cat export_analysis.err >&2; fail "export-analysis warned"; }
expect_in export_analysis.out "Wrote $N_INC studies to studies.csv"
x analysis studies.csv
run_ok pool "$SRMA" pool studies.csv --exclude-missing --json
x pool pool.out
# Distinct study labels: every included report is still its own study, and the project holds.
run_ok prisma_x "$SRMA" review prisma --json --project "$P"
h prisma prisma_x.out "$N_PUBMED" "$N_EMBASE" "$N_CIT" yes
run_ok check_x "$SRMA" review check --project "$P"
expect_in check_x.out "all invariants hold"

echo "PASS: review end-to-end"
