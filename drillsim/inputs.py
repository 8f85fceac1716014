"""Turn the user's PLAN and SCENARIO arguments into validated models.

Why a module: every command accepts a file path or the name of a bundled plan or
scenario, and reports a bad one the same way (file, line, field, reason; exit 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from drillsim.lang import adopt_plan_language
from i18n import N_, _
from plans import ModelFileError, Plan, load_plan
from plans.files import FileRefused, check_output
from plans.loader import bundled_plans, default_plan_path
from scenarios import (
    Scenario,
    bundled_scenarios,
    check_against_plan,
    default_scenario_path,
    load_scenario,
)

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the user must fix; carries the lines to print."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _path(arg: str | None, bundled: dict[str, Path], default: Path) -> Path:
    if arg is None:
        return default
    path = Path(arg)
    if not path.exists() and arg in bundled:
        return bundled[arg]
    return path


def resolve_plan(arg: str | None) -> tuple[Plan, Path]:
    """A plan from a path or a bundled name (default: the bundled default plan)."""
    path = _path(arg, bundled_plans(), default_plan_path())
    try:
        plan = load_plan(path)
    except ModelFileError as exc:
        raise BadInput(
            [_("invalid plan, {n} problem(s) to fix:").format(n=len(exc.issues)), *exc.lines()]
        ) from None
    adopt_plan_language(plan)
    return plan, path


def resolve_scenario(arg: str | None, plan: Plan) -> tuple[Scenario, Path]:
    """A scenario from a path or a bundled name, checked against the plan."""
    path = _path(arg, bundled_scenarios(), default_scenario_path())
    try:
        scenario = load_scenario(path)
    except ModelFileError as exc:
        raise BadInput(
            [_("invalid scenario, {n} problem(s) to fix:").format(n=len(exc.issues)), *exc.lines()]
        ) from None
    issues = check_against_plan(plan, scenario)
    if issues:
        err = ModelFileError(path, issues)
        raise BadInput(
            [
                _("scenario does not fit plan '{plan}', {n} problem(s):").format(
                    plan=plan.meta.id, n=len(issues)
                ),
                *err.lines(),
            ]
        )
    return scenario, path


def bounded_int(minimum: int, maximum: int | None, message: str) -> Callable[[str], int]:
    """An argparse type: a whole number from ``minimum`` to ``maximum`` (None: no upper bound).

    ``message`` is the msgid a person reads for a number out of bounds, with the
    placeholders ``{value}``, ``{minimum}`` and ``{maximum}``; it is translated when the
    argument is read, in the language the command runs in.

    Why one factory: the seed, a count and a drill version were each parsed by a
    function of their own that differed only in its bounds and its words.
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("'{text}' is not a whole number").format(text=text)
            ) from None
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(
                _(message).format(value=value, minimum=minimum, maximum=maximum)
            )
        return value

    parse.__name__ = "whole number"  # not for people: argparse's fallback name of the type
    return parse


positive_int = bounded_int(1, None, N_("must be at least 1, got {value}"))
"""argparse type: a whole number of at least 1."""

seed_int = bounded_int(0, None, N_("a seed must be 0 or more, got {value}"))
"""argparse type: a seed, a whole number from 0."""


def report_bad_input(exc: BadInput) -> int:
    """Print a bad-input message on stderr; return the exit status for it."""
    print(
        "\n".join(
            _("drillsim: {message}").format(message=exc.lines[0]) if i == 0 else f"  {line}"
            for i, line in enumerate(exc.lines)
        ),
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT


def check_outputs(**options: Path | None) -> None:
    """Refuse, before any work, an output path that cannot take the file (BadInput).

    ``check_outputs(json=args.json, csv=args.csv)``: each path given must be a regular
    file or a new name in a writable folder (:func:`plans.files.check_output`), so a
    long run never ends in a failed write or replaces a device, a FIFO or a symlink.
    """
    problems = []
    for option, path in options.items():
        if path is None:
            continue
        try:
            check_output(path)
        except FileRefused as exc:
            flag = "--" + option.replace("_", "-")
            problems.append(
                _("{option} {path}: {reason}").format(option=flag, path=path, reason=exc.reason)
            )
    if problems:
        raise BadInput(problems)
