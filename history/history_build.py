"""The rows kept by the reader turned into a History: duplicates dropped, order checked.

Why after the pass: a duplicated contact row is found by sorting one 8-byte hash a row
(a million rows cost 8 MB, not a set of a million tuples), and rows out of order are
found per channel with a running maximum; both are whole-column numpy work.
Out of order is a note, not a fault: the rows are kept and sorted by time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from history.records import ContactHistory, IntervalHistory, Provenance, RowProblem
from history.row_builders import ContactRows, IntervalRows
from i18n import _


class Problems(Protocol):
    """The reader's tally of problems."""

    shown: list[RowProblem]
    count: int

    def add(self, line: int, column: str, reason: str) -> None:
        """Count one problem, keep it if few are kept yet."""


def _texts(values: list[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _duplicates(keys: np.ndarray, lines: np.ndarray, problems: Problems) -> np.ndarray:
    """Mask of rows equal to an earlier row (same hash of every field); each reported."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    same = np.zeros(len(keys), dtype=bool)
    if len(keys) > 1:
        repeat = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
        # the first of each run of equal keys, for the message
        starts = np.maximum.accumulate(
            np.where(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]], np.arange(len(keys)), 0)
        )
        for j in repeat:
            row, first = order[j], order[starts[j]]
            same[row] = True
            problems.add(
                int(lines[row]),
                "",
                _("the same as line {line} (a duplicated row); dropped").format(
                    line=int(lines[first])
                ),
            )
    return same


def _out_of_order(
    times: np.ndarray, channel: np.ndarray, lines: np.ndarray, column: str, problems: Problems
) -> None:
    """Report rows earlier than a row above them in the same channel (they are kept)."""
    for name in np.unique(channel):
        where = np.flatnonzero(channel == name)
        t = times[where]
        if len(t) < 2:
            continue
        late = np.flatnonzero(t[1:] < np.maximum.accumulate(t)[:-1]) + 1
        for k in late:
            problems.add(
                int(lines[where[k]]),
                column,
                _("out of order: earlier than a row above it for channel {channel} (kept)").format(
                    channel=name
                ),
            )


def _provenance(
    path: Path, sha: str, kind: str, rows_read: int, used: int, first: float, last: float, zone: str
) -> Provenance:
    return Provenance(
        path=str(path),
        sha256=sha,
        kind=kind,  # type: ignore[arg-type]
        rows_read=rows_read,
        rows_used=used,
        rows_dropped=rows_read - used,
        first=first,
        last=last,
        time_zone=zone,
    )


def _shown(problems: Problems) -> tuple[RowProblem, ...]:
    return tuple(sorted(problems.shown, key=lambda p: p.line))


def build_contacts(
    rows: ContactRows, path: Path, sha: str, rows_read: int, problems: Problems, zone: str
) -> ContactHistory:
    """The kept contact rows, without duplicates, sorted by arrival."""
    lines = np.frombuffer(rows.lines, dtype=np.int64)
    arrived = np.frombuffer(rows.arrived_at, dtype=np.float64)
    channel = _texts(rows.channel.values)
    dup = _duplicates(np.frombuffer(rows.keys, dtype=np.int64), lines, problems)
    keep = ~dup
    _out_of_order(
        arrived[keep], channel[keep], lines[keep], rows.layout.file_name["arrived_at"], problems
    )
    order = np.flatnonzero(keep)[np.argsort(arrived[keep], kind="stable")]
    used = len(order)
    return ContactHistory(
        arrived_at=arrived[order],
        utc_offset_s=np.frombuffer(rows.offset, dtype=np.float64)[order],
        channel=channel[order],
        request_type=_texts(rows.request_type.values)[order],
        service_class=_texts(rows.service_class.values)[order],
        waited_s=np.frombuffer(rows.waited_s, dtype=np.float64)[order],
        handled_s=np.frombuffer(rows.handled_s, dtype=np.float64)[order],
        outcome=_texts(rows.outcome.values)[order],
        customer_id=None if rows.customer_id is None else _texts(rows.customer_id)[order],
        provenance=_provenance(
            path,
            sha,
            "contacts",
            rows_read,
            used,
            float(arrived[order[0]]) if used else 0.0,
            float(arrived[order[-1]]) if used else 0.0,
            zone,
        ),
        problems=_shown(problems),
        problem_count=problems.count,
    )


def build_intervals(
    rows: IntervalRows, path: Path, sha: str, rows_read: int, problems: Problems, zone: str
) -> IntervalHistory:
    """The kept interval rows (a second row for an interval was dropped as read), sorted."""
    lines = np.frombuffer(rows.lines, dtype=np.int64)
    start = np.frombuffer(rows.interval_start, dtype=np.float64)
    channel = _texts(rows.channel.values)
    _out_of_order(start, channel, lines, rows.layout.file_name["interval_start"], problems)
    order = np.argsort(start, kind="stable")
    minutes = np.frombuffer(rows.interval_minutes, dtype=np.int64)
    used = len(order)

    def ints(a) -> np.ndarray:
        return np.frombuffer(a, dtype=np.int64)[order]

    def floats(a) -> np.ndarray:
        return np.frombuffer(a, dtype=np.float64)[order]

    return IntervalHistory(
        interval_start=start[order],
        utc_offset_s=floats(rows.offset),
        interval_minutes=minutes[order],
        channel=channel[order],
        offered=ints(rows.offered),
        answered=ints(rows.answered),
        abandoned=ints(rows.abandoned),
        aht_s=floats(rows.aht_s),
        asa_s=floats(rows.asa_s),
        answered_within_threshold=None if rows.within is None else ints(rows.within),
        agents=None if rows.agents is None else floats(rows.agents),
        provenance=_provenance(
            path,
            sha,
            "intervals",
            rows_read,
            used,
            float(start.min()) if used else 0.0,
            float((start + 60.0 * minutes).max()) if used else 0.0,
            zone,
        ),
        problems=_shown(problems),
        problem_count=problems.count,
    )
