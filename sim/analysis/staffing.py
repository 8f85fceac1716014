"""Fewest agents that meet every target with a stated confidence: Erlang A, then simulation.

Why both: Erlang A (:mod:`sim.queueing`) answers in milliseconds but only for a stationary
queue and only on average; the simulation sees everything the scenario does but costs a
Monte Carlo run per staffing level. So Erlang A picks where to start
(:mod:`sim.analysis.staffing_start`) and the simulation decides, level by level, judged on
the share of replications that meet each target (:mod:`sim.analysis.staffing_targets`
says why that judgement is conservative).

Every level runs on the same replication seeds (common random numbers): the levels meet
the same customers, so P(met) hardly ever falls as agents are added and the differences
between levels are the staffing's, not the dice's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from i18n import _
from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.backends import Backend, make_backend
from sim.analysis.staff_scaling import with_agents
from sim.analysis.staffing_start import erlang_a_start
from sim.analysis.staffing_targets import (
    EXAMPLE,
    ONE_SIDED_LEVEL,
    Z_ONE_SIDED,
    Target,
    TargetEvidence,
    min_replications,
)
from sim.analysis.staffing_verdict import judge_level

MAX_LEVELS = 12
"""Staffing levels a search simulates at most."""


@dataclass(frozen=True, slots=True)
class Level:
    """One staffing level simulated, and whether it supports the claim."""

    agents: int
    evidence: tuple[TargetEvidence, ...]
    supported: bool
    """Every target's lower bound over all the replications a level is given reaches the
    confidence (decided, when the search stops early, before all of them ran)."""

    @property
    def runs(self) -> int:
        """Replications the verdict rests on (fewer than asked once it was decided)."""
        return max((e.n for e in self.evidence), default=0)

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "agents": self.agents,
            "supported": self.supported,
            "runs": self.runs,
            "targets": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class StaffingResult:
    """The answer of a search and the evidence for it."""

    found: bool
    agents: int | None
    """Fewest agents supported (None when not even ``max_agents`` is)."""
    resolved: bool
    """The level below ``agents`` was simulated and not supported (or ``agents`` is 1);
    False when the level budget ran out first, making ``agents`` an upper bound."""
    budget_spent: bool
    """The search stopped because ``max_levels`` levels were simulated, not because it
    had its answer (or had ruled out every level up to ``max_agents``)."""
    start: int
    """The Erlang A estimate the search began from."""
    targets: tuple[Target, ...]
    confidence: float
    replications: int
    seed: int
    max_agents: int
    levels: tuple[Level, ...]
    """Every level simulated, fewest agents first."""

    @property
    def runs(self) -> int:
        """Simulation runs it took: each level's runs (at most the replications a level)."""
        return sum(lv.runs for lv in self.levels)

    def level(self, agents: int) -> Level:
        """The evidence for one simulated level."""
        return next(lv for lv in self.levels if lv.agents == agents)

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "found": self.found,
            "agents": self.agents,
            "resolved": self.resolved,
            "budget_spent": self.budget_spent,
            "erlang_a_start": self.start,
            "targets": [t.label for t in self.targets],
            "confidence": self.confidence,
            "one_sided_level": ONE_SIDED_LEVEL,
            "replications": self.replications,
            "seed": self.seed,
            "max_agents": self.max_agents,
            "runs": self.runs,
            "levels": [lv.to_dict() for lv in self.levels],
        }


def _validate(targets: list[Target], confidence: float, replications: int) -> None:
    if not targets:
        raise ValueError(_("give at least one target, {example}").format(example=_(EXAMPLE)))
    if not 0.0 < confidence < 1.0:
        raise ValueError(
            _("confidence must lie strictly between 0 and 1, got {value!r}").format(
                value=confidence
            )
        )
    least = min_replications(confidence)
    if replications < least:
        best = replications / (replications + Z_ONE_SIDED**2)
        raise ValueError(
            _(
                "{replications} replications can never support confidence {confidence:g} "
                "(even if every one meets the targets the lower bound is {best:.3f}); "
                "use at least {least}"
            ).format(replications=replications, confidence=confidence, best=best, least=least)
        )


def search(
    plan: Plan,
    scenario: Scenario,
    targets: list[Target],
    confidence: float = 0.9,
    replications: int = 40,
    seed: int = 20260301,
    workers: int = 1,
    backend: Backend | None = None,
    max_agents: int | None = None,
    max_levels: int = MAX_LEVELS,
    progress: Callable[[Level], None] | None = None,
    early: bool = True,
) -> StaffingResult:
    """Fewest agents (in total, groups in proportion) meeting every target with ``confidence``.

    Starts from :func:`erlang_a_start`; if that level is supported, steps down (1, 2, 4...
    agents) while still supported, else steps up likewise, capped at ``max_agents``
    (default: twice the start or the start + 10, whichever is more); then bisects the
    gap between the highest unsupported and the lowest supported level. That finds the
    fewest supported agents if P(met) rises with agents, which common random numbers
    make hold level by level. At most ``max_levels`` levels are simulated; if the
    budget runs out first the answer is the lowest supported level seen
    (``resolved`` False). Each level runs :func:`sim.analysis.montecarlo.run_monte_carlo` on the
    same ``seed``; ``backend`` (default: a process pool of ``workers``, or this process
    for one worker) is reused for every level. A reserve (agents beyond the answer, or
    reserve pools called in) is not searched for. A level stops as soon as its verdict is
    decided (:mod:`sim.analysis.staffing_verdict`; ``early`` False runs every
    replication of every level): the same verdicts, on fewer runs.

    Raises:
        ValueError: no target, confidence outside (0, 1), too few replications to ever
            support it, max_agents below 1, or no staffing to scale.
    """
    _validate(targets, confidence, replications)
    start = max(1, erlang_a_start(plan, scenario, targets))
    top = max(2 * start, start + 10) if max_agents is None else max_agents
    if top < 1:
        raise ValueError(_("max_agents must be at least 1, got {value}").format(value=top))
    if max_levels < 1:
        raise ValueError(_("max_levels must be at least 1, got {value}").format(value=max_levels))
    start = min(start, top)
    with_agents(plan, scenario, start)  # fail early if there is no staffing to scale
    runner = make_backend("process", workers) if backend is None else backend
    levels: dict[int, Level] = {}
    spent: list[int] = []  # the levels asked for beyond the budget

    def supported(agents: int) -> bool | None:
        """Whether a level supports the claim; None once the budget is spent."""
        if agents not in levels:
            if len(levels) >= max_levels:
                spent.append(agents)
                return None
            scaled = with_agents(plan, scenario, agents)
            evidence, verdict = judge_level(
                plan, scaled, targets, confidence, replications, seed, runner, workers, early
            )
            levels[agents] = Level(agents, evidence, verdict)
            if progress is not None:
                progress(levels[agents])
        return levels[agents].supported

    try:
        good, bad = _bracket(supported, start, top)
        while good is not None and bad is not None and good - bad > 1:
            mid = (good + bad) // 2
            verdict = supported(mid)
            if verdict is None:
                break
            good, bad = (mid, bad) if verdict else (good, mid)
    finally:
        if backend is None:
            runner.close()
    return StaffingResult(
        found=good is not None,
        agents=good,
        resolved=good is not None and bad is not None and good - bad == 1,
        budget_spent=bool(spent),
        start=start,
        targets=tuple(targets),
        confidence=confidence,
        replications=replications,
        seed=seed,
        max_agents=top,
        levels=tuple(levels[k] for k in sorted(levels)),
    )


def _bracket(
    supported: Callable[[int], bool | None], start: int, top: int
) -> tuple[int | None, int | None]:
    """(lowest supported level, highest unsupported level below it), galloping from start.

    The first is None when no level up to ``top`` is supported; the second is 0 when
    one agent is supported and None when the budget ran out before one was found.
    """
    verdict = supported(start)
    if verdict:
        good, step = start, 1
        while good > 1:
            below = max(1, good - step)
            verdict = supported(below)
            if verdict is None:
                return good, None
            if not verdict:
                return good, below
            good, step = below, step * 2
        return good, 0
    bad, step = start, 1
    while bad < top and verdict is not None:
        above = min(top, bad + step)
        verdict = supported(above)
        if verdict:
            return above, bad
        if verdict is False:
            bad, step = above, step * 2
    return None, bad
