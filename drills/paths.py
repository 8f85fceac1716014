"""Where the console's files are: the drill database.

Why a module: the CLI, the app and the tests must agree on these without importing
Streamlit, and the database path must not depend on the directory a user starts in.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from i18n import _

DB_ENV = "DRILLSIM_DB"
"""Environment variable naming the drill database file."""


def default_db_path() -> Path:
    """~/.local/share/drillsim/drills.sqlite (or $XDG_DATA_HOME/drillsim/drills.sqlite)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "drillsim" / "drills.sqlite"


def db_path() -> Path:
    """The drill database in use: $DRILLSIM_DB, else the default."""
    return Path(os.environ.get(DB_ENV) or default_db_path())


SQLITE_HEADER = b"SQLite format 3\x00"


class NotADatabase(ValueError):
    """A --db file that cannot be a drill database: empty, not SQLite, not a regular file."""


def check_database(path: Path) -> Path | None:
    """The path of an existing drill database, ``None`` when there is none yet.

    Why before opening: SQLite turns an empty file into a new database and says 'file
    is not a database' only deep inside a command; a read-only command (report, items,
    programme) must neither re-initialise a 0-byte file (a truncated database is a
    loss to report, not to paper over) nor create one where there was none.
    Raises :class:`NotADatabase` with the reason for a person.
    """
    cannot = _("cannot read the drill database {db}: {error}")
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise NotADatabase(cannot.format(db=path, error=exc.strerror)) from None
    if stat.S_ISDIR(info.st_mode):
        raise NotADatabase(
            _("--db {path} is a folder; give the drill database file").format(path=path)
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotADatabase(cannot.format(db=path, error=_("it is not a regular file")))
    if info.st_size == 0:
        raise NotADatabase(
            cannot.format(
                db=path,
                error=_(
                    "it is empty (0 bytes) and may have been truncated; restore it from a "
                    "backup, or remove it to start a new one"
                ),
            )
        )
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotADatabase(cannot.format(db=path, error=exc.strerror)) from None
    if head != SQLITE_HEADER:
        raise NotADatabase(cannot.format(db=path, error=_("it is not an SQLite file")))
    return path
