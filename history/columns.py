"""The columns a history export has by default, for each kind, and how the kind is told.

Why written down in one place: the reader checks a header against it, the mapping checks
its targets against it, and README's table of default columns is this table. A column is
required unless listed as optional; a mapping may rename any of them and give a missing
text column one value for every row (``defaults:``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from history.records import HistoryKind

ColumnType = Literal["time", "text", "seconds", "count", "minutes", "number", "outcome"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a history export: its name, what it holds, whether it must be there."""

    name: str
    type: ColumnType
    required: bool = True


CONTACT_COLUMNS: tuple[Column, ...] = (
    Column("arrived_at", "time"),
    Column("channel", "text"),
    Column("request_type", "text"),
    Column("class", "text"),
    Column("waited_s", "seconds"),
    Column("handled_s", "seconds"),
    Column("outcome", "outcome"),
    Column("customer_id", "text", required=False),
)
"""Contact records: one row a contact (call, chat, counter visit, ticket)."""

INTERVAL_COLUMNS: tuple[Column, ...] = (
    Column("interval_start", "time"),
    Column("interval_minutes", "minutes"),
    Column("channel", "text"),
    Column("offered", "count"),
    Column("answered", "count"),
    Column("abandoned", "count"),
    Column("aht_s", "seconds"),
    Column("asa_s", "seconds"),
    Column("answered_within_threshold", "count", required=False),
    Column("agents", "number", required=False),
)
"""Interval records: one row a channel and 15, 30 or 60-minute interval."""

COLUMNS: dict[HistoryKind, tuple[Column, ...]] = {
    "contacts": CONTACT_COLUMNS,
    "intervals": INTERVAL_COLUMNS,
}
TIME_COLUMN: dict[HistoryKind, str] = {"contacts": "arrived_at", "intervals": "interval_start"}
"""The column whose presence tells the kind of a file."""
ALL_NAMES: frozenset[str] = frozenset(c.name for cols in COLUMNS.values() for c in cols)
INTERVAL_LENGTHS = (15, 30, 60)
"""Interval lengths a workforce-management export uses, in minutes."""


def kind_of(header: set[str]) -> HistoryKind | None:
    """The kind a header (after mapping) is of; None when it names neither or both time columns."""
    found = [kind for kind, column in TIME_COLUMN.items() if column in header]
    return found[0] if len(found) == 1 else None


def missing(kind: HistoryKind, header: set[str]) -> list[str]:
    """The required columns of ``kind`` that the header lacks, in the table's order."""
    return [c.name for c in COLUMNS[kind] if c.required and c.name not in header]
