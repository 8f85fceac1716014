"""An interval plan (agents per channel per interval) as a roster the engine already runs.

Why no new engine hook: the engine staffs a run from staff groups, each working a plan
shift (a weekly window of days and hours) with a number of agents and skills
(:mod:`sim.engine.staffing`); a shift may last any whole number of minutes. So the
interval plan becomes a plan with extra shifts and a scenario whose ``staffing`` is
groups on them, and the simulation runs it as it runs any variant.

How the counts become groups, per channel and site: the step function "agents in each
interval" is cut into layers (agent j works every interval that has more than j agents),
and each maximal run of intervals of a layer is a group on a shift covering that run
(cut at midnight, since a shift's hours lie within one day). Agents staying on from one
interval to the next are therefore the same group, and only where the count changes does
a group start or stop; a group that stops finishes the contacts it holds (the engine
never cuts a contact off), as at a real shift change.

What is kept from the scenario's roster and what is not:

* **one skill an agent**: every group serves one channel, as a requirement per skill
  assumes; agents the roster trains on several channels are not pooled here;
* **sites**: each channel's agents are spread over sites in the proportion the scenario's
  roster has agents for that channel at each site (largest remainders), so a site lost
  in an event costs the interval plan what it would cost the roster;
* **shrinkage**: the scenario's workforce settings stay, with the table's shrinkage share
  for every group, so the agents the table rosters lose that share to breaks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import numpy as np
import numpy.typing as npt

from i18n import _
from plans.model import Plan
from plans.schedule import DAYS, WeeklyWindow, covers
from plans.service import Shift
from scenarios.model import Scenario, StaffGroup
from scenarios.workforce import Shrinkage
from sim.analysis.staff_scaling import base_groups
from sim.engine.demand import start_minute_of_week

SHIFT_PREFIX = "interval_"  # not for people: ids of the shifts an interval plan adds
IntMatrix = npt.NDArray[np.int64]


def site_shares(plan: Plan, scenario: Scenario, channel: str) -> dict[str, float]:
    """Share of the roster's agents serving ``channel`` at each site (the first site if none)."""
    counts: Counter[str] = Counter()
    for g in base_groups(plan, scenario):
        if channel in g.skills:
            counts[g.site] += g.agents
    total = sum(counts.values())
    if not total:
        return {plan.sites[0].id: 1.0}
    return {site: n / total for site, n in sorted(counts.items()) if n}


def _split(n: int, shares: dict[str, float]) -> dict[str, int]:
    """``n`` agents over sites by largest remainders (ties: the site first in order)."""
    sites = list(shares)
    quotas = [n * shares[s] for s in sites]
    counts = [math.floor(q + 1e-9) for q in quotas]
    order = sorted(range(len(sites)), key=lambda i: (counts[i] - quotas[i], i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return dict(zip(sites, counts, strict=True))


def layer_runs(counts: list[int]) -> Counter[tuple[int, int]]:
    """{(first interval, last + 1): agents} whose sum over runs covering i is counts[i]."""
    runs: Counter[tuple[int, int]] = Counter()
    for level in range(1, max(counts, default=0) + 1):
        start = None
        for i, n in enumerate([*counts, 0]):
            if n >= level and start is None:
                start = i
            elif n < level and start is not None:
                runs[(start, i)] += 1
                start = None
    return runs


def _windows(begin: float, end: float, offset: int) -> list[WeeklyWindow]:
    """Weekly windows covering run minutes [begin, end), one per calendar day touched."""
    out = []
    t = int(round(begin))
    stop = int(round(end))
    while t < stop:
        week_minute = (offset + t) % (7 * 1440)
        day, minute = divmod(week_minute, 1440)
        piece = min(stop - t, 1440 - minute)
        out.append(WeeklyWindow(days=(DAYS[day],), hours=(minute, minute + piece)))
        t += piece
    return out


def interval_variant(
    plan: Plan,
    scenario: Scenario,
    counts: IntMatrix,
    channels: list[str],
    starts: list[float],
    interval_minutes: float,
    shrinkage: float,
) -> tuple[Plan, Scenario]:
    """(plan with the interval shifts, scenario staffed by the interval plan ``counts``).

    ``counts[i, j]``: agents rostered on ``channels[j]`` in the interval starting at
    ``starts[i]`` (minutes from the run's start). Module docstring: how.
    """
    offset = start_minute_of_week(scenario)
    ends = [min(s + interval_minutes, float(scenario.horizon)) for s in starts]
    ends[-1] = max(ends[-1], float(scenario.horizon))
    shifts: list[Shift] = []
    groups: list[StaffGroup] = []
    for j, channel in enumerate(channels):
        shares = site_shares(plan, scenario, channel)
        by_site: dict[str, list[int]] = {s: [] for s in shares}
        for i in range(len(starts)):
            for site, n in _split(int(counts[i, j]), shares).items():
                by_site[site].append(n)
        for site, column in by_site.items():
            for (first, last), agents in sorted(layer_runs(column).items()):
                for window in _windows(starts[first], ends[last - 1], offset):
                    shift_id = f"{SHIFT_PREFIX}{len(shifts)}"
                    label = _("interval plan, {channel}").format(channel=channel)
                    shifts.append(Shift(id=shift_id, name=label, window=window))
                    groups.append(
                        StaffGroup(site=site, shift=shift_id, agents=agents, skills=(channel,))
                    )
    varied_plan = plan.model_copy(update={"shifts": (*plan.shifts, *shifts)})
    old = scenario.workforce.shrinkage
    workforce = scenario.workforce.model_copy(
        update={"shrinkage": Shrinkage(share=shrinkage, cycle=old.cycle)}
    )
    varied = scenario.model_copy(update={"staffing": tuple(groups), "workforce": workforce})
    return varied_plan, varied


def roster_matrix(
    plan: Plan, scenario: Scenario, channels: list[str], starts: list[float], interval: float
) -> IntMatrix:
    """Agents of the scenario's roster on duty at each interval's middle, per channel.

    An agent trained on several channels counts on each of them (it could take any), so
    a column is the most the roster can put on that channel then, not a share of it.
    """
    shifts = {s.id: s.window.intervals() for s in plan.shifts}
    offset = start_minute_of_week(scenario)
    out = np.zeros((len(starts), len(channels)), dtype=np.int64)
    for i, start in enumerate(starts):
        minute = int(offset + start + interval / 2)
        for g in base_groups(plan, scenario):
            if g.shift is None or covers(shifts[g.shift], minute):
                for j, channel in enumerate(channels):
                    if channel in g.skills:
                        out[i, j] += g.agents
    return out


def interval_clock(scenario: Scenario, start: float) -> dt.datetime:
    """The scenario's clock time of an interval start (minutes from the run's start)."""
    return scenario.start + dt.timedelta(minutes=start)
