"""``drillsim programme [PLAN]``: the yearly drill programme from the drill database.

For each plan (PLAN, else every plan drilled in the database, else the bundled
default plan): the drills held, the last full drill and when the next is due
(OVERDUE, in red on a terminal), event classes and capabilities not drilled in the
last three years, and the bundled scenario to drill next with the reason.

Exit status: 0 shown (an overdue drill is reported, not an error); 2 bad input (a
date, an unknown plan, a database that is a folder, not a drill database, or newer
than this drillsim).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drills.paths import db_path
from drills.programme import Programme, programme, stored_plans
from drills.schema import NewerSchema
from drillsim.inputs import BadInput, report_bad_input
from drillsim.items import (
    add_common,
    bundled_by_id,
    database,
    painter,
    plan_for_id,
    readable,
    resolve_plan_arg,
)
from i18n import N_, _, local_text
from plans import Plan
from plans.loader import DEFAULT_PLAN, bundled_plans, load_plan

COLUMN_LABELS = (N_("OVERDUE"),)
"""Column headers and words translated inside the f-strings below (marked here for the catalog)."""


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "programme",
        help=_(
            "show the drill programme: drills held, next full drill due, gaps, what to drill next"
        ),
        description=_(
            "Show each plan's drill programme from the drill database: the drills held, "
            "when the next full drill is due (one a year), event classes and capabilities not "
            "drilled in the last three years, and the bundled scenario to drill next."
        ),
    )
    p.add_argument(
        "plan",
        nargs="?",
        metavar="PLAN",
        help=_(
            "plan file, bundled plan name or plan id (default: every plan drilled in the database)"
        ),
    )
    add_common(p)
    p.set_defaults(handler=run)


def plans_to_show(arg: str | None, db: Path) -> list[Plan]:
    """PLAN; else every plan drilled in the database; else the bundled default plan."""
    if arg:
        return [resolve_plan_arg(arg, db)]
    bundled = bundled_by_id()
    found = [plan_for_id(plan_id, db, bundled) for plan_id in sorted(stored_plans(db))]
    plans = [p for p in found if p is not None]
    return plans or [load_plan(bundled_plans()[DEFAULT_PLAN])]


def render(prog: Programme, red: Callable[[str], str]) -> str:
    """One plan's programme as text."""
    lines = [
        _("Plan '{id}': {name} (as of {today})").format(
            id=prog.plan_id,
            name=local_text(prog.plan_name, fallback=prog.plan_id),
            today=prog.today,
        )
    ]
    held = [d for d in prog.drills if d.status == "ended"]
    lines.append(
        _("  Drills held: {n} (and {open} not ended)").format(
            n=len(held), open=len(prog.drills) - len(held)
        )
        if len(held) < len(prog.drills)
        else _("  Drills held: {n}").format(n=len(held))
    )
    for d in prog.drills:
        cls = d.event_class or _("no event class")
        open_mark = "" if d.status == "ended" else "  " + _("(not ended: does not count)")
        lines.append(f"    {d.date}  {d.id}  {d.name}  [{d.mode}]  {d.scenario} ({cls}){open_mark}")
    if prog.last_full_drill is None:
        lines.append(_("  Last full drill: none recorded"))
        lines.append(
            _("  Next full drill: {overdue} (the plan asks for one a year)").format(
                overdue=red(_("OVERDUE"))
            )
        )
    else:
        source = (
            _("the plan's record")
            if prog.last_full_source == "plan"
            else _("{drill}, live").format(drill=prog.last_full_source)
        )
        lines.append(
            _("  Last full drill: {date} ({source})").format(
                date=prog.last_full_drill, source=source
            )
        )
        flag = f"  {red(_('OVERDUE'))}" if prog.overdue else ""
        lines.append(_("  Next full drill due: {date}").format(date=prog.next_full_due) + flag)

    def gap_text(gaps: Any) -> str:
        return ", ".join(
            _("{name} (never)").format(name=g.name)
            if g.last_tested is None
            else _("{name} (last {date})").format(name=g.name, date=g.last_tested)
            for g in gaps
        ) or _("none")

    lines.append(_("  Not drilled since {date}:").format(date=prog.window_start))
    lines.append(_("    event classes: {gaps}").format(gaps=gap_text(prog.untested_classes)))
    lines.append(
        _("    capabilities (not rated): {gaps}").format(gaps=gap_text(prog.untested_capabilities))
    )
    if prog.suggestion is None:
        lines.append(_("  Next drill: none suggested: {reason}").format(reason=prog.reason))
    else:
        lines.append(
            _("  Suggested next drill: {scenario}: {reason}").format(
                scenario=prog.suggestion, reason=prog.reason
            )
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Show the programme(s); return the exit status."""
    today = args.today or dt.date.today()
    try:
        src = readable(database(args.db))
        progs = [programme(src, plan, today) for plan in plans_to_show(args.plan, src)]
    except BadInput as exc:
        return report_bad_input(exc)
    except (sqlite3.DatabaseError, NewerSchema) as exc:
        return report_bad_input(
            BadInput(
                [
                    _("cannot read the drill database {db}: {error}").format(
                        db=args.db or db_path(), error=exc
                    )
                ]
            )
        )
    if args.json:
        docs = [p.to_dict() for p in progs]
        print(json.dumps(docs[0] if args.plan else docs, indent=2))
    else:
        red = painter(sys.stdout)
        print("\n\n".join(render(p, red) for p in progs))
    return 0
