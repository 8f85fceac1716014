"""A drill's executive summary: the first thing the after-action report says.

Why every version is kept: the summary is what management reads first, written by
the evaluators; a later edit replaces it in the report, but what was written before
stays in the file, with who wrote it and when (the report names who wrote the
summary first and who changed it last).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drills import validation as check
from drills.access import Role, require
from drills.evaluation_checks import drill_exists, text, who
from drills.schema import connect, read, write
from i18n import N_


@dataclass(frozen=True, slots=True)
class Summary:
    """The executive summary in force, with its authors."""

    drill_id: str
    text: str
    written_by: str
    written_wall: str
    """ISO UTC time of the first version."""
    changed_by: str
    changed_wall: str
    """ISO UTC time of this (the latest) version."""
    versions: int


def set_summary(
    db_path: str | Path, drill_id: str, summary_text: str, by: str, *, role: Role | None = None
) -> Summary | None:
    """Write (or rewrite) the drill's executive summary as ``by``; earlier versions are kept.

    Returns the summary in force; an empty text clears it from the report (None; the
    cleared version is kept too).
    """
    require(role, "rate")  # the acting console role, checked by the core
    said = text(summary_text, N_("the executive summary"))
    person = who(by, N_("executive summary"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        drill_exists(conn, drill_id)
        conn.execute(
            "INSERT INTO summaries (drill_id, text, who, wall_time) VALUES (?, ?, ?, ?)",
            (drill_id, said, person, wall),
        )
    return summary(db_path, drill_id)


def summary(db_path: str | Path, drill_id: str) -> Summary | None:
    """The summary in force, or None when none was written (or the last version is empty)."""
    with connect(db_path) as conn, read(conn):
        drill_exists(conn, drill_id)
        rows = conn.execute(
            "SELECT * FROM summaries WHERE drill_id = ? ORDER BY id", (drill_id,)
        ).fetchall()
    if not rows or not rows[-1]["text"]:
        return None
    first, last = rows[0], rows[-1]
    return Summary(
        drill_id,
        last["text"],
        first["who"],
        first["wall_time"],
        last["who"],
        last["wall_time"],
        len(rows),
    )
