"""Plans and scenarios uploaded in the console, kept in the drill database.

Why in the database and not in the page's session: an upload must outlive the
browser tab and the server process that took it, and every console server on the
same file must see it. Only texts that already passed validation
(:func:`drills.uploads.read_upload`) are given here; a new upload under a name
already kept replaces the older text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from drills import validation as check
from drills.access import Role, require
from drills.schema import connect, read, write
from i18n import _

Kind = Literal["plan", "scenario"]
UPLOAD_KINDS: tuple[Kind, ...] = ("plan", "scenario")


def _kind(kind: object) -> Kind:
    for k in UPLOAD_KINDS:
        if kind == k:
            return k
    raise ValueError(_("unknown upload kind {kind!r}: 'plan' or 'scenario'").format(kind=kind))


def save_upload(
    db_path: str | Path, kind: str, name: str, text: str, *, role: Role | None = None
) -> None:
    """Keep an uploaded plan or scenario text under its name (replacing an older one).

    ``role``: the console role uploading (None: a trusted caller); facilitators and
    evaluators may, an observer or reviewer may not (every tab's lists would change).
    """
    require(role, "upload")
    what = _kind(kind)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(_("an upload needs a name"))
    if not isinstance(text, str):
        kind_name = type(text).__name__
        raise ValueError(_("an upload's text must be text, not {type}").format(type=kind_name))
    with connect(db_path) as conn, write(conn):
        conn.execute(
            "INSERT INTO uploads (kind, name, text, saved_wall) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(kind, name) DO UPDATE SET text = excluded.text, "
            "saved_wall = excluded.saved_wall",
            (what, name.strip(), text, check.now_iso()),
        )


def uploaded(db_path: str | Path, kind: str) -> dict[str, str]:
    """Name -> text of the kept uploads of a kind, in the order they were first saved."""
    what = _kind(kind)
    with connect(db_path) as conn, read(conn):
        rows = conn.execute(
            "SELECT name, text FROM uploads WHERE kind = ? ORDER BY rowid", (what,)
        ).fetchall()
    return {r["name"]: r["text"] for r in rows}
