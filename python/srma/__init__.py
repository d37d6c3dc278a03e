# File: srma/__init__.py
#
# srma for Python: systematic review and meta-analysis with the srma C++ library. The names
# below are the whole public API; the compiled bindings live in srma._srma.
#
# Example:
#
#   import srma
#   fit = srma.pool("examples/bcg/bcg.csv", measure="RR", method="PM", hksj=True)
#   print(fit.summary())                       # the text report of `srma pool`
#   fit.random.estimate, fit.heterogeneity.I2  # the fields of `srma pool --json`
#   srma.forest(fit, "forest.svg", columns=["year"], pi=True)
#   hr = srma.km_hr("ipd.csv", "Pembrolizumab", "Placebo", tau=12)   # `srma km hr --json`
"""srma: systematic review and meta-analysis (Python bindings of the srma C++ library).

Analyses: pool, leave1out, cumulative, influence, bias, metareg, permutation_test, gosh.
Single statistics: egger_test, peters_test, begg_test, trim_and_fill, failsafe_n,
estimate_tau2, qprofile_tau2_ci. Figures: forest, funnel (and GoshResult.plot). Studies:
read_studies, as_studies. Survival: read_ipd, ipd_from_arrays, as_ipd, kaplan_meier, km_hr,
km_reconstruct, km_plot. Errors: srma.Error (a ValueError with id, message, file, line, column).
"""

from . import _srma
from ._api import (
    Drawing,
    KaplanMeierResult,
    KmHrResult,
    ReconstructionResult,
    Studies,
    SurvivalData,
    as_ipd,
    as_studies,
    begg_test,
    bias,
    cumulative,
    egger_test,
    estimate_tau2,
    failsafe_n,
    forest,
    funnel,
    gosh,
    influence,
    ipd_from_arrays,
    kaplan_meier,
    km_hr,
    km_plot,
    km_reconstruct,
    leave1out,
    metareg,
    permutation_test,
    peters_test,
    pool,
    pool_options,
    qprofile_tau2_ci,
    read_ipd,
    read_studies,
    trim_and_fill,
)
from ._results import (
    BiasResult,
    CumulativeResult,
    Fields,
    GoshResult,
    InfluenceResult,
    Leave1outResult,
    MetaregResult,
    PermtestResult,
    PoolResult,
    Record,
    Result,
    SubgroupResult,
    TestResult,
)

Error = _srma.Error
PoolOptions = _srma.PoolOptions
__version__ = _srma.__version__

__all__ = [
    "BiasResult", "CumulativeResult", "Drawing", "Error", "Fields", "GoshResult",
    "InfluenceResult", "Leave1outResult", "MetaregResult", "PermtestResult", "PoolOptions",
    "PoolResult", "Record", "Result", "Studies", "SubgroupResult", "TestResult", "as_studies",
    "begg_test", "bias", "cumulative", "egger_test", "estimate_tau2", "failsafe_n", "forest",
    "funnel", "gosh", "influence", "leave1out", "metareg", "permutation_test", "peters_test",
    "pool", "pool_options", "qprofile_tau2_ci", "read_studies", "trim_and_fill",
    # survival
    "KaplanMeierResult", "KmHrResult", "ReconstructionResult", "SurvivalData", "as_ipd",
    "ipd_from_arrays", "kaplan_meier", "km_hr", "km_plot", "km_reconstruct", "read_ipd",
]
