# File: srma/_api.py
#
# The functions of srma for Python. Each takes the studies in any of these forms:
#   - two array-likes yi, vi (effects on the analysis scale and their sampling variances),
#   - an srma.Studies from srma.read_studies(path, measure=...) or srma.as_studies(...),
#   - a CSV file name (read as `srma pool FILE` reads it),
#   - a pandas DataFrame or a dict of columns (written to CSV text in memory and read by the same
#     C++ reader, so every column set the command line reads works: hr/lower/upper, loghr/se,
#     yi/sei, yi/vi, oe/v, 2x2 counts, means),
# plus the pooling options of the command line as keyword arguments, and returns a result object
# (srma/_results.py) with the fields of the command line's --json output.
#
# Example:
#
#   import srma
#   fit = srma.pool([-0.89, -1.59, -1.35, -1.44], [0.33, 0.19, 0.42, 0.02], method="DL")
#   print(fit.random.estimate, fit.heterogeneity.I2)
#   studies = srma.read_studies("examples/bcg/bcg.csv", measure="RR")
#   print(srma.metareg(studies, mods=["ablat"]).summary())
"""Analyses, single tests and figures of srma for Python."""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping
from typing import Any, Sequence

from . import _srma
from ._results import (
    BiasResult,
    CumulativeResult,
    GoshResult,
    InfluenceResult,
    Leave1outResult,
    MetaregResult,
    PermtestResult,
    PoolResult,
    Result,
    SubgroupResult,
    TestResult,
)

Studies = _srma.Studies
Drawing = _srma.Drawing

# Keyword arguments that say how to read the studies (srma::read_options, plus labels for
# arrays) and how to pool them (srma::pool_options; None = the preset's value).
_READ_KEYS = (
    "labels", "measure", "effect", "ci_level", "exclude_missing", "zero_cells", "measure_label",
)
_POOL_KEYS = (
    "preset", "model", "method", "hksj", "pi", "i2", "level", "auto_i2", "common_tau2",
    "rel_tol", "max_iter",
)


# ---- Studies -------------------------------------------------------------------------------


def read_studies(
    path: str | os.PathLike,
    *,
    measure: str | None = None,
    effect: str | None = None,
    ci_level: float = 95,
    exclude_missing: bool = False,
    zero_cells: str | None = None,
    measure_label: str | None = None,
) -> Studies:
    """Reads the studies of a CSV file, as ``srma pool FILE`` does.

    measure: HR, OR, RR, RD, MD, SMD, GEN, proportions (PR, PLN, PLO, PAS, PFT), correlations
    (COR, ZCOR), rates (IR, IRLN, IRR, IRD), ROM or SMDH (default: from the columns; OR for 2x2
    counts, MD for means). effect: the column set when several are present ("hr,lower,upper",
    "loghr,se", "yi,sei", "yi,vi", "oe,v", "2x2", "means", "proportion", "correlation", "rate",
    "two_rates", "hr_summaries"). ci_level: level of reported CIs when there is no ci_level
    column. exclude_missing: leave out (and list) studies whose effect columns are incomplete
    instead of raising srma.Error (srma.input.E204). zero_cells: whose zero-cell rule counts
    follow, "srma" (default), "metafor" (escalc: 1/2 added to tables with a zero, double zeros
    kept) or "revman5" (docs/methods.md, "Zero cells"); the pooling functions take it from their
    `preset` when not given. measure_label: the name of a generic effect (GEN) in reports and
    figures.
    """
    return _srma.read_studies(
        os.fspath(path), measure=measure, effect=effect, ci_level=ci_level,
        exclude_missing=exclude_missing, zero_cells=zero_cells, measure_label=measure_label,
    )


def _csv_cell(x: Any) -> str:
    """One cell of an in-memory CSV: numbers in full precision (repr round-trips a double),
    None and NaN empty (a missing value)."""
    if x is None:
        return ""
    if isinstance(x, float) or type(x).__name__.startswith("float"):
        x = float(x)
        return "" if math.isnan(x) else repr(x)
    return str(x)


def _mapping_to_csv(columns: Mapping) -> str:
    """CSV text of a dict of equally long columns {name: values}."""
    names = [str(n) for n in columns]
    values = [list(v) if not isinstance(v, str) else [v] for v in columns.values()]
    lengths = {len(v) for v in values}
    if len(lengths) > 1:
        sizes = ", ".join(f"{n}: {len(v)}" for n, v in zip(names, values))
        raise ValueError(f"the columns differ in length ({sizes})")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in zip(*values):
        writer.writerow([_csv_cell(x) for x in row])
    return out.getvalue()


def _is_dataframe(x: Any) -> bool:
    return hasattr(x, "to_csv") and hasattr(x, "columns") and hasattr(x, "index")


def _dataframe_to_csv(df: Any) -> str:
    """CSV text of a pandas DataFrame. pandas writes floats with repr, so every double
    round-trips; missing values become empty cells. A named index (e.g. set_index("study")) is
    written as a column, a default index is not."""
    named_index = any(n is not None for n in getattr(df.index, "names", [None]))
    return df.to_csv(index=named_index, na_rep="", lineterminator="\n")


def as_studies(
    data: Any,
    vi: Any = None,
    *,
    labels: Sequence[str] | None = None,
    measure: str | None = None,
    effect: str | None = None,
    ci_level: float = 95,
    exclude_missing: bool = False,
    zero_cells: str | None = None,
    measure_label: str | None = None,
) -> Studies:
    """The studies of `data` as an srma.Studies.

    data is one of: yi (with `vi`: array-likes of effects on the analysis scale and their
    sampling variances; `labels` optional, default "Study 1", ...), an srma.Studies (returned as
    it is), a CSV file name, a pandas DataFrame or a dict of columns. DataFrames and dicts are
    written to CSV text in memory and read by the same reader as files, so they take the same
    columns (study, hr/lower/upper, loghr/se, yi/sei, yi/vi, oe/v, events_t/n_t/events_c/n_c,
    m1/sd1/n1/m2/sd2/n2, and any other column as a study attribute); error locations then name
    "<DataFrame>" (or "<dict>") with line = row position + 2 (line 1 is the header).
    """
    read = dict(measure=measure, effect=effect, ci_level=ci_level,
                exclude_missing=exclude_missing, zero_cells=zero_cells,
                measure_label=measure_label)
    if vi is not None:
        if (effect is not None or exclude_missing or ci_level != 95 or zero_cells is not None
                or measure_label is not None):
            raise TypeError("effect, ci_level, exclude_missing, zero_cells and measure_label "
                            "apply to tables, not to yi, vi")
        return _srma.studies_from_arrays(
            data, vi, labels=None if labels is None else [str(x) for x in labels],
            measure=measure,
        )
    if labels is not None:
        raise TypeError("labels apply to yi, vi arrays; tables have a 'study' column")
    if isinstance(data, Studies):
        if (measure is not None or effect is not None or exclude_missing or ci_level != 95
                or zero_cells is not None or measure_label is not None):
            raise TypeError(
                "measure, effect, ci_level and exclude_missing apply when reading; these studies "
                "were read already (pass them to srma.read_studies)"
            )
        return data
    if isinstance(data, (str, os.PathLike)):
        return read_studies(data, **read)
    if _is_dataframe(data):
        return _srma.parse_studies(_dataframe_to_csv(data), "<DataFrame>", **read)
    if isinstance(data, Mapping):
        return _srma.parse_studies(_mapping_to_csv(data), "<dict>", **read)
    raise TypeError(
        f"expected yi and vi arrays, srma.Studies, a CSV file name, a pandas DataFrame or a dict "
        f"of columns; got {type(data).__name__}"
        + (" without vi" if hasattr(data, "__len__") else "")
    )


def _split(function: str, options: dict) -> tuple[dict, dict]:
    """Splits keyword arguments into reading and pooling options; unknown ones are a TypeError."""
    unknown = [k for k in options if k not in _READ_KEYS and k not in _POOL_KEYS]
    if unknown:
        raise TypeError(
            f"{function}() got unexpected keyword argument(s) {', '.join(map(repr, unknown))}; "
            f"reading options: {', '.join(_READ_KEYS)}; pooling options: {', '.join(_POOL_KEYS)}"
        )
    read = {k: v for k, v in options.items() if k in _READ_KEYS}
    pool_opts = {k: v for k, v in options.items() if k in _POOL_KEYS}
    return read, pool_opts


def _is_table(data: Any, vi: Any) -> bool:
    """True when `data` is read as a table (file, DataFrame, dict), where counts may occur."""
    return vi is None and (
        isinstance(data, (str, os.PathLike, Mapping)) or _is_dataframe(data)
    )


def _with_preset_zero_cells(read: dict, preset: str | None, data: Any, vi: Any) -> dict:
    """The reading options with the preset's zero-cell rule unless one was given, as the command
    line's --preset (metafor: escalc's rule; revman5: RevMan's)."""
    if preset is not None and read.get("zero_cells") is None and _is_table(data, vi):
        read = dict(read, zero_cells=preset)
    return read


def _prepare(function: str, data: Any, vi: Any, options: dict):
    """The studies and the pooling options of a call."""
    read, pool_opts = _split(function, options)
    read = _with_preset_zero_cells(read, pool_opts.get("preset"), data, vi)
    return as_studies(data, vi, **read), pool_options(**pool_opts)


def pool_options(
    *,
    preset: str | None = None,
    model: str | None = None,
    method: str | None = None,
    hksj: bool | None = None,
    pi: str | None = None,
    i2: str | None = None,
    level: float = 95,
    auto_i2: float = 20,
    common_tau2: bool = False,
    rel_tol: float | None = None,
    max_iter: int | None = None,
    pooling: str | None = None,
):
    """The pooling options (srma::pool_options), as the command line builds them: the preset's
    defaults, then every option given (None keeps the preset's value). See srma.pool."""
    return _srma.pool_options(
        preset=preset, model=model, method=method, hksj=hksj, pi=pi, i2=i2, level=level,
        auto_i2=auto_i2, common_tau2=common_tau2, rel_tol=rel_tol, max_iter=max_iter,
        pooling=pooling,
    )


# ---- Analyses ------------------------------------------------------------------------------


def pool(
    data: Any,
    vi: Any = None,
    *,
    by: str | None = None,
    labels: Sequence[str] | None = None,
    measure: str | None = None,
    effect: str | None = None,
    ci_level: float = 95,
    exclude_missing: bool = False,
    method: str | None = None,
    hksj: bool | None = None,
    model: str | None = None,
    level: float = 95,
    preset: str | None = None,
    pi: str | None = None,
    i2: str | None = None,
    auto_i2: float = 20,
    common_tau2: bool = False,
    rel_tol: float | None = None,
    max_iter: int | None = None,
    pooling: str | None = None,
    zero_cells: str | None = None,
    measure_label: str | None = None,
) -> PoolResult | SubgroupResult:
    """Pools the studies: common-effect and random-effects models, heterogeneity, prediction
    interval; with `by`, a subgroup analysis. The result has the fields of ``srma pool --json``.

    Studies: `data` and `vi` as in srma.as_studies (arrays yi, vi; srma.Studies; a CSV file; a
    DataFrame; a dict of columns), read with `labels`, `measure`, `effect`, `ci_level`,
    `exclude_missing`, `zero_cells` (default: the preset's rule) and `measure_label`.

    Pooling (the command line's options; None = the preset's value):
      method       tau^2 estimator: REML (default), DL, ML, PM, HS, SJ, HE, EB   (--tau2)
      hksj         True: Hartung-Knapp-Sidik-Jonkman CI (t, k-1 df); False: Wald z   (--hksj)
      model        "both" (default), "random", "common", or "auto" (common effect when I^2 is
                   below `auto_i2` percent, else random effects)                  (--model)
      level        confidence level in percent (95)                               (--level)
      preset       defaults of another tool: "srma", "metafor", "meta", "revman5" (--preset)
      pi           prediction interval: "t" (k-1 df), "t2", "z", "test", "none"   (--pi)
      i2           I^2 used in summaries and by model="auto": "Q" or "tau2"       (--i2)
      auto_i2      threshold (percent) of model="auto" (20)                       (--auto-i2)
      common_tau2  with `by`: one tau^2 shared by all subgroups                   (--common-tau2)
      rel_tol, max_iter  iteration control of the iterative estimators
      pooling      common-effect method for 2x2 counts: "iv" (inverse variance), "mh"
                   (Mantel-Haenszel: OR, RR, RD) or "peto" (Peto's OR); default "iv", "mh"
                   under preset="revman5" (which applies to 2x2 counts only)   (--method)

    Raises srma.Error for invalid data or options (e.g. srma.input.E205, srma.cli.E401).
    """
    read = _with_preset_zero_cells(
        dict(zero_cells=zero_cells, measure_label=measure_label), preset, data, vi)
    studies = as_studies(data, vi, labels=labels, measure=measure, effect=effect,
                         ci_level=ci_level, exclude_missing=exclude_missing, **read)
    opts = pool_options(
        preset=preset, model=model, method=method, hksj=hksj, pi=pi, i2=i2, level=level,
        auto_i2=auto_i2, common_tau2=common_tau2, rel_tol=rel_tol, max_iter=max_iter,
        pooling=pooling,
    )
    impl = _srma.pool(studies, opts, by, pooling is not None)
    return SubgroupResult(impl) if by is not None else PoolResult(impl)


def leave1out(data: Any, vi: Any = None, **options: Any) -> Leave1outResult:
    """Leave-one-out analysis: the model the full analysis leads with, refitted without each
    study (``srma leave1out --json``). Options: those of srma.pool."""
    studies, opts = _prepare("leave1out", data, vi, options)
    return Leave1outResult(_srma.leave1out(studies, opts))


def cumulative(
    data: Any, vi: Any = None, *, order: str | None = None, **options: Any
) -> CumulativeResult:
    """Cumulative meta-analysis: studies added one at a time in the order of column `order`
    (e.g. "year"; None: input order), refitting after each (``srma cumulative --order``).
    Options: those of srma.pool."""
    studies, opts = _prepare("cumulative", data, vi, options)
    return CumulativeResult(_srma.cumulative(studies, opts, order or ""))


def influence(data: Any, vi: Any = None, **options: Any) -> InfluenceResult:
    """Influence diagnostics (externally standardised residuals, DFFITS, Cook's distance,
    covariance ratio, ...) and Baujat coordinates (``srma influence --json``). Options: those of
    srma.pool."""
    studies, opts = _prepare("influence", data, vi, options)
    return InfluenceResult(_srma.influence(studies, opts))


def bias(
    data: Any,
    vi: Any = None,
    *,
    estimator: str = "L0",
    side: str | None = None,
    n: str | None = None,
    alpha: float = 0.05,
    **options: Any,
) -> BiasResult:
    """Small-study effects, all at once (``srma bias --json``): Egger's test (classical and
    mixed-effects), Peters' test (when sample sizes exist), Begg's rank test, trim-and-fill and
    fail-safe N.

    estimator: trim-and-fill's "L0" or "R0"; side: "left" or "right" (default: from the sign of
    Egger's slope, as metafor); n: column of total sample sizes for Peters' test (default:
    n_t + n_c or n1 + n2 when the input has them); alpha: of the fail-safe N. Other options:
    those of srma.pool.
    """
    studies, opts = _prepare("bias", data, vi, options)
    return BiasResult(_srma.bias(studies, opts, estimator, side, n, alpha))


def _names(value: str | Sequence[str] | None) -> list[str]:
    """Column names from a list or from "a,b" (the command line's comma-separated form)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [x.strip() for x in value.split(",") if x.strip()]
    return [str(x) for x in value]


def metareg(
    data: Any,
    vi: Any = None,
    *,
    mods: str | Sequence[str],
    factors: str | Sequence[str] = (),
    **options: Any,
) -> MetaregResult:
    """Mixed-effects meta-regression on the moderator columns `mods` (``srma metareg --mods``).

    A moderator is categorical when none of its values is a number, or when named in `factors`.
    The model is random effects unless model="common". Options: those of srma.pool.
    """
    studies, opts = _prepare("metareg", data, vi, options)
    return MetaregResult(_srma.metareg(studies, opts, _names(mods), _names(factors)))


def permutation_test(
    data: Any,
    vi: Any = None,
    *,
    mods: str | Sequence[str] | None = None,
    factors: str | Sequence[str] = (),
    iterations: int = 1000,
    exact: bool = False,
    seed: int = 1,
    **options: Any,
) -> PermtestResult:
    """Permutation test of the pooled effect (no `mods`: sign flips) or of meta-regression
    coefficients (``srma permtest``): `iterations` random permutations from `seed`, or every one
    with exact=True. Options: those of srma.pool."""
    studies, opts = _prepare("permutation_test", data, vi, options)
    return PermtestResult(
        _srma.permutation_test(studies, opts, _names(mods), _names(factors), iterations, exact,
                               seed)
    )


def gosh(
    data: Any,
    vi: Any = None,
    *,
    max_subsets: int = 1_000_000,
    seed: int = 1,
    **options: Any,
) -> GoshResult:
    """GOSH: the model fitted to every subset of the studies (2^k - 1 when at most
    `max_subsets`, else that many random subsets from `seed`). Options: those of srma.pool."""
    studies, opts = _prepare("gosh", data, vi, options)
    return GoshResult(_srma.gosh(studies, opts, max_subsets, seed))


# ---- Single statistics on yi, vi -----------------------------------------------------------


def _effects(function: str, data: Any, vi: Any, options: dict):
    """yi, vi (arrays, or those of a table) and the pooling options of a single test."""
    read, pool_opts = _split(function, options)
    if vi is None or read:
        studies = as_studies(data, vi, **read)
        return studies.yi, studies.vi, pool_options(**pool_opts), studies
    return data, vi, pool_options(**pool_opts), None


def egger_test(data: Any, vi: Any = None, *, mixed: bool = False, **options: Any) -> TestResult:
    """Egger's regression test: classical (weighted least squares, t with k-2 df; the pooling
    options do not matter) or, with mixed=True, the meta-regression on the SE with the model's
    estimator and test. Fields as "egger" of ``srma bias --json``."""
    yi, vi, opts, _ = _effects("egger_test", data, vi, options)
    return TestResult(_srma.egger_test(yi, vi, opts, mixed))


def peters_test(
    data: Any, vi: Any = None, *, n: Any = None, mixed: bool = False, **options: Any
) -> TestResult:
    """Peters' test: Egger's regression on 1/n. `n`: total sample sizes (default: those of a
    table with 2x2 counts or means). Fields as "peters" of ``srma bias --json``."""
    yi, vi, opts, studies = _effects("peters_test", data, vi, options)
    if n is None:
        n = None if studies is None else studies.sample_size
        if n is None:
            raise TypeError("peters_test() needs n, the total sample size of each study")
    return TestResult(_srma.peters_test(yi, vi, n, opts, mixed))


def begg_test(data: Any, vi: Any = None, **read: Any) -> TestResult:
    """Begg and Mazumdar's rank correlation test: fields tau, p, exact ("begg" of
    ``srma bias --json``)."""
    yi, vi, _, _ = _effects("begg_test", data, vi, read)
    return TestResult(_srma.begg_test(yi, vi))


def trim_and_fill(
    data: Any,
    vi: Any = None,
    *,
    estimator: str = "L0",
    side: str | None = None,
    **options: Any,
) -> TestResult:
    """Trim-and-fill (Duval & Tweedie) with the L0 or R0 estimator around the model of the
    options (random effects unless model="common"). Fields as "trimfill" of
    ``srma bias --json``."""
    yi, vi, opts, _ = _effects("trim_and_fill", data, vi, options)
    return TestResult(_srma.trim_and_fill(yi, vi, opts, estimator, side))


def failsafe_n(data: Any, vi: Any = None, *, alpha: float = 0.05, **read: Any) -> TestResult:
    """Fail-safe numbers of Rosenthal, Orwin and Rosenberg (metafor's fsn()). Fields as
    "failsafe" of ``srma bias --json``."""
    yi, vi, _, _ = _effects("failsafe_n", data, vi, read)
    return TestResult(_srma.failsafe_n(yi, vi, alpha))


def estimate_tau2(
    data: Any,
    vi: Any = None,
    *,
    method: str = "REML",
    rel_tol: float | None = None,
    max_iter: int | None = None,
    **read: Any,
) -> TestResult:
    """The between-study variance tau^2 by `method` (DL, REML, ML, PM, HS, SJ, HE, EB): fields
    method, tau2, se, iterations, at_zero_by_ll_check, notes."""
    yi, vi, _, _ = _effects("estimate_tau2", data, vi, read)
    return TestResult(_srma.estimate_tau2(yi, vi, method, rel_tol, max_iter))


def qprofile_tau2_ci(
    data: Any,
    vi: Any = None,
    *,
    level: float = 95,
    rel_tol: float | None = None,
    max_iter: int | None = None,
    **read: Any,
) -> TestResult:
    """The Q-profile confidence interval for tau^2 (Viechtbauer 2007): fields level, lower,
    upper, null_set."""
    yi, vi, _, _ = _effects("qprofile_tau2_ci", data, vi, read)
    return TestResult(_srma.qprofile_tau2_ci(yi, vi, level, rel_tol, max_iter))


# ---- Figures -------------------------------------------------------------------------------


def _save(d: Drawing, path: str | os.PathLike | None, dpi: float) -> Drawing:
    if path is not None:
        d.save(os.fspath(path), dpi=dpi)
    return d


def forest(
    data: Any,
    path: str | os.PathLike | None = None,
    *,
    columns: str | Sequence[str] = (),
    sort: str = "none",
    pi: bool | str = False,
    stats: bool = True,
    title: str = "",
    favours: str | Sequence[str] | None = None,
    xlim: tuple[float, float] | None = None,
    ref: float | None = None,
    xlab: str | None = None,
    decimals: int | None = None,
    font_size: float = 9,
    width: float | str | None = None,
    height: float | str | None = None,
    dpi: float = 150,
    by: str | None = None,
    **options: Any,
) -> Drawing:
    """A forest plot (``srma forest``), written to `path` (.svg, .pdf, .png) when given.

    data: a result of srma.pool (with or without `by`), srma.leave1out or srma.cumulative, or
    studies in any form srma.pool takes (then pooled with `options` and `by` first).
    columns: study attributes shown left of the plot (e.g. ["year"]); sort: "none", "effect",
    "weight" or a column; pi: True adds the prediction interval row (a method such as "t2"
    also chooses it when pooling here); stats: heterogeneity and test lines; favours:
    "left|right" or a pair; xlim: axis limits on the display scale; ref: reference line; xlab:
    axis title ("" none); decimals; font_size in points; width/height in points or with a
    unit ("7in", "180mm"); dpi of PNG output. Returns the srma.Drawing.
    """
    if isinstance(data, Result):
        if options or by is not None:
            raise TypeError("pooling options and by apply when forest() pools the studies, "
                            "not to a result")
        if isinstance(pi, str):
            raise TypeError("pi='<method>' applies when forest() pools the studies; the result "
                            "has its prediction interval already (pass pi=True)")
        fit = data
    else:
        if isinstance(pi, str):
            options["pi"] = pi
        fit = pool(data, by=by, **options)
    d = _srma.forest_plot(
        fit._impl, columns=_names(columns), sort=sort, pi=bool(pi), stats=stats, title=title,
        favours=favours, xlim=xlim, ref=ref, xlab=xlab, decimals=decimals, font_size=font_size,
        width=width, height=height, dpi=dpi,
    )
    return _save(d, path, dpi)


def funnel(
    data: Any,
    path: str | os.PathLike | None = None,
    *,
    contours: Sequence[float] = (),
    pseudo_ci: bool = True,
    egger: bool = False,
    trimfill: str | None = None,
    title: str = "",
    xlim: tuple[float, float] | None = None,
    se_max: float | None = None,
    xlab: str | None = None,
    font_size: float = 9,
    width: float | str | None = None,
    height: float | str | None = None,
    dpi: float = 150,
    **options: Any,
) -> Drawing:
    """A funnel plot (``srma funnel``), written to `path` (.svg, .pdf, .png) when given.

    data: a result of srma.pool (without `by`) or studies in any form srma.pool takes (pooled
    with `options` first). contours: significance contours around the null (e.g. [90, 95, 99]);
    pseudo_ci: the pseudo confidence region; egger: Egger's regression line; trimfill: "L0" or
    "R0" adds the imputed studies as open circles; the rest as srma.forest. Returns the
    srma.Drawing.
    """
    if isinstance(data, Result):
        if options:
            raise TypeError("pooling options apply when funnel() pools the studies, not to a "
                            "result")
        if not isinstance(data, PoolResult):
            raise TypeError(f"funnel() needs a result of srma.pool without by, not "
                            f"{type(data).__name__}")
        fit = data
    else:
        fit = pool(data, **options)
    d = _srma.funnel_plot(
        fit._impl, contours=[float(c) for c in contours], pseudo_ci=pseudo_ci, egger=egger,
        trimfill=trimfill, title=title, xlim=xlim, se_max=se_max, xlab=xlab,
        font_size=font_size, width=width, height=height, dpi=dpi,
    )
    return _save(d, path, dpi)


# ---- Survival: patient data, Kaplan-Meier, Cox and log-rank, reconstruction ------------------

SurvivalData = _srma.SurvivalData


def read_ipd(path: str | os.PathLike) -> SurvivalData:
    """Reads patient data from a CSV file with the columns arm, time, event (also accepted:
    group for arm, status for event; names in any case and order; other columns are ignored),
    as ``srma km hr FILE`` reads it. Raises srma.Error (srma.survival.E901) at file:line:column
    for a missing column, a time that is not a finite number >= 0, an event other than 0 or 1,
    an empty arm label or no rows."""
    return _srma.read_ipd(os.fspath(path))


def ipd_from_arrays(arm: Any, time: Any, event: Any) -> SurvivalData:
    """Patient data from one arm label, follow-up time and event (1) or censoring (0) per
    patient: lists, tuples, numpy arrays or pandas Series of equal length. Arms are numbered in
    order of first appearance. A None or NaN raises srma.Error (srma.survival.E901) naming its
    index, e.g. "ipd_from_arrays: time[3] is nan, but must be a finite number >= 0"."""
    return _srma.ipd_from_arrays(arm, time, event)


def as_ipd(data: Any) -> SurvivalData:
    """The patient data of `data`: an srma.SurvivalData (returned as it is), a reconstruction
    (its .ipd), a CSV file name (srma.read_ipd), or a pandas DataFrame or dict of columns arm,
    time, event (read as CSV text by the same reader as files; errors name "<DataFrame>" or
    "<dict>" with line = row position + 2)."""
    if isinstance(data, SurvivalData):
        return data
    if isinstance(data, ReconstructionResult):
        return data.ipd
    if isinstance(data, (str, os.PathLike)):
        return read_ipd(data)
    if _is_dataframe(data):
        return _srma.parse_ipd(_dataframe_to_csv(data), "<DataFrame>")
    if isinstance(data, Mapping):
        return _srma.parse_ipd(_mapping_to_csv(data), "<dict>")
    raise TypeError(
        f"expected patient data: srma.SurvivalData, a reconstruction, a CSV file name, a pandas "
        f"DataFrame or a dict of columns arm, time, event; got {type(data).__name__}"
    )


class KaplanMeierResult(Result):
    """A Kaplan-Meier estimate (srma.kaplan_meier), number for number as R's
    ``survfit(Surv(time, event) ~ 1, conf.type = conf_type, conf.int = level)``.

    Fields: n, events, level, conf_type, median (a Record: estimate, lower, upper; None when
    not reached). The curve at each distinct time as numpy arrays: time, n_risk, n_event,
    n_censor, surv, std_err (Greenwood SE of -log S), lower, upper (NaN where R has NA); lists
    (None for NaN) in to_dict(). rmst(tau) and survival_at(t) evaluate the curve.
    """

    def _array(self, name: str):
        return self._impl.array(name)

    time = property(lambda self: self._array("time"), doc="Distinct times, increasing")
    n_risk = property(lambda self: self._array("n_risk"), doc="At risk just before each time")
    n_event = property(lambda self: self._array("n_event"), doc="Events at each time")
    n_censor = property(lambda self: self._array("n_censor"), doc="Censored at each time")
    surv = property(lambda self: self._array("surv"), doc="S(t) at each time")
    std_err = property(lambda self: self._array("std_err"),
                       doc="Greenwood SE of -log S (R's fit$std.err)")
    lower = property(lambda self: self._array("lower"), doc="Pointwise lower confidence limit")
    upper = property(lambda self: self._array("upper"), doc="Pointwise upper confidence limit")

    def json(self) -> dict:
        """The fields as a plain dict (the same as to_dict())."""
        return self.to_dict()

    def rmst(self, tau: float) -> tuple[float, float]:
        """The restricted mean survival time to `tau` and its SE, (rmst, se), as R's
        ``print(fit, rmean = tau)``."""
        return self._impl.rmst(float(tau))

    def survival_at(self, t: Any):
        """S(t): a float for a number, a numpy array for an array-like of times."""
        return self._impl.survival_at(t)


class KmHrResult(Result):
    """The two-arm analysis of srma.km_hr: the fields of ``srma km hr --json`` (treatment,
    control, ties, level, n, events, hr, ci_lower, ci_upper, loghr, se, wald, likelihood_ratio,
    score, loglik, iterations, logrank, arms, tau; with reconstruction and source when the
    patients were rebuilt from curves, as ``srma km hr --arm ...``); summary() is its text."""

    def json(self) -> dict:
        """The fields as a plain dict, equal to ``srma km hr --json`` (the same as to_dict())."""
        return self.to_dict()

    @property
    def ipd(self) -> SurvivalData:
        """The patient data analysed."""
        return self._impl.ipd

    @property
    def curves(self) -> list[KaplanMeierResult]:
        """The Kaplan-Meier estimates of the treatment and the control arm."""
        return [KaplanMeierResult(self._impl.curve(i)) for i in (0, 1)]

    def plot(self, path: str | os.PathLike | None = None, **options: Any) -> Drawing:
        """The Kaplan-Meier figure with this HR and log-rank p (see srma.km_plot)."""
        return km_plot(self, path=path, **options)


class ReconstructionResult(Result):
    """Patient data rebuilt from digitised Kaplan-Meier curves (srma.km_reconstruct): field
    arms, as "arms" of ``srma km reconstruct --json`` (per arm: n, events, events_reported,
    max_abs_error, cleaning, at_risk, warnings); summary() is what that command prints; ipd the
    rebuilt patients (ipd.to_csv() is the file it writes)."""

    def json(self) -> dict:
        """The fields as a plain dict (the same as to_dict())."""
        return self.to_dict()

    @property
    def ipd(self) -> SurvivalData:
        """The reconstructed patients of all arms, usable by srma.km_hr and srma.km_plot."""
        return self._impl.ipd

    def plot(self, path: str | os.PathLike | None = None, **options: Any) -> Drawing:
        """The rebuilt curves over the digitised points (see srma.km_plot)."""
        return km_plot(self, path=path, **options)

    def __repr__(self) -> str:
        arms = ", ".join(f"{a['arm']} ({a['n']} patients, {a['events']:g} events)"
                         for a in self._data["arms"])
        return f"<srma.ReconstructionResult: {arms}>"


def kaplan_meier(time: Any, event: Any, *, level: float = 0.95,
                 conf_type: str = "log") -> KaplanMeierResult:
    """The Kaplan-Meier estimate of one sample with Greenwood SEs, pointwise CIs at `level` (a
    fraction, e.g. 0.95) on the `conf_type` scale ("log", R's default; "log-log"; "plain"), and
    the median with its CI (quantile.survfit's rules).

    time, event: array-likes (lists, numpy arrays, pandas Series) of follow-up times (finite,
    >= 0) and 1 (event) / 0 (censored). For one arm of patient data:
    ``srma.kaplan_meier(*ipd.arm_data("Placebo"))``.
    """
    return KaplanMeierResult(_srma.kaplan_meier(time, event, level=level, conf_type=conf_type))


def km_hr(
    ipd: Any,
    treatment: str,
    control: str,
    *,
    ties: str = "efron",
    tau: float | None = None,
    level: float = 0.95,
) -> KmHrResult:
    """Cox model (HR of `treatment` vs `control`, Wald CI; Wald, likelihood-ratio and score
    tests), log-rank test and, per arm, n, events, the median with its CI and, with `tau`, the
    restricted mean survival time to tau (``srma km hr``).

    ipd: patient data as srma.as_ipd takes them (srma.SurvivalData, a reconstruction, a CSV file
    name, a DataFrame). Arms are matched exactly, else ignoring case; an arm not in the data
    raises srma.Error srma.survival.E902. ties: "efron" (R's default) or "breslow"; level: the
    CIs' level as a fraction (0.95), as R's conf.int (the command line's --level is in percent).
    """
    data = as_ipd(ipd)
    return KmHrResult(_srma.km_hr(data, str(treatment), str(control), ties=ties,
                                  tau=None if tau is None else float(tau), level=level))


_ARM_KEYS = ("name", "points", "at_risk", "events", "n")


def _curve_of(points: Any, arm: str):
    """Digitised points: a CSV file (time,survival), a DataFrame or dict of columns, or a pair
    (time, survival) of array-likes."""
    if isinstance(points, _srma.DigitisedCurve):
        return points
    if isinstance(points, (str, os.PathLike)):
        return _srma.read_digitised_curve(os.fspath(points))
    if _is_dataframe(points):
        return _srma.parse_digitised_curve(_dataframe_to_csv(points), "<DataFrame>")
    if isinstance(points, Mapping):
        return _srma.parse_digitised_curve(_mapping_to_csv(points), "<dict>")
    if isinstance(points, (tuple, list)) and len(points) == 2:
        return _srma.digitised_curve_from_arrays(points[0], points[1], arm)
    raise TypeError(
        f"points of arm '{arm}': expected a CSV file name (time,survival), a DataFrame, a dict "
        f"of columns or a pair (time, survival) of arrays; got {type(points).__name__}"
    )


def _at_risk_of(at_risk: Any, arm: str):
    """Numbers at risk: None, a CSV file (time,nar), a DataFrame or dict of columns, or a pair
    (time, n) of array-likes."""
    if at_risk is None or isinstance(at_risk, _srma.AtRiskTable):
        return at_risk
    if isinstance(at_risk, (str, os.PathLike)):
        return _srma.read_at_risk(os.fspath(at_risk))
    if _is_dataframe(at_risk):
        return _srma.parse_at_risk(_dataframe_to_csv(at_risk), "<DataFrame>")
    if isinstance(at_risk, Mapping):
        return _srma.parse_at_risk(_mapping_to_csv(at_risk), "<dict>")
    if isinstance(at_risk, (tuple, list)) and len(at_risk) == 2:
        return _srma.at_risk_from_arrays(at_risk[0], at_risk[1], arm)
    raise TypeError(
        f"at_risk of arm '{arm}': expected None, a CSV file name (time,nar), a DataFrame, a "
        f"dict of columns or a pair (time, n) of arrays; got {type(at_risk).__name__}"
    )


def _count(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not hasattr(value, "__float__"):
        raise TypeError(f"{what}: expected a number or None; got {type(value).__name__}")
    return float(value)


def km_reconstruct(arms: Sequence[Mapping], *, max_adjustments: int = 1000) -> ReconstructionResult:
    """Patient data rebuilt from digitised Kaplan-Meier curves by Guyot et al.'s algorithm (BMC
    Med Res Methodol 2012;12:9), each arm on its own, as ``srma km reconstruct``.

    arms: one dict per arm with the keys
      name     the arm's label (required; each arm its own)
      points   the points read off the figure (required): a CSV file with columns time,
               survival (survival as a fraction or in percent), a DataFrame or dict of such
               columns, or a pair (time, survival) of array-likes
      at_risk  the numbers at risk printed under the figure: a CSV file with columns time, nar,
               a DataFrame or dict, a pair (time, n) of array-likes, or None
      events   the total events reported for the arm, or None
      n        the patients at time 0 when there is no at-risk table, or None
    max_adjustments bounds the censoring adjustments per at-risk interval.

    Raises srma.Error: srma.survival.E904 (points; located in a file, else naming the index),
    E905 (numbers at risk), E907 (neither at_risk nor n, events above n), srma.cli.E401 (no
    arm, an arm given twice). The result's ipd feeds srma.km_hr and srma.km_plot.
    """
    if isinstance(arms, Mapping):
        raise TypeError("arms: expected a list of dicts, one per arm")
    given = []
    for i, arm in enumerate(arms):
        if not isinstance(arm, Mapping):
            raise TypeError(f"arms[{i}]: expected a dict with keys {', '.join(_ARM_KEYS)}; got "
                            f"{type(arm).__name__}")
        unknown = [k for k in arm if k not in _ARM_KEYS]
        if unknown:
            raise TypeError(f"arms[{i}]: unknown key(s) {', '.join(map(repr, unknown))}; keys: "
                            f"{', '.join(_ARM_KEYS)}")
        for key in ("name", "points"):
            if key not in arm:
                raise TypeError(f"arms[{i}] has no '{key}'")
        name = str(arm["name"])
        given.append({
            "name": name,
            "points": _curve_of(arm["points"], name),
            "at_risk": _at_risk_of(arm.get("at_risk"), name),
            "events": _count(arm.get("events"), f"arms[{i}]['events']"),
            "n": _count(arm.get("n"), f"arms[{i}]['n']"),
        })
    return ReconstructionResult(_srma.km_reconstruct(given, max_adjustments=max_adjustments))


def km_plot(
    data: Any,
    treatment: str | None = None,
    control: str | None = None,
    digitised: Mapping | Sequence | None = None,
    *,
    path: str | os.PathLike | None = None,
    ties: str = "efron",
    ci: bool = False,
    risk_table: bool = True,
    censor_ticks: bool = True,
    digitised_points: bool = True,
    legend: bool = True,
    statistics: bool = True,
    percent: bool = False,
    time_step: float | None = None,
    time_max: float | None = None,
    time_title: str = "Time",
    survival_title: str = "Survival probability",
    risk_table_title: str = "Number at risk",
    title: str = "",
    font_size: float = 9,
    width: float | str | None = None,
    height: float | str | None = None,
    dpi: float = 300,
) -> Drawing:
    """The Kaplan-Meier figure (``srma km plot``): a step curve per arm with censoring ticks,
    optional confidence bands, the numbers at risk under the time axis and, with two arms to
    compare, the HR and log-rank p. Written to `path` (.svg, .pdf, .png) when given.

    data: the result of srma.km_hr (its arms and statistics), a reconstruction (its curves over
    the digitised points), or patient data as srma.as_ipd takes them; with patient data,
    `treatment` and `control` add the HR (Cox model with `ties`) and the log-rank p.
    digitised: points read off a published figure per arm, {arm: points} or [(arm, points)],
    points as in srma.km_reconstruct. Options as the command line's: ci (--ci), risk_table
    (False: --no-risk-table), censor_ticks, percent, time_step, time_max, time_title, title;
    and survival_title, risk_table_title, digitised_points, legend, statistics, font_size,
    width/height (points or "7in", "180mm"), dpi (PNG resolution, 300 as the CLI).
    """
    if isinstance(data, KmHrResult):
        source = data._impl
    else:
        source = as_ipd(data)
    pairs = []
    if digitised is not None:
        items = digitised.items() if isinstance(digitised, Mapping) else digitised
        for arm, points in items:
            pairs.append((str(arm), _curve_of(points, str(arm))))
    d = _srma.km_plot(
        source, treatment=treatment, control=control, digitised=pairs, ties=ties, ci=ci,
        risk_table=risk_table, censor_ticks=censor_ticks, digitised_points=digitised_points,
        legend=legend, statistics=statistics, percent=percent, time_step=time_step,
        time_max=time_max, time_title=time_title, survival_title=survival_title,
        risk_table_title=risk_table_title, title=title, font_size=font_size, width=width,
        height=height, dpi=dpi,
    )
    return _save(d, path, dpi)
