"""A ticket's whole life in a scenario: front line, back office, customer confirmation.

Why a block of its own: by default a ticket is done when the front line has handled it
once (the engine as it was); a scenario that names this block gives tickets the life
the manual describes (2.1.3, 2.2.2): first handling by the front line, resolution by a
back-office team with its own staffing and effort, then the customer's confirmation
and closure. The limits are then measured against those moments, on the plan's working
calendar where the plan says so (:mod:`plans.calendar`).
"""

from __future__ import annotations

from typing import Literal

from plans.base import StrictModel
from plans.types import Headcount, Probability
from scenarios.distributions import Distribution

TicketClass = Literal["urgent", "ordinary", "complex"]


class BackOffice(StrictModel):
    """The team that resolves what the front line cannot (repairs, refunds, investigations)."""

    agents: Headcount
    """People resolving tickets while the back office is open."""
    hours: Literal["calendar", "always"] = "calendar"
    """'calendar': the plan's office hours on working days; 'always': around the clock."""
    share: dict[TicketClass, Probability] = {"urgent": 1.0, "ordinary": 0.3, "complex": 1.0}
    """Share of each class's tickets that need the back office after first handling."""
    effort: Distribution
    """Back-office work on one ticket."""


class TicketLife(StrictModel):
    """What happens to a ticket after the front line; left out: it is done there."""

    back_office: BackOffice | None = None
    """The back office; left out: the front line's first handling resolves every ticket."""
    confirmation: Distribution | None = None
    """Time from resolution until the customer confirms and the ticket is closed; left
    out: closed at resolution."""

    def is_default(self) -> bool:
        """Whether a ticket is done at first handling (the engine as it was)."""
        return self.back_office is None and self.confirmation is None
