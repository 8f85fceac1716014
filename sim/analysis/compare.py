"""Compare plan variants on common random numbers: each against the baseline, paired.

Why paired on the same seeds: every variant runs the same replication seeds, and
named random streams (:mod:`sim.engine.rng`) make the same seed bring the same customers,
patience and outages whatever the staffing. The difference between two variants is
then taken replication by replication, which removes most of the noise the two runs
share: a 2-point gain in service level that two independent runs of 100 replications
could not tell from chance is clear when paired.

Only compact columns are kept (one :class:`sim.analysis.montecarlo.Accumulator` per variant),
so a sweep of many variants x many replications stays small.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import ArrayLike

from i18n import _
from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.backends import Backend, chunks, make_backend
from sim.analysis.montecarlo import (
    Accumulator,
    CheckResult,
    MonteCarloResult,
    Progress,
    ReplicationResult,
    chunk_size,
    run_chunk,
)
from sim.analysis.shipping import Shipped
from sim.analysis.stats import t975
from sim.analysis.variants import Value, Variant, apply_variant, as_variants, format_value
from sim.engine.rng import replication_seeds
from sim.response.controller import Policy
from sim.response.decisions import DecisionScript

MAIN_KPIS: tuple[str, ...] = (
    "service_level",
    "asa",
    "abandonment",
    "max_queue",
    "rto",
    "rpo",
    "tickets_late",
    "occupancy",
)
"""KPIs compared against the baseline, replication by replication."""

CSV_COLUMNS: tuple[str, ...] = (
    "variant",
    "settings",
    "kpi",
    "mean",
    "ci95_low",
    "ci95_high",
    "n",
    "diff_mean",
    "diff_ci95_low",
    "diff_ci95_high",
    "diff_n",
)


def paired_difference(a: ArrayLike, b: ArrayLike) -> tuple[float, float, float, int]:
    """Mean of ``b - a`` pair by pair, its 95% t-interval and the number of pairs.

    Pairs where either value is NaN (a KPI undefined in that replication) are dropped.
    One pair gives no interval (NaN bounds); no pair gives NaN throughout.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.shape != y.shape:
        raise ValueError(
            _("paired samples must have the same length, got {a} and {b}").format(
                a=x.shape[0], b=y.shape[0]
            )
        )
    d = (y - x)[~(np.isnan(x) | np.isnan(y))]
    n = int(d.shape[0])
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(d.mean())
    if n == 1:
        return mean, math.nan, math.nan, 1
    half = t975(n - 1) * float(d.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half, n


@dataclass(frozen=True, slots=True)
class Difference:
    """A variant's KPI minus the baseline's, averaged over paired replications."""

    mean: float
    ci95: tuple[float, float]
    n: int

    def to_dict(self) -> dict[str, object]:
        """Plain form; undefined figures become None."""
        return {
            "mean": _num(self.mean),
            "ci95": [_num(self.ci95[0]), _num(self.ci95[1])],
            "n": self.n,
        }


@dataclass(frozen=True)
class VariantResult:
    """One variant's settings, Monte Carlo aggregates and differences from the baseline."""

    name: str
    settings: dict[str, Value]
    result: MonteCarloResult
    differences: dict[str, Difference]

    def target(self, name: str) -> CheckResult | None:
        """The plan target named ``name`` ('service_level', 'rto', ...), if the plan has it."""
        return next((t for t in self.result.targets if t.check.name == name), None)

    def settings_text(self) -> str:
        """'agents=120; reserve.size=30' as a person writes it."""
        return "; ".join(f"{k}={format_value(k, v)}" for k, v in self.settings.items())


@dataclass(frozen=True)
class Comparison:
    """Every variant on the same seeds; the first is the baseline."""

    plan_id: str
    scenario_id: str
    seed: int
    replications: int
    policy: str
    keys: tuple[str, ...]
    """The keys the variants set, in first-seen order."""
    variants: tuple[VariantResult, ...]

    @property
    def baseline(self) -> VariantResult:
        """The first variant, which the others are compared with."""
        return self.variants[0]

    def to_rows(self) -> list[dict[str, object]]:
        """One row per variant x main KPI (header: :data:`CSV_COLUMNS`); blanks where undefined."""
        rows: list[dict[str, object]] = []
        for v in self.variants:
            for kpi in MAIN_KPIS:
                s = v.result.kpis.get(kpi)
                d = v.differences[kpi]
                rows.append(
                    {
                        "variant": v.name,
                        "settings": v.settings_text(),
                        "kpi": kpi,
                        "mean": _cell(s.mean if s else math.nan),
                        "ci95_low": _cell(s.ci95[0] if s else math.nan),
                        "ci95_high": _cell(s.ci95[1] if s else math.nan),
                        "n": s.n if s else 0,
                        "diff_mean": _cell(d.mean),
                        "diff_ci95_low": _cell(d.ci95[0]),
                        "diff_ci95_high": _cell(d.ci95[1]),
                        "diff_n": d.n,
                    }
                )
        return rows

    def to_json(self) -> dict[str, object]:
        """Plain form: the run, then per variant its KPIs, targets, objectives and differences."""
        return {
            "plan": self.plan_id,
            "scenario": self.scenario_id,
            "seed": self.seed,
            "replications": self.replications,
            "policy": self.policy,
            "common_random_numbers": True,
            "keys": list(self.keys),
            "baseline": self.baseline.name,
            "variants": [
                {
                    "name": v.name,
                    "settings": {k: format_value(k, x) for k, x in v.settings.items()},
                    "kpis": {
                        k: v.result.kpis[k].to_dict() for k in MAIN_KPIS if k in v.result.kpis
                    },
                    "targets": [t.to_dict() for t in v.result.targets],
                    "objectives": [o.to_dict() | {"id": o.check.name} for o in v.result.objectives],
                    "difference_from_baseline": {k: d.to_dict() for k, d in v.differences.items()},
                }
                for v in self.variants
            ],
        }


def _num(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)


def _cell(x: float) -> float | str:
    return "" if not math.isfinite(x) else float(x)


@dataclass(frozen=True)
class PreparedVariant:
    """A variant with its changed plan and scenario, ready to run."""

    variant: Variant
    plan: Plan
    scenario: Scenario


def prepare_variants(
    plan: Plan, scenario: Scenario, combos: Iterable[Mapping[str, Value] | Variant]
) -> list[PreparedVariant]:
    """Apply every combination to the baseline.

    Raises :class:`sim.analysis.variant_changes.VaryError` first.
    """
    variants = as_variants(combos)
    if not variants:
        raise ValueError(_("nothing to compare: give at least one variant"))
    names = [v.name for v in variants]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(_("variant name '{name}' is used more than once").format(name=repeated[0]))
    return [PreparedVariant(v, *apply_variant(plan, scenario, v.settings)) for v in variants]


def _run_item(
    policy: Policy,
    script: DecisionScript | None,
    item: tuple[Shipped[tuple[Plan, Scenario]], list[int]],
    interval: float | None = None,
) -> list[ReplicationResult]:
    """One chunk of one variant (module level so process and Dask workers can unpickle it;
    the variant's plan and scenario go to each worker once, see sim.analysis.shipping)."""
    inputs, seeds = item
    plan, scenario = inputs.value
    return run_chunk(plan, scenario, policy, script, seeds, interval=interval)


def compare_prepared(
    plan: Plan,
    scenario: Scenario,
    prepared: Sequence[PreparedVariant],
    replications: int,
    seed: int,
    backend: Backend | None = None,
    workers: int = 1,
    policy: Policy = "plan",
    progress: Progress | None = None,
    script: DecisionScript | None = None,
    interval: float | None = None,
) -> Comparison:
    """Run prepared variants on the same seeds and compare each with the first.

    All variants' chunks go through one ``backend.map`` (variant after variant, in seed
    order), so workers stay busy across variants and the numbers are the same on every
    backend and number of workers. ``interval`` (minutes): each variant also keeps its
    figures by channel and interval (``result.interval_columns``), as ``drillsim run
    --interval`` does; left out, nothing changes.
    """
    seeds = replication_seeds(seed, replications)
    size = chunk_size(replications, max(1, workers))
    pieces = chunks(seeds, size)
    shipped = [Shipped((p.plan, p.scenario)) for p in prepared]
    items = [(inputs, c) for inputs in shipped for c in pieces]
    owners = [i for i in range(len(prepared)) for _ in pieces]
    owner = backend is None
    runner = make_backend("process", workers) if backend is None else backend
    accs = [Accumulator(p.plan, p.scenario, interval) for p in prepared]
    total = replications * len(prepared)
    done = 0
    try:
        results = runner.map(partial(_run_item, policy, script, interval=interval), items)
        for index, chunk in zip(owners, results, strict=True):
            for r in chunk:
                accs[index].add(r)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    finally:
        if owner:
            runner.close()
    aggregates = [acc.result() for acc in accs]
    base = aggregates[0]
    out = []
    for p, agg in zip(prepared, aggregates, strict=True):
        diffs = {}
        for kpi in MAIN_KPIS:
            mean, lo, hi, n = paired_difference(_column(base, kpi), _column(agg, kpi))
            diffs[kpi] = Difference(mean, (lo, hi), n)
        out.append(VariantResult(p.variant.name, dict(p.variant.settings), agg, diffs))
    keys = tuple(dict.fromkeys(k for p in prepared for k in p.variant.settings))
    return Comparison(
        plan.meta.id, scenario.meta.id, seed, replications, str(policy), keys, tuple(out)
    )


def _column(result: MonteCarloResult, kpi: str) -> np.ndarray:
    """A KPI's values in seed order; all NaN where no replication reported it."""
    return result.values(kpi) if kpi in result.columns else np.full(len(result.seeds), np.nan)


def compare(
    plan: Plan,
    scenario: Scenario,
    combos: Iterable[Mapping[str, Value] | Variant],
    replications: int,
    seed: int,
    backend: Backend | None = None,
    workers: int = 1,
    policy: Policy = "plan",
    progress: Progress | None = None,
    script: DecisionScript | None = None,
) -> Comparison:
    """Every combination on the same replication seeds; the first is the baseline.

    ``combos`` are settings such as ``{"agents": 120}`` (named after their settings) or
    named :class:`sim.analysis.variants.Variant` s. Without ``backend``, a process pool of
    ``workers`` (this process when ``workers`` is 1) is started and closed here.
    """
    prepared = prepare_variants(plan, scenario, combos)
    return compare_prepared(
        plan, scenario, prepared, replications, seed, backend, workers, policy, progress, script
    )
