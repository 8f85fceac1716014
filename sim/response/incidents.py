"""What the response did, as records: incidents, their steps, actions and calls.

Why apart from the controller: the debrief, the reports and the item verification
read these records long after the run; they need the shapes, not the machinery
that filled them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.response.decisions import Decision, Verdict


@dataclass
class StepTime:
    """When one response step started and was done, against its limit."""

    step: str
    owner: str
    limit: float
    started: float | None = None
    done: float | None = None

    def duration(self) -> float | None:
        """Minutes from start to done (None while not done)."""
        if self.started is None or self.done is None:
            return None
        return self.done - self.started

    def late(self, now: float) -> bool:
        """Over its limit: done late, or still open past it."""
        if self.started is None:
            return False
        end = self.done if self.done is not None else now
        return end - self.started > self.limit + 1e-9


@dataclass
class ActionLog:
    """Something the response did, or tried."""

    time: float
    action: str
    target: str | None
    by: str
    status: str
    """'started', 'done', 'failed attempt', 'not needed'."""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Incident:
    """One incident of an event class, from occurrence to close."""

    id: str
    event_class: str
    occurred: float
    events: list[str] = field(default_factory=list)
    detected: float | None = None
    detected_by: str = ""
    level: int | None = None
    levels: list[tuple[float, int, str]] = field(default_factory=list)
    """(time, level, by) each time the level was set or rose."""
    steps: dict[str, StepTime] = field(default_factory=dict)
    actions: list[ActionLog] = field(default_factory=list)
    restored: float | None = None
    closed: float | None = None
    isolated: list[str] = field(default_factory=list)


@dataclass
class ResponseRecord:
    """Everything the response did in one run: the input of the debrief."""

    policy: str
    incidents: list[Incident] = field(default_factory=list)
    reached: dict[str, dict[str, Any]] = field(default_factory=dict)
    """role -> {'notified', 'reached' (inf: never), 'person', 'via', 'calls'}."""
    decisions: list[tuple[float, Decision, Verdict]] = field(default_factory=list)
    activations: list[dict[str, Any]] = field(default_factory=list)
    """One per backup brought up: backup, decided, active, attempts, failures, by."""
