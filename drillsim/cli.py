"""The ``drillsim`` command: argument parsing and dispatch to one module per command.

Exit status: 0 done; 1 ``--strict`` found errors; 2 bad input (file or argument).
Bad input never ends in a traceback: the message names the file, field and reason.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from drillsim import (
    check,
    compare,
    console,
    drill,
    history,
    items,
    programme,
    report,
    run,
    schema,
    staff,
)
from drillsim.lang import SubParsers, add_lang, install, start
from i18n import _

install()

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


def _version() -> str:
    try:
        return version("drillsim")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (one sub-parser per command)."""
    parser = argparse.ArgumentParser(
        prog="drillsim",
        description=_("Emergency-preparedness and drill simulator for customer-service centres."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"drillsim {_version()}",
        help=_("show program's version number and exit"),
    )
    add_lang(parser)
    action = parser.add_subparsers(dest="command", metavar="COMMAND")
    action.required = True
    sub = SubParsers(action)
    check.add_parser(sub)
    run.add_parser(sub)
    compare.add_parser(sub)
    console.add_parser(sub)
    drill.add_parser(sub)
    history.add_parser(sub)
    report.add_parser(sub)
    items.add_parser(sub)
    programme.add_parser(sub)
    schema.add_parser(sub)
    staff.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    start(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print(_("drillsim: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("DRILLSIM_DEBUG"):
            raise
        print(
            _(
                "drillsim: internal error: {kind}: {error}\n"
                "This is a bug in drillsim; run again with DRILLSIM_DEBUG=1 to see where."
            ).format(kind=type(exc).__name__, error=exc),
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
