"""The after-action report (HSEEP AAR/IP) of a drill or a Monte Carlo run, as a document model.

Why a model and three renderers: Markdown, HTML and PDF must say the same thing in
the same order; :func:`build_report` decides every word, number and figure once, and
the renderers (:mod:`~reports.aar_markdown`, :mod:`~reports.aar_html`,
:mod:`~reports.aar_pdf`) only lay it out. The same input gives the same
report, byte for byte, except the generated-at text: lists keep their input order,
figures are saved at a fixed dpi without creation metadata.

The structure follows HSEEP's template (ANCHORS.md section 1): cover, overview,
capabilities with P/S/M/U ratings, results, timeline, strengths and areas for
improvement, the improvement plan, participants. The "core capabilities" are the six
steps of the response flow (SOURCE.md 7.2) plus resource guarantee (7.4).

The report's input records live in :mod:`~reports.aar_input` and the findings
the tool drafts by itself in :mod:`~reports.aar_drafts`; this module only turns
an input into the document.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matplotlib.figure import Figure as MplFigure

from drills.debrief import kpi_table
from drills.kpis import DEBRIEF_KPIS, duration_text, format_value, spec_for
from plans.model import STEP_NAMES
from plans.types import human_minutes
from reports.aar_drafts import target_text
from reports.aar_input import (
    CAPABILITIES,
    ELEMENTS,
    RATINGS,
    RUNS,
    AarInput,
    FindingText,
    ImprovementRow,
    report_runs,
)
from reports.figures import queue_and_service, step_gantt
from sim.engine.records import RunRecords

RESULT_KPIS = ("rto", "rpo", "availability", "service_level", "tickets_late")
DPI = 100
"""Figures are rendered at this resolution (12-inch charts: 1200 pixels wide)."""
TABLE_LIMITS = ("respond", "first_handling", "resolve", "close")


# --- the document model ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (level 3 or 4; sections themselves are level 2)."""

    text: str
    level: int = 3


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph, with an optional bold label ('Observed') and a style."""

    text: str
    label: str = ""
    style: Literal["body", "marking", "muted"] = "body"


@dataclass(frozen=True, slots=True)
class Table:
    """A table of strings: a header row and body rows of the same width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart as PNG bytes, numbered through the report."""

    number: int
    caption: str
    png: bytes
    width: int
    """Pixels."""
    height: int


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the report ('1', '2'... ; '' for the cover and the appendix)."""

    key: str
    number: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        """'1 Overview', or the title alone when unnumbered."""
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True, slots=True)
class Report:
    """The whole after-action report, ready for a renderer."""

    title: str
    draft: bool
    generated_at: dt.datetime
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        """The section with that key ('cover', 'overview', ... 'participants')."""
        return next(s for s in self.sections if s.key == key)


DRAFT_NOTE = "DRAFT: this report stays a draft until the after-action meeting agrees every finding."


def png_bytes(fig: MplFigure) -> bytes:
    """A figure as PNG at :data:`DPI`, without the Software tag, so the bytes are stable."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG's header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def when(value: dt.datetime) -> str:
    """'2026-03-05 14:30 UTC' (the zone only when the time has one)."""
    zone = value.tzname()
    return f"{value:%Y-%m-%d %H:%M}" + (f" {zone}" if zone else "")


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "-"


# --- the report ---------------------------------------------------------------------------


def build_report(aar: AarInput) -> Report:
    """The report of a drill (or of a Monte Carlo run), section by section.

    Uses the evaluators' ``findings`` as given (call
    :func:`~reports.aar_drafts.draft_findings` for the tool's own drafts);
    the report is marked DRAFT while any finding is a draft.
    """
    draft = any(f.draft for f in aar.findings)
    runs = report_runs(aar)
    figures = _figures(aar)
    parts = (
        ("overview", "1", "Overview", _overview(aar)),
        ("capabilities", "2", "Objectives and capabilities", _capabilities(aar)),
        ("results", "3", "Results against targets", _results(aar, runs)),
        ("timeline", "4", "Timeline", _timeline(aar, figures)),
        ("findings", "5", "Strengths and areas for improvement", _findings(aar.findings)),
        ("improvement_plan", "6", "Improvement plan", _improvement_plan(aar.items)),
        ("participants", "", "Appendix: Participants", _participants(aar)),
    )
    cover: list[Block] = [Paragraph(DRAFT_NOTE, style="marking")] if draft else []
    if aar.drill_name:
        cover.append(Paragraph(aar.drill_name, label="Exercise"))
    if aar.drill_date:
        cover.append(Paragraph(aar.drill_date.isoformat(), label="Exercise date"))
    cover.append(Paragraph(when(aar.generated_at), label="Generated at"))
    sections = [Section("cover", "", aar.title, tuple(cover))]
    sections += [Section(key, number, title, tuple(blocks)) for key, number, title, blocks in parts]
    return Report(aar.title, draft, aar.generated_at, tuple(sections))


def _overview(aar: AarInput) -> list[Block]:
    plan, sc = aar.plan, aar.scenario
    rows: list[tuple[str, str]] = []
    if aar.monte_carlo is not None and aar.drill_id is None:
        rows.append(("Kind", "Monte Carlo run of the plan (no drill)"))
    else:
        rows += [
            ("Exercise name", aar.drill_name or "-"),
            ("Drill id", aar.drill_id or "-"),
            ("Date", _date(aar.drill_date)),
            ("Mode", aar.mode or "-"),
        ]
    rows.append(
        (
            "Plan",
            f"{plan.meta.name} ({plan.meta.id}), version {plan.meta.version}, "
            f"owner {plan.meta.owner}, approved {plan.meta.approved.isoformat()}",
        )
    )
    scenario = (
        f"{sc.meta.name} ({sc.meta.id}): starts {sc.start:%a %d %b %Y %H:%M}, "
        f"horizon {human_minutes(sc.horizon)}"
    )
    rows.append(
        (
            "Scenario",
            scenario + (f". {sc.meta.description.strip()}" if sc.meta.description.strip() else ""),
        )
    )
    if aar.until is not None:
        rows.append(("Played", f"to T+{human_minutes(aar.until)} of {human_minutes(sc.horizon)}"))
    rows.append(("Seed", "-" if aar.seed is None else str(aar.seed)))
    if aar.monte_carlo is not None:
        mc = aar.monte_carlo
        rows.append(("Replications", str(mc.get("replications", "-"))))
        rows.append(("Policy", str(mc.get("policy", "-"))))
        if "versions" in mc:
            rows.append(("drillsim version", str(mc["versions"].get("drillsim", "unknown"))))
    if aar.drill_id is not None or aar.monte_carlo is None:
        people = "; ".join(f"{n} ({r})" if r else n for n, r in aar.participants)
        rows.append(("Participants and roles", people or "-"))
    return [Table(("Field", "Value"), tuple(rows))]


def _capabilities(aar: AarInput) -> list[Block]:
    out: list[Block] = []
    if aar.scenario.objectives:
        goals = "; ".join(
            f"{o.id}: {o.metric} {o.op} {o.threshold:g}"
            + (f" during {o.during}" if o.during else "")
            for o in aar.scenario.objectives
        )
        out.append(Paragraph(goals, label="Scenario objectives"))
    rows: list[tuple[str, str, str]] = []
    for cap, name in CAPABILITIES.items():
        mine = [r for r in aar.ratings if r.capability == cap]
        rows += [(name, f"{r.rating}: {RATINGS[r.rating]}", r.evaluator or "-") for r in mine]
        if not mine:
            rows.append((name, "not rated", "-"))
    out.append(Table(("Capability", "Rating", "Evaluator"), tuple(rows)))
    out.append(
        Paragraph(
            "; ".join(f"{k}: {v.lower()}" for k, v in RATINGS.items()) + ".",
            label="Ratings",
            style="muted",
        )
    )
    for cap, name in CAPABILITIES.items():
        rated = [r for r in aar.ratings if r.capability == cap and r.evidence.strip()]
        if rated:
            out.append(Heading(name))
            out += [
                Paragraph(r.evidence, label=f"{r.rating}, {r.evaluator or 'evaluator'}")
                for r in rated
            ]
    return out


def _results(aar: AarInput, runs: dict[str, RunRecords]) -> list[Block]:
    out: list[Block] = []
    if runs:
        rows = {r["kpi"]: r for r in kpi_table(runs, aar.plan, aar.until)}
        first = next(iter(runs))
        header = ("KPI", "Target", *(RUNS[n] for n in runs), f"Met? ({RUNS[first].lower()})")
        body = []
        for kpi in RESULT_KPIS:
            row = rows[kpi]
            met = {True: "yes", False: "NO", None: "n/a"}[row[f"{first}_met"]]
            body.append(
                (
                    row["label"],
                    target_text(kpi, row, aar.plan),
                    *(format_value(kpi, row[n]) for n in runs),
                    met,
                )
            )
        stop = f"T+{human_minutes(aar.until)}" if aar.until is not None else "the horizon"
        out.append(Paragraph(f"Each run on seed {aar.seed}, measured to {stop}.", style="muted"))
        out.append(Table(header, tuple(body)))
    limits = []
    for cls, spec in aar.plan.targets.ticket_limits.items():
        parts = [
            f"{k.replace('_', ' ')} {duration_text(getattr(spec, k))}"
            for k in TABLE_LIMITS
            if getattr(spec, k) is not None
        ]
        limits.append(f"{cls}: {', '.join(parts)}")
    out.append(Paragraph("; ".join(limits) + " (SOURCE 2.1.3, 2.2.2).", label="Ticket time limits"))
    if aar.monte_carlo is not None:
        out += _monte_carlo(aar.monte_carlo)
    elif not runs:
        out.append(Paragraph("No run to report: neither a drill nor a Monte Carlo run was given."))
    return out


def _monte_carlo(mc: dict[str, Any]) -> list[Block]:
    kpis = mc.get("kpis", {})
    out: list[Block] = [
        Heading(
            f"Monte Carlo distribution ({mc.get('replications', '?')} "
            f"replications, policy {mc.get('policy', '?')})"
        )
    ]
    rows = []
    for spec in DEBRIEF_KPIS:
        s = kpis.get(spec.key)
        if s is None:
            continue
        lo, hi = s.get("ci95") or (None, None)
        values = (s.get("mean"), lo, hi, s.get("p5"), s.get("p95"))
        rows.append((spec.label, *(_mc_value(spec.key, v) for v in values), str(s.get("n", "-"))))
    out.append(
        Table(
            ("KPI", "Mean", "95% CI low", "95% CI high", "5th pct", "95th pct", "Replications"),
            tuple(rows),
        )
    )
    checks = [(f"target: {c['label']}", c) for c in mc.get("targets", {}).values()]
    checks += [
        (f"objective {name}: {c['label']}", c) for name, c in mc.get("objectives", {}).items()
    ]
    if checks:
        out.append(
            Table(
                ("Target or objective", "P(met)", "95% CI"),
                tuple(
                    (
                        label,
                        _share(c.get("probability_met")),
                        "-"
                        if not c.get("ci95")
                        else f"{_share(c['ci95'][0])} to {_share(c['ci95'][1])}",
                    )
                    for label, c in checks
                ),
            )
        )
    return out


def _mc_value(kpi: str, value: float | None) -> str:
    """As :func:`format_value`; a mean of counts to one decimal (24.3 contacts, not 24.3333)."""
    if value is not None and spec_for(kpi).unit == "count":
        value = round(value, 1)
    return format_value(kpi, value)


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _figures(aar: AarInput) -> list[Figure]:
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


def _timeline(aar: AarInput, figures: list[Figure]) -> list[Block]:
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


def _findings(findings: Sequence[FindingText]) -> list[Block]:
    if not findings:
        return [Paragraph("No strengths or areas for improvement recorded yet.")]
    out: list[Block] = []
    for cap, name in CAPABILITIES.items():
        mine = [f for f in findings if f.capability == cap]
        if not mine:
            continue
        out.append(Heading(name))
        for kind, word in (("strength", "Strength"), ("area", "Area for improvement")):
            for n, f in enumerate((f for f in mine if f.kind == kind), start=1):
                out.append(Heading(f"{word} {n}" + (" (draft)" if f.draft else ""), level=4))
                out.append(Paragraph(f.observed, label="Observed"))
                if f.reference:
                    out.append(Paragraph(f.reference, label="Reference"))
                if f.analysis:
                    out.append(Paragraph(f.analysis, label="Analysis"))
                out.append(Paragraph(f.author or "-", label="Recorded by", style="muted"))
    return out


def _improvement_plan(items: Sequence[ImprovementRow]) -> list[Block]:
    if not items:
        return [Paragraph("No corrective action recorded yet.")]
    header = (
        "Issue",
        "Corrective action",
        "Capability element",
        "Owner role",
        "Start",
        "Due",
        "Status",
    )
    rows = tuple(
        (
            it.issue + (f" (plan: {it.node})" if it.node else ""),
            it.corrective_action,
            ELEMENTS[it.element],
            it.owner_role,
            _date(it.start),
            _date(it.due),
            it.status,
        )
        for it in items
    )
    return [Table(header, rows)]


def _participants(aar: AarInput) -> list[Block]:
    if not aar.participants:
        return [Paragraph("No participants recorded.")]
    names = {r.id: r.name for r in aar.plan.roles}
    rows = tuple((name, role or "-", names.get(role, "-")) for name, role in aar.participants)
    return [Table(("Name", "Role", "Role in the plan"), rows)]
