# File: python/tests/test_survival.py
#
# The survival layer in Python: patient data (read_ipd, ipd_from_arrays, as_ipd), Kaplan-Meier,
# the two-arm analysis of `srma km hr` (Cox model, log-rank test, medians, RMST), Guyot
# reconstruction from digitised curves and the Kaplan-Meier figure.
#
# Reference values:
#   - R's survival package on its own data sets: tests/validation/data/survival/<name>.json,
#     written by tools/make_reference_survival.R (R 4.2.2, survival 3.5-3); every case records
#     its exact R call in "r_call" (see the README there). Compared to 1e-6 relative, 1e-9
#     absolute when |R| < 1e-3 (tiny p-values), as tests/validation/survival_test.cpp does;
#     null (R's NA, or std.err = Inf once S = 0) must be None or non-finite here.
#   - KEYNOTE-189 overall survival (Gandhi et al., N Engl J Med 2018;378:2078-92, Figure 1A),
#     digitised points and numbers at risk in tests/validation/data/km/keynote189/ (README
#     there): reconstructKM + coxph give HR 0.4967 with 126 and 107 events.
#   - The command line ($SRMA_CLI, as test_cli_side_by_side.py): `srma km hr --json`, its text,
#     `srma km reconstruct` and `srma km plot` must equal the Python results exactly.
import csv
import json
import math
import os
import subprocess

import numpy as np
import pytest

import srma
from conftest import ROOT, VALIDATION, cli_path

SURVIVAL = VALIDATION / "survival"
KN189 = VALIDATION / "km" / "keynote189"
TINY = ROOT / "tests" / "golden" / "km_hr_tiny" / "ipd.csv"
TINY_POINTS = ROOT / "tests" / "golden" / "km_plot_tiny" / "research_points.csv"
BAD_POINTS = ROOT / "tests" / "golden" / "km_reconstruct_bad_points" / "points.csv"
DATASETS = ["lung", "lung_months", "veteran", "colon"]

REL_TOL = 1e-6
ABS_FLOOR = 1e-3  # REL_TOL * ABS_FLOOR = 1e-9 absolute near zero


def raises_id(error_id, call, *args, **kwargs):
    """Calls `call` and returns the srma.Error it raised, checking its id."""
    with pytest.raises(srma.Error) as info:
        call(*args, **kwargs)
    assert info.value.id == error_id, str(info.value)
    return info.value


def matches(actual, expected):
    """One number against R's: None means R printed NA (or Inf): ours must not be finite."""
    if expected is None:
        return actual is None or not math.isfinite(actual)
    return actual is not None and abs(actual - expected) <= REL_TOL * max(abs(expected), ABS_FLOOR)


def reference(name):
    with open(SURVIVAL / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


def kn189_arms(**extra):
    """The two KEYNOTE-189 arms as km_reconstruct takes them, from the files."""
    return [
        {"name": "Pembrolizumab", "points": KN189 / "kn189_pembro_clicks.csv",
         "at_risk": KN189 / "kn189_pembro_NAR.csv", **extra},
        {"name": "Placebo", "points": KN189 / "kn189_pbo_clicks.csv",
         "at_risk": KN189 / "kn189_pbo_NAR.csv", **extra},
    ]


def columns(path):
    """The numeric columns of a small CSV file as lists, by header name."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return {name: [float(r[i]) for r in rows[1:]] for i, name in enumerate(rows[0])}


# ---- R survival references ----------------------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_cox_matches_r_survival(name):
    ref = reference(name)
    ipd = srma.read_ipd(SURVIVAL / ref["csv"])
    assert len(ref["cox"]) >= 4
    for case in ref["cox"]:
        # e.g. coxph(Surv(time, event) ~ x, data = d, ties = 'efron'), R 4.2.2, survival 3.5-3
        fit = srma.km_hr(ipd, case["treatment"], case["control"], ties=case["ties"])
        e = case["expected"]
        got = {
            "loghr": fit.loghr, "se": fit.se, "hr": fit.hr, "ci_lower": fit.ci_lower,
            "ci_upper": fit.ci_upper, "wald_chisq": fit.wald.chisq, "wald_p": fit.wald.p,
            "lr_chisq": fit.likelihood_ratio.chisq, "lr_p": fit.likelihood_ratio.p,
            "score_chisq": fit.score.chisq, "score_p": fit.score.p, "loglik0": fit.loglik[0],
            "loglik": fit.loglik[1],
        }
        for key, value in got.items():
            assert matches(value, e[key]), f"{name} {case['name']} {key}: {value} vs {e[key]}"
        assert (fit.n, fit.events) == (e["n"], e["events"]), case["name"]
        assert fit.ties == case["ties"]


@pytest.mark.parametrize("name", DATASETS)
def test_logrank_matches_r_survdiff(name):
    ref = reference(name)
    ipd = srma.read_ipd(SURVIVAL / ref["csv"])
    assert ref["logrank"]
    for case in ref["logrank"]:
        # survdiff(Surv(time, event) ~ factor(arm, levels = c(treatment, control)), data = d)
        lr = srma.km_hr(ipd, case["treatment"], case["control"]).logrank
        e = case["expected"]
        got = {
            "observed_treatment": lr.observed[0], "expected_treatment": lr.expected[0],
            "observed_control": lr.observed[1], "expected_control": lr.expected[1],
            "o_minus_e": lr.o_minus_e, "v": lr.v, "chisq": lr.chisq, "p": lr.p,
            "peto_loghr": lr.peto_loghr,
        }
        for key, value in got.items():
            assert matches(value, e[key]), f"{name} {case['name']} {key}: {value} vs {e[key]}"


@pytest.mark.parametrize("name", DATASETS)
def test_kaplan_meier_matches_r_survfit(name):
    ref = reference(name)
    ipd = srma.read_ipd(SURVIVAL / ref["csv"])
    assert ref["km"]
    for case in ref["km"]:
        # survfit(Surv(time, event) ~ 1, data = subset(df, arm == a), conf.type = ..., conf.int
        # = ...); quantile(fit, 0.5); summary(fit, rmean = tau)$table
        label = f"{name} {case['name']}"
        km = srma.kaplan_meier(*ipd.arm_data(case["arm"]), level=case["level"],
                               conf_type=case["conf_type"])
        e = case["expected"]
        assert (km.n, km.events) == (e["n"], e["events"]), label
        for column in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower",
                       "upper"):
            values = getattr(km, column)
            assert isinstance(values, np.ndarray) and values.dtype == np.float64
            assert len(values) == len(e[column]), f"{label} {column}"
            for i, (a, b) in enumerate(zip(values.tolist(), e[column])):
                assert matches(a, b), f"{label} {column}[{i}]: {a} vs {b}"
        for ours, theirs in (("estimate", "median"), ("lower", "median_lower"),
                             ("upper", "median_upper")):
            assert matches(km.median[ours], e[theirs]), f"{label} median {ours}"
            if e[theirs] is None:
                assert km.median[ours] is None  # not reached: None, as null in JSON
        for r in case["rmst"]:
            rmst, se = km.rmst(r["tau"])
            assert matches(rmst, r["rmst"]), f"{label} rmst to {r['tau']}"
            assert matches(se, r["se"]), f"{label} se(rmst) to {r['tau']}"


def test_km_hr_arms_carry_the_curves_medians_and_rmst():
    ref = reference("lung")
    fit = srma.km_hr(SURVIVAL / "lung.csv", "female", "male", tau=365)
    assert (fit.treatment, fit.control, fit.tau) == ("female", "male", 365)
    assert [a.name for a in fit.arms] == ["female", "male"]
    for arm, curve in zip(fit.arms, fit.curves):
        case = next(c for c in ref["km"] if c["arm"] == arm.name)
        # survfit(...) of that arm, R 4.2.2, survival 3.5-3 (lung.json)
        assert matches(arm.median, case["expected"]["median"])
        assert matches(arm.median_ci_lower, case["expected"]["median_lower"])
        assert matches(arm.median_ci_upper, case["expected"]["median_upper"])
        tau365 = next(r for r in case["rmst"] if r["tau"] == 365)
        assert matches(arm.rmst, tau365["rmst"]) and matches(arm.rmst_se, tau365["se"])
        assert curve.median.estimate == arm.median
        assert arm.n == curve.n and arm.events == curve.events
    assert fit.arms[0].n + fit.arms[1].n == fit.n == 228


# ---- KEYNOTE-189 reconstruction -----------------------------------------------------------


@pytest.fixture(scope="module")
def kn189():
    return srma.km_reconstruct(kn189_arms())


def test_keynote189_reconstruction_and_hr(kn189):
    assert isinstance(kn189, srma.ReconstructionResult)
    # tests/validation/data/km/keynote189/README.md: reconstructKM + coxph (Efron): 126 and 107
    # events, 410 and 206 patients (Gandhi 2018, Figure 1A)
    assert [(a.arm, a.n, a.events) for a in kn189.arms] == [
        ("Pembrolizumab", 410, 126), ("Placebo", 206, 107)]
    ipd = kn189.ipd
    assert ipd.reconstructed and ipd.arm_names == ["Pembrolizumab", "Placebo"]
    assert len(ipd) == 616 and int(ipd.event.sum()) == 233
    fit = srma.km_hr(kn189.ipd, "Pembrolizumab", "Placebo")
    # reconstructKM's HR 0.4967 (README); srma's default censoring spread gives 0.4985 (0.5%
    # apart on the log scale): within 2% on the log scale
    assert abs(math.log(fit.hr) - math.log(0.4967)) <= 0.02 * abs(math.log(0.4967))
    # published (Gandhi 2018): HR 0.49 (95% CI 0.38-0.64)
    assert fit.ci_lower == pytest.approx(0.38, abs=0.01)
    assert fit.ci_upper == pytest.approx(0.64, abs=0.01)
    assert [a.events for a in fit.arms] == [126, 107]
    assert fit.source == "km_reconstruction" and len(fit.reconstruction) == 2
    # the rebuilt curves follow the points (README: largest distances of the order of 0.004)
    assert all(0 < a.max_abs_error < 0.01 for a in kn189.arms)
    # numbers at risk matched at 0, 3, ..., 18 months: patients still at risk at 18 extend the
    # curve flat to 18 (docs/methods.md); 21, with nobody at risk, lies after it and is not used
    for arm in kn189.arms:
        assert [c.time for c in arm.at_risk] == [0, 3, 6, 9, 12, 15, 18]
        assert all(c.reconstructed == c.reported for c in arm.at_risk)
        assert any("extended flat to 18" in w for w in arm.warnings)
        assert any("at risk at 21 lies after the last point" in w for w in arm.warnings)


def test_reconstruction_from_arrays_equals_that_from_files(kn189):
    arms = []
    for name, stem in (("Pembrolizumab", "pembro"), ("Placebo", "pbo")):
        points = columns(KN189 / f"kn189_{stem}_clicks.csv")
        nar = columns(KN189 / f"kn189_{stem}_NAR.csv")
        arms.append({"name": name, "points": (np.array(points["time"]), points["survival"]),
                     "at_risk": (nar["time"], nar["NAR"])})
    rebuilt = srma.km_reconstruct(arms)
    assert rebuilt.to_dict() == kn189.to_dict()
    assert rebuilt.ipd.to_csv() == kn189.ipd.to_csv()
    assert rebuilt.summary() == kn189.summary()
    # a dict of columns is read as CSV text by the files' reader
    by_dict = srma.km_reconstruct([{
        "name": "Placebo", "points": columns(KN189 / "kn189_pbo_clicks.csv"),
        "at_risk": {"time": [0, 3, 6, 9, 12, 15, 18, 21],
                    "nar": [206, 183, 149, 104, 59, 25, 8, 0]}}])
    assert by_dict.arms[0] == kn189.arms[1]


def test_reconstruction_with_n_and_events_and_no_at_risk_table():
    points = ([0, 1, 2, 3, 4], [1.0, 0.9, 0.8, 0.7, 0.6])
    r = srma.km_reconstruct([{"name": "A", "points": points, "n": 50, "events": 20}])
    arm = r.arms[0]
    assert (arm.n, arm.events, arm.events_reported) == (50, 20, 20)
    assert arm.at_risk == [{"time": 0, "reported": 50, "reconstructed": 50}]
    assert "A: 50 patients" in r.summary()
    assert len(r.ipd) == 50 and r.ipd.arm_names == ["A"]


def test_reconstruction_ipd_writes_the_csv(kn189, tmp_path):
    out = tmp_path / "ipd.csv"
    assert kn189.ipd.to_csv(out) is None
    text = out.read_text()
    assert text == kn189.ipd.to_csv() and text.startswith("arm,time,event\n")
    back = srma.read_ipd(out)
    assert back.arm_names == kn189.ipd.arm_names
    assert np.array_equal(back.time, kn189.ipd.time)  # times written in full precision
    assert np.array_equal(back.event, kn189.ipd.event)
    assert not back.reconstructed


# ---- Patient data -------------------------------------------------------------------------


def test_ipd_from_arrays_equals_the_file():
    from_file = srma.read_ipd(TINY)
    arm = from_file.arm_labels
    for make in (list, tuple, np.asarray):
        d = srma.ipd_from_arrays(make(arm), make(from_file.time.tolist()),
                                 make(from_file.event.tolist()))
        assert d.arm_names == ["Research", "Control"]
        assert np.array_equal(d.time, from_file.time) and np.array_equal(d.event, from_file.event)
        assert np.array_equal(d.arm, from_file.arm)
        assert d.to_csv() == from_file.to_csv()
        assert d.source == "" and set(d.line) == {0}
    # booleans as events, numbers as arm labels
    d = srma.ipd_from_arrays([1, 1, 2, 2], [1.0, 2.0, 3.0, 4.0], [True, False, True, True])
    assert d.arm_names == ["1", "2"] and d.event.tolist() == [1, 0, 1, 1]
    t, e = d.arm_data("2")
    assert t.tolist() == [3.0, 4.0] and e.tolist() == [1, 1]
    assert "2 patients, 2 events" in repr(d)


def test_ipd_from_pandas_series_and_dataframe():
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(TINY)
    d = srma.ipd_from_arrays(df["arm"], df["time"], df["event"])
    assert d.to_csv() == srma.read_ipd(TINY).to_csv()
    assert srma.as_ipd(df).to_csv() == d.to_csv()
    fit = srma.km_hr(df, "Research", "Control", tau=10)
    assert fit.to_dict() == srma.km_hr(TINY, "Research", "Control", tau=10).to_dict()
    df.loc[3, "time"] = None
    e = raises_id("srma.survival.E901", srma.as_ipd, df)
    assert (e.file, e.line) == ("<DataFrame>", 5)


def test_kaplan_meier_result_fields():
    ipd = srma.read_ipd(SURVIVAL / "lung.csv")
    km = srma.kaplan_meier(*ipd.arm_data("male"))
    assert isinstance(km, srma.KaplanMeierResult)
    assert (km.level, km.conf_type) == (0.95, "log")
    assert (km.n, km.events) == (138, 112) and isinstance(km.n, int)
    d = km.to_dict()
    assert d == km.json()
    assert d["time"] == km.time.tolist() and d["surv"] == km.surv.tolist()
    assert set(d) == {"n", "events", "level", "conf_type", "median", "time", "n_risk", "n_event",
                      "n_censor", "surv", "std_err", "lower", "upper"}
    # S(t) is right-continuous: at a time of the curve it is already the value after the drop
    assert km.survival_at(float(km.time[5])) == km.surv[5]
    assert km.survival_at(0) == 1.0
    assert km.survival_at([0, float(km.time[5])]).tolist() == [1.0, km.surv[5]]
    assert "median 270" in km.summary()
    # a curve that stays above 0.5: median not reached (None), said in the text
    high = srma.kaplan_meier([1, 2, 3, 4], [1, 0, 0, 0])
    assert high.median.estimate is None and "NR" in high.summary()


# ---- Side by side with the command line ---------------------------------------------------


def run_cli(*args, ok=True):
    path = cli_path()
    if path is None:
        pytest.skip("the srma command-line program is absent (set SRMA_CLI)")
    done = subprocess.run([str(path), *map(str, args)], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    if ok:
        assert done.returncode == 0, f"srma {' '.join(map(str, args))}: {done.stderr}"
    return done


def kn189_cli_arms():
    return ["--arm", f"Pembrolizumab={KN189 / 'kn189_pembro_clicks.csv'},"
                     f"{KN189 / 'kn189_pembro_NAR.csv'}",
            "--arm", f"Placebo={KN189 / 'kn189_pbo_clicks.csv'},{KN189 / 'kn189_pbo_NAR.csv'}"]


KM_HR_CASES = [
    (SURVIVAL / "lung.csv", "female", "male", [], {}),
    (SURVIVAL / "lung_months.csv", "female", "male", ["--ties", "breslow", "--tau", "12"],
     {"ties": "breslow", "tau": 12}),
    (SURVIVAL / "veteran.csv", "test", "standard", ["--level", "90"], {"level": 0.9}),
    (SURVIVAL / "colon.csv", "Lev+5FU", "Obs", ["--tau", "1000"], {"tau": 1000}),
    (TINY, "Research", "Control", ["--tau", "10"], {"tau": 10}),
]


@pytest.mark.parametrize("case", KM_HR_CASES,
                         ids=lambda c: " ".join([c[0].name, c[1], c[2], *c[3]]))
def test_km_hr_equals_the_cli(case):
    path, treatment, control, args, kwargs = case
    cli = ["km", "hr", path, "--treatment", treatment, "--control", control, *args]
    expected = json.loads(run_cli(*cli, "--json").stdout)
    fit = srma.km_hr(path, treatment, control, **kwargs)
    assert fit.json() == expected
    assert json.dumps(fit.to_dict(), sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert fit.summary() == run_cli(*cli).stdout
    assert str(fit) == fit.summary()


def test_km_hr_of_a_reconstruction_equals_the_cli(kn189):
    cli = ["km", "hr", *kn189_cli_arms(), "--treatment", "Pembrolizumab", "--control",
           "Placebo", "--tau", "12"]
    fit = srma.km_hr(kn189.ipd, "Pembrolizumab", "Placebo", tau=12)
    assert fit.json() == json.loads(run_cli(*cli, "--json").stdout)
    assert fit.to_json() + "\n" == run_cli(*cli, "--json").stdout
    assert fit.summary() == run_cli(*cli).stdout
    # a reconstruction passed directly is its patient data
    assert srma.km_hr(kn189, "Pembrolizumab", "Placebo", tau=12).to_dict() == fit.to_dict()


def test_km_reconstruct_equals_the_cli(kn189, tmp_path):
    out = tmp_path / "cli.csv"
    printed = run_cli("km", "reconstruct", *kn189_cli_arms(), "-o", out, "--json").stdout
    expected = json.loads(printed)
    assert expected["output"] == str(out)
    assert kn189.json() == {"arms": expected["arms"]}
    assert out.read_text() == kn189.ipd.to_csv()
    text = run_cli("km", "reconstruct", *kn189_cli_arms(), "-o", tmp_path / "again.csv").stdout
    assert kn189.summary() == text


def test_km_plot_svg_equals_the_cli(tmp_path):
    out = tmp_path / "cli.svg"
    run_cli("km", "plot", TINY, "--treatment", "Research", "--control", "Control",
            "--digitised", f"Research={TINY_POINTS}", "--time-title", "Months", "-o", out)
    mine = srma.km_plot(TINY, "Research", "Control", {"Research": TINY_POINTS},
                        time_title="Months")
    assert mine.svg() == out.read_text()
    # the figure of the analysis is the same figure
    fit = srma.km_hr(TINY, "Research", "Control")
    assert fit.plot(digitised=[("Research", TINY_POINTS)], time_title="Months").svg() == \
        out.read_text()


def test_km_plot_of_a_reconstruction_equals_the_cli(kn189, tmp_path):
    out = tmp_path / "cli.svg"
    run_cli("km", "plot", *kn189_cli_arms(), "--treatment", "Pembrolizumab", "--control",
            "Placebo", "--ci", "--percent", "--time-step", "3", "--title", "KEYNOTE-189", "-o",
            out)
    mine = srma.km_plot(kn189, "Pembrolizumab", "Placebo", ci=True, percent=True, time_step=3,
                        title="KEYNOTE-189")
    assert mine.svg() == out.read_text()
    out = tmp_path / "plain.svg"
    run_cli("km", "plot", *kn189_cli_arms(), "-o", out)
    assert kn189.plot().svg() == out.read_text()


def test_errors_equal_the_cli():
    done = run_cli("km", "hr", TINY, "--treatment", "Research", "--control", "Placebo", ok=False)
    e = raises_id("srma.survival.E902", srma.km_hr, TINY, "Research", "Placebo")
    assert done.stderr == f"srma: error: {e}\n"
    done = run_cli("km", "reconstruct", "--arm", f"A={BAD_POINTS}", "--n", "A=50", "-o",
                   "/nonexistent/ipd.csv", ok=False)
    e = raises_id("srma.survival.E904", srma.km_reconstruct,
                  [{"name": "A", "points": BAD_POINTS, "n": 50}])
    assert done.stderr == f"srma: error: {e}\n"


# ---- Errors -------------------------------------------------------------------------------


def test_unknown_arm_is_e902():
    e = raises_id("srma.survival.E902", srma.km_hr, TINY, "Research", "Placebo")
    assert e.message == ("the control arm 'Placebo' is not in the data; its arms are 'Research', "
                         "'Control'")
    assert (e.file, e.line, e.subject) == (str(TINY), None, "Placebo")
    raises_id("srma.survival.E902", srma.km_hr, TINY, "Research", "research")  # the same arm
    raises_id("srma.survival.E902", srma.read_ipd(TINY).arm_data, "Placebo")
    e = raises_id("srma.survival.E902", srma.km_plot, TINY, digitised={"Placebo": TINY_POINTS})
    assert "'Placebo' is not in the data" in e.message


def test_bad_points_file_is_e904_at_line_and_column():
    e = raises_id("srma.survival.E904", srma.km_reconstruct,
                  [{"name": "A", "points": BAD_POINTS, "n": 50}])
    assert (e.file, e.line, e.column) == (str(BAD_POINTS), 4, 2)
    assert str(e) == (f"[srma.survival.E904] {BAD_POINTS}:4:2: survival is 'abc', but must be "
                      f"a number from 0 to 1 (or from 0 to 100 as a percentage)")
    e = raises_id("srma.survival.E904", srma.km_plot, TINY, digitised={"Research": BAD_POINTS})
    assert (e.line, e.column) == (4, 2)


def test_bad_files(tmp_path):
    bad = tmp_path / "ipd.csv"
    bad.write_text("arm,time,event\nA,1,1\nA,-2,0\n")
    e = raises_id("srma.survival.E901", srma.read_ipd, bad)
    assert str(e) == f"[srma.survival.E901] {bad}:3:2: time is '-2', but must be a finite number >= 0"
    bad.write_text("arm,time,event\nA,1,2\n")
    e = raises_id("srma.survival.E901", srma.read_ipd, bad)
    assert (e.line, e.column) == (2, 3)
    raises_id("srma.csv.E106", srma.read_ipd, tmp_path / "absent.csv")
    nar = tmp_path / "nar.csv"
    nar.write_text("time,nar\n0,100\n3,120\n")
    e = raises_id("srma.survival.E905", srma.km_reconstruct,
                  [{"name": "A", "points": TINY_POINTS, "at_risk": nar}])
    assert (e.file, e.line, e.column) == (str(nar), 3, 2)


def test_arrays_with_none_or_nan_name_the_index():
    e = raises_id("srma.survival.E901", srma.ipd_from_arrays, ["A", "A", "B"], [1, None, 3],
                  [1, 0, 1])
    assert e.message == "ipd_from_arrays: time[1] is nan, but must be a finite number >= 0"
    e = raises_id("srma.survival.E901", srma.ipd_from_arrays, ["A", "A", "B"], [1, 2, 3],
                  [1, 0, float("nan")])
    assert e.message == "ipd_from_arrays: event[2] is nan, but must be 1 (event) or 0 (censored)"
    e = raises_id("srma.survival.E901", srma.ipd_from_arrays, ["A", None, "B"], [1, 2, 3],
                  [1, 0, 1])
    assert e.message == "ipd_from_arrays: arm[1] is missing (None), but must name an arm"
    e = raises_id("srma.survival.E901", srma.ipd_from_arrays, ["A", "B", float("nan")],
                  [1, 2, 3], [1, 0, 1])
    assert e.message == "ipd_from_arrays: arm[2] is missing (nan), but must name an arm"
    e = raises_id("srma.survival.E901", srma.ipd_from_arrays, ["A", " "], [1, 2], [1, 0])
    assert e.message == "ipd_from_arrays: arm[1] is empty, but must name an arm"
    e = raises_id("srma.survival.E901", srma.ipd_from_arrays, ["A", "B"], [1, 2, 3], [1, 0])
    assert e.message == ("ipd_from_arrays: arm has 2 values, time 3 and event 2; they must have "
                         "the same length")
    raises_id("srma.survival.E901", srma.ipd_from_arrays, [], [], [])
    e = raises_id("srma.survival.E901", srma.kaplan_meier, np.array([1.0, np.nan]), [1, 1])
    assert e.message == "kaplan_meier: time[1] is nan, but must be a finite number >= 0"
    e = raises_id("srma.survival.E901", srma.kaplan_meier, [1, 2], [1, 2])
    assert e.message == "kaplan_meier: event[1] is 2, but must be 1 (event) or 0 (censored)"
    e = raises_id("srma.survival.E904", srma.km_reconstruct,
                  [{"name": "A", "points": ([0, 1, 2], [1, None, 0.5]), "n": 10}])
    assert e.message == ("points of arm 'A': survival[1] is nan, but must be a number from 0 to "
                         "1 (or from 0 to 100 as a percentage)")
    assert (e.file, e.line) == (None, None)
    e = raises_id("srma.survival.E904", srma.km_reconstruct,
                  [{"name": "A", "points": ([0, np.inf], [1, 0.5]), "n": 10}])
    assert e.message == "points of arm 'A': time[1] is inf, but must be a finite number >= 0"
    e = raises_id("srma.survival.E905", srma.km_reconstruct,
                  [{"name": "B", "points": ([0, 1], [1, 0.5]), "at_risk": ([0, 1], [10, None])}])
    assert e.message == ("numbers at risk of arm 'B': n[1] is nan, but must be a whole number "
                         ">= 0")
    # an error the library finds in an arm given as arrays says which arm
    e = raises_id("srma.survival.E905", srma.km_reconstruct,
                  [{"name": "B", "points": ([0, 1], [1, 0.5]), "at_risk": ([0, 1], [10, 12])}])
    assert e.message.startswith("arm 'B': ")


def test_option_errors():
    raises_id("srma.cli.E401", srma.km_hr, TINY, "Research", "Control", ties="exact")
    raises_id("srma.cli.E401", srma.kaplan_meier, [1, 2], [1, 0], conf_type="arcsin")
    e = raises_id("srma.survival.E907", srma.km_hr, TINY, "Research", "Control", level=95)
    assert "between 0 and 1" in e.message
    raises_id("srma.survival.E907", srma.kaplan_meier, [1, 2], [1, 0], level=1.5)
    e = raises_id("srma.survival.E907", srma.km_hr, TINY, "Research", "Control", tau=-1)
    assert e.message == "tau is -1, but must be a finite number > 0"
    raises_id("srma.survival.E907", srma.kaplan_meier([1, 2], [1, 0]).rmst, 0)
    e = raises_id("srma.survival.E907", srma.km_reconstruct,
                  [{"name": "A", "points": ([0, 1], [1, 0.5])}])
    assert "neither an at-risk table nor the number of patients n" in e.message
    raises_id("srma.cli.E401", srma.km_reconstruct, [])
    raises_id("srma.cli.E401", srma.km_reconstruct, kn189_arms() + kn189_arms()[:1])
    raises_id("srma.cli.E401", srma.km_plot, TINY, "Research")  # treatment without control
    raises_id("srma.plot.E504", srma.km_plot, TINY, time_step=-1)
    # no events in an arm: the HR is infinite
    d = srma.ipd_from_arrays(["A", "A", "B", "B"], [1, 2, 1, 2], [1, 1, 0, 0])
    raises_id("srma.survival.E903", srma.km_hr, d, "A", "B")


def test_type_errors():
    with pytest.raises(TypeError):
        srma.km_hr(42, "A", "B")
    with pytest.raises(TypeError):
        srma.ipd_from_arrays("AB", [1, 2], [1, 0])
    with pytest.raises(TypeError):
        srma.km_reconstruct([{"name": "A", "points": ([0, 1], [1, 0.5]), "n": 10, "N": 3}])
    with pytest.raises(TypeError):
        srma.km_reconstruct([{"points": ([0, 1], [1, 0.5]), "n": 10}])
    with pytest.raises(TypeError):
        srma.km_reconstruct([{"name": "A", "points": 3, "n": 10}])
    with pytest.raises(TypeError):
        srma.km_reconstruct([{"name": "A", "points": ([0, 1], [1, 0.5]), "n": "ten"}])
    with pytest.raises(TypeError):
        srma.km_plot(srma.km_hr(TINY, "Research", "Control"), "Research", "Control")


# ---- Figure -------------------------------------------------------------------------------


def test_km_plot_writes_svg_png_and_pdf(kn189, tmp_path):
    d = srma.km_plot(kn189, path=tmp_path / "km.svg", time_title="Months")
    assert isinstance(d, srma.Drawing) and d.width > 0 and d.height > 0
    svg = (tmp_path / "km.svg").read_text()
    assert svg == d.svg()
    for text in ("Pembrolizumab", "Placebo", "Months", "Number at risk"):
        assert text in svg, text
    assert "HR" not in svg  # no statistics without two arms to compare
    hr = srma.km_hr(kn189, "Pembrolizumab", "Placebo")
    assert "HR" in hr.plot(tmp_path / "km.png").svg()
    assert (tmp_path / "km.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    hr.plot(tmp_path / "km.pdf")
    assert (tmp_path / "km.pdf").read_bytes()[:5] == b"%PDF-"
    # options change the figure
    plain = srma.km_plot(TINY).svg()
    assert srma.km_plot(TINY, risk_table=False).svg() != plain
    assert "Number at risk" not in srma.km_plot(TINY, risk_table=False).svg()
    assert srma.km_plot(TINY, width="8in").width == pytest.approx(8 * 72)
    assert "My title" in srma.km_plot(TINY, title="My title").svg()


def test_results_are_records(kn189):
    fit = srma.km_hr(TINY, "Research", "Control", tau=10)
    assert isinstance(fit, srma.KmHrResult)
    assert fit.wald.p == fit["wald"]["p"] and fit.arms[0].name == "Research"
    assert fit.to_json() == json.dumps(fit.to_dict(), indent=2, sort_keys=True)
    assert "reconstruction" not in fit
    assert isinstance(fit.ipd, srma.SurvivalData) and fit.ipd.source == str(TINY)
    assert [c.median.estimate for c in fit.curves] == [a.median for a in fit.arms]
    assert "Pembrolizumab" in repr(kn189.ipd) and "reconstructed" in repr(kn189.ipd)
    assert repr(kn189) == ("<srma.ReconstructionResult: Pembrolizumab (410 patients, 126 "
                           "events), Placebo (206 patients, 107 events)>")
    assert os.fspath(TINY) in repr(fit.ipd)
