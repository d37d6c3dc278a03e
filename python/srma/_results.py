# File: srma/_results.py
#
# Result objects of srma for Python. Every analysis returns an object whose fields are those of
# the command line's --json output (docs/json-schema.md), reachable as attributes or keys, with
# summary() giving the command line's text report, to_dict() a plain dict and to_json() JSON text.
# Nested JSON objects are `Record`s: dicts whose keys are also attributes.
#
# Example:
#
#   fit = srma.pool("examples/bcg/bcg.csv", measure="RR")
#   fit.random.estimate              # the same double as "random": {"estimate": ...} of the CLI
#   fit["heterogeneity"]["I2"]       # keys work too
#   print(fit.summary())             # what `srma pool examples/bcg/bcg.csv --measure RR` prints
"""Result classes: the CLI's JSON fields as attributes, summary(), to_dict() and to_json()."""

from __future__ import annotations

import json
from typing import Any, Iterator

from . import _srma


class Record(dict):
    """A JSON object of a result: a dict whose keys can also be read as attributes.

    Example: ``fit.random.ci_lower == fit["random"]["ci_lower"]``.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no field '{name}'; fields: {', '.join(self)}") from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {k for k in self if k.isidentifier()})


def _records(x: Any) -> Any:
    """Nested dicts as Records (lists stay lists; numbers, strings, None stay as they are)."""
    if isinstance(x, dict):
        return Record((k, _records(v)) for k, v in x.items())
    if isinstance(x, list):
        return [_records(v) for v in x]
    return x


def _plain(x: Any) -> Any:
    """A deep copy with plain dicts and lists (what json.loads of the CLI's output gives)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


class Fields:
    """Named fields from a JSON object, as attributes and keys; to_dict() and to_json()."""

    def __init__(self, data: dict):
        self._data = _records(data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no field '{name}'; fields: {', '.join(self._data)}"
            ) from None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def keys(self):
        """The field names."""
        return self._data.keys()

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {k for k in self._data if k.isidentifier()})

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Fields):
            return type(self) is type(other) and self._data == other._data
        return NotImplemented

    __hash__ = None  # mutable contents: not hashable, as dicts

    def to_dict(self) -> dict:
        """The fields as plain dicts and lists (a deep copy); undefined values are None."""
        return _plain(self._data)

    def to_json(self, indent: int | None = 2) -> str:
        """The fields as JSON text (keys sorted, as the CLI writes them)."""
        return json.dumps(self.to_dict(), indent=indent, sort_keys=True, ensure_ascii=False)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k}={v!r}" for k, v in self._data.items() if not isinstance(v, (dict, list))
        )
        return f"<srma.{type(self).__name__} {shown}>"


class TestResult(Fields):
    """A single statistic (egger_test, begg_test, trim_and_fill, failsafe_n, estimate_tau2,
    qprofile_tau2_ci): its fields as attributes. Where `srma bias --json` reports the same test,
    the fields and numbers are the same (e.g. egger_test(...) == bias(...).egger)."""

    __test__ = False  # not a pytest test class, despite its name


class Result(Fields):
    """An analysis: the CLI's --json fields as attributes, summary() the CLI's text report."""

    def __init__(self, impl: Any, data: dict | None = None):
        self._impl = impl
        super().__init__(impl.json() if data is None else data)

    @property
    def study_table(self) -> _srma.Studies:
        """The studies the analysis ran on (srma.Studies)."""
        return self._impl.studies

    def summary(self) -> str:
        """The text report the command line prints for this analysis."""
        return self._impl.summary()

    def __str__(self) -> str:
        return self.summary()


class PoolResult(Result):
    """A pooled analysis (srma.pool): fields k, measure, level, model, studies, common, random,
    heterogeneity, notes, input, as `srma pool --json`."""

    def forest(self, path: str | None = None, **options: Any) -> _srma.Drawing:
        """The forest plot (see srma.forest)."""
        from ._api import forest

        return forest(self, path, **options)

    def funnel(self, path: str | None = None, **options: Any) -> _srma.Drawing:
        """The funnel plot (see srma.funnel)."""
        from ._api import funnel

        return funnel(self, path, **options)


class SubgroupResult(Result):
    """A subgroup analysis (srma.pool(..., by=column)): the overall pool fields plus by,
    subgroups, between, between_common, between_random, as `srma pool --by --json`."""

    def forest(self, path: str | None = None, **options: Any) -> _srma.Drawing:
        """The forest plot with a block per subgroup (see srma.forest)."""
        from ._api import forest

        return forest(self, path, **options)


class Leave1outResult(Result):
    """A leave-one-out analysis (srma.leave1out): fields model, tau2_method, ci_method, k,
    measure, full, leave1out, input, as `srma leave1out --json`."""

    def forest(self, path: str | None = None, **options: Any) -> _srma.Drawing:
        """The leave-one-out forest plot (see srma.forest)."""
        from ._api import forest

        return forest(self, path, **options)


class CumulativeResult(Result):
    """A cumulative meta-analysis (srma.cumulative): fields as `srma cumulative --json`."""

    def forest(self, path: str | None = None, **options: Any) -> _srma.Drawing:
        """The cumulative forest plot (see srma.forest)."""
        from ._api import forest

        return forest(self, path, **options)


class InfluenceResult(Result):
    """Influence diagnostics (srma.influence): fields model, k, influence, baujat, input."""


class BiasResult(Result):
    """Small-study effects (srma.bias): fields k, model, egger, egger_mixed, peters (when sizes
    exist), begg, trimfill, failsafe, warnings, input, as `srma bias --json`."""


class MetaregResult(Result):
    """A meta-regression (srma.metareg): fields k, p, coefficients, QM, QE, tau2, I2, R2, ...,
    as `srma metareg --json`."""


class PermtestResult(Result):
    """A permutation test (srma.permutation_test): fields exact, iterations, seed, p,
    observed_statistic, coefficients, input, as `srma permtest --json`."""


class GoshResult(Result):
    """A GOSH analysis (srma.gosh): k, exact, model, tau2_method, subsets, and one value per
    subset of estimate, Q, I2, H2, tau2 and size (numpy arrays as attributes, lists in
    to_dict()). The command line has no JSON of GOSH; summary() is what `srma gosh` prints."""

    def _array(self, name: str):
        return self._impl.array(name)

    estimate = property(lambda self: self._array("estimate"), doc="Pooled estimate per subset")
    Q = property(lambda self: self._array("Q"), doc="Cochran's Q per subset")
    I2 = property(lambda self: self._array("I2"), doc="I^2 per subset (percent)")
    H2 = property(lambda self: self._array("H2"), doc="H^2 per subset")
    tau2 = property(lambda self: self._array("tau2"), doc="tau^2 per subset")
    size = property(lambda self: self._array("size"), doc="Studies per subset")

    def membership(self):
        """A boolean numpy array (subsets x k): True where subset s contains study i."""
        return self._impl.membership()

    def plot(
        self,
        path: str | None = None,
        *,
        highlight: str | int | None = None,
        title: str = "",
        bin_above: int = 20000,
        histograms: bool = True,
        dpi: float = 150,
    ) -> _srma.Drawing:
        """The GOSH plot; `highlight` is a study label or 0-based index whose subsets are drawn
        in red. Written to `path` (.svg, .pdf, .png) when given; returns the drawing."""
        d = _srma.gosh_plot(
            self._impl, highlight=highlight, title=title, bin_above=bin_above,
            histograms=histograms,
        )
        if path is not None:
            d.save(str(path), dpi=dpi)
        return d

    def caption(self, highlight: str | int | None = None) -> str:
        """A suggested caption for plot(highlight=...)."""
        return _srma.gosh_caption(self._impl, highlight)
