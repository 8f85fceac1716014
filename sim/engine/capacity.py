"""Who is really at work when a scenario's workforce settings are on.

Why apart from :mod:`sim.engine.staffing`: with every setting off the engine counts
agents exactly as before (that code path is left untouched, so the known answers and
the golden run stay bit for bit); this module is the other path, taken only when a
scenario turns one of them on (:class:`scenarios.workforce.Workforce`):

* **Seats everywhere**: agents present at a site never exceed its seats, whatever
  moved them there. A site's own staff sit first, then staff moved in, then reserves.
* **Disasters that hold**: staff of a site lost to a disaster split three ways. Those
  who cannot work at all (the disaster's ``staff_unavailable``) stay at home and are
  never relocated; those working remotely (``remote_share``, from ``remote_after``)
  need a remote kit each; the rest can travel, and work only once the plan has moved
  them to a working site and the site's ``travel_time`` has passed. Reserves without a
  site work remotely and need kits too; reserves with a site count only while it works.
* **Shrinkage**: of the agents present, a share is on a break, in a meeting or in
  training. Breaks rotate over a cycle, so the number away is one of the two whole
  numbers either side of share x present and averages to it over the cycle. An agent
  due a break while with a customer finishes the contact first and then goes (nobody
  is cut off, and agents at work never fall below agents busy because of a break).

Agents are counts, as in staffing; only the rules that produce the counts differ.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from plans.model import Plan
from scenarios.model import Disaster, StaffGroup
from scenarios.workforce import Workforce
from sim.engine.clock import Clock
from sim.engine.topology import Infrastructure


class StaffedCentre(Protocol):
    """What these rules read of the staffing part (a Protocol: staffing imports this module)."""

    env: Clock
    plan: Plan
    horizon: float
    infra: Infrastructure
    groups: list[StaffGroup]
    planned_groups: int
    g_agents: list[int]
    g_site: list[str | None]
    g_on_shift: list[Callable[[float], bool]]
    absence: dict[str | None, list[float]]
    site_factor: dict[str, float]
    g_busy: list[int]
    g_staffed: list[int]
    owed: list[int] | None
    staffing_log: list[tuple[float, int, int]]

    def _update_capacity(self) -> None: ...

    def on_shift_now(self) -> list[bool]: ...


GOLDEN = 0.6180339887498949
"""Spreads the groups' break phases evenly, so breaks of all groups do not coincide."""
TICKS_PER_CYCLE = 20
"""How often in a shrinkage cycle who is on a break is looked at again."""


def _count(agents: int, share: float, absences: list[float]) -> int:
    """Whole agents of ``agents`` at ``share`` less each absence, rounded as staffing does."""
    for away in absences:
        share *= 1.0 - away
    return math.floor(agents * share + 0.5)


class CapacityRules:
    """The counts of agents at work under a scenario's workforce settings."""

    def __init__(self, sim: StaffedCentre, settings: Workforce) -> None:
        self.sim = sim
        self.settings = settings
        self.lost: dict[str, Disaster] = {}
        """Sites lost to a disaster now, with the disaster."""
        self.remote: dict[str, float] = {}
        """Share of a lost site's staff working remotely now."""
        self.arrives: dict[int, float] = {}
        """Group -> run time its travellers reach the site they were moved to."""
        self.kits: float | None = None
        if settings.remote_kits is not None:
            kit = next(r for r in sim.plan.resources if r.id == settings.remote_kits)
            self.kits = kit.quantity
        self.backup_sites = {s.id for s in sim.plan.sites if s.kind == "backup"}
        self.present: list[int] = []
        """Agents present per group (before breaks): what services are measured by."""
        self.remote_now: list[int] = []
        """Agents per group working remotely now."""

    # --- what the scenario's events tell this part ---------------------------------------

    def site_lost(self, event: Disaster) -> None:
        """A disaster takes a site: its staff split into the unavailable, remote and travellers."""
        self.lost[event.site] = event

    def remote_work(self, site: str, share: float) -> None:
        """Remote work begins for a lost site's staff (the disaster's ``remote_after``)."""
        self.remote[site] = max(self.remote.get(site, 0.0), share)

    def site_back(self, site: str) -> None:
        """The site is usable again: everyone can work where they are."""
        self.lost.pop(site, None)
        self.remote.pop(site, None)

    def relocated(self, groups: list[int], to_site: str) -> None:
        """Groups moved to ``to_site``: their travellers arrive after its travel time."""
        if not self.settings.disasters_hold:
            return
        site = next(s for s in self.sim.plan.sites if s.id == to_site)
        travel = site.travel_time or 0.0
        sim = self.sim
        for g in groups:
            self.arrives[g] = max(self.arrives.get(g, 0.0), sim.env.now + travel)
        if travel > 0:
            self._later(travel)

    # --- the counts ----------------------------------------------------------------

    def _site_share(self, site: str) -> float:
        """Share of a group that can work at ``site`` now, as the engine always judged it."""
        sim = self.sim
        if site in sim.site_factor and not self.settings.disasters_hold:
            return sim.site_factor[site]  # as before: those of the site working elsewhere
        if not sim.infra.site_working(site):
            return 0.0
        hold = self.settings.disasters_hold
        if hold and site in self.backup_sites and site not in sim.infra.active_backups:
            return 0.0  # a backup site not yet activated has no desks powered up
        return 1.0 - sim.infra.down.get(site, 0.0)

    def _split(self, gi: int) -> tuple[int, int]:
        """(agents of group ``gi`` present at a seat, agents working remotely)."""
        sim = self.sim
        if not sim.on_shift_now()[gi]:
            return 0, 0
        agents = sim.g_agents[gi]
        home = sim.groups[gi].site
        where = sim.g_site[gi]
        absent = [share for place in (None, home) for share in sim.absence.get(place, [])]
        hold = self.settings.disasters_hold
        reserve = gi >= sim.planned_groups
        if where is None:
            # reserves working from anywhere: remotely (a kit each, when disasters hold)
            everyone = _count(agents, 1.0, absent)
            return (0, everyone) if hold else (everyone, 0)
        if hold and not reserve and home in self.lost:
            event = self.lost[home]
            remote = self.remote.get(home, 0.0)
            travellers = max(0.0, 1.0 - event.staff_unavailable - remote)
            arrived = where != home and sim.env.now >= self.arrives.get(gi, math.inf)
            seat = travellers * self._site_share(where) if arrived else 0.0
            return _count(agents, seat, absent), _count(agents, remote, absent)
        return _count(agents, self._site_share(where), absent), 0

    def staffed(self) -> list[int]:
        """Agents taking contacts now, per group: present, seated, kitted, not on a break."""
        sim = self.sim
        n = len(sim.groups)
        split = [self._split(gi) for gi in range(n)]
        seated = [s for s, _r in split]
        remote = [r for _s, r in split]
        self._seat(seated)
        if self.kits is not None:
            free = self.kits
            for gi in range(n):
                remote[gi] = int(min(remote[gi], max(0.0, free)))
                free -= remote[gi]
        self.present = [s + r for s, r in zip(seated, remote, strict=True)]
        self.remote_now = remote
        shrink = self.settings.shrinkage
        if shrink.is_off():
            return list(self.present)
        now = sim.env.now
        out = []
        owed = []
        for gi, present in enumerate(self.present):
            share = shrink.share_for(sim.groups[gi].shift)
            away = present * share
            base = math.floor(away)
            phase = (now / shrink.cycle + gi * GOLDEN) % 1.0
            want = present - base - (1 if phase < away - base else 0)
            # an agent due a break who is with a customer goes when the contact ends
            at_work = max(want, min(present, sim.g_busy[gi]))
            out.append(at_work)
            owed.append(at_work - want)
        sim.owed = owed
        return out

    def take_break(self, g: int) -> None:
        """An agent of group ``g`` due a break has just finished a contact: off they go."""
        sim = self.sim
        assert sim.owed is not None
        sim.owed[g] -= 1
        sim.g_staffed[g] -= 1
        sim.staffing_log.append((sim.env.now, g, sim.g_staffed[g]))

    def _seat(self, seated: list[int]) -> None:
        """Cap each site's agents at its seats: own staff first, then moved staff, reserves."""
        sim = self.sim
        every = self.settings.seats == "every_site"
        for site in sim.plan.sites:
            if site.kind != "backup" and not every:
                continue
            here = [gi for gi, where in enumerate(sim.g_site) if where == site.id]
            here.sort(key=lambda g: (g >= sim.planned_groups, sim.groups[g].site != site.id, g))
            free = site.seats
            for gi in here:
                seated[gi] = min(seated[gi], free)
                free -= seated[gi]

    def schedule_breaks(self) -> None:
        """Look again at who is on a break a number of times each cycle, to the horizon."""
        shrink = self.settings.shrinkage
        if shrink.is_off():
            return
        sim = self.sim
        step = shrink.cycle / TICKS_PER_CYCLE
        k = 1
        while k * step < sim.horizon:
            self._later(k * step - sim.env.now)
            k += 1

    def _later(self, delay: float) -> None:
        """Recount agents at work ``delay`` minutes from now."""
        self.sim.env.call_in(delay, lambda _none: self.sim._update_capacity(), None)
