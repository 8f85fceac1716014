"""A drill's records written out as CSV or JSON files, one file per kind of record.

Deleted findings are exported too (with who deleted them and when): the export is the
record, the report is what stands.

Why files of plain rows: an exercise's records go to the people who keep the
programme's evidence (spreadsheets, an auditor's folder) long after the console is
shut; CSV opens anywhere and JSON keeps the nesting. Each file is written to a
temporary name beside it and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, Literal

from drills.evaluations import CapabilityRating, DrillFinding, findings, rating_history
from drills.item_records import Item, all_items
from drills.store import DrillStore
from i18n import _
from plans import files

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
TABLES = ("log", "notes", "observations", "ratings", "findings", "items")
"""The files of an export, in this order: ``<drill>-<table>.<format>``."""
COLUMNS: dict[str, tuple[str, ...]] = {
    "log": ("seq", "kind", "sim_time", "wall_time", "author", "payload", "result", "version"),
    "notes": ("seq", "sim_time", "wall_time", "author", "text"),
    "observations": ("seq", "sim_time", "wall_time", "author", "step", "observed_wall"),
    "ratings": tuple(f.name for f in fields(CapabilityRating)),
    "findings": tuple(f.name for f in fields(DrillFinding)),
    "items": tuple(f.name for f in fields(Item) if f.name != "drills_before"),
}
"""Column headers (machine-read, not translated)."""


def drill_rows(db_path: str | Path, drill_id: str) -> dict[str, list[dict[str, Any]]]:
    """Table -> its rows (plain, JSON-ready dicts) for one drill."""
    record = DrillStore(db_path).get(drill_id)
    log = [e.to_dict() for e in record.entries]
    notes = [
        {k: e[k] for k in COLUMNS["notes"][:4]} | {"text": e["payload"].get("text", "")}
        for e in log
        if e["kind"] == "note"
    ]
    observations = [
        {k: e[k] for k in COLUMNS["observations"][:4]}
        | {"step": e["payload"].get("step"), "observed_wall": e["payload"].get("observed_wall")}
        for e in log
        if e["kind"] == "observation"
    ]
    items = [i.to_dict() for i in all_items(db_path) if i.drill_id == drill_id]
    return {
        "log": log,
        "notes": notes,
        "observations": observations,
        "ratings": [asdict(r) for r in rating_history(db_path, drill_id)],
        "findings": [asdict(f) for f in findings(db_path, drill_id, include_deleted=True)],
        "items": items,
    }


def _cell(value: object) -> object:
    """A CSV cell: nested data as JSON text, None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def _csv_text(table: str, rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS[table], extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in COLUMNS[table]})
    return out.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically and durably (:mod:`plans.files`)."""
    files.write_atomic(path, text.encode("utf-8"))


def export_drill(db_path: str | Path, drill_id: str, fmt: str, out_dir: str | Path) -> list[Path]:
    """Write the drill's log, notes, observations, ratings, findings and items to ``out_dir``.

    CSV: a header row, then one row per record (nested values as JSON text); JSON: a
    list of objects. Returns the files written, in :data:`TABLES` order.
    """
    if fmt not in FORMATS:
        raise ValueError(
            _("unknown export format {fmt!r}: one of {formats}").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise ValueError(_("{path} is a file; give a folder to export into").format(path=folder))
    tables = drill_rows(db_path, drill_id)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in TABLES:
        path = folder / f"{drill_id}-{table}.{fmt}"
        rows = tables[table]
        text = (
            _csv_text(table, rows)
            if fmt == "csv"
            else json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        )
        write_atomic(path, text)
        paths.append(path)
    return paths
