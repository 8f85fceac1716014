"""``drillsim items``: the improvement plan's open and overdue items, from the drill database.

An item is open until a later drill verifies it (open, in progress, or done and
awaiting that drill); one past its due date and not done is overdue, listed first
and marked. Each item shows the bundled scenario that would re-test it.

Exit status: 0 listed (even when nothing is open); 2 bad input (a date, an unknown
plan, a database that is a folder, not a drill database, or newer than this drillsim).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from drills.items import Item, fitting_scenarios, open_items, poc_name, propose_retest
from drills.paths import DB_ENV, NotADatabase, check_database, db_path, default_db_path
from drills.programme import stored_plans
from drills.schema import NewerSchema
from drillsim.inputs import BadInput, report_bad_input
from i18n import N_, _
from plans import ModelFileError, Plan, load_plan
from plans.loader import bundled_plans, load_plan_text
from reports.aar_records import CAPABILITIES as CAPABILITY_NAMES

STATUS_TEXT = {
    "open": N_("open"),
    "in_progress": N_("in progress"),
    "done": N_("done, awaiting a later drill"),
}
RED = "\033[31m"
RESET = "\033[0m"


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "items",
        help=_("list the improvement plan's open and overdue items"),
        description=_(
            "List the improvement items not yet verified by a later drill (overdue first), "
            "with the bundled scenario that would re-test each."
        ),
    )
    p.add_argument(
        "--plan",
        metavar="PLAN",
        help=_("only this plan's items (plan file, bundled name or plan id)"),
    )
    p.add_argument(
        "--overdue", action="store_true", help=_("only items past their due date and not done")
    )
    add_common(p)
    p.set_defaults(handler=run)


def add_common(p: argparse.ArgumentParser) -> None:
    """The options ``items`` and ``programme`` share: --today, --db, --json."""
    p.add_argument(
        "--today",
        type=iso_date,
        default=None,
        help=_("date to judge due dates against (YYYY-MM-DD; default: today)"),
    )
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        help=_("drill database file (default: ${env} or {path})").format(
            env=DB_ENV, path=default_db_path()
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD (an argparse type)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date in the form YYYY-MM-DD").format(text=text)
        ) from None


def database(arg: Path | None) -> Path:
    """The database file: --db, else $DRILLSIM_DB, else the default; a folder is bad input."""
    path = arg if arg is not None else db_path()
    if path.is_dir():
        raise BadInput(
            [_("--db {path} is a folder; give the drill database file").format(path=path)]
        )
    return path


def readable(path: Path) -> Path:
    """Where a read-only command reads ``path`` from, creating nothing.

    An existing drill database is checked first (a 0-byte or non-SQLite file is bad
    input, never re-initialised); where there is none yet, an empty in-memory database
    stands in, so listing items or the programme leaves no file or folder behind.
    """
    try:
        found = check_database(path)
    except NotADatabase as exc:
        raise BadInput([str(exc)]) from None
    return MEMORY if found is None else found


MEMORY = Path(":memory:")  # not for people: SQLite's name for a database in memory


def painter(stream: Any) -> Callable[[str], str]:
    """Red for a terminal, plain text for a pipe or a file."""
    tty = bool(getattr(stream, "isatty", lambda: False)())
    return (lambda text: f"{RED}{text}{RESET}") if tty else (lambda text: text)


# --- plans --------------------------------------------------------------------------------


def bundled_by_id() -> dict[str, Plan]:
    """The bundled plans, by the id in their meta."""
    out: dict[str, Plan] = {}
    for path in bundled_plans().values():
        plan = load_plan(path)
        out.setdefault(plan.meta.id, plan)
    return out


def plan_for_id(plan_id: str, db: Path, bundled: dict[str, Plan] | None = None) -> Plan | None:
    """A plan by id: the bundled one, else the text of its newest drill in the database."""
    known = bundled_by_id() if bundled is None else bundled
    if plan_id in known:
        return known[plan_id]
    text = stored_plans(db).get(plan_id)
    if text is None:
        return None
    try:
        return load_plan_text(text, _("plan '{id}' (from the drill database)").format(id=plan_id))
    except ModelFileError:
        return None


def resolve_plan_arg(arg: str, db: Path) -> Plan:
    """PLAN as a file, a bundled plan's name, or the id of a plan drilled in the database."""
    path = Path(arg)
    if path.is_file():
        try:
            return load_plan(path)
        except ModelFileError as exc:
            raise BadInput(
                [_("invalid plan, {n} problem(s) to fix:").format(n=len(exc.issues)), *exc.lines()]
            ) from None
    bundled = bundled_plans()
    if arg in bundled:
        return load_plan(bundled[arg])
    plan = plan_for_id(arg, db)
    if plan is not None:
        return plan
    stored = sorted(stored_plans(db))
    known = (
        _("; plans drilled in {db}: {plans}").format(db=db, plans=", ".join(stored))
        if stored
        else ""
    )
    raise BadInput(
        [
            _("unknown plan '{plan}': give a plan file or a bundled plan ({bundled})").format(
                plan=arg, bundled=", ".join(bundled)
            )
            + known
        ]
    )


# --- the command --------------------------------------------------------------------------


def item_rows(
    items: Iterable[Item], db: Path, today: dt.date, plan: Plan | None
) -> list[dict[str, Any]]:
    """Items as plain rows with ``overdue`` and ``retest`` (a scenario re-testing it, or None)."""
    bundled = bundled_by_id()
    plans: dict[str, Plan | None] = {}
    pools: dict[str, Any] = {}
    rows = []
    for item in items:
        if item.plan_id not in plans:
            plans[item.plan_id] = (
                plan
                if plan is not None and plan.meta.id == item.plan_id
                else plan_for_id(item.plan_id, db, bundled)
            )
            found = plans[item.plan_id]
            pools[item.plan_id] = fitting_scenarios(found) if found is not None else {}
        found = plans[item.plan_id]
        retest = propose_retest(found, item, pools[item.plan_id]) if found is not None else None
        poc = poc_name(found, item.poc)
        rows.append({**item.to_dict(today), "retest": retest, "poc_name": poc})
    return rows


def render(
    rows: list[dict[str, Any]],
    db: Path,
    today: dt.date,
    only_overdue: bool,
    red: Callable[[str], str],
) -> str:
    """The items as text, overdue ones marked."""
    late = sum(r["overdue"] for r in rows)
    if not rows:
        return (
            _("No overdue improvement items in {db} (as of {today}).")
            if only_overdue
            else _("No open improvement items in {db} (as of {today}).")
        ).format(db=db, today=today)
    head = (
        _("{n} overdue improvement items in {db} (as of {today}), {late} overdue:")
        if only_overdue
        else _("{n} open improvement items in {db} (as of {today}), {late} overdue:")
    )
    lines = [head.format(n=len(rows), db=db, today=today, late=late)]
    for r in rows:
        flag = red(_("OVERDUE")) + " " if r["overdue"] else ""
        status = _(STATUS_TEXT.get(r["status"], r["status"].replace("_", " ")))
        lines.append(
            _(
                "  #{id} {flag}due {due}  [{status}]  plan {plan}  {kind} {node}  owner {owner}"
            ).format(
                id=r["id"],
                flag=flag,
                due=r["due"],
                status=status,
                plan=r["plan_id"],
                kind=r["node_kind"],
                node=r["node_id"],
                owner=r["owner_role"],
            )
        )
        lines.append(_("      issue: {issue}").format(issue=r["issue"]))
        cap = r.get("capability")
        lines.append(
            _("      capability: {capability}; point of contact: {poc}").format(
                capability=_(CAPABILITY_NAMES[cap]) if cap in CAPABILITY_NAMES else "-",
                poc=r.get("poc_name") or "-",
            )
        )
        lines.append(
            _("      corrective action ({element}): {action}").format(
                element=r["element"], action=r["corrective_action"]
            )
        )
        retest = r["retest"] or _("no bundled scenario fits")
        lines.append(
            (
                _("      found in {drill}; re-test with: {retest}")
                if r["drill_id"]
                else _("      re-test with: {retest}")
            ).format(drill=r["drill_id"], retest=retest)
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """List the items; return the exit status."""
    today = args.today or dt.date.today()
    try:
        db = database(args.db)
        src = readable(db)
        plan = resolve_plan_arg(args.plan, src) if args.plan else None
        items = open_items(src, plan.meta.id if plan else None, today)
        if args.overdue:
            items = [i for i in items if i.is_overdue(today)]
        rows = item_rows(items, src, today, plan)
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
        doc = {
            "db": str(db),
            "today": today.isoformat(),
            "plan": plan.meta.id if plan else None,
            "items": rows,
        }
        print(json.dumps(doc, indent=2))
    else:
        print(render(rows, db, today, args.overdue, painter(sys.stdout)))
    return 0
