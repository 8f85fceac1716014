"""Where the console's files are: the drill database.

Why a module: the CLI, the app and the tests must agree on these without importing
Streamlit, and the database path must not depend on the directory a user starts in.
"""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "DRILLSIM_DB"
"""Environment variable naming the drill database file."""


def default_db_path() -> Path:
    """~/.local/share/drillsim/drills.sqlite (or $XDG_DATA_HOME/drillsim/drills.sqlite)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "drillsim" / "drills.sqlite"


def db_path() -> Path:
    """The drill database in use: $DRILLSIM_DB, else the default."""
    return Path(os.environ.get(DB_ENV) or default_db_path())
