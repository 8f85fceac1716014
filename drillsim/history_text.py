"""What ``drillsim history`` prints about the file it read: kind, encoding, rows, period.

Why apart from the command: the console shows the same lines above its fit report, and
the words (rows used and dropped, the period in the plan's zone) must read the same.
"""

from __future__ import annotations

import datetime as dt

from history.errors import problem_line
from history.export_file import ExportFormat
from history.records import MAX_SHOWN, History
from i18n import _, format_count, format_datetime, format_percent, ngettext


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
