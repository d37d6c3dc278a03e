# File: python/tests/test_cli_side_by_side.py
#
# Python and the command line side by side: the same analysis of the bundled examples through
# `srma <command> FILE ... --json` and through srma.<function>(FILE, ...) must give equal JSON,
# number for number (exact float equality; null == None), and the same text report and figures.
# The CLI is $SRMA_CLI (default /work/main/build/srma); without it these tests are skipped.
import json

import pytest

import srma
from conftest import BCG, PIGNON, VALIDATION

# (command, file, CLI arguments, Python function, Python keyword arguments)
CASES = [
    ("pool", BCG, ["--measure", "RR"], srma.pool, {"measure": "RR"}),
    ("pool", BCG, ["--measure", "RR", "--tau2", "PM", "--hksj"], srma.pool,
     {"measure": "RR", "method": "PM", "hksj": True}),
    ("pool", BCG, ["--measure", "OR", "--tau2", "DL", "--pi", "t2", "--level", "90"], srma.pool,
     {"measure": "OR", "method": "DL", "pi": "t2", "level": 90}),
    ("pool", BCG, ["--measure", "RR", "--preset", "metafor"], srma.pool,
     {"measure": "RR", "preset": "metafor"}),
    ("pool", BCG, ["--measure", "RR", "--model", "auto", "--auto-i2", "95"], srma.pool,
     {"measure": "RR", "model": "auto", "auto_i2": 95}),
    ("pool", BCG, ["--measure", "RR", "--by", "alloc"], srma.pool,
     {"measure": "RR", "by": "alloc"}),
    ("pool", PIGNON, [], srma.pool, {}),
    ("pool", PIGNON, ["--by", "timing"], srma.pool, {"by": "timing"}),
    ("pool", PIGNON, ["--by", "timing", "--common-tau2", "--tau2", "DL"], srma.pool,
     {"by": "timing", "common_tau2": True, "method": "DL"}),
    ("pool", PIGNON, ["--model", "common", "--i2", "tau2"], srma.pool,
     {"model": "common", "i2": "tau2"}),
    ("pool", PIGNON, ["--preset", "revman5"], srma.pool, {"preset": "revman5"}),
    ("leave1out", BCG, ["--measure", "RR"], srma.leave1out, {"measure": "RR"}),
    ("leave1out", PIGNON, ["--hksj"], srma.leave1out, {"hksj": True}),
    ("leave1out", BCG, ["--measure", "RR", "--model", "common"], srma.leave1out,
     {"measure": "RR", "model": "common"}),
    ("cumulative", BCG, ["--measure", "RR", "--order", "year"], srma.cumulative,
     {"measure": "RR", "order": "year"}),
    ("influence", BCG, ["--measure", "RR", "--tau2", "DL"], srma.influence,
     {"measure": "RR", "method": "DL"}),
    ("bias", BCG, ["--measure", "RR"], srma.bias, {"measure": "RR"}),
    ("bias", PIGNON, [], srma.bias, {}),
    ("bias", BCG, ["--measure", "RR", "--estimator", "R0", "--side", "left", "--alpha", "0.1"],
     srma.bias, {"measure": "RR", "estimator": "R0", "side": "left", "alpha": 0.1}),
    ("bias", BCG, ["--measure", "OR", "--model", "common"], srma.bias,
     {"measure": "OR", "model": "common"}),
    ("metareg", BCG, ["--measure", "RR", "--mods", "ablat"], srma.metareg,
     {"measure": "RR", "mods": ["ablat"]}),
    ("metareg", BCG, ["--measure", "RR", "--mods", "ablat,alloc"], srma.metareg,
     {"measure": "RR", "mods": ["ablat", "alloc"]}),
    ("metareg", BCG, ["--measure", "RR", "--mods", "year", "--hksj"], srma.metareg,
     {"measure": "RR", "mods": ["year"], "hksj": True}),
    ("metareg", BCG, ["--measure", "RR", "--mods", "year", "--factor", "year"], srma.metareg,
     {"measure": "RR", "mods": ["year"], "factors": ["year"]}),
    ("metareg", BCG, ["--measure", "RR", "--mods", "ablat", "--model", "common"], srma.metareg,
     {"measure": "RR", "mods": ["ablat"], "model": "common"}),
    ("metareg", PIGNON, ["--mods", "timing"], srma.metareg, {"mods": ["timing"]}),
    ("permtest", BCG, ["--measure", "RR", "--mods", "ablat", "--iter", "100", "--seed", "3"],
     srma.permutation_test, {"measure": "RR", "mods": ["ablat"], "iterations": 100, "seed": 3}),
    ("permtest", BCG, ["--measure", "RR", "--iter", "200"], srma.permutation_test,
     {"measure": "RR", "iterations": 200}),
]


def case_id(case):
    command, path, args = case[:3]
    return " ".join([command, path.name, *args])


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_json_equals_the_cli(case, cli_json):
    command, path, args, function, kwargs = case
    expected = cli_json(command, path, *args)
    got = function(str(path), **kwargs).to_dict()
    assert got == expected
    # the same keys at every level, and no float differs even in its last bit
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_text_equals_the_cli(case, cli):
    command, path, args, function, kwargs = case
    assert function(str(path), **kwargs).summary() == cli(command, path, *args)


def test_to_json_is_the_cli_output(cli):
    # Python's json.dumps and nlohmann::json both write the shortest round-trip form of a
    # double, so the text is the same byte for byte
    for command, path, args, function, kwargs in CASES[:3] + CASES[11:12] + CASES[16:17]:
        assert function(str(path), **kwargs).to_json() + "\n" == cli(command, path, *args,
                                                                      "--json")


def test_forest_svg_equals_the_cli(cli, tmp_path):
    out = tmp_path / "cli.svg"
    cli("forest", BCG, "--measure", "RR", "--columns", "year", "--sort", "effect", "--title",
        "BCG", "--favours", "Favours vaccine|Favours control", "--xlim", "0.1,10", "--pi",
        "-o", out)
    mine = srma.forest(str(BCG), measure="RR", columns=["year"], sort="effect", title="BCG",
                       favours="Favours vaccine|Favours control", xlim=(0.1, 10), pi=True)
    assert mine.svg() == out.read_text()
    out = tmp_path / "cli-by.svg"
    cli("forest", PIGNON, "--by", "timing", "--tau2", "DL", "--no-stats", "-o", out)
    mine = srma.forest(str(PIGNON), by="timing", method="DL", stats=False)
    assert mine.svg() == out.read_text()


def test_funnel_svg_equals_the_cli(cli, tmp_path):
    out = tmp_path / "cli.svg"
    cli("funnel", BCG, "--measure", "RR", "--contours", "90,95,99", "--egger", "--trimfill",
        "L0", "--title", "Funnel", "-o", out)
    mine = srma.funnel(str(BCG), measure="RR", contours=[90, 95, 99], egger=True, trimfill="L0",
                       title="Funnel")
    assert mine.svg() == out.read_text()


def test_refit_forest_svg_equals_the_cli(cli, tmp_path):
    out = tmp_path / "cli.svg"
    cli("leave1out", BCG, "--measure", "RR", "--title", "Leave one out", "-o", out)
    mine = srma.leave1out(str(BCG), measure="RR").forest(title="Leave one out")
    assert mine.svg() == out.read_text()


def test_gosh_equals_the_cli(cli, tmp_path):
    # bcg7.csv: 7 of the BCG trials (tests/validation/data/README.md), 127 subsets
    path = VALIDATION / "bcg7.csv"
    out = tmp_path / "cli.svg"
    printed = cli("gosh", path, "--measure", "RR", "--highlight", "2", "-o", out)
    g = srma.gosh(str(path), measure="RR")
    assert g.plot(highlight=1).svg() == out.read_text()  # the CLI counts from 1, Python from 0
    caption = [line for line in printed.splitlines() if line.startswith("Suggested caption: ")]
    assert caption == ["Suggested caption: " + g.caption(highlight=1)]
    assert printed.splitlines()[0] == g.summary().splitlines()[0]
