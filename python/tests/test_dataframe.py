# File: python/tests/test_dataframe.py
#
# pandas DataFrames as input: written to CSV text in memory and read by the C++ reader, so every
# column set of the command line works and the numbers equal those read from the file itself.
# Skipped when pandas is not installed.
import math

import numpy as np
import pytest

import srma
from conftest import BCG, PIGNON

pd = pytest.importorskip("pandas")


def without_source(d):
    d = dict(d)
    d["input"] = {k: v for k, v in d["input"].items() if k != "source"}
    return d


@pytest.mark.parametrize("path, measure", [(BCG, "RR"), (BCG, "OR"), (PIGNON, None)])
def test_dataframe_equals_the_csv_file(path, measure):
    from_file = srma.pool(path, measure=measure)
    from_frame = srma.pool(pd.read_csv(path), measure=measure)
    assert without_source(from_frame.to_dict()) == without_source(from_file.to_dict())
    assert from_frame.input.source == "<DataFrame>"
    assert from_frame.summary() == from_file.summary()


def test_dataframe_subgroups_and_metareg():
    df = pd.read_csv(BCG)
    assert (srma.pool(df, measure="RR", by="alloc").between ==
            srma.pool(BCG, measure="RR", by="alloc").between)
    assert (srma.metareg(df, measure="RR", mods=["ablat"]).coefficients ==
            srma.metareg(BCG, measure="RR", mods=["ablat"]).coefficients)


def test_dataframe_column_sets():
    # ratio and CI (hr, lower, upper): yi = log hr, SE from the CI width
    df = pd.DataFrame({"study": ["A", "B", "C"], "hr": [0.8, 0.6, 0.9],
                       "lower": [0.6, 0.4, 0.7], "upper": [1.1, 0.9, 1.2]})
    s = srma.as_studies(df)
    z = 1.959963984540054  # qnorm(0.975)
    assert s.measure == "HR"
    assert s.yi[1] == pytest.approx(math.log(0.6), rel=1e-14)
    assert s.vi[1] == pytest.approx(((math.log(0.9) - math.log(0.4)) / (2 * z)) ** 2, rel=1e-12)
    # yi with its SE; a float computed in Python round-trips through the CSV text exactly
    yi = [0.1 + 0.2, -0.25, 1 / 3]
    s = srma.as_studies(pd.DataFrame({"yi": yi, "sei": [0.1, 0.2, 0.3]}))
    assert list(s.yi) == yi
    assert s.vi[2] == 0.3**2


def test_dataframe_named_index_is_the_study_column():
    df = pd.read_csv(PIGNON).set_index("study")
    s = srma.as_studies(df)
    assert s.study[:2] == ["Pitie-74", "GETTECadj"]


def test_dataframe_missing_values():
    df = pd.DataFrame({"study": ["A", "B", "C", "D"], "yi": [0.1, np.nan, 0.3, 0.2],
                       "vi": [0.01, np.nan, 0.02, 0.03]})
    with pytest.raises(srma.Error) as e:
        srma.pool(df)
    assert e.value.id == "srma.input.E204"
    assert (e.value.file, e.value.line) == ("<DataFrame>", 3)  # row 1 is line 3 (header: 1)
    fit = srma.pool(df, exclude_missing=True)
    assert fit.k == 3
    assert [x["study"] for x in fit.input.excluded] == ["B"]
