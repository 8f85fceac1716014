"""What drills are measured against: RTO, RPO, availability, service level, ticket limits.

Why a module of its own: the targets come from the manual (2.1.3, 4.1, 5.3), not from
the centre's organisation, and every readiness analysis and drill result is judged
against them; a planner tightens them without touching the rest of the plan.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from plans.base import StrictModel
from plans.types import Duration, Probability

TicketClass = Literal["urgent", "ordinary", "complex"]
"""The ticket classes of 2.1.3, each with its own time limits."""


class TicketLimit(StrictModel):
    """Time limits of one ticket class (2.1.3, 2.2.2)."""

    respond: Duration | None = None
    """First response to the customer."""
    first_handling: Duration | None = None
    """First handling."""
    resolve: Duration | None = None
    """Handled."""
    close: Duration | None = None
    """Closed with the customer."""


def _default_ticket_limits() -> dict[TicketClass, TicketLimit]:
    return {
        "urgent": TicketLimit(respond=60, first_handling=120, resolve=1440, close=4320),
        "ordinary": TicketLimit(first_handling=1440, close=4320),
        "complex": TicketLimit(resolve=2880),
    }


class ServiceLevel(StrictModel):
    """Answer-time target (4.1: average response within 30 s)."""

    answer_within: Duration = 0.5
    """Threshold answer time."""
    share: Probability = 0.8
    """Share of contacts to answer within the threshold."""


class Targets(StrictModel):
    """What drills are measured against (2.1.3, 4.1, 5.3)."""

    rto: Duration = 240.0
    """Recovery time objective (5.3: 4 h)."""
    rpo: Duration = 15.0
    """Recovery point objective (5.3: 15 min)."""
    availability: Probability = 0.9995
    """Service availability (5.3: 99.95%)."""
    service_level: ServiceLevel = ServiceLevel()
    """Answer-time target."""
    ticket_limits: dict[TicketClass, TicketLimit] = Field(default_factory=_default_ticket_limits)
    """Time limits by ticket class."""
    satisfaction: Probability = 0.85
    """Customer satisfaction (4.1: 85% or more)."""
