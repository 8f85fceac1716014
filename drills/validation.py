"""Checks on what a page hands the drill database, each failing with what to fix.

Why at the edge: a drill is replayed from its stored inputs for as long as it is
kept, so a bad name, seed or plan must be refused before it is written, not found
out later when the drill no longer opens.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from drills.records import KINDS, MODES, Kind, Mode, Participant
from i18n import N_, _
from plans.issues import ModelFileError
from plans.loader import load_plan_text
from plans.model import Plan
from scenarios import check_against_plan
from scenarios.loader import load_scenario_text

MAX_SEED = 2**63 - 1
"""SQLite stores integers in 8 bytes."""


def now_iso() -> str:
    """The wall-clock time now, ISO 8601 in UTC (how every wall time is stored)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def wall_iso(when: dt.datetime | str) -> str:
    """A wall-clock time as stored: ISO 8601 in UTC; a time without a zone is refused."""
    moment = parse_wall(when) if isinstance(when, str) else when
    if moment.tzinfo is None:
        raise ValueError(
            _("the wall time {time} has no time zone: use e.g. datetime.now(UTC)").format(
                time=moment.isoformat()
            )
        )
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def parse_wall(text: str) -> dt.datetime:
    """A stored (or typed) ISO wall time back into a datetime."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("'{text}' is not an ISO date and time such as 2026-03-02T09:00:00+00:00").format(
                text=text
            )
        ) from None


def drill_name(name: object) -> str:
    """The drill's name, trimmed; an empty one is refused."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(_("a drill needs a name"))
    return name.strip()


SOURCE_NAME_ERRORS = {
    "plan": N_("a drill needs the plan's name (it is shown in error messages and the debrief)"),
    "scenario": N_(
        "a drill needs the scenario's name (it is shown in error messages and the debrief)"
    ),
}


def source_name(name: object, what: str) -> str:
    """The name a plan or scenario (``what``) is reported under, trimmed."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(_(SOURCE_NAME_ERRORS[what]))
    return name.strip()


def mode(value: object) -> Mode:
    """'tabletop' or 'live'."""
    for m in MODES:
        if value == m:
            return m
    raise ValueError(
        _(
            "unknown mode {value!r}: a drill is 'tabletop' (the room moves the clock) or 'live'"
        ).format(value=value)
    )


def seed(value: object) -> int:
    """A whole number from 0 up (booleans are not seeds)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not 0 <= int(value) <= MAX_SEED
    ):
        raise ValueError(
            _("the seed must be a whole number from 0 to {max}, not {value!r}").format(
                max=MAX_SEED, value=value
            )
        )
    return int(value)


def speed(value: object) -> float:
    """Live speed: simulated minutes per wall minute, a positive finite number."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(
            _(
                "the live speed must be a positive number (simulated minutes per wall minute), "
                "not {value!r}"
            ).format(value=value)
        )
    return float(value)


def participants(values: Iterable[Participant | Mapping[str, Any]]) -> tuple[Participant, ...]:
    """Participants from records or {name, role} mappings; every one needs a name."""
    out = []
    for n, p in enumerate(values, start=1):
        name: object
        role: object
        if isinstance(p, Participant):
            name, role = p.name, p.role
        elif isinstance(p, Mapping):
            unknown = set(p) - {"name", "role"}
            if unknown:
                raise ValueError(
                    _("participant {n}: unknown field(s) {fields}; give name and role").format(
                        n=n, fields=sorted(unknown)
                    )
                )
            name, role = p.get("name"), p.get("role") or ""
        else:
            raise ValueError(
                _("participant {n} must be {{'name': ..., 'role': ...}}, not {value!r}").format(
                    n=n, value=p
                )
            )
        if not isinstance(name, str) or not name.strip():
            raise ValueError(_("participant {n} needs a name").format(n=n))
        if not isinstance(role, str):
            raise ValueError(
                _("participant {n} ({name}): the role must be text, not {role!r}").format(
                    n=n, name=name.strip(), role=role
                )
            )
        out.append(Participant(name.strip(), role.strip()))
    return tuple(out)


def inputs(plan_name: str, plan_text: str, scenario_name: str, scenario_text: str) -> Plan:
    """The plan, once plan and scenario load and fit each other (else ModelFileError)."""
    plan = load_plan_text(plan_text, plan_name)
    scenario = load_scenario_text(scenario_text, scenario_name)
    issues = check_against_plan(plan, scenario)
    if issues:
        raise ModelFileError(scenario_name, issues)
    return plan


def known_role(role: str, roles: Sequence[str], who: str) -> str:
    """A role id of the plan; a typo is refused with the closest role id (``who`` names it)."""
    if role in roles:
        return role
    close = difflib.get_close_matches(role, roles, n=1, cutoff=0.6)
    if close:
        raise ValueError(
            _("{who}: unknown role '{role}' (did you mean '{close}'?)").format(
                who=who, role=role, close=close[0]
            )
        )
    raise ValueError(
        _("{who}: unknown role '{role}' (the plan's roles: {roles})").format(
            who=who, role=role, roles=", ".join(roles)
        )
    )


def participant_roles(people: Iterable[Participant], plan: Plan) -> None:
    """Every participant's role (when given) is one of the plan's roles."""
    roles = [r.id for r in plan.roles]
    for p in people:
        if p.role:
            known_role(p.role, roles, _("participant '{name}'").format(name=p.name))


def kind(value: object) -> Kind:
    """One of the entry kinds."""
    for k in KINDS:
        if value == k:
            return k
    raise ValueError(
        _("unknown entry kind {value!r}: one of {kinds}").format(
            value=value, kinds=", ".join(KINDS)
        )
    )


def minutes(value: object, what: str) -> float:
    """A simulated time in minutes: finite and not negative (``what``: a msgid naming it)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(
            _("{what} must be a number of minutes, 0 or more, not {value!r}").format(
                what=_(what), value=value
            )
        )
    return float(value)


def author(value: object) -> str:
    """Who wrote an entry: every line of the log says who."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("every log entry needs an author: who did this?"))
    return value.strip()


def json_text(value: object, what: str) -> str:
    """Strict JSON text of a payload or result (no NaN, plain data only)."""
    if not isinstance(value, Mapping):
        raise ValueError(
            _("the {what} must be a mapping, not {type}").format(
                what=what, type=type(value).__name__
            )
        )
    try:
        return json.dumps(dict(value), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            _("the {what} cannot be stored as JSON: {error}").format(what=what, error=exc)
        ) from None
