"""``drillsim history fit|backtest``: a scenario from the centre's own history, and its test.

``fit`` reads a contact-record or interval-record export (:mod:`history.reader`), fits
demand, handle time and patience (:mod:`history.fit`) and writes a scenario YAML with
its provenance (``--out``) and a fit report (``--report``). ``backtest`` replays the
historical days through the simulation and compares them with what was recorded.
Exit status: 0 done; 2 bad input: a file refused, a mapping or plan with errors, or more
bad rows than allowed (each problem named by line, column and reason, nothing written).
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drillsim.history_text import backtest_lines, read_lines
from drillsim.inputs import (
    BadInput,
    check_outputs,
    positive_int,
    report_bad_input,
    resolve_plan,
    resolve_scenario,
    seed_int,
)
from drillsim.lang import SubParsers
from history.errors import HistoryError
from history.export_file import ExportFormat, scenario_id_for, sniff
from history.mapping import ColumnMapping, load_mapping
from history.reader import read_history
from history.records import History
from i18n import _
from plans import ModelFileError, Plan
from plans.files import FileRefused, write_atomic

if TYPE_CHECKING:
    from history.backtest import Backtest

REPORT_FORMATS = {".md": "md", ".html": "html", ".htm": "html"}
DEFAULT_SEED = 20260301
DEFAULT_REPLICATIONS = 20


def share(text: str) -> float:
    """argparse type: a share of rows, 0 to 1 ('0.05') or a percentage ('5%')."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a share").format(text=text)) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            _("a share must be between 0 and 1 (or 0% and 100%), got {text}").format(text=text)
        )
    return value


def _reading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.csv", help=_("the history export (CSV)"))
    p.add_argument(
        "--mapping",
        metavar="MAP.yaml",
        help=_("a mapping of the file's column names and values to drillsim's"),
    )
    p.add_argument(
        "--plan",
        help=_(
            "plan file or bundled plan name: its channels and time zone "
            "(default: the bundled default plan)"
        ),
    )
    p.add_argument(
        "--max-bad",
        type=share,
        default=0.05,
        metavar="SHARE",
        help=_("largest share of rows that may be dropped before nothing is fitted (default 5%%)"),
    )


def add_parser(sub: Any) -> None:
    """Register ``history`` and its two commands."""
    group = sub.add_parser(
        "history",
        help=_("fit a scenario from the centre's own history, and back-test it"),
        description=_(
            "Read an ACD or ticket-system export (contact or interval records), fit demand, "
            "handle time and patience, and back-test the scenario against the recorded days."
        ),
    )
    action = group.add_subparsers(dest="history_command", metavar="ACTION")
    action.required = True
    cmds = SubParsers(action)
    fit = cmds.add_parser(
        "fit",
        help=_("fit a scenario from a history export"),
        description=_(
            "Fit arrival rates, handle times and patience from a history export and write "
            "a scenario YAML and a fit report."
        ),
    )
    _reading_options(fit)
    fit.add_argument("--out", type=Path, metavar="SCENARIO.yaml", help=_("write the scenario here"))
    fit.add_argument(
        "--report", type=Path, metavar="FILE.md|html", help=_("write the fit report here")
    )
    fit.add_argument(
        "--interval",
        type=int,
        choices=(30, 60),
        default=30,
        help=_("minutes of an interval of the arrival profile (default %(default)s)"),
    )
    fit.add_argument(
        "--id",
        dest="scenario_id",
        default=None,
        help=_("the scenario's id (default: from the file name)"),
    )
    fit.set_defaults(handler=fit_command)
    back = cmds.add_parser(
        "backtest",
        help=_("simulate the historical days and compare with what was recorded"),
        description=_(
            "Simulate each interval of the history with the scenario and compare the simulated "
            "and observed service level, ASA and abandonment: bias and mean absolute error "
            "per channel."
        ),
    )
    _reading_options(back)
    back.add_argument("scenario", metavar="SCENARIO.yaml", help=_("the scenario to test"))
    back.add_argument(
        "--agents-from-file",
        action="store_true",
        help=_("staff each interval as the file records (its agents column), not as the scenario"),
    )
    back.add_argument(
        "--seed", type=seed_int, default=DEFAULT_SEED, help=_("seed (default %(default)s)")
    )
    back.add_argument(
        "-n",
        "--replications",
        type=positive_int,
        default=DEFAULT_REPLICATIONS,
        help=_("replications (default %(default)s)"),
    )
    back.add_argument(
        "--csv", type=Path, metavar="OUT", help=_("write the rows compared (CSV) here")
    )
    back.add_argument("--chart", type=Path, metavar="OUT.png", help=_("write the chart (PNG) here"))
    back.set_defaults(handler=backtest_command)


def _mapping(arg: str | None) -> ColumnMapping | None:
    if arg is None:
        return None
    try:
        return load_mapping(arg)
    except ModelFileError as exc:
        raise BadInput(
            [_("invalid mapping, {n} problem(s) to fix:").format(n=len(exc.issues)), *exc.lines()]
        ) from None


def read_for_command(args: argparse.Namespace, plan: Plan) -> tuple[History, ExportFormat]:
    """The history the arguments name, read against the plan; BadInput naming each problem."""
    mapping = _mapping(args.mapping)
    try:
        fmt = sniff(args.file)
        history = read_history(
            args.file,
            mapping=mapping,
            time_zone=plan.meta.timezone,
            max_bad_share=args.max_bad,
            channels=[c.id for c in plan.channels],
        )
    except FileRefused as exc:
        raise BadInput([f"{args.file}: {exc.reason}"]) from None
    except HistoryError as exc:
        raise BadInput(exc.lines()) from None
    return history, fmt


def _report_format(path: Path | None) -> str | None:
    if path is None:
        return None
    fmt = REPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput(
            [
                _("--report {path}: give a file ending in .md or .html").format(path=path),
            ]
        )
    return fmt


def fit_command(args: argparse.Namespace) -> int:
    """``drillsim history fit``."""
    try:
        plan, _path = resolve_plan(args.plan)
        fmt_report = _report_format(args.report)
        check_outputs(out=args.out, report=args.report)
        history, fmt = read_for_command(args, plan)
    except BadInput as exc:
        return report_bad_input(exc)
    print("\n".join(read_lines(history, fmt)))
    from history.fit import fit_history  # not for people: scipy loads only once the file is good
    from history.scenario_out import header_lines, scenario_yaml
    from reports.history_report import render_fit_report

    fit = fit_history(history, plan, interval_minutes=args.interval)
    scenario_id = args.scenario_id or scenario_id_for(args.file)
    text = scenario_yaml(fit, plan, scenario_id=scenario_id)
    print(_("Fit:"))
    print("\n".join("  " + line for line in header_lines(fit)[1:]))
    if args.out is not None:
        write_atomic(args.out, text.encode("utf-8"))
        print(_("Scenario written to {path}.").format(path=args.out))
    else:
        print(_("Give --out SCENARIO.yaml to write the scenario."))
    if args.report is not None and fmt_report is not None:
        body = render_fit_report(fit, fmt_report)
        write_atomic(args.report, body if isinstance(body, bytes) else body.encode("utf-8"))
        print(_("Fit report written to {path}.").format(path=args.report))
    return 0


def backtest_command(args: argparse.Namespace) -> int:
    """``drillsim history backtest``."""
    try:
        plan, _path = resolve_plan(args.plan)
        check_outputs(csv=args.csv, chart=args.chart)
        scenario, _spath = resolve_scenario(args.scenario, plan)
        history, fmt = read_for_command(args, plan)
    except BadInput as exc:
        return report_bad_input(exc)
    print("\n".join(read_lines(history, fmt)))
    from history.backtest import (
        run_backtest,
    )  # not for people: scipy loads only once the file is good
    from reports.history_report import backtest_figure

    result = run_backtest(
        history,
        scenario,
        plan,
        agents_from_file=args.agents_from_file,
        seed=args.seed,
        replications=args.replications,
    )
    print("\n".join(backtest_lines(result)))
    if args.csv is not None:
        write_atomic(args.csv, backtest_csv(result))
        print(_("Rows compared written to {path}.").format(path=args.csv))
    if args.chart is not None:
        figure = backtest_figure(result)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=120)
        write_atomic(args.chart, buffer.getvalue())
        print(_("Chart written to {path}.").format(path=args.chart))
    return 0


def backtest_csv(result: Backtest) -> bytes:
    """The rows compared as CSV bytes (written whole by the caller, atomically)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "backtest.csv"
        result.to_csv(path)
        return path.read_bytes()
