"""The after-action report's timeline section and its charts of the room's run.

Why a module of its own: the timeline merges three sources (the scenario's injects,
the response steps the run recorded, the drill log's decisions, notes and
observations) into one simulated-time order, and draws the charts the section ends
with; that is a job of its own beside the sections that only print records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matplotlib.figure import Figure as MplFigure

from drills.kpis import duration_text
from plans.model import STEP_NAMES
from plans.types import human_minutes
from reports.aar_model import Block, Figure, Paragraph, Table, png_bytes, png_size
from reports.aar_records import CAPABILITIES, AarInput
from reports.figures import queue_and_service, step_gantt


def report_figures(aar: AarInput) -> list[Figure]:
    """The step Gantt chart and the queue/service-level chart of the room's run."""
    if aar.room is None:
        return []
    charts: list[tuple[str, MplFigure]] = []
    if aar.room.response is not None:
        charts.append(
            (
                "Response steps against their limits (the room's run)",
                step_gantt(aar.room.response.incidents, now=aar.until, start=aar.scenario.start),
            )
        )
    charts.append(
        (
            "Contacts waiting and the rolling service level (the room's run)",
            queue_and_service(aar.room, aar.plan, start=aar.scenario.start),
        )
    )
    out = []
    for number, (caption, fig) in enumerate(charts, start=1):
        png = png_bytes(fig)
        out.append(Figure(number, caption, png, *png_size(png)))
    return out


def timeline_blocks(aar: AarInput, figures: list[Figure]) -> list[Block]:
    """Injects, decisions, steps and notes in simulated-time order; then the charts."""
    if aar.room is None and not aar.entries:
        return [Paragraph("No drill was played, so there is no timeline.")]
    end = aar.until if aar.until is not None else aar.scenario.horizon
    events: list[tuple[float, int, int, tuple[str, str, str, str]]] = []
    for i, inj in enumerate(aar.scenario.injects):
        if inj.at <= end:
            who = "to " + (", ".join(inj.to) if inj.to else "everyone")
            outcome = f"expected: {inj.expected_action}" if inj.expected_action else ""
            events.append((inj.at, 0, i, ("inject", who, f"{inj.title}: {inj.message}", outcome)))
    if aar.room is not None and aar.room.response is not None:
        i = 0
        for incident in aar.room.response.incidents:
            for name in STEP_NAMES:
                step = incident.steps.get(name)
                if step is not None and step.started is not None:
                    what = f"{CAPABILITIES[name]} started ({incident.id})"
                    events.append(
                        (step.started, 1, i, ("step", step.owner, what, _step_outcome(step, end)))
                    )
                    i += 1
    for e in aar.entries:
        row = _entry_row(e)
        if row is not None:
            events.append((float(e["sim_time"]), 2, int(e["seq"]), row))
    events.sort(key=lambda ev: ev[:3])
    start = aar.scenario.start
    rows = tuple(
        (f"T+{human_minutes(t)}", f"{start + dt.timedelta(minutes=t):%a %H:%M}", *row)
        for t, _, _, row in events
    )
    out: list[Block] = [Table(("Sim time", "Clock", "Kind", "Who", "What", "Outcome"), rows)]
    return out + list(figures)


def _step_outcome(step: Any, end: float) -> str:
    limit = duration_text(step.limit)
    if step.done is None:
        state = "LATE: " if step.late(end) else ""
        return f"{state}still open at T+{human_minutes(end)} (limit {limit})"
    took = human_minutes(step.done - step.started)
    verdict = "LATE: " if step.late(step.done) else ""
    return f"{verdict}done at T+{human_minutes(step.done)}, took {took} (limit {limit})"


def _entry_row(e: dict[str, Any]) -> tuple[str, str, str, str] | None:
    kind, payload, author = e["kind"], e.get("payload") or {}, str(e.get("author", ""))
    if kind == "decision":
        by = payload.get("by") or ""
        what = " ".join(
            str(x)
            for x in (payload.get("action"), payload.get("target") or payload.get("level"))
            if x
        )
        if payload.get("rationale"):
            what += f"; why: {payload['rationale']}"
        verdict = e.get("result") or {}
        outcome = "taken" if verdict.get("accepted") else f"REFUSED: {verdict.get('reason', '')}"
        return "decision", author + (f" as {by}" if by and by != author else ""), what, outcome
    if kind == "note":
        return "note", author, str(payload.get("text", "")), ""
    if kind == "observation":
        seen = str(payload.get("observed_wall", ""))[:16].replace("T", " ")
        step = str(payload.get("step", ""))
        return (
            "observation",
            author,
            f"{CAPABILITIES.get(step, step)} seen done",
            f"wall clock {seen}",
        )
    if kind == "end":
        return (
            "end",
            author,
            "drill ended" + (f": {payload['text']}" if payload.get("text") else ""),
            "",
        )
    return None  # clock advances are not events of the exercise
