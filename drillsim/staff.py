"""``drillsim staff [PLAN] [SCENARIO] --target KPI<=X ...``: fewest agents that meet the targets.

Erlang A gives the start; simulated staffing levels around it decide, each judged on
the one-sided Wilson lower bound of P(met) per target (see :mod:`sim.analysis.staffing_targets`).
Exit status: 0 an answer was found; 1 no level up to the maximum supports the claim;
2 bad input (file, target text, confidence, too few replications).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from drillsim.inputs import (
    BadInput,
    positive_int,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
    seed_int,
)
from plans import Plan
from plans.types import human_minutes
from scenarios import Scenario
from sim.analysis.backends import BACKENDS, make_backend
from sim.analysis.montecarlo import default_workers
from sim.analysis.reserve_search import ReserveOption, reserve_pools, smallest_reserve
from sim.analysis.staffing import Level, StaffingResult, search
from sim.analysis.staffing_start import HourEstimate, erlang_a_hours
from sim.analysis.staffing_targets import ONE_SIDED_LEVEL, Target, min_replications, parse_target

DEFAULT_CONFIDENCE = 0.9
DEFAULT_SEED = 20260301
EXIT_NOT_FOUND = 1


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "staff",
        help="find the fewest agents that meet targets with a stated confidence",
        description="Start from the Erlang A estimate, simulate staffing levels around it "
        "(the scenario's staffing scaled, groups in proportion) and report the fewest agents "
        "for which every --target is met with probability at least --confidence, judged on "
        f"the one-sided {ONE_SIDED_LEVEL:.0%} Wilson lower bound.",
    )
    p.add_argument("plan", nargs="?", metavar="PLAN", help="plan file or bundled plan name")
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="scenario file or bundled scenario name"
    )
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="KPI<=X",
        help="a target, repeatable: service_level>=0.8, abandonment<=0.05, asa<=30s, "
        "rto<=4h, rpo<=15m",
    )
    p.add_argument(
        "--confidence",
        type=float,
        default=DEFAULT_CONFIDENCE,
        help="probability every target is met, in (0, 1) (default %(default)s)",
    )
    p.add_argument(
        "--replications",
        "-n",
        type=positive_int,
        default=None,
        help="replications a level (default: 40, or more if the confidence needs it)",
    )
    p.add_argument(
        "--seed",
        type=seed_int,
        default=DEFAULT_SEED,
        help="seed shared by every level (default %(default)s)",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help="worker processes (default: one per core)",
    )
    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default="process",
        help="where replications run (default %(default)s)",
    )
    p.add_argument(
        "--max-agents",
        type=positive_int,
        default=None,
        help="most agents to try (default: twice the Erlang A start, or it + 10)",
    )
    p.add_argument(
        "--json", type=Path, metavar="OUT", help="write the search and its evidence (JSON) to OUT"
    )
    p.add_argument(
        "--reserves",
        type=int,
        default=0,
        metavar="K",
        help="also try K teams of 1..K agents fewer, each with the smallest reserve pool "
        "that still meets the targets (the plan's reserve pools are resized; default 0: no)",
    )
    p.add_argument(
        "--max-reserve",
        type=positive_int,
        default=None,
        help="largest reserve pool to try (default: twice the plan's largest, or 20)",
    )
    p.set_defaults(handler=staff)


def parse_targets(texts: list[str]) -> list[Target]:
    """Every --target, or BadInput listing each bad one."""
    if not texts:
        raise BadInput(
            [
                "give at least one --target, "
                "e.g. --target 'service_level>=0.8' --target 'abandonment<=0.05'"
            ]
        )
    targets, problems = [], []
    for text in texts:
        try:
            targets.append(parse_target(text))
        except ValueError as exc:
            problems.append(f"--target {exc}")
    if problems:
        raise BadInput(
            problems if len(problems) == 1 else [f"{len(problems)} bad targets:", *problems]
        )
    return targets


def check_confidence(confidence: float, replications: int | None) -> int:
    """The replications to use; BadInput if the confidence or their number cannot work."""
    if not 0.0 < confidence < 1.0:
        raise BadInput(
            [f"--confidence must lie strictly between 0 and 1 (e.g. 0.9), got {confidence:g}"]
        )
    least = min_replications(confidence)
    if replications is None:
        return max(40, least + least // 2)
    if replications < least:
        raise BadInput(
            [
                f"--replications {replications} can never support --confidence {confidence:g}: "
                f"use at least {least} (or a lower confidence)"
            ]
        )
    return replications


def _pct(x: float) -> str:
    return f"{x:.0%}" if x in (0.0, 1.0) else f"{x:.1%}"


def render_start(hours: list[HourEstimate], start: int) -> str:
    """The Erlang A start and the hour that sets it."""
    peak = max(
        (h for h in hours if h.roster is not None), key=lambda h: h.roster or 0, default=None
    )
    if peak is None:
        return f"Erlang A start: {start} agent(s)"
    on_duty = "" if peak.roster == peak.agents else f" ({peak.agents} on duty then)"
    return (
        f"Erlang A start: {start} agent(s){on_duty}, "
        f"set by the hour from {human_minutes(peak.start)} "
        f"into the run at {peak.rate:,.0f} live contacts an hour"
    )


def render_levels(result: StaffingResult) -> str:
    """One row a level tried: P(met) and its one-sided bounds per target, and the verdict."""
    width = max(28, *(len(t.label) + 2 for t in result.targets))
    head = (
        f"  {'agents':>6}  "
        + "".join(f"{t.label:<{width}}" for t in result.targets)
        + "supports the claim"
    )
    sub = f"  {'':>6}  " + "".join(f"{'P(met) [low, high]':<{width}}" for _ in result.targets)
    rows = [head, sub]
    for level in result.levels:
        cells = "".join(
            f"{f'{_pct(e.probability)} [{_pct(e.lower)}, {_pct(e.upper)}]':<{width}}"
            for e in level.evidence
        )
        rows.append(f"  {level.agents:>6}  {cells}{'yes' if level.supported else 'no'}")
    return "\n".join(rows)


def render_answer(result: StaffingResult) -> str:
    """The answer, or that no level up to the maximum supports the claim."""
    n = len(result.levels)
    runs = (
        f"{result.runs} simulation runs "
        f"({n} level{'s' * (n != 1)} x {result.replications} replications)"
    )
    if not result.found and result.budget_spent:
        tried = result.levels[-1].agents
        return (
            "No level tried supports the claim that every target is met with probability >= "
            f"{result.confidence:g}, up to {tried} agents; "
            f"the budget of {n} level{'s' * (n != 1)} ran out "
            f"before {result.max_agents} was tried; {runs}."
        )
    if not result.found:
        return (
            f"No level up to {result.max_agents} agents supports the claim "
            "that every target is met with "
            f"probability >= {result.confidence:g}; {runs}. "
            "Raise --max-agents, or check the targets can be met by staffing at all."
        )
    assert result.agents is not None
    lows = ", ".join(
        f"{e.target.label}: {_pct(e.lower)}" for e in result.level(result.agents).evidence
    )
    note = (
        ""
        if result.resolved
        else (" The level budget ran out before the level below was ruled out: fewer may do.")
    )
    return (
        f"Answer: {result.agents} agents meet every target "
        f"with probability >= {result.confidence:g} "
        f"(lower bounds {lows}); {runs}.{note}"
    )


def _write_json(
    path: Path, plan: Plan, scenario: Scenario, result: StaffingResult, options: list[ReserveOption]
) -> None:
    doc = {
        "plan": plan.meta.id,
        "scenario": scenario.meta.id,
        **result.to_dict(),
        "reserve_options": [o.to_dict() for o in options],
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n")
    tmp.replace(path)


def staff(args: argparse.Namespace) -> int:
    """Search, print the levels tried and the answer, write the JSON if asked."""
    try:
        targets = parse_targets(args.target)
        replications = check_confidence(args.confidence, args.replications)
        plan, _ = resolve_plan(args.plan)
        scenario, _ = resolve_scenario(args.scenario, plan)
        hours = erlang_a_hours(plan, scenario, targets)
    except BadInput as exc:
        return report_bad_input(exc)
    if args.json is not None and (args.json.is_dir() or not args.json.parent.exists()):
        return report_bad_input(
            BadInput(
                [
                    f"--json {args.json}: not a writable file path "
                    "(is it a folder, or does its folder exist?)"
                ]
            )
        )
    workers = args.workers or default_workers()
    backend = make_backend(args.backend, workers)

    def progress(level: Level) -> None:
        print(
            f"  {level.agents} agents: {'supported' if level.supported else 'not supported'}",
            file=sys.stderr,
        )

    if args.reserves < 0:
        backend.close()
        return report_bad_input(BadInput([f"--reserves must be 0 or more, got {args.reserves}"]))
    if args.reserves and not reserve_pools(plan):
        backend.close()
        return report_bad_input(
            BadInput([f"--reserves: plan '{plan.meta.id}' has no reserve staff pool to resize"])
        )
    options: list[ReserveOption] = []
    try:
        result = search(
            plan,
            scenario,
            targets,
            args.confidence,
            replications,
            args.seed,
            workers,
            backend=backend,
            max_agents=args.max_agents,
            progress=progress,
        )
        if result.found and result.agents is not None and args.reserves:
            top = args.max_reserve or max(20, 2 * max(reserve_pools(plan)))
            for fewer in range(1, args.reserves + 1):
                if result.agents - fewer < 1:
                    break
                options.append(
                    smallest_reserve(
                        plan,
                        scenario,
                        targets,
                        result.agents - fewer,
                        args.confidence,
                        replications,
                        args.seed,
                        backend,
                        top,
                    )
                )
    except ValueError as exc:
        return report_bad_input(BadInput([str(exc)]))
    finally:
        backend.close()
    print(
        f"Plan '{plan.meta.id}' x scenario '{scenario.meta.id}': "
        f"targets {', '.join(t.label for t in targets)}; "
        f"confidence {args.confidence:g} (one-sided {ONE_SIDED_LEVEL:.0%} Wilson lower bound), "
        f"{replications} replications a level, seed {args.seed}"
    )
    print(render_start(hours, result.start))
    print()
    print(render_levels(result))
    print()
    print(render_answer(result))
    for option in options:
        if option.reserve is None:
            print(
                f"With {option.agents} agents, "
                "no reserve pool up to the maximum supports every target."
            )
        else:
            print(
                f"With {option.agents} agents, "
                f"a reserve pool of {option.reserve} supports every target "
                f"(the smallest that does; {len(option.levels)} pool size(s) simulated)."
            )
    if args.json is not None:
        _write_json(args.json, plan, scenario, result, options)
        print(f"\nSearch written to {args.json}")
    return 0 if result.found else EXIT_NOT_FOUND
