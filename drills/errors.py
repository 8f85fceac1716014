"""The few ways a drill operation is refused, each with a message a facilitator can act on.

Why a small hierarchy: the pages catch :class:`DrillError` and show its message;
a bad argument stays a plain ``ValueError`` (its message says what to fix).
"""

from __future__ import annotations

from collections.abc import Sequence

from drills.records import Entry
from i18n import _
from plans.types import human_minutes


class DrillError(Exception):
    """Base of the drill console's own refusals."""


class UnknownDrill(DrillError, LookupError):
    """No drill has this id in the database."""

    def __init__(self, drill_id: str) -> None:
        self.drill_id = drill_id
        super().__init__(
            _(
                "no drill '{drill}' in the drill database "
                "(was it created in another database file?)"
            ).format(drill=drill_id)
        )

    def __str__(self) -> str:
        # LookupError would quote the message like a dict key otherwise.
        return str(self.args[0])


class DrillEnded(DrillError, ValueError):
    """The drill has ended; its clock and decisions are final (notes may still be added)."""

    def __init__(self, drill_id: str) -> None:
        self.drill_id = drill_id
        super().__init__(
            _(
                "drill '{drill}' has ended: its clock and decisions are final "
                "(notes can still be added)"
            ).format(drill=drill_id)
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
    """One entry in words, e.g. 'the clock was moved to T+1h15m by Alice (entry 7)'."""
    p = entry.payload
    who, seq, at = entry.author, entry.seq, human_minutes(entry.sim_time)
    if entry.kind == "advance":
        return _("the clock was moved to T+{to} by {who} (entry {seq})").format(
            to=human_minutes(float(p.get("to", entry.sim_time))), who=who, seq=seq
        )
    if entry.kind == "decision":
        what = " ".join(
            str(x)
            for x in (p.get("action"), p.get("target"), p.get("level"))
            if x not in (None, "")
        )
        verdict = entry.result or {}
        if verdict.get("accepted"):
            return _("{who} decided {what} at T+{at} (accepted) (entry {seq})").format(
                who=who, what=what, at=at, seq=seq
            )
        return _("{who} decided {what} at T+{at} (refused: {reason}) (entry {seq})").format(
            who=who, what=what, at=at, reason=verdict.get("reason", "?"), seq=seq
        )
    if entry.kind == "end":
        return _("the drill was ended by {who} (entry {seq})").format(who=who, seq=seq)
    if entry.kind == "pause":
        return _("the live clock was paused by {who} at T+{at} (entry {seq})").format(
            who=who, at=at, seq=seq
        )
    if entry.kind == "resume":
        return _("the live clock was resumed by {who} at T+{at} (entry {seq})").format(
            who=who, at=at, seq=seq
        )
    if entry.kind == "inject":
        action = p.get("action")
        if action == "adhoc":
            text = _("{who} sent the inject '{title}' at T+{at} (entry {seq})")
        elif action == "skip":
            text = _("{who} skipped inject {index} at T+{at} (entry {seq})")
        else:
            text = _("{who} delivered inject {index} at T+{at} (entry {seq})")
        number = int(p.get("index", 0)) + 1  # people count injects from 1
        return text.format(who=who, title=p.get("title", ""), index=number, at=at, seq=seq)
    if "live_started_wall" in p:
        return _("the live clock was started by {who} at T+{at} (entry {seq})").format(
            who=who, at=at, seq=seq
        )
    return _("the drill was changed by {who} (entry {seq})").format(who=who, seq=seq)


def conflict_message(expected: int, actual: int, changes: Sequence[Entry]) -> str:
    """What changed since version ``expected``, and what the writer should do now."""
    if changes:
        what = _("; then ").join(describe_change(e) for e in changes)
    else:
        what = _("the drill moved from version {expected} to {actual}").format(
            expected=expected, actual=actual
        )
    return _(
        "{what} since you looked; the board now shows the new state. "
        "Nothing of yours was saved: look again and resubmit if it still stands."
    ).format(what=what)
