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
    check_outputs,
    positive_int,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
    seed_int,
)
from drillsim.staff_options import add_interval_arguments, add_shift_arguments
from drillsim.staff_text import render_answer, render_levels, render_start
from i18n import _
from plans import Plan
from plans.files import write_atomic
from scenarios import Scenario
from sim.analysis.backends import BACKENDS, make_backend
from sim.analysis.montecarlo import default_workers
from sim.analysis.reserve_search import ReserveOption, reserve_pools, smallest_reserve
from sim.analysis.staffing import Level, StaffingResult, search
from sim.analysis.staffing_start import erlang_a_hours
from sim.analysis.staffing_targets import ONE_SIDED_LEVEL, Target, min_replications, parse_target

DEFAULT_CONFIDENCE = 0.9
DEFAULT_SEED = 20260301
EXIT_NOT_FOUND = 1


MAX_RESERVES = 20
"""Most trade-offs --reserves asks for: each is a reserve search of its own."""


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "staff",
        help=_("find the fewest agents that meet targets with a stated confidence"),
        description=_(
            "Start from the Erlang A estimate, simulate staffing levels around it "
            "(the scenario's staffing scaled, groups in proportion) and report the fewest agents "
            "for which every --target is met with probability at least --confidence, judged on "
            "the one-sided {level:.0%} Wilson lower bound."
        ).format(level=ONE_SIDED_LEVEL),
    )
    p.add_argument("plan", nargs="?", metavar="PLAN", help=_("plan file or bundled plan name"))
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help=_("scenario file or bundled scenario name")
    )
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="KPI<=X",
        help=_(
            "a target, repeatable: service_level>=0.8, abandonment<=0.05, asa<=30s, "
            "rto<=4h, rpo<=15m"
        ),
    )
    p.add_argument(
        "--confidence",
        type=float,
        default=DEFAULT_CONFIDENCE,
        help=_("probability every target is met, in (0, 1) (default %(default)s)"),
    )
    p.add_argument(
        "--replications",
        "-n",
        type=positive_int,
        default=None,
        help=_("replications a level (default: 40, or more if the confidence needs it)"),
    )
    p.add_argument(
        "--seed",
        type=seed_int,
        default=DEFAULT_SEED,
        help=_("seed shared by every level (default %(default)s)"),
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help=_("worker processes (default: one per core)"),
    )
    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default="process",
        help=_("where replications run (default %(default)s)"),
    )
    p.add_argument(
        "--max-agents",
        type=positive_int,
        default=None,
        help=_("most agents to try (default: twice the Erlang A start, or it + 10)"),
    )
    p.add_argument(
        "--json",
        type=Path,
        metavar="OUT",
        help=_("write the search and its evidence (JSON) to OUT"),
    )
    p.add_argument(
        "--reserves",
        type=int,
        default=0,
        metavar="K",
        help=_(
            "also try K teams of 1..K agents fewer, each with the smallest reserve pool "
            "that still meets the targets (the plan's reserve pools are resized; default 0: no)"
        ),
    )
    p.add_argument(
        "--max-reserve",
        type=positive_int,
        default=None,
        help=_("largest reserve pool to try (default: twice the plan's largest, or 20)"),
    )
    add_interval_arguments(p)
    add_shift_arguments(p)
    p.set_defaults(handler=staff)


def parse_targets(texts: list[str]) -> list[Target]:
    """Every --target, or BadInput listing each bad one."""
    if not texts:
        raise BadInput(
            [
                _(
                    "give at least one --target, "
                    "e.g. --target 'service_level>=0.8' --target 'abandonment<=0.05'"
                )
            ]
        )
    targets, problems = [], []
    for text in texts:
        try:
            targets.append(parse_target(text))
        except ValueError as exc:
            problems.append(_("--target {error}").format(error=exc))
    if problems:
        raise BadInput(
            problems
            if len(problems) == 1
            else [_("{n} bad targets:").format(n=len(problems)), *problems]
        )
    return targets


def check_confidence(confidence: float, replications: int | None) -> int:
    """The replications to use; BadInput if the confidence or their number cannot work."""
    if not 0.0 < confidence < 1.0:
        raise BadInput(
            [
                _(
                    "--confidence must lie strictly between 0 and 1 (e.g. 0.9), got {confidence:g}"
                ).format(confidence=confidence)
            ]
        )
    least = min_replications(confidence)
    if replications is None:
        return max(40, least + least // 2)
    if replications < least:
        raise BadInput(
            [
                _(
                    "--replications {n} can never support --confidence {confidence:g}: "
                    "use at least {least} (or a lower confidence)"
                ).format(n=replications, confidence=confidence, least=least)
            ]
        )
    return replications


def _write_json(
    path: Path, plan: Plan, scenario: Scenario, result: StaffingResult, options: list[ReserveOption]
) -> None:
    doc = {
        "plan": plan.meta.id,
        "scenario": scenario.meta.id,
        **result.to_dict(),
        "reserve_options": [o.to_dict() for o in options],
    }
    write_atomic(path, (json.dumps(doc, indent=2) + "\n").encode())


def staff(args: argparse.Namespace) -> int:
    """Search, print the levels tried and the answer, write the JSON if asked."""
    if args.by_interval is not None:
        from drillsim import staff_interval, staff_shifts  # their imports only when asked

        return staff_shifts.after_interval(args, staff_interval.run(args))
    try:
        targets = parse_targets(args.target)
        replications = check_confidence(args.confidence, args.replications)
        plan, _plan_path = resolve_plan(args.plan)
        scenario, _scenario_path = resolve_scenario(args.scenario, plan)
        hours = erlang_a_hours(plan, scenario, targets)
    except BadInput as exc:
        return report_bad_input(exc)
    try:
        check_outputs(json=args.json)
    except BadInput as exc:
        return report_bad_input(exc)
    workers = args.workers or default_workers()
    backend = make_backend(args.backend, workers)

    def progress(level: Level) -> None:
        print(
            (
                _("  {n} agents: supported")
                if level.supported
                else _("  {n} agents: not supported")
            ).format(n=level.agents),
            file=sys.stderr,
        )

    if not 0 <= args.reserves <= MAX_RESERVES:
        backend.close()
        return report_bad_input(
            BadInput(
                [
                    _(
                        "--reserves must be from 0 to {limit} (each is a search of its own), "
                        "got {n}"
                    ).format(n=args.reserves, limit=MAX_RESERVES)
                ]
            )
        )
    if args.reserves and not reserve_pools(plan):
        backend.close()
        return report_bad_input(
            BadInput(
                [
                    _("--reserves: plan '{plan}' has no reserve staff pool to resize").format(
                        plan=plan.meta.id
                    )
                ]
            )
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
        _(
            "Plan '{plan}' x scenario '{scenario}': targets {targets}; "
            "confidence {confidence:g} (one-sided {level:.0%} Wilson lower bound), "
            "{n} replications a level, seed {seed}"
        ).format(
            plan=plan.meta.id,
            scenario=scenario.meta.id,
            targets=", ".join(t.label for t in targets),
            confidence=args.confidence,
            level=ONE_SIDED_LEVEL,
            n=replications,
            seed=args.seed,
        )
    )
    print(render_start(hours, result.start))
    print()
    print(render_levels(result))
    print()
    print(render_answer(result))
    for option in options:
        if option.reserve is None:
            print(
                _(
                    "With {agents} agents, no reserve pool up to the maximum supports every target."
                ).format(agents=option.agents)
            )
        else:
            print(
                _(
                    "With {agents} agents, a reserve pool of {reserve} supports every target "
                    "(the smallest that does; {sizes} pool size(s) simulated)."
                ).format(agents=option.agents, reserve=option.reserve, sizes=len(option.levels))
            )
    if args.json is not None:
        _write_json(args.json, plan, scenario, result, options)
        print("\n" + _("Search written to {path}").format(path=args.json))
    return 0 if result.found else EXIT_NOT_FOUND
