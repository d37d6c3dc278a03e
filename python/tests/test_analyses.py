# File: python/tests/test_analyses.py
#
# The sensitivity analyses, small-study tests, meta-regression, permutation tests, GOSH and the
# single statistics. Each is checked against another path through the library (a refit of a
# subset with srma.pool, the single test against the same test inside srma.bias) or against a
# definition recomputed here, so a binding that mixes up fields or options fails.
import math

import numpy as np
import pytest

import srma
from conftest import BCG, PIGNON


@pytest.fixture(scope="module")
def bcg():
    return srma.read_studies(BCG, measure="RR")


def test_leave1out_rows_are_refits_without_each_study(bcg):
    l1o = srma.leave1out(bcg)
    assert isinstance(l1o, srma.Leave1outResult)
    assert (l1o.model, l1o.tau2_method, l1o.k) == ("random", "REML", 13)
    assert [r.omitted for r in l1o.leave1out] == bcg.study
    pooled = {k: v for k, v in srma.pool(bcg).to_dict().items() if k != "input"}
    assert l1o.full == pooled  # the full analysis, as srma.pool
    for i in (0, 7, 12):
        others = [j for j in range(bcg.k) if j != i]
        refit = srma.pool(bcg.subset(others))
        row = l1o.leave1out[i]
        assert row.k == 12
        assert row.estimate == pytest.approx(refit.random.estimate, rel=1e-12)
        assert row.tau2 == pytest.approx(refit.heterogeneity.tau2, rel=1e-9)
        assert row.Q == pytest.approx(refit.heterogeneity.Q, rel=1e-12)
    assert "Aronson 1948" in l1o.summary()
    # the common-effect model is refitted when it leads
    assert srma.leave1out(bcg, model="common").model == "common"


def test_leave1out_of_arrays_and_options(bcg):
    arrays = srma.leave1out(bcg.yi, bcg.vi, method="DL", hksj=True)
    assert arrays.tau2_method == "DL" and arrays.ci_method == "hksj"
    assert arrays.leave1out[0].df == 11  # t with k - 2 df


def test_cumulative_adds_studies_in_year_order(bcg):
    c = srma.cumulative(bcg, order="year")
    assert c.order == "year"
    years = [int(bcg.attributes["year"][bcg.study.index(r.added)]) for r in c.cumulative]
    assert years == sorted(years)
    assert [r.k for r in c.cumulative] == list(range(1, 14))
    last = c.cumulative[-1]
    assert last.estimate == pytest.approx(c.full["random"]["estimate"], rel=1e-12)
    assert [r.added for r in srma.cumulative(bcg).cumulative] == bcg.study  # input order


def test_influence(bcg):
    inf = srma.influence(bcg)
    assert [s.study for s in inf.influence] == bcg.study
    assert sum(s.weight for s in inf.influence) == pytest.approx(100, rel=1e-12)
    assert [b.study for b in inf.baujat] == bcg.study
    # hat values of the intercept-only model are the weights as proportions
    for s in inf.influence:
        assert s.hat == pytest.approx(s.weight / 100, rel=1e-12)
    assert "influential" in inf.influence[0]


def test_bias_equals_the_single_tests(bcg):
    b = srma.bias(bcg)
    assert b.k == 13 and b.model == "random"
    assert srma.egger_test(bcg).to_dict() == b.egger
    assert srma.egger_test(bcg.yi, bcg.vi, mixed=True).to_dict() == b.egger_mixed
    assert srma.peters_test(bcg).to_dict() == b.peters  # n = n_t + n_c of the 2x2 table
    assert srma.peters_test(bcg.yi, bcg.vi, n=bcg.sample_size).to_dict() == b.peters
    assert srma.begg_test(bcg).to_dict() == b.begg
    assert srma.trim_and_fill(bcg).to_dict() == b.trimfill
    assert srma.failsafe_n(bcg.yi, bcg.vi).to_dict() == b.failsafe
    r0 = srma.bias(bcg, estimator="R0", alpha=0.1)
    assert r0.trimfill == srma.trim_and_fill(bcg, estimator="R0").to_dict()
    assert r0.trimfill.estimator == "R0" and r0.failsafe.alpha == 0.1
    assert srma.bias(bcg, side="left").trimfill.side == "left"
    assert "Egger" in b.summary()


def test_egger_classical_is_weighted_least_squares(bcg):
    # Egger's classical test: lm(yi ~ sei, weights = 1/vi); the slope is the bias
    y, v = bcg.yi, bcg.vi
    x = np.column_stack([np.ones_like(y), np.sqrt(v)])
    w = 1 / v
    beta = np.linalg.solve(x.T @ (w[:, None] * x), x.T @ (w * y))
    e = srma.egger_test(y, v)
    assert (e.predictor, e.mixed, e.df) == ("sei", False, 11)
    assert e.bias == pytest.approx(beta[1], rel=1e-10)
    assert e.limit_estimate == pytest.approx(beta[0], rel=1e-10)


def test_failsafe_rosenthal_follows_its_definition(bcg):
    # Rosenthal: k (z_sum / (sqrt(k) z_0.95))^2 - k, rounded up (metafor's fsn())
    z = bcg.yi / np.sqrt(bcg.vi)
    k = bcg.k
    raw = k * (abs(z.sum()) / (math.sqrt(k) * 1.6448536269514722)) ** 2 - k
    assert srma.failsafe_n(bcg).rosenthal == math.ceil(raw)


def test_metareg(bcg):
    m = srma.metareg(bcg, mods=["ablat"])
    assert [c.name for c in m.coefficients] == ["intercept", "ablat"]
    assert m.QM.df1 == 1 and m.QE.df == 11 and m.model == "random"
    assert srma.metareg(bcg, mods="ablat") == m  # the CLI's comma-separated form
    both = srma.metareg(bcg, mods="ablat,alloc")
    assert [c.name for c in both.coefficients] == [
        "intercept", "ablat", "alloc[random]", "alloc[systematic]"]
    year = srma.metareg(bcg, mods=["year"], factors=["year"])
    assert len(year.coefficients) == 1 + len(set(bcg.attributes["year"])) - 1
    assert srma.metareg(bcg, mods=["ablat"], model="common").tau2_method == "none"
    assert "ablat" in m.summary()


def test_metareg_with_one_factor_is_the_subgroup_test_under_a_shared_tau2(bcg):
    # metareg.hpp: with one categorical moderator QM is the test for subgroup differences when
    # tau^2 is shared (DL makes both use the same estimator on the same design)
    m = srma.metareg(bcg, mods=["alloc"], method="DL")
    s = srma.pool(bcg, by="alloc", method="DL", common_tau2=True, model="random")
    assert m.tau2 == pytest.approx(s.tau2_common, rel=1e-12)
    assert m.QM.statistic == pytest.approx(s.between_random.Q, rel=1e-10)


def test_permutation_test(bcg):
    p = srma.permutation_test(bcg, iterations=200, seed=7)
    assert (p.exact, p.iterations, p.seed) == (False, 200, 7)
    assert 0 < p.p <= 1
    assert srma.permutation_test(bcg, iterations=200, seed=7) == p  # reproducible
    small = bcg.subset(list(range(8)))
    exact = srma.permutation_test(small, exact=True)
    assert exact.exact and exact.iterations == 2**8
    # every sign flip once: the observed |z| is reached by itself and its mirror at least
    assert exact.p >= 2 / 2**8
    mods = srma.permutation_test(bcg, mods=["ablat"], iterations=100)
    assert [c.name for c in mods.coefficients] == ["intercept", "ablat"]
    assert "permutation" in mods.summary().lower()


def test_gosh(bcg):
    six = bcg.subset(list(range(6)))
    g = srma.gosh(six)
    assert (g.k, g.exact, g.subsets) == (6, True, 2**6 - 1)
    member = g.membership()
    assert member.shape == (63, 6) and member.dtype == bool
    assert list(g.size) == list(member.sum(axis=1))
    assert len(g.estimate) == len(g.to_dict()["estimate"]) == 63
    full = int(np.flatnonzero(g.size == 6)[0])
    assert g.estimate[full] == pytest.approx(srma.pool(six).random.estimate, rel=1e-9)
    assert g.summary().startswith("GOSH: all 63 subsets of 6 studies (random-effects model, REML).")
    sampled = srma.gosh(bcg, max_subsets=500, seed=3, method="DL")
    assert (sampled.exact, sampled.subsets, sampled.tau2_method) == (False, 500, "DL")


def test_estimate_tau2_and_qprofile_equal_the_pooled_model(bcg):
    for method in ("DL", "REML", "PM", "SJ"):
        t = srma.estimate_tau2(bcg.yi, bcg.vi, method=method)
        fit = srma.pool(bcg, method=method)
        assert t.method == method
        assert t.tau2 == fit.heterogeneity.tau2
        assert t.se == fit.heterogeneity.tau2_se
    ci = srma.qprofile_tau2_ci(bcg)
    fit = srma.pool(bcg)
    assert (ci.lower, ci.upper) == (fit.heterogeneity.tau2_ci_lower,
                                    fit.heterogeneity.tau2_ci_upper)
    assert ci.lower < fit.heterogeneity.tau2 < ci.upper
    narrow = srma.qprofile_tau2_ci(bcg.yi, bcg.vi, level=80)
    assert ci.lower < narrow.lower < narrow.upper < ci.upper


def test_pignon_subgroups_and_sensitivity():
    s = srma.read_studies(PIGNON)
    assert s.measure == "HR" and s.input == "oe,v"
    assert srma.leave1out(s).k == 65
    b = srma.bias(s)
    assert "peters" not in b  # no sample sizes in O - E, V input: no Peters' test, as the CLI
    with pytest.raises(AttributeError):
        b.peters  # noqa: B018
