"""``drillsim run [PLAN] [SCENARIO]``: Monte Carlo replications, a summary and a journal.

PLAN and SCENARIO are files or names of bundled ones; left out, the bundled default
plan and scenario. Exit status 2 on bad input (file, line, field and reason shown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from drillsim.inputs import (
    BadInput,
    check_outputs,
    positive_int,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
    seed_int,
)
from drillsim.response_summary import predicted_activations, render_response
from drillsim.run_budget import plan_run
from drillsim.run_summary import render_summary
from drillsim.service_goal import apply_goals, parse_goal
from i18n import _
from plans import ModelFileError, Plan
from plans.issues import Issue
from plans.types import parse_duration
from sim.analysis.backends import BACKENDS, make_backend
from sim.analysis.intervals import interval_rows, write_intervals_csv
from sim.analysis.journal import build_journal, write_journal
from sim.analysis.montecarlo import default_workers, run_monte_carlo
from sim.response.controller import POLICIES, Policy
from sim.response.decisions import DecisionScript, check_target, load_decisions

DEFAULT_REPLICATIONS = 100
DEFAULT_SEED = 20260301


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "run",
        help=_("simulate a scenario against a plan, many times, and summarise against the targets"),
        description=_(
            "Run Monte Carlo replications of SCENARIO against PLAN and print a summary "
            "against the plan's targets. PLAN and SCENARIO are files or bundled names; left out, "
            "the bundled defaults."
        ),
    )
    p.add_argument("plan", nargs="?", metavar="PLAN", help=_("plan file or bundled plan name"))
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help=_("scenario file or bundled scenario name")
    )
    p.add_argument(
        "--replications",
        "-n",
        type=positive_int,
        default=DEFAULT_REPLICATIONS,
        help=_("replications (default %(default)s)"),
    )
    p.add_argument(
        "--seed",
        type=seed_int,
        default=DEFAULT_SEED,
        help=_("seed of the whole run (default %(default)s)"),
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help=_("worker processes (default: one per core)"),
    )
    p.add_argument(
        "--force",
        action="store_true",
        help=_("run even when the estimate says it needs more memory or time than allowed"),
    )
    p.add_argument(
        "--json", type=Path, metavar="OUT", help=_("write the run journal (JSON) to OUT")
    )
    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default="process",
        help=_("where replications run: this process, a local process pool (default) or Dask"),
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=_("with --backend dask: an existing scheduler (default: start a LocalCluster)"),
    )
    p.add_argument(
        "--policy",
        nargs="+",
        metavar="POLICY",
        default=["plan"],
        help=_(
            "who responds: 'plan' (the plan's own actions and timings, default), 'none' (nobody: "
            "only repair restores service) or 'scripted FILE' (timed decisions from a YAML file)"
        ),
    )
    p.add_argument(
        "--interval",
        type=interval_minutes,
        metavar="LENGTH",
        help=_(
            "also report each channel by interval of LENGTH (e.g. 15m, 30m): offered, service "
            "level, ASA, abandonment and occupancy, with 95%% CI (in the journal's intervals)"
        ),
    )
    p.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help=_("with --interval: write the interval rows to FILE (CSV, for a spreadsheet)"),
    )
    p.add_argument(
        "--service-goal",
        type=parse_goal,
        action="append",
        default=[],
        metavar="CHANNEL=SHARE/TIME",
        help=_(
            "judge a live channel against another answer-time goal in this run, e.g. "
            "phone=0.8/20s (80%% answered within 20 s), instead of the plan's; repeatable"
        ),
    )
    p.set_defaults(handler=run)


def interval_minutes(text: str) -> float:
    """argparse type: a positive duration such as '30m', in minutes."""
    try:
        minutes = parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if minutes <= 0:
        raise argparse.ArgumentTypeError(
            _("an interval must be longer than zero, got '{text}'").format(text=text)
        )
    return minutes


def parse_policy(values: list[str]) -> tuple[Policy, Path | None]:
    """'plan', 'none' or 'scripted FILE'; raises BadInput with the reason."""
    name, rest = values[0], values[1:]
    if name not in POLICIES:
        raise BadInput(
            [
                _("--policy: '{name}' is not one of {choices}").format(
                    name=name, choices=", ".join(POLICIES)
                )
            ]
        )
    if name == "scripted":
        if len(rest) != 1:
            raise BadInput(
                [
                    _(
                        "--policy scripted needs exactly one decisions FILE, "
                        "e.g. --policy scripted decisions.yaml"
                    )
                ]
            )
        return "scripted", Path(rest[0])
    if rest:
        raise BadInput(
            [_("--policy {name} takes no file (only 'scripted' does)").format(name=name)]
        )
    return name, None


def load_script(path: Path, plan: Plan) -> DecisionScript:
    """Read a decisions file and check every decision names ids the plan has."""
    try:
        script = load_decisions(path)
    except ModelFileError as exc:
        raise BadInput(
            [
                _("invalid decisions file, {n} problem(s) to fix:").format(n=len(exc.issues)),
                *exc.lines(),
            ]
        ) from None
    issues = [
        Issue(("decisions", i, "target"), reason)
        for i, d in enumerate(script.decisions)
        if (reason := check_target(plan, d)) is not None
    ]
    if issues:
        raise BadInput(
            [
                _("decisions do not fit plan '{plan}':").format(plan=plan.meta.id),
                *ModelFileError(path, issues).lines(),
            ]
        )
    return script


class ProgressBar:
    """A one-line progress bar on a terminal; a few plain lines otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            width = 30
            filled = width * done // total
            bar = "#" * filled + "." * (width - filled)
            self.stream.write(
                "\r  "
                + _("[{bar}] {done}/{total} replications").format(bar=bar, done=done, total=total)
            )
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        else:
            tenth = 10 * done // total
            if tenth != self.last_tenth:
                self.last_tenth = tenth
                self.stream.write(
                    "  " + _("{done}/{total} replications").format(done=done, total=total) + "\n"
                )
                self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Run the replications, print the summary, write the journal if asked."""
    try:
        plan, plan_path = resolve_plan(args.plan)
        scenario, scenario_path = resolve_scenario(args.scenario, plan)
        policy, script_path = parse_policy(args.policy)
        script = load_script(script_path, plan) if script_path is not None else None
    except BadInput as exc:
        return report_bad_input(exc)
    plan, wrong_goal = apply_goals(plan, args.service_goal)
    if wrong_goal is not None:
        print(wrong_goal, file=sys.stderr)
        return 2
    try:
        check_outputs(json=args.json, csv=args.csv)
    except BadInput as exc:
        return report_bad_input(exc)
    if args.csv is not None and args.interval is None:
        print(_("drillsim: --csv goes with --interval (e.g. --interval 30m)"), file=sys.stderr)
        return 2
    try:  # before any work: a run that cannot finish is refused with its estimate
        workers = plan_run(
            scenario, args.replications, args.workers or default_workers(), args.force
        )
    except BadInput as exc:
        return report_bad_input(exc)
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    print(
        _("drillsim: running {n} replications on {workers} worker(s)...").format(
            n=args.replications, workers=workers
        ),
        file=sys.stderr,
    )
    if args.scheduler and args.backend != "dask":
        print(_("drillsim: --scheduler goes with --backend dask"), file=sys.stderr)
        return 2
    try:
        backend = make_backend(args.backend, workers, args.scheduler)
    except (RuntimeError, OSError) as exc:
        print(
            _("drillsim: cannot start the {backend} backend: {error}").format(
                backend=args.backend, error=exc
            ),
            file=sys.stderr,
        )
        return 2
    try:
        result = run_monte_carlo(
            plan,
            scenario,
            args.replications,
            args.seed,
            workers,
            ProgressBar(sys.stderr),
            policy=policy,
            script=script,
            backend=backend,
            interval=args.interval,
        )
    finally:
        backend.close()
    seconds = time.perf_counter() - clock
    predicted = predicted_activations(plan, scenario)
    print(render_summary(plan, scenario, result, seconds, workers, args.seed))
    print(render_response(plan, result, policy, predicted))
    print(
        "\n"
        + _(
            "To run this scenario as a drill in the browser: drillsim console (from a checkout: "
            "python3 dev.py console), then open the address it prints (with its one-time token)"
        )
    )
    if args.interval is not None and args.csv is None and args.json is None:
        print(
            "\n"
            + _(
                "Interval figures are kept in the journal (--json OUT) and in a CSV file "
                "(--csv FILE); add one of them to keep them."
            )
        )
    if args.csv is not None:
        write_intervals_csv(interval_rows(plan, scenario, result), args.csv)
        print("\n" + _("Interval rows written to {path}").format(path=args.csv))
    if args.json is not None:
        journal = build_journal(
            plan,
            scenario,
            result,
            seed=args.seed,
            plan_file=str(plan_path),
            scenario_file=str(scenario_path),
            started=started,
            ended=dt.datetime.now(dt.UTC),
            workers=workers,
            policy=policy,
            decisions=[d.model_dump(mode="json") for d in script.decisions] if script else [],
            predicted=predicted,
        )
        write_journal(journal, args.json)
        print("\n" + _("Journal written to {path}").format(path=args.json))
    return 0
