"""``drillsim report DRILL``: write a drill's after-action report (Markdown, HTML or PDF).

DRILL is a drill id in the drill database, or a ``drillsim run`` journal file.
The file is written whole or not at all (a temporary file renamed into place).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

from drills.errors import DrillError, UnknownDrill
from drills.paths import NotADatabase, check_database, db_path
from drills.schema import NewerSchema
from drillsim.inputs import positive_int
from i18n import _
from plans import ModelFileError
from plans.files import FileRefused, check_output, write_atomic
from reports.aar import build_report
from reports.render import FORMATS, render
from reports.source import aar_for_drill, aar_for_journal
from sim.analysis.montecarlo import default_workers


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser("report", help=_("write a drill's after-action report (HSEEP AAR/IP)"))
    p.add_argument(
        "drill", metavar="DRILL", help=_("drill id (e.g. drill-0001) or a run journal JSON file")
    )
    p.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="md",
        help=_("md, html, pdf or docx (default md)"),
    )
    p.add_argument(
        "--out", type=Path, help=_("output file (default: <drill><ext> in the current folder)")
    )
    p.add_argument(
        "--db", type=Path, help=_("drill database (default: $DRILLSIM_DB or the usual place)")
    )
    p.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help=_("date for drill and review rules"),
    )
    p.add_argument(
        "--monte-carlo",
        type=positive_int,
        default=None,
        metavar="N",
        help=_("add the distribution of N replications of the drill's plan and scenario"),
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build and write the report."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = args.today or now.date()
    source = Path(args.drill)
    db = args.db or db_path()
    out = args.out or Path(
        f"{source.stem if source.is_file() else args.drill}{FORMATS[args.format]}"
    )
    try:  # before the work: a report that cannot be written is not built
        check_output(out)
    except FileRefused as exc:
        print(
            _("drillsim: --out {path}: {reason}").format(path=out, reason=exc.reason),
            file=sys.stderr,
        )
        return 2
    try:
        if source.suffix == ".json" or source.is_file():
            aar = aar_for_journal(source, now, today)
        else:
            if check_database(db) is None:
                raise UnknownDrill(args.drill)  # no database: no drill, and none is created
            aar = aar_for_drill(
                db,
                args.drill,
                now,
                today,
                monte_carlo=args.monte_carlo or 0,
                workers=default_workers(),
            )
    except ModelFileError as exc:
        print(_("drillsim: {message}").format(message="\n  ".join(exc.lines())), file=sys.stderr)
        return 2
    except (DrillError, NotADatabase) as exc:
        print(_("drillsim: {message}").format(message=exc), file=sys.stderr)
        return 2
    except (sqlite3.DatabaseError, NewerSchema) as exc:
        message = _("cannot read the drill database {db}: {error}").format(db=db, error=exc)
        print(_("drillsim: {message}").format(message=message), file=sys.stderr)
        return 2
    data = render(build_report(aar), args.format)
    try:
        write_atomic(out, data)
    except (FileRefused, OSError) as exc:
        reason = exc.reason if isinstance(exc, FileRefused) else (exc.strerror or str(exc))
        print(
            _("drillsim: --out {path}: {reason}").format(path=out, reason=reason),
            file=sys.stderr,
        )
        return 2
    print(
        _("After-action report written to {path} ({size} bytes)").format(
            path=out, size=f"{len(data):,}"
        )
    )
    return 0
