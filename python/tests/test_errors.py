# File: python/tests/test_errors.py
#
# Library errors arrive in Python as srma.Error (a ValueError) with the error's stable id, its
# message and location as attributes, and str() equal to error::what(): "[id] file:line:col:
# message". Names that are not accepted carry the command line's id srma.cli.E401, values out of
# range the library's srma.model.E300.
import pickle

import numpy as np
import pytest

import srma
from conftest import BCG, PIGNON


def raises_id(error_id, call, *args, **kwargs):
    """Calls `call` and returns the srma.Error it raised, checking its id."""
    with pytest.raises(srma.Error) as info:
        call(*args, **kwargs)
    assert info.value.id == error_id, str(info.value)
    return info.value


def test_error_is_a_value_error_with_id_message_and_location():
    assert issubclass(srma.Error, ValueError)
    e = raises_id("srma.input.E205", srma.pool, [0.1, 0.2, 0.3], [0.01, -1, 0.02])
    assert e.message == "vi[1] is -1, but must be finite and > 0"
    assert str(e) == "[srma.input.E205] " + e.message
    assert e.args == (str(e),)
    assert e.family == "input"
    assert (e.file, e.line, e.column) == (None, None, None)
    assert isinstance(e, ValueError)


def test_error_in_a_csv_file_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("study,yi,vi\nA,0.1,0.02\nB,abc,0.03\n")
    e = raises_id("srma.input.E203", srma.read_studies, bad)
    assert (e.file, e.line, e.column) == (str(bad), 3, 2)
    assert str(e) == f"[srma.input.E203] {bad}:3:2: {e.message}"
    assert "'abc'" in e.message


def test_csv_errors(tmp_path):
    e = raises_id("srma.csv.E106", srma.read_studies, tmp_path / "absent.csv")
    assert e.file == str(tmp_path / "absent.csv")
    quote = tmp_path / "quote.csv"
    quote.write_text('study,yi,vi\n"A,0.1,0.02\n')
    raises_id("srma.csv.E101", srma.read_studies, quote)
    raises_id("srma.input.E201", srma.pool, {"x": [1.0, 2.0], "y": [1.0, 2.0]})


def test_array_errors():
    raises_id("srma.input.E213", srma.pool, [0.1, 0.2, 0.3], [0.01, 0.02])
    raises_id("srma.input.E205", srma.pool, [0.1, float("nan")], [0.01, 0.02])
    raises_id("srma.input.E205", srma.pool, np.array([0.1, None], dtype=object), [0.01, 0.02])
    raises_id("srma.input.E209", srma.pool, [], [])
    raises_id("srma.input.E207", srma.pool, [0.1, 0.2], [0.01, 0.02], labels=["a", "a"])
    raises_id("srma.input.E205", srma.egger_test, [0.1, 0.2, 0.3], [0.01, 0.0, 0.02])
    raises_id("srma.input.E205", srma.estimate_tau2, [0.1, 0.2, 0.3], [0.01, -1, 0.02])
    raises_id("srma.input.E213", srma.qprofile_tau2_ci, [0.1, 0.2, 0.3], [0.01, 0.02])


def test_option_values_carry_the_cli_id():
    for kwargs, words in [({"method": "XYZ"}, "DL, REML"), ({"preset": "stata"}, "metafor"),
                          ({"model": "mixed"}, "common, random"), ({"pi": "q"}, "t2"),
                          ({"i2": "H"}, "tau2"), ({"measure": "XX"}, "SMD")]:
        e = raises_id("srma.cli.E401", srma.pool, BCG, **kwargs)
        assert words in e.message, e.message
    raises_id("srma.cli.E401", srma.bias, BCG, estimator="Q0")
    raises_id("srma.cli.E401", srma.trim_and_fill, BCG, side="up")
    raises_id("srma.cli.E401", srma.estimate_tau2, [0.1, 0.2, 0.3], [0.1, 0.2, 0.1],
              method="OLS")


def test_model_errors():
    one = ([0.1], [0.01])
    raises_id("srma.model.E301", srma.leave1out, *one)
    raises_id("srma.model.E301", srma.begg_test, [0.1, 0.2], [0.01, 0.02])
    one_level = {"yi": [0.1, 0.3, 0.2], "vi": [0.01, 0.02, 0.03], "g": ["a", "a", "a"]}
    raises_id("srma.model.E301", srma.pool, one_level, by="g")  # one subgroup
    e = raises_id("srma.input.E215", srma.metareg, BCG, measure="RR", mods=["nosuch"])
    assert "nosuch" in e.message and e.file == str(BCG)
    raises_id("srma.input.E214", srma.pool, BCG, by="nosuch")
    raises_id("srma.input.E216", srma.cumulative, BCG, order="nosuch")
    constant = {"yi": [0.1, 0.3, 0.2, 0.4], "vi": [0.01] * 4, "x": [1.0] * 4}
    raises_id("srma.model.E304", srma.metareg, constant, mods=["x"])
    raises_id("srma.model.E305", srma.permutation_test, PIGNON, exact=True)  # 2^65 sign flips


def test_library_option_checks():
    yi, vi = [0.1, 0.3, 0.2, 0.5], [0.01, 0.02, 0.03, 0.02]
    e = raises_id("srma.model.E300", srma.pool, yi, vi, level=100)
    assert "between 0 and 100" in e.message
    raises_id("srma.model.E300", srma.pool, yi, vi, auto_i2=101)
    raises_id("srma.model.E300", srma.leave1out, yi, vi, max_iter=0)
    raises_id("srma.model.E300", srma.qprofile_tau2_ci, yi, vi, level=100)
    raises_id("srma.model.E300", srma.estimate_tau2, yi, vi, rel_tol=0)
    raises_id("srma.model.E300", srma.permutation_test, yi, vi, iterations=0)
    raises_id("srma.model.E300", srma.gosh, yi, vi, max_subsets=0)
    raises_id("srma.model.E300", srma.bias, yi, vi, alpha=2)
    raises_id("srma.model.E300", srma.failsafe_n, yi, vi, alpha=0)
    raises_id("srma.input.E212", srma.read_studies, BCG, ci_level=0)
    raises_id("srma.plot.E504", srma.gosh(yi, vi).plot, bin_above=0)


def test_plot_errors(tmp_path):
    fit = srma.pool(BCG, measure="RR")
    raises_id("srma.plot.E501", srma.forest, fit, tmp_path / "forest.txt")
    raises_id("srma.plot.E504", srma.forest, fit, favours="only one label")
    raises_id("srma.plot.E504", srma.forest, fit, xlim=(2, 1))
    raises_id("srma.plot.E503", srma.forest, fit, columns=["nosuch"])
    raises_id("srma.plot.E504", srma.funnel, fit, contours=[150])
    raises_id("srma.plot.E504", srma.forest, fit, dpi=1)


def test_python_argument_errors_are_type_and_value_errors():
    with pytest.raises(TypeError, match="unexpected keyword"):
        srma.leave1out(BCG, tau2="DL")
    with pytest.raises(TypeError, match="without vi"):
        srma.pool([0.1, 0.2])
    with pytest.raises(TypeError):
        srma.pool(["a", "b"], [0.1, 0.2])
    with pytest.raises(ValueError, match="dimensions"):
        srma.pool(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(TypeError, match="when reading"):
        srma.pool(srma.read_studies(BCG), measure="RR")
    with pytest.raises(TypeError):
        srma.funnel(srma.pool(BCG, by="alloc"))


def test_errors_survive_pickling():
    e = raises_id("srma.input.E205", srma.pool, [0.1, 0.2], [0.01, -1])
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is srma.Error and str(again) == str(e)
    assert (again.id, again.message) == (e.id, e.message)
