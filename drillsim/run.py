"""``drillsim run [PLAN] [SCENARIO]``: Monte Carlo replications, a summary and a journal.

PLAN and SCENARIO are files or names of bundled ones; left out, the bundled default
plan and scenario. Exit status 2 on bad input (file, line, field and reason shown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from drillsim.inputs import (
    BadInput,
    positive_int,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
    seed_int,
)
from drillsim.response_summary import predicted_activations, render_response
from plans import ModelFileError, Plan
from plans.issues import Issue
from plans.types import human_minutes
from scenarios import Scenario
from sim.analysis.backends import BACKENDS, make_backend
from sim.analysis.journal import build_journal, write_journal
from sim.analysis.montecarlo import MonteCarloResult, default_workers, run_monte_carlo
from sim.analysis.stats import wilson
from sim.response.controller import POLICIES, Policy
from sim.response.decisions import DecisionScript, check_target, load_decisions

DEFAULT_REPLICATIONS = 100
DEFAULT_SEED = 20260301


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "run",
        help="simulate a scenario against a plan, many times, and summarise against the targets",
        description="Run Monte Carlo replications of SCENARIO against PLAN and print a summary "
        "against the plan's targets. PLAN and SCENARIO are files or bundled names; left out, "
        "the bundled defaults.",
    )
    p.add_argument("plan", nargs="?", metavar="PLAN", help="plan file or bundled plan name")
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="scenario file or bundled scenario name"
    )
    p.add_argument(
        "--replications",
        "-n",
        type=positive_int,
        default=DEFAULT_REPLICATIONS,
        help="replications (default %(default)s)",
    )
    p.add_argument(
        "--seed",
        type=seed_int,
        default=DEFAULT_SEED,
        help="seed of the whole run (default %(default)s)",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help="worker processes (default: one per core)",
    )
    p.add_argument("--json", type=Path, metavar="OUT", help="write the run journal (JSON) to OUT")
    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default="process",
        help="where replications run: this process, a local process pool (default) or Dask",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --backend dask: an existing scheduler (default: start a LocalCluster)",
    )
    p.add_argument(
        "--policy",
        nargs="+",
        metavar="POLICY",
        default=["plan"],
        help="who responds: 'plan' (the plan's own actions and timings, default), 'none' (nobody: "
        "only repair restores service) or 'scripted FILE' (timed decisions from a YAML file)",
    )
    p.set_defaults(handler=run)


def parse_policy(values: list[str]) -> tuple[Policy, Path | None]:
    """'plan', 'none' or 'scripted FILE'; raises BadInput with the reason."""
    name, rest = values[0], values[1:]
    if name not in POLICIES:
        raise BadInput([f"--policy: '{name}' is not one of {', '.join(POLICIES)}"])
    if name == "scripted":
        if len(rest) != 1:
            raise BadInput(
                [
                    "--policy scripted needs exactly one decisions FILE, "
                    "e.g. --policy scripted decisions.yaml"
                ]
            )
        return "scripted", Path(rest[0])
    if rest:
        raise BadInput([f"--policy {name} takes no file (only 'scripted' does)"])
    return name, None


def load_script(path: Path, plan: Plan) -> DecisionScript:
    """Read a decisions file and check every decision names ids the plan has."""
    try:
        script = load_decisions(path)
    except ModelFileError as exc:
        raise BadInput(
            [f"invalid decisions file, {len(exc.issues)} problem(s) to fix:", *exc.lines()]
        ) from None
    issues = [
        Issue(("decisions", i, "target"), reason)
        for i, d in enumerate(script.decisions)
        if (reason := check_target(plan, d)) is not None
    ]
    if issues:
        raise BadInput(
            [f"decisions do not fit plan '{plan.meta.id}':", *ModelFileError(path, issues).lines()]
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
            self.stream.write(
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} replications"
            )
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        else:
            tenth = 10 * done // total
            if tenth != self.last_tenth:
                self.last_tenth = tenth
                self.stream.write(f"  {done}/{total} replications\n")
                self.stream.flush()


def _defined(x: float) -> float | None:
    """A figure as ``Summary.to_dict`` gives it: undefined (NaN, infinite) becomes None."""
    return None if x is None or not math.isfinite(x) else float(x)


def _fmt_value(kpi: str, value: float | None) -> str:
    if value is None:
        return "-"
    if kpi in {"asa", "rto", "rpo"}:
        return human_minutes(value) if value >= 1 else f"{value * 60:.0f}s"
    if kpi in {"service_level", "abandonment", "availability", "occupancy"}:
        return f"{value:.1%}" if kpi != "availability" else f"{value:.3%}"
    return f"{value:,.1f}"


SUMMARY_KPIS = (
    ("service_level", "service level"),
    ("asa", "average speed of answer"),
    ("abandonment", "abandonment"),
    ("max_queue", "longest queue"),
    ("backlog", "ticket backlog at end"),
    ("tickets_late", "tickets past a limit"),
    ("availability", "availability (worst channel)"),
    ("rto", "longest outage (RTO achieved)"),
    ("rpo", "data lost (RPO achieved)"),
    ("occupancy", "agent occupancy"),
    ("offered", "contacts offered"),
)


def render_summary(
    plan: Plan,
    scenario: Scenario,
    result: MonteCarloResult,
    seconds: float,
    workers: int,
    seed: int,
) -> str:
    """The readable summary of a run against the plan's targets and the scenario's objectives."""
    n = len(result.seeds)
    lines = [
        f"Plan '{plan.meta.id}' v{plan.meta.version} x scenario '{scenario.meta.id}': "
        f"{n} replications, seed {seed}, {workers} worker(s), {seconds:.1f} s",
        f"  {scenario.meta.name}: {human_minutes(scenario.horizon)} "
        f"from {scenario.start:%a %Y-%m-%d %H:%M}",
        "",
        f"  {'KPI':<32}{'mean':>10}  {'95% CI':<22}{'p5 - p95':<20}",
    ]
    for key, label in SUMMARY_KPIS:
        s = result.kpis.get(key)
        if s is None or s.n == 0:
            continue
        ci = f"[{_fmt_value(key, _defined(s.ci95[0]))}, {_fmt_value(key, _defined(s.ci95[1]))}]"
        spread = f"{_fmt_value(key, _defined(s.p5))} - {_fmt_value(key, _defined(s.p95))}"
        mean_text = _fmt_value(key, _defined(s.mean))
        lines.append(f"  {label:<32}{mean_text:>10}  {ci:<22}{spread:<20}")
    lines += ["", f"  {'Target (plan)':<62}{'P(met)':>8}  95% CI"]
    for t in result.targets:
        lo, hi = wilson(t.met, t.n)
        lines.append(f"  {t.check.label:<62}{t.probability:>8.0%}  [{lo:.0%}, {hi:.0%}]")
    if result.objectives:
        lines += ["", f"  {'Objective (scenario)':<62}{'P(met)':>8}  95% CI"]
        for o in result.objectives:
            lo, hi = wilson(o.met, o.n)
            name = o.check.name + ": " + o.check.label
            lines.append(f"  {name:<62}{o.probability:>8.0%}  [{lo:.0%}, {hi:.0%}]")
    lines += [
        "",
        f"  {'By channel':<12}{'offered':>9}{'service level':>15}{'ASA':>8}"
        f"{'abandon':>9}{'available':>11}",
    ]
    for c in plan.channels:

        def mean(k: str, cid: str = c.id) -> float | None:
            s = result.kpis.get(f"channel.{cid}.{k}")
            return None if s is None or s.n == 0 else s.mean

        lines.append(
            f"  {c.id:<12}{_fmt_value('offered', mean('offered')):>9}"
            f"{_fmt_value('service_level', mean('service_level')):>15}"
            f"{_fmt_value('asa', mean('asa')):>8}"
            f"{_fmt_value('abandonment', mean('abandonment')):>9}"
            f"{_fmt_value('availability', mean('availability')):>11}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the replications, print the summary, write the journal if asked."""
    try:
        plan, plan_path = resolve_plan(args.plan)
        scenario, scenario_path = resolve_scenario(args.scenario, plan)
        policy, script_path = parse_policy(args.policy)
        script = load_script(script_path, plan) if script_path is not None else None
    except BadInput as exc:
        return report_bad_input(exc)
    if args.json is not None and (args.json.is_dir() or not args.json.parent.exists()):
        print(
            f"drillsim: --json {args.json}: not a writable file path "
            "(is it a folder, or does its folder exist?)",
            file=sys.stderr,
        )
        return 2
    workers = args.workers or default_workers()
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    print(
        f"drillsim: running {args.replications} replications on {workers} worker(s)...",
        file=sys.stderr,
    )
    if args.scheduler and args.backend != "dask":
        print("drillsim: --scheduler goes with --backend dask", file=sys.stderr)
        return 2
    try:
        backend = make_backend(args.backend, workers, args.scheduler)
    except (RuntimeError, OSError) as exc:
        print(f"drillsim: cannot start the {args.backend} backend: {exc}", file=sys.stderr)
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
        )
    finally:
        backend.close()
    seconds = time.perf_counter() - clock
    predicted = predicted_activations(plan, scenario)
    print(render_summary(plan, scenario, result, seconds, workers, args.seed))
    print(render_response(plan, result, policy, predicted))
    print(
        "\nTo run this scenario as a drill in the browser: drillsim console (from a checkout: "
        "python3 dev.py console), then open http://127.0.0.1:8501"
    )
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
        print(f"\nJournal written to {args.json}")
    return 0
