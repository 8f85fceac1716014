"""``drillsim check [FILE ...]``: validate plans and scenarios; list a plan's findings.

A file is read as a scenario when its top level has ``demand`` or ``horizon``, else as
a plan. Each scenario is also checked against a plan: the plans given in the same
command, else ``--plan``, else the bundled plan the scenario names, else the default.

Exit status: 2 if any file is invalid or a scenario does not fit its plan (the
problems are printed with file, line, field path and reason); otherwise 1 with
``--strict`` when any finding is an error; else 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from drillsim.lang import adopt_plan_language
from drillsim.text import ljust, name_of, plan_name, rjust, width
from i18n import N_, _, local_text
from plans import ModelFileError, Plan, default_plan_path, load_plan
from plans.activation import ActivationPath, activation_paths
from plans.analysis import readiness_findings
from plans.findings import Finding
from plans.io import parse_yaml, read_text
from plans.loader import bundled_plans
from plans.types import human_minutes
from scenarios import Scenario, bundled_scenarios, check_against_plan, load_scenario
from scenarios.compat import seat_warnings

SEVERITY_TITLES = {"error": N_("ERRORS"), "warning": N_("WARNINGS"), "info": N_("NOTES")}


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser(
        "check",
        help=_("validate plan files and list their readiness findings"),
        description=_(
            "Validate plan files and list the weaknesses a drill would otherwise find. "
            "With no FILE, checks the bundled default plan."
        ),
    )
    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help=_(
            "plan or scenario files, or names of bundled ones (default: the bundled default plan)"
        ),
    )
    p.add_argument(
        "--plan", metavar="PLAN", help=_("plan to check scenarios against (file or bundled name)")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    p.add_argument(
        "--strict", action="store_true", help=_("exit 1 when any finding has severity error")
    )
    p.add_argument(
        "--today",
        type=_date,
        default=None,
        help=_("date to judge drill and review dates against (YYYY-MM-DD; default: today)"),
    )
    p.set_defaults(handler=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date in the form YYYY-MM-DD").format(text=text)
        ) from None


def is_scenario_file(path: Path) -> bool:
    """Whether a file looks like a scenario (else it is checked as a plan)."""
    try:
        data, _lines, _text = parse_yaml(read_text(path), path)
    except ModelFileError:
        return False
    return isinstance(data, dict) and ("demand" in data or "horizon" in data)


def check_scenario(path: Path, plans: list[tuple[Path, Plan]]) -> dict[str, Any]:
    """Validate a scenario and cross-check it against each plan."""
    try:
        scenario = load_scenario(path)
    except ModelFileError as exc:
        return {
            "file": str(path),
            "kind": "scenario",
            "valid": False,
            "issues": [i.to_dict() for i in exc.issues],
            "error_text": exc.lines(),
        }
    if not plans:
        plans = [_scenario_plan(scenario)]
    fits = []
    for plan_path, plan in plans:
        issues = check_against_plan(plan, scenario)
        fits.append(
            {
                "plan": plan.meta.id,
                "plan_file": str(plan_path),
                "issues": [i.to_dict() for i in issues],
                "error_text": ModelFileError(path, issues).lines(),
                "warnings": [] if issues else seat_warnings(plan, scenario),
            }
        )
    ok = all(not f["issues"] for f in fits)
    return {
        "file": str(path),
        "kind": "scenario",
        "valid": ok,
        "scenario": _scenario_summary(scenario),
        "fits": fits,
    }


def _scenario_plan(scenario: Scenario) -> tuple[Path, Plan]:
    bundled = bundled_plans()
    path = bundled.get(scenario.meta.plan or "", default_plan_path())
    plan = load_plan(path)
    adopt_plan_language(plan)
    return path, plan


def _scenario_summary(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.meta.id,
        "name": scenario.meta.name,
        "_name": local_text(scenario.meta.name, fallback=scenario.meta.id),
        "start": scenario.start.isoformat(),
        "horizon_minutes": scenario.horizon,
        "events": [
            _("{kind} '{id}' at {start}").format(kind=e.kind, id=e.id, start=human_minutes(e.start))
            for e in scenario.events
        ],
        "injects": len(scenario.injects),
        "objectives": [o.id for o in scenario.objectives],
    }


def check_file(path: Path, today: dt.date) -> dict[str, Any]:
    """Validate one file and analyse it; a plain result for text or JSON output."""
    try:
        plan = load_plan(path)
    except ModelFileError as exc:
        return {
            "file": str(path),
            "valid": False,
            "issues": [i.to_dict() for i in exc.issues],
            "error_text": exc.lines(),
        }
    adopt_plan_language(plan)
    findings = readiness_findings(plan, today)
    paths = activation_paths(plan)
    return {
        "file": str(path),
        "valid": True,
        "kind": "plan",
        "plan": _plan_summary(plan),
        "summary": {sev: sum(f.severity == sev for f in findings) for sev in SEVERITY_TITLES},
        "findings": [f.to_dict() for f in findings],
        "activation_paths": [_path_dict(p) for p in paths],
        "rto": plan.targets.rto,
        "_findings": findings,
        "_paths": paths,
        "_plan": plan,
    }


def _plan_summary(plan: Plan) -> dict[str, Any]:
    agents = sum(g.agents for g in plan.staffing)
    return {
        "id": plan.meta.id,
        "name": plan.meta.name,
        "_name": plan_name(plan),
        "version": plan.meta.version,
        "roles": len(plan.roles),
        "people": len(plan.people),
        "sites": len(plan.sites),
        "systems": len(plan.systems),
        "channels": len(plan.channels),
        "agents": agents,
    }


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _path_dict(p: ActivationPath) -> dict[str, Any]:
    return {
        "event_class": p.event_class,
        "level": p.level,
        "backup": p.backup,
        "best_minutes": _num(p.best),
        "planned_minutes": _num(p.planned),
        "with_retry_minutes": _num(p.with_retry),
        "best_moment": p.best_moment,
        "worst_moment": p.worst_moment,
    }


def _invalid(result: dict[str, Any]) -> list[str]:
    return [
        _("{file}: INVALID, {n} problem(s) to fix:").format(
            file=result["file"], n=len(result["issues"])
        )
    ] + [f"  {x}" for x in result["error_text"]]


def render_scenario(result: dict[str, Any]) -> str:
    """Readable report of one scenario's check."""
    if "fits" not in result:
        return "\n".join(_invalid(result))
    sc = result["scenario"]
    lines = [
        _("{file}: scenario '{id}': {name}").format(
            file=result["file"], id=sc["id"], name=sc["_name"]
        ),
        _("  starts {start}, runs {horizon}; {injects} inject(s); objectives: {objectives}").format(
            start=sc["start"],
            horizon=human_minutes(sc["horizon_minutes"]),
            injects=sc["injects"],
            objectives=", ".join(sc["objectives"]) or _("none"),
        ),
    ]
    lines += [_("  event: {event}").format(event=e) for e in sc["events"]]
    for fit in result["fits"]:
        if fit["issues"]:
            lines.append(
                _("  does NOT fit plan '{plan}' ({n} problem(s)):").format(
                    plan=fit["plan"], n=len(fit["issues"])
                )
            )
            lines += [f"    {x}" for x in fit["error_text"]]
        else:
            lines.append(_("  fits plan '{plan}'").format(plan=fit["plan"]))
        lines += [_("    warning: {message}").format(message=w) for w in fit.get("warnings", [])]
    return "\n".join(lines)


PATH_HEADERS = (
    N_("event class"),
    N_("lvl"),
    N_("backup"),
    N_("best"),
    N_("planned"),
    N_("1 retry"),
    N_("slowest at"),
)


def render_paths(result: dict[str, Any]) -> list[str]:
    """The activation paths table: event class and backup by name, times against the RTO."""
    paths: list[ActivationPath] = result["_paths"]
    if not paths:
        return []
    plan = result["_plan"]
    head = [_(h) for h in PATH_HEADERS]
    classes = {p.event_class: name_of(plan, p.event_class) for p in paths}
    backups = {p.backup: name_of(plan, p.backup) for p in paths}
    cw = max(20, *(width(x) for x in classes.values()))
    bw = max(24, *(width(x) for x in backups.values()))
    times = [
        (human_minutes(p.best), human_minutes(p.planned), human_minutes(p.with_retry))
        for p in paths
    ]
    tw = [
        max(least, width(head[3 + i]), *(width(t[i]) for t in times))
        for i, least in enumerate((7, 8, 8))
    ]
    lw = max(3, width(head[1]))
    lines = [
        _("\nACTIVATION PATHS: discovery until backup active (RTO {rto})").format(
            rto=human_minutes(result["rto"])
        ),
        f"  {ljust(head[0], cw)} {rjust(head[1], lw)}  {ljust(head[2], bw)} "
        + " ".join(rjust(head[3 + i], tw[i]) for i in range(3))
        + f"  {head[6]}",
    ]
    for p, t in zip(paths, times, strict=True):
        flag = "  > RTO" if p.planned > result["rto"] else ""
        lines.append(
            f"  {ljust(classes[p.event_class], cw)} {rjust(str(p.level), lw)}  "
            f"{ljust(backups[p.backup], bw)} "
            + " ".join(rjust(t[i], tw[i]) for i in range(3))
            + f"  {p.worst_moment}{flag}"
        )
    return lines


def render_text(result: dict[str, Any]) -> str:
    """Readable report of one file's check, findings grouped by severity."""
    if result.get("kind") == "scenario":
        return render_scenario(result)
    if not result["valid"]:
        return "\n".join(_invalid(result))
    plan, summary = result["plan"], result["summary"]
    lines = [
        _("{file}: plan '{id}' version {version}: {name}").format(
            file=result["file"], id=plan["id"], version=plan["version"], name=plan["_name"]
        ),
        _(
            "  valid: {roles} roles, {people} people, {sites} sites, "
            "{systems} systems, {channels} channels, {agents} agents"
        ).format(
            **{k: plan[k] for k in ("roles", "people", "sites", "systems", "channels", "agents")}
        ),
        _("  readiness: {error} error(s), {warning} warning(s), {info} note(s)").format(**summary),
    ]
    findings: list[Finding] = result["_findings"]
    for severity, title in SEVERITY_TITLES.items():
        group = [f for f in findings if f.severity == severity]
        if group:
            lines.append(f"\n{_(title)} ({len(group)})")
            lines += [f"  - {f.message} [{f.code}]" for f in group]
    lines += render_paths(result)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Check every file; print text or JSON; return the exit status."""
    today = args.today or dt.date.today()
    files = [_bundled_or_path(f) for f in args.files] or [default_plan_path()]
    kinds = {f: is_scenario_file(f) for f in files}
    results = {f: check_file(f, today) for f in files if not kinds[f]}
    plans = [(f, r["_plan"]) for f, r in results.items() if r["valid"]]  # loaded once
    if args.plan is not None:
        try:
            plan_path = (
                Path(args.plan)
                if Path(args.plan).exists()
                else bundled_plans().get(args.plan, Path(args.plan))
            )
            plans = [(plan_path, load_plan(plan_path))]
            adopt_plan_language(plans[0][1])
        except ModelFileError as exc:
            print(
                _("drillsim: --plan is not a valid plan:")
                + "\n"
                + "\n".join(f"  {x}" for x in exc.lines()),
                file=sys.stderr,
            )
            return 2
    results.update({f: check_scenario(f, plans) for f in files if kinds[f]})
    ordered = [results[f] for f in files]
    return _report(ordered, args)


def _bundled_or_path(arg: str) -> Path:
    """A file path, or the file of a bundled plan or scenario of that name."""
    path = Path(arg)
    if path.exists():
        return path
    return bundled_plans().get(arg) or bundled_scenarios().get(arg) or path


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip(v) for k, v in value.items() if not k.startswith("_") and k != "error_text"
        }
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _report(results: list[dict[str, Any]], args: argparse.Namespace) -> int:
    if args.json:
        public = [_strip(r) for r in results]
        print(json.dumps(public if len(public) > 1 else public[0], indent=2, default=str))
    else:
        print("\n\n".join(render_text(r) for r in results))
    if any(not r["valid"] for r in results):
        if not args.json:
            print(
                "\n" + _("drillsim: some files are invalid; fix the problems above."),
                file=sys.stderr,
            )
        return 2
    if args.strict and any(r.get("summary", {}).get("error") for r in results):
        return 1
    return 0
