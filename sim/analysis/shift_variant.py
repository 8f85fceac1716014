"""A shift cover as a variant: the roster it hires, run like any other variant.

Why a variant: the covering program (:mod:`sim.analysis.shift_cover`) trusts the
requirement it is given; whether its roster really meets the goals, with the queue
carried over from one interval to the next, customers giving up and the scenario's
events, only a simulation says. So the cover becomes a plan and scenario pair (the
hook is :class:`sim.analysis.compare.PreparedVariant`, which any variant becomes) and
runs beside the roster of today on the same seeds (:func:`sim.analysis.compare.compare_prepared`).

What the variant changes and what it keeps:

* **staffing**: one group per pattern, skill group and site, with the cover's agents;
  the scenario's own staffing is replaced, the plan's stays as written;
* **shifts**: a pattern that is not yet a plan shift (a candidate from
  :func:`sim.analysis.shift_patterns.candidate_shift`) is added to the plan;
* **sites**: a pattern and skill group's agents are spread over sites in the proportion
  today's roster has them (same shift and skills; else the same skills; else every
  agent), largest remainders first, so a site lost in an event costs the cover what it
  costs the roster;
* **everything else** (demand, events, workforce settings such as shrinkage) is the
  scenario's as it stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from i18n import _
from plans.model import Plan
from scenarios.model import Scenario, StaffGroup
from sim.analysis.compare import PreparedVariant
from sim.analysis.shift_cover import ShiftCover
from sim.analysis.staff_scaling import base_groups
from sim.analysis.variant_changes import scale_counts
from sim.analysis.variants import Variant

COVER_VARIANT = "shift_cover"  # not for people: the variant's name in files and tables


def _site_weights(
    roster: Sequence[StaffGroup], shift: str | None, skills: tuple[str, ...]
) -> dict[str, int]:
    """Agents per site of today's roster most like this pattern and skill group."""
    for picks in (
        lambda g: g.shift == shift and tuple(sorted(g.skills)) == skills,
        lambda g: tuple(sorted(g.skills)) == skills,
        lambda g: True,
    ):
        weights: dict[str, int] = {}
        for g in roster:
            if picks(g):
                weights[g.site] = weights.get(g.site, 0) + g.agents
        if sum(weights.values()) > 0:
            return weights
    return {}


def cover_staffing(plan: Plan, scenario: Scenario, cover: ShiftCover) -> tuple[Plan, Scenario]:
    """The plan (with any new pattern's shift) and the scenario staffed by ``cover``."""
    roster = base_groups(plan, scenario)
    known = {s.id for s in plan.shifts}
    new_shifts = [
        p.shift for p in cover.patterns if p.shift is not None and p.shift.id not in known
    ]
    groups: list[StaffGroup] = []
    for pattern_id, skills, agents in cover.rows():
        pattern = next(p for p in cover.patterns if p.id == pattern_id)
        shift = pattern.shift.id if pattern.shift is not None else None
        weights = _site_weights(roster, shift, tuple(sorted(skills)))
        if not weights:
            weights = {plan.sites[0].id: 1}
        sites = sorted(weights)
        for site, n in zip(sites, scale_counts([weights[s] for s in sites], agents), strict=True):
            if n > 0:
                groups.append(StaffGroup(site=site, shift=shift, agents=n, skills=skills))
    if not groups:
        raise ValueError(_("the shift cover hires no agent: nothing to simulate"))
    varied_plan = Plan.model_validate(
        plan.model_copy(update={"shifts": (*plan.shifts, *new_shifts)}).model_dump()
    )
    varied = Scenario.model_validate(
        scenario.model_copy(update={"staffing": tuple(groups)}).model_dump()
    )
    return varied_plan, varied


def baseline_and_cover(plan: Plan, scenario: Scenario, cover: ShiftCover) -> list[PreparedVariant]:
    """Today's roster (the baseline) and the cover, ready for ``compare_prepared``."""
    varied_plan, varied = cover_staffing(plan, scenario, cover)
    return [
        PreparedVariant(Variant("baseline"), plan, scenario),
        PreparedVariant(Variant(COVER_VARIANT), varied_plan, varied),
    ]
