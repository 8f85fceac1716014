"""The services customers use and who answers them: channels, shifts, staffing (2.1.1).

Why a module of its own: this is the demand side the simulation queues on; channels
say what they need to work and how demand splits, shifts and staff groups say who is
at work to answer, and none of it depends on how the response is organised.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from plans.base import StrictModel
from plans.schedule import WeeklyWindow
from plans.types import (
    ChannelRef,
    DependencyRef,
    Headcount,
    Id,
    LocalName,
    Probability,
    ShiftRef,
    SiteRef,
    SystemRef,
)

ChannelKind = Literal["phone", "chat", "app", "web", "email", "counter", "custom"]
LIVE_KINDS = frozenset({"phone", "chat", "counter", "custom"})
"""Channel kinds where the customer waits in a queue; the others create tickets."""


class Degradation(StrictModel):
    """How a channel slows down while a system it leans on is down."""

    system: SystemRef
    """System whose loss slows the channel."""
    handle_time_factor: Annotated[float, Field(ge=1.0)]
    """Handle time is multiplied by this while the system is down."""


class Channel(StrictModel):
    """A service channel customers use (2.1.1)."""

    id: Id
    """Id used by staffing and scenarios."""
    name: LocalName
    """Readable name."""
    kind: ChannelKind
    """phone, chat, app, web, email, counter or custom."""
    online: bool
    """Online (remote) or offline (counters, halls) channel."""
    share: Probability | None = None
    """Share of all requests; leave out on every channel to use the online/offline split."""
    depends_on: tuple[DependencyRef, ...] = ()
    """Systems or resources without which the channel goes dark."""
    degraded_by: tuple[Degradation, ...] = ()
    """Systems whose loss slows the channel without stopping it."""
    sites: tuple[SiteRef, ...] = ()
    """Sites that serve the channel; it needs at least one working."""
    mode: Literal["live", "ticket"] | None = None
    """'live': customers wait in a queue and may give up; 'ticket': requests become tickets
    worked against the ticket time limits. Left out: live for phone, chat, counter and
    custom channels, ticket for app, web and email."""

    def effective_mode(self) -> Literal["live", "ticket"]:
        """The mode as stated, or the one its kind implies."""
        if self.mode is not None:
            return self.mode
        return "live" if self.kind in LIVE_KINDS else "ticket"


class ChannelSplit(StrictModel):
    """Default split of demand between online and offline channels (2.1.1)."""

    online: Probability = 0.683
    """Share of requests arriving online (2024: 68.3%)."""
    offline: Probability = 0.317
    """Share of requests arriving offline (2024: 31.7%)."""


class Shift(StrictModel):
    """A working shift."""

    id: Id
    """Id used by staffing."""
    name: LocalName
    """Readable name."""
    window: WeeklyWindow
    """Days and hours of the shift."""


class StaffGroup(StrictModel):
    """Agents of one site and shift with the same skills."""

    site: SiteRef
    """Where they work."""
    shift: ShiftRef
    """When they work."""
    agents: Headcount
    """How many."""
    skills: tuple[ChannelRef, ...]
    """Channels they serve."""
