"""What a scenario says to the players (injects) and what it is judged on (objectives).

Why apart from :mod:`scenarios.model`: objectives carry their own rules (a window or an
event, the capabilities they test for the HSEEP table) and grew past what one module
of the scenario should hold.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import model_validator

from i18n import _
from plans.base import StrictModel
from plans.types import ChannelRef, Duration, Id, NonEmptyText, Ref, RoleRef
from scenarios.objective_capabilities import CapabilityId

EventRef = Annotated[str, Ref(("events",))]


class Inject(StrictModel):
    """A message for the drill players at a given time (an MSEL entry)."""

    at: Duration
    """When it is delivered, after the scenario start."""
    title: NonEmptyText
    """Short headline."""
    message: NonEmptyText
    """What the players are told."""
    to: tuple[RoleRef, ...] = ()
    """Roles it is addressed to; left out: everybody."""
    expected_action: str = ""
    """What the plan expects the players to do (for evaluators)."""


Metric = Literal[
    "service_level",
    "asa",
    "abandonment",
    "max_queue",
    "backlog",
    "tickets_late",
    "availability",
    "occupancy",
    "rto",
    "rpo",
]


class Window(StrictModel):
    """A stretch of the run, as offsets from its start."""

    start: Duration = 0.0
    """Beginning."""
    end: Duration | None = None
    """End; left out: the end of the run."""


class Objective(StrictModel):
    """What the scenario is judged on, e.g. service level >= 0.8 during the surge."""

    id: Id
    """Id used in results."""
    metric: Metric
    """What is measured."""
    op: Literal[">=", "<="]
    """How it is compared with the threshold."""
    threshold: float
    """The figure to reach; times (asa, rto, rpo) in minutes."""
    window: Window | None = None
    """Part of the run measured; left out: all of it."""
    during: EventRef | None = None
    """Measure only while this event lasts (instead of ``window``)."""
    channel: ChannelRef | None = None
    """Measure one channel only."""
    capabilities: tuple[CapabilityId, ...] | None = None
    """Capabilities it tests (the HSEEP table); left out: its metric's (rto: handle_coordinate,
    resource_guarantee; service_level: resource_guarantee, handle_coordinate; ...)."""

    @model_validator(mode="after")
    def _one_window(self) -> Objective:
        if self.window is not None and self.during is not None:
            raise ValueError(_("give window or during, not both"))
        return self
