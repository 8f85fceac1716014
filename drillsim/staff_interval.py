"""``drillsim staff --by-interval [30m]``: agents needed by interval and channel (skill).

Per channel and interval: the Erlang A requirement for the plan's goal of that channel
(with shrinkage, an occupancy cap and chat concurrency, each stated), then the simulated
check that raises the intervals missing their goal, and for a scenario with events the
normal day's requirement beside it (:mod:`sim.analysis.interval_events`). Prints the
table and writes ``requirements.csv`` and ``requirements.png`` into ``--out-dir``
(``--json`` for everything). Exit status: 0 every goal met in every interval; 1 some
interval still misses when the rounds run out; 2 bad input.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from drillsim.inputs import (
    BadInput,
    check_outputs,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
)
from drillsim.service_goal import apply_goals
from drillsim.staff_interval_text import render, requirements_csv, series
from i18n import _, ngettext
from plans import Plan
from plans.files import write_atomic
from reports.requirement_figure import requirement_chart
from scenarios import Scenario
from sim.analysis.backends import make_backend
from sim.analysis.interval_events import IntervalAnswer, interval_answer
from sim.analysis.montecarlo import default_workers
from sim.analysis.staffing_targets import min_replications

EXIT_NOT_MET = 1


def _replications(args: argparse.Namespace) -> int:
    if not 0.0 < args.confidence < 1.0:
        raise BadInput(
            [
                _(
                    "--confidence must lie strictly between 0 and 1 (e.g. 0.9), got {confidence:g}"
                ).format(confidence=args.confidence)
            ]
        )
    least = min_replications(args.confidence) if args.interval_rule == "probability" else 2
    if args.replications is None:
        return max(40, least + least // 2)
    if args.replications < least:
        raise BadInput(
            [
                _(
                    "--replications {n} can never support --confidence {confidence:g}: "
                    "use at least {least} (or a lower confidence)"
                ).format(n=args.replications, confidence=args.confidence, least=least)
            ]
        )
    return int(args.replications)


def _refuse_whole_run_options(args: argparse.Namespace) -> None:
    if args.target:
        raise BadInput(
            [
                _(
                    "--target does not go with --by-interval: each channel is judged against "
                    "the plan's service goal (give another with --service-goal)"
                )
            ]
        )
    if args.reserves or args.max_agents is not None:
        raise BadInput([_("--reserves and --max-agents do not go with --by-interval")])


def run(args: argparse.Namespace) -> int:
    """Compute, check, print, write."""
    try:
        _refuse_whole_run_options(args)
        replications = _replications(args)
        plan, _plan_path = resolve_plan(args.plan)
        scenario, _scenario_path = resolve_scenario(args.scenario, plan)
        plan, problem = apply_goals(plan, args.service_goal)
        if problem is not None:
            raise BadInput([problem.removeprefix("drillsim: ")])
        out = args.out_dir
        if not out.is_dir():
            raise BadInput([_("--out-dir {path}: not a folder that exists").format(path=out)])
        check_outputs(out_dir=out / "requirements.csv")
        check_outputs(out_dir=out / "requirements.png", json=args.json)
    except BadInput as exc:
        return report_bad_input(exc)
    workers = args.workers or default_workers()
    backend = make_backend(args.backend, workers)

    def progress(which: str, rounds: int, missing: int) -> None:
        text = (
            ngettext(
                "  the scenario, round {r}: {n} interval below the goal",
                "  the scenario, round {r}: {n} intervals below the goal",
                missing,
            )
            if which == "event"
            else ngettext(
                "  its normal day (no events), round {r}: {n} interval below the goal",
                "  its normal day (no events), round {r}: {n} intervals below the goal",
                missing,
            )
        )
        print(text.format(r=rounds, n=missing), file=sys.stderr)

    try:
        answer = interval_answer(
            plan,
            scenario,
            interval_minutes=args.by_interval,
            shrinkage=args.shrinkage,
            occupancy_cap=args.occupancy_cap,
            replications=replications,
            confidence=args.confidence,
            seed=args.seed,
            backend=backend,
            max_rounds=args.max_rounds,
            rule=args.interval_rule,
            progress=progress,
        )
    except ValueError as exc:
        return report_bad_input(BadInput([str(exc)]))
    finally:
        backend.close()
    print(render(plan, scenario, answer))
    _write(out, plan, scenario, answer, args.json)
    print()
    print(
        _("Requirements written to {csv} and {png}").format(
            csv=out / "requirements.csv", png=out / "requirements.png"
        )
    )
    if args.json is not None:
        print(_("Requirements and their evidence written to {path}").format(path=args.json))
    return EXIT_NOT_MET if answer.checked.unresolved else 0


def _write(
    out: Path, plan: Plan, scenario: Scenario, answer: IntervalAnswer, json_path: Path | None
) -> None:
    write_atomic(out / "requirements.csv", requirements_csv(plan, scenario, answer).encode())
    starts, end, lines = series(plan, scenario, answer)
    png = io.BytesIO()
    requirement_chart(starts, end, lines).savefig(png, format="png", dpi=110)
    write_atomic(out / "requirements.png", png.getvalue())
    if json_path is not None:
        doc = {
            "plan": plan.meta.id,
            "scenario": scenario.meta.id,
            "requirements": answer.checked.table.to_dict(),
            "check": answer.checked.to_dict(),
            "normal_day": None if answer.normal is None else answer.normal.to_dict(),
            "runs": answer.runs,
        }
        write_atomic(json_path, (json.dumps(doc, indent=2) + "\n").encode())
