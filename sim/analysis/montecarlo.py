"""Monte Carlo: many replications from one seed, serially or on worker processes.

Why the numbers cannot depend on the number of workers: the replication seeds are
fixed by the run's seed (:func:`sim.engine.rng.replication_seeds`), every replication runs
alone from its seed, and results are gathered back in seed order before anything is
added up. One worker or eight, the same floats are summed in the same order.
"""

from __future__ import annotations

import gc
import math
import os
from array import array
from collections.abc import Callable, Collection, Generator
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.backends import Backend, chunks, make_backend
from sim.analysis.shipping import Shipped
from sim.analysis.stats import Summary, summarise, wilson
from sim.analysis.targets import Check, objective_checks, objective_values, plan_targets
from sim.engine.interval_metrics import interval_kpis
from sim.engine.kpi_set import replication_set, some_of_set
from sim.engine.metrics import Kpis
from sim.engine.rng import replication_seeds
from sim.engine.simulation import Simulation, simulate
from sim.response.controller import Policy
from sim.response.decisions import DecisionScript
from sim.response.metrics import response_kpis

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReplicationResult:
    """What comes back from one replication: its seed, KPIs and objective values."""

    seed: int
    kpis: Kpis
    objectives: Kpis
    intervals: Kpis = field(default_factory=dict)
    """Figures by channel and interval (:mod:`sim.engine.interval_metrics`), if asked for."""


def run_replication(
    plan: Plan,
    scenario: Scenario,
    policy: Policy,
    script: DecisionScript | None,
    seed: int,
    interval: float | None = None,
    figures: tuple[str, ...] | None = None,
) -> ReplicationResult:
    """One replication, reduced to its KPIs (the records stay in the worker).

    With ``interval`` (minutes), also its figures by channel and interval; these need
    the group that served each contact, which only the simulation object holds. With
    ``figures``, only those KPIs and no objectives (a staffing level's targets).
    """
    by_interval: Kpis = {}
    if figures is not None:
        records = simulate(plan, scenario, seed, policy, script)
        return ReplicationResult(seed, some_of_set(records, plan, figures), {})
    if interval is None:
        records = simulate(plan, scenario, seed, policy, script)
    else:
        sim = Simulation(plan, scenario, seed, policy=policy, script=script)
        records = sim.run()
        groups = np.asarray(sim.c_group[: len(records)], dtype=np.int64)
        by_interval = interval_kpis(records, plan, interval, groups, sim.g_skills)
        sim.release()
    kpis = replication_set(records, plan)
    kpis.update(response_kpis(records))
    return ReplicationResult(seed, kpis, objective_values(records, plan, scenario), by_interval)


def default_workers() -> int:
    """Worker processes to use by default: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def run_chunk(
    plan: Plan,
    scenario: Scenario,
    policy: Policy,
    script: DecisionScript | None,
    seeds: list[int],
    interval: float | None = None,
    figures: tuple[str, ...] | None = None,
) -> list[ReplicationResult]:
    """Several replications in one task (one process or Dask task runs a whole chunk);
    ``interval`` and ``figures`` as for :func:`run_replication`.

    The cyclic garbage collector is paused during each replication (measured: about 4%
    of a default-scenario replication; bench/bench_engine.py), and after each one the
    youngest generation is collected: a finished simulation is a cycle of some 760
    objects (its parts point back at it) holding its contacts' lists. Re-enabling the
    collector alone did not do it (it runs on an allocation, and none came before the
    next pause), so a chunk of 200 replications grew to 534 MB; collected, 73 MB, in
    the same time (issue 19).
    """
    out = []
    for seed in seeds:
        collecting = gc.isenabled()
        gc.disable()
        try:
            out.append(run_replication(plan, scenario, policy, script, seed, interval, figures))
        finally:
            if collecting:
                gc.enable()
        gc.collect(0)
    return out


def _run_shipped(
    inputs: Shipped[tuple[Plan, Scenario]],
    policy: Policy,
    script: DecisionScript | None,
    seeds: list[int],
    interval: float | None = None,
    figures: tuple[str, ...] | None = None,
) -> list[ReplicationResult]:
    """:func:`run_chunk` on a plan and scenario sent once per worker (sim.analysis.shipping)."""
    plan, scenario = inputs.value
    return run_chunk(plan, scenario, policy, script, seeds, interval, figures)


def chunk_size(replications: int, workers: int) -> int:
    """Replications a task: enough to keep workers busy, few enough to stream results."""
    return max(1, min(50, replications // (workers * 16) or 1))


def iter_replications(
    plan: Plan,
    scenario: Scenario,
    seeds: list[int],
    workers: int = 1,
    policy: Policy = "plan",
    script: DecisionScript | None = None,
    backend: Backend | None = None,
    interval: float | None = None,
    figures: tuple[str, ...] | None = None,
) -> Generator[ReplicationResult, None, None]:
    """Replication results in seed order, computed on ``backend`` (default: a process
    pool of ``workers``, or this process when ``workers`` is 1); ``figures``: only these
    KPIs (see :func:`run_replication`)."""
    task = partial(
        _run_shipped,
        Shipped((plan, scenario)),
        policy,
        script,
        interval=interval,
        figures=figures,
    )
    own = backend is None
    runner = make_backend("process", workers) if own else backend
    assert runner is not None
    try:
        for results in runner.map(task, chunks(seeds, chunk_size(len(seeds), max(1, workers)))):
            yield from results
    finally:
        if own:
            runner.close()


@dataclass(frozen=True)
class CheckResult:
    """How often one target or objective was met over the replications."""

    check: Check
    met: int
    n: int
    judged: int | None = None
    """Replications it could be judged on (None: all ``n``); see :meth:`Check.judge`."""
    not_yet_known: int = 0
    """Replications that ended with the service still down before the target time
    (:func:`sim.analysis.targets.restoration_met`): left out of P(met)."""

    @property
    def judged_n(self) -> int:
        """Replications judged: met or not met."""
        return self.n if self.judged is None else self.judged

    @property
    def probability(self) -> float:
        """Share of the judged replications that met it."""
        return self.met / self.judged_n if self.judged_n else float("nan")

    def to_dict(self) -> dict[str, object]:
        """Plain form for the journal; the counts of replications not judged only when
        there are some (so a journal of a fully judged target reads as before)."""
        lo, hi = wilson(self.met, self.judged_n) if self.judged_n else (None, None)
        out: dict[str, object] = {
            "target": self.check.threshold,
            "op": self.check.op,
            "kpi": self.check.kpi,
            "label": self.check.label,
            "probability_met": self.probability if self.judged_n else None,
            "ci95": [lo, hi],
            "replications": self.n,
        }
        if self.judged_n != self.n:
            out["replications_judged"] = self.judged_n
        if self.not_yet_known:
            out["not_yet_known"] = self.not_yet_known
        if self.judged_n == 0 and self.check.unjudged and not self.not_yet_known:
            out["not_judged"] = self.check.unjudged
        return out


@dataclass(frozen=True)
class MonteCarloResult:
    """Aggregates of a Monte Carlo run."""

    seeds: list[int]
    columns: dict[str, array[float]]
    """Every replication's value of every KPI, in seed order (nan: undefined there)."""
    kpis: dict[str, Summary]
    targets: list[CheckResult]
    objectives: list[CheckResult]
    interval: float | None = None
    """Length of the intervals in minutes, when the run was asked for them."""
    interval_columns: dict[str, array[float]] = field(default_factory=dict)
    """Every replication's value of every figure by channel and interval, in seed order."""

    def values(self, kpi: str) -> np.ndarray:
        """One KPI's values over the replications, in seed order."""
        return (
            np.frombuffer(self.columns[kpi], dtype=float) if kpi in self.columns else np.array([])
        )

    def interval_values(self, key: str) -> np.ndarray:
        """One figure of one channel and interval over the replications, in seed order."""
        column = self.interval_columns.get(key)
        return np.frombuffer(column, dtype=float) if column is not None else np.array([])


class Accumulator:
    """Takes replication results one at a time and keeps only compact columns.

    Why: a sweep of thousands of replications must not hold every replication's
    objects; each KPI becomes one array of doubles (8 bytes a replication), which is
    all the summaries and percentiles need.
    """

    def __init__(self, plan: Plan, scenario: Scenario, interval: float | None = None) -> None:
        self.interval = interval
        self.interval_columns: dict[str, array[float]] = {}
        self.targets = plan_targets(plan)
        self.objectives = objective_checks(scenario)
        self.seeds: list[int] = []
        self.columns: dict[str, array[float]] = {}
        self.targets_tally = [[0, 0, 0] for _ in self.targets]
        self.objectives_tally = [[0, 0, 0] for _ in self.objectives]
        """Per check: replications met, judged, not yet known."""

    def add(self, result: ReplicationResult) -> None:
        """Fold in one replication (in seed order)."""
        n = len(self.seeds)
        self.seeds.append(result.seed)
        _fold(self.columns, result.kpis, n)
        if self.interval is not None:
            _fold(self.interval_columns, result.intervals, n)
        for check, tally in zip(self.targets, self.targets_tally, strict=True):
            _tally(tally, check, result.kpis)
        for check, tally in zip(self.objectives, self.objectives_tally, strict=True):
            _tally(tally, check, result.objectives)

    def result(self, only: Collection[str] | None = None) -> MonteCarloResult:
        """The summaries of everything added so far (``only``: of these KPIs alone, as a
        staffing level needs its targets' and no others: each summary sorts its column)."""
        n = len(self.seeds)
        names = sorted(self.columns if only is None else set(only) & set(self.columns))
        kpis = {k: summarise(np.frombuffer(self.columns[k], dtype=float)) for k in names}
        return MonteCarloResult(
            list(self.seeds),
            self.columns,
            kpis,
            [
                CheckResult(c, m, n, j, u)
                for c, (m, j, u) in zip(self.targets, self.targets_tally, strict=True)
            ],
            [
                CheckResult(c, m, n, j, u)
                for c, (m, j, u) in zip(self.objectives, self.objectives_tally, strict=True)
            ],
            self.interval,
            self.interval_columns,
        )


def _tally(tally: list[int], check: Check, values: Kpis) -> None:
    """Count one replication's verdict on a check: met, judged, not yet known.

    A restoration target (an RTO) with a service still down follows
    :func:`sim.analysis.targets.restoration_met`: not met once the end of play passed
    the target time, else not yet known; a target whose KPI is undefined and that says
    why (``Check.unjudged``) is not judged.
    """
    value = values.get(check.kpi, math.nan)
    verdict = check.judge(value, values.get(check.open_kpi) if check.open_kpi else None)
    if verdict is None:
        tally[2] += bool(check.open_kpi) and not math.isnan(value)
        return
    tally[0] += verdict
    tally[1] += 1


def _fold(columns: dict[str, array[float]], values: Kpis, n: int) -> None:
    """Append one replication's values to the columns (nan where it reported none)."""
    for key, value in values.items():
        column = columns.get(key)
        if column is None:
            column = columns[key] = array("d", [math.nan] * n)
        column.append(value)
    for column in columns.values():
        if len(column) == n:  # a KPI this replication did not report
            column.append(math.nan)


def run_monte_carlo(
    plan: Plan,
    scenario: Scenario,
    replications: int,
    seed: int,
    workers: int = 1,
    progress: Progress | None = None,
    policy: Policy = "plan",
    script: DecisionScript | None = None,
    backend: Backend | None = None,
    interval: float | None = None,
) -> MonteCarloResult:
    """Run ``replications`` replications from ``seed`` and aggregate them.

    ``interval`` (minutes): also keep figures by channel and interval of that length.
    """
    seeds = replication_seeds(seed, replications)
    acc = Accumulator(plan, scenario, interval)
    results = iter_replications(plan, scenario, seeds, workers, policy, script, backend, interval)
    for done, result in enumerate(results, start=1):
        acc.add(result)
        if progress is not None:
            progress(done, replications)
    return acc.result()
