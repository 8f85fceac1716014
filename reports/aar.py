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

The report's input records live in :mod:`~reports.aar_records` and the findings
the tool drafts by itself in :mod:`~reports.aar_drafts`; this module only turns
an input into the document. The document model is in :mod:`~reports.aar_model`
(re-exported here), the results section in :mod:`~reports.aar_results` and the
timeline with its charts in :mod:`~reports.aar_timeline`; the cover and the sections
that print the input's records as they are stay here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from plans.types import human_minutes
from reports.aar_model import (
    DPI,
    Block,
    Figure,
    Heading,
    Paragraph,
    Report,
    Section,
    Table,
    png_bytes,
    png_size,
    when,
)
from reports.aar_records import (
    CAPABILITIES,
    ELEMENTS,
    RATINGS,
    AarInput,
    FindingText,
    ImprovementRow,
    report_runs,
)
from reports.aar_results import RESULT_KPIS, TABLE_LIMITS, results_blocks
from reports.aar_timeline import report_figures, timeline_blocks

__all__ = [
    "DPI",
    "DRAFT_NOTE",
    "RESULT_KPIS",
    "TABLE_LIMITS",
    "Block",
    "Figure",
    "Heading",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "build_report",
    "png_bytes",
    "png_size",
    "when",
]

DRAFT_NOTE = "DRAFT: this report stays a draft until the after-action meeting agrees every finding."


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "-"


def build_report(aar: AarInput) -> Report:
    """The report of a drill (or of a Monte Carlo run), section by section.

    Uses the evaluators' ``findings`` as given (call
    :func:`~reports.aar_drafts.draft_findings` for the tool's own drafts);
    the report is marked DRAFT while any finding is a draft.
    """
    draft = any(f.draft for f in aar.findings)
    runs = report_runs(aar)
    figures = report_figures(aar)
    parts = (
        ("overview", "1", "Overview", _overview(aar)),
        ("capabilities", "2", "Objectives and capabilities", _capabilities(aar)),
        ("results", "3", "Results against targets", results_blocks(aar, runs)),
        ("timeline", "4", "Timeline", timeline_blocks(aar, figures)),
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
