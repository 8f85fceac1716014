"""``drillsim compare [PLAN] [SCENARIO] --vary KEY=V1,V2 ...``: plan variants side by side.

Every variant runs on the same replication seeds (common random numbers) and is
compared with the first (the baseline) replication by replication. Prints the KPIs
with their 95% intervals, the chance of meeting each target, and the paired
differences; writes compare.csv, compare.json and compare.png into --out-dir.
Exit status 2 on bad input (a plan, scenario, --vary or variants file to fix).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

from drillsim.compare_text import render_by_interval, render_comparison
from drillsim.inputs import (
    BadInput,
    check_outputs,
    positive_int,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
    seed_int,
)
from drillsim.run import (
    DEFAULT_REPLICATIONS,
    DEFAULT_SEED,
    ProgressBar,
    interval_minutes,
    load_script,
    parse_policy,
)
from drillsim.run_budget import plan_run
from i18n import _
from plans import ModelFileError, Plan
from plans.files import write_atomic
from reports.compare_figure import compare_chart
from scenarios import Scenario
from sim.analysis.backends import BACKENDS, make_backend
from sim.analysis.compare import (
    CSV_COLUMNS,
    Comparison,
    PreparedVariant,
    compare_prepared,
    prepare_variants,
)
from sim.analysis.compare_intervals import CSV_COLUMNS as INTERVAL_COLUMNS
from sim.analysis.compare_intervals import erlang_requirement, interval_comparison
from sim.analysis.montecarlo import default_workers
from sim.analysis.variant_changes import VaryError
from sim.analysis.variants import (
    Value,
    Variant,
    combinations,
    key_names,
    parse_vary,
    variants_from_file,
)

DEFAULT_INTERVAL = "30m"  # not for people: the argparse default, parsed like any LENGTH
MAX_VARIANTS = 200
"""Most variants one comparison runs: a table and a chart a person can still read."""


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "compare",
        help=_("run plan variants on the same seeds and compare each with the baseline"),
        description=_(
            "Run variants of PLAN (more agents, a bigger reserve, faster standbys, ...) against "
            "SCENARIO on the same replication seeds and compare each with the first, replication "
            "by replication. Keys: {keys}."
        ).format(keys=key_names()),
    )
    p.add_argument("plan", nargs="?", metavar="PLAN", help=_("plan file or bundled plan name"))
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help=_("scenario file or bundled scenario name")
    )
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=V1,V2",
        help=_(
            "a key and its values, e.g. agents=120,130 or reserve.call_in=30m,1h; "
            "repeat for more keys (every combination runs; the first values are the baseline)"
        ),
    )
    p.add_argument(
        "--variants",
        type=Path,
        metavar="FILE",
        help=_("YAML file of named variants: variants: [{name: base, set: {agents: 120}}, ...]"),
    )
    p.add_argument(
        "--replications",
        "-n",
        type=positive_int,
        default=DEFAULT_REPLICATIONS,
        help=_("replications per variant (default %(default)s)"),
    )
    p.add_argument(
        "--seed",
        type=seed_int,
        default=DEFAULT_SEED,
        help=_("seed shared by every variant (default %(default)s)"),
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
        "--backend",
        choices=BACKENDS,
        default="process",
        help=_("where replications run (default %(default)s)"),
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDR",
        help=_("Dask scheduler address (with --backend dask; default: a local cluster)"),
    )
    p.add_argument(
        "--policy",
        nargs="+",
        metavar="POLICY",
        default=["plan"],
        help=_("who responds: 'plan' (default), 'none' or 'scripted FILE'"),
    )
    p.add_argument(
        "--out-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help=_("folder for compare.csv, compare.json and compare.png (default: current folder)"),
    )
    p.add_argument(
        "--by-interval",
        nargs="?",
        const=DEFAULT_INTERVAL,
        type=interval_minutes,
        metavar="LENGTH",
        help=_(
            "also compare the variants by interval of LENGTH (default 30m) and live channel: "
            "service level, agents required and agents short; writes compare_intervals.csv"
        ),
    )
    p.set_defaults(handler=run_compare)


def read_variants(
    args: argparse.Namespace, plan: Plan, scenario: Scenario
) -> tuple[list[Variant] | list[dict[str, Value]], str | None]:
    """The combinations to run and the key to chart; raises BadInput with the reason."""
    if args.vary and args.variants is not None:
        raise BadInput([_("give --vary or --variants, not both")])
    if args.variants is not None:
        try:
            variants = variants_from_file(args.variants, plan, scenario)
        except ModelFileError as exc:
            raise BadInput(
                [
                    _("invalid variants file, {n} problem(s) to fix:").format(n=len(exc.issues)),
                    *exc.lines(),
                ]
            ) from None
        return variants, chart_key(variants)
    if not args.vary:
        raise BadInput(
            [
                _(
                    "nothing to compare: give --vary KEY=V1,V2 (keys: {keys}) or --variants FILE"
                ).format(keys=key_names())
            ]
        )
    try:
        varies = [parse_vary(text) for text in args.vary]
        combos = combinations(varies)
    except VaryError as exc:
        raise BadInput([str(exc)]) from None
    return combos, varies[0][0]


def chart_key(variants: list[Variant]) -> str | None:
    """The first key every variant sets and whose values differ; None: chart side by side."""
    keys = dict.fromkeys(k for v in variants for k in v.settings)
    for key in keys:
        if (
            all(key in v.settings for v in variants)
            and len({v.settings[key] for v in variants}) > 1
        ):
            return key
    return None


def prepare(plan: Plan, scenario: Scenario, combos: list[Any]) -> list[PreparedVariant]:
    """Apply every combination before anything runs; a key that does not fit is bad input."""
    try:
        return prepare_variants(plan, scenario, combos)
    except ValueError as exc:  # VaryError included
        raise BadInput([str(exc)]) from None


def csv_text(comparison: Comparison) -> str:
    """The comparison's rows as CSV with a header."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(comparison.to_rows())
    return buf.getvalue()


def write_outputs(comparison: Comparison, key: str | None, out_dir: Path) -> list[Path]:
    """compare.csv, compare.json and compare.png in ``out_dir``, each written atomically."""
    paths = [out_dir / "compare.csv", out_dir / "compare.json", out_dir / "compare.png"]
    write_atomic(paths[0], csv_text(comparison).encode())
    write_atomic(
        paths[1], (json.dumps(comparison.to_json(), indent=2, allow_nan=False) + "\n").encode()
    )
    png = io.BytesIO()
    compare_chart(comparison, key).savefig(png, format="png", dpi=110)
    write_atomic(paths[2], png.getvalue())
    return paths


def by_interval(
    comparison: Comparison, prepared: list[PreparedVariant], plan: Plan, out_dir: Path
) -> Path:
    """Print the by-interval view and write compare_intervals.csv; the file's path."""
    try:
        rows = interval_comparison(comparison, prepared, erlang_requirement)
    except ValueError as exc:  # no Erlang table for this run (e.g. more than a week long)
        print(
            _("drillsim: no requirement by interval: {reason}").format(reason=exc), file=sys.stderr
        )
        rows = interval_comparison(comparison, prepared, None)
    length = comparison.baseline.result.interval
    assert length is not None
    names = [v.name for v in comparison.variants]
    threshold = plan.targets.service_level.answer_within
    print("\n" + "\n".join(render_by_interval(rows, names, length, threshold)))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(INTERVAL_COLUMNS)
    writer.writerows(r.to_csv() for r in rows)
    path = out_dir / "compare_intervals.csv"
    write_atomic(path, buf.getvalue().encode())
    return path


def run_compare(args: argparse.Namespace) -> int:
    """Check every input, run the variants, print the comparison, write the three files."""
    try:
        plan, _plan_path = resolve_plan(args.plan)
        scenario, _scenario_path = resolve_scenario(args.scenario, plan)
        policy, script_path = parse_policy(args.policy)
        script = load_script(script_path, plan) if script_path is not None else None
        combos, key = read_variants(args, plan, scenario)
        if len(combos) > MAX_VARIANTS:  # before preparing 2,500 plans: say what fits
            raise BadInput(
                [
                    _(
                        "{n} variants is more than a comparison can show; at most {limit} "
                        "(split the study into several comparisons)"
                    ).format(n=len(combos), limit=MAX_VARIANTS)
                ]
            )
        prepared = prepare(plan, scenario, combos)
        if args.scheduler and args.backend != "dask":
            raise BadInput(
                [
                    _("--scheduler is for --backend dask (got --backend {backend})").format(
                        backend=args.backend
                    )
                ]
            )
        if not args.out_dir.is_dir():
            raise BadInput([_("--out-dir {path}: no such folder").format(path=args.out_dir)])
        check_outputs(
            out_dir=args.out_dir / "compare.csv"
        )  # the folder takes files; each name is checked as it is written
    except BadInput as exc:
        return report_bad_input(exc)
    try:  # each variant is a run of its own: the same estimate and limits as `run`
        asked = args.workers or default_workers()
        workers = plan_run(scenario, args.replications, asked, args.force, len(prepared))
    except BadInput as exc:
        return report_bad_input(exc)
    try:
        backend = make_backend(args.backend, workers, args.scheduler)
    except RuntimeError as exc:
        return report_bad_input(BadInput([str(exc)]))
    total = len(prepared) * args.replications
    print(
        _(
            "drillsim: running {variants} variant(s) x {n} replications "
            "({total} in all) on the {backend} backend..."
        ).format(variants=len(prepared), n=args.replications, total=total, backend=args.backend),
        file=sys.stderr,
    )
    clock = time.perf_counter()
    try:
        comparison = compare_prepared(
            plan,
            scenario,
            prepared,
            args.replications,
            args.seed,
            backend,
            workers,
            policy,
            ProgressBar(sys.stderr),
            script,
            interval=args.by_interval,
        )
    finally:
        backend.close()
    seconds = time.perf_counter() - clock
    where = _("{backend} backend, {workers} worker(s)").format(
        backend=args.backend, workers=workers
    )
    print(render_comparison(comparison, seconds, where, plan, scenario))
    paths = write_outputs(comparison, key, args.out_dir)
    if args.by_interval is not None:
        paths.append(by_interval(comparison, prepared, plan, args.out_dir))
    print("\n" + _("Written: {paths}").format(paths=", ".join(str(p) for p in paths)))
    return 0
