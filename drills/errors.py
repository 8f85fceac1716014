"""The few ways a drill operation is refused, each with a message a facilitator can act on.

Why a small hierarchy: the pages catch :class:`DrillError` and show its message;
a bad argument stays a plain ``ValueError`` (its message says what to fix).
"""

from __future__ import annotations

from collections.abc import Sequence

from drills.records import Entry


class DrillError(Exception):
    """Base of the drill console's own refusals."""


class UnknownDrill(DrillError, LookupError):
    """No drill has this id in the database."""

    def __init__(self, drill_id: str) -> None:
        self.drill_id = drill_id
        super().__init__(
            f"no drill '{drill_id}' in the drill database "
            "(was it created in another database file?)"
        )

    def __str__(self) -> str:
        # LookupError would quote the message like a dict key otherwise.
        return str(self.args[0])


class DrillEnded(DrillError, ValueError):
    """The drill has ended; its clock and decisions are final (notes may still be added)."""

    def __init__(self, drill_id: str) -> None:
        self.drill_id = drill_id
        super().__init__(
            f"drill '{drill_id}' has ended: its clock and decisions are final "
            "(notes can still be added)"
        )


class Conflict(DrillError):
    """Somebody changed the drill since the writer looked; nothing was written."""

    def __init__(self, drill_id: str, expected: int, actual: int, changes: Sequence[Entry]) -> None:
        self.drill_id = drill_id
        self.expected = expected
        self.actual = actual
        self.changes = tuple(changes)
        super().__init__(conflict_message(expected, actual, self.changes))


class ReplayMismatch(DrillError):
    """Replaying a stored drill gave another result than the one stored.

    It means the engine (or a loader) changed under a stored drill: the stored log is
    still the truth of what the room decided, but this version cannot show it.
    """


def describe_change(entry: Entry) -> str:
    """One entry in words, e.g. 'the clock was moved to 75.0 min by Alice (entry 7)'."""
    p = entry.payload
    where = f"(entry {entry.seq})"
    if entry.kind == "advance":
        return (
            f"the clock was moved to {float(p.get('to', entry.sim_time)):.1f} min "
            f"by {entry.author} {where}"
        )
    if entry.kind == "decision":
        what = " ".join(
            str(x)
            for x in (p.get("action"), p.get("target"), p.get("level"))
            if x not in (None, "")
        )
        verdict = entry.result or {}
        outcome = (
            "accepted" if verdict.get("accepted") else f"refused: {verdict.get('reason', '?')}"
        )
        return f"{entry.author} decided {what} at {entry.sim_time:.1f} min ({outcome}) {where}"
    if entry.kind == "end":
        return f"the drill was ended by {entry.author} {where}"
    if "live_started_wall" in p:
        return f"the live clock was started by {entry.author} at {entry.sim_time:.1f} min {where}"
    return f"the drill was changed by {entry.author} {where}"


def conflict_message(expected: int, actual: int, changes: Sequence[Entry]) -> str:
    """What changed since version ``expected``, and what the writer should do now."""
    if changes:
        what = "; then ".join(describe_change(e) for e in changes)
    else:
        what = f"the drill moved from version {expected} to {actual}"
    return (
        f"{what} since you looked; the board now shows the new state. "
        "Nothing of yours was saved: look again and resubmit if it still stands."
    )
