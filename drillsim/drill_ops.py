"""``drillsim drill`` commands that change a drill: each one call into ``drills``.

The command line is a trusted caller: every core write gets ``role=None`` (the console
passes the signed-in role instead, which the core checks).

Why thin: the console and the command line must follow the same rules (versions,
ended drills, refused decisions kept in the log), so every rule lives in
``drills.session`` and ``drills.store``; this module turns arguments into one call
and the result into a line (or JSON), and bad input into exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, cast

from drills import session
from drills.export import export_drill
from drills.records import Participant
from drillsim.drill_common import (
    EXIT_BAD_INPUT,
    author,
    check_version,
    db_file,
    duration,
    emit,
    guarded,
    open_store,
    summary,
)
from drillsim.drill_show import list_injects
from drillsim.inputs import BadInput, resolve_plan, resolve_scenario
from i18n import N_, _
from plans.types import human_minutes
from sim.response.decisions import Decision, DecisionKind


def participant(text: str) -> Participant:
    """'Name, role' (the role may be left out) into a participant."""
    name, _comma, role = (part.strip() for part in text.partition(","))
    if not name:
        raise BadInput(
            [_("--participant '{value}': give 'Name, role' with the name first").format(value=text)]
        )
    return Participant(name, role)


@guarded
def new(args: argparse.Namespace) -> int:
    """``drill new``: store a drill (plan and scenario texts kept with it); print its id."""
    plan, plan_path = resolve_plan(args.plan)
    _scenario, scenario_path = resolve_scenario(args.scenario, plan)
    people = [participant(p) for p in args.participant]
    extra: dict[str, Any] = {}
    if args.request_id:
        extra["request_id"] = args.request_id
    record = open_store(args).create_drill(
        name=args.name,
        plan_name=plan_path.stem,
        plan_text=plan_path.read_text(encoding="utf-8"),
        scenario_name=scenario_path.stem,
        scenario_text=scenario_path.read_text(encoding="utf-8"),
        seed=args.seed,
        mode="live" if args.live else "tabletop",
        speed=args.speed,
        participants=people,
        start_live=False,
        role=None,  # the command line is a trusted caller
        **extra,
    )
    emit(args, summary(record), record.id)
    return 0


@guarded
def advance(args: argparse.Namespace) -> int:
    """``drill advance ID (--by D | --to T | --next-inject)``."""
    store = open_store(args)
    record = store.get(args.drill)
    if args.by is not None:
        target = record.clock + duration("--by", args.by)
    elif args.to is not None:
        target = duration("--to", args.to)
    else:
        found = session.next_inject_time(record)
        if found is None:
            raise BadInput(
                [
                    _("drill '{drill}' has no inject after {clock}: advance --by or --to").format(
                        drill=record.id, clock=human_minutes(record.clock)
                    )
                ]
            )
        target = found
    record = session.advance(
        store, args.drill, target, author(args), args.expected_version, role=None
    )
    emit(
        args,
        summary(record),
        _("Clock moved to {time} (version {version}).").format(
            time=human_minutes(record.clock), version=record.version
        ),
    )
    return 0


@guarded
def inject(args: argparse.Namespace) -> int:
    """``drill inject ID (--list | --deliver N | --skip N | --add --title T --message M)``."""
    store = open_store(args)
    if args.list:
        return list_injects(args, store.get(args.drill))
    who, version = author(args), args.expected_version
    if args.deliver is not None:
        record = session.deliver_inject(store, args.drill, args.deliver, who, version, role=None)
        text = _("Inject #{index} delivered now (version {version}).").format(
            index=args.deliver, version=record.version
        )
    elif args.skip is not None:
        record = session.skip_inject(store, args.drill, args.skip, who, version, role=None)
        text = _("Inject #{index} skipped: it will not be shown (version {version}).").format(
            index=args.skip, version=record.version
        )
    else:
        title, message = (args.title or "").strip(), (args.message or "").strip()
        if not title or not message:
            raise BadInput([_("inject --add needs --title and --message")])
        record = session.add_inject(
            store, args.drill, title, message, list(args.to), who, version, role=None
        )
        text = _("Inject '{title}' added at {time} (version {version}).").format(
            title=title, time=human_minutes(record.clock), version=record.version
        )
    emit(args, summary(record), text)
    return 0


@guarded
def decide(args: argparse.Namespace) -> int:
    """``drill decide ID ACTION ... --by PERSON``: exit 2 with the reason when refused."""
    store = open_store(args)
    why = args.why or ""
    # Why the cast: argparse offered only DecisionKind's values (choices=ACTIONS).
    decision = Decision(
        action=cast(DecisionKind, args.action),
        target=args.target,
        level=args.level,
        by=args.decided_by,
        rationale=why,
    )
    verdict, record = session.decide(
        store, args.drill, decision, author(args), why, args.expected_version, role=None
    )
    doc = {**summary(record), "accepted": verdict.accepted, "reason": str(verdict.reason)}
    if verdict.accepted:
        emit(
            args,
            doc,
            _("Decision taken and saved: {decision} (version {version}).").format(
                decision=" ".join(str(x) for x in (args.action, args.target, args.level) if x),
                version=record.version,
            ),
        )
        return 0
    emit(args, doc, "")
    print_refusal(str(verdict.reason))
    return EXIT_BAD_INPUT


def print_refusal(reason: str) -> None:
    """A refused decision, on stderr (it is in the log all the same)."""
    print(
        _("drillsim: decision refused (saved in the log): {reason}").format(reason=reason),
        file=sys.stderr,
    )


@guarded
def note(args: argparse.Namespace) -> int:
    """``drill note ID TEXT [--by NAME]``: notes stay open after the drill ends."""
    store = open_store(args)
    check_version(store, args.drill, args.expected_version)
    who = args.note_by.strip() if args.note_by and args.note_by.strip() else author(args)
    entry = session.add_note(store, args.drill, args.text, who, role=None)
    emit(
        args,
        {"id": args.drill, "seq": entry.seq, "sim_time": entry.sim_time, "author": entry.author},
        _("Note saved at {time}.").format(time=human_minutes(entry.sim_time)),
    )
    return 0


CLOCK_DONE = {
    "start": N_("Live clock started at {time}, x{speed:g} (version {version})."),
    "pause": N_("Live clock paused at {time} (version {version})."),
    "resume": N_("Live clock resumed at {time} (version {version})."),
}
"""What ``drill start``, ``drill pause`` and ``drill resume`` print once the entry is saved."""


@guarded
def live_clock(args: argparse.Namespace) -> int:
    """``drill start|pause|resume ID``: a live drill's clock starts following the wall clock,
    stops until resumed, or runs again from where it stopped (one core call for the three)."""
    action = cast(session.ClockAction, args.clock_action)
    record = session.live_clock(
        open_store(args), args.drill, action, args.expected_version, author(args), role=None
    )
    emit(
        args,
        summary(record),
        _(CLOCK_DONE[action]).format(
            time=human_minutes(record.clock), speed=record.speed, version=record.version
        ),
    )
    return 0


@guarded
def end(args: argparse.Namespace) -> int:
    """``drill end ID [--summary TEXT]``: the clock and decisions become final."""
    record = session.end_drill(
        open_store(args),
        args.drill,
        author(args),
        args.expected_version,
        args.summary or "",
        role=None,
    )
    emit(
        args,
        summary(record),
        _("Drill {id} ended at {time}; notes can still be added.").format(
            id=record.id, time=human_minutes(record.clock)
        ),
    )
    return 0


@guarded
def archive(args: argparse.Namespace) -> int:
    """``drill archive ID``: hidden from ``drill list`` (shown with --all), kept whole."""
    store = open_store(args)
    check_version(store, args.drill, args.expected_version)
    store.archive(args.drill, author(args), role=None)
    emit(
        args,
        {"id": args.drill, "archived": True},
        _("Drill {id} archived: listed only with drill list --all.").format(id=args.drill),
    )
    return 0


@guarded
def restore(args: argparse.Namespace) -> int:
    """``drill restore ID``: an archived drill back in ``drill list``."""
    store = open_store(args)
    check_version(store, args.drill, args.expected_version)
    store.restore(args.drill, author(args), role=None)
    emit(
        args,
        {"id": args.drill, "archived": False},
        _("Drill {id} restored: back in drill list.").format(id=args.drill),
    )
    return 0


@guarded
def export(args: argparse.Namespace) -> int:
    """``drill export ID --format csv|json --out DIR``: one file per table."""
    db = db_file(args)
    open_store(args).get(args.drill)  # an unknown drill is refused before anything is written
    paths = export_drill(db, args.drill, args.format, args.out)
    emit(args, [str(p) for p in paths], "\n".join(str(p) for p in paths))
    return 0
