#!/usr/bin/env python3
"""Builds hr_mixed.csv: ten trials of Pignon et al. 2000 (examples/pignon2000), each written in
the form another paper might have reported it, and prints what each route should give back.

Every trial's published log-rank O - E and V (MACH-NC, via metadat::dat.pignon2000) is turned into
one reported form, rounded as a paper prints it (HR and CI to 2 decimals, p to 2 significant
digits, ln HR and SE to 3 decimals, chi-square to 2 decimals, expected events to 1 decimal):

  ci                 HR = exp((O-E)/V), 95% CI exp(ln HR +- 1.959964/sqrt(V))  (Parmar eq. 7)
  ci (90%)           the same with z = 1.644854 and a `level` of 90
  ci + p             a CI and the two-sided p of z = (O-E)/sqrt(V), cross-checked by srma
  loghr_se           ln HR = (O-E)/V, SE = 1/sqrt(V)
  oe_v               O - E and V as published
  observed_expected  O and E per arm, constructed: E_t ~ E_c ~ 2V (a 1:1 trial), O_t - E_t = O-E,
                     O_c - E_c = -(O-E), observed counts whole numbers (Parmar eq. 3, 5)
  logrank_chisq      chi^2 = (O-E)^2/V with V and the direction
  p_value            HR and the two-sided p
  p_events           p, total events D = 4V (1:1 allocation: V = D/4), 1:1 arms of 300
  p_arm_events       p and events per arm O_t = O_c = 2V (V = O_t O_c/(O_t + O_c))

The forms other than oe_v are constructed from O - E and V, not taken from the trials' own
papers. Expected values are computed here with Python's statistics.NormalDist, independently of
srma. Run from the repository root: python3 examples/hr_mixed/make_hr_mixed.py
"""
import csv
import math
import os
from statistics import NormalDist

N = NormalDist()
Z95 = N.inv_cdf(0.975)
Z90 = N.inv_cdf(0.95)
HERE = os.path.dirname(os.path.abspath(__file__))

ROUTES = [  # trial, route
    ("Int 0034", "oe_v"),
    ("RTOG 6801", "ci"),
    ("GSTTC-86", "ci90"),
    ("CFHNS", "ci+p"),
    ("Barcelona", "loghr_se"),
    ("SHNG 85", "observed_expected"),
    ("Manchester", "logrank_chisq"),
    ("ECOG 2382", "p_value"),
    ("HNCP", "p_events"),
    ("GETTECadj", "p_arm_events"),
]
COLUMNS = ["study", "timing", "hr", "lower", "upper", "level", "p", "loghr", "se", "oe", "v",
           "o_t", "e_t", "o_c", "e_c", "chisq", "direction", "events", "n_t", "n_c", "events_t",
           "events_c"]


def sig2(x):
    """x rounded to two significant digits, as text."""
    digits = max(0, 1 - math.floor(math.log10(abs(x))))
    return f"{x:.{digits}f}"


def z_of_p(p):
    return N.inv_cdf(1 - p / 2)


def main():
    with open(os.path.join(HERE, "..", "pignon2000", "pignon2000.csv"), newline="") as f:
        pignon = {r["study"]: r for r in csv.DictReader(f)}
    rows, report = [], []
    for trial, route in ROUTES:
        src = pignon[trial]
        oe, v = float(src["oe"]), float(src["v"])
        y, se, z = oe / v, 1 / math.sqrt(v), oe / math.sqrt(v)
        p = 2 * (1 - N.cdf(abs(z)))
        direction = "favours_treatment" if oe < 0 else "favours_control"
        r = {c: "" for c in COLUMNS}
        r["study"], r["timing"] = trial, src["timing"]
        if route in ("ci", "ci90", "ci+p"):
            zl = Z90 if route == "ci90" else Z95
            hr, lo, up = (f"{math.exp(t):.2f}" for t in (y, y - zl * se, y + zl * se))
            r.update(hr=hr, lower=lo, upper=up)
            if route == "ci90":
                r["level"] = "90"
            if route == "ci+p":
                r["p"] = sig2(p)
            got_y = math.log(float(hr))
            got_se = (math.log(float(up)) - math.log(float(lo))) / (2 * zl)
            got_v = 1 / got_se**2
        elif route == "loghr_se":
            r.update(loghr=f"{y:.3f}", se=f"{se:.3f}")
            got_y, got_se = float(r["loghr"]), float(r["se"])
            got_v = 1 / got_se**2
        elif route == "oe_v":
            r.update(oe=src["oe"], v=src["v"])
            got_y, got_v = y, v
            got_se = 1 / math.sqrt(v)
        elif route == "observed_expected":
            o_t, o_c = round(2 * v + oe), round(2 * v - oe)
            e_t, e_c = o_t - oe, o_c + oe
            r.update(o_t=str(o_t), e_t=f"{e_t:.1f}", o_c=str(o_c), e_c=f"{e_c:.1f}")
            et, ec = float(r["e_t"]), float(r["e_c"])
            got_y = math.log((o_t / et) / (o_c / ec))
            got_v = 1 / (1 / et + 1 / ec)
            got_se = 1 / math.sqrt(got_v)
        elif route == "logrank_chisq":
            r.update(chisq=f"{oe * oe / v:.2f}", v=src["v"], direction=direction)
            got_v = v
            got_y = math.copysign(math.sqrt(float(r["chisq"]) * v), oe) / v
            got_se = 1 / math.sqrt(v)
        elif route == "p_value":
            hr = f"{math.exp(y):.2f}"
            r.update(hr=hr, p=sig2(p))
            got_y = math.log(float(hr))
            got_se = abs(got_y) / z_of_p(float(r["p"]))
            got_v = 1 / got_se**2
        elif route == "p_events":
            d = round(4 * v)
            r.update(p=sig2(p), events=str(d), n_t="300", n_c="300", direction=direction)
            got_v = d * 300 * 300 / 600**2
            got_y = math.copysign(z_of_p(float(r["p"])) * math.sqrt(got_v), oe) / got_v
            got_se = 1 / math.sqrt(got_v)
        elif route == "p_arm_events":
            o = round(2 * v)
            r.update(p=sig2(p), events_t=str(o), events_c=str(o), direction=direction)
            got_v = o * o / (o + o)
            got_y = math.copysign(z_of_p(float(r["p"])) * math.sqrt(got_v), oe) / got_v
            got_se = 1 / math.sqrt(got_v)
        rows.append(r)
        source = {"ci90": "ci", "ci+p": "ci"}.get(route, route)
        report.append((trial, source, y, got_y, got_se, got_v * got_y, got_v))
    with open(os.path.join(HERE, "hr_mixed.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("trial,source,published (O-E)/V,ln HR,SE,O-E,V")
    for t, s, y0, y, se, oe, v in report:
        print(f"{t},{s},{y0!r},{y!r},{se!r},{oe!r},{v!r}")


if __name__ == "__main__":
    main()
