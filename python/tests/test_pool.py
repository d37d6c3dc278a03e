# File: python/tests/test_pool.py
#
# srma.pool and the study inputs it takes: lists, tuples and numpy arrays of yi and vi, tables
# read from CSV files, pandas DataFrames and dicts of columns; the pooling options; the result
# object (attributes, keys, to_dict, to_json, summary). Where a number is checked, it is
# recomputed here from its textbook formula with numpy, never copied from srma's output.
import json
import math

import numpy as np
import pytest

import srma
from conftest import BCG, PIGNON, VALIDATION

# Four BCG trials on the log RR scale (Colditz et al. 1994; examples/bcg/README.md).
YI = [-0.8893113339202054, -1.5853886572014306, -1.3480731482996933, -1.4415511900213054]
VI = [0.32558476500396133, 0.19458112139814385, 0.4153679653679654, 0.020010031902247573]


def inverse_variance(yi, vi):
    """Common-effect estimate, its SE and Cochran's Q from their definitions."""
    y, w = np.asarray(yi), 1 / np.asarray(vi)
    mu = float(np.sum(w * y) / np.sum(w))
    return mu, math.sqrt(1 / float(np.sum(w))), float(np.sum(w * (y - mu) ** 2))


def dersimonian_laird(yi, vi):
    """DerSimonian & Laird's tau^2: max(0, (Q - (k-1)) / (sum w - sum w^2 / sum w))."""
    w = 1 / np.asarray(vi)
    _, _, q = inverse_variance(yi, vi)
    return max(0.0, (q - (len(yi) - 1)) / float(np.sum(w) - np.sum(w**2) / np.sum(w)))


def test_lists_tuples_and_numpy_arrays_give_the_same_result():
    from_lists = srma.pool(YI, VI)
    assert srma.pool(tuple(YI), tuple(VI)).to_dict() == from_lists.to_dict()
    assert srma.pool(np.array(YI), np.array(VI)).to_dict() == from_lists.to_dict()
    # float32 input is converted to double (values change, so compare with a tolerance)
    f32 = srma.pool(np.array(YI, dtype=np.float32), np.array(VI, dtype=np.float32))
    assert f32.common.estimate == pytest.approx(from_lists.common.estimate, rel=1e-6)


def test_common_effect_and_q_follow_their_definitions():
    fit = srma.pool(np.array(YI), np.array(VI))
    mu, se, q = inverse_variance(YI, VI)
    assert fit.k == 4
    assert fit.common.estimate == pytest.approx(mu, rel=1e-13)
    assert fit.common.se == pytest.approx(se, rel=1e-13)
    assert fit.heterogeneity.Q == pytest.approx(q, rel=1e-12)
    assert fit.heterogeneity.df == 3
    assert fit.heterogeneity.I2 == pytest.approx(max(0, 100 * (q - 3) / q), rel=1e-12)
    weights = [s.weight_common for s in fit.studies]
    assert sum(weights) == pytest.approx(100, rel=1e-13)


def test_dl_random_effects_follow_their_definitions():
    fit = srma.pool(YI, VI, method="DL")
    tau2 = dersimonian_laird(YI, VI)
    w = 1 / (np.asarray(VI) + tau2)
    assert fit.random.tau2_method == "DL"
    assert fit.heterogeneity.tau2 == pytest.approx(tau2, rel=1e-12)
    assert fit.random.estimate == pytest.approx(float(np.sum(w * YI) / np.sum(w)), rel=1e-12)
    assert fit.random.se == pytest.approx(math.sqrt(1 / float(np.sum(w))), rel=1e-12)


def test_labels_and_measure_of_array_input():
    fit = srma.pool(YI, VI, labels=["a", "b", "c", "d"], measure="RR")
    assert [s.study for s in fit.studies] == ["a", "b", "c", "d"]
    assert fit.measure == "RR"
    # ratio measures also carry the back-transformed values
    assert fit.random.display.estimate == pytest.approx(math.exp(fit.random.estimate), rel=1e-15)
    unlabelled = srma.pool(YI, VI)
    assert [s.study for s in unlabelled.studies] == ["Study 1", "Study 2", "Study 3", "Study 4"]
    assert "display" not in unlabelled.random


def test_arrays_and_a_table_give_the_same_model():
    studies = srma.read_studies(BCG, measure="RR")
    from_table = srma.pool(studies)
    from_arrays = srma.pool(studies.yi, studies.vi, labels=studies.study, measure="RR")
    for key in ("studies", "common", "random", "heterogeneity", "model", "notes"):
        assert from_arrays[key] == from_table[key], key
    assert from_table.input.source == str(BCG)
    assert from_arrays.input.source == ""


def test_options_map_onto_pool_options():
    assert srma.pool(YI, VI).random.tau2_method == "REML"  # srma's default
    hk = srma.pool(YI, VI, hksj=True)
    assert hk.random.ci_method == "hksj"
    assert hk.random.df == 3  # t with k - 1 df
    revman = srma.pool(YI, VI, preset="revman5")
    assert revman.random.tau2_method == "DL"
    assert revman.random.pi_method == "none"
    assert revman.random.pi_lower is None  # undefined values are None, as null in the JSON
    # an explicit option overrides the preset's
    assert srma.pool(YI, VI, preset="revman5", method="PM").random.tau2_method == "PM"
    assert srma.pool(YI, VI, preset="metafor").model.i2_definition == "tau2"
    assert srma.pool(YI, VI, pi="t2").random.pi_df == 2
    assert srma.pool(YI, VI, i2="tau2").model.i2_definition == "tau2"
    common = srma.pool(YI, VI, model="common")
    assert (common.model.requested, common.model.primary) == ("common", "common")


def test_level_changes_every_interval():
    f95, f90 = srma.pool(YI, VI), srma.pool(YI, VI, level=90)
    assert f90.level == 90
    assert f95.random.ci_lower < f90.random.ci_lower < f90.random.ci_upper < f95.random.ci_upper
    z90 = 1.6448536269514722  # qnorm(0.95)
    assert f90.common.ci_upper - f90.common.estimate == pytest.approx(z90 * f90.common.se,
                                                                       rel=1e-12)


def test_auto_model_follows_the_i2_threshold():
    fit = srma.pool(YI, VI, model="auto")
    i2 = fit.heterogeneity.I2
    below = srma.pool(YI, VI, model="auto", auto_i2=min(100, i2 + 1))
    above = srma.pool(YI, VI, model="auto", auto_i2=max(0, i2 - 1))
    assert below.model.primary == "common"
    assert above.model.primary == "random"


def test_result_object_fields_dict_and_json():
    fit = srma.pool(BCG, measure="RR")
    assert fit.random.estimate == fit["random"]["estimate"]
    assert "heterogeneity" in fit and "nonsense" not in fit
    assert set(fit.keys()) >= {"k", "measure", "level", "model", "studies", "common", "random",
                               "heterogeneity", "notes", "input"}
    d = fit.to_dict()
    assert type(d) is dict and type(d["random"]) is dict and type(d["studies"][0]) is dict
    assert json.loads(fit.to_json()) == d
    d["k"] = -1  # a copy: the result is unchanged
    assert fit.k == 13
    with pytest.raises(AttributeError, match="no field 'nonsense'"):
        fit.nonsense  # noqa: B018
    with pytest.raises(AttributeError):
        fit.random.nonsense  # noqa: B018
    assert fit.summary().startswith("Meta-analysis of 13 studies: risk ratio (RR)")
    assert str(fit) == fit.summary()
    assert isinstance(fit.study_table, srma.Studies)
    assert fit == srma.pool(BCG, measure="RR")
    assert fit != srma.pool(BCG, measure="OR")


def test_subgroups():
    fit = srma.pool(PIGNON, by="timing")
    assert isinstance(fit, srma.SubgroupResult)
    assert fit.by == "timing"
    assert [g.level for g in fit.subgroups] == ["adjuvant", "neoadjuvant", "concomitant"]
    assert sum(g.k for g in fit.subgroups) == fit.k == 65
    assert fit.between.df == 2
    assert "timing" in fit.summary()
    shared = srma.pool(PIGNON, by="timing", common_tau2=True)
    assert shared.common_tau2 is True and shared.tau2_common is not None


def test_read_studies():
    s = srma.read_studies(BCG, measure="RR")
    assert (s.k, len(s), s.measure, s.input) == (13, 13, "RR", "events_t,n_t,events_c,n_c")
    assert s.study[0] == "Aronson 1948"
    assert isinstance(s.yi, np.ndarray) and s.yi.dtype == np.float64
    # Aronson 1948: 4/123 vaccinated and 11/139 control cases: log RR, and its variance
    assert s.yi[0] == pytest.approx(math.log((4 / 123) / (11 / 139)), rel=1e-14)
    assert s.vi[0] == pytest.approx(1 / 4 - 1 / 123 + 1 / 11 - 1 / 139, rel=1e-14)
    # The other columns, then the effect columns (any column can be a moderator; issue 12).
    assert s.attribute_names == ["year", "ablat", "alloc", "events_t", "n_t", "events_c", "n_c"]
    assert s.attributes["n_t"][0] == "123"
    assert s.attributes["alloc"][0] == "random"
    assert list(s.sample_size[:1]) == [123 + 139]
    assert s.line[0] == 2
    sub = s.subset([2, 0])
    assert sub.study == ["Rosenthal et al 1960", "Aronson 1948"]
    with pytest.raises(IndexError):
        s.subset([13])
    assert "13 studies" in repr(s)
    assert srma.read_studies(BCG).measure == "OR"  # the default for 2x2 counts


def test_pool_reads_a_path_and_takes_studies():
    by_path = srma.pool(str(BCG), measure="RR")
    assert srma.pool(srma.read_studies(str(BCG), measure="RR")) == by_path
    assert srma.pool(BCG, measure="RR") == by_path  # pathlib.Path


def test_dict_of_columns():
    table = {"study": ["a", "b", "c", "d"], "yi": YI, "vi": VI, "year": [1990, 1991, 1992, 1993]}
    fit = srma.pool(table)
    arrays = srma.pool(YI, VI, labels=["a", "b", "c", "d"])
    assert fit.random == arrays.random and fit.heterogeneity == arrays.heterogeneity
    assert fit.input.source == "<dict>"
    assert fit.study_table.attributes["year"] == ["1990", "1991", "1992", "1993"]
    with pytest.raises(ValueError, match="differ in length"):
        srma.pool({"yi": YI, "vi": VI[:3]})


def test_pool_options_object():
    o = srma.pool_options(preset="metafor", method="PM", hksj=True, level=90)
    assert (o.method, o.ci, o.i2, o.pi, o.level) == ("PM", "hksj", "tau2", "test", 90)
    assert "method='PM'" in repr(o)


# Mantel-Haenszel, Peto and the tools' zero-cell rules (issue 12): the references are metafor
# 3.8-1's rma.mh / rma.peto / rma on metadat's dat.nielweise2007 (18 trials, one double-zero
# table), committed by tools/make_reference_pool_2x2.R in tests/validation/data/pool2x2.json.
NIELWEISE = VALIDATION / "pool2x2_nielweise2007.csv"


def _case(name):
    with open(VALIDATION / "pool2x2.json", encoding="utf-8") as f:
        return json.load(f)["cases"][name]


def test_mantel_haenszel_under_metafors_rules_matches_rma_mh():
    ref = _case("nielweise2007_mh_metafor")
    fit = srma.pool(NIELWEISE, measure="OR", preset="metafor", pooling="mh", method="REML")
    assert fit.k == ref["k"] == 18  # metafor's escalc keeps the double-zero table
    assert fit.common.estimate == pytest.approx(ref["common"], rel=1e-6)
    assert fit.common.se == pytest.approx(ref["common_se"], rel=1e-6)
    assert fit.random.estimate == pytest.approx(ref["random"], rel=1e-6)
    assert fit.heterogeneity.tau2 == pytest.approx(ref["tau2"], rel=1e-6)
    assert fit.to_dict()["common"]["method"] == "mh"


def test_the_revman5_preset_pools_counts_by_mantel_haenszel_with_its_zero_cells():
    ref = _case("nielweise2007_mh_revman5")
    fit = srma.pool(NIELWEISE, measure="OR", preset="revman5")  # MH without pooling=
    assert fit.k == ref["k"] == 17  # RevMan: the double-zero study is not estimable
    assert fit.common.estimate == pytest.approx(ref["common"], rel=1e-6)
    assert fit.common.se == pytest.approx(ref["common_se"], rel=1e-6)
    assert fit.random.estimate == pytest.approx(ref["random"], rel=1e-6)
    assert fit.heterogeneity.tau2 == pytest.approx(ref["tau2"], rel=1e-6)
    peto = _case("nielweise2007_peto_revman5")
    p = srma.pool(NIELWEISE, measure="OR", preset="revman5", pooling="peto")
    assert p.common.estimate == pytest.approx(peto["common"], rel=1e-6)
    # Inverse variance stays the default elsewhere, and the preset's MH does not apply to
    # input without counts.
    assert srma.pool(NIELWEISE, measure="OR").to_dict()["common"]["method"] == "iv"
    assert srma.pool(PIGNON, preset="revman5").to_dict()["common"]["method"] == "iv"
    assert srma.pool(BCG, preset="revman5").to_dict()["common"]["method"] == "mh"


def test_pooling_and_zero_cell_choices_are_checked():
    with pytest.raises(srma.Error) as e:
        srma.pool(NIELWEISE, measure="OR", pooling="MH2")
    assert e.value.id == "srma.cli.E401"
    with pytest.raises(srma.Error) as e:
        srma.pool(YI, VI, pooling="mh")  # no 2x2 counts
    assert e.value.id == "srma.input.E206"
    with pytest.raises(srma.Error) as e:
        srma.read_studies(NIELWEISE, zero_cells="stata")
    assert e.value.id == "srma.cli.E401"
    assert srma.pool_options(preset="revman5").pooling == "mh"
    assert srma.pool_options(pooling="peto").pooling == "peto"
    # A read with metafor's rule keeps the double-zero table; srma's drops it.
    assert len(srma.read_studies(NIELWEISE, measure="OR", zero_cells="metafor")) == 18
    assert len(srma.read_studies(NIELWEISE, measure="OR", exclude_missing=True)) == 17


def test_new_measures_read_from_tables_with_a_label_for_generic_effects():
    props = {"study": ["A", "B", "C"], "events": [3, 10, 0], "n": [20, 40, 15]}
    fit = srma.pool(props, measure="PLO", preset="metafor", method="DL")
    # logit proportions with 1/2 added to the zero (escalc's to = "only0"), then DL by hand
    x = np.array([3.0, 10.0, 0.5])
    n = np.array([20.0, 40.0, 16.0])
    yi = np.log(x / (n - x))
    vi = 1 / x + 1 / (n - x)
    mu, _, _ = inverse_variance(yi, vi)
    assert fit.common.estimate == pytest.approx(mu, rel=1e-12)
    s = srma.as_studies({"study": ["A", "B"], "yi": [0.1, 0.3], "vi": [0.01, 0.02]},
                        measure_label="log response ratio")
    assert s.measure_label == "log response ratio"
