"""The master event list during a drill: injects coming, due, delivered by hand, skipped.

Why entries and not a changed scenario: the scenario is the drill's stored input and
is replayed as it is; what the facilitator does with its injects (deliver one early,
skip one, type a new one) is written in the log as 'inject' entries, with who did it.
Injects are messages to the players: none of this changes the simulation's numbers,
so the replay leaves these entries alone.
"""

from __future__ import annotations

import numbers
from typing import Any

from drills import validation as check
from drills.access import Role, require
from drills.errors import DrillEnded
from drills.live import open_drill, scenario_of
from drills.records import DrillRecord, Entry
from drills.replay import load_inputs
from drills.store import DrillStore
from i18n import _
from plans.types import human_minutes
from scenarios.model import Scenario

__all__ = ("add_inject", "deliver_inject", "shown_injects", "skip_inject", "upcoming_injects")

STATUSES = ("coming", "due", "delivered", "skipped")
"""'coming': its time is ahead; 'due': its time came and it was shown; 'delivered':
delivered by hand (early, with Deliver now); 'skipped': never shown."""


def handled(record: DrillRecord) -> dict[int, Entry]:
    """Scenario inject index -> the entry that delivered or skipped it by hand."""
    out: dict[int, Entry] = {}
    for e in record.entries:
        if e.kind == "inject" and e.payload.get("action") in ("deliver", "skip"):
            out.setdefault(int(e.payload["index"]), e)
    return out


def upcoming_injects(record: DrillRecord) -> list[dict[str, Any]]:
    """The scenario's injects in their order, each with its index and status.

    Keys: index, at, title, message, to (role ids), expected_action, status (see
    :data:`STATUSES`), shown (whether the players see it now), by (who delivered or
    skipped it by hand, else None) and handled_at (the clock then, else None).
    """
    by_hand = handled(record)
    out = []
    for index, inj in enumerate(scenario_of(record).injects):
        entry = by_hand.get(index)
        if entry is not None:
            status = "delivered" if entry.payload["action"] == "deliver" else "skipped"
        else:
            status = "due" if inj.at <= record.clock else "coming"
        out.append(
            {
                "index": index,
                "at": float(inj.at),
                "title": inj.title,
                "message": inj.message,
                "to": list(inj.to),
                "expected_action": inj.expected_action,
                "status": status,
                "shown": status in ("due", "delivered"),
                "by": None if entry is None else entry.author,
                "handled_at": None if entry is None else entry.sim_time,
            }
        )
    return out


def shown_injects(record: DrillRecord, scenario: Scenario) -> list[dict[str, Any]]:
    """What the players have been shown, in the order they saw it.

    Scenario injects whose time came (unless skipped), those delivered early (at
    the clock they were delivered), and ad-hoc ones. Each: at (when shown), title,
    message, to, index (None: ad-hoc), adhoc, by (who delivered it by hand or typed
    it, else None).
    """
    by_hand = handled(record)
    rows: list[tuple[float, int, dict[str, Any]]] = []
    for index, inj in enumerate(scenario.injects):
        entry = by_hand.get(index)
        if entry is not None and entry.payload["action"] == "skip":
            continue
        if entry is None and inj.at > record.clock:
            continue
        at = float(inj.at) if entry is None else min(float(inj.at), entry.sim_time)
        row = {"at": at, "title": inj.title, "message": inj.message, "to": list(inj.to)}
        row |= {"index": index, "adhoc": False, "by": None if entry is None else entry.author}
        rows.append((at, 0 if entry is None else entry.seq, row))
    for e in record.entries:
        if e.kind == "inject" and e.payload.get("action") == "adhoc":
            row = {
                "at": e.sim_time,
                "title": str(e.payload.get("title", "")),
                "message": str(e.payload.get("message", "")),
                "to": list(e.payload.get("to", [])),
            }
            row |= {"index": None, "adhoc": True, "by": e.author}
            rows.append((e.sim_time, e.seq, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [row for _at, _seq, row in rows]


def next_scheduled(record: DrillRecord, scenario: Scenario) -> float | None:
    """When the next scenario inject still to come is due (None: no more)."""
    by_hand = handled(record)
    times = [
        float(i.at)
        for n, i in enumerate(scenario.injects)
        if i.at > record.clock and n not in by_hand
    ]
    return min(times) if times else None


def _writable(
    store: DrillStore, drill_id: str, expected_version: int | None
) -> tuple[DrillRecord, Scenario]:
    record = open_drill(store, drill_id, expected_version)
    if record.status == "ended":
        raise DrillEnded(drill_id)
    return record, scenario_of(record)


def _index(record: DrillRecord, scenario: Scenario, index: object) -> int:
    count = len(scenario.injects)
    if (
        isinstance(index, bool)
        or not isinstance(index, numbers.Integral)
        or not 0 <= int(index) < count
    ):
        raise ValueError(
            _("no inject {index!r} in drill '{drill}': its scenario has {count}").format(
                index=index, drill=record.id, count=count
            )
        )
    n = int(index)
    entry = handled(record).get(n)
    title = scenario.injects[n].title
    if entry is not None:
        done = (
            _("inject '{title}' was already delivered by {who}")
            if entry.payload["action"] == "deliver"
            else _("inject '{title}' was already skipped by {who}")
        )
        raise ValueError(done.format(title=title, who=entry.author))
    if scenario.injects[n].at <= record.clock:
        raise ValueError(
            _("inject '{title}' was already shown to the players at T+{at}").format(
                title=title, at=human_minutes(float(scenario.injects[n].at))
            )
        )
    return n


def _hand(
    store: DrillStore,
    drill_id: str,
    index: int,
    author: str,
    expected_version: int | None,
    action: str,
    role: Role | None,
) -> DrillRecord:
    require(role, "advance")  # refused before anything is looked at
    record, scenario = _writable(store, drill_id, expected_version)
    n = _index(record, scenario, index)
    store.append(
        drill_id,
        "inject",
        record.clock,
        author,
        {"index": n, "action": action},
        expected_version=record.version,
        role=role,
    )
    return store.get(drill_id)


def deliver_inject(
    store: DrillStore,
    drill_id: str,
    index: int,
    author: str,
    expected_version: int | None,
    *,
    role: Role | None = None,
) -> DrillRecord:
    """Deliver scenario inject ``index`` now, before its time: the players see it from now."""
    return _hand(store, drill_id, index, author, expected_version, "deliver", role)


def skip_inject(
    store: DrillStore,
    drill_id: str,
    index: int,
    author: str,
    expected_version: int | None,
    *,
    role: Role | None = None,
) -> DrillRecord:
    """Skip scenario inject ``index``: the players are not shown it when its time comes."""
    return _hand(store, drill_id, index, author, expected_version, "skip", role)


def add_inject(
    store: DrillStore,
    drill_id: str,
    title: str,
    message: str,
    to: list[str] | tuple[str, ...],
    author: str,
    expected_version: int | None,
    *,
    role: Role | None = None,
) -> DrillRecord:
    """An ad-hoc inject typed during the drill, shown to the players at the current clock.

    ``to``: the plan's role ids it is addressed to (empty: everybody); a typo names
    the closest role.
    """
    require(role, "advance")  # refused before anything is looked at
    record, _scenario = _writable(store, drill_id, expected_version)
    if not isinstance(title, str) or not title.strip():
        raise ValueError(_("an inject needs a title"))
    if not isinstance(message, str) or not message.strip():
        raise ValueError(_("an inject needs a message for the players"))
    if isinstance(to, str):
        to = [to]
    roles = [r.id for r in load_inputs(record)[0].roles]
    label = _("inject '{title}'").format(title=title.strip())
    whom = [check.known_role(str(r).strip(), roles, label) for r in to]
    store.append(
        drill_id,
        "inject",
        record.clock,
        author,
        {
            "action": "adhoc",
            "title": title.strip(),
            "message": message.strip(),
            "to": list(dict.fromkeys(whom)),
        },
        expected_version=record.version,
        role=role,
    )
    return store.get(drill_id)
