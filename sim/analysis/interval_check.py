"""The simulated check of an interval plan: is each goal met in each interval, with confidence?

Why simulate after Erlang A: each interval's Erlang A figure assumes a queue in steady
state, alone; a real half hour inherits the queue of the one before, and an event, a
redial or a break taken at the wrong moment is not in the formula. So the interval plan
(:mod:`sim.analysis.interval_requirements`, staffed agents) is run as a roster
(:mod:`sim.analysis.interval_roster`) on common random numbers, every round on the same
replication seeds, with the plan's own response.

The rule is today's search's (:mod:`sim.analysis.staffing_targets`): a goal is met in an
interval when the one-sided Wilson lower bound (at ``ONE_SIDED_LEVEL``) of the share of
replications whose interval service level reaches the goal is at least ``confidence``.
An interval with no live contact settled on that channel (none answered or given up)
counts as met, as an undefined KPI does in the whole-run checks.

A second rule, ``rule="mean"``, asks Erlang A's own question of the simulation: the
one-sided lower bound (same level, Student t) of the mean interval service level over the
replications reaches the goal's share. It is the rule to compare with Erlang A (whose
figure is a mean); the default rule asks more, since a half hour's service level varies
widely from day to day (measured on the stationary test queue, 60 Erlangs: a standard
deviation of about 7 points over replications at the Erlang A optimum).

Intervals that miss are raised one agent each and every interval is run again, until all
are met or ``max_rounds`` rounds were run; those still missing are reported as such.
Raised together, an interval's extra agent also shortens the next interval's queue, so
the answer is the fewest agents found by raising, not a proven minimum.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
import numpy.typing as npt

from i18n import _
from plans.model import Plan
from plans.targets import ServiceGoal
from scenarios.model import Scenario
from sim.analysis.backends import Backend, chunks, make_backend
from sim.analysis.interval_requirements import RequirementTable
from sim.analysis.interval_roster import interval_variant
from sim.analysis.montecarlo import chunk_size
from sim.analysis.shipping import Shipped
from sim.analysis.staffing_targets import (
    ONE_SIDED_LEVEL,
    Z_ONE_SIDED,
    min_replications,
    wilson_bounds,
)
from sim.engine.records import ABANDONED, DONE, SERVING, RunRecords
from sim.engine.rng import replication_seeds
from sim.engine.simulation import simulate

FloatMatrix = npt.NDArray[np.float64]
Rule = Literal["probability", "mean"]
RULES: tuple[Rule, ...] = ("probability", "mean")
MAX_ROUNDS = 20
"""Rounds of raising a check runs at most (each is ``replications`` runs)."""


def interval_goal_levels(
    rec: RunRecords, channel: int, goal: ServiceGoal, edges: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The goal's service level of one channel in each interval between ``edges``.

    The definition of :func:`sim.engine.goal_metrics.goal_service_level` (answered within
    the goal's time over answered or given up, short abandons left out), binned by the
    interval the contact arrived in; nan where nothing was settled. Unlike that figure it
    leaves out the contacts a disruption turned away (a dark channel, a notice): they are
    the queue's figure, as ``queue_service_level`` is, because no number of agents answers
    a channel that is down, and raising an interval for them would never end.
    """
    on = rec.live & (rec.channel == channel) & (rec.arrival >= edges[0]) & (rec.arrival < edges[-1])
    waits = np.where(np.isnan(rec.start), rec.end, rec.start) - rec.arrival
    answered = on & ((rec.status == DONE) | (rec.status == SERVING))
    abandoned = on & (rec.status == ABANDONED)
    if goal.short_abandon is not None:
        abandoned = abandoned & ~(waits <= goal.short_abandon + 1e-9)
    within = answered & (waits <= goal.answer_within + 1e-9)
    bins = edges.size - 1
    index = np.clip(np.searchsorted(edges, rec.arrival, side="right") - 1, 0, bins - 1)
    settled = np.bincount(index[answered | abandoned], minlength=bins).astype(float)
    hits = np.bincount(index[within], minlength=bins).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(settled > 0, hits / np.where(settled > 0, settled, 1.0), np.nan)


def _levels_chunk(
    plan: Plan,
    scenario: Scenario,
    judged: list[tuple[int, ServiceGoal]],
    edges: npt.NDArray[np.float64],
    seeds: list[int],
) -> list[FloatMatrix]:
    """For each seed, an (intervals x judged channels) array of goal service levels."""
    out = []
    for seed in seeds:
        rec = simulate(plan, scenario, seed, "plan", None)
        out.append(
            np.stack([interval_goal_levels(rec, c, goal, edges) for c, goal in judged], axis=1)
        )
    return out


def _shipped_levels(
    inputs: Shipped[tuple[Plan, Scenario]],
    judged: list[tuple[int, ServiceGoal]],
    edges: npt.NDArray[np.float64],
    seeds: list[int],
) -> list[FloatMatrix]:
    """:func:`_levels_chunk` on a plan and scenario sent once per worker."""
    plan, scenario = inputs.value
    return _levels_chunk(plan, scenario, judged, edges, seeds)


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """One interval and channel after the simulated check."""

    interval_start: float
    channel: str
    erlang_a_agents: int
    staffed_agents: int
    """Erlang A's agents to roster (after shrinkage): where the check started."""
    required_agents: int
    """Agents to roster after the check: ``staffed_agents`` plus the raises."""
    probability_met: float
    """Share of replications meeting the goal at ``required_agents`` (nan: not judged);
    with the "mean" rule, the mean interval service level instead."""
    ci95_low: float
    """One-sided 95 % lower bound of ``probability_met`` (Wilson; Student t for the mean):
    what is judged."""
    met: bool | None
    """Lower bound at least the confidence (None: a ticket channel, not judged)."""

    @property
    def raised(self) -> int:
        """Agents the check added."""
        return self.required_agents - self.staffed_agents

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        judged = not math.isnan(self.probability_met)
        return {
            "interval_start": self.interval_start,
            "channel": self.channel,
            "erlang_a_agents": self.erlang_a_agents,
            "staffed_agents": self.staffed_agents,
            "required_agents": self.required_agents,
            "probability_met": self.probability_met if judged else None,
            "ci95_low": self.ci95_low if judged else None,
            "met": self.met,
            "raised": self.raised,
        }


@dataclass(frozen=True)
class CheckedRequirements:
    """The interval plan after the simulated check, and what it took."""

    table: RequirementTable
    rows: tuple[CheckedRow, ...]
    replications: int
    confidence: float
    seed: int
    rounds: int
    """Rounds simulated (each ``replications`` runs on the same seeds)."""
    max_rounds: int
    rule: Rule = "probability"
    """How an interval is judged (module docstring)."""

    @property
    def runs(self) -> int:
        """Simulation runs the check used."""
        return self.rounds * self.replications

    @property
    def raised(self) -> tuple[CheckedRow, ...]:
        """Rows the check raised."""
        return tuple(r for r in self.rows if r.raised > 0)

    @property
    def unresolved(self) -> tuple[CheckedRow, ...]:
        """Rows whose goal is still not met when the rounds ran out."""
        return tuple(r for r in self.rows if r.met is False)

    def matrix(self) -> tuple[npt.NDArray[np.int64], list[str], list[float]]:
        """(intervals x channels int array of required agents, channel list, interval starts)."""
        where = {s: i for i, s in enumerate(self.table.starts)}
        index = {c: j for j, c in enumerate(self.table.channels)}
        out = np.zeros((len(self.table.starts), len(self.table.channels)), dtype=np.int64)
        for r in self.rows:
            out[where[r.interval_start], index[r.channel]] = r.required_agents
        return out, list(self.table.channels), list(self.table.starts)

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "replications": self.replications,
            "confidence": self.confidence,
            "one_sided_level": ONE_SIDED_LEVEL,
            "seed": self.seed,
            "rounds": self.rounds,
            "max_rounds": self.max_rounds,
            "rule": self.rule,
            "runs": self.runs,
            "rows": [r.to_dict() for r in self.rows],
        }


def _t_quantile(df: int) -> float:
    """One-sided Student t quantile at ONE_SIDED_LEVEL (scipy, exact for every df)."""
    from scipy.stats import t as student_t

    return float(student_t.ppf(ONE_SIDED_LEVEL, df)) if df > 0 else math.inf


def _judge(
    levels: FloatMatrix, shares: npt.NDArray[np.float64], rule: Rule
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(estimate, one-sided lower bound) per interval and judged channel.

    "probability": the share of replications meeting the goal (undefined counts as met)
    and its Wilson bound; "mean": the mean interval service level over the replications
    that define it and its Student t bound (no replication defines it: 1, met).
    """
    n = levels.shape[0]
    if rule == "probability":
        ok = np.isnan(levels) | (levels >= shares[None, None, :] - 1e-12)
        met = ok.sum(axis=0)
        lower = np.vectorize(lambda m: wilson_bounds(int(m), n)[0], otypes=[float])(met)
        return met / n, lower
    defined = (~np.isnan(levels)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(defined > 0, np.nansum(levels, axis=0) / np.maximum(defined, 1), 1.0)
        sq = np.nansum((levels - mean[None]) ** 2, axis=0) / np.maximum(defined - 1, 1)
        t = np.array([[_t_quantile(int(d) - 1) for d in row] for row in defined], dtype=float)
        half = t.reshape(defined.shape) * np.sqrt(sq / np.maximum(defined, 1))
    lower = np.where(defined > 1, mean - half, np.where(defined == 1, -math.inf, 1.0))
    return mean, lower


def _validate(confidence: float, replications: int, max_rounds: int, rule: Rule) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(
            _("confidence must lie strictly between 0 and 1, got {value!r}").format(
                value=confidence
            )
        )
    if rule not in RULES:
        raise ValueError(
            _("unknown rule '{rule}'; use one of {rules}").format(rule=rule, rules=", ".join(RULES))
        )
    least = min_replications(confidence) if rule == "probability" else 2
    if replications < least:
        best = replications / (replications + Z_ONE_SIDED**2)
        raise ValueError(
            _(
                "{replications} replications can never support confidence {confidence:g} "
                "(even if every one meets the targets the lower bound is {best:.3f}); "
                "use at least {least}"
            ).format(replications=replications, confidence=confidence, best=best, least=least)
        )
    if max_rounds < 1:
        raise ValueError(_("max_rounds must be at least 1, got {value}").format(value=max_rounds))


def check_requirements(
    plan: Plan,
    scenario: Scenario,
    table: RequirementTable,
    *,
    replications: int,
    confidence: float,
    seed: int,
    backend: Backend | None = None,
    max_rounds: int = MAX_ROUNDS,
    rule: Rule = "probability",
    progress: Callable[[int, int], None] | None = None,
) -> CheckedRequirements:
    """Run the table's staffed agents as a roster and raise the intervals that miss.

    ``progress(round, intervals still missing)`` after each round. ``backend`` None: this
    process. Module docstring: the rule.

    Raises:
        ValueError: confidence outside (0, 1), too few replications to ever support it,
            or max_rounds below 1.
    """
    _validate(confidence, replications, max_rounds, rule)
    counts, channels, starts = table.matrix("staffed_agents")
    edges = np.array([*starts, float(scenario.horizon)])
    plan_index = {c.id: i for i, c in enumerate(plan.channels)}
    judged_cols = [j for j, c in enumerate(channels) if c in table.judged()]
    judged: list[tuple[int, ServiceGoal]] = []
    for j in judged_cols:
        goal = table.row(starts[0], channels[j]).goal
        assert goal is not None  # judged() lists only channels with a goal
        judged.append((plan_index[channels[j]], goal))
    goals = [g for _c, g in judged]
    seeds = replication_seeds(seed, replications)
    runner = make_backend("serial") if backend is None else backend
    raised = np.zeros_like(counts)
    estimate = lower = np.zeros((len(starts), len(judged_cols)))
    rounds = 0
    try:
        while True:
            varied_plan, varied = interval_variant(
                plan,
                scenario,
                counts + raised,
                channels,
                starts,
                table.interval_minutes,
                table.shrinkage,
            )
            # the round's plan and scenario go to each worker once (sim.analysis.shipping),
            # and a round waits for all its replications: a few chunks suffice
            task = partial(_shipped_levels, Shipped((varied_plan, varied)), judged, edges)
            size = max(chunk_size(replications, 2), math.ceil(replications / 4))
            levels = (
                np.stack([m for part in runner.map(task, chunks(seeds, size)) for m in part])
                if judged
                else np.zeros((replications, len(starts), 0))
            )
            rounds += 1
            shares = np.array([g.share for g in goals])
            estimate, lower = _judge(levels, shares, rule)
            bar = np.full(shares.shape, confidence) if rule == "probability" else shares
            missing = lower < bar[None, :] - 1e-12
            if progress is not None:
                progress(rounds, int(missing.sum()))
            if not missing.any() or rounds >= max_rounds:
                break
            raised[:, judged_cols] += missing.astype(np.int64)
    finally:
        if backend is None:
            runner.close()
    rows = []
    for i, start in enumerate(starts):
        for j, channel in enumerate(channels):
            base = table.row(start, channel)
            if j in judged_cols:
                k = judged_cols.index(j)
                p, low = float(estimate[i, k]), float(lower[i, k])
                need = confidence if rule == "probability" else float(goals[k].share)
                verdict = bool(low >= need - 1e-12)
            else:
                p, low, verdict = math.nan, math.nan, None
            rows.append(
                CheckedRow(
                    start,
                    channel,
                    base.erlang_a_agents,
                    base.staffed_agents,
                    int(counts[i, j] + raised[i, j]),
                    p,
                    low,
                    verdict,
                )
            )
    return CheckedRequirements(
        table, tuple(rows), replications, confidence, seed, rounds, max_rounds, rule
    )
