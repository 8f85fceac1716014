"""``drillsim drill ...``: run a drill from the command line, over the console's database.

Why a command group beside the console: a facilitator may script a drill, or keep
one going from a terminal when the browser is not at hand; a drill created here opens
in the console (``?drill=ID``) and the other way round. The rules are the console's:
writers may pass the version they looked at (``--expected-version``) and a stale one
is refused; an ended drill is read-only except for notes; a refused decision is kept
in the log.

Exit status: 0 done; 2 bad input or refused (unknown drill, bad duration, unknown
role, an ended drill, a stale version, a decision the plan refuses).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, get_args

from drills.paths import DB_ENV, default_db_path
from drillsim import drill_ops as ops
from drillsim import drill_show as shows
from drillsim.drill_common import version_arg
from drillsim.inputs import seed_int
from drillsim.lang import SubParsers
from i18n import _
from sim.response.decisions import DecisionKind

ACTIONS: tuple[str, ...] = get_args(DecisionKind)


def reader() -> argparse.ArgumentParser:
    """Options of every drill command: --db and --json."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        help=_("drill database file (default: ${env} or {path})").format(
            env=DB_ENV, path=default_db_path()
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    return p


def writer() -> argparse.ArgumentParser:
    """Options of the commands that change a drill: --as and --expected-version."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--as",
        dest="author",
        metavar="NAME",
        default=None,
        help=_("who enters this, as the log shows it (default: your login name)"),
    )
    p.add_argument(
        "--expected-version",
        type=version_arg,
        default=None,
        metavar="N",
        help=_(
            "the drill's version you looked at (drill show); refused if the drill "
            "has moved since, as a second console tab would be"
        ),
    )
    return p


def add_parser(sub: Any) -> None:
    """Register ``drill`` and its commands."""
    group = sub.add_parser(
        "drill",
        help=_("run a drill from the command line (the console's drills)"),
        description=_("Create, run, end and export drills in the drill database the console uses."),
    )
    action = group.add_subparsers(dest="drill_command", metavar="ACTION")
    action.required = True
    cmds = SubParsers(action)
    read, write = reader(), writer()

    def command(name: str, help_text: str, *, changes: bool = True) -> argparse.ArgumentParser:
        parents = [read, write] if changes else [read]
        return cmds.add_parser(name, help=help_text, description=help_text, parents=parents)

    def drill_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("drill", metavar="ID", help=_("the drill's id, e.g. drill-0001"))

    p = command("new", _("create a drill and print its id"))
    p.add_argument(
        "--plan", help=_("plan file or bundled plan name (default: the bundled default plan)")
    )
    p.add_argument(
        "--scenario",
        help=_("scenario file or bundled scenario name (default: the bundled default scenario)"),
    )
    p.add_argument("--name", required=True, help=_("the drill's name"))
    p.add_argument(
        "--seed", type=seed_int, default=1, help=_("seed of the drill (default %(default)s)")
    )
    p.add_argument(
        "--live",
        action="store_true",
        help=_("a live drill: its clock follows the wall clock once started (drill start)"),
    )
    p.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help=_("live clock speed, simulated minutes per wall minute (default %(default)s)"),
    )
    p.add_argument(
        "--participant",
        action="append",
        default=[],
        metavar="NAME,ROLE",
        help=_("somebody in the room and the plan role they play, e.g. 'Li Wei, duty_manager'"),
    )
    p.add_argument(
        "--request-id",
        default=None,
        help=_("the same request id twice creates one drill (safe to retry)"),
    )
    p.set_defaults(handler=ops.new)

    p = command("list", _("list the drills, newest first"), changes=False)
    p.add_argument("--all", action="store_true", help=_("archived drills too"))
    p.set_defaults(handler=shows.list_drills)

    p = command("show", _("show a drill: clock, status, board and log"), changes=False)
    drill_arg(p)
    p.set_defaults(handler=shows.show)

    p = command("advance", _("move a drill's clock"))
    drill_arg(p)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--by", metavar="DURATION", help=_("by a duration, e.g. 15m or 1h30m"))
    how.add_argument("--to", metavar="TIME", help=_("to a time after the start, e.g. 2h"))
    how.add_argument("--next-inject", action="store_true", help=_("to the next inject"))
    p.set_defaults(handler=ops.advance)

    p = command("inject", _("list, deliver, skip or add injects"))
    drill_arg(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--list", action="store_true", help=_("list the scenario's injects and their status")
    )
    what.add_argument(
        "--deliver",
        type=int,
        metavar="INDEX",
        help=_("deliver a scenario inject now, before its time"),
    )
    what.add_argument(
        "--skip", type=int, metavar="INDEX", help=_("skip a scenario inject: never shown")
    )
    what.add_argument(
        "--add", action="store_true", help=_("add an inject now (with --title and --message)")
    )
    p.add_argument("--title", help=_("the added inject's title"))
    p.add_argument("--message", help=_("the added inject's message"))
    p.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="ROLE",
        help=_("a role the added inject goes to (repeatable; default: everyone)"),
    )
    p.set_defaults(handler=ops.inject)

    p = command("decide", _("take a decision at the drill's clock"))
    drill_arg(p)
    p.add_argument("action", choices=ACTIONS, metavar="ACTION", help=", ".join(ACTIONS))
    p.add_argument("--target", help=_("what the action is aimed at (a standby, a channel, a role)"))
    p.add_argument("--level", type=int, choices=(1, 2, 3), help=_("the level, for declare_level"))
    p.add_argument(
        "--by", dest="decided_by", required=True, metavar="PERSON", help=_("who decided")
    )
    p.add_argument("--why", help=_("why, in the decider's words"))
    p.set_defaults(handler=ops.decide)

    p = command("note", _("write a note in the drill's log (also after it ended)"))
    drill_arg(p)
    p.add_argument("text", metavar="TEXT", help=_("the note"))
    p.add_argument(
        "--by", dest="note_by", metavar="NAME", help=_("whose note it is (default: --as)")
    )
    p.set_defaults(handler=ops.note)

    for name, help_text in (
        ("start", _("start a live drill's clock")),
        ("pause", _("pause a live drill's clock")),
        ("resume", _("resume a paused live drill's clock")),
    ):
        p = command(name, help_text)
        drill_arg(p)
        p.set_defaults(handler=ops.live_clock, clock_action=name)
    for name, help_text, handler in (
        ("archive", _("archive a drill: kept, listed only with drill list --all"), ops.archive),
        ("restore", _("restore an archived drill"), ops.restore),
    ):
        p = command(name, help_text)
        drill_arg(p)
        p.set_defaults(handler=handler)

    p = command("end", _("end a drill: its clock and decisions become final"))
    drill_arg(p)
    p.add_argument("--summary", default="", help=_("the facilitator's closing summary"))
    p.set_defaults(handler=ops.end)

    p = command("export", _("export a drill's log and records as CSV or JSON"), changes=False)
    drill_arg(p)
    p.add_argument("--format", choices=("csv", "json"), required=True, help=_("file format"))
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help=_("folder to write to"))
    p.set_defaults(handler=ops.export)
