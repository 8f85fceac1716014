"""The drill database's tables, and creating them in a new or older file.

Why a version table: drills are kept for their debrief, long after the drillsim
that wrote them; a later release must know which layout a file has before it reads
it, and an older release must refuse a file it does not understand rather than
damage it.

Layouts:

1. drills and their append-only log (``drills``, ``entries``).
2. adds the evaluation (``ratings``: HSEEP P/S/M/U per capability, every rating kept;
   ``findings``: strengths and areas for improvement) and the improvement plan
   (``items``, the IP matrix rows, with ``item_history``, every status change). A
   layout-1 file is brought to layout 2 by creating the new tables; its drills stay
   as they are.
3. adds the drill day: entry kinds 'start', 'pause', 'resume' and 'inject' (the
   ``entries`` table is rebuilt with the wider check, its rows copied as they are),
   ``drills.archived`` and ``drills.request_id`` (one click, one drill), the
   ``archive_history`` of who archived or restored a drill, and ``uploads`` (plans and
   scenarios uploaded in the console, kept by kind and name).
4. gives the evaluation its authors: ``ratings.changed_by`` (who last changed a rating
   another evaluator wrote); findings gain ``recommendations`` (HSEEP's fourth field),
   ``updated_by``, ``provenance`` ('drillsim' when drillsim drafted it and a person
   accepted it), ``draft_key`` and a soft delete (``deleted_by``, ``deleted_wall``: a
   deleted finding stays in the file, out of the report), with ``finding_history``
   (every version of every finding); ``draft_decisions`` (drafts accepted or discarded,
   so a discarded draft does not come back); ``summaries`` (the executive summary,
   every version kept); ``items.poc`` (the improvement item's point of contact). A
   layout-3 file gains the columns (old rows get the defaults) and the tables.
5. gives the log its acting role: ``entries.role``, the console role an entry was made
   for (NULL: a trusted caller, the command line). Layout 4 kept it in the entry's
   payload; a layout-4 file gains the column in place, each row keeps its place and
   fields, and a role found in a payload moves to the column (out of the payload, which
   holds again only what was entered).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from i18n import _

SCHEMA_VERSION = 5
"""The layout this code reads and writes."""

DEFAULT_TIMEOUT = 30.0
"""Seconds a writer waits for another writer's transaction before giving up."""

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
"""Layout 1."""

ENTRIES_3 = """
    CREATE TABLE entries_3 (
        drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        kind TEXT NOT NULL CHECK (kind IN ('advance', 'decision', 'note', 'observation', 'end',
                                           'start', 'pause', 'resume', 'inject')),
        sim_time REAL NOT NULL,
        wall_time TEXT NOT NULL,
        author TEXT NOT NULL,
        payload TEXT NOT NULL,
        result TEXT,
        version INTEGER,
        PRIMARY KEY (drill_id, seq)
    )
    """
"""Layout 3's log: the layout-1 table with the drill day's entry kinds."""

ROLE_TO_COLUMN = """
    UPDATE entries SET role = json_extract(payload, '$.role'),
                       payload = json_remove(payload, '$.role')
    WHERE json_valid(payload) AND json_type(payload, '$.role') = 'text'
    """
"""Layout 5: a layout-4 entry's role moves from its payload to its column (run again, it
finds nothing to move)."""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: (
        """
        CREATE TABLE IF NOT EXISTS ratings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
            capability TEXT NOT NULL,
            rating TEXT NOT NULL CHECK (rating IN ('P', 'S', 'M', 'U')),
            evidence TEXT NOT NULL,
            evaluator TEXT NOT NULL CHECK (length(trim(evaluator)) > 0),
            wall_time TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS ratings_by_drill ON ratings (drill_id, capability, evaluator)",
        """
        CREATE TABLE IF NOT EXISTS findings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('strength', 'area')),
            capability TEXT NOT NULL,
            observed TEXT NOT NULL,
            reference TEXT NOT NULL DEFAULT '',
            analysis TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL CHECK (length(trim(author)) > 0),
            draft INTEGER NOT NULL CHECK (draft IN (0, 1)),
            created_wall TEXT NOT NULL,
            updated_wall TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS findings_by_drill ON findings (drill_id)",
        """
        CREATE TABLE IF NOT EXISTS items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id TEXT NOT NULL,
            drill_id TEXT REFERENCES drills(id) ON DELETE SET NULL,
            capability TEXT,
            issue TEXT NOT NULL CHECK (length(trim(issue)) > 0),
            corrective_action TEXT NOT NULL CHECK (length(trim(corrective_action)) > 0),
            element TEXT NOT NULL CHECK (element IN
                ('planning', 'organisation', 'equipment', 'training', 'exercise')),
            owner_role TEXT NOT NULL,
            start TEXT NOT NULL,
            due TEXT NOT NULL CHECK (due >= start),
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'in_progress', 'done', 'verified')),
            node_kind TEXT NOT NULL
                CHECK (node_kind IN ('role', 'resource', 'step', 'target', 'system', 'site')),
            node_id TEXT NOT NULL,
            created_wall TEXT NOT NULL,
            created_by TEXT NOT NULL,
            drills_before INTEGER NOT NULL DEFAULT 0,
            verified_by TEXT
        )
        """,
        "CREATE INDEX IF NOT EXISTS items_by_plan ON items (plan_id, status)",
        """
        CREATE TABLE IF NOT EXISTS item_history (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            status_from TEXT,
            status_to TEXT NOT NULL,
            who TEXT NOT NULL,
            wall_time TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (item_id, seq)
        )
        """,
    ),
    3: (
        "DROP TABLE IF EXISTS entries_3",
        ENTRIES_3,
        "INSERT INTO entries_3 SELECT drill_id, seq, kind, sim_time, wall_time, author, payload, "
        "result, version FROM entries",
        "DROP TABLE entries",
        "ALTER TABLE entries_3 RENAME TO entries",
        "ALTER TABLE drills ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 "
        "CHECK (archived IN (0, 1))",
        "ALTER TABLE drills ADD COLUMN request_id TEXT",
        "CREATE UNIQUE INDEX IF NOT EXISTS drills_by_request ON drills (request_id) "
        "WHERE request_id IS NOT NULL",
        """
        CREATE TABLE IF NOT EXISTS archive_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
            archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
            who TEXT NOT NULL CHECK (length(trim(who)) > 0),
            wall_time TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS uploads (
            kind TEXT NOT NULL CHECK (kind IN ('plan', 'scenario')),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            text TEXT NOT NULL,
            saved_wall TEXT NOT NULL,
            PRIMARY KEY (kind, name)
        )
        """,
    ),
    4: (
        "ALTER TABLE ratings ADD COLUMN changed_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE findings ADD COLUMN recommendations TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE findings ADD COLUMN updated_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE findings ADD COLUMN provenance TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE findings ADD COLUMN draft_key TEXT",
        "ALTER TABLE findings ADD COLUMN deleted_by TEXT",
        "ALTER TABLE findings ADD COLUMN deleted_wall TEXT",
        """
        CREATE TABLE IF NOT EXISTS finding_history (
            finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            action TEXT NOT NULL
                CHECK (action IN ('written', 'accepted', 'changed', 'deleted', 'restored')),
            who TEXT NOT NULL CHECK (length(trim(who)) > 0),
            wall_time TEXT NOT NULL,
            fields TEXT NOT NULL,
            PRIMARY KEY (finding_id, seq)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS draft_decisions (
            drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
            draft_key TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accepted', 'discarded')),
            who TEXT NOT NULL CHECK (length(trim(who)) > 0),
            wall_time TEXT NOT NULL,
            finding_id INTEGER REFERENCES findings(id),
            PRIMARY KEY (drill_id, draft_key)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS summaries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            drill_id TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            who TEXT NOT NULL CHECK (length(trim(who)) > 0),
            wall_time TEXT NOT NULL
        )
        """,
        "ALTER TABLE items ADD COLUMN poc TEXT NOT NULL DEFAULT ''",
    ),
    5: (
        "ALTER TABLE entries ADD COLUMN role TEXT",
        ROLE_TO_COLUMN,
    ),
}
"""Statements that bring a file from the layout before each key to that layout.

An ``ALTER TABLE ... ADD COLUMN`` is skipped when the column is already there, so a
migration run again on a file whose version was set back does no harm.
"""


class NewerSchema(RuntimeError):
    """The file was written by a newer drillsim."""


def stored_version(conn: sqlite3.Connection) -> int | None:
    """The file's layout version; None for a new (empty) file."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if has_table is None:
        return None
    found = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    return None if found is None else int(found)


def ensure_schema(conn: sqlite3.Connection, path: str) -> None:
    """Create the tables if missing, migrate an older layout; refuse a newer one.

    Runs inside the caller's write transaction.
    """
    found = stored_version(conn)
    if found is not None and found > SCHEMA_VERSION:
        raise NewerSchema(
            _(
                "{path}: the drill database has layout version {found}, newer than this drillsim "
                "understands ({version}); upgrade drillsim to open it"
            ).format(path=path, found=found, version=SCHEMA_VERSION)
        )
    for statement in TABLES:
        conn.execute(statement)
    for version in sorted(MIGRATIONS):
        if found is None or found < version:
            for statement in MIGRATIONS[version]:
                if not _has_column(conn, statement):
                    conn.execute(statement)
    if found is None:
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
    elif found < SCHEMA_VERSION:
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))


def _has_column(conn: sqlite3.Connection, statement: str) -> bool:
    """Whether ``statement`` adds a column that its table already has."""
    words = statement.split()
    if words[:2] != ["ALTER", "TABLE"] or words[3:5] != ["ADD", "COLUMN"]:
        return False
    table, column = words[2], words[5]
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


# --- connections for the evaluation and improvement-plan modules -----------------------


@contextmanager
def connect(path: str | Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[sqlite3.Connection]:
    """One short connection to the drill database at ``path``, its layout made current.

    Why here and not through :class:`~drills.store.DrillStore`: the
    evaluation, the improvement plan and the programme open the same file for one
    call each, as the store does; a file that is new or of an older layout is set up
    (WAL journal, tables, migration) first, in its own write transaction, so readers
    of a current file never take the write lock.
    """
    db = Path(path)
    if db.is_dir():
        raise ValueError(
            _("{path} is a folder; the drill database must be a file path").format(path=db)
        )
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db, timeout=timeout, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        if stored_version(conn) != SCHEMA_VERSION:
            conn.execute("PRAGMA journal_mode = WAL")
            with write(conn):
                ensure_schema(conn, str(db))
        yield conn
    finally:
        conn.close()


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the write lock at once; committed when the block ends."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def read(conn: sqlite3.Connection) -> Iterator[None]:
    """A read transaction: one snapshot for several queries."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")
