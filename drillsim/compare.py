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
import math
import os
import sys
import tempfile
import time
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
from drillsim.run import DEFAULT_REPLICATIONS, DEFAULT_SEED, ProgressBar, load_script, parse_policy
from plans import ModelFileError, Plan
from plans.types import human_minutes
from reports.compare_figure import compare_chart
from scenarios import Scenario
from sim.analysis.backends import BACKENDS, make_backend
from sim.analysis.compare import (
    CSV_COLUMNS,
    MAIN_KPIS,
    Comparison,
    PreparedVariant,
    compare_prepared,
    prepare_variants,
)
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

KPI_LABELS = {
    "service_level": "service level",
    "asa": "average speed of answer",
    "abandonment": "abandonment",
    "max_queue": "longest queue",
    "rto": "longest outage (RTO achieved)",
    "rpo": "data lost (RPO achieved)",
    "tickets_late": "tickets past a limit",
    "occupancy": "agent occupancy",
}
SHARE_KPIS = {"service_level", "abandonment", "occupancy"}
MINUTE_KPIS = {"asa", "rto", "rpo"}


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "compare",
        help="run plan variants on the same seeds and compare each with the baseline",
        description="Run variants of PLAN (more agents, a bigger reserve, faster standbys, ...) "
        "against "
        "SCENARIO on the same replication seeds and compare each with the first, replication by "
        f"replication. Keys: {key_names()}.",
    )
    p.add_argument("plan", nargs="?", metavar="PLAN", help="plan file or bundled plan name")
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="scenario file or bundled scenario name"
    )
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=V1,V2",
        help="a key and its values, e.g. agents=120,130 or reserve.call_in=30m,1h; "
        "repeat for more keys "
        "(every combination runs; the first values are the baseline)",
    )
    p.add_argument(
        "--variants",
        type=Path,
        metavar="FILE",
        help="YAML file of named variants: variants: [{name: base, set: {agents: 120}}, ...]",
    )
    p.add_argument(
        "--replications",
        "-n",
        type=positive_int,
        default=DEFAULT_REPLICATIONS,
        help="replications per variant (default %(default)s)",
    )
    p.add_argument(
        "--seed",
        type=seed_int,
        default=DEFAULT_SEED,
        help="seed shared by every variant (default %(default)s)",
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
        "--scheduler",
        metavar="ADDR",
        help="Dask scheduler address (with --backend dask; default: a local cluster)",
    )
    p.add_argument(
        "--policy",
        nargs="+",
        metavar="POLICY",
        default=["plan"],
        help="who responds: 'plan' (default), 'none' or 'scripted FILE'",
    )
    p.add_argument(
        "--out-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="folder for compare.csv, compare.json and compare.png (default: current folder)",
    )
    p.set_defaults(handler=run_compare)


def read_variants(
    args: argparse.Namespace, plan: Plan, scenario: Scenario
) -> tuple[list[Variant] | list[dict[str, Value]], str | None]:
    """The combinations to run and the key to chart; raises BadInput with the reason."""
    if args.vary and args.variants is not None:
        raise BadInput(["give --vary or --variants, not both"])
    if args.variants is not None:
        try:
            variants = variants_from_file(args.variants, plan, scenario)
        except ModelFileError as exc:
            raise BadInput(
                [f"invalid variants file, {len(exc.issues)} problem(s) to fix:", *exc.lines()]
            ) from None
        return variants, chart_key(variants)
    if not args.vary:
        raise BadInput(
            [f"nothing to compare: give --vary KEY=V1,V2 (keys: {key_names()}) or --variants FILE"]
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def _diff_text(kpi: str, value: float) -> str:
    if not math.isfinite(value):
        return "-"
    if value == 0:
        return "0"
    if kpi in SHARE_KPIS:
        return f"{value * 100:+.1f} pp"
    if kpi in MINUTE_KPIS:
        return f"{value * 60:+.0f}s" if abs(value) < 1 else f"{value:+.1f} min"
    return f"{value:+,.1f}"


def _kpi_text(kpi: str, value: float) -> str:
    if not math.isfinite(value):
        return "-"
    if kpi in SHARE_KPIS:
        return f"{value:.1%}"
    if kpi in MINUTE_KPIS:
        return f"{value * 60:.0f}s" if abs(value) < 1 else human_minutes(value)
    return f"{value:,.1f}"


def render_comparison(comparison: Comparison, seconds: float, where: str) -> str:
    """The comparison as a readable table: KPIs, targets, differences from the baseline."""
    width = max(12, *(len(v.name) for v in comparison.variants)) + 2
    lines = [
        f"Plan '{comparison.plan_id}' x scenario '{comparison.scenario_id}': "
        f"{len(comparison.variants)} variant(s) x {comparison.replications} replications "
        f"on the same seeds (seed {comparison.seed}), {where}, {seconds:.1f} s",
        f"  baseline: {comparison.baseline.name}",
        "",
        f"  {'KPI / variant':<{width}}{'mean':>10}  {'95% CI':<22}"
        f"{'vs baseline (paired)':>22}  95% CI",
    ]
    for kpi in MAIN_KPIS:
        if all(
            v.result.kpis.get(kpi) is None or v.result.kpis[kpi].n == 0 for v in comparison.variants
        ):
            continue
        lines.append(f"  {KPI_LABELS[kpi]}")
        for i, v in enumerate(comparison.variants):
            s = v.result.kpis.get(kpi)
            mean = _kpi_text(kpi, s.mean) if s else "-"
            ci = (
                f"[{_kpi_text(kpi, s.ci95[0])}, {_kpi_text(kpi, s.ci95[1])}]"
                if s and s.n > 1
                else ""
            )
            d = v.differences[kpi]
            diff = "(baseline)" if i == 0 else _diff_text(kpi, d.mean)
            dci = (
                ""
                if i == 0 or not math.isfinite(d.ci95[0])
                else f"[{_diff_text(kpi, d.ci95[0])}, {_diff_text(kpi, d.ci95[1])}]"
            )
            lines.append(f"    {v.name:<{width - 2}}{mean:>10}  {ci:<22}{diff:>22}  {dci}")
    lines += ["", *render_targets(comparison)]
    return "\n".join(lines)


def render_targets(comparison: Comparison, per_row: int = 8) -> list[str]:
    """P(target met) per target and variant: variants as numbered columns, legend first."""
    variants = comparison.variants
    checks = [(c.check.label, i) for i, c in enumerate(comparison.baseline.result.targets)]
    n_targets = len(checks)
    checks += [
        (f"{c.check.name}: {c.check.label}", n_targets + i)
        for i, c in enumerate(comparison.baseline.result.objectives)
    ]
    lines = [
        "  P(target or objective met), share of replications (95% Wilson intervals in compare.json)"
    ]
    lines += [f"    #{i + 1}  {v.name}" for i, v in enumerate(variants)]
    label_width = min(60, max(len(label) for label, _ in checks)) + 2 if checks else 10
    for start in range(0, len(variants), per_row):
        block = range(start, min(start + per_row, len(variants)))
        lines.append("")
        lines.append(f"  {'':<{label_width}}" + "".join(f"{'#' + str(i + 1):>7}" for i in block))
        for label, index in checks:
            cells = "".join(
                f"{(v.result.targets + v.result.objectives)[index].probability:>7.0%}"
                for v in (variants[i] for i in block)
            )
            lines.append(f"  {label[: label_width - 2]:<{label_width}}{cells}")
    return lines


def run_compare(args: argparse.Namespace) -> int:
    """Check every input, run the variants, print the comparison, write the three files."""
    try:
        plan, _ = resolve_plan(args.plan)
        scenario, _ = resolve_scenario(args.scenario, plan)
        policy, script_path = parse_policy(args.policy)
        script = load_script(script_path, plan) if script_path is not None else None
        combos, key = read_variants(args, plan, scenario)
        prepared = prepare(plan, scenario, combos)
        if args.scheduler and args.backend != "dask":
            raise BadInput([f"--scheduler is for --backend dask (got --backend {args.backend})"])
        if not args.out_dir.is_dir():
            raise BadInput([f"--out-dir {args.out_dir}: no such folder"])
    except BadInput as exc:
        return report_bad_input(exc)
    workers = args.workers or default_workers()
    try:
        backend = make_backend(args.backend, workers, args.scheduler)
    except RuntimeError as exc:
        return report_bad_input(BadInput([str(exc)]))
    total = len(prepared) * args.replications
    print(
        f"drillsim: running {len(prepared)} variant(s) x {args.replications} replications "
        f"({total} in all) on the {args.backend} backend...",
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
        )
    finally:
        backend.close()
    seconds = time.perf_counter() - clock
    where = f"{args.backend} backend, {workers} worker(s)"
    print(render_comparison(comparison, seconds, where))
    paths = write_outputs(comparison, key, args.out_dir)
    print("\nWritten: " + ", ".join(str(p) for p in paths))
    return 0
