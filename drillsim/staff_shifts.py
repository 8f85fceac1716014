"""``drillsim staff --by-interval --shifts``: the plan's shifts that cover the requirement.

Why a module of its own: ``drillsim staff --by-interval`` (:mod:`drillsim.staff`) gives
the agents each channel needs in each interval; this part answers the planner's next
question, *how many agents on which shift and with which skills*, with the covering
program of :mod:`sim.analysis.shift_cover` (scipy's milp), shows where today's roster
falls short, and then runs the cover beside today's roster on the same seeds, as any
variant is run (:mod:`sim.analysis.shift_variant`), so the answer is checked by
simulation and not only by the formula.

Writes ``shifts.csv`` (one row per interval: required, the cover at work, its surplus,
today's roster at work and short) and ``shift_cover.csv`` (agents per shift and skill
group) into the output folder.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from drillsim.compare_text import render_by_interval, render_comparison
from drillsim.inputs import (
    BadInput,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
)
from drillsim.service_goal import apply_goals
from drillsim.text import ljust, rjust
from i18n import _
from plans.files import write_atomic
from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.backends import BackendName, make_backend
from sim.analysis.compare import Comparison, compare_prepared
from sim.analysis.compare_intervals import interval_comparison
from sim.analysis.montecarlo import default_workers
from sim.analysis.roster_gap import RosterGap, roster_at_work, roster_gap
from sim.analysis.shift_cover import ShiftCover, ShiftCoverError, solve_cover
from sim.analysis.shift_patterns import coverage_matrix, plan_patterns, segments
from sim.analysis.shift_variant import baseline_and_cover
from sim.analysis.staff_scaling import base_groups

SHIFTS_COLUMNS = (
    "interval_start",
    "required_agents",
    "cover_agents",
    "cover_surplus",
    "roster_agents",
    "roster_short",
)
COVER_COLUMNS = ("shift", "skills", "agents")


def parse_costs(texts: list[str], plan: Plan) -> dict[str, float]:
    """Every --shift-cost as {shift: cost}; BadInput naming the bad one."""
    shifts = {s.id for s in plan.shifts}
    costs: dict[str, float] = {}
    for text in texts:
        shift, sep, raw = text.partition("=")
        try:
            cost = float(raw)
        except ValueError:
            cost = -1.0
        if not sep or shift not in shifts or not cost > 0:
            raise BadInput(
                [
                    _(
                        "--shift-cost {text}: write SHIFT=COST with a shift of the plan "
                        "({shifts}) and a cost above 0"
                    ).format(text=text, shifts=", ".join(sorted(shifts)))
                ]
            )
        costs[shift] = cost
    return costs


def shift_answer(
    plan: Plan,
    scenario: Scenario,
    requirement: NDArray[np.int64],
    channels: list[str],
    starts: list[float],
    costs: dict[str, float] | None = None,
) -> tuple[ShiftCover, RosterGap]:
    """The cover of ``requirement`` on the plan's shifts and skill groups, and today's gap.

    Raises :class:`ShiftCoverError` (naming the interval) when no cover exists.
    """
    patterns = plan_patterns(plan, scenario, costs)
    cuts, index = segments(patterns, starts, scenario.horizon)
    a = coverage_matrix(patterns, cuts, scenario.horizon)
    groups, _at_work = roster_at_work(plan, scenario, starts)
    labels = [_clock(scenario, s) for s in starts]
    cover = solve_cover(requirement, channels, starts, patterns, a, groups, labels, index)
    return cover, roster_gap(plan, scenario, requirement, channels, starts)


def _clock(scenario: Scenario, start: float) -> str:
    return (scenario.start + dt.timedelta(minutes=start)).strftime("%H:%M")  # not for people


def render_cover(cover: ShiftCover, gap: RosterGap, scenario: Scenario, roster: int) -> list[str]:
    """The cover per shift and skill group, then per interval its surplus and today's gap."""
    lines = [
        _(
            "Shift cover (integer program, optimal): {n} agents on the plan's shifts, "
            "today's roster has {roster}"
        ).format(n=cover.total, roster=roster),
        f"  {ljust(_('shift'), 12)}{ljust(_('skills'), 26)}{rjust(_('agents'), 7)}",
    ]
    for shift, skills, n in cover.rows():
        lines.append(f"  {ljust(shift, 12)}{ljust('+'.join(skills), 26)}{n:>7}")
    lines += [
        "",
        _("  By interval: agents required, the cover at work and its surplus, today's roster"),
        f"  {ljust(_('start'), 7)}{rjust(_('required'), 10)}{rjust(_('cover'), 8)}"
        f"{rjust(_('surplus'), 9)}{rjust(_('roster'), 8)}{rjust(_('short'), 7)}",
    ]
    at_work = cover.at_work_total()
    surplus = cover.surplus()
    need = cover.requirement.sum(axis=1)
    for i, start in enumerate(cover.starts):
        lines.append(
            f"  {ljust(_clock(scenario, start), 7)}{need[i]:>10}{at_work[i]:>8}"
            f"{surplus[i]:>+9}{gap.at_work[i]:>8}{gap.gap()[i]:>7}"
        )
    short = int(np.count_nonzero(gap.gap()))
    lines.append(
        _("  Today's roster falls short in {n} of {total} intervals.").format(
            n=short, total=len(cover.starts)
        )
        if short
        else _("  Today's roster covers every interval.")
    )
    return lines


def roster_total(plan: Plan, scenario: Scenario) -> int:
    """Agents of today's roster whose shift works at some moment of the run."""
    working = {p.id for p in plan_patterns(plan, scenario)}
    return sum(
        g.agents for g in base_groups(plan, scenario) if g.shift is None or g.shift in working
    )


def cover_csvs(cover: ShiftCover, gap: RosterGap, scenario: Scenario) -> tuple[str, str]:
    """(shifts.csv, shift_cover.csv) as text."""
    one = io.StringIO()
    w = csv.writer(one, lineterminator="\n")
    w.writerow(SHIFTS_COLUMNS)
    at_work = cover.at_work_total()
    need = cover.requirement.sum(axis=1)
    for i, start in enumerate(cover.starts):
        moment = scenario.start + dt.timedelta(minutes=start)
        w.writerow(
            [
                moment.isoformat(timespec="seconds"),
                int(need[i]),
                int(at_work[i]),
                int(cover.surplus()[i]),
                int(gap.at_work[i]),
                int(gap.gap()[i]),
            ]
        )
    two = io.StringIO()
    w = csv.writer(two, lineterminator="\n")
    w.writerow(COVER_COLUMNS)
    for shift, skills, n in cover.rows():
        w.writerow([shift, "+".join(skills), n])
    return one.getvalue(), two.getvalue()


def check_by_simulation(
    plan: Plan,
    scenario: Scenario,
    cover: ShiftCover,
    interval: float,
    replications: int,
    seed: int,
    workers: int,
    backend_name: BackendName = "process",
) -> tuple[Comparison, list[str]]:
    """Today's roster and the cover on the same seeds; the comparison and its text."""
    prepared = baseline_and_cover(plan, scenario, cover)
    backend = make_backend(backend_name, workers)
    clock = time.perf_counter()
    try:
        comparison = compare_prepared(
            plan, scenario, prepared, replications, seed, backend, workers, interval=interval
        )
    finally:
        backend.close()
    rows = interval_comparison(comparison, prepared)
    names = [v.name for v in comparison.variants]
    seconds = time.perf_counter() - clock
    where = _("the cover beside today's roster, {workers} worker(s)").format(workers=workers)
    text = render_comparison(comparison, seconds, where, plan, scenario).splitlines()
    text += [
        "",
        *render_by_interval(rows, names, interval, plan.targets.service_level.answer_within),
    ]
    return comparison, text


def run_shifts(
    args: argparse.Namespace,
    plan: Plan,
    scenario: Scenario,
    requirement: NDArray[np.int64],
    channels: list[str],
    starts: list[float],
    interval: float,
    out_dir: Path,
) -> int:
    """Solve, print, write the two CSV files, then check by simulation; the exit status."""
    try:
        costs = parse_costs(args.shift_cost, plan)
        cover, gap = shift_answer(plan, scenario, requirement, channels, starts, costs)
    except BadInput as exc:
        return report_bad_input(exc)
    except ShiftCoverError as exc:
        return report_bad_input(BadInput([str(exc)]))
    print("\n" + "\n".join(render_cover(cover, gap, scenario, roster_total(plan, scenario))))
    shifts_csv, cover_csv = cover_csvs(cover, gap, scenario)
    paths = [out_dir / "shifts.csv", out_dir / "shift_cover.csv", out_dir / "shift_cover.json"]
    write_atomic(paths[0], shifts_csv.encode())
    write_atomic(paths[1], cover_csv.encode())
    comparison = None
    if args.check_replications > 0:
        print(
            _("drillsim: checking the cover by simulation ({n} replications each)...").format(
                n=args.check_replications
            ),
            file=sys.stderr,
        )
        workers = args.workers or default_workers()
        comparison, text = check_by_simulation(
            plan,
            scenario,
            cover,
            interval,
            args.check_replications,
            args.seed,
            workers,
            getattr(args, "backend", "process"),
        )
        print("\n" + "\n".join(text))
    doc = {
        "plan": plan.meta.id,
        "scenario": scenario.meta.id,
        "interval_minutes": interval,
        "agents": cover.total,
        "cost": cover.cost,
        "cover": [{"shift": p, "skills": list(g), "agents": n} for p, g, n in cover.rows()],
        "check": None if comparison is None else comparison.to_json(),
        "runs": 0 if comparison is None else comparison.replications * len(comparison.variants),
    }
    write_atomic(paths[2], (json.dumps(doc, indent=2, allow_nan=False) + "\n").encode())
    print("\n" + _("Written: {paths}").format(paths=", ".join(str(p) for p in paths)))
    return 0


def requirement_from_csv(path: Path) -> tuple[NDArray[np.int64], list[str], list[float]]:
    """(intervals x channels ``required_agents``, channels, run-minute starts) of requirements.csv.

    Why the file and not the objects: ``drillsim staff --by-interval`` writes the checked
    requirement there for the planner; the cover answers exactly what that file says.
    """
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    channels = list(dict.fromkeys(r["channel"] for r in rows))
    starts = sorted({float(r["interval_minute"]) for r in rows})
    out = np.zeros((len(starts), len(channels)), dtype=np.int64)
    for r in rows:
        out[starts.index(float(r["interval_minute"])), channels.index(r["channel"])] = int(
            r["required_agents"]
        )
    return out, channels, starts


def after_interval(args: argparse.Namespace, status: int) -> int:
    """After ``staff --by-interval`` wrote requirements.csv: the shift cover, if asked for."""
    if not getattr(args, "shifts", False) or status == 2:
        return status
    try:
        plan, _plan_path = resolve_plan(args.plan)
        scenario, _scenario_path = resolve_scenario(args.scenario, plan)
        plan, _problem = apply_goals(plan, args.service_goal)  # checked by --by-interval
    except BadInput as exc:
        return report_bad_input(exc)
    need, channels, starts = requirement_from_csv(args.out_dir / "requirements.csv")
    shifted = run_shifts(
        args, plan, scenario, need, channels, starts, float(args.by_interval), args.out_dir
    )
    return shifted if shifted else status
