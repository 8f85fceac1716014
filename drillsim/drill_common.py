"""What every ``drillsim drill`` command shares: the store, who entered, errors, output.

Why one place: each command is a call into ``drills`` (the same store and rules as
the console), and each must refuse bad input the same way: one line on stderr,
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drills.errors import Conflict, DrillError
from drills.paths import NotADatabase, check_database, db_path
from drills.records import DrillRecord
from drills.schema import NewerSchema
from drills.store import DrillStore
from drillsim.inputs import BadInput, bounded_int, report_bad_input
from drillsim.items import database
from i18n import N_, _
from plans import ModelFileError
from plans.types import parse_duration

EXIT_OK = 0
EXIT_BAD_INPUT = 2
FALLBACK_AUTHOR = "cli"
"""Who entered, when the login name cannot be found (no user database, no $USER)."""

Handler = Callable[[argparse.Namespace], int]


def login_name() -> str:
    """The login name of whoever runs the command (the default of ``--as``)."""
    try:
        return getpass.getuser() or FALLBACK_AUTHOR
    except (OSError, KeyError, ImportError):
        return FALLBACK_AUTHOR


def author(args: argparse.Namespace) -> str:
    """Who entered: ``--as NAME``, else the login name."""
    given = getattr(args, "author", None)
    return given.strip() if isinstance(given, str) and given.strip() else login_name()


def db_file(args: argparse.Namespace) -> Path:
    """--db, else $DRILLSIM_DB, else the default; a folder is bad input."""
    return database(args.db)


def open_store(args: argparse.Namespace) -> DrillStore:
    """The drill database the command works on (created when there is none yet).

    An existing file that is empty or not SQLite is bad input: a truncated database is
    a loss to report, never to paper over with a new, empty one.
    """
    path = db_file(args)
    try:
        check_database(path)
    except NotADatabase as exc:
        raise BadInput([str(exc)]) from None
    return DrillStore(path)


version_arg = bounded_int(0, None, N_("a version is 0 or more, got {value}"))
"""argparse type of ``--expected-version``: a whole number from 0."""


def duration(option: str, text: str) -> float:
    """Minutes from a duration such as '15m', '2h' or '1h30m'; bad input names the option."""
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise BadInput([_("{option}: {error}").format(option=option, error=exc)]) from None


def check_version(store: DrillStore, drill_id: str, expected: int | None) -> DrillRecord:
    """The drill, refused like a second tab's when ``expected`` is not its version.

    For the writes whose core call takes no version (notes, archive, restore): the
    same :class:`Conflict` and message as the ones that do.
    """
    record = store.get(drill_id)
    if expected is not None and expected != record.version:
        raise Conflict(drill_id, expected, record.version, record.changes_since(expected))
    return record


def summary(record: DrillRecord) -> dict[str, Any]:
    """The drill's state after a command, for ``--json``."""
    return {
        "id": record.id,
        "name": record.name,
        "mode": record.mode,
        "status": record.status,
        "clock": record.clock,
        "version": record.version,
    }


def emit(args: argparse.Namespace, doc: Any, text: str) -> None:
    """Print ``doc`` as JSON with ``--json``, else ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
    elif text:
        print(text)


def fail(message: str) -> int:
    """Print a refusal on stderr; the exit status for bad input."""
    print(_("drillsim: {message}").format(message=message), file=sys.stderr)
    return EXIT_BAD_INPUT


def guarded(handler: Handler) -> Handler:
    """Run a command; anything the user must fix is one message and exit 2."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except BadInput as exc:
            return report_bad_input(exc)
        except ModelFileError as exc:
            head = _("{path}: {n} problem(s) to fix:").format(path=exc.path, n=len(exc.issues))
            return report_bad_input(BadInput([head, *exc.lines()]))
        except Conflict as exc:
            return fail(str(exc))
        except (DrillError, ValueError, LookupError) as exc:
            return fail(str(exc))
        except (sqlite3.DatabaseError, NewerSchema) as exc:
            message = _("cannot read the drill database {db}: {error}")
            return fail(message.format(db=args.db or db_path(), error=exc))
        except OSError as exc:
            return fail(str(exc))

    return run
