"""What a drill's time charts mark: the room's decisions and the injects the players got.

Why a module of its own: the debrief page (from the drill's record) and the report
(from its log) mark the same moments on the queue and service-level chart, and a
mark is only useful when it is labelled the same way in both; the drawing is
:func:`reports.run_figures.queue_and_service`, which takes these marks as plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from i18n import _, local_text
from scenarios.model import Scenario

__all__ = ("ChartEvent", "drill_events", "event_tag")


@dataclass(frozen=True, slots=True)
class ChartEvent:
    """One moment marked on a time chart: when (simulated minutes), what, which kind."""

    at: float
    kind: Literal["decision", "inject"]
    text: str


def drill_events(
    scenario: Scenario, entries: Sequence[dict[str, Any]], until: float | None = None
) -> list[ChartEvent]:
    """The decisions the room took (accepted ones) and the injects shown, up to ``until``.

    A scenario inject counts at its time, or earlier when the facilitator delivered it
    early; one skipped by hand was never shown and is left out. Ad-hoc injects are
    marked at the time they were sent. ``entries`` is the drill's log as dicts.
    """
    end = scenario.horizon if until is None else until
    handled: dict[int, dict[str, Any]] = {}
    out: list[ChartEvent] = []
    for e in entries:
        payload = e.get("payload") or {}
        if e["kind"] == "inject" and payload.get("action") in ("deliver", "skip"):
            handled.setdefault(int(payload["index"]), e)
        elif e["kind"] == "inject" and payload.get("action") == "adhoc":
            out.append(ChartEvent(float(e["sim_time"]), "inject", str(payload.get("title", ""))))
        elif e["kind"] == "decision" and (e.get("result") or {}).get("accepted"):
            what = " ".join(
                str(x)
                for x in (payload.get("action"), payload.get("target") or payload.get("level"))
                if x
            )
            out.append(ChartEvent(float(e["sim_time"]), "decision", what))
    for i, inject in enumerate(scenario.injects):
        hand = handled.get(i)
        at = float(inject.at)
        if hand is not None and (hand.get("payload") or {}).get("action") == "skip":
            continue
        if hand is not None:
            at = min(at, float(hand["sim_time"]))
        out.append(ChartEvent(at, "inject", local_text(inject.title)))
    return sorted((ev for ev in out if ev.at <= end), key=lambda ev: (ev.at, ev.kind))


def event_tag(kind: str, number: int) -> str:
    """A mark's short tag on the chart: 'D1' for the first decision, 'I2' for an inject."""
    return (_("D{n}") if kind == "decision" else _("I{n}")).format(n=number)
