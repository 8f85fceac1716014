"""A live drill's clock: Start, Pause, Resume, and where the clock should be now.

Why the clock is stored as a start and not as a running count: a live drill is
viewed from several browsers and survives server restarts, so its clock is computed
from the wall time it last started (``live_started_wall``) and the simulated clock
at that moment (``live_started_clock``), times the speed. A pause writes where the
clock had got to and clears the start; a resume starts it again from there, so the
paused wall time never moves the simulated clock.

Live drills are created waiting: the clock starts when the facilitator presses Start.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

from drills import validation as check
from drills.access import Role, require
from drills.errors import Conflict, DrillEnded
from drills.records import DrillRecord
from drills.store import DrillStore
from i18n import _
from plans.types import human_minutes
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario

__all__ = ("ClockAction", "live_clock", "live_target_time", "pause", "resume", "start_live")


def open_drill(store: DrillStore, drill_id: str, expected_version: int | None) -> DrillRecord:
    """The drill as it is now, refused when the writer looked at an older board."""
    record = store.get(drill_id)
    if expected_version is not None and expected_version != record.version:
        raise Conflict(
            drill_id, expected_version, record.version, record.changes_since(expected_version)
        )
    return record


def scenario_of(record: DrillRecord) -> Scenario:
    """The drill's scenario, from its stored text (parsed once per text: every advance
    and view reads it, and the model is frozen)."""
    return _scenario_text(record.scenario_text, record.scenario_name)


@lru_cache(maxsize=16)
def _scenario_text(text: str, name: str) -> Scenario:
    return load_scenario_text(text, name)


def live_target_time(record: DrillRecord, wall_now: dt.datetime) -> float:
    """Where a live drill's clock should be at ``wall_now`` (an aware datetime).

    The clock when the live clock last started (or resumed), plus the wall minutes
    since, times the speed, capped at the horizon. A tabletop drill, a live one not
    started or paused, or an ended one stays at its clock.
    """
    if record.mode != "live" or record.live_started_wall is None or record.status == "ended":
        return record.clock
    started = check.parse_wall(record.live_started_wall)
    now = check.parse_wall(check.wall_iso(wall_now))
    elapsed = max(0.0, (now - started).total_seconds() / 60.0)
    base = record.live_started_clock if record.live_started_clock is not None else 0.0
    return min(base + elapsed * record.speed, float(scenario_of(record).horizon))


def _live(store: DrillStore, drill_id: str, expected_version: int | None) -> DrillRecord:
    record = open_drill(store, drill_id, expected_version)
    if record.mode != "live":
        raise ValueError(
            _(
                "drill '{drill}' is a tabletop drill: "
                "its clock moves only when the room advances it"
            ).format(drill=drill_id)
        )
    if record.status == "ended":
        raise DrillEnded(drill_id)
    return record


def _wall(wall_now: dt.datetime | None) -> str:
    return check.wall_iso(wall_now) if wall_now is not None else check.now_iso()


def start_live(
    store: DrillStore,
    drill_id: str,
    expected_version: int | None,
    author: str = "facilitator",
    wall_now: dt.datetime | None = None,
    *,
    role: Role | None = None,
) -> DrillRecord:
    """Start a live drill's clock from its current clock (entry kind 'start').

    A paused drill is resumed (as :func:`resume`); a running one restarts from its
    clock, as the room last moved it.
    """
    require(role, "advance")  # refused before anything is looked at
    record = _live(store, drill_id, expected_version)
    if record.paused:
        return resume(store, drill_id, record.version, author, wall_now, role=role)
    started = _wall(wall_now)
    store.append(
        drill_id,
        "start",
        record.clock,
        author,
        {"live_started_wall": started, "clock": record.clock},
        expected_version=record.version,
        new_live_start=started,
        role=role,
    )
    return store.get(drill_id)


def pause(
    store: DrillStore,
    drill_id: str,
    expected_version: int | None,
    author: str,
    wall_now: dt.datetime | None = None,
    *,
    role: Role | None = None,
) -> DrillRecord:
    """Stop a running live drill's clock where it has got to (entry kind 'pause')."""
    require(role, "advance")
    record = _live(store, drill_id, expected_version)
    if record.live_state == "paused":
        raise ValueError(
            _("drill '{drill}' is already paused at T+{clock}: resume it first").format(
                drill=drill_id, clock=human_minutes(record.clock)
            )
        )
    if record.live_state != "running":
        raise ValueError(
            _("drill '{drill}' has not started: press Start first").format(drill=drill_id)
        )
    paused = _wall(wall_now)
    target = max(record.clock, live_target_time(record, check.parse_wall(paused)))
    store.append(
        drill_id,
        "pause",
        target,
        author,
        {"to": target, "paused_wall": paused},
        expected_version=record.version,
        new_clock=target if target > record.clock else None,
        stop_live=True,
        role=role,
    )
    return store.get(drill_id)


def resume(
    store: DrillStore,
    drill_id: str,
    expected_version: int | None,
    author: str,
    wall_now: dt.datetime | None = None,
    *,
    role: Role | None = None,
) -> DrillRecord:
    """Start a paused live drill's clock again from where it stopped (entry kind 'resume')."""
    require(role, "advance")
    record = _live(store, drill_id, expected_version)
    if record.live_state != "paused":
        raise ValueError(
            _("drill '{drill}' is not paused: only a paused drill can be resumed").format(
                drill=drill_id
            )
        )
    started = _wall(wall_now)
    store.append(
        drill_id,
        "resume",
        record.clock,
        author,
        {"live_started_wall": started, "clock": record.clock},
        expected_version=record.version,
        new_live_start=started,
        role=role,
    )
    return store.get(drill_id)


ClockAction = Literal["start", "pause", "resume"]
CLOCK_ACTIONS: tuple[ClockAction, ...] = ("start", "pause", "resume")


def live_clock(
    store: DrillStore,
    drill_id: str,
    action: ClockAction,
    expected_version: int | None,
    author: str,
    wall_now: dt.datetime | None = None,
    *,
    role: Role | None,
) -> DrillRecord:
    """Start, pause or resume a live drill's clock: the one handler the console's three
    buttons and the command line's three commands all call.

    Why one: the three were written out on both sides, each passing the author, the
    wall clock and now the role; one entry point keeps the console and the command line
    on the same rules.
    """
    handler = {"start": start_live, "pause": pause, "resume": resume}.get(action)
    if handler is None:
        raise ValueError(
            _("unknown clock action {action!r}: one of {actions}").format(
                action=action, actions=", ".join(CLOCK_ACTIONS)
            )
        )
    return handler(store, drill_id, expected_version, author, wall_now, role=role)
