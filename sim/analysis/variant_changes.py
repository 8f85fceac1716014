"""What each variant key changes: one small pure function per key, returning validated copies.

Why a table of small pure functions: a planner asks "what if we had 130 agents, a
reserve pool of 30, a standby that starts in 20 minutes?". Each such key is one
function ``(plan, scenario, value) -> (plan, scenario)`` returning validated copies, so
a variant is exactly the baseline plus the changes it names, and nothing else moves.
The table that names them, and the parsing of their values, is
:mod:`sim.analysis.variants`; :class:`VaryError` lives here, the lowest of the two,
because these functions raise it too.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from i18n import _
from plans.assets import Activation
from plans.model import Plan
from scenarios.model import ComplaintSurge, Scenario, StaffGroup

Apply = Callable[[Plan, Scenario, Any], tuple[Plan, Scenario]]


class VaryError(ValueError):
    """A variant key or value that cannot be used; the message says what to fix."""


# --- validated copies ----------------------------------------------------------------


MAX_AGENTS = 100_000
"""Most agents a variant may have: far beyond any one centre (a run would not fit)."""


def _plan(plan: Plan, **update: Any) -> Plan:
    """A re-validated copy of the plan with some top-level fields replaced."""
    try:
        return Plan.model_validate(plan.model_copy(update=update).model_dump())
    except ValidationError as exc:
        raise VaryError(
            _("the changed plan is not valid: {error}").format(error=_first_error(exc))
        ) from None


def _scenario(scenario: Scenario, **update: Any) -> Scenario:
    """A re-validated copy of the scenario with some top-level fields replaced."""
    try:
        return Scenario.model_validate(scenario.model_copy(update=update).model_dump())
    except ValidationError as exc:
        raise VaryError(
            _("the changed scenario is not valid: {error}").format(error=_first_error(exc))
        ) from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


# --- staffing ------------------------------------------------------------------------


def scale_counts(counts: Sequence[int], total: int) -> list[int]:
    """Scale ``counts`` to add up to ``total``, keeping their proportions.

    Each count but the last is rounded half up; the last absorbs the rounding so the
    total is exact. With many small groups the round-ups can add up to more than the
    last group holds (31 groups of 2 to 11 scaled from 126 to 120 round up by 3); the
    shortfall is then taken back one agent at a time from the groups rounded up the
    most, so every group stays within one agent of its exact share.
    """
    current = sum(counts)
    if total < 0:
        raise VaryError(_("a number of agents cannot be negative, got {total}").format(total=total))
    if total > MAX_AGENTS:
        raise VaryError(
            _("{total} agents is more than drillsim simulates (at most {limit})").format(
                total=total, limit=MAX_AGENTS
            )
        )
    if current == 0:
        if total == 0:
            return list(counts)
        raise VaryError(
            _(
                "the groups to scale have no agents, so {total} cannot be shared in proportion"
            ).format(total=total)
        )
    exact = [Fraction(c * total, current) for c in counts[:-1]]
    scaled = [math.floor(x + Fraction(1, 2)) for x in exact]
    scaled.append(total - sum(scaled))
    while scaled[-1] < 0:
        most = max(range(len(exact)), key=lambda i: scaled[i] - exact[i])
        scaled[most] -= 1
        scaled[-1] += 1
    return scaled


def _staffing(plan: Plan, scenario: Scenario) -> tuple[StaffGroup, ...]:
    """The scenario's staffing, or the plan's copied into scenario form."""
    if scenario.staffing is not None:
        return scenario.staffing
    return tuple(StaffGroup.from_plan(g) for g in plan.staffing)


def _scale_staffing(
    plan: Plan, scenario: Scenario, total: int, picks: Callable[[StaffGroup], bool], none: str
) -> tuple[Plan, Scenario]:
    """``none``: the message when no group is picked."""
    groups = list(_staffing(plan, scenario))
    chosen = [i for i, g in enumerate(groups) if picks(g)]
    if not chosen:
        raise VaryError(none)
    new = scale_counts([groups[i].agents for i in chosen], total)
    for i, agents in zip(chosen, new, strict=True):
        groups[i] = groups[i].model_copy(update={"agents": agents})
    return plan, _scenario(scenario, staffing=tuple(groups))


def set_agents(plan: Plan, scenario: Scenario, total: int) -> tuple[Plan, Scenario]:
    """Total agents over every staffing group, in proportion to the groups' sizes."""
    return _scale_staffing(
        plan, scenario, total, lambda g: True, _("no staffing group in the staffing to scale")
    )


def agents_at(place: str) -> Apply:
    """``agents.<site>`` or ``agents.<shift>``: the total at one site or on one shift."""

    def apply(plan: Plan, scenario: Scenario, total: int) -> tuple[Plan, Scenario]:
        sites = {s.id for s in plan.sites}
        shifts = {s.id for s in plan.shifts}
        if place in sites:
            return _scale_staffing(
                plan,
                scenario,
                total,
                lambda g: g.site == place,
                _("no staffing group at site '{place}' to scale").format(place=place),
            )
        if place in shifts:
            return _scale_staffing(
                plan,
                scenario,
                total,
                lambda g: g.shift == place,
                _("no staffing group on shift '{place}' to scale").format(place=place),
            )
        close = difflib.get_close_matches(place, sorted(sites | shifts), n=1)
        names = {
            "place": place,
            "plan": plan.meta.id,
            "sites": ", ".join(sorted(sites)),
            "shifts": ", ".join(sorted(shifts)) or _("none"),
        }
        if close:
            raise VaryError(
                _(
                    "'{place}' is neither a site nor a shift of plan '{plan}' "
                    "(did you mean '{close}'?); sites: {sites}; shifts: {shifts}"
                ).format(close=close[0], **names)
            )
        raise VaryError(
            _(
                "'{place}' is neither a site nor a shift of plan '{plan}'; "
                "sites: {sites}; shifts: {shifts}"
            ).format(**names)
        )

    return apply


# --- plan resources and backups ------------------------------------------------------


def _reserve(plan: Plan, field_name: str, value: int | float) -> Plan:
    pools = [r for r in plan.resources if r.reserve_staff is not None]
    if not pools:
        raise VaryError(
            _("plan '{plan}' has no reserve staff pool (a resource with reserve_staff)").format(
                plan=plan.meta.id
            )
        )
    resources = tuple(
        r.model_copy(
            update={"reserve_staff": r.reserve_staff.model_copy(update={field_name: value})}
        )
        if r.reserve_staff is not None
        else r
        for r in plan.resources
    )
    return _plan(plan, resources=resources)


def set_reserve_size(plan: Plan, scenario: Scenario, size: int) -> tuple[Plan, Scenario]:
    """Size of every reserve staff pool."""
    return _reserve(plan, "size", size), scenario


def set_reserve_call_in(plan: Plan, scenario: Scenario, minutes: float) -> tuple[Plan, Scenario]:
    """Call-in time of every reserve staff pool."""
    return _reserve(plan, "call_in_time", minutes), scenario


def _with_time(activation: Activation | None, minutes: float) -> Activation:
    return (
        Activation(time=minutes)
        if activation is None
        else activation.model_copy(update={"time": minutes})
    )


def set_standby_activation(plan: Plan, scenario: Scenario, minutes: float) -> tuple[Plan, Scenario]:
    """Activation time of every standby system (a system named as another's standby)."""
    standbys = {s.standby for s in plan.systems if s.standby is not None}
    if not standbys:
        raise VaryError(_("plan '{plan}' has no standby system").format(plan=plan.meta.id))
    systems = tuple(
        s.model_copy(update={"activation": _with_time(s.activation, minutes)})
        if s.id in standbys
        else s
        for s in plan.systems
    )
    return _plan(plan, systems=systems), scenario


def set_backup_site_activation(
    plan: Plan, scenario: Scenario, minutes: float
) -> tuple[Plan, Scenario]:
    """Activation time of every backup site (kind 'backup', or named as another's backup)."""
    backups = {s.id for s in plan.sites if s.kind == "backup"} | {
        s.backup_site for s in plan.sites if s.backup_site
    }
    if not backups:
        raise VaryError(_("plan '{plan}' has no backup site").format(plan=plan.meta.id))
    sites = tuple(
        s.model_copy(update={"activation": _with_time(s.activation, minutes)})
        if s.id in backups
        else s
        for s in plan.sites
    )
    return _plan(plan, sites=sites), scenario


def set_replication(plan: Plan, scenario: Scenario, minutes: float) -> tuple[Plan, Scenario]:
    """Replication interval of every system that holds data."""
    if not any(s.holds_data for s in plan.systems):
        raise VaryError(_("plan '{plan}' has no system that holds data").format(plan=plan.meta.id))
    systems = tuple(
        s.model_copy(update={"replication_interval": minutes}) if s.holds_data else s
        for s in plan.systems
    )
    return _plan(plan, systems=systems), scenario


def scale_response_time(plan: Plan, scenario: Scenario, factor: float) -> tuple[Plan, Scenario]:
    """Every person's on-call and off-call answering time, multiplied by ``factor``."""
    people = tuple(
        p.model_copy(
            update={
                "response_time": p.response_time.model_copy(
                    update={
                        "on_call": p.response_time.on_call * factor,
                        "off_call": None
                        if p.response_time.off_call is None
                        else p.response_time.off_call * factor,
                    }
                )
            }
        )
        for p in plan.people
    )
    return _plan(plan, people=people), scenario


def set_surge(plan: Plan, scenario: Scenario, multiplier: float) -> tuple[Plan, Scenario]:
    """Peak multiplier of every complaint surge of the scenario."""
    if not any(isinstance(e, ComplaintSurge) for e in scenario.events):
        raise VaryError(
            _("scenario '{scenario}' has no complaint_surge event").format(
                scenario=scenario.meta.id
            )
        )
    events = tuple(
        e.model_copy(update={"multiplier": multiplier}) if isinstance(e, ComplaintSurge) else e
        for e in scenario.events
    )
    return plan, _scenario(scenario, events=events)
