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

from i18n import N_, _, local_text
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
    wall_time,
    when,
)
from reports.aar_records import (
    CAPABILITIES,
    ELEMENTS,
    MODES,
    RATINGS,
    STATUSES,
    AarInput,
    FindingText,
    ImprovementRow,
    report_runs,
)
from reports.aar_results import RESULT_KPIS, TABLE_LIMITS, results_blocks
from reports.aar_timeline import report_figures, timeline_blocks
from reports.check_texts import objective_text
from scenarios.model import Objective

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

DRAFT_NOTE = N_(
    "DRAFT: this report stays a draft until the after-action meeting agrees every finding."
)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "-"


def build_report(aar: AarInput) -> Report:
    """The report of a drill (or of a Monte Carlo run), section by section, in the language in use.

    Uses the evaluators' ``findings`` as given (call
    :func:`~reports.aar_drafts.draft_findings` for the tool's own drafts);
    the report is marked DRAFT while any finding is a draft.
    """
    draft = any(f.draft for f in aar.findings)
    runs = report_runs(aar)
    figures = report_figures(aar)
    parts = (
        ("overview", "1", _("Overview"), _overview(aar)),
        ("capabilities", "2", _("Objectives and capabilities"), _capabilities(aar)),
        ("results", "3", _("Results against targets"), results_blocks(aar, runs)),
        ("timeline", "4", _("Timeline"), timeline_blocks(aar, figures)),
        ("findings", "5", _("Strengths and areas for improvement"), _findings(aar.findings)),
        ("improvement_plan", "6", _("Improvement plan"), _improvement_plan(aar.items)),
        ("participants", "", _("Appendix: Participants"), _participants(aar)),
    )
    cover: list[Block] = [Paragraph(_(DRAFT_NOTE), style="marking")] if draft else []
    if aar.drill_name:
        cover.append(Paragraph(aar.drill_name, label=_("Exercise")))
    if aar.drill_date:
        cover.append(Paragraph(aar.drill_date.isoformat(), label=_("Exercise date")))
    generated = when(aar.generated_at, aar.plan.meta.timezone)
    cover.append(Paragraph(generated, label=_("Generated at")))
    sections = [Section("cover", "", aar.title, tuple(cover))]
    sections += [Section(key, number, title, tuple(blocks)) for key, number, title, blocks in parts]
    return Report(aar.title, draft, aar.generated_at, tuple(sections))


def _overview(aar: AarInput) -> list[Block]:
    plan, sc = aar.plan, aar.scenario
    rows: list[tuple[str, str]] = []
    if aar.monte_carlo is not None and aar.drill_id is None:
        rows.append((_("Kind"), _("Monte Carlo run of the plan (no drill)")))
    else:
        mode = _(MODES[aar.mode]) if aar.mode in MODES else aar.mode
        rows += [
            (_("Exercise name"), aar.drill_name or "-"),
            (_("Drill id"), aar.drill_id or "-"),
            (_("Date"), _date(aar.drill_date)),
            (_("Mode"), mode or "-"),
        ]
    rows.append(
        (
            _("Plan"),
            _("{name} ({id}), version {version}, owner {owner}, approved {approved}").format(
                name=local_text(plan.meta.name, fallback=plan.meta.id),
                id=plan.meta.id,
                version=plan.meta.version,
                owner=local_text(plan.meta.owner),
                approved=plan.meta.approved.isoformat(),
            ),
        )
    )
    scenario = _("{name} ({id}): starts {start}, horizon {horizon}").format(
        name=local_text(sc.meta.name, fallback=sc.meta.id),
        id=sc.meta.id,
        start=wall_time(sc.start, plan.meta.timezone),
        horizon=human_minutes(sc.horizon),
    )
    description = local_text(sc.meta.description).strip()
    if description:
        scenario = _("{scenario}. {description}").format(scenario=scenario, description=description)
    rows.append((_("Scenario"), scenario))
    if aar.until is not None:
        played = _("to T+{until} of {horizon}").format(
            until=human_minutes(aar.until), horizon=human_minutes(sc.horizon)
        )
        rows.append((_("Played"), played))
    rows.append((_("Seed"), "-" if aar.seed is None else str(aar.seed)))
    if aar.monte_carlo is not None:
        mc = aar.monte_carlo
        rows.append((_("Replications"), str(mc.get("replications", "-"))))
        rows.append((_("Policy"), str(mc.get("policy", "-"))))
        if "versions" in mc:
            version = str(mc["versions"].get("drillsim", _("unknown")))
            rows.append((_("drillsim version"), version))
    if aar.drill_id is not None or aar.monte_carlo is None:
        people = _("; ").join(
            _("{name} ({role})").format(name=n, role=r) if r else n for n, r in aar.participants
        )
        rows.append((_("Participants and roles"), people or "-"))
    return [Table((_("Field"), _("Value")), tuple(rows))]


def _objective(o: Objective) -> str:
    """'rto_crm: RTO achieved <= 4h00m', in the results' words (not 'rto <= 240')."""
    return _("{name}: {objective}").format(name=o.id, objective=objective_text(o))


def _capabilities(aar: AarInput) -> list[Block]:
    out: list[Block] = []
    if aar.scenario.objectives:
        goals = _("; ").join(_objective(o) for o in aar.scenario.objectives)
        out.append(Paragraph(goals, label=_("Scenario objectives")))
    rows: list[tuple[str, str, str]] = []
    for cap, name in CAPABILITIES.items():
        mine = [r for r in aar.ratings if r.capability == cap]
        rows += [
            (
                _(name),
                _("{code}: {meaning}").format(code=r.rating, meaning=_(RATINGS[r.rating])),
                r.evaluator or "-",
            )
            for r in mine
        ]
        if not mine:
            rows.append((_(name), _("not rated"), "-"))
    out.append(Table((_("Capability"), _("Rating"), _("Evaluator")), tuple(rows)))
    scale = _("; ").join(
        _("{code}: {meaning}").format(code=k, meaning=_(v).lower()) for k, v in RATINGS.items()
    )
    out.append(Paragraph(_("{ratings}.").format(ratings=scale), label=_("Ratings"), style="muted"))
    for cap, name in CAPABILITIES.items():
        rated = [r for r in aar.ratings if r.capability == cap and r.evidence.strip()]
        if rated:
            out.append(Heading(_(name)))
            out += [
                Paragraph(
                    r.evidence,
                    label=_("{rating}, {evaluator}").format(
                        rating=r.rating, evaluator=r.evaluator or _("evaluator")
                    ),
                )
                for r in rated
            ]
    return out


def _findings(findings: Sequence[FindingText]) -> list[Block]:
    if not findings:
        return [Paragraph(_("No strengths or areas for improvement recorded yet."))]
    out: list[Block] = []
    for cap, name in CAPABILITIES.items():
        mine = [f for f in findings if f.capability == cap]
        if not mine:
            continue
        out.append(Heading(_(name)))
        for kind, word in (
            ("strength", N_("Strength {n}")),
            ("area", N_("Area for improvement {n}")),
        ):
            for n, f in enumerate((f for f in mine if f.kind == kind), start=1):
                title = _(word).format(n=n)
                if f.draft:
                    title = _("{title} (draft)").format(title=title)
                out.append(Heading(title, level=4))
                out.append(Paragraph(f.observed, label=_("Observed")))
                if f.reference:
                    out.append(Paragraph(f.reference, label=_("Reference")))
                if f.analysis:
                    out.append(Paragraph(f.analysis, label=_("Analysis")))
                out.append(Paragraph(f.author or "-", label=_("Recorded by"), style="muted"))
    return out


def _improvement_plan(items: Sequence[ImprovementRow]) -> list[Block]:
    if not items:
        return [Paragraph(_("No corrective action recorded yet."))]
    header = (
        _("Issue"),
        _("Corrective action"),
        _("Capability element"),
        _("Owner role"),
        _("Start"),
        _("Due"),
        _("Status"),
    )
    rows = tuple(
        (
            _("{issue} (plan: {node})").format(issue=it.issue, node=it.node)
            if it.node
            else it.issue,
            it.corrective_action,
            _(ELEMENTS[it.element]),
            it.owner_role,
            _date(it.start),
            _date(it.due),
            _(STATUSES[it.status]) if it.status in STATUSES else it.status,
        )
        for it in items
    )
    return [Table(header, rows)]


def _participants(aar: AarInput) -> list[Block]:
    if not aar.participants:
        return [Paragraph(_("No participants recorded."))]
    names = {r.id: local_text(r.name, fallback=r.id) for r in aar.plan.roles}
    rows = tuple((name, role or "-", names.get(role, "-")) for name, role in aar.participants)
    return [Table((_("Name"), _("Role"), _("Role in the plan")), rows)]
