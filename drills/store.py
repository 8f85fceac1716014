"""The drill database: drills, their settings, and the append-only log of what happened.

Why SQLite this way:

* **One short connection per call.** Streamlit runs each browser session on its own
  thread, and several servers may share a file; a connection is opened, used and
  closed inside one method, so nothing is shared between threads or processes.
  ``timeout`` makes a writer wait for another's transaction instead of failing.
* **WAL journal, synchronous FULL.** Readers never block the writer; a commit is
  on disk when :meth:`DrillStore.append` returns, so a killed server loses nothing
  the room was told was saved.
* **Optimistic versions, checked inside ``BEGIN IMMEDIATE``.** A writer passes the
  version of the board it looked at; if an entry that changes the board was written
  since, it gets a :class:`Conflict` naming what changed, and nothing is written.
  The check and the write share one transaction, so two writers can never both win.
* **Ids from a counter in the database** ('drill-0001', ...), never from process
  state, so two servers on one file never hand out the same id.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from drills import validation as check
from drills.access import ENTRY_ACTIONS, Role, require
from drills.errors import Conflict, DrillEnded, UnknownDrill
from drills.records import BOARD_KINDS, DrillRecord, DrillSummary, Entry, Participant
from drills.schema import SCHEMA_VERSION, ensure_schema, stored_version
from i18n import N_, _

DEFAULT_TIMEOUT = 30.0
"""Seconds a writer waits for another writer's transaction before giving up."""


class DrillStore:
    """A drill database file; every method opens and closes its own connection."""

    __slots__ = ("_path", "_timeout")

    def __init__(self, path: str | Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Open (and if needed create) the database at ``path``."""
        self._path = Path(path)
        self._timeout = float(timeout)
        if self._path.is_dir():
            raise ValueError(
                _("{path} is a folder; the drill database must be a file path").format(
                    path=self._path
                )
            )
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise ValueError(
                    _("{path}: the file system refused SQLite's WAL journal (got {mode!r})").format(
                        path=self._path, mode=mode
                    )
                )
            if stored_version(conn) != SCHEMA_VERSION:  # a current file needs no write lock
                with _write(conn):
                    ensure_schema(conn, str(self._path))

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def __repr__(self) -> str:
        return f"DrillStore({str(self._path)!r})"

    # --- connections -------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self._path, timeout=self._timeout, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            yield conn
        finally:
            conn.close()

    # --- drills ------------------------------------------------------------------------

    def create_drill(
        self,
        name: str,
        plan_name: str,
        plan_text: str,
        scenario_name: str,
        scenario_text: str,
        seed: int = 0,
        mode: str = "tabletop",
        speed: float = 1.0,
        participants: Iterable[Participant | Mapping[str, Any]] = (),
        *,
        start_live: bool = False,
        request_id: str | None = None,
        role: Role | None = None,
    ) -> DrillRecord:
        """Store a new drill at clock 0, version 0, and return it.

        The plan and scenario texts are loaded and checked against each other first
        (:class:`plans.ModelFileError` lists every problem), because the drill is
        rebuilt from them on every view; a participant's role must be one of the
        plan's (a typo names the closest). A live drill waits for the facilitator's
        Start (:func:`drills.session.start_live`) unless ``start_live`` is True (then
        its clock starts now). The same ``request_id`` given twice returns the drill
        the first call created: one click, one drill, however often it is sent.
        ``role``: the console role acting (None: a trusted caller); one that may not
        create drills gets :class:`~drills.access.RoleRefused` and nothing is written.
        """
        require(role, "create")
        name = check.drill_name(name)
        plan_name = check.source_name(plan_name, "plan")
        scenario_name = check.source_name(scenario_name, "scenario")
        drill_mode = check.mode(mode)
        drill_seed = check.seed(seed)
        drill_speed = check.speed(speed)
        people = check.participants(participants)
        plan = check.inputs(plan_name, plan_text, scenario_name, scenario_text)
        check.participant_roles(people, plan)
        request = None if request_id is None else str(request_id).strip() or None
        created = check.now_iso()
        live = drill_mode == "live" and start_live
        with self._connect() as conn, _write(conn):
            if request is not None:
                first = conn.execute(
                    "SELECT id FROM drills WHERE request_id = ?", (request,)
                ).fetchone()
                if first is not None:
                    return self.get(first["id"])
            number = _next_number(conn, "drills")
            drill_id = f"drill-{number:04d}"
            conn.execute(
                """INSERT INTO drills (id, name, created_wall, plan_name, plan_text, scenario_name,
                   scenario_text, seed, mode, speed, live_started_wall, live_started_clock,
                   participants, request_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    drill_id,
                    name,
                    created,
                    plan_name,
                    plan_text,
                    scenario_name,
                    scenario_text,
                    drill_seed,
                    drill_mode,
                    drill_speed,
                    created if live else None,
                    0.0 if live else None,
                    json.dumps([p.to_dict() for p in people]),
                    request,
                ),
            )
        return self.get(drill_id)

    def list_drills(self, include_archived: bool = False) -> list[DrillSummary]:
        """Every drill, newest first; archived ones only with ``include_archived``."""
        with self._connect() as conn:
            rows = conn.execute(
                """SELECT d.id, d.name, d.created_wall, d.plan_name, d.scenario_name, d.mode,
                          d.status, d.clock, d.version, d.archived,
                          (SELECT count(*) FROM entries e WHERE e.drill_id = d.id) AS n
                   FROM drills d WHERE ? OR d.archived = 0 ORDER BY d.rowid DESC""",
                (1 if include_archived else 0,),
            ).fetchall()
        return [
            DrillSummary(
                r["id"],
                r["name"],
                r["created_wall"],
                r["plan_name"],
                r["scenario_name"],
                r["mode"],
                r["status"],
                float(r["clock"]),
                int(r["version"]),
                int(r["n"]),
                bool(r["archived"]),
            )
            for r in rows
        ]

    def archive(self, drill_id: str, author: str, *, role: Role | None = None) -> DrillRecord:
        """Hide the drill from the list of drills; it is kept whole and can be restored."""
        return self._set_archived(drill_id, author, True, role)

    def restore(self, drill_id: str, author: str, *, role: Role | None = None) -> DrillRecord:
        """Bring an archived drill back into the list of drills."""
        return self._set_archived(drill_id, author, False, role)

    def _set_archived(
        self, drill_id: str, author: str, archived: bool, role: Role | None
    ) -> DrillRecord:
        require(role, "create")  # archiving is the facilitator's, as creating is
        who = check.author(author)
        with self._connect() as conn, _write(conn):
            done = conn.execute(
                "UPDATE drills SET archived = ? WHERE id = ?", (int(archived), drill_id)
            )
            if done.rowcount == 0:
                raise UnknownDrill(drill_id)
            conn.execute(
                "INSERT INTO archive_history (drill_id, archived, who, wall_time) "
                "VALUES (?, ?, ?, ?)",
                (drill_id, int(archived), who, check.now_iso()),
            )
        return self.get(drill_id)

    def get(self, drill_id: str) -> DrillRecord:
        """The drill with its whole log in seq order; :class:`UnknownDrill` if absent."""
        with self._connect() as conn:
            conn.execute("BEGIN")  # one snapshot for the drill row and its entries
            try:
                row = conn.execute("SELECT * FROM drills WHERE id = ?", (drill_id,)).fetchone()
                if row is None:
                    raise UnknownDrill(drill_id)
                entries = conn.execute(
                    "SELECT * FROM entries WHERE drill_id = ? ORDER BY seq", (drill_id,)
                ).fetchall()
            finally:
                conn.execute("COMMIT")
        return _record(row, [_entry(e) for e in entries])

    # --- the log -----------------------------------------------------------------------

    def append(
        self,
        drill_id: str,
        kind: str,
        sim_time: float,
        author: str,
        payload: Mapping[str, Any],
        result: Mapping[str, Any] | None = None,
        expected_version: int | None = None,
        new_clock: float | None = None,
        *,
        new_live_start: str | None = None,
        stop_live: bool = False,
        role: Role | None = None,
    ) -> Entry:
        """Write one log entry in one transaction; it is on disk when this returns.

        With ``expected_version``, a drill whose version moved raises :class:`Conflict`
        (naming what changed) and nothing is written. Entries that change the board
        ('advance', 'decision', 'end', or any that moves the clock or starts the live
        clock) bump the version; notes and observations do not. ``new_clock`` sets the
        clock; ``new_live_start`` (ISO UTC) restarts the live clock from the current
        clock; ``stop_live`` stops it (a pause); an 'end' entry ends the drill. An ended
        drill refuses entries that change the board (:class:`DrillEnded`).

        ``role`` is the console role the entry is made for (None: a trusted caller, the
        command line); one that may not make this kind of entry gets
        :class:`~drills.access.RoleRefused` and nothing is written. It is kept in the
        entry's ``role`` column, beside the author.
        """
        entry_kind = check.kind(kind)
        acting = require(role, ENTRY_ACTIONS.get(entry_kind, "advance"))
        time = check.minutes(sim_time, N_("the entry's simulated time"))
        who = check.author(author)
        payload_text = check.json_text(payload, "payload")
        result_text = None if result is None else check.json_text(result, "result")
        clock = None if new_clock is None else check.minutes(new_clock, N_("the new clock"))
        live_start = None if new_live_start is None else check.wall_iso(new_live_start)
        wall = check.now_iso()
        bumps = (
            entry_kind in BOARD_KINDS or clock is not None or live_start is not None or stop_live
        )
        with self._connect() as conn, _write(conn):
            row = conn.execute(
                "SELECT version, status, clock FROM drills WHERE id = ?", (drill_id,)
            ).fetchone()
            if row is None:
                raise UnknownDrill(drill_id)
            current = int(row["version"])
            if expected_version is not None and expected_version != current:
                changed = conn.execute(
                    "SELECT * FROM entries WHERE drill_id = ? AND version > ? ORDER BY seq",
                    (drill_id, expected_version),
                ).fetchall()
                raise Conflict(drill_id, expected_version, current, [_entry(e) for e in changed])
            if bumps and row["status"] == "ended":
                raise DrillEnded(drill_id)
            seq = conn.execute(
                "SELECT coalesce(max(seq), 0) + 1 FROM entries WHERE drill_id = ?", (drill_id,)
            ).fetchone()[0]
            version = current + 1 if bumps else None
            conn.execute(
                """INSERT INTO entries (drill_id, seq, kind, sim_time, wall_time, author, payload,
                                       result, version, role)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (drill_id, seq, entry_kind, time, wall, who, payload_text, result_text)
                + (version, acting),
            )
            if bumps:
                conn.execute(
                    """UPDATE drills SET version = ?, clock = coalesce(?, clock),
                       status = CASE WHEN ? = 'end' THEN 'ended' ELSE status END,
                       live_started_wall = CASE WHEN ? THEN NULL
                                                ELSE coalesce(?, live_started_wall) END,
                       live_started_clock = CASE WHEN ? IS NULL THEN live_started_clock
                                                 ELSE clock END
                       WHERE id = ?""",
                    (version, clock, entry_kind, int(stop_live), live_start, live_start, drill_id),
                )
        return Entry(
            drill_id,
            int(seq),
            entry_kind,
            time,
            wall,
            who,
            json.loads(payload_text),
            None if result_text is None else json.loads(result_text),
            version,
            acting,
        )


# --- helpers ---------------------------------------------------------------------------


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the write lock at once (waiting up to the timeout)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _next_number(conn: sqlite3.Connection, name: str) -> int:
    conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1) "
        "ON CONFLICT(name) DO UPDATE SET value = value + 1",
        (name,),
    )
    return int(conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        drill_id=row["drill_id"],
        seq=int(row["seq"]),
        kind=row["kind"],
        sim_time=float(row["sim_time"]),
        wall_time=row["wall_time"],
        author=row["author"],
        payload=json.loads(row["payload"]),
        result=None if row["result"] is None else json.loads(row["result"]),
        version=None if row["version"] is None else int(row["version"]),
        role=row["role"],
    )


def _record(row: sqlite3.Row, entries: list[Entry]) -> DrillRecord:
    return DrillRecord(
        id=row["id"],
        name=row["name"],
        created_wall=row["created_wall"],
        plan_name=row["plan_name"],
        plan_text=row["plan_text"],
        scenario_name=row["scenario_name"],
        scenario_text=row["scenario_text"],
        seed=int(row["seed"]),
        mode=row["mode"],
        speed=float(row["speed"]),
        live_started_wall=row["live_started_wall"],
        live_started_clock=None
        if row["live_started_clock"] is None
        else float(row["live_started_clock"]),
        participants=tuple(
            Participant(p["name"], p.get("role", "")) for p in json.loads(row["participants"])
        ),
        clock=float(row["clock"]),
        version=int(row["version"]),
        status=row["status"],
        entries=tuple(entries),
        archived=bool(row["archived"]),
    )
