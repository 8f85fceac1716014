"""Trading regular agents for a reserve pool: the smallest pool that carries a smaller team.

Why apart from the staffing search: reserves only help once the response calls them
in (the plan's flow for the event, when the run shows trouble), so the question is
not "how many agents" but "with one or two agents fewer, how big must the reserve
pool be?". Each answer is judged like the staffing search: every target's one-sided
Wilson lower bound of P(met) must reach the confidence, on the same seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.backends import Backend
from sim.analysis.staff_scaling import with_agents
from sim.analysis.staffing import Level
from sim.analysis.staffing_targets import Target
from sim.analysis.staffing_verdict import judge_level
from sim.analysis.variant_changes import set_reserve_size


@dataclass(frozen=True)
class ReserveOption:
    """A smaller team and the smallest reserve pool that still meets every target."""

    agents: int
    reserve: int | None
    """Smallest pool size supported (None: not even ``max_reserve``)."""
    levels: tuple[tuple[int, Level], ...]
    """(pool size, evidence) for every size simulated."""

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "agents": self.agents,
            "reserve": self.reserve,
            "levels": [{"reserve": r, **lv.to_dict()} for r, lv in self.levels],
        }


def reserve_pools(plan: Plan) -> list[int]:
    """Sizes of the plan's reserve staff pools (empty: the plan has none)."""
    return [r.reserve_staff.size for r in plan.resources if r.reserve_staff is not None]


def smallest_reserve(
    plan: Plan,
    scenario: Scenario,
    targets: list[Target],
    agents: int,
    confidence: float,
    replications: int,
    seed: int,
    backend: Backend,
    max_reserve: int,
) -> ReserveOption:
    """The smallest pool size (every pool set to it) that carries ``agents`` to the targets.

    Bisection between 0 and ``max_reserve``: assumes P(met) does not fall as the pool
    grows, which common random numbers make hold (the same people answer first).
    """
    scaled = with_agents(plan, scenario, agents)
    seen: dict[int, Level] = {}

    def supported(size: int) -> bool:
        if size not in seen:
            sized, _ = set_reserve_size(plan, scaled, size)
            evidence, verdict = judge_level(
                sized, scaled, targets, confidence, replications, seed, backend
            )
            seen[size] = Level(agents, evidence, verdict)
        return seen[size].supported

    if not supported(max_reserve):
        return ReserveOption(agents, None, tuple(sorted(seen.items())))
    low, high = -1, max_reserve  # low unsupported (or none), high supported
    while high - low > 1:
        mid = (low + high) // 2
        if mid >= 0 and supported(mid):
            high = mid
        else:
            low = mid
    return ReserveOption(agents, high, tuple(sorted(seen.items())))
