"""What the drill database hands out: frozen records of drills and their log entries.

Why frozen dataclasses and not rows or dicts: the pages, the debrief and the tests
read the same records; a typed, immutable record cannot be edited by one reader
behind another's back, and the database stays the only place a drill changes.
Every read builds fresh records, so a payload dict changed by a caller never reaches
the database or another caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Mode = Literal["tabletop", "live"]
MODES: tuple[Mode, ...] = ("tabletop", "live")
"""'tabletop': the room moves the clock; 'live': the clock follows the wall clock x speed."""

Kind = Literal[
    "advance", "decision", "note", "observation", "end", "start", "pause", "resume", "inject"
]
KINDS: tuple[Kind, ...] = (
    "advance",
    "decision",
    "note",
    "observation",
    "end",
    "start",
    "pause",
    "resume",
    "inject",
)
BOARD_KINDS: frozenset[str] = frozenset(
    {"advance", "decision", "end", "start", "pause", "resume", "inject"}
)
"""Entry kinds that change what the board shows, and so bump the drill's version.

Notes and observations change nothing on the board, so they never make somebody
else's view stale (a room full of note-takers must not block the facilitator).
"""

Status = Literal["open", "ended"]


@dataclass(frozen=True, slots=True)
class Participant:
    """Somebody in the drill room, and the plan role they play (may be empty)."""

    name: str
    role: str = ""

    def to_dict(self) -> dict[str, str]:
        """Plain form, as stored."""
        return {"name": self.name, "role": self.role}


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a drill's log, in the order it was written."""

    drill_id: str
    seq: int
    """1, 2, ... within the drill."""
    kind: Kind
    sim_time: float
    """Simulated minutes from the scenario start when it was written."""
    wall_time: str
    """ISO UTC time it was written."""
    author: str
    payload: dict[str, Any]
    """advance: {'to'}; decision: the decision's fields; note: {'text'}; observation:
    {'step', 'observed_wall'}; end: {'text'}; start/resume: {'live_started_wall', 'clock'};
    pause: {'to', 'paused_wall'}; inject: {'index', 'action'} ('deliver'/'skip') or
    {'action': 'adhoc', 'title', 'message', 'to'}."""
    result: dict[str, Any] | None
    """decision: the verdict {'accepted', 'reason'}; otherwise None."""
    version: int | None
    """The drill's version this entry produced; None when it left the version alone."""
    role: str | None = None
    """The console role the entry was made for (observer, facilitator ...); None when a
    trusted caller (the command line) wrote it."""

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready form (the board's log, a download)."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "sim_time": self.sim_time,
            "wall_time": self.wall_time,
            "author": self.author,
            "payload": dict(self.payload),
            "result": dict(self.result) if self.result is not None else None,
            "version": self.version,
            "role": self.role,
        }


@dataclass(frozen=True, slots=True)
class DrillSummary:
    """A drill as the list of drills shows it, without texts or log."""

    id: str
    name: str
    created_wall: str
    plan_name: str
    scenario_name: str
    mode: Mode
    status: Status
    clock: float
    version: int
    entries: int
    """How many log entries it holds."""
    archived: bool = False
    """Archived: kept, but left out of the list of drills until restored."""


@dataclass(frozen=True, slots=True)
class DrillRecord:
    """One drill with everything needed to rebuild it: inputs, settings, clock and log."""

    id: str
    name: str
    created_wall: str
    plan_name: str
    plan_text: str
    scenario_name: str
    scenario_text: str
    seed: int
    mode: Mode
    speed: float
    """Live mode: simulated minutes per wall-clock minute."""
    live_started_wall: str | None
    """Live mode: ISO UTC time the live clock last started, or None."""
    live_started_clock: float | None
    """Live mode: the simulated clock at that moment."""
    participants: tuple[Participant, ...]
    clock: float
    """Simulated minutes the drill has reached."""
    version: int
    """Bumped by every entry that changes the board; writers pass the one they saw."""
    status: Status
    entries: tuple[Entry, ...]
    """The log, in seq order."""
    archived: bool = False
    """Archived: kept, but left out of the list of drills until restored."""

    @property
    def live_state(self) -> str:
        """'tabletop', 'ended', 'not_started', 'running' or 'paused' (a live drill's clock)."""
        if self.mode != "live":
            return "tabletop"
        if self.status == "ended":
            return "ended"
        if self.live_started_wall is not None:
            return "running"
        clocked = [e for e in self.entries if e.kind in ("start", "pause", "resume")]
        return "paused" if clocked and clocked[-1].kind == "pause" else "not_started"

    @property
    def paused(self) -> bool:
        """A live drill whose clock the facilitator paused (and has not resumed)."""
        return self.live_state == "paused"

    @property
    def last_seq(self) -> int:
        """Seq of the newest entry (0 when none): changes with every write, notes included."""
        return self.entries[-1].seq if self.entries else 0

    def changes_since(self, version: int) -> tuple[Entry, ...]:
        """Entries that moved the version past ``version``, oldest first."""
        return tuple(e for e in self.entries if e.version is not None and e.version > version)
