"""Staffing targets and how one staffing level is judged against them.

What lives here: the targets ``drillsim staff`` takes ('service_level>=0.8',
'asa<=30s'), read and checked by :func:`parse_target`, and the evidence a Monte Carlo
run gives for each (:class:`TargetEvidence`). Apart from the search
(:mod:`sim.analysis.staffing`) because the reserve search
(:mod:`sim.analysis.reserve_search`) judges its levels the same way.

Why the claim is conservative: P(met) is estimated from a finite number of replications,
so a level is *supported* only when the lower bound of the one-sided Wilson score interval
(at :data:`ONE_SIDED_LEVEL`) of every target's P(met) reaches the asked confidence. With
n replications all meeting a target that bound is n / (n + z^2), so a confidence of 0.9
needs at least 25 replications a level and 0.95 needs 52 (:func:`min_replications`).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

from i18n import N_, _
from plans.types import format_duration, parse_duration
from sim.analysis.montecarlo import MonteCarloResult
from sim.analysis.targets import Check

Op = Literal[">=", "<="]
RATIO_KPIS = {"service_level": ">=", "abandonment": "<="}
"""KPIs that are shares, and the only direction that gets easier with more agents."""
TIME_KPIS = {"asa": "<=", "rto": "<=", "rpo": "<="}
"""KPIs that are times (minutes), all caps."""
KPIS: dict[str, str] = {**RATIO_KPIS, **TIME_KPIS}
ONE_SIDED_LEVEL = 0.95
"""Confidence level of the one-sided Wilson bounds that judge P(met)."""
Z_ONE_SIDED = NormalDist().inv_cdf(ONE_SIDED_LEVEL)
EXAMPLE = N_("e.g. 'service_level>=0.8', 'abandonment<=0.05' or 'asa<=30s'")


@dataclass(frozen=True, slots=True)
class Target:
    """A staffing target: a replication KPI, how it compares, and the figure to reach."""

    kpi: str
    op: Op
    threshold: float
    """In the KPI's unit: a share for service_level and abandonment, minutes for times."""

    @property
    def label(self) -> str:
        """Readable form, as it would be typed: 'service_level>=0.8', 'asa<=30s'."""
        figure = format_duration(self.threshold) if self.kpi in TIME_KPIS else f"{self.threshold:g}"
        return f"{self.kpi}{self.op}{figure}"

    def check(self) -> Check:
        """The same target as a per-replication check (undefined values count as met)."""
        return Check(self.kpi, self.kpi, self.op, self.threshold, self.label)


def parse_target(text: str) -> Target:
    """Read 'KPI>=X' or 'KPI<=X': shares as 0.8 or 80 %, times with a unit ('30s', '4h').

    Raises:
        ValueError: naming the text and what is wrong with it.
    """
    match = re.fullmatch(r"\s*([A-Za-z_]\w*)?\s*(>=|<=|=>|=<|>|<|==|=)?\s*(.*?)\s*", text)
    assert match is not None  # the pattern matches any string
    name, op, figure = match.group(1) or "", match.group(2), match.group(3)
    if op not in (">=", "<="):
        raise ValueError(
            _("target '{text}': give a KPI, '>=' or '<=' and a figure, {example}").format(
                text=text, example=_(EXAMPLE)
            )
        )
    kpi = name.lower()
    if kpi not in KPIS:
        close = difflib.get_close_matches(kpi, KPIS, n=1)
        if close:
            raise ValueError(
                _(
                    "target '{text}': unknown KPI '{name}' (did you mean '{close}'?); "
                    "use one of {kpis}"
                ).format(text=text, name=name, close=close[0], kpis=", ".join(KPIS))
            )
        raise ValueError(
            _("target '{text}': unknown KPI '{name}'; use one of {kpis}").format(
                text=text, name=name, kpis=", ".join(KPIS)
            )
        )
    if op != KPIS[kpi]:
        message = (
            N_(
                "target '{text}': {kpi} can only be a floor ({kpi}{op}...), "
                "since a staffing target must get easier with more agents"
            )
            if KPIS[kpi] == ">="
            else N_(
                "target '{text}': {kpi} can only be a cap ({kpi}{op}...), "
                "since a staffing target must get easier with more agents"
            )
        )
        raise ValueError(_(message).format(text=text, kpi=kpi, op=KPIS[kpi]))
    if not figure:
        raise ValueError(
            _("target '{text}': the figure after '{op}' is missing, {example}").format(
                text=text, op=op, example=_(EXAMPLE)
            )
        )
    threshold = _time(text, figure) if kpi in TIME_KPIS else _share(text, figure)
    return Target(kpi, op, threshold)  # type: ignore[arg-type]  # op checked above: '>=' or '<='


def _share(text: str, figure: str) -> float:
    percent = figure.endswith("%")
    try:
        value = float(figure.rstrip("%").strip()) / (100.0 if percent else 1.0)
    except ValueError:
        raise ValueError(
            _(
                "target '{text}': '{figure}' is not a number (write a share, e.g. 0.8 or 80%)"
            ).format(text=text, figure=figure)
        ) from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            _(
                "target '{text}': {figure} is not a share between 0 and 1 (write e.g. 0.8 or 80%)"
            ).format(text=text, figure=figure)
        )
    return value


def _time(text: str, figure: str) -> float:
    try:
        bare = re.fullmatch(r"\d+(\.\d+)?", figure)  # a number without a unit: say so
        number = (int(figure) if figure.isdigit() else float(figure)) if bare else None
        return parse_duration(figure if number is None else number)
    except ValueError as exc:
        raise ValueError(f"target '{text}': {exc}") from None


def wilson_bounds(met: int, n: int, z: float = Z_ONE_SIDED) -> tuple[float, float]:
    """One-sided Wilson score bounds (lower, upper) of a proportion, each at ``z``."""
    if n == 0:
        return 0.0, 1.0
    p, z2 = met / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def min_replications(confidence: float) -> int:
    """Fewest replications whose lower bound can reach ``confidence`` (all met: n/(n+z^2))."""
    return max(1, math.ceil(Z_ONE_SIDED**2 * confidence / (1.0 - confidence) - 1e-9))


@dataclass(frozen=True, slots=True)
class TargetEvidence:
    """How often one target was met at one staffing level."""

    target: Target
    met: int
    n: int
    lower: float
    """One-sided Wilson lower bound of P(met)."""
    upper: float
    """One-sided Wilson upper bound of P(met)."""
    mean: float
    """Mean of the KPI over the replications that define it (nan: none do)."""

    @property
    def probability(self) -> float:
        """Share of replications that met it."""
        return self.met / self.n if self.n else math.nan

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "target": self.target.label,
            "met": self.met,
            "replications": self.n,
            "probability_met": self.probability,
            "lower": self.lower,
            "upper": self.upper,
            "kpi_mean": None if math.isnan(self.mean) else self.mean,
        }


def target_evidence(result: MonteCarloResult, target: Target, n: int) -> TargetEvidence:
    """How often ``target`` was met over the ``n`` replications of one run."""
    values = result.values(target.kpi)
    check = target.check()
    met = sum(check.met(float(v)) for v in values) if len(values) else n
    lower, upper = wilson_bounds(met, n)
    summary = result.kpis.get(target.kpi)
    mean = math.nan if summary is None else summary.mean
    return TargetEvidence(target, met, n, lower, upper, mean)
