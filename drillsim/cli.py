"""The ``drillsim`` command: argument parsing and dispatch to one module per command.

Why a table of commands and not an import of each: a command's module brings what the
command needs (SimPy, matplotlib, reportlab...), most of a second of start-up, and a
user waits for it. Only the command given is imported and registers its options; the
others are listed from :data:`COMMANDS` with their help text alone, so ``drillsim
--help`` and every command's own ``--help`` read as before. A new command is one line
in the table (its module has ``add_parser(sub)``; the table's help text is the one its
``add_parser`` gives, which tests/test_cli_startup.py checks).

Exit status: 0 done; 1 ``--strict`` found errors; 2 bad input (file or argument).
Bad input never ends in a traceback: the message names the file, field and reason.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from drillsim.lang import SubParsers, add_lang, install, start
from i18n import N_, _

install()

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("drillsim.check", N_("validate plan files and list their readiness findings")),
    "run": (
        "drillsim.run",
        N_("simulate a scenario against a plan, many times, and summarise against the targets"),
    ),
    "compare": (
        "drillsim.compare",
        N_("run plan variants on the same seeds and compare each with the baseline"),
    ),
    "console": ("drillsim.console", N_("start the drill console in the browser")),
    "drill": ("drillsim.drill", N_("run a drill from the command line (the console's drills)")),
    "history": (
        "drillsim.history",
        N_("fit a scenario from the centre's own history, and back-test it"),
    ),
    "report": ("drillsim.report", N_("write a drill's after-action report (HSEEP AAR/IP)")),
    "items": ("drillsim.items", N_("list the improvement plan's open and overdue items")),
    "programme": (
        "drillsim.programme",
        N_("show the drill programme: drills held, next full drill due, gaps, what to drill next"),
    ),
    "schema": ("drillsim.schema", N_("print the JSON Schema of a file format (for editors)")),
    "staff": (
        "drillsim.staff",
        N_("find the fewest agents that meet targets with a stated confidence"),
    ),
}
"""Every command, in the order ``--help`` lists them: its module and its one-line help."""


def _version() -> str:
    try:
        return version("drillsim")
    except PackageNotFoundError:
        return "unknown"


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named in the arguments (the first word that is not an option), if any."""
    args = list(argv)
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--":
            return None
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: the full sub-parser of the command in ``argv``, the others
    listed by name and help only (all of them in full when ``argv`` is None)."""
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
    chosen = None if argv is None else chosen_command(argv)
    for name, (module, help_text) in COMMANDS.items():
        if argv is None or name == chosen:
            importlib.import_module(module).add_parser(sub)
        else:
            sub.add_parser(name, help=_(help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    given = sys.argv[1:] if argv is None else argv
    start(given)
    parser = build_parser(given)
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
