"""The after-action report's timeline section and its charts of the room's run.

Why a module of its own: the timeline merges three sources (the scenario's injects,
the response steps the run recorded, the drill log's decisions, notes and
observations) into one simulated-time order, and draws the charts the section ends
with; that is a job of its own beside the sections that only print records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure as MplFigure

from drills.adherence import done_before_start
from drills.board import entered_by
from drills.kpis import duration_text
from drills.observed import observed_steps
from i18n import N_, _, current_language, format_datetime, format_time, local_text
from plans.model import STEP_NAMES
from plans.types import human_minutes
from reports.aar_model import Block, Figure, Paragraph, Table, png_bytes, png_size
from reports.aar_records import CAPABILITIES, AarInput
from reports.figures import drill_events, queue_and_service, step_gantt

KINDS = {
    "inject": N_("inject"),
    "step": N_("step"),
    "decision": N_("decision"),
    "note": N_("note"),
    "observation": N_("observation"),
    "end": N_("end"),
}
"""The timeline's kinds of event as the report names them."""


def report_figures(aar: AarInput) -> list[Figure]:
    """The step Gantt chart and the queue/service-level chart of the room's run.

    A live drill's observed steps are drawn beside the simulated ones; the room's
    decisions and the injects shown are marked on the queue chart.
    """
    if aar.room is None:
        return []
    charts: list[tuple[str, MplFigure]] = []
    if aar.room.response is not None:
        incidents = aar.room.response.incidents
        observed = observed_steps(aar.entries, incidents)
        caption = (
            _("Response steps against their limits: simulated, and observed in the live drill")
            if observed
            else _("Response steps against their limits (the room's run)")
        )
        charts.append(
            (
                caption,
                step_gantt(incidents, now=aar.until, start=aar.scenario.start, observed=observed),
            )
        )
    charts.append(
        (
            _("Contacts waiting and the rolling service level (the room's run)"),
            queue_and_service(
                aar.room,
                aar.plan,
                start=aar.scenario.start,
                events=drill_events(aar.scenario, aar.entries, aar.until),
            ),
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
        return [Paragraph(_("No drill was played, so there is no timeline."))]
    end = aar.until if aar.until is not None else aar.scenario.horizon
    events: list[tuple[float, int, int, tuple[str, str, str, str]]] = []
    by_hand = _handled(aar.entries)
    for i, inj in enumerate(aar.scenario.injects):
        hand = by_hand.get(i)
        at = float(inj.at)
        if hand is not None and hand["payload"].get("action") == "deliver":
            at = min(at, float(hand["sim_time"]))
        if at <= end:
            who = _to(inj.to)
            expected = local_text(inj.expected_action)
            outcome = _("expected: {action}").format(action=expected) if expected else ""
            if hand is not None:
                outcome = _hand_outcome(hand, expected)
            what = _("{title}: {message}").format(
                title=local_text(inj.title), message=local_text(inj.message)
            )
            events.append((at, 0, i, (_(KINDS["inject"]), who, what, outcome)))
    if aar.room is not None and aar.room.response is not None:
        i = 0
        for incident in aar.room.response.incidents:
            for name in STEP_NAMES:
                step = incident.steps.get(name)
                if step is not None and step.started is not None:
                    what = _("{capability} started ({incident})").format(
                        capability=_(CAPABILITIES[name]), incident=incident.id
                    )
                    done = (_(KINDS["step"]), str(step.owner), what, _step_outcome(step, end))
                    events.append((step.started, 1, i, done))
                    i += 1
    for e in aar.entries:
        logged = _entry_row(e, aar.plan.meta.timezone)
        if logged is not None:
            events.append((float(e["sim_time"]), 2, int(e["seq"]), logged))
    events.sort(key=lambda ev: ev[:3])
    start, tz = aar.scenario.start, aar.plan.meta.timezone
    rows = tuple(
        (f"T+{human_minutes(t)}", format_time(start + dt.timedelta(minutes=t), tz), *row)
        for t, _order, _seq, row in events
    )
    header = (_("Sim time"), _("Clock"), _("Kind"), _("Who"), _("What"), _("Outcome"))
    out: list[Block] = [Table(header, rows)]
    return out + list(figures)


def _to(roles: Any) -> str:
    return _("to {roles}").format(roles=_(", ").join(roles)) if roles else _("to everyone")


def _handled(entries: Sequence[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Scenario inject index -> the log entry that delivered it early or skipped it."""
    out: dict[int, dict[str, Any]] = {}
    for e in entries:
        payload = e.get("payload") or {}
        if e["kind"] == "inject" and payload.get("action") in ("deliver", "skip"):
            out.setdefault(int(payload["index"]), e)
    return out


def _hand_outcome(entry: dict[str, Any], expected: str) -> str:
    who = str(entry.get("author", ""))
    if (entry.get("payload") or {}).get("action") == "skip":
        return _("skipped by {who}: not shown to the players").format(who=who)
    if expected:
        return _("delivered early by {who}; expected: {action}").format(who=who, action=expected)
    return _("delivered early by {who}").format(who=who)


def _step_outcome(step: Any, end: float) -> str:
    limit = duration_text(step.limit)
    if step.done is None:
        text = _("still open at T+{end} (limit {limit})").format(
            end=human_minutes(end), limit=limit
        )
        return _("LATE: {outcome}").format(outcome=text) if step.late(end) else text
    if done_before_start(step):
        return _(
            "done at T+{done}, before the step started (the room acted before the "
            "simulation reached it) (limit {limit})"
        ).format(done=human_minutes(step.done), limit=limit)
    text = _("done at T+{done}, took {took} (limit {limit})").format(
        done=human_minutes(step.done), took=human_minutes(step.done - step.started), limit=limit
    )
    return _("LATE: {outcome}").format(outcome=text) if step.late(step.done) else text


def _wall_clock(text: str, tz: str) -> str:
    """An ISO wall time as the log stored it: '2026-03-05 10:40' (in zh-CN, in the plan's zone)."""
    if current_language() != "en":
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return format_datetime(moment, tz) if moment.tzinfo else format_datetime(moment)
    return text[:16].replace("T", " ")


def _entry_row(e: dict[str, Any], tz: str) -> tuple[str, str, str, str] | None:
    # who entered it, with the console role it was entered for ('Olga (observer)')
    kind, payload, author = e["kind"], e.get("payload") or {}, entered_by(e)
    if kind == "decision":
        by = payload.get("by") or ""
        what = " ".join(
            str(x)
            for x in (payload.get("action"), payload.get("target") or payload.get("level"))
            if x
        )
        if payload.get("rationale"):
            what = _("{decision}; why: {rationale}").format(
                decision=what, rationale=payload["rationale"]
            )
        verdict = e.get("result") or {}
        outcome = (
            _("taken")
            if verdict.get("accepted")
            else _("REFUSED: {reason}").format(reason=_(str(verdict.get("reason", ""))))
        )
        who = (
            _("{author} as {role}").format(author=author, role=by)
            if by and by != author
            else author
        )
        return _(KINDS["decision"]), who, what, outcome
    if kind == "note":
        return _(KINDS["note"]), author, str(payload.get("text", "")), ""
    if kind == "observation":
        seen = _wall_clock(str(payload.get("observed_wall", "")), tz)
        step = str(payload.get("step", ""))
        return (
            _(KINDS["observation"]),
            author,
            _("{step} seen done").format(
                step=_(CAPABILITIES[step]) if step in CAPABILITIES else step
            ),
            _("wall clock {time}").format(time=seen),
        )
    if kind == "inject" and payload.get("action") == "adhoc":
        what = _("{title}: {message}").format(
            title=str(payload.get("title", "")), message=str(payload.get("message", ""))
        )
        outcome = _("ad-hoc inject, sent by {who}").format(who=author)
        return _(KINDS["inject"]), _to(payload.get("to") or ()), what, outcome
    if kind == "end":
        text = str(payload.get("text") or "")
        return (
            _(KINDS["end"]),
            author,
            _("drill ended: {text}").format(text=text) if text else _("drill ended"),
            "",
        )
    return None  # clock advances are not events of the exercise
