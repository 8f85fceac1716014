"""What ``drillsim history`` prints about the file it read: kind, encoding, rows, period.

Why apart from the command: the console shows the same lines above its fit report, and
the words (rows used and dropped, the period in the plan's zone) must read the same.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from history.errors import problem_line
from history.export_file import ExportFormat
from history.records import MAX_SHOWN, History
from i18n import N_, _, format_count, format_datetime, format_percent, ngettext

if TYPE_CHECKING:  # the back-test runs the simulation: imported only by the command using it
    from history.backtest import Backtest


def _when(ts: float, zone: str) -> str:
    return format_datetime(dt.datetime.fromtimestamp(ts, dt.UTC), tz=zone)


def read_lines(history: History, fmt: ExportFormat) -> list[str]:
    """The read's summary: what the file is, how many rows were used, the period, problems."""
    prov = history.provenance
    days = max(1, round((prov.last - prov.first) / 86400.0))
    kind = _("contact records") if prov.kind == "contacts" else _("interval records")
    out = [
        _("Read {file}: {kind}, {encoding}{bom}, {delimiter}-separated.").format(
            file=prov.path,
            kind=kind,
            encoding=fmt.encoding.upper(),
            bom=_(" with BOM") if fmt.bom else "",
            delimiter=fmt.delimiter_name,
        ),
        _("Rows: {read} read, {used} used, {dropped} dropped ({share}).").format(
            read=format_count(prov.rows_read),
            used=format_count(prov.rows_used),
            dropped=format_count(prov.rows_dropped),
            share=format_percent(prov.rows_dropped / prov.rows_read if prov.rows_read else 0.0),
        ),
        ngettext(
            "Period: {first} to {last} ({zone}), {days} day.",
            "Period: {first} to {last} ({zone}), {days} days.",
            days,
        ).format(
            first=_when(prov.first, prov.time_zone),
            last=_when(prov.last, prov.time_zone),
            zone=prov.time_zone,
            days=format_count(days),
        ),
    ]
    out.extend(problem_lines(history))
    return out


def problem_lines(history: History) -> list[str]:
    """The problems found in rows that were used or dropped (the first ones by name)."""
    n = history.problem_count
    if not n:
        return []
    head = ngettext(
        "{n} problem found (rows with one are dropped unless it says kept):",
        "{n} problems found (rows with one are dropped unless it says kept):",
        n,
    ).format(n=format_count(n))
    lines = [head]
    lines += ["  " + problem_line(history.provenance.path, p) for p in history.problems]
    if n > len(history.problems):
        lines.append(
            "  "
            + _("... {n} more not shown (the first {shown} are)").format(
                n=format_count(n - len(history.problems)), shown=MAX_SHOWN
            )
        )
    return lines


FIGURE_NAMES = {
    "service_level": N_("service level"),
    "asa": N_("ASA"),
    "abandonment": N_("abandonment"),
}


def _figure_value(figure: str, value: float, difference: bool = False) -> str:
    """A figure as a person reads it: ASA in seconds; a share as a percentage, and a
    difference of shares (bias, error) in percentage points."""
    if value != value:
        return "-"
    if figure == "asa":
        return _("{value} s").format(value=f"{value:+.1f}" if difference else f"{value:.1f}")
    if not difference:
        return format_percent(value)
    return _("{value} points").format(value=f"{100 * value:+.1f}")


def backtest_lines(result: Backtest) -> list[str]:
    """Bias and mean absolute error per channel and figure, then the back-test's notes."""
    staffing = (
        _("the agents the file records")
        if result.agents_from_file
        else _("the scenario's staffing")
    )
    out = [
        ngettext(
            "Back-test: {days} day simulated with {staffing}, {n} replications, seed {seed}.",
            "Back-test: {days} days simulated with {staffing}, {n} replications, seed {seed}.",
            len(result.days),
        ).format(days=len(result.days), staffing=staffing, n=result.replications, seed=result.seed)
    ]
    for s in result.summary:
        out.append(
            "  "
            + _(
                "{channel} {figure}: observed {observed}, simulated {simulated}; "
                "bias {bias}, mean absolute error {mae} over {n} intervals"
            ).format(
                channel=s.channel,
                figure=_(FIGURE_NAMES.get(s.figure, s.figure)),
                observed=_figure_value(s.figure, s.observed_mean),
                simulated=_figure_value(s.figure, s.simulated_mean),
                bias=_figure_value(s.figure, s.bias, difference=True),
                mae=_figure_value(s.figure, s.mae, difference=True).lstrip("+"),
                n=s.intervals,
            )
        )
    out.extend("  " + note for note in result.notes)
    return out
