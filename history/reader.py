"""Read a contact-record or interval-record export into columns, in one streaming pass.

Why one pass over lines and not pandas or ``f.read()``: a year of a large centre is
millions of rows; the file is read a megabyte at a time, each line decoded and checked
as it comes, so memory grows with the rows kept (their columns), not with the file's
text. Every problem names its line, column and reason; the first
:data:`history.records.MAX_SHOWN` are kept and all are counted. Rows out of order are
kept (and sorted); rows duplicated, in the future or with a bad field are dropped, and
when more than ``max_bad_share`` of the rows are dropped nothing is returned:
:class:`history.errors.HistoryError`.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Collection, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from history.columns import COLUMNS, TIME_COLUMN, kind_of, missing
from history.errors import HistoryError
from history.export_file import (
    BOM,
    MAX_HISTORY_BYTES,
    SNIFF_BYTES,
    ExportFormat,
    open_export,
    sniff,
)
from history.history_build import build_contacts, build_intervals
from history.mapping import ColumnMapping
from history.records import MAX_SHOWN, History, HistoryKind, RowProblem
from history.row_builders import ContactRows, IntervalRows, Layout, channels_of
from history.row_checks import Clock
from i18n import _, format_count, format_percent


class _Problems:
    """The first problems by name, all of them counted."""

    def __init__(self) -> None:
        self.shown: list[RowProblem] = []
        self.count = 0

    def add(self, line: int, column: str, reason: str) -> None:
        self.count += 1
        if len(self.shown) < MAX_SHOWN:
            self.shown.append(RowProblem(line, column, reason))


class _Lines:
    """The file's lines decoded, with the sha256 of its bytes and the lines that failed."""

    def __init__(self, f, path: Path, fmt: ExportFormat, max_bytes: int) -> None:
        self.f, self.path, self.fmt, self.max_bytes = f, path, fmt, max_bytes
        self.sha = hashlib.sha256()
        self.size = 0
        self.bad: list[int] = []  # physical lines that did not decode
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        encoding = self.fmt.encoding
        for raw in self.f:
            self.sha.update(raw)
            self.size += len(raw)
            if self.size > self.max_bytes:
                raise HistoryError(
                    self.path,
                    _("grew past the limit of {limit} bytes while read").format(
                        limit=format_count(self.max_bytes)
                    ),
                )
            self.number += 1
            if self.number == 1 and self.fmt.bom:
                raw = raw[len(BOM) :]
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                self.bad.append(self.number)
                yield raw.decode(encoding, errors="replace")


def read_history(
    path: str | Path,
    *,
    mapping: ColumnMapping | None = None,
    time_zone: str,
    now: float | None = None,
    max_bad_share: float = 0.05,
    channels: Collection[str] | None = None,
    max_bytes: int = MAX_HISTORY_BYTES,
) -> History:
    """The rows of a history export as columns; :class:`HistoryError` if it cannot be used.

    Args:
        path: the CSV export (contact or interval records, told from its header).
        mapping: renames the file's columns and values (:mod:`history.mapping`).
        time_zone: the plan's IANA zone; times without a UTC offset are read in it.
        now: epoch seconds after which a row is in the future (default: the clock).
        max_bad_share: largest share of rows that may be dropped (default 5%).
        channels: the plan's channel ids; a row of any other channel is a problem.
        max_bytes: the largest file read (default 2 GiB).
    """
    p = Path(path)
    mapping = mapping or ColumnMapping()
    now = time.time() if now is None else now
    with open_export(p, max_bytes) as f:
        fmt = sniff(p, f.peek(SNIFF_BYTES)[:SNIFF_BYTES])
        lines = _Lines(f, p, fmt, max_bytes)
        return _read(p, lines, fmt, mapping, ZoneInfo(time_zone), now, max_bad_share, channels)


def _header(path: Path, rows: Iterator[list[str]], fmt: ExportFormat, mapping: ColumnMapping):
    try:
        raw = next(rows)
    except StopIteration:
        raise HistoryError(path, _("file is empty")) from None
    except csv.Error as exc:
        raise HistoryError(
            path, _("line 1: the header cannot be read: {error}").format(error=exc)
        ) from None
    header = [h.strip() for h in raw]
    names = mapping.rename(header)
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        raise HistoryError(
            path,
            _("line 1: column '{name}' appears twice in the header").format(name=", ".join(twice)),
        )
    kind = kind_of(set(names))
    if kind is None:
        raise HistoryError(path, _no_kind(header, names, fmt))
    absent = [m for m in missing(kind, set(names)) if m not in mapping.defaults]
    if absent:
        raise HistoryError(
            path,
            _("line 1: missing column(s) {names} for {kind}; the header has {header}").format(
                names=", ".join(absent), kind=_kind_name(kind), header=", ".join(header)
            ),
        )
    return raw, header, names, kind


def _kind_name(kind: HistoryKind) -> str:
    return _("contact records") if kind == "contacts" else _("interval records")


def _no_kind(header: list[str], names: list[str], fmt: ExportFormat) -> str:
    if len(header) == 1:
        return _(
            "line 1: the header has one column ('{header}'): drillsim reads comma-, "
            "semicolon- or tab-separated files with a header of column names"
        ).format(header=header[0][:80])
    if all(t in names for t in TIME_COLUMN.values()):
        return _("line 1: the header has both arrived_at and interval_start: use one kind a file")
    return _(
        "line 1: no arrived_at (contact records) or interval_start (interval records) "
        "column; the header has {header} (map the file's names with --mapping)"
    ).format(header=", ".join(header))


def _read(path, lines, fmt, mapping, zone, now, max_bad_share, channels) -> History:
    rows = csv.reader(lines, delimiter=fmt.delimiter)
    raw_header, header, names, kind = _header(path, rows, fmt, mapping)
    layout = Layout(
        index={n: i for i, n in enumerate(names) if n in {c.name for c in COLUMNS[kind]}},
        file_name=dict(zip(names, header, strict=True)),
        mapping=mapping,
        channels=channels_of(channels),
        decimal_comma=fmt.delimiter != ",",
        clock=Clock(zone),
        now=now,
    )
    builder = ContactRows(layout) if kind == "contacts" else IntervalRows(layout)
    problems = _Problems()
    width, data_rows, end = len(header), 0, 1
    raw_stripped = [h.strip() for h in raw_header]
    while True:
        start = end + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            end = rows.line_num
            data_rows += 1
            problems.add(start, "", _("cannot be read as CSV: {error}").format(error=exc))
            continue
        end = rows.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if lines.bad and lines.bad[0] <= end:
            while lines.bad and lines.bad[0] <= end:
                lines.bad.pop(0)
            data_rows += 1
            problems.add(start, "", _("is not valid {encoding} text").format(encoding=fmt.encoding))
            continue
        row = [v.strip() for v in row]
        if row == raw_stripped:
            problems.add(start, "", _("the header again (two exports joined?); skipped"))
            continue
        data_rows += 1
        if len(row) != width:
            problems.add(
                start,
                "",
                _("has {n} fields; the header has {width}").format(n=len(row), width=width),
            )
            continue
        for column, reason in builder.add(row, start):
            problems.add(start, column, reason)
    sha = lines.sha.hexdigest()
    history: History = (
        build_contacts(builder, path, sha, data_rows, problems, zone.key)
        if isinstance(builder, ContactRows)
        else build_intervals(builder, path, sha, data_rows, problems, zone.key)
    )
    dropped = history.provenance.rows_dropped
    if data_rows == 0:
        raise HistoryError(path, _("has a header but no rows"), problems.shown, problems.count)
    if history.provenance.rows_used == 0 or dropped > max_bad_share * data_rows:
        raise HistoryError(
            path,
            _(
                "{dropped} of {rows} rows ({share}) cannot be used, more than the {limit} "
                "allowed: nothing is fitted; fix the rows below or map the file's columns "
                "and values"
            ).format(
                dropped=format_count(dropped),
                rows=format_count(data_rows),
                share=format_percent(dropped / data_rows),
                limit=format_percent(max_bad_share),
            ),
            history.problems,
            history.problem_count,
        )
    return history
