"""The yearly drill programme of a plan: what was drilled, what is due, what to drill next.

Why: the manual asks for at least one full drill a year (SOURCE.md 7.1, 7.3), and an
ISO 22301 auditor asks for a varied programme that covers every kind of event over
about three years, not the same tabletop each year (ANCHORS.md section 3). Both are
questions about the drill store, so they are answered from it:

* **drills held**: the store's drills of the plan (a drill counts as held once it
  has ended; open ones are listed, marked open);
* **last full drill**: the plan's ``meta.last_full_drill`` or the last ended live
  drill in the store, whichever is later; the next is due 365 days after it and is
  overdue from the day after;
* **gaps**: event classes no held drill's scenario exercised, and capabilities no
  held drill rated, in the three years up to today (from the same date three years
  before, inclusive);
* **the next drill**: the bundled scenario that closes the oldest gap (gaps equally
  old in the plan's order of event classes), else the one that re-tests the most
  open improvement items, else the one whose event class was drilled longest ago;
  scenarios that tie go by name, in alphabetical order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drills.evaluations import CAPABILITIES
from drills.items import Item, coverage, fitting_scenarios, open_items
from drills.records import DrillSummary
from drills.schema import connect, read
from drills.store import DrillStore
from drills.stored_meta import stored_meta as _meta
from i18n import _, local_text, ngettext
from plans.model import Plan
from scenarios.model import Scenario

FULL_DRILL_EVERY = dt.timedelta(days=365)
"""At least one full drill a year (7.1, 7.3)."""
WINDOW_YEARS = 3
"""The span over which every event class and capability should be drilled."""


@dataclass(frozen=True, slots=True)
class HeldDrill:
    """A drill of the plan in the store, as the programme sees it."""

    id: str
    name: str
    date: dt.date
    """The day it was created (UTC)."""
    mode: str
    status: str
    """'ended' counts as held; 'open' is still running or was never ended."""
    scenario: str
    event_class: str | None
    """The scenario's ``meta.event_class``."""
    rated: tuple[str, ...] = ()
    """Capabilities its evaluators rated."""

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "date": self.date.isoformat(),
            "mode": self.mode,
            "status": self.status,
            "scenario": self.scenario,
            "event_class": self.event_class,
            "rated": list(self.rated),
        }


@dataclass(frozen=True, slots=True)
class Gap:
    """An event class or capability not drilled within the window."""

    name: str
    last_tested: dt.date | None
    """The last held drill that tested it, before the window; None: never."""

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""
        return {
            "name": self.name,
            "last_tested": None if self.last_tested is None else self.last_tested.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Programme:
    """One plan's drill programme as of ``today``."""

    plan_id: str
    plan_name: str
    today: dt.date
    drills: tuple[HeldDrill, ...]
    last_full_drill: dt.date | None
    last_full_source: str
    """'plan' (its meta.last_full_drill), a drill id, or '' when there is none."""
    next_full_due: dt.date | None
    overdue: bool
    """today is after the next full drill's due date (or no full drill was ever held)."""
    window_start: dt.date
    untested_classes: tuple[Gap, ...]
    untested_capabilities: tuple[Gap, ...]
    suggestion: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form."""

        def day(d: dt.date | None) -> str | None:
            return None if d is None else d.isoformat()

        return {
            "plan_id": self.plan_id,
            "plan_name": self.plan_name,
            "today": self.today.isoformat(),
            "drills": [d.to_dict() for d in self.drills],
            "last_full_drill": day(self.last_full_drill),
            "last_full_source": self.last_full_source,
            "next_full_due": day(self.next_full_due),
            "overdue": self.overdue,
            "window_start": self.window_start.isoformat(),
            "untested_classes": [g.to_dict() for g in self.untested_classes],
            "untested_capabilities": [g.to_dict() for g in self.untested_capabilities],
            "suggestion": self.suggestion,
            "reason": self.reason,
        }


# --- the drill store ----------------------------------------------------------------------


def drills_held(db_path: str | Path, plan_id: str) -> list[HeldDrill]:
    """The store's drills of the plan (by the id inside their stored plan), oldest first.

    A database file that does not exist holds no drills (and is not created).
    """
    if not Path(db_path).exists():
        return []
    memo: dict[str, dict[str, Any]] = {}
    with connect(db_path) as conn, read(conn):
        rows = conn.execute(
            "SELECT id, name, created_wall, mode, status, plan_text, scenario_name, scenario_text "
            "FROM drills ORDER BY rowid"
        ).fetchall()
        rated: dict[str, set[str]] = {}
        for r in conn.execute("SELECT DISTINCT drill_id, capability FROM ratings"):
            rated.setdefault(r["drill_id"], set()).add(r["capability"])
    out = []
    for r in rows:
        if str(_meta(r["plan_text"], memo).get("id")) != plan_id:
            continue
        event_class = _meta(r["scenario_text"], memo).get("event_class")
        out.append(
            HeldDrill(
                r["id"],
                r["name"],
                dt.datetime.fromisoformat(r["created_wall"]).date(),
                r["mode"],
                r["status"],
                r["scenario_name"],
                None if event_class is None else str(event_class),
                tuple(c for c in CAPABILITIES if c in rated.get(r["id"], set())),
            )
        )
    return sorted(out, key=lambda d: (d.date, d.id))


def open_drills(db_path: str | Path, plan_id: str) -> list[DrillSummary]:
    """The plan's drills still open (not ended, not archived), newest first."""
    if not Path(db_path).exists():
        return []
    store = DrillStore(db_path)
    memo: dict[str, dict[str, Any]] = {}
    out = []
    for summary in store.list_drills():
        if summary.status != "ended" and not summary.archived:
            plan_text = store.get(summary.id).plan_text
            if str(_meta(plan_text, memo).get("id")) == plan_id:
                out.append(summary)
    return out


def stored_plans(db_path: str | Path) -> dict[str, str]:
    """Plan id -> the plan text of its newest drill in the store."""
    if not Path(db_path).exists():
        return {}
    memo: dict[str, dict[str, Any]] = {}
    with connect(db_path) as conn, read(conn):
        rows = conn.execute("SELECT plan_text FROM drills ORDER BY rowid").fetchall()
    out: dict[str, str] = {}
    for r in rows:
        plan_id = _meta(r["plan_text"], memo).get("id")
        if plan_id is not None:
            out[str(plan_id)] = r["plan_text"]
    return out


# --- the programme ------------------------------------------------------------------------


def window_start(today: dt.date) -> dt.date:
    """The first day of the three-year window ending today (29 February -> 28 February)."""
    try:
        return today.replace(year=today.year - WINDOW_YEARS)
    except ValueError:
        return today.replace(year=today.year - WINDOW_YEARS, day=28)


def _held(drills: Sequence[HeldDrill], today: dt.date) -> list[HeldDrill]:
    return [d for d in drills if d.status == "ended" and d.date <= today]


def last_full_drill(
    plan: Plan, drills: Sequence[HeldDrill], today: dt.date
) -> tuple[dt.date | None, str]:
    """The later of the plan's last full drill and the last ended live drill, and its source."""
    best: tuple[dt.date | None, str] = (
        plan.meta.last_full_drill,
        "plan" if plan.meta.last_full_drill else "",
    )
    for d in _held(drills, today):
        if d.mode == "live" and (best[0] is None or d.date > best[0]):
            best = (d.date, d.id)
    return best


def gaps(plan: Plan, drills: Sequence[HeldDrill], today: dt.date) -> tuple[list[Gap], list[Gap]]:
    """Event classes and capabilities no held drill tested in the window.

    Never tested first, then the one tested longest ago; ties in the plan's order of
    event classes (the flow's order of capabilities).
    """
    start = window_start(today)
    held = _held(drills, today)

    def missing(names: Sequence[str], tested: Mapping[str, list[dt.date]]) -> list[Gap]:
        out = [
            Gap(n, max(tested[n], default=None))
            for n in names
            if not any(d >= start for d in tested[n])
        ]
        order = {n: i for i, n in enumerate(names)}
        return sorted(out, key=lambda g: (g.last_tested or dt.date.min, order[g.name]))

    classes = [c.id for c in plan.event_classes]
    by_class: dict[str, list[dt.date]] = {
        c: [d.date for d in held if d.event_class == c] for c in classes
    }
    by_capability = {c: [d.date for d in held if c in d.rated] for c in CAPABILITIES}
    return missing(classes, by_class), missing(CAPABILITIES, by_capability)


def _retested(plan: Plan, scenario: Scenario, items: Sequence[Item], how: int = 2) -> list[Item]:
    """The items the scenario re-tests directly (``how`` 2) or only through its flow (1)."""
    return [i for i in items if coverage(plan, scenario, i.node_kind, i.node_id) == how]


def _best(
    plan: Plan, pool: Mapping[str, Scenario], names: Sequence[str], items: Sequence[Item]
) -> tuple[str, list[Item]]:
    """Of ``names``, the scenario re-testing the most items, and the items it re-tests.

    Ties go to the one re-testing more items through its flow, then to the first name.
    """

    def rank(name: str) -> tuple[int, int, str]:
        direct, flow = _retested(plan, pool[name], items), _retested(plan, pool[name], items, 1)
        return -len(direct), -len(flow), name

    chosen = min(names, key=rank)
    return chosen, _retested(plan, pool[chosen], items)


def _least_recent(
    pool: Mapping[str, Scenario], drills: Sequence[HeldDrill], today: dt.date
) -> tuple[str, str]:
    """The scenario whose event class was drilled longest ago (never first), and why."""
    last: dict[str, dt.date] = {}
    for d in _held(drills, today):
        if d.event_class is not None:
            last[d.event_class] = max(last.get(d.event_class, dt.date.min), d.date)
    classed = [n for n, s in pool.items() if s.meta.event_class is not None]
    if not classed:
        first = min(pool)
        return first, _("no bundled scenario that fits names an event class; this one comes first")
    name = min(classed, key=lambda n: (last.get(pool[n].meta.event_class or "", dt.date.min), n))
    cls = pool[name].meta.event_class or ""
    when = _("last drilled {date}").format(date=last[cls]) if cls in last else _("not drilled yet")
    return name, _(
        "every event class was drilled in the last {years} years; "
        "'{cls}' longest ago ({when}), which keeps the programme varied"
    ).format(years=WINDOW_YEARS, cls=cls, when=when)


def suggest_next(
    plan: Plan,
    drills: Sequence[HeldDrill],
    items: Sequence[Item],
    today: dt.date,
    scenarios: Mapping[str, Scenario] | None = None,
) -> tuple[str | None, str]:
    """The bundled scenario to drill next, and why; (None, why) when no bundled one fits.

    An item counts as re-tested by a scenario that covers it directly
    (:func:`~drills.items.coverage` 2); more items re-tested only through
    the flow break a tie. First the oldest gap (:func:`gaps`) a bundled scenario can
    close, by the scenario of that class re-testing the most open items; then the
    scenario re-testing the most open items; then the one whose event class was
    drilled longest ago. Scenarios still tied go by name, in alphabetical order.
    """
    pool = dict(sorted((fitting_scenarios(plan) if scenarios is None else scenarios).items()))
    if not pool:
        return (
            None,
            _("no bundled scenario fits plan '{plan}': write one for its event classes").format(
                plan=plan.meta.id
            ),
        )
    pending = [i for i in items if i.status != "verified" and i.plan_id == plan.meta.id]
    for gap in gaps(plan, drills, today)[0]:
        names = [n for n, s in pool.items() if s.meta.event_class == gap.name]
        if names:
            name, retests = _best(plan, pool, names, pending)
            when = (
                _("never drilled")
                if gap.last_tested is None
                else _("last drilled {date}").format(date=gap.last_tested)
            )
            fields = {"cls": gap.name, "years": WINDOW_YEARS, "when": when}
            if retests:
                return name, _(
                    "event class '{cls}' has not been drilled in the last {years} years "
                    "({when}); it also re-tests {items}"
                ).format(items=_items_text(retests), **fields)
            return name, _(
                "event class '{cls}' has not been drilled in the last {years} years ({when})"
            ).format(**fields)
    name, retests = _best(plan, pool, list(pool), pending)
    if retests:
        return name, _("it re-tests {items}, the most of any bundled scenario").format(
            items=_items_text(retests)
        )
    return _least_recent(pool, drills, today)


def _items_text(items: Sequence[Item]) -> str:
    ids = ", ".join(f"#{i.id}" for i in items)
    return ngettext(
        "{n} open improvement item ({ids})", "{n} open improvement items ({ids})", len(items)
    ).format(n=len(items), ids=ids)


def programme(
    db_path: str | Path,
    plan: Plan,
    today: dt.date | None = None,
    scenarios: Mapping[str, Scenario] | None = None,
) -> Programme:
    """The plan's programme as of ``today`` (default today), from the drill store at ``db_path``."""
    day = today or dt.date.today()
    drills = drills_held(db_path, plan.meta.id)
    last, source = last_full_drill(plan, drills, day)
    due = None if last is None else last + FULL_DRILL_EVERY
    classes, capabilities = gaps(plan, drills, day)
    items = open_items(db_path, plan.meta.id, day)
    suggestion, reason = suggest_next(plan, drills, items, day, scenarios)
    return Programme(
        plan_id=plan.meta.id,
        plan_name=local_text(plan.meta.name, fallback=plan.meta.id),
        today=day,
        drills=tuple(drills),
        last_full_drill=last,
        last_full_source=source,
        next_full_due=due,
        overdue=due is None or day > due,
        window_start=window_start(day),
        untested_classes=tuple(classes),
        untested_capabilities=tuple(capabilities),
        suggestion=suggestion,
        reason=reason,
    )
