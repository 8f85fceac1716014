"""The report's sections the evaluators write: the executive summary, the HSEEP table of
objectives, capabilities and ratings, the strengths and areas for improvement, and the
improvement plan (IP matrix).

Why a module of its own: these sections print what people wrote, each with who wrote
it and who changed it last, and flag what is still missing (a capability nobody rated,
a draft of drillsim's nobody accepted); :mod:`~reports.aar` only assembles them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from i18n import N_, _
from reports.aar_model import Block, Heading, Paragraph, Table, when
from reports.aar_records import (
    CAPABILITIES,
    ELEMENTS,
    RATINGS,
    STATUSES,
    AarInput,
    FindingText,
    ImprovementRow,
    Rating,
)
from reports.check_texts import objective_text as check_objective_text
from scenarios.model import Objective
from scenarios.objective_capabilities import objective_capabilities


def stamp(name: str, wall: str, tz: str | None) -> str:
    """'Eve (2026-03-05 14:30 UTC)': a person and the time, as far as they are known."""
    if not name:
        return "-"
    if not wall:
        return name
    try:
        moment = dt.datetime.fromisoformat(wall)
    except ValueError:
        return name
    return _("{name} ({time})").format(name=name, time=when(moment, tz))


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "-"


def summary_blocks(aar: AarInput) -> list[Block]:
    """The executive summary, with its authors; a note when none is written yet."""
    s = aar.summary
    if s is None or not s.text.strip():
        return [Paragraph(_("No executive summary written yet."), style="muted")]
    tz = aar.plan.meta.timezone
    return [
        Paragraph(s.text),
        Paragraph(stamp(s.written_by, s.written_wall, tz), label=_("Written by"), style="muted"),
        Paragraph(
            stamp(s.changed_by or s.written_by, s.changed_wall or s.written_wall, tz),
            label=_("Last changed by"),
            style="muted",
        ),
    ]


def objective_text(o: Objective) -> str:
    """'rto_crm: RTO achieved <= 4h00m', in the results' words (not 'rto <= 240')."""
    return _("{name}: {objective}").format(name=o.id, objective=check_objective_text(o))


def _rating_cells(r: Rating, tz: str | None) -> tuple[str, str, str]:
    return (
        _("{code}: {meaning}").format(code=r.rating, meaning=_(RATINGS[r.rating])),
        stamp(r.evaluator, r.written_wall, tz),
        stamp(r.changed_by or r.evaluator, r.changed_wall or r.written_wall, tz),
    )


NOT_RATED = N_("NOT RATED")
"""The flag of a capability nobody rated, in the tables."""


def unrated(aar: AarInput) -> list[str]:
    """Capability ids nobody rated, in the report's order (the page flags them too)."""
    rated = {r.capability for r in aar.ratings}
    return [c for c in CAPABILITIES if c not in rated]


def capabilities_blocks(aar: AarInput) -> list[Block]:
    """HSEEP's table (objective, capabilities, ratings), every capability's ratings, the flags."""
    tz = aar.plan.meta.timezone
    out: list[Block] = []
    who = (_("Written by"), _("Last changed by"))
    if aar.scenario.objectives:
        rows: list[tuple[str, ...]] = []
        for o in aar.scenario.objectives:
            for cap in objective_capabilities(o):
                mine = [r for r in aar.ratings if r.capability == cap]
                name = _(CAPABILITIES[cap])
                rows += [(objective_text(o), name, *_rating_cells(r, tz)) for r in mine]
                if not mine:
                    rows.append((objective_text(o), name, _(NOT_RATED), "-", "-"))
        header = (_("Objective"), _("Capability"), _("Rating"), *who)
        out.append(Table(header, tuple(rows), caption=_("Objectives, capabilities and ratings")))
    else:
        note = _("The scenario sets no objectives of its own: the capabilities are rated alone.")
        out.append(Paragraph(note, style="muted"))
    rows = []
    for cap, name in CAPABILITIES.items():
        mine = [r for r in aar.ratings if r.capability == cap]
        rows += [(_(name), *_rating_cells(r, tz)) for r in mine]
        if not mine:
            rows.append((_(name), _(NOT_RATED), "-", "-"))
    out.append(Table((_("Capability"), _("Rating"), *who), tuple(rows)))
    missing = unrated(aar)
    if missing:
        names = _(", ").join(_(CAPABILITIES[c]) for c in missing)
        out.append(Paragraph(names, label=_("Not rated yet"), style="marking"))
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
                        rating=r.rating, evaluator=r.evaluator or "-"
                    ),
                )
                for r in rated
            ]
    return out


def _authors(f: FindingText, tz: str | None) -> list[Block]:
    if f.pending:
        note = _("drafted by drillsim; no evaluator has accepted it yet")
        return [Paragraph(note, label=_("Origin"), style="muted")]
    out: list[Block] = [
        Paragraph(stamp(f.author, f.written_wall, tz), label=_("Written by"), style="muted"),
        Paragraph(
            stamp(f.changed_by or f.author, f.changed_wall or f.written_wall, tz),
            label=_("Last changed by"),
            style="muted",
        ),
    ]
    if f.provenance == "drillsim":
        out.append(Paragraph(_("drafted by drillsim"), label=_("Origin"), style="muted"))
    return out


def findings_blocks(aar: AarInput) -> list[Block]:
    """Strengths and areas for improvement by capability, HSEEP's four fields, their authors."""
    found: Sequence[FindingText] = aar.findings
    if not found:
        return [Paragraph(_("No strengths or areas for improvement recorded yet."))]
    tz = aar.plan.meta.timezone
    out: list[Block] = []
    for cap, name in CAPABILITIES.items():
        mine = [f for f in found if f.capability == cap]
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
                if f.recommendations:
                    out.append(Paragraph(f.recommendations, label=_("Recommendations")))
                out += _authors(f, tz)
    return out


def improvement_plan_blocks(items: Sequence[ImprovementRow]) -> list[Block]:
    """The IP matrix: one row per corrective action."""
    if not items:
        return [Paragraph(_("No corrective action recorded yet."))]
    header = (
        _("Capability"),
        _("Issue"),
        _("Corrective action"),
        _("Capability element"),
        _("Owner role"),
        _("Point of contact"),
        _("Start"),
        _("Due"),
        _("Status"),
    )
    rows = tuple(
        (
            _(CAPABILITIES[it.capability]) if it.capability in CAPABILITIES else "-",
            _("{issue} (plan: {node})").format(issue=it.issue, node=it.node)
            if it.node
            else it.issue,
            it.corrective_action,
            _(ELEMENTS[it.element]),
            it.owner_role,
            it.poc or "-",
            _date(it.start),
            _date(it.due),
            _(STATUSES[it.status]) if it.status in STATUSES else it.status,
        )
        for it in items
    )
    return [Table(header, rows)]
