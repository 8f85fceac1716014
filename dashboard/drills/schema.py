"""The drill database's tables, and creating them in a new or older file.

Why a version table: drills are kept for their debrief, long after the drillsim
that wrote them; a later release must know which layout a file has before it reads
it, and an older release must refuse a file it does not understand rather than
damage it.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1
"""The layout this code reads and writes."""

TABLES = (
    """
    CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS drills (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        created_wall TEXT NOT NULL,
        plan_name TEXT NOT NULL,
        plan_text TEXT NOT NULL,
        scenario_name TEXT NOT NULL,
        scenario_text TEXT NOT NULL,
        seed INTEGER NOT NULL CHECK (seed >= 0),
        mode TEXT NOT NULL CHECK (mode IN ('tabletop', 'live')),
        speed REAL NOT NULL CHECK (speed > 0),
        live_started_wall TEXT,
        live_started_clock REAL,
        participants TEXT NOT NULL,
        clock REAL NOT NULL DEFAULT 0 CHECK (clock >= 0),
        version INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended'))
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS entries (
        drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        kind TEXT NOT NULL CHECK (kind IN ('advance', 'decision', 'note', 'observation', 'end')),
        sim_time REAL NOT NULL,
        wall_time TEXT NOT NULL,
        author TEXT NOT NULL,
        payload TEXT NOT NULL,
        result TEXT,
        version INTEGER,
        PRIMARY KEY (drill_id, seq)
    )
    """,
)


class NewerSchema(RuntimeError):
    """The file was written by a newer drillsim."""


def ensure_schema(conn: sqlite3.Connection, path: str) -> None:
    """Create the tables if missing and record the version; refuse a newer layout.

    Runs inside the caller's write transaction.
    """
    for statement in TABLES:
        conn.execute(statement)
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    found = row[0]
    if found is None:
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
    elif found > SCHEMA_VERSION:
        raise NewerSchema(
            f"{path}: the drill database has layout version {found}, newer than this drillsim "
            f"understands ({SCHEMA_VERSION}); upgrade drillsim to open it"
        )
