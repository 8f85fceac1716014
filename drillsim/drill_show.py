"""``drillsim drill list|show`` and ``inject --list``: a drill read, never changed.

Why the board from ``drills.session``: the command line shows the same board the
console draws (the replay of the stored log at the drill's clock), in words, with
every log line naming who entered it and, for a decision, who decided.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from typing import Any

from drills import session
from drills.board import channel_rows, entered_by, log_rows, system_rows
from drills.records import DrillRecord
from drillsim.drill_common import emit, guarded, open_store
from i18n import N_, _
from plans.loader import load_plan_text
from plans.names import display_names
from plans.types import human_minutes

MODE_WORDS = {"tabletop": N_("tabletop"), "live": N_("live")}
STATUS_WORDS = {"open": N_("under way"), "ended": N_("ended")}
INJECT_WORDS = {
    "coming": N_("coming"),
    "due": N_("shown at its time"),
    "delivered": N_("delivered early"),
    "skipped": N_("skipped"),
}


def word(table: dict[str, str], key: str) -> str:
    """A stored id (mode, status) in the language in use; an unknown one as it is."""
    return _(table[key]) if key in table else key


# --- list ---------------------------------------------------------------------------------


@guarded
def list_drills(args: argparse.Namespace) -> int:
    """``drill list [--all]``: the drills, newest first (archived ones only with --all)."""
    store = open_store(args)
    drills = store.list_drills(include_archived=args.all)
    lines = []
    for d in drills:
        line = _(
            "{id}  {name}  [{mode}, {status}]  clock {clock}, version {version}, "
            "{entries} entries; {plan} / {scenario}"
        ).format(
            id=d.id,
            name=d.name,
            mode=word(MODE_WORDS, d.mode),
            status=word(STATUS_WORDS, d.status),
            clock=human_minutes(d.clock),
            version=d.version,
            entries=d.entries,
            plan=d.plan_name,
            scenario=d.scenario_name,
        )
        if getattr(d, "archived", False):
            line += "  " + _("(archived)")
        lines.append(line)
    if not lines:
        lines.append(
            _("no drills in {db} (create one with: drillsim drill new --name NAME)").format(
                db=store.path
            )
            if args.all
            else _("no drills in {db} (archived ones are listed with --all)").format(db=store.path)
        )
    emit(args, [dataclasses.asdict(d) for d in drills], "\n".join(lines))
    return 0


# --- show ---------------------------------------------------------------------------------


def live_state(record: DrillRecord) -> str:
    """How a live drill's clock stands: not started, running, or paused."""
    state = record.live_state
    if state == "not_started":
        return _("live clock not started (start it with: drillsim drill start {id})").format(
            id=record.id
        )
    if state == "paused":
        return _("live clock paused (resume it with: drillsim drill resume {id})").format(
            id=record.id
        )
    if state == "running":
        now = session.live_target_time(record, dt.datetime.now(dt.UTC))
        return _("live clock running at x{speed:g}: the wall clock has it at {time} now").format(
            speed=record.speed, time=human_minutes(now)
        )
    return ""


def row_line(row: dict[str, Any]) -> str:
    """A board row on one line: its first column, then each other heading and value."""
    items = list(row.items())
    head = str(items[0][1])
    rest = _("; ").join(f"{key} {value}" for key, value in items[1:] if value not in ("", None))
    return "  " + (_("{name}: {details}").format(name=head, details=rest) if rest else head)


def role_names(roles: Any, names: dict[str, str]) -> str:
    """Role ids as the plan names them (everyone when none)."""
    return _(", ").join(names.get(r, r) for r in roles or ()) or _("everyone")


def inject_line(inject: dict[str, Any], names: dict[str, str]) -> str:
    """A delivered inject: when, title, message and to whom."""
    to = role_names(inject.get("to"), names)
    return "  " + _("{at}  {title}: {message} (to {to})").format(
        at=human_minutes(float(inject["at"])),
        title=inject.get("title", ""),
        message=inject.get("message", ""),
        to=to,
    )


def who_line(entry: dict[str, Any]) -> str:
    """Who entered a log entry and, for a decision, who decided."""
    decided = entry.get("decided_by") or entry.get("by") or entry["payload"].get("by")
    if entry["kind"] == "decision" and decided:
        return _("(decided by {by}; entered by {author})").format(
            by=decided, author=entered_by(entry)
        )
    return _("(entered by {author})").format(author=entered_by(entry))


def log_lines(board: dict[str, Any]) -> list[str]:
    """The log, oldest first: seq, simulated time, kind, what, and who."""
    by_seq = {e["seq"]: e for e in board.get("log", [])}
    sim, kind, what = _("sim time"), _("kind"), _("entry")
    lines = []
    for row in reversed(log_rows(board)):
        entry = by_seq.get(row["#"])
        who = who_line(entry) if entry is not None else ""
        lines.append(f"  #{row['#']}  {row[sim]}  {row[kind]}  {row[what]}  {who}".rstrip())
    return lines


def show_text(record: DrillRecord, board: dict[str, Any]) -> str:
    """The board as text: the drill, its clock, channels, systems, injects and log."""
    drill = board["drill"]
    nxt = drill.get("next_inject")
    lines = [
        f"{record.id}: {record.name}",
        "  "
        + _("plan {plan}, scenario {scenario}, seed {seed}, {mode}").format(
            plan=record.plan_name,
            scenario=record.scenario_name,
            seed=record.seed,
            mode=word(MODE_WORDS, record.mode),
        ),
        "  "
        + _("status {status}; clock {clock} of {horizon}; version {version}").format(
            status=word(STATUS_WORDS, record.status),
            clock=human_minutes(record.clock),
            horizon=human_minutes(float(board.get("horizon", record.clock))),
            version=record.version,
        ),
        "  " + _("next inject at {time}").format(time=human_minutes(float(nxt)))
        if nxt is not None and record.status != "ended"
        else "  " + _("no more injects"),
    ]
    names = board.get("names", {})
    live = live_state(record)
    if live:
        lines.append(f"  {live}")
    if record.participants:
        people = _(", ").join(
            _("{name} ({role})").format(name=p.name, role=names.get(p.role, p.role))
            if p.role
            else p.name
            for p in record.participants
        )
        lines.append("  " + _("participants: {people}").format(people=people))
    lines.append(_("Channels:"))
    lines += [row_line(r) for r in channel_rows(board)]
    systems = system_rows(board)
    lines.append(_("Systems and backups:"))
    lines += [row_line(r) for r in systems] or ["  " + _("every system working")]
    lines.append(_("Injects delivered:"))
    lines += [inject_line(i, names) for i in board.get("injects", [])] or ["  " + _("none yet")]
    lines.append(_("Log:"))
    lines += log_lines(board) or ["  " + _("nothing entered yet")]
    return "\n".join(lines)


@guarded
def show(args: argparse.Namespace) -> int:
    """``drill show ID``: the clock, status, board summary and log."""
    record = open_store(args).get(args.drill)
    board = session.board(record)
    doc = {
        **board,
        "participants": [p.to_dict() for p in record.participants],
        "plan_name": record.plan_name,
        "scenario_name": record.scenario_name,
        "seed": record.seed,
        "speed": record.speed,
        "live_started_wall": record.live_started_wall,
    }
    emit(args, doc, show_text(record, board))
    return 0


# --- upcoming injects -----------------------------------------------------------------------


def inject_list_text(rows: list[dict[str, Any]], names: dict[str, str]) -> str:
    """The scenario's injects, each with its index (for --deliver and --skip) and status."""
    lines = []
    for row in rows:
        to = role_names(row.get("to"), names)
        lines.append(
            _("#{index}  {at}  [{status}]  {title} (to {to})").format(
                index=row["index"],
                at=human_minutes(float(row["at"])),
                status=word(INJECT_WORDS, str(row.get("status"))),
                title=row.get("title", ""),
                to=to,
            )
        )
        if row.get("message"):
            lines.append(f"      {row['message']}")
    return "\n".join(lines) or _("the scenario has no injects")


def list_injects(args: argparse.Namespace, record: DrillRecord) -> int:
    """``drill inject ID --list``: the master event list."""
    rows = session.upcoming_injects(record)
    names = display_names(load_plan_text(record.plan_text, record.plan_name))
    emit(args, rows, inject_list_text(rows, names))
    return 0
