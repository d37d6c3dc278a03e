# File: python/tests/test_metafor.py
#
# A few numbers through the Python API against R's metafor 3.8-1, read from the reference files
# committed in tests/validation/data/ (written by tools/make_reference_pool.R and
# tools/make_reference_sensitivity.R; each case records its exact R call in "r_call"). The
# tolerances are those of tests/validation/reference.hpp: 1e-6 relative (tol::estimate), 1e-4
# for Q-profile bounds (tol::tau2_ci).
import pytest

import srma
from conftest import VALIDATION, reference_case

EST = 1e-6
TAU2_CI = 1e-4


def close(expected, rel=EST):
    return pytest.approx(expected, rel=rel, abs=1e-8)


def test_bcg_rr_reml_pooling():
    # bcg.json, case "bcg_RR_REML_z": rma(yi, vi, method="REML", test="z") on dat.bcg, measure RR
    ref = reference_case("bcg.json", "bcg_RR_REML_z")["expected"]
    fit = srma.pool(VALIDATION / "bcg.csv", measure="RR", method="REML")
    assert fit.random.estimate == close(ref["random"]["estimate"])
    assert fit.random.se == close(ref["random"]["se"])
    assert fit.common.estimate == close(ref["common"]["estimate"])
    assert fit.heterogeneity.Q == close(ref["heterogeneity"]["Q"])
    assert fit.heterogeneity.tau2 == close(ref["heterogeneity"]["tau2"])
    assert fit.heterogeneity.tau2_ci_upper == close(ref["heterogeneity"]["tau2_ci_upper"],
                                                     TAU2_CI)


def test_bcg_rr_pm_hksj_pooling():
    # bcg.json, case "bcg_RR_PM_knha": rma(yi, vi, method="PM", test="knha")
    ref = reference_case("bcg.json", "bcg_RR_PM_knha")["expected"]
    fit = srma.pool(VALIDATION / "bcg.csv", measure="RR", method="PM", hksj=True,
                    preset="metafor")
    assert fit.random.estimate == close(ref["random"]["estimate"])
    assert fit.random.ci_lower == close(ref["random"]["ci_lower"])
    assert fit.random.pi_upper == close(ref["random"]["pi_upper"])
    assert fit.heterogeneity.I2_tau2 == close(ref["heterogeneity"]["I2_tau2"])


def test_pignon_subgroups():
    # pignon2000.json, subgroup case "pignon2000_HR_by_timing_REML_separate_tau2": one rma()
    # per timing group; between_random = rma(est, sei=se, method="EE") over the groups
    ref = reference_case("pignon2000.json", "pignon2000_HR_by_timing_REML_separate_tau2")
    fit = srma.pool(VALIDATION / "pignon2000.csv", by="timing")
    exp = ref["expected"]
    assert fit.between_random.Q == close(exp["between_random"]["Q"])
    for got, want in zip(fit.subgroups, exp["subgroups"]):
        assert got.level == want["level"]
        assert got.random.estimate == close(want["random"]["estimate"])


def test_bcg_leave1out():
    # bcg_sensitivity.json, case "bcg_RR_leave1out_REML_z": leave1out(rma(..., method="REML"))
    ref = reference_case("bcg_sensitivity.json", "bcg_RR_leave1out_REML_z")["expected"]
    l1o = srma.leave1out(VALIDATION / "bcg.csv", measure="RR")
    for got, want in zip(l1o.leave1out, ref["leave1out"], strict=True):
        assert got.omitted == want["omitted"]
        assert got.estimate == close(want["estimate"])
        assert got.tau2 == close(want["tau2"])


def test_bcg_bias():
    # bcg_sensitivity.json, case "bcg_RR_bias_REML_z_L0": regtest(fit, model="lm"),
    # regtest(fit), ranktest(fit), trimfill(fit), fsn(yi, vi)
    ref = reference_case("bcg_sensitivity.json", "bcg_RR_bias_REML_z_L0")["expected"]
    b = srma.bias(VALIDATION / "bcg.csv", measure="RR")
    assert b.egger.bias == close(ref["egger"]["bias"])
    assert b.egger.p == close(ref["egger"]["p"])
    assert b.egger_mixed.limit_estimate == close(ref["egger_mixed"]["limit_estimate"])
    assert b.begg.p == close(ref["begg"]["p"])
    assert (b.trimfill.k0, b.trimfill.side) == (ref["trimfill"]["k0"], ref["trimfill"]["side"])
    assert b.trimfill.estimate == close(ref["trimfill"]["estimate"])
    assert b.failsafe.rosenthal == ref["failsafe"]["rosenthal"]


def test_bcg_metareg():
    # bcg_sensitivity.json, case "bcg_RR_metareg_ablat_REML_z": rma(yi, vi, mods=~ablat,
    # method="REML")
    ref = reference_case("bcg_sensitivity.json", "bcg_RR_metareg_ablat_REML_z")["expected"]
    m = srma.metareg(VALIDATION / "bcg.csv", measure="RR", mods=["ablat"])
    for got, want in zip(m.coefficients, ref["coefficients"], strict=True):
        assert got.name == want["name"]
        assert got.estimate == close(want["estimate"])
        assert got.se == close(want["se"])
    assert m.QM.statistic == close(ref["QM"]["statistic"])
    assert m.R2 == close(ref["R2"])


def test_pignon_metareg_factor():
    # pignon2000_sensitivity.json, case "pignon2000_HR_metareg_timing_DL_z":
    # rma(yi, vi, mods=~factor(timing), method="DL")
    ref = reference_case("pignon2000_sensitivity.json",
                         "pignon2000_HR_metareg_timing_DL_z")["expected"]
    m = srma.metareg(VALIDATION / "pignon2000.csv", mods=["timing"], factors=["timing"],
                     method="DL")
    assert [c.name for c in m.coefficients] == [c["name"] for c in ref["coefficients"]]
    assert m.tau2 == close(ref["tau2"])
    assert m.QE.Q == close(ref["QE"]["Q"])


def test_exact_permutation_test():
    # bcg10_sensitivity.json, case "bcg10_RR_permtest_REML_z": permutest(fit, exact=TRUE) over
    # the 2^10 sign flips of trials 1-10 of dat.bcg
    case = reference_case("bcg10_sensitivity.json", "bcg10_RR_permtest_REML_z")
    args, ref = case["args"], case["expected"]
    p = srma.permutation_test(VALIDATION / "bcg10.csv", measure=args["measure"],
                              method=args["tau2"], hksj=args["hksj"], exact=True)
    assert (p.exact, p.iterations) == (ref["exact"], ref["iterations"])
    assert p.p == close(ref["p"])
    assert p.coefficients[0].p == close(ref["coefficients"][0]["p"])
